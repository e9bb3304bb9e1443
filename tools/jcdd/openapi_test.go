package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/jcdd/jcdd/internal/api/pages"
)

// TestOpenAPIUpToDate fails when openapi.yaml differs from what the code
// generates. Regenerate it with `make openapi`.
func TestOpenAPIUpToDate(t *testing.T) {
	var out bytes.Buffer
	if err := printOpenAPI(nil, &out); err != nil {
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
// (internal/api/pages/docs.html) differs from what the code renders: the page must
// describe the API as it is. Regenerate it with `make openapi`.
func TestDocsUpToDate(t *testing.T) {
	var out bytes.Buffer
	if err := printDocs(&out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), pages.DocsPage()) {
		t.Error("internal/api/pages/docs.html is out of date: run make openapi")
	}
	if !bytes.Contains(out.Bytes(), []byte(`id="listEvents"`)) || !bytes.HasPrefix(out.Bytes(), []byte("<!doctype html>")) {
		t.Errorf("docs does not print the reference page: %.80s", out.Bytes())
	}
}

func TestOpenAPIDowngrade(t *testing.T) {
	var out bytes.Buffer
	if err := printOpenAPI([]string{"--downgrade"}, &out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Bytes(), []byte("\nopenapi: 3.0.3\n")) {
		t.Errorf("openapi --downgrade does not print OpenAPI 3.0: %.80s", out.Bytes())
	}
}
