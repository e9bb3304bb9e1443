package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jcdd/jcdd/internal/synth"
	"github.com/jcdd/jcdd/internal/testenv/localdb"
)

// scaleQueryNames are the filtered lists of BenchmarkScale
// (internal/api/scale_bench_test.go).
var scaleQueryNames = []string{"actor", "types-countries", "range", "range-tag-desc", "budgets", "text-miss"}

// scale measures each size over the memory store, then loads each into
// dynalite with the loader and measures it over DynamoDB.
func (r *run) scale(ctx context.Context) error {
	mem := benchResults{}
	for _, size := range r.sizes {
		env := []string{"JCDD_BENCH_SIZES=" + size}
		// Each size in processes of its own, so that peak RSS is that of
		// one size: the index build first (a few builds), then the lists.
		out, err := output(ctx, r.root, env, "go", "test", "-run", "^$", "-bench", "^BenchmarkScale$/^memory$/^"+size+"$/^build$",
			"-benchtime", "3x", "./internal/api")
		if err != nil {
			return err
		}
		parseGoBench(out, mem)
		out, err = output(ctx, r.root, env, "go", "test", "-run", "^$", "-bench",
			"^BenchmarkScale$/^memory$/^"+size+"$/^("+strings.Join(scaleQueryNames, "|")+"|actor-cached)$",
			"-benchtime", r.scaleTime, "./internal/api")
		if err != nil {
			return err
		}
		parseGoBench(out, mem)
	}
	first, last := r.sizes[0], r.sizes[len(r.sizes)-1]
	for _, size := range r.sizes {
		name := "BenchmarkScale/memory/" + size + "/build"
		ns, _ := mem.median(name, "ns/op")
		idx, _ := mem.median(name, "index-MB")
		rss, _ := mem.median(name, "peak-rss-MB")
		r.table.add(row{part: "scale memory", kase: size + " events", metric: "index build ms, index MB, peak RSS MB",
			value: fmt.Sprintf("%.0f ms, %.0f MB, %.0f MB", ns/1e6, idx, rss)})
	}
	for _, q := range append(scaleQueryNames, "actor-cached") {
		var vals []string
		for _, size := range r.sizes {
			p50, _ := mem.median("BenchmarkScale/memory/"+size+"/"+q, "p50-µs")
			p99, _ := mem.median("BenchmarkScale/memory/"+size+"/"+q, "p99-µs")
			vals = append(vals, fmt.Sprintf("%.0f/%.0f", p50, p99))
		}
		a, _ := mem.median("BenchmarkScale/memory/"+first+"/"+q, "p50-µs")
		b, _ := mem.median("BenchmarkScale/memory/"+last+"/"+q, "p50-µs")
		rw := row{part: "scale memory", kase: q, metric: "p50/p99 µs at " + strings.Join(r.sizes, ", "),
			value: strings.Join(vals, ", "), ref: "p50 " + last + " / " + first, ratio: fmt.Sprintf("%.2f×", b/a), target: "≤ 1.5×", met: yes(b/a <= 1.5)}
		if q == "text-miss" {
			rw.target, rw.met, rw.note = "", "", "substring search: no index (see README)"
		}
		if q == "actor-cached" {
			rw.target, rw.met, rw.note = "", "", "response cache"
		}
		r.table.add(rw)
	}
	return r.scaleDynamoDB(ctx)
}

var loaderRate = regexp.MustCompile(`(\d+) items written and verified in (\S+) \((\d+) items/s\)`)

// scaleDynamoDB loads each size with the loader into the shared dynalite
// and queries it.
func (r *run) scaleDynamoDB(ctx context.Context) error {
	dyn := benchResults{}
	var loaded []string
	for _, size := range r.dynamoSizes {
		ok, err := r.loadSynth(ctx, size)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		loaded = append(loaded, size)
		out2, err := output(ctx, r.root, append(r.dynEnv, "JCDD_BENCH_SIZES="+size, "JCDD_BENCH_DYNAMODB="+r.dynURL), "go", "test", "-run", "^$",
			"-bench", "^BenchmarkScale$/^dynamodb$/^"+size+"$/", "-benchtime", r.dynamoQueries, "-timeout", "60m", "./internal/api")
		if err != nil {
			return err
		}
		parseGoBench(out2, dyn)
	}
	if len(loaded) == 0 {
		return nil
	}
	first, last := loaded[0], loaded[len(loaded)-1]
	for _, q := range scaleQueryNames {
		var vals, calls, rcus []string
		for _, size := range loaded {
			name := "BenchmarkScale/dynamodb/" + size + "/" + q
			p50, _ := dyn.median(name, "p50-µs")
			p99, _ := dyn.median(name, "p99-µs")
			c, _ := dyn.median(name, "calls/op")
			mc, _ := dyn.median(name, "max-calls/op")
			rcu, _ := dyn.median(name, "RCU/op")
			vals = append(vals, fmt.Sprintf("%.1f/%.1f", p50/1000, p99/1000))
			calls = append(calls, fmt.Sprintf("%.0f (max %.0f)", c, mc))
			rcus = append(rcus, fmt.Sprintf("%.1f", rcu))
		}
		c1, _ := dyn.median("BenchmarkScale/dynamodb/"+first+"/"+q, "calls/op")
		c2, _ := dyn.median("BenchmarkScale/dynamodb/"+last+"/"+q, "calls/op")
		r.table.add(row{part: "scale dynamodb", kase: q, metric: "p50/p99 ms at " + strings.Join(loaded, ", "), value: strings.Join(vals, ", ")})
		r.table.add(row{part: "scale dynamodb", kase: q, metric: "calls/request, RCU/request", value: strings.Join(calls, ", "),
			ref: "RCU " + strings.Join(rcus, ", "), target: "same calls at every size", met: yes(c1 == c2)})
	}
	return nil
}

// loadResult is what one run of the loader measured.
type loadResult struct {
	items, took, rate string // as the loader reports them
	wall              time.Duration
	rssMB             float64
	stopped           bool // stopped at -loader-max-rss
}

// runLoader runs the loader (jcdd load) on a release directory, watching its
// memory: the loader holds a release's items in memory, and a release too
// large for this machine must not take others' memory with it.
func (r *run) runLoader(ctx context.Context, env []string, url, table string, loadArgs ...string) (*loadResult, error) {
	cmd := exec.CommandContext(ctx, r.loaderBin, append([]string{"load", "--endpoint", url, "--table", table}, loadArgs...)...)
	cmd.Env = append(os.Environ(), env...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	res := &loadResult{}
	start := time.Now()
	peak, stopped, err := runWatched(cmd, r.loaderMaxRSS)
	res.rssMB, res.stopped, res.wall = peak, stopped, time.Since(start)
	if stopped {
		return res, nil
	}
	if err != nil {
		return nil, fmt.Errorf("loader: %w\n%s", err, out.String())
	}
	m := loaderRate.FindStringSubmatch(out.String())
	if m == nil {
		return nil, fmt.Errorf("loader said:\n%s", out.String())
	}
	res.items, res.took, res.rate = m[1], m[2], m[3]
	return res, nil
}

// runWatched runs cmd (in a process group of its own) to its end, and
// returns its peak resident set in MB, polled from /proc every 100 ms. A
// process past maxMB (0: no limit) is killed, and stopped is set.
//
// The peak is the process's own high-water mark (VmHWM), not the rusage
// that wait returns: Go starts a child sharing its parent's memory until it
// execs, and Linux counts that memory in the child's maxrss, so a bench
// holding a synthetic release would have the loader's peak be its own.
func runWatched(cmd *exec.Cmd, maxMB float64) (peakMB float64, stopped bool, err error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // the kill reaches its children too
	if err := cmd.Start(); err != nil {
		return 0, false, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return peakMB, false, err
		case <-tick.C:
			peakMB = max(peakMB, procPeakRSS(cmd.Process.Pid))
			if maxMB > 0 && peakMB > maxMB {
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				<-done //nolint:errcheck // the exit error is the kill's own
				return peakMB, true, nil
			}
		}
	}
}

// procPeakRSS is a process's peak resident set so far (VmHWM), in MB (0
// when unknown).
func procPeakRSS(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// startDynalite starts the dynalite that the DynamoDB parts share, on disk
// (the largest release does not fit in its memory), once.
func (r *run) startDynalite() error {
	if r.dynURL != "" {
		return nil
	}
	dir := filepath.Join(r.tmp, "dynalite")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	port, err := localdb.FreePort()
	if err != nil {
		return err
	}
	bin := filepath.Join(r.root, "tools", "node_modules", ".bin", "dynalite")
	log := filepath.Join(r.tmp, "dynalite.log")
	if _, err := r.procs.start(log, nil, bin, "--host", "127.0.0.1", "--port", strconv.Itoa(port), "--path", dir,
		"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"); err != nil {
		return err
	}
	if err := waitPort(port, 15*time.Second); err != nil {
		return fmt.Errorf("%w\n%s", err, tail(log, 20))
	}
	r.dynURL = fmt.Sprintf("http://127.0.0.1:%d", port)
	r.dynEnv = []string{"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local"}
	r.dynLoaded = map[string]bool{}
	return nil
}

// loadSynth loads the synthetic release of a size into table
// jcdd-bench-<size> of the shared dynalite with the loader, once, and adds
// the load's rate to the table. ok is false when the loader was stopped at
// -loader-max-rss.
func (r *run) loadSynth(ctx context.Context, size string) (ok bool, err error) {
	if err := r.startDynalite(); err != nil {
		return false, err
	}
	if done, seen := r.dynLoaded[size]; seen {
		return done, nil
	}
	table := "jcdd-bench-" + size
	rel := synth.Generate(synth.Options{Events: sizeEvents(size), Seed: synth.BenchSeed})
	relDir := filepath.Join(r.tmp, "release-"+size)
	defer func() { _ = os.RemoveAll(relDir) }()
	fmt.Fprintf(os.Stderr, "bench: writing the %s release\n", size)
	if err := synth.WriteDir(rel, relDir); err != nil {
		return false, err
	}
	if _, err := output(ctx, r.root, r.dynEnv, r.loaderBin, "create-table", "--endpoint", r.dynURL, "--table", table); err != nil {
		return false, err
	}
	fmt.Fprintf(os.Stderr, "bench: loading the %s release into dynalite\n", size)
	load, err := r.runLoader(ctx, r.dynEnv, r.dynURL, table, "--dir", relDir)
	if err != nil {
		return false, err
	}
	r.dynLoaded[size] = !load.stopped
	if load.stopped {
		r.table.add(row{part: "loader", kase: size + " events", metric: "items/s into dynalite, peak RSS",
			value: fmt.Sprintf("stopped at %.0f MB RSS", load.rssMB), ref: fmt.Sprintf("after %s", load.wall.Round(time.Second)),
			note: "the loader holds a release's items in memory (see docs/performance.md); raise -loader-max-rss to run it"})
		return false, nil
	}
	r.table.add(row{part: "loader", kase: size + " events", metric: "items/s into dynalite, peak RSS",
		value: fmt.Sprintf("%s items/s, %.0f MB", load.rate, load.rssMB),
		ref:   fmt.Sprintf("%s items in %s (%s with parsing)", load.items, load.took, load.wall.Round(time.Second))})
	return true, nil
}
