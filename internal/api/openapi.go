package api

import (
	"reflect"

	"github.com/danielgtaylor/huma/v2"
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
	cfg.SchemasPath = "" // schemas live in the OpenAPI document
	cfg.RejectUnknownQueryParameters = true
	cfg.Info.Description = apiDescription
	cfg.Info.Contact = &huma.Contact{Name: "jcdd maintainers", URL: "https://github.com/jcdd/jcdd/issues"}
	cfg.Info.License = &huma.License{Name: "Apache-2.0 (code); data CC BY 4.0", Identifier: "Apache-2.0"}
	cfg.Info.TermsOfService = "https://github.com/jcdd/jcdd#terms"
	cfg.Servers = servers
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
func listResponse[T any]() responseDoc {
	return func(reg huma.Registry) *huma.Response {
		return &huma.Response{
			Description: "A page of results.",
			Content: map[string]*huma.MediaType{
				mediaJSON: {Schema: reg.Schema(reflect.TypeFor[T](), true, "")},
				mediaCSV: {Schema: &huma.Schema{Type: huma.TypeString,
					Description: "The same items as CSV (RFC 4180, UTF-8, CRLF), one row per item with a header row; lists inside a cell are separated by \"; \". Cells that a spreadsheet would run as a formula start with an apostrophe. format=csv-excel adds a UTF-8 byte order mark for Excel."}},
				mediaNDJSON: {Schema: &huma.Schema{Type: huma.TypeString,
					Description: "The same items as newline-delimited JSON, one object per line; the next page is in the Link header."}},
			},
		}
	}
}

// itemResponse documents a response holding one record of type T.
func itemResponse[T any]() responseDoc {
	return func(reg huma.Registry) *huma.Response {
		return &huma.Response{
			Description: "The record.",
			Content:     map[string]*huma.MediaType{mediaJSON: {Schema: reg.Schema(reflect.TypeFor[T](), true, "")}},
		}
	}
}

// sparseRecords relaxes the record schemas of the API to require only id:
// fields= may leave out any other top-level field, and a response must
// never break the schema it is documented with. The dataset's own JSON
// Schemas (dataset/schema) keep every required field.
func sparseRecords(oapi *huma.OpenAPI) {
	for _, name := range []string{"Event", "Actor", "BudgetLine", "Program", "Source"} {
		if s := oapi.Components.Schemas.Map()[name]; s != nil {
			s.Required = []string{"id"}
			s.PrecomputeMessages()
		}
	}
}
