package browser

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// need returns what the browser test runs with, or skips the test when
// something is missing — except under CI (CI set), where a missing browser
// must fail rather than let the page go untested.
func need(t *testing.T) (node, chromium, script string) {
	t.Helper()
	missing := func(what string) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf("%s; CI needs it for the browser test (make browser installs it)", what)
		}
		t.Skipf("%s: run make browser (or make test) to install it", what)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not on PATH")
	}
	chromium = os.Getenv("JCDD_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		missing("Debian's chromium is not installed at " + chromium)
	}
	if _, err := os.Stat("../node_modules/playwright-core/package.json"); err != nil {
		missing("playwright-core is not installed in tools/node_modules")
	}
	script, err = filepath.Abs("landing.mjs")
	if err != nil {
		t.Fatal(err)
	}
	return node, chromium, script
}

// startServer builds the API's command and starts the local server on a
// free port, as `go run ./functions/api --port 0` would, and returns its
// base URL. The server is stopped when the test ends.
func startServer(ctx context.Context, t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "api")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "../../functions/api")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the API: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "--port", "0")
	cmd.Env = append(os.Environ(), "AWS_LAMBDA_RUNTIME_API=") // the local server, never the Lambda runtime
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }() // stopped by a signal: its exit error is expected
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	// The server prints its address first.
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		for sc.Scan() { // keep the pipe drained
		}
	}()
	select {
	case l, ok := <-line:
		url, found := strings.CutPrefix(l, "listening on ")
		if !ok || !found {
			t.Fatalf("the server did not say where it listens: %q\n%s", l, logs.String())
		}
		return url
	case <-ctx.Done():
		t.Fatalf("the server did not start: %v", ctx.Err())
	}
	return ""
}

// TestLandingPageInBrowser loads / from the real local server in chromium
// and checks it against the API (landing.mjs lists the checks): no console
// error or failed request, one budget bar per summary row, one timeline mark
// per event, JSON-LD naming the current release, and a download whose
// SHA-256 is the one printed. It saves a screenshot of the whole page in
// test-artifacts/landing.png.
func TestLandingPageInBrowser(t *testing.T) {
	node, chromium, script := need(t)
	// A minute at most, server build included.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	base := startServer(ctx, t)
	artifacts, err := filepath.Abs("../../test-artifacts")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(artifacts, "landing.png")
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Env = append(os.Environ(), "JCDD_BASE_URL="+base, "JCDD_CHROMIUM="+chromium, "JCDD_SCREENSHOT="+shot)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	t.Logf("%s", strings.TrimSpace(string(out)))
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("the browser test took longer than a minute\n%s", stderr.String())
	}
	if err != nil {
		t.Fatalf("landing.mjs: %v\n%s", err, stderr.String())
	}
	t.Logf("browser test passed in %s (server build and start included); screenshot %s", time.Since(start).Round(time.Millisecond), shot)
}
