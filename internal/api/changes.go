package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// ReleaseChanges lists what changed in a release since an older one.
type ReleaseChanges struct {
	Release  string      `json:"release" doc:"The release described." example:"1.1.0"`
	Since    string      `json:"since" doc:"The older release it is compared with." example:"1.0.0"`
	Events   KindChanges `json:"events" doc:"Changes to events."`
	Actors   KindChanges `json:"actors" doc:"Changes to actors."`
	Budgets  KindChanges `json:"budgets" doc:"Changes to budget lines."`
	Programs KindChanges `json:"programs" doc:"Changes to programs."`
	Sources  KindChanges `json:"sources" doc:"Changes to sources."`
	Meta     Meta        `json:"meta" doc:"The release described, its licence and how to cite it."`
}

// KindChanges are the changes to the records of one kind. A record
// withdrawn in the release is listed both under changed (with the fields
// withdrawing it set) and under withdrawn.
type KindChanges struct {
	Added     []string        `json:"added" doc:"Ids of the records the older release does not have, by id." example:"[\"yomiuri-2024-report\"]"`
	Changed   []ChangedRecord `json:"changed" doc:"Records of both releases that differ, by id, with the fields that differ. A newly withdrawn record is here too, with status and the other fields withdrawing it set."`
	Withdrawn []string        `json:"withdrawn" doc:"Ids of the records that became withdrawn tombstones in the release (or, which a release should never do, that it no longer has), by id." example:"[\"pla-intrusion-2020\"]"`
}

// ChangedRecord is one record that differs between two releases.
type ChangedRecord struct {
	ID     string   `json:"id" doc:"Id of the record." example:"nsa-discovers-intrusion"`
	Fields []string `json:"fields" doc:"The top-level fields whose values differ (or that only one of the releases has), in the order the record declares them; fetch the record from each release (release=) to see the values." example:"[\"title\",\"sources\"]"`
}

// ReleaseChangesInput is the input of getReleaseChanges.
type ReleaseChangesInput struct {
	Version string `path:"version" maxLength:"32" pattern:"^(latest|[0-9]+\\.[0-9]+\\.[0-9]+(-dev)?)$" doc:"The release to describe, or latest for the current release." example:"latest"`
	Since   string `query:"since" required:"true" maxLength:"32" pattern:"^[0-9]+\\.[0-9]+\\.[0-9]+$" doc:"The published release to compare with; it must be older than the release described." example:"1.0.0"`
	ConditionalParam
	FormatParam
}

// Resolve captures the request.
// version names the release described, which makes the answer go through
// the shared path of data answers (conditional.go): it is named by that
// release's digest and the request, which holds since. That is enough: since
// names a published release, whose files never change.
func (in *ReleaseChangesInput) version() (string, bool) {
	if in.Version == "latest" {
		return "", false
	}
	return in.Version, true
}

func (in *ReleaseChangesInput) Resolve(ctx huma.Context) []error {
	in.req.capture(ctx)
	return nil
}

// changeRow is one line of the CSV and NDJSON forms: one change to one
// record.
type changeRow struct {
	Kind   string   `json:"kind"`
	ID     string   `json:"id"`
	Change string   `json:"change"` // added, changed or withdrawn
	Fields []string `json:"fields,omitempty"`
}

var changesTable = export.Table[changeRow]{
	{Name: "kind", Field: "kind", Value: func(r *changeRow) string { return r.Kind }},
	{Name: "id", Field: "id", Value: func(r *changeRow) string { return r.ID }},
	{Name: "change", Field: "change", Value: func(r *changeRow) string { return r.Change }},
	{Name: "fields", Field: "fields", Value: func(r *changeRow) string { return strings.Join(r.Fields, "; ") }},
}

// changesResponse documents the three forms of the changes.
var changesResponse = responseDoc{
	negotiates:  true,
	description: "The changes, per kind of record.",
	headers:     []string{"Cache-Control", "Content-Disposition", "Dataset-Release", "ETag", "Vary"},
	content: func(reg huma.Registry) map[string]*huma.MediaType {
		return map[string]*huma.MediaType{
			mediaJSON: {Schema: reg.Schema(reflect.TypeFor[ReleaseChanges](), true, "")},
			mediaCSV: {Schema: &huma.Schema{Type: huma.TypeString,
				Description: "The same changes as CSV (RFC 4180, UTF-8, CRLF) with the columns kind (events, actors, budgets, programs or sources), id, change (added, changed or withdrawn) and fields (for changed: the fields that differ, separated by \"; \"), one row per change: kinds in that order, and within a kind the added, changed and withdrawn records, each by id. A record withdrawn in the release has a changed row and a withdrawn row. format=csv-excel adds a UTF-8 byte order mark for Excel."}},
			mediaNDJSON: {Schema: &huma.Schema{Type: huma.TypeString,
				Description: "The same rows as newline-delimited JSON: one object per line with kind, id, change and, for changed, fields."}},
		}
	},
}

func (s *Server) registerChanges(api huma.API) {
	register(api, s, huma.Operation{
		OperationID: "getReleaseChanges",
		Method:      http.MethodGet,
		Path:        "/v1/releases/{version}/changes",
		Tags:        []string{"Releases"},
		Summary:     "Get the changes since an older release",
		Description: "What changed in a release since an older published release, for each kind of record: the ids added, the records changed with the names of the fields that changed, and the ids withdrawn (records are never deleted: a withdrawn record stays as a tombstone, so it is also listed as changed). " +
			"JSON by default; CSV (format=csv or Accept: text/csv) and NDJSON give one row per change. " +
			"With both versions given the answer never changes and is cached for a year; with latest it follows the current release.",
	}, changesResponse, []int{404, 406, 422}, func(ctx context.Context, in *ReleaseChangesInput) (*Response, error) {
		f, err := negotiate(in.Format, in.req.accept)
		if err != nil {
			return nil, err
		}
		version, pinned := in.Version, in.Version != "latest"
		if !pinned {
			version = ""
		}
		c, rel, err := s.store.Changes(ctx, version, in.Since)
		switch {
		case errors.Is(err, store.ErrUnknownSince):
			return nil, huma.Error422UnprocessableEntity("unknown release to compare with", &huma.ErrorDetail{
				Message: fmt.Sprintf("no published release has version %s; GET /v1/releases lists them", in.Since), Location: "query.since", Value: in.Since,
			})
		case errors.Is(err, store.ErrSinceNotOlder):
			return nil, huma.Error422UnprocessableEntity("since is not older than the release", &huma.ErrorDetail{
				Message: fmt.Sprintf("since must name a release older than %s", rel.Version), Location: "query.since", Value: in.Since,
			})
		case errors.Is(err, store.ErrUnknownRelease):
			return nil, unknownVersion(in.Version)
		case err != nil:
			return nil, s.storeError(ctx, err)
		}
		var body []byte
		if f == formatJSON {
			body, err = json.Marshal(changesBody(c, rel))
		} else {
			body, err = encodeList(changeRows(c), f, nil, nil, changesTable, "", metaOf(rel))
		}
		if err != nil {
			return nil, fmt.Errorf("encoding changes: %w", err)
		}
		r := ok(body, f, rel, pinned)
		if f == formatCSV || f == formatCSVExcel {
			r.ContentDisposition = fmt.Sprintf(`attachment; filename="jcdd-%s-changes-since-%s.csv"`, rel.Version, in.Since)
		}
		return r, nil
	})
}

// changesBody is the JSON form of the changes. Every list is present, empty
// when nothing changed.
func changesBody(c dataset.Changes, rel store.Release) ReleaseChanges {
	out := ReleaseChanges{Release: rel.Version, Since: c.Since, Meta: metaOf(rel)}
	kinds := byKind[KindChanges](&out)
	for _, k := range kinds {
		*k = KindChanges{Added: []string{}, Changed: []ChangedRecord{}, Withdrawn: []string{}}
	}
	for _, kc := range c.Kinds {
		k := kinds[kc.Kind]
		if k == nil {
			continue
		}
		k.Added = append(k.Added, kc.Added...)
		for _, ch := range kc.Changed {
			k.Changed = append(k.Changed, ChangedRecord{ID: ch.ID, Fields: append([]string{}, ch.Fields...)})
		}
		k.Withdrawn = append(k.Withdrawn, kc.Withdrawn...)
	}
	return out
}

// changeRows flattens the changes into rows: kinds in their order, and in
// each kind the added, then the changed, then the withdrawn records.
func changeRows(c dataset.Changes) []changeRow {
	var rows []changeRow
	for _, kc := range c.Kinds {
		for _, id := range kc.Added {
			rows = append(rows, changeRow{Kind: kc.Kind, ID: id, Change: "added"})
		}
		for _, ch := range kc.Changed {
			rows = append(rows, changeRow{Kind: kc.Kind, ID: ch.ID, Change: "changed", Fields: ch.Fields})
		}
		for _, id := range kc.Withdrawn {
			rows = append(rows, changeRow{Kind: kc.Kind, ID: id, Change: "withdrawn"})
		}
	}
	return rows
}
