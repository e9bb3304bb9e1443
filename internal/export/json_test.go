package export

import (
	"bytes"
	"encoding/json"
	"testing"
)

// WriteJSON writes, record by record, the bytes json.Encoder gives for the
// whole array, indented, with HTML characters as they are.
func TestWriteJSONIsTheIndentedArray(t *testing.T) {
	type rec struct {
		ID     string            `json:"id"`
		Tags   []string          `json:"tags"`
		Nested map[string][]int  `json:"nested,omitempty"`
		Empty  []string          `json:"empty"`
		Obj    map[string]string `json:"obj"`
	}
	cases := map[string][]rec{
		"nil":   nil,
		"empty": {},
		"one":   {{ID: "a <&> b", Tags: []string{"x", "y"}, Nested: map[string][]int{"k": {1, 2}}, Obj: map[string]string{}}},
		"three": {{ID: "a"}, {ID: "b", Tags: []string{}}, {ID: "c", Obj: map[string]string{"z": "1", "a": "2"}}},
	}
	for name, items := range cases {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		whole := items
		if whole == nil {
			whole = []rec{}
		}
		if err := enc.Encode(whole); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := WriteJSON(&got, items); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s:\n%s\nwant:\n%s", name, got.String(), want.String())
		}
	}
}
