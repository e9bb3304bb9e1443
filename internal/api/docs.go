package api

import (
	_ "embed"
	"net/http"
)

// docsPage is the API reference, rendered from this API's OpenAPI
// description by package site when make openapi writes openapi.yaml; a
// test fails when it is out of date. Serving bytes keeps html/template out
// of the Lambda function, and the page costs a cold start nothing.
//
//go:embed docs.html
var docsPage []byte

// DocsPage returns the embedded API reference, for the test that checks it
// against the code.
func DocsPage() []byte { return docsPage }

// docsHandler serves the reference page.
func docsHandler() http.Handler {
	etag := etagOf(docsPage)
	gz := gzipBytes(docsPage)
	gzTag := etag[:len(etag)-1] + `-gz"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		h.Set("Cache-Control", cacheCurrent)
		h.Set("Vary", "Accept-Encoding")
		body, tag := docsPage, etag
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, tag = gz, gzTag
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("ETag", tag)
		if notModified(r.Header.Get("If-None-Match"), tag) {
			h.Del("Content-Encoding")
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = w.Write(body)
	})
}
