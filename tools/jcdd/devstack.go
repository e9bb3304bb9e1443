package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
	"strconv"
	"syscall"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/release"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynalite"
)

// devstack serves the API from a local DynamoDB, as in production but on
// this machine: it starts dynalite on a free loopback port, creates the
// table, loads every published release embedded in the binary with the
// loader (the newest becomes current), and runs the API against it on
// 127.0.0.1:8080 until interrupted. With -dev it also loads the working copy,
// when it is not published, as <version>-dev, and makes it current. `make
// run-dynamodb` runs it (make run-dynamodb DEV=1 for -dev).
func devstack(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("devstack", flag.ContinueOnError)
	fl.SetOutput(stderr)
	port := fl.Int("port", 8080, "port of the API")
	table := fl.String("table", "jcdd", "table name")
	dev := fl.Bool("dev", false, "also serve the working copy in progress, as <version>-dev")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("devstack: unexpected argument %q", fl.Arg(0))
	}

	db, err := dynalite.Start()
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "dynalite on %s\n", db.URL)

	c, err := dynalite.Client(ctx, db.URL)
	if err != nil {
		return err
	}
	if err := dynamo.CreateTable(ctx, c, *table); err != nil {
		return err
	}
	// The same releases, and the same bytes, as make run serves.
	load := dataset.Published
	if *dev {
		load = dataset.Releases
	}
	rels, err := load()
	if err != nil {
		return err
	}
	built, err := release.BuildAll(rels)
	if err != nil {
		return err
	}
	l := &publish.Loader{C: c, Table: *table, Log: slog.New(slog.NewTextHandler(stderr, nil)), Bundle: built.Describe, Pages: built.Pages}
	for i, rel := range rels {
		sum, err := l.Load(ctx, rel, i == len(rels)-1)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "loaded release %s (%d items) into table %s\n", sum.Version, sum.Items, *table)
	}

	api := exec.CommandContext(ctx, "go", "run", "./functions/api",
		"--port", strconv.Itoa(*port), "--table", *table, "--endpoint", db.URL)
	api.Stdout, api.Stderr = stdout, stderr
	// go run starts the server as its child: stop the whole group, so that
	// no server outlives this command.
	api.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	api.Cancel = func() error { return syscall.Kill(-api.Process.Pid, syscall.SIGTERM) }
	if err := api.Run(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("the API stopped: %w", err)
	}
	return nil
}
