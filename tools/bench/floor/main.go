// Command floor is a bare AWS Lambda function for API Gateway HTTP API
// (payload 2.0) events: the floors that tools/bench holds the API's own
// bootstrap to, warm, under the runtime interface emulator. It is built
// like the API's bootstrap (-tags lambda.norpc, CGO_ENABLED=0) and is never
// deployed.
//
// JCDD_FLOOR selects what it does with every invocation:
//
//	response  answer with the response in the JSON file JCDD_FLOOR_RESPONSE
//	          (an events.APIGatewayV2HTTPResponse: the API's own answer to
//	          the request, captured once): the cost of aws-lambda-go alone
//	store     make the DynamoDB read(s) the API makes for GET /v1/events
//	          with from= and limit= — the project's DynamoDB store, its
//	          Events list over the table JCDD_TABLE at
//	          AWS_ENDPOINT_URL_DYNAMODB — and answer with the records' JSON
//	          as read, concatenated (only the members fields= names, with
//	          the store's own selection, so that it answers no more bytes
//	          than the API): the cost of the store's read path without
//	          Huma, the API's middleware and the HTTP adapter
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
)

// Headers of the store floor's answers: how many records it read, so that
// the caller can check that it read the page the API answered, and how long
// the store's read took (µs), so that the caller can tell it from the rest
// of the invocation.
const (
	ItemsHeader = "Floor-Items"
	ReadHeader  = "Floor-Read-Us"
)

type handler func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

func main() {
	h, err := newHandler(os.Getenv("JCDD_FLOOR"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	lambda.Start(h)
}

func newHandler(mode string) (handler, error) {
	switch mode {
	case "response":
		return responseHandler(os.Getenv("JCDD_FLOOR_RESPONSE"))
	case "store":
		table := os.Getenv("JCDD_TABLE")
		if table == "" {
			return nil, errors.New("JCDD_TABLE is not set")
		}
		c, err := dynamo.NewEnvClient(os.Getenv("AWS_ENDPOINT_URL_DYNAMODB"), dynamo.ReadPolicy)
		if err != nil {
			return nil, fmt.Errorf("building the DynamoDB client: %w", err)
		}
		return storeHandler(dynamo.New(c, table)), nil
	default:
		return nil, fmt.Errorf("JCDD_FLOOR=%q: want response or store", mode)
	}
}

// responseHandler answers every invocation with the response in a file.
func responseHandler(path string) (handler, error) {
	if path == "" {
		return nil, errors.New("JCDD_FLOOR_RESPONSE is not set")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the response: %w", err)
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(b, &resp); err != nil {
		return nil, fmt.Errorf("decoding the response in %s: %w", path, err)
	}
	return func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return resp, nil
	}, nil
}

// storeHandler reads the page of events that the request asks for.
func storeHandler(s store.Store) handler {
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		q, keep, err := eventQuery(ev.RawQueryString)
		if err != nil {
			return answer(400, err.Error(), 0), nil
		}
		start := time.Now()
		p, err := s.Events(ctx, q)
		read := time.Since(start)
		if err != nil {
			return answer(500, err.Error(), 0), nil
		}
		n := 0
		for _, d := range p.Docs {
			n += len(d.JSON)
		}
		body := make([]byte, 0, n)
		for i := range p.Docs {
			body = p.Docs[i].AppendJSON(body, keep)
		}
		resp := answer(200, string(body), len(p.Docs))
		resp.Headers[ReadHeader] = strconv.FormatInt(read.Microseconds(), 10)
		return resp, nil
	}
}

func answer(status int, body string, items int) events.APIGatewayV2HTTPResponse {
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/octet-stream", ItemsHeader: strconv.Itoa(items)},
		Body:       body,
	}
}

// eventQuery is the store query the API makes for GET /v1/events with the
// from= and limit= of a query string — active events of the current
// release that overlap from onwards, oldest first — and the members that
// its fields= selects (nil: all), which read nothing more.
func eventQuery(raw string) (store.EventQuery, store.Keep, error) {
	v, err := url.ParseQuery(raw)
	if err != nil {
		return store.EventQuery{}, nil, fmt.Errorf("query string: %w", err)
	}
	q := store.EventQuery{Status: store.StatusActive, Page: store.PageRequest{Limit: store.DefaultLimit, DocsOnly: true}}
	if s := v.Get("limit"); s != "" {
		if q.Page.Limit, err = strconv.Atoi(s); err != nil || q.Page.Limit < 1 || q.Page.Limit > store.MaxLimit {
			return q, nil, fmt.Errorf("limit %q: want 1..%d", s, store.MaxLimit)
		}
	}
	if from := v.Get("from"); from != "" {
		// As the API: an open end is the end of year 9999.
		sp, err := dataset.SpanOf(from, "9999")
		if err != nil {
			return q, nil, fmt.Errorf("from %q: %w", from, err)
		}
		q.Range = &sp
	}
	var keep store.Keep
	if f := v.Get("fields"); f != "" {
		keep = store.Keep{"id": true} // as the API, which always keeps the id
		for _, name := range strings.Split(f, ",") {
			keep[name] = true
		}
	}
	return q, keep, nil
}
