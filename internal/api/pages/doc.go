// Package pages serves the API's web pages, which are for readers rather
// than programs and are not operations of its OpenAPI description: the
// landing pages at / and /ja/ (Landing), rendered when a release is built
// and read from a Source, and the API reference at /docs (Docs), rendered
// from the OpenAPI description by make openapi and embedded. Each page is
// served as bytes with an ETag, gzip when the client accepts it, and a
// Content-Security-Policy of its own.
package pages
