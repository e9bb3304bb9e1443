//go:build !lambda.norpc

package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jcdd/jcdd/dataset"
)

// TestLocalServerServesBundles: the local server over the embedded
// releases lists every release's bundle in the index and serves bytes with
// that checksum; with a base URL it redirects instead, as when deployed.
func TestLocalServerServesBundles(t *testing.T) {
	st, bundles, err := openStore(context.Background(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	get := func(h http.Handler, target string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		return rec
	}
	srv := newServer(st, bundles, "", slog.New(slog.DiscardHandler))
	var idx struct {
		Items []struct {
			Version string `json:"version"`
			Bundle  struct {
				URL    string `json:"url"`
				SHA256 string `json:"sha256"`
				Size   int    `json:"size"`
			} `json:"bundle"`
		} `json:"items"`
	}
	if err := json.Unmarshal(get(srv, "/v1/releases").Body.Bytes(), &idx); err != nil {
		t.Fatal(err)
	}
	rels, _ := dataset.Releases()
	if len(idx.Items) != len(rels) {
		t.Fatalf("index lists %d releases, %d are embedded", len(idx.Items), len(rels))
	}
	for _, it := range idx.Items {
		rec := get(srv, it.Bundle.URL)
		if rec.Code != http.StatusOK || dataset.Checksum(rec.Body.Bytes()) != it.Bundle.SHA256 || rec.Body.Len() != it.Bundle.Size {
			t.Errorf("%s: GET %s = %d, %d bytes; the index says sha256 %s, %d bytes", it.Version, it.Bundle.URL, rec.Code, rec.Body.Len(), it.Bundle.SHA256, it.Bundle.Size)
		}
	}
	deployed := newServer(st, bundles, "https://bundles.example.org/releases", slog.New(slog.DiscardHandler))
	rec := get(deployed, "/v1/releases/latest/download")
	if want := "https://bundles.example.org/releases/jcdd-" + idx.Items[0].Version + ".zip"; rec.Code != http.StatusFound || rec.Header().Get("Location") != want {
		t.Errorf("with a base URL: %d, Location %q, want %s", rec.Code, rec.Header().Get("Location"), want)
	}
}
