package dataset

import (
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// releaseFiles returns the minimal release's files with another version and
// summary, so that releases can be told apart.
func releaseFiles(version, summary string) map[string]string {
	files := map[string]string{}
	for name, body := range minimal {
		files[name] = body
	}
	files["release.yaml"] = "version: " + version + "\nreleased: \"2026-11-25\"\nsummary: " + summary + "\nsummary_ja: 要約。\n"
	return files
}

// publish returns a releases directory holding the given releases (version →
// files) and a manifest that matches them, as make release would write it.
func publish(releases map[string]map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{"README.md": {Data: []byte("# Published releases\n")}}
	manifest := Manifest{}
	for v, files := range releases {
		for name, body := range files {
			fsys[v+"/"+name] = &fstest.MapFile{Data: []byte(body)}
			manifest[v+"/"+name] = Checksum([]byte(body))
		}
	}
	if len(manifest) > 0 {
		fsys[FrozenManifest] = &fstest.MapFile{Data: manifest.Format()}
	}
	return fsys
}

func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return fsys
}

func TestLoadReleases(t *testing.T) {
	v100 := releaseFiles("1.0.0", "Published.")
	tests := []struct {
		name    string
		frozen  fstest.MapFS
		working map[string]string
		// want lists version=summary of each release, oldest first.
		want []string
	}{
		{
			name:    "nothing published yet: the working copy alone",
			frozen:  publish(nil),
			working: releaseFiles("1.0.0", "In progress."),
			want:    []string{"1.0.0-dev=In progress."},
		},
		{
			name:    "working copy already published: the frozen copy wins",
			frozen:  publish(map[string]map[string]string{"1.0.0": v100}),
			working: releaseFiles("1.0.0", "Edited after publication."),
			want:    []string{"1.0.0=Published."},
		},
		{
			name:    "next release in progress is served after the published one",
			frozen:  publish(map[string]map[string]string{"1.0.0": v100}),
			working: releaseFiles("1.1.0", "In progress."),
			want:    []string{"1.0.0=Published.", "1.1.0-dev=In progress."},
		},
		{
			name: "versions are ordered numerically",
			frozen: publish(map[string]map[string]string{
				"1.10.0": releaseFiles("1.10.0", "Ten."),
				"1.9.0":  releaseFiles("1.9.0", "Nine."),
				"1.0.0":  v100,
			}),
			working: releaseFiles("2.0.0", "Two."),
			want:    []string{"1.0.0=Published.", "1.9.0=Nine.", "1.10.0=Ten.", "2.0.0-dev=Two."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rels, err := LoadReleases(tt.frozen, mapFS(tt.working))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rels {
				got = append(got, r.Info.Version+"="+r.Info.Summary)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("releases = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLoadReleasesRefuses(t *testing.T) {
	v100 := releaseFiles("1.0.0", "Published.")
	one := func() fstest.MapFS { return publish(map[string]map[string]string{"1.0.0": v100}) }
	tests := []struct {
		name    string
		frozen  func() fstest.MapFS
		working map[string]string
		wantErr string
	}{
		{
			name:    "working copy older than the newest published release",
			frozen:  func() fstest.MapFS { return publish(map[string]map[string]string{"1.1.0": releaseFiles("1.1.0", "x")}) },
			working: releaseFiles("1.0.1", "x"),
			wantErr: "older than the published release 1.1.0",
		},
		{
			name: "published file edited by hand",
			frozen: func() fstest.MapFS {
				fsys := one()
				fsys["1.0.0/events.yaml"].Data = []byte(strings.Replace(minimal["events.yaml"], "The NSA found it.", "Rewritten.", 1))
				return fsys
			},
			working: releaseFiles("1.1.0", "x"),
			wantErr: "releases/1.0.0/events.yaml has changed since release 1.0.0 was published",
		},
		{
			name: "published directory named after another version",
			frozen: func() fstest.MapFS {
				return publish(map[string]map[string]string{"1.0.1": v100})
			},
			working: releaseFiles("1.1.0", "x"),
			wantErr: "releases/1.0.1/release.yaml says version 1.0.0",
		},
		{
			name: "a directory that is not a version",
			frozen: func() fstest.MapFS {
				fsys := one()
				fsys["latest/release.yaml"] = &fstest.MapFile{Data: []byte(v100["release.yaml"])}
				return fsys
			},
			working: releaseFiles("1.1.0", "x"),
			wantErr: "releases/latest: not a release version",
		},
		{
			name: "an extra file in a published release",
			frozen: func() fstest.MapFS {
				fsys := one()
				fsys["1.0.0/notes.txt"] = &fstest.MapFile{Data: []byte("x")}
				return fsys
			},
			working: releaseFiles("1.1.0", "x"),
			wantErr: "releases/1.0.0/notes.txt: not a file of a release",
		},
		{
			name: "a published release missing from the manifest",
			frozen: func() fstest.MapFS {
				fsys := one()
				delete(fsys, FrozenManifest)
				return fsys
			},
			working: releaseFiles("1.1.0", "x"),
			wantErr: "is not in releases/SHA256SUMS",
		},
		{
			name: "the manifest names a release that is gone",
			frozen: func() fstest.MapFS {
				fsys := one()
				fsys[FrozenManifest].Data = append(fsys[FrozenManifest].Data, []byte(strings.Repeat("0", 64)+"  0.9.0/events.yaml\n")...)
				return fsys
			},
			working: releaseFiles("1.1.0", "x"),
			wantErr: "lists 0.9.0/events.yaml, but release 0.9.0 is missing",
		},
		{
			name: "a published release that no longer loads",
			frozen: func() fstest.MapFS {
				return publish(map[string]map[string]string{"1.0.0": replace(t, "events.yaml", "type: discovery", "type: rumour")})
			},
			working: releaseFiles("1.1.0", "x"),
			wantErr: "published release 1.0.0 (releases/1.0.0)",
		},
		{
			name:    "an invalid working copy",
			frozen:  one,
			working: map[string]string{"release.yaml": "version: 1.1.0\n"},
			wantErr: "the working copy:",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadReleases(tt.frozen(), mapFS(tt.working))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestEmbeddedReleases loads what the binaries serve: every published
// release and the release in progress.
func TestEmbeddedReleases(t *testing.T) {
	rels, err := Releases()
	if err != nil {
		t.Fatal(err)
	}
	if len(rels) == 0 {
		t.Fatal("no releases")
	}
	for i := 1; i < len(rels); i++ {
		if CompareVersions(rels[i-1].Info.Version, rels[i].Info.Version) >= 0 {
			t.Errorf("releases out of order: %s before %s", rels[i-1].Info.Version, rels[i].Info.Version)
		}
	}
	wc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if newest := rels[len(rels)-1].Info.Version; CompareVersions(newest, wc.Info.Version) != 0 {
		t.Errorf("newest release is %s, want the working copy's %s", newest, wc.Info.Version)
	}
}

// TestPublishedModelinesResolve checks that the schema line of every
// published file still points at a schema from where the file now lives.
func TestPublishedModelinesResolve(t *testing.T) {
	entries, err := os.ReadDir(ReleasesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		for _, f := range Files {
			name := path.Join(ReleasesDir, e.Name(), f.Name)
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(b), "\n")
			ref, ok := strings.CutPrefix(first, "# yaml-language-server: $schema=")
			if !ok {
				continue
			}
			if _, err := os.Stat(path.Join(ReleasesDir, e.Name(), ref)); err != nil {
				t.Errorf("%s: schema line points at %s, which does not exist: %v", name, ref, err)
			}
		}
	}
}

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1.0.0", "1.0.0", 0},
		{"1.0.0", "1.0.1", -1},
		{"1.10.0", "1.9.0", 1},
		{"2.0.0", "10.0.0", -1},
	}
	for _, tt := range tests {
		if got := CompareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareVersions(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestManifestRoundTrip(t *testing.T) {
	m := Manifest{
		"1.10.0/events.yaml": Checksum([]byte("c")),
		"1.9.0/release.yaml": Checksum([]byte("b")),
		"1.9.0/events.yaml":  Checksum([]byte("a")),
	}
	text := string(m.Format())
	wantOrder := []string{"1.9.0/events.yaml", "1.9.0/release.yaml", "1.10.0/events.yaml"}
	var order []string
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		order = append(order, line[66:])
	}
	if !slices.Equal(order, wantOrder) {
		t.Errorf("manifest order = %q, want %q", order, wantOrder)
	}
	back, err := ParseManifest([]byte(text))
	if err != nil || len(back) != len(m) || back["1.9.0/events.yaml"] != m["1.9.0/events.yaml"] {
		t.Errorf("ParseManifest = %v, %v", back, err)
	}
	for _, bad := range []string{"nothash  1.0.0/events.yaml\n", strings.Repeat("a", 64) + " 1.0.0/x\n"} {
		if _, err := ParseManifest([]byte(bad)); err == nil {
			t.Errorf("ParseManifest(%q) succeeded", bad)
		}
	}
}

func TestCompareDevVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"1.2.0-dev", "1.2.0", -1}, {"1.2.0", "1.2.0-dev", 1}, {"1.2.0-dev", "1.1.9", 1},
		{"1.2.0-dev", "1.2.0-dev", 0}, {"1.10.0-dev", "1.9.0", 1},
	} {
		if got := CompareVersions(c.a, c.b); got != c.want {
			t.Errorf("CompareVersions(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	if IsVersion("1.2.0-dev") || !IsDev("1.2.0-dev") || IsDev("1.2.0") {
		t.Error("a dev version is never a published version")
	}
}
