package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/dataset"
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

// bundleURL is where the index says a release's bundle can be downloaded:
// the published file when the deploy publishes bundles, else this server's
// download endpoint when it serves them, else nowhere ("").
func (s *Server) bundleURL(version string) string {
	switch {
	case s.bundleBase != "":
		return s.bundleBase + "/" + export.BundleName(version)
	case s.bundles != nil:
		return "/v1/releases/" + version + "/download"
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
	}}
	register(api, s, op, doc, []int{404, 422}, func(ctx context.Context, in *DownloadReleaseInput) (*Response, error) {
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
		cache := cacheCurrent
		if pinned {
			// The bundle of a version never changes; that of latest does
			// when another release becomes current.
			cache = cachePinned
		}
		if s.bundleBase != "" {
			return &Response{Status: http.StatusFound, Location: s.bundleURL(rel.Version), CacheControl: cache, DatasetRelease: rel.Version}, nil
		}
		zip, err := s.bundleBytes(ctx, rel)
		if err != nil {
			return nil, err
		}
		sum := dataset.Checksum(zip)
		r := &Response{
			Status:             http.StatusOK,
			ContentType:        mediaZip,
			ContentDisposition: fmt.Sprintf(`attachment; filename="%s"`, export.BundleName(rel.Version)),
			ETag:               `"` + sum + `"`,
			CacheControl:       cache,
			DatasetRelease:     rel.Version,
			Body:               zip,
		}
		if notModified(in.IfNoneMatch, r.ETag) {
			r.Status, r.Body, r.ContentType, r.ContentDisposition = http.StatusNotModified, nil, "", ""
		}
		return r, nil
	})
	documentRedirect(api.OpenAPI().Paths[op.Path].Get)
}

// bundleBytes returns the zip of a release from this server's bundle
// source. A zip whose checksum is not the one the store publishes for the
// release (a table loaded by a build whose bundles differ) is not served:
// the index and the download must never disagree.
func (s *Server) bundleBytes(ctx context.Context, rel store.Release) ([]byte, error) {
	if s.bundles == nil {
		return nil, huma.Error404NotFound(fmt.Sprintf("this server does not serve release bundles; the bundle of release %s is at the URL the release index gives, where there is one", rel.Version), &huma.ErrorDetail{
			Message: "no bundle served here", Location: "path.version", Value: rel.Version,
		})
	}
	zip, err := s.bundles.Bundle(ctx, rel.Version)
	if errors.Is(err, ErrNoBundle) {
		return nil, huma.Error404NotFound(fmt.Sprintf("this server has no bundle of release %s", rel.Version), &huma.ErrorDetail{
			Message: "no bundle served here", Location: "path.version", Value: rel.Version,
		})
	}
	if err != nil {
		s.log.ErrorContext(ctx, "building a bundle", slog.String("release", rel.Version), slog.Any("err", err))
		return nil, huma.Error500InternalServerError("the bundle could not be built")
	}
	if b := rel.Bundle; b != nil && b.SHA256 != dataset.Checksum(zip) {
		s.log.ErrorContext(ctx, "the bundle built here differs from the published one",
			slog.String("release", rel.Version), slog.String("published", b.SHA256), slog.String("built", dataset.Checksum(zip)))
		return nil, huma.Error404NotFound(fmt.Sprintf("this server's bundle of release %s differs from the published one (sha256 %s); it is not served", rel.Version, b.SHA256), &huma.ErrorDetail{
			Message: "bundle differs from the published one", Location: "path.version", Value: rel.Version,
		})
	}
	return zip, nil
}

// documentRedirect adds the redirect to the published bundle to the
// download's responses, with the headers it sets.
func documentRedirect(op *huma.Operation) {
	ok := op.Responses["200"]
	op.Responses["302"] = &huma.Response{
		Description: "Found: the deployment publishes its bundles on a file server; Location is the published file, the same URL as bundle.url in the release index.",
		Headers: map[string]*huma.Header{
			"Location": {
				Description: "The URL of the published zip file.",
				Schema:      &huma.Schema{Type: huma.TypeString, Format: "uri", Examples: []any{"https://d111111abcdef8.cloudfront.net/releases/jcdd-1.0.0.zip"}},
			},
			"Cache-Control":   ok.Headers["Cache-Control"],
			"Dataset-Release": ok.Headers["Dataset-Release"],
		},
	}
}
