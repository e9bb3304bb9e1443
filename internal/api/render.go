package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/internal/api/httpx"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// format is a response representation.
type format int

const (
	formatJSON format = iota
	formatCSV
	formatCSVExcel
	formatNDJSON
)

// Media types served.
const (
	mediaJSON   = "application/json"
	mediaCSV    = "text/csv"
	mediaNDJSON = "application/x-ndjson"
)

func (f format) contentType() string {
	switch f {
	case formatCSV, formatCSVExcel:
		return mediaCSV + "; charset=utf-8; header=present"
	case formatNDJSON:
		return mediaNDJSON
	default:
		return mediaJSON
	}
}

// negotiate picks the representation of a list: the format parameter wins;
// otherwise the most preferred type of the Accept header that is served.
//
// It does not use Huma's negotiation.SelectQValue: that compares media
// types case-sensitively (RFC 9110 makes them case-insensitive), and picks
// the first allowed type even when the header gives it q=0, which RFC 9110
// defines as "not acceptable" (SelectQValueFast reads q=0 as 1): this
// answers 406 to "Accept: application/json;q=0".
func negotiate(param, accept string) (format, error) {
	switch param {
	case "json":
		return formatJSON, nil
	case "csv":
		return formatCSV, nil
	case "csv-excel":
		return formatCSVExcel, nil
	case "ndjson":
		return formatNDJSON, nil
	}
	if strings.TrimSpace(accept) == "" {
		return formatJSON, nil
	}
	best, bestQ := formatJSON, -1.0
	for _, part := range strings.Split(accept, ",") {
		mediaType, q := parseMediaRange(part)
		var f format
		switch mediaType {
		case mediaJSON, "application/*", "*/*", "application/problem+json":
			f = formatJSON
		case mediaCSV, "text/*":
			f = formatCSV
		case mediaNDJSON, "application/ndjson", "application/jsonl":
			f = formatNDJSON
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = f, q
		}
	}
	if bestQ <= 0 {
		return 0, huma.Error406NotAcceptable(fmt.Sprintf("none of the media types in Accept (%s) is served here; ask for %s, %s or %s, or use the format parameter", accept, mediaJSON, mediaCSV, mediaNDJSON))
	}
	return best, nil
}

// parseMediaRange returns the lower-cased media type of one Accept element
// and its quality (1 when absent, 0 when unparsable).
func parseMediaRange(s string) (string, float64) {
	parts := strings.Split(s, ";")
	mediaType := strings.ToLower(strings.TrimSpace(parts[0]))
	q := 1.0
	for _, p := range parts[1:] {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				return mediaType, 0
			}
			q = f
		}
	}
	return mediaType, q
}

// Response is what every data endpoint returns: bytes already encoded, and
// the headers that describe them. Encoding in the handler (rather than
// letting Huma marshal a struct) is what lets the ETag be a hash of the
// exact bytes sent, and lets CSV and NDJSON share the path with JSON.
type Response struct {
	Status             int
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition" doc:"For CSV and release bundles: the file name to save the download as." example:"attachment; filename=\"jcdd-1.0.0-events.csv\""`
	ETag               string `header:"ETag" doc:"Strong validator of the exact bytes of this response; send it back in If-None-Match to get a 304 when nothing changed." example:"\"kB9v3qXq1m2Yw0c8T1h7vQ2f\""`
	CacheControl       string `header:"Cache-Control" doc:"How long the response may be cached: minutes for the current release; a year, immutable, when a release is pinned (release=, a cursor, or the versions of a download or of changes), since a published release never changes; never for the health check." example:"public, max-age=300"`
	DatasetRelease     string `header:"Dataset-Release" doc:"The release of the dataset the response comes from." example:"1.0.0"`
	Link               string `header:"Link" doc:"RFC 8288 link to the next page (rel=\"next\"), on lists with more pages." example:"</v1/events?cursor=eyJ2IjoxfQ.c2ln&limit=50>; rel=\"next\""`
	Vary               string `header:"Vary" doc:"The request headers that select the representation: Accept-Encoding (the content coding) and, where the format is negotiated, Accept." example:"Accept, Accept-Encoding"`
	ContentEncoding    string `header:"Content-Encoding" doc:"gzip when the request's Accept-Encoding admits it and the body is at least 1 KiB; absent otherwise (identity). The ETag differs per coding." example:"gzip"`
	TotalCount         string `header:"Total-Count" doc:"On lists: how many records match the filters across every page, as meta.total gives it in JSON (for CSV and NDJSON, which have no envelope). Absent where meta.total_exact is false." example:"12"`
	Location           string `header:"Location" doc:"Where the release bundle is published: the same URL as the bundle's url in the release index." example:"https://d111111abcdef8.cloudfront.net/releases/jcdd-1.0.0.zip"`
	Body               []byte

	// pieces is the body of a data answer before the shared path
	// (conditional) decides how to send it: in Body, or written in pieces
	// after Huma has written the headers (see exchange.send).
	pieces pieces

	// release is the release that answered (set by ok; its Version is ""
	// otherwise), whose digest names the answer (conditional.go). It is
	// held here rather than behind a pointer, which would cost every
	// answer an allocation. Huma ignores unexported fields.
	release store.Release
}

// ok is the 200 answer of a data operation, which the shared path
// (conditional) names, validates and encodes for transfer.
func ok(body []byte, f format, rel store.Release, pinned bool) *Response {
	return okPieces(pieces{body}, f, rel, pinned)
}

// okPieces is ok for a body in pieces.
func okPieces(body pieces, f format, rel store.Release, pinned bool) *Response {
	bodiesBuilt.Add(1)
	r := &Response{
		Status:         http.StatusOK,
		ContentType:    f.contentType(),
		CacheControl:   httpx.CacheCurrent,
		DatasetRelease: rel.Version,
		pieces:         body,
		release:        rel,
	}
	if pinned {
		r.CacheControl = httpx.CachePinned
	}
	return r
}

// An answer about releases rather than from one (the release index, one
// release's entry, the feed) is a function of the releases the store
// serves: each one's digest, whether it is current and its bundle. It is
// made, and named, once per such state rather than per request.

// answer is the bytes of such an answer and their entity tag.
type answer struct {
	body []byte
	etag string
}

// answerMemo keeps answers by operation and state. States change rarely (an
// activation); the memo is emptied when it grows past a few dozen.
type answerMemo struct {
	mu sync.Mutex
	m  map[string]*answer
}

// answerFor returns the answer of operation op for the releases rels,
// making it with build when that state has not been seen.
func (s *Server) answerFor(op string, rels []store.Release, build func() ([]byte, error)) (*answer, error) {
	var b strings.Builder
	b.WriteString(op)
	for i := range rels {
		r := &rels[i]
		b.WriteString("\x00" + r.Version + "\x00" + s.digestOfAnswer(r) + "\x00" + strconv.FormatBool(r.Current))
		if r.Bundle != nil {
			b.WriteString("\x00" + r.Bundle.SHA256)
		}
	}
	key := b.String()
	m := &s.answers
	m.mu.Lock()
	a := m.m[key]
	m.mu.Unlock()
	if a != nil {
		return a, nil
	}
	body, err := build()
	if err != nil {
		return nil, err
	}
	a = &answer{body: body, etag: httpx.ETag(body)}
	m.mu.Lock()
	if m.m == nil || len(m.m) >= 64 {
		m.m = map[string]*answer{}
	}
	m.m[key] = a
	m.mu.Unlock()
	return a, nil
}

// respondWith is respond for a memoised answer.
func respondWith(a *answer, f format, rel store.Release, ifNoneMatch string) *Response {
	r := ok(a.body, f, rel, false)
	r.Body, r.pieces, r.ETag = a.body, nil, a.etag
	if httpx.NotModified(ifNoneMatch, r.ETag) {
		r.Status, r.Body, r.ContentType = http.StatusNotModified, nil, ""
	}
	return r
}

// jsonFields is the list of top-level fields to keep, or nil for all.
type jsonFields = store.Keep

// marshalItem encodes one record, keeping only the selected top-level fields
// (in the record's own order) when a selection is given.
func marshalItem(v any, keep jsonFields) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || keep == nil {
		return b, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	var out bytes.Buffer
	out.WriteByte('{')
	first := true
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		if !keep[key] {
			continue
		}
		if !first {
			out.WriteByte(',')
		}
		first = false
		k, _ := json.Marshal(key)
		out.Write(k)
		out.WriteByte(':')
		out.Write(raw)
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// itemWriter appends records to a buffer as marshalItem encodes them. With
// every field kept it encodes straight into the buffer (json.Encoder writes
// what json.Marshal returns, and a newline), saving a copy and an
// allocation per record.
//
// Once the first record is written, the buffer grows to what the others
// will likely need: growing it once is cheaper than doubling it a dozen
// times for a page of large records.
type itemWriter struct {
	buf     *bytes.Buffer
	enc     *json.Encoder
	keep    jsonFields
	n, done int // records to write, and written
}

func (w *itemWriter) write(v any) error {
	start := w.buf.Len()
	if w.keep != nil {
		b, err := marshalItem(v, w.keep)
		if err != nil {
			return err
		}
		w.buf.Write(b)
	} else {
		if w.enc == nil {
			w.enc = json.NewEncoder(w.buf)
		}
		if err := w.enc.Encode(v); err != nil {
			return err
		}
		w.buf.Truncate(w.buf.Len() - 1) // the newline
	}
	if w.done++; w.done == 1 {
		w.buf.Grow((w.buf.Len()-start+2)*(w.n-1)*9/8 + 512)
	}
	return nil
}

// encodeList writes a list in the chosen format: the JSON envelope, NDJSON
// (one item per line, no envelope: paging is in the Link header) or CSV.
func encodeList[T any](items []T, f format, keep jsonFields, fields []string, table export.Table[T], nextCursor string, meta Meta) ([]byte, error) {
	var buf bytes.Buffer
	item := itemWriter{buf: &buf, keep: keep, n: len(items)}
	switch f {
	case formatCSV, formatCSVExcel:
		if err := export.WriteCSV(&buf, table.Select(fields), items, export.CSVOptions{Excel: f == formatCSVExcel}); err != nil {
			return nil, err
		}
	case formatNDJSON:
		for i := range items {
			if err := item.write(&items[i]); err != nil {
				return nil, err
			}
			buf.WriteByte('\n')
		}
	default:
		buf.WriteString(`{"items":[`)
		for i := range items {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := item.write(&items[i]); err != nil {
				return nil, err
			}
		}
		buf.WriteByte(']')
		if nextCursor != "" {
			buf.WriteString(`,"next_cursor":`)
			b, _ := json.Marshal(nextCursor)
			buf.Write(b)
		}
		buf.WriteString(`,"meta":`)
		b, err := json.Marshal(meta)
		if err != nil {
			return nil, err
		}
		buf.Write(b)
		buf.WriteByte('}')
	}
	return buf.Bytes(), nil
}

// pieces is the body of an answer as slices written one after another. A
// page of records is assembled from the bytes its release was encoded into
// (store.Doc) and the glue between them, without copying those bytes into
// one buffer: a first request costs about what writing them does.
type pieces [][]byte

// size is the length of the body.
func (p pieces) size() int {
	n := 0
	for _, b := range p {
		n += len(b)
	}
	return n
}

// join returns the body as one slice (without copying a body of one piece).
func (p pieces) join() []byte {
	if len(p) == 1 {
		return p[0]
	}
	out := make([]byte, 0, p.size())
	for _, b := range p {
		out = append(out, b...)
	}
	return out
}

// writeTo writes the body to w.
func (p pieces) writeTo(w io.Writer) error {
	for _, b := range p {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// assembler builds pieces: shared bytes are referenced (ref), and what is
// made for this answer — separators, selected fields — is appended to one
// buffer of glue (glue), which is cut into the pieces between the
// references.
type assembler struct {
	out  pieces
	buf  []byte
	from int // start in buf of the glue not yet in out
}

func newAssembler(refs, glue int) *assembler {
	return &assembler{out: make(pieces, 0, 2*refs+1), buf: make([]byte, 0, glue)}
}

// ref appends shared bytes, which are never modified.
func (a *assembler) ref(b []byte) {
	a.flush()
	if len(b) > 0 {
		a.out = append(a.out, b)
	}
}

// glue appends bytes of this answer.
func (a *assembler) glue(b string) { a.buf = append(a.buf, b...) }

// flush ends the current piece of glue. The pieces cut from buf stay valid
// when a later append moves it: they keep the old array, and no append
// writes within their bounds.
func (a *assembler) flush() {
	if len(a.buf) > a.from {
		a.out = append(a.out, a.buf[a.from:len(a.buf):len(a.buf)])
		a.from = len(a.buf)
	}
}

func (a *assembler) pieces() pieces {
	a.flush()
	return a.out
}

// utf8BOM starts CSV written for Excel.
var utf8BOM = []byte(export.UTF8BOM)

// encodeDocs writes a page of pre-encoded records (see store.Doc) in the
// chosen format: the JSON envelope, NDJSON or CSV. It only assembles: every
// record in full is its release's bytes; a selection of fields (keep, or
// cols, the CSV columns to write, nil for all) is cut from them. header is
// the CSV header row and meta the encoded Meta of the release, which a
// list (paged) gives with total, the number of records the query matches
// (nil when not counted), as its ListMeta (see appendListMetaEnd).
func encodeDocs(docs []store.Doc, run store.Run, f format, keep jsonFields, cols []int, header []byte, nextCursor string, meta []byte, total *int, paged bool) pieces {
	csv := f == formatCSV || f == formatCSVExcel
	// A page of whole records laid end to end (run) is one piece.
	wholeRun := (csv && cols == nil && run.CSV != nil) || (f == formatJSON && keep == nil && run.JSON != nil)
	// The glue: separators, and the records themselves when fields are
	// selected (at most their full size).
	glue := 64 + 2*len(docs) + len(nextCursor)
	if (csv && cols != nil) || (!csv && keep != nil) {
		for i := range docs {
			if csv {
				glue += len(docs[i].CSV)
			} else {
				glue += len(docs[i].JSON)
			}
		}
	}
	refs := len(docs)
	if wholeRun {
		refs, glue = 1, 64+len(nextCursor)
	}
	a := newAssembler(refs+2, glue)
	switch f {
	case formatCSV, formatCSVExcel:
		if f == formatCSVExcel {
			a.ref(utf8BOM)
		}
		a.ref(header)
		a.glue("\r\n")
		if wholeRun {
			a.ref(run.CSV) // each row ends with CRLF
			break
		}
		for i := range docs {
			if cols == nil {
				a.ref(docs[i].CSV)
			} else {
				a.buf = docs[i].AppendCSV(a.buf, cols)
			}
			a.glue("\r\n")
		}
	case formatNDJSON:
		for i := range docs {
			if keep == nil {
				a.ref(docs[i].JSON)
			} else {
				a.buf = docs[i].AppendJSON(a.buf, keep)
			}
			a.glue("\n")
		}
	default:
		a.glue(`{"items":[`)
		if wholeRun {
			a.ref(run.JSON) // joined by commas
			docs = nil
		}
		for i := range docs {
			if i > 0 {
				a.glue(",")
			}
			if keep == nil {
				a.ref(docs[i].JSON)
			} else {
				a.buf = docs[i].AppendJSON(a.buf, keep)
			}
		}
		a.glue("]")
		if nextCursor != "" {
			// Cursors are base64url with one dot: nothing to escape.
			a.glue(`,"next_cursor":"`)
			a.glue(nextCursor)
			a.glue(`"`)
		}
		a.glue(`,"meta":`)
		if paged {
			a.ref(meta[:len(meta)-1])
			a.buf = appendListMetaEnd(a.buf, total)
		} else {
			a.ref(meta)
		}
		a.glue("}")
	}
	return a.pieces()
}

// csvColumns returns the indexes of the columns of table that come from
// fields, in table order, and their header row; nil indexes for every column.
func csvColumns[T any](table export.Table[T], fields []string) ([]int, []byte) {
	if len(fields) == 0 && len(table) > 0 {
		// Every column: the header of a table is made once per process.
		if h, ok := fullHeaders.Load(&table[0]); ok {
			return nil, h.([]byte)
		}
		_, h := selectColumns(table, nil)
		fullHeaders.Store(&table[0], h)
		return nil, h
	}
	return selectColumns(table, fields)
}

// fullHeaders holds the header row of each table with every column, by the
// address of the table's first column (tables are package variables).
var fullHeaders sync.Map

func selectColumns[T any](table export.Table[T], fields []string) ([]int, []byte) {
	var cols []int
	names := make([]string, 0, len(table))
	for i, c := range table {
		if len(fields) > 0 && !slices.Contains(fields, c.Field) {
			continue
		}
		if len(fields) > 0 {
			cols = append(cols, i)
		}
		names = append(names, c.Name)
	}
	var b bytes.Buffer
	_ = export.WriteHeader(&b, names) // writes to a bytes.Buffer cannot fail
	return cols, bytes.TrimSuffix(b.Bytes(), []byte("\r\n"))
}

// metaJSON is the encoded Meta of a release, made once per release and
// process.
func (s *Server) metaJSON(rel store.Release) []byte {
	if b, ok := s.metas.Load(rel.Version); ok {
		return b.([]byte)
	}
	b, err := json.Marshal(metaOf(rel))
	if err != nil {
		panic(err) // Meta is strings only
	}
	s.metas.Store(rel.Version, b)
	return b
}
