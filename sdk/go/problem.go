package jcdd

// This file is written by hand; jcdd.gen.go is generated (make sdk).

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"
)

// Problem is an error answer of the API: its HTTP status and its RFC 9457
// problem details (title, detail and, for invalid parameters, errors with
// the location of each one, such as query.limit or path.id).
//
// The generated XxxResponse types already carry the problem details of each
// documented status in a typed field (ApplicationProblemJSON404, …); Check
// turns any of them into an ordinary Go error.
type Problem struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int
	ErrorModel
}

// Error reads like "jcdd: 404 Not Found: no event with id "x" in release 1.0.0".
func (p *Problem) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "jcdd: %d", p.StatusCode)
	if p.Title != "" {
		b.WriteString(" " + p.Title)
	}
	if p.Detail != nil && *p.Detail != "" {
		b.WriteString(": " + *p.Detail)
	}
	for _, e := range p.Errors {
		b.WriteString("; ")
		if e.Location != "" {
			b.WriteString(e.Location + ": ")
		}
		b.WriteString(e.Message)
	}
	return b.String()
}

// Response is what every generated XxxResponse type has.
type Response interface {
	StatusCode() int
	ContentType() string
	GetBody() []byte
}

// Check returns nil when resp is a success (2xx, or 304 Not Modified after
// If-None-Match), and otherwise a *Problem. When the body is not problem
// details (a proxy's HTML error page, say), the Problem has the status and
// its standard text as title.
func Check(resp Response) error {
	code := resp.StatusCode()
	if code >= 200 && code < 300 || code == http.StatusNotModified {
		return nil
	}
	p := &Problem{StatusCode: code}
	if mt, _, err := mime.ParseMediaType(resp.ContentType()); err == nil && strings.HasSuffix(mt, "json") {
		_ = json.Unmarshal(resp.GetBody(), &p.ErrorModel) // best effort: the status alone is still an error
	}
	if p.Title == "" {
		p.Title = http.StatusText(code)
	}
	if p.Status == 0 {
		p.Status = int64(code)
	}
	return p
}
