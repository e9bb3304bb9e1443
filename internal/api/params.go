package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api/cursor"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// request captures what handlers need from the HTTP request beyond the
// declared parameters. Huma fills it through Resolve, before the handler
// runs.
type request struct {
	accept string
	url    url.URL
}

func (r *request) capture(ctx huma.Context) {
	r.accept = ctx.Header("Accept")
	r.url = ctx.URL()
}

// ReleaseParam pins a published release.
type ReleaseParam struct {
	Release string `query:"release" maxLength:"32" pattern:"^(latest|[0-9]+\\.[0-9]+\\.[0-9]+(-dev)?)$" doc:"Serve this published release instead of the current one (latest is the current one). A pinned response never changes and is cached for a year." example:"1.0.0"`
}

// pinned reports whether a specific release was asked for.
func (p ReleaseParam) version() (string, bool) {
	if p.Release == "" || p.Release == "latest" {
		return "", false
	}
	return p.Release, true
}

// ConditionalParam is the validator a client sends back to revalidate.
type ConditionalParam struct {
	IfNoneMatch string `header:"If-None-Match" maxLength:"1024" doc:"An ETag from an earlier response; the answer is 304 Not Modified, with no body, if the representation still has that ETag." example:"\"kB9v3qXq1m2Yw0c8T1h7vQ2f\""`
}

// FormatParam selects the representation of a list.
//
// Input types that embed it call capture from their own Resolve method.
// (Huma calls only the outermost Resolve of an input: a Resolve on an
// embedded struct would be shadowed by any other one, so each input type
// has exactly one, which runs every check it needs.)
type FormatParam struct {
	Format string `query:"format" enum:"json,csv,csv-excel,ndjson" doc:"Representation, instead of the Accept header: json (default), csv, csv-excel (CSV with a UTF-8 byte order mark, for Excel) or ndjson (one JSON object per line)." example:"csv"`
	req    request
}

// ListParams are the parameters every list endpoint shares.
type ListParams struct {
	ReleaseParam
	ConditionalParam
	FormatParam
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Items per page, 1 to 500." example:"50"`
	Cursor string `query:"cursor" maxLength:"1024" doc:"Where to continue: the next_cursor of the previous page (also in its Link header). Opaque; keep the other filter parameters unchanged while paging."`
	Fields string `query:"fields" maxLength:"512" pattern:"^[a-z_]+(,[a-z_]+)*$" doc:"Comma-separated top-level fields to return (id is always included). In CSV, selects the columns that come from those fields." example:"id,title,occurred"`
	Status string `query:"status" enum:"active,withdrawn,all" default:"active" doc:"Which records to list: active ones, withdrawn tombstones, or all." example:"active"`
}

// cursorRelease is the release a valid cursor continues (see
// cursorCarrier): the release a request that carries it asks for. An
// invalid cursor names none; the handler reports it.
func (p *ListParams) cursorRelease(c *cursor.Codec) (string, bool) {
	if p.Cursor == "" {
		return "", false
	}
	var buf [8]cursor.Param
	rel, _, _, err := c.Decode(p.Cursor, cursor.Fingerprint(p.req.url.Path, parseQuery(p.req.url.RawQuery, buf[:0])))
	if err != nil {
		return "", false
	}
	return rel, true
}

// GetParams are the parameters of endpoints that return one record.
type GetParams struct {
	ReleaseParam
	ConditionalParam
	Fields string `query:"fields" maxLength:"512" pattern:"^[a-z_]+(,[a-z_]+)*$" doc:"Comma-separated top-level fields to return (id is always included)." example:"id,title"`
}

// listRequest is the common part of a list request, checked.
type listRequest struct {
	release string // the version asked for by release= or a cursor; "" for the current one
	pinned  bool
	page    store.PageRequest
	format  format
	keep    jsonFields
	fields  []string
	fp      string
	status  store.Status
	cursor  bool // the page continues a cursor
	url     url.URL
	query   []cursor.Param // of url, parsed once (parseQuery)
	inm     string
	// queryBuf holds query when it is short, as most are.
	queryBuf [8]cursor.Param
}

// kindInfo is what the shared paths need to know about a record kind.
type kindInfo struct {
	name   string          // plural, as in the path: "events"
	schema string          // the name of its schema in the OpenAPI description: "Event"
	fields map[string]bool // top-level JSON fields
	// listFields and oneFields are the examples of fields= on its lists and
	// on one record: fields that the kind has, so that the examples work.
	listFields, oneFields string
}

// kindOf is newKind for a kind of the dataset.
func kindOf[T any](k *dataset.Kind[T], listFields, oneFields string) kindInfo {
	return newKind(k.Name, reflect.TypeFor[T](), listFields, oneFields)
}

func newKind(name string, t reflect.Type, listFields, oneFields string) kindInfo {
	k := kindInfo{name: name, schema: t.Name(), fields: jsonFieldNames(t), listFields: listFields, oneFields: oneFields}
	for _, ex := range []string{listFields, oneFields} {
		if _, _, err := parseFields(ex, k); err != nil {
			panic(fmt.Sprintf("api: the fields example %q of %s names a field they do not have", ex, name))
		}
	}
	return k
}

// jsonFieldNames lists the top-level JSON field names of a struct type,
// including those of embedded structs.
func jsonFieldNames(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			for k := range jsonFieldNames(f.Type) {
				out[k] = true
			}
			continue
		}
		if name := strings.Split(f.Tag.Get("json"), ",")[0]; name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}

var (
	eventKind   = kindOf(dataset.Events, "id,title,occurred", "id,title")
	actorKind   = kindOf(dataset.Actors, "id,name,kind", "id,name")
	budgetKind  = kindOf(dataset.Budgets, "id,fiscal_year,amount_jpy", "id,title,amount_jpy")
	programKind = kindOf(dataset.Programs, "id,name,state", "id,name")
	sourceKind  = kindOf(dataset.Sources, "id,title,publisher", "id,title")

	// kinds are the record kinds that fields= applies to.
	kinds = []kindInfo{eventKind, actorKind, budgetKind, programKind, sourceKind}
)

// parseFields checks a fields parameter against a kind's fields.
func parseFields(param string, k kindInfo) (jsonFields, []string, error) {
	if param == "" {
		return nil, nil, nil
	}
	keep := jsonFields{"id": true}
	fields := []string{"id"}
	for _, f := range strings.Split(param, ",") {
		if !k.fields[f] {
			names := make([]string, 0, len(k.fields))
			for n := range k.fields {
				names = append(names, n)
			}
			sort.Strings(names)
			return nil, nil, huma.Error422UnprocessableEntity("unknown field in fields", &huma.ErrorDetail{
				Message:  fmt.Sprintf("%s have no field %q; fields are %s", k.name, f, strings.Join(names, ", ")),
				Location: "query.fields", Value: param,
			})
		}
		if !keep[f] {
			keep[f] = true
			fields = append(fields, f)
		}
	}
	return keep, fields, nil
}

// prepareList checks the shared list parameters and resolves the release
// every read of the request will use.
func (s *Server) prepareList(ctx context.Context, p *ListParams, k kindInfo) (*listRequest, error) {
	f, err := negotiate(p.Format, p.req.accept)
	if err != nil {
		return nil, err
	}
	keep, fields, err := parseFields(p.Fields, k)
	if err != nil {
		return nil, err
	}
	lr := &listRequest{
		format: f, keep: keep, fields: fields, status: statusOf(p.Status),
		url: p.req.url, inm: p.IfNoneMatch,
		page: store.PageRequest{Limit: p.Limit, DocsOnly: true},
	}
	if ex, ok := ctx.Value(exchangeKey{}).(*exchange); ok {
		lr.query = ex.query
	} else {
		lr.query = parseQuery(p.req.url.RawQuery, lr.queryBuf[:0])
	}
	lr.fp = cursor.Fingerprint(p.req.url.Path, lr.query)
	lr.release, lr.pinned = p.version()
	fromCursor := false
	if p.Cursor != "" {
		rel, pos, total, err := s.cursors.Decode(p.Cursor, lr.fp)
		if err != nil {
			return nil, huma.Error400BadRequest("invalid cursor", &huma.ErrorDetail{Message: err.Error(), Location: "query.cursor", Value: p.Cursor})
		}
		if lr.pinned && rel != lr.release {
			return nil, huma.Error400BadRequest("invalid cursor", &huma.ErrorDetail{
				Message:  fmt.Sprintf("the cursor continues release %s, but release=%s was asked for; drop one of them", rel, lr.release),
				Location: "query.cursor", Value: p.Cursor,
			})
		}
		lr.release, lr.pinned, fromCursor = rel, true, true
		lr.page.After, lr.page.Total = &pos, total
	}
	lr.cursor = fromCursor
	return lr, nil
}

// listError maps the error of a list query. The store resolves the release
// (the current one unless pinned) in the same call that reads the page, so
// an unknown release is found out here: from a cursor it means the cursor
// outlived its release.
func (s *Server) listError(ctx context.Context, lr *listRequest, err error) error {
	if lr.cursor && errors.Is(err, store.ErrUnknownRelease) {
		return huma.Error400BadRequest("stale cursor", &huma.ErrorDetail{
			Message:  fmt.Sprintf("the cursor continues release %s, which is no longer served; start again from the first page", lr.release),
			Location: "query.cursor",
		})
	}
	return s.storeError(ctx, err)
}

// finishList encodes one page of a list and its paging headers.
func finishList[T any](s *Server, lr *listRequest, page store.Page[T], table export.Table[T]) (*Response, error) {
	var total *int
	if page.Counted {
		total = &page.Total
	}
	next := ""
	if page.Next != nil {
		// The cursor carries the release that answered, so that the next
		// pages come from it even after another release becomes current,
		// and the total, so that they can repeat it.
		next = s.cursors.Encode(page.Release.Version, lr.fp, *page.Next, total)
	}
	var cols []int
	var header []byte
	if lr.format == formatCSV || lr.format == formatCSVExcel {
		cols, header = csvColumns(table, lr.fields)
	}
	body := encodeDocs(page.Docs, page.Run, lr.format, lr.keep, cols, header, next, s.metaJSON(page.Release), total, true)
	r := okPieces(body, lr.format, page.Release, lr.pinned)
	if total != nil {
		r.TotalCount = strconv.Itoa(*total)
	}
	if next != "" {
		r.Link = nextLink(lr.url.Path, lr.query, next)
	}
	if lr.format == formatCSV || lr.format == formatCSVExcel {
		r.ContentDisposition = `attachment; filename="jcdd-` + page.Release.Version + "-" + string(fileStem(lr.url.Path, make([]byte, 0, 64))) + `.csv"`
	}
	return r, nil
}

// fileStem is the name a list's CSV is saved under, from the list's path,
// appended to buf: the path without /v1/, its slashes made dashes
// (/v1/actors/us-nsa/events: actors-us-nsa-events).
func fileStem(path string, buf []byte) []byte {
	buf = append(buf, path...)
	for i, c := range buf {
		if c == '/' {
			buf[i] = '-'
		}
	}
	return bytes.TrimPrefix(buf, []byte("-v1-"))
}

// nextLink is the Link header of a page whose next page starts at cursor:
// the request's path and query (params, sorted by name) with that cursor,
// the query encoded as url.Values.Encode encodes it (names sorted, values
// escaped).
func nextLink(path string, params []cursor.Param, next string) string {
	var b strings.Builder
	b.Grow(len(path) + 2*len(next) + 64)
	b.WriteByte('<')
	b.WriteString(path)
	b.WriteByte('?')
	first, done := true, false
	param := func(name, value string) {
		if !first {
			b.WriteByte('&')
		}
		first = false
		b.WriteString(url.QueryEscape(name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(value))
	}
	for _, p := range params {
		if !done && p.Name >= "cursor" {
			param("cursor", next)
			done = true
		}
		if p.Name != "cursor" {
			param(p.Name, p.Value)
		}
	}
	if !done {
		param("cursor", next)
	}
	b.WriteString(`>; rel="next"`)
	return b.String()
}

// maxParsedParams bounds the parameters that parseQuery reads itself; a
// query with more is left to url.ParseQuery, which limits their number.
const maxParsedParams = 100

// parseQuery returns the parameters of a raw query, appended to buf: those
// that url.ParseQuery finds, unescaped, sorted by name, the values of one
// name in the order sent. It makes no map, unlike url.ParseQuery: a list
// request reads its query for its cursor's fingerprint and its Link
// header.
func parseQuery(raw string, buf []cursor.Param) []cursor.Param {
	if strings.Count(raw, "&") >= maxParsedParams {
		values, _ := url.ParseQuery(raw)
		for name, vs := range values {
			for _, v := range vs {
				buf = append(buf, cursor.Param{Name: name, Value: v})
			}
		}
	} else {
		for raw != "" {
			var pair string
			pair, raw, _ = strings.Cut(raw, "&")
			// As url.ParseQuery: skip empty pairs, those with a
			// semicolon and those that do not unescape.
			if pair == "" || strings.Contains(pair, ";") {
				continue
			}
			name, value, _ := strings.Cut(pair, "=")
			name, err1 := url.QueryUnescape(name)
			value, err2 := url.QueryUnescape(value)
			if err1 == nil && err2 == nil {
				buf = append(buf, cursor.Param{Name: name, Value: value})
			}
		}
	}
	slices.SortStableFunc(buf, func(a, b cursor.Param) int { return strings.Compare(a.Name, b.Name) })
	return buf
}

// getRequest is the common part of a request for one record.
type getRequest struct {
	release string
	pinned  bool
	keep    jsonFields
}

func prepareGet(p *GetParams, k kindInfo) (*getRequest, error) {
	keep, _, err := parseFields(p.Fields, k)
	if err != nil {
		return nil, err
	}
	g := &getRequest{keep: keep}
	g.release, g.pinned = p.version()
	return g, nil
}

// getRecord answers a request for one record of a kind: its document as its
// release was encoded, with only the selected fields when fields= asks.
func (s *Server) getRecord(ctx context.Context, g *getRequest, kind, what, id string) (*Response, error) {
	doc, rel, err := s.store.Record(ctx, kind, g.release, id)
	if err != nil {
		return nil, s.lookupError(ctx, err, what, id, rel)
	}
	var body []byte
	if g.keep == nil {
		body = doc.JSON
	} else {
		body = doc.AppendJSON(make([]byte, 0, len(doc.JSON)), g.keep)
	}
	return ok(body, formatJSON, rel, g.pinned), nil
}

// lookupError maps the error of a lookup by id: an unknown id is a 404.
func (s *Server) lookupError(ctx context.Context, err error, what, id string, rel store.Release) error {
	if errors.Is(err, store.ErrNotFound) {
		return huma.Error404NotFound(fmt.Sprintf("no %s with id %q in release %s", what, id, rel.Version), &huma.ErrorDetail{
			Message: "unknown id", Location: "path.id", Value: id,
		})
	}
	return s.storeError(ctx, err)
}

// storeError turns a store failure into the problem the client sees.
func (s *Server) storeError(ctx context.Context, err error) error {
	switch {
	case errors.Is(err, store.ErrUnknownRelease):
		return huma.Error422UnprocessableEntity("unknown release", &huma.ErrorDetail{
			Message: "no published release has this version; GET /v1/releases lists them", Location: "query.release",
		})
	case errors.Is(err, store.ErrBadPosition):
		return huma.Error400BadRequest("invalid cursor", &huma.ErrorDetail{Message: err.Error(), Location: "query.cursor"})
	case errors.Is(err, context.DeadlineExceeded):
		s.log.ErrorContext(ctx, "store deadline exceeded", slog.Any("err", err))
		return huma.Error504GatewayTimeout("the data store did not answer in time; retry shortly")
	default:
		s.log.ErrorContext(ctx, "store failure", slog.Any("err", err))
		return huma.ErrorWithHeaders(huma.Error503ServiceUnavailable("the data store is unavailable; retry shortly"),
			http.Header{"Retry-After": {"1"}})
	}
}

// statusOf converts the status parameter.
func statusOf(s string) store.Status {
	if slices.Contains([]string{"withdrawn", "all"}, s) {
		return store.Status(s)
	}
	return store.StatusActive
}

// emptyValues refuses an empty value (?release=, ?type=) for a query
// parameter that an empty value cannot satisfy: one with an enum, a
// pattern, a number type or a minimum length. Huma reads an empty value as
// an absent parameter, which would answer as if it were not given; the
// description says otherwise (allowEmptyValue is false by default), and an
// empty value is nearly always a client's bug (a variable that was not set).
// Which parameters are constrained is read from each operation's own
// description, so that a new parameter is covered without a list to keep.
type emptyValues struct {
	api         huma.API
	constrained sync.Map // *huma.Operation → []string, its constrained query parameters
}

func (e *emptyValues) middleware(ctx huma.Context, next func(huma.Context)) {
	op, u := ctx.Operation(), ctx.URL()
	if op == nil || !hasEmptyValue(u.RawQuery) {
		next(ctx)
		return
	}
	names, ok := e.constrained.Load(op)
	if !ok {
		names, _ = e.constrained.LoadOrStore(op, constrainedParams(e.api.OpenAPI().Components.Schemas, op))
	}
	query := u.Query()
	var errs []error
	for _, name := range names.([]string) {
		for i, v := range query[name] {
			if v != "" {
				continue
			}
			loc := "query." + name
			if len(query[name]) > 1 {
				loc = fmt.Sprintf("query.%s[%d]", name, i)
			}
			errs = append(errs, &huma.ErrorDetail{
				Message:  "empty value: give a value or leave the parameter out",
				Location: loc, Value: v,
			})
		}
	}
	if len(errs) > 0 {
		_ = huma.WriteErr(e.api, ctx, http.StatusUnprocessableEntity, "validation failed", errs...)
		return
	}
	next(ctx)
}

// hasEmptyValue reports whether a query string has a parameter with an
// empty value ("a=" or "a"), without parsing it: nearly no request has one.
func hasEmptyValue(raw string) bool {
	for raw != "" {
		pair, rest, _ := strings.Cut(raw, "&")
		if pair != "" && (pair[len(pair)-1] == '=' || !strings.Contains(pair, "=")) {
			return true
		}
		raw = rest
	}
	return false
}

// constrainedParams lists the query parameters of an operation that an
// empty value does not satisfy, unless the description allows it.
func constrainedParams(reg huma.Registry, op *huma.Operation) []string {
	var out []string
	for _, p := range op.Parameters {
		if p.In != "query" || p.AllowEmptyValue || p.Schema == nil {
			continue
		}
		s := p.Schema
		if s.Type == huma.TypeArray && s.Items != nil {
			s = s.Items
		}
		res := &huma.ValidateResult{}
		huma.Validate(reg, s, huma.NewPathBuffer([]byte{}, 0), huma.ModeWriteToServer, "", res)
		if len(res.Errors) > 0 {
			out = append(out, p.Name)
		}
	}
	return out
}
