package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jcdd/jcdd/internal/api"
)

// TestPublicServers: a deployed API's OpenAPI description names the
// deployment's public address (JCDD_PUBLIC_BASE_URL, the CloudFront
// distribution) as its only server; without one it keeps the defaults.
func TestPublicServers(t *testing.T) {
	specServers := func(base string) []string {
		t.Helper()
		srv := api.New(api.Config{Servers: publicServers(base)})
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.json", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /openapi.json = %d: %s", rec.Code, rec.Body)
		}
		var spec struct {
			Servers []struct{ URL string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &spec); err != nil {
			t.Fatal(err)
		}
		var urls []string
		for _, s := range spec.Servers {
			urls = append(urls, s.URL)
		}
		return urls
	}
	for _, base := range []string{"https://d111111abcdef8.cloudfront.net", "https://d111111abcdef8.cloudfront.net/", " https://d111111abcdef8.cloudfront.net/ "} {
		if got := specServers(base); len(got) != 1 || got[0] != "https://d111111abcdef8.cloudfront.net" {
			t.Errorf("JCDD_PUBLIC_BASE_URL=%q: servers %q, want only https://d111111abcdef8.cloudfront.net", base, got)
		}
	}
	got := specServers("")
	if len(got) != len(api.DefaultServers) {
		t.Fatalf("without a base URL: servers %q, want the defaults", got)
	}
	for i, s := range api.DefaultServers {
		if got[i] != s.URL {
			t.Errorf("without a base URL: server %d = %q, want %q", i, got[i], s.URL)
		}
	}
}
