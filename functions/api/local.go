//go:build !lambda.norpc

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/api/pages"
	"github.com/jcdd/jcdd/internal/awsconfig"
	"github.com/jcdd/jcdd/internal/release"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
)

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("api", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "127.0.0.1", "address to listen on")
	port := fs.Int("port", 8080, "port to listen on (0 picks a free one)")
	table := fs.String("table", os.Getenv("JCDD_TABLE"), "serve from this DynamoDB table instead of the embedded dataset")
	endpoint := fs.String("endpoint", os.Getenv("AWS_ENDPOINT_URL_DYNAMODB"), "DynamoDB endpoint, for a local DynamoDB")
	bundleBase := fs.String("bundle-base-url", os.Getenv("JCDD_BUNDLE_BASE_URL"), "redirect downloads to <URL>/jcdd-<version>.zip instead of serving the embedded releases' bundles")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		// The maintainer commands (openapi, docs, ...) are jcdd's.
		return fmt.Errorf("unexpected argument %q (the maintainer commands are go run ./tools/jcdd's)", fs.Arg(0))
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, bundles, err := openStore(ctx, *table, *endpoint)
	if err != nil {
		return err
	}
	srv := newServer(st, bundles, *bundleBase, log)
	return serve(ctx, net.JoinHostPort(*host, strconv.Itoa(*port)), srv, log, stdout)
}

// openStore returns the DynamoDB store when a table is named, else the
// embedded releases in memory, and the built releases, whose bundles the
// server serves for download. Both come from one build of each release
// (package release): the index's checksums are those of the downloads.
func openStore(ctx context.Context, table, endpoint string) (store.Store, *release.Set, error) {
	rels, err := dataset.Releases()
	if err != nil {
		return nil, nil, fmt.Errorf("loading the embedded releases: %w", err)
	}
	set, err := release.BuildAll(rels)
	if err != nil {
		return nil, nil, err
	}
	if table != "" {
		c, err := awsconfig.DynamoDB(ctx, endpoint, dynamo.ReadPolicy)
		if err != nil {
			return nil, nil, err
		}
		return dynamo.New(c, table), set, nil
	}
	st, err := set.Store()
	if err != nil {
		return nil, nil, err
	}
	return st, set, nil
}

// newServer builds the API over a store. With bundleBase set, downloads
// redirect there, as when deployed; otherwise the server serves bundles.
func newServer(st store.Store, built *release.Set, bundleBase string, log *slog.Logger) *api.Server {
	cfg := api.Config{
		Store: st, Logger: log, CursorSecret: []byte(os.Getenv("JCDD_CURSOR_SECRET")),
		Bundles: built, BundleBaseURL: bundleBase,
	}
	if _, dynamo := st.(pages.Source); !dynamo {
		// The pages of the releases this process built; a table has
		// its own, written by the loader.
		cfg.Pages = built
	}
	return api.New(cfg)
}

// serve listens until ctx is cancelled, then shuts down gracefully. It
// prints the address it listens on, which tests read when they ask for port 0.
func serve(ctx context.Context, addr string, h http.Handler, log *slog.Logger, stdout io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
