package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/internal/store"
)

// kindOps describes the two operations of a record kind that has nothing
// but them: a filtered list (GET /v1/<kind>) and one record by id (GET
// /v1/<kind>/{id}). registerKind turns a description into both operations,
// so that paging, formats, fields=, conditional requests and errors are the
// same for every such kind, and a kind says only what is its own.
//
// Rec is the record, In the input of the list (ListParams and the kind's
// filters, with a Resolve that captures the request).
type kindOps[Rec, In any] struct {
	kind kindInfo // fields=, and the kind's plural: its path and store kind
	tag  string   // the tag; also names the operations: listActors, getActor

	listSummary, listDescription string
	getSummary, getDescription   string

	// envelope documents the JSON list (listResponse of the kind's list
	// type, whose name is that of its schema).
	envelope func(description string, headers []string) responseDoc

	// id documents the path parameter of the get operation.
	idDoc, idExample string

	// records describes the kind to the store: its filter dimensions, its
	// search text and its CSV columns.
	records *store.IDKind[Rec]
	// filters are the values a list request asks for in each of the
	// kind's dimensions, and text its q.
	filters func(in *In) (filters map[string][]string, text string)
}

// listInput is the list input of a kind: it has the shared list
// parameters (by embedding ListParams).
type listInput[In any] interface {
	*In
	listParams() *ListParams
}

func (p *ListParams) listParams() *ListParams { return p }

// GetRecordInput is the input of the get operation of every kind that
// registerKind registers. The id parameter's description and example,
// which differ by kind, are set on each operation by registerKind.
type GetRecordInput struct {
	ID string `path:"id" maxLength:"128"`
	GetParams
}

// registerKind registers the list and get operations of a kind.
func registerKind[Rec, In any, PIn listInput[In]](s *Server, api huma.API, d kindOps[Rec, In]) {
	path := "/v1/" + d.kind.name
	register(api, s, huma.Operation{
		OperationID: "list" + d.tag,
		Method:      http.MethodGet,
		Path:        path,
		Tags:        []string{d.tag},
		Summary:     d.listSummary,
		Description: d.listDescription,
	}, d.envelope("A page of "+d.kind.name+".", pageHeaders), []int{400, 406, 422}, func(ctx context.Context, in *In) (*Response, error) {
		lr, err := s.prepareList(ctx, PIn(in).listParams(), d.kind)
		if err != nil {
			return nil, err
		}
		filters, text := d.filters(in)
		page, err := s.store.List(ctx, d.kind.name, store.ListQuery{
			Release: lr.release, Filters: filters, Text: text, Status: lr.status, Page: lr.page,
		})
		if err != nil {
			return nil, s.listError(ctx, lr, err)
		}
		return finishList(s, lr, page, d.records.CSV(page.Release.Version))
	})

	one := path + "/{id}"
	getDoc := itemResponse[Rec]("The "+d.records.One+".", recordHeaders)
	getDoc.finish = func(op *huma.Operation) { describeID(op, d.idDoc, d.idExample) }
	register(api, s, huma.Operation{
		OperationID: "get" + strings.TrimSuffix(d.tag, "s"),
		Method:      http.MethodGet,
		Path:        one,
		Tags:        []string{d.tag},
		Summary:     d.getSummary,
		Description: d.getDescription,
	}, getDoc, []int{404, 422}, func(ctx context.Context, in *GetRecordInput) (*Response, error) {
		g, err := prepareGet(&in.GetParams, d.kind)
		if err != nil {
			return nil, err
		}
		return s.getRecord(ctx, g, d.kind.name, d.records.One, in.ID)
	})
}

// describeID gives the id parameter of an operation its description and
// example.
func describeID(op *huma.Operation, doc, example string) {
	for _, p := range op.Parameters {
		if p.In == "path" && p.Name == "id" {
			s := *p.Schema // a copy: the schema Huma validates with stays as it is
			s.Description, s.Examples = doc, []any{example}
			p.Schema, p.Description = &s, doc
			return
		}
	}
	panic("api: " + op.OperationID + " has no id parameter")
}
