package api

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// htmlWriter builds an HTML page from literal markup and escaped values,
// escaping exactly as html/template does in the contexts its pages use (text,
// RCDATA, quoted attributes, and a URL fragment). Pages that are rendered
// once use it instead of html/template, whose use of reflection would make
// the Lambda bootstrap several megabytes larger (see docs.go).
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

// fragment writes a value into the fragment of a URL in a quoted attribute
// (href="#..."): every byte but RFC 3986's unreserved characters is
// percent-encoded.
func (w *htmlWriter) fragment(s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			continue
		}
		w.WriteString(s[written:i])
		fmt.Fprintf(w, "%%%02x", c)
		written = i + 1
	}
	w.WriteString(s[written:])
}

// Bytes returns what was written.
func (w *htmlWriter) Bytes() []byte { return []byte(w.String()) }
