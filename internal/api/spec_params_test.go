package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/dataset"
)

// servedOperation is an operation of the served description (/openapi.json),
// read as plain JSON so that every keyword of OpenAPI 3.1 is seen as sent.
type servedOperation struct {
	ID     string
	Path   string
	Params []servedParam
}

type servedParam struct {
	Name, In       string
	Required       bool
	AllowEmpty     bool
	Schema         map[string]any // with $ref resolved one level (enums are components)
	Examples       []any
	ExampleIsArray bool
}

// servedOperations reads the operations of the description the server
// itself serves.
func servedOperations(t *testing.T, h *harness) []servedOperation {
	t.Helper()
	r := h.get("/openapi.json")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /openapi.json = %d", r.Status)
	}
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	r.json(t, &doc)
	resolve := func(s map[string]any) map[string]any {
		ref, _ := s["$ref"].(string)
		if ref == "" {
			return s
		}
		out := map[string]any{}
		for k, v := range doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")] {
			out[k] = v
		}
		for k, v := range s {
			if k != "$ref" {
				out[k] = v
			}
		}
		return out
	}
	var ops []servedOperation
	for path, item := range doc.Paths {
		for method, raw := range item {
			if method != "get" {
				t.Errorf("%s %s: the API is read-only", method, path)
				continue
			}
			var op struct {
				OperationID string `json:"operationId"`
				Parameters  []struct {
					Name            string         `json:"name"`
					In              string         `json:"in"`
					Required        bool           `json:"required"`
					AllowEmptyValue bool           `json:"allowEmptyValue"`
					Example         any            `json:"example"`
					Schema          map[string]any `json:"schema"`
				} `json:"parameters"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatal(err)
			}
			o := servedOperation{ID: op.OperationID, Path: path}
			for _, p := range op.Parameters {
				sp := servedParam{Name: p.Name, In: p.In, Required: p.Required, AllowEmpty: p.AllowEmptyValue, Schema: resolve(p.Schema)}
				if items, ok := sp.Schema["items"].(map[string]any); ok {
					sp.Schema["items"] = resolve(items)
				}
				sp.Examples, _ = sp.Schema["examples"].([]any)
				if p.Example != nil {
					sp.Examples = append(sp.Examples, p.Example)
				}
				sp.ExampleIsArray = sp.Schema["type"] == "array"
				o.Params = append(o.Params, sp)
			}
			ops = append(ops, o)
		}
	}
	slices.SortFunc(ops, func(a, b servedOperation) int { return strings.Compare(a.ID, b.ID) })
	return ops
}

// exampleRequest is a request built from examples: path parameters filled
// with their first example, plus the parameters given.
type exampleRequest struct {
	path    map[string]string
	query   url.Values
	headers []string
}

func (op servedOperation) base(t *testing.T) exampleRequest {
	t.Helper()
	r := exampleRequest{path: map[string]string{}, query: url.Values{}}
	for _, p := range op.Params {
		if p.In == "path" {
			if len(p.Examples) == 0 {
				t.Fatalf("%s: path parameter %s has no example", op.ID, p.Name)
			}
			r.path[p.Name] = fmt.Sprint(p.Examples[0])
		}
		if p.Required && p.In == "query" {
			if len(p.Examples) == 0 {
				t.Fatalf("%s: required parameter %s has no example", op.ID, p.Name)
			}
			r.add(p, p.Examples[0])
		}
	}
	return r
}

// add sets a parameter to an example value; an array example is sent as a
// repeated parameter, as the description's style (form, explode) says.
func (r *exampleRequest) add(p servedParam, v any) {
	switch p.In {
	case "path":
		r.path[p.Name] = fmt.Sprint(v)
	case "header":
		r.headers = append(r.headers, p.Name, fmt.Sprint(v))
	case "query":
		r.query.Del(p.Name)
		if vs, ok := v.([]any); ok {
			for _, x := range vs {
				r.query.Add(p.Name, fmt.Sprint(x))
			}
			return
		}
		r.query.Set(p.Name, fmt.Sprint(v))
	}
}

func (r exampleRequest) target(path string) string {
	for name, v := range r.path {
		path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(v))
	}
	if q := r.query.Encode(); q != "" {
		path += "?" + q
	}
	return path
}

// TestEveryExampleAnswers sends every example of every parameter in the
// served description, one parameter at a time and then all of an
// operation's examples together, to a server over the embedded dataset (the
// data the examples are written for): none may answer an error. Generated
// SDK docs and "try it" consoles show these examples to users.
func TestEveryExampleAnswers(t *testing.T) {
	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, rels...)
	sent := 0
	check := func(op servedOperation, r exampleRequest, what string) {
		t.Helper()
		target := r.target(op.Path)
		res := h.get(target, r.headers...)
		sent++
		if res.Status >= 400 {
			t.Errorf("%s, %s: GET %s = %d: %s", op.ID, what, target, res.Status, res.Body)
		}
	}
	for _, op := range servedOperations(t, h) {
		all := op.base(t)
		check(op, all, "path examples")
		for _, p := range op.Params {
			if len(p.Examples) == 0 && p.Name != "cursor" {
				// A cursor is signed by the server that issues it: no
				// example could be valid everywhere.
				t.Errorf("%s: parameter %s has no example", op.ID, p.Name)
			}
			for i, ex := range p.Examples {
				r := op.base(t)
				r.add(p, ex)
				check(op, r, fmt.Sprintf("example %d of %s", i, p.Name))
			}
			if len(p.Examples) > 0 {
				all.add(p, p.Examples[0])
			}
		}
		check(op, all, "every example together")
	}
	t.Logf("%d requests built from the examples of the served description", sent)
}

// TestEmptyConstrainedParameters sends an empty value for every query
// parameter that an empty value does not satisfy (an enum, a pattern, a
// number, a minimum length), as OpenAPI's allowEmptyValue (false by
// default) says: each must be refused with a problem that names it, unless
// the description declares allowEmptyValue for it.
func TestEmptyConstrainedParameters(t *testing.T) {
	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, rels...)
	constrained, refused := 0, 0
	for _, op := range servedOperations(t, h) {
		for _, p := range op.Params {
			if p.In != "query" || !emptyViolates(p.Schema) {
				continue
			}
			constrained++
			r := op.base(t)
			r.query.Set(p.Name, "")
			target := r.target(op.Path)
			res := h.get(target)
			if p.AllowEmpty {
				if res.Status >= 400 {
					t.Errorf("%s: %s declares allowEmptyValue, but GET %s = %d", op.ID, p.Name, target, res.Status)
				}
				continue
			}
			if res.Status < 400 || res.Status >= 500 {
				t.Errorf("%s: GET %s = %d, want a 4xx problem naming %s", op.ID, target, res.Status, p.Name)
				continue
			}
			if !slices.Contains(res.problem(t).locations(), "query."+p.Name) {
				t.Errorf("%s: GET %s: the problem does not name query.%s: %s", op.ID, target, p.Name, res.Body)
				continue
			}
			refused++
		}
	}
	t.Logf("%d constrained query parameters; %d refuse an empty value with a problem naming them", constrained, refused)
	if constrained == 0 {
		t.Fatal("no constrained query parameter found: the description was not read")
	}
}

// emptyViolates reports whether an empty string fails a parameter's schema
// (for an array, the schema of its items).
func emptyViolates(s map[string]any) bool {
	if items, ok := s["items"].(map[string]any); ok && s["type"] == "array" {
		return emptyViolates(items)
	}
	switch s["type"] {
	case "integer", "number", "boolean":
		return true
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, any("")) {
		return true
	}
	if pattern, ok := s["pattern"].(string); ok && !regexpMatchesEmpty(pattern) {
		return true
	}
	if n, ok := s["minLength"].(float64); ok && n > 0 {
		return true
	}
	return false
}

func regexpMatchesEmpty(pattern string) bool {
	return regexp.MustCompile(pattern).MatchString("")
}

// TestMalformedRequests sends a header value with a control character, a
// header name with a separator, and a query with an invalid escape to
// every operation: each answers a 400 problem that says where, as every
// operation's description says (the harness checks the answer against
// openapi.yaml).
func TestMalformedRequests(t *testing.T) {
	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, rels...)
	for _, op := range servedOperations(t, h) {
		target := op.base(t).target(op.Path)
		for header, value := range map[string]string{"If-None-Match": "\x01", "Bad(Name)": "x", "Accept": "text/csv\x7f"} {
			res := h.get(target, header, value)
			if res.Status != http.StatusBadRequest {
				t.Errorf("%s: GET %s with %s: %q = %d, want 400", op.ID, target, header, value, res.Status)
				continue
			}
			if p := res.problem(t); !slices.Contains(p.locations(), "header."+header) {
				t.Errorf("%s: the problem does not name header.%s: %s", op.ID, header, res.Body)
			}
		}
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		for _, bad := range []string{"limit=%zz", "%zz=1", "a=1;b=2"} {
			res := h.get(target + sep + bad)
			if res.Status != http.StatusBadRequest || !slices.Contains(res.problem(t).locations(), "query") {
				t.Errorf("%s: GET %s%s%s = %d, want a 400 problem about the query: %s", op.ID, target, sep, bad, res.Status, res.Body)
			}
		}
	}
}
