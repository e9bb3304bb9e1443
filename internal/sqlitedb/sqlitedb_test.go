package sqlitedb_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/sqlitedb"
)

// docPath is the guide whose example queries the tests run, so that the
// guide stays true.
const docPath = "../../docs/sqlite.md"

// sqlite3 finds the sqlite3 shell the files are checked with: the one
// readers open them with (Debian's is 3.40), not the library that wrote
// them.
func sqlite3(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("sqlite3"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/sqlite3"); err == nil {
		return "/usr/bin/sqlite3"
	}
	t.Fatal("the sqlite3 shell is not installed (Debian: apt-get install sqlite3): the databases are checked with it, as readers open them")
	return ""
}

// query runs SQL with the sqlite3 shell on a database opened read-only and
// returns its output, failing on any error.
func query(t *testing.T, shell, db, sql string) string {
	t.Helper()
	cmd := exec.Command(shell, "-readonly", "-bail", "-batch", "-noheader", "-list", db)
	cmd.Stdin = strings.NewReader(sql)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("sqlite3 %s:\n%s\n%v: %s", filepath.Base(db), sql, err, stderr.String())
	}
	return string(out)
}

// docQueries extracts the example queries of the guide: every ```sql block.
func docQueries(t *testing.T) []string {
	t.Helper()
	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(string(doc), -1) {
		out = append(out, m[1])
	}
	if len(out) < 4 {
		t.Fatalf("%s has %d example queries (```sql blocks), want at least 4", docPath, len(out))
	}
	return out
}

// releases are the releases checked: every published one and the working
// copy, which make release and the local server build too.
func releases(t *testing.T) []*dataset.Release {
	t.Helper()
	rels, err := dataset.LoadFrozen(dataset.FrozenFS())
	if err != nil {
		t.Fatal(err)
	}
	wc, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	wc.Info.Version += "-dev"
	return append(rels, wc)
}

// TestDatabases builds the database of every release twice and checks it
// with the sqlite3 shell: the same bytes each time; no broken foreign key;
// every table of the bundle with its rows, every column described in
// _metadata; full-text search that finds Japanese and English words; and
// the guide's example queries, each of which must return rows.
func TestDatabases(t *testing.T) {
	shell := sqlite3(t)
	queries := docQueries(t)
	ctx := context.Background()
	for _, rel := range releases(t) {
		v := rel.Info.Version
		t.Run(v, func(t *testing.T) {
			first, err := sqlitedb.Build(ctx, rel)
			if err != nil {
				t.Fatal(err)
			}
			second, err := sqlitedb.Build(ctx, rel)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, second) {
				t.Fatalf("two builds give different bytes: sha256 %s and %s", dataset.Checksum(first), dataset.Checksum(second))
			}
			if len(first)%sqlitedb.PageSize != 0 || !bytes.HasPrefix(first, []byte("SQLite format 3\x00")) {
				t.Fatalf("not a SQLite file of %d-byte pages: %d bytes, %q", sqlitedb.PageSize, len(first), first[:16])
			}
			db := filepath.Join(t.TempDir(), export.DatabaseName(v))
			if err := os.WriteFile(db, first, 0o644); err != nil {
				t.Fatal(err)
			}

			if out := query(t, shell, db, "PRAGMA foreign_key_check;"); out != "" {
				t.Errorf("foreign_key_check:\n%s", out)
			}
			if out := query(t, shell, db, "PRAGMA integrity_check;"); out != "ok\n" {
				t.Errorf("integrity_check: %s", out)
			}
			// No WAL: a reader needs the one file.
			if out := query(t, shell, db, "PRAGMA journal_mode;"); out != "delete\n" {
				t.Errorf("journal_mode: %s", out)
			}
			if out := query(t, shell, db, "SELECT version FROM _release;"); out != v+"\n" {
				t.Errorf("_release.version: %q", out)
			}

			for _, r := range export.Resources(rel) {
				if got := query(t, shell, db, "SELECT count(*) FROM "+sqlitedb.Ident(r.Name)+";"); got != strconv.Itoa(r.Rows)+"\n" {
					t.Errorf("table %s has %s rows, the CSV file %d", r.Name, strings.TrimSpace(got), r.Rows)
				}
				got := query(t, shell, db, "SELECT column_name FROM _metadata WHERE table_name = '"+r.Name+"' AND column_name <> '' AND description <> '' ORDER BY rowid;")
				var want strings.Builder
				for _, f := range r.Fields {
					want.WriteString(f.Name + "\n")
				}
				if got != want.String() {
					t.Errorf("_metadata describes the columns of %s as\n%s\nwant\n%s", r.Name, got, want.String())
				}
			}
			// A boolean is 0 or 1, never NULL, even in releases whose CSV
			// files write false as an empty cell.
			if out := query(t, shell, db, "SELECT count(*) FROM sources WHERE mirror IS NULL OR mirror NOT IN (0, 1);"); out != "0\n" {
				t.Errorf("%s sources have a mirror that is not 0 or 1", strings.TrimSpace(out))
			}

			if dataset.CompareVersions(v, "1.1.0") < 0 {
				return // the guide speaks of releases from 1.1.0 on
			}
			for _, word := range []string{"防衛省", "Nakasone", "nakasone"} {
				if out := query(t, shell, db, "SELECT count(*) FROM search WHERE search MATCH '"+word+"';"); out == "0\n" {
					t.Errorf("full-text search finds no %s", word)
				}
			}
			for _, q := range queries {
				if out := query(t, shell, db, q); strings.TrimSpace(out) == "" {
					t.Errorf("the guide's query returns no rows:\n%s", q)
				}
			}
		})
	}
}

// TestIndexes: the columns people filter by are indexed, so that a query
// on them reads the index rather than the whole table.
func TestIndexes(t *testing.T) {
	shell := sqlite3(t)
	rel, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	b, err := sqlitedb.Build(context.Background(), rel)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "wc.sqlite")
	if err := os.WriteFile(db, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ table, column string }{
		{"events", "type"}, {"events", "occurred"}, {"events", "confidence"}, {"events", "status"},
		{"event_actors", "actor_id"}, {"event_sources", "source_id"}, {"actors", "kind"},
		{"budgets", "fiscal_year"}, {"budgets", "agency"}, {"budgets", "stage"}, {"programs", "agency"},
		{"sources", "publisher"}, {"program_metrics", "program_id"},
	} {
		plan := query(t, shell, db, "EXPLAIN QUERY PLAN SELECT * FROM "+tc.table+" WHERE \""+tc.column+"\" = 'x';")
		if !strings.Contains(plan, "USING INDEX") && !strings.Contains(plan, "USING COVERING INDEX") {
			t.Errorf("%s.%s is not indexed: %s", tc.table, tc.column, plan)
		}
	}
}
