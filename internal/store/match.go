package store

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/jcdd/jcdd/dataset"
)

// The functions in this file define what a query means. Every Store
// implementation narrows candidates its own way (indexes, key conditions)
// and then applies these, so that all stores agree on every result.

// EventKey is the sort key of an event: the first day it covers.
func EventKey(e *dataset.Event) string {
	return e.Span().Start.Format("2006-01-02")
}

// BudgetKey is the sort key of a budget line: its fiscal year.
func BudgetKey(b *dataset.BudgetLine) string {
	return fmt.Sprintf("%04d", b.FiscalYear)
}

// Position shapes of the lists: events are keyed by a day, budget lines by a
// fiscal year, everything else by id alone.
const (
	EventKeyed  = "event"
	BudgetKeyed = "budget"
	IDKeyed     = "id"
)

// CheckPosition returns ErrBadPosition when a position cannot belong to a
// list of the given shape (for example a cursor of one list used with
// another). A position need not name an existing record: it is a place in
// the order.
func CheckPosition(p *Position, shape string) error {
	if p == nil {
		return nil
	}
	ok := p.ID != ""
	switch shape {
	case EventKeyed:
		d, err := dataset.ParseDate(p.Key)
		ok = ok && err == nil && d.Precision() == dataset.PrecisionDay
	case BudgetKeyed:
		ok = ok && len(p.Key) == 4 && strings.Trim(p.Key, "0123456789") == ""
	default:
		ok = ok && p.Key == ""
	}
	if !ok {
		return ErrBadPosition
	}
	return nil
}

// Less orders positions by key, then id.
func Less(a, b Position) bool {
	if a.Key != b.Key {
		return a.Key < b.Key
	}
	return a.ID < b.ID
}

// Fold normalises text for case-insensitive matching in English and
// Japanese: lower case, and full-width ASCII (ＮＳＡ) folded to ASCII.
func Fold(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		return unicode.ToLower(r)
	}, s)
}

// EventText is the folded text that q searches for an event: its title and
// summary in both languages and the names and aliases of its actors.
func EventText(e *dataset.Event, actors map[string]*dataset.Actor) string {
	return EventOwnText(e) + EventActorText(e, actors)
}

// EventOwnText is the part of EventText that the event itself holds: its
// title and summary in both languages.
func EventOwnText(e *dataset.Event) string {
	return Fold(strings.Join([]string{e.Title.EN, e.Title.JA, e.Summary.EN, e.Summary.JA}, "\n"))
}

// EventActorText is the rest of EventText, which comes from other records:
// the names and aliases of the event's actors, each on a line of its own
// ("" when none is known). A store can keep it beside the event and rebuild
// EventText from the event without reading its actors.
func EventActorText(e *dataset.Event, actors map[string]*dataset.Actor) string {
	var parts []string
	for _, a := range e.Actors {
		if actor := actors[a.Actor]; actor != nil {
			parts = append(parts, actor.Name.EN, actor.Name.JA)
			parts = append(parts, actor.Aliases...)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "\n" + Fold(strings.Join(parts, "\n"))
}

func oneOf(filter []string, v string) bool {
	return len(filter) == 0 || slices.Contains(filter, v)
}

// MatchEvent reports whether an event satisfies every filter of q. text is
// the event's EventText, precomputed by the caller. To match many events
// against one query, EventMatcher does the query's part once.
func MatchEvent(e *dataset.Event, text string, q *EventQuery) bool {
	return EventMatcher(q)(e, text)
}

// EventMatcher returns MatchEvent for one query: the dimensions it filters
// on and its folded text are found once, not once per event (an unfiltered
// list then checks only each event's status).
func EventMatcher(q *EventQuery) func(e *dataset.Event, text string) bool {
	dims, folded := wantedDims(EventDims, q), Fold(q.Text)
	return func(e *dataset.Event, text string) bool {
		if !q.Status.Admits(e.Lifecycle) {
			return false
		}
		if q.Range != nil && !e.Span().Overlaps(*q.Range) {
			return false
		}
		for i := range dims {
			if !dims[i].matches(e) {
				return false
			}
		}
		return folded == "" || strings.Contains(text, folded)
	}
}

// yearsMatch reports whether the fiscal years first..last (last is 0 for a
// single year) overlap from..to (0 for an open end). A plan matches every
// year it spans.
func yearsMatch(first, last int, from, to int) bool {
	last = max(first, last)
	return (from == 0 || last >= from) && (to == 0 || first <= to)
}

// MatchBudget reports whether a budget line satisfies q. To match many
// lines against one query, BudgetMatcher does the query's part once.
func MatchBudget(b *dataset.BudgetLine, q *BudgetQuery) bool { return BudgetMatcher(q)(b) }

// BudgetMatcher returns MatchBudget for one query: the dimensions it
// filters on are found once, not once per line. Fiscal years are among
// them; from_year and to_year are a range.
func BudgetMatcher(q *BudgetQuery) func(b *dataset.BudgetLine) bool {
	dims := wantedDims(BudgetDims, q)
	return func(b *dataset.BudgetLine) bool {
		if !q.Status.Admits(b.Lifecycle) || !yearsMatch(b.FiscalYear, b.FiscalYearTo, q.FromYear, q.ToYear) {
			return false
		}
		for i := range dims {
			if !dims[i].matches(b) {
				return false
			}
		}
		return true
	}
}

// MatchTotal reports whether a row of the budget summary satisfies q.
func MatchTotal(t *BudgetTotal, q *SummaryQuery) bool {
	return yearsMatch(t.FiscalYear, t.FiscalYearTo, q.FromYear, q.ToYear) &&
		oneOf(q.Agencies, t.Agency) &&
		oneOf(q.Stages, t.Stage)
}
