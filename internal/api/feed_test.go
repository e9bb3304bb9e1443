package api_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jcdd/jcdd/dataset"
)

// atomNS is the namespace of Atom 1.0.
const atomNS = "http://www.w3.org/2005/Atom"

// A generic reading of an Atom document, so that the test checks what the
// XML says rather than what the server's own types can express.
type xmlElem struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []xmlElem  `xml:",any"`
}

func (e xmlElem) all(local string) []xmlElem {
	var out []xmlElem
	for _, c := range e.Children {
		if c.XMLName.Space == atomNS && c.XMLName.Local == local {
			out = append(out, c)
		}
	}
	return out
}

func (e xmlElem) attr(name string) string {
	for _, a := range e.Attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// checkAtom checks a document against the requirements of RFC 4287 that
// apply to this feed: a well-formed feed element in the Atom namespace with
// exactly one id, title and updated; an author on the feed or on every
// entry; a self link; every date an RFC 3339 date-time; every id an
// absolute IRI, entry ids unique; every link with an href and a valid rel;
// every entry with exactly one id, title and updated, and with content or
// an alternate link (4.1.2), and with a summary.
func checkAtom(t *testing.T, body []byte) xmlElem {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	for { // well-formed throughout
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("the feed is not well-formed XML: %v", err)
		}
	}
	var feed xmlElem
	if err := xml.Unmarshal(body, &feed); err != nil {
		t.Fatal(err)
	}
	if feed.XMLName.Space != atomNS || feed.XMLName.Local != "feed" {
		t.Fatalf("root element is {%s}%s, want {%s}feed", feed.XMLName.Space, feed.XMLName.Local, atomNS)
	}
	one := func(e xmlElem, where, name string) string {
		t.Helper()
		got := e.all(name)
		if len(got) != 1 {
			t.Errorf("%s has %d atom:%s elements, want exactly one", where, len(got), name)
			return ""
		}
		if strings.TrimSpace(got[0].Text) == "" && name != "content" {
			t.Errorf("%s: atom:%s is empty", where, name)
		}
		return strings.TrimSpace(got[0].Text)
	}
	date := func(where, v string) {
		t.Helper()
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			t.Errorf("%s: %q is not an RFC 3339 date-time: %v", where, v, err)
		}
	}
	iri := func(where, v string) {
		t.Helper()
		if u, err := url.Parse(v); err != nil || u.Scheme == "" {
			t.Errorf("%s: id %q is not an absolute IRI", where, v)
		}
	}
	links := func(where string, e xmlElem) map[string][]xmlElem {
		t.Helper()
		byRel := map[string][]xmlElem{}
		for _, l := range e.all("link") {
			rel := l.attr("rel")
			if rel == "" {
				rel = "alternate" // 4.2.7.2
			}
			if l.attr("href") == "" {
				t.Errorf("%s: a link (rel %s) has no href", where, rel)
			}
			if _, err := url.Parse(l.attr("href")); err != nil {
				t.Errorf("%s: link href %q: %v", where, l.attr("href"), err)
			}
			if !slices.Contains([]string{"alternate", "related", "self", "enclosure", "via"}, rel) && !strings.Contains(rel, ":") {
				t.Errorf("%s: link rel %q is not registered", where, rel)
			}
			byRel[rel] = append(byRel[rel], l)
		}
		// 4.1.1: at most one alternate link per type (and hreflang).
		types := map[string]bool{}
		for _, l := range byRel["alternate"] {
			if types[l.attr("type")] {
				t.Errorf("%s: two alternate links of type %q", where, l.attr("type"))
			}
			types[l.attr("type")] = true
		}
		return byRel
	}

	iri("feed", one(feed, "feed", "id"))
	one(feed, "feed", "title")
	date("feed updated", one(feed, "feed", "updated"))
	if len(links("feed", feed)["self"]) != 1 {
		t.Error("the feed has no self link (4.1.1 recommends one)")
	}
	feedAuthor := len(feed.all("author")) > 0
	for _, a := range feed.all("author") {
		one(a, "feed author", "name")
	}
	ids := map[string]bool{}
	for i, e := range feed.all("entry") {
		where := "entry " + e.all("id")[0].Text
		id := one(e, where, "id")
		iri(where, id)
		if ids[id] {
			t.Errorf("entry %d: id %s is not unique", i, id)
		}
		ids[id] = true
		one(e, where, "title")
		date(where+" updated", one(e, where, "updated"))
		for _, p := range e.all("published") {
			date(where+" published", p.Text)
		}
		one(e, where, "summary")
		if !feedAuthor && len(e.all("author")) == 0 {
			t.Errorf("%s: no author, and the feed has none", where)
		}
		if len(e.all("content")) == 0 && len(links(where, e)["alternate"]) == 0 {
			t.Errorf("%s: neither content nor an alternate link (4.1.2)", where)
		}
	}
	return feed
}

// TestReleaseFeed checks the Atom feed of the releases: valid as above, one
// entry per published release with its summary, and links that the API
// answers: the release, its changes, its bundle (with the bundle's size).
func TestReleaseFeed(t *testing.T) {
	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, rels...)
	res := h.get("/v1/releases.atom")
	if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/atom+xml" {
		t.Fatalf("GET /v1/releases.atom = %d %s", res.Status, res.Header.Get("Content-Type"))
	}
	feed := checkAtom(t, res.Body)

	var index struct {
		Items []struct {
			Version, Summary string
			Bundle           *struct{ Size int64 }
		}
	}
	h.get("/v1/releases").json(t, &index)
	entries := feed.all("entry")
	if len(entries) != len(index.Items) || len(index.Items) != len(rels) {
		t.Fatalf("the feed has %d entries, the index %d releases, the dataset %d", len(entries), len(index.Items), len(rels))
	}
	for i, e := range entries {
		want := index.Items[i]
		if got := e.all("summary")[0].Text; got != want.Summary {
			t.Errorf("entry %d: summary %q, want the release's %q", i, got, want.Summary)
		}
		if title := e.all("title")[0].Text; !strings.HasSuffix(title, " "+want.Version) {
			t.Errorf("entry %d: title %q does not name release %s", i, title, want.Version)
		}
		rels := map[string]string{}
		for _, l := range e.all("link") {
			rels[l.attr("rel")] = l.attr("href")
			if r := h.get(l.attr("href")); r.Status != http.StatusOK {
				t.Errorf("entry %s: link %s → %d", want.Version, l.attr("href"), r.Status)
			}
			if l.attr("rel") == "enclosure" && (want.Bundle == nil || l.attr("length") != strconv.FormatInt(want.Bundle.Size, 10)) {
				t.Errorf("entry %s: enclosure length %q, want the bundle's size", want.Version, l.attr("length"))
			}
		}
		if rels["alternate"] != "/v1/releases/"+want.Version || rels["enclosure"] == "" {
			t.Errorf("entry %s: links %v", want.Version, rels)
		}
		if i+1 < len(entries) && !strings.Contains(rels["related"], "/changes?since="+index.Items[i+1].Version) {
			t.Errorf("entry %s: no link to its changes since %s: %v", want.Version, index.Items[i+1].Version, rels)
		}
	}

	// Cached like the other answers: a strong ETag and a 304.
	etag := res.Header.Get("ETag")
	if etag == "" || res.Header.Get("Cache-Control") == "" {
		t.Fatalf("no ETag or Cache-Control: %v", res.Header)
	}
	if r := h.get("/v1/releases.atom", "If-None-Match", etag); r.Status != http.StatusNotModified || len(r.Body) != 0 {
		t.Errorf("If-None-Match: the ETag → %d, %d bytes", r.Status, len(r.Body))
	}

	// The landing page points feed readers at it.
	page := h.get("/", "Accept", "text/html")
	if !strings.Contains(string(page.Body), `<link rel="alternate" type="application/atom+xml" title="jcdd releases (Atom feed)" href="/v1/releases.atom">`) {
		t.Error("the landing page does not link the feed")
	}
}
