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
	if bilingual(info.Version) {
		p("- **Japanese text** is in the `*_ja` columns (and the `ja` member of titles, names, summaries and descriptions in JSON). From release %s every current event's title and summary, program's name and summary, budget line's title and actor's description is given in English and in Japanese, written in the dataset's own words; a Japanese name is given where a cited source shows it, so a few foreign names have none. Where a column's description below says Japanese text is given only where a source gives it, that applies to names.\n", dataset.BilingualSince)
	}
	p("- **Cells that begin with** `=`, `+`, `-` or `@` get a leading apostrophe (`'`), so that no spreadsheet runs them as formulas; the JSON files keep the text as it is.\n\n")

	p("## How to cite\n\n")
	p("> %s\n\n", CitationAPA(info))
	p("```bibtex\n%s```\n\n", CitationBibTeX(info))
	p("`CITATION.cff` holds the same metadata for reference managers and GitHub.\n\n")

	if bilingual(info.Version) {
		japaneseSection(p, info)
	}

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

// FieldDescription is what the codebook says of a column: its description
// and, for a column with a fixed set of values, the values.
func FieldDescription(f SchemaField) string { return fieldDescription(f) }

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

// bilingual reports whether a release is written in both languages, so that
// its codebook has a Japanese section: bundles of earlier releases keep
// their bytes.
func bilingual(version string) bool {
	return dataset.CompareVersions(version, dataset.BilingualSince) >= 0
}

// japaneseSection is the codebook's summary for Japanese readers: what the
// release holds, how to open the files and how to cite them.
func japaneseSection(p func(string, ...any), info dataset.ReleaseInfo) {
	p("## 日本語による説明\n\n")
	if info.SummaryJA != "" {
		p("%s\n\n", info.SummaryJA)
	}
	p("このデータセットは、2020年に発覚した中国人民解放軍による日本の防衛機密ネットワークへの侵入、それに対する日米の対応、日本のサイバー防衛の予算と施策を、出典付きの記録として公開するものです。")
	p("すべての記録は根拠とした出典を `sources` に示し、出典によって値が食い違う場合はもう一方の値を `contradictions` に残しています。\n\n")
	p("- **ファイル**: `csv/` は表計算ソフト向けの表（1ファイル1表）、`json/` と `ndjson/` はAPIと同じ形の記録、`datapackage.json` は表の型とキー、`CITATION.cff` は引用情報、`SHA256SUMS` は各ファイルのチェックサムです。\n")
	p("- **日本語の列**: 題名・名称・要約・説明の日本語は `*_ja` 列（JSONでは `ja`）にあります。現行の出来事の題名と要約、施策の名称と要約、予算項目の題名、主体の説明はすべて日英両方で記載しています。\n")
	p("- **Excelで開く**: CSVはBOM付きUTF-8なので、ダブルクリックで日本語が正しく表示されます。`2020-09` のような部分的な日付や長い金額をそのまま残すには、［データ］›［テキストまたはCSVから］で読み込み、日付とidの列を文字列に指定してください。\n")
	p("- **金額**: 円単位の整数です（1億円 = 100,000,000円）。段階（概算要求・政府案・当初・補正など）の異なる金額は合算しないでください。\n")
	p("- **廃止された記録**: `status` が `withdrawn` の行は、idを再利用しないために残している記録です。件数を数えるときは除いてください。\n")
	p("- **引用**: 上の「How to cite」の形式（APA、BibTeX）か `CITATION.cff` を使ってください。\n\n")
}
