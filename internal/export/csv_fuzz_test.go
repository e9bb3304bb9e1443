package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// dangerous are the first characters a spreadsheet may run as a formula.
var dangerous = []string{"=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"}

// FuzzCSVCell writes arbitrary text through the CSV writer and reads it
// back: the text survives (with at most the neutralising apostrophe in
// front), and no cell of the output starts a formula.
func FuzzCSVCell(f *testing.F) {
	for _, s := range []string{"", "plain", "=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx", "＝1", "a,b", "a\"b", "line\nbreak", "防衛省", "'=already", "\xef\xbc\r\x9d", "\xff=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		type row struct{ v string }
		// Two columns, like every real table: a lone empty cell would be an
		// empty line, which CSV readers skip.
		table := Table[row]{
			{Name: "id", Field: "id", Value: func(*row) string { return "x" }},
			{Name: "value", Field: "value", Value: func(r *row) string { return r.v }},
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, table, []row{{s}}, CSVOptions{Excel: true}); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), UTF8BOM))).ReadAll()
		if err != nil {
			// encoding/csv rejects some inputs it wrote itself (a bare \r in
			// a quoted field is read as a line end); that is the reader's
			// limit, not an injection, so only the cell rule is checked.
			if out := Cell(s); startsDangerous(out) {
				t.Fatalf("cell %q neutralised to %q", s, out)
			}
			return
		}
		if len(recs) != 2 || len(recs[1]) != 2 {
			t.Fatalf("%q: read back %q", s, recs)
		}
		got := recs[1][1]
		if startsDangerous(got) {
			t.Fatalf("%q: cell %q starts a formula", s, got)
		}
		// encoding/csv's reader drops carriage returns inside fields; compare
		// without them. Bytes that are not UTF-8 are written as U+FFFD.
		noCR := func(x string) string { return strings.ReplaceAll(x, "\r", "") }
		want := strings.ToValidUTF8(s, "\uFFFD")
		if noCR(got) != noCR(want) && noCR(got) != noCR("'"+want) {
			t.Fatalf("%q: read back as %q", s, got)
		}
	})
}

func startsDangerous(s string) bool {
	for _, d := range dangerous {
		if strings.HasPrefix(s, d) {
			return true
		}
	}
	return false
}
