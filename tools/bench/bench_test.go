package main

import (
	"strings"
	"testing"
)

// The parsers read the output of tools this command runs; these tests pin
// the formats they expect, so that a change shows here rather than as a
// broken make bench.

func TestParseWrk(t *testing.T) {
	out := `Running 5s test @ http://127.0.0.1:8080/v1/events
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   612.45us    1.11ms  19.20ms   94.40%
    Req/Sec    26.60k     1.63k   29.43k    78.00%
  Latency Distribution
     50%  345.00us
     75%  512.00us
     90%    1.01ms
     99%    4.95ms
  132331 requests in 5.00s, 8.29GB read
Requests/sec:  26462.35
Transfer/sec:      1.66GB
`
	r, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.rps != 26462.35 || r.p99ms != 4.95 || r.non2 != 0 {
		t.Errorf("parsed %+v", r)
	}
	r, err = parseWrk(strings.Replace(out, "4.95ms", "812.00us", 1) + "  Non-2xx or 3xx responses: 12\n")
	if err != nil || r.p99ms != 0.812 || r.non2 != 12 {
		t.Errorf("parsed %+v, %v", r, err)
	}
	if _, err := parseWrk("nothing"); err == nil {
		t.Error("no error for output without results")
	}
}

func TestParseGoBench(t *testing.T) {
	res := benchResults{}
	for _, out := range []string{
		"BenchmarkHandler/events/limit-2   \t  499201\t      2103 ns/op\t31145.26 MB/s\t     736 B/op\t      13 allocs/op\n",
		"goos: linux\nBenchmarkHandler/events/limit-2   \t  499201\t      2001 ns/op\t 736 B/op\nPASS\n",
		"BenchmarkHandler/events/limit-2   \t  1\t      2500 ns/op\n" +
			"BenchmarkScale/memory/1k/actor-2 \t 100 \t 130343 ns/op \t 128.0 p50-µs \t 700.5 p99-µs\n",
	} {
		parseGoBench(out, res)
	}
	if v, ok := res.median("BenchmarkHandler/events/limit", "ns/op"); !ok || v != 2103 {
		t.Errorf("median ns/op = %v, %v; want 2103", v, ok)
	}
	if v, _ := res.median("BenchmarkScale/memory/1k/actor", "p99-µs"); v != 700.5 {
		t.Errorf("p99 = %v", v)
	}
	if _, ok := res.median("BenchmarkNope", "ns/op"); ok {
		t.Error("a benchmark that did not run has a median")
	}
}

func TestTable(t *testing.T) {
	var tb table
	tb.header = "h"
	tb.add(row{part: "p", kase: "a|b", value: "1", met: "yes"})
	md := tb.markdown()
	if !strings.Contains(md, "| p | a\\|b | ") || strings.Count(md, "\n") != 5 {
		t.Errorf("markdown:\n%s", md)
	}
	var b strings.Builder
	if err := tb.print(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "compared with") {
		t.Errorf("table:\n%s", b.String())
	}
}

func TestSizeEvents(t *testing.T) {
	for s, want := range map[string]int{"1k": 1000, "100k": 100000, "250": 250} {
		if got := sizeEvents(s); got != want {
			t.Errorf("sizeEvents(%q) = %d", s, got)
		}
	}
}
