package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jcdd/jcdd/dataset"
)

// What every release says about the dataset as a whole. The API's meta block
// states the same licence.
const (
	DatasetTitle  = "Japan Cyber Defense Dataset (jcdd)"
	DatasetAuthor = "jcdd contributors"
	RepositoryURL = "https://github.com/jcdd/jcdd"
	LicenceID     = "CC-BY-4.0" // SPDX
	LicenceTitle  = "Creative Commons Attribution 4.0 International"
	LicenceURL    = "https://creativecommons.org/licenses/by/4.0/"
)

// keywords describe the dataset in catalogues (CITATION.cff, datapackage.json).
var keywords = []string{"cybersecurity", "Japan", "defense", "China", "People's Liberation Army", "cyber espionage", "budget", "open data"}

// CitationAPA is the release's citation in APA style (7th edition, data set).
func CitationAPA(info dataset.ReleaseInfo) string {
	return fmt.Sprintf("%s. (%s). %s (Version %s) [Data set]. %s", DatasetAuthor, year(info), DatasetTitle, info.Version, RepositoryURL)
}

// CitationBibTeX is the release's citation as a BibTeX entry. It is @misc,
// which every BibTeX style knows, rather than biblatex's @dataset.
func CitationBibTeX(info dataset.ReleaseInfo) string {
	key := "jcdd_" + strings.ReplaceAll(info.Version, ".", "_")
	return fmt.Sprintf(`@misc{%s,
  author       = {{%s}},
  title        = {{%s}},
  year         = {%s},
  version      = {%s},
  howpublished = {\url{%s}},
  note         = {Data set, release %s of %s. Licensed under CC BY 4.0},
}
`, key, DatasetAuthor, DatasetTitle, year(info), info.Version, RepositoryURL, info.Version, info.Released)
}

func year(info dataset.ReleaseInfo) string {
	y, _, _ := strings.Cut(info.Released, "-")
	return y
}

// CitationCFF returns CITATION.cff (Citation File Format 1.2.0) for a
// release. Every string is written as a YAML double-quoted scalar, whose
// escapes are a superset of JSON's, so no value can change the YAML's
// structure or be read as a date or a number.
func CitationCFF(info dataset.ReleaseInfo) []byte {
	var b bytes.Buffer
	line := func(key string, value string) { fmt.Fprintf(&b, "%s: %s\n", key, quoteYAML(value)) }
	b.WriteString("# Citation metadata of this release: https://citation-file-format.github.io/\n")
	line("cff-version", "1.2.0")
	line("message", "If you use this dataset, please cite it using these metadata.")
	line("type", "dataset")
	line("title", DatasetTitle)
	line("version", info.Version)
	line("date-released", info.Released)
	line("abstract", info.Summary)
	b.WriteString("authors:\n")
	fmt.Fprintf(&b, "  - name: %s\n", quoteYAML(DatasetAuthor))
	line("license", LicenceID)
	line("repository-code", RepositoryURL)
	b.WriteString("keywords:\n")
	for _, k := range keywords {
		fmt.Fprintf(&b, "  - %s\n", quoteYAML(k))
	}
	return b.Bytes()
}

func quoteYAML(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}
