package publish_test

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/synth"
	"github.com/jcdd/jcdd/internal/testenv/dynamotest"
)

// Once written, a record's encoding is let go of: verification compares
// each item read back with the sum recorded when it was made, so that a
// large release does not hold its records' JSON (130 MB at a hundred
// thousand events) while it is read back.
func TestWrittenRecordsAreLetGoBeforeVerification(t *testing.T) {
	c, table := dynamotest.NewTable(t)
	rel := synth.Generate(synth.Options{Events: 300, Seed: 7})
	l := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond}
	p, err := l.Consume(rel)
	if err != nil {
		t.Fatal(err)
	}
	encodings := publish.Encodings(p)
	if len(encodings) < 300 {
		t.Fatalf("%d encodings, want at least one for each of the 300 events", len(encodings))
	}
	held := -1
	// The loader's first Query is verification's (the writes are done).
	l.C = &onFirstQuery{Client: c, f: func() {
		runtime.GC()
		held = 0
		for _, e := range encodings {
			if e.Value() != nil {
				held++
			}
		}
	}}
	sum, err := l.LoadPrepared(context.Background(), p, true)
	if err != nil {
		t.Fatal(err)
	}
	if held != 0 {
		t.Errorf("verification began with %d of the %d records' encodings still held", held, len(encodings))
	}
	if sum.Written != sum.Items || !sum.Activated {
		t.Errorf("load: %+v", sum)
	}
}

// onFirstQuery calls f before the first Query it passes on.
type onFirstQuery struct {
	*dynamodb.Client
	once sync.Once
	f    func()
}

func (o *onFirstQuery) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	o.once.Do(o.f)
	return o.Client.Query(ctx, in, opts...)
}
