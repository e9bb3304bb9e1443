// Package dynamo is the production Store: the dataset in one DynamoDB table
// (single-table design), and the loader that publishes releases into it.
//
// # Table
//
// One table with a string partition key "pk" and a string sort key "sk", no
// secondary index, billed per request. TableSchema holds that definition
// once; infra/template.yaml must match it (a test asserts it).
//
// # Items
//
// Every item of release V lives under partitions prefixed "r#V#", so that
// several releases coexist and any of them can be pinned:
//
//	pk                              sk            holds
//	release                         V             metadata of release V: state, counts, checksums, digest,
//	                                              and its bundle (zip name, SHA-256, size)
//	release                         ~current      the pointer: which release is current, with its metadata
//	r#V#event|actor|budget|program|source  ID     one record, for lookups by id
//	r#V#events                      DATE#ID       every event, ordered by first day (DATE is YYYY-MM-DD)
//	r#V#events#actor#A              DATE#ID       events actor A took part in
//	r#V#events#type|country|tag|confidence#X  DATE#ID  events with that value
//	r#V#events#status#withdrawn     DATE#ID       withdrawn events
//	r#V#actors|programs|sources     ID            the kind's records, ordered by id
//	r#V#budgets                     FY#ID         budget lines, ordered by fiscal year (4 digits)
//	r#V#summary                     NNNN          the budget summary, computed once at load, in chunks
//	                                              of at most 256 KB of rows (one for this dataset)
//	r#V#partitions                  NNNN          the partition keys of V's items (its own included),
//	                                              in chunks like the summary: what delete reads
//	r#V#changes                     U             the changes of V since the older release U (dataset.Changes)
//	r#V#pages                       LANG          V's web pages (en, ja), gzip-compressed, built with it
//	r#V#counts                      KIND[#DIM=X]  store.Tally: how many records of a kind (one filter value) there
//	                                              are, and the facets of events and budget lines (counts.go)
//
// Each record item carries the record under "j", as the JSON bytes the API
// sends (encode.JSON: a read hands them on without encoding anything), and
// its folded search text under "txt". The other items carry their value
// under "doc", marshalled with its JSON field names.
//
// # Access patterns
//
// Every request reads data with exactly one Query or GetItem; no request
// path ever scans. Release metadata and the current-release pointer are
// cached for DefaultCacheTTL; the pointer carries the current release's
// metadata, so a request costs at most one metadata read and one data read,
// even in a fresh process. (The one exception is the timeline of an actor
// with no events, which reads the actor too, to answer 404 or an empty
// list.)
//
//	endpoint                           read
//	GET /v1/events (no filter)         Query pk=r#V#events, Limit = limit+1 (+ withdrawn count)
//	GET /v1/events?actor=A (one value) Query pk=r#V#events#actor#A; likewise type, country, tag, confidence
//	  with from/to                     + sk <= "TO#~" (an event starting after the range cannot overlap it)
//	  with sort=-occurred              ScanIndexForward=false
//	  with other filters or q          the narrowest single-valued dimension's partition, the rest
//	                                   matched in Go with the shared store.Match* functions
//	GET /v1/events/{id}                GetItem pk=r#V#event sk=ID
//	GET /v1/actors/{id}/events         Query pk=r#V#events#actor#ID; GetItem pk=r#V#actor only when
//	                                   the first page is empty (to tell 404 from an empty timeline)
//	GET /v1/actors, programs, sources  Query pk=r#V#actors|programs|sources
//	GET /v1/budgets                    Query pk=r#V#budgets (+ sk <= "TO#~" with to_year)
//	GET /v1/budgets/summary            Query pk=r#V#summary (a further page only past 1 MB of rows)
//	GET /v1/events|budgets/facets      GetItem pk=r#V#counts for no filter or one filter value; otherwise
//	                                   one Query of at most 500 items of the list's partition, or inexact
//	a list's meta.total                free from the page's read when it covered every candidate, or from
//	                                   the metadata without filters; else GetItem pk=r#V#counts (one filter
//	                                   value, kept by the process), else the cursor's, else not counted
//	GET /v1/{kind}/{id}                GetItem pk=r#V#kind sk=ID
//	GET /v1/releases                   Query pk=release (metadata and pointer in one partition)
//	GET /v1/releases/{version}         GetItem pk=release sk=VERSION (cached once complete)
//	GET /v1/releases/{v}/changes?since=U  GetItem pk=r#V#changes sk=U, after V's metadata (cached)
//	GET /v1/releases/{version}/download   the release's metadata only; the zip is served from the
//	                                   bundle bucket (a redirect), never from the table
//
// A list whose filters cannot all be answered by the key reads one Query page
// (up to 1 MB) and matches it in Go. When that page holds enough matches the
// answer is exact; when the store stops at the 1 MB boundary first, the page
// is shorter than limit and next_cursor resumes where reading stopped. The
// releases of this dataset are far below that size.
//
// # Cursors
//
// The API's cursors carry a store.Position (sort key and id of the last item
// returned). This store rebuilds DynamoDB's ExclusiveStartKey from it: the
// partition comes from the query and the sort key is "KEY#ID" (or "ID"), so
// a position from the memory store means the same thing here, and the
// responses of both stores are byte-identical.
//
// # Releases
//
// The loader writes every item of a release while its metadata says
// "loading", verifies counts and a digest read back from the table, marks it
// "complete", and only then makes it current with one conditional write of
// the pointer item. Readers never see a release that is not complete.
//
// Every state change is conditional on the state it expects: to "loading"
// only from nothing or "loading", to "complete" only from "loading". The
// pointer names a complete release: Activate writes it in a transaction
// (TransactWriteItems) whose ConditionCheck requires the release to be
// complete, and Delete marks a release "deleting" in a transaction whose
// ConditionCheck requires the pointer not to name it. Where the table has no
// transactions (dynalite), both hold the release lock (item lock/releases,
// leased) across their read and conditional write instead; see
// transitions.go. Every item of the release partition must decode and match
// its key, or the command reading it fails with the key.

// The partition list is written before the release's other items and deleted
// after them, so that a load or delete stopped half-way can always be
// finished. It is not kept in the metadata item, which requests read: at a
// hundred thousand events it takes 300 KB.
//
// Given a Bundle function, the loader also describes the release's zip
// (name, SHA-256 and size of the bytes the deploy uploads) in its metadata;
// a release loaded again must describe the same bytes.
//
// # Changes
//
// The changes between two releases are derived from both, so they are not
// among a release's own items (nor in its digest). When the loader loads
// release V it writes, before marking V complete, V's changes since every
// complete older release U (item r#V#changes/U, computed with dataset.Diff
// after reading U's records back from the table); after marking V complete
// it writes every complete newer release W's changes since V
// (r#W#changes/V), which matters only when releases are loaded out of
// order. Pairs already in the table are kept: both releases are immutable,
// and so is their difference. A re-run (even of a release already loaded)
// fills in any pair a crash left out. Deleting release U removes its own
// changes partition and every r#W#changes/U, so that the absence of the item
// means "U is not in the table" to the store, which answers with one
// GetItem. One item holds at most 400 KB: about four times what every record
// of the dataset changed in every field would take.
package dynamo
