package export

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/jcdd/jcdd/dataset"
)

// The data package describes the CSV tables of a bundle as a Frictionless
// Tabular Data Package (v1): types, constraints, keys, and the size and
// checksum of each file, so that tools such as frictionless or csvkit can
// load and validate the tables without reading the codebook. The JSON and
// NDJSON files hold the same records nested, and are not described here: a
// tabular data package may only hold tables.

type dataPackage struct {
	Profile      string       `json:"profile"`
	Name         string       `json:"name"`
	Title        string       `json:"title"`
	Description  string       `json:"description"`
	Version      string       `json:"version"`
	Created      string       `json:"created"`
	Homepage     string       `json:"homepage"`
	Keywords     []string     `json:"keywords"`
	Licenses     []dpLicense  `json:"licenses"`
	Contributors []dpPerson   `json:"contributors"`
	Resources    []dpResource `json:"resources"`
}

type dpLicense struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Title string `json:"title"`
}

type dpPerson struct {
	Title string `json:"title"`
	Role  string `json:"role"`
}

type dpResource struct {
	Profile     string    `json:"profile"`
	Name        string    `json:"name"`
	Path        string    `json:"path"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Format      string    `json:"format"`
	Mediatype   string    `json:"mediatype"`
	Encoding    string    `json:"encoding"`
	Bytes       int       `json:"bytes"`
	Hash        string    `json:"hash"`
	Dialect     dpDialect `json:"dialect"`
	Schema      dpSchema  `json:"schema"`
}

// dpDialect says how the CSV is written: RFC 4180 with CRLF line ends.
type dpDialect struct {
	Delimiter      string `json:"delimiter"`
	LineTerminator string `json:"lineTerminator"`
	QuoteChar      string `json:"quoteChar"`
	DoubleQuote    bool   `json:"doubleQuote"`
	Header         bool   `json:"header"`
}

type dpSchema struct {
	Fields        []SchemaField `json:"fields"`
	MissingValues []string      `json:"missingValues"`
	PrimaryKey    []string      `json:"primaryKey,omitempty"`
	ForeignKeys   []ForeignKey  `json:"foreignKeys,omitempty"`
}

// DataPackage returns datapackage.json for a release whose CSV tables have
// already been written: files maps each table's path to the size and
// SHA-256 of its bytes.
func DataPackage(info dataset.ReleaseInfo, resources []Resource, files map[string]FileSum) ([]byte, error) {
	dp := dataPackage{
		Profile:      "tabular-data-package",
		Name:         "jcdd",
		Title:        DatasetTitle,
		Description:  info.Summary,
		Version:      info.Version,
		Created:      info.Released + "T00:00:00Z",
		Homepage:     RepositoryURL,
		Keywords:     keywords,
		Licenses:     []dpLicense{{Name: LicenceID, Path: LicenceURL, Title: LicenceTitle}},
		Contributors: []dpPerson{{Title: DatasetAuthor, Role: "author"}},
	}
	for _, r := range resources {
		data, ok := files[r.Path()]
		if !ok {
			return nil, fmt.Errorf("data package: %s has not been written", r.Path())
		}
		dp.Resources = append(dp.Resources, dpResource{
			Profile:     "tabular-data-resource",
			Name:        r.Name,
			Path:        r.Path(),
			Title:       r.Title,
			Description: r.Description,
			Format:      "csv",
			Mediatype:   "text/csv",
			// The files start with a byte order mark, which UTF-8 readers
			// (frictionless included) recognise and skip.
			Encoding: "utf-8",
			Bytes:    int(data.Size),
			Hash:     "sha256:" + data.SHA256,
			Dialect:  dpDialect{Delimiter: ",", LineTerminator: "\r\n", QuoteChar: `"`, DoubleQuote: true, Header: true},
			Schema:   dpSchema{Fields: r.Fields, MissingValues: []string{""}, PrimaryKey: r.PrimaryKey, ForeignKeys: r.ForeignKeys},
		})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(dp); err != nil {
		return nil, fmt.Errorf("encoding datapackage.json: %w", err)
	}
	return b.Bytes(), nil
}
