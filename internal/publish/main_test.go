package publish_test

import (
	"os"
	"testing"

	"github.com/jcdd/jcdd/internal/testenv/dynamotest"
)

// The tests run on dynalite; those that run on both implementations start
// moto on first use (see mototest).
func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }
