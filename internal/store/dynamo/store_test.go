package dynamo_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/store/storetest"
	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
	"github.com/jcdd/jcdd/internal/testenv/mototest"
)

var dynaliteURL string

// The tests run on dynalite; those that run on both implementations start
// moto on first use (see mototest).
func TestMain(m *testing.M) { os.Exit(mototest.Stop(dynalitetest.Main(m, &dynaliteURL))) }

// impl is a DynamoDB implementation the tests run on. dynalite has no
// transactions (TransactWriteItems); moto has them, as DynamoDB does.
//
// concurrency is the loader's number of batches in flight. moto 5.2.1
// lost writes under concurrent BatchWriteItem (its server answers on
// several threads and updates its tables, Python dictionaries, without a
// lock): a load with four batches in flight was refused by verification,
// 108 of 111 items in the table. The loaders of these tests
// therefore write to moto one batch at a time.
type impl struct {
	name        string
	url         func(testing.TB) string
	concurrency int
}

var (
	dynalite = impl{"dynalite", func(t testing.TB) string { dynalitetest.Need(t, dynaliteURL); return dynaliteURL }, 0}
	moto     = impl{"moto", mototest.URL, 1}
)

// onEach runs f as a subtest on dynalite and on moto, named after each.
func onEach(t *testing.T, f func(t *testing.T, db impl)) {
	for _, db := range []impl{dynalite, moto} {
		t.Run(db.name, func(t *testing.T) { f(t, db) })
	}
}

var tables atomic.Int64

// newTable creates a fresh table on dynalite for one test and returns a
// client for it.
func newTable(t testing.TB) (*dynamodb.Client, string) {
	t.Helper()
	return newTableOn(t, dynalite)
}

// newTableOn creates a fresh table on db for one test.
func newTableOn(t testing.TB, db impl) (*dynamodb.Client, string) {
	t.Helper()
	url := db.url(t)
	ctx := context.Background()
	c, err := dynalitetest.Client(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("jcdd-%s-%d", regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(t.Name(), "-"), tables.Add(1))
	if len(name) > 200 {
		name = name[len(name)-200:]
	}
	if err := dynamo.CreateTable(ctx, c, name); err != nil {
		t.Fatal(err)
	}
	return c, name
}

// FullEnv makes the suite's slowest case run on moto too: the oracle walk
// over the embedded dataset sends thousands of requests, which moto answers
// one at a time (minutes on a busy machine; dynalite takes seconds). make
// test-dynamodb sets it.
const FullEnv = "JCDD_DYNAMODB_FULL"

// loadedOn is loaded on db.
func loadedOn(db impl) storetest.Factory {
	return func(t *testing.T, current string, releases ...*dataset.Release) store.Store {
		t.Helper()
		if db.name == "moto" && strings.HasSuffix(t.Name(), "/EmbeddedDataset") && os.Getenv(FullEnv) == "" {
			t.Skipf("the embedded dataset's oracle walk runs on dynalite; on moto only with %s=1 (make test-dynamodb)", FullEnv)
		}
		c, table, _ := loadedTableOn(t, db, current, releases...)
		return dynamo.New(c, table, dynamo.WithCacheTTL(0))
	}
}

// loadedTable loads the releases into a fresh table on dynalite and
// activates current (the newest when empty); it returns the table and the
// loader used.
func loadedTable(t *testing.T, current string, releases ...*dataset.Release) (*dynamodb.Client, string, *dynamo.Loader) {
	t.Helper()
	return loadedTableOn(t, dynalite, current, releases...)
}

// loadedTableOn is loadedTable on db.
func loadedTableOn(t *testing.T, db impl, current string, releases ...*dataset.Release) (*dynamodb.Client, string, *dynamo.Loader) {
	t.Helper()
	c, table := newTableOn(t, db)
	ctx := context.Background()
	l := &dynamo.Loader{C: c, Table: table, DeleteGrace: time.Millisecond, Bundle: storetest.Bundle, Concurrency: db.concurrency}
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

// The store conformance suite, on dynalite and on moto.
func TestConformance(t *testing.T) {
	onEach(t, func(t *testing.T, db impl) { storetest.Run(t, loadedOn(db)) })
}
