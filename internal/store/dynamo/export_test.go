package dynamo

// SetSummaryChunkBytes changes the size of the budget summary's chunks until
// the returned function restores it, so that tests can store a small
// release's summary in several items.
func SetSummaryChunkBytes(n int) (restore func()) {
	old := summaryChunkBytes
	summaryChunkBytes = n
	return func() { summaryChunkBytes = old }
}
