// Package httpx is the API's HTTP plumbing, shared by its operations and
// its pages and independent of both: the middleware every request passes
// through (panic recovery, the request log, security and CORS headers, the
// request deadline, problems for malformed requests and unmatched routes),
// RFC 9457 problems written outside Huma, the Cache-Control lifetimes,
// entity tags of bytes and the If-None-Match comparison, and gzip: whether
// a client accepts it, and compressing a body.
package httpx
