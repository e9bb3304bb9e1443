package dataset

import (
	"reflect"
	"testing"
)

// Every list of records in a Release is described by exactly one kind, so
// that loading, counting, diffing and the exports cover a new kind once it
// has its Kind, and cannot miss one.
func TestKindsDescribeEveryRecordList(t *testing.T) {
	var r Release
	described := map[uintptr]string{}
	for _, k := range Kinds {
		p := reflect.ValueOf(k).Elem().FieldByName("Records").Call([]reflect.Value{reflect.ValueOf(&r)})[0].Pointer()
		if other, dup := described[p]; dup {
			t.Errorf("kinds %s and %s describe the same list", other, k.Plural())
		}
		described[p] = k.Plural()
	}
	rt := reflect.TypeFor[Release]()
	for i := range rt.NumField() {
		f := rt.Field(i)
		if f.Type.Kind() != reflect.Slice {
			continue
		}
		if _, ok := described[reflect.ValueOf(&r).Elem().Field(i).Addr().Pointer()]; !ok {
			t.Errorf("Release.%s is a list of records that no kind describes", f.Name)
		}
	}
}

// A kind's description agrees with its records: its file holds them, its
// count and ids are theirs, and each record goes back to its own kind.
func TestKindsAgreeWithTheirRecords(t *testing.T) {
	rel, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{}
	for _, f := range Files {
		files[f.Name] = true
	}
	for i, k := range Kinds {
		if !files[k.File().Name] || KindNamed(k.Plural()) != k {
			t.Errorf("%s: file %s listed %v, found by name %v", k.Plural(), k.File().Name, files[k.File().Name], KindNamed(k.Plural()) == k)
		}
		all, ids := k.All(rel), k.IDs(rel)
		if k.Count(rel) == 0 || len(all) != k.Count(rel) || len(ids) != len(all) || Counts(rel)[i].N != len(all) {
			t.Errorf("%s: count %d, %d records, %d ids", k.Plural(), k.Count(rel), len(all), len(ids))
		}
		var placed Release
		for _, rec := range all {
			placeRecord(&placed, rec)
		}
		if !reflect.DeepEqual(k.IDs(&placed), ids) {
			t.Errorf("%s: placing its records again gives %v", k.Plural(), k.IDs(&placed))
		}
	}
}
