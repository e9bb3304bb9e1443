package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes records as one JSON array, indented so that it reads in
// a browser or a text editor, each record as the API serves it. An empty
// list is [], never null. The records are encoded one at a time, with the
// bytes json.Encoder gives for the whole array, so that a large release is
// never held encoded (twice, before and after indenting).
func WriteJSON[T any](w io.Writer, items []T) error {
	bw := bufio.NewWriter(w)
	if len(items) == 0 {
		if _, err := bw.WriteString("[]\n"); err != nil {
			return fmt.Errorf("writing JSON: %w", err)
		}
		return bw.Flush()
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// The data is text for people: &, < and > stay as they are.
	enc.SetEscapeHTML(false)
	// Each record one level in: the array's indentation before every line
	// but its first, which follows the indentation written here.
	enc.SetIndent("  ", "  ")
	_, _ = bw.WriteString("[\n") // a bufio.Writer's error is kept and returned by Flush
	for i := range items {
		buf.Reset()
		if err := enc.Encode(&items[i]); err != nil {
			return fmt.Errorf("writing JSON record %d: %w", i+1, err)
		}
		_, _ = bw.WriteString("  ")
		_, _ = bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		if i < len(items)-1 {
			_ = bw.WriteByte(',')
		}
		_ = bw.WriteByte('\n')
	}
	_, _ = bw.WriteString("]\n")
	if err := bw.Flush(); err != nil {
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
