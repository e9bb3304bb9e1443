package publish

import (
	"unsafe"
	"weak"
)

// SetChunkBytes changes the size of the chunks of the lists stored in
// chunks (budget summary, partition keys) until the returned function
// restores it, so that tests can store a small release's lists in several
// items.
func SetChunkBytes(n int) (restore func()) {
	old := chunkBytes
	chunkBytes = n
	return func() { chunkBytes = old }
}

// Encodings gives weak pointers to the records' encodings that p holds, so
// that tests can tell when the loader lets go of them.
func Encodings(p *Prepared) []weak.Pointer[byte] {
	var out []weak.Pointer[byte]
	for _, src := range p.items.srcs {
		if r, ok := src.(*recordAttrs); ok {
			out = append(out, weak.Make(unsafe.SliceData(r.json)))
		}
	}
	return out
}
