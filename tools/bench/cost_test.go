package main

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestMixSummary(t *testing.T) {
	mix := []mixResult{
		{name: "cheap", weight: 90, rruWarm: 0.5, rruFirst: 1.5, bytes: 400, micros: 1200},
		{name: "page", weight: 8, rruWarm: 10, rruFirst: 11, bytes: 10_000, micros: 9_000},
		{name: "search", weight: 2, rruWarm: 127, rruFirst: 128, bytes: 2_000, micros: 300},
	}
	s := summarize(mix)
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	near("mean warm", s.rruWarm, (90*0.5+8*10+2*127)/100.0)
	near("mean first", s.rruFirst, (90*1.5+8*11+2*128)/100.0)
	near("p50", s.p50, 0.5)
	near("p95", s.p95, 10)
	near("bytes", s.bytes, (90*400+8*10_000+2*2_000)/100.0+headerBytes)
	// Billed per invocation, rounded up to the millisecond, at least 1.
	near("billed ms", s.billedMs, (90*2+8*9+2*1)/100.0)
	near("p100", weightedPercentile(mix, 1), 127)
}

func TestCostPerMillion(t *testing.T) {
	s := mixSummary{rruWarm: 4, bytes: 10_000, billedMs: 10}
	p := costPrices
	all := costPerMillion(s, s.rruWarm, 256, 0)
	// At h = 0 every request reaches the origin.
	want := 100*p.edgeRequests.usd + 10*p.edgeGB.usd + p.httpAPI.usd + p.lambdaRequests.usd +
		1e6*0.010*0.25*p.lambdaGBs.usd + 4*p.readUnit.usd + 1.1*p.logsGB.usd
	if math.Abs(all.total()-want) > 1e-9 {
		t.Errorf("h=0: %v, want %v", all.total(), want)
	}
	// The edge's share is paid for every request; the origin's only for
	// the misses.
	hit := costPerMillion(s, s.rruWarm, 256, 0.9)
	edge := all.edgeRequests + all.edgeTransfer
	if got, want := hit.total()-edge, (all.total()-edge)*0.1; math.Abs(got-want) > 1e-9 {
		t.Errorf("h=0.9: origin share %v, want %v", got, want)
	}
	if hit.edgeRequests != all.edgeRequests || hit.edgeTransfer != all.edgeTransfer {
		t.Errorf("edge lines changed with h: %+v vs %+v", hit, all)
	}
}

func TestMixResults(t *testing.T) {
	out := `BenchmarkCostMix/real/landing-2 	3	13115 ns/op	4.500 RRU-first	0 RRU-warm	2.000 calls-first	0 calls-warm	25718 gz-bytes	9.000 p50-µs	200.0 status	12.00 weight
BenchmarkCostMix/real/event-2 	3	2731019 ns/op	1.500 RRU-first	0.5000 RRU-warm	2.000 calls-first	1.000 calls-warm	1127 gz-bytes	2028 p50-µs	200.0 status	12.00 weight
BenchmarkCostMix/100k/event-2 	3	2731019 ns/op	1.500 RRU-first	0.5000 RRU-warm	2.000 calls-first	1.000 calls-warm	1127 gz-bytes	2028 p50-µs	200.0 status	12.00 weight
`
	res := benchResults{}
	parseGoBench(out, res)
	mix := mixResults(res, benchOrder(out), "real")
	if len(mix) != 2 || mix[0].name != "landing" || mix[1].name != "event" {
		t.Fatalf("mix %+v", mix)
	}
	if m := mix[1]; m.weight != 12 || m.rruFirst != 1.5 || m.rruWarm != 0.5 || m.bytes != 1127 || m.micros != 2028 || m.status != 200 || m.callsWar != 1 {
		t.Errorf("event: %+v", m)
	}
	if got := costTables(benchOrder(out)); !slices.Equal(got, []string{"real", "100k"}) {
		t.Errorf("tables %v", got)
	}
	md := costMarkdown([]costTable{{name: "real", mix: mix, sum: summarize(mix)}}, 256, "1.2.0", "on 2026-12-02")
	for _, want := range []string{"### release 1.2.0", "| event | 12 | 200 | 1.5 | 0.5 | 2 / 1 | 1127 | 2.0 |", "| 0.9 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestTemplateMemory(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	mb, err := templateMemoryMB(root)
	if err != nil || mb < 128 {
		t.Errorf("API function memory %v MB, %v", mb, err)
	}
}
