package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Changes lists what changed from one release to a later one, kind by kind.
// Diff computes it; the stores serve it for any two releases they hold.
type Changes struct {
	Release string `json:"release"` // the later release
	Since   string `json:"since"`   // the earlier release it is compared with
	// Kinds holds one entry per kind of record, always all of them, in the
	// order of Kinds (as Counts).
	Kinds []KindChanges `json:"kinds"`
}

// KindChanges are the changes to the records of one kind. Every list is
// ordered by id.
//
//   - Added: ids that the earlier release does not have (a record added as a
//     tombstone is added and withdrawn).
//   - Changed: records in both releases whose JSON encodings differ, with the
//     top-level fields that differ.
//   - Withdrawn: records that became withdrawn tombstones, and records that
//     disappeared (which a release should never do: ids are never reused, and
//     records are withdrawn, not deleted).
//
// A record withdrawn in the later release is therefore listed twice: under
// Withdrawn, and under Changed with the fields that withdrawing it set
// (status, superseded_by, withdrawn_reason, and anything else edited). One
// list answers "what is no longer current", the other "what exactly
// differs", and each is complete on its own.
type KindChanges struct {
	Kind      string         `json:"kind"` // plural, as in Counts: "events"
	Added     []string       `json:"added"`
	Changed   []RecordChange `json:"changed"`
	Withdrawn []string       `json:"withdrawn"`
}

// RecordChange is one record that differs between two releases.
type RecordChange struct {
	ID string `json:"id"`
	// Fields are the top-level JSON fields whose encodings differ, including
	// fields present in only one of the releases, in the order the record
	// type declares them.
	Fields []string `json:"fields"`
}

// Empty reports whether nothing changed.
func (c *Changes) Empty() bool {
	for _, k := range c.Kinds {
		if len(k.Added)+len(k.Changed)+len(k.Withdrawn) > 0 {
			return false
		}
	}
	return true
}

// Diff compares two releases record by record: older is the release
// compared with (Since), newer the one described (Release). It is a pure
// function of the two releases' records; their order does not matter.
func Diff(older, newer *Release) (Changes, error) {
	c := Changes{Release: newer.Info.Version, Since: older.Info.Version}
	for _, k := range Kinds {
		kc, err := k.diff(older, newer)
		if err != nil {
			return Changes{}, fmt.Errorf("changes of %s since %s: %w", c.Release, c.Since, err)
		}
		c.Kinds = append(c.Kinds, kc)
	}
	return c, nil
}

// diffKind compares the records of one kind.
func diffKind[T any](kind string, older, newer []T, key func(*T) (string, Lifecycle)) (KindChanges, error) {
	kc := KindChanges{Kind: kind, Added: []string{}, Changed: []RecordChange{}, Withdrawn: []string{}}
	before := make(map[string]*T, len(older))
	for i := range older {
		id, _ := key(&older[i])
		before[id] = &older[i]
	}
	seen := make(map[string]bool, len(newer))
	for i := range newer {
		n := &newer[i]
		id, nl := key(n)
		seen[id] = true
		o, ok := before[id]
		if !ok {
			kc.Added = append(kc.Added, id)
			if nl.Withdrawn() {
				kc.Withdrawn = append(kc.Withdrawn, id)
			}
			continue
		}
		_, ol := key(o)
		fields, err := changedFields(o, n)
		if err != nil {
			return kc, fmt.Errorf("%s %s: %w", kind, id, err)
		}
		if len(fields) > 0 {
			kc.Changed = append(kc.Changed, RecordChange{ID: id, Fields: fields})
		}
		if nl.Withdrawn() && !ol.Withdrawn() {
			kc.Withdrawn = append(kc.Withdrawn, id)
		}
	}
	for id := range before {
		if !seen[id] {
			kc.Withdrawn = append(kc.Withdrawn, id)
		}
	}
	slices.Sort(kc.Added)
	slices.SortFunc(kc.Changed, func(a, b RecordChange) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	slices.Sort(kc.Withdrawn)
	return kc, nil
}

// changedFields compares the JSON encodings of two records field by field:
// the top-level fields whose encoded values differ, or that only one of them
// has. Both are encoded by encoding/json from the same type, so equal values
// have equal bytes.
func changedFields[T any](older, newer *T) ([]string, error) {
	ok, oldFields, err := jsonFields(older)
	if err != nil {
		return nil, err
	}
	nk, newFields, err := jsonFields(newer)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range nk {
		if o, had := oldFields[k]; !had || !bytes.Equal(o, newFields[k]) {
			out = append(out, k)
		}
	}
	for _, k := range ok {
		if _, has := newFields[k]; !has {
			out = append(out, k)
		}
	}
	// Fields only the older record had come last; put every field in the
	// order the type declares them, which both encodings follow.
	order := fieldOrder[T]()
	slices.SortStableFunc(out, func(a, b string) int { return order[a] - order[b] })
	return out, nil
}

// jsonFields encodes v and returns its top-level keys in order and their
// encoded values.
func jsonFields(v any) ([]string, map[string]json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // {
		return nil, nil, err
	}
	var keys []string
	values := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		k, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, err
		}
		keys = append(keys, k)
		values[k] = raw
	}
	return keys, values, nil
}

// fieldOrder numbers the top-level JSON fields of T in declaration order,
// fields of embedded structs (Lifecycle) where they are embedded.
func fieldOrder[T any]() map[string]int {
	order := map[string]int{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case f.Anonymous && f.Type.Kind() == reflect.Struct && name == "":
				walk(f.Type)
			case name != "" && name != "-" && f.IsExported():
				order[name] = len(order)
			}
		}
	}
	if t := reflect.TypeFor[T](); t.Kind() == reflect.Struct {
		walk(t)
	}
	return order
}
