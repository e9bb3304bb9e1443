//go:build !lambda.norpc

package main

import (
	"bufio"
	"bytes"
	"context"
	"github.com/jcdd/jcdd/internal/api"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
)

var dynaliteURL string

func TestMain(m *testing.M) { os.Exit(dynalitetest.Main(m, &dynaliteURL)) }

// TestOpenAPIUpToDate fails when openapi.yaml differs from what the code
// generates. Regenerate it with `make openapi`.
func TestOpenAPIUpToDate(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"openapi"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), committed) {
		t.Error("openapi.yaml is out of date: run make openapi")
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("components:")) || !bytes.Contains(out.Bytes(), []byte("\nopenapi: 3.1.0\n")) {
		t.Errorf("openapi does not print OpenAPI 3.1 YAML: %.80s", out.Bytes())
	}
}

// TestDocsUpToDate fails when the API reference that the API embeds
// (internal/api/docs.html) differs from what the code renders: the page must
// describe the API as it is. Regenerate it with `make openapi`.
func TestDocsUpToDate(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"docs"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), api.DocsPage()) {
		t.Error("internal/api/docs.html is out of date: run make openapi")
	}
	if !bytes.Contains(out.Bytes(), []byte(`id="listEvents"`)) || !bytes.HasPrefix(out.Bytes(), []byte("<!doctype html>")) {
		t.Errorf("docs does not print the reference page: %.80s", out.Bytes())
	}
}

func TestOpenAPIDowngrade(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"openapi", "--downgrade"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Bytes(), []byte("\nopenapi: 3.0.3\n")) {
		t.Errorf("openapi --downgrade does not print OpenAPI 3.0: %.80s", out.Bytes())
	}
}

// TestServe starts the local server on a free port, reads the address it
// prints, checks that it answers, and shuts it down.
func TestServe(t *testing.T) {
	st, bundles, err := openStore(context.Background(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(st, bundles, "", slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, "127.0.0.1:0", srv, slog.New(slog.DiscardHandler), pw) }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }() // drain the rest of the output
	base := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("printed %q", line)
	}
	res, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("/healthz = %d", res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not shut down")
	}
}
