package api

import (
	"bytes"
	"html/template"
	"testing"

	"github.com/danielgtaylor/huma/v2"
)

// docsOracle is the /docs template as it was written for html/template.
// renderDocs must produce the very same bytes: html/template stays in this
// test, out of the binaries (see renderDocs).
var docsOracle = template.Must(template.New("docs").Parse(`<!doctype html>
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

func TestRenderDocsMatchesHTMLTemplate(t *testing.T) {
	tricky := "a<b>&\"c\" 'd' +e \x00 f\u00e9 \ufdd0 \xff 防衛省 %2F /#?x=1"
	pages := map[string]docPage{
		"spec": buildDocPage(New(Config{}).OpenAPI()),
		"tricky": {
			Title: tricky, Version: tricky, Description: []string{tricky, ""},
			Servers: []*huma.Server{{URL: tricky, Description: tricky}},
			Tags: []docTag{{Name: tricky, Description: tricky, Operations: []docOperation{
				{ID: tricky, Method: "GET", Path: tricky, Summary: tricky, Description: tricky, Example: tricky,
					Params:    []docParam{{Name: tricky, In: tricky, Type: tricky, Description: tricky, Example: tricky, Required: true}, {Name: "x"}},
					Responses: []docResponse{{Status: tricky, Description: tricky, Types: []string{tricky, "b"}}, {Status: "200"}}},
				{ID: "plain"},
			}}, {Name: "empty"}},
			Schemas: []docSchema{
				{Name: tricky, Description: tricky, Values: []string{tricky, "b", "c"}, Properties: []docProperty{{Name: tricky, Type: tricky, Description: tricky, Required: true}, {Name: "y"}}},
				{Name: "bare"},
			},
		},
		"empty": {},
	}
	for name, p := range pages {
		var want bytes.Buffer
		if err := docsOracle.Execute(&want, p); err != nil {
			t.Fatal(err)
		}
		if got := renderDocs(&p); !bytes.Equal(got, want.Bytes()) {
			i := 0
			for i < len(got) && i < want.Len() && got[i] == want.Bytes()[i] {
				i++
			}
			t.Errorf("%s: renderDocs differs from html/template at byte %d:\ngot  %.200q\nwant %.200q", name, i, got[i:], want.Bytes()[i:])
		}
	}
}
