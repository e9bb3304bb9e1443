package api

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"slices"
	"sync/atomic"

	"github.com/jcdd/jcdd/internal/api/cursor"
	"github.com/jcdd/jcdd/internal/api/httpx"
	"github.com/jcdd/jcdd/internal/store"
)

// Entity tags of data answers are not hashes of the bytes sent: they are
// derived from what determines those bytes, so that a conditional request is
// answered 304 before any record is read or encoded. An answer is a function
// of
//
//   - the release that answers it, named by its digest (the checksums of its
//     files: a published release never changes, and a pre-release served
//     under the same version with other files gets another digest);
//   - the request: the negotiated format, the path and the canonical query
//     (the response cache's key, cache.go);
//   - the content coding (identity or gzip);
//   - the code that encodes it, named by representationVersion.
//
// representationVersion must change whenever a change to this program
// changes the bytes of any answer for the same release and request;
// TestETagNamesTheBytes fails when the bytes of a pinned set of answers
// change while it does not.
const representationVersion = "4" // 3: lists carry meta.total; 4: the release index lists each release's SQLite database

// etagFor is the entity tag of an answer.
func etagFor(digest, key string, gzipped bool) string {
	// What is hashed is written into a buffer on the stack (a hash.Hash
	// would be allocated): a first request names its answer.
	var buf [256]byte
	b := append(buf[:0], representationVersion...)
	b = append(b, 0)
	b = append(b, digest...)
	b = append(b, 0)
	b = append(b, key...)
	if gzipped {
		b = append(b, "\x00gzip"...)
	}
	sum := sha256.Sum256(b)
	// 18 bytes are 24 base64 characters, between quotes: one allocation,
	// the string itself.
	var tag [26]byte
	tag[0], tag[25] = '"', '"'
	base64.RawURLEncoding.Encode(tag[1:25], sum[:18])
	return string(tag[:])
}

// releaseDigest names the exact files of a release: its version and the
// checksum of each file.
func releaseDigest(rel store.Release) string {
	names := make([]string, 0, len(rel.Checksums))
	for n := range rel.Checksums {
		names = append(names, n)
	}
	slices.Sort(names)
	h := sha256.New()
	h.Write([]byte(rel.Version))
	for _, n := range names {
		h.Write([]byte("\x00" + n + "\x00" + rel.Checksums[n]))
	}
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18])
}

// digestOf returns the digest of a release the store serves, read once per
// version and process.
func (s *Server) digestOf(ctx context.Context, version string) (string, error) {
	if d, ok := s.digests.Load(version); ok {
		return d.(string), nil
	}
	rel, err := s.store.Release(ctx, version)
	if err != nil {
		return "", err
	}
	d := releaseDigest(rel)
	s.digests.Store(version, d)
	return d, nil
}

// digestOfAnswer returns the digest of the release that gave an answer,
// from what the store said of it: no store call.
func (s *Server) digestOfAnswer(rel *store.Release) string {
	if d, ok := s.digests.Load(rel.Version); ok {
		return d.(string)
	}
	d := releaseDigest(*rel)
	s.digests.Store(rel.Version, d)
	return d
}

// exchange is what the operation middleware learns of a data request
// before Huma parses it, and passes on to the handler.
type exchange struct {
	key         string // the request's identity (cacheKey)
	gzip        bool   // the client accepts a gzip-coded answer
	ifNoneMatch string
	vary        string
	// header is the response's: the answer's headers are set there
	// directly (cacheEntry.fill).
	header http.Header
	// send is the body of the answer, when it is in several pieces: the
	// operation middleware writes it after Huma has written the headers.
	send pieces // query is the request's query (parseQuery), which the operation
	// middleware has checked.
	query []cursor.Param
}

type exchangeKey struct{}

// cursorCarrier is implemented by inputs that can continue a cursor: the
// release a cursor continues is the release asked for.
type cursorCarrier interface {
	cursorRelease(c *cursor.Codec) (string, bool)
}

var _ cursorCarrier = (*ListParams)(nil)

// askedRelease is the release an input asks for ("" for the current one),
// and whether it was pinned (by release= or by a cursor).
func askedRelease(s *Server, in any) (string, bool) {
	if cc, ok := in.(cursorCarrier); ok {
		if v, ok := cc.cursorRelease(&s.cursors); ok {
			return v, true
		}
	}
	if rn, ok := in.(releaseNamer); ok {
		return rn.version()
	}
	return "", false
}

// bodiesBuilt counts the bodies that data handlers have encoded, so that
// tests can tell that a conditional request was answered without one.
var bodiesBuilt atomic.Int64

// conditional wraps the handler of a data operation: it answers 304 to a
// request whose If-None-Match names the answer it would give, without
// calling the handler; otherwise it calls the handler, names its answer,
// keeps it in the response cache and picks its content coding.
func conditional[I any](s *Server, h func(context.Context, *I) (*Response, error)) func(context.Context, *I) (*Response, error) {
	return func(ctx context.Context, in *I) (*Response, error) {
		ex, ok := ctx.Value(exchangeKey{}).(*exchange)
		if !ok {
			r, err := h(ctx, in)
			if r != nil && r.pieces != nil {
				r.Body, r.pieces = r.pieces.join(), nil
			}
			return r, err
		}
		asked, pinned := askedRelease(s, in)
		if ex.ifNoneMatch != "" {
			// Errors are the handler's to report, as without a validator.
			if version, err := s.resolve(ctx, asked); err == nil {
				if digest, err := s.digestOf(ctx, version); err == nil {
					// A client that accepts gzip may hold either coding:
					// small answers are sent as they are.
					for _, gz := range []bool{false, ex.gzip} {
						if tag := etagFor(digest, ex.key, gz); httpx.NotModified(ex.ifNoneMatch, tag) {
							return notModifiedResponse(version, pinned, tag, ex.vary), nil
						}
					}
				}
			}
		}
		r, err := h(ctx, in)
		if err != nil || r == nil || r.Status != http.StatusOK {
			return r, err
		}
		var digest string
		if r.release.Version != "" {
			digest = s.digestOfAnswer(&r.release)
		} else if digest, err = s.digestOf(ctx, r.DatasetRelease); err != nil {
			return nil, s.storeError(ctx, err)
		}
		r.Vary = ex.vary
		e := newEntry(ex.key, asked, r, digest)
		if s.cache != nil {
			s.cache.put(e)
		}
		e.fill(r, ex)
		return r, nil
	}
}

// notModifiedResponse is a 304 with the validators of the answer it stands
// for.
func notModifiedResponse(version string, pinned bool, etag, vary string) *Response {
	r := &Response{Status: http.StatusNotModified, ETag: etag, CacheControl: httpx.CacheCurrent, DatasetRelease: version, Vary: vary}
	if pinned {
		r.CacheControl = httpx.CachePinned
	}
	return r
}
