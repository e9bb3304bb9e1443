// Package encode encodes records as the API sends them, once per release:
// each record's JSON object and CSV row, with the offsets that a field or
// column selection needs (store.Doc). The memory store encodes its records
// when it is built; the DynamoDB store encodes what it reads (see its
// package documentation). It is apart from package release, which also
// renders pages, so that the Lambda function links no template engine.
package encode

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"

	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// Record encodes one record as the API sends it: its JSON object (what
// json.Marshal gives) and its row of table, with the offsets a field
// selection needs. It is the only place where records are encoded for the
// API; both stores keep (or read back) what it returns.
func Record[T any](r *T, table export.Table[T]) (store.Doc, error) {
	b, err := JSON(r)
	if err != nil {
		return store.Doc{}, err
	}
	return FromJSON(b, r, table)
}

// JSON is a record's JSON object, as Record encodes it: what the loader
// stores in a record's item.
func JSON[T any](r *T) ([]byte, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encoding %T: %w", r, err)
	}
	return b, nil
}

// FromJSON completes the document of a record whose JSON object (from JSON)
// is at hand: the offsets of its members, and its CSV row. The DynamoDB
// store calls it with the bytes it read, so the JSON is never encoded again.
func FromJSON[T any](b []byte, r *T, table export.Table[T]) (store.Doc, error) {
	members, err := MemberEnds(b)
	if err != nil {
		return store.Doc{}, fmt.Errorf("encoding %T: %w", r, err)
	}
	d := store.Doc{JSON: b, Members: members, Cells: make([]int32, len(table))}
	var row, cell bytes.Buffer
	cw := csv.NewWriter(&cell)
	cw.UseCRLF = true // as export.WriteCSV: a line break inside a cell is CRLF too
	for i, c := range table {
		if i > 0 {
			row.WriteByte(',')
		}
		// Quoting depends on the cell alone, so a row is its cells, each
		// written as encoding/csv writes it, joined by commas: the same
		// bytes as export.WriteCSV writes (a test checks it).
		cell.Reset()
		if err := cw.Write([]string{export.Cell(c.Value(r))}); err != nil {
			return store.Doc{}, fmt.Errorf("encoding the CSV cell %s of %T: %w", c.Name, r, err)
		}
		cw.Flush()
		row.Write(bytes.TrimSuffix(cell.Bytes(), []byte("\r\n")))
		d.Cells[i] = int32(row.Len())
	}
	d.CSV = row.Bytes()
	return d, nil
}

// Laid is records encoded in their order and laid end to end (store.Run):
// Docs refer into one buffer of JSON objects, each followed by a comma, and
// one of CSV rows, each followed by CRLF, so that the run of any consecutive
// records is a slice of each.
type Laid struct {
	Docs      []store.Doc
	json, csv []byte
	// jsonAt and csvAt hold where each record starts in json and csv, and
	// a last entry where the run ends.
	jsonAt, csvAt []int
}

// Records encodes records in their order, laid end to end.
func Records[T any](records []T, table export.Table[T]) (*Laid, error) {
	l := &Laid{Docs: make([]store.Doc, len(records)), jsonAt: make([]int, len(records)+1), csvAt: make([]int, len(records)+1)}
	for i := range records {
		d, err := Record(&records[i], table)
		if err != nil {
			return nil, err
		}
		l.Docs[i] = d
		l.jsonAt[i+1] = l.jsonAt[i] + len(d.JSON) + len(",")
		l.csvAt[i+1] = l.csvAt[i] + len(d.CSV) + len("\r\n")
	}
	l.json, l.csv = make([]byte, 0, l.jsonAt[len(records)]), make([]byte, 0, l.csvAt[len(records)])
	for i := range l.Docs {
		d := &l.Docs[i]
		l.json = append(append(l.json, d.JSON...), ',')
		l.csv = append(append(l.csv, d.CSV...), "\r\n"...)
		// Each record's own slices are capped, so that an append to one
		// cannot write over the next.
		d.JSON = l.json[l.jsonAt[i] : l.jsonAt[i]+len(d.JSON) : l.jsonAt[i]+len(d.JSON)]
		d.CSV = l.csv[l.csvAt[i] : l.csvAt[i]+len(d.CSV) : l.csvAt[i]+len(d.CSV)]
	}
	return l, nil
}

// Run is the run of the n records from first on (n > 0).
func (l *Laid) Run(first, n int) store.Run {
	end := l.jsonAt[first+n] - len(",") // no comma after the last
	csvEnd := l.csvAt[first+n]
	return store.Run{
		JSON: l.json[l.jsonAt[first]:end:end],
		CSV:  l.csv[l.csvAt[first]:csvEnd:csvEnd],
	}
}

// MemberEnds returns the end offset of each top-level member of a compact
// JSON object (as json.Marshal writes it): the index of the comma or of the
// closing brace that follows the member.
func MemberEnds(obj []byte) ([]int32, error) {
	if len(obj) < 2 || obj[0] != '{' || obj[len(obj)-1] != '}' {
		return nil, fmt.Errorf("not a JSON object")
	}
	var ends []int32
	depth, inString, escaped := 0, false, false
	for i := 1; i < len(obj); i++ {
		c := obj[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth == 0 {
				if i != len(obj)-1 {
					return nil, fmt.Errorf("text after the end of the object")
				}
				if i > 1 { // not an empty object
					ends = append(ends, int32(i))
				}
				return ends, nil
			}
			depth--
		case c == ',' && depth == 0:
			ends = append(ends, int32(i))
		}
	}
	return nil, fmt.Errorf("unterminated JSON object")
}

// Summary encodes the rows of a budget summary (store.Summarize) as the API
// sends them, setting each row's Doc.
func Summary(rows []store.BudgetTotal) error {
	for i := range rows {
		r := &rows[i]
		row := export.BudgetTotal{
			FiscalYear: r.FiscalYear, FiscalYearTo: r.FiscalYearTo, Agency: r.Agency, Stage: r.Stage,
			CyberJPY: r.CyberJPY, CyberBasis: r.CyberBasis, AmountQualifier: r.Qualifier, DefenseJPY: r.DefenseJPY, Lines: r.Lines,
		}
		doc, err := Record(&row, export.Summary)
		if err != nil {
			return fmt.Errorf("encoding the budget summary: %w", err)
		}
		r.Doc = doc
	}
	return nil
}

// SummaryRow is the inverse of Summary for one row whose JSON (as Summary
// made it) is at hand: the row's values, for selecting it, and its
// document, whose JSON is those bytes, not encoded again. The DynamoDB
// store keeps the summary's rows so.
func SummaryRow(b []byte) (store.BudgetTotal, error) {
	var row export.BudgetTotal
	if err := json.Unmarshal(b, &row); err != nil {
		return store.BudgetTotal{}, fmt.Errorf("decoding a budget summary row: %w", err)
	}
	doc, err := FromJSON(b, &row, export.Summary)
	if err != nil {
		return store.BudgetTotal{}, err
	}
	return store.BudgetTotal{
		FiscalYear: row.FiscalYear, FiscalYearTo: row.FiscalYearTo, Agency: row.Agency, Stage: row.Stage,
		CyberJPY: row.CyberJPY, CyberBasis: row.CyberBasis, Qualifier: row.AmountQualifier, DefenseJPY: row.DefenseJPY, Lines: row.Lines,
		Doc: doc,
	}, nil
}
