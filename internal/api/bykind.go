package api

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/jcdd/jcdd/dataset"
)

// byKind maps each kind of record (dataset.Kinds) to the field of *s that
// holds its value of type V: the field whose JSON name is the kind's name.
// Answers that give one value per kind (a release's counts, its changes)
// are structs with a field per kind, so that their schema names each one;
// this finds the field from the kind rather than from a list of names. It
// panics if a kind has no field, which the first answer of any test finds.
func byKind[V any, S any](s *S) map[string]*V {
	v := reflect.ValueOf(s).Elem()
	fields := map[string]*V{}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Type == reflect.TypeFor[V]() && name != "" {
			fields[name] = v.Field(i).Addr().Interface().(*V)
		}
	}
	out := make(map[string]*V, len(dataset.Kinds))
	for _, k := range dataset.Kinds {
		p, ok := fields[k.Plural()]
		if !ok {
			panic(fmt.Sprintf("api: %T has no field for the kind %s", *s, k.Plural()))
		}
		out[k.Plural()] = p
	}
	return out
}
