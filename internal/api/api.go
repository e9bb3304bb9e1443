// Package api is the read-only REST API of the dataset: its operations,
// built with Huma on net/http, and their OpenAPI description. Every list
// endpoint shares one path for paging, formats, field selection and
// caching (params.go, render.go, cache.go, conditional.go); each resource
// has a file of its own with its operations. New puts the operations, the
// web pages (package pages) and the description on one mux, behind the
// HTTP middleware (package httpx); lists page with signed cursors (package
// cursor).
package api

import (
	"context"
	"log/slog"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/jcdd/jcdd/internal/api/cursor"
	"github.com/jcdd/jcdd/internal/api/httpx"
	"github.com/jcdd/jcdd/internal/api/pages"
	"github.com/jcdd/jcdd/internal/store"
)

// Config configures a Server.
type Config struct {
	// Store is where the data comes from. It may be nil when the server is
	// built only to print its OpenAPI description.
	Store store.Store
	// Logger receives one structured line per request and any failure.
	Logger *slog.Logger
	// CursorSecret signs paging cursors. Deployments set their own; the
	// default only protects against accidental damage, not forgery.
	CursorSecret []byte
	// Servers are the base URLs the OpenAPI description advertises.
	Servers []*huma.Server
	// RequestID names a request in logs and in the X-Request-Id header: the
	// Lambda request id when deployed. By default a random id.
	RequestID func(*http.Request) string
	// RequestTimeout bounds the work of one request, store calls included
	// (default DefaultRequestTimeout): a request that cannot be answered in
	// time gets a 504 problem rather than waiting on a slow dependency.
	RequestTimeout time.Duration
	// BundleBaseURL is where the deploy publishes the release bundles
	// (JCDD_BUNDLE_BASE_URL when deployed), for example
	// https://d111111abcdef8.cloudfront.net/releases: the download endpoint
	// answers 302 to <base>/jcdd-<version>.zip, and the release index links
	// there. It takes precedence over Bundles.
	BundleBaseURL string
	// Bundles serves the bundles from this process (the local server); the
	// release index then links to the download endpoint. With neither, the
	// download endpoint answers 404 and the index gives no URL.
	Bundles BundleSource
	// Pages gives the rendered landing pages (package pages). Without it,
	// a store that has them (the DynamoDB store) gives them.
	Pages pages.Source
	// ResponseCacheBytes bounds the cache of encoded answers (cache.go):
	// 0 means DefaultResponseCacheBytes; a negative value turns it off.
	ResponseCacheBytes int
}

// DefaultRequestTimeout is well inside API Gateway's 30-second integration
// timeout and the function's own timeout, so that the API, not the
// platform, answers a slow request.
const DefaultRequestTimeout = 3 * time.Second

// Server is the API: an http.Handler and its OpenAPI description.
type Server struct {
	store      store.Store
	bundleBase string
	bundles    BundleSource
	requestID  func(*http.Request) string
	timeout    time.Duration
	log        *slog.Logger
	cursors    cursor.Codec
	cache      *responseCache
	digests    sync.Map   // release version → releaseDigest
	metas      sync.Map   // release version → the JSON of its Meta
	answers    answerMemo // answers about the set of releases (render.go)
	mux        *http.ServeMux
	ops        *operations // registered with Huma when first needed (operations.go)
	api        huma.API
	handler    http.Handler
}

// DefaultServers are advertised in the OpenAPI description: the local
// server of `make run`, and the deployed API.
var DefaultServers = []*huma.Server{
	{URL: "http://127.0.0.1:8080", Description: "Local server started by make run."},
	{URL: "https://api.jcdd.example.org", Description: "Deployed API (placeholder: the URL printed by sam deploy, see the README)."},
}

// New builds the API over a store.
func New(cfg Config) *Server {
	s := &Server{
		store: cfg.Store, log: cfg.Logger, requestID: cfg.RequestID,
		bundleBase: strings.TrimRight(cfg.BundleBaseURL, "/"), bundles: cfg.Bundles,
	}
	if s.requestID == nil {
		s.requestID = httpx.RandomRequestID
	}
	if s.timeout = cfg.RequestTimeout; s.timeout <= 0 {
		s.timeout = DefaultRequestTimeout
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	secret := cfg.CursorSecret
	if len(secret) == 0 {
		secret = []byte("jcdd-cursor-v1")
	}
	s.cursors = cursor.New(secret)
	if cfg.ResponseCacheBytes == 0 {
		cfg.ResponseCacheBytes = DefaultResponseCacheBytes
	}
	s.cache = newResponseCache(cfg.ResponseCacheBytes)
	if cfg.Servers == nil {
		cfg.Servers = DefaultServers
	}
	mux := http.NewServeMux()
	s.mux = mux
	s.ops = newOperations(mux)
	s.api = humago.New(s.ops, hconfig(cfg.Servers))
	s.api.UseMiddleware((&emptyValues{api: s.api}).middleware) // params.go
	s.registerEvents(s.api)
	registerKind(s, s.api, actorOps) // kinds.go
	s.registerBudgets(s.api)
	s.registerFacets(s.api)
	registerKind(s, s.api, programOps)
	registerKind(s, s.api, sourceOps)
	s.registerReleases(s.api)
	s.registerSystem(s.api)
	serveSpec(mux, s.OpenAPI) // openapi.go
	mux.Handle("GET /docs", pages.Docs())
	src := cfg.Pages
	if ps, ok := cfg.Store.(pages.Source); ok && src == nil {
		src = ps
	}
	landing := pages.NewLanding(src, func(ctx context.Context) (string, error) { return s.resolve(ctx, "") }, s.log)
	mux.Handle("GET /{$}", landing.Handler("en")) // GET also answers HEAD
	mux.Handle("GET /ja/{$}", landing.Handler("ja"))
	s.handler = httpx.Middleware(mux, httpx.Config{Log: s.log, RequestID: s.requestID, Timeout: s.timeout})
	return s
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// OpenAPI returns the API's OpenAPI 3.1 description. The first call
// registers every operation not yet registered (operations.go).
func (s *Server) OpenAPI() *huma.OpenAPI {
	s.ops.registerAll(func() { finishSpec(s.api.OpenAPI()) })
	return s.api.OpenAPI()
}

// responseDoc documents the 200 response of an operation: what it is, its
// content, and which of Response's headers the operation sets.
type responseDoc struct {
	description string
	content     func(huma.Registry) map[string]*huma.MediaType
	headers     []string
	negotiates  bool // the format follows Accept (lists and the summary)
	// finish, if set, completes the operation's description once it is
	// registered.
	finish func(*huma.Operation)
}

// Sets of response headers, as named by Response's header tags.
var (
	// dataHeaders are set on every answer that comes from a release.
	dataHeaders = []string{"Cache-Control", "Dataset-Release", "ETag"}
	// recordHeaders are those of the answers of one release (records and
	// the budget summary), which may come gzip-coded: Vary names
	// Accept-Encoding, and Accept where the format is negotiated.
	recordHeaders  = append(slices.Clone(dataHeaders), "Vary", "Content-Encoding")
	summaryHeaders = recordHeaders
	// pageHeaders add the link to the next page and, for CSV, a file name.
	pageHeaders = append(slices.Clone(recordHeaders), "Link", "Content-Disposition", "Total-Count")
	// healthHeaders: the health check is never cached and has no ETag.
	healthHeaders = []string{"Cache-Control", "Dataset-Release"}
)

// register declares an operation that answers with an encoded Response: the
// documented 200 content, a 304 for conditional requests, and problem+json
// for the listed errors plus the failures any request can meet (a 400 for
// a malformed header or query string, a 422 for any invalid parameter, an
// oversized URL, the store failing). Huma registers it when it is first
// needed (operations.go).
func register[I any](api huma.API, s *Server, op huma.Operation, doc responseDoc, errs []int, h func(context.Context, *I) (*Response, error)) {
	s.ops.declare(strings.ToUpper(op.Method)+" "+op.Path, func() { registerNow(api, s, op, doc, errs, h) })
}

func registerNow[I any](api huma.API, s *Server, op huma.Operation, doc responseDoc, errs []int, h func(context.Context, *I) (*Response, error)) {
	op.Responses = map[string]*huma.Response{
		"200": {Description: doc.description, Content: doc.content(api.OpenAPI().Components.Schemas)},
	}
	op.Errors = append(slices.Clone(errs), http.StatusBadRequest, http.StatusRequestURITooLong, http.StatusInternalServerError,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout)
	if hasParams(reflect.TypeFor[I]()) {
		op.Errors = append(op.Errors, http.StatusUnprocessableEntity)
	}
	slices.Sort(op.Errors)
	op.Errors = slices.Compact(op.Errors)
	if cached[I]() {
		op.Middlewares = append(op.Middlewares, s.lookup(api, doc.negotiates))
		h = conditional(s, h)
	} else {
		// The lookup refuses unknown query parameters of the others.
		op.RejectUnknownQueryParameters = true
	}
	huma.Register(api, op, h)
	registered := api.OpenAPI().Paths[op.Path].Get
	documentResponses(registered, doc.headers)
	if doc.finish != nil {
		doc.finish(registered)
	}
}

// hasParams reports whether an input type declares any request parameter,
// which Huma validates (answering 422 when one is invalid).
func hasParams(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct && hasParams(f.Type) {
			return true
		}
		for _, tag := range []string{"path", "query", "header", "cookie"} {
			if f.Tag.Get(tag) != "" {
				return true
			}
		}
	}
	return false
}
