// Command jcdd is the maintainer's command line: it checks the dataset,
// publishes releases, generates the API's description, and loads releases
// into a DynamoDB table. The deployed Lambda functions (functions/api,
// functions/loader) contain none of it.
//
//	go run ./tools/jcdd validate [DIR]     one line per kind and its Japanese coverage, or every error
//	go run ./tools/jcdd schema DIR         write the JSON Schemas into DIR
//	go run ./tools/jcdd release [-dataset DIR] [-dist DIR]
//	                                       freeze the working copy as DIR/releases/<version>,
//	                                       then write DIST/jcdd-<version>.zip for every release
//	go run ./tools/jcdd bundle [-dataset DIR] [-dist DIR]
//	                                       only write the bundles of the published releases
//	go run ./tools/jcdd openapi [--downgrade]
//	                                       print the OpenAPI description (3.1, or 3.0.3)
//	go run ./tools/jcdd docs               print the API reference page (/docs)
//	go run ./tools/jcdd load|activate|list|delete|create-table --table NAME ...
//	                                       publish releases into a DynamoDB table by hand
//	                                       (what the loader function does on a deploy)
//	go run ./tools/jcdd devstack [-dev] [-port 8080]
//	                                       serve the API from a local DynamoDB (dynalite)
//
// The table commands take --table (or JCDD_TABLE), --endpoint (or
// AWS_ENDPOINT_URL_DYNAMODB, for a local DynamoDB), --concurrency and
// --delete-grace; the region and credentials come from the usual AWS
// configuration.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/jcdd/jcdd/dataset"
)

func main() {
	if path := os.Getenv("JCDD_HEAPPROFILE"); path != "" {
		defer profilePeakHeap(path)()
	}
	if path := os.Getenv("JCDD_CPUPROFILE"); path != "" {
		defer profileCPU(path)()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		// One line: the error already says what failed and what to do.
		fmt.Fprintln(os.Stderr, "jcdd:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  jcdd validate [DIR] | jcdd schema DIR
  jcdd release [-dataset DIR] [-dist DIR] | jcdd bundle [-dataset DIR] [-dist DIR]
  jcdd openapi [--downgrade] | jcdd docs
  jcdd devstack [-dev] [-port N] [-table NAME]
` + tableUsage

func run(ctx context.Context, args []string, out, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "validate":
		switch len(args) {
		case 1:
			return validate(out, dataset.WorkingFS(), dataset.FrozenFS())
		case 2:
			var releases fs.FS
			if dir := filepath.Join(args[1], dataset.ReleasesDir); isDir(dir) {
				releases = os.DirFS(dir)
			}
			return validate(out, os.DirFS(args[1]), releases)
		}
		return errors.New("usage: jcdd validate [DIR]")
	case "schema":
		if len(args) != 2 {
			return errors.New("usage: jcdd schema DIR")
		}
		return writeSchemas(args[1])
	case "release", "bundle":
		fl := flag.NewFlagSet(args[0], flag.ContinueOnError)
		fl.SetOutput(out)
		dir := fl.String("dataset", "dataset", "the dataset directory: the working copy, with the published releases in its releases/")
		dist := fl.String("dist", "dist", "where to write the bundles")
		if err := fl.Parse(args[1:]); err != nil {
			return err
		}
		if fl.NArg() > 0 {
			return errors.New(usage)
		}
		if args[0] == "release" {
			if err := freeze(out, *dir); err != nil {
				return err
			}
		}
		return writeBundles(out, *dir, *dist)
	case "openapi":
		return printOpenAPI(args[1:], out)
	case "docs":
		if len(args) != 1 {
			return errors.New("usage: jcdd docs")
		}
		return printDocs(out)
	case "load", "activate", "list", "delete", "create-table":
		return runTable(ctx, args[0], args[1:], out, stderr)
	case "devstack":
		return devstack(ctx, args[1:], out, stderr)
	default:
		return fmt.Errorf("unknown command %q\n%s", args[0], usage)
	}
}

// validate loads the release in fsys (the embedded working copy by default,
// or a directory being edited) and prints its counts or every problem. With
// the published releases beside it (nil when there are none), it also
// checks them and that the working copy has not been edited under a
// published version.
func validate(out io.Writer, fsys, releases fs.FS) error {
	rel, err := dataset.LoadFS(fsys)
	if err != nil {
		var errs dataset.Errors
		if errors.As(err, &errs) {
			for _, e := range errs {
				fmt.Fprintln(out, e)
			}
			return fmt.Errorf("%d problem(s) in the dataset", len(errs))
		}
		return err
	}
	if releases != nil {
		if err := checkUnpublished(fsys, releases, rel.Info.Version); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "release: %s (%s)\n", rel.Info.Version, rel.Info.Released)
	for _, c := range dataset.Counts(rel) {
		fmt.Fprintf(out, "%s: %d\n", c.Kind, c.N)
	}
	printCoverage(out, rel)
	return nil
}

// printCoverage prints, per kind, how many current records have Japanese in
// each text field: one line per kind, e.g.
//
//	events: title.ja 89/89 (100%), summary.ja 89/89 (100%)
//
// Fields whose Japanese is optional say so. Percentages are rounded down, so
// that 100% means every record.
func printCoverage(out io.Writer, rel *dataset.Release) {
	rule := "required from release " + dataset.BilingualSince
	if dataset.CompareVersions(rel.Info.Version, dataset.BilingualSince) >= 0 {
		rule = "required"
	}
	fmt.Fprintf(out, "Japanese text in current records (%s):\n", rule)
	for _, k := range dataset.JapaneseCoverage(rel) {
		parts := make([]string, len(k.Fields))
		for i, f := range k.Fields {
			pct := 0
			if f.Of > 0 {
				pct = f.JA * 100 / f.Of
			}
			parts[i] = fmt.Sprintf("%s.ja %d/%d (%d%%)", f.Field, f.JA, f.Of, pct)
			if !f.Paired {
				parts[i] = fmt.Sprintf("%s.ja %d/%d (%d%%, optional)", f.Field, f.JA, f.Of, pct)
			}
		}
		fmt.Fprintf(out, "  %s: %s\n", k.Kind, strings.Join(parts, ", "))
	}
}

func writeSchemas(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range dataset.Files {
		b, err := dataset.JSONSchema(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, f.Schema), b, 0o644); err != nil {
			return fmt.Errorf("writing the schema of %s: %w", f.Name, err)
		}
	}
	return nil
}

func isDir(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && fi.IsDir()
}
