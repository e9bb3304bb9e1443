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

func TestEventAndActorDims(t *testing.T) {
	rel, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	checkDims(t, EventDims, rel.Events)
	checkDims(t, ActorDims, rel.Actors)
}
