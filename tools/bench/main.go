// Command bench runs every benchmark of the API on this machine and prints
// one table of medians and of ratios measured side by side in the same run
// (these machines are noisy: absolute numbers alone mean little). make bench
// runs it after installing what it needs (wrk and nginx-light from Debian,
// json-server and dynalite from npm, the Lambda emulator from the Go module
// proxy).
//
//	go run ./tools/bench [-parts inproc,http,lambda,scale,cost] [-sizes 1k,10k,100k] [-md FILE]
//	go run ./tools/bench synth -events 100000 -dir DIR   write a synthetic release, for the loader
//
// Parts:
//
//	inproc  the handler benchmarks of internal/api (go test -bench Handler):
//	        each request beside a limit handler on the same mux that writes
//	        the same bytes, cached and first (uncached)
//	http    the same requests over loopback with wrk: the API as make run
//	        serves it, nginx serving the same bytes as files, and json-server
//	        0.17.4 over the same events with the closest equivalent query
//	lambda  cold starts of the bootstrap under aws-lambda-rie (go test -bench
//	        ColdStart in functions/api); warm invocations of the bootstrap
//	        with API Gateway events beside two bare aws-lambda-go handlers
//	        (tools/bench/floor: the same response precomputed, and the same
//	        DynamoDB read), for a repeated and for varied requests
//	        (warm.go); and the arm64 bootstrap sizes (make build)
//	scale   synthetic releases of each size (internal/synth): the memory
//	        store's index build, peak RSS and filtered-list latency; each
//	        size loaded into dynalite by the loader (items/s, peak RSS), and
//	        the same lists over DynamoDB with their calls and read capacity
//	cost    the read units, bytes and handler time of each request of a
//	        realistic mix (BenchmarkCostMix in internal/api) on the newest
//	        published release and on synthetic releases (-cost-sizes), in
//	        dynalite, and the cost per million requests derived from them
//	        (cost.go), written to docs/cost.md (-cost-md)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jcdd/jcdd/internal/synth"
)

type run struct {
	root, tmp     string
	apiBin        string
	loaderBin     string
	procs         procs
	closers       []func() error
	parts         []string
	sizes         []string
	dynamoSizes   []string
	loaderMaxRSS  float64 // MB
	count         int
	rounds        int
	wrkDuration   time.Duration
	coldStarts    int
	warm          int
	scaleTime     string
	dynamoQueries string
	costSizes     []string
	costQueries   string
	costMD        string
	costFrom      string
	table         table

	// The dynalite of the DynamoDB parts (scale, cost), started by the
	// first that needs it, and the synthetic sizes loaded into it (false:
	// the loader was stopped at -loader-max-rss).
	dynURL    string
	dynEnv    []string
	dynLoaded map[string]bool
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "synth" {
		if err := synthCmd(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench synth:", err)
			os.Exit(1)
		}
		return
	}
	r := &run{}
	parts := flag.String("parts", "inproc,http,lambda,scale,cost", "which parts to run")
	sizes := flag.String("sizes", "1k,10k,100k", "synthetic release sizes, in events, for the memory store")
	dynamoSizes := flag.String("dynamo-sizes", "1k,10k,100k", "synthetic release sizes loaded into dynalite (the loader peaks at about 220 MB of RSS at 20k events and 480 MB at 100k: see docs/performance.md and -loader-max-rss)")
	flag.Float64Var(&r.loaderMaxRSS, "loader-max-rss", 8192, "stop the loader if its resident memory exceeds this many MB (0: never)")
	md := flag.String("md", "", "also write the table as Markdown to this file")
	flag.IntVar(&r.count, "count", 5, "runs of each in-process benchmark (the table shows medians)")
	flag.IntVar(&r.rounds, "rounds", 3, "rounds of wrk runs (the table shows medians)")
	flag.DurationVar(&r.wrkDuration, "duration", 5*time.Second, "length of each wrk run")
	flag.IntVar(&r.coldStarts, "cold", 20, "cold starts under the Lambda emulator")
	flag.IntVar(&r.warm, "warm", 300, fmt.Sprintf("warm invocations of each function in each case under the Lambda emulator (%d to %d)", minWarm, maxWarm))
	flag.StringVar(&r.scaleTime, "scale-time", "2s", "benchtime of each memory-store scale benchmark")
	flag.StringVar(&r.dynamoQueries, "dynamo-queries", "40x", "benchtime of each DynamoDB scale benchmark")
	costSizes := flag.String("cost-sizes", "100k", "synthetic release sizes whose request mix the cost part measures, beside the newest published release (\"\": that release only)")
	flag.StringVar(&r.costQueries, "cost-queries", "10x", "benchtime of each request of the cost part's mix (the warm handler time is their median)")
	flag.StringVar(&r.costFrom, "cost-from", "", "the cost part prices a saved output of BenchmarkCostMix (make bench keeps the last in "+costRaw+") instead of measuring")
	flag.StringVar(&r.costMD, "cost-md", "docs/cost.md", "where the cost part writes the cost model, from the repository root (\"\": nowhere)")
	flag.Parse()
	if *costSizes != "" {
		r.costSizes = strings.Split(*costSizes, ",")
	}
	r.parts, r.sizes, r.dynamoSizes = strings.Split(*parts, ","), strings.Split(*sizes, ","), strings.Split(*dynamoSizes, ",")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := r.main(ctx)
	r.procs.stopAll()
	for _, c := range r.closers {
		_ = c()
	}
	if r.tmp != "" {
		_ = os.RemoveAll(r.tmp)
	}
	if len(r.table.rows) > 0 {
		fmt.Println()
		if perr := r.table.print(os.Stdout); perr != nil && err == nil {
			err = perr
		}
		if *md != "" {
			if werr := os.WriteFile(*md, []byte(r.table.markdown()), 0o644); werr != nil && err == nil {
				err = werr
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func (r *run) main(ctx context.Context) error {
	var err error
	if r.root, err = repoRoot(); err != nil {
		return err
	}
	if r.tmp, err = os.MkdirTemp("", "jcdd-bench-"); err != nil {
		return err
	}
	r.apiBin, r.loaderBin = filepath.Join(r.tmp, "api"), filepath.Join(r.tmp, "loader")
	for bin, pkg := range map[string]string{r.apiBin: "./functions/api", r.loaderBin: "./tools/jcdd"} {
		if _, err := output(ctx, r.root, nil, "go", "build", "-o", bin, pkg); err != nil {
			return err
		}
	}
	r.table.header = fmt.Sprintf("jcdd benchmarks, %s, %s", time.Now().UTC().Format("2006-01-02"), machine())
	for _, p := range r.parts {
		start := time.Now()
		fmt.Fprintf(os.Stderr, "bench: %s...\n", p)
		switch p {
		case "inproc":
			err = r.inproc(ctx)
		case "http":
			err = r.http(ctx)
		case "lambda":
			err = r.lambda(ctx)
		case "scale":
			err = r.scale(ctx)
		case "cost":
			err = r.cost(ctx)
		default:
			err = fmt.Errorf("unknown part %q", p)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		fmt.Fprintf(os.Stderr, "bench: %s done in %s\n", p, time.Since(start).Round(time.Second))
	}
	return nil
}

// machine describes the CPU, which the table's numbers depend on.
func machine() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	model, n := "", 0
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "model name"); ok && model == "" {
			model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
		if strings.HasPrefix(line, "processor") {
			n++
		}
	}
	return fmt.Sprintf("%d × %s", n, model)
}

// inproc runs the handler benchmarks.
func (r *run) inproc(ctx context.Context) error {
	out, err := output(ctx, r.root, nil, "go", "test", "-run", "^$", "-bench", "^BenchmarkHandler$", "-benchmem",
		"-count", fmt.Sprint(r.count), "./internal/api")
	if err != nil {
		return err
	}
	res := benchResults{}
	parseGoBench(out, res)
	for _, c := range []string{"events", "filtered", "event", "summary", "csv"} {
		limit, ok := res.median("BenchmarkHandler/"+c+"/limit", "ns/op")
		if !ok {
			return fmt.Errorf("no result for %s", c)
		}
		for _, mode := range []struct{ name, target string }{{"cached", "≥ 0.5×"}, {"first", "≥ 0.2× (within 5×)"}} {
			ns, _ := res.median("BenchmarkHandler/"+c+"/"+mode.name, "ns/op")
			allocs, _ := res.median("BenchmarkHandler/"+c+"/"+mode.name, "allocs/op")
			ratio := limit / ns
			min := 0.5
			if mode.name == "first" {
				min = 0.2
			}
			rw := row{
				part: "in-process", kase: c, metric: mode.name + " req/s (allocs/op)",
				value: fmt.Sprintf("%s (%.0f)", rate(ns), allocs), ref: "limit " + rate(limit),
				ratio: fmt.Sprintf("%.2f×", ratio), target: mode.target, met: yes(ratio >= min),
			}
			r.table.add(rw)
		}
	}
	return nil
}

// rate formats ns/op as requests per second.
func rate(nsPerOp float64) string {
	return humanCount(1e9 / nsPerOp)
}

func humanCount(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%.0fk", v/1e3)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "NO"
}

// http runs the loopback comparison.
func (r *run) http(ctx context.Context) error {
	s, err := r.startServers(ctx)
	if err != nil {
		return err
	}
	res, err := r.measureHTTP(ctx, s)
	if err != nil {
		return err
	}
	varied, repeated, err := r.measureVaried(ctx, s)
	if err != nil {
		return err
	}
	rates := func(ws []wrkResult) float64 {
		var a []float64
		for _, w := range ws {
			a = append(a, w.rps)
		}
		return median(a)
	}
	v, rep := rates(varied), rates(repeated)
	r.table.add(row{part: "loopback", kase: "varied", metric: "req/s, a new query each (from, limit, fields, format)", value: humanCount(v),
		ref: "one repeated query " + humanCount(rep), ratio: fmt.Sprintf("%.2f×", v/rep), target: "≥ 0.5×", met: yes(v/rep >= 0.5),
		note: "every varied request misses the response cache"})
	for _, c := range httpCases {
		med := func(server string) (rps, p99 float64) {
			var a, b []float64
			for _, w := range res[c.name][server] {
				a, b = append(a, w.rps), append(b, w.p99ms)
			}
			return median(a), median(b)
		}
		api, apiP99 := med("jcdd")
		ngx, ngxP99 := med("nginx")
		gs, _ := med("go-static")
		js, jsP99 := med("json-server")
		r.table.add(row{part: "loopback", kase: c.name, metric: "req/s vs nginx (same bytes)", value: humanCount(api),
			ref: "nginx " + humanCount(ngx), ratio: fmt.Sprintf("%.2f×", api/ngx), target: "≥ 0.6×", met: yes(api/ngx >= 0.6),
			note: fmt.Sprintf("bare Go net/http, same answer: %s = %.2f× nginx", humanCount(gs), gs/ngx)})
		r.table.add(row{part: "loopback", kase: c.name, metric: "req/s vs bare Go net/http", value: humanCount(api),
			ref: "net/http " + humanCount(gs), ratio: fmt.Sprintf("%.2f×", api/gs)})
		r.table.add(row{part: "loopback", kase: c.name, metric: "req/s vs json-server", value: humanCount(api),
			ref: "json-server " + humanCount(js), ratio: fmt.Sprintf("%.1f×", api/js), target: "≥ 5×", met: yes(api/js >= 5), note: c.note})
		r.table.add(row{part: "loopback", kase: c.name, metric: "p99 ms (nginx / json-server)", value: fmt.Sprintf("%.2f", apiP99),
			ref: fmt.Sprintf("%.2f / %.2f", ngxP99, jsP99), ratio: fmt.Sprintf("%.2f×", apiP99/jsP99), target: "< json-server", met: yes(apiP99 < jsP99)})
	}
	return nil
}

// lambda runs the cold starts and measures the bootstrap sizes.
func (r *run) lambda(ctx context.Context) error {
	out, err := output(ctx, r.root, nil, "go", "test", "-run", "^$", "-bench", "^BenchmarkColdStart$",
		"-benchtime", fmt.Sprintf("%dx", r.coldStarts), "./functions/api")
	if err != nil {
		return err
	}
	res := benchResults{}
	parseGoBench(out, res)
	initMs, ok1 := res.median("BenchmarkColdStart", "init-ms")
	first, ok2 := res.median("BenchmarkColdStart", "first-200-ms")
	bare, ok3 := res.median("BenchmarkColdStart", "floor-init-ms")
	sdk, ok4 := res.median("BenchmarkColdStart", "sdk-floor-init-ms")
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return fmt.Errorf("no cold start measured:\n%s", out)
	}
	cold := fmt.Sprintf("median of %d; floors in the same run: bare aws-lambda-go %.1f, with the AWS SDK's DynamoDB client %.1f", r.coldStarts, bare, sdk)
	r.table.add(row{part: "lambda", kase: "cold start", metric: "init duration (emulator), ms", value: fmt.Sprintf("%.1f", initMs),
		ref: cold, target: "< 20 ms", met: yes(initMs < 20)})
	r.table.add(row{part: "lambda", kase: "cold start", metric: "init over the SDK floor, ms", value: fmt.Sprintf("%.1f", initMs-sdk), ref: cold})
	r.table.add(row{part: "lambda", kase: "cold start", metric: "process start → first 200, ms", value: fmt.Sprintf("%.1f", first), ref: cold})
	if err := r.lambdaWarm(ctx); err != nil {
		return err
	}
	out, err = output(ctx, r.root, nil, "make", "--no-print-directory", "build")
	if err != nil {
		return err
	}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[2] == "bytes" {
			n, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return fmt.Errorf("bootstrap size in %q: %w", line, err)
			}
			rw := row{part: "lambda", kase: "bootstrap " + f[0], metric: "arm64 size, MB (MiB)",
				value: fmt.Sprintf("%.2f (%.2f)", n/1e6, n/(1<<20))}
			if f[0] == "api" {
				rw.target, rw.met = "< 12 MB", yes(n < 12e6)
			}
			r.table.add(rw)
		}
	}
	return nil
}

// lambdaWarm measures warm invocations against their floors.
func (r *run) lambdaWarm(ctx context.Context) error {
	dir := filepath.Join(r.tmp, "warm")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	res, err := measureWarm(ctx, r.root, dir, &r.procs, r.warm, os.Stderr)
	if err != nil {
		return fmt.Errorf("warm invocations: %w", err)
	}
	for _, rw := range res.rows() {
		r.table.add(rw)
	}
	return nil
}

// sizeEvents parses a size such as 10k.
func sizeEvents(s string) int {
	n, err := strconv.Atoi(strings.TrimSuffix(s, "k"))
	if err != nil {
		return 0
	}
	if strings.HasSuffix(s, "k") {
		n *= 1000
	}
	return n
}

// synthCmd writes a synthetic release into a directory.
func synthCmd(args []string) error {
	fs := flag.NewFlagSet("synth", flag.ContinueOnError)
	n := fs.Int("events", 1000, "number of events")
	seed := fs.Uint64("seed", synth.BenchSeed, "seed")
	version := fs.String("version", "1.0.0", "release version")
	dir := fs.String("dir", "", "directory to write the release files into")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("give -dir")
	}
	return synth.WriteDir(synth.Generate(synth.Options{Events: *n, Seed: *seed, Version: *version}), *dir)
}
