package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/jcdd/jcdd/dataset"
)

// Bundle is the download of one release, jcdd-<version>.zip: the same
// records as CSV tables, JSON and NDJSON, with a data package, a codebook, a
// citation, the licence and checksums. Its bytes depend only on the release
// and this code, so that a rebuilt bundle is identical to the published one.
type Bundle struct {
	// Root is the folder every file is in, so that unzipping makes one
	// folder named after the release: "jcdd-1.0.0".
	Root string
	// Modified is the timestamp of every file: the release date, midnight
	// UTC, never the time the bundle was built.
	Modified time.Time
	Files    []BundleFile // in zip order
}

// BundleFile is one file of a bundle. A small file holds its bytes (Data);
// a data file (a table, the records as JSON or NDJSON) holds only how to
// write them again (write) with their size and SHA-256, so that a release of
// a hundred thousand events is zipped without holding its files: each is
// written once to be summed and once into the zip.
type BundleFile struct {
	Path  string // relative to Root, with forward slashes
	Data  []byte
	write func(io.Writer) error
	sum   FileSum
}

// FileSum is the size and SHA-256 (hex) of a file's bytes.
type FileSum struct {
	Size   int64
	SHA256 string
}

// SumOf writes a file's bytes (write) into a hash alone: their size and
// SHA-256 without holding them.
func SumOf(write func(io.Writer) error) (FileSum, error) {
	h := sha256.New()
	n := &countingWriter{w: h}
	if err := write(n); err != nil {
		return FileSum{}, err
	}
	return FileSum{Size: n.n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// bytesFile is a file of a bundle that holds its bytes.
func bytesFile(path string, data []byte) BundleFile {
	return BundleFile{Path: path, Data: data, sum: FileSum{Size: int64(len(data)), SHA256: dataset.Checksum(data)}}
}

// writtenFile is a data file of a bundle: summed now, written again into
// the zip.
func writtenFile(path string, write func(io.Writer) error) (BundleFile, error) {
	sum, err := SumOf(write)
	if err != nil {
		return BundleFile{}, err
	}
	return BundleFile{Path: path, write: write, sum: sum}, nil
}

// writeTo writes the file's bytes.
func (f *BundleFile) writeTo(w io.Writer) error {
	if f.write == nil {
		_, err := w.Write(f.Data)
		return err
	}
	return f.write(w)
}

// ChecksumsFile lists the SHA-256 of every other file of a bundle.
const ChecksumsFile = "SHA256SUMS"

// BundleName is the file name of a release's bundle.
func BundleName(version string) string { return "jcdd-" + version + ".zip" }

// DatabaseName is the file name of a release's SQLite database, published
// beside its bundle (see package sqlitedb) and never inside it, so that the
// published bundles keep their bytes.
func DatabaseName(version string) string { return "jcdd-" + version + ".sqlite" }

// NewBundle builds the bundle of a release. license is the text of the data
// licence (dataset.License()).
func NewBundle(rel *dataset.Release, license []byte) (*Bundle, error) {
	released, err := time.Parse(time.DateOnly, rel.Info.Released)
	if err != nil {
		return nil, fmt.Errorf("bundle of %s: release date: %w", rel.Info.Version, err)
	}
	resources := Resources(rel)
	var data []BundleFile
	tables := map[string]FileSum{}
	for _, r := range resources {
		f, err := writtenFile(r.Path(), r.write)
		if err != nil {
			return nil, fmt.Errorf("bundle of %s: %s: %w", rel.Info.Version, r.Path(), err)
		}
		data = append(data, f)
		tables[r.Path()] = f.sum
	}
	kinds := recordFiles(rel)
	for _, format := range []string{"json", "ndjson"} {
		for _, k := range kinds {
			path, write := "json/"+k.name+".json", k.json
			if format == "ndjson" {
				path, write = "ndjson/"+k.name+".ndjson", k.ndjson
			}
			f, err := writtenFile(path, write)
			if err != nil {
				return nil, fmt.Errorf("bundle of %s: %s: %w", rel.Info.Version, path, err)
			}
			data = append(data, f)
		}
	}
	pkg, err := DataPackage(rel.Info, resources, tables)
	if err != nil {
		return nil, fmt.Errorf("bundle of %s: %w", rel.Info.Version, err)
	}
	files := append([]BundleFile{
		bytesFile("README.md", Codebook(rel.Info, resources)),
		bytesFile("LICENSE", license),
		bytesFile("CITATION.cff", CitationCFF(rel.Info)),
		bytesFile("datapackage.json", pkg),
	}, data...)
	files = append(files, bytesFile(ChecksumsFile, checksums(files)))
	return &Bundle{Root: "jcdd-" + rel.Info.Version, Modified: released, Files: files}, nil
}

// recordFile writes the records of one kind as JSON and as NDJSON.
type recordFile struct {
	name         string
	json, ndjson func(io.Writer) error
}

// recordFiles are the record files of every kind, in the order of
// dataset.Kinds.
func recordFiles(rel *dataset.Release) []recordFile {
	files := make([]recordFile, len(dataset.Kinds))
	for i, k := range dataset.Kinds {
		items := k.All(rel) // pointers to the records, which encode as the records do
		files[i] = recordFile{
			name:   k.Plural(),
			json:   func(w io.Writer) error { return WriteJSON(w, items) },
			ndjson: func(w io.Writer) error { return WriteNDJSON(w, items) },
		}
	}
	return files
}

// checksums is SHA256SUMS in the format `sha256sum -c` reads: the hash, two
// spaces (text mode) and the path relative to the bundle's folder.
func checksums(files []BundleFile) []byte {
	var b bytes.Buffer
	for _, f := range files {
		fmt.Fprintf(&b, "%s  %s\n", f.sum.SHA256, f.Path)
	}
	return b.Bytes()
}

// WriteBundle writes the zip of a release's bundle.
func WriteBundle(w io.Writer, rel *dataset.Release, license []byte) error {
	b, err := NewBundle(rel, license)
	if err != nil {
		return err
	}
	return b.WriteZip(w)
}
