// Package addkind_test shows what adding a kind of record takes. It adds a
// kind that only this test knows, official documents: a record type, its
// dataset.Kind and its store.IDKind, declared below and registered before
// anything is loaded, and its file in the fixture's two releases
// (testdata). No other file of the repository names it: the dataset loads
// and validates it, both stores list and fetch it (the conformance suite),
// the changes between releases and the bundle's CSV cover it, all through
// the registry.
package addkind_test

import (
	"archive/zip"
	"bytes"
	"context"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/store/memory"
	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
	"github.com/jcdd/jcdd/internal/testenv/fixture"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

// Document is an official document: the record type of the added kind.
type Document struct {
	ID                string       `yaml:"id" json:"id" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Stable identifier: a kebab-case slug, never reused."`
	Title             dataset.Text `yaml:"title" json:"title" doc:"The document's title, in English and Japanese."`
	Kind              string       `yaml:"kind" json:"kind" enum:"white-paper,law,guideline" doc:"white-paper, law or guideline."`
	Issuer            string       `yaml:"issuer" json:"issuer" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Id of the actor that issued it."`
	Issued            string       `yaml:"issued" json:"issued" pattern:"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" doc:"When it was issued, as a full or partial date."`
	dataset.Lifecycle `yaml:",inline"`
}

// The kind, described once: to the dataset, then to the stores.
var (
	documents = &dataset.Kind[Document]{
		Name: "documents", One: "document", Label: dataset.Text{EN: "documents", JA: "文書"}, Title: "jcdd documents",
		Records: dataset.OtherRecords[Document]("documents"),
		ID:      func(d *Document) string { return d.ID },
		Life:    func(d *Document) dataset.Lifecycle { return d.Lifecycle },
	}
	documentKind = &store.IDKind[Document]{
		Kind: documents, Short: "document",
		Dims: []store.Dim[Document, store.ListQuery]{
			store.ListDim("kind", func(d *Document) string { return d.Kind }),
			store.ListDim("issuer", func(d *Document) string { return d.Issuer }),
		},
		Text: func(d *Document) string { return d.Title.EN + "\n" + d.Title.JA },
		Table: func(string) export.Table[Document] {
			return export.Table[Document]{
				{Name: "id", Field: "id", Value: func(d *Document) string { return d.ID }},
				{Name: "title_en", Field: "title", Value: func(d *Document) string { return d.Title.EN }},
				{Name: "title_ja", Field: "title", Value: func(d *Document) string { return d.Title.JA }},
				{Name: "kind", Field: "kind", Value: func(d *Document) string { return d.Kind }},
				{Name: "issuer", Field: "issuer", Value: func(d *Document) string { return d.Issuer }},
				{Name: "issued", Field: "issued", Value: func(d *Document) string { return d.Issued }},
				{Name: "status", Field: "status", Value: func(d *Document) string { return d.Status }},
			}
		},
		Indexes: [][]string{{"kind"}, {"issuer"}},
	}
)

var (
	//go:embed testdata/documents-1.0.0.yaml
	documentsV1 []byte
	//go:embed testdata/documents-1.1.0.yaml
	documentsV2 []byte
)

var dynaliteURL string

func TestMain(m *testing.M) {
	store.Register(documentKind, "Documents", "Official documents: one row per document.")
	fixture.Add("documents.yaml", documentsV1, documentsV2)
	os.Exit(dynalitetest.Main(m, &dynaliteURL))
}

func TestLoadedAndValidated(t *testing.T) {
	v1, v2 := fixture.Releases(t)
	for rel, want := range map[*dataset.Release][]string{
		v1: {"d-white-paper", "d-guideline", "d-law"},
		v2: {"d-white-paper", "d-guideline", "d-law", "d-strategy"},
	} {
		if got := documents.IDs(rel); !slices.Equal(got, want) {
			t.Errorf("%s: documents %v, want %v", rel.Info.Version, got, want)
		}
		if rel.Checksums["documents.yaml"] == "" {
			t.Errorf("%s: no checksum of documents.yaml", rel.Info.Version)
		}
		if i := slices.IndexFunc(dataset.Counts(rel), func(c dataset.Count) bool { return c.Kind == "documents" }); i < 0 || dataset.Counts(rel)[i].N != len(want) {
			t.Errorf("%s: counts %+v", rel.Info.Version, dataset.Counts(rel))
		}
	}
	// The kind's records are checked as the dataset's own are: strict
	// types and enums, and ids unique within the kind.
	for name, bad := range map[string]string{
		"kind outside its enum": strings.Replace(string(documentsV1), "kind: law", "kind: novel", 1),
		"id used twice":         strings.Replace(string(documentsV1), "id: d-law", "id: d-guideline", 1),
		"unknown field":         strings.Replace(string(documentsV1), "issuer: a-mod", "issuer: a-mod\n  pages: 12", 1),
	} {
		files := fixture.Files(t)
		files["documents.yaml"] = &fstest.MapFile{Data: []byte(bad)}
		_, err := dataset.LoadFS(files)
		var errs dataset.Errors
		if !errors.As(err, &errs) || !strings.Contains(err.Error(), "documents.yaml") {
			t.Errorf("%s: loading gives %v, want an error in documents.yaml", name, err)
		}
	}
}

func TestDiffed(t *testing.T) {
	v1, v2 := fixture.Releases(t)
	c, err := dataset.Diff(v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(c.Kinds, func(k dataset.KindChanges) bool { return k.Kind == "documents" })
	if i < 0 {
		t.Fatalf("no changes of documents in %+v", c.Kinds)
	}
	got := c.Kinds[i]
	var changed []string
	for _, rc := range got.Changed {
		changed = append(changed, rc.ID+":"+strings.Join(rc.Fields, ","))
	}
	if !slices.Equal(got.Added, []string{"d-strategy"}) || !slices.Equal(got.Withdrawn, []string{"d-guideline"}) ||
		!slices.Equal(changed, []string{"d-guideline:status,superseded_by,withdrawn_reason", "d-white-paper:title"}) {
		t.Errorf("documents changed %+v (changed %v)", got, changed)
	}
}

func TestBundleCSV(t *testing.T) {
	_, v2 := fixture.Releases(t)
	var zipped bytes.Buffer
	if err := export.WriteBundle(&zipped, v2, []byte("licence")); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(zipped.Bytes()), int64(zipped.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, "csv/documents.csv") {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		rows, err = csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte(export.UTF8BOM)))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
	}
	want := [][]string{
		{"id", "title_en", "title_ja", "kind", "issuer", "issued", "status"},
		{"d-white-paper", "Defense of Japan 2021 (revised)", "令和3年版防衛白書（改訂）", "white-paper", "a-mod", "2021-07", ""},
		{"d-guideline", "Cyber security guideline", "サイバーセキュリティ指針", "guideline", "a-gov", "2022-04-01", "withdrawn"},
		{"d-law", "Active cyber defense act", "能動的サイバー防御法", "law", "a-gov", "2025-05", ""},
		{"d-strategy", "National security strategy", "国家安全保障戦略", "guideline", "a-gov", "2022-12-16", ""},
	}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("csv/documents.csv:\n%q\nwant\n%q", rows, want)
	}
}

// The stores: the whole conformance suite (whose lists, lookups and
// counts cover every kind in store.ListKinds), then the documents' own
// filters on each store.
func TestMemoryStore(t *testing.T) {
	newStore := func(t *testing.T, current string, releases ...*dataset.Release) store.Store {
		s, err := memory.NewWith(memory.Options{Current: current, Bundle: storetest.Bundle}, releases...)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	storetest.Run(t, newStore)
	checkDocuments(t, newStore)
}

func TestDynamoDBStore(t *testing.T) {
	dynalitetest.Need(t, dynaliteURL)
	newStore := func(t *testing.T, current string, releases ...*dataset.Release) store.Store {
		ctx := context.Background()
		c, err := dynalitetest.Client(ctx, dynaliteURL)
		if err != nil {
			t.Fatal(err)
		}
		table := dynalitetest.Table(t, dynaliteURL, "jcdd-addkind")
		l := &publish.Loader{C: c, Table: table, Bundle: storetest.Bundle}
		newest := current
		for _, r := range releases {
			if _, err := l.Load(ctx, r, false); err != nil {
				t.Fatalf("loading %s: %v", r.Info.Version, err)
			}
			if newest == "" || dataset.CompareVersions(r.Info.Version, newest) > 0 && current == "" {
				newest = r.Info.Version
			}
		}
		if _, err := l.Activate(ctx, newest); err != nil {
			t.Fatal(err)
		}
		return dynamo.New(c, table, dynamo.WithCacheTTL(0))
	}
	storetest.Run(t, newStore)
	checkDocuments(t, newStore)
}

// checkDocuments lists and fetches documents by their own filters.
func checkDocuments(t *testing.T, newStore storetest.Factory) {
	v1, v2 := fixture.Releases(t)
	s := newStore(t, "", v1, v2)
	ctx := context.Background()
	for name, tc := range map[string]struct {
		q    store.ListQuery
		want []string
	}{
		"all":         {store.ListQuery{}, []string{"d-law", "d-strategy", "d-white-paper"}},
		"by kind":     {store.ListQuery{Filters: map[string][]string{"kind": {"guideline"}}}, []string{"d-strategy"}},
		"by issuer":   {store.ListQuery{Filters: map[string][]string{"issuer": {"a-mod", "a-nobody"}}}, []string{"d-white-paper"}},
		"in Japanese": {store.ListQuery{Text: "サイバー"}, []string{"d-law"}},
		"withdrawn":   {store.ListQuery{Status: store.StatusWithdrawn}, []string{"d-guideline"}},
		"pinned":      {store.ListQuery{Release: "1.0.0", Filters: map[string][]string{"kind": {"guideline"}}}, []string{"d-guideline"}},
	} {
		var got []string
		q := tc.q
		q.Page.Limit = 1
		for range 10 {
			p, err := store.List(ctx, s, documentKind, q)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, d := range p.Items {
				got = append(got, d.ID)
			}
			if p.Next == nil {
				break
			}
			q.Page.After = p.Next
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", name, got, tc.want)
		}
	}
	if _, err := s.List(ctx, "documents", store.ListQuery{Filters: map[string][]string{"agency": {"a-mod"}}}); err == nil {
		t.Error("a filter that documents do not have is accepted")
	}
	d, rel, err := store.Get(ctx, s, documentKind, "", "d-white-paper")
	if err != nil || d.Title.JA != "令和3年版防衛白書（改訂）" || rel.Version != "1.1.0" {
		t.Errorf("get: %+v, %s, %v", d, rel.Version, err)
	}
	if _, _, err := store.Get(ctx, s, documentKind, "1.0.0", "d-strategy"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a document added in 1.1.0, read from 1.0.0: %v", err)
	}
}
