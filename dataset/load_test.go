package dataset

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// minimal is a small, valid release that the table below breaks one way at a
// time. Its texts are in English and Japanese, so that it is valid under the
// rules of every version (see BilingualSince).
var minimal = map[string]string{
	"release.yaml": `
version: 1.0.0
released: "2026-11-25"
summary: Test release.
summary_ja: テスト用のリリース。
`,
	"sources.yaml": `
- id: src-a
  url: https://example.org/a
  title: A
  publisher: Example
  published: "2023-08-08"
  language: en
  kind: news
- id: src-b
  url: https://example.org/b
  title: B
  publisher: Example
  language: ja
  kind: government
`,
	"actors.yaml": `
- id: us-nsa
  kind: government-agency
  name: {en: National Security Agency}
  description: {en: US signals intelligence agency., ja: 米国の通信情報機関。}
  country: US
  sources: [{source: src-a}]
- id: jp-mod
  kind: government-agency
  name: {en: Ministry of Defense, ja: 防衛省}
  description: {en: Japan's defense ministry., ja: 日本の防衛を担う省。}
  country: JP
  roles:
    - {title: Ministry, from: "2007-01-09"}
  sources: [{source: src-b}]
`,
	"events.yaml": `
- id: discovery
  title: {en: NSA detects the intrusion, ja: NSAが侵入を検知}
  summary: {en: The NSA found it., ja: NSAが発見した。}
  type: discovery
  occurred: "2020-09"
  occurred_to: "2020-11"
  precision: season
  actors: [{actor: us-nsa, role: discoverer}, {actor: jp-mod, role: target}]
  countries: [US, JP]
  tags: [core]
  confidence: reported
  sources: [{source: src-a, locator: second paragraph}]
- id: report
  title: {en: The report, ja: 報道}
  summary: {en: A newspaper reported it., ja: 新聞が報じた。}
  type: report
  occurred: "2023-08-07"
  precision: day
  confidence: confirmed
  related: [discovery]
  sources: [{source: src-a}]
`,
	"programs.yaml": `
- id: workforce
  name: {en: Cyber workforce, ja: サイバー人材}
  agency: jp-mod
  kind: target
  summary: {en: Cyber personnel., ja: サイバー要員。}
  started: "2022-12-16"
  state: active
  metrics:
    - {name: cyber-personnel, value: 4000, unit: people, kind: target, fiscal_year: 2027, sources: [{source: src-b}]}
  sources: [{source: src-b}]
`,
	"budgets.yaml": `
- id: mod-fy2013-request
  fiscal_year: 2013
  agency: jp-mod
  title: {en: Cyber countermeasures, ja: サイバー攻撃対策}
  category: cyber-total
  stage: request
  amount_jpy: 21_200_000_000
  confidence: reported
  sources: [{source: src-b}]
- id: mod-fy2013-request-base
  fiscal_year: 2013
  agency: jp-mod
  title: {en: Operational base, ja: 運用基盤}
  category: cyber-item
  stage: request
  amount_jpy: 13_300_000_000
  part_of: mod-fy2013-request
  confidence: reported
  sources: [{source: src-b}]
- id: dbp-cyber
  fiscal_year: 2023
  fiscal_year_to: 2027
  agency: jp-mod
  program: workforce
  title: {en: Cyber under the buildup program, ja: 防衛力整備計画のサイバー分野}
  category: cyber-total
  stage: plan
  amount_jpy: 1_000_000_000_000
  amount_qualifier: about
  confidence: reported
  sources: [{source: src-b}]
`,
}

func fsWith(changes map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, body := range minimal {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	for name, body := range changes {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return fsys
}

// replace returns the minimal file with one substring replaced, failing the
// test if the substring is not there (so a table row cannot silently test
// nothing).
func replace(t *testing.T, file, old, new string) map[string]string {
	t.Helper()
	if !strings.Contains(minimal[file], old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	return map[string]string{file: strings.Replace(minimal[file], old, new, 1)}
}

func TestLoadMinimal(t *testing.T) {
	rel, err := LoadFS(fsWith(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rel.Events); got != 2 {
		t.Errorf("events = %d, want 2", got)
	}
	if got := rel.Budgets[0].AmountJPY; got != 21_200_000_000 {
		t.Errorf("amount = %d, want 21200000000", got)
	}
	if got := rel.Actors[1].Name.JA; got != "防衛省" {
		t.Errorf("name.ja = %q", got)
	}
	if got := rel.Events[0].Sources[0].Locator; got != "second paragraph" {
		t.Errorf("locator = %q", got)
	}
	if len(rel.Checksums) != len(Files) {
		t.Errorf("checksums for %d files, want %d", len(rel.Checksums), len(Files))
	}
}

func TestLoadBroken(t *testing.T) {
	cases := []struct {
		name    string
		changes map[string]string
		want    []string
	}{
		{
			name:    "missing source",
			changes: replace(t, "events.yaml", "  related: [discovery]\n  sources: [{source: src-a}]\n", "  related: [discovery]\n"),
			want:    []string{`events.yaml:14: event "report": expected required property sources to be present`},
		},
		{
			name:    "empty source list",
			changes: replace(t, "events.yaml", "  related: [discovery]\n  sources: [{source: src-a}]\n", "  related: [discovery]\n  sources: []\n"),
			want:    []string{`events.yaml:22: event "report": sources: expected array length >= 1`},
		},
		{
			name:    "dangling source",
			changes: replace(t, "events.yaml", "sources: [{source: src-a}]\n", "sources: [{source: src-z}]\n"),
			want:    []string{`events.yaml:22: event "report": sources[0].source: unknown source "src-z"`},
		},
		{
			name:    "dangling actor",
			changes: replace(t, "events.yaml", "{actor: jp-mod, role: target}", "{actor: jp-mof, role: target}"),
			want:    []string{`events.yaml:9: event "discovery": actors[1].actor: unknown actor "jp-mof"`},
		},
		{
			name:    "dangling related event",
			changes: replace(t, "events.yaml", "related: [discovery]", "related: [discovered]"),
			want:    []string{`events.yaml:21: event "report": related[0]: unknown event "discovered"`},
		},
		{
			name:    "bad partial date",
			changes: replace(t, "events.yaml", `occurred: "2020-09"`, `occurred: "2020-13"`),
			want:    []string{`events.yaml:6: event "discovery": occurred: "2020-13": month 13 does not exist`},
		},
		{
			name:    "day that does not exist",
			changes: replace(t, "events.yaml", `occurred: "2023-08-07"`, `occurred: "2023-02-29"`),
			want:    []string{`events.yaml:18: event "report": occurred: "2023-02-29": day 29 does not exist in 2023-02`},
		},
		{
			name:    "date in another format",
			changes: replace(t, "events.yaml", `occurred: "2023-08-07"`, `occurred: "7 Aug 2023"`),
			want:    []string{`events.yaml:18: event "report": occurred: expected string to match pattern ^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`},
		},
		{
			name:    "unquoted year",
			changes: replace(t, "events.yaml", `occurred: "2023-08-07"`, `occurred: 2023`),
			want:    []string{`events.yaml:18: event "report": occurred: expected string`},
		},
		{
			name:    "precision that does not match the date",
			changes: replace(t, "events.yaml", "precision: day", "precision: month"),
			want:    []string{`events.yaml:19: event "report": precision: precision "month" does not match occurred "2023-08-07", which is precise to the day`},
		},
		{
			name:    "season without an end",
			changes: replace(t, "events.yaml", "  occurred_to: \"2020-11\"\n", ""),
			want:    []string{`events.yaml:2: event "discovery": occurred_to: precision "season" needs occurred_to, the end of the season`},
		},
		{
			name:    "reversed range",
			changes: replace(t, "events.yaml", `occurred_to: "2020-11"`, `occurred_to: "2019-11"`),
			want:    []string{`events.yaml:7: event "discovery": occurred_to: occurred_to "2019-11" is before occurred "2020-09"`},
		},
		{
			name:    "reversed role dates",
			changes: replace(t, "actors.yaml", `{title: Ministry, from: "2007-01-09"}`, `{title: Ministry, from: "2007-01-09", to: "2006"}`),
			want:    []string{`actors.yaml:14: actor "jp-mod": roles[0].to: roles[0].to "2006" is before roles[0].from "2007-01-09"`},
		},
		{
			name:    "duplicate id",
			changes: replace(t, "events.yaml", "- id: report", "- id: discovery"),
			want: []string{
				`events.yaml:14: event "discovery": id: duplicate id: another event already uses it`,
				`events.yaml:21: event "discovery": related[0]: an event cannot be related to itself`,
			},
		},
		{
			name:    "reserved event id",
			changes: replace(t, "events.yaml", "- id: report", "- id: facets"),
			want: []string{
				`events.yaml:14: event "facets": id: id "facets" is reserved for the API path /v1/events/facets, which would hide this record; choose another id`,
			},
		},
		{
			name:    "reserved budget line id",
			changes: replace(t, "budgets.yaml", "- id: mod-fy2013-request\n", "- id: facets\n"),
			want: []string{
				`budgets.yaml:2: budget line "facets": id: id "facets" is reserved for the API path /v1/budgets/facets, which would hide this record; choose another id`,
				`budgets.yaml:18: budget line "mod-fy2013-request-base": part_of: unknown budget line "mod-fy2013-request"`,
			},
		},
		{
			name:    "reserved budget line ids",
			changes: replace(t, "budgets.yaml", "- id: mod-fy2013-request", "- id: summary"),
			want: []string{
				`budgets.yaml:2: budget line "summary": id: id "summary" is reserved for the API path /v1/budgets/summary, which would hide this record; choose another id`,
				`budgets.yaml:18: budget line "mod-fy2013-request-base": part_of: unknown budget line "mod-fy2013-request"`,
			},
		},
		{
			name:    "id that is not kebab-case",
			changes: replace(t, "events.yaml", "- id: report", "- id: The_Report"),
			want: []string{
				`events.yaml:14: event "The_Report": id: expected string to match pattern ^[a-z0-9]+(-[a-z0-9]+)*$`,
			},
		},
		{
			name:    "fractional yen",
			changes: replace(t, "budgets.yaml", "amount_jpy: 21_200_000_000", "amount_jpy: 21200000000.5"),
			want:    []string{`budgets.yaml:8: budget line "mod-fy2013-request": amount_jpy: expected integer`},
		},
		{
			name:    "yen as a string",
			changes: replace(t, "budgets.yaml", "amount_jpy: 21_200_000_000", `amount_jpy: "212億円"`),
			want:    []string{`budgets.yaml:8: budget line "mod-fy2013-request": amount_jpy: expected integer`},
		},
		{
			name:    "negative yen",
			changes: replace(t, "budgets.yaml", "amount_jpy: 21_200_000_000", "amount_jpy: -5"),
			want:    []string{`budgets.yaml:8: budget line "mod-fy2013-request": amount_jpy: expected number >= 1`},
		},
		{
			name:    "implausible fiscal year",
			changes: replace(t, "budgets.yaml", "fiscal_year: 2013\n  agency: jp-mod\n  title: {en: Cyber countermeasures, ja: サイバー攻撃対策}", "fiscal_year: 213\n  agency: jp-mod\n  title: {en: Cyber countermeasures, ja: サイバー攻撃対策}"),
			want:    []string{`budgets.yaml:3: budget line "mod-fy2013-request": fiscal_year: expected number >= 1990`},
		},
		{
			name:    "part bigger than its whole",
			changes: replace(t, "budgets.yaml", "amount_jpy: 13_300_000_000", "amount_jpy: 31_300_000_000"),
			want:    []string{`budgets.yaml:17: budget line "mod-fy2013-request-base": amount_jpy: 31300000000 yen is more than the 21200000000 yen of "mod-fy2013-request" it is part of`},
		},
		{
			name:    "plan without its last year",
			changes: replace(t, "budgets.yaml", "  fiscal_year_to: 2027\n", ""),
			want:    []string{`budgets.yaml:21: budget line "dbp-cyber": fiscal_year_to: a plan needs fiscal_year_to, its last fiscal year`},
		},
		{
			name:    "two totals for the same year and stage",
			changes: replace(t, "budgets.yaml", "category: cyber-item", "category: cyber-total"),
			want:    []string{`budgets.yaml:15: budget line "mod-fy2013-request-base": category: "mod-fy2013-request" already gives the cyber-total for this agency, year and stage; record a second figure as a contradiction`},
		},
		{
			name:    "unknown field",
			changes: replace(t, "events.yaml", "  summary: {en: A newspaper reported it., ja: 新聞が報じた。}", "  summry: {en: A newspaper reported it.}"),
			want: []string{
				`events.yaml:14: event "report": expected required property summary to be present`,
				`events.yaml:16: event "report": summry: unexpected property`,
			},
		},
		{
			name:    "field given twice",
			changes: replace(t, "events.yaml", "  type: report\n", "  type: report\n  type: leak\n"),
			want:    []string{`events.yaml:18: event "report": type: field appears more than once`},
		},
		{
			name:    "value outside its enum",
			changes: replace(t, "events.yaml", "confidence: reported", "confidence: likely"),
			want:    []string{`events.yaml:12: event "discovery": confidence: expected value to be one of "confirmed, reported, disputed"`},
		},
		{
			name:    "disputed without who",
			changes: replace(t, "events.yaml", "confidence: reported", "confidence: disputed"),
			want:    []string{`events.yaml:2: event "discovery": disputed_by: a disputed event must name who disputes it`},
		},
		{
			name:    "unknown country",
			changes: replace(t, "events.yaml", "countries: [US, JP]", "countries: [US, XX]"),
			want:    []string{`events.yaml:10: event "discovery": countries[1]: "XX" is not an ISO 3166-1 alpha-2 country code`},
		},
		{
			name:    "uncited source",
			changes: replace(t, "events.yaml", "sources: [{source: src-a, locator: second paragraph}]", "sources: [{source: src-a}]"),
			want:    nil, // still cited by the other event: no error
		},
		{
			name:    "source nobody cites",
			changes: map[string]string{"sources.yaml": minimal["sources.yaml"] + "- {id: src-c, url: \"https://example.org/c\", title: C, publisher: E, language: en, kind: blog}\n"},
			want:    []string{`sources.yaml:15: source "src-c": id: is not cited by any record; remove it or cite it`},
		},
		{
			name:    "withdrawn without a reason",
			changes: replace(t, "events.yaml", "- id: report\n", "- id: report\n  status: withdrawn\n"),
			want:    []string{`events.yaml:14: event "report": withdrawn_reason: a withdrawn record must say why it was withdrawn`},
		},
		{
			name:    "contradiction about a field that does not exist",
			changes: replace(t, "events.yaml", "  related: [discovery]\n", "  related: [discovery]\n  contradictions: [{field: when, value: \"2023-08-09\", sources: [{source: src-b}], note: Wrong weekday.}]\n"),
			want:    []string{`events.yaml:22: event "report": contradictions[0].field: "when" is not a field of event records`},
		},
		{
			name:    "not YAML",
			changes: map[string]string{"actors.yaml": "- id: [unclosed\n"},
			want:    []string{`actors.yaml:1: not valid YAML: line 1: did not find expected ',' or ']'`},
		},
		{
			name:    "missing file",
			changes: map[string]string{"programs.yaml": ""},
			want:    []string{`programs.yaml: file is empty`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadFS(fsWith(tc.changes))
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("err = %v, want dataset.Errors", err)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestLoadReportsEveryError checks that problems in several files are all
// reported at once rather than stopping at the first.
func TestLoadReportsEveryError(t *testing.T) {
	changes := replace(t, "events.yaml", `occurred: "2020-09"`, `occurred: "2020-13"`)
	for k, v := range replace(t, "budgets.yaml", "amount_jpy: 21_200_000_000", "amount_jpy: 1.5") {
		changes[k] = v
	}
	_, err := LoadFS(fsWith(changes))
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 2 {
		t.Fatalf("want 2 errors, got %v", err)
	}
	if errs[0].File != "budgets.yaml" || errs[1].File != "events.yaml" {
		t.Errorf("errors not sorted by file: %v", err)
	}
}

func TestEmbeddedDatasetIsValid(t *testing.T) {
	if _, err := Load(); err != nil {
		t.Fatal(err)
	}
}

// TestLoadRecordByRecord checks that a list in the dataset's layout is read
// record by record, and that a list in any other layout, or whose records
// do not stand alone (an alias to an anchor in another record), is read as
// a whole with the same result.
func TestLoadRecordByRecord(t *testing.T) {
	if spans, ok := splitRecords([]byte(minimal["sources.yaml"])); !ok || len(spans) != 2 || spans[1].line != 9 {
		t.Fatalf("splitRecords(sources.yaml) = %v, %v; want 2 records, the second on line 9", spans, ok)
	}
	want, err := LoadFS(fsWith(nil))
	if err != nil {
		t.Fatal(err)
	}
	for name, changes := range map[string]map[string]string{
		"alias to another record": replace(t, "sources.yaml", "  publisher: Example\n  published", "  publisher: &pub Example\n  published"),
		"flow style":              {"sources.yaml": "[{id: src-a, url: \"https://example.org/a\", title: A, publisher: Example, published: \"2023-08-08\", language: en, kind: news},\n {id: src-b, url: \"https://example.org/b\", title: B, publisher: Example, language: ja, kind: government}]\n"},
		"document marker":         {"sources.yaml": "---\n" + minimal["sources.yaml"]},
	} {
		if name == "alias to another record" {
			changes["sources.yaml"] = strings.Replace(changes["sources.yaml"], "title: B\n  publisher: Example", "title: B\n  publisher: *pub", 1)
			if _, ok := splitRecords([]byte(changes["sources.yaml"])); !ok {
				t.Fatalf("%s: want the layout split record by record before the alias is found", name)
			}
		} else if _, ok := splitRecords([]byte(changes["sources.yaml"])); ok {
			t.Fatalf("%s: splitRecords accepted a layout it does not read", name)
		}
		got, err := LoadFS(fsWith(changes))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got.Sources, want.Sources) {
			t.Errorf("%s: sources = %+v, want %+v", name, got.Sources, want.Sources)
		}
	}
	// An error in a record read on its own is reported at its line in the
	// file, and so is one found by a check across records, which parses the
	// record again.
	_, err = LoadFS(fsWith(replace(t, "sources.yaml", "  kind: government\n", "  kind: nonsense\n")))
	if err == nil || !strings.Contains(err.Error(), "sources.yaml:14:") {
		t.Errorf("err = %v, want one at sources.yaml:14", err)
	}
	_, err = LoadFS(fsWith(replace(t, "sources.yaml", "- id: src-b\n", "- id: src-a\n")))
	if err == nil || !strings.Contains(err.Error(), "sources.yaml:9: source \"src-a\": id: duplicate id") {
		t.Errorf("err = %v, want a duplicate id at sources.yaml:9", err)
	}
}

// A list file is read as a stream, record by record, with the checksum of
// its bytes, and each record is remembered by the span splitRecords finds.
func TestStreamMatchesSplit(t *testing.T) {
	fsys := fsWith(nil)
	for _, f := range Files {
		if !f.List {
			continue
		}
		data := fsys[f.Name].Data
		l := loader{reg: NewRegistry(), rel: &Release{}, lines: lineIndex{fsys: fsys}}
		sum, ok, err := l.stream(fsys, f)
		if err != nil || !ok {
			t.Fatalf("%s: stream = %v, %v", f.Name, ok, err)
		}
		if sum != Checksum(data) {
			t.Errorf("%s: checksum %s, want %s", f.Name, sum, Checksum(data))
		}
		spans, _ := splitRecords(data)
		var got []span
		for _, at := range l.lines.recs[f.Kind] {
			got = append(got, at.span)
		}
		if !reflect.DeepEqual(got, spans) {
			t.Errorf("%s: spans %v, want %v", f.Name, got, spans)
		}
	}
}
