// Package browser holds the browser test of the landing page: landing.mjs
// drives Debian's chromium with playwright-core (from tools/node_modules,
// installed by make tools; the browser by make browser) against the real
// local API server, which landing_test.go builds and starts.
package browser
