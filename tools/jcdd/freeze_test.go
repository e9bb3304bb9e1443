package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/dataset"
)

// newDataset copies the embedded working copy into a temporary dataset
// directory, as release version.
func newDataset(t *testing.T, version string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range dataset.Files {
		data, err := fs.ReadFile(dataset.WorkingFS(), f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	setVersion(t, dir, version)
	return dir
}

var versionLine = regexp.MustCompile(`(?m)^version: .*$`)

func setVersion(t *testing.T, dir, version string) {
	t.Helper()
	name := filepath.Join(dir, "release.yaml")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !versionLine.Match(data) {
		t.Fatal("release.yaml has no version line")
	}
	if err := os.WriteFile(name, versionLine.ReplaceAll(data, []byte("version: "+version)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// snapshot reads every file under dir, by path relative to dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func freezeOut(t *testing.T, dir string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := freeze(&out, dir)
	return out.String(), err
}

// TestFreeze walks a dataset through its history: the first release is
// frozen as an exact copy, freezing it again changes nothing, editing it
// without a new version is refused, and the next version is frozen beside
// it.
func TestFreeze(t *testing.T) {
	dir := newDataset(t, "1.0.0")
	releases := filepath.Join(dir, dataset.ReleasesDir)

	out, err := freezeOut(t, dir)
	if err != nil || !strings.Contains(out, "published release 1.0.0") {
		t.Fatalf("first freeze: %q, %v", out, err)
	}
	frozen := snapshot(t, releases)
	var want []string
	for _, f := range dataset.Files {
		working, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		got := frozen["1.0.0/"+f.Name]
		wantFirst := "# yaml-language-server: $schema=../../schema/" + f.Schema
		first, rest, _ := strings.Cut(got, "\n")
		_, workingRest, _ := bytes.Cut(working, []byte("\n"))
		if first != wantFirst || rest != string(workingRest) {
			t.Errorf("1.0.0/%s is not the working file with its schema line pointing two levels up (first line %q)", f.Name, first)
		}
		want = append(want, "1.0.0/"+f.Name)
	}
	want = append(want, dataset.FrozenManifest)
	var names []string
	for name := range frozen {
		names = append(names, name)
	}
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("releases/ holds %q, want %q", names, want)
	}
	manifest, err := dataset.ParseManifest([]byte(frozen[dataset.FrozenManifest]))
	if err != nil || len(manifest) != len(dataset.Files) || manifest["1.0.0/events.yaml"] != dataset.Checksum([]byte(frozen["1.0.0/events.yaml"])) {
		t.Errorf("manifest = %v, %v", manifest, err)
	}

	// Again, unchanged: a no-op.
	out, err = freezeOut(t, dir)
	if err != nil || !strings.Contains(out, "nothing to freeze") {
		t.Errorf("second freeze: %q, %v", out, err)
	}
	if again := snapshot(t, releases); !mapsEqual(again, frozen) {
		t.Error("freezing an unchanged release rewrote releases/")
	}

	// The working copy edited under the published version: refused.
	events := filepath.Join(dir, "events.yaml")
	data, _ := os.ReadFile(events)
	if err := os.WriteFile(events, append(data, "# an edit after publication\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = freezeOut(t, dir)
	if err == nil || !strings.Contains(err.Error(), "immutable") || !strings.Contains(err.Error(), "events.yaml differs") {
		t.Errorf("freezing a changed release: %v, want an error saying it is immutable", err)
	}
	if again := snapshot(t, releases); !mapsEqual(again, frozen) {
		t.Error("a refused freeze changed releases/")
	}

	// The next version is published beside the first.
	setVersion(t, dir, "1.1.0")
	if out, err := freezeOut(t, dir); err != nil || !strings.Contains(out, "published release 1.1.0") {
		t.Fatalf("freezing 1.1.0: %q, %v", out, err)
	}
	after := snapshot(t, releases)
	for name, body := range frozen {
		if name != dataset.FrozenManifest && after[name] != body {
			t.Errorf("publishing 1.1.0 changed %s", name)
		}
	}
	rels, err := dataset.LoadFrozen(os.DirFS(releases))
	if err != nil || len(rels) != 2 || rels[0].Info.Version != "1.0.0" || rels[1].Info.Version != "1.1.0" {
		t.Fatalf("published releases: %d, %v", len(rels), err)
	}
	if !strings.HasSuffix(after["1.1.0/events.yaml"], "# an edit after publication\n") {
		t.Error("1.1.0 does not hold the edit")
	}

	// A version before the newest published one: refused.
	setVersion(t, dir, "1.0.5")
	if _, err := freezeOut(t, dir); err == nil || !strings.Contains(err.Error(), "older than the published release 1.1.0") {
		t.Errorf("freezing 1.0.5 after 1.1.0: %v", err)
	}
}

func TestFreezeRefuses(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string)
		wantErr string
	}{
		{
			name: "an invalid working copy",
			prepare: func(t *testing.T, dir string) {
				if err := os.WriteFile(filepath.Join(dir, "events.yaml"), []byte("- id: Not An Id\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			wantErr: "cannot be published until it is valid",
		},
		{
			name: "a published release edited by hand",
			prepare: func(t *testing.T, dir string) {
				if _, err := freezeOut(t, dir); err != nil {
					t.Fatal(err)
				}
				name := filepath.Join(dir, dataset.ReleasesDir, "1.0.0", "sources.yaml")
				data, _ := os.ReadFile(name)
				if err := os.WriteFile(name, append(data, "# hand edit\n"...), 0o644); err != nil {
					t.Fatal(err)
				}
				setVersion(t, dir, "1.1.0")
			},
			wantErr: "releases/1.0.0/sources.yaml has changed since release 1.0.0 was published",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newDataset(t, "1.0.0")
			tt.prepare(t, dir)
			_, err := freezeOut(t, dir)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
			}
			if _, err := os.Stat(filepath.Join(dir, dataset.ReleasesDir, "1.1.0")); err == nil {
				t.Error("a refused freeze created a release directory")
			}
		})
	}
}

// TestFreezeAfterInterruption starts from what a freeze interrupted between
// writing the manifest and renaming the directory leaves behind.
func TestFreezeAfterInterruption(t *testing.T) {
	dir := newDataset(t, "1.0.0")
	releases := filepath.Join(dir, dataset.ReleasesDir)
	if err := os.MkdirAll(filepath.Join(releases, ".1.0.0-123"), 0o755); err != nil {
		t.Fatal(err)
	}
	stale := dataset.Manifest{"1.0.0/events.yaml": dataset.Checksum([]byte("an older attempt"))}
	if err := os.WriteFile(filepath.Join(releases, dataset.FrozenManifest), stale.Format(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := freezeOut(t, dir)
	if err != nil || !strings.Contains(out, "interrupted freeze") || !strings.Contains(out, "published release 1.0.0") {
		t.Fatalf("freeze after an interruption: %q, %v", out, err)
	}
	if _, err := dataset.LoadFrozen(os.DirFS(releases)); err != nil {
		t.Error(err)
	}
}

func TestFrozenCopy(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"relative schema path", "# yaml-language-server: $schema=./schema/events.schema.json\n- id: x\n", "# yaml-language-server: $schema=../../schema/events.schema.json\n- id: x\n"},
		{"no schema line", "- id: x\n", "- id: x\n"},
		{"schema URL", "# yaml-language-server: $schema=https://example.org/s.json\n- id: x\n", "# yaml-language-server: $schema=https://example.org/s.json\n- id: x\n"},
		{"one line", "# yaml-language-server: $schema=./schema/x.json", "# yaml-language-server: $schema=./schema/x.json"},
	}
	for _, tt := range tests {
		if got := string(frozenCopy([]byte(tt.in))); got != tt.want {
			t.Errorf("%s: frozenCopy = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
