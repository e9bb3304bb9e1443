// Command example shows the Go SDK at work: it lists events with a filter,
// pages through them by cursor, gets one event, and asks for an event that
// does not exist to show what a 404 looks like.
//
//	make run                                  # in another terminal, from the repository root
//	cd sdk/go && go run ./example             # talks to http://127.0.0.1:8080
//	go run ./example -api http://127.0.0.1:PORT
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"time"

	jcdd "github.com/jcdd/jcdd/sdk/go"
)

func main() {
	api := flag.String("api", "http://127.0.0.1:8080", "base URL of the jcdd API")
	flag.Parse()
	if err := run(*api); err != nil {
		log.SetFlags(0)
		log.Fatal(err)
	}
}

func run(api string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	client, err := jcdd.NewClientWithResponses(api)
	if err != nil {
		return err
	}

	// 1. A filtered list, page by page. Repeated parameters mean OR: this is
	// ?type=briefing&type=statement&from=2020&to=2021&limit=3.
	params := &jcdd.ListEventsParams{
		Type:  []jcdd.EventType{jcdd.EventTypeBriefing, jcdd.EventTypeStatement},
		From:  new("2020"),
		To:    new("2021"),
		Limit: new(int64(3)),
	}
	pages, events := 0, 0
	for {
		resp, err := client.ListEventsWithResponse(ctx, params)
		if err != nil {
			return err // the request could not be sent or the answer not read
		}
		if err := jcdd.Check(resp); err != nil {
			return err // the API answered with problem details
		}
		pages++
		for _, e := range resp.JSON200.Items {
			events++
			fmt.Printf("%-10s %-10s %s\n", deref(e.Occurred), deref(e.Type), e.Title.En)
		}
		if resp.JSON200.NextCursor == nil {
			fmt.Printf("%d events in %d pages (release %s)\n", events, pages, resp.JSON200.Meta.Release)
			break
		}
		// Keep the filters, add the cursor: that asks for the next page.
		params.Cursor = resp.JSON200.NextCursor
	}

	// 2. One event. JSON200 is a typed *jcdd.Event.
	one, err := client.GetEventWithResponse(ctx, "nsa-discovers-intrusion", nil)
	if err != nil {
		return err
	}
	if err := jcdd.Check(one); err != nil {
		return err
	}
	e := one.JSON200
	fmt.Printf("\n%s (%s, %s)\n%s\n", e.Title.En, deref(e.Occurred), deref(e.Confidence), e.Summary.En)

	// 3. An unknown id: a 404 with problem details, typed two ways.
	missing, err := client.GetEventWithResponse(ctx, "no-such-event", nil)
	if err != nil {
		return err
	}
	if p := missing.ApplicationProblemJSON404; p != nil { // the generated, typed field
		fmt.Printf("\n404 problem: title=%q detail=%q\n", p.Title, deref(p.Detail))
	}
	var problem *jcdd.Problem // or as a Go error
	if err := jcdd.Check(missing); errors.As(err, &problem) && problem.StatusCode == http.StatusNotFound {
		fmt.Println("as an error:", err)
	} else {
		return fmt.Errorf("expected a 404, got %d", missing.StatusCode())
	}
	return nil
}

// deref returns the value of an optional field, or its zero value when the
// API left it out (fields= can leave out any field but id).
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
