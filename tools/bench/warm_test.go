package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/internal/testenv/dynalite"
)

// BenchmarkLambdaWarm runs the lambda part's warm measurement (warm.go)
// with a few invocations (JCDD_BENCH_WARM, default 20) of each function in
// each case, whatever b.N: make bench-smoke runs it once so that the path
// make bench takes — the bootstrap and both floors under the emulator, over
// dynalite, with their answers checked — is exercised by CI. make bench
// measures with -warm invocations (300 by default).
func BenchmarkLambdaWarm(b *testing.B) {
	n := 20
	if s := os.Getenv("JCDD_BENCH_WARM"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatalf("JCDD_BENCH_WARM=%q: %v", s, err)
		}
	}
	root, err := repoRoot()
	if err != nil {
		b.Fatal(err)
	}
	need(b, filepath.Join(root, "tools", "bin", "aws-lambda-rie"), "the Lambda emulator (make rie)")
	if _, err := dynalite.Bin(); errors.Is(err, dynalite.ErrMissing) {
		need(b, "", err.Error())
	}
	var ps procs
	defer ps.stopAll()
	var res *warmResult
	for b.Loop() {
		if res, err = measureWarm(context.Background(), root, warmDir(b), &ps, n, os.Stderr); err != nil {
			b.Fatal(err)
		}
	}
	if len(res.repeatedAPI) != n || len(res.repeatedFloor) != n || len(res.variedAPI) != n || len(res.variedFloor) != n {
		b.Fatalf("measured %d, %d, %d and %d invocations, want %d each",
			len(res.repeatedAPI), len(res.repeatedFloor), len(res.variedAPI), len(res.variedFloor), n)
	}
	if res.variedEmpty == n {
		b.Errorf("every varied page was empty: the floors were not compared on reads")
	}
	rows := res.rows()
	if len(rows) != 4 || rows[0].target == "" || rows[2].target == "" {
		b.Errorf("rows: %+v", rows)
	}
	for _, r := range rows {
		b.Logf("%s: %s ms, %s, ratio %s (target %s)", r.kase, r.value, r.ref, r.ratio, r.target)
	}
	b.ReportMetric(percentile(res.repeatedAPI, 50), "repeated-p50-ms")
	b.ReportMetric(percentile(res.repeatedFloor, 50), "floor-a-p50-ms")
	b.ReportMetric(percentile(res.variedAPI, 50), "varied-p50-ms")
	b.ReportMetric(percentile(res.variedFloor, 50), "floor-b-p50-ms")
}

// need skips without a tool that a local run may lack, and fails under CI,
// where a missing tool would hide an untested path.
func need(b *testing.B, path, what string) {
	b.Helper()
	if path != "" {
		if _, err := os.Stat(path); err == nil {
			return
		}
	}
	if os.Getenv("CI") != "" {
		b.Fatalf("%s is missing", what)
	}
	b.Skipf("%s is missing", what)
}

func TestPercentile(t *testing.T) {
	v := []float64{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	for _, c := range []struct{ p, want float64 }{{50, 5}, {90, 9}, {100, 10}, {0, 1}, {1, 1}} {
		if got := percentile(v, c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if percentile(nil, 50) != 0 {
		t.Error("percentile of nothing")
	}
}

func TestVariedTargets(t *testing.T) {
	ts := variedTargets(200, 1)
	seen := map[string]bool{}
	for _, s := range ts {
		if seen[s] {
			t.Errorf("%s twice: a repeated request would hit the response cache", s)
		}
		seen[s] = true
		if !strings.HasPrefix(s, "/v1/events?from=") || !strings.Contains(s, "&limit=") {
			t.Errorf("target %s", s)
		}
	}
	if len(ts) != 200 || strings.Join(variedTargets(200, 1), " ") != strings.Join(ts, " ") {
		t.Error("not 200 targets, or not the same for the same seed")
	}
}

// warmDir is the scratch directory: JCDD_BENCH_WARM_DIR keeps the
// emulators' logs for a look after the run.
func warmDir(b *testing.B) string {
	if d := os.Getenv("JCDD_BENCH_WARM_DIR"); d != "" {
		return d
	}
	return b.TempDir()
}

// The emulator's and the API's output, as they write it (lines from a run).
func TestWarmLogs(t *testing.T) {
	log := filepath.Join(t.TempDir(), "api.log")
	out := `02 Dec 2026 08:51:26,676 [INFO] (rapid) INIT REPORT(durationMs: 185.531000)
START RequestId: dfcd7d5d-3cd4-4da4-a219-c155f5857833 Version: $LATEST
REPORT RequestId: dfcd7d5d-3cd4-4da4-a219-c155f5857833	Init Duration: 0.06 ms	Duration: 430.68 ms	Billed Duration: 431 ms	Memory Size: 3008 MB	Max Memory Used: 3008 MB	
{"time":"2026-12-02T08:51:31.767553149Z","level":"INFO","msg":"request","request_id":"9bf3","method":"GET","path":"/v1/events","status":200,"bytes":13812,"duration":117644192}
{"time":"2026-12-02T08:51:31.767553149Z","level":"WARN","msg":"something else","duration":5}
REPORT RequestId: 7501c91c-c500-4184-9797-de53de517be7	Duration: 24.82 ms	Billed Duration: 25 ms	Memory Size: 3008 MB	Max Memory Used: 3008 MB	
`
	if err := os.WriteFile(log, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := reportDurations(log)
	if err != nil || len(rep) != 2 || rep[0] != 430.68 || rep[1] != 24.82 {
		t.Errorf("REPORT durations %v, %v", rep, err)
	}
	req, err := requestDurations(log)
	if err != nil || len(req) != 1 || req[0] != 117.644192 {
		t.Errorf("request durations %v, %v", req, err)
	}
}

func TestWarmBounds(t *testing.T) {
	for _, n := range []int{minWarm - 1, maxWarm + 1} {
		if _, err := measureWarm(context.Background(), "", t.TempDir(), &procs{}, n, io.Discard); err == nil || !strings.Contains(err.Error(), "warm invocations") {
			t.Errorf("%d invocations: %v", n, err)
		}
	}
}
