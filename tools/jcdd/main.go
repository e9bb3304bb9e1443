// Command jcdd maintains the dataset: it validates the YAML files and
// regenerates their JSON Schemas.
//
//	go run ./tools/jcdd validate [DIR] # one line per kind, or every error
//	go run ./tools/jcdd schema DIR    # write the JSON Schemas into DIR
package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/jcdd/jcdd/dataset"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "jcdd:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: jcdd validate [DIR] | jcdd schema DIR")
	}
	switch args[0] {
	case "validate":
		switch len(args) {
		case 1:
			return validate(out, dataset.WorkingFS())
		case 2:
			return validate(out, os.DirFS(args[1]))
		}
		return errors.New("usage: jcdd validate [DIR]")
	case "schema":
		if len(args) != 2 {
			return errors.New("usage: jcdd schema DIR")
		}
		return writeSchemas(args[1])
	default:
		return fmt.Errorf("unknown command %q (want validate or schema)", args[0])
	}
}

// validate loads the release in fsys (the embedded working copy by default,
// or a directory being edited) and prints its counts or every problem.
func validate(out io.Writer, fsys fs.FS) error {
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
	fmt.Fprintf(out, "release: %s (%s)\n", rel.Info.Version, rel.Info.Released)
	for _, c := range dataset.Counts(rel) {
		fmt.Fprintf(out, "%s: %d\n", c.Kind, c.N)
	}
	return nil
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
