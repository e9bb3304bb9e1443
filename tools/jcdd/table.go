package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/awsconfig"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/release"
	"github.com/jcdd/jcdd/internal/store/dynamo"
)

// tableUsage describes the commands on a DynamoDB table: what the loader
// Lambda function does on a deploy, by hand.
const tableUsage = `commands on a DynamoDB table (flags: --table NAME or JCDD_TABLE, --endpoint URL, --concurrency N, --delete-grace 10s):
  jcdd load [--dir DIR] [--no-activate] [--dev] [--memory-limit MiB]
                                                  load every published release (or the one in DIR) and make the newest current
  jcdd activate VERSION                           make a loaded release current
  jcdd list                                       list the releases in the table
  jcdd delete VERSION                             delete a release that is not current
  jcdd create-table                               create the table (local development)`

// options are the flags of the table commands.
type options struct {
	table, endpoint string
	concurrency     int
	deleteGrace     time.Duration
	// load's own
	dir             string
	noActivate, dev bool
	memoryLimit     int // MiB
}

// runTable runs one of the table commands (load, activate, list, delete,
// create-table) with its arguments.
func runTable(ctx context.Context, cmd string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o options
	fs.StringVar(&o.table, "table", os.Getenv("JCDD_TABLE"), "DynamoDB table")
	fs.StringVar(&o.endpoint, "endpoint", os.Getenv("AWS_ENDPOINT_URL_DYNAMODB"), "DynamoDB endpoint, for a local DynamoDB")
	fs.IntVar(&o.concurrency, "concurrency", 4, "batches written at once")
	fs.DurationVar(&o.deleteGrace, "delete-grace", 2*dynamo.DefaultCacheTTL, "delete: wait between hiding a release and removing its items")
	if cmd == "load" {
		fs.StringVar(&o.dir, "dir", "", "load the release in this directory instead of the embedded ones")
		fs.BoolVar(&o.noActivate, "no-activate", false, "load and verify, but do not make the release current")
		fs.BoolVar(&o.dev, "dev", false, "also load the working copy, when it is not published, as <version>-dev (and make it current unless -no-activate)")
		fs.IntVar(&o.memoryLimit, "memory-limit", defaultLoadMemoryLimit, "soft limit of the Go heap, in MiB, unless GOMEMLIMIT is set (0: none)")
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%s: %v", cmd, err)
	}
	if o.table == "" {
		return errors.New("no table: pass --table or set JCDD_TABLE")
	}
	rest := fs.Args()
	if cmd == "load" && len(rest) > 0 {
		return fmt.Errorf("load: unexpected argument %q", rest[0])
	}
	c, err := awsconfig.DynamoDB(ctx, o.endpoint)
	if err != nil {
		return err
	}
	l := &publish.Loader{
		C: c, Table: o.table, Concurrency: o.concurrency, DeleteGrace: o.deleteGrace, Log: slog.New(slog.NewTextHandler(stderr, nil)),
		// The index describes each release's zip (make release writes the
		// same bytes to dist/).
		Bundle: release.Describe,
	}
	switch cmd {
	case "load":
		return load(ctx, l, o, stdout)
	case "activate":
		version, err := oneVersion(rest)
		if err != nil {
			return err
		}
		prev, err := l.Activate(ctx, version)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "activated %s (previous: %s)\n", version, orNone(prev))
		return nil
	case "list":
		return list(ctx, l, stdout)
	case "delete":
		version, err := oneVersion(rest)
		if err != nil {
			return err
		}
		n, err := l.Delete(ctx, version)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "deleted %s (%d items)\n", version, n)
		return nil
	default: // create-table
		if err := dynamo.CreateTable(ctx, c, o.table); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "table %s is ready\n", o.table)
		return nil
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func oneVersion(args []string) (string, error) {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return "", errors.New("give exactly one release version, e.g. 1.0.0")
	}
	return args[0], nil
}

// defaultLoadMemoryLimit is load's soft memory limit, in MiB
// (debug.SetMemoryLimit): near it the collector runs more often rather
// than let the heap grow to twice what is live, as it does by default. A
// release of a hundred thousand events keeps about 350 MB live at most,
// while its items are made (its records' JSON, 130 MB, its counts, its
// items' keys and the last of its records as decoded); near the limit the
// collector costs CPU time, and a larger release makes it work harder,
// but no release fails for it.
const defaultLoadMemoryLimit = 400

func load(ctx context.Context, l *publish.Loader, o options, stdout io.Writer) error {
	if o.memoryLimit > 0 && os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(o.memoryLimit) << 20))
	}
	rels, err := releasesToLoad(o.dir, o.dev)
	if err != nil {
		return err
	}
	// Each release's bundle and pages, built once, as make release and
	// the local server build them; the bundle's files are only described
	// (their bytes go to the bucket from make release), never held.
	built, err := release.BuildAllDescribed(rels)
	if err != nil {
		return err
	}
	l.Bundle, l.Pages, l.Tally = built.Describe, built.TakePages, built.Tally
	// Every release is loaded (published ones are usually there already and
	// are only checked); the newest becomes current.
	for i, rel := range rels {
		newest := i == len(rels)-1
		if err := loadOne(ctx, l, built, rel, newest && !o.noActivate, stdout); err != nil {
			return err
		}
	}
	return nil
}

// loadOne loads rel, which it consumes (publish.Loader.Consume), and
// drops from built once its items are made: the load holds the items (each
// record encoded once) and not the release as decoded, which is larger.
func loadOne(ctx context.Context, l *publish.Loader, built *release.Set, rel *dataset.Release, activate bool, stdout io.Writer) error {
	version := rel.Info.Version
	fail := func(err error) error {
		return fmt.Errorf("loading %s: %w (the previous release is still current; re-run to resume)", version, err)
	}
	prep, err := l.Consume(rel)
	if err != nil {
		return fail(err)
	}
	built.Forget(version)
	p := newProgress(stdout)
	l.Progress = p
	sum, err := l.LoadPrepared(ctx, prep, activate)
	p.finish()
	if err != nil {
		return fail(err)
	}
	fmt.Fprintln(stdout, describe(sum))
	return nil
}

// releasesToLoad returns the release in dir, or every published release
// embedded in the binary (with dev, also the working copy in progress, as
// <version>-dev), oldest first. An invalid release is reported in one line,
// before anything is written.
func releasesToLoad(dir string, dev bool) ([]*dataset.Release, error) {
	var rels []*dataset.Release
	var err error
	source := "the embedded releases"
	if dir != "" {
		source = dir
		var rel *dataset.Release
		if rel, err = dataset.LoadFS(os.DirFS(dir)); err == nil {
			rels = []*dataset.Release{rel}
		}
	} else if dev {
		rels, err = dataset.Releases()
	} else {
		rels, err = dataset.Published()
	}
	if err != nil {
		var errs dataset.Errors
		if errors.As(err, &errs) {
			return nil, fmt.Errorf("%s: not a valid release (%d problems, first: %s); nothing was written; `go run ./tools/jcdd validate %s` lists them all", source, len(errs), errs[0], dir)
		}
		return nil, fmt.Errorf("reading %s: %w; nothing was written", source, err)
	}
	return rels, nil
}

// describe is the summary line printed at the end of a load.
func describe(s *publish.Summary) string {
	var b strings.Builder
	if s.AlreadyLoaded {
		fmt.Fprintf(&b, "release %s was already loaded and verified (%d items)", s.Version, s.Items)
	} else {
		rate := float64(s.Written) / max(s.Duration.Seconds(), 1e-9)
		fmt.Fprintf(&b, "loaded release %s: %d items written and verified in %s (%.0f items/s), %d retries, %.1f write capacity units",
			s.Version, s.Written, s.Duration.Round(time.Millisecond), rate, s.Retries, s.WriteCapacity)
		if s.Removed > 0 {
			fmt.Fprintf(&b, ", %d stray items removed", s.Removed)
		}
	}
	if len(s.Changes) > 0 {
		fmt.Fprintf(&b, "; changes computed: %s", strings.Join(s.Changes, ", "))
	}
	if s.Activated {
		fmt.Fprintf(&b, "; now current (previous: %s)", orNone(s.Previous))
	} else {
		b.WriteString("; not activated")
	}
	return b.String()
}

func list(ctx context.Context, l *publish.Loader, stdout io.Writer) error {
	rels, err := l.List(ctx)
	if err != nil {
		return err
	}
	if len(rels) == 0 {
		fmt.Fprintln(stdout, "no releases")
		return nil
	}
	fmt.Fprintf(stdout, "%-10s %-8s %-10s %-12s %7s  %-12s %s\n", "VERSION", "CURRENT", "STATE", "RELEASED", "ITEMS", "DIGEST", "COUNTS")
	for _, r := range rels {
		cur := ""
		if r.Current {
			cur = "*"
		}
		var counts []string
		for _, c := range r.Counts {
			counts = append(counts, fmt.Sprintf("%s=%d", c.Kind, c.N))
		}
		d := r.Digest
		if len(d) > 12 {
			d = d[:12]
		}
		fmt.Fprintf(stdout, "%-10s %-8s %-10s %-12s %7d  %-12s %s\n", r.Version, cur, r.State, r.Released, r.Items, d, strings.Join(counts, " "))
	}
	return nil
}
