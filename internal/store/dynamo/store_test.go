package dynamo_test

import (
	"os"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynamotest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

// The tests run on dynalite; those that run on both implementations start
// moto on first use (see mototest).
func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

// loadedOn is loaded on db.
func loadedOn(db dynamotest.Impl) storetest.Factory {
	return func(t *testing.T, current string, releases ...*dataset.Release) store.Store {
		t.Helper()
		if db.Name == "moto" && strings.HasSuffix(t.Name(), "/EmbeddedDataset") && os.Getenv(dynamotest.FullEnv) == "" {
			t.Skipf("the embedded dataset's oracle walk runs on dynalite; on moto only with %s=1 (make test-dynamodb)", dynamotest.FullEnv)
		}
		c, table, _ := dynamotest.LoadedOn(t, db, current, releases...)
		return dynamo.New(c, table, dynamo.WithCacheTTL(0))
	}
}

// The store conformance suite, on dynalite and on moto.
func TestConformance(t *testing.T) {
	dynamotest.OnEach(t, func(t *testing.T, db dynamotest.Impl) { storetest.Run(t, loadedOn(db)) })
}
