package encode_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/encode"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// checkKind checks that the documents of records give exactly what the
// reflection-based encoders give: json.Marshal for the JSON (whole, and for
// every single-field selection) and export.WriteCSV for the CSV rows (all
// columns, and each one alone).
func checkKind[T any](t *testing.T, name string, records []T, table export.Table[T]) {
	t.Helper()
	laid, err := encode.Records(records, table)
	if err != nil {
		t.Fatal(err)
	}
	docs := laid.Docs
	checkRuns(t, name, laid)
	for i := range records {
		want, _ := json.Marshal(&records[i])
		d := &docs[i]
		if got := d.AppendJSON(nil, nil); !bytes.Equal(got, want) {
			t.Fatalf("%s %d: JSON\n%s\nwant\n%s", name, i, got, want)
		}
		var members map[string]json.RawMessage
		_ = json.Unmarshal(want, &members)
		for field, raw := range members {
			got := d.AppendJSON(nil, store.Keep{field: true})
			var sel map[string]json.RawMessage
			if err := json.Unmarshal(got, &sel); err != nil || len(sel) != 1 || !bytes.Equal(sel[field], raw) {
				t.Fatalf("%s %d: selecting %s gives %s", name, i, field, got)
			}
		}
		var row bytes.Buffer
		if err := export.WriteCSV(&row, table, records[i:i+1], export.CSVOptions{}); err != nil {
			t.Fatal(err)
		}
		lines := bytes.SplitN(row.Bytes(), []byte("\r\n"), 2)
		wantRow := bytes.TrimSuffix(lines[1], []byte("\r\n"))
		if got := d.AppendCSV(nil, nil); !bytes.Equal(got, wantRow) {
			t.Fatalf("%s %d: CSV row\n%q\nwant\n%q", name, i, got, wantRow)
		}
		for c := range table {
			var one bytes.Buffer
			_ = export.WriteCSV(&one, table[c:c+1], records[i:i+1], export.CSVOptions{})
			want := bytes.TrimSuffix(bytes.SplitN(one.Bytes(), []byte("\r\n"), 2)[1], []byte("\r\n"))
			if got := d.AppendCSV(nil, []int{c}); !bytes.Equal(got, want) {
				t.Fatalf("%s %d column %s: %q, want %q", name, i, table[c].Name, got, want)
			}
		}
	}
}

// checkRuns checks that the run of every window of consecutive records is
// their JSON objects joined by commas and their CSV rows each ended by CRLF,
// as a page assembled record by record would send them, and that no
// record's bytes can be extended over the next one's.
func checkRuns(t *testing.T, name string, laid *encode.Laid) {
	t.Helper()
	docs := laid.Docs
	for i := range docs {
		if d := &docs[i]; cap(d.JSON) != len(d.JSON) || cap(d.CSV) != len(d.CSV) {
			t.Fatalf("%s %d: a record's bytes have room to grow over the next record's", name, i)
		}
	}
	for first := range docs {
		for _, n := range []int{1, 2, 3, 50, len(docs) - first} {
			if n < 1 || first+n > len(docs) {
				continue
			}
			var json, csv []byte
			for i, d := range docs[first : first+n] {
				if i > 0 {
					json = append(json, ',')
				}
				json = append(json, d.JSON...)
				csv = append(append(csv, d.CSV...), "\r\n"...)
			}
			run := laid.Run(first, n)
			if !bytes.Equal(run.JSON, json) || !bytes.Equal(run.CSV, csv) {
				t.Fatalf("%s: the run of %d records from %d is\n%q\n%q\nwant\n%q\n%q", name, n, first, run.JSON, run.CSV, json, csv)
			}
			if cap(run.JSON) != len(run.JSON) || cap(run.CSV) != len(run.CSV) {
				t.Fatalf("%s: the run of %d records from %d has room to grow", name, n, first)
			}
		}
	}
}

func TestEncodeAgreesWithReflection(t *testing.T) {
	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rels {
		checkKind(t, "events", r.Events, export.Events)
		checkKind(t, "actors", r.Actors, export.Actors)
		checkKind(t, "budgets", r.Budgets, export.Budgets)
		checkKind(t, "programs", r.Programs, export.Programs)
		checkKind(t, "sources", r.Sources, export.SourcesOf(r.Info.Version))
	}
}

// Cells that need quoting, formulas and line breaks encode as encoding/csv
// writes them in a whole row.
func TestEncodeHostileCells(t *testing.T) {
	src := []dataset.Source{{ID: "s", URL: "https://x", Title: "=cmd|' /C calc'!A0, \"quoted\"\nline", Publisher: " lead, space", Language: "en", Kind: "news"}}
	checkKind(t, "sources", src, export.SourcesOf("1.2.0"))
}

func TestMemberEnds(t *testing.T) {
	for in, want := range map[string][]int32{
		`{}`:                          nil,
		`{"a":1}`:                     {6},
		`{"a":"x,}","b":[1,{"c":2}]}`: {10, 26},
		`{"a":"\"}"}`:                 {10},
	} {
		got, err := encode.MemberEnds([]byte(in))
		if err != nil || len(got) != len(want) {
			t.Errorf("MemberEnds(%s) = %v, %v; want %v", in, got, err, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("MemberEnds(%s) = %v, want %v", in, got, want)
			}
		}
	}
	for _, bad := range []string{``, `[]`, `{"a":1`, `{"a":1}x}`} {
		if _, err := encode.MemberEnds([]byte(bad)); err == nil {
			t.Errorf("MemberEnds(%s): no error", bad)
		}
	}
}

// TestSummaryRowFromItsJSON checks that a budget summary row read back from
// its JSON (as the DynamoDB store keeps it) has the values and the document
// the encoded row had: the same bytes, offsets and CSV row.
func TestSummaryRowFromItsJSON(t *testing.T) {
	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range rels {
		rows := store.Summarize(rel.Budgets)
		if err := encode.Summary(rows); err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			t.Fatalf("release %s: no summary rows", rel.Info.Version)
		}
		for _, want := range rows {
			got, err := encode.SummaryRow(want.Doc.JSON)
			if err != nil {
				t.Fatalf("release %s: %v", rel.Info.Version, err)
			}
			gotJSON, _ := json.Marshal(got)
			wantJSON, _ := json.Marshal(want)
			if !bytes.Equal(gotJSON, wantJSON) {
				t.Errorf("release %s: row values %s, want %s", rel.Info.Version, gotJSON, wantJSON)
			}
			if !bytes.Equal(got.Doc.JSON, want.Doc.JSON) || !bytes.Equal(got.Doc.CSV, want.Doc.CSV) ||
				!slices.Equal(got.Doc.Members, want.Doc.Members) || !slices.Equal(got.Doc.Cells, want.Doc.Cells) {
				t.Errorf("release %s: row %s/%d/%s: document differs from the encoded one", rel.Info.Version, want.Agency, want.FiscalYear, want.Stage)
			}
		}
	}
	if _, err := encode.SummaryRow([]byte(`{"fiscal_year":"x"}`)); err == nil {
		t.Error("a row that is not a summary row decoded without an error")
	}
}
