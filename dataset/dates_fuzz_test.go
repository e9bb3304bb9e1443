package dataset

import (
	"testing"
	"unicode/utf8"
)

// FuzzParseDate checks that any input either parses into a date that prints
// back as itself and covers a sane range of days, or fails with an error —
// never a panic.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2020", "2020-09", "2020-09-16", "2024-02-29", "2023-02-29", "0000", "9999-12-31", "2020-13", "20-1-1", "２０２０", "2020-09-16T00:00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if err.Error() == "" || !utf8.ValidString(err.Error()) && utf8.ValidString(s) {
				t.Fatalf("bad error for %q: %q", s, err)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("%q parsed and printed as %q", s, d.String())
		}
		if d.Last().Before(d.First()) {
			t.Fatalf("%q: last day %v before first %v", s, d.Last(), d.First())
		}
		if d.First().Year() != d.Year {
			t.Fatalf("%q: first day in year %d", s, d.First().Year())
		}
		if _, err := SpanOf(s, s); err != nil {
			t.Fatalf("%q parses but SpanOf fails: %v", s, err)
		}
	})
}
