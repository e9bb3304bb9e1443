package dynamo_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/store/dynamo/dynalitetest"
	"github.com/jcdd/jcdd/internal/store/storetest"
)

var dynaliteURL string

func TestMain(m *testing.M) { os.Exit(dynalitetest.Main(m, &dynaliteURL)) }

var tables atomic.Int64

// newTable creates a fresh table for one test and returns a client for it.
func newTable(t testing.TB) (*dynamodb.Client, string) {
	t.Helper()
	dynalitetest.Need(t, dynaliteURL)
	ctx := context.Background()
	c, err := dynalitetest.Client(ctx, dynaliteURL)
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

// loaded builds a DynamoDB store holding the releases, the current one
// activated last, as the loader would publish them.
func loaded(t *testing.T, current string, releases ...*dataset.Release) store.Store {
	t.Helper()
	c, table, _ := loadedTable(t, current, releases...)
	return dynamo.New(c, table, dynamo.WithCacheTTL(0))
}

// loadedTable loads the releases into a fresh table and activates current
// (the newest when empty); it returns the table and the loader used.
func loadedTable(t *testing.T, current string, releases ...*dataset.Release) (*dynamodb.Client, string, *dynamo.Loader) {
	t.Helper()
	c, table := newTable(t)
	ctx := context.Background()
	l := &dynamo.Loader{C: c, Table: table, DeleteGrace: time.Millisecond, Bundle: storetest.Bundle}
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

func TestConformance(t *testing.T) {
	storetest.Run(t, loaded)
}
