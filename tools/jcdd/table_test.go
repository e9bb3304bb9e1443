package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

var dynaliteURL string

func TestMain(m *testing.M) { os.Exit(dynalitetest.Main(m, &dynaliteURL)) }

func newTable(t *testing.T) string { return dynalitetest.Table(t, dynaliteURL, "loader") }

// motoFlags makes the loader write one batch at a time on moto
// (JCDD_DYNAMODB=moto), which loses writes under concurrent batches.
func motoFlags() []string {
	if dynalitetest.Moto() {
		return []string{"--concurrency", "1"}
	}
	return nil
}

// cli runs a table command in-process: args[0] with the flags that name
// the table, then the rest of args.
func cli(t *testing.T, table string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := run(ctx, tableArgs(table, []string{"--delete-grace", "1ms"}, args...), &out, io.Discard)
	return out.String(), err
}

// tableArgs are the arguments of the table command args[0] on table, with
// flags and then the rest of args.
func tableArgs(table string, flags []string, args ...string) []string {
	a := append([]string{args[0], "--table", table, "--endpoint", dynaliteURL}, flags...)
	return append(append(a, motoFlags()...), args[1:]...)
}

// writeRelease writes a release's files to a directory, with another
// version number. The tests give the working copy versions below
// dataset.BilingualSince: a release is validated by the rules of its version,
// and these tests are about loading, not about how much of the working copy
// is in Japanese yet.
func writeRelease(t *testing.T, fsys fs.FS, version string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range dataset.Files {
		b, err := fs.ReadFile(fsys, f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "release.yaml" {
			b = regexp.MustCompile(`(?m)^version: .*$`).ReplaceAll(b, []byte("version: "+version))
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBadInput(t *testing.T) {
	table := newTable(t)
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "events.yaml"), []byte("- id: Not_Kebab\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"load", "--dir", broken}, "not a valid release"},
		{[]string{"activate", "4.5.6"}, "release 4.5.6 is not in the table"},
		{[]string{"activate"}, "give exactly one release version"},
		{[]string{"delete", "4.5.6"}, "release 4.5.6 is not in the table"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"load", "--bogus"}, "flag provided but not defined"},
	}
	for _, tc := range cases {
		_, err := cli(t, table, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") && tc.want != "unknown command" {
			t.Errorf("%v: err = %v, want one line with %q", tc.args, err, tc.want)
		}
	}
	// Nothing was written by the failed load.
	out, err := cli(t, table, "list")
	if err != nil || strings.TrimSpace(out) != "no releases" {
		t.Errorf("after a failed load, list = %q, %v", out, err)
	}
	if err := run(context.Background(), []string{"list"}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "no table") {
		t.Errorf("without a table: %v", err)
	}
	start := time.Now()
	err = run(context.Background(), []string{"list", "--table", "x", "--endpoint", "http://127.0.0.1:1"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "connection refused") || strings.Contains(err.Error(), "\n") {
		t.Errorf("unreachable endpoint: %v", err)
	}
	if time.Since(start) > 20*time.Second {
		t.Errorf("unreachable endpoint took %s to fail", time.Since(start))
	}
}

func TestLoadActivateListDelete(t *testing.T) {
	table := newTable(t)
	v1, _ := storetest.Fixture(t)
	dir := writeRelease(t, dataset.WorkingFS(), "1.1.1")
	out, err := cli(t, table, "load", "--dir", dir)
	if err != nil || !strings.Contains(out, "loaded release 1.1.1:") || !strings.Contains(out, "now current (previous: none)") {
		t.Fatalf("load: %q, %v", out, err)
	}
	if !strings.Contains(out, "write: ") || !strings.Contains(out, "verify: ") {
		t.Errorf("no progress lines when not on a terminal: %q", out)
	}
	out, err = cli(t, table, "load", "--dir", dir)
	if err != nil || !strings.Contains(out, "already loaded") {
		t.Errorf("second load: %q, %v", out, err)
	}
	c, _ := dynalitetest.Client(context.Background(), dynaliteURL)
	if _, err := (&publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond}).Load(context.Background(), v1, false); err != nil {
		t.Fatal(err)
	}
	out, err = cli(t, table, "activate", "1.0.0")
	if err != nil || out != "activated 1.0.0 (previous: 1.1.1)\n" {
		t.Errorf("activate: %q, %v", out, err)
	}
	out, err = cli(t, table, "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 3 || !strings.HasPrefix(lines[1], "1.1.1 ") || !strings.Contains(lines[2], " * ") {
		t.Errorf("list: %q, %v", out, err)
	}
	if _, err := cli(t, table, "delete", "1.0.0"); err == nil {
		t.Error("deleted the current release")
	}
	out, err = cli(t, table, "delete", "1.1.1")
	if err != nil || !strings.HasPrefix(out, "deleted 1.1.1") {
		t.Errorf("delete: %q, %v", out, err)
	}
}

// TestKilledMidLoad builds jcdd, starts its load on a large release and
// kills it with SIGKILL at random points while readers read; the previous
// release must stay current and whole, no reader may see a partial
// release, and re-running the loader must complete.
func TestKilledMidLoad(t *testing.T) {
	table := newTable(t)
	bin := filepath.Join(t.TempDir(), "loader")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the loader: %v\n%s", err, out)
	}
	ctx := context.Background()
	c, _ := dynalitetest.Client(ctx, dynaliteURL)
	// Deleting waits for the readers' metadata caches (here 0) and their
	// requests in flight.
	l := &publish.Loader{C: c, Table: table, DeleteGrace: 200 * time.Millisecond}
	v1, _ := storetest.Fixture(t)
	if _, err := l.Load(ctx, v1, true); err != nil {
		t.Fatal(err)
	}
	big, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := writeRelease(t, dataset.WorkingFS(), "1.1.9")
	big.Info.Version = "1.1.9"
	want := map[string]map[string]string{"1.0.0": eventJSON(v1), "1.1.9": eventJSON(big)}

	// Readers: the API over the same table, on loopback, under a steady
	// load, reading the first page of events over and over. Every answer
	// must be a 200 whose items all come, whole, from the one complete
	// release its Dataset-Release header names — or a 504: the API's own
	// deadline (api.DefaultRequestTimeout) expired while the table was busy
	// with the loader's writes. A timeout is not a wrong answer (a client
	// retries it), so the two are counted apart and only wrong answers fail
	// the test.
	s := dynamo.New(c, table, dynamo.WithCacheTTL(0))
	srv := httptest.NewServer(api.New(api.Config{Store: s}))
	defer srv.Close()
	active := map[string]int{"1.0.0": activeEvents(v1), "1.1.9": activeEvents(big)}
	var stop atomic.Bool
	var pages, timeouts, wrong atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				switch msg, timeout := readPage(srv.URL+"/v1/events?limit=100", want, active); {
				case timeout:
					timeouts.Add(1)
				case msg != "":
					if wrong.Add(1) <= 5 {
						t.Error(msg)
					}
				}
				pages.Add(1)
			}
		}()
	}
	loaderArgs := tableArgs(table, nil, "load", "--dir", dir)
	// Time one uninterrupted run, then kill runs at points spread over that
	// time: early and late in the writes, during verification, and around
	// activation.
	// The runs are timed from the state every trial starts in (1.0.0
	// current, 1.1.9 absent); the first run also warms caches, so the
	// second one is the measure.
	var full time.Duration
	for range 2 {
		start := time.Now()
		if out, err := exec.Command(bin, loaderArgs...).CombinedOutput(); err != nil {
			t.Fatalf("uninterrupted run: %v\n%s", err, out)
		}
		full = time.Since(start)
		if _, err := l.Activate(ctx, "1.0.0"); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Delete(ctx, "1.1.9"); err != nil {
			t.Fatal(err)
		}
	}
	for trial, frac := range []float64{0.15, 0.45, 0.75, 0.9, 1.0} {
		after := time.Duration(frac * float64(full))
		cmd := exec.Command(bin, loaderArgs...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(after)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		werr := cmd.Wait()
		states, _ := l.List(ctx)
		cur, err := s.Release(ctx, "")
		if err != nil {
			t.Fatalf("trial %d: no current release after the kill: %v", trial, err)
		}
		t.Logf("trial %d: killed after %s of a %s load (%v); current %s; releases %v", trial, after.Round(time.Millisecond), full.Round(time.Millisecond), werr, cur.Version, summarize(states))
		if cur.Version == "1.0.0" {
			if _, err := s.Release(ctx, "1.1.9"); err == nil && !completed(states, "1.1.9") {
				t.Errorf("trial %d: an incomplete release is served", trial)
			}
		}
		// Re-running completes and activates the new release.
		out, err := exec.Command(bin, loaderArgs...).CombinedOutput()
		if err != nil {
			t.Fatalf("trial %d: re-run failed: %v\n%s", trial, err, out)
		}
		if cur, _ := s.Release(ctx, ""); cur.Version != "1.1.9" {
			t.Fatalf("trial %d: after the re-run the current release is %s", trial, cur.Version)
		}
		// Back to the starting point for the next trial.
		if _, err := l.Activate(ctx, "1.0.0"); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Delete(ctx, "1.1.9"); err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	right := pages.Load() - timeouts.Load() - wrong.Load()
	t.Logf("readers: %d pages read over HTTP during the trials: %d right, %d timeouts (504: the API's %s deadline), %d wrong answers",
		pages.Load(), right, timeouts.Load(), api.DefaultRequestTimeout, wrong.Load())
	if wrong.Load() != 0 || right == 0 {
		t.Errorf("readers: %d wrong answers (errors other than 504, or partial or mixed pages) and %d right of %d pages", wrong.Load(), right, pages.Load())
	}
}

// readPage reads one page of events over HTTP and says what is wrong with
// it, if anything: a status other than 200, or items that are not exactly
// the first page of one complete release. timeout reports a 504 problem:
// the API's deadline, not a wrong answer.
func readPage(url string, want map[string]map[string]string, active map[string]int) (msg string, timeout bool) {
	resp, err := http.Get(url)
	if err != nil {
		return err.Error(), false
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusGatewayTimeout && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		return fmt.Sprintf("%s → 504: %s", url, body), true
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Sprintf("%s → %d: %s", url, resp.StatusCode, body), false
	}
	rel := resp.Header.Get("Dataset-Release")
	var page struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return err.Error(), false
	}
	if n := min(100, active[rel]); len(page.Items) != n {
		return fmt.Sprintf("release %s: %d items, want %d (a partial release)", rel, len(page.Items), n), false
	}
	for _, raw := range page.Items {
		var id struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(raw, &id)
		if want[rel][id.ID] != string(raw) {
			return fmt.Sprintf("release %s: event %s differs from the release", rel, id.ID), false
		}
	}
	return "", false
}

func activeEvents(r *dataset.Release) int {
	n := 0
	for _, e := range r.Events {
		if !e.Withdrawn() {
			n++
		}
	}
	return n
}

func eventJSON(r *dataset.Release) map[string]string {
	out := map[string]string{}
	for _, e := range r.Events {
		b, _ := json.Marshal(e)
		out[e.ID] = string(b)
	}
	return out
}

func summarize(states []publish.ReleaseState) []string {
	var out []string
	for _, s := range states {
		out = append(out, s.Version+":"+s.State)
	}
	return out
}

func completed(states []publish.ReleaseState, version string) bool {
	for _, s := range states {
		if s.Version == version {
			return s.State == "complete"
		}
	}
	return false
}
