// Package sqlitedb writes a release as one SQLite database,
// jcdd-<version>.sqlite: the tables of the release bundle's CSV files
// (export.Resources, the one definition of their columns) with their
// primary and foreign keys, indexes on the columns people filter by, a
// full-text index over titles, names and summaries in both languages, views
// for the common joins, and the codebook as a table. The release build
// (package release) is its only caller; the API only serves its bytes, so
// the Lambda function never links the SQLite library.
//
// The database's bytes depend only on the release and this code: it is
// built in memory in a fixed order and written out with VACUUM INTO, which
// copies the pages afresh with no journal, no WAL and no timestamp, so
// that two builds give the same file and a published checksum holds.
package sqlitedb

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // the pure-Go driver, registered as "sqlite"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
)

// MediaType is the media type of the database file.
const MediaType = "application/vnd.sqlite3"

// PageSize is the page size of the file. It is fixed rather than left to
// the library's default, which a later version may change.
const PageSize = 4096

// views.sql holds the full-text index's contents, the views and their
// descriptions; the tables themselves are made from export.Resources.
//
//go:embed views.sql
var viewsSQL string

// filterColumns are indexed besides every foreign-key column and every
// column with a fixed set of values: the dates and years people select
// ranges of, and the columns the API filters on that are neither.
var filterColumns = map[string][]string{
	dataset.Events.Name:  {"occurred", "disclosed_on"},
	dataset.Actors.Name:  {"country"},
	dataset.Budgets.Name: {"fiscal_year"},
	dataset.Sources.Name: {"publisher", "published"},
}

// Build returns the database of a release.
func Build(ctx context.Context, rel *dataset.Release) ([]byte, error) {
	var b []byte
	err := BuildFile(ctx, rel, func(path string) (err error) {
		b, err = os.ReadFile(path)
		return err
	})
	return b, err
}

// BuildFile builds the database of a release in a temporary file and hands
// its path to use, before the file is removed: a caller that only needs to
// copy or sum the file never holds its bytes.
func BuildFile(ctx context.Context, rel *dataset.Release, use func(path string) error) error {
	dir, err := os.MkdirTemp("", "jcdd-sqlite-")
	if err != nil {
		return fmt.Errorf("database of %s: %w", rel.Info.Version, err)
	}
	// A temporary directory left behind costs nothing worth failing a build for.
	defer func() { _ = os.RemoveAll(dir) }()
	out := filepath.Join(dir, export.DatabaseName(rel.Info.Version))
	if err := build(ctx, rel, filepath.Join(dir, "build.db"), out); err != nil {
		return fmt.Errorf("database of %s: %w", rel.Info.Version, err)
	}
	if err := use(out); err != nil {
		return fmt.Errorf("database of %s: %w", rel.Info.Version, err)
	}
	return nil
}

// build fills a database in the file work, then copies its finished pages
// to out (VACUUM INTO), whose bytes depend only on the release. The work
// file, not memory, holds the pages meanwhile: at a hundred thousand events
// they are hundreds of megabytes.
func build(ctx context.Context, rel *dataset.Release, work, out string) (err error) {
	db, err := sql.Open("sqlite", "file:"+work)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	// One connection: the pragmas below are per connection.
	db.SetMaxOpenConns(1)
	for _, p := range []string{
		"PRAGMA page_size = " + strconv.Itoa(PageSize),
		"PRAGMA journal_mode = OFF",
		"PRAGMA synchronous = OFF",
		// Checked once at the end (foreign_key_check), which names every
		// broken link rather than refusing the first insert.
		"PRAGMA foreign_keys = OFF",
	} {
		if _, err := db.ExecContext(ctx, p); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	// A no-op after Commit; on an earlier error, the error returned says
	// what failed.
	defer func() { _ = tx.Rollback() }()
	resources := export.Resources(rel)
	for _, r := range resources {
		if err := createTable(ctx, tx, r); err != nil {
			return err
		}
		if err := insertRows(ctx, tx, r); err != nil {
			return err
		}
	}
	if err := writeMetadata(ctx, tx, rel.Info, resources); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, viewsSQL); err != nil {
		return fmt.Errorf("views and full-text index: %w", err)
	}
	// One segment per full-text index, so that its pages do not depend
	// on how the rows were batched.
	if _, err := tx.ExecContext(ctx, "INSERT INTO search(search) VALUES ('optimize')"); err != nil {
		return fmt.Errorf("optimizing the full-text index: %w", err)
	}
	if err := checkKeys(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", out); err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Base(out), err)
	}
	return nil
}

// Ident quotes an SQL identifier: some column names (from, to) are
// keywords.
func Ident(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func identList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = Ident(n)
	}
	return strings.Join(q, ", ")
}

// sqlType is the declared type of a column of a Table Schema type: SQLite
// has no boolean, so a boolean is 0 or 1.
func sqlType(f export.SchemaField) string {
	switch f.Type {
	case "integer", "boolean":
		return "INTEGER"
	case "number":
		return "REAL"
	}
	return "TEXT"
}

func required(f export.SchemaField) bool { return f.Constraints != nil && f.Constraints.Required }

// createTable creates a table of a resource and indexes its foreign keys,
// its columns with a fixed set of values and its filterColumns.
func createTable(ctx context.Context, tx *sql.Tx, r export.Resource) error {
	var defs []string
	for _, f := range r.Fields {
		d := Ident(f.Name) + " " + sqlType(f)
		if required(f) {
			d += " NOT NULL"
		}
		defs = append(defs, d)
	}
	if len(r.PrimaryKey) > 0 {
		defs = append(defs, "PRIMARY KEY ("+identList(r.PrimaryKey)+")")
	}
	var indexed []string
	for _, fk := range r.ForeignKeys {
		target := fk.Reference.Resource
		if target == "" {
			target = r.Name
		}
		defs = append(defs, fmt.Sprintf("FOREIGN KEY (%s) REFERENCES %s (%s)", identList(fk.Fields), Ident(target), identList(fk.Reference.Fields)))
		indexed = append(indexed, fk.Fields[0])
	}
	for _, f := range r.Fields {
		if f.Constraints != nil && len(f.Constraints.Enum) > 0 {
			indexed = append(indexed, f.Name)
		}
	}
	for _, c := range filterColumns[r.Name] {
		if !slices.ContainsFunc(r.Fields, func(f export.SchemaField) bool { return f.Name == c }) {
			return fmt.Errorf("table %s has no column %s to index", r.Name, c)
		}
		indexed = append(indexed, c)
	}
	stmts := []string{"CREATE TABLE " + Ident(r.Name) + " (\n  " + strings.Join(defs, ",\n  ") + "\n)"}
	seen := map[string]bool{}
	for _, c := range indexed {
		// A column that leads the primary key is indexed by it already.
		if seen[c] || (len(r.PrimaryKey) > 0 && r.PrimaryKey[0] == c) {
			continue
		}
		seen[c] = true
		stmts = append(stmts, fmt.Sprintf("CREATE INDEX %s ON %s (%s)", Ident(r.Name+"_"+c), Ident(r.Name), Ident(c)))
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("table %s: %s: %w", r.Name, s, err)
		}
	}
	return nil
}

// insertRows writes the rows of a resource in its order. An empty cell is
// NULL, an absent value, except in a boolean column, where the records
// hold false (releases before export.ExplicitBooleansSince write it as an
// empty cell in their CSV files).
func insertRows(ctx context.Context, tx *sql.Tx, r export.Resource) error {
	names := make([]string, len(r.Fields))
	marks := make([]string, len(r.Fields))
	for i, f := range r.Fields {
		names[i], marks[i] = f.Name, "?"
	}
	stmt, err := tx.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", Ident(r.Name), identList(names), strings.Join(marks, ", ")))
	if err != nil {
		return fmt.Errorf("table %s: %w", r.Name, err)
	}
	// The transaction's commit reports what went wrong with its statements.
	defer func() { _ = stmt.Close() }()
	args := make([]any, len(r.Fields))
	n := 0
	for row := range r.Values() {
		n++
		for i, f := range r.Fields {
			if args[i], err = value(f, row[i]); err != nil {
				return fmt.Errorf("table %s, row %d: %w", r.Name, n, err)
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("table %s, row %d: %w", r.Name, n, err)
		}
	}
	return nil
}

// value converts a cell to the column's type.
func value(f export.SchemaField, cell string) (any, error) {
	if f.Type == "boolean" {
		switch cell {
		case "true":
			return int64(1), nil
		case "false", "":
			return int64(0), nil
		}
		return nil, fmt.Errorf("column %s: %q is not a boolean", f.Name, cell)
	}
	if cell == "" {
		return nil, nil
	}
	switch f.Type {
	case "integer":
		n, err := strconv.ParseInt(cell, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", f.Name, err)
		}
		return n, nil
	case "number":
		x, err := strconv.ParseFloat(cell, 64)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", f.Name, err)
		}
		return x, nil
	}
	return cell, nil
}

// writeMetadata writes the codebook: _metadata describes every table and
// column (column_name is empty for the table itself); _release says which
// release this is and how to cite it.
func writeMetadata(ctx context.Context, tx *sql.Tx, info dataset.ReleaseInfo, resources []export.Resource) error {
	_, err := tx.ExecContext(ctx, `CREATE TABLE _release (
  version TEXT NOT NULL,
  released TEXT NOT NULL,
  summary TEXT NOT NULL,
  summary_ja TEXT,
  title TEXT NOT NULL,
  licence TEXT NOT NULL,
  citation TEXT NOT NULL
)`)
	if err != nil {
		return fmt.Errorf("_release: %w", err)
	}
	var summaryJA any
	if info.SummaryJA != "" {
		summaryJA = info.SummaryJA
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO _release VALUES (?, ?, ?, ?, ?, ?, ?)",
		info.Version, info.Released, info.Summary, summaryJA, export.DatasetTitle, export.LicenceTitle, export.CitationAPA(info)); err != nil {
		return fmt.Errorf("_release: %w", err)
	}
	// The tables' and the columns' descriptions come from the codebook's
	// own; views.sql adds those of the views and the full-text index.
	_, err = tx.ExecContext(ctx, `CREATE TABLE _metadata (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  type TEXT,
  title TEXT,
  description TEXT NOT NULL,
  PRIMARY KEY (table_name, column_name)
)`)
	if err != nil {
		return fmt.Errorf("_metadata: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO _metadata (table_name, column_name, kind, type, title, description) VALUES (?, ?, ?, ?, ?, ?)")
	if err != nil {
		return fmt.Errorf("_metadata: %w", err)
	}
	// The transaction's commit reports what went wrong with its statements.
	defer func() { _ = stmt.Close() }()
	for _, r := range resources {
		if _, err := stmt.ExecContext(ctx, r.Name, "", "table", nil, r.Title, r.Description); err != nil {
			return fmt.Errorf("_metadata: %s: %w", r.Name, err)
		}
		for _, f := range r.Fields {
			typ := sqlType(f)
			if f.Type == "boolean" {
				typ += " (0 or 1)"
			}
			if required(f) {
				typ += " NOT NULL"
			}
			if _, err := stmt.ExecContext(ctx, r.Name, f.Name, "column", typ, nil, export.FieldDescription(f)); err != nil {
				return fmt.Errorf("_metadata: %s.%s: %w", r.Name, f.Name, err)
			}
		}
	}
	return nil
}

// checkKeys fails the build if a foreign key points nowhere or the
// database is damaged: a file that fails these checks is never published.
func checkKeys(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("foreign_key_check: %w", err)
	}
	// rows.Err, below, reports a failed read.
	defer func() { _ = rows.Close() }()
	var broken []string
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return fmt.Errorf("foreign_key_check: %w", err)
		}
		broken = append(broken, fmt.Sprintf("%s row %d → %s", table, rowid.Int64, parent))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("foreign_key_check: %w", err)
	}
	if len(broken) > 0 {
		return fmt.Errorf("%d foreign keys point nowhere: %s", len(broken), strings.Join(broken, "; "))
	}
	var ok string
	if err := tx.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		return fmt.Errorf("integrity_check: %q, %v", ok, err)
	}
	return nil
}
