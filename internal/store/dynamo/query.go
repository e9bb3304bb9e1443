package dynamo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/jcdd/jcdd/internal/encode"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// Reading budget of one page. A page that has not filled when either runs
// out is returned short, with a cursor where reading stopped: a request
// reads about as much as one 1 MB Query page at most, and pays at most
// maxRounds round trips.
const (
	maxRounds    = 3
	maxPageItems = 1000
)

// page is one page of a list: the partitions that hold its candidates,
// merged in list order, and the filters matched in Go.
type page[T any] struct {
	pks    []string // list partitions, one stream each (see Listing.plan)
	lo, hi string   // inclusive sort key bounds ("": open)
	// carry, when not zero, is the year of lo: each partition's records
	// that began before it and still run into it (ongoingPrefix) come before
	// the range [lo, hi].
	carry int
	desc  bool
	// scan says that no partition narrows the query (a text search): the
	// first round reads the whole budget instead of about a page.
	scan     bool
	hasText  bool
	kind     string       // for the release's count of withdrawn records
	status   store.Status // which families pks belong to
	req      store.PageRequest
	shape    string
	text     func(r *T, extra string) string // the record's folded search text, from its item's "txt"
	match    func(r *T, text string) bool
	position func(*T) store.Position
	table    export.Table[T] // the kind's CSV layout, for the page's docs
	// decode reads a record from its JSON (nil: json.Unmarshal into a T;
	// a kind listed in id order, whose records are held as any, decodes
	// with its description).
	decode func(data []byte) (T, error)
}

// decodeItem reads the record of an item, and the item.
func (p *page[T]) decodeItem(it Item) (T, docItem, error) {
	if p.decode == nil {
		return decodeRecord[T](it)
	}
	var di docItem
	if err := Unmarshal(it, &di); err != nil {
		var zero T
		return zero, di, err
	}
	rec, err := p.decode(di.JSON)
	return rec, di, err
}

// segment is a sort key range of one partition.
type segment struct {
	pk     string
	prefix string // of the sort keys read (ongoingPrefix), not part of the list's order
	lo, hi string // inclusive bounds in the list's order, "" for open
	// the key condition's inclusive bounds
	condLo, condHi string
}

// stream reads the segments of one partition in list order, a batch at a
// time, into buf.
type stream struct {
	segs  []segment
	seg   int
	esk   map[string]types.AttributeValue // where the current segment resumes
	buf   []Item
	done  bool
	read  int
	first int // the size of its first batch
}

// start positions a stream at its first segment that lies after the cursor.
func (st *stream) start(after string, desc bool) {
	for ; st.seg < len(st.segs); st.seg++ {
		sg := st.segs[st.seg]
		st.esk = nil
		if after == "" {
			return
		}
		if desc {
			if sg.lo != "" && after <= sg.lo {
				continue // the whole segment comes after the cursor: read
			}
			if sg.hi == "" || after <= sg.hi {
				st.esk = Key(sg.pk, sg.prefix+after)
			}
			return
		}
		if sg.hi != "" && after >= sg.hi {
			continue
		}
		if sg.lo == "" || after >= sg.lo {
			st.esk = Key(sg.pk, sg.prefix+after)
		}
		return
	}
	st.done = true
}

// fetch reads up to limit more items, going on to the next segment when one
// ends before the limit.
func (st *stream) fetch(ctx context.Context, s *Store, desc bool, limit int) error {
	for !st.done && limit > 0 {
		sg := st.segs[st.seg]
		keyCond := expression.Key(AttrPK).Equal(expression.Value(sg.pk))
		if sg.condLo != "" {
			keyCond = keyCond.And(expression.Key(AttrSK).Between(expression.Value(sg.condLo), expression.Value(sg.condHi)))
		} else {
			keyCond = keyCond.And(expression.Key(AttrSK).LessThanEqual(expression.Value(sg.condHi)))
		}
		expr, err := expression.NewBuilder().WithKeyCondition(keyCond).Build()
		if err != nil {
			return fmt.Errorf("building a query of %s: %w", sg.pk, err)
		}
		out, err := s.c.Query(ctx, &dynamodb.QueryInput{
			TableName:                 aws.String(s.table),
			KeyConditionExpression:    expr.KeyCondition(),
			ExpressionAttributeNames:  expr.Names(),
			ExpressionAttributeValues: expr.Values(),
			ScanIndexForward:          aws.Bool(!desc),
			ExclusiveStartKey:         st.esk,
			Limit:                     aws.Int32(int32(limit)),
			ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
		})
		if err != nil {
			var ae smithy.APIError
			if st.esk != nil && errors.As(err, &ae) && ae.ErrorCode() == "ValidationException" {
				return fmt.Errorf("%w: %s", store.ErrBadPosition, ae.ErrorMessage())
			}
			return fmt.Errorf("querying %s: %w", sg.pk, err)
		}
		st.buf = append(st.buf, out.Items...)
		st.read += len(out.Items)
		limit -= len(out.Items)
		if out.LastEvaluatedKey != nil {
			st.esk = out.LastEvaluatedKey
			return nil
		}
		st.seg++
		st.esk = nil
		st.done = st.seg == len(st.segs)
	}
	return nil
}

// query reads one page: the streams of its partitions, merged in list
// order (a record in several of them, through OR filters, counts once), and
// matched in Go with the shared store.Match* functions, so that it agrees
// with every other store. Each round reads, side by side, the streams that
// the merge waits for: the first about a page in all (the partitions answer
// most filters exactly), the next as many as the matches seen so far say
// the rest of the page needs. See the package documentation for when a page
// can come back shorter than asked.
func query[T any](ctx context.Context, s *Store, m *ReleaseMeta, p page[T]) (store.Page[T], error) {
	res := store.Page[T]{Release: m.info(false)}
	if err := store.CheckPosition(p.req.After, p.shape); err != nil {
		return res, err
	}
	limit := p.req.Limit
	if limit < 1 {
		limit = store.DefaultLimit
	}
	if p.lo != "" && p.hi != "" && p.lo > p.hi {
		return res, nil // nothing can match
	}
	after := ""
	if p.req.After != nil {
		after = sortKey(*p.req.After)
	}
	streams := make([]*stream, len(p.pks))
	for i, pk := range p.pks {
		// The list's own items stop before the ongoing ones.
		hi := p.hi
		if hi == "" {
			hi = sortKeyMax
		}
		segs := []segment{{pk: pk, lo: p.lo, hi: p.hi, condLo: p.lo, condHi: hi}}
		if p.carry != 0 {
			// Every ongoing record of the year sorts before lo.
			pre := ongoingPrefix(p.carry)
			ongoing := segment{pk: pk, prefix: pre, hi: p.lo, condLo: pre, condHi: pre + sortKeyMax}
			if p.desc {
				segs = append(segs, ongoing)
			} else {
				segs = append([]segment{ongoing}, segs...)
			}
		}
		st := &stream{segs: segs}
		st.start(after, p.desc)
		streams[i] = st
	}
	need := limit + 1 // one more than the page tells whether another follows
	// The first round reads about a page. Two streams of a family (two
	// values of a filter) read a page each: whichever runs dry first has
	// then filled the page, so that one round does, with two calls. More
	// streams read a little more than an even share each (they interleave
	// unevenly), and a further round reads what the merge still waits for.
	// The withdrawn family (status=all) never holds more than the release's
	// tombstones of the kind.
	withdrawnFam := familyPK(m.Version, p.kind, true)
	perFamily := len(streams)
	if p.status == store.StatusAll {
		perFamily = max(1, perFamily/2)
	}
	first := need
	if perFamily > 2 {
		first = int(math.Ceil(float64(need)*1.25/float64(perFamily))) + 1
	}
	rounds := maxRounds
	if p.scan {
		// One round of the whole budget, as no partition narrows the
		// search: a further round would rarely fill the page either.
		first, rounds = maxPageItems/len(streams), 1
	}
	for i, st := range streams {
		st.first = first
		if strings.HasPrefix(p.pks[i], withdrawnFam) {
			st.first = min(first, m.Withdrawn[p.kind]+1)
		}
	}
	popped, matched, read := 0, 0, 0
	last := "" // sort key of the last item merged
	for round := 0; ; round++ {
		var dry []*stream
		for _, st := range streams {
			if len(st.buf) == 0 && !st.done {
				dry = append(dry, st)
			}
		}
		if len(dry) > 0 {
			n := first
			if round > 0 {
				// The dry streams' share of what the rest of the page
				// needs at the match rate seen so far (the others still
				// hold items).
				rate := float64(matched+1) / float64(popped+1)
				live := 0
				for _, st := range streams {
					if !st.done {
						live++
					}
				}
				n = int(math.Ceil(float64(need-len(res.Items))/rate*1.25/float64(live))) + 1
				if round == rounds-1 {
					// The last round: whatever the budget has left, so that
					// a page is short only past it.
					n = maxPageItems
				}
				n = min(n, (maxPageItems-read)/len(dry))
			}
			if round >= rounds || n < 1 {
				// Out of budget: the page ends where the merge stopped.
				if last != "" {
					pos := positionOf(last)
					res.Next = &pos
				}
				return res, nil
			}
			if err := fetchAll(ctx, s, dry, p.desc, n, round == 0); err != nil {
				return res, err
			}
			for _, st := range dry {
				read += st.read
				st.read = 0
			}
		}
		for {
			var head *stream
			waiting := false
			for _, st := range streams {
				if len(st.buf) == 0 {
					waiting = waiting || !st.done
					continue
				}
				if head == nil || before(skOf(st.buf[0]), skOf(head.buf[0]), p.desc) {
					head = st
				}
			}
			if waiting {
				break // a stream must be read further before the next item is known
			}
			if head == nil {
				return res, nil // every stream is exhausted: the list ends here
			}
			it := head.buf[0]
			head.buf = head.buf[1:]
			sk := skOf(it)
			if sk == last {
				continue // the same record through another partition
			}
			last = sk
			popped++
			rec, di, err := p.decodeItem(it)
			if err != nil {
				pk, isk := KeyOf(it)
				return res, fmt.Errorf("decoding item %s/%s: %w", pk, isk, err)
			}
			text := ""
			if p.hasText {
				text = p.text(&rec, di.Text)
			}
			if !p.match(&rec, text) {
				continue
			}
			matched++
			if len(res.Items) == limit {
				// A further match exists: the page is full and another follows.
				pos := p.position(&res.Items[limit-1])
				res.Next = &pos
				return res, nil
			}
			doc, err := encode.FromJSON(di.JSON, &rec, p.table)
			if err != nil {
				return res, fmt.Errorf("item %s/%s: %w", di.PK, di.SK, err)
			}
			res.Items, res.Docs = append(res.Items, rec), append(res.Docs, doc)
		}
	}
}

// fetchAll reads the next batch of each stream, concurrently: one round
// trip for the page however many partitions it merges.
// In the first round each stream reads its own first batch.
func fetchAll(ctx context.Context, s *Store, streams []*stream, desc bool, limit int, first bool) error {
	n := func(st *stream) int {
		if first {
			return st.first
		}
		return limit
	}
	if len(streams) == 1 {
		return streams[0].fetch(ctx, s, desc, n(streams[0]))
	}
	errs := make([]error, len(streams))
	var wg sync.WaitGroup
	for i, st := range streams {
		wg.Go(func() { errs[i] = st.fetch(ctx, s, desc, n(st)) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// skOf is an item's place in the list's order.
func skOf(it Item) string {
	_, sk := KeyOf(it)
	return listKey(sk)
}

// before reports whether sort key a comes before b in the list's order.
func before(a, b string, desc bool) bool {
	if desc {
		return a > b
	}
	return a < b
}
