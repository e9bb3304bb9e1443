package api

import (
	"context"
	"fmt"
	"net/http"
	"regexp"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// EventList is a page of events.
type EventList struct {
	Items      []dataset.Event `json:"items" doc:"The events of this page."`
	NextCursor string          `json:"next_cursor,omitempty" doc:"Cursor of the next page; absent on the last page."`
	Meta       ListMeta        `json:"meta" doc:"Release, licence, citation, and how many records match the filters."`
}

// EventFilters are the filters of event lists, shared by the actor timeline.
type EventFilters struct {
	From       string   `query:"from" pattern:"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" doc:"Only events that overlap the period from this full or partial ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD) onwards." example:"2020-09"`
	To         string   `query:"to" pattern:"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" doc:"Only events that overlap the period up to the end of this full or partial date (2021 means to 2021-12-31)." example:"2021"`
	Type       []string `query:"type,explode" enum:"intrusion,discovery,briefing,diplomatic-visit,diplomatic-call,statement,denial,report,leak,attribution,policy,legislation,organization-established,appointment,budget,other" doc:"Only events of this type; repeat to allow several." example:"[\"briefing\"]"`
	Country    []string `query:"country,explode" pattern:"^[A-Z]{2}$" doc:"Only events involving this country (ISO 3166-1 alpha-2); repeat to allow several." example:"[\"JP\"]"`
	Tag        []string `query:"tag,explode" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Only events with this tag; repeat to allow several." example:"[\"core\"]"`
	Confidence []string `query:"confidence,explode" enum:"confirmed,reported,disputed" doc:"Only events with this confidence; repeat to allow several." example:"[\"confirmed\"]"`
	Q          string   `query:"q" maxLength:"200" doc:"Case-insensitive text to find in titles, summaries and actor names, in English or Japanese." example:"Nakasone"`
	span       *dataset.Span
}

// EventOrder is the order of event lists.
type EventOrder struct {
	Sort string `query:"sort" enum:"occurred,-occurred" default:"occurred" doc:"Order: occurred (oldest first) or -occurred (newest first); ties by id." example:"-occurred"`
}

// datePattern is the form of a full or partial date, as the from and to
// parameters declare it.
var datePattern = regexp.MustCompile(`^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`)

// check checks that from and to are real dates in order.
func (f *EventFilters) check() []error {
	var errs []error
	from, to := "0001", "9999"
	// A value that does not have the form of a date has already been
	// reported by the pattern check; only calendar errors are added here.
	if f.From != "" {
		if _, err := dataset.ParseDate(f.From); err != nil && datePattern.MatchString(f.From) {
			errs = append(errs, &huma.ErrorDetail{Message: err.Error(), Location: "query.from", Value: f.From})
		} else if err != nil {
			return nil
		}
		from = f.From
	}
	if f.To != "" {
		if _, err := dataset.ParseDate(f.To); err != nil && datePattern.MatchString(f.To) {
			errs = append(errs, &huma.ErrorDetail{Message: err.Error(), Location: "query.to", Value: f.To})
		} else if err != nil {
			return nil
		}
		to = f.To
	}
	if len(errs) > 0 || (f.From == "" && f.To == "") {
		return errs
	}
	sp, _ := dataset.SpanOf(from, to)
	if sp.End.Before(sp.Start) {
		return []error{&huma.ErrorDetail{Message: fmt.Sprintf("to %q is before from %q", f.To, f.From), Location: "query.to", Value: f.To}}
	}
	f.span = &sp
	return nil
}

func (f *EventFilters) query(release string, status store.Status, actors []string) store.EventQuery {
	return store.EventQuery{
		Release: release, Range: f.span, Actors: actors, Types: f.Type, Countries: f.Country,
		Tags: f.Tag, Confidences: f.Confidence, Text: f.Q, Status: status,
	}
}

// listQuery is the query of one page of an event list.
func (f *EventFilters) listQuery(lr *listRequest, o EventOrder, actors []string) store.EventQuery {
	q := f.query(lr.release, lr.status, actors)
	q.Descending, q.Page = o.Sort == "-occurred", lr.page
	return q
}

// ListEventsInput is the input of listEvents.
type ListEventsInput struct {
	ListParams
	EventFilters
	EventOrder
	Actor []string `query:"actor,explode" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Only events in which this actor (by id) took part; repeat to allow several." example:"[\"us-nsa\"]"`
}

// Resolve captures the request and checks the date range.
func (in *ListEventsInput) Resolve(ctx huma.Context) []error {
	in.req.capture(ctx)
	return in.check()
}

// ActorEventsInput is the input of listActorEvents.
type ActorEventsInput struct {
	ID string `path:"id" maxLength:"128" doc:"Actor id." example:"us-nsa"`
	ListParams
	EventFilters
	EventOrder
}

// Resolve captures the request and checks the date range.
func (in *ActorEventsInput) Resolve(ctx huma.Context) []error {
	in.req.capture(ctx)
	return in.check()
}

// GetEventInput is the input of getEvent.
type GetEventInput struct {
	ID string `path:"id" maxLength:"128" doc:"Event id." example:"nsa-discovers-intrusion"`
	GetParams
}

func (s *Server) registerEvents(api huma.API) {
	register(api, s, huma.Operation{
		OperationID: "listEvents",
		Method:      http.MethodGet,
		Path:        "/v1/events",
		Tags:        []string{"Events"},
		Summary:     "List events",
		Description: "Events in date order, filtered and paged. Filters of different parameters are combined with AND; repeating a parameter combines its values with OR. " +
			"Dates may be partial: from=2020 to=2021-03 selects every event that overlaps January 2020 to March 2021.",
	}, listResponse[EventList]("A page of events.", pageHeaders), []int{400, 406, 422}, func(ctx context.Context, in *ListEventsInput) (*Response, error) {
		lr, err := s.prepareList(ctx, &in.ListParams, eventKind)
		if err != nil {
			return nil, err
		}
		page, err := s.store.Events(ctx, in.listQuery(lr, in.EventOrder, in.Actor))
		if err != nil {
			return nil, s.listError(ctx, lr, err)
		}
		return finishList(s, lr, page, export.Events)
	})

	register(api, s, huma.Operation{
		OperationID: "getEvent",
		Method:      http.MethodGet,
		Path:        "/v1/events/{id}",
		Tags:        []string{"Events"},
		Summary:     "Get an event",
		Description: "One event by id. A withdrawn event is still returned, with status withdrawn and the id that supersedes it.",
	}, itemResponse[dataset.Event]("The event.", recordHeaders), []int{404, 422}, func(ctx context.Context, in *GetEventInput) (*Response, error) {
		g, err := prepareGet(&in.GetParams, eventKind)
		if err != nil {
			return nil, err
		}
		return s.getRecord(ctx, g, store.KindEvents, dataset.Events.One, in.ID)
	})

	register(api, s, huma.Operation{
		OperationID: "listActorEvents",
		Method:      http.MethodGet,
		Path:        "/v1/actors/{id}/events",
		Tags:        []string{"Actors"},
		Summary:     "List an actor's events",
		Description: "The timeline of one actor: the events it took part in, with the same filters, formats and paging as listEvents.",
	}, listResponse[EventList]("A page of the actor's events.", pageHeaders), []int{400, 404, 406, 422}, func(ctx context.Context, in *ActorEventsInput) (*Response, error) {
		lr, err := s.prepareList(ctx, &in.ListParams, eventKind)
		if err != nil {
			return nil, err
		}
		page, err := s.store.Events(ctx, in.listQuery(lr, in.EventOrder, []string{in.ID}))
		if err != nil {
			return nil, s.listError(ctx, lr, err)
		}
		if len(page.Docs) == 0 && !lr.cursor {
			// Only an empty first page needs the actor looked up, to tell
			// an unknown actor (404) from an empty timeline: the common
			// case costs one read.
			if _, rel, err := s.store.Record(ctx, store.KindActors, page.Release.Version, in.ID); err != nil {
				return nil, s.lookupError(ctx, err, dataset.Actors.One, in.ID, rel)
			}
		}
		return finishList(s, lr, page, export.Events)
	})
}
