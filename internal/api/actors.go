package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// ActorList is a page of actors.
type ActorList struct {
	Items      []dataset.Actor `json:"items" doc:"The actors of this page."`
	NextCursor string          `json:"next_cursor,omitempty" doc:"Cursor of the next page; absent on the last page."`
	Meta       ListMeta        `json:"meta" doc:"Release, licence, citation, and how many records match the filters."`
}

// ListActorsInput is the input of listActors.
type ListActorsInput struct {
	ListParams
	Kind    []string `query:"kind,explode" enum:"person,government-agency,military-unit,state,company,media,organization,threat-group" doc:"Only actors of this kind; repeat to allow several." example:"[\"person\"]"`
	Country []string `query:"country,explode" pattern:"^[A-Z]{2}$" doc:"Only actors of this country (ISO 3166-1 alpha-2); repeat to allow several." example:"[\"JP\"]"`
	Q       string   `query:"q" maxLength:"200" doc:"Case-insensitive text to find in names, aliases and descriptions, in English or Japanese." example:"防衛"`
}

// Resolve captures the request.
func (in *ListActorsInput) Resolve(ctx huma.Context) []error {
	in.req.capture(ctx)
	return nil
}

// GetActorInput is the input of getActor.
type GetActorInput struct {
	ID string `path:"id" maxLength:"128" doc:"Actor id." example:"us-nsa"`
	GetParams
}

func (s *Server) registerActors(api huma.API) {
	register(api, s, huma.Operation{
		OperationID: "listActors",
		Method:      http.MethodGet,
		Path:        "/v1/actors",
		Tags:        []string{"Actors"},
		Summary:     "List actors",
		Description: "People, agencies, military units, states, companies, media and threat groups, in id order.",
	}, listResponse[ActorList]("A page of actors.", pageHeaders), []int{400, 406, 422}, func(ctx context.Context, in *ListActorsInput) (*Response, error) {
		lr, err := s.prepareList(ctx, &in.ListParams, actorKind)
		if err != nil {
			return nil, err
		}
		page, err := s.store.Actors(ctx, store.ActorQuery{
			Release: lr.release, Kinds: in.Kind, Countries: in.Country, Text: in.Q, Status: lr.status, Page: lr.page,
		})
		if err != nil {
			return nil, s.listError(ctx, lr, err)
		}
		return finishList(s, lr, page, export.Actors)
	})

	register(api, s, huma.Operation{
		OperationID: "getActor",
		Method:      http.MethodGet,
		Path:        "/v1/actors/{id}",
		Tags:        []string{"Actors"},
		Summary:     "Get an actor",
		Description: "One actor by id, with its names in English and Japanese and the positions it held over time.",
	}, itemResponse[dataset.Actor]("The actor.", recordHeaders), []int{404, 422}, func(ctx context.Context, in *GetActorInput) (*Response, error) {
		g, err := prepareGet(&in.GetParams, actorKind)
		if err != nil {
			return nil, err
		}
		return s.getRecord(ctx, g, store.KindActors, "actor", in.ID)
	})
}
