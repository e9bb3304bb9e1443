// Package export writes dataset records as CSV and NDJSON, the flat formats
// journalists open in spreadsheets. The API's CSV responses and the release
// bundles both use it, so a record looks the same wherever it is downloaded.
package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// Column is one CSV column of a record type T.
type Column[T any] struct {
	Name  string // header, e.g. "title_en"
	Field string // the record's top-level JSON field it comes from, e.g. "title"
	Doc   string // what the column holds, for codebooks
	Value func(*T) string
}

// Table is the CSV layout of one record type.
type Table[T any] []Column[T]

// Select returns the columns that come from the given top-level fields, in
// table order; no fields means every column.
func (t Table[T]) Select(fields []string) Table[T] {
	if len(fields) == 0 {
		return t
	}
	keep := map[string]bool{}
	for _, f := range fields {
		keep[f] = true
	}
	var out Table[T]
	for _, c := range t {
		if keep[c.Field] {
			out = append(out, c)
		}
	}
	return out
}

// Erase is a table for records held as any, each a pointer to T: what
// code that handles several record types alike (a store's kinds listed in
// id order) encodes with.
func Erase[T any](t Table[T]) Table[any] {
	out := make(Table[any], len(t))
	for i, c := range t {
		value := c.Value
		out[i] = Column[any]{Name: c.Name, Field: c.Field, Doc: c.Doc, Value: func(r *any) string { return value((*r).(*T)) }}
	}
	return out
}

// UTF8BOM makes Excel open a CSV file as UTF-8; without it, Excel on Windows
// reads it in the locale's legacy code page and mangles Japanese text.
const UTF8BOM = "\uFEFF"

// CSVOptions controls the CSV dialect.
type CSVOptions struct {
	// Excel adds a UTF-8 byte order mark so that Excel detects the encoding.
	Excel bool
}

// WriteHeader writes a CSV header row of these column names, as WriteCSV
// writes it.
func WriteHeader(w io.Writer, names []string) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	row := make([]string, len(names))
	for i, n := range names {
		row[i] = Cell(n)
	}
	if err := cw.Write(row); err != nil {
		return fmt.Errorf("writing the CSV header: %w", err)
	}
	cw.Flush()
	return cw.Error()
}

// WriteCSV writes a header row and one row per item, with CRLF line endings
// (RFC 4180). Every cell is neutralised against formula injection.
func WriteCSV[T any](w io.Writer, t Table[T], items []T, opt CSVOptions) error {
	bw := bufio.NewWriter(w)
	if opt.Excel {
		if _, err := bw.WriteString(UTF8BOM); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	row := make([]string, len(t))
	for i, c := range t {
		row[i] = Cell(c.Name)
	}
	if err := cw.Write(row); err != nil {
		return fmt.Errorf("writing the CSV header: %w", err)
	}
	for i := range items {
		for j, c := range t {
			row[j] = Cell(c.Value(&items[i]))
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("writing CSV row %d: %w", i+1, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// Cell neutralises a cell that a spreadsheet would run as a formula: one
// that begins with =, +, -, @, a tab or a carriage return (or their
// full-width forms) gets a leading apostrophe, which spreadsheets display as
// text and do not evaluate. See OWASP's "CSV Injection".
//
// The file is UTF-8, so bytes that are not UTF-8 become U+FFFD first. Left
// as they were, they hide a formula from this check: a reader that drops
// carriage returns inside a field (as Go's encoding/csv does) turns
// "\xef\xbc\r\x9d" into "＝".
func Cell(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD") // returns s itself when it is valid
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	for _, p := range []string{"＝", "＋", "－", "＠"} {
		if strings.HasPrefix(s, p) {
			return "'" + s
		}
	}
	return s
}
