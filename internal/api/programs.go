package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// ProgramList is a page of programs.
type ProgramList struct {
	Items      []dataset.Program `json:"items" doc:"The programs of this page."`
	NextCursor string            `json:"next_cursor,omitempty" doc:"Cursor of the next page; absent on the last page."`
	Meta       ListMeta          `json:"meta" doc:"Release, licence, citation, and how many records match the filters."`
}

// ListProgramsInput is the input of listPrograms.
type ListProgramsInput struct {
	ListParams
	Kind   []string `query:"kind,explode" enum:"organization,law,strategy,initiative,target" doc:"Only programs of this kind; repeat to allow several." example:"[\"law\"]"`
	Agency []string `query:"agency,explode" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Only programs of this agency (actor id); repeat to allow several." example:"[\"jp-mod\"]"`
	State  []string `query:"state,explode" enum:"planned,active,in-force,superseded,abolished,completed,unknown" doc:"Only programs in this state; repeat to allow several." example:"[\"active\"]"`
	Q      string   `query:"q" maxLength:"200" doc:"Case-insensitive text to find in names and summaries, in English or Japanese." example:"cyber"`
}

// Resolve captures the request.
func (in *ListProgramsInput) Resolve(ctx huma.Context) []error {
	in.req.capture(ctx)
	return nil
}

// GetProgramInput is the input of getProgram.
type GetProgramInput struct {
	ID string `path:"id" maxLength:"128" doc:"Program id." example:"sdf-cyber-workforce"`
	GetParams
}

func (s *Server) registerPrograms(api huma.API) {
	register(api, s, huma.Operation{
		OperationID: "listPrograms",
		Method:      http.MethodGet,
		Path:        "/v1/programs",
		Tags:        []string{"Programs"},
		Summary:     "List programs",
		Description: "Organizations, laws, strategies, initiatives and targets of Japan's cyber defense, in id order, each with its metrics over time.",
	}, listResponse[ProgramList]("A page of programs.", pageHeaders), []int{400, 406, 422}, func(ctx context.Context, in *ListProgramsInput) (*Response, error) {
		lr, err := s.prepareList(ctx, &in.ListParams, programKind)
		if err != nil {
			return nil, err
		}
		page, err := s.store.Programs(ctx, store.ProgramQuery{
			Release: lr.release, Kinds: in.Kind, Agencies: in.Agency, States: in.State, Text: in.Q, Status: lr.status, Page: lr.page,
		})
		if err != nil {
			return nil, s.listError(ctx, lr, err)
		}
		return finishList(s, lr, page, export.Programs)
	})

	register(api, s, huma.Operation{
		OperationID: "getProgram",
		Method:      http.MethodGet,
		Path:        "/v1/programs/{id}",
		Tags:        []string{"Programs"},
		Summary:     "Get a program",
		Description: "One program by id, with its metrics over time (for example cyber personnel counts and targets by fiscal year).",
	}, itemResponse[dataset.Program]("The program.", recordHeaders), []int{404, 422}, func(ctx context.Context, in *GetProgramInput) (*Response, error) {
		g, err := prepareGet(&in.GetParams, programKind)
		if err != nil {
			return nil, err
		}
		return s.getRecord(ctx, g, store.KindPrograms, "program", in.ID)
	})
}
