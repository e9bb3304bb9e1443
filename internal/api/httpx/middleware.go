package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// Request limits: real request targets are a few hundred bytes with a few
// parameters; these bounds stop work on absurd ones before any parsing.
const (
	MaxURLLength   = 4096
	maxQueryValues = 64
)

// Config is what the middleware needs of the server it wraps.
type Config struct {
	// Log receives one line per request, and the stack of a panic.
	Log *slog.Logger
	// RequestID names a request in the log and in the X-Request-Id header
	// (RandomRequestID when the platform gives no id).
	RequestID func(*http.Request) string
	// Timeout bounds each request's work.
	Timeout time.Duration
}

// chain is the middleware of one server.
type chain Config

// Middleware wraps the mux with what every response needs, outermost first:
// panic recovery, one log line per request, security and CORS headers, and
// problem+json for requests that match no route.
func Middleware(mux *http.ServeMux, cfg Config) http.Handler {
	s := (*chain)(&cfg)
	return s.recoverPanics(s.logRequests(securityHeaders(cors(joinListHeaders(s.deadline(routeErrors(mux)))))))
}

// deadline bounds each request's work by the server's timeout.
func (s *chain) deadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.Timeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// listHeaders are request headers whose value is a comma-separated list.
// Some proxies (the Lambda adapter among them) split such a header into
// several fields; readers that take the first field would then see only part
// of it, so the fields are joined back into one.
var listHeaders = []string{"Accept", "If-None-Match"}

func joinListHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, h := range listHeaders {
			if vs := r.Header.Values(h); len(vs) > 1 {
				r.Header.Set(h, strings.Join(vs, ", "))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// WriteProblem writes an RFC 9457 problem, for errors raised outside Huma.
func WriteProblem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(&huma.ErrorModel{Title: http.StatusText(status), Status: status, Detail: detail})
}

// WriteProblemErrors writes a problem that lists what is wrong where.
func WriteProblemErrors(w http.ResponseWriter, status int, detail string, errs ...*huma.ErrorDetail) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(&huma.ErrorModel{Title: http.StatusText(status), Status: status, Detail: detail, Errors: errs})
}

// badHeaders lists the request headers whose name or value holds bytes that
// HTTP does not allow (RFC 9110 section 5: a name is a token; a value holds
// no control character but tab). net/http's own server refuses such a
// request before any handler runs, but other front ends (the Lambda
// adapter, behind API Gateway) pass them on: the API answers them with a
// 400 problem rather than reading a header it cannot trust.
func badHeaders(h http.Header) []*huma.ErrorDetail {
	var out []*huma.ErrorDetail
	for name, values := range h {
		if !validHeaderName(name) {
			out = append(out, &huma.ErrorDetail{Message: "the header name holds characters that HTTP does not allow", Location: "header." + strings.ToValidUTF8(name, "?")})
			continue
		}
		for _, v := range values {
			if !validHeaderValue(v) {
				out = append(out, &huma.ErrorDetail{Message: "the header value holds control characters, which HTTP does not allow", Location: "header." + name})
				break
			}
		}
	}
	slices.SortFunc(out, func(a, b *huma.ErrorDetail) int { return strings.Compare(a.Location, b.Location) })
	return out
}

func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// routeErrors answers requests that no operation matches with a problem
// instead of ServeMux's plain-text 404 and 405, and rejects malformed
// headers and query strings and oversized URLs.
func routeErrors(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if errs := badHeaders(r.Header); len(errs) > 0 {
			WriteProblemErrors(w, http.StatusBadRequest, "the request has a malformed header; send header names and values without control characters", errs...)
			return
		}
		if err := queryError(r.URL.RawQuery); err != nil {
			// Parsers of the query skip a malformed pair silently: the
			// request would be answered as if that parameter were absent.
			WriteProblemErrors(w, http.StatusBadRequest, "the query string is malformed; percent-encode reserved characters and separate parameters with &",
				&huma.ErrorDetail{Message: err.Error(), Location: "query"})
			return
		}
		if len(r.URL.RequestURI()) > MaxURLLength {
			WriteProblem(w, http.StatusRequestURITooLong, fmt.Sprintf("the request target is longer than %d bytes", MaxURLLength))
			return
		}
		if n := strings.Count(r.URL.RawQuery, "&") + 1; r.URL.RawQuery != "" && n > maxQueryValues {
			WriteProblem(w, http.StatusUnprocessableEntity, fmt.Sprintf("the query has %d parameters; at most %d are accepted", n, maxQueryValues))
			return
		}
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		if routeExists(mux, r) {
			w.Header().Set("Allow", "GET, HEAD, OPTIONS")
			WriteProblem(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s is not allowed here: this API is read-only and answers GET, HEAD and OPTIONS", r.Method))
			return
		}
		WriteProblem(w, http.StatusNotFound, fmt.Sprintf("no resource at %s; the API is described at /openapi.json and /docs", r.URL.Path))
	})
}

// queryError is the error url.ParseQuery finds in a query string, if any.
// A query it accepts (no semicolon, every percent sign starting an escape of
// two hex digits, as the API's own links and every client write them) is
// recognised without parsing it into a map, which every request would
// otherwise pay for on top of the operation's own parse.
func queryError(raw string) error {
	if wellFormedQuery(raw) {
		return nil
	}
	_, err := url.ParseQuery(raw)
	return err
}

func wellFormedQuery(raw string) bool {
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case ';':
			return false
		case '%':
			if i+2 >= len(raw) || !isHex(raw[i+1]) || !isHex(raw[i+2]) {
				return false
			}
			i += 2
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// routeExists reports whether a GET to the same path would match a route.
func routeExists(mux *http.ServeMux, r *http.Request) bool {
	probe := r.Clone(r.Context())
	probe.Method = http.MethodGet
	_, pattern := mux.Handler(probe)
	return pattern != ""
}

// cors allows any origin to read the API: it is public and read-only, and
// carries no credentials. Preflight requests are answered here.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "ETag, Link, Dataset-Release, Retry-After, Content-Disposition, Total-Count")
		if r.Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Accept, If-None-Match, Cache-Control")
			h.Set("Access-Control-Max-Age", "86400")
			h.Set("Allow", "GET, HEAD, OPTIONS")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// securityHeaders are set on every response. Pages (text/html) get their
// own Content-Security-Policy from their handler; everything else is data
// that must never be rendered as a page.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status written, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

// Write passes a body on. An empty write (Huma makes one for a 304) is
// dropped: some writers, the Lambda adapter's among them, would otherwise
// sniff a Content-Type for the empty body.
func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	if len(b) == 0 {
		return 0, nil
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// RequestIDHeader carries the request id back to the client, so that a
// report of a failure can be matched with the log.
const RequestIDHeader = "X-Request-Id"

// RandomRequestID identifies a request when the platform gives no id.
func RandomRequestID(*http.Request) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *chain) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := s.RequestID(r)
		w.Header().Set(RequestIDHeader, id)
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		s.Log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("request_id", id),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Int("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)),
		)
	})
}

// recoverPanics turns a panic into a 500 problem without details, and logs
// the stack once.
func (s *chain) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.ErrorContext(r.Context(), "panic", slog.Any("panic", v), slog.String("stack", strings.TrimSpace(string(debug.Stack()))))
				WriteProblem(w, http.StatusInternalServerError, "an unexpected error occurred; it has been logged")
			}
		}()
		next.ServeHTTP(w, r)
	})
}
