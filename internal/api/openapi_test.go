package api

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// These tests hold the OpenAPI description to what SDK generators need,
// without node: the linters (make lint-openapi) check much of it too, but
// only where the npm tools are installed.

// walkSchemas calls fn for every schema of the description that is not a
// bare reference: component schemas, their properties and items, and the
// schemas of parameters. where says where the schema is.
func walkSchemas(oapi *huma.OpenAPI, fn func(where string, s *huma.Schema)) {
	var walk func(where string, s *huma.Schema)
	walk = func(where string, s *huma.Schema) {
		if s == nil {
			return
		}
		fn(where, s)
		for name, p := range s.Properties {
			walk(where+"."+name, p)
		}
		walk(where+"[]", s.Items)
	}
	for name, s := range oapi.Components.Schemas.Map() {
		walk(name, s)
	}
	for path, item := range oapi.Paths {
		for _, p := range item.Get.Parameters {
			walk(fmt.Sprintf("%s %s.%s", path, p.In, p.Name), p.Schema)
		}
	}
}

// TestRepeatedEnumsAreNamed fails when the same set of enum values is
// spelled out in two places: it should be a shared enum (enums.go), so that
// SDKs get one type for it. It also fails when a shared enum is used only
// once, which happens when a filter's enum tag drifts from the field it
// filters.
func TestRepeatedEnumsAreNamed(t *testing.T) {
	oapi := New(Config{}).OpenAPI()
	inline := map[string][]string{}
	refs := map[string]int{}
	walkSchemas(oapi, func(where string, s *huma.Schema) {
		if s.Ref != "" {
			refs[strings.TrimPrefix(s.Ref, "#/components/schemas/")]++
		}
		if len(s.Enum) > 0 && !slices.ContainsFunc(sharedEnums, func(e sharedEnum) bool { return e.name == where }) {
			inline[enumKey(s.Enum)] = append(inline[enumKey(s.Enum)], where)
		}
	})
	for key, places := range inline {
		if len(places) > 1 {
			slices.Sort(places)
			t.Errorf("enum %q is repeated inline at %s: add it to sharedEnums", strings.ReplaceAll(key, "\x00", ","), strings.Join(places, ", "))
		}
	}
	for _, e := range sharedEnums {
		if refs[e.name] < 2 {
			t.Errorf("shared enum %s is used %d times: is an enum tag out of step with %s.%s?", e.name, refs[e.name], e.field.Type, e.field.Name)
		}
	}
}

// TestSchemasAreDescribed checks that every component schema and every
// property has a description, and that schemaDescriptions names no schema
// that no longer exists.
func TestSchemasAreDescribed(t *testing.T) {
	schemas := New(Config{}).OpenAPI().Components.Schemas.Map()
	for name, s := range schemas {
		if s.Description == "" {
			t.Errorf("schema %s has no description: add one to schemaDescriptions", name)
		}
		for prop, p := range s.Properties {
			if p.Description == "" {
				t.Errorf("property %s.%s has no description: give its field a doc tag", name, prop)
			}
		}
	}
	for name := range schemaDescriptions {
		if schemas[name] == nil {
			t.Errorf("schemaDescriptions describes %s, which is not a schema of the API", name)
		}
	}
}

// TestOperationsAreDocumented checks what generated SDKs are built from:
// camelCase operation ids (method names), one declared tag, a summary and a
// description, described parameters, and a problem+json body on every
// error.
func TestOperationsAreDocumented(t *testing.T) {
	oapi := New(Config{}).OpenAPI()
	camel := regexp.MustCompile(`^[a-z]+([A-Z][a-z0-9]*)*$`)
	tags := map[string]bool{}
	for _, tag := range oapi.Tags {
		tags[tag.Name] = tag.Description != ""
	}
	ids := map[string]string{}
	for path, item := range oapi.Paths {
		op := item.Get
		if op == nil {
			t.Errorf("%s has no GET operation", path)
			continue
		}
		if !camel.MatchString(op.OperationID) {
			t.Errorf("%s: operationId %q is not camelCase", path, op.OperationID)
		}
		if other, dup := ids[op.OperationID]; dup {
			t.Errorf("operationId %s is used by %s and %s", op.OperationID, path, other)
		}
		ids[op.OperationID] = path
		if len(op.Tags) != 1 || !tags[op.Tags[0]] {
			t.Errorf("%s: tags %v, want one declared, described tag", op.OperationID, op.Tags)
		}
		if op.Summary == "" || op.Description == "" {
			t.Errorf("%s: summary or description missing", op.OperationID)
		}
		for _, p := range op.Parameters {
			if p.Description == "" {
				t.Errorf("%s: parameter %s has no description", op.OperationID, p.Name)
			}
		}
		for code, r := range op.Responses {
			status, err := strconv.Atoi(code)
			if err != nil {
				t.Errorf("%s: response %q is not a status code", op.OperationID, code)
				continue
			}
			if r.Description == "" || r.Description == http.StatusText(status) {
				t.Errorf("%s: response %s says no more than its status: %q", op.OperationID, code, r.Description)
			}
			if status < 400 {
				continue
			}
			if mt := r.Content["application/problem+json"]; mt == nil || mt.Schema == nil || mt.Schema.Ref != "#/components/schemas/ErrorModel" || len(r.Content) != 1 {
				t.Errorf("%s: response %s is not documented as problem+json", op.OperationID, code)
			}
		}
		if len(op.Parameters) > 0 && op.Responses["422"] == nil {
			t.Errorf("%s has parameters but documents no 422", op.OperationID)
		}
	}
}

// TestDowngradeIsValid checks that the OpenAPI 3.0 downgrade, served for
// generators that do not read 3.1, is a valid 3.0 document.
func TestDowngradeIsValid(t *testing.T) {
	b, err := DowngradeYAML(New(Config{}).OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("downgrade is OpenAPI %s", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Errorf("the 3.0 downgrade is invalid: %v", err)
	}
}

// TestBinaryBodies checks that the zip download is typed as binary in both
// forms of the description: contentMediaType in 3.1, format binary in 3.0
// (which has no contentMediaType), so that generators keep the response.
func TestBinaryBodies(t *testing.T) {
	oapi := New(Config{}).OpenAPI()
	b31, err := oapi.YAML()
	if err != nil {
		t.Fatal(err)
	}
	b30, err := DowngradeYAML(oapi)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		doc  []byte
		want map[string]any
	}{
		{"3.1", b31, map[string]any{"type": "string", "contentMediaType": "application/zip"}},
		{"3.0", b30, map[string]any{"type": "string", "format": "binary"}},
	} {
		var doc struct {
			Security []any `yaml:"security"`
			Paths    map[string]map[string]struct {
				Responses map[string]struct {
					Content map[string]struct {
						Schema map[string]any `yaml:"schema"`
					} `yaml:"content"`
				} `yaml:"responses"`
			} `yaml:"paths"`
		}
		if err := yaml.Unmarshal(c.doc, &doc); err != nil {
			t.Fatal(err)
		}
		s := doc.Paths["/v1/releases/{version}/download"]["get"].Responses["200"].Content["application/zip"].Schema
		for k, v := range c.want {
			if s[k] != v {
				t.Errorf("%s: the zip's schema has %s = %v, want %v", c.name, k, s[k], v)
			}
		}
		if c.name == "3.0" && strings.Contains(string(c.doc), "contentMediaType") {
			t.Errorf("3.0: the downgrade still has contentMediaType")
		}
		if doc.Security == nil || len(doc.Security) != 0 {
			t.Errorf("%s: security = %v, want [] (every operation is public)", c.name, doc.Security)
		}
	}
}
