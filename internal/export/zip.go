package export

import (
	"archive/zip"
	"compress/flate"
	"fmt"
	"io"
)

// WriteZip writes the bundle as a zip archive that is byte-for-byte the same
// every time: files in the bundle's order, each with the release date as its
// timestamp, mode 0644 and no other metadata from the machine that built
// it, compressed by the standard library's deflate at a fixed level (whose
// output is fixed for a given Go release).
func (b *Bundle) WriteZip(w io.Writer) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	for _, f := range b.Files {
		h := &zip.FileHeader{
			Name:     b.Root + "/" + f.Path,
			Method:   zip.Deflate,
			Modified: b.Modified,
		}
		h.SetMode(0o644)
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return fmt.Errorf("zip: %s: %w", h.Name, err)
		}
		if err := f.writeTo(fw); err != nil {
			return fmt.Errorf("zip: %s: %w", h.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	return nil
}
