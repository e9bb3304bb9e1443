package api

import (
	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
)

// The kinds that have only a list and a get operation (registerKind). Each
// has a list type, whose name is its schema's, and a list input, whose
// fields are its filters.

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

var actorOps = kindOps[dataset.Actor, ListActorsInput]{
	kind: actorKind, tag: "Actors",
	listSummary:     "List actors",
	listDescription: "People, agencies, military units, states, companies, media and threat groups, in id order.",
	getSummary:      "Get an actor",
	getDescription:  "One actor by id, with its names in English and Japanese and the positions it held over time.",
	envelope:        listResponse[ActorList],
	idDoc:           "Actor id.", idExample: "us-nsa",
	records: store.ActorKind,
	filters: func(in *ListActorsInput) (map[string][]string, string) {
		return map[string][]string{store.DimKind: in.Kind, store.DimCountry: in.Country}, in.Q
	},
}

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

var programOps = kindOps[dataset.Program, ListProgramsInput]{
	kind: programKind, tag: "Programs",
	listSummary:     "List programs",
	listDescription: "Organizations, laws, strategies, initiatives and targets of Japan's cyber defense, in id order, each with its metrics over time.",
	getSummary:      "Get a program",
	getDescription:  "One program by id, with its metrics over time (for example cyber personnel counts and targets by fiscal year).",
	envelope:        listResponse[ProgramList],
	idDoc:           "Program id.", idExample: "sdf-cyber-workforce",
	records: store.ProgramKind,
	filters: func(in *ListProgramsInput) (map[string][]string, string) {
		return map[string][]string{store.DimKind: in.Kind, store.DimAgency: in.Agency, store.DimState: in.State}, in.Q
	},
}

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

var sourceOps = kindOps[dataset.Source, ListSourcesInput]{
	kind: sourceKind, tag: "Sources",
	listSummary:     "List sources",
	listDescription: "Every document that a record of the dataset cites, in id order.",
	getSummary:      "Get a source",
	getDescription:  "One source by id: its address, title, publisher, date and language.",
	envelope:        listResponse[SourceList],
	idDoc:           "Source id.", idExample: "nhk-2023-08-08-pla-hackers-defense-network",
	records: store.SourceKind,
	filters: func(in *ListSourcesInput) (map[string][]string, string) {
		return map[string][]string{store.DimKind: in.Kind, store.DimLanguage: in.Language}, in.Q
	},
}
