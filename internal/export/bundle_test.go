package export

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/testenv/fixture"
)

var testLicense = []byte("Creative Commons Attribution 4.0 International\n(test copy)\n")

// releases returns the releases the bundle tests run on: the two small
// fixture releases (1.1.0 has a tombstone), the real embedded dataset, and
// the same relabelled as the first release written with explicit booleans.
func releases(t *testing.T) map[string]*dataset.Release {
	t.Helper()
	v1, v2 := fixture.Releases(t)
	wc, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*dataset.Release{"fixture 1.0.0": v1, "fixture 1.1.0": v2, "embedded": wc, "embedded as " + ExplicitBooleansSince: relabel(wc, ExplicitBooleansSince)}
}

// relabel returns a copy of a release under another version. Only what the
// exports read from the version changes; the records are shared.
func relabel(rel *dataset.Release, version string) *dataset.Release {
	out := *rel
	out.Info.Version = version
	return &out
}

// unzipped is a bundle read back from its zip.
type unzipped struct {
	root  string
	names []string          // paths relative to root, in zip order
	files map[string][]byte // by path relative to root
	zip   *zip.Reader
}

func buildZip(t *testing.T, rel *dataset.Release) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteBundle(&buf, rel, testLicense); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func openZip(t *testing.T, data []byte) *unzipped {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	u := &unzipped{files: map[string][]byte{}, zip: zr}
	for _, f := range zr.File {
		root, name, ok := strings.Cut(f.Name, "/")
		if !ok || (u.root != "" && root != u.root) {
			t.Fatalf("%s is not inside the bundle's one folder", f.Name)
		}
		u.root = root
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if _, dup := u.files[name]; dup {
			t.Fatalf("%s is in the zip twice", f.Name)
		}
		u.names = append(u.names, name)
		u.files[name] = b
	}
	return u
}

func openBundle(t *testing.T, rel *dataset.Release) *unzipped {
	t.Helper()
	return openZip(t, buildZip(t, rel))
}

// table is a CSV file parsed back: its header and rows, the byte order mark
// removed.
type table struct {
	header []string
	rows   [][]string
}

func parseCSV(t *testing.T, name string, data []byte) table {
	t.Helper()
	body, ok := bytes.CutPrefix(data, []byte(UTF8BOM))
	if !ok {
		t.Fatalf("%s does not start with a UTF-8 byte order mark", name)
	}
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(records) == 0 {
		t.Fatalf("%s has no header", name)
	}
	return table{header: records[0], rows: records[1:]}
}

// column returns the values of one column.
func (tb table) column(t *testing.T, name string) []string {
	t.Helper()
	i := slices.Index(tb.header, name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, tb.header)
	}
	out := make([]string, len(tb.rows))
	for j, r := range tb.rows {
		out[j] = r[i]
	}
	return out
}

// cell returns the value of a column in the row whose key column is key.
func (tb table) cell(t *testing.T, keyColumn, key, column string) string {
	t.Helper()
	keys, values := tb.column(t, keyColumn), tb.column(t, column)
	i := slices.Index(keys, key)
	if i < 0 {
		t.Fatalf("no row with %s = %q", keyColumn, key)
	}
	return values[i]
}

func (u *unzipped) table(t *testing.T, name string) table {
	t.Helper()
	data, ok := u.files["csv/"+name+".csv"]
	if !ok {
		t.Fatalf("csv/%s.csv is missing", name)
	}
	return parseCSV(t, name, data)
}

// TestBundleReproducible builds every bundle twice, from releases loaded
// separately, and requires the same bytes; and checks the zip metadata that
// would otherwise leak the build machine and time into the bytes.
func TestBundleReproducible(t *testing.T) {
	first, second := releases(t), releases(t)
	for name, rel := range first {
		t.Run(name, func(t *testing.T) {
			a, b := buildZip(t, rel), buildZip(t, second[name])
			if !bytes.Equal(a, b) {
				t.Fatalf("two builds differ: %d and %d bytes", len(a), len(b))
			}
			zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
			if err != nil {
				t.Fatal(err)
			}
			want, err := time.Parse(time.DateOnly, rel.Info.Released)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range zr.File {
				if !f.Modified.Equal(want) || f.Mode() != 0o644 || f.Method != zip.Deflate || f.Comment != "" {
					t.Errorf("%s: modified %v, mode %v, method %d, comment %q; want %v, 0644, deflate, none", f.Name, f.Modified, f.Mode(), f.Method, f.Comment, want)
				}
			}
		})
	}
}

// TestBundleLayout pins the files of a bundle and their order.
func TestBundleLayout(t *testing.T) {
	v1, _ := fixture.Releases(t)
	u := openBundle(t, v1)
	if u.root != "jcdd-1.0.0" {
		t.Errorf("root folder %q, want jcdd-1.0.0", u.root)
	}
	want := []string{"README.md", "LICENSE", "CITATION.cff", "datapackage.json"}
	for _, r := range Resources(v1) {
		want = append(want, r.Path())
	}
	for _, format := range []string{"json", "ndjson"} {
		for _, kind := range []string{"events", "actors", "budgets", "programs", "sources"} {
			want = append(want, format+"/"+kind+"."+format)
		}
	}
	want = append(want, "SHA256SUMS")
	if !slices.Equal(u.names, want) {
		t.Errorf("files:\n%q\nwant:\n%q", u.names, want)
	}
	var tables []string
	for _, r := range Resources(v1) {
		tables = append(tables, r.Name)
	}
	wantTables := []string{
		"events", "event_actors", "event_disputed_by", "event_related", "event_sources",
		"actors", "actor_roles", "actor_sources",
		"budgets", "budget_sources",
		"programs", "program_metrics", "program_events", "program_sources",
		"sources", "contradictions",
	}
	if !slices.Equal(tables, wantTables) {
		t.Errorf("tables %q, want %q", tables, wantTables)
	}
	if !bytes.Equal(u.files["LICENSE"], testLicense) {
		t.Errorf("LICENSE is not the licence text given")
	}
}

// TestBundleCSVMatchesDataset parses every table back and compares it with
// the records it was written from: counts, ids in order, and the links of
// the child tables.
func TestBundleCSVMatchesDataset(t *testing.T) {
	for name, rel := range releases(t) {
		t.Run(name, func(t *testing.T) {
			u := openBundle(t, rel)
			ids := func(kind string, want []string) {
				t.Helper()
				if got := u.table(t, kind).column(t, "id"); !slices.Equal(got, want) {
					t.Errorf("%s ids = %v, want %v", kind, got, want)
				}
			}
			ids("events", collect(rel.Events, func(e dataset.Event) []string { return []string{e.ID} }))
			ids("actors", collect(rel.Actors, func(a dataset.Actor) []string { return []string{a.ID} }))
			ids("budgets", collect(rel.Budgets, func(b dataset.BudgetLine) []string { return []string{b.ID} }))
			ids("programs", collect(rel.Programs, func(p dataset.Program) []string { return []string{p.ID} }))
			ids("sources", collect(rel.Sources, func(s dataset.Source) []string { return []string{s.ID} }))

			// Each child table, as "parent|child|..." rows, against the
			// same links read straight from the records.
			children := []struct {
				table   string
				columns []string
				want    []string
			}{
				{"event_actors", []string{"event_id", "actor_id", "role"}, collect(rel.Events, func(e dataset.Event) []string {
					return mapEach(e.Actors, func(a dataset.EventActor) string { return e.ID + "|" + a.Actor + "|" + a.Role })
				})},
				{"event_disputed_by", []string{"event_id", "actor_id"}, collect(rel.Events, func(e dataset.Event) []string {
					return mapEach(e.DisputedBy, func(a string) string { return e.ID + "|" + a })
				})},
				{"event_related", []string{"event_id", "related_id"}, collect(rel.Events, func(e dataset.Event) []string {
					return mapEach(e.Related, func(r string) string { return e.ID + "|" + r })
				})},
				{"event_sources", []string{"event_id", "source_id", "locator"}, collect(rel.Events, func(e dataset.Event) []string { return refRows(e.ID, e.Sources) })},
				{"actor_sources", []string{"actor_id", "source_id", "locator"}, collect(rel.Actors, func(a dataset.Actor) []string { return refRows(a.ID, a.Sources) })},
				{"budget_sources", []string{"budget_id", "source_id", "locator"}, collect(rel.Budgets, func(b dataset.BudgetLine) []string { return refRows(b.ID, b.Sources) })},
				{"program_sources", []string{"program_id", "source_id", "locator"}, collect(rel.Programs, func(p dataset.Program) []string { return refRows(p.ID, p.Sources) })},
				{"actor_roles", []string{"actor_id", "title", "organization", "from", "to"}, collect(rel.Actors, func(a dataset.Actor) []string {
					return mapEach(a.Roles, func(r dataset.Role) string {
						return a.ID + "|" + Cell(r.Title) + "|" + r.Organization + "|" + r.From + "|" + r.To
					})
				})},
				{"program_metrics", []string{"program_id", "name", "unit", "kind", "as_of"}, collect(rel.Programs, func(p dataset.Program) []string {
					return mapEach(p.Metrics, func(m dataset.Metric) string { return p.ID + "|" + m.Name + "|" + m.Unit + "|" + m.Kind + "|" + m.AsOf })
				})},
				{"program_events", []string{"program_id", "event_id"}, collect(rel.Programs, func(p dataset.Program) []string {
					return mapEach(p.Events, func(e string) string { return p.ID + "|" + e })
				})},
				{"contradictions", []string{"kind", "record_id", "field"}, slices.Concat(
					collect(rel.Events, func(e dataset.Event) []string { return contradictionRowsOf("events", e.ID, e.Contradictions) }),
					collect(rel.Actors, func(a dataset.Actor) []string { return contradictionRowsOf("actors", a.ID, a.Contradictions) }),
					collect(rel.Budgets, func(b dataset.BudgetLine) []string { return contradictionRowsOf("budgets", b.ID, b.Contradictions) }),
					collect(rel.Programs, func(p dataset.Program) []string { return contradictionRowsOf("programs", p.ID, p.Contradictions) }),
				)},
			}
			for _, c := range children {
				tb := u.table(t, c.table)
				cols := make([][]string, len(c.columns))
				for i, name := range c.columns {
					cols[i] = tb.column(t, name)
				}
				got := make([]string, len(tb.rows))
				for r := range tb.rows {
					parts := make([]string, len(cols))
					for i := range cols {
						parts[i] = cols[i][r]
					}
					got[r] = strings.Join(parts, "|")
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("%s rows:\n%q\nwant:\n%q", c.table, got, c.want)
				}
			}
		})
	}
}

// TestBundleValues checks the values of a few fields, Japanese text and
// integer yen in particular, in the CSV, JSON and NDJSON files.
func TestBundleValues(t *testing.T) {
	_, v2 := fixture.Releases(t)
	u := openBundle(t, v2)
	tests := []struct {
		table, key, column, want string
	}{
		{"actors", "a-mod", "name_ja", "防衛省"},
		{"actors", "a-person", "name_ja", "浜田靖一"},
		{"actors", "a-mod", "aliases", "MOD"},
		{"events", "e-2023-report", "title_ja", "米紙が侵入を報道"},
		{"events", "e-2023-report", "title_en", "A newspaper reveals the breach"},
		{"events", "e-fall-2020-discovery", "actors", "a-nsa (discoverer); a-pla (perpetrator); a-mod (target)"},
		{"events", "e-2023-year", "status", "withdrawn"},
		{"events", "e-2023-year", "superseded_by", "e-2024-new"},
		{"budgets", "b-fy2021-defense", "amount_jpy", "5342200000000"},
		{"budgets", "b-fy2021-initial-range", "part_of", "b-fy2021-initial"},
		{"budgets", "b-plan-usd", "amount_jpy", ""},
		{"budgets", "b-plan-usd", "amount_usd", "7000000000"},
		{"budgets", "b-plan-cyber", "fiscal_year_to", "2027"},
		{"programs", "p-command", "name_ja", "自衛隊サイバー防衛隊"},
		{"program_metrics", "p-command", "value", "540"},
		{"program_metrics", "p-command", "as_of", "2022-03-17"},
	}
	for _, tt := range tests {
		key := "id"
		if tt.table == "program_metrics" {
			key = "program_id"
		}
		if got := u.table(t, tt.table).cell(t, key, tt.key, tt.column); got != tt.want {
			t.Errorf("%s %s %s = %q, want %q", tt.table, tt.key, tt.column, got, tt.want)
		}
	}

	// JSON: the records as the API serves them, which decode back to the
	// same records.
	var events []dataset.Event
	if err := json.Unmarshal(u.files["json/events.json"], &events); err != nil {
		t.Fatal(err)
	}
	if !sameJSON(t, events, v2.Events) {
		t.Error("json/events.json does not decode to the release's events")
	}
	var budgets []dataset.BudgetLine
	if err := json.Unmarshal(u.files["json/budgets.json"], &budgets); err != nil {
		t.Fatal(err)
	}
	if !sameJSON(t, budgets, v2.Budgets) {
		t.Error("json/budgets.json does not decode to the release's budget lines")
	}
	if !bytes.Contains(u.files["json/budgets.json"], []byte(`"amount_jpy": 5342200000000,`)) {
		t.Error("json/budgets.json does not give amount_jpy as an integer")
	}
	if !bytes.Contains(u.files["json/actors.json"], []byte(`"ja": "防衛省"`)) {
		t.Error("json/actors.json does not keep Japanese text as UTF-8")
	}

	// NDJSON: one record per line, in order.
	lines := strings.Split(strings.TrimSuffix(string(u.files["ndjson/events.ndjson"]), "\n"), "\n")
	if len(lines) != len(v2.Events) {
		t.Fatalf("ndjson/events.ndjson has %d lines, want %d", len(lines), len(v2.Events))
	}
	for i, line := range lines {
		var e dataset.Event
		if err := json.Unmarshal([]byte(line), &e); err != nil || !sameJSON(t, e, v2.Events[i]) {
			t.Errorf("ndjson line %d: %v", i+1, err)
		}
	}
}

// TestBundleExcelBytes pins how the tables are encoded for Excel: UTF-8 with
// a byte order mark, CRLF line ends, and Japanese text as UTF-8 bytes.
func TestBundleExcelBytes(t *testing.T) {
	_, v2 := fixture.Releases(t)
	u := openBundle(t, v2)
	for _, name := range u.names {
		data := u.files[name]
		switch {
		case strings.HasPrefix(name, "csv/"):
			if !bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) {
				t.Errorf("%s does not start with the UTF-8 byte order mark EF BB BF", name)
			}
			if n, crlf := bytes.Count(data, []byte("\n")), bytes.Count(data, []byte("\r\n")); n == 0 || n != crlf {
				t.Errorf("%s: %d line feeds, %d of them after a carriage return; want CRLF line ends", name, n, crlf)
			}
		case strings.HasPrefix(name, "json/"), strings.HasPrefix(name, "ndjson/"), name == "datapackage.json":
			// RFC 8259: JSON must not begin with a byte order mark.
			if bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) {
				t.Errorf("%s starts with a byte order mark", name)
			}
		}
		if !utf8.Valid(data) {
			t.Errorf("%s is not valid UTF-8", name)
		}
	}
	// 防衛省 is E9 98 B2 E8 A1 9B E7 9C 81 in UTF-8 (it would be 96 68 89 71
	// 8F C8 in Shift_JIS).
	if !bytes.Contains(u.files["csv/actors.csv"], []byte{0xE9, 0x98, 0xB2, 0xE8, 0xA1, 0x9B, 0xE7, 0x9C, 0x81}) {
		t.Error("csv/actors.csv does not hold 防衛省 as UTF-8 bytes")
	}
	header := "\xEF\xBB\xBFid,title_en,title_ja,summary_en,summary_ja,type,"
	if !bytes.HasPrefix(u.files["csv/events.csv"], []byte(header)) {
		t.Errorf("csv/events.csv starts %q, want %q", u.files["csv/events.csv"][:len(header)], header)
	}
}

// TestBundleNeutralisesFormulas plants text that a spreadsheet would run as
// a formula in every kind of cell and checks that every CSV holding it
// neutralises it, while the JSON keeps it as it is.
func TestBundleNeutralisesFormulas(t *testing.T) {
	_, rel := fixture.Releases(t)
	rel.Events[0].Title.EN = `=HYPERLINK("http://example.com","x")`
	rel.Events[0].Sources[0].Locator = "+cmd|' /C calc'!A0"
	rel.Events[1].Summary.JA = "＝SUM(A1:A9)"
	rel.Actors[0].Roles = append(rel.Actors[0].Roles, dataset.Role{Title: "-2+3", Note: "@SUM(1,2)"})
	rel.Budgets[0].Contradictions = append(rel.Budgets[0].Contradictions, dataset.Contradiction{
		Field: "amount_jpy", Value: "-1000", Sources: []dataset.SourceRef{{Source: "s-gov"}}, Note: "@note",
	})
	rel.Programs[0].Metrics[0].Note = "=1+1"
	rel.Sources[0].Title = "\tTabbed title"
	rel.Sources[0].Notes = "\rCarriage"

	u := openBundle(t, rel)
	planted := []struct{ table, keyColumn, key, column, raw string }{
		{"events", "id", rel.Events[0].ID, "title_en", rel.Events[0].Title.EN},
		{"event_sources", "event_id", rel.Events[0].ID, "locator", rel.Events[0].Sources[0].Locator},
		{"events", "id", rel.Events[1].ID, "summary_ja", "＝SUM(A1:A9)"},
		{"actor_roles", "title", "'-2+3", "note", "@SUM(1,2)"},
		{"actor_roles", "note", "'@SUM(1,2)", "title", "-2+3"},
		{"actors", "id", rel.Actors[0].ID, "roles", "-2+3, –"},
		{"contradictions", "record_id", rel.Budgets[0].ID, "value", "-1000"},
		{"contradictions", "record_id", rel.Budgets[0].ID, "note", "@note"},
		{"program_metrics", "program_id", rel.Programs[0].ID, "note", "=1+1"},
		{"sources", "id", rel.Sources[0].ID, "title", "\tTabbed title"},
		{"sources", "id", rel.Sources[0].ID, "notes", "\rCarriage"},
	}
	for _, p := range planted {
		// encoding/csv drops a carriage return that is not part of a line
		// end when it writes CRLF lines; the apostrophe must still be there.
		want := "'" + strings.ReplaceAll(p.raw, "\r", "")
		if got := u.table(t, p.table).cell(t, p.keyColumn, p.key, p.column); got != want {
			t.Errorf("%s %s %s = %q, want %q", p.table, p.key, p.column, got, want)
		}
	}
	// No cell of any table may start a formula.
	for _, name := range u.names {
		if !strings.HasPrefix(name, "csv/") {
			continue
		}
		tb := parseCSV(t, name, u.files[name])
		for r, row := range append([][]string{tb.header}, tb.rows...) {
			for c, cell := range row {
				if Cell(cell) != cell {
					t.Errorf("%s row %d column %s starts a formula: %q", name, r, tb.header[c], cell)
				}
			}
		}
	}
	// JSON is data, not a spreadsheet: it keeps the text exactly.
	var events []dataset.Event
	if err := json.Unmarshal(u.files["json/events.json"], &events); err != nil {
		t.Fatal(err)
	}
	if events[0].Title.EN != rel.Events[0].Title.EN {
		t.Errorf("json title = %q, want the text unchanged", events[0].Title.EN)
	}
}

func collect[R any](records []R, rows func(R) []string) []string {
	out := []string{}
	for _, r := range records {
		out = append(out, rows(r)...)
	}
	return out
}

func mapEach[T any](items []T, f func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = f(it)
	}
	return out
}

func refRows(id string, refs []dataset.SourceRef) []string {
	return mapEach(refs, func(r dataset.SourceRef) string { return id + "|" + r.Source + "|" + Cell(r.Locator) })
}

func contradictionRowsOf(kind, id string, list []dataset.Contradiction) []string {
	return mapEach(list, func(c dataset.Contradiction) string { return kind + "|" + id + "|" + c.Field })
}

// sameJSON compares two values by their JSON encoding, which is what the
// API serves.
func sameJSON(t *testing.T, a, b any) bool {
	t.Helper()
	x, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(x, y)
}
