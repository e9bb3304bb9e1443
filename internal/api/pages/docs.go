package pages

import (
	_ "embed"
	"net/http"
	"sync"

	"github.com/jcdd/jcdd/internal/api/httpx"
)

// docsPage is the API reference, rendered from the API's OpenAPI
// description by package site when make openapi writes openapi.yaml; a
// test fails when it is out of date. Serving bytes keeps html/template out
// of the Lambda function, and the page costs a cold start nothing.
//
//go:embed docs.html
var docsPage []byte

// DocsPage returns the embedded API reference, for the test that checks it
// against the code.
func DocsPage() []byte { return docsPage }

// Docs serves the reference page. It is named (hashed) when first asked
// for, and compressed when first asked for in gzip, not when the process
// starts.
func Docs() http.Handler {
	page := sync.OnceValue(func() *page { return newPage(docsPage) })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		h.Set("Cache-Control", httpx.CacheCurrent)
		page().serve(w, r)
	})
}
