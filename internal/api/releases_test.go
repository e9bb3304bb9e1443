package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/memory"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

type releaseIndex struct {
	Items []struct {
		Version string `json:"version"`
		Bundle  *struct {
			Name   string `json:"name"`
			URL    string `json:"url"`
			SHA256 string `json:"sha256"`
			Size   int64  `json:"size"`
		} `json:"bundle"`
	} `json:"items"`
}

const (
	cacheShort     = "public, max-age=300"
	cacheImmutable = "public, max-age=31536000, immutable"
)

// TestDownloadServesTheIndexedBundle: the index gives every release's
// bundle, and the download serves exactly export.WriteBundle's bytes, whose
// SHA-256 and size are the index's and whose ETag is the SHA-256.
func TestDownloadServesTheIndexedBundle(t *testing.T) {
	v1, v2 := storetest.Fixture(t)
	h := newHarness(t, v1, v2)
	var idx releaseIndex
	h.get("/v1/releases").json(t, &idx)
	if len(idx.Items) != 2 {
		t.Fatalf("index: %+v", idx)
	}
	for i, rel := range []*dataset.Release{v2, v1} { // newest first
		it := idx.Items[i]
		v := rel.Info.Version
		if it.Version != v || it.Bundle == nil {
			t.Fatalf("index item %d: %+v", i, it)
		}
		if it.Bundle.Name != "jcdd-"+v+".zip" || it.Bundle.URL != "/v1/releases/"+v+"/download" {
			t.Errorf("%s: bundle %+v", v, *it.Bundle)
		}
		var want bytes.Buffer
		if err := export.WriteBundle(&want, rel, dataset.License()); err != nil {
			t.Fatal(err)
		}
		r := h.get(it.Bundle.URL)
		if r.Status != http.StatusOK || !bytes.Equal(r.Body, want.Bytes()) {
			t.Fatalf("GET %s: %d, %d bytes; want export.WriteBundle's %d bytes", it.Bundle.URL, r.Status, len(r.Body), want.Len())
		}
		if sum := dataset.Checksum(r.Body); sum != it.Bundle.SHA256 || int64(len(r.Body)) != it.Bundle.Size {
			t.Errorf("%s: downloaded sha256 %s, %d bytes; the index says %s, %d", v, sum, len(r.Body), it.Bundle.SHA256, it.Bundle.Size)
		}
		for name, want := range map[string]string{
			"Content-Type":        "application/zip",
			"Content-Disposition": `attachment; filename="jcdd-` + v + `.zip"`,
			"ETag":                `"` + it.Bundle.SHA256 + `"`,
			"Cache-Control":       cacheImmutable,
			"Dataset-Release":     v,
		} {
			if got := r.Header.Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", it.Bundle.URL, name, got, want)
			}
		}
		nm := h.get(it.Bundle.URL, "If-None-Match", r.Header.Get("ETag"))
		if nm.Status != http.StatusNotModified || len(nm.Body) != 0 || nm.Header.Get("ETag") != r.Header.Get("ETag") {
			t.Errorf("%s If-None-Match: %d, %d bytes", it.Bundle.URL, nm.Status, len(nm.Body))
		}
		// (net/http drops the body of an answer to HEAD; the recorder
		// keeps it, so only the headers are compared.)
		head := h.do(http.MethodHead, it.Bundle.URL)
		if head.Status != http.StatusOK || head.Header.Get("ETag") != r.Header.Get("ETag") || head.Header.Get("Content-Type") != "application/zip" {
			t.Errorf("HEAD %s: %d, %v", it.Bundle.URL, head.Status, head.Header)
		}
	}
	// latest is the current release's bundle, cached only briefly: it
	// changes when another release becomes current.
	latest := h.get("/v1/releases/latest/download")
	if latest.Header.Get("Dataset-Release") != "1.1.0" || latest.Header.Get("ETag") != `"`+idx.Items[0].Bundle.SHA256+`"` || latest.Header.Get("Cache-Control") != cacheShort {
		t.Errorf("latest: %d %v", latest.Status, latest.Header)
	}
	// getRelease describes the same bundle.
	var one struct {
		Bundle struct {
			SHA256 string `json:"sha256"`
		} `json:"bundle"`
	}
	h.get("/v1/releases/1.0.0").json(t, &one)
	if one.Bundle.SHA256 != idx.Items[1].Bundle.SHA256 {
		t.Errorf("getRelease bundle sha256 %q, index %q", one.Bundle.SHA256, idx.Items[1].Bundle.SHA256)
	}
}

// TestDownloadServesTheIndexedDatabase: the index gives every release's
// SQLite database beside its zip, and the database endpoint serves exactly
// the release build's bytes, whose SHA-256 and size are the index's.
func TestDownloadServesTheIndexedDatabase(t *testing.T) {
	v1, v2 := storetest.Fixture(t)
	h := newHarness(t, v1, v2)
	set := buildSet(t, v1, v2)
	var idx struct {
		Items []struct {
			Version string `json:"version"`
			SQLite  *struct {
				Name   string `json:"name"`
				URL    string `json:"url"`
				SHA256 string `json:"sha256"`
				Size   int64  `json:"size"`
			} `json:"sqlite"`
		} `json:"items"`
	}
	h.get("/v1/releases").json(t, &idx)
	if len(idx.Items) != 2 {
		t.Fatalf("index: %+v", idx)
	}
	for _, it := range idx.Items {
		v := it.Version
		if it.SQLite == nil || it.SQLite.Name != "jcdd-"+v+".sqlite" || it.SQLite.URL != "/v1/releases/"+v+"/sqlite" {
			t.Fatalf("%s: sqlite %+v", v, it.SQLite)
		}
		want := set.Get(v).SQLite
		r := h.get(it.SQLite.URL)
		if r.Status != http.StatusOK || !bytes.Equal(r.Body, want) || !bytes.HasPrefix(r.Body, []byte("SQLite format 3\x00")) {
			t.Fatalf("GET %s: %d, %d bytes; want the release build's %d bytes", it.SQLite.URL, r.Status, len(r.Body), len(want))
		}
		if sum := dataset.Checksum(r.Body); sum != it.SQLite.SHA256 || int64(len(r.Body)) != it.SQLite.Size {
			t.Errorf("%s: downloaded sha256 %s, %d bytes; the index says %s, %d", v, sum, len(r.Body), it.SQLite.SHA256, it.SQLite.Size)
		}
		for name, want := range map[string]string{
			"Content-Type":        "application/vnd.sqlite3",
			"Content-Disposition": `attachment; filename="jcdd-` + v + `.sqlite"`,
			"ETag":                `"` + it.SQLite.SHA256 + `"`,
			"Cache-Control":       cacheImmutable,
			"Dataset-Release":     v,
		} {
			if got := r.Header.Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", it.SQLite.URL, name, got, want)
			}
		}
		if nm := h.get(it.SQLite.URL, "If-None-Match", r.Header.Get("ETag")); nm.Status != http.StatusNotModified || len(nm.Body) != 0 {
			t.Errorf("%s If-None-Match: %d, %d bytes", it.SQLite.URL, nm.Status, len(nm.Body))
		}
	}
	latest := h.get("/v1/releases/latest/sqlite")
	if latest.Header.Get("Dataset-Release") != "1.1.0" || latest.Header.Get("ETag") != `"`+idx.Items[0].SQLite.SHA256+`"` || latest.Header.Get("Cache-Control") != cacheShort {
		t.Errorf("latest: %d %v", latest.Status, latest.Header)
	}

	// Published: the index links the bucket, and the endpoint redirects.
	pub := newHarnessWith(t, api.Config{BundleBaseURL: "https://bundles.example.org/releases/"})
	r := pub.get("/v1/releases/1.0.0/sqlite")
	if r.Status != http.StatusFound || r.Header.Get("Location") != "https://bundles.example.org/releases/jcdd-1.0.0.sqlite" || r.Header.Get("Cache-Control") != cacheImmutable {
		t.Errorf("published: %d %v", r.Status, r.Header)
	}
	pub.get("/v1/releases").json(t, &idx)
	if s := idx.Items[1].SQLite; s == nil || s.URL != "https://bundles.example.org/releases/jcdd-1.0.0.sqlite" {
		t.Errorf("published index: %+v", s)
	}

	// A store that publishes another database's checksum: refused.
	st, err := memory.NewWith(memory.Options{Bundle: func(r *dataset.Release) (store.Bundle, error) {
		b, err := set.Describe(r)
		other := *b.SQLite
		other.SHA256 = strings.Repeat("0", 64)
		b.SQLite = &other
		return b, err
	}}, v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	odd := newHarnessWith(t, api.Config{Store: st, Bundles: set}, v1, v2)
	if r := odd.get("/v1/releases/1.0.0/sqlite"); r.Status != http.StatusNotFound || !strings.Contains(r.problem(t).Detail, "database of release 1.0.0 differs from the published one") {
		t.Errorf("mismatched database: %d %s", r.Status, r.Body)
	}
	if r := odd.get("/v1/releases/1.0.0/download"); r.Status != http.StatusOK {
		t.Errorf("the zip of a release whose database differs: %d", r.Status)
	}
	partial := newHarnessWith(t, api.Config{Store: st, Bundles: buildSet(t, v2)}, v1, v2)
	if r := partial.get("/v1/releases/1.0.0/sqlite"); r.Status != http.StatusNotFound || !strings.Contains(r.problem(t).Detail, "no database of release 1.0.0") {
		t.Errorf("database not held: %d %s", r.Status, r.Body)
	}
}

// TestDownloadRedirectsWhenPublished: with a base URL (a deployment whose
// bundles are on the bucket), downloads redirect and the index links there.
func TestDownloadRedirectsWhenPublished(t *testing.T) {
	h := newHarnessWith(t, api.Config{BundleBaseURL: "https://bundles.example.org/releases/"})
	for _, tc := range []struct{ target, location, cache, release string }{
		{"/v1/releases/1.0.0/download", "https://bundles.example.org/releases/jcdd-1.0.0.zip", cacheImmutable, "1.0.0"},
		{"/v1/releases/latest/download", "https://bundles.example.org/releases/jcdd-1.1.0.zip", cacheShort, "1.1.0"},
	} {
		r := h.get(tc.target)
		if r.Status != http.StatusFound || r.Header.Get("Location") != tc.location || r.Header.Get("Cache-Control") != tc.cache ||
			r.Header.Get("Dataset-Release") != tc.release || len(r.Body) != 0 {
			t.Errorf("GET %s: %d %v %q", tc.target, r.Status, r.Header, r.Body)
		}
	}
	var idx releaseIndex
	h.get("/v1/releases").json(t, &idx)
	for _, it := range idx.Items {
		if want := "https://bundles.example.org/releases/jcdd-" + it.Version + ".zip"; it.Bundle == nil || it.Bundle.URL != want {
			t.Errorf("index: bundle of %s = %+v, want url %s", it.Version, it.Bundle, want)
		}
	}
	if r := h.get("/v1/releases/9.9.9/download"); r.Status != http.StatusNotFound {
		t.Errorf("unknown version redirected: %d %v", r.Status, r.Header)
	}
}

func TestDownloadErrors(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		target string
		status int
		where  string
	}{
		{"/v1/releases/9.9.9/download", 404, "path.version"},
		{"/v1/releases/one/download", 422, "path.version"},
	} {
		r := h.get(tc.target)
		if r.Status != tc.status || !slices.Contains(r.problem(t).locations(), tc.where) {
			t.Errorf("GET %s = %d %s, want %d naming %s", tc.target, r.Status, r.Body, tc.status, tc.where)
		}
	}

	// A server that neither serves nor redirects (a deployment without a
	// base URL) answers 404, and its index gives no URL.
	v1, v2 := storetest.Fixture(t)
	st, err := memory.NewWith(memory.Options{Bundle: buildSet(t, v1, v2).Describe}, v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	bare := newHarnessWith(t, api.Config{Store: st}, v1, v2)
	if r := bare.get("/v1/releases/1.0.0/download"); r.Status != http.StatusNotFound || !strings.Contains(r.problem(t).Detail, "does not serve release bundles") {
		t.Errorf("no bundle source: %d %s", r.Status, r.Body)
	}
	var idx releaseIndex
	bare.get("/v1/releases").json(t, &idx)
	if b := idx.Items[0].Bundle; b == nil || b.URL != "" || b.SHA256 == "" {
		t.Errorf("index without downloads: %+v", b)
	}

	// A store whose published checksum is not that of the bytes this server
	// builds: the download is refused rather than served under the wrong
	// checksum.
	st, err = memory.NewWith(memory.Options{Bundle: storetest.Bundle}, v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	odd := newHarnessWith(t, api.Config{Store: st, Bundles: buildSet(t, v1, v2)}, v1, v2)
	if r := odd.get("/v1/releases/1.0.0/download"); r.Status != http.StatusNotFound || !strings.Contains(r.problem(t).Detail, "differs from the published one") {
		t.Errorf("mismatched bundle: %d %s", r.Status, r.Body)
	}
	// A release the bundle source does not hold.
	partial := newHarnessWith(t, api.Config{Store: st, Bundles: buildSet(t, v2)}, v1, v2)
	if r := partial.get("/v1/releases/1.0.0/download"); r.Status != http.StatusNotFound || !strings.Contains(r.problem(t).Detail, "no bundle of release 1.0.0") {
		t.Errorf("bundle not held: %d %s", r.Status, r.Body)
	}
}

func TestReleaseChanges(t *testing.T) {
	h := newHarness(t)
	r := h.get("/v1/releases/1.1.0/changes?since=1.0.0")
	if r.Status != http.StatusOK {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	var body map[string]json.RawMessage
	r.json(t, &body)
	empty := `{"added":[],"changed":[],"withdrawn":[]}`
	for key, want := range map[string]string{
		"release":  `"1.1.0"`,
		"since":    `"1.0.0"`,
		"events":   `{"added":["e-2024-new"],"changed":[{"id":"e-2023-report","fields":["title"]},{"id":"e-2023-year","fields":["status","superseded_by","withdrawn_reason"]}],"withdrawn":["e-2023-year"]}`,
		"actors":   empty,
		"budgets":  empty,
		"programs": empty,
		"sources":  empty,
	} {
		if got := string(body[key]); got != want {
			t.Errorf("%s = %s\nwant %s", key, got, want)
		}
	}
	var meta struct {
		Meta struct {
			Release  string `json:"release"`
			Citation string `json:"citation"`
		} `json:"meta"`
	}
	r.json(t, &meta)
	if meta.Meta.Release != "1.1.0" || !strings.Contains(meta.Meta.Citation, "1.1.0") {
		t.Errorf("meta = %+v", meta.Meta)
	}
	// Both versions given: immutable. latest: the same changes, cached
	// briefly, since latest moves.
	if r.Header.Get("Cache-Control") != cacheImmutable || r.Header.Get("Dataset-Release") != "1.1.0" || r.Header.Get("Vary") != "Accept, Accept-Encoding" {
		t.Errorf("headers: %v", r.Header)
	}
	latest := h.get("/v1/releases/latest/changes?since=1.0.0")
	if !bytes.Equal(latest.Body, r.Body) || latest.Header.Get("Cache-Control") != cacheShort || latest.Header.Get("ETag") == "" {
		t.Errorf("latest: %v %s", latest.Header, latest.Body)
	}
	// Each URL's own ETag revalidates it (without encoding the changes:
	// TestNotModifiedBuildsNoBody).
	for _, c := range []struct{ path, etag string }{
		{"/v1/releases/1.1.0/changes?since=1.0.0", r.Header.Get("ETag")},
		{"/v1/releases/latest/changes?since=1.0.0", latest.Header.Get("ETag")},
	} {
		if nm := h.get(c.path, "If-None-Match", c.etag); nm.Status != http.StatusNotModified {
			t.Errorf("%s If-None-Match: %d", c.path, nm.Status)
		}
	}
}

func TestReleaseChangesCSV(t *testing.T) {
	h := newHarness(t)
	want := "kind,id,change,fields\r\n" +
		"events,e-2024-new,added,\r\n" +
		"events,e-2023-report,changed,title\r\n" +
		"events,e-2023-year,changed,status; superseded_by; withdrawn_reason\r\n" +
		"events,e-2023-year,withdrawn,\r\n"
	r := h.get("/v1/releases/1.1.0/changes?since=1.0.0&format=csv")
	if string(r.Body) != want {
		t.Errorf("CSV =\n%q\nwant\n%q", r.Body, want)
	}
	if r.Header.Get("Content-Type") != "text/csv; charset=utf-8; header=present" ||
		r.Header.Get("Content-Disposition") != `attachment; filename="jcdd-1.1.0-changes-since-1.0.0.csv"` ||
		r.Header.Get("Cache-Control") != cacheImmutable {
		t.Errorf("CSV headers: %v", r.Header)
	}
	if byAccept := h.get("/v1/releases/1.1.0/changes?since=1.0.0", "Accept", "text/csv"); string(byAccept.Body) != want {
		t.Errorf("Accept: text/csv gave %q", byAccept.Body)
	}
	if excel := h.get("/v1/releases/latest/changes?since=1.0.0&format=csv-excel"); string(excel.Body) != export.UTF8BOM+want {
		t.Errorf("csv-excel = %q", excel.Body)
	}
	nd := h.get("/v1/releases/1.1.0/changes?since=1.0.0&format=ndjson")
	if got := lines(nd.Body); len(got) != 4 || got[0] != `{"kind":"events","id":"e-2024-new","change":"added"}` ||
		got[2] != `{"kind":"events","id":"e-2023-year","change":"changed","fields":["status","superseded_by","withdrawn_reason"]}` {
		t.Errorf("NDJSON = %q", nd.Body)
	}
	// Nothing changed: a header row alone.
	v1, _ := storetest.Fixture(t)
	same := *v1
	same.Info.Version = "1.0.1"
	if r := newHarness(t, v1, &same).get("/v1/releases/1.0.1/changes?since=1.0.0&format=csv"); string(r.Body) != "kind,id,change,fields\r\n" {
		t.Errorf("no changes: %q", r.Body)
	}
}

func TestReleaseChangesErrors(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		target string
		status int
		where  string
	}{
		{"/v1/releases/1.1.0/changes", 422, "query.since"},
		{"/v1/releases/1.1.0/changes?since=9.9.9", 422, "query.since"},
		{"/v1/releases/1.1.0/changes?since=1.1.0", 422, "query.since"},
		{"/v1/releases/1.0.0/changes?since=1.1.0", 422, "query.since"},
		{"/v1/releases/latest/changes?since=1.1.0", 422, "query.since"},
		{"/v1/releases/1.1.0/changes?since=latest", 422, "query.since"},
		{"/v1/releases/9.9.9/changes?since=1.0.0", 404, "path.version"},
		{"/v1/releases/one/changes?since=1.0.0", 422, "path.version"},
		{"/v1/releases/1.1.0/changes?since=1.0.0&format=xml", 422, "query.format"},
	} {
		r := h.get(tc.target)
		if r.Status != tc.status {
			t.Errorf("GET %s = %d, want %d: %s", tc.target, r.Status, tc.status, r.Body)
			continue
		}
		if p := r.problem(t); !slices.Contains(p.locations(), tc.where) {
			t.Errorf("GET %s: problem %+v does not name %s", tc.target, p, tc.where)
		}
	}
	if r := h.get("/v1/releases/1.1.0/changes?since=1.0.0", "Accept", "image/png"); r.Status != http.StatusNotAcceptable {
		t.Errorf("unservable Accept: %d", r.Status)
	}
}
