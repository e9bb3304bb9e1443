// Package cursor makes and checks the API's paging cursors. A cursor is
// opaque to clients. Inside it carries the position to continue from, the
// release the first page came from (so that paging stays inside one
// release even if a new one becomes current meanwhile) and a fingerprint of
// the query, and it is signed so that a cursor that was altered, or used
// with another query, is refused with a 400 instead of returning something
// surprising.
package cursor

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"hash"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/jcdd/jcdd/internal/store"
)

// Codec signs cursors with a key, and checks them.
type Codec struct {
	key  []byte
	macs *sync.Pool // of *signer keyed with key; nil makes one per call
}

// signer is a MAC keyed once, with room for what it signs: a cursor is
// made for every page that has a next one, and written here it costs no
// allocation but its string.
type signer struct {
	mac     hash.Hash
	payload [384]byte
	sum     [sha256.Size]byte
}

// cursorVersion changes if the payload's meaning changes; old cursors are
// then refused as stale.
const cursorVersion = 1

type cursorPayload struct {
	V int    `json:"v"`
	R string `json:"r"` // release version
	Q string `json:"q"` // query fingerprint
	K string `json:"k"` // position key
	I string `json:"i"` // position id
	// T is the total the first page reported, which later pages repeat:
	// a store that cannot count a later page as cheaply as the first (the
	// DynamoDB store, for a combination of filters) reports it. Absent
	// when the first page had none.
	T *int `json:"t,omitempty"`
}

// maxCursorLen bounds what is decoded; real cursors are far shorter.
const maxCursorLen = 1024

var (
	errCursorMalformed = errors.New("the cursor is malformed or was altered; use next_cursor from the previous page as it is")
	errCursorVersion   = errors.New("the cursor is from an older version of the API; start again from the first page")
	errCursorQuery     = errors.New("the cursor belongs to a different query; keep every parameter but limit, fields and format the same while paging")
)

func (c Codec) sign(b []byte) []byte {
	s := c.signer()
	defer c.release(s)
	return s.sign(b)
}

// signer returns a signer keyed with the codec's key, reset. A MAC keyed
// once is reset and reused: keying one costs more than signing a cursor.
func (c Codec) signer() *signer {
	if c.macs == nil {
		return &signer{mac: hmac.New(sha256.New, c.key)}
	}
	s := c.macs.Get().(*signer)
	s.mac.Reset()
	return s
}

func (c Codec) release(s *signer) {
	if c.macs != nil {
		c.macs.Put(s)
	}
}

// sign returns the signature of b, in s.
func (s *signer) sign(b []byte) []byte {
	s.mac.Write(b)
	return s.mac.Sum(s.sum[:0])[:16]
}

// New is a codec that signs with key, reusing its MACs.
func New(key []byte) Codec {
	return Codec{key: key, macs: &sync.Pool{New: func() any { return &signer{mac: hmac.New(sha256.New, key)} }}}
}

// Encode makes the cursor of a position in a release, for the query with
// this fingerprint; total, when not nil, is the count the first page
// reported.
func (c Codec) Encode(release, fingerprint string, p store.Position, total *int) string {
	s := c.signer()
	defer c.release(s)
	// The payload is what json.Marshal makes of a cursorPayload, written
	// without reflection into the signer's buffer.
	b := s.payload[:0]
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, cursorVersion, 10)
	b = appendJSONMember(b, "r", release)
	b = appendJSONMember(b, "q", fingerprint)
	b = appendJSONMember(b, "k", p.Key)
	b = appendJSONMember(b, "i", p.ID)
	if total != nil {
		b = append(b, `,"t":`...)
		b = strconv.AppendInt(b, int64(*total), 10)
	}
	b = append(b, '}')
	sig := s.sign(b)
	enc := base64.RawURLEncoding
	var out strings.Builder
	out.Grow(enc.EncodedLen(len(b)) + 1 + enc.EncodedLen(len(sig)))
	var tmp [512]byte
	out.Write(enc.AppendEncode(tmp[:0], b))
	out.WriteByte('.')
	out.Write(enc.AppendEncode(tmp[:0], sig))
	return out.String()
}

// appendJSONMember appends ,"name":value for a string value, escaped as
// json.Marshal escapes it.
func appendJSONMember(b []byte, name, value string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	for i := 0; i < len(value); i++ {
		if c := value[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			v, _ := json.Marshal(value) // escaping needed: json's own rules
			return append(b, v...)
		}
	}
	b = append(b, '"')
	b = append(b, value...)
	return append(b, '"')
}

// Decode checks a cursor's signature and query and returns its release,
// position and the total it carries (nil for none).
func (c Codec) Decode(cursor, fingerprint string) (string, store.Position, *int, error) {
	if len(cursor) > maxCursorLen {
		return "", store.Position{}, nil, errCursorMalformed
	}
	body, sig, ok := strings.Cut(cursor, ".")
	if !ok {
		return "", store.Position{}, nil, errCursorMalformed
	}
	// Strict: base64 lets the last character carry unused bits, so several
	// strings decode to the same bytes; only the one this codec writes is
	// accepted, which keeps every cursor one exact string. The decoder also
	// skips CR and LF, even when strict, so the alphabet is checked first.
	if !base64URL(body) || !base64URL(sig) {
		return "", store.Position{}, nil, errCursorMalformed
	}
	enc := base64.RawURLEncoding.Strict()
	b, err1 := enc.DecodeString(body)
	s, err2 := enc.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(s, c.sign(b)) {
		return "", store.Position{}, nil, errCursorMalformed
	}
	var p cursorPayload
	if err := json.Unmarshal(b, &p); err != nil {
		return "", store.Position{}, nil, errCursorMalformed
	}
	if p.V != cursorVersion {
		return "", store.Position{}, nil, errCursorVersion
	}
	if p.Q != fingerprint {
		return "", store.Position{}, nil, errCursorQuery
	}
	return p.R, store.Position{Key: p.K, ID: p.I}, p.T, nil
}

// base64URL reports whether s uses only the unpadded base64url alphabet.
func base64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// pagingParams are the query parameters a cursor does not bind: they may
// change from one page to the next.
var pagingParams = []string{"cursor", "limit", "fields", "format", "release"}

// A Param is a query parameter, unescaped.
type Param struct{ Name, Value string }

func byName(a, b Param) int  { return strings.Compare(a.Name, b.Name) }
func byValue(a, b Param) int { return strings.Compare(a.Value, b.Value) }

// Fingerprint identifies a query: the path and every filter parameter, with
// repeated values in a canonical order. Parameters sorted by name (as a
// request's are, see api.parseQuery) are read as they are; others are
// sorted first.
func Fingerprint(path string, params []Param) string {
	if !slices.IsSortedFunc(params, byName) {
		params = slices.Clone(params)
		slices.SortStableFunc(params, byName)
	}
	// What is hashed is written into a buffer on the stack rather than
	// into a hash.Hash, which would be allocated.
	var buf [512]byte
	b := append(buf[:0], path...)
	for len(params) > 0 {
		n := 1
		for n < len(params) && params[n].Name == params[0].Name {
			n++
		}
		name, same := params[0].Name, params[:n]
		params = params[n:]
		if slices.Contains(pagingParams, name) {
			continue
		}
		if !slices.IsSortedFunc(same, byValue) {
			same = slices.SortedFunc(slices.Values(same), byValue)
		}
		for _, p := range same {
			b = append(b, 0)
			b = append(b, name...)
			b = append(b, '=')
			b = append(b, p.Value...)
		}
	}
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}
