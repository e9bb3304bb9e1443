package api

import (
	"bytes"
	"fmt"
	"html/template"
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

var docsTemplate = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} — reference</title>
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
<h1>{{.Title}}</h1>
<p>API version {{.Version}}. Machine-readable description: <a href="/openapi.json">openapi.json</a>, <a href="/openapi.yaml">openapi.yaml</a> (OpenAPI 3.1), <a href="/openapi-3.0.json">openapi-3.0.json</a> (3.0).</p>
{{range .Description}}<p>{{.}}</p>{{end}}
<h2>Servers</h2>
<ul>{{range .Servers}}<li><code>{{.URL}}</code> — {{.Description}}</li>{{end}}</ul>
<nav><h2>Operations</h2><ul>{{range .Tags}}{{range .Operations}}<li><a href="#{{.ID}}">{{.Summary}}</a> <code>{{.Path}}</code></li>{{end}}{{end}}</ul></nav>
{{range .Tags}}
<h2 id="tag-{{.Name}}">{{.Name}}</h2>
<p>{{.Description}}</p>
{{range .Operations}}
<h3 id="{{.ID}}"><span class="method">{{.Method}}</span><code>{{.Path}}</code></h3>
<p><strong>{{.Summary}}</strong> (<code>{{.ID}}</code>). {{.Description}}</p>
<pre>{{.Example}}</pre>
{{if .Params}}<table><tr><th>Parameter</th><th>In</th><th>Type</th><th>Description</th><th>Example</th></tr>
{{range .Params}}<tr><td><code>{{.Name}}</code>{{if .Required}} <span class="req">required</span>{{end}}</td><td>{{.In}}</td><td>{{.Type}}</td><td>{{.Description}}</td><td>{{if .Example}}<code>{{.Example}}</code>{{end}}</td></tr>
{{end}}</table>{{end}}
<table><tr><th>Status</th><th>Description</th><th>Media types</th></tr>
{{range .Responses}}<tr><td>{{.Status}}</td><td>{{.Description}}</td><td>{{range .Types}}<code>{{.}}</code> {{end}}</td></tr>
{{end}}</table>
{{end}}{{end}}
<h2>Schemas</h2>
{{range .Schemas}}<h3 id="schema-{{.Name}}">{{.Name}}</h3>{{if .Description}}<p>{{.Description}}</p>{{end}}
{{if .Values}}<p>One of: {{range $i, $v := .Values}}{{if $i}}, {{end}}<code>{{$v}}</code>{{end}}.</p>{{end}}
{{if .Properties}}<table><tr><th>Field</th><th>Type</th><th>Description</th></tr>
{{range .Properties}}<tr><td><code>{{.Name}}</code>{{if .Required}} <span class="req">required</span>{{end}}</td><td>{{.Type}}</td><td>{{.Description}}</td></tr>
{{end}}</table>{{end}}{{end}}
</main>
</body>
</html>
`))

// docsHandler serves the reference page, rendered once.
func docsHandler(oapi *huma.OpenAPI) http.Handler {
	var buf bytes.Buffer
	if err := docsTemplate.Execute(&buf, buildDocPage(oapi)); err != nil {
		panic("api: rendering /docs: " + err.Error())
	}
	page := buf.Bytes()
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
