package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
)

// WriteAPI is the part of the DynamoDB client the loader uses.
type WriteAPI interface {
	dynamo.ReadAPI
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	BatchWriteItem(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
	// TransactWriteItems makes the changes of release state that span
	// items (see Activate, Delete); a table without it (dynalite) gets the
	// release lock instead.
	TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// BatchSize is DynamoDB's limit of items per BatchWriteItem.
const BatchSize = 25

// Progress receives the loader's progress: the start of each phase with the
// number of items it will handle, then increments.
type Progress interface {
	Phase(name string, total int)
	Add(n int)
}

type noProgress struct{}

func (noProgress) Phase(string, int) {}
func (noProgress) Add(int)           {}

// Loader publishes releases into a table.
type Loader struct {
	C     WriteAPI
	Table string
	// Concurrency bounds the batches in flight (default 4).
	Concurrency int
	// MaxAttempts bounds the attempts of one batch, counting retries of
	// unprocessed items and of throttling errors (default 10).
	MaxAttempts int
	// BaseDelay and MaxDelay shape the exponential backoff with full jitter
	// between attempts (defaults 25 ms and 2 s).
	BaseDelay, MaxDelay time.Duration
	Progress            Progress
	Log                 *slog.Logger
	// DeleteGrace is how long Delete waits between hiding a release and
	// removing its items, so that every reader's cached metadata has
	// expired and no request reads a half-deleted release (default: twice
	// dynamo.DefaultCacheTTL).
	DeleteGrace time.Duration
	// Bundle, when set, builds a release's bundle (its zip and its SQLite
	// database) and describes them: names, SHA-256 and sizes. Load keeps the description in the
	// release's metadata, where the API's release index reads it. It is a
	// function so that the caller decides how a release is built (Deploy
	// and jcdd load pass package release's Describe: the bytes the bucket
	// receives).
	Bundle func(*dataset.Release) (store.Bundle, error)
	// Pages, when set, gives the release's web pages by language, which are
	// written with its items for the API to serve (release.Set.Pages).
	Pages func(*dataset.Release) (map[string][]byte, error)
	// Tally, when set, gives the release's counts as already built
	// (release.Set.Tally), rather than counting them again (store.TallyOf).
	Tally func(*dataset.Release) *store.Tally
	// NoTransactions makes Activate and Delete take the release lock
	// rather than use TransactWriteItems, as they do by themselves on a
	// table that lacks transactions (dynalite). Tests set it to run that
	// path on an implementation that has them.
	NoTransactions bool
	// LockLease bounds how long the release lock is held before another
	// administrator may take it over (default 30 s); LockWait is how long
	// to wait for it (default 10 s).
	LockLease, LockWait time.Duration

	noTx atomic.Bool // the table answered that it has no transactions
}

// Summary reports what a load did.
type Summary struct {
	Version       string
	Items         int     // data items of the release
	Written       int     // items written by this run (0 when it was already loaded)
	Removed       int     // stray items of an earlier attempt that were removed
	Retries       int64   // batch retries: unprocessed items and throttling
	WriteCapacity float64 // consumed write capacity units
	Duration      time.Duration
	AlreadyLoaded bool
	Activated     bool
	Previous      string // the release that was current before activation
	// Changes lists the change sets this run computed and wrote, as
	// "1.1.0 since 1.0.0": this release's since every older release in the
	// table, and every newer release's since this one, where missing.
	Changes []string
}

// ErrImmutable is returned when a version is loaded again with different
// content: a published release never changes; bump the version instead.
var ErrImmutable = errors.New("a release with this version is already loaded with different content")

// ErrBundleChanged is returned when the bundle built for a loaded release
// differs from the one described when it was loaded: a published download
// never changes. (The bundle's bytes depend on the export code and the Go
// release that compresses it; a change there must not alter a published
// release's zip.)
var ErrBundleChanged = errors.New("the release's bundle differs from the one published when it was loaded")

func (l *Loader) defaults() {
	if l.Concurrency < 1 {
		l.Concurrency = 4
	}
	if l.MaxAttempts < 1 {
		l.MaxAttempts = 10
	}
	if l.BaseDelay <= 0 {
		l.BaseDelay = 25 * time.Millisecond
	}
	if l.MaxDelay <= 0 {
		l.MaxDelay = 2 * time.Second
	}
	if l.Progress == nil {
		l.Progress = noProgress{}
	}
	if l.Log == nil {
		l.Log = slog.New(slog.DiscardHandler)
	}
	if l.DeleteGrace == 0 {
		l.DeleteGrace = 2 * dynamo.DefaultCacheTTL
	}
	if l.LockLease <= 0 {
		l.LockLease = 30 * time.Second
	}
	if l.LockWait <= 0 {
		l.LockWait = 10 * time.Second
	}
}

// Load writes every item of a release, verifies what the table holds, marks
// the release complete and, if activate is set, makes it current. It can be
// re-run after any failure or crash and converges; until it succeeds the
// previous release stays current and readers never see the new one.
func (l *Loader) Load(ctx context.Context, rel *dataset.Release, activate bool) (*Summary, error) {
	p, err := l.Prepare(rel)
	if err != nil {
		return nil, err
	}
	return l.LoadPrepared(ctx, p, activate)
}

// Prepared is a release made ready to load (Loader.Prepare): its items,
// each record encoded once, and its metadata. It holds nothing of the
// release as decoded, so that a caller that lets go of the release (as
// jcdd load does) loads it with its items alone in memory.
type Prepared struct {
	items  *itemList
	meta   *dynamo.ReleaseMeta
	took   time.Duration // making it, which the load's duration includes
	loaded bool          // LoadPrepared has taken its items
}

// Version is the version of the prepared release.
func (p *Prepared) Version() string { return p.meta.Version }

// Prepare makes a release's items and metadata: its records encoded, its
// pages (Pages) compressed, its counts (Tally) and its bundle (Bundle)
// described. Nothing is read or written.
func (l *Loader) Prepare(rel *dataset.Release) (*Prepared, error) {
	return l.prepare(rel, false)
}

// Consume is Prepare for a caller that is done with rel once it is
// prepared: each record of rel is cleared as soon as it is encoded, so that
// the records as decoded (about 210 MB at a hundred thousand events) and
// their encodings (130 MB) are never all held together. rel is left with
// its release information and checksums, and without records.
func (l *Loader) Consume(rel *dataset.Release) (*Prepared, error) {
	return l.prepare(rel, true)
}

func (l *Loader) prepare(rel *dataset.Release, consume bool) (*Prepared, error) {
	l.defaults()
	start := time.Now()
	pages, err := l.gzipPages(rel)
	if err != nil {
		return nil, err
	}
	// The bundle before the items, which may consume the records it is
	// built from.
	var bundle *store.Bundle
	if l.Bundle != nil {
		b, err := l.Bundle(rel)
		if err != nil {
			return nil, fmt.Errorf("release %s: building its bundle: %w", rel.Info.Version, err)
		}
		bundle = &b
	}
	tally := store.TallyOf
	if l.Tally != nil {
		tally = l.Tally
	}
	items, meta, err := makeItems(rel, tally(rel), pages, consume)
	if err != nil {
		return nil, err
	}
	meta.Bundle = bundle
	return &Prepared{items: items, meta: meta, took: time.Since(start)}, nil
}

// LoadPrepared is Load for a release already prepared. It takes the items
// out of p, letting go of them once they are verified: p is loaded once.
// The changes between the release and the others in the table are computed
// from the records as the table holds them, read back when they are needed
// (the items written are verified first).
func (l *Loader) LoadPrepared(ctx context.Context, p *Prepared, activate bool) (*Summary, error) {
	l.defaults()
	if p.loaded {
		return nil, fmt.Errorf("release %s was already loaded from this preparation; prepare it again", p.meta.Version)
	}
	start := time.Now().Add(-p.took)
	items, meta := p.items, p.meta
	p.items, p.loaded = nil, true
	self := &releaseReader{l: l, version: meta.Version}
	sum := &Summary{Version: meta.Version, Items: items.len()}
	existing, err := l.readMeta(ctx, meta.Version)
	if err != nil {
		return nil, err
	}
	switch {
	case existing != nil && existing.State == dynamo.StateComplete && existing.Digest == meta.Digest:
		sum.AlreadyLoaded = true
		l.Log.Info("release already loaded and verified", "version", meta.Version)
		if err := l.checkBundle(ctx, existing, meta); err != nil {
			return sum, err
		}
		// Releases loaded since (older or newer) may still lack their
		// changes against this one, e.g. after a crash.
		if sum.Changes, err = l.linkChanges(ctx, self, true, true); err != nil {
			return sum, err
		}
	case existing != nil && existing.State == dynamo.StateComplete:
		return nil, fmt.Errorf("release %s: %w; bump the version", meta.Version, ErrImmutable)
	case existing != nil && existing.State == dynamo.StateDeleting:
		return nil, fmt.Errorf("release %s is being deleted; finish with the delete command first", meta.Version)
	default:
		if err := l.putMeta(ctx, meta, dynamo.StateLoading); err != nil {
			return nil, err
		}
		var wcu atomicFloat
		// The list of the release's partitions first: a load that stops
		// half-way leaves a release that delete can find every item of.
		// Then the others by source, each let go of once written.
		list := partitionList(items, meta.Version)
		items.track()
		if err := l.writeAll(ctx, &sum.Retries, &wcu, items, list.indexes()); err != nil {
			return sum, err
		}
		if err := l.writeAll(ctx, &sum.Retries, &wcu, items, items.bySource(list)); err != nil {
			return sum, err
		}
		sum.Written, sum.WriteCapacity = items.len(), wcu.load()
		removed, err := l.verify(ctx, meta, items)
		sum.Removed = removed
		if err != nil {
			return sum, err
		}
		items = nil // verified: only the table's copy is read from here
		// Its changes since every older release first, so that a release
		// is never served without them; then it becomes complete; then
		// newer releases get their changes since it, which must not be
		// served before it is.
		older, err := l.linkChanges(ctx, self, true, false)
		sum.Changes = older
		if err != nil {
			return sum, err
		}
		if err := l.putMeta(ctx, meta, dynamo.StateComplete); err != nil {
			return sum, err
		}
		newer, err := l.linkChanges(ctx, self, false, true)
		sum.Changes = append(sum.Changes, newer...)
		if err != nil {
			return sum, err
		}
	}
	if activate {
		prev, err := l.Activate(ctx, meta.Version)
		if err != nil {
			return sum, err
		}
		sum.Activated, sum.Previous = true, prev
	}
	sum.Duration = time.Since(start)
	return sum, nil
}

// gzipPages gives the release's pages (Pages), each gzip-compressed as it
// is stored; the pages as rendered are not kept.
func (l *Loader) gzipPages(rel *dataset.Release) (map[string][]byte, error) {
	if l.Pages == nil {
		return nil, nil
	}
	pages, err := l.Pages(rel)
	if err != nil {
		return nil, fmt.Errorf("release %s: rendering its pages: %w", rel.Info.Version, err)
	}
	gz := make(map[string][]byte, len(pages))
	for lang, page := range pages {
		if gz[lang], err = gzipBytes(page); err != nil {
			return nil, fmt.Errorf("release %s: page %s: %w", rel.Info.Version, lang, err)
		}
	}
	return gz, nil
}

// checkBundle compares the bundle described now with the one described
// when the release was loaded. A release loaded without a description (by a
// loader without Bundle, or before bundles were described) gets it now, in
// its metadata and, if it is current, in the pointer; so does one whose
// description lacks the SQLite database (loaded before databases were
// built), provided its zip is the same.
func (l *Loader) checkBundle(ctx context.Context, existing, meta *dynamo.ReleaseMeta) error {
	switch {
	case meta.Bundle == nil:
		return nil
	case existing.Bundle != nil && existing.Bundle.Equal(*meta.Bundle):
		return nil
	case existing.Bundle != nil && !existing.Bundle.SameZip(*meta.Bundle):
		return fmt.Errorf("release %s: %w (sha256 %s, %d bytes now; %s, %d bytes when it was loaded); build it with the code that published it",
			meta.Version, ErrBundleChanged, meta.Bundle.SHA256, meta.Bundle.Size, existing.Bundle.SHA256, existing.Bundle.Size)
	case existing.Bundle != nil && meta.Bundle.SQLite == nil:
		// Described now without the database: what was described stands.
		return nil
	case existing.Bundle != nil && existing.Bundle.SQLite != nil:
		return fmt.Errorf("release %s: %w (its database has sha256 %s, %d bytes now; %s, %d bytes when it was loaded); build it with the code that published it",
			meta.Version, ErrBundleChanged, meta.Bundle.SQLite.SHA256, meta.Bundle.SQLite.Size, existing.Bundle.SQLite.SHA256, existing.Bundle.SQLite.Size)
	}
	m := *existing
	m.Bundle, m.UpdatedAt = meta.Bundle, time.Now().UTC().Format(time.RFC3339)
	cond := expression.Name("state").Equal(expression.Value(dynamo.StateComplete)).And(expression.Name("digest").Equal(expression.Value(existing.Digest)))
	if err := l.putIf(ctx, &m, cond); err != nil {
		return fmt.Errorf("describing the bundle of release %s: %w", m.Version, err)
	}
	ptr, err := l.readMeta(ctx, dynamo.PointerSK)
	if err != nil || ptr == nil || ptr.Version != m.Version || (ptr.Bundle != nil && ptr.Bundle.Equal(*meta.Bundle)) {
		return err
	}
	ptr.Bundle = meta.Bundle
	if err := l.putIf(ctx, ptr, expression.Name("version").Equal(expression.Value(m.Version))); err != nil {
		return fmt.Errorf("describing the bundle of release %s in the current-release pointer: %w", m.Version, err)
	}
	l.Log.Info("bundle described", "version", m.Version, "sha256", meta.Bundle.SHA256, "size", meta.Bundle.Size)
	return nil
}

// putIf writes a metadata item (or the pointer) under a condition; a
// condition that fails gives errChanged.
func (l *Loader) putIf(ctx context.Context, m *dynamo.ReleaseMeta, cond expression.ConditionBuilder) error {
	av, err := dynamo.Marshal(m)
	if err != nil {
		return err
	}
	expr, err := expression.NewBuilder().WithCondition(cond).Build()
	if err != nil {
		return err
	}
	_, err = l.C.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(l.Table), Item: av, ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return fmt.Errorf("%s/%s %w", m.PK, m.SK, errChanged)
	}
	return err
}

// errChanged is what putIf gives when its condition fails: the item is no
// longer as the loader read it.
var errChanged = errors.New("changed meanwhile (another loader?); re-run")

// maxChangesSize bounds the encoded changes of one pair of releases, below
// DynamoDB's item size limit of 400 KB (the item's keys and attribute names
// need the rest). The dataset's releases are far below it: every record of
// the dataset changed in every field would take about a quarter of it.
const maxChangesSize = 350_000

// releaseReader reads a release's records back from the table
// (dynamo.ReadRelease) when they are first needed, and keeps them.
type releaseReader struct {
	l       *Loader
	version string
	rel     *dataset.Release
}

func (r *releaseReader) get(ctx context.Context) (*dataset.Release, error) {
	if r.rel == nil {
		rel, err := dynamo.ReadRelease(ctx, r.l.C, r.l.Table, r.version)
		if err != nil {
			return nil, err
		}
		r.rel = rel
	}
	return r.rel, nil
}

// linkChanges makes sure that the table holds the changes between a
// release (self, which has been verified in the table) and
// every other complete release: self's changes since each older one, under
// self's prefix (when older is set), and each newer one's changes since self,
// under the newer one's prefix (when newer is set). Change sets already in
// the table are kept: both releases of a pair are immutable, and so is their
// difference. Both releases of a pair are read back from the table, so
// that any release there counts, embedded in this binary or not, and a
// release is read only when a change set needs it. It returns
// the pairs it wrote.
func (l *Loader) linkChanges(ctx context.Context, self *releaseReader, older, newer bool) ([]string, error) {
	v := self.version
	var others []string
	err := l.queryAll(ctx, dynamo.ReleasePK, nil, func(it dynamo.Item) error {
		m, err := decodeMeta(it)
		if err != nil {
			return fmt.Errorf("computing the changes of release %s: %w", v, err)
		}
		if m.SK != dynamo.PointerSK && m.State == dynamo.StateComplete && m.Version != v {
			others = append(others, m.Version)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(others, dataset.CompareVersions)
	have := map[string]bool{} // releases rel has its changes since
	if older {
		proj := expression.NamesList(expression.Name(dynamo.AttrPK), expression.Name(dynamo.AttrSK))
		err := l.queryAll(ctx, dynamo.ChangesPK(v), &proj, func(it dynamo.Item) error {
			_, sk := dynamo.KeyOf(it)
			have[sk] = true
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	// readBoth reads another release back, and this one.
	readBoth := func(o string) (other, rel *dataset.Release, err error) {
		if other, err = dynamo.ReadRelease(ctx, l.C, l.Table, o); err != nil {
			return nil, nil, err
		}
		rel, err = self.get(ctx)
		return other, rel, err
	}
	var written []string
	for _, o := range others {
		var from, to *dataset.Release
		switch c := dataset.CompareVersions(o, v); {
		case c < 0 && older && !have[o]:
			other, rel, err := readBoth(o)
			if err != nil {
				return written, err
			}
			from, to = other, rel
		case c > 0 && newer:
			out, err := l.C.GetItem(ctx, &dynamodb.GetItemInput{
				TableName: aws.String(l.Table), Key: dynamo.Key(dynamo.ChangesPK(o), v), ConsistentRead: aws.Bool(true),
				ProjectionExpression: aws.String(dynamo.AttrSK),
			})
			if err != nil {
				return written, fmt.Errorf("reading the changes of %s since %s: %w", o, v, err)
			}
			if out.Item != nil {
				continue
			}
			other, rel, err := readBoth(o)
			if err != nil {
				return written, err
			}
			from, to = rel, other
		default:
			continue
		}
		if err := l.putChanges(ctx, from, to); err != nil {
			return written, err
		}
		written = append(written, to.Info.Version+" since "+from.Info.Version)
	}
	return written, nil
}

// putChanges computes and writes the changes of to since from.
func (l *Loader) putChanges(ctx context.Context, from, to *dataset.Release) error {
	c, err := dataset.Diff(from, to)
	if err != nil {
		return err
	}
	if b, err := json.Marshal(c); err != nil || len(b) > maxChangesSize {
		return fmt.Errorf("the changes of %s since %s take %d bytes, more than one item holds (%d); %v", to.Info.Version, from.Info.Version, len(b), maxChangesSize, err)
	}
	var b itemBuilder
	b.add(dynamo.ChangesPK(to.Info.Version), from.Info.Version, dynamo.RecordItem[dataset.Changes]{Doc: c})
	if b.err != nil {
		return b.err
	}
	if _, err := l.C.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(l.Table), Item: b.items.at(0).item()}); err != nil {
		return fmt.Errorf("writing the changes of %s since %s: %w", to.Info.Version, from.Info.Version, err)
	}
	l.Log.Info("changes written", "release", to.Info.Version, "since", from.Info.Version)
	return nil
}

func (l *Loader) readMeta(ctx context.Context, sk string) (*dynamo.ReleaseMeta, error) {
	out, err := l.C.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(l.Table), Key: dynamo.Key(dynamo.ReleasePK, sk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("reading %s/%s: %w", dynamo.ReleasePK, sk, err)
	}
	if out.Item == nil {
		return nil, nil
	}
	return decodeMeta(out.Item)
}

// putMeta writes a release's metadata in a state. Moving to "loading" is
// refused if someone else completed the release meanwhile; moving to
// "complete" requires that it is still loading.
func (l *Loader) putMeta(ctx context.Context, meta *dynamo.ReleaseMeta, state string) error {
	m := *meta
	m.State = state
	m.UpdatedAt = time.Now().UTC().Format(time.RFC3339)
	var cond expression.ConditionBuilder
	if state == dynamo.StateLoading {
		cond = expression.AttributeNotExists(expression.Name(dynamo.AttrPK)).Or(expression.Name("state").Equal(expression.Value(dynamo.StateLoading)))
	} else {
		cond = expression.Name("state").Equal(expression.Value(dynamo.StateLoading))
	}
	err := l.putIf(ctx, &m, cond)
	if errors.Is(err, errChanged) {
		return fmt.Errorf("release %s changed state while loading (another loader?); re-run", meta.Version)
	}
	if err != nil {
		return fmt.Errorf("marking release %s %s: %w", meta.Version, state, err)
	}
	return nil
}

// writeAll writes the items at the indexes of order, in that order, in
// batches of 25 with bounded concurrency. Each batch's items are made as it
// is sent, not all at once, and recorded as written (itemList.written):
// order must not name an item twice.
func (l *Loader) writeAll(ctx context.Context, retries *int64, wcu *atomicFloat, items *itemList, order []uint32) error {
	total := len(order)
	l.Progress.Phase("write", total)
	n := (total + BatchSize - 1) / BatchSize
	return l.runBatches(ctx, batchSource{n, func(i int) []types.WriteRequest {
		reqs := make([]types.WriteRequest, 0, BatchSize)
		for _, j := range order[i*BatchSize : min((i+1)*BatchSize, total)] {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: items.at(int(j)).item()}})
			items.written(int(j))
		}
		return reqs
	}}, retries, wcu)
}

// span is a range of items, from up to to (excluded).
type span struct{ from, to int }

func (s span) len() int { return s.to - s.from }

func (s span) has(i int) bool { return s.from <= i && i < s.to }

// indexes lists the indexes of the span's items.
func (s span) indexes() []uint32 {
	out := make([]uint32, 0, s.len())
	for i := s.from; i < s.to; i++ {
		out = append(out, uint32(i))
	}
	return out
}

// runBatches sends batches from a bounded pool of workers and stops at the
// first batch that fails for good.
func (l *Loader) runBatches(ctx context.Context, batches batchSource, retries *int64, wcu *atomicFloat) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(l.Concurrency) // Go waits for a free worker: a batch is made only when it can be sent
	for i := range batches.n {
		if gctx.Err() != nil {
			break
		}
		b := batches.batch(i)
		g.Go(func() error { return l.writeBatch(gctx, b, retries, wcu) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

// writeBatch sends one batch until every request is processed, backing off
// between attempts.
func (l *Loader) writeBatch(ctx context.Context, reqs []types.WriteRequest, retries *int64, wcu *atomicFloat) error {
	for attempt := 1; ; attempt++ {
		out, err := l.C.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
			RequestItems:           map[string][]types.WriteRequest{l.Table: reqs},
			ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		})
		if err != nil {
			if !retryable(err) || attempt >= l.MaxAttempts {
				return fmt.Errorf("writing a batch of %d items (attempt %d): %w", len(reqs), attempt, err)
			}
		} else {
			for _, c := range out.ConsumedCapacity {
				wcu.add(aws.ToFloat64(c.CapacityUnits))
			}
			left := out.UnprocessedItems[l.Table]
			l.Progress.Add(len(reqs) - len(left))
			if len(left) == 0 {
				return nil
			}
			if attempt >= l.MaxAttempts {
				return fmt.Errorf("%d items still unprocessed after %d attempts", len(left), attempt)
			}
			reqs = left
		}
		atomic.AddInt64(retries, 1)
		if err := sleep(ctx, l.backoff(attempt)); err != nil {
			return err
		}
	}
}

// backoff is exponential with full jitter: spreading retries at random keeps
// concurrent writers from retrying in lockstep against a throttled table.
func (l *Loader) backoff(attempt int) time.Duration {
	ceiling := l.BaseDelay << min(attempt, 16)
	if ceiling > l.MaxDelay || ceiling <= 0 {
		ceiling = l.MaxDelay
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retryable reports whether a failed request may succeed if sent again.
func retryable(err error) bool {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
			"InternalServerError", "ServiceUnavailable", "LimitExceededException":
			return true
		}
	}
	return false
}

// verify reads back every partition of the release and compares it item by
// item with what was written (expected, in key order: each item read with
// the sum of the one written, itemList.sums, as the items' attributes may
// be let go of once written), then count and digest. Items left by an
// earlier attempt with other content are deleted first, so that a re-run
// converges.
func (l *Loader) verify(ctx context.Context, meta *dynamo.ReleaseMeta, expected *itemList) (int, error) {
	l.Progress.Phase("verify", expected.len())
	// The partitions are read in key order, and each comes back in sort-key
	// order: the items arrive in the order of expected, so that each is
	// matched with the next expected item (any expected one it passes is
	// missing; a key not expected is stray) and the digest is computed as
	// they stream by, without holding them or an index of their keys.
	d := newDigester()
	got, next := 0, 0
	perPartition := map[string]int{}
	var stray []types.WriteRequest
	var differs []string // keys of items that read back other than written
	for _, pk := range meta.Partitions {
		err := l.queryAll(ctx, pk, nil, func(it dynamo.Item) error {
			p, s := dynamo.KeyOf(it)
			if p == "" || s == "" {
				return fmt.Errorf("verifying release %s: an item of partition %s has no string keys (pk %v, sk %v)", meta.Version, pk, it[dynamo.AttrPK], it[dynamo.AttrSK])
			}
			read := entry{pk: p, sk: s}
			for next < expected.len() && expected.at(next).less(read) {
				next++ // missing: counted below
			}
			if next == expected.len() || read.less(expected.at(next)) {
				stray = append(stray, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: dynamo.Key(p, s)}})
				return nil
			}
			if d.add(it) != expected.sums[next] {
				differs = append(differs, p+"/"+s)
			}
			next++
			got++
			perPartition[p]++
			l.Progress.Add(1)
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	if len(stray) > 0 {
		var retries int64
		var wcu atomicFloat
		if err := l.runBatches(ctx, chunked(stray), &retries, &wcu); err != nil {
			return 0, fmt.Errorf("removing %d stray items: %w", len(stray), err)
		}
	}
	if len(differs) > 0 {
		return len(stray), fmt.Errorf("verification failed: %d items of release %s read back other than written, the first %s", len(differs), meta.Version, differs[0])
	}
	if got != expected.len() {
		return len(stray), fmt.Errorf("verification failed: the table holds %d of the %d items of release %s", got, expected.len(), meta.Version)
	}
	for _, c := range meta.Counts {
		if n := perPartition[dynamo.RecordPK(meta.Version, dynamo.KindKey(c.Kind))]; n != c.N {
			return len(stray), fmt.Errorf("verification failed: release %s has %d %s in the table, want %d", meta.Version, n, c.Kind, c.N)
		}
	}
	if sum := d.sum(); sum != meta.Digest {
		return len(stray), fmt.Errorf("verification failed: the items read back from release %s differ from those written (digest %s, want %s)", meta.Version, sum[:12], meta.Digest[:12])
	}
	return len(stray), nil
}

// chunked splits requests into batches of BatchSize.
func chunked(reqs []types.WriteRequest) batchSource {
	return batchSource{(len(reqs) + BatchSize - 1) / BatchSize, func(i int) []types.WriteRequest {
		return reqs[i*BatchSize : min((i+1)*BatchSize, len(reqs))]
	}}
}

// batchSource is a number of batches, each made when it is sent.
type batchSource struct {
	n     int
	batch func(i int) []types.WriteRequest
}

// queryAll reads a whole partition with strongly consistent reads (this is
// the loader, never a request path); an error from each stops it.
func (l *Loader) queryAll(ctx context.Context, pk string, projection *expression.ProjectionBuilder, each func(dynamo.Item) error) error {
	return dynamo.EachItem(ctx, l.C, l.Table, pk, true, projection, each)
}

// ReleaseState describes a release held in the table.
type ReleaseState struct {
	Version  string
	Released string
	State    string
	Current  bool
	Items    int
	Counts   []dataset.Count
	Digest   string
}

// List returns every release in the table, whatever its state, newest first.
func (l *Loader) List(ctx context.Context) ([]ReleaseState, error) {
	l.defaults()
	var out []ReleaseState
	current := ""
	err := l.queryAll(ctx, dynamo.ReleasePK, nil, func(it dynamo.Item) error {
		m, err := decodeMeta(it)
		if err != nil {
			return fmt.Errorf("listing releases: %w", err)
		}
		if m.SK == dynamo.PointerSK {
			current = m.Version
			return nil
		}
		out = append(out, ReleaseState{Version: m.Version, Released: m.Released, State: m.State, Items: m.Items, Counts: m.Counts, Digest: m.Digest})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Current = out[i].Version == current
	}
	slices.SortFunc(out, func(a, b ReleaseState) int { return dataset.CompareVersions(b.Version, a.Version) })
	return out, nil
}

// Delete removes a release that is not current: first its metadata is
// marked "deleting" (so that no reader uses it and it cannot be activated),
// on condition that it is not current and still in the state read (see
// markDeleting), then its items, then the metadata. It can be re-run after
// a failure.
func (l *Loader) Delete(ctx context.Context, version string) (int, error) {
	l.defaults()
	// Every release item must decode, or the delete would miss changes
	// that name this release.
	var others []string
	err := l.queryAll(ctx, dynamo.ReleasePK, nil, func(it dynamo.Item) error {
		m, err := decodeMeta(it)
		if err != nil {
			return fmt.Errorf("deleting release %s: %w", version, err)
		}
		if m.SK != dynamo.PointerSK && dataset.CompareVersions(m.Version, version) > 0 {
			others = append(others, m.Version)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	ptr, err := l.readMeta(ctx, dynamo.PointerSK)
	if err != nil {
		return 0, err
	}
	if ptr != nil && ptr.Version == version {
		return 0, fmt.Errorf("release %s %w", version, errIsCurrent)
	}
	m, err := l.readMeta(ctx, version)
	if err != nil {
		return 0, err
	}
	if m == nil {
		return 0, fmt.Errorf("release %s is not in the table: %w", version, store.ErrUnknownRelease)
	}
	if err := l.markDeleting(ctx, m); err != nil {
		return 0, err
	}
	l.Log.Info("release hidden; waiting for readers' caches to expire before removing its items", "version", version, "wait", l.DeleteGrace)
	if err := sleep(ctx, l.DeleteGrace); err != nil {
		return 0, err
	}
	proj := expression.NamesList(expression.Name(dynamo.AttrPK), expression.Name(dynamo.AttrSK))
	var dels []types.WriteRequest
	parts, err := l.readPartitionList(ctx, version)
	if err != nil {
		return 0, err
	}
	// The partition list goes last, so that a delete that stops half-way
	// can be re-run and still find every item.
	parts = slices.DeleteFunc(parts, func(pk string) bool { return pk == dynamo.PartitionsPK(version) })
	for _, pk := range append(parts, dynamo.ChangesPK(version), dynamo.PartitionsPK(version)) {
		err := l.queryAll(ctx, pk, &proj, func(it dynamo.Item) error {
			p, s := dynamo.KeyOf(it)
			dels = append(dels, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: dynamo.Key(p, s)}})
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	l.Progress.Phase("delete", len(dels))
	var retries int64
	var wcu atomicFloat
	// Batches run concurrently; the partition list's own items, last in
	// dels, are deleted only once every other item is.
	listItems := 0
	for i := len(dels) - 1; i >= 0; i-- {
		if pk, _ := dynamo.KeyOf(dels[i].DeleteRequest.Key); pk != dynamo.PartitionsPK(version) {
			break
		}
		listItems++
	}
	dataDels, listDels := dels[:len(dels)-listItems], dels[len(dels)-listItems:]
	if err := l.runBatches(ctx, chunked(dataDels), &retries, &wcu); err != nil {
		return 0, err
	}
	if err := l.runBatches(ctx, chunked(listDels), &retries, &wcu); err != nil {
		return 0, err
	}
	// The changes of the other releases since this one go too: they would
	// otherwise be served for a release that is gone. (Deleting a missing
	// item is not an error.)
	for _, o := range others {
		if _, err := l.C.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(l.Table), Key: dynamo.Key(dynamo.ChangesPK(o), version)}); err != nil {
			return len(dels), fmt.Errorf("deleting the changes of %s since %s: %w", o, version, err)
		}
	}
	// The metadata goes last, on condition that it still says "deleting"
	// (or is gone, after a concurrent delete of the same release).
	cond := expression.AttributeNotExists(expression.Name(dynamo.AttrPK)).Or(expression.Name("state").Equal(expression.Value(dynamo.StateDeleting)))
	expr, err := expression.NewBuilder().WithCondition(cond).Build()
	if err != nil {
		return len(dels), err
	}
	_, err = l.C.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName: aws.String(l.Table), Key: dynamo.Key(dynamo.ReleasePK, version), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		return len(dels), fmt.Errorf("deleting the metadata of %s: %w", version, err)
	}
	return len(dels), nil
}

// partitionList finds the items of a release's partition list among its
// items (in key order, where they are together).
func partitionList(items *itemList, version string) span {
	pk := dynamo.PartitionsPK(version)
	n := items.len()
	i := sort.Search(n, func(i int) bool { return items.pk(i) >= pk })
	j := i
	for j < n && items.pk(j) == pk {
		j++
	}
	return span{i, j}
}

// readPartitionList reads the partition keys of a release's items. A release
// whose load stopped before its list was written has no other items either.
func (l *Loader) readPartitionList(ctx context.Context, version string) ([]string, error) {
	parts, _, err := dynamo.ReadChunks[string](ctx, l.C, l.Table, dynamo.PartitionsPK(version), true)
	return parts, err
}

// atomicFloat sums consumed capacity from concurrent workers.
type atomicFloat struct {
	mu sync.Mutex
	v  float64
}

func (a *atomicFloat) add(x float64) { a.mu.Lock(); a.v += x; a.mu.Unlock() }
func (a *atomicFloat) load() float64 { a.mu.Lock(); defer a.mu.Unlock(); return a.v }
