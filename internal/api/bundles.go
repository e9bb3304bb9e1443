package api

import (
	"context"

	"github.com/jcdd/jcdd/internal/store"
)

// BundleSource gives the bytes of release bundles and databases to a
// server that serves downloads itself (the local server, from the releases
// it built with package release). A deployed server redirects to the
// bundle bucket instead (Config.BundleBaseURL).
type BundleSource interface {
	// Bundle returns the zip of a release, or an error wrapping
	// ErrNoBundle when the source has none for that version.
	Bundle(ctx context.Context, version string) ([]byte, error)
	// Database returns the SQLite database of a release, or an error
	// wrapping ErrNoBundle when the source has none for that version.
	Database(ctx context.Context, version string) ([]byte, error)
}

// ErrNoBundle is returned by a BundleSource for a release it has no bundle
// of.
var ErrNoBundle = store.ErrNoBundle
