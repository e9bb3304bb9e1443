package store

import (
	"bytes"
)

// Doc is a record as the API sends it, encoded once when its release is
// built (see package encode): its JSON object and its CSV row, each with the
// end offsets of its parts, so that a field selection is a concatenation of
// slices rather than a new encoding.
//
// Both stores hold the same Doc for the same record of the same release,
// made by the same function, so both answer with the same bytes.
type Doc struct {
	// JSON is the record's JSON object.
	JSON []byte
	// Members holds the end offset in JSON of each top-level member
	// ("name":value); the first starts after the opening brace, each next
	// one after the comma that ends the one before.
	Members []int32
	// CSV is the record's row of its kind's CSV table (every column, cells
	// neutralised and quoted, no line ending); Cells holds the end offset
	// of each cell, in column order.
	CSV   []byte
	Cells []int32
}

// Run is a page's records laid end to end as a list sends them: their JSON
// objects joined by commas, and their CSV rows each ended by CRLF. A store
// that keeps a release's records contiguously in list order (the memory
// store) gives it for a page of consecutive records, so that such a page is
// one piece of bytes rather than two per record; a store that cannot leaves
// it empty, and the page is assembled record by record. Either way the bytes
// sent are the same.
type Run struct {
	JSON, CSV []byte
}

// Keep selects top-level JSON members by name; nil keeps them all.
type Keep map[string]bool

// AppendJSON appends the record's JSON object, with only the members that
// keep selects (in the record's own order) when keep is not nil.
func (d *Doc) AppendJSON(dst []byte, keep Keep) []byte {
	if keep == nil {
		return append(dst, d.JSON...)
	}
	dst = append(dst, '{')
	first, start := true, int32(1)
	for _, end := range d.Members {
		member := d.JSON[start:end]
		start = end + 1
		if !keep[memberName(member)] {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, member...)
	}
	return append(dst, '}')
}

// memberName is the name of an encoded member, "name":value. Field names
// are plain ASCII identifiers, so they need no unescaping.
func memberName(member []byte) string {
	if len(member) < 2 || member[0] != '"' {
		return ""
	}
	end := bytes.IndexByte(member[1:], '"')
	if end < 0 {
		return ""
	}
	return string(member[1 : 1+end])
}

// AppendCSV appends the record's CSV row with the given columns (indexes
// into its kind's table, in the order to write them), or every column when
// cols is nil. No line ending is appended.
func (d *Doc) AppendCSV(dst []byte, cols []int) []byte {
	if cols == nil {
		return append(dst, d.CSV...)
	}
	for i, c := range cols {
		if i > 0 {
			dst = append(dst, ',')
		}
		start := int32(0)
		if c > 0 {
			start = d.Cells[c-1] + 1
		}
		dst = append(dst, d.CSV[start:d.Cells[c]]...)
	}
	return dst
}
