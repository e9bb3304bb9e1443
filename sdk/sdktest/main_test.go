// Package sdktest tests the Go SDK (sdk/go, its own module) against the real
// API process, and checks that the committed generated code is what
// `make sdk` would write. It lives in the main module, beside the SDK rather
// than inside it, so that it can compare what the SDK returns with
// dataset.Load() without making the SDK module depend on the server's
// module; go.mod points github.com/jcdd/jcdd/sdk/go at ./sdk/go with a
// replace directive, so `go test ./...` tests the SDK as it is in the tree.
package sdktest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	jcdd "github.com/jcdd/jcdd/sdk/go"
)

// root is the repository root, relative to this package.
const root = "../.."

// baseURL is the address of the API process TestMain started.
var baseURL string

func TestMain(m *testing.M) {
	stop, err := startAPI()
	if err != nil {
		fmt.Fprintln(os.Stderr, "sdktest:", err)
		os.Exit(1)
	}
	code := m.Run()
	stop()
	os.Exit(code)
}

// startAPI builds functions/api, starts it on a free port over the embedded
// dataset and returns a function that stops it.
func startAPI() (stop func(), err error) {
	dir, err := os.MkdirTemp("", "jcdd-sdktest-")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(dir)
		}
	}()
	bin := filepath.Join(dir, "api")
	build := exec.Command(goBin(), "build", "-o", bin, "./functions/api")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building the API: %v\n%s", err, out)
	}

	cmd := exec.Command(bin, "--port", "0")
	cmd.Stderr = os.Stderr // its request log, shown when a test fails
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the API: %w", err)
	}
	stop = func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		_ = os.RemoveAll(dir)
	}

	// The first line on stdout is "listening on http://127.0.0.1:PORT".
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lines <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, r)
	}()
	select {
	case line := <-lines:
		url, ok := strings.CutPrefix(line, "listening on ")
		if !ok {
			stop()
			return nil, fmt.Errorf("the API printed %q, not \"listening on URL\"", line)
		}
		baseURL = url
		return stop, nil
	case <-time.After(30 * time.Second):
		stop()
		return nil, errors.New("the API did not say where it listens within 30s")
	}
}

// goBin is the go command that runs these tests.
func goBin() string {
	if gr := os.Getenv("GOROOT"); gr != "" {
		if p := filepath.Join(gr, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// newClient returns an SDK client for the API under test.
func newClient(t *testing.T) *jcdd.ClientWithResponses {
	t.Helper()
	c, err := jcdd.NewClientWithResponses(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}
