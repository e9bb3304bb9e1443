package api

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// htmlWriter builds an HTML page from literal markup and escaped values,
// escaping exactly as html/template does in the contexts its pages use (text,
// RCDATA, quoted attributes, and URLs in quoted attributes). Pages that are
// rendered once use it instead of html/template, whose use of reflection
// would make the Lambda bootstrap several megabytes larger (see docs.go and
// landing_page.go).
type htmlWriter struct {
	strings.Builder
}

// raw writes trusted markup as it is.
func (w *htmlWriter) raw(s string) { w.WriteString(s) }

// htmlEscapes are html/template's replacements in text, RCDATA and quoted
// attribute values.
var htmlEscapes = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// text writes a value into text, an element such as title, or a quoted
// attribute value.
func (w *htmlWriter) text(s string) {
	written := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if int(r) < len(htmlEscapes) && htmlEscapes[r] != "" {
			w.WriteString(s[written:i])
			w.WriteString(htmlEscapes[r])
			written = i + n
		}
		i += n
	}
	w.WriteString(s[written:])
}

// int writes an integer into text or a quoted attribute value, as
// html/template prints one: in decimal, which needs no escaping.
func (w *htmlWriter) int(n int64) { w.WriteString(strconv.FormatInt(n, 10)) }

// url writes a value that is a whole URL in a quoted attribute
// (href="..."). As html/template's urlFilter does, a URL with a scheme
// other than http, https or mailto (javascript:, data:, ...) is replaced by
// "#ZgotmplZ"; the URL is then normalized as urlPath does.
func (w *htmlWriter) url(s string) {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		s = "#ZgotmplZ"
	}
	w.urlPath(s)
}

// urlPath writes a value into a URL in a quoted attribute, before its query
// (href="/v1/events/..."), as html/template's urlNormalizer and attrEscaper
// do: URL punctuation and valid percent escapes are kept, & and + are
// written as character references, and any other byte but RFC 3986's
// unreserved characters is percent-encoded.
func (w *htmlWriter) urlPath(s string) { w.percentEncode(s, true) }

// urlQuery writes a value into the query of a URL in a quoted attribute
// (href="...?since=..."), as html/template's urlEscaper does: every byte but
// RFC 3986's unreserved characters is percent-encoded.
func (w *htmlWriter) urlQuery(s string) { w.percentEncode(s, false) }

// fragment writes a value into the fragment of a URL in a quoted attribute
// (href="#..."), escaped as urlQuery does.
func (w *htmlWriter) fragment(s string) { w.percentEncode(s, false) }

// percentEncode is html/template's processURLOnto followed by its
// attrEscaper: norm keeps URL punctuation and valid escapes (of which & and
// + need escaping in an attribute); otherwise only RFC 3986's unreserved
// characters are kept.
func (w *htmlWriter) percentEncode(s string, norm bool) {
	const hex = "0123456789abcdef"
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var repl string
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~':
			continue
		case !norm:
		case c == '&':
			repl = "&amp;"
		case c == '+':
			repl = "&#43;"
		case strings.IndexByte("!#$*,/:;=?@[]", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			continue
		}
		w.WriteString(s[written:i])
		if repl != "" {
			w.WriteString(repl)
		} else {
			w.WriteByte('%')
			w.WriteByte(hex[c>>4])
			w.WriteByte(hex[c&0xf])
		}
		written = i + 1
	}
	w.WriteString(s[written:])
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// Bytes returns what was written.
func (w *htmlWriter) Bytes() []byte { return []byte(w.String()) }
