package main

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The cost model: what a million requests cost on the deployed stack
// (infra/template.yaml), from the read units, bytes and handler time
// measured for each request of the mix of BenchmarkCostMix
// (internal/api/costmix_bench_test.go), the function's configured memory,
// and list prices. Every viewer request costs CloudFront's request and
// transfer price; a request the edge does not answer (a share 1 − h, h the
// edge's hit ratio) also costs the HTTP API, a Lambda invocation, its
// duration, its DynamoDB reads and its log lines.

// price is one list price and where it was read.
type price struct {
	usd    float64
	unit   string
	source string
}

// costPrices are the prices the model uses: the origin in US East (N.
// Virginia), the edge's requests and transfer in Japan, where most of the
// audience is (PriceClass_200 includes it). Regional prices of the origin
// services in Tokyo are a little higher for the HTTP API and DynamoDB.
var costPrices = struct {
	httpAPI, lambdaRequests, lambdaGBs, readUnit, logsGB, edgeRequests, edgeGB price
}{
	httpAPI:        price{1.00, "per million requests (first 300 million a month), us-east-1", "https://aws.amazon.com/api-gateway/pricing/ (checked 2026-11-25 and 2026-12-02)"},
	lambdaRequests: price{0.20, "per million requests", "https://aws.amazon.com/lambda/pricing/ (checked 2026-11-25)"},
	lambdaGBs:      price{0.0000133334, "per GB-second, arm64 (first 7.5 billion GB-s a month), us-east-1", "https://aws.amazon.com/lambda/pricing/ (checked 2026-11-25)"},
	readUnit:       price{0.125, "per million read request units, on demand, us-east-1", "https://aws.amazon.com/dynamodb/pricing/on-demand/ (checked 2026-11-25)"},
	logsGB:         price{0.50, "per GB of CloudWatch Logs ingested", "https://aws.amazon.com/cloudwatch/pricing/ (checked 2026-11-25)"},
	edgeRequests:   price{0.0120, "per 10,000 HTTPS requests, Japan edges", "https://aws.amazon.com/cloudfront/pricing/ (request table not in the excerpt read on 2026-12-02: the list price as last published; re-check)"},
	edgeGB:         price{0.114, "per GB out to the internet, Japan edges, first 10 TB a month", "https://aws.amazon.com/cloudfront/pricing/ (checked 2026-12-02)"},
}

// Inputs that are estimates, not measurements.
const (
	// logKBPerRequest: the HTTP API's access log line (≈ 0.4 KB), Lambda's
	// START/END/REPORT lines (≈ 0.35 KB) and the API's request line
	// (≈ 0.35 KB), from the lines the stack writes (infra/README.md).
	logKBPerRequest = 1.1
	// headerBytes: the response headers CloudFront sends beside the body
	// (ETag, Cache-Control, Link, Dataset-Release, the security headers).
	headerBytes = 600
)

// costHitRatios are the edge hit ratios the model is shown for.
var costHitRatios = []float64{0, 0.5, 0.9}

// mixRequest is one request of the mix as measured.
type mixResult struct {
	name                 string
	weight, status       float64
	rruFirst, rruWarm    float64
	callsFirst, callsWar float64
	bytes, micros        float64
}

// mixResults reads the results of BenchmarkCostMix for one table ("real",
// "100k"), in the mix's order.
func mixResults(res benchResults, order []string, table string) []mixResult {
	prefix := "BenchmarkCostMix/" + table + "/"
	var out []mixResult
	for _, name := range order {
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		m := func(unit string) float64 { v, _ := res.median(name, unit); return v }
		out = append(out, mixResult{name: rest, weight: m("weight"), status: m("status"),
			rruFirst: m("RRU-first"), rruWarm: m("RRU-warm"), callsFirst: m("calls-first"), callsWar: m("calls-warm"),
			bytes: m("gz-bytes"), micros: m("p50-µs")})
	}
	return out
}

// benchOrder lists the benchmarks of go test -bench output in the order
// they ran.
func benchOrder(out string) []string {
	var names []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := procsSuffix.ReplaceAllString(f[0], "")
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	return names
}

// mixSummary is a mix's weighted figures.
type mixSummary struct {
	rruWarm, rruFirst float64 // weighted means
	p50, p95          float64 // weighted percentiles of the warm read units
	bytes             float64 // weighted mean bytes sent (body and headers)
	billedMs          float64 // weighted mean billed Lambda duration
}

func summarize(mix []mixResult) mixSummary {
	var s mixSummary
	total := 0.0
	for _, m := range mix {
		total += m.weight
		s.rruWarm += m.weight * m.rruWarm
		s.rruFirst += m.weight * m.rruFirst
		s.bytes += m.weight * (m.bytes + headerBytes)
		// Lambda bills each invocation's duration rounded up to the
		// millisecond.
		s.billedMs += m.weight * max(1, math.Ceil(m.micros/1000))
	}
	if total == 0 {
		return mixSummary{}
	}
	s.rruWarm /= total
	s.rruFirst /= total
	s.bytes /= total
	s.billedMs /= total
	s.p50 = weightedPercentile(mix, 0.50)
	s.p95 = weightedPercentile(mix, 0.95)
	return s
}

// weightedPercentile is the smallest warm read-unit figure at or below which
// requests of at least q of the mix's weight fall.
func weightedPercentile(mix []mixResult, q float64) float64 {
	s := slices.Clone(mix)
	slices.SortStableFunc(s, func(a, b mixResult) int {
		switch {
		case a.rruWarm < b.rruWarm:
			return -1
		case a.rruWarm > b.rruWarm:
			return 1
		}
		return 0
	})
	total := 0.0
	for _, m := range s {
		total += m.weight
	}
	acc := 0.0
	for _, m := range s {
		acc += m.weight
		if acc >= q*total-1e-9 {
			return m.rruWarm
		}
	}
	return 0
}

// costLines is the cost of a million viewer requests, by item, in dollars.
type costLines struct {
	edgeRequests, edgeTransfer                       float64 // every request
	httpAPI, lambdaRequests, lambdaTime, reads, logs float64 // the share 1 − h that reaches the origin
}

func (c costLines) total() float64 {
	return c.edgeRequests + c.edgeTransfer + c.httpAPI + c.lambdaRequests + c.lambdaTime + c.reads + c.logs
}

// costPerMillion prices a million viewer requests of a mix at edge hit
// ratio h, with the function's memory in MB and rru read units per origin
// request.
func costPerMillion(s mixSummary, rru, memoryMB, h float64) costLines {
	const n = 1e6
	p := costPrices
	origin := (1 - h) * n
	return costLines{
		edgeRequests:   n / 1e4 * p.edgeRequests.usd,
		edgeTransfer:   n * s.bytes / 1e9 * p.edgeGB.usd,
		httpAPI:        origin / 1e6 * p.httpAPI.usd,
		lambdaRequests: origin / 1e6 * p.lambdaRequests.usd,
		lambdaTime:     origin * s.billedMs / 1000 * memoryMB / 1024 * p.lambdaGBs.usd,
		reads:          origin * rru / 1e6 * p.readUnit.usd,
		logs:           origin * logKBPerRequest * 1e3 / 1e9 * p.logsGB.usd,
	}
}

// templateMemoryMB reads the API function's MemorySize from the template.
func templateMemoryMB(root string) (float64, error) {
	f, err := os.Open(filepath.Join(root, "infra", "template.yaml"))
	if err != nil {
		return 0, err
	}
	defer func() { _ = f.Close() }() // read only
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "ApiFunction:" {
			in = true
			continue
		}
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "MemorySize:"); ok && in {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no MemorySize under ApiFunction in infra/template.yaml")
}

// costRaw is where the cost part keeps the output of BenchmarkCostMix, for
// -cost-from.
const costRaw = ".build/costmix.txt"

// cost measures the mix on the newest published release and on each of
// -cost-sizes (or reads a saved measurement, -cost-from), prints its
// figures in the table and writes the model.
func (r *run) cost(ctx context.Context) error {
	memoryMB, err := templateMemoryMB(r.root)
	if err != nil {
		return err
	}
	var out string
	if r.costFrom != "" {
		b, err := os.ReadFile(r.costFrom)
		if err != nil {
			return err
		}
		out = string(b)
	} else if out, err = r.measureCostMix(ctx); err != nil {
		return err
	}
	res := benchResults{}
	parseGoBench(out, res)
	order := benchOrder(out)
	tables := costTables(order)
	if len(tables) == 0 {
		return fmt.Errorf("no cost mix measured:\n%s", out)
	}
	var measured []costTable
	for _, t := range tables {
		mix := mixResults(res, order, t)
		ct := costTable{name: t, mix: mix, sum: summarize(mix)}
		measured = append(measured, ct)
		s := ct.sum
		label := t + " events"
		if t == "real" {
			label = "release " + r.newestRelease()
		}
		r.table.add(row{part: "cost", kase: label, metric: "read units per request: mean warm (first process), p50, p95",
			value: fmt.Sprintf("%.2f (%.2f), %.1f, %.1f", s.rruWarm, s.rruFirst, s.p50, s.p95),
			ref:   fmt.Sprintf("%d requests, weighted", len(mix)), note: "mix: internal/api/costmix_bench_test.go"})
		var costs []string
		for _, h := range costHitRatios {
			costs = append(costs, fmt.Sprintf("$%.2f", costPerMillion(s, s.rruWarm, memoryMB, h).total()))
		}
		r.table.add(row{part: "cost", kase: label, metric: "$ per million requests at edge hit ratio 0, 0.5, 0.9",
			value: strings.Join(costs, ", "), ref: fmt.Sprintf("%.0f B a response, %.1f ms billed at %.0f MB", s.bytes, s.billedMs, memoryMB),
			note: "docs/cost.md"})
	}
	if r.costMD == "" {
		return nil
	}
	when := fmt.Sprintf("on %s (%s)", time.Now().UTC().Format("2006-01-02"), machine())
	if r.costFrom != "" {
		when = fmt.Sprintf("on %s from the measurements saved in %s", time.Now().UTC().Format("2006-01-02"), r.costFrom)
	}
	md := costMarkdown(measured, memoryMB, r.newestRelease(), when)
	return os.WriteFile(filepath.Join(r.root, r.costMD), []byte(md), 0o644)
}

// measureCostMix loads the tables and runs BenchmarkCostMix, keeping its
// output in costRaw.
func (r *run) measureCostMix(ctx context.Context) (string, error) {
	if err := r.startDynalite(); err != nil {
		return "", err
	}
	fmt.Fprintln(os.Stderr, "bench: loading the published releases into dynalite")
	for _, cmd := range []string{"create-table", "load"} {
		if _, err := output(ctx, r.root, r.dynEnv, r.loaderBin, cmd, "--endpoint", r.dynURL, "--table", "jcdd-bench-real"); err != nil {
			return "", err
		}
	}
	tables := []string{"real"}
	for _, size := range r.costSizes {
		ok, err := r.loadSynth(ctx, size)
		if err != nil {
			return "", err
		}
		if ok {
			tables = append(tables, size)
		}
	}
	// JCDD_BENCH_SIZES is never empty (the benchmark would take its
	// default): the -bench pattern picks the tables measured.
	env := slices.Concat(r.dynEnv, []string{"JCDD_BENCH_DYNAMODB=" + r.dynURL, "JCDD_BENCH_SIZES=" + strings.Join(append([]string{"1k"}, tables[1:]...), ",")})
	out, err := output(ctx, r.root, env, "go", "test", "-run", "^$", "-bench", "^BenchmarkCostMix$/^("+strings.Join(tables, "|")+")$/",
		"-benchtime", r.costQueries, "-timeout", "60m", "./internal/api")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Join(r.root, ".build"), 0o755); err != nil {
		return "", err
	}
	return out, os.WriteFile(filepath.Join(r.root, costRaw), []byte(out), 0o644)
}

// costTables lists the tables of BenchmarkCostMix results, in order.
func costTables(order []string) []string {
	var tables []string
	for _, name := range order {
		rest, ok := strings.CutPrefix(name, "BenchmarkCostMix/")
		if !ok {
			continue
		}
		if t, _, ok := strings.Cut(rest, "/"); ok && !slices.Contains(tables, t) {
			tables = append(tables, t)
		}
	}
	return tables
}

// newestRelease names the newest published release (dataset/releases).
func (r *run) newestRelease() string {
	entries, err := os.ReadDir(filepath.Join(r.root, "dataset", "releases"))
	if err != nil {
		return "?"
	}
	newest := ""
	for _, e := range entries {
		if e.IsDir() && (newest == "" || compareVersions(e.Name(), newest) > 0) {
			newest = e.Name()
		}
	}
	return newest
}

// compareVersions compares dotted numeric versions.
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// costTable is the mix measured on one table.
type costTable struct {
	name string
	mix  []mixResult
	sum  mixSummary
}

// costMarkdown writes the cost model: inputs, per-request measurements,
// and the cost per million requests at each edge hit ratio.
func costMarkdown(tables []costTable, memoryMB float64, newest, when string) string {
	var b strings.Builder
	p := costPrices
	label := func(t string) string {
		if t == "real" {
			return "release " + newest
		}
		return t + " synthetic events"
	}
	fmt.Fprintf(&b, `# What a million requests cost

Written by `+"`make bench`"+` (part `+"`cost`"+`, tools/bench/cost.go) %s from the read
units, bytes and handler times it measured; do not edit by hand. docs/deploy.md and
infra/README.md explain the model.

## The request mix

The requests of the README's and docs/api.md's tour, weighted by how often a visitor or a
script is expected to send each (`+"`costMix`"+` in internal/api/costmix_bench_test.go gives each
weight's reason; the project has no traffic logs yet, so the weights are a judgement). Text
search (`+"`events-search`"+`) is the one request without an index: it reads a full query page
(up to 1,000 items) whatever it finds, and has a weight of 2 in 100.

Each request was served from DynamoDB (dynalite 4.0.0, which reports consumed capacity as
DynamoDB bills it) by the API in process, with its response cache off: *first* in a fresh
process (a cold Lambda instance: it also reads the current-release pointer, a strongly
consistent GetItem, and any count item), *warm* in a process that has served the mix once
(release metadata, counts and landing pages are kept; a warm instance re-reads the pointer
every 5 s, a cost per instance and not per request: about 2 read units, or about a million
units, $0.13, per instance-month). Data reads are eventually consistent (half a unit per
4 KB); the pointer and the release index are read strongly consistent. Bytes are the body as
sent gzip-compressed (CloudFront asks for gzip) plus about %d bytes of headers; time is the
median warm handler time over dynalite on this machine, an upper bound of what DynamoDB
takes, billed by Lambda rounded up to the millisecond.

`, when, headerBytes)
	for _, t := range tables {
		fmt.Fprintf(&b, "### %s\n\n", label(t.name))
		b.WriteString("| request | weight | status | read units, first | read units, warm | calls, first / warm | gzip bytes | warm ms |\n|---|---|---|---|---|---|---|---|\n")
		for _, m := range t.mix {
			fmt.Fprintf(&b, "| %s | %.0f | %.0f | %.1f | %.1f | %.0f / %.0f | %.0f | %.1f |\n",
				m.name, m.weight, m.status, m.rruFirst, m.rruWarm, m.callsFirst, m.callsWar, m.bytes, m.micros/1000)
		}
		s := t.sum
		fmt.Fprintf(&b, "\nWeighted: **%.2f read units per request warm** (%.2f in a fresh process); p50 %.1f, p95 %.1f\n"+
			"(warm); %.0f bytes sent per request; %.1f ms billed per invocation.\n\n", s.rruWarm, s.rruFirst, s.p50, s.p95, s.bytes, s.billedMs)
		if t.name != "real" {
			b.WriteString("A synthetic table holds one release, so the changes requests answer 422 (no older release to\n" +
				"compare with) after the same reads. Past 500 events the landing pages count events by period\n" +
				"rather than draw each one, so they stay under 100 KB gzipped whatever the release's size.\n\n")
		}
	}
	fmt.Fprintf(&b, `## Prices

| item | price | source |
|---|---|---|
| HTTP API | $%.2f %s | %s |
| Lambda requests | $%.2f %s | %s |
| Lambda duration | $%.10f %s | %s |
| DynamoDB reads | $%.3f %s | %s |
| CloudWatch Logs | $%.2f %s | %s |
| CloudFront requests | $%.4f %s | %s |
| CloudFront transfer | $%.3f %s | %s |

Estimates, not measurements: %.1f KB of log lines per origin request (access log, Lambda's
REPORT lines, the API's request line) and %d bytes of headers per response. The function's
memory, %.0f MB, is read from infra/template.yaml. Origin fetches from API Gateway to
CloudFront are free. Free tiers are left out.

## Per million requests

For a million viewer requests at edge hit ratio h, every request costs CloudFront's request and
transfer price, and the 1 − h that reach the origin cost the HTTP API, a Lambda request, its
billed duration × memory, their read units and their log lines (read units: the warm mean; the
edge's misses are assumed to be spread over the mix like its requests):

    cost = 1M × (edge request + bytes × edge GB price)
         + (1 − h) × 1M × (HTTP API + Lambda request + ms/1000 × GB × GB-s price + RRU × RRU price + logs)

`, p.httpAPI.usd, p.httpAPI.unit, p.httpAPI.source, p.lambdaRequests.usd, p.lambdaRequests.unit, p.lambdaRequests.source,
		p.lambdaGBs.usd, p.lambdaGBs.unit, p.lambdaGBs.source, p.readUnit.usd, p.readUnit.unit, p.readUnit.source,
		p.logsGB.usd, p.logsGB.unit, p.logsGB.source, p.edgeRequests.usd, p.edgeRequests.unit, p.edgeRequests.source,
		p.edgeGB.usd, p.edgeGB.unit, p.edgeGB.source, logKBPerRequest, headerBytes, memoryMB)
	for _, t := range tables {
		fmt.Fprintf(&b, "### %s\n\n| h | CloudFront requests | CloudFront transfer | HTTP API | Lambda requests | Lambda time | DynamoDB reads | logs | total |\n|---|---|---|---|---|---|---|---|---|\n", label(t.name))
		for _, h := range costHitRatios {
			c := costPerMillion(t.sum, t.sum.rruWarm, memoryMB, h)
			fmt.Fprintf(&b, "| %.1f | $%.2f | $%.2f | $%.2f | $%.2f | $%.2f | $%.3f | $%.2f | **$%.2f** |\n",
				h, c.edgeRequests, c.edgeTransfer, c.httpAPI, c.lambdaRequests, c.lambdaTime, c.reads, c.logs, c.total())
		}
		c0 := costPerMillion(t.sum, t.sum.rruWarm, memoryMB, 0)
		cf := costPerMillion(t.sum, t.sum.rruFirst, memoryMB, 0)
		fmt.Fprintf(&b, "\nDynamoDB's line at h = 0 is %.2f read units × $%.3f = $%.3f per million requests; were every request\n"+
			"a fresh process's (%.2f units), $%.3f.\n\n", t.sum.rruWarm, p.readUnit.usd, c0.reads, t.sum.rruFirst, cf.reads)
	}
	return b.String()
}
