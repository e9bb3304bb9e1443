package api

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

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
	fields := kindFields[V](v.Type())
	out := make(map[string]*V, len(fields))
	for kind, i := range fields {
		out[kind] = v.Field(i).Addr().Interface().(*V)
	}
	return out
}

// kindFields maps each kind to the index of its field of type V in the
// struct type t, found once per type.
func kindFields[V any](t reflect.Type) map[string]int {
	if f, ok := kindFieldCache.Load(t); ok {
		return f.(map[string]int)
	}
	byName := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Type == reflect.TypeFor[V]() && name != "" {
			byName[name] = i
		}
	}
	fields := make(map[string]int, len(dataset.Kinds))
	for _, k := range dataset.Kinds {
		i, ok := byName[k.Plural()]
		if !ok {
			panic(fmt.Sprintf("api: %s has no field for the kind %s", t, k.Plural()))
		}
		fields[k.Plural()] = i
	}
	kindFieldCache.Store(t, fields)
	return fields
}

// kindFieldCache holds kindFields by struct type.
var kindFieldCache sync.Map
