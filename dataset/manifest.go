package dataset

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"slices"
	"strings"
)

// FrozenManifest is the file beside the frozen release directories that
// records the SHA-256 of every frozen file, in `sha256sum -c` format. make
// release writes it together with a frozen release; the loader checks every
// frozen file against it, so that a published release edited by hand (or by
// a search-and-replace across the dataset folder) fails loudly instead of
// silently changing what a pinned URL serves.
const FrozenManifest = "SHA256SUMS"

// Manifest maps the path of a frozen file, relative to the releases
// directory (e.g. "1.0.0/events.yaml"), to its SHA-256, hex-encoded.
type Manifest map[string]string

// Checksum returns the SHA-256 of data, hex-encoded, as release checksums
// and manifests write it.
func Checksum(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// ParseManifest reads a manifest in `sha256sum` format: one "HASH  PATH" line
// per file.
func ParseManifest(data []byte) (Manifest, error) {
	m := Manifest{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" {
			continue
		}
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != sha256.Size*2 || strings.Trim(sum, "0123456789abcdef") != "" || name == "" {
			return nil, fmt.Errorf("%s line %d: want \"<sha256>  <path>\", got %q", FrozenManifest, n, line)
		}
		if _, dup := m[name]; dup {
			return nil, fmt.Errorf("%s line %d: %s is listed twice", FrozenManifest, n, name)
		}
		m[name] = sum
	}
	return m, sc.Err()
}

// Format writes the manifest in `sha256sum` format, ordered by release
// version and then by file name, so that it only ever grows at the end.
func (m Manifest) Format() []byte {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int {
		va, fa := path.Split(a)
		vb, fb := path.Split(b)
		if c := CompareVersions(strings.TrimSuffix(va, "/"), strings.TrimSuffix(vb, "/")); c != 0 {
			return c
		}
		return strings.Compare(fa, fb)
	})
	var b bytes.Buffer
	for _, name := range names {
		fmt.Fprintf(&b, "%s  %s\n", m[name], name)
	}
	return b.Bytes()
}
