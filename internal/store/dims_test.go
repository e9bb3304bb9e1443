package store

import (
	"reflect"
	"slices"
	"testing"

	"github.com/jcdd/jcdd/dataset"
)

// checkDims checks that each dimension's Has agrees with its Values on every
// record, and that every list-valued filter of the query type Q is the
// Wanted of exactly one dimension, so that a filter added to a query is not
// left out of the indexes or the matching.
func checkDims[T, Q any](t *testing.T, dims []Dim[T, Q], records []T) {
	t.Helper()
	for i := range dims {
		d := &dims[i]
		for j := range records {
			values := d.Values(&records[j])
			if d.One != nil {
				var one []string
				if v := d.One(&records[j]); v != "" {
					one = []string{v}
				}
				if !slices.Equal(one, values) {
					t.Fatalf("%s: record %d has %q by One but %q by Values", d.Name, j, one, values)
				}
			}
			for _, v := range values {
				if !d.Has(&records[j], v) {
					t.Fatalf("%s: record %d has %q by Values but not by Has", d.Name, j, v)
				}
			}
			if d.Has(&records[j], "no-such-value") {
				t.Fatalf("%s: record %d has a value it does not list", d.Name, j)
			}
		}
	}
	qt := reflect.TypeFor[Q]()
	for f := range qt.NumField() {
		field := qt.Field(f)
		if field.Type != reflect.TypeFor[[]string]() {
			continue
		}
		var q Q
		reflect.ValueOf(&q).Elem().Field(f).Set(reflect.ValueOf([]string{"probe"}))
		var by []string
		for i := range dims {
			if slices.Equal(dims[i].Wanted(&q), []string{"probe"}) {
				by = append(by, dims[i].Name)
			}
		}
		if len(by) != 1 {
			t.Errorf("%s.%s is wanted by dimensions %v, want exactly one", qt.Name(), field.Name, by)
		}
	}
}

func TestDims(t *testing.T) {
	rel, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	checkDims(t, EventDims, rel.Events)
	checkListKind(t, ActorKind, rel)
	checkListKind(t, ProgramKind, rel)
	checkListKind(t, SourceKind, rel)
}

// checkListKind is checkDims for a kind listed in id order, whose filters
// are named: each dimension wants the values of its own name only, and a
// filter of another name is refused.
func checkListKind[T any](t *testing.T, k *IDKind[T], rel *dataset.Release) {
	t.Helper()
	checkDims(t, k.Dims, *k.Records(rel))
	for i := range k.Dims {
		q := ListQuery{Filters: map[string][]string{k.Dims[i].Name: {"probe"}}}
		for j := range k.Dims {
			if got := k.Dims[j].Wanted(&q); (i == j) != slices.Equal(got, []string{"probe"}) {
				t.Errorf("%s: dimension %s wants %q of a filter on %s", k.Name, k.Dims[j].Name, got, k.Dims[i].Name)
			}
		}
		if err := k.CheckQuery(&q); err != nil {
			t.Errorf("%s: %v", k.Name, err)
		}
	}
	if err := k.CheckQuery(&ListQuery{Filters: map[string][]string{"no-such-dim": {"x"}}}); err == nil {
		t.Errorf("%s: a filter on a dimension it does not have is accepted", k.Name)
	}
	for _, index := range k.Indexes {
		for _, dim := range index {
			if !k.hasDim(dim) {
				t.Errorf("%s: index %v names %s, which is not a dimension", k.Name, index, dim)
			}
		}
	}
}
