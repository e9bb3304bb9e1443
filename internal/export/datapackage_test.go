package export

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jcdd/jcdd/dataset"
)

// packageDoc is datapackage.json as a consumer reads it.
type packageDoc struct {
	Profile   string `json:"profile"`
	Name      string `json:"name"`
	Version   string `json:"version"`
	Created   string `json:"created"`
	Licenses  []struct{ Name, Path string }
	Resources []packageResource
}

type packageResource struct {
	Profile, Name, Path, Format, Mediatype, Encoding, Hash string
	Bytes                                                  int
	Schema                                                 struct {
		Fields        []SchemaField
		MissingValues []string
		PrimaryKey    []string
		ForeignKeys   []ForeignKey
	}
}

var resourceName = regexp.MustCompile(`^[a-z0-9._-]+$`)

// TestDataPackage validates datapackage.json against the Frictionless Data
// Package and Table Schema specs, and against the files it describes: every
// resource exists with the stated size and hash, the schema's fields are the
// CSV's columns, keys name real fields and tables, and every value meets its
// field's type and constraints, primary keys are unique and foreign keys
// resolve.
func TestDataPackage(t *testing.T) {
	for name, rel := range releases(t) {
		t.Run(name, func(t *testing.T) {
			u := openBundle(t, rel)
			raw := u.files["datapackage.json"]
			var top map[string]any
			if err := json.Unmarshal(raw, &top); err != nil {
				t.Fatalf("datapackage.json: %v", err)
			}
			for _, key := range []string{"profile", "name", "title", "description", "version", "created", "licenses", "resources"} {
				if _, ok := top[key]; !ok {
					t.Errorf("datapackage.json lacks %q", key)
				}
			}
			var dp packageDoc
			if err := json.Unmarshal(raw, &dp); err != nil {
				t.Fatal(err)
			}
			if dp.Profile != "tabular-data-package" || !resourceName.MatchString(dp.Name) || dp.Version != rel.Info.Version {
				t.Errorf("profile %q, name %q, version %q", dp.Profile, dp.Name, dp.Version)
			}
			if _, err := time.Parse(time.RFC3339, dp.Created); err != nil {
				t.Errorf("created: %v", err)
			}
			if len(dp.Licenses) != 1 || dp.Licenses[0].Name != "CC-BY-4.0" || dp.Licenses[0].Path == "" {
				t.Errorf("licenses = %+v", dp.Licenses)
			}

			schemas := map[string][]SchemaField{}
			keysOf := map[string][]string{}
			tables := map[string]table{}
			for _, r := range dp.Resources {
				if _, dup := schemas[r.Name]; dup || !resourceName.MatchString(r.Name) {
					t.Errorf("resource name %q is invalid or repeated", r.Name)
				}
				data, ok := u.files[r.Path]
				if !ok || strings.HasPrefix(r.Path, "/") || strings.Contains(r.Path, "..") {
					t.Errorf("resource %s: path %q is not a file of the bundle", r.Name, r.Path)
					continue
				}
				if r.Profile != "tabular-data-resource" || r.Format != "csv" || r.Mediatype != "text/csv" || r.Encoding != "utf-8" {
					t.Errorf("resource %s: profile %q, format %q, mediatype %q, encoding %q", r.Name, r.Profile, r.Format, r.Mediatype, r.Encoding)
				}
				if r.Bytes != len(data) {
					t.Errorf("resource %s: bytes %d, file has %d", r.Name, r.Bytes, len(data))
				}
				if want := "sha256:" + dataset.Checksum(data); r.Hash != want {
					t.Errorf("resource %s: hash %s, file has %s", r.Name, r.Hash, want)
				}
				tb := parseCSV(t, r.Path, data)
				var names []string
				for _, f := range r.Schema.Fields {
					names = append(names, f.Name)
					if f.Description == "" {
						t.Errorf("%s.%s has no description", r.Name, f.Name)
					}
					if !slices.Contains([]string{"string", "integer", "number", "boolean"}, f.Type) {
						t.Errorf("%s.%s: type %q", r.Name, f.Name, f.Type)
					}
				}
				if !slices.Equal(names, tb.header) {
					t.Errorf("resource %s: schema fields %q, CSV header %q", r.Name, names, tb.header)
				}
				for _, k := range r.Schema.PrimaryKey {
					if !slices.Contains(names, k) {
						t.Errorf("resource %s: primary key field %q does not exist", r.Name, k)
					}
				}
				schemas[r.Name], keysOf[r.Name], tables[r.Name] = r.Schema.Fields, r.Schema.PrimaryKey, tb
				checkValues(t, r.Name, r.Schema.Fields, r.Schema.PrimaryKey, tb)
			}
			for _, path := range u.names {
				if strings.HasPrefix(path, "csv/") && !slices.ContainsFunc(dp.Resources, func(r packageResource) bool { return r.Path == path }) {
					t.Errorf("%s is not described in datapackage.json", path)
				}
			}
			// Foreign keys: local fields exist, the referenced table and
			// fields exist and are its primary key, and every value resolves.
			for _, r := range dp.Resources {
				for _, fk := range r.Schema.ForeignKeys {
					target := fk.Reference.Resource
					if target == "" {
						target = r.Name
					}
					if _, ok := schemas[target]; !ok {
						t.Errorf("%s: foreign key to unknown resource %q", r.Name, target)
						continue
					}
					if !slices.Equal(fk.Reference.Fields, keysOf[target]) || len(fk.Fields) != 1 || len(fk.Reference.Fields) != 1 {
						t.Errorf("%s: foreign key %v does not reference the primary key %v of %s", r.Name, fk, keysOf[target], target)
						continue
					}
					known := map[string]bool{}
					for _, v := range tables[target].column(t, fk.Reference.Fields[0]) {
						known[v] = true
					}
					for i, v := range tables[r.Name].column(t, fk.Fields[0]) {
						if v != "" && !known[v] {
							t.Errorf("%s row %d: %s %q is not a %s.%s", r.Name, i+1, fk.Fields[0], v, target, fk.Reference.Fields[0])
						}
					}
				}
			}
		})
	}
}

// checkValues checks every value of a table against its field's type and
// constraints, and the uniqueness of the primary key.
func checkValues(t *testing.T, name string, fields []SchemaField, primary []string, tb table) {
	t.Helper()
	seen := map[string]int{}
	for r, row := range tb.rows {
		var key []string
		for c, v := range row {
			f := fields[c]
			if slices.Contains(primary, f.Name) {
				key = append(key, v)
			}
			if v == "" {
				if f.Constraints != nil && f.Constraints.Required {
					t.Errorf("%s row %d: required %s is empty", name, r+1, f.Name)
				}
				continue
			}
			var n float64
			var err error
			switch f.Type {
			case "integer":
				var i int64
				i, err = strconv.ParseInt(v, 10, 64)
				n = float64(i)
			case "number":
				n, err = strconv.ParseFloat(v, 64)
			case "boolean":
				if v != "true" && v != "false" {
					err = strconv.ErrSyntax
				}
			}
			if err != nil {
				t.Errorf("%s row %d: %s %q is not a %s", name, r+1, f.Name, v, f.Type)
			}
			c := f.Constraints
			if c == nil {
				continue
			}
			if len(c.Enum) > 0 && !slices.Contains(c.Enum, v) {
				t.Errorf("%s row %d: %s %q is not one of %v", name, r+1, f.Name, v, c.Enum)
			}
			if c.Pattern != "" && !regexp.MustCompile(`^(?:`+c.Pattern+`)$`).MatchString(v) {
				t.Errorf("%s row %d: %s %q does not match %s", name, r+1, f.Name, v, c.Pattern)
			}
			if (c.Minimum != nil && n < *c.Minimum) || (c.Maximum != nil && n > *c.Maximum) {
				t.Errorf("%s row %d: %s %v is out of range", name, r+1, f.Name, v)
			}
		}
		if len(primary) > 0 {
			k := strings.Join(key, "\x00")
			if prev, dup := seen[k]; dup {
				t.Errorf("%s rows %d and %d have the same primary key %q", name, prev, r+1, key)
			}
			seen[k] = r + 1
		}
	}
}
