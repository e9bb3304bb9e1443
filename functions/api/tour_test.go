package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// tourDocs are the documents whose shell examples call the local server.
var tourDocs = []string{"../../README.md", "../../docs/api.md", "../../docs/data.md", "../../docs/deploy.md"}

// shellBlock is a fenced sh block of a Markdown document.
var shellBlock = regexp.MustCompile("(?s)```sh\n(.*?)```")

// TestTourAsPasted runs every sh block of the README and the docs that
// calls the local server (http://127.0.0.1:8080) in bash, as a reader would
// paste it, against the server make run starts, here on a free port. Each
// curl reports the status it got: none may fail to connect or get a 5xx,
// and only the examples that say they show an error may get a 4xx.
func TestTourAsPasted(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal("bash is needed to run the documented commands")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("curl is needed to run the documented commands")
	}
	st, built, err := openStore(context.Background(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newServer(st, built, "", slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()

	blocks := 0
	for _, doc := range tourDocs {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range shellBlock.FindAllStringSubmatch(string(text), -1) {
			block := m[1]
			if !strings.Contains(block, "curl ") || !strings.Contains(block, "http://127.0.0.1:8080") {
				continue
			}
			blocks++
			wantErrors := strings.Count(strings.ToLower(block), "# errors")
			runTour(t, bash, filepath.Base(doc), strings.ReplaceAll(block, "http://127.0.0.1:8080", srv.URL), wantErrors)
		}
	}
	if blocks == 0 {
		t.Fatal("no documented command calls the local server")
	}
}

// runTour runs one block in a scratch directory with curl wrapped to log the
// status of every request, and checks the statuses.
func runTour(t *testing.T, bash, doc, block string, wantErrors int) {
	t.Helper()
	dir := t.TempDir()
	codes := filepath.Join(dir, "codes")
	// The status of each request goes, on a line of its own, to a file.
	script := "set -euo pipefail\ncodes=" + strconv.Quote(codes) + "\n" +
		"curl() { command curl --write-out '%{stderr}%{http_code}\\n' \"$@\" 2>>\"$codes\"; }\n" + block
	cmd := exec.Command(bash, "-c", script)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("%s: a documented block fails: %v\n%s\n--- block ---\n%s", doc, err, out, block)
		return
	}
	data, err := os.ReadFile(codes)
	if err != nil {
		t.Fatalf("%s: no status was logged: %v", doc, err)
	}
	errors := 0
	for _, line := range strings.Fields(string(data)) {
		code, err := strconv.Atoi(line)
		switch {
		case err != nil || code < 200 || code >= 500:
			t.Errorf("%s: a documented request got %q", doc, line)
		case code >= 400:
			errors++
		}
	}
	if errors != wantErrors {
		t.Errorf("%s: %d documented requests got a 4xx, want %d (the examples of errors)\n%s", doc, errors, wantErrors, block)
	}
}
