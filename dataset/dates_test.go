package dataset

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	cases := []struct {
		in          string
		first, last string
		precision   string
		err         string
	}{
		{in: "2020", first: "2020-01-01", last: "2020-12-31", precision: "year"},
		{in: "2020-02", first: "2020-02-01", last: "2020-02-29", precision: "month"},
		{in: "2021-02", first: "2021-02-01", last: "2021-02-28", precision: "month"},
		{in: "2023-08-07", first: "2023-08-07", last: "2023-08-07", precision: "day"},
		{in: "2024-02-29", first: "2024-02-29", last: "2024-02-29", precision: "day"},
		{in: "2023-02-29", err: `"2023-02-29": day 29 does not exist in 2023-02`},
		{in: "2020-00", err: `"2020-00": month 00 does not exist`},
		{in: "2020-13-01", err: `"2020-13-01": month 13 does not exist`},
		{in: "0000", err: `"0000": year 0000 does not exist`},
		{in: "20", err: `"20" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD`},
		{in: "2020/09", err: `"2020/09" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD`},
		{in: "2020-+9", err: `"2020-+9" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD`},
		{in: "２０２０", err: `"２０２０" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD`},
		{in: "", err: `"" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD`},
	}
	for _, tc := range cases {
		d, err := ParseDate(tc.in)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("ParseDate(%q) error = %v, want %s", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tc.in, err)
			continue
		}
		if got := d.First().Format(time.DateOnly); got != tc.first {
			t.Errorf("%q.First() = %s, want %s", tc.in, got, tc.first)
		}
		if got := d.Last().Format(time.DateOnly); got != tc.last {
			t.Errorf("%q.Last() = %s, want %s", tc.in, got, tc.last)
		}
		if d.Precision() != tc.precision || d.String() != tc.in {
			t.Errorf("%q: precision %s, string %s", tc.in, d.Precision(), d.String())
		}
	}
}

func TestSpanOverlaps(t *testing.T) {
	span := func(from, to string) Span {
		s, err := SpanOf(from, to)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	fall2020 := span("2020-09", "2020-11")
	cases := []struct {
		from, to string
		want     bool
	}{
		{"2020", "", true},
		{"2020-11-30", "", true},
		{"2020-12", "", false},
		{"2019", "2020-09-01", true},
		{"2019", "2020-08", false},
		{"2021", "2023", false},
	}
	for _, tc := range cases {
		if got := fall2020.Overlaps(span(tc.from, tc.to)); got != tc.want {
			t.Errorf("fall 2020 overlaps %s..%s = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
}
