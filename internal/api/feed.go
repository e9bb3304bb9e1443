package api

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/internal/store"
)

// The release feed: /v1/releases.atom, an Atom 1.0 feed (RFC 4287) with one
// entry per published release, for feed readers and scripts that watch for
// new releases.

// mediaAtom is the media type of Atom feeds.
const mediaAtom = "application/atom+xml"

// Identifiers of the feed and its entries (RFC 4287 section 4.2.6: permanent
// and never reused). Tag URIs (RFC 4151) under the project's repository:
// they stay the same wherever the API is deployed, unlike URLs built from
// the request's host.
const (
	feedID       = "tag:github.com,2026:jcdd/jcdd/releases"
	feedEntryID  = feedID + "/"
	feedAuthor   = "jcdd contributors"
	feedHomepage = "https://github.com/jcdd/jcdd"
)

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Rights  string      `xml:"rights"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomLink struct {
	Rel    string `xml:"rel,attr"`
	Type   string `xml:"type,attr,omitempty"`
	Href   string `xml:"href,attr"`
	Title  string `xml:"title,attr,omitempty"`
	Length string `xml:"length,attr,omitempty"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Summary   string     `xml:"summary"`
	Links     []atomLink `xml:"link"`
}

// atomDate is the date-time of a release date (YYYY-MM-DD), as RFC 3339
// wants it: a release is dated by its day, taken as midnight UTC.
func atomDate(day string) string { return day + "T00:00:00Z" }

// releaseFeed encodes the feed of the releases, newest first as the store
// lists them. Links are relative references (to the feed's own URL), as
// bundle URLs of this server are: the public host is not known here.
func (s *Server) releaseFeed(rels []store.Release) ([]byte, error) {
	f := atomFeed{
		ID:     feedID,
		Title:  "Japan Cyber Defense Dataset (jcdd): releases",
		Author: atomPerson{Name: feedAuthor, URI: feedHomepage},
		Rights: "Data: CC BY 4.0. Code: Apache-2.0. Cite the release you use.",
		Links: []atomLink{
			{Rel: "self", Type: mediaAtom, Href: "/v1/releases.atom"},
			{Rel: "alternate", Type: mediaJSON, Href: "/v1/releases", Title: "The release index (JSON)"},
			{Rel: "alternate", Type: "text/html", Href: "/", Title: "The dataset's home page"},
		},
		Entries: []atomEntry{},
	}
	for i, r := range rels {
		if i == 0 || r.Released > f.Updated {
			f.Updated = r.Released
		}
		e := atomEntry{
			ID:        feedEntryID + r.Version,
			Title:     "jcdd " + r.Version,
			Updated:   atomDate(r.Released),
			Published: atomDate(r.Released),
			Summary:   r.Summary,
			Links: []atomLink{
				{Rel: "alternate", Type: mediaJSON, Href: "/v1/releases/" + r.Version, Title: "The release: counts, checksums, citation"},
			},
		}
		if i+1 < len(rels) {
			older := rels[i+1].Version
			e.Links = append(e.Links, atomLink{Rel: "related", Type: mediaJSON,
				Href:  "/v1/releases/" + r.Version + "/changes?since=" + older,
				Title: "Changes since " + older})
		}
		if b := r.Bundle; b != nil {
			if u := s.bundleURL(r.Version); u != "" {
				e.Links = append(e.Links, atomLink{Rel: "enclosure", Type: mediaZip, Href: u,
					Title: b.Name + " (sha256 " + b.SHA256 + ")", Length: strconv.FormatInt(b.Size, 10)})
			}
		}
		f.Entries = append(f.Entries, e)
	}
	if f.Updated == "" {
		return nil, fmt.Errorf("no release to describe")
	}
	f.Updated = atomDate(f.Updated)
	b, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding the release feed: %w", err)
	}
	return append(append([]byte(xml.Header), b...), '\n'), nil
}

// ReleaseFeedInput is the input of getReleaseFeed.
type ReleaseFeedInput struct {
	ConditionalParam
}

func (s *Server) registerReleaseFeed(api huma.API) {
	doc := responseDoc{description: "The feed of the published releases.", headers: dataHeaders, content: func(huma.Registry) map[string]*huma.MediaType {
		return map[string]*huma.MediaType{mediaAtom: {Schema: &huma.Schema{Type: huma.TypeString,
			Description: "An Atom 1.0 feed (RFC 4287, XML): one entry per published release, newest first, with the release's summary, a link to the release (JSON), to its changes since the release before it, and to its bundle (rel=enclosure, with its size and SHA-256) where there is one. Links are relative to the feed's URL."}}}
	}}
	register(api, s, huma.Operation{
		OperationID: "getReleaseFeed",
		Method:      http.MethodGet,
		Path:        "/v1/releases.atom",
		Tags:        []string{"Releases"},
		Summary:     "Release feed (Atom)",
		Description: "The published releases as an Atom feed, for feed readers and scripts that watch for new releases: one entry per release, newest first, with its summary and links to the release, its changes and its download. The same releases as listReleases.",
	}, doc, nil, func(ctx context.Context, in *ReleaseFeedInput) (*Response, error) {
		rels, current, err := s.releasesWithCurrent(ctx)
		if err != nil {
			return nil, err
		}
		a, err := s.answerFor("feed", rels, func() ([]byte, error) { return s.releaseFeed(rels) })
		if err != nil {
			return nil, err
		}
		r := respondWith(a, formatJSON, current, in.IfNoneMatch)
		if r.Status == http.StatusOK {
			r.ContentType = mediaAtom
		}
		return r, nil
	})
}
