package memory

import (
	"math"
	"math/bits"
	"sort"
	"time"

	"github.com/jcdd/jcdd/dataset"
)

// A posSet is a set of positions in a sorted list, walked lazily in either
// direction: a page reads only as many positions as it needs, so the cost of
// a filtered page depends on the page, not on how many records the filters
// match. (Building the union or intersection of whole posting lists first
// would cost time proportional to the dataset on every request.)
type posSet interface {
	// ge returns the smallest position >= p in the set, or none.
	ge(p int) int
	// le returns the largest position <= p in the set, or -1.
	le(p int) int
}

// none is what ge returns when no position is left.
const none = math.MaxInt

// listSet is an ascending posting list; positions outside [lo, hi) are left
// out. Walks are monotonic, so each call searches only the part of the list
// not yet passed.
type listSet struct {
	list   []int
	lo, hi int // bounds on the positions, not indexes into list
}

func newListSet(list []int) *listSet { return &listSet{list: list, lo: 0, hi: none} }

func (s *listSet) ge(p int) int {
	p = max(p, s.lo)
	i := sort.SearchInts(s.list, p)
	if i == len(s.list) || s.list[i] >= s.hi {
		return none
	}
	return s.list[i]
}

func (s *listSet) le(p int) int {
	if s.hi != none {
		p = min(p, s.hi-1)
	}
	i := sort.SearchInts(s.list, p+1) - 1 // last element <= p
	if i < 0 || s.list[i] < s.lo {
		return -1
	}
	return s.list[i]
}

// unionSet holds the positions of any of its sets: the values of one
// filter, ORed.
type unionSet []posSet

func (u unionSet) ge(p int) int {
	best := none
	for _, s := range u {
		best = min(best, s.ge(p))
	}
	return best
}

func (u unionSet) le(p int) int {
	best := -1
	for _, s := range u {
		best = max(best, s.le(p))
	}
	return best
}

// interSet holds the positions of all of its sets: filters ANDed. It
// leapfrogs: each set skips ahead to where the others are.
type interSet []posSet

func (x interSet) ge(p int) int {
	for {
		agreed := true
		for _, s := range x {
			q := s.ge(p)
			if q == none {
				return none
			}
			if q != p {
				p, agreed = q, false
			}
		}
		if agreed {
			return p
		}
	}
}

func (x interSet) le(p int) int {
	for {
		agreed := true
		for _, s := range x {
			q := s.le(p)
			if q < 0 {
				return -1
			}
			if q != p {
				p, agreed = q, false
			}
		}
		if agreed {
			return p
		}
	}
}

// postings maps a filter dimension and a value to the ascending positions
// of the records that have it.
type postings map[string]map[string][]int

func (ps postings) add(dim, value string, pos int) {
	m := ps[dim]
	if m == nil {
		m = map[string][]int{}
		ps[dim] = m
	}
	if l := m[value]; len(l) == 0 || l[len(l)-1] != pos {
		m[value] = append(l, pos)
	}
}

// filter is one indexed filter of a query: a dimension and the values
// allowed (ORed); no values means no filter.
type filter struct {
	dim    string
	values []string
}

// set returns the positions that the indexed filters allow, ANDed, and
// false when no filter is set (every position is a candidate). extra sets
// are ANDed in as well.
func (ps postings) set(filters []filter, extra ...posSet) (posSet, bool) {
	var x interSet
	for _, f := range filters {
		if len(f.values) == 0 {
			continue
		}
		var u unionSet
		for _, v := range f.values {
			if l := ps[f.dim][v]; len(l) > 0 {
				u = append(u, newListSet(l))
			}
		}
		if len(u) == 0 {
			return emptySet{}, true
		}
		if len(u) == 1 {
			x = append(x, u[0])
		} else {
			x = append(x, u)
		}
	}
	x = append(x, extra...)
	switch len(x) {
	case 0:
		return nil, false
	case 1:
		return x[0], true
	default:
		return x, true
	}
}

// emptySet holds nothing: a filter value no record has.
type emptySet struct{}

func (emptySet) ge(int) int { return none }
func (emptySet) le(int) int { return -1 }

// spanClass holds the events whose spans are of similar length: between
// 2^(k-1) and 2^k days. An event overlaps a range that starts on day D only
// if it ends on D or later, that is if it starts no earlier than
// D - (its length - 1); within a class, no event that starts before
// D - (the class's longest - 1) can. So for each class the events that may
// overlap a range form a suffix of its list (in start order), found by a
// binary search, and the few that start in that window but end too early
// are the only ones a walk skips. One long event early in the list would
// otherwise force every walk to start there.
type spanClass struct {
	days int   // the longest span in the class, in days
	list []int // positions of its events, ascending
}

// spanClasses groups sorted events by the length of their spans.
func spanClasses(events []dataset.Event) []spanClass {
	var classes []spanClass
	for i := range events {
		sp := events[i].Span()
		days := int(sp.End.Sub(sp.Start).Hours()/24) + 1
		k := bits.Len(uint(days))
		for len(classes) <= k {
			classes = append(classes, spanClass{})
		}
		c := &classes[k]
		c.days = max(c.days, days)
		c.list = append(c.list, i)
	}
	return classes
}

// overlapping returns the positions of the events that may overlap a range
// that starts on day from.
func (ix *index) overlapping(from time.Time) posSet {
	var u unionSet
	for _, c := range ix.spans {
		if len(c.list) == 0 {
			continue
		}
		bound := from.AddDate(0, 0, -(c.days - 1)).Format("2006-01-02")
		k := sort.Search(len(c.list), func(j int) bool { return ix.events.keys[c.list[j]].Key >= bound })
		if k < len(c.list) {
			u = append(u, newListSet(c.list[k:]))
		}
	}
	if len(u) == 0 {
		return emptySet{}
	}
	return u
}
