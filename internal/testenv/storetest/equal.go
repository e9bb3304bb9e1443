package storetest

import (
	"bytes"
	"encoding/json"
	"testing"
)

// equalJSON compares two values by their JSON encoding, which is what the
// API serves: a store may hold records in any form as long as they encode
// the same.
func equalJSON(t *testing.T, got, want any) bool {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(g, w)
}
