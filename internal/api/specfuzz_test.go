package api_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/jcdd/jcdd/dataset"
)

// The spec-driven fuzzer reads openapi.yaml and sends every operation
// requests built from its declared parameters: valid values, boundary
// values, wrong types, huge, empty, Unicode and control-character strings,
// repeated and unknown parameters, malformed and forged cursors, and odd
// ids. Every answer must be below 500, match the description, and, for a
// 4xx, be a problem that says what is wrong.
//
// The seed is fixed, so a run is repeatable; JCDD_SPECFUZZ_N raises the
// number of requests (make fuzz-api) and JCDD_SPECFUZZ_SEED changes the
// seed.

// specFuzzRequests is the number of requests in make test.
const specFuzzRequests = 6000

func TestSpecFuzz(t *testing.T) {
	n := specFuzzRequests
	if v, err := strconv.Atoi(os.Getenv("JCDD_SPECFUZZ_N")); err == nil && v > 0 {
		n = v
	}
	seed := uint64(20261125)
	if v, err := strconv.ParseUint(os.Getenv("JCDD_SPECFUZZ_SEED"), 10, 64); err == nil {
		seed = v
	}
	// The published releases: real data that does not change under the
	// test while the next release is being edited.
	rels, err := dataset.LoadFrozen(dataset.FrozenFS())
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, rels...)
	doc, _ := loadSpec(t)
	f := &specFuzzer{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), h: h}
	f.ops = operations(doc)
	f.cursors = f.realCursors()

	statuses := map[int]int{}
	perOp := map[string]int{}
	for i := 0; i < n; i++ {
		op := f.ops[i%len(f.ops)]
		req := f.request(op)
		rec := httptest.NewRecorder()
		h.srv.ServeHTTP(rec, req)
		res := &result{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
		statuses[res.Status]++
		perOp[op.id]++
		if res.Status >= 500 {
			t.Errorf("%s %s → %d: %s", req.Method, req.URL.RequestURI(), res.Status, res.Body)
			continue
		}
		validate(t, req, res)
		if res.Status >= 400 {
			checkProblem(t, req, res)
		}
		if t.Failed() && i > 50 {
			break // one bad input usually repeats; the first failures say enough
		}
	}
	codes := make([]int, 0, len(statuses))
	for c := range statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	var dist []string
	for _, c := range codes {
		dist = append(dist, fmt.Sprintf("%d×%d", c, statuses[c]))
	}
	t.Logf("spec fuzz: %d requests over %d operations (seed %d); statuses %s", n, len(perOp), seed, strings.Join(dist, " "))
	for _, op := range f.ops {
		if perOp[op.id] == 0 {
			t.Errorf("operation %s got no requests", op.id)
		}
	}
}

// checkProblem requires a problem+json body with a title and a detail or
// error details that name what was wrong.
func checkProblem(t *testing.T, req *http.Request, res *result) {
	t.Helper()
	if req.Method == http.MethodHead {
		return
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s %s → %d with Content-Type %q", req.Method, req.URL.RequestURI(), res.Status, ct)
		return
	}
	var p problemBody
	if err := json.Unmarshal(res.Body, &p); err != nil {
		t.Errorf("%s → %d: problem does not decode: %v", req.URL.RequestURI(), res.Status, err)
		return
	}
	named := p.Detail != "" && p.Detail != "validation failed"
	for _, e := range p.Errors {
		if e.Message != "" && e.Location != "" {
			named = true
		}
	}
	if p.Title == "" || p.Status != res.Status || !named {
		t.Errorf("%s → %d: problem names nothing: %s", req.URL.RequestURI(), res.Status, res.Body)
	}
}

// operation is what the fuzzer knows of one operation.
type operation struct {
	id     string
	path   string
	params []*openapi3.Parameter
}

func operations(doc *openapi3.T) []operation {
	var ops []operation
	for path, item := range doc.Paths.Map() {
		if item.Get == nil {
			continue
		}
		op := operation{id: item.Get.OperationID, path: path}
		for _, p := range item.Get.Parameters {
			op.params = append(op.params, p.Value)
		}
		ops = append(ops, op)
	}
	slices.SortFunc(ops, func(a, b operation) int { return strings.Compare(a.id, b.id) })
	return ops
}

type specFuzzer struct {
	rng     *rand.Rand
	h       *harness
	ops     []operation
	cursors []string // real cursors from real list pages
}

// realCursors collects next_cursor values of real pages, so that valid and
// cross-used cursors are among the inputs.
func (f *specFuzzer) realCursors() []string {
	var out []string
	for _, p := range []string{"/v1/events?limit=2", "/v1/actors?limit=3", "/v1/budgets?limit=2&stage=initial", "/v1/sources?limit=1", "/v1/events?limit=1&sort=-occurred"} {
		rec := httptest.NewRecorder()
		f.h.srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080"+p, nil))
		var page struct {
			NextCursor string `json:"next_cursor"`
		}
		if json.Unmarshal(rec.Body.Bytes(), &page) == nil && page.NextCursor != "" {
			out = append(out, page.NextCursor)
		}
	}
	return out
}

func (f *specFuzzer) pick(options ...string) string { return options[f.rng.IntN(len(options))] }

// oddStrings are hostile string values.
var oddStrings = []string{
	"", " ", "\x00", "\x1f\x7f", "%", "%00", "%zz", "\u202e\u200b", "💥", "防衛省", "ＮＳＡ", "a\nb", "a\r\nX-Injected: 1",
	"../../etc/passwd", "..%2F..%2F", "<script>alert(1)</script>", "' OR 1=1 --", "null", "true", "[]", "{}", "-1", "1e309",
	"9223372036854775808", "0x10", "2020-02-30", "2020-13", "2023-8-7", "latest", "1.0", "1.0.0.0", "=HYPERLINK(\"x\")",
}

// value returns a value for a parameter, chosen among valid, boundary,
// wrong-typed and hostile ones.
func (f *specFuzzer) value(p *openapi3.Parameter) string {
	s := p.Schema.Value
	if s.Type.Is("array") && s.Items != nil {
		s = s.Items.Value
	}
	switch f.rng.IntN(10) {
	case 0, 1, 2, 3: // valid
		if len(s.Enum) > 0 {
			return fmt.Sprint(s.Enum[f.rng.IntN(len(s.Enum))])
		}
		if p.Name == "cursor" && len(f.cursors) > 0 {
			return f.cursors[f.rng.IntN(len(f.cursors))]
		}
		if ex := exampleValue(p); ex != "" {
			return ex
		}
		if s.Type.Is("integer") {
			lo, hi := 1.0, 100.0
			if s.Min != nil {
				lo = *s.Min
			}
			if s.Max != nil {
				hi = *s.Max
			}
			return strconv.Itoa(int(lo) + f.rng.IntN(int(hi-lo)+1))
		}
		return f.pick("nsa-discovers-intrusion", "us-nsa", "jp-mod", "2020", "cyber", "core")
	case 4: // boundary
		if s.Type.Is("integer") {
			var edges []string
			for _, b := range []*float64{s.Min, s.Max} {
				if b != nil {
					edges = append(edges, strconv.Itoa(int(*b)-1), strconv.Itoa(int(*b)), strconv.Itoa(int(*b)+1))
				}
			}
			if len(edges) > 0 {
				return edges[f.rng.IntN(len(edges))]
			}
		}
		if s.MaxLength != nil {
			return strings.Repeat("a", int(*s.MaxLength)+f.rng.IntN(2))
		}
		return f.pick("0", "1", "-1")
	case 5: // wrong type
		return f.pick("abc", "1.5", "true", "2020", "-0", "1,2", "")
	case 6: // huge
		return strings.Repeat(f.pick("x", "防", "%"), 100+f.rng.IntN(3000))
	case 7: // forged cursors and odd versions
		return f.pick("eyJ2IjoxLCJyIjoiMS4wLjAiLCJxIjoiIiwiayI6IiIsImkiOiJ4In0.AAAAAAAAAAAAAAAAAAAAAA", "abc.def", "...", "9.9.9", "0.0.0")
	default: // hostile
		return oddStrings[f.rng.IntN(len(oddStrings))]
	}
}

func exampleValue(p *openapi3.Parameter) string {
	ex := p.Example
	if ex == nil && p.Schema != nil && p.Schema.Value != nil {
		ex = p.Schema.Value.Example
		if ex == nil && len(p.Schema.Value.Examples) > 0 {
			ex = p.Schema.Value.Examples[0]
		}
	}
	switch v := ex.(type) {
	case nil:
		return ""
	case []any:
		if len(v) > 0 {
			return fmt.Sprint(v[0])
		}
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// request builds one request for an operation.
func (f *specFuzzer) request(op operation) *http.Request {
	path := op.path
	q := []string{}
	for _, p := range op.params {
		switch p.In {
		case "path":
			v := f.value(p)
			if f.rng.IntN(3) == 0 {
				v = oddStrings[f.rng.IntN(len(oddStrings))]
			}
			path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(v))
		case "query":
			if f.rng.IntN(3) == 0 {
				continue // leave it out
			}
			times := 1
			if f.rng.IntN(8) == 0 {
				times = 2 + f.rng.IntN(3) // repeated
			}
			for range times {
				q = append(q, url.QueryEscape(p.Name)+"="+f.escape(f.value(p)))
			}
		}
	}
	if f.rng.IntN(10) == 0 {
		q = append(q, f.pick("acter", "Limit", "limit[]", "$where", "q\x00", "")+"="+f.escape(f.pick("1", "x", "")))
	}
	f.rng.Shuffle(len(q), func(i, j int) { q[i], q[j] = q[j], q[i] })
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/", nil)
	if f.rng.IntN(20) == 0 {
		req.Method = http.MethodHead
	}
	// Set the path and query directly: some of them are not valid URLs,
	// which is the point.
	u := *req.URL
	if decoded, err := url.PathUnescape(path); err == nil {
		u.Path, u.RawPath = decoded, path
	} else {
		u.Path = path
	}
	u.RawQuery = strings.Join(q, "&")
	req.URL = &u
	req.RequestURI = u.RequestURI()
	switch f.rng.IntN(8) {
	case 0:
		req.Header.Set("Accept", f.pick("text/csv", "application/x-ndjson", "image/png", "*/*;q=0", "text/csv;q=abc", "application/json;q=0.1, text/csv;q=0.2", strings.Repeat("a/b,", 200)))
	case 1:
		req.Header.Set("If-None-Match", f.pick(`"x"`, "*", `W/"y"`, "garbage", `"`+strings.Repeat("z", 900)+`"`))
	}
	return req
}

// escape percent-encodes a value, except that now and then it sends it raw,
// so that invalid escapes and control characters reach the server.
func (f *specFuzzer) escape(v string) string {
	if f.rng.IntN(6) == 0 && !strings.ContainsAny(v, "&#\n\r ") {
		return v
	}
	return url.QueryEscape(v)
}
