package publish_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynamotest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

// jittery delays every call to the table by a random time up to max, so
// that the steps of two administrators interleave differently every time.
// It counts the transactions the table ran (committed or cancelled). With
// serial set it sends the table one request at a time (see
// TestActivateDeleteRace).
type jittery struct {
	*dynamodb.Client
	max    time.Duration
	tx     *atomic.Int64
	serial *sync.Mutex
}

// pause waits a random time, then, with serial set, takes the table's turn:
// call the returned function when the request is answered.
func (j jittery) pause() (done func()) {
	time.Sleep(rand.N(j.max + 1))
	if j.serial == nil {
		return func() {}
	}
	j.serial.Lock()
	return j.serial.Unlock
}

func (j jittery) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	defer j.pause()()
	return j.Client.BatchWriteItem(ctx, in, opts...)
}

func (j jittery) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	defer j.pause()()
	return j.Client.GetItem(ctx, in, opts...)
}

func (j jittery) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	defer j.pause()()
	return j.Client.PutItem(ctx, in, opts...)
}

func (j jittery) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	defer j.pause()()
	return j.Client.DeleteItem(ctx, in, opts...)
}

func (j jittery) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	defer j.pause()()
	return j.Client.Query(ctx, in, opts...)
}

func (j jittery) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	defer j.pause()()
	out, err := j.Client.TransactWriteItems(ctx, in, opts...)
	var tc *types.TransactionCanceledException
	if err == nil || errors.As(err, &tc) {
		j.tx.Add(1)
	}
	return out, err
}

// raceRounds is the number of interleavings of a run (JCDD_RACE_ROUNDS
// overrides it).
func raceRounds(t *testing.T, n int) int {
	if s := os.Getenv("JCDD_RACE_ROUNDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("JCDD_RACE_ROUNDS=%q: %v", s, err)
		}
		return n
	}
	return n
}

// small keeps one record of each kind of a release, and of its event only
// what needs no partition of its own (actors, countries, tags), so that
// deleting the release, every other round, is quick.
func small(r *dataset.Release) *dataset.Release {
	s := *r
	s.Events, s.Actors, s.Budgets, s.Programs, s.Sources = slices.Clone(r.Events[:1]), r.Actors[:1], r.Budgets[:1], r.Programs[:1], r.Sources[:1]
	e := &s.Events[0]
	e.Actors, e.Countries, e.Tags = nil, nil, nil
	return &s
}

// rawState reads, with strongly consistent reads, which release the pointer
// names and the state of a release's metadata ("" when it is gone).
func rawState(t *testing.T, c *dynamodb.Client, table, version string) (current, state string) {
	t.Helper()
	get := func(sk, attr string) string {
		out, err := c.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true), Key: map[string]types.AttributeValue{
			dynamo.AttrPK: &types.AttributeValueMemberS{Value: "release"},
			dynamo.AttrSK: &types.AttributeValueMemberS{Value: sk},
		}})
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := out.Item[attr].(*types.AttributeValueMemberS); ok {
			return v.Value
		}
		return ""
	}
	return get("~current", "version"), get(version, "state")
}

// raceActivateDelete runs, round after round, an activation and a deletion
// of the same release at once, each after a random delay and with every
// call to the table delayed at random. Whatever the interleaving, the
// pointer must end on a complete release: never on one that is being
// deleted, is gone, or was never complete.
// It returns how many transactions the table ran.
func raceActivateDelete(t *testing.T, c *dynamodb.Client, table string, rounds int, serial bool, mk func(publish.WriteAPI) *publish.Loader) int64 {
	v1, v2 := storetest.Fixture(t)
	v1, v2 = small(v1), small(v2)
	var tx atomic.Int64
	var turn *sync.Mutex
	if serial {
		turn = new(sync.Mutex)
	}
	ctx := context.Background()
	admin := mk(c)
	for _, r := range []*dataset.Release{v1, v2} {
		if _, err := admin.Load(ctx, r, false); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := admin.Activate(ctx, v1.Info.Version); err != nil {
		t.Fatal(err)
	}
	target := v2.Info.Version
	snapshot := scanItems(t, c, table)
	t.Logf("%d items in the table", len(snapshot))
	outcomes := map[string]int{}
	var violations []string
	start := time.Now()
	spread := 10 * time.Millisecond
	for round := range rounds {
		// One of the two starts later by a random offset of up to twice
		// what an activation takes, so that each can overtake the other
		// anywhere in its steps.
		offset := time.Duration(rand.Int64N(4*int64(spread)+1)) - 2*spread
		var actErr, delErr error
		var took time.Duration
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			time.Sleep(max(offset, 0))
			t0 := time.Now()
			_, actErr = mk(jittery{c, 2 * time.Millisecond, &tx, turn}).Activate(ctx, target)
			took = time.Since(t0)
		}()
		go func() {
			defer wg.Done()
			time.Sleep(max(-offset, 0))
			_, delErr = mk(jittery{c, 2 * time.Millisecond, &tx, turn}).Delete(ctx, target)
		}()
		wg.Wait()
		spread = (3*spread + took) / 4
		outcomes[fmt.Sprintf("activate %s, delete %s", verdict(actErr), verdict(delErr))]++
		current, state := rawState(t, c, table, target)
		if current == target && state != "complete" {
			violations = append(violations, fmt.Sprintf("round %d: the pointer is on %s, whose metadata is %q (activate: %v; delete: %v)",
				round, target, cmp(state, "gone"), actErr, delErr))
		}
		// Back to the starting point (1.0.0 current, 1.1.0 complete): the
		// table's items as they were, written back.
		if current != v1.Info.Version || state != "complete" {
			restore(t, c, table, snapshot)
		}
	}
	var summary []string
	for o, n := range outcomes {
		summary = append(summary, fmt.Sprintf("%d× %s", n, o))
	}
	sort.Strings(summary)
	t.Logf("%d rounds in %s: %s", rounds, time.Since(start).Round(time.Millisecond), strings.Join(summary, "; "))
	if len(violations) > 0 {
		t.Errorf("%d of %d rounds left the pointer on a release that is not complete; the first:\n%s",
			len(violations), rounds, strings.Join(violations[:min(5, len(violations))], "\n"))
	}
	return tx.Load()
}

// scanItems reads every item of a table (a test may scan).
func scanItems(t *testing.T, c *dynamodb.Client, table string) []map[string]types.AttributeValue {
	t.Helper()
	var items []map[string]types.AttributeValue
	p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true)})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, out.Items...)
	}
	return items
}

// restore writes items back into a table. (The rounds only remove items
// and change them: writing the starting items back restores the start.)
func restore(t *testing.T, c *dynamodb.Client, table string, items []map[string]types.AttributeValue) {
	t.Helper()
	ctx := context.Background()
	for len(items) > 0 {
		n := min(len(items), publish.BatchSize)
		reqs := make([]types.WriteRequest, n)
		for i, it := range items[:n] {
			reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: it}}
		}
		out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs}})
		if err != nil {
			t.Fatalf("restoring the table: %v", err)
		}
		if len(out.UnprocessedItems) > 0 {
			t.Fatalf("restoring the table: %d items unprocessed", len(out.UnprocessedItems))
		}
		items = items[n:]
	}
}

func verdict(err error) string {
	if err == nil {
		return "succeeded"
	}
	return "refused"
}

func cmp(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// TestActivateDeleteRace races Activate and Delete of the same release:
//
//   - moto/transactions: the path DynamoDB takes, with TransactWriteItems
//     (200 rounds);
//   - dynalite/lock: dynalite has no transactions; the loader finds that out
//     and takes the release lock (200 rounds);
//   - moto/lock: the lock on the other implementation (30 rounds; 200 with
//     JCDD_DYNAMODB_FULL set, as make test-dynamodb does).
//
// DynamoDB runs each request atomically, a transaction included, and
// isolates transactions from each other. moto 5.2.1 does not when requests
// arrive at once: its server answers them on several threads, and
// TransactWriteItems checks and writes items without a lock (it copies the
// whole table first, and restores that copy when the transaction is
// cancelled). Sent concurrently, an activation and a delete both committed
// in 1 round of 200. So on moto the administrators' requests reach the table
// one at a time: their steps still interleave at random, request by
// request, which is the interleaving this test is about.
func TestActivateDeleteRace(t *testing.T) {
	runs := []struct {
		name   string
		db     dynamotest.Impl
		noTx   bool
		rounds int
	}{
		{"moto/transactions", dynamotest.Moto, false, 200},
		{"dynalite/lock", dynamotest.Dynalite, false, 200},
		{"moto/lock", dynamotest.Moto, true, 30},
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			rounds := r.rounds
			if os.Getenv(dynamotest.FullEnv) != "" {
				rounds = max(rounds, 200)
			}
			c, table := dynamotest.NewTableOn(t, r.db)
			tx := raceActivateDelete(t, c, table, raceRounds(t, rounds), r.db.Name == "moto", func(api publish.WriteAPI) *publish.Loader {
				return &publish.Loader{C: api, Table: table, DeleteGrace: time.Millisecond, NoTransactions: r.noTx, Concurrency: r.db.Concurrency}
			})
			switch lock := r.noTx || r.db.Name == "dynalite"; {
			case lock && tx > 0:
				t.Errorf("%d transactions ran on the lock's path", tx)
			case !lock && tx == 0:
				t.Error("no transaction ran on the transactional path")
			}
		})
	}
}
