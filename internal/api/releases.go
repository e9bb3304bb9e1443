package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// Release describes a published release.
type Release struct {
	Version   string         `json:"version" doc:"Semantic version." example:"1.0.0"`
	Released  string         `json:"released" doc:"Publication date." example:"2026-11-25"`
	Summary   string         `json:"summary" doc:"What the release contains or changes." example:"Adds the FY2026 draft budget lines and corrects the date of one event."`
	SummaryJA string         `json:"summary_ja,omitempty" doc:"The summary in Japanese (from release 1.2.0)." example:"2026年度政府案の予算項目を追加し、1件の出来事の日付を訂正した。"`
	Current   bool           `json:"current" doc:"Whether this is the release served by default." example:"true"`
	Counts    ReleaseCounts  `json:"counts" doc:"Number of records of each kind, tombstones included."`
	Files     []FileChecksum `json:"files" doc:"The source files of the release and their SHA-256 checksums."`
	Citation  string         `json:"citation" doc:"How to cite the release." example:"jcdd contributors. (2026). Japan Cyber Defense Dataset (jcdd) (Version 1.0.0) [Data set]. https://github.com/jcdd/jcdd"`
	Bundle    *ReleaseBundle `json:"bundle,omitempty" doc:"The whole release as one zip file (CSV, JSON and NDJSON, codebook, data package, citation, licence, checksums), with its SHA-256; absent where this server knows no bundle for the release."`
	SQLite    *ReleaseSQLite `json:"sqlite,omitempty" doc:"The release as one SQLite database (the tables of the bundle with their keys, a full-text index, views and the codebook), published beside the zip, with its SHA-256; absent where this server knows no database for the release."`
}

// ReleaseSQLite describes the SQLite database of a release.
type ReleaseSQLite struct {
	Name   string `json:"name" doc:"File name of the database." example:"jcdd-1.0.0.sqlite"`
	URL    string `json:"url,omitempty" format:"uri-reference" doc:"Where to download it: the published file when deployed, or the database endpoint of this server (a path relative to it). Absent where this server offers no download." example:"https://d111111abcdef8.cloudfront.net/releases/jcdd-1.0.0.sqlite"`
	SHA256 string `json:"sha256" pattern:"^[0-9a-f]{64}$" doc:"SHA-256 of the database file, hex-encoded: compare with the output of sha256sum. The database endpoint's ETag is this value in quotes." example:"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"`
	Size   int64  `json:"size" minimum:"1" doc:"Size of the database file in bytes." example:"2322432"`
}

// ReleaseBundle describes the download of a release.
type ReleaseBundle struct {
	Name   string `json:"name" doc:"File name of the zip; it unpacks into a folder of the same name without .zip." example:"jcdd-1.0.0.zip"`
	URL    string `json:"url,omitempty" format:"uri-reference" doc:"Where to download it: the published file when deployed, or the download endpoint of this server (a path relative to it). Absent where this server offers no download." example:"https://d111111abcdef8.cloudfront.net/releases/jcdd-1.0.0.zip"`
	SHA256 string `json:"sha256" pattern:"^[0-9a-f]{64}$" doc:"SHA-256 of the zip file, hex-encoded: compare with the output of sha256sum. The download endpoint's ETag is this value in quotes." example:"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"`
	Size   int64  `json:"size" minimum:"1" doc:"Size of the zip file in bytes." example:"366384"`
}

// ReleaseCounts are the record counts of a release.
type ReleaseCounts struct {
	Events   int `json:"events" example:"55" doc:"Events."`
	Actors   int `json:"actors" example:"70" doc:"Actors."`
	Budgets  int `json:"budgets" example:"60" doc:"Budget lines."`
	Programs int `json:"programs" example:"30" doc:"Programs."`
	Sources  int `json:"sources" example:"200" doc:"Sources."`
}

// FileChecksum is the checksum of one file of a release.
type FileChecksum struct {
	Name   string `json:"name" doc:"File name." example:"events.yaml"`
	SHA256 string `json:"sha256" pattern:"^[0-9a-f]{64}$" doc:"SHA-256 of the file, hex-encoded." example:"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"`
}

// ReleaseIndex lists the published releases.
type ReleaseIndex struct {
	Items []Release `json:"items" doc:"Every published release, newest first."`
}

// GetReleaseInput is the input of getRelease.
type GetReleaseInput struct {
	Version string `path:"version" maxLength:"32" pattern:"^(latest|[0-9]+\\.[0-9]+\\.[0-9]+(-dev)?)$" doc:"A release version, or latest for the current release." example:"latest"`
	ConditionalParam
}

// ListReleasesInput is the input of listReleases.
type ListReleasesInput struct {
	ConditionalParam
}

func (s *Server) releaseOf(r store.Release) Release {
	out := Release{Version: r.Version, Released: r.Released, Summary: r.Summary, SummaryJA: r.SummaryJA, Current: r.Current, Citation: export.CitationAPA(r.ReleaseInfo)}
	if b := r.Bundle; b != nil {
		out.Bundle = &ReleaseBundle{Name: b.Name, URL: s.bundleURL(r.Version), SHA256: b.SHA256, Size: b.Size}
		if d := b.SQLite; d != nil {
			out.SQLite = &ReleaseSQLite{Name: d.Name, URL: s.databaseURL(r.Version), SHA256: d.SHA256, Size: d.Size}
		}
	}
	counts := byKind[int](&out.Counts)
	for _, c := range r.Counts {
		if n := counts[c.Kind]; n != nil {
			*n = c.N
		}
	}
	out.Files = []FileChecksum{}
	for name, sum := range r.Checksums {
		out.Files = append(out.Files, FileChecksum{Name: name, SHA256: sum})
	}
	slices.SortFunc(out.Files, func(a, b FileChecksum) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return out
}

func (s *Server) registerReleases(api huma.API) {
	register(api, s, huma.Operation{
		OperationID: "listReleases",
		Method:      http.MethodGet,
		Path:        "/v1/releases",
		Tags:        []string{"Releases"},
		Summary:     "List releases",
		Description: "Every published release of the dataset, newest first: a machine-readable index with each release's date, summary, record counts, source file checksums, citation, its bundle (the zip to download, its URL, SHA-256 and size) and its SQLite database (likewise). Any of them can be pinned with release= on the data endpoints.",
	}, itemResponse[ReleaseIndex]("The published releases, newest first.", dataHeaders), nil, func(ctx context.Context, in *ListReleasesInput) (*Response, error) {
		rels, current, err := s.releasesWithCurrent(ctx)
		if err != nil {
			return nil, err
		}
		a, err := s.answerFor("index", rels, func() ([]byte, error) {
			idx := ReleaseIndex{Items: make([]Release, len(rels))}
			for i, r := range rels {
				idx.Items[i] = s.releaseOf(r)
			}
			return json.Marshal(idx)
		})
		if err != nil {
			return nil, fmt.Errorf("encoding the release index: %w", err)
		}
		return respondWith(a, formatJSON, current, in.IfNoneMatch), nil
	})

	register(api, s, huma.Operation{
		OperationID: "getRelease",
		Method:      http.MethodGet,
		Path:        "/v1/releases/{version}",
		Tags:        []string{"Releases"},
		Summary:     "Get a release",
		Description: "One published release by version, as in the index (listReleases); latest is the current release.",
	}, itemResponse[Release]("The release.", dataHeaders), []int{404, 422}, func(ctx context.Context, in *GetReleaseInput) (*Response, error) {
		version := in.Version
		if version == "latest" {
			version = ""
		}
		r, err := s.store.Release(ctx, version)
		if errors.Is(err, store.ErrUnknownRelease) {
			return nil, unknownVersion(in.Version)
		}
		if err != nil {
			return nil, s.storeError(ctx, err)
		}
		a, err := s.answerFor("release", []store.Release{r}, func() ([]byte, error) { return json.Marshal(s.releaseOf(r)) })
		if err != nil {
			return nil, fmt.Errorf("encoding release %s: %w", r.Version, err)
		}
		// Not immutable even when pinned: "current" changes when another
		// release is activated.
		return respondWith(a, formatJSON, r, in.IfNoneMatch), nil
	})

	s.registerChanges(api)
	s.registerDownload(api)
	s.registerReleaseFeed(api) // feed.go
}

// unknownVersion is the problem for a version in the path that names no
// published release.
func unknownVersion(version string) error {
	return huma.Error404NotFound(fmt.Sprintf("no published release has version %s", version), &huma.ErrorDetail{
		Message: "unknown release", Location: "path.version", Value: version,
	})
}

// releasesWithCurrent lists the published releases and picks the current
// one, which names the answers built from the whole list (the index, the
// feed): they change when another release is activated.
func (s *Server) releasesWithCurrent(ctx context.Context) ([]store.Release, store.Release, error) {
	rels, err := s.store.Releases(ctx)
	if err != nil {
		return nil, store.Release{}, s.storeError(ctx, err)
	}
	for _, r := range rels {
		if r.Current {
			return rels, r, nil
		}
	}
	return rels, store.Release{}, nil
}
