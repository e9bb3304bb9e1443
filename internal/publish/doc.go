// Package publish writes releases into the DynamoDB table that package
// dynamo reads: Loader prepares a release's items (each record encoded
// once, its counts, pages and bundle described), writes them in batches,
// verifies what the table holds, links the changes between releases,
// activates a release, lists the releases and deletes one. Bucket uploads a
// release's downloads (zip and SQLite database) to the bundle bucket, each
// once, and Deploy does both on every deploy: it is the stack's
// Custom::DatasetRelease resource, which functions/loader serves. The
// table's key layout is documented, and its keys and items defined, in
// package dynamo; this package only writes them.
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
//
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
package publish
