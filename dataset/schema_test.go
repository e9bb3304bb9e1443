package dataset

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSchemasUpToDate fails when the committed JSON Schemas differ from what
// the Go types generate. Regenerate them with `make schema`.
func TestSchemasUpToDate(t *testing.T) {
	for _, f := range Files {
		want, err := JSONSchema(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("schema", f.Schema))
		if err != nil {
			t.Fatalf("%v (run make schema)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("schema/%s is out of date: run make schema", f.Schema)
		}
	}
}

// TestYAMLFilesReferenceTheirSchema checks the modeline that makes editors
// validate each file while it is typed.
func TestYAMLFilesReferenceTheirSchema(t *testing.T) {
	for _, f := range Files {
		b, err := os.ReadFile(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		want := "# yaml-language-server: $schema=./schema/" + f.Schema
		if first, _, _ := strings.Cut(string(b), "\n"); first != want {
			t.Errorf("%s starts with %q, want %q", f.Name, first, want)
		}
	}
}

// TestEveryFieldDocumented keeps the codebook complete: every property of
// every schema has a description.
func TestEveryFieldDocumented(t *testing.T) {
	reg := NewRegistry()
	for _, f := range Files {
		reg.Schema(f.Type, true, f.Type.Name())
	}
	for name, s := range reg.Map() {
		for prop, ps := range s.Properties {
			if ps.Description == "" {
				t.Errorf("%s.%s has no doc tag", name, prop)
			}
		}
	}
}
