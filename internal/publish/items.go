package publish

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/encode"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
)

// This file makes a release's items from the release: the keys and shapes
// that package dynamo defines (the package documentation's key layout),
// held compactly until they are written, and the digest over them.

// chunkBytes bounds the JSON size of the rows of a list stored in chunks
// (the budget summary, the release's partition keys). DynamoDB refuses items
// over 400 KB; at a hundred thousand events both lists exceed that, so they
// are stored as numbered chunk items that one Query reads back in order
// (the dataset's own lists are one chunk each).
var chunkBytes = 256 << 10

// chunks splits rows, in order, into runs whose JSON encodings add up to at
// most limit bytes (a single larger row gets a chunk of its own). It always
// returns at least one chunk, so that an empty list is stored too.
func chunks[T any](rows []T, limit int) [][]T {
	out := [][]T{{}}
	size := 0
	for _, row := range rows {
		n := jsonSize(row)
		last := len(out) - 1
		if size+n > limit && len(out[last]) > 0 {
			out = append(out, nil)
			last, size = last+1, 0
		}
		out[last] = append(out[last], row)
		size += n
	}
	return out
}

// jsonSize is the length of v's JSON encoding, a close enough measure of the
// size of the DynamoDB item it becomes (attribute names and values as text).
func jsonSize(v any) int {
	b, err := json.Marshal(v)
	if err != nil {
		return 0 // marshalling the item reports the error
	}
	return len(b)
}

// summaryDocs summarises a release's budget lines and encodes the rows.
func summaryDocs(lines []dataset.BudgetLine) ([]dynamo.SummaryDoc, error) {
	rows := store.Summarize(lines)
	if err := encode.Summary(rows); err != nil {
		return nil, err
	}
	docs := make([]dynamo.SummaryDoc, len(rows))
	for i := range rows {
		docs[i] = dynamo.SummaryDoc{JSON: rows[i].Doc.JSON}
	}
	return docs, nil
}

// releaseItems computes every data item of a release, sorted by key, and its
// metadata (in state "loading"). The same release always gives the same
// items and digest, which is what makes loading idempotent and verifiable.
//
// tally is the release's counts (store.TallyOf), and pages its web pages by
// language, gzip-compressed (gzipBytes).
func releaseItems(r *dataset.Release, tally *store.Tally, pages map[string][]byte) (*itemList, *dynamo.ReleaseMeta, error) {
	return makeItems(r, tally, pages, false)
}

// makeItems is releaseItems; with consume, each record of r is cleared
// (set to its zero value) once its items are made, and each kind's list
// dropped once all its records are, so that the records as decoded and
// their encodings are never all held at once.
func makeItems(r *dataset.Release, tally *store.Tally, pages map[string][]byte, consume bool) (*itemList, *dynamo.ReleaseMeta, error) {
	v := r.Info.Version
	counts := dataset.Counts(r)
	// The budget summary first, from budget lines not yet consumed.
	summary, err := summaryDocs(r.Budgets)
	if err != nil {
		return nil, nil, fmt.Errorf("release %s: %w", v, err)
	}
	actorsByID := make(map[string]*dataset.Actor, len(r.Actors))
	for i := range r.Actors {
		actorsByID[r.Actors[i].ID] = &r.Actors[i]
	}
	b := &itemBuilder{}
	withdrawn := map[string]int{}
	addRecords(b, v, &r.Events, &dynamo.EventListing, kindItems[dataset.Event]{
		pos: func(e *dataset.Event) store.Position { return store.Position{Key: store.EventKey(e), ID: e.ID} },
		// The search text that the event's own JSON does not hold: its
		// actors' names (the store rebuilds the rest from the JSON).
		text: func(e *dataset.Event) string { return store.EventActorText(e, actorsByID) },
		life: func(e *dataset.Event) dataset.Lifecycle { return e.Lifecycle },
	}, withdrawn, consume)
	addRecords(b, v, &r.Budgets, &dynamo.BudgetListing, kindItems[dataset.BudgetLine]{
		pos:  func(l *dataset.BudgetLine) store.Position { return store.Position{Key: store.BudgetKey(l), ID: l.ID} },
		life: func(l *dataset.BudgetLine) dataset.Lifecycle { return l.Lifecycle },
	}, withdrawn, consume)
	for _, k := range store.ListKinds {
		records := k.All(r)
		addRecords(b, v, &records, dynamo.ListingOf(k), kindItems[any]{
			pos:  func(rec *any) store.Position { return store.Position{ID: k.RecordID(*rec)} },
			life: func(rec *any) dataset.Lifecycle { return k.Lifecycle(*rec) },
		}, withdrawn, consume)
		if consume {
			k.Clear(r)
		}
	}
	for i, chunk := range chunks(summary, chunkBytes) {
		b.add(dynamo.SummaryPK(v), dynamo.ChunkKey(i), dynamo.RecordItem[[]dynamo.SummaryDoc]{Doc: chunk})
	}
	addTally(b, v, tally)
	for _, lang := range slices.Sorted(maps.Keys(pages)) {
		addPage(b, dynamo.PagesPK(v), lang, pages[lang])
	}
	if b.err != nil {
		return nil, nil, fmt.Errorf("release %s: %w", v, b.err)
	}
	b.items.sort()
	// The list of the release's partitions, its own included, is stored
	// with it: deleting the release reads it to find every item.
	parts := append(b.items.partitions(), dynamo.PartitionsPK(v))
	slices.Sort(parts)
	for i, chunk := range chunks(parts, chunkBytes) {
		b.add(dynamo.PartitionsPK(v), dynamo.ChunkKey(i), dynamo.RecordItem[[]string]{Doc: chunk})
	}
	if b.err != nil {
		return nil, nil, fmt.Errorf("release %s: %w", v, b.err)
	}
	b.items.sort()
	meta := &dynamo.ReleaseMeta{
		PK: dynamo.ReleasePK, SK: v, Version: v, Released: r.Info.Released, Summary: r.Info.Summary, SummaryJA: r.Info.SummaryJA,
		State: dynamo.StateLoading, Counts: counts, Withdrawn: withdrawn, Checksums: r.Checksums,
		Items: b.items.len(), Digest: b.items.digest(), Partitions: parts,
	}
	return &b.items, meta, nil
}

// kindItems says how the records of one kind are stored.
type kindItems[T any] struct {
	pos func(*T) store.Position // place in list order (its id is the record's id)
	// text is the part of the record's folded search text that its JSON
	// does not hold (nil: none); a read rebuilds the rest from the record.
	text func(*T) string
	life func(*T) dataset.Lifecycle
}

// addRecords stores each record by id, and in list order in every list
// partition of its family that holds it (see dynamo.Listing.ItemKeys), and counts
// the withdrawn ones. With consume, it clears each record once its items
// are made, moves the records left to a smaller array each time half of
// them are cleared, and drops the list once they all are.
func addRecords[T any](b *itemBuilder, v string, list *[]T, l *dynamo.Listing[T], k kindItems[T], withdrawn map[string]int, consume bool) {
	records := *list
	for i := 0; i < len(records); i++ {
		r := &records[i]
		// The record is encoded once, here, for all its copies.
		js, err := encode.JSON(r)
		if err != nil {
			if b.err == nil {
				b.err = err
			}
			continue
		}
		attrs := &recordAttrs{json: js}
		if k.text != nil {
			attrs.text = k.text(r)
		}
		src := b.items.source(attrs)
		gone := k.life(r).Withdrawn()
		if gone {
			withdrawn[l.Kind()]++
		}
		l.ItemKeys(v, r, k.pos(r), gone, func(pk, sk string) { b.addAt(pk, sk, src) })
		if !consume {
			continue
		}
		var zero T
		*r = zero
		// A cleared record still takes its place in the array (about 600
		// bytes an event: 60 MB at a hundred thousand events, until the
		// last is encoded). Moving the rest to an array of their size
		// whenever they are half of it lets the array go in halves, for
		// one copy of the records in all.
		if rest := len(records) - i - 1; rest > 0 && rest <= len(records)/2 {
			records = slices.Clone(records[i+1:])
			*list, i = records, -1
		}
	}
	if consume {
		*list = nil
	}
}

// entry is one data item as the loader holds it before writing: its keys
// and where its other attributes come from (attrSource), which several
// entries may share (the copies of a record). The item's map is made only
// when it is needed (item). An itemList holds entries more compactly.
type entry struct {
	pk, sk string
	attrs  attrSource
}

// itemList holds a release's items (entries), in key order once sorted:
// each as its sort key and the indexes of its partition key and of its
// attributes' source, both shared (a partition holds many items, and a
// record's copies share its attributes). At a hundred thousand events, 1.7
// million items, that is 24 bytes an item beside its sort key rather than
// 48.
type itemList struct {
	keys []itemKey
	pks  []string
	pkAt map[string]uint32 // index in pks
	srcs []attrSource
	// sums holds each item's sum (itemSum), in key order, recorded with
	// the digest (itemList.digest): verification compares the items read
	// back with them, so that the items' attributes can be let go of once
	// written (itemList.written).
	sums []itemSum
	// unwritten counts, for each source, its items not yet handed to a
	// write (see track).
	unwritten []uint32
}

type itemKey struct {
	sk      string
	pk, src uint32
}

// source adds attributes that items will share and returns their index.
func (l *itemList) source(src attrSource) uint32 {
	l.srcs = append(l.srcs, src)
	return uint32(len(l.srcs) - 1)
}

// add adds an item with the attributes of source src.
func (l *itemList) add(pk, sk string, src uint32) {
	i, ok := l.pkAt[pk]
	if !ok {
		if l.pkAt == nil {
			l.pkAt = map[string]uint32{}
		}
		i = uint32(len(l.pks))
		l.pks = append(l.pks, pk)
		l.pkAt[pk] = i
	}
	l.keys = append(l.keys, itemKey{sk: sk, pk: i, src: src})
}

func (l *itemList) len() int { return len(l.keys) }

// at returns the i-th item.
func (l *itemList) at(i int) entry {
	k := l.keys[i]
	return entry{pk: l.pks[k.pk], sk: k.sk, attrs: l.srcs[k.src]}
}

// pk returns the partition key of the i-th item.
func (l *itemList) pk(i int) string { return l.pks[l.keys[i].pk] }

// sort puts the items in key order.
func (l *itemList) sort() {
	slices.SortFunc(l.keys, func(a, b itemKey) int {
		if a.pk != b.pk {
			return strings.Compare(l.pks[a.pk], l.pks[b.pk])
		}
		return strings.Compare(a.sk, b.sk)
	})
}

// track starts counting the items of each source that are not yet written
// (written), so that a source is let go of once its last item is.
func (l *itemList) track() {
	l.unwritten = make([]uint32, len(l.srcs))
	for _, k := range l.keys {
		l.unwritten[k.src]++
	}
}

// written records that the i-th item is about to be written (its map is
// made): once every item of its source is, the source is let go of, and
// at(j) for those items gives no attributes. At a hundred thousand events
// the records' encodings take 130 MB and the counts 40 MB; verification
// needs neither (it compares with sums).
func (l *itemList) written(i int) {
	if l.unwritten == nil {
		return
	}
	src := l.keys[i].src
	if l.unwritten[src]--; l.unwritten[src] == 0 {
		l.srcs[src] = nil
	}
}

// bySource gives the indexes of the items, except those of skip, grouped
// by source (in key order within a source): the order to write them in,
// so that each source is let go of as soon as it can be (written) rather
// than when the last partition that holds a copy of it is written.
func (l *itemList) bySource(skip span) []uint32 {
	at := make([]uint32, len(l.srcs)+1) // where each source's items start in order
	for i, k := range l.keys {
		if !skip.has(i) {
			at[k.src+1]++
		}
	}
	for s := range l.srcs {
		at[s+1] += at[s]
	}
	order := make([]uint32, at[len(l.srcs)])
	for i, k := range l.keys {
		if !skip.has(i) {
			order[at[k.src]] = uint32(i)
			at[k.src]++
		}
	}
	return order
}

// partitions lists the partition keys of the items, in key order (the
// items are sorted).
func (l *itemList) partitions() []string {
	var out []string
	for i := range l.keys {
		if pk := l.pk(i); len(out) == 0 || out[len(out)-1] != pk {
			out = append(out, pk)
		}
	}
	return out
}

// attrSource gives the attributes of an item other than its keys.
type attrSource interface{ attrs() dynamo.Item }

// marshalled are attributes encoded once and kept, shared by every copy.
type marshalled dynamo.Item

func (m marshalled) attrs() dynamo.Item { return dynamo.Item(m) }

// deferred is a value whose attributes are encoded each time they are
// needed (the digest, the write, the verification), for items whose
// encoding is much larger than the value: a counts item's facets, encoded,
// take ten times the memory of the Go values they are made from. The value
// was encoded once without error when it was added (itemBuilder.addDeferred),
// and encoding is deterministic, so encoding it again cannot fail.
type deferred struct{ v any }

func (d deferred) attrs() dynamo.Item {
	m, err := dynamo.Marshal(d.v)
	if err != nil {
		panic(fmt.Sprintf("dynamo: a value that was marshalled once fails to marshal again: %v", err))
	}
	return m
}

// recordAttrs are the attributes of a record's items (dynamo.RecordAttrs),
// shared by its copies: the record as the API sends it, encoded once
// (encode.JSON), and its search text. The items hold the encoding, not the
// record, so that a load holds no decoded record once its items are made
// (Loader.Prepare): at a hundred thousand events the decoded records take
// about 210 MB and their encodings 130 MB; and a record is encoded once,
// not for each copy each time its items are needed (the digest, the write,
// the verification).
type recordAttrs struct {
	json []byte
	text string
}

func (r *recordAttrs) attrs() dynamo.Item { return dynamo.RecordAttrs(r.json, r.text) }

// item returns the entry as a DynamoDB item.
func (e entry) item() dynamo.Item {
	attrs := e.attrs.attrs()
	m := make(dynamo.Item, len(attrs)+2)
	for k, v := range attrs {
		m[k] = v
	}
	m[dynamo.AttrPK] = &types.AttributeValueMemberS{Value: e.pk}
	m[dynamo.AttrSK] = &types.AttributeValueMemberS{Value: e.sk}
	return m
}

func (e entry) less(o entry) bool {
	if e.pk != o.pk {
		return e.pk < o.pk
	}
	return e.sk < o.sk
}

type itemBuilder struct {
	items itemList
	err   error
}

func (b *itemBuilder) add(pk, sk string, v any) {
	b.addMarshalled(pk, sk, b.marshal(pk, sk, v))
}

// marshal encodes an item's attributes once, so that several copies of a
// record (by id, in list order, in index partitions) can share them.
func (b *itemBuilder) marshal(pk, sk string, v any) dynamo.Item {
	if b.err != nil {
		return nil
	}
	m, err := dynamo.Marshal(v)
	if err != nil {
		b.err = fmt.Errorf("marshalling %s/%s: %w", pk, sk, err)
	}
	return m
}

// addMarshalled adds an item with the given keys and attributes. The
// attribute values are shared, not copied: nothing modifies them once
// marshalled.
func (b *itemBuilder) addMarshalled(pk, sk string, attrs dynamo.Item) {
	if b.err != nil || attrs == nil {
		return
	}
	b.addSource(pk, sk, marshalled(attrs))
}

// addDeferred adds an item whose attributes are encoded from v each time
// they are needed (see deferred); they are encoded once now, to report an
// error while the release is being built.
func (b *itemBuilder) addDeferred(pk, sk string, v any) {
	b.marshal(pk, sk, v)
	if b.err != nil {
		return
	}
	b.addSource(pk, sk, deferred{v})
}

// addSource adds an item with attributes of its own.
func (b *itemBuilder) addSource(pk, sk string, src attrSource) {
	b.addAt(pk, sk, b.items.source(src))
}

// addAt adds an item with the attributes of source src (itemList.source).
func (b *itemBuilder) addAt(pk, sk string, src uint32) { b.items.add(pk, sk, src) }

// digest is a SHA-256 over a canonical encoding of the items in key order.
// The loader computes it over the items it writes and again over the items
// it reads back; equal digests mean nothing was lost or altered. It also
// records each item's sum (sums), which verification compares each item
// read back with.
func (l *itemList) digest() string {
	d := newDigester()
	l.sums = make([]itemSum, l.len())
	for i := range l.len() {
		l.sums[i] = d.add(l.at(i).item())
	}
	return d.sum()
}

// itemSum is the first half of the SHA-256 of an item's canonical
// encoding: enough to tell an item read back from the one written (the
// release's digest, over every item, is whole), in half the memory (27 MB
// at a hundred thousand events).
type itemSum = [sha256.Size / 2]byte

// digester computes a digest item by item, for items that stream by.
type digester struct {
	h   hash.Hash
	buf bytes.Buffer // an item's canonical encoding
}

func newDigester() *digester { return &digester{h: sha256.New()} }

// add adds an item to the digest and returns its own sum.
func (d *digester) add(m dynamo.Item) itemSum {
	d.buf.Reset()
	canonical(&d.buf, &types.AttributeValueMemberM{Value: m})
	_, _ = d.h.Write(d.buf.Bytes()) // a hash's Write never fails
	full := sha256.Sum256(d.buf.Bytes())
	return itemSum(full[:len(itemSum{})])
}

func (d *digester) sum() string { return hex.EncodeToString(d.h.Sum(nil)) }

// canonical writes an attribute value with a type tag, lengths, and map keys
// and set members in sorted order, so that equal values encode equally.
func canonical(w *bytes.Buffer, av types.AttributeValue) {
	head := func(tag byte, size int) {
		var n [9]byte
		n[0] = tag
		binary.BigEndian.PutUint64(n[1:], uint64(size))
		w.Write(n[:])
	}
	str := func(tag byte, s string) {
		head(tag, len(s))
		w.WriteString(s)
	}
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		str('S', v.Value)
	case *types.AttributeValueMemberN:
		str('N', v.Value)
	case *types.AttributeValueMemberB:
		head('B', len(v.Value))
		w.Write(v.Value)
	case *types.AttributeValueMemberBOOL:
		if v.Value {
			str('T', "")
		} else {
			str('F', "")
		}
	case *types.AttributeValueMemberNULL:
		str('0', "")
	case *types.AttributeValueMemberL:
		str('L', strconv.Itoa(len(v.Value)))
		for _, e := range v.Value {
			canonical(w, e)
		}
	case *types.AttributeValueMemberM:
		keys := make([]string, 0, len(v.Value))
		for k := range v.Value {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		str('M', strconv.Itoa(len(keys)))
		for _, k := range keys {
			str('K', k)
			canonical(w, v.Value[k])
		}
	case *types.AttributeValueMemberSS:
		s := slices.Clone(v.Value)
		sort.Strings(s)
		str('s', strings.Join(s, "\x00"))
	case *types.AttributeValueMemberNS:
		s := slices.Clone(v.Value)
		sort.Strings(s)
		str('n', strings.Join(s, "\x00"))
	default:
		str('?', fmt.Sprintf("%T", av))
	}
}

// addTally adds the counts items of a release.
func addTally(b *itemBuilder, v string, t *store.Tally) {
	years := map[string]*store.EventYear{}
	for y, ey := range store.WithoutFacets(t.Years) {
		years[fmt.Sprintf("%04d", y)] = ey
	}
	b.add(dynamo.CountsPK(v), dynamo.CountsSK(store.KindEvents, dynamo.YearsKey), dynamo.RecordItem[dynamo.TallyDoc]{Doc: dynamo.TallyDoc{Years: years}})
	for y, ey := range t.Years {
		sk := dynamo.CountsSK(store.KindEvents, dynamo.YearKey(y))
		js, err := json.Marshal(ey)
		if err == nil {
			js, err = gzipBytes(js)
		}
		if err != nil {
			b.err = cmp.Or(b.err, fmt.Errorf("counts %s: %w", sk, err))
			return
		}
		b.add(dynamo.CountsPK(v), sk, dynamo.RecordItem[[]byte]{Doc: js})
	}
	for kind, byKey := range t.Totals {
		for key, c := range byKey {
			doc := dynamo.TallyDoc{Count: c}
			switch kind {
			case store.KindEvents:
				doc.Events = t.Events[key]
			case store.KindBudgets:
				doc.Budgets = t.Budgets[key]
			}
			// Encoded when written: a release's counts items, encoded,
			// are the largest part of its items in memory.
			b.addDeferred(dynamo.CountsPK(v), dynamo.CountsSK(kind, key), dynamo.RecordItem[dynamo.TallyDoc]{Doc: doc})
		}
	}
}

// gzipBytes compresses a page, or a year's counts, for its item. The bytes
// depend only on the input (no name, no time in the header), so a
// release's items and digest stay the same from one load to the next.
func gzipBytes(page []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(page); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// pagePartBytes bounds the compressed bytes of a page in one item, below
// DynamoDB's item limit of 400 KB. The dataset's pages are far below it
// (under 30 KB); the landing page of a synthetic release of twenty thousand
// events, whose timeline marks every event, takes about 1.1 MB compressed.
var pagePartBytes = 300_000

// addPage adds the items of a compressed page, in sort-key order.
func addPage(b *itemBuilder, pk, lang string, gz []byte) {
	if len(gz) <= pagePartBytes {
		b.add(pk, lang, dynamo.RecordItem[[]byte]{Doc: gz})
		return
	}
	n := (len(gz) + pagePartBytes - 1) / pagePartBytes
	for i := range n {
		part := gz[i*pagePartBytes : min((i+1)*pagePartBytes, len(gz))]
		if i == 0 {
			b.add(pk, lang, dynamo.PageItem{Doc: part, Parts: n})
		} else {
			b.add(pk, dynamo.PagePartKey(lang, i), dynamo.PageItem{Doc: part})
		}
	}
}
