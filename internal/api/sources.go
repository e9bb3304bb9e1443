package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// SourceList is a page of sources.
type SourceList struct {
	Items      []dataset.Source `json:"items" doc:"The sources of this page."`
	NextCursor string           `json:"next_cursor,omitempty" doc:"Cursor of the next page; absent on the last page."`
	Meta       ListMeta         `json:"meta" doc:"Release, licence, citation, and how many records match the filters."`
}

// ListSourcesInput is the input of listSources.
type ListSourcesInput struct {
	ListParams
	Kind     []string `query:"kind,explode" enum:"news,government,report,leak,reference,blog,forum,podcast" doc:"Only sources of this kind; repeat to allow several." example:"[\"government\"]"`
	Language []string `query:"language,explode" pattern:"^[a-z]{2}$" doc:"Only sources in this language (ISO 639-1); repeat to allow several." example:"[\"ja\"]"`
	Q        string   `query:"q" maxLength:"200" doc:"Case-insensitive text to find in titles and publishers." example:"Yomiuri"`
}

// Resolve captures the request.
func (in *ListSourcesInput) Resolve(ctx huma.Context) []error {
	in.req.capture(ctx)
	return nil
}

// GetSourceInput is the input of getSource.
type GetSourceInput struct {
	ID string `path:"id" maxLength:"128" doc:"Source id." example:"nhk-2023-08-08-pla-hackers-defense-network"`
	GetParams
}

func (s *Server) registerSources(api huma.API) {
	register(api, s, huma.Operation{
		OperationID: "listSources",
		Method:      http.MethodGet,
		Path:        "/v1/sources",
		Tags:        []string{"Sources"},
		Summary:     "List sources",
		Description: "Every document that a record of the dataset cites, in id order.",
	}, listResponse[SourceList]("A page of sources.", pageHeaders), []int{400, 406, 422}, func(ctx context.Context, in *ListSourcesInput) (*Response, error) {
		lr, err := s.prepareList(ctx, &in.ListParams, sourceKind)
		if err != nil {
			return nil, err
		}
		page, err := s.store.Sources(ctx, store.SourceQuery{
			Release: lr.release, Kinds: in.Kind, Languages: in.Language, Text: in.Q, Status: lr.status, Page: lr.page,
		})
		if err != nil {
			return nil, s.listError(ctx, lr, err)
		}
		return finishList(s, lr, page, export.SourcesOf(page.Release.Version))
	})

	register(api, s, huma.Operation{
		OperationID: "getSource",
		Method:      http.MethodGet,
		Path:        "/v1/sources/{id}",
		Tags:        []string{"Sources"},
		Summary:     "Get a source",
		Description: "One source by id: its address, title, publisher, date and language.",
	}, itemResponse[dataset.Source]("The source.", recordHeaders), []int{404, 422}, func(ctx context.Context, in *GetSourceInput) (*Response, error) {
		g, err := prepareGet(&in.GetParams, sourceKind)
		if err != nil {
			return nil, err
		}
		return s.getRecord(ctx, g, store.KindSources, "source", in.ID)
	})
}
