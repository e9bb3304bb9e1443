// Package dynamo is the production Store: it reads the dataset from one
// DynamoDB table (single-table design), whose layout it documents and
// defines. Package publish writes releases into the table.
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
//	lock                            releases      the release lock, which the publisher takes on a table without
//	                                              transactions (package publish)
//	r#V#event|actor|budget|program|source  ID     one record, for lookups by id
//	r#V#events                      DATE#ID       every current event, ordered by first day (YYYY-MM-DD)
//	r#V#events#status#withdrawn     DATE#ID       every withdrawn event (a family of its own: see below)
//	F#D#X                           DATE#ID       the events of family F with value X in dimension D:
//	                                              actor, tag, type, country, confidence
//	F#type#T#country#C              DATE#ID       the events of family F of type T involving country C
//	P (any list partition above)    ~YYYY#DATE#ID  the events of P that began before year YYYY and still
//	                                              run on its first day (after P's own sort keys)
//	r#V#actors[#status#withdrawn]   ID            actors, ordered by id; below it F#kind#K, F#country#C and
//	                                              F#kind#K#country#C
//	r#V#budgets[#status#withdrawn]  FY#ID         budget lines, ordered by first fiscal year (4 digits);
//	                                              F#program#P, F#agency#A, F#stage#S, F#category#C, and
//	                                              sk ~YYYY#FY#ID for the plans that run into year YYYY
//	r#V#programs[#status#withdrawn] ID            programs; F#agency#A, F#state#S, F#kind#K
//	r#V#sources[#status#withdrawn]  ID            sources; F#kind#K, F#language#L
//	r#V#summary                     NNNN          the budget summary, computed and encoded once at load, in chunks
//	                                              of at most 256 KB of rows (one for this dataset)
//	r#V#partitions                  NNNN          the partition keys of V's items (its own included),
//	                                              in chunks like the summary: what delete reads
//	r#V#changes                     U             the changes of V since the older release U (dataset.Changes)
//	r#V#pages                       LANG          V's web pages (en, ja), gzip-compressed, built with it
//	r#V#counts                      KIND[#DIM=X]  store.Tally: how many records of a kind (one filter value) there
//	                                              are, and the facets of events and budget lines (counts.go)
//	r#V#counts                      events#years  the events of each year, counts only; and under
//	                                events#year=YYYY  those that began in YYYY or ran into it, with facets
//	                                              (every actor), gzip-compressed: ranges of whole years
//
// A kind's list partitions come in two families: r#V#<kinds> holds its
// current records and r#V#<kinds>#status#withdrawn its tombstones, each
// record in exactly one, so that a list of current records (the default)
// never reads past a withdrawn one. Each family has the same index
// partitions below it (F#D#X above), one per value a list filters on, so
// that a filtered list reads the records it returns rather than the kind's
// whole list. A record with several values in a dimension (an event's
// actors, countries, tags) is in the partition of each. A record that spans
// years (an event with a period, a multi-year budget plan) is also stored,
// in each list partition P that holds it, once for every later year Y it
// runs into, under sort key "~Y#" + its own: a list that starts in year Y
// reads those of P (begins with "~Y#") and then P from the first day of Y,
// and never the years before. They sort after every date and id, so that
// the other reads of P stop before them (sk <= "~"), and they add no
// partitions to the release. Listing, in lists.go, says which partitions
// hold each kind's records.
//
// Each record item carries the record under "j", as the JSON bytes the API
// sends (encode.JSON: a read hands them on without encoding anything), and
// under "txt" the part of its folded search text that the JSON does not
// hold: an event's actors' names (store.EventActorText), nothing for the
// other kinds, whose search text comes from the record alone. The other
// items carry their value under "doc", marshalled with its JSON field names.
//
// # Access patterns
//
// Every request reads data with Query or GetItem calls; no request path
// ever scans. Release metadata and the current-release pointer are cached
// for DefaultCacheTTL; the pointer carries the current release's metadata,
// so a request costs at most one metadata read and one round of data
// reads, even in a fresh process, except a list that matches filters in Go,
// which may take up to three rounds (see below). (The one exception is the timeline of an
// actor with no events, which reads the actor too, to answer 404 or an
// empty list.)
//
//	endpoint                           read
//	GET /v1/events (no filter)         Query pk=r#V#events, Limit = limit+1
//	GET /v1/events?actor=A             Query pk=r#V#events#actor#A, Limit = limit+1; likewise tag, type,
//	                                   country, confidence, and type with country (F#type#T#country#C)
//	  a repeated parameter (OR)        one Query per value (per pair of values), side by side, merged
//	                                   in date order; at most 8, else a wider index is read
//	  status=withdrawn, status=all     the withdrawn family's partitions, or both families merged
//	  with from/to                     P's items with sk between "~YYYY#" and "~YYYY#~" (YYYY: from's
//	                                   year), then P with sk between "YYYY-01-01" and "TO#~"
//	  with sort=-occurred              ScanIndexForward=false, the segments in reverse
//	  with other filters               the first index in EventListing's order that the filters
//	                                   name, the rest matched in Go with the shared store.Match*
//	  with q                           one round of up to 1,000 items (a substring has no index)
//	GET /v1/events/{id}                GetItem pk=r#V#event sk=ID
//	GET /v1/actors/{id}/events         as actor=ID; GetItem pk=r#V#actor only when the first page is
//	                                   empty (to tell 404 from an empty timeline)
//	GET /v1/actors, programs, sources  Query of their family or index partitions, as for events
//	GET /v1/budgets                    Query of r#V#budgets or an index partition, between the first
//	                                   and last fiscal year asked for, after P's items "~FIRST#…"
//	GET /v1/budgets/summary            Query pk=r#V#summary (a further page only past 1 MB of rows)
//	GET /v1/events|budgets/facets      GetItem pk=r#V#counts for no filter or one filter value; for a
//	                                   range of whole years alone, Query pk=r#V#counts with sk between
//	                                   events#year=FROM and events#year=TO; otherwise one Query of at
//	                                   most 500 items of the list's partition, or inexact
//	a list's meta.total                free from the page's read when it covered every candidate, or from
//	                                   the metadata without filters; else GetItem pk=r#V#counts (one filter
//	                                   value, or events#years for a range of whole years, kept by the
//	                                   process), else the cursor's, else not counted
//	GET /v1/{kind}/{id}                GetItem pk=r#V#kind sk=ID
//	GET /v1/releases                   Query pk=release (metadata and pointer in one partition)
//	GET /v1/releases/{version}         GetItem pk=release sk=VERSION (cached once complete)
//	GET /v1/releases/{v}/changes?since=U  GetItem pk=r#V#changes sk=U, after V's metadata (cached)
//	GET /v1/releases/{version}/download   the release's metadata only; the zip is served from the
//	                                   bundle bucket (a redirect), never from the table
//
// A list reads in rounds (query.go). The first reads about a page:
// limit+1 items from one partition, or a little more than an even share of
// them from each of several, all Queries of a round side by side. When
// filters matched in Go leave the page short, a further round reads, from
// the partitions the merge waits for, as many items as the match rate seen
// so far says the rest of the page needs. A page reads at most 1,000 items
// in at most three rounds; when it stops there first, it is shorter than
// limit and next_cursor resumes where reading stopped. With the partitions
// above, a list answered by its index reads about limit+1 items in one
// round; a list that starts in the middle of a year also reads that year's
// earlier records of the partition, and a text search reads up to 1,000
// items whatever it finds.
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
// Package publish writes the table: it loads, verifies, activates and
// deletes releases (see its documentation). What the store relies on: a
// release's metadata item says its state, "loading", "complete" or
// "deleting", and the store serves a release only once it is complete; the
// pointer names a complete release. A release's changes since every older
// complete release are in the table before it is complete, and go when
// either release is deleted: the store reads them with one GetItem, and the
// absence of the item means that the older release is not in the table.
package dynamo
