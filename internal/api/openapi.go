package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/yaml"

	"github.com/jcdd/jcdd/internal/api/httpx"
)

// Version is the version of the API (not of the dataset): it changes when
// the interface does.
const Version = "1.0.0"

const apiDescription = `A read-only API over the Japan Cyber Defense Dataset (jcdd): events, actors, budget lines, programs and sources about the 2020 intrusion by China's People's Liberation Army into Japan's classified defense networks, the US–Japan response, and Japan's cybersecurity budget and programs. Every record cites its sources.

Conventions shared by every list: cursor paging (items, next_cursor and a Link header), limit 1–500, fields= to select fields, format= or Accept for JSON, CSV (with an Excel variant) and NDJSON, release= to pin a published release (the Dataset-Release header says which release answered), strong ETags with If-None-Match, and RFC 9457 problem details for every error.

The data is licensed CC BY 4.0; cite the release you used (meta.citation).`

// hconfig is the Huma configuration of the API.
//
// Huma's default create hook is dropped on purpose: it adds a "$schema"
// field to every JSON body and a Link rel="describedBy" header, both
// pointing at the request's Host. Behind API Gateway that is the
// execute-api domain, not the public one; the field would also change the
// bytes (and ETags) of otherwise identical responses and appear as a stray
// property in generated SDKs. Schemas are published in openapi.json instead.
func hconfig(servers []*huma.Server) huma.Config {
	cfg := huma.DefaultConfig("Japan Cyber Defense Dataset API", Version)
	cfg.CreateHooks = nil
	cfg.DocsPath = ""    // /docs is rendered by this package, without any CDN
	cfg.OpenAPIPath = "" // served by serveSpec, with a downgrade that types binary bodies
	cfg.SchemasPath = "" // schemas live in the OpenAPI document
	// Unknown query parameters are refused, by Huma or, for data
	// operations, by their lookup (see registerNow and knownParams).
	cfg.Info.Description = apiDescription
	cfg.Info.Contact = &huma.Contact{Name: "jcdd maintainers", URL: "https://github.com/jcdd/jcdd/issues"}
	// A URL rather than an SPDX identifier: OpenAPI 3.0 has no identifier,
	// and the 3.0 downgrade must stay valid for the generators that need it.
	cfg.Info.License = &huma.License{Name: "Apache-2.0 (code) and CC BY 4.0 (data)", URL: "https://github.com/jcdd/jcdd#licence"}
	cfg.Info.TermsOfService = "https://github.com/jcdd/jcdd#terms"
	cfg.Servers = servers
	// Every operation is public: no credentials of any kind are needed.
	cfg.Security = []map[string][]string{}
	cfg.Tags = []*huma.Tag{
		{Name: "Events", Description: "What happened: intrusions, briefings, statements, reports, laws and appointments, each dated (possibly partially) and sourced."},
		{Name: "Actors", Description: "People, agencies, military units, states, companies, media and threat groups, with Japanese names where they exist and roles over time."},
		{Name: "Budgets", Description: "Japan's cybersecurity budget lines in integer yen, by fiscal year, agency and stage, and a summary that never mixes stages."},
		{Name: "Programs", Description: "Organizations, laws, strategies, initiatives and targets, with metrics over time such as cyber personnel counts."},
		{Name: "Sources", Description: "Every document a record cites."},
		{Name: "Releases", Description: "Published, immutable versions of the dataset."},
		{Name: "System", Description: "Health of the service."},
	}
	return cfg
}

// listResponse documents a list response: the JSON envelope T, and the CSV
// and NDJSON forms of the same items.
func listResponse[T any](description string, headers []string) responseDoc {
	return responseDoc{description: description, headers: headers, negotiates: true, content: func(reg huma.Registry) map[string]*huma.MediaType {
		return map[string]*huma.MediaType{
			mediaJSON: {Schema: reg.Schema(reflect.TypeFor[T](), true, "")},
			mediaCSV: {Schema: &huma.Schema{Type: huma.TypeString,
				Description: "The same items as CSV (RFC 4180, UTF-8, CRLF), one row per item with a header row; lists inside a cell are separated by \"; \". Cells that a spreadsheet would run as a formula start with an apostrophe. format=csv-excel adds a UTF-8 byte order mark for Excel."}},
			mediaNDJSON: {Schema: &huma.Schema{Type: huma.TypeString,
				Description: "The same items as newline-delimited JSON, one object per line; the next page is in the Link header."}},
		}
	}}
}

// itemResponse documents a JSON response holding one value of type T.
func itemResponse[T any](description string, headers []string) responseDoc {
	return responseDoc{description: description, headers: headers, content: func(reg huma.Registry) map[string]*huma.MediaType {
		return map[string]*huma.MediaType{mediaJSON: {Schema: reg.Schema(reflect.TypeFor[T](), true, "")}}
	}}
}

// problemDescriptions say when each error status is answered. Every error
// is a problem+json body (the ErrorModel schema).
var problemDescriptions = map[int]string{
	http.StatusBadRequest:          "Bad Request: the request is malformed: a header holds characters that HTTP does not allow (control characters in a value, separators in a name), or the query string does (an invalid percent-escape, a semicolon); errors says where. A request too malformed to reach the API (a broken request line, or such a header where the local server's HTTP library reads it) is refused by the HTTP server in front of it with its own 400, which may be plain text.",
	http.StatusNotFound:            "Not Found: the id (or version) in the path names nothing in the release asked for; for a download, this server also answers 404 when it has no bundle of that release to serve.",
	http.StatusNotAcceptable:       "Not Acceptable: none of the media types in Accept is served; ask for application/json, text/csv or application/x-ndjson, or use the format parameter.",
	http.StatusRequestURITooLong:   fmt.Sprintf("URI Too Long: the request target is longer than %d bytes.", httpx.MaxURLLength),
	http.StatusUnprocessableEntity: "Unprocessable Entity: a parameter is invalid (an empty value counts as invalid wherever it cannot satisfy the parameter's schema: leave the parameter out instead), release or since names a version that is not published, or since is not older than the release; errors lists each parameter (location) with the value given and what is wrong with it.",
	http.StatusInternalServerError: "Internal Server Error: an unexpected failure; quote the X-Request-Id header when reporting it.",
	http.StatusServiceUnavailable:  "Service Unavailable: the data store cannot be read; retry after the number of seconds in Retry-After.",
	http.StatusGatewayTimeout:      "Gateway Timeout: the data store did not answer in time; retry shortly.",
}

// documentResponses finishes the responses of a registered operation. The
// 200 keeps only the headers the operation sets, with their descriptions
// where every tool shows them (Huma leaves them on the schema, and lists
// Content-Type, which OpenAPI ignores in headers). An operation that sends
// an ETag also answers 304, with the same validators. Errors say when they
// happen.
func documentResponses(op *huma.Operation, headers []string) {
	ok := op.Responses["200"]
	for _, name := range headers {
		if ok.Headers[name] == nil {
			panic(fmt.Sprintf("api: %s documents a header that Response does not have: %s", op.OperationID, name))
		}
	}
	for name, h := range ok.Headers {
		if !slices.Contains(headers, name) {
			delete(ok.Headers, name)
			continue
		}
		h.Description = h.Schema.Description
		h.Schema = &huma.Schema{Type: h.Schema.Type, Examples: h.Schema.Examples}
	}
	if ok.Headers["ETag"] != nil {
		nm := &huma.Response{
			Description: "Not Modified: the representation still has the ETag sent in If-None-Match; there is no body.",
			Headers:     map[string]*huma.Header{},
		}
		for _, name := range []string{"Cache-Control", "Dataset-Release", "ETag", "Vary"} {
			if h := ok.Headers[name]; h != nil {
				nm.Headers[name] = h
			}
		}
		op.Responses["304"] = nm
	}
	for code, r := range op.Responses {
		status, _ := strconv.Atoi(code)
		if status < 400 {
			continue
		}
		desc, found := problemDescriptions[status]
		if !found {
			panic(fmt.Sprintf("api: %s answers %d, which problemDescriptions does not describe", op.OperationID, status))
		}
		r.Description = desc
		if status == http.StatusBadRequest && slices.ContainsFunc(op.Parameters, func(p *huma.Param) bool { return p.Name == "cursor" }) {
			r.Description += " Or the cursor is malformed, was altered, belongs to another query, or continues a release that is no longer served; start again from the first page."
		}
		switch status {
		case http.StatusInternalServerError:
			r.Headers = map[string]*huma.Header{httpx.RequestIDHeader: {
				Description: "Identifies the request in the service's logs.",
				Schema:      &huma.Schema{Type: huma.TypeString, Examples: []any{"9f2c4e1a7b3d5f60"}},
			}}
		case http.StatusServiceUnavailable:
			r.Headers = map[string]*huma.Header{"Retry-After": {
				Description: "Seconds to wait before retrying.",
				Schema:      &huma.Schema{Type: huma.TypeInteger, Minimum: ptr(0.0), Examples: []any{1}},
			}}
		}
	}
}

func ptr[T any](v T) *T { return &v }

// finishSpec completes the OpenAPI description once every operation is
// registered. It changes only the description: the schemas Huma validates
// requests with are never modified.
func finishSpec(oapi *huma.OpenAPI) {
	schemas := oapi.Components.Schemas.Map()
	sparseRecords(schemas)
	exactProblems(schemas)
	describeSchemas(schemas)
	nameEnums(oapi)
	fieldsExamples(oapi)
	for _, item := range oapi.Paths {
		for _, p := range item.Get.Parameters {
			// Say how arrays are serialized rather than leave it to the
			// default: a repeated parameter (?type=a&type=b), which is what
			// OpenAPI's form style with explode means.
			if p.In == "query" && p.Schema != nil && p.Schema.Type == huma.TypeArray {
				p.Style = "form"
			}
		}
	}
}

// fieldsExamples gives the fields parameter of each operation an example
// and a list of the fields of the records it returns. The parameter is
// declared once (ListParams, GetParams) for every kind, so its tag can only
// hold an example that suits one of them; the kind of an operation is
// found from the schema of its answer (a record, or a list of records).
func fieldsExamples(oapi *huma.OpenAPI) {
	schemas := oapi.Components.Schemas.Map()
	for _, item := range oapi.Paths {
		op := item.Get
		if op == nil {
			continue
		}
		for _, p := range op.Parameters {
			if p.In != "query" || p.Name != "fields" {
				continue
			}
			k, list, ok := recordKind(op, schemas)
			if !ok {
				panic(fmt.Sprintf("api: %s has a fields parameter but returns no record kind", op.OperationID))
			}
			example := k.oneFields
			if list {
				example = k.listFields
			}
			names := slices.Sorted(maps.Keys(k.fields))
			desc := fmt.Sprintf("%s The fields of %s: %s.", p.Description, k.name, strings.Join(names, ", "))
			s := *p.Schema // a copy: the schema Huma validates with stays as it is
			s.Examples, s.Description = []any{example}, desc
			p.Schema, p.Description = &s, desc
		}
	}
}

// recordKind finds the kind of record an operation returns: the schema of
// its JSON answer, or of the items of that answer.
func recordKind(op *huma.Operation, schemas map[string]*huma.Schema) (k kindInfo, list bool, ok bool) {
	ok200 := op.Responses["200"]
	if ok200 == nil || ok200.Content[mediaJSON] == nil || ok200.Content[mediaJSON].Schema == nil {
		return k, false, false
	}
	name := path.Base(ok200.Content[mediaJSON].Schema.Ref)
	if s := schemas[name]; s != nil && s.Properties["items"] != nil && s.Properties["items"].Items != nil {
		name, list = path.Base(s.Properties["items"].Items.Ref), true
	}
	for _, k := range kinds {
		if k.schema == name {
			return k, list, true
		}
	}
	return k, false, false
}

// recordKinds are the record schemas that fields= can thin out.
var recordKinds = []string{"Event", "Actor", "BudgetLine", "Program", "Source"}

// sparseRecords relaxes the record schemas of the API to require only id:
// fields= may leave out any other top-level field, and a response must
// never break the schema it is documented with. The dataset's own JSON
// Schemas (dataset/schema) keep every required field.
func sparseRecords(schemas map[string]*huma.Schema) {
	for _, name := range recordKinds {
		if s := schemas[name]; s != nil {
			s.Required = []string{"id"}
			s.PrecomputeMessages()
		}
	}
}

// exactProblems states what every problem this API sends carries: a title
// and a status, and for each error detail a message and a location. It
// drops the default of type, which the API never sends (generators would
// otherwise type it as always present).
func exactProblems(schemas map[string]*huma.Schema) {
	if s := schemas["ErrorModel"]; s != nil {
		s.Required = []string{"title", "status"}
		if t := s.Properties["type"]; t != nil {
			t.Default = nil
		}
		s.PrecomputeMessages()
	}
	if s := schemas["ErrorDetail"]; s != nil {
		s.Required = []string{"message", "location"}
		s.PrecomputeMessages()
	}
}

// schemaDescriptions describe the component schemas; Huma has no tag for a
// struct's own description. Generated SDKs turn them into type comments.
var schemaDescriptions = map[string]string{
	"Bucket":            "One value of a facet and how many of the records counted have it.",
	"BudgetFacets":      "How many budget lines match the filters, and how they break down by fiscal year, agency, stage and category.",
	"BudgetFacetCounts": "The counts of a set of budget lines by fiscal year, agency, stage and category.",
	"EventFacets":       "How many events match the filters, and how they break down by year, type, country, actor, tag and confidence.",
	"EventFacetCounts":  "The counts of a set of events by year, type, country, actor, tag and confidence.",
	"ListMeta":          "Where a list comes from (release, licence, citation) and how many records match its filters across every page.",
	"Actor":             "A person, an agency, a military unit, a state, a company, a media outlet, an organization or a threat group.",
	"ActorList":         "A page of actors.",
	"BudgetLine":        "One amount of money in one budget document: a fiscal year's request, draft, initial or supplementary budget, a multi-year plan, or reported spending, in integer yen.",
	"BudgetList":        "A page of budget lines.",
	"BudgetSummary":     "Cyber budget totals by fiscal year, agency and stage. Stages are never added together.",
	"BudgetTotal":       "One row of the budget summary: an agency's cyber budget for one fiscal year (or plan period) and stage.",
	"Contradiction":     "A value that another source gives for a field of the record, with those sources and a note. The record keeps the value its own sources give; nothing is resolved by guessing.",
	"ErrorDetail":       "One thing wrong with the request: where it is, the value found there and what is wrong with it.",
	"ErrorModel":        "An error, as RFC 9457 problem details (application/problem+json). type is always about:blank (omitted): the status and title say what kind of error it is, detail says what happened.",
	"Event":             "Something that happened: an intrusion, a briefing, a statement, a report, a law, an appointment. Dated (possibly partially), with its actors and sources.",
	"EventActor":        "An actor's part in an event.",
	"EventList":         "A page of events.",
	"FileChecksum":      "The SHA-256 checksum of one source file of a release.",
	"Health":            "The state of the service.",
	"Meta":              "Where the items of a list come from: the release, its licence and how to cite it.",
	"Metric":            "One dated value of a program: a head count, a target, an amount.",
	"Program":           "An organization, law, strategy, initiative or target of Japan's cyber defense, with metrics over time.",
	"ProgramList":       "A page of programs.",
	"ChangedRecord":     "A record that differs between two releases, with the fields that differ.",
	"KindChanges":       "The changes to the records of one kind between two releases: added, changed and withdrawn. A newly withdrawn record is listed as changed and as withdrawn.",
	"Release":           "A published release of the dataset. Its records never change; corrections come in a new release.",
	"ReleaseBundle":     "The download of a release: one zip file, its URL, SHA-256 and size.",
	"ReleaseSQLite":     "The SQLite database of a release: one file, its URL, SHA-256 and size.",
	"ReleaseChanges":    "What changed in a release since an older one, per kind of record.",
	"ReleaseCounts":     "The number of records of each kind in a release, tombstones included.",
	"ReleaseIndex":      "The published releases of the dataset.",
	"Role":              "A position an actor held for a time.",
	"Source":            "A document that records cite.",
	"SourceList":        "A page of sources.",
	"SourceRef":         "A citation of one source, optionally pointing into it.",
	"Text":              "A short piece of prose or a name, in English and, where it exists, in Japanese.",
}

// describeSchemas adds the descriptions above, notes on records that
// fields= may leave out anything but id, and replaces the examples of
// Huma's problem schemas with answers this API actually gives.
func describeSchemas(schemas map[string]*huma.Schema) {
	for name, desc := range schemas {
		if d, ok := schemaDescriptions[name]; ok {
			desc.Description = d
		}
	}
	for _, name := range recordKinds {
		if s := schemas[name]; s != nil {
			s.Description += " Only id is always present: fields= may leave out any other field."
		}
	}
	if m := schemas["ErrorModel"]; m != nil {
		setExamples(m, "type", "about:blank")
		setExamples(m, "title", "Not Found")
		setExamples(m, "status", http.StatusNotFound)
		setExamples(m, "detail", `no event with id "nsa-discovers-intrusio" in release 1.0.0`)
		setExamples(m, "instance")
	}
	if d := schemas["ErrorDetail"]; d != nil {
		setExamples(d, "location", "query.limit")
		setExamples(d, "message", "expected number <= 500")
		setExamples(d, "value", 1000)
		setDescription(d, "location", "Where the error is: query.<name>, path.<name> or header.<name>, with [i] for one value of a repeated parameter (query.type[0]).")
		setDescription(d, "message", "What is wrong with the value.")
		setDescription(d, "value", "The value found there, if any.")
	}
	if m := schemas["ErrorModel"]; m != nil {
		setDescription(m, "errors", "For invalid parameters: each one, with its location and value.")
	}
}

// setExamples replaces the examples of a property (none removes them).
func setExamples(s *huma.Schema, property string, examples ...any) {
	if p := s.Properties[property]; p != nil {
		p.Examples = examples
	}
}

// setDescription replaces the description of a property.
func setDescription(s *huma.Schema, property, description string) {
	if p := s.Properties[property]; p != nil {
		p.Description = description
	}
}

// Binary bodies. OpenAPI 3.1 (JSON Schema 2020-12) names the media type of
// a binary string with contentMediaType; OpenAPI 3.0 has no such keyword
// and types a binary body as format: binary. Huma's Schema can only say
// contentMediaType: application/octet-stream (from format: binary), so the
// keyword is set as an extension here and rewritten by downgrade for 3.0.

// binarySchema is the schema of a binary body of a media type.
func binarySchema(mediaType, description string) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Description: description,
		Extensions: map[string]any{"contentMediaType": mediaType}}
}

// Downgrade is the OpenAPI 3.0.3 form of a description, as JSON: Huma's
// downgrade, with binary bodies typed as 3.0 types them.
func Downgrade(oapi *huma.OpenAPI) ([]byte, error) {
	b, err := oapi.Downgrade()
	if err != nil {
		return nil, fmt.Errorf("downgrading the OpenAPI description: %w", err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("reading the downgraded description: %w", err)
	}
	binaryFormat(doc)
	return json.Marshal(doc)
}

// DowngradeYAML is Downgrade as YAML.
func DowngradeYAML(oapi *huma.OpenAPI) ([]byte, error) {
	b, err := Downgrade(oapi)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := yaml.Convert(&out, bytes.NewReader(b)); err != nil {
		return nil, fmt.Errorf("converting the downgraded description to YAML: %w", err)
	}
	return out.Bytes(), nil
}

// binaryFormat replaces contentMediaType, a keyword OpenAPI 3.0 does not
// have, with format: binary in every schema of a decoded document.
func binaryFormat(v any) {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["contentMediaType"].(string); ok && v["type"] == huma.TypeString {
			delete(v, "contentMediaType")
			v["format"] = "binary"
		}
		for _, x := range v {
			binaryFormat(x)
		}
	case []any:
		for _, x := range v {
			binaryFormat(x)
		}
	}
}

// serveSpec serves the description: /openapi.json and /openapi.yaml
// (OpenAPI 3.1), /openapi-3.0.json and /openapi-3.0.yaml (the downgrade).
// Each is encoded once, on first request.
func serveSpec(mux *http.ServeMux, spec func() *huma.OpenAPI) {
	forms := []struct {
		path, contentType string
		encode            func() ([]byte, error)
	}{
		{"/openapi.json", "application/openapi+json", func() ([]byte, error) { return json.Marshal(spec()) }},
		{"/openapi.yaml", "application/openapi+yaml", func() ([]byte, error) { return spec().YAML() }},
		{"/openapi-3.0.json", "application/openapi+json", func() ([]byte, error) { return Downgrade(spec()) }},
		{"/openapi-3.0.yaml", "application/openapi+yaml", func() ([]byte, error) { return DowngradeYAML(spec()) }},
	}
	for _, f := range forms {
		body := sync.OnceValues(f.encode)
		mux.HandleFunc("GET "+f.path, func(w http.ResponseWriter, r *http.Request) {
			b, err := body()
			if err != nil {
				panic(err) // a description that cannot be encoded is a bug: recoverPanics logs it
			}
			w.Header().Set("Content-Type", f.contentType)
			// It changes only with a deploy: minutes, like /docs, so that a
			// cache in front (CloudFront) does not pick its own default.
			w.Header().Set("Cache-Control", httpx.CacheCurrent)
			_, _ = w.Write(b)
		})
	}
}
