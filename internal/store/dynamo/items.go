package dynamo

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
)

// This file holds the table's layout that the store reads and the
// publisher (package publish) writes: the keys of a release's items, the
// shapes of the items, and how they are marshalled. What is exported is
// exported for the publisher; see the package documentation for the layout
// itself.

// Partition and sort keys. See the package documentation for the layout.
// ReleasePK and PointerSK are part of the layout the publisher writes: the
// partition of every release's metadata item (sort key its version), and
// the sort key of the current-release pointer there.
const (
	ReleasePK  = "release"
	PointerSK  = "~current"
	keySep     = "#"
	sortKeyMax = "~" // sorts after every character used in ids and dates
)

// Record kinds, as they appear in keys.
const (
	kindEvent  = "event"
	kindBudget = "budget"
	// The kinds listed in id order are named by their descriptions
	// (store.IDKind.Short).
)

// KindKey is the kind of the records that dataset.Counts names plural, as
// it appears in keys ("" for no such kind). It is part of the layout the
// publisher writes: verification counts each kind's records in its
// partition by id (RecordPK).
func KindKey(plural string) string {
	switch plural {
	case dataset.Events.Name:
		return kindEvent
	case dataset.Budgets.Name:
		return kindBudget
	}
	if k := store.ListKindNamed(plural); k != nil {
		return k.ShortName()
	}
	return ""
}

func prefix(version string) string { return "r" + keySep + version + keySep }

// RecordPK is the partition of a kind's records by id (kind as in keys:
// see KindKey). It is part of the layout the publisher writes.
func RecordPK(version, kind string) string { return prefix(version) + kind }

// listPK is the partition of a kind's current records in list order (see
// familyPK for the others).
func listPK(version, kind string) string { return prefix(version) + kind + "s" }

// SummaryPK is the partition of a release's budget summary, in chunk items
// (ChunkKey) of SummaryDoc rows. It is part of the layout the publisher
// writes.
func SummaryPK(version string) string { return prefix(version) + "summary" }

// ChunkKey is the sort key of the i-th chunk of a list stored in chunk
// items (the budget summary, the partition list, the parts of a page),
// numbered from 0 so that one Query reads them back in order
// (ReadChunks). It is part of the layout the publisher writes.
func ChunkKey(i int) string { return fmt.Sprintf("%04d", i) }

// PartitionsPK is the partition that lists the partition keys of a
// release's items, in chunk items (ChunkKey) of strings: what the publisher
// reads to delete a release. It is part of the layout the publisher writes.
func PartitionsPK(version string) string { return prefix(version) + "partitions" }

// PagesPK is the partition of a release's web pages, one item per language,
// gzip-compressed (a page with its charts is larger than the item limit
// allows for comfort, and the API sends it gzip-coded to most readers).
// It is part of the layout the publisher writes (see PageItem).
func PagesPK(version string) string { return prefix(version) + "pages" }

// ChangesPK is the partition of a release's changes since older releases,
// one item per older release, its version as the sort key. These items are
// derived from two releases, not part of the release's own items: they are
// not in its digest, and are added whenever another release is loaded.
// It is part of the layout the publisher writes.
func ChangesPK(version string) string { return prefix(version) + "changes" }

// sortKey joins a position's key and id; id-ordered lists use the id alone.
func sortKey(p store.Position) string {
	if p.Key == "" {
		return p.ID
	}
	return p.Key + keySep + p.ID
}

// positionOf splits a sort key back into a position.
func positionOf(sk string) store.Position {
	if k, id, ok := strings.Cut(sk, keySep); ok {
		return store.Position{Key: k, ID: id}
	}
	return store.Position{ID: sk}
}

// Item is one DynamoDB item, as the store reads it and the publisher
// writes it.
type Item = map[string]types.AttributeValue

// docItem is how a record is stored: its keys, the record as the API sends
// it under "j" (the bytes of encode.JSON, which a read hands on without
// encoding anything), and under "txt" the part of its folded search text
// that the JSON does not hold (an event's actors' names; see eventText).
// Keeping the rest out of the item halves an event's size, and a list's
// read units with it.
type docItem struct {
	PK   string `json:"pk"`
	SK   string `json:"sk"`
	JSON []byte `json:"j"`
	Text string `json:"txt,omitempty"`
}

// RecordAttrs are the attributes of a record's items other than their keys
// (see docItem): js, the record as encode.JSON gives it, and text, the part
// of its folded search text that the JSON does not hold. They are what
// Marshal(docItem{JSON: js, Text: text}) gives, without its reflection. It
// is part of the layout the publisher writes.
func RecordAttrs(js []byte, text string) Item {
	m := Item{"j": &types.AttributeValueMemberB{Value: js}}
	if text != "" {
		m["txt"] = &types.AttributeValueMemberS{Value: text}
	}
	return m
}

// SummaryDoc is one row of the budget summary in its chunk: the row's JSON
// as the API sends it, encoded when the release is loaded (encode.Summary),
// so that a read hands it on without encoding it (encode.SummaryRow). It
// is part of the layout the publisher writes.
type SummaryDoc struct {
	JSON []byte `json:"j"`
}

// RecordItem is how the other values of a release are stored (summary
// chunks, partition lists, changes, pages): its keys and the value under
// "doc" with its JSON field names. It is part of the layout the publisher
// writes.
type RecordItem[T any] struct {
	PK   string `json:"pk"`
	SK   string `json:"sk"`
	Doc  T      `json:"doc"`
	Text string `json:"txt,omitempty"`
}

// Marshal encodes an item's attributes from v. The records are marshalled
// with their JSON field names, so that the documents in the table read
// like the API's responses. It is part of the layout the publisher writes.
func Marshal(v any) (Item, error) {
	return attributevalue.MarshalMapWithOptions(v, func(o *attributevalue.EncoderOptions) { o.TagKey = "json" })
}

// Unmarshal decodes an item marshalled by Marshal into v.
func Unmarshal(m Item, v any) error {
	return attributevalue.UnmarshalMapWithOptions(m, v, func(o *attributevalue.DecoderOptions) { o.TagKey = "json" })
}

// ReleaseMeta describes a release in its metadata item (ReleasePK, sort
// key its version) and in the pointer (PointerSK). It is part of the
// layout the publisher writes; the store serves a release only while its
// metadata says StateComplete.
type ReleaseMeta struct {
	PK        string            `json:"pk"`
	SK        string            `json:"sk"`
	Version   string            `json:"version"`
	Released  string            `json:"released"`
	Summary   string            `json:"summary"`
	SummaryJA string            `json:"summary_ja,omitempty"`
	State     string            `json:"state,omitempty"` // loading, complete or deleting; empty in the pointer
	Counts    []dataset.Count   `json:"counts"`
	Withdrawn map[string]int    `json:"withdrawn"`
	Checksums map[string]string `json:"checksums"`
	Items     int               `json:"items"`
	Digest    string            `json:"digest"`
	// Partitions lists the partition keys of the release's items. It is not
	// part of the metadata item, which every request may read: at a hundred
	// thousand events it alone would take 300 KB. It is stored in the
	// release's own partition list (PartitionsPK).
	Partitions  []string      `json:"-"`
	Bundle      *store.Bundle `json:"bundle,omitempty"` // the release's zip, described when it was loaded
	UpdatedAt   string        `json:"updated_at,omitempty"`
	ActivatedAt string        `json:"activated_at,omitempty"`
}

// Release states, in the metadata item's "state": a release is written
// while "loading", served once "complete", and hidden while "deleting".
// They are part of the layout the publisher writes.
const (
	StateLoading  = "loading"
	StateComplete = "complete"
	StateDeleting = "deleting"
)

func (m *ReleaseMeta) info(current bool) store.Release {
	return store.Release{
		ReleaseInfo: dataset.ReleaseInfo{Version: m.Version, Released: m.Released, Summary: m.Summary, SummaryJA: m.SummaryJA},
		Current:     current,
		Counts:      m.Counts,
		Checksums:   m.Checksums,
		Bundle:      m.Bundle,
	}
}

// Key is the primary key of the item pk/sk.
func Key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		AttrPK: &types.AttributeValueMemberS{Value: pk},
		AttrSK: &types.AttributeValueMemberS{Value: sk},
	}
}

// KeyOf returns an item's partition and sort keys, or empty strings when
// it has no string keys.
func KeyOf(m Item) (string, string) {
	pk, _ := m[AttrPK].(*types.AttributeValueMemberS)
	sk, _ := m[AttrSK].(*types.AttributeValueMemberS)
	if pk == nil || sk == nil {
		return "", ""
	}
	return pk.Value, sk.Value
}
