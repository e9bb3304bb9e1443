// Package dynamotest holds what the tests of the DynamoDB store (package
// dynamo) and of its publisher (package publish) share: a table of their
// own for each test, on dynalite or on moto, and releases loaded into it.
package dynamotest

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
	"github.com/jcdd/jcdd/internal/testenv/mototest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

// dynaliteURL is the address of the dynalite that Main started.
var dynaliteURL string

// Main runs the tests of a test binary on dynalite (dynalitetest.Main),
// starting moto when a test first asks for it (mototest), and returns the
// exit code. Use it from TestMain.
func Main(m *testing.M) int { return mototest.Stop(dynalitetest.Main(m, &dynaliteURL)) }

// FullEnv makes the slowest cases run on moto too (make test-dynamodb sets
// it): the store's oracle walk over the embedded dataset, which sends
// thousands of requests that moto answers one at a time (minutes on a busy
// machine; dynalite takes seconds), and every round of the publisher's
// activate/delete race.
const FullEnv = "JCDD_DYNAMODB_FULL"

// Impl is a DynamoDB implementation the tests run on. dynalite has no
// transactions (TransactWriteItems); moto has them, as DynamoDB does.
//
// Concurrency is the publisher's number of batches in flight. moto 5.2.1
// lost writes under concurrent BatchWriteItem (its server answers on
// several threads and updates its tables, Python dictionaries, without a
// lock): a load with four batches in flight was refused by verification,
// 108 of 111 items in the table. The loaders of these tests therefore
// write to moto one batch at a time.
type Impl struct {
	Name string
	// URL gives the implementation's address, or skips the test when it
	// is not running.
	URL         func(testing.TB) string
	Concurrency int
}

// The implementations.
var (
	Dynalite = Impl{"dynalite", func(t testing.TB) string { dynalitetest.Need(t, dynaliteURL); return dynaliteURL }, 0}
	Moto     = Impl{"moto", mototest.URL, 1}
)

// OnEach runs f as a subtest on dynalite and on moto, named after each.
func OnEach(t *testing.T, f func(t *testing.T, db Impl)) {
	for _, db := range []Impl{Dynalite, Moto} {
		t.Run(db.Name, func(t *testing.T) { f(t, db) })
	}
}

// NewTable creates a fresh table on dynalite for one test and returns a
// client for it.
func NewTable(t testing.TB) (*dynamodb.Client, string) {
	t.Helper()
	return NewTableOn(t, Dynalite)
}

// NewTableOn creates a fresh table on db for one test, named after it
// (dynalitetest.Table), and returns a client for it.
func NewTableOn(t testing.TB, db Impl) (*dynamodb.Client, string) {
	t.Helper()
	url := db.URL(t)
	c, err := dynalitetest.Client(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	prefix := "jcdd-" + regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(t.Name(), "-")
	if len(prefix) > 200 {
		prefix = prefix[len(prefix)-200:]
	}
	return c, dynalitetest.Table(t, url, prefix)
}

// Loaded loads the releases into a fresh table on dynalite and activates
// current (the newest when empty); it returns the table and the loader
// used, which describes bundles with storetest.Bundle.
func Loaded(t *testing.T, current string, releases ...*dataset.Release) (*dynamodb.Client, string, *publish.Loader) {
	t.Helper()
	return LoadedOn(t, Dynalite, current, releases...)
}

// LoadedOn is Loaded on db.
func LoadedOn(t *testing.T, db Impl, current string, releases ...*dataset.Release) (*dynamodb.Client, string, *publish.Loader) {
	t.Helper()
	c, table := NewTableOn(t, db)
	ctx := context.Background()
	l := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond, Bundle: storetest.Bundle, Concurrency: db.Concurrency}
	newest := ""
	for _, r := range releases {
		if newest == "" || dataset.CompareVersions(r.Info.Version, newest) > 0 {
			newest = r.Info.Version
		}
	}
	if current == "" {
		current = newest
	}
	for _, r := range releases {
		if _, err := l.Load(ctx, r, false); err != nil {
			t.Fatalf("loading %s: %v", r.Info.Version, err)
		}
	}
	if _, err := l.Activate(ctx, current); err != nil {
		t.Fatal(err)
	}
	return c, table, l
}
