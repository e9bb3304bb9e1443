package api

import (
	"container/list"
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/danielgtaylor/huma/v2/queryparam"

	"github.com/jcdd/jcdd/internal/api/cursor"
	"github.com/jcdd/jcdd/internal/api/httpx"
)

// A release never changes, so the answer to a data request is a function of
// the release that answers it and of the request: its path, its query and,
// for lists, the format that Accept negotiates. The response cache keeps
// recent answers — bytes, ETag and every header — so that a repeated
// request costs a map lookup and a write instead of a store read, an
// encoding and a hash.
//
// The cache sits in the one path every data operation shares: register
// gives each operation whose input names a release (lists, lookups by id,
// the actor timeline, the budget summary, the changes in a release) an
// operation middleware, which looks the request up before Huma parses it,
// and wraps its handler, which keeps the answer of a miss. Operations whose
// answer depends on the set of releases (the release index and feed) are
// made once per set instead (render.go); downloads are not cached.
//
// A hit skips Huma's parsing and validation, and is still only ever given
// to a request that would pass them: the key holds the path and the whole
// raw query, so an entry exists only for a path and query that passed
// every check when its answer was made; what else Huma reads of a request
// is the If-None-Match header, whose only constraint (at most 1024
// characters) the lookup checks, and Accept, which the key holds as the
// format it negotiates (a request whose Accept negotiates nothing goes to
// the handler, which answers 406).
//
// Key. The negotiated format (for operations that negotiate one), the
// escaped path and the raw query with its parameters in a canonical order
// (see canonicalQuery). The release is not in the key but in the entry:
//
//   - a request that pins a release (release=, or a cursor) keeps the
//     release it named; the entry stays valid as long as the store still
//     serves that release;
//   - a request for the current release is valid only while the release it
//     came from is still the current one.
//
// Both are checked on every hit by asking the store to resolve the release
// the request asks for (resolve): the memory store answers from memory; the
// DynamoDB store answers from its metadata cache, so a hit costs no
// DynamoDB call while that cache is fresh and one metadata read when it is
// not — the read an uncached request would have made anyway. A hit
// therefore never serves a release longer than the store itself would: an
// activation (or a deletion) is seen within the store's metadata TTL
// (dynamo.DefaultCacheTTL), exactly as without the response cache. A miss
// calls the handler as before — no extra store call — and keeps its answer
// under the release that actually answered.
//
// The cache is bounded in bytes and evicts the least recently used
// answers. It is per process: on Lambda, each warm instance has its own.

// DefaultResponseCacheBytes bounds the response cache: an eighth of the API
// function's memory (infra/template.yaml), which holds many thousands of
// typical pages.
const DefaultResponseCacheBytes = 32 << 20

// maxCachedBody is the largest answer the cache keeps; bigger ones (a page of
// 500 events in full) are rare and would evict many others.
const maxCachedBody = 1 << 20

// releaseNamer is implemented by every input that names a release: those
// that embed ReleaseParam. Their operations are cached.
type releaseNamer interface {
	version() (string, bool)
}

// releaseResolver is implemented by stores that can tell which release a
// request would be served from more cheaply than Release can (the DynamoDB
// store, which would otherwise also read the current-release pointer to
// fill in Release.Current).
type releaseResolver interface {
	ResolveRelease(ctx context.Context, version string) (string, error)
}

// resolve returns the version of the release that would answer a request
// for version ("" for the current release).
func (s *Server) resolve(ctx context.Context, version string) (string, error) {
	if r, ok := s.store.(releaseResolver); ok {
		return r.ResolveRelease(ctx, version)
	}
	rel, err := s.store.Release(ctx, version)
	return rel.Version, err
}

// cached reports whether the answers of an operation with input I are
// named, validated and cached by the shared path (conditional.go and the
// lookup below): those of every operation whose input names a release.
func cached[I any]() bool {
	_, ok := any(new(I)).(releaseNamer)
	return ok
}

// lookup is the operation middleware of a data operation: it answers a
// request from the cache when it can, and otherwise passes what it learnt
// of the request on to the handler (see conditional).
func (s *Server) lookup(api huma.API, vary bool) func(huma.Context, func(huma.Context)) {
	varyHeader := "Accept-Encoding"
	if vary {
		varyHeader = "Accept, Accept-Encoding"
	}
	var known knownParams
	return func(ctx huma.Context, next func(huma.Context)) {
		r, w := humago.Unwrap(ctx)
		key, ok := cacheKey(r, vary)
		if !ok {
			var buf [8]cursor.Param
			if known.check(api, ctx, parseQuery(r.URL.RawQuery, buf[:0])) {
				next(ctx)
			}
			return
		}
		gzip, ifNoneMatch := httpx.AcceptsGzip(r.Header.Get("Accept-Encoding")), r.Header.Get("If-None-Match")
		if s.cache != nil {
			if e := s.cache.get(key); e != nil && len(ifNoneMatch) <= maxIfNoneMatch {
				if v, err := s.resolve(r.Context(), e.asked); err == nil && v == e.version {
					e.write(w, ifNoneMatch, gzip)
					return
				}
				// Another release is current now, or the one named is
				// no longer served: the handler answers (or fails) as
				// without the cache, and its answer replaces the entry.
			}
		}
		c := withExchange(ctx, exchange{key: key, gzip: gzip, ifNoneMatch: ifNoneMatch, vary: varyHeader, header: w.Header()})
		c.ex.query = parseQuery(r.URL.RawQuery, c.queryBuf[:0])
		if !known.check(api, ctx, c.ex.query) {
			return
		}
		next(c)
		if c.ex.send != nil {
			// Huma has written the headers; the body follows. An error
			// here is the client's connection failing, which nothing can
			// answer any more.
			_ = c.ex.send.writeTo(w)
		}
	}
}

// exchangeContext is the huma.Context of a request that the handler learns
// an exchange from: its Context() is the request's context with the
// exchange as the value of exchangeKey. It does what huma.WithValue does,
// with one allocation instead of three (the exchange, the context value
// and the huma.Context): every first request makes one.
type exchangeContext struct {
	humaContext
	std      exchangeValue
	ex       exchange
	queryBuf [8]cursor.Param // holds ex.query when it is short, as most are
}

// humaContext names the embedded huma.Context apart from its method
// Context.
type humaContext huma.Context

// exchangeValue is the request's context with an exchange.
type exchangeValue struct {
	context.Context
	ex *exchange
}

func withExchange(ctx huma.Context, ex exchange) *exchangeContext {
	c := &exchangeContext{humaContext: ctx, ex: ex}
	c.std = exchangeValue{Context: ctx.Context(), ex: &c.ex}
	return c
}

func (c *exchangeContext) Context() context.Context { return &c.std }

// Unwrap returns the request's huma.Context, as huma.WithValue's does (see
// humago.Unwrap).
func (c *exchangeContext) Unwrap() huma.Context { return c.humaContext }

func (v *exchangeValue) Value(key any) any {
	if _, ok := key.(exchangeKey); ok {
		return v.ex
	}
	return v.Context.Value(key)
}

// knownParams are the names of an operation's query parameters. The
// operation middleware of a data operation refuses the others, as Huma
// does for other operations (RejectUnknownQueryParameters): it parses the
// query anyway, and the handler reads the same parse (exchange.query)
// rather than Huma and the handler making one each. The names are those
// the description declares: unlike Huma's check, this one would refuse a
// hidden parameter and the keys of a deepObject one, which no operation
// here has.
type knownParams struct {
	once  sync.Once
	names map[string]bool
}

// check answers 422 to a request with a query parameter that the
// operation does not declare, as Huma would, and reports whether the
// request may go on.
func (k *knownParams) check(api huma.API, ctx huma.Context, params []cursor.Param) bool {
	k.once.Do(func() {
		k.names = map[string]bool{}
		for _, p := range ctx.Operation().Parameters {
			if p.In == "query" {
				k.names[p.Name] = true
			}
		}
	})
	var errs []error
	for i, p := range params {
		if !k.names[p.Name] && (i == 0 || params[i-1].Name != p.Name) {
			errs = append(errs, &huma.ErrorDetail{Message: "unknown query parameter", Location: "query." + p.Name, Value: ""})
		}
	}
	if len(errs) > 0 {
		_ = huma.WriteErr(api, ctx, http.StatusUnprocessableEntity, "validation failed", errs...)
		return false
	}
	return true
}

// maxIfNoneMatch is ConditionalParam's maxLength.
const maxIfNoneMatch = 1024

// cacheKey is the key of a request, and false when the request cannot be
// cached (its Accept negotiates no format: the handler answers 406).
func cacheKey(r *http.Request, vary bool) (string, bool) {
	var b strings.Builder
	path := r.URL.EscapedPath()
	b.Grow(2 + len(path) + len(r.URL.RawQuery))
	if vary {
		// The format parameter as Huma reads it (the first value,
		// unescaped); an invalid one is in the raw query, which no entry
		// then has.
		f, err := negotiate(queryparam.Get(r.URL.RawQuery, "format"), r.Header.Get("Accept"))
		if err != nil {
			return "", false
		}
		b.WriteByte('0' + byte(f))
	}
	b.WriteString(path)
	b.WriteByte('?')
	canonicalQuery(&b, r.URL.RawQuery)
	return b.String(), true
}

// canonicalQuery writes a raw query with its parameters sorted by name,
// keeping the order of the values of each name. Parameters of different
// names can come in any order without changing the answer (Huma reads each
// by name; the Link header and the cursor's fingerprint sort them); the
// values of one name cannot (they are echoed in the Link header in their
// order). Values are kept exactly as sent. A query with any name that is
// not plain lower-case ASCII (percent-encoded, say) is kept as it is:
// sorting it could put two spellings of one name out of order.
func canonicalQuery(b *strings.Builder, raw string) {
	if raw == "" {
		return
	}
	var buf [24]string
	parts := buf[:0]
	sorted := true
	for part := range strings.SplitSeq(raw, "&") {
		name, _, _ := strings.Cut(part, "=")
		if !plainName(name) {
			b.WriteString(raw)
			return
		}
		if len(parts) > 0 && name < paramName(parts[len(parts)-1]) {
			sorted = false
		}
		parts = append(parts, part)
	}
	if sorted {
		b.WriteString(raw)
		return
	}
	slices.SortStableFunc(parts, func(x, y string) int { return strings.Compare(paramName(x), paramName(y)) })
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p)
	}
}

func paramName(part string) string {
	name, _, _ := strings.Cut(part, "=")
	return name
}

func plainName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return true
}

// cacheEntry is an answer: the bytes of a 200 and what names them. Its
// gzip form is made once, when first asked for.
type cacheEntry struct {
	key string
	// asked is the release the request named ("" for the current one) and
	// version the release that answered: the entry is valid while the
	// store resolves asked to version.
	asked, version string
	etag, gzipETag []string // as header values; gzipETag made with gzipped
	digest         string   // of the release that answered, for gzipETag
	body           pieces
	length         int // of body
	// header holds the values of the answer's headers, by their index in
	// responseHeaders, as Huma would write them from a Response (only the
	// non-empty ones; ETag is etag). Every answer gets slices of it as its
	// header values: they are never modified. The header, and etag's
	// value, are arrays in the entry so that a first request makes one
	// allocation for them all.
	header    [len(responseHeaders)]string
	etagValue [1]string
	size      int
	elem      *list.Element

	gzipOnce sync.Once
	gzipped  []byte
}

// newEntry names the 200 answer r, given by the release with this digest to
// the request with this key that asked for release asked.
func newEntry(key, asked string, r *Response, digest string) *cacheEntry {
	body := r.pieces
	if body == nil && r.Body != nil {
		body = pieces{r.Body}
	}
	e := &cacheEntry{
		key: key, asked: asked, version: r.DatasetRelease, body: body, length: body.size(), digest: digest,
	}
	e.etagValue[0] = etagFor(digest, key, false)
	e.etag = e.etagValue[:]
	e.header = [...]string{
		r.CacheControl, r.DatasetRelease, r.Vary,
		r.ContentType, r.ContentDisposition, r.Link,
		r.Location, r.ContentEncoding, r.TotalCount,
	}
	// Pieces that refer to a release's bytes share them, but a store may
	// have read them for this answer alone: count them all.
	e.size = 2*len(key) + e.length + 24*len(e.body) + 512
	return e
}

// gzip returns the body compressed, or nil when it is too small to be worth
// it.
func (e *cacheEntry) gzip() []byte {
	if e.length < httpx.MinGzipBody {
		return nil
	}
	e.gzipOnce.Do(func() {
		e.gzipped = httpx.Gzip(e.body, e.length)
		e.gzipETag = []string{etagFor(e.digest, e.key, true)}
	})
	return e.gzipped
}

// representation picks the coding of the answer: its body (nil for a 304),
// entity tag and Content-Encoding.
func (e *cacheEntry) representation(acceptsGzip bool, ifNoneMatch string) (body pieces, etag []string, coding string, notMod bool) {
	body, etag = e.body, e.etag
	if acceptsGzip {
		if gz := e.gzip(); gz != nil {
			body, etag, coding = pieces{gz}, e.gzipETag, "gzip"
		}
	}
	// A client that accepts gzip may hold the identity coding's tag (of an
	// answer it got before it did): it stands for the same content.
	return body, etag, coding, httpx.NotModified(ifNoneMatch, etag[0]) || (coding != "" && httpx.NotModified(ifNoneMatch, e.etag[0]))
}

// fill answers the request of ex with the entry, which names r, the
// handler's answer: the entry's headers go straight to the response, as
// for a hit (no header is written twice, nor made once per field by Huma),
// and r keeps only the status and a body of one piece for Huma to write; a
// body of several goes to ex.send.
func (e *cacheEntry) fill(r *Response, ex *exchange) {
	body, etag, coding, notMod := e.representation(ex.gzip, ex.ifNoneMatch)
	e.writeHeader(ex.header, etag, coding, notMod)
	*r = Response{Status: http.StatusOK}
	switch {
	case notMod:
		r.Status = http.StatusNotModified
	case len(body) == 1:
		r.Body = body[0]
	default:
		ex.send = body
	}
}

// write answers a request from the entry: the 200, or its 304.
func (e *cacheEntry) write(w http.ResponseWriter, ifNoneMatch string, acceptsGzip bool) {
	body, etag, coding, notMod := e.representation(acceptsGzip, ifNoneMatch)
	e.writeHeader(w.Header(), etag, coding, notMod)
	if notMod {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(http.StatusOK)
	_ = body.writeTo(w) // the client's connection failing: nothing to answer
}

// writeHeader sets the headers of the answer (of its 304 when notMod) in
// dst, sharing the entry's values.
func (e *cacheEntry) writeHeader(dst http.Header, etag []string, coding string, notMod bool) {
	h := e.header[:]
	if notMod {
		h = h[:for304]
	}
	for i, v := range h {
		if v != "" {
			dst[responseHeaders[i]] = h[i : i+1 : i+1]
		}
	}
	dst["Etag"] = etag
	if coding != "" && !notMod {
		dst["Content-Encoding"] = contentEncodingGzip
	}
}

var contentEncodingGzip = []string{"gzip"}

// responseHeaders are the header fields of a Response but ETag, under
// their canonical names, in the order of cacheEntry.header. Those that a
// 304 carries come first: the validators and caching headers of the 200
// that it stands for (RFC 9110, 15.4.5), as conditional's early 304 has.
var responseHeaders = [...]string{
	"Cache-Control", "Dataset-Release", "Vary",
	"Content-Type", "Content-Disposition", "Link",
	"Location", "Content-Encoding", "Total-Count",
}

// for304 is how many of responseHeaders a 304 carries.
const for304 = 3

// responseCache is a byte-bounded LRU map of answers. It is safe for
// concurrent use.
type responseCache struct {
	mu      sync.Mutex
	max     int
	size    int
	entries map[string]*cacheEntry
	lru     list.List // front: most recently used
}

func newResponseCache(maxBytes int) *responseCache {
	if maxBytes <= 0 {
		return nil
	}
	return &responseCache{max: maxBytes, entries: map[string]*cacheEntry{}}
}

func (c *responseCache) get(key string) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e != nil {
		c.lru.MoveToFront(e.elem)
	}
	return e
}

// put keeps an answer, unless it is too large to be worth keeping.
func (c *responseCache) put(e *cacheEntry) {
	if e.length > maxCachedBody {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.entries[e.key]; old != nil {
		c.remove(old)
	}
	e.elem = c.lru.PushFront(e)
	c.entries[e.key] = e
	c.size += e.size
	for c.size > c.max {
		c.remove(c.lru.Back().Value.(*cacheEntry))
	}
}

func (c *responseCache) remove(e *cacheEntry) {
	c.lru.Remove(e.elem)
	delete(c.entries, e.key)
	c.size -= e.size
}

// len reports the number of cached answers.
func (c *responseCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// The inputs that name a release are cached.
var (
	_ releaseNamer = (*ListEventsInput)(nil)
	_ releaseNamer = (*GetEventInput)(nil)
	_ releaseNamer = (*BudgetSummaryInput)(nil)
)
