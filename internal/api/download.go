package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api/httpx"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// DownloadReleaseInput is the input of downloadRelease.
type DownloadReleaseInput struct {
	Version string `path:"version" maxLength:"32" pattern:"^(latest|[0-9]+\\.[0-9]+\\.[0-9]+(-dev)?)$" doc:"A release version, or latest for the current release." example:"1.0.0"`
	ConditionalParam
}

// mediaZip is the media type of release bundles.
const mediaZip = "application/zip"

// mediaSQLite is the media type of release databases.
const mediaSQLite = "application/vnd.sqlite3"

// download is a file a release is downloaded as: its zip bundle or its
// SQLite database. Both are served, or redirected to, the same way.
type download struct {
	what      string // for messages: "bundle" or "database"
	mediaType string
	fileName  func(version string) string
	// get reads the file from the server's bundle source.
	get func(src BundleSource, ctx context.Context, version string) ([]byte, error)
	// published is the SHA-256 the store publishes for the file, "" when
	// it describes none.
	published func(store.Release) string
}

var (
	zipDownload = download{
		what: "bundle", mediaType: mediaZip, fileName: export.BundleName,
		get: BundleSource.Bundle,
		published: func(r store.Release) string {
			if r.Bundle == nil {
				return ""
			}
			return r.Bundle.SHA256
		},
	}
	sqliteDownload = download{
		what: "database", mediaType: mediaSQLite, fileName: export.DatabaseName,
		get: BundleSource.Database,
		published: func(r store.Release) string {
			if r.Bundle == nil || r.Bundle.SQLite == nil {
				return ""
			}
			return r.Bundle.SQLite.SHA256
		},
	}
)

// bundleURL is where the index says a release's bundle can be downloaded:
// the published file when the deploy publishes bundles, else this server's
// download endpoint when it serves them, else nowhere ("").
func (s *Server) bundleURL(version string) string {
	return s.downloadURL(zipDownload, version, "/v1/releases/"+version+"/download")
}

// databaseURL is where the index says a release's database can be
// downloaded, as bundleURL says for its bundle.
func (s *Server) databaseURL(version string) string {
	return s.downloadURL(sqliteDownload, version, "/v1/releases/"+version+"/sqlite")
}

func (s *Server) downloadURL(d download, version, endpoint string) string {
	switch {
	case s.bundleBase != "":
		return s.bundleBase + "/" + d.fileName(version)
	case s.bundles != nil:
		return endpoint
	}
	return ""
}

// downloadHeaders are the headers of a served bundle.
var downloadHeaders = []string{"Cache-Control", "Content-Disposition", "Dataset-Release", "ETag"}

func (s *Server) registerDownload(api huma.API) {
	op := huma.Operation{
		OperationID: "downloadRelease",
		Method:      http.MethodGet,
		Path:        "/v1/releases/{version}/download",
		Tags:        []string{"Releases"},
		Summary:     "Download a release",
		Description: "The whole release as one zip file, jcdd-<version>.zip: one CSV file per table (UTF-8 with a byte order mark, for Excel), the same data as JSON and NDJSON, a README codebook, datapackage.json, CITATION.cff, the licence and SHA256SUMS. " +
			"A published release's zip never changes: its SHA-256 is in the release index (bundle.sha256) and is the ETag of this response. " +
			"Where the deployment publishes the bundles on a file server, the answer is a redirect (302) to the published file.",
	}
	doc := responseDoc{description: "The zip file of the release.", headers: downloadHeaders, content: func(huma.Registry) map[string]*huma.MediaType {
		return map[string]*huma.MediaType{mediaZip: {Schema: binarySchema(mediaZip,
			"The release bundle: a zip archive (binary) whose files are in one folder named after the release.")}}
	}, finish: func(op *huma.Operation) {
		documentRedirect(op,
			"Found: the deployment publishes its bundles on a file server; Location is the published file, the same URL as bundle.url in the release index.",
			"The URL of the published zip file.", "https://d111111abcdef8.cloudfront.net/releases/jcdd-1.0.0.zip")
	}}
	register(api, s, op, doc, []int{404, 422}, func(ctx context.Context, in *DownloadReleaseInput) (*Response, error) {
		return s.serveDownload(ctx, zipDownload, in)
	})

	op = huma.Operation{
		OperationID: "downloadReleaseDatabase",
		Method:      http.MethodGet,
		Path:        "/v1/releases/{version}/sqlite",
		Tags:        []string{"Releases"},
		Summary:     "Download a release as SQLite",
		Description: "The release as one SQLite database, jcdd-<version>.sqlite, built from the same tables as the zip's CSV files: primary and foreign keys, indexes on the columns the API filters by, a full-text index over titles, names and summaries in English and Japanese (table search, FTS5 with the trigram tokenizer), views for the common joins (events_with_actors, events_with_sources, budgets_with_names, programs_with_metrics, actors_with_roles) and the codebook as the tables _metadata and _release. It opens in the sqlite3 shell (3.34 or later), Datasette, DuckDB and any SQLite library. " +
			"A published release's database never changes: its SHA-256 is in the release index (sqlite.sha256) and is the ETag of this response. " +
			"Where the deployment publishes the files on a file server, the answer is a redirect (302) to the published file.",
	}
	doc = responseDoc{description: "The SQLite database of the release.", headers: downloadHeaders, content: func(huma.Registry) map[string]*huma.MediaType {
		return map[string]*huma.MediaType{mediaSQLite: {Schema: binarySchema(mediaSQLite,
			"The release database: an SQLite 3 file (binary).")}}
	}, finish: func(op *huma.Operation) {
		documentRedirect(op,
			"Found: the deployment publishes its release files on a file server; Location is the published file, the same URL as sqlite.url in the release index.",
			"The URL of the published database file.", "https://d111111abcdef8.cloudfront.net/releases/jcdd-1.0.0.sqlite")
	}}
	register(api, s, op, doc, []int{404, 422}, func(ctx context.Context, in *DownloadReleaseInput) (*Response, error) {
		return s.serveDownload(ctx, sqliteDownload, in)
	})
}

// serveDownload serves a file of a release, or redirects to the published
// one.
func (s *Server) serveDownload(ctx context.Context, d download, in *DownloadReleaseInput) (*Response, error) {
	version, pinned := in.Version, in.Version != "latest"
	if !pinned {
		version = ""
	}
	rel, err := s.store.Release(ctx, version)
	if errors.Is(err, store.ErrUnknownRelease) {
		return nil, unknownVersion(in.Version)
	}
	if err != nil {
		return nil, s.storeError(ctx, err)
	}
	cache := httpx.CacheCurrent
	if pinned {
		// The files of a version never change; those of latest do when
		// another release becomes current.
		cache = httpx.CachePinned
	}
	if s.bundleBase != "" {
		return &Response{Status: http.StatusFound, Location: s.bundleBase + "/" + d.fileName(rel.Version), CacheControl: cache, DatasetRelease: rel.Version}, nil
	}
	body, err := s.downloadBytes(ctx, d, rel)
	if err != nil {
		return nil, err
	}
	sum := dataset.Checksum(body)
	r := &Response{
		Status:             http.StatusOK,
		ContentType:        d.mediaType,
		ContentDisposition: fmt.Sprintf(`attachment; filename="%s"`, d.fileName(rel.Version)),
		ETag:               `"` + sum + `"`,
		CacheControl:       cache,
		DatasetRelease:     rel.Version,
		Body:               body,
	}
	if httpx.NotModified(in.IfNoneMatch, r.ETag) {
		r.Status, r.Body, r.ContentType, r.ContentDisposition = http.StatusNotModified, nil, "", ""
	}
	return r, nil
}

// downloadBytes returns a file of a release from this server's bundle
// source. A file whose checksum is not the one the store publishes for the
// release (a table loaded by a build whose files differ) is not served:
// the index and the download must never disagree.
func (s *Server) downloadBytes(ctx context.Context, d download, rel store.Release) ([]byte, error) {
	if s.bundles == nil {
		return nil, huma.Error404NotFound(fmt.Sprintf("this server does not serve release bundles or databases; the %s of release %s is at the URL the release index gives, where there is one", d.what, rel.Version), &huma.ErrorDetail{
			Message: "no " + d.what + " served here", Location: "path.version", Value: rel.Version,
		})
	}
	body, err := d.get(s.bundles, ctx, rel.Version)
	if errors.Is(err, ErrNoBundle) {
		return nil, huma.Error404NotFound(fmt.Sprintf("this server has no %s of release %s", d.what, rel.Version), &huma.ErrorDetail{
			Message: "no " + d.what + " served here", Location: "path.version", Value: rel.Version,
		})
	}
	if err != nil {
		s.log.ErrorContext(ctx, "building a "+d.what, slog.String("release", rel.Version), slog.Any("err", err))
		return nil, huma.Error500InternalServerError("the " + d.what + " could not be built")
	}
	if want := d.published(rel); want != "" && want != dataset.Checksum(body) {
		s.log.ErrorContext(ctx, "the "+d.what+" built here differs from the published one",
			slog.String("release", rel.Version), slog.String("published", want), slog.String("built", dataset.Checksum(body)))
		return nil, huma.Error404NotFound(fmt.Sprintf("this server's %s of release %s differs from the published one (sha256 %s); it is not served", d.what, rel.Version, want), &huma.ErrorDetail{
			Message: d.what + " differs from the published one", Location: "path.version", Value: rel.Version,
		})
	}
	return body, nil
}

// documentRedirect adds the redirect to the published file to a
// download's responses, with the headers it sets.
func documentRedirect(op *huma.Operation, description, location, example string) {
	ok := op.Responses["200"]
	op.Responses["302"] = &huma.Response{
		Description: description,
		Headers: map[string]*huma.Header{
			"Location": {
				Description: location,
				Schema:      &huma.Schema{Type: huma.TypeString, Format: "uri", Examples: []any{example}},
			},
			"Cache-Control":   ok.Headers["Cache-Control"],
			"Dataset-Release": ok.Headers["Dataset-Release"],
		},
	}
}
