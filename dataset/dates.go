package dataset

import (
	"fmt"
	"strconv"
	"time"
)

// Date is an ISO 8601 calendar date that may be partial: a year (2020), a
// month (2020-09) or a day (2020-09-16). Month and Day are zero when absent.
type Date struct {
	Year, Month, Day int
}

// Date precisions, from the format of the date itself.
const (
	PrecisionYear  = "year"
	PrecisionMonth = "month"
	PrecisionDay   = "day"
)

// ParseDate parses a full or partial ISO 8601 date. It accepts exactly the
// forms YYYY, YYYY-MM and YYYY-MM-DD with a real calendar month and day.
func ParseDate(s string) (Date, error) {
	var d Date
	switch len(s) {
	case 4, 7, 10:
	default:
		return d, fmt.Errorf("%q is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	var err error
	if d.Year, err = digits(s[0:4]); err != nil {
		return d, fmt.Errorf("%q is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	if d.Year < 1 {
		return d, fmt.Errorf("%q: year 0000 does not exist", s)
	}
	if len(s) == 4 {
		return d, nil
	}
	if s[4] != '-' {
		return d, fmt.Errorf("%q is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	if d.Month, err = digits(s[5:7]); err != nil {
		return d, fmt.Errorf("%q is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	if d.Month < 1 || d.Month > 12 {
		return d, fmt.Errorf("%q: month %02d does not exist", s, d.Month)
	}
	if len(s) == 7 {
		return d, nil
	}
	if s[7] != '-' {
		return d, fmt.Errorf("%q is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	if d.Day, err = digits(s[8:10]); err != nil {
		return d, fmt.Errorf("%q is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	if d.Day < 1 || d.Day > daysIn(d.Year, d.Month) {
		return d, fmt.Errorf("%q: day %02d does not exist in %04d-%02d", s, d.Day, d.Year, d.Month)
	}
	return d, nil
}

// digits parses a run of ASCII digits; strconv.Atoi alone would accept signs.
func digits(s string) (int, error) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.Atoi(s)
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Precision is year, month or day, from the date's form.
func (d Date) Precision() string {
	switch {
	case d.Day != 0:
		return PrecisionDay
	case d.Month != 0:
		return PrecisionMonth
	default:
		return PrecisionYear
	}
}

// First is the first day the date covers (2020-09 → 2020-09-01).
func (d Date) First() time.Time {
	m, day := d.Month, d.Day
	if m == 0 {
		m = 1
	}
	if day == 0 {
		day = 1
	}
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// Last is the last day the date covers (2020-09 → 2020-09-30).
func (d Date) Last() time.Time {
	switch {
	case d.Day != 0:
		return d.First()
	case d.Month != 0:
		return time.Date(d.Year, time.Month(d.Month), daysIn(d.Year, d.Month), 0, 0, 0, 0, time.UTC)
	default:
		return time.Date(d.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	}
}

// String formats the date in the form it was given.
func (d Date) String() string {
	switch d.Precision() {
	case PrecisionDay:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	default:
		return fmt.Sprintf("%04d", d.Year)
	}
}

// Span is the inclusive range of days a record covers.
type Span struct {
	Start, End time.Time
}

// Overlaps reports whether two spans share at least one day.
func (s Span) Overlaps(o Span) bool {
	return !s.Start.After(o.End) && !o.Start.After(s.End)
}

// SpanOf returns the days covered from the first day of from to the last day
// of to; an empty to means from alone.
func SpanOf(from, to string) (Span, error) {
	f, err := ParseDate(from)
	if err != nil {
		return Span{}, err
	}
	end := f
	if to != "" {
		if end, err = ParseDate(to); err != nil {
			return Span{}, err
		}
	}
	return Span{Start: f.First(), End: end.Last()}, nil
}

// Span returns the days the event covers: occurred to occurred_to.
func (e *Event) Span() Span {
	s, err := SpanOf(e.Occurred, e.OccurredTo)
	if err != nil {
		// A loaded release has been validated; an unparsable date here is a
		// programming error, not bad data.
		panic(fmt.Sprintf("event %s: %v", e.ID, err))
	}
	return s
}
