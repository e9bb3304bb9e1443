package api

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// The /docs page is rendered on the server from the OpenAPI description,
// once, when the API is built: it needs no script and no CDN, works offline
// and in any browser, and cannot drift from the spec.

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
	for _, para := range strings.Split(oapi.Info.Description, "\n\n") {
		page.Description = append(page.Description, para)
	}
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

// renderDocs writes the reference page. It escapes as html/template would
// (docs_test.go renders the same page with html/template and compares the
// bytes), but without text/template: its reflective method calls make the
// linker keep every exported method of every type in the binary, which
// costs the Lambda bootstrap about 3.8 MB.
func renderDocs(p *docPage) []byte {
	var w htmlWriter
	w.raw(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>`)
	w.text(p.Title)
	w.raw(` — reference</title>
<style>
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem 4rem}
h1{font-size:1.8rem;margin:.5rem 0}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}
h3{margin:1.8rem 0 .3rem;font-size:1.1rem}code,pre{font:14px/1.4 ui-monospace,Menlo,Consolas,monospace}
pre{background:#f6f8fa;padding:.6rem .8rem;overflow-x:auto;border-radius:6px}
.method{display:inline-block;background:#0969da;color:#fff;border-radius:4px;padding:0 .4rem;font-weight:600;font-size:.85rem;margin-right:.4rem}
table{border-collapse:collapse;width:100%;font-size:.92rem;margin:.4rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.req{color:#cf222e;font-size:.8rem}nav ul{columns:2}a{color:#0969da}
</style>
</head>
<body>
<main>
<h1>`)
	w.text(p.Title)
	w.raw("</h1>\n<p>API version ")
	w.text(p.Version)
	w.raw(`. Machine-readable description: <a href="/openapi.json">openapi.json</a>, <a href="/openapi.yaml">openapi.yaml</a> (OpenAPI 3.1), <a href="/openapi-3.0.json">openapi-3.0.json</a> (3.0).</p>
`)
	for _, d := range p.Description {
		w.raw("<p>")
		w.text(d)
		w.raw("</p>")
	}
	w.raw("\n<h2>Servers</h2>\n<ul>")
	for _, s := range p.Servers {
		w.raw("<li><code>")
		w.text(s.URL)
		w.raw("</code> — ")
		w.text(s.Description)
		w.raw("</li>")
	}
	w.raw("</ul>\n<nav><h2>Operations</h2><ul>")
	for _, t := range p.Tags {
		for _, op := range t.Operations {
			w.raw(`<li><a href="#`)
			w.fragment(op.ID)
			w.raw(`">`)
			w.text(op.Summary)
			w.raw("</a> <code>")
			w.text(op.Path)
			w.raw("</code></li>")
		}
	}
	w.raw("</ul></nav>\n")
	for _, t := range p.Tags {
		w.raw("\n<h2 id=\"tag-")
		w.text(t.Name)
		w.raw("\">")
		w.text(t.Name)
		w.raw("</h2>\n<p>")
		w.text(t.Description)
		w.raw("</p>\n")
		for _, op := range t.Operations {
			w.raw("\n<h3 id=\"")
			w.text(op.ID)
			w.raw("\"><span class=\"method\">")
			w.text(op.Method)
			w.raw("</span><code>")
			w.text(op.Path)
			w.raw("</code></h3>\n<p><strong>")
			w.text(op.Summary)
			w.raw("</strong> (<code>")
			w.text(op.ID)
			w.raw("</code>). ")
			w.text(op.Description)
			w.raw("</p>\n<pre>")
			w.text(op.Example)
			w.raw("</pre>\n")
			if len(op.Params) > 0 {
				w.raw("<table><tr><th>Parameter</th><th>In</th><th>Type</th><th>Description</th><th>Example</th></tr>\n")
				for _, pa := range op.Params {
					w.raw("<tr><td><code>")
					w.text(pa.Name)
					w.raw("</code>")
					if pa.Required {
						w.raw(` <span class="req">required</span>`)
					}
					w.raw("</td><td>")
					w.text(pa.In)
					w.raw("</td><td>")
					w.text(pa.Type)
					w.raw("</td><td>")
					w.text(pa.Description)
					w.raw("</td><td>")
					if pa.Example != "" {
						w.raw("<code>")
						w.text(pa.Example)
						w.raw("</code>")
					}
					w.raw("</td></tr>\n")
				}
				w.raw("</table>")
			}
			w.raw("\n<table><tr><th>Status</th><th>Description</th><th>Media types</th></tr>\n")
			for _, r := range op.Responses {
				w.raw("<tr><td>")
				w.text(r.Status)
				w.raw("</td><td>")
				w.text(r.Description)
				w.raw("</td><td>")
				for _, typ := range r.Types {
					w.raw("<code>")
					w.text(typ)
					w.raw("</code> ")
				}
				w.raw("</td></tr>\n")
			}
			w.raw("</table>\n")
		}
	}
	w.raw("\n<h2>Schemas</h2>\n")
	for _, sc := range p.Schemas {
		w.raw("<h3 id=\"schema-")
		w.text(sc.Name)
		w.raw("\">")
		w.text(sc.Name)
		w.raw("</h3>")
		if sc.Description != "" {
			w.raw("<p>")
			w.text(sc.Description)
			w.raw("</p>")
		}
		w.raw("\n")
		if len(sc.Values) > 0 {
			w.raw("<p>One of: ")
			for i, v := range sc.Values {
				if i > 0 {
					w.raw(", ")
				}
				w.raw("<code>")
				w.text(v)
				w.raw("</code>")
			}
			w.raw(".</p>")
		}
		w.raw("\n")
		if len(sc.Properties) > 0 {
			w.raw("<table><tr><th>Field</th><th>Type</th><th>Description</th></tr>\n")
			for _, pr := range sc.Properties {
				w.raw("<tr><td><code>")
				w.text(pr.Name)
				w.raw("</code>")
				if pr.Required {
					w.raw(` <span class="req">required</span>`)
				}
				w.raw("</td><td>")
				w.text(pr.Type)
				w.raw("</td><td>")
				w.text(pr.Description)
				w.raw("</td></tr>\n")
			}
			w.raw("</table>")
		}
	}
	w.raw("\n</main>\n</body>\n</html>\n")
	return w.Bytes()
}

// docsHandler serves the reference page, rendered once.
func docsHandler(oapi *huma.OpenAPI) http.Handler {
	dp := buildDocPage(oapi)
	page := renderDocs(&dp)
	etag := etagOf(page)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		h.Set("Cache-Control", cacheCurrent)
		h.Set("ETag", etag)
		if notModified(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = w.Write(page)
	})
}
