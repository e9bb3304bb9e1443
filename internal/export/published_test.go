package export

import (
	"bytes"
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/dataset"
)

// TestPublishedBundlesAreStable pins the SHA-256 of the bundles of the
// published releases. A published bundle never changes: readers verify it
// against the checksum they downloaded, and a deploy refuses a bundle that
// differs from the one already in the bucket. A change to the exports that
// moves these digests must apply only to releases published after it (see
// ExplicitBooleansSince for how).
func TestPublishedBundlesAreStable(t *testing.T) {
	want := map[string]string{
		"1.0.0": "36492c3bf18e49429151e05598598093ba3200b97f238393ab58679a10f4f799",
		"1.1.0": "484886f15d09dcfa36fa7c8cc320b4ab50d62518ca67c8910363f00b5ad92f11",
		"1.2.0": "7dfd1073a0d92e46db3b086b84c95bac5a44b7c7c796de0b74ab6913ae8657bc",
	}
	rels, err := dataset.LoadFrozen(dataset.FrozenFS())
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range rels {
		w, ok := want[rel.Info.Version]
		if !ok {
			t.Errorf("release %s is published: pin the SHA-256 of its bundle here (make release prints it)", rel.Info.Version)
			continue
		}
		delete(want, rel.Info.Version)
		var buf bytes.Buffer
		if err := WriteBundle(&buf, rel, dataset.License()); err != nil {
			t.Fatal(err)
		}
		if got := dataset.Checksum(buf.Bytes()); got != w {
			t.Errorf("bundle of %s: SHA-256 %s, want %s, the published one", rel.Info.Version, got, w)
		}
	}
	for v := range want {
		t.Errorf("published release %s is no longer embedded", v)
	}
}

// TestMirrorIsExplicit: from ExplicitBooleansSince on, the sources table
// writes mirror as true or false and the data package requires it, so that
// pandas and Frictionless read a non-mirror as false rather than missing;
// before it, the bundles keep the empty cell they were published with.
func TestMirrorIsExplicit(t *testing.T) {
	wc, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	var mirrors, others int
	for _, s := range wc.Sources {
		if s.Mirror {
			mirrors++
		} else {
			others++
		}
	}
	if mirrors == 0 || others == 0 {
		t.Fatalf("the working copy has %d mirrors and %d other sources; the test needs both", mirrors, others)
	}
	for _, tc := range []struct {
		version   string
		falseCell string // how a non-mirror is written
		required  bool
		codebook  bool // the codebook explains booleans
	}{
		{"1.0.0", "", false, false},
		{"1.1.0", "", false, false},
		{"1.1.9", "", false, false},
		{ExplicitBooleansSince, "false", true, true},
		{"1.10.0", "false", true, true},
	} {
		t.Run(tc.version, func(t *testing.T) {
			rel := relabel(wc, tc.version)
			u := openBundle(t, rel)
			counts := map[string]int{}
			for _, v := range parseCSV(t, "csv/sources.csv", u.files["csv/sources.csv"]).column(t, "mirror") {
				counts[v]++
			}
			if want := map[string]int{"true": mirrors, tc.falseCell: others}; !maps.Equal(counts, want) {
				t.Errorf("mirror cells %v, want %v", counts, want)
			}

			var dp packageDoc
			if err := json.Unmarshal(u.files["datapackage.json"], &dp); err != nil {
				t.Fatal(err)
			}
			var field *SchemaField
			for _, r := range dp.Resources {
				for i, f := range r.Schema.Fields {
					if r.Name == "sources" && f.Name == "mirror" {
						field = &r.Schema.Fields[i]
					}
				}
			}
			if field == nil || field.Type != "boolean" {
				t.Fatalf("datapackage.json: sources.mirror is %+v, want a boolean", field)
			}
			if required := field.Constraints != nil && field.Constraints.Required; required != tc.required {
				t.Errorf("datapackage.json: sources.mirror required = %v, want %v", required, tc.required)
			}
			if got := strings.Contains(string(u.files["README.md"]), "**Booleans** (`mirror`) are written `true` or `false`"); got != tc.codebook {
				t.Errorf("codebook explains booleans: %v, want %v", got, tc.codebook)
			}

			// The API's CSV of sources uses the same layout.
			var buf bytes.Buffer
			if err := WriteCSV(&buf, SourcesOf(tc.version), rel.Sources, CSVOptions{Excel: true}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), u.files["csv/sources.csv"]) {
				t.Error("SourcesOf writes another table than the bundle's csv/sources.csv")
			}
		})
	}
}
