package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
)

// ReadAPI is the part of the DynamoDB client the store uses: only reads by
// key, never a scan.
type ReadAPI interface {
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// DefaultCacheTTL is how long the store trusts its copies of release
// metadata and of the current-release pointer: an activation (or a
// deletion) is seen by every process within this time, and metadata costs
// one read per process and release per period.
const DefaultCacheTTL = 5 * time.Second

// Store reads releases from a DynamoDB table. It is safe for concurrent use.
type Store struct {
	c     ReadAPI
	table string
	ttl   time.Duration
	now   func() time.Time

	mu        sync.Mutex
	pointer   *ReleaseMeta
	pointerAt time.Time
	metas     map[string]cachedMeta // complete releases
	counts    countsCache           // counts items read (counts.go)
}

type cachedMeta struct {
	m  *ReleaseMeta
	at time.Time
}

var _ store.Store = (*Store)(nil)

// Option configures a Store.
type Option func(*Store)

// WithCacheTTL sets how long release metadata and the current-release
// pointer are cached; zero reads them on every request that needs them.
func WithCacheTTL(d time.Duration) Option { return func(s *Store) { s.ttl = d } }

// New returns a store over the named table.
func New(c ReadAPI, table string, opts ...Option) *Store {
	s := &Store{c: c, table: table, ttl: DefaultCacheTTL, now: time.Now, metas: map[string]cachedMeta{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// current returns the pointer's copy of the current release's metadata.
func (s *Store) current(ctx context.Context) (*ReleaseMeta, error) {
	s.mu.Lock()
	if s.pointer != nil && s.now().Sub(s.pointerAt) < s.ttl {
		p := s.pointer
		s.mu.Unlock()
		return p, nil
	}
	s.mu.Unlock()
	out, err := s.c.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            Key(ReleasePK, PointerSK),
		ConsistentRead: aws.Bool(true), // an activation is seen at once
	})
	if err != nil {
		return nil, fmt.Errorf("reading the current-release pointer: %w", err)
	}
	if out.Item == nil {
		return nil, fmt.Errorf("no release has been activated: %w", store.ErrUnknownRelease)
	}
	var p ReleaseMeta
	if err := Unmarshal(out.Item, &p); err != nil {
		return nil, fmt.Errorf("decoding the current-release pointer: %w", err)
	}
	// The pointer carries the current release's metadata: keep it as that
	// release's too, so that a request that names it costs no other read.
	m := p
	m.SK, m.State = m.Version, StateComplete
	now := s.now()
	s.mu.Lock()
	s.pointer, s.pointerAt = &p, now
	s.metas[m.Version] = cachedMeta{&m, now}
	s.mu.Unlock()
	return &p, nil
}

// meta returns the metadata of a complete release ("" for the current one).
func (s *Store) meta(ctx context.Context, version string) (*ReleaseMeta, error) {
	if version == "" {
		return s.current(ctx)
	}
	s.mu.Lock()
	c, ok := s.metas[version]
	s.mu.Unlock()
	if ok && s.now().Sub(c.at) < s.ttl {
		return c.m, nil
	}
	out, err := s.c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: Key(ReleasePK, version)})
	if err != nil {
		return nil, fmt.Errorf("reading release %s: %w", version, err)
	}
	if out.Item == nil {
		return nil, fmt.Errorf("release %q: %w", version, store.ErrUnknownRelease)
	}
	m := &ReleaseMeta{}
	if err := Unmarshal(out.Item, m); err != nil {
		return nil, fmt.Errorf("decoding release %s: %w", version, err)
	}
	if m.State != StateComplete {
		// Being loaded or deleted: not served.
		return nil, fmt.Errorf("release %q is %s: %w", version, m.State, store.ErrUnknownRelease)
	}
	s.mu.Lock()
	s.metas[version] = cachedMeta{m, s.now()}
	s.mu.Unlock()
	return m, nil
}

// isCurrent reports whether version is current, from the cached pointer
// when it is fresh.
func (s *Store) isCurrent(ctx context.Context, version string) (bool, error) {
	p, err := s.current(ctx)
	if errors.Is(err, store.ErrUnknownRelease) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return p.Version == version, nil
}

// Releases lists the complete releases, newest first, with one Query of the
// metadata partition (which also holds the pointer).
func (s *Store) Releases(ctx context.Context) ([]store.Release, error) {
	keyCond := expression.Key(AttrPK).Equal(expression.Value(ReleasePK))
	expr, err := expression.NewBuilder().WithKeyCondition(keyCond).Build()
	if err != nil {
		return nil, err
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.table), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ConsistentRead: aws.Bool(true),
	}
	var metas []*ReleaseMeta
	current := ""
	for {
		out, err := s.c.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("listing releases: %w", err)
		}
		for _, it := range out.Items {
			var m ReleaseMeta
			if err := Unmarshal(it, &m); err != nil {
				p, sk := KeyOf(it)
				return nil, fmt.Errorf("decoding release item %s/%s: %w", p, sk, err)
			}
			switch {
			case m.SK == PointerSK:
				current = m.Version
			case m.State == StateComplete:
				metas = append(metas, &m)
			}
		}
		if out.LastEvaluatedKey == nil {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	slices.SortFunc(metas, func(a, b *ReleaseMeta) int { return dataset.CompareVersions(b.Version, a.Version) })
	rels := make([]store.Release, len(metas))
	for i, m := range metas {
		rels[i] = m.info(m.Version == current)
	}
	return rels, nil
}

// Release describes one complete release.
func (s *Store) Release(ctx context.Context, version string) (store.Release, error) {
	m, err := s.meta(ctx, version)
	if err != nil {
		return store.Release{}, err
	}
	cur := version == ""
	if !cur {
		if cur, err = s.isCurrent(ctx, m.Version); err != nil {
			return store.Release{}, err
		}
	}
	return m.info(cur), nil
}

// decodeRecord reads a record's item: the record, for filters, and the item
// with the record's JSON as the API sends it.
func decodeRecord[T any](it Item) (T, docItem, error) {
	var rec T
	var di docItem
	if err := Unmarshal(it, &di); err != nil {
		return rec, di, err
	}
	if err := json.Unmarshal(di.JSON, &rec); err != nil {
		return rec, di, fmt.Errorf("item %s/%s: %w", di.PK, di.SK, err)
	}
	return rec, di, nil
}

// EachItem reads a whole partition, page by page, and calls each for every
// item; an error from each stops the reading. consistent asks for strongly
// consistent reads (the publisher's, never a request's).
func EachItem(ctx context.Context, c ReadAPI, table, pk string, consistent bool, projection *expression.ProjectionBuilder, each func(Item) error) error {
	return eachItemBetween(ctx, c, table, pk, nil, consistent, projection, each)
}

// eachItemBetween is EachItem for the items whose sort keys are between
// sk[0] and sk[1] (both included), or all of them when sk is nil.
func eachItemBetween(ctx context.Context, c ReadAPI, table, pk string, sk *[2]string, consistent bool, projection *expression.ProjectionBuilder, each func(Item) error) error {
	cond := expression.Key(AttrPK).Equal(expression.Value(pk))
	if sk != nil {
		cond = cond.And(expression.Key(AttrSK).Between(expression.Value(sk[0]), expression.Value(sk[1])))
	}
	b := expression.NewBuilder().WithKeyCondition(cond)
	if projection != nil {
		b = b.WithProjection(*projection)
	}
	expr, err := b.Build()
	if err != nil {
		return fmt.Errorf("building a query of %s: %w", pk, err)
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(table), KeyConditionExpression: expr.KeyCondition(),
		ProjectionExpression:     expr.Projection(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ConsistentRead: aws.Bool(consistent), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	}
	for {
		out, err := c.Query(ctx, in)
		if err != nil {
			return fmt.Errorf("reading partition %s: %w", pk, err)
		}
		for _, it := range out.Items {
			if err := each(it); err != nil {
				return err
			}
		}
		if out.LastEvaluatedKey == nil {
			return nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// ReadChunks reads a list stored as chunk items (ChunkKey), each a
// RecordItem of rows, and joins the chunks in order. found is false when
// the partition holds no item.
func ReadChunks[T any](ctx context.Context, c ReadAPI, table, pk string, consistent bool) (rows []T, found bool, err error) {
	err = EachItem(ctx, c, table, pk, consistent, nil, func(it Item) error {
		var ri RecordItem[[]T]
		if err := Unmarshal(it, &ri); err != nil {
			_, sk := KeyOf(it)
			return fmt.Errorf("decoding item %s/%s: %w", pk, sk, err)
		}
		found = true
		rows = append(rows, ri.Doc...)
		return nil
	})
	return rows, found, err
}

// ReadRelease reads the records of a release back from the table, with
// strongly consistent reads: those of each kind from its partition by id.
// The publisher reads releases back to compute the changes between them;
// an item that does not decode fails it with its key.
func ReadRelease(ctx context.Context, c ReadAPI, table, version string) (*dataset.Release, error) {
	r := &dataset.Release{Info: dataset.ReleaseInfo{Version: version}}
	errs := []error{
		readKind(ctx, c, table, RecordPK(version, kindEvent), &r.Events),
		readKind(ctx, c, table, RecordPK(version, kindBudget), &r.Budgets),
	}
	for _, k := range store.ListKinds {
		errs = append(errs, EachItem(ctx, c, table, RecordPK(version, k.ShortName()), true, nil, func(it Item) error {
			var di docItem
			if err := Unmarshal(it, &di); err != nil {
				return err
			}
			rec, err := k.Decode(di.JSON)
			if err != nil {
				return fmt.Errorf("decoding item %s/%s: %w", di.PK, di.SK, err)
			}
			k.Append(r, rec)
			return nil
		}))
	}
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("reading release %s back: %w", version, err)
		}
	}
	return r, nil
}

// readKind reads the records of a partition by id, as ReadRelease does.
func readKind[T any](ctx context.Context, c ReadAPI, table, pk string, out *[]T) error {
	return EachItem(ctx, c, table, pk, true, nil, func(it Item) error {
		rec, _, err := decodeRecord[T](it)
		if err != nil {
			p, s := KeyOf(it)
			return fmt.Errorf("decoding item %s/%s: %w", p, s, err)
		}
		*out = append(*out, rec)
		return nil
	})
}
