package site

import (
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
)

// Values from the description are escaped where they land: text, attributes
// and ids.
func TestDocsEscapes(t *testing.T) {
	tricky := `a<b>&"c" 'd' 防衛省`
	oapi := &huma.OpenAPI{
		Info:       &huma.Info{Title: tricky, Version: "1", Description: tricky},
		Servers:    []*huma.Server{{URL: tricky, Description: tricky}},
		Tags:       []*huma.Tag{{Name: "Events", Description: tricky}},
		Components: &huma.Components{Schemas: huma.NewMapRegistry("#/components/schemas/", huma.DefaultSchemaNamer)},
		Paths: map[string]*huma.PathItem{"/v1/x": {Get: &huma.Operation{
			OperationID: `op"id`, Tags: []string{"Events"}, Summary: tricky, Description: tricky,
			Parameters: []*huma.Param{{Name: "q", In: "query", Description: tricky, Example: tricky, Schema: &huma.Schema{Type: "string"}}},
			Responses:  map[string]*huma.Response{"200": {Description: tricky}},
		}}},
	}
	page, err := Docs(oapi)
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	if strings.Contains(s, "a<b>") || strings.Contains(s, `id="op"id"`) {
		t.Errorf("a value is not escaped:\n%s", s)
	}
	if !strings.Contains(s, "a&lt;b&gt;&amp;") || !strings.Contains(s, "防衛省") {
		t.Error("the escaped value is missing")
	}
}
