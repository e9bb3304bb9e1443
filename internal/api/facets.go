package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/internal/store"
)

// Facets answer "how many, and how do they break down" without paging: the
// counts of a set of records by year, type, actor and so on, for the same
// filters as the list. They are counted when a release is built for the
// whole release, for every single filter value and for every year of
// events (which add up to any range of whole years), so the common
// questions cost one small read; see store.Tally.

// Bucket is one value of a facet.
type Bucket struct {
	Value string `json:"value" doc:"The value: a year, an enum value, an actor id, a country code or a tag." example:"2020"`
	Count int    `json:"count" minimum:"1" doc:"How many of the records have it." example:"12"`
}

// EventFacetCounts are the facets of a set of events.
type EventFacetCounts struct {
	Year       []Bucket `json:"year" doc:"By year of occurred (the year the event began), oldest first."`
	Type       []Bucket `json:"type" doc:"By type, the most frequent first (ties by value)."`
	Country    []Bucket `json:"country" doc:"By country involved, the most frequent first; an event with several countries counts under each."`
	Actor      []Bucket `json:"actor" doc:"By actor (id), the most frequent first, at most limit of them; an event counts once under each of its actors."`
	Tag        []Bucket `json:"tag" doc:"By tag, the most frequent first; an event counts under each of its tags."`
	Confidence []Bucket `json:"confidence" doc:"By confidence, the most frequent first."`
}

// EventFacets is the answer of getEventFacets.
type EventFacets struct {
	Total      *int              `json:"total,omitempty" minimum:"0" doc:"How many events match the filters: what meta.total of listEvents gives. Absent only when total_exact is false." example:"104"`
	TotalExact bool              `json:"total_exact" doc:"True when total and facets are given. False, with both absent, where counting would cost the data store more than a page of the list: a combination of filters (or q, or a range that starts or ends inside a year) over more events than the largest page that no count made with the release covers. The whole release, any single filter value and any range of whole years alone (from=2020&to=2021) are always counted." example:"true"`
	Facets     *EventFacetCounts `json:"facets,omitempty" doc:"The counts by dimension. Absent only when total_exact is false."`
	Meta       Meta              `json:"meta" doc:"Release, licence and citation."`
}

// BudgetFacetCounts are the facets of a set of budget lines.
type BudgetFacetCounts struct {
	FiscalYear []Bucket `json:"fiscal_year" doc:"By fiscal year, oldest first; a multi-year plan counts under every year it spans, as the fiscal_year filter selects it."`
	Agency     []Bucket `json:"agency" doc:"By agency (actor id), the most frequent first (ties by value)."`
	Stage      []Bucket `json:"stage" doc:"By budget stage, the most frequent first."`
	Category   []Bucket `json:"category" doc:"By category, the most frequent first."`
}

// BudgetFacets is the answer of getBudgetFacets.
type BudgetFacets struct {
	Total      *int               `json:"total,omitempty" minimum:"0" doc:"How many budget lines match the filters: what meta.total of listBudgetLines gives. Absent only when total_exact is false." example:"94"`
	TotalExact bool               `json:"total_exact" doc:"True when total and facets are given; false, with both absent, where counting would cost the data store more than a page of the list (see getEventFacets)." example:"true"`
	Facets     *BudgetFacetCounts `json:"facets,omitempty" doc:"The counts by dimension. Absent only when total_exact is false."`
	Meta       Meta               `json:"meta" doc:"Release, licence and citation."`
}

// StatusParam selects records by lifecycle, as on lists.
type StatusParam struct {
	Status string `query:"status" enum:"active,withdrawn,all" default:"active" doc:"Which records to count: active ones, withdrawn tombstones, or all." example:"active"`
}

// EventFacetsInput is the input of getEventFacets.
type EventFacetsInput struct {
	ReleaseParam
	ConditionalParam
	EventFilters
	Actor []string `query:"actor,explode" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Only events in which this actor (by id) took part; repeat to allow several." example:"[\"us-nsa\"]"`
	StatusParam
	Limit int `query:"limit" minimum:"1" maximum:"100" default:"20" doc:"At most this many actors in the actor facet, the most frequent first (1 to 100)." example:"10"`
}

// Resolve checks the date range.
func (in *EventFacetsInput) Resolve(huma.Context) []error { return in.check() }

// BudgetFacetsInput is the input of getBudgetFacets.
type BudgetFacetsInput struct {
	ReleaseParam
	ConditionalParam
	BudgetFilters
	StatusParam
}

// Resolve checks the fiscal-year range.
func (in *BudgetFacetsInput) Resolve(huma.Context) []error { return in.check() }

// buckets converts a store's buckets, never nil (an empty facet is []).
func buckets(in []store.Bucket, limit int) []Bucket {
	out := make([]Bucket, 0, len(in))
	for _, b := range in {
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, Bucket{Value: b.Value, Count: b.Count})
	}
	return out
}

func (s *Server) registerFacets(api huma.API) {
	register(api, s, huma.Operation{
		OperationID: "getEventFacets",
		Method:      http.MethodGet,
		Path:        "/v1/events/facets",
		Tags:        []string{"Events"},
		Summary:     "Count events by year, type, country, actor, tag and confidence",
		Description: "How many events match the filters (the same as listEvents takes) and how they break down, without paging through them. " +
			"The whole release, each single filter value (actor=us-nsa, tag=core…) and each range of whole years alone (from=2020&to=2021) are counted when the release is built; other combinations are counted on request.",
	}, itemResponse[EventFacets]("The counts.", recordHeaders), []int{422}, func(ctx context.Context, in *EventFacetsInput) (*Response, error) {
		version, pinned := in.version()
		f, err := s.store.EventFacets(ctx, in.query(version, statusOf(in.Status), in.Actor))
		if err != nil {
			return nil, s.storeError(ctx, err)
		}
		out := EventFacets{TotalExact: f.Exact, Meta: metaOf(f.Release)}
		if f.Exact {
			c := f.Facets
			out.Total = &c.Total
			out.Facets = &EventFacetCounts{
				Year: buckets(c.Years, 0), Type: buckets(c.Types, 0), Country: buckets(c.Countries, 0),
				Actor: buckets(c.Actors, in.Limit), Tag: buckets(c.Tags, 0), Confidence: buckets(c.Confidences, 0),
			}
		}
		return facetsResponse(out, f.Release, pinned)
	})

	register(api, s, huma.Operation{
		OperationID: "getBudgetFacets",
		Method:      http.MethodGet,
		Path:        "/v1/budgets/facets",
		Tags:        []string{"Budgets"},
		Summary:     "Count budget lines by fiscal year, agency, stage and category",
		Description: "How many budget lines match the filters (the same as listBudgetLines takes) and how they break down. These are counts of lines, not sums of amounts: for amounts, see getBudgetSummary.",
	}, itemResponse[BudgetFacets]("The counts.", recordHeaders), []int{422}, func(ctx context.Context, in *BudgetFacetsInput) (*Response, error) {
		version, pinned := in.version()
		f, err := s.store.BudgetFacets(ctx, in.query(version, statusOf(in.Status)))
		if err != nil {
			return nil, s.storeError(ctx, err)
		}
		out := BudgetFacets{TotalExact: f.Exact, Meta: metaOf(f.Release)}
		if f.Exact {
			c := f.Facets
			out.Total = &c.Total
			out.Facets = &BudgetFacetCounts{
				FiscalYear: buckets(c.FiscalYears, 0), Agency: buckets(c.Agencies, 0),
				Stage: buckets(c.Stages, 0), Category: buckets(c.Categories, 0),
			}
		}
		return facetsResponse(out, f.Release, pinned)
	})
}

// facetsResponse encodes an answer of the facets operations.
func facetsResponse(v any, rel store.Release, pinned bool) (*Response, error) {
	bodiesBuilt.Add(1)
	body, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding facets: %w", err)
	}
	return ok(body, formatJSON, rel, pinned), nil
}
