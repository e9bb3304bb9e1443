package dynamo

// SetChunkBytes changes the size of the chunks of the lists stored in
// chunks (budget summary, partition keys) until the returned function
// restores it, so that tests can store a small release's lists in several
// items.
func SetChunkBytes(n int) (restore func()) {
	old := chunkBytes
	chunkBytes = n
	return func() { chunkBytes = old }
}
