// Package style holds the stylesheet of the web pages and the
// Content-Security-Policy that admits it. It is apart from package site,
// which renders the pages with html/template, so that the API can send the
// policy without linking a template engine into the Lambda function.
package style

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
)

var (
	// CSS is the pages' one stylesheet, written inline.
	//
	//go:embed landing.css
	CSS string

	// CSP allows the stylesheet, by its hash, an inline icon, and nothing
	// else: no script, no frame, no form, no fetch. The JSON-LD block is
	// data, which browsers never execute.
	CSP = "default-src 'none'; style-src '" + cspHash(CSS) + "'; img-src data:; " +
		"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}
