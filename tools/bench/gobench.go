package main

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// benchResults holds the runs of Go benchmarks: for each benchmark (its
// name without the -GOMAXPROCS suffix) and unit (ns/op, B/op, p50-µs...),
// every value measured, one per -count run.
type benchResults map[string]map[string][]float64

var procsSuffix = regexp.MustCompile(`-\d+$`)

// parseGoBench reads the output of go test -bench.
func parseGoBench(out string, into benchResults) {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue // not a result line
		}
		name := procsSuffix.ReplaceAllString(f[0], "")
		if into[name] == nil {
			into[name] = map[string][]float64{}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			into[name][f[i+1]] = append(into[name][f[i+1]], v)
		}
	}
}

// median of a benchmark's unit; ok is false when it was not measured.
func (r benchResults) median(name, unit string) (float64, bool) {
	v := r[name][unit]
	if len(v) == 0 {
		return 0, false
	}
	return median(v), true
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
