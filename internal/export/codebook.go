package export

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/jcdd/jcdd/dataset"
)

// Codebook returns the README.md of a release bundle: what the files are,
// how to open and cite them, and every column of every table, generated from
// the same descriptions as datapackage.json.
func Codebook(info dataset.ReleaseInfo, resources []Resource) []byte {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("# %s — release %s\n\n", DatasetTitle, info.Version)
	p("Released %s. Data licensed under %s (see `LICENSE`).\n\n", info.Released, LicenceTitle)
	p("%s\n\n", info.Summary)
	p("Every record cites the sources it rests on (see `sources`), and a value that sources disagree on keeps the other value beside it (see `contradictions`).\n\n")

	p("## Files\n\n")
	p("| file | what it holds |\n|---|---|\n")
	p("| `README.md` | this codebook: every table and every column |\n")
	p("| `csv/*.csv` | one table per file, for spreadsheets: %d tables, described below |\n", len(resources))
	p("| `json/*.json` | the records of each kind, nested, as the API serves them: one JSON array per file |\n")
	p("| `ndjson/*.ndjson` | the same records, one JSON object per line |\n")
	p("| `datapackage.json` | the tables as a [Frictionless Data Package](https://specs.frictionlessdata.io/): types, keys, sizes and checksums |\n")
	p("| `CITATION.cff` | citation metadata ([Citation File Format](https://citation-file-format.github.io/)) |\n")
	p("| `LICENSE` | the licence: %s |\n", LicenceTitle)
	p("| `SHA256SUMS` | the SHA-256 of every other file |\n\n")

	p("## Opening the tables in Excel\n\n")
	p("The CSV files are UTF-8 with a byte order mark, which tells Excel their encoding: double-click one and Japanese names (防衛省) show as they should. ")
	p("Excel reformats some values as it opens a file: it turns partial dates such as `2020-09` into dates and shows long yen amounts in scientific notation in narrow columns. ")
	p("To keep every value exactly as written, use Data › From Text/CSV (Get Data) and set the date and id columns to Text. ")
	p("LibreOffice and Google Sheets read the files as UTF-8 directly. In Python, read them with `encoding=\"utf-8-sig\"` (pandas does so by default).\n\n")

	p("## Conventions\n\n")
	p("- **Ids** are stable kebab-case slugs and are never reused. Child tables (`event_actors`, `event_sources`, …) link records by id: one row per link.\n")
	p("- **Lists** inside a cell (tags, aliases, the sources of a metric) are separated by `; `.\n")
	p("- **Dates** are ISO 8601 and may be partial: `2020`, `2020-09` or `2020-09-16`; see an event's `precision`.\n")
	p("- **Money** is in whole yen (1 oku-yen = 100,000,000 yen); dollar amounts appear only where a source states one. Never add amounts of different budget stages, and leave out lines that are `part_of` another when summing.\n")
	p("- **Withdrawn records** stay in the tables as tombstones (`status` = `withdrawn`), so that their ids keep pointing somewhere; filter them out for counts.\n")
	p("- **Empty cells** mean the value is absent.\n")
	if explicitBooleans(info.Version) {
		p("- **Booleans** (`mirror`) are written `true` or `false` in the CSV tables, never as an empty cell. In the JSON and NDJSON files, as in the API, a false boolean is left out: a source without `mirror` is not a mirror. (The bundles of releases before %s write false as an empty cell; they are never rebuilt differently.)\n", ExplicitBooleansSince)
	}
	p("- **Cells that begin with** `=`, `+`, `-` or `@` get a leading apostrophe (`'`), so that no spreadsheet runs them as formulas; the JSON files keep the text as it is.\n\n")

	p("## How to cite\n\n")
	p("> %s\n\n", CitationAPA(info))
	p("```bibtex\n%s```\n\n", CitationBibTeX(info))
	p("`CITATION.cff` holds the same metadata for reference managers and GitHub.\n\n")

	p("## Checking the download\n\n")
	p("In this folder, `sha256sum -c SHA256SUMS` (on macOS, `shasum -a 256 -c SHA256SUMS`) checks that every file is intact.\n\n")

	p("## Tables\n\n")
	p("| table | rows | what it holds |\n|---|---|---|\n")
	for _, r := range resources {
		p("| [`%s`](#%s) | %d | %s |\n", r.Name, r.Name, r.Rows, cellText(r.Title))
	}
	b.WriteString("\n")
	for _, r := range resources {
		p("### %s\n\n", r.Name)
		p("`%s` · %d rows", r.Path(), r.Rows)
		if len(r.PrimaryKey) > 0 {
			p(" · one row per `%s`", strings.Join(r.PrimaryKey, "` + `"))
		}
		p("\n\n%s\n\n", r.Description)
		if len(r.ForeignKeys) > 0 {
			var links []string
			for _, fk := range r.ForeignKeys {
				target := fk.Reference.Resource
				if target == "" {
					target = r.Name
				}
				links = append(links, fmt.Sprintf("`%s` → `%s.%s`", strings.Join(fk.Fields, ", "), target, strings.Join(fk.Reference.Fields, ", ")))
			}
			p("Links: %s.\n\n", strings.Join(links, "; "))
		}
		p("| column | type | description |\n|---|---|---|\n")
		for _, f := range r.Fields {
			p("| `%s` | %s | %s |\n", f.Name, fieldType(f), cellText(fieldDescription(f)))
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

func fieldType(f SchemaField) string {
	t := f.Type
	if f.Constraints != nil && f.Constraints.Required {
		t += ", required"
	}
	return t
}

func fieldDescription(f SchemaField) string {
	d := f.Description
	if f.Constraints != nil && len(f.Constraints.Enum) > 0 {
		d += " One of: " + strings.Join(f.Constraints.Enum, ", ") + "."
	}
	return d
}

// cellText makes text safe inside a Markdown table cell.
func cellText(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}
