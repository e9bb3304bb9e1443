//go:build !lambda.norpc

package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
)

// rieBin finds the emulator installed by `make rie`.
func rieBin(t testing.TB) string {
	t.Helper()
	bin, err := filepath.Abs("../../tools/bin/aws-lambda-rie")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("aws-lambda-rie is not installed (make rie): %v", err)
		}
		t.Skip("aws-lambda-rie is not installed: run make rie")
	}
	return bin
}

// emulator is the real bootstrap running under AWS's runtime interface
// emulator.
type emulator struct {
	url    string
	mu     sync.Mutex
	output bytes.Buffer
}

func (e *emulator) Write(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.output.Write(p)
}

func (e *emulator) log() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.output.String()
}

// startEmulator builds the bootstrap as for Lambda (for this machine's
// architecture) and starts it under the emulator on a free port.
func startEmulator(t testing.TB, env ...string) *emulator {
	t.Helper()
	return startEmulatorWith(t, buildBootstrap(t, "."), env...)
}

// buildBootstrap builds package pkg (the API: ".") as a Lambda bootstrap, for this machine's
// architecture.
func buildBootstrap(t testing.TB, pkg string) string {
	t.Helper()
	bootstrap := filepath.Join(t.TempDir(), "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", bootstrap, pkg)
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the bootstrap: %v\n%s", err, out)
	}
	return bootstrap
}

// emulatorArgs are the emulator's arguments to run bootstrap: its
// invocation endpoint and its Runtime API (by default 127.0.0.1:9001, one per
// machine) each on a free port. It returns the invocation address.
func emulatorArgs(t testing.TB, bootstrap string) (string, []string) {
	t.Helper()
	addr, runtime := freeAddr(t), freeAddr(t)
	return addr, []string{"--runtime-interface-emulator-address", addr, "--runtime-api-address", runtime, bootstrap}
}

// freeAddr is a free port on 127.0.0.1.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // only its port was wanted
	return addr
}

// startEmulatorWith starts a bootstrap under the emulator on a free port.
func startEmulatorWith(t testing.TB, bootstrap string, env ...string) *emulator {
	t.Helper()
	rie := rieBin(t)
	addr, args := emulatorArgs(t, bootstrap)
	e := &emulator{url: "http://" + addr + "/2015-03-31/functions/function/invocations"}
	cmd := exec.Command(rie, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = e, e
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // the emulator stops the bootstrap itself
		_ = cmd.Wait()
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			_ = c.Close() // the connection only probed the port
			return e
		}
		if time.Now().After(deadline) {
			t.Fatalf("the emulator did not listen: %v\n%s", err, e.log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// invoke sends an HTTP API (payload 2.0) event for a request.
func (e *emulator) invoke(t testing.TB, method, target string, headers map[string]string) events.APIGatewayV2HTTPResponse {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "$default", RawPath: u.Path, RawQueryString: u.RawQuery, Headers: headers,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			DomainName: "api.jcdd.example.org", Stage: "$default", RequestID: "test",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: u.Path, Protocol: "HTTP/1.1", SourceIP: "127.0.0.1"},
		},
	}
	body, _ := json.Marshal(ev)
	resp, err := http.Post(e.url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("invoking: %v\n%s", err, e.log())
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(raw, &out); err != nil || out.StatusCode == 0 {
		t.Fatalf("invoking %s %s: bad answer %s: %v\n%s", method, target, raw, err, e.log())
	}
	if out.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(out.Body)
		if err != nil {
			t.Fatal(err)
		}
		out.Body, out.IsBase64Encoded = string(b), false
	}
	return out
}

// headersThatMatter are compared between the Lambda and the local server.
var headersThatMatter = []string{"Content-Type", "ETag", "Dataset-Release", "Link", "Cache-Control", "Vary", "Allow", "Content-Disposition"}

// TestBootstrapUnderEmulator runs the real bootstrap under AWS's Lambda
// emulator against DynamoDB (dynalite) and checks that it answers every
// request exactly as the same API does in this process over the same table.
func TestBootstrapUnderEmulator(t *testing.T) {
	dynalitetest.Need(t, dynaliteURL)
	ctx := context.Background()
	c, err := dynalitetest.Client(ctx, dynaliteURL)
	if err != nil {
		t.Fatal(err)
	}
	table := fmt.Sprintf("rie-%d", os.Getpid())
	if err := dynamo.CreateTable(ctx, c, table); err != nil {
		t.Fatal(err)
	}
	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	l := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond}
	for i, r := range rels {
		if _, err := l.Load(ctx, r, i == len(rels)-1); err != nil {
			t.Fatal(err)
		}
	}
	// The same API in this process, over the same table: what differs is
	// only the Lambda path (the runtime, the adapter, API Gateway's event).
	// That the two stores answer alike is the parity test's (internal/api).
	local := api.New(api.Config{Store: dynamo.New(c, table)})
	e := startEmulator(t, "JCDD_TABLE="+table, "AWS_ENDPOINT_URL_DYNAMODB="+dynaliteURL,
		"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local", "LOG_LEVEL=warn")

	type req struct {
		method, target string
		headers        map[string]string
	}
	reqs := []req{
		{"GET", "/v1/events?type=briefing&type=report&limit=3", nil},
		{"GET", "/v1/events?q=%E9%98%B2%E8%A1%9B&sort=-occurred", nil},
		{"GET", "/v1/events?from=2020&to=2021-06&limit=4", nil},
		{"GET", "/v1/events/nsa-discovers-intrusion", nil},
		{"GET", "/v1/events/nsa-discovers-intrusion?fields=title,occurred", nil},
		{"GET", "/v1/events/no-such-event", nil},
		{"GET", "/v1/actors?country=JP&kind=person&fields=id,name", nil},
		{"GET", "/v1/actors/us-nsa/events?limit=2", nil},
		{"GET", "/v1/budgets?fiscal_year=2022&fiscal_year=2023", nil},
		{"GET", "/v1/budgets/summary?format=csv", nil},
		{"GET", "/v1/budgets/summary?stage=initial", map[string]string{"accept": "text/csv;q=0.9, application/json;q=0.5"}},
		{"GET", "/v1/programs?format=ndjson&limit=2", nil},
		{"GET", "/v1/sources?release=" + rels[0].Info.Version + "&limit=3", nil},
		{"GET", "/v1/sources?format=csv-excel&limit=2", nil},
		{"GET", "/v1/releases", nil},
		{"GET", "/v1/releases/latest", nil},
		{"GET", "/healthz", nil},
		{"GET", "/v1/events?limit=0", nil},
		{"GET", "/v1/events?cursor=forged", nil},
		{"GET", "/nope", nil},
		{"POST", "/v1/events", nil},
	}
	// Conditional requests: the ETag of a first answer, sent back.
	first := e.invoke(t, "GET", "/v1/events?limit=5", nil)
	reqs = append(reqs, req{"GET", "/v1/events?limit=5", map[string]string{"if-none-match": `"stale", ` + first.Headers["Etag"]}})
	// Paging: follow the Link header of a Lambda answer.
	if m := regexp.MustCompile(`^<([^>]+)>`).FindStringSubmatch(first.Headers["Link"]); m != nil {
		reqs = append(reqs, req{"GET", m[1], nil})
	} else {
		t.Fatalf("no Link on the first page: %v", first.Headers)
	}
	for _, r := range reqs {
		got := e.invoke(t, r.method, r.target, r.headers)
		hr := httptest.NewRequest(r.method, r.target, nil)
		for k, v := range r.headers {
			hr.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		local.ServeHTTP(rec, hr)
		name := r.method + " " + r.target
		if got.StatusCode != rec.Code {
			t.Errorf("%s: Lambda %d, local %d: %s", name, got.StatusCode, rec.Code, got.Body)
			continue
		}
		gh := http.Header{}
		for k, v := range got.Headers {
			gh.Set(k, v)
		}
		for _, h := range headersThatMatter {
			if gh.Get(h) != rec.Header().Get(h) {
				t.Errorf("%s: %s: Lambda %q, local %q", name, h, gh.Get(h), rec.Header().Get(h))
			}
		}
		if got.Body != rec.Body.String() {
			t.Errorf("%s: bodies differ:\nLambda %.300s\nlocal  %.300s", name, got.Body, rec.Body.String())
		}
		if gh.Get("X-Request-Id") == "" {
			t.Errorf("%s: no X-Request-Id", name)
		}
	}
	if first.StatusCode != 200 {
		t.Errorf("first page: %d", first.StatusCode)
	}
	// Report what the emulator measured of the function's init.
	for _, line := range strings.Split(e.log(), "\n") {
		if strings.Contains(line, "INIT REPORT") || strings.Contains(line, "Init Duration") {
			t.Log(strings.TrimSpace(line))
		}
	}
}
