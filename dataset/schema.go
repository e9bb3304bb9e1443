package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/danielgtaylor/huma/v2"
)

// File is one file of a release, with the kind of record it holds.
type File struct {
	Name   string       // file name, e.g. "events.yaml"
	Kind   string       // record kind in messages, e.g. "event"
	Type   reflect.Type // Go type of one record
	List   bool         // the file is a list of records (release.yaml is one mapping)
	Title  string       // schema title
	Schema string       // schema file name under schema/
}

// ReleaseFile holds the release's description (every other file holds
// the records of one kind).
var ReleaseFile = File{Name: "release.yaml", Kind: "release", Type: reflect.TypeFor[ReleaseInfo](), Title: "jcdd release", Schema: "release.schema.json"}

// Files lists the files of a release in the order they are loaded: the
// release's description, then one file per kind of record (Kinds).
var Files = func() []File {
	files := []File{ReleaseFile}
	for _, k := range Kinds {
		files = append(files, k.File())
	}
	return files
}()

func init() {
	// Lists in this dataset are never null: an absent list is omitted. Huma
	// makes arrays nullable unless told otherwise, which would let
	// "sources: null" slip past minItems and give SDKs needless null unions.
	huma.DefaultArrayNullable = false
}

// SchemaDefsPrefix is where record schemas live inside a file's JSON Schema.
const SchemaDefsPrefix = "#/$defs/"

// NewRegistry returns a schema registry for the dataset types, with
// references that resolve inside a standalone JSON Schema document.
func NewRegistry() huma.Registry {
	return huma.NewMapRegistry(SchemaDefsPrefix, huma.DefaultSchemaNamer)
}

// JSONSchema returns the JSON Schema (draft 2020-12) of one dataset file,
// generated from the Go types so that it can never disagree with the loader.
func JSONSchema(f File) ([]byte, error) {
	reg := NewRegistry()
	item := reg.Schema(f.Type, true, f.Type.Name())
	doc := map[string]any{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"$id":         "https://jcdd.example.org/schema/" + f.Schema,
		"title":       f.Title,
		"description": fileDescription(f),
		"$defs":       reg.Map(),
	}
	if f.List {
		doc["type"] = "array"
		doc["items"] = item
	} else {
		doc["$ref"] = item.Ref
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encoding the schema of %s: %w", f.Name, err)
	}
	return buf.Bytes(), nil
}

func fileDescription(f File) string {
	if f.List {
		return fmt.Sprintf("The %s records of the Japan Cyber Defense Dataset: a YAML list, one %s per item. Generated from the Go types in package dataset; do not edit.", f.Kind, f.Kind)
	}
	return "The description of a Japan Cyber Defense Dataset release. Generated from the Go types in package dataset; do not edit."
}
