package dataset

import (
	"errors"
	"io/fs"
	"strconv"
	"strings"
	"testing"
)

// at returns the changes that relabel the minimal release with a version.
func at(version string, changes map[string]string) map[string]string {
	out := map[string]string{"release.yaml": strings.Replace(minimal["release.yaml"], "version: 1.0.0", "version: "+version, 1)}
	for name, body := range changes {
		out[name] = body
	}
	return out
}

// loadErrors loads the minimal release with changes and returns its errors,
// one string each; nil when it loads.
func loadErrors(t *testing.T, changes map[string]string) []string {
	t.Helper()
	_, err := LoadFS(fsWith(changes))
	if err == nil {
		return nil
	}
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v, want dataset.Errors", err)
	}
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func TestBilingualTexts(t *testing.T) {
	cases := []struct {
		name    string
		changes map[string]string
		// want is the errors from release 1.2.0 on; before it, the same
		// files load.
		want []string
	}{
		{
			name:    "both languages everywhere",
			changes: nil,
		},
		{
			name:    "event title in English only",
			changes: replace(t, "events.yaml", "{en: NSA detects the intrusion, ja: NSAが侵入を検知}", "{en: NSA detects the intrusion}"),
			want:    []string{`events.yaml:3: event "discovery": title.ja: has English but no Japanese: from release 1.2.0 every event title is written in both languages`},
		},
		{
			name:    "event summary in English only",
			changes: replace(t, "events.yaml", "{en: A newspaper reported it., ja: 新聞が報じた。}", "{en: A newspaper reported it.}"),
			want:    []string{`events.yaml:16: event "report": summary.ja: has English but no Japanese: from release 1.2.0 every event summary is written in both languages`},
		},
		{
			name:    "blank Japanese counts as none",
			changes: replace(t, "events.yaml", "ja: 新聞が報じた。}", "ja: \" \"}"),
			want:    []string{`events.yaml:16: event "report": summary.ja: has English but no Japanese: from release 1.2.0 every event summary is written in both languages`},
		},
		{
			name:    "program name in English only",
			changes: replace(t, "programs.yaml", "{en: Cyber workforce, ja: サイバー人材}", "{en: Cyber workforce}"),
			want:    []string{`programs.yaml:3: program "workforce": name.ja: has English but no Japanese: from release 1.2.0 every program name is written in both languages`},
		},
		{
			name:    "program summary in English only",
			changes: replace(t, "programs.yaml", "{en: Cyber personnel., ja: サイバー要員。}", "{en: Cyber personnel.}"),
			want:    []string{`programs.yaml:6: program "workforce": summary.ja: has English but no Japanese: from release 1.2.0 every program summary is written in both languages`},
		},
		{
			name:    "budget title in English only",
			changes: replace(t, "budgets.yaml", "{en: Operational base, ja: 運用基盤}", "{en: Operational base}"),
			want:    []string{`budgets.yaml:14: budget line "mod-fy2013-request-base": title.ja: has English but no Japanese: from release 1.2.0 every budget line title is written in both languages`},
		},
		{
			name:    "actor description in English only",
			changes: replace(t, "actors.yaml", "{en: Japan's defense ministry., ja: 日本の防衛を担う省。}", "{en: Japan's defense ministry.}"),
			want:    []string{`actors.yaml:11: actor "jp-mod": description.ja: has English but no Japanese: from release 1.2.0 every actor description is written in both languages`},
		},
		{
			name:    "actor name in English only is allowed",
			changes: replace(t, "actors.yaml", "{en: Ministry of Defense, ja: 防衛省}", "{en: Ministry of Defense}"),
		},
		{
			name:    "Japanese without kana or kanji",
			changes: replace(t, "actors.yaml", "{en: Ministry of Defense, ja: 防衛省}", "{en: Ministry of Defense, ja: Ministry of Defense}"),
			want:    []string{`actors.yaml:10: actor "jp-mod": name.ja: "Ministry of Defense" has no kana or kanji: write the Japanese text here, not the English`},
		},
		{
			name: "a withdrawn record is a tombstone and is not checked",
			changes: replace(t, "events.yaml", "- id: report\n  title: {en: The report, ja: 報道}\n  summary: {en: A newspaper reported it., ja: 新聞が報じた。}\n",
				"- id: report\n  status: withdrawn\n  withdrawn_reason: A test.\n  title: {en: The report}\n  summary: {en: A newspaper reported it.}\n"),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := loadErrors(t, at("1.2.0", tc.changes)); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("release 1.2.0: errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if got := loadErrors(t, at("1.10.0", tc.changes)); len(got) != len(tc.want) {
				t.Errorf("release 1.10.0 (newer, though it sorts first as text): %d errors, want %d", len(got), len(tc.want))
			}
			if got := loadErrors(t, at("1.1.0", tc.changes)); got != nil {
				t.Errorf("release 1.1.0, published before the rule, does not load:\n%s", strings.Join(got, "\n"))
			}
		})
	}
}

func TestSourceURLs(t *testing.T) {
	srcC := func(url, extra string) map[string]string {
		return map[string]string{
			"sources.yaml": minimal["sources.yaml"] + "- {id: src-c, url: \"" + url + "\", title: C, publisher: E, language: en, kind: blog" + extra + "}\n",
			"budgets.yaml": strings.Replace(minimal["budgets.yaml"], "  amount_qualifier: about\n  confidence: reported\n  sources: [{source: src-b}]", "  amount_qualifier: about\n  confidence: reported\n  sources: [{source: src-c}]", 1),
		}
	}
	cases := []struct {
		name    string
		changes map[string]string
		want    []string // from release 1.2.0 on
	}{
		{
			name:    "another URL",
			changes: srcC("https://example.org/c", ""),
		},
		{
			name:    "the same URL",
			changes: srcC("https://example.org/a", ""),
			want:    []string{`sources.yaml:15: source "src-c": url: source "src-a" (line 3) has the same URL: a document has one source record; merge the two, cite "src-a" and withdraw "src-c" with superseded_by: src-a`},
		},
		{
			name:    "the same URL written differently",
			changes: srcC("https://Example.ORG/a/#top", ""),
			want:    []string{`sources.yaml:15: source "src-c": url: source "src-a" (line 3) has the same URL: a document has one source record; merge the two, cite "src-a" and withdraw "src-c" with superseded_by: src-a`},
		},
		{
			name:    "another query is another page",
			changes: srcC("https://example.org/a?page=2", ""),
		},
		{
			name: "a withdrawn duplicate that nothing cites",
			changes: map[string]string{
				"sources.yaml": minimal["sources.yaml"] + "- {id: src-c, url: \"https://example.org/a\", title: C, publisher: E, language: en, kind: blog, status: withdrawn, superseded_by: src-a, withdrawn_reason: A duplicate of src-a.}\n",
			},
		},
		{
			name:    "a withdrawn duplicate that a record still cites",
			changes: srcC("https://example.org/a", ", status: withdrawn, superseded_by: src-a, withdrawn_reason: A duplicate of src-a."),
			want:    []string{`budgets.yaml:32: budget line "dbp-cyber": sources[0].source: source "src-c" is withdrawn: cite "src-a", which supersedes it`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := loadErrors(t, at("1.2.0", tc.changes)); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("release 1.2.0: errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if got := loadErrors(t, at("1.1.0", tc.changes)); got != nil {
				t.Errorf("release 1.1.0, published before the rule, does not load:\n%s", strings.Join(got, "\n"))
			}
		})
	}
}

// TestPublishedReleasesKeepTheirRules: 1.0.0 and 1.1.0 were published
// without Japanese text, and 1.1.0 with two sources sharing a URL. They load
// as published, and only because the rules of 1.2.0 do not apply to them.
func TestPublishedReleasesKeepTheirRules(t *testing.T) {
	for v, wantURLs := range map[string]int{"1.0.0": 0, "1.1.0": 1} {
		sub, err := fs.Sub(FrozenFS(), v)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := LoadFS(sub); err != nil {
			t.Errorf("release %s: %v", v, err)
		}
		files := map[string]string{}
		for _, f := range Files {
			b, err := fs.ReadFile(sub, f.Name)
			if err != nil {
				t.Fatal(err)
			}
			files[f.Name] = string(b)
		}
		files["release.yaml"] = strings.Replace(files["release.yaml"], "version: "+v, "version: "+BilingualSince, 1)
		_, err = LoadFS(mapFS(files))
		var errs Errors
		if !errors.As(err, &errs) {
			t.Fatalf("release %s relabelled %s: err = %v, want the new rules to fail it", v, BilingualSince, err)
		}
		var pairing, urls int
		for _, e := range errs {
			switch {
			case strings.Contains(e.Msg, "has English but no Japanese"):
				pairing++
			case e.Field == "url":
				urls++
			}
		}
		if pairing == 0 || urls != wantURLs {
			t.Errorf("release %s relabelled %s: %d pairing and %d URL errors, want some and %d", v, BilingualSince, pairing, urls, wantURLs)
		}
	}
}

// TestWorkingCopyURLs checks the working copy against the source rules of
// the next release now, whatever its Japanese coverage: no two current
// sources share a URL, and nothing cites a withdrawn source.
func TestWorkingCopyURLs(t *testing.T) {
	files := map[string]string{}
	for _, f := range Files {
		b, err := ReadFile(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = string(b)
	}
	files["release.yaml"] = versionLine(files["release.yaml"], UniqueURLsSince)
	_, err := LoadFS(mapFS(files))
	var errs Errors
	if err != nil && !errors.As(err, &errs) {
		t.Fatal(err)
	}
	for _, e := range errs {
		if e.Kind == "source" || strings.Contains(e.Msg, "withdrawn") {
			t.Error(e)
		}
	}
}

// versionLine gives release.yaml another version.
func versionLine(release, version string) string {
	lines := strings.Split(release, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "version: ") {
			lines[i] = "version: " + version
		}
	}
	return strings.Join(lines, "\n")
}

func TestJapaneseCoverage(t *testing.T) {
	changes := replace(t, "events.yaml", "- id: report\n  title: {en: The report, ja: 報道}\n  summary: {en: A newspaper reported it., ja: 新聞が報じた。}\n",
		"- id: report\n  title: {en: The report}\n  summary: {en: A newspaper reported it., ja: 新聞が報じた。}\n")
	changes["events.yaml"] += `- id: withdrawn
  status: withdrawn
  withdrawn_reason: A test.
  title: {en: Withdrawn}
  summary: {en: Not translated.}
  type: report
  occurred: "2023"
  precision: year
  confidence: reported
  sources: [{source: src-a}]
`
	rel, err := LoadFS(fsWith(changes))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range JapaneseCoverage(rel) {
		for _, f := range k.Fields {
			got = append(got, k.Kind+" "+f.Field+" "+map[bool]string{true: "paired", false: "optional"}[f.Paired]+" "+strconv.Itoa(f.JA)+"/"+strconv.Itoa(f.Of))
		}
	}
	want := []string{
		"events title paired 1/2", // the withdrawn event is not counted
		"events summary paired 2/2",
		"actors name optional 1/2",
		"actors description paired 2/2",
		"budgets title paired 3/3",
		"programs name paired 1/1",
		"programs summary paired 1/1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("coverage:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
