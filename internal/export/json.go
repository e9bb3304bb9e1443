package export

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes records as one JSON array, indented so that it reads in
// a browser or a text editor, each record as the API serves it. An empty
// list is [], never null.
func WriteJSON[T any](w io.Writer, items []T) error {
	if items == nil {
		items = []T{}
	}
	enc := json.NewEncoder(w)
	// The data is text for people: &, < and > stay as they are.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(items); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

// WriteNDJSON writes one record per line (newline-delimited JSON), the form
// that streams into databases and command-line tools line by line.
func WriteNDJSON[T any](w io.Writer, items []T) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range items {
		if err := enc.Encode(&items[i]); err != nil {
			return fmt.Errorf("writing NDJSON record %d: %w", i+1, err)
		}
	}
	return bw.Flush()
}
