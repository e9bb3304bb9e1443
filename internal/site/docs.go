package site

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"slices"
	"sort"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// The API reference at /docs is rendered from the OpenAPI description with
// html/template when the description is generated (make openapi writes it
// beside openapi.yaml), and the API serves those bytes: it needs no script
// and no CDN, works offline and in any browser, and a test keeps it from
// drifting from the spec.

//go:embed docs.html
var docsHTML string

var docsTemplate = template.Must(template.New("docs").Parse(docsHTML))

// Docs renders the reference page of an OpenAPI description.
func Docs(oapi *huma.OpenAPI) ([]byte, error) {
	p := buildDocPage(oapi)
	var buf bytes.Buffer
	if err := docsTemplate.Execute(&buf, &p); err != nil {
		return nil, fmt.Errorf("rendering the API reference: %w", err)
	}
	return buf.Bytes(), nil
}

type docParam struct {
	Name, In, Type, Description, Example string
	Required                             bool
}

type docResponse struct {
	Status, Description string
	Types               []string
}

type docOperation struct {
	ID, Method, Path, Summary, Description string
	Params                                 []docParam
	Responses                              []docResponse
	Example                                string
}

type docTag struct {
	Name, Description string
	Operations        []docOperation
}

type docProperty struct {
	Name, Type, Description string
	Required                bool
}

type docSchema struct {
	Name, Description string
	Values            []string // of an enum
	Properties        []docProperty
}

type docPage struct {
	Title, Version string
	Description    []string
	Servers        []*huma.Server
	Tags           []docTag
	Schemas        []docSchema
}

func schemaType(s *huma.Schema) string {
	if s == nil {
		return ""
	}
	if s.Ref != "" {
		return s.Ref[strings.LastIndex(s.Ref, "/")+1:]
	}
	t := s.Type
	if t == huma.TypeArray && s.Items != nil {
		t = "array of " + schemaType(s.Items)
	}
	if len(s.Enum) > 0 {
		var vals []string
		for _, v := range s.Enum {
			if str, ok := v.(string); ok {
				vals = append(vals, str)
			}
		}
		t += " (" + strings.Join(vals, ", ") + ")"
	}
	return t
}

func exampleOf(p *huma.Param) string {
	if p.Example != nil {
		if s, ok := p.Example.(string); ok {
			return s
		}
	}
	if p.Schema != nil && len(p.Schema.Examples) > 0 {
		switch v := p.Schema.Examples[0].(type) {
		case string:
			return v
		case []any:
			if len(v) > 0 {
				if s, ok := v[0].(string); ok {
					return s
				}
			}
		}
	}
	return ""
}

func buildDocPage(oapi *huma.OpenAPI) docPage {
	page := docPage{Title: oapi.Info.Title, Version: oapi.Info.Version, Servers: oapi.Servers}
	page.Description = append(page.Description, strings.Split(oapi.Info.Description, "\n\n")...)
	byTag := map[string]*docTag{}
	for _, t := range oapi.Tags {
		page.Tags = append(page.Tags, docTag{Name: t.Name, Description: t.Description})
	}
	for i := range page.Tags {
		byTag[page.Tags[i].Name] = &page.Tags[i]
	}
	paths := make([]string, 0, len(oapi.Paths))
	for p := range oapi.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		op := oapi.Paths[path].Get
		if op == nil || len(op.Tags) == 0 || byTag[op.Tags[0]] == nil {
			continue
		}
		d := docOperation{ID: op.OperationID, Method: "GET", Path: path, Summary: op.Summary, Description: op.Description}
		example := path
		for _, p := range op.Parameters {
			d.Params = append(d.Params, docParam{Name: p.Name, In: p.In, Type: schemaType(p.Schema), Description: p.Description, Example: exampleOf(p), Required: p.Required})
			if p.In == "path" {
				example = strings.ReplaceAll(example, "{"+p.Name+"}", exampleOf(p))
			}
		}
		d.Example = "curl -s 'http://127.0.0.1:8080" + example + "'"
		codes := make([]string, 0, len(op.Responses))
		for c := range op.Responses {
			codes = append(codes, c)
		}
		slices.Sort(codes)
		for _, c := range codes {
			r := op.Responses[c]
			var types []string
			for t := range r.Content {
				types = append(types, t)
			}
			slices.Sort(types)
			d.Responses = append(d.Responses, docResponse{Status: c, Description: r.Description, Types: types})
		}
		byTag[op.Tags[0]].Operations = append(byTag[op.Tags[0]].Operations, d)
	}
	schemas := oapi.Components.Schemas.Map()
	names := make([]string, 0, len(schemas))
	for n := range schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := schemas[n]
		ds := docSchema{Name: n, Description: s.Description}
		for _, v := range s.Enum {
			ds.Values = append(ds.Values, fmt.Sprint(v))
		}
		props := make([]string, 0, len(s.Properties))
		for p := range s.Properties {
			props = append(props, p)
		}
		sort.Strings(props)
		for _, p := range props {
			ps := s.Properties[p]
			ds.Properties = append(ds.Properties, docProperty{Name: p, Type: schemaType(ps), Description: ps.Description, Required: slices.Contains(s.Required, p)})
		}
		page.Schemas = append(page.Schemas, ds)
	}
	return page
}
