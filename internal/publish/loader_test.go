package publish_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynamotest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

// faulty wraps a client and misbehaves on BatchWriteItem as told.
type faulty struct {
	*dynamodb.Client
	mu sync.Mutex
	// failAfter makes every batch after the first n fail with a
	// non-retryable error (0: never).
	failAfter int
	// throttleFirst answers the first n calls with a throttling error.
	throttleFirst int
	// unprocessedFirst leaves half of the items of the first n calls of
	// more than one item unprocessed.
	unprocessedFirst int
	// dropOne silently skips one item of the first batch of more than one
	// item while reporting it processed: a lost write that only
	// verification can catch.
	dropOne bool
	calls   int
	multi   int // calls of more than one item
}

type apiError struct{ code string }

func (e apiError) Error() string                 { return e.code }
func (e apiError) ErrorCode() string             { return e.code }
func (e apiError) ErrorMessage() string          { return e.code }
func (e apiError) ErrorFault() smithy.ErrorFault { return smithy.FaultServer }

func (f *faulty) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	f.mu.Lock()
	f.calls++
	n := f.calls
	multi := 0
	if f.throttleFirst < n && (f.failAfter == 0 || n <= f.failAfter) {
		for _, reqs := range in.RequestItems {
			if len(reqs) > 1 {
				f.multi++
				multi = f.multi
			}
		}
	}
	f.mu.Unlock()
	if f.failAfter > 0 && n > f.failAfter {
		return nil, errors.New("injected failure: connection reset")
	}
	if n <= f.throttleFirst {
		return nil, apiError{"ProvisionedThroughputExceededException"}
	}
	for table, reqs := range in.RequestItems {
		if f.dropOne && multi == 1 {
			out, err := f.Client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs[1:]}}, opts...)
			return &dynamodb.BatchWriteItemOutput{ConsumedCapacity: outCapacity(out)}, err
		}
		if multi > 0 && multi <= f.unprocessedFirst {
			half := len(reqs) / 2
			out, err := f.Client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs[:half]}}, opts...)
			if err != nil {
				return nil, err
			}
			out.UnprocessedItems = map[string][]types.WriteRequest{table: reqs[half:]}
			return out, nil
		}
	}
	return f.Client.BatchWriteItem(ctx, in, opts...)
}

func outCapacity(out *dynamodb.BatchWriteItemOutput) []types.ConsumedCapacity {
	if out == nil {
		return nil
	}
	return out.ConsumedCapacity
}

// quick makes backoff short in tests.
func quick(l *publish.Loader) *publish.Loader {
	l.BaseDelay, l.MaxDelay = time.Millisecond, 5*time.Millisecond
	return l
}

// requireServes checks that the store serves exactly this release as the
// current one: every event, whole, on a walk through every page.
func requireServes(t *testing.T, s store.Store, rel *dataset.Release) {
	t.Helper()
	ctx := context.Background()
	cur, err := s.Release(ctx, "")
	if err != nil || cur.Version != rel.Info.Version {
		t.Fatalf("current release = %q, %v; want %s", cur.Version, err, rel.Info.Version)
	}
	want := map[string]string{}
	for _, e := range rel.Events {
		if !e.Withdrawn() {
			b, _ := json.Marshal(e)
			want[e.ID] = string(b)
		}
	}
	q := store.EventQuery{Page: store.PageRequest{Limit: 3}}
	got := 0
	for {
		p, err := s.Events(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Items {
			b, _ := json.Marshal(e)
			if want[e.ID] != string(b) {
				t.Fatalf("event %s differs from release %s", e.ID, rel.Info.Version)
			}
			got++
		}
		if p.Next == nil {
			break
		}
		q.Page.After = p.Next
	}
	if got != len(want) {
		t.Fatalf("served %d events, release %s has %d", got, rel.Info.Version, len(want))
	}
}

func TestLoadIsIdempotent(t *testing.T) {
	dynamotest.OnEach(t, func(t *testing.T, db dynamotest.Impl) {
		c, table := dynamotest.NewTableOn(t, db)
		v1, _ := storetest.Fixture(t)
		l := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond, Concurrency: db.Concurrency}
		first, err := l.Load(context.Background(), v1, true)
		if err != nil {
			t.Fatal(err)
		}
		if first.AlreadyLoaded || first.Written != first.Items || !first.Activated || first.WriteCapacity <= 0 {
			t.Errorf("first load: %+v", first)
		}
		second, err := l.Load(context.Background(), v1, true)
		if err != nil {
			t.Fatal(err)
		}
		if !second.AlreadyLoaded || second.Written != 0 || second.Items != first.Items {
			t.Errorf("second load: %+v", second)
		}
		requireServes(t, dynamo.New(c, table, dynamo.WithCacheTTL(0)), v1)
	})
}

func TestLoadRefusesChangedContentForTheSameVersion(t *testing.T) {
	c, table := dynamotest.NewTable(t)
	v1, _ := storetest.Fixture(t)
	l := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond}
	if _, err := l.Load(context.Background(), v1, true); err != nil {
		t.Fatal(err)
	}
	v1.Events[0].Title.EN = "Changed after publication"
	_, err := l.Load(context.Background(), v1, true)
	if !errors.Is(err, publish.ErrImmutable) {
		t.Fatalf("err = %v, want ErrImmutable", err)
	}
}

// TestFailedLoadLeavesThePreviousReleaseCurrent injects a failure after a
// few batches, then re-runs the load.
func TestFailedLoadLeavesThePreviousReleaseCurrent(t *testing.T) {
	dynamotest.OnEach(t, func(t *testing.T, db dynamotest.Impl) {
		c, table := dynamotest.NewTableOn(t, db)
		v1, v2 := storetest.Fixture(t)
		ctx := context.Background()
		if _, err := (&publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond, Concurrency: db.Concurrency}).Load(ctx, v1, true); err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{1, 3} {
			f := &faulty{Client: c, failAfter: n}
			_, err := quick(&publish.Loader{C: f, Table: table, Concurrency: 1}).Load(ctx, v2, true)
			if err == nil || !strings.Contains(err.Error(), "injected failure") {
				t.Fatalf("failAfter %d: err = %v", n, err)
			}
			s := dynamo.New(c, table, dynamo.WithCacheTTL(0))
			requireServes(t, s, v1)
			if _, err := s.Release(ctx, "1.1.0"); !errors.Is(err, store.ErrUnknownRelease) {
				t.Errorf("a half-loaded release is visible: %v", err)
			}
			if _, err := s.Events(ctx, store.EventQuery{Release: "1.1.0"}); !errors.Is(err, store.ErrUnknownRelease) {
				t.Errorf("a half-loaded release can be pinned: %v", err)
			}
		}
		sum, err := (&publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond, Concurrency: db.Concurrency}).Load(ctx, v2, true)
		if err != nil {
			t.Fatal(err)
		}
		if !sum.Activated || sum.Previous != "1.0.0" {
			t.Errorf("re-run: %+v", sum)
		}
		requireServes(t, dynamo.New(c, table, dynamo.WithCacheTTL(0)), v2)
	})
}

func TestRetriesThrottlingAndUnprocessedItems(t *testing.T) {
	c, table := dynamotest.NewTable(t)
	v1, _ := storetest.Fixture(t)
	f := &faulty{Client: c, throttleFirst: 3, unprocessedFirst: 6}
	sum, err := quick(&publish.Loader{C: f, Table: table, Concurrency: 2}).Load(context.Background(), v1, true)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Retries < 6 {
		t.Errorf("retries = %d, want at least 6", sum.Retries)
	}
	requireServes(t, dynamo.New(c, table, dynamo.WithCacheTTL(0)), v1)
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	c, table := dynamotest.NewTable(t)
	v1, _ := storetest.Fixture(t)
	f := &faulty{Client: c, throttleFirst: 1000}
	_, err := quick(&publish.Loader{C: f, Table: table, MaxAttempts: 3}).Load(context.Background(), v1, true)
	if err == nil || !strings.Contains(err.Error(), "attempt 3") {
		t.Fatalf("err = %v", err)
	}
}

// TestVerificationCatchesALostWrite: the table acknowledges an item it did
// not store; the loader must not report success nor activate.
func TestVerificationCatchesALostWrite(t *testing.T) {
	c, table := dynamotest.NewTable(t)
	v1, _ := storetest.Fixture(t)
	f := &faulty{Client: c, dropOne: true}
	_, err := (&publish.Loader{C: f, Table: table, Concurrency: 1}).Load(context.Background(), v1, true)
	if err == nil || !strings.Contains(err.Error(), "verification failed") {
		t.Fatalf("err = %v", err)
	}
	if _, err := dynamo.New(c, table).Release(context.Background(), ""); !errors.Is(err, store.ErrUnknownRelease) {
		t.Errorf("a release was activated despite the lost write: %v", err)
	}
	// A re-run with a healthy table completes.
	if _, err := (&publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond}).Load(context.Background(), v1, true); err != nil {
		t.Fatal(err)
	}
}

// TestRerunRemovesStrayItems: an earlier attempt at the same version with
// other content left items behind; the next run removes them.
func TestRerunRemovesStrayItems(t *testing.T) {
	c, table := dynamotest.NewTable(t)
	v1, _ := storetest.Fixture(t)
	ctx := context.Background()
	draft, _ := storetest.Fixture(t)
	draft.Events = append(draft.Events, draft.Events[0])
	draft.Events[len(draft.Events)-1].ID = "e-draft-only"
	f := &faulty{Client: c, failAfter: 1000000}
	if _, err := (&publish.Loader{C: f, Table: table}).Load(ctx, draft, false); err != nil {
		t.Fatal(err)
	}
	// Pretend the draft never completed: mark it loading again.
	items, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, Key: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "release"}, "sk": &types.AttributeValueMemberS{Value: "1.0.0"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	items.Item["state"] = &types.AttributeValueMemberS{Value: "loading"}
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: items.Item}); err != nil {
		t.Fatal(err)
	}
	sum, err := (&publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond}).Load(ctx, v1, true)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Removed == 0 {
		t.Errorf("no stray items removed: %+v", sum)
	}
	s := dynamo.New(c, table, dynamo.WithCacheTTL(0))
	requireServes(t, s, v1)
	if _, _, err := s.Event(ctx, "", "e-draft-only"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("stray event still readable: %v", err)
	}
}

func TestActivateRollbackListAndDelete(t *testing.T) {
	dynamotest.OnEach(t, func(t *testing.T, db dynamotest.Impl) {
		c, table := dynamotest.NewTableOn(t, db)
		v1, v2 := storetest.Fixture(t)
		ctx := context.Background()
		l := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond, Concurrency: db.Concurrency}
		for _, r := range []*dataset.Release{v1, v2} {
			if _, err := l.Load(ctx, r, true); err != nil {
				t.Fatal(err)
			}
		}
		s := dynamo.New(c, table, dynamo.WithCacheTTL(0))
		requireServes(t, s, v2)
		prev, err := l.Activate(ctx, "1.0.0")
		if err != nil || prev != "1.1.0" {
			t.Fatalf("rollback: %q, %v", prev, err)
		}
		requireServes(t, s, v1)
		if _, err := l.Activate(ctx, "3.0.0"); !errors.Is(err, store.ErrUnknownRelease) {
			t.Errorf("activate unknown: %v", err)
		}
		list, err := l.List(ctx)
		if err != nil || len(list) != 2 || list[0].Version != "1.1.0" || list[0].Current || !list[1].Current || list[1].State != "complete" {
			t.Errorf("list = %+v, %v", list, err)
		}
		if _, err := l.Delete(ctx, "1.0.0"); err == nil || !strings.Contains(err.Error(), "is current") {
			t.Errorf("deleting the current release: %v", err)
		}
		n, err := l.Delete(ctx, "1.1.0")
		if err != nil || n == 0 {
			t.Fatalf("delete: %d, %v", n, err)
		}
		if _, err := s.Release(ctx, "1.1.0"); !errors.Is(err, store.ErrUnknownRelease) {
			t.Errorf("deleted release still served: %v", err)
		}
		if rels, _ := s.Releases(ctx); len(rels) != 1 {
			t.Errorf("releases after delete: %+v", rels)
		}
		requireServes(t, s, v1)
	})
}

// TestReadersSeeOnlyCompleteReleases reads continuously while a release is
// loaded and activated: every page must come whole from one release.
func TestReadersSeeOnlyCompleteReleases(t *testing.T) {
	c, table := dynamotest.NewTable(t)
	v1, v2 := storetest.Fixture(t)
	ctx := context.Background()
	if _, err := (&publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond}).Load(ctx, v1, true); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{}
	for _, r := range []*dataset.Release{v1, v2} {
		want[r.Info.Version] = map[string]string{}
		for _, e := range r.Events {
			b, _ := json.Marshal(e)
			want[r.Info.Version][e.ID] = string(b)
		}
	}
	s := dynamo.New(c, table, dynamo.WithCacheTTL(0))
	var stop atomic.Bool
	var pages, bad atomic.Int64
	seen := sync.Map{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				p, err := s.Events(ctx, store.EventQuery{Page: store.PageRequest{Limit: 50}})
				if err != nil {
					bad.Add(1)
					continue
				}
				pages.Add(1)
				seen.Store(p.Release.Version, true)
				for _, e := range p.Items {
					b, _ := json.Marshal(e)
					if want[p.Release.Version][e.ID] != string(b) {
						bad.Add(1)
					}
				}
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	if _, err := (&publish.Loader{C: c, Table: table, Concurrency: 1}).Load(ctx, v2, true); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	_, saw1 := seen.Load("1.0.0")
	_, saw2 := seen.Load("1.1.0")
	if bad.Load() != 0 || !saw1 || !saw2 {
		t.Errorf("%d pages, %d bad; saw 1.0.0 %v, 1.1.0 %v", pages.Load(), bad.Load(), saw1, saw2)
	}
}
