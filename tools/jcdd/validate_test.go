package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/dataset"
)

// TestValidatePublishedVersion: once a version is published, validating a
// working copy edited under that same version fails and says what to do;
// with a new version it passes again.
func TestValidatePublishedVersion(t *testing.T) {
	dir := newDataset(t, "1.0.0")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"validate", dir}, &out, io.Discard); err != nil {
		t.Fatalf("before publishing: %v", err)
	}
	if _, err := freezeOut(t, dir); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"validate", dir}, &out, io.Discard); err != nil {
		t.Fatalf("published and unchanged: %v", err)
	}
	name := filepath.Join(dir, "budgets.yaml")
	data, _ := os.ReadFile(name)
	if err := os.WriteFile(name, append(data, "# a correction\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"validate", dir}, &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "already published") || !strings.Contains(err.Error(), "budgets.yaml differs") || !strings.Contains(err.Error(), "new version") {
		t.Fatalf("edited under a published version: %v", err)
	}
	setVersion(t, dir, "1.0.1")
	if err := run(context.Background(), []string{"validate", dir}, &out, io.Discard); err != nil {
		t.Fatalf("with a new version: %v", err)
	}
}

// TestValidatePrintsCoverage: validate prints one line per kind with the
// Japanese coverage of each text field, over current records.
func TestValidatePrintsCoverage(t *testing.T) {
	dir := newDataset(t, "1.0.0")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"validate", dir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	rel, err := dataset.LoadFS(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if !strings.Contains(text, "Japanese text in current records (required from release "+dataset.BilingualSince+"):\n") {
		t.Errorf("no coverage heading in:\n%s", text)
	}
	for _, k := range dataset.JapaneseCoverage(rel) {
		line := regexp.MustCompile(`(?m)^  ` + k.Kind + `: (.*)$`).FindStringSubmatch(text)
		if line == nil {
			t.Errorf("no coverage line for %s in:\n%s", k.Kind, text)
			continue
		}
		for _, f := range k.Fields {
			want := fmt.Sprintf("%s.ja %d/%d (", f.Field, f.JA, f.Of)
			if !strings.Contains(line[1], want) {
				t.Errorf("%s: %q does not give %q", k.Kind, line[1], want)
			}
			if strings.Contains(line[1], f.Field+".ja") && !f.Paired && !strings.Contains(line[1], "optional") {
				t.Errorf("%s: %q does not say %s.ja is optional", k.Kind, line[1], f.Field)
			}
		}
	}
	if !regexp.MustCompile(`(?m)^  events: title\.ja \d+/\d+ \(\d+%\), summary\.ja \d+/\d+ \(\d+%\)$`).MatchString(text) {
		t.Errorf("events coverage line not in the documented form:\n%s", text)
	}
}
