package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/release"
	"github.com/jcdd/jcdd/internal/store/memory"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

// specPath is the committed OpenAPI description that every response of
// these tests is validated against.
const specPath = "../../openapi.yaml"

var spec struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
}

func loadSpec(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	spec.once.Do(func() {
		openapi3filter.RegisterBodyDecoder("application/x-ndjson", openapi3filter.PlainBodyDecoder)
		openapi3filter.RegisterBodyDecoder("application/zip", openapi3filter.FileBodyDecoder)
		openapi3filter.RegisterBodyDecoder("application/atom+xml", openapi3filter.PlainBodyDecoder)
		loader := openapi3.NewLoader()
		spec.doc, spec.err = loader.LoadFromFile(specPath)
		if spec.err != nil {
			return
		}
		if spec.err = spec.doc.Validate(loader.Context); spec.err != nil {
			return
		}
		spec.router, spec.err = legacy.NewRouter(spec.doc)
	})
	if spec.err != nil {
		t.Fatalf("loading %s: %v", specPath, spec.err)
	}
	return spec.doc, spec.router
}

// harness sends requests to an API over a memory store and validates every
// answer against openapi.yaml.
type harness struct {
	t   *testing.T
	srv *api.Server
}

func newHarness(t *testing.T, releases ...*dataset.Release) *harness {
	t.Helper()
	return newHarnessWith(t, api.Config{}, releases...)
}

// newHarnessWith builds the API with a configuration, as the local server
// does by default: a memory store holding the releases (the fixture when
// none are given) that describes their bundles, and those bundles served
// for download. A configuration that sets Store keeps it.
func newHarnessWith(t *testing.T, cfg api.Config, releases ...*dataset.Release) *harness {
	t.Helper()
	if cfg.Store == nil {
		cfg = withMemoryStore(t, cfg, releases...)
	}
	return &harness{t: t, srv: api.New(cfg)}
}

// withMemoryStore gives a configuration the local server's store: a memory
// store holding the releases (the fixture when none are given) that
// describes their bundles, and those bundles served for download.
func withMemoryStore(t *testing.T, cfg api.Config, releases ...*dataset.Release) api.Config {
	t.Helper()
	if len(releases) == 0 {
		v1, v2 := storetest.Fixture(t)
		releases = []*dataset.Release{v1, v2}
	}
	bundles := buildSet(t, releases...)
	st, err := memory.NewWith(memory.Options{Bundle: bundles.Describe}, releases...)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store, cfg.Bundles, cfg.Pages = st, bundles, bundles
	return cfg
}

type result struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r *result) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.Body, err)
	}
}

// problem decodes a problem+json body.
func (r *result) problem(t *testing.T) problemBody {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json; body %s", ct, r.Body)
	}
	var p problemBody
	r.json(t, &p)
	return p
}

type problemBody struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Message  string `json:"message"`
		Location string `json:"location"`
	} `json:"errors"`
}

// locations lists where a problem's errors point.
func (p problemBody) locations() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Location)
	}
	return out
}

// get sends a GET with optional header pairs and validates the answer.
func (h *harness) get(target string, headers ...string) *result {
	h.t.Helper()
	return h.do(http.MethodGet, target, headers...)
}

func (h *harness) do(method, target string, headers ...string) *result {
	h.t.Helper()
	req := httptest.NewRequest(method, "http://127.0.0.1:8080"+target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	res := &result{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	validate(h.t, req, res)
	return res
}

// validate checks a response against the OpenAPI description: the
// operation's documented status, headers and body schema. Answers to
// requests that match no operation (unknown routes, other methods) are
// checked against the problem schema instead.
func validate(t *testing.T, req *http.Request, res *result) {
	t.Helper()
	doc, router := loadSpec(t)
	if req.Method == http.MethodHead || req.Method == http.MethodOptions {
		return // not operations of the description; their tests check them
	}
	route, params, err := router.FindRoute(req)
	if err == nil && (strings.HasSuffix(req.URL.Path, "/") || strings.Contains(req.URL.Path, "//")) {
		// The description's router forgives a trailing slash or an empty
		// segment; the API does not route them, so neither does this check.
		err = errors.New("not routed")
	}
	if err != nil {
		if res.Status < 400 {
			return // the description itself and /docs: checked by their tests
		}
		p := res.problemOrFail(t)
		schema := doc.Components.Schemas["ErrorModel"].Value
		var v any
		_ = json.Unmarshal(res.Body, &v)
		if err := schema.VisitJSON(v); err != nil || p.Status != res.Status {
			t.Errorf("%s %s: answer to an unrouted request is not a valid problem: %v", req.Method, req.URL, err)
		}
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 res.Status,
		Header:                 res.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(res.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s → %d does not match openapi.yaml: %v\nbody: %.400s", req.Method, req.URL, res.Status, err, res.Body)
	}
}

func (r *result) problemOrFail(t *testing.T) problemBody {
	t.Helper()
	return r.problem(t)
}

// lines splits a body into lines without the final empty one.
func lines(b []byte) []string {
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// buildSet builds releases (oldest first) as the local server does.
func buildSet(t testing.TB, rels ...*dataset.Release) *release.Set {
	t.Helper()
	set, err := release.BuildAll(rels)
	if err != nil {
		t.Fatal(err)
	}
	return set
}
