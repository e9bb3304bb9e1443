package export

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/testenv/fixture"
)

// cffKeys are the top-level keys that Citation File Format 1.2.0 allows.
var cffKeys = []string{
	"abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi",
	"identifiers", "keywords", "license", "license-url", "message", "preferred-citation",
	"references", "repository", "repository-artifact", "repository-code", "title", "type",
	"url", "version",
}

// TestCitationCFF checks CITATION.cff against the CFF 1.2.0 rules: the
// required keys, only known keys, the types and formats of the values, and
// that it stays valid YAML whatever the release summary holds.
func TestCitationCFF(t *testing.T) {
	info := dataset.ReleaseInfo{
		Version:  "1.2.3",
		Released: "2026-11-25",
		Summary:  "A summary: with \"quotes\", a # hash, 日本語, & a line\nbreak — and a leading - dash.",
	}
	var doc map[string]any
	if err := yaml.Unmarshal(CitationCFF(info), &doc); err != nil {
		t.Fatalf("CITATION.cff is not YAML: %v", err)
	}
	for _, key := range []string{"cff-version", "message", "title", "authors"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("required key %q is missing", key)
		}
	}
	for key := range doc {
		if !slices.Contains(cffKeys, key) {
			t.Errorf("%q is not a CFF 1.2.0 key", key)
		}
	}
	want := map[string]any{
		"cff-version":     "1.2.0",
		"type":            "dataset",
		"version":         "1.2.3",
		"date-released":   "2026-11-25",
		"license":         "CC-BY-4.0",
		"abstract":        info.Summary,
		"repository-code": RepositoryURL,
		"title":           DatasetTitle,
	}
	for key, v := range want {
		if doc[key] != v {
			t.Errorf("%s = %#v, want %#v", key, doc[key], v)
		}
	}
	authors, ok := doc["authors"].([]any)
	if !ok || len(authors) == 0 {
		t.Fatalf("authors = %#v, want a non-empty list", doc["authors"])
	}
	for _, a := range authors {
		m, ok := a.(map[string]any)
		if !ok || (m["name"] == nil && m["family-names"] == nil) {
			t.Errorf("author %#v is neither an entity (name) nor a person (family-names)", a)
		}
	}
	if kw, ok := doc["keywords"].([]any); !ok || len(kw) == 0 {
		t.Errorf("keywords = %#v", doc["keywords"])
	}
	if _, err := time.Parse(time.DateOnly, doc["date-released"].(string)); err != nil {
		t.Errorf("date-released: %v", err)
	}
}

func TestCitationFormats(t *testing.T) {
	info := dataset.ReleaseInfo{Version: "1.0.0", Released: "2026-11-25", Summary: "x"}
	if got, want := CitationAPA(info), "jcdd contributors. (2026). Japan Cyber Defense Dataset (jcdd) (Version 1.0.0) [Data set]. https://github.com/jcdd/jcdd"; got != want {
		t.Errorf("APA:\n%s\nwant\n%s", got, want)
	}
	bib := CitationBibTeX(info)
	for _, want := range []string{"@misc{jcdd_1_0_0,", "year         = {2026},", "version      = {1.0.0},"} {
		if !strings.Contains(bib, want) {
			t.Errorf("BibTeX lacks %q:\n%s", want, bib)
		}
	}
	if strings.Count(bib, "{") != strings.Count(bib, "}") {
		t.Errorf("BibTeX braces do not balance:\n%s", bib)
	}
}

// TestCodebookCoversEveryColumn requires the README to document every
// column of every table, under that table's heading, with the description
// the data package gives.
func TestCodebookCoversEveryColumn(t *testing.T) {
	for name, rel := range releases(t) {
		t.Run(name, func(t *testing.T) {
			u := openBundle(t, rel)
			readme := string(u.files["README.md"])
			for _, want := range []string{rel.Info.Version, rel.Info.Released, CitationAPA(rel.Info), "sha256sum -c SHA256SUMS", "Excel"} {
				if !strings.Contains(readme, want) {
					t.Errorf("README.md does not mention %q", want)
				}
			}
			for _, r := range Resources(rel) {
				heading := "\n### " + r.Name + "\n"
				start := strings.Index(readme, heading)
				if start < 0 {
					t.Errorf("README.md has no section for %s", r.Name)
					continue
				}
				section := readme[start+len(heading):]
				if end := strings.Index(section, "\n### "); end >= 0 {
					section = section[:end]
				}
				for _, f := range r.Fields {
					row := "| `" + f.Name + "` | " + fieldType(f) + " | " + cellText(fieldDescription(f)) + " |"
					if !strings.Contains(section, row) {
						t.Errorf("README.md section %s lacks the row %q", r.Name, row)
					}
				}
			}
		})
	}
}

var checksumLine = regexp.MustCompile(`^([0-9a-f]{64})  (\S.*)$`)

// TestChecksums checks SHA256SUMS: the last file of the bundle, listing
// every other file exactly once with its SHA-256; and, where sha256sum is
// installed, that `sha256sum -c` accepts it in the unzipped folder.
func TestChecksums(t *testing.T) {
	_, v2 := fixture.Releases(t)
	data := buildZip(t, v2)
	u := openZip(t, data)
	if last := u.names[len(u.names)-1]; last != ChecksumsFile {
		t.Errorf("last file is %s, want %s", last, ChecksumsFile)
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(string(u.files[ChecksumsFile]), "\n"), "\n") {
		m := checksumLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("line %q is not in sha256sum format", line)
			continue
		}
		file, ok := u.files[m[2]]
		switch {
		case !ok:
			t.Errorf("%s is listed but not in the bundle", m[2])
		case listed[m[2]]:
			t.Errorf("%s is listed twice", m[2])
		case dataset.Checksum(file) != m[1]:
			t.Errorf("%s: listed %s, has %s", m[2], m[1], dataset.Checksum(file))
		}
		listed[m[2]] = true
	}
	for _, name := range u.names {
		if name != ChecksumsFile && !listed[name] {
			t.Errorf("%s is not in %s", name, ChecksumsFile)
		}
	}

	sha256sum, err := exec.LookPath("sha256sum")
	if err != nil {
		t.Log("sha256sum is not installed; skipping the check with the real tool")
		return
	}
	dir := t.TempDir()
	for _, name := range u.names {
		writeFile(t, filepath.Join(dir, u.root, filepath.FromSlash(name)), u.files[name])
	}
	cmd := exec.Command(sha256sum, "--check", "--strict", ChecksumsFile)
	cmd.Dir = filepath.Join(dir, u.root)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Errorf("sha256sum -c: %v\n%s", err, out.String())
	}
}
