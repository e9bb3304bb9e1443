package dynamo

import "context"

// ResolveRelease returns the version of the release a request for version
// ("" for the current one) is served from, from the same cached metadata
// every read uses: no DynamoDB call while that cache is fresh (see
// DefaultCacheTTL), one metadata read when it is not. Unlike Release it does
// not also read the current-release pointer for a named release. The API's
// response cache calls it on every hit, so that a cached answer is never
// served past the point where the store itself would stop serving its
// release.
func (s *Store) ResolveRelease(ctx context.Context, version string) (string, error) {
	m, err := s.meta(ctx, version)
	if err != nil {
		return "", err
	}
	return m.Version, nil
}
