package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

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

	// release is the release that answered (set by ok), whose digest names
	// the answer (conditional.go). Huma ignores unexported fields.
	release *store.Release
}

// Cache lifetimes. A pinned release never changes; the current one changes
// when a new release is activated, which clients should notice within
// minutes.
const (
	cacheCurrent = "public, max-age=300"
	cachePinned  = "public, max-age=31536000, immutable"
)

// etagOf is a strong entity tag derived from the bytes of a representation.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

// notModified reports whether an If-None-Match header matches the entity
// tag. If-None-Match uses the weak comparison (RFC 9110, 13.1.2), so a W/
// prefix is ignored.
func notModified(ifNoneMatch, etag string) bool {
	if ifNoneMatch == "" {
		return false
	}
	for _, t := range strings.Split(ifNoneMatch, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// ok is the 200 answer of a data operation, which the shared path
// (conditional) names, validates and encodes for transfer.
func ok(body []byte, f format, rel store.Release, pinned bool) *Response {
	r := &Response{
		Status:         http.StatusOK,
		ContentType:    f.contentType(),
		CacheControl:   cacheCurrent,
		DatasetRelease: rel.Version,
		Body:           body,
		release:        &rel,
	}
	if pinned {
		r.CacheControl = cachePinned
	}
	return r
}

// respond finishes the answer of an operation outside that shared path
// (the release index, changes), whose entity tag is a hash of its bytes.
func respond(body []byte, f format, rel store.Release, pinned bool, ifNoneMatch string) *Response {
	r := ok(body, f, rel, pinned)
	r.ETag = etagOf(body)
	if notModified(ifNoneMatch, r.ETag) {
		r.Status, r.Body, r.ContentType = http.StatusNotModified, nil, ""
	}
	return r
}

// jsonFields is the list of top-level fields to keep, or nil for all.
type jsonFields = store.Keep

// marshalItem encodes one record, keeping only the selected top-level fields
// (in the record's own order) when a selection is given.
func marshalItem(v any, keep jsonFields) ([]byte, error) {
	bodiesBuilt.Add(1)
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

// encodeDocs writes a page of pre-encoded records (see store.Doc) in the
// chosen format: the JSON envelope, NDJSON or CSV. It only concatenates:
// cols are the CSV columns to write (nil for all) and header their header
// row; meta is the encoded Meta of the release.
func encodeDocs(docs []store.Doc, f format, keep jsonFields, cols []int, header []byte, nextCursor string, meta []byte) []byte {
	bodiesBuilt.Add(1)
	// The exact size of a body with every field (a selection is smaller):
	// one allocation, no growth.
	size := 64 + len(meta) + len(nextCursor) + len(header) + len(export.UTF8BOM)
	for i := range docs {
		if f == formatCSV || f == formatCSVExcel {
			size += len(docs[i].CSV) + 2
		} else {
			size += len(docs[i].JSON) + 1
		}
	}
	buf := make([]byte, 0, size)
	switch f {
	case formatCSV, formatCSVExcel:
		if f == formatCSVExcel {
			buf = append(buf, export.UTF8BOM...)
		}
		buf = append(buf, header...)
		buf = append(buf, '\r', '\n')
		for i := range docs {
			buf = docs[i].AppendCSV(buf, cols)
			buf = append(buf, '\r', '\n')
		}
	case formatNDJSON:
		for i := range docs {
			buf = docs[i].AppendJSON(buf, keep)
			buf = append(buf, '\n')
		}
	default:
		buf = append(buf, `{"items":[`...)
		for i := range docs {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = docs[i].AppendJSON(buf, keep)
		}
		buf = append(buf, ']')
		if nextCursor != "" {
			// Cursors are base64url with one dot: nothing to escape.
			buf = append(buf, `,"next_cursor":"`...)
			buf = append(buf, nextCursor...)
			buf = append(buf, '"')
		}
		buf = append(buf, `,"meta":`...)
		buf = append(buf, meta...)
		buf = append(buf, '}')
	}
	return buf
}

// csvColumns returns the indexes of the columns of table that come from
// fields, in table order, and their header row; nil indexes for every column.
func csvColumns[T any](table export.Table[T], fields []string) ([]int, []byte) {
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
