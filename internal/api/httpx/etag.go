package httpx

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Cache lifetimes. A pinned release never changes; the current one changes
// when a new release is activated, which clients should notice within
// minutes.
const (
	CacheCurrent = "public, max-age=300"
	CachePinned  = "public, max-age=31536000, immutable"
)

// ETag is a strong entity tag derived from the bytes of a representation.
func ETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

// NotModified reports whether an If-None-Match header matches the entity
// tag. If-None-Match uses the weak comparison (RFC 9110, 13.1.2), so a W/
// prefix is ignored.
//
// Huma's conditional package does not fit here: its Params would add
// If-Match, If-Modified-Since and If-Unmodified-Since, which a read-only
// API without modification times has no use for, to every operation of the
// spec, and it runs in the handler, after the input is parsed, whereas a
// 304 is answered here before any of that (conditional.go).
func NotModified(ifNoneMatch, etag string) bool {
	if ifNoneMatch == "" {
		return false
	}
	for _, t := range strings.Split(ifNoneMatch, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}
