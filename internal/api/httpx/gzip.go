package httpx

import (
	"bytes"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
)

// AcceptsGzip reports whether an Accept-Encoding header admits gzip
// (RFC 9110, 12.5.3): named, or covered by *, with a non-zero quality.
func AcceptsGzip(header string) bool {
	if header == "" {
		return false
	}
	q := -1.0
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		v := 1.0
		if k, val, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
			if err != nil {
				continue
			}
			v = f
		}
		if coding != "*" || q < 0 { // a named coding overrides *
			q = v
		}
	}
	return q > 0
}

// MinGzipBody is the smallest body worth compressing: below it the gzip
// header and trailer eat most of the saving.
const MinGzipBody = 1024

// gzipPool recycles compressors, which are large to allocate. They
// compress as well as gzip can: an answer is compressed once and sent many
// times (cache.go), so the bytes saved on every transfer outweigh the
// time spent once.
var gzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestCompression)
	return w
}}

// Gzip compresses a body given as pieces written one after another, of the
// given total length.
func Gzip(body [][]byte, length int) []byte {
	var buf bytes.Buffer
	buf.Grow(length/3 + 64)
	w := gzipPool.Get().(*gzip.Writer)
	w.Reset(&buf)
	for _, b := range body {
		_, _ = w.Write(b) // writes to a bytes.Buffer cannot fail
	}
	_ = w.Close()
	gzipPool.Put(w)
	return buf.Bytes()
}
