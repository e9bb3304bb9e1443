package infra

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/cloudfront"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/release"
)

// pinnedMaxAge is the max-age of an answer from a pinned release
// (internal/api): the edge must be allowed to keep it that long.
const pinnedMaxAge = 31536000

// edge returns the distribution and its default behaviour, which serves the
// API.
func edge(t *testing.T) (*cloudfront.Distribution_DistributionConfig, *cloudfront.Distribution_DefaultCacheBehavior) {
	t.Helper()
	d, err := loadTemplate(t).GetCloudFrontDistributionWithName("Distribution")
	if err != nil {
		t.Fatal(err)
	}
	cfg := d.DistributionConfig
	if cfg == nil || cfg.DefaultCacheBehavior == nil {
		t.Fatal("Distribution has no configuration or no default behaviour")
	}
	return cfg, cfg.DefaultCacheBehavior
}

// apiCachePolicy returns the cache policy of the API's behaviour.
func apiCachePolicy(t *testing.T) *cloudfront.CachePolicy_CachePolicyConfig {
	t.Helper()
	_, b := edge(t)
	if got := deref(b.CachePolicyId); got != "${ApiCachePolicy}" {
		t.Fatalf("the default behaviour's CachePolicyId = %q, want ${ApiCachePolicy}", got)
	}
	p, err := loadTemplate(t).GetCloudFrontCachePolicyWithName("ApiCachePolicy")
	if err != nil {
		t.Fatal(err)
	}
	if p.CachePolicyConfig == nil || p.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin == nil {
		t.Fatal("ApiCachePolicy has no cache key")
	}
	return p.CachePolicyConfig
}

func TestEdgeServesTheAPI(t *testing.T) {
	tmpl := loadTemplate(t)
	cfg, b := edge(t)
	o, ok := origin(cfg, b.TargetOriginId)
	if !ok {
		t.Fatalf("the default behaviour targets %q, which is no origin", b.TargetOriginId)
	}
	if want := "${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"; o.DomainName != want {
		t.Errorf("the default behaviour's origin is %q, want the HTTP API (%s)", o.DomainName, want)
	}
	if c := o.CustomOriginConfig; c == nil || c.OriginProtocolPolicy != "https-only" || !slices.Equal(c.OriginSSLProtocols, []string{"TLSv1.2"}) {
		t.Errorf("origin %s: CustomOriginConfig = %+v, want https-only over TLSv1.2", o.Id, c)
	}
	if b.ViewerProtocolPolicy != "redirect-to-https" {
		t.Errorf("ViewerProtocolPolicy = %q, want redirect-to-https", b.ViewerProtocolPolicy)
	}
	// Read-only: CloudFront refuses every other method itself.
	if got := slices.Sorted(slices.Values(b.AllowedMethods)); !slices.Equal(got, []string{"GET", "HEAD", "OPTIONS"}) {
		t.Errorf("AllowedMethods = %q, want GET, HEAD, OPTIONS", got)
	}
	if got := slices.Sorted(slices.Values(b.CachedMethods)); !slices.Equal(got, []string{"GET", "HEAD"}) {
		t.Errorf("CachedMethods = %q, want GET and HEAD (preflights go to API Gateway)", got)
	}
	if !deref(b.Compress) {
		t.Error("Compress is not true: CloudFront would not compress what the origin sends uncompressed")
	}
	// Legacy cache settings would stand in for the policies.
	if b.ForwardedValues != nil || b.MinTTL != nil || b.DefaultTTL != nil || b.MaxTTL != nil {
		t.Error("the default behaviour has legacy cache settings (ForwardedValues or TTLs): use the policies only")
	}
	if got := deref(cfg.HttpVersion); got != "http2and3" {
		t.Errorf("HttpVersion = %q, want http2and3", got)
	}
	if got := deref(cfg.PriceClass); got != "${PriceClass}" {
		t.Errorf("PriceClass = %q, want the PriceClass parameter", got)
	}
	p := tmpl.Parameters["PriceClass"]
	if p.Default != "PriceClass_200" { // the cheapest class with edges in Japan
		t.Errorf("PriceClass defaults to %v, want PriceClass_200", p.Default)
	}
	var allowed []string
	for _, v := range p.AllowedValues {
		allowed = append(allowed, stringOf(v))
	}
	if got := slices.Sorted(slices.Values(allowed)); !slices.Equal(got, []string{"PriceClass_100", "PriceClass_200", "PriceClass_All"}) {
		t.Errorf("PriceClass allows %v, want the three price classes", got)
	}
}

func TestEdgeCacheKey(t *testing.T) {
	c := apiCachePolicy(t)
	k := c.ParametersInCacheKeyAndForwardedToOrigin
	if q := k.QueryStringsConfig; q == nil || q.QueryStringBehavior != "all" || len(q.QueryStrings) > 0 {
		t.Errorf("QueryStringsConfig = %+v, want every query parameter in the key (filters, cursor, format, release...)", q)
	}
	// Accept selects JSON, CSV or NDJSON; any other header would only split
	// the cache.
	if h := k.HeadersConfig; h == nil || h.HeaderBehavior != "whitelist" || !slices.Equal(h.Headers, []string{"Accept"}) {
		t.Errorf("HeadersConfig = %+v, want exactly Accept", h)
	}
	if ck := k.CookiesConfig; ck == nil || ck.CookieBehavior != "none" || len(ck.Cookies) > 0 {
		t.Errorf("CookiesConfig = %+v, want no cookies", ck)
	}
	if !k.EnableAcceptEncodingGzip || !deref(k.EnableAcceptEncodingBrotli) {
		t.Errorf("EnableAcceptEncodingGzip = %v, EnableAcceptEncodingBrotli = %v: want both", k.EnableAcceptEncodingGzip, deref(k.EnableAcceptEncodingBrotli))
	}
}

func TestEdgeTTLsFollowTheAPI(t *testing.T) {
	c := apiCachePolicy(t)
	// MinTTL 0: the API's Cache-Control rules, no-store included.
	if c.MinTTL != 0 {
		t.Errorf("MinTTL = %v, want 0", c.MinTTL)
	}
	if c.MaxTTL < pinnedMaxAge {
		t.Errorf("MaxTTL = %v s, want at least %d: a pinned release's answer is immutable for a year", c.MaxTTL, pinnedMaxAge)
	}
	if c.DefaultTTL <= 0 || c.DefaultTTL > 300 {
		t.Errorf("DefaultTTL = %v s, want a few minutes at most (it only applies to an answer without Cache-Control)", c.DefaultTTL)
	}
}

func TestEdgeDoesNotForwardHost(t *testing.T) {
	_, b := edge(t)
	if got := deref(b.OriginRequestPolicyId); got != "${ApiOriginRequestPolicy}" {
		t.Fatalf("the default behaviour's OriginRequestPolicyId = %q, want ${ApiOriginRequestPolicy}", got)
	}
	p, err := loadTemplate(t).GetCloudFrontOriginRequestPolicyWithName("ApiOriginRequestPolicy")
	if err != nil {
		t.Fatal(err)
	}
	c := p.OriginRequestPolicyConfig
	if c == nil || c.HeadersConfig == nil || c.QueryStringsConfig == nil || c.CookiesConfig == nil {
		t.Fatalf("ApiOriginRequestPolicy is incomplete: %+v", c)
	}
	// API Gateway finds the API by its host name: the viewer's Host (the
	// distribution's) would make it answer 403.
	hasHost := slices.ContainsFunc(c.HeadersConfig.Headers, func(h string) bool { return strings.EqualFold(h, "Host") })
	switch c.HeadersConfig.HeaderBehavior {
	case "none", "whitelist":
		if hasHost {
			t.Errorf("the origin request policy forwards Host: %q", c.HeadersConfig.Headers)
		}
	case "allExcept":
		if !hasHost {
			t.Errorf("the origin request policy forwards every header except %q, Host among them", c.HeadersConfig.Headers)
		}
	default: // allViewer, allViewerAndWhitelistCloudFront
		t.Errorf("HeaderBehavior %q forwards the viewer's Host", c.HeadersConfig.HeaderBehavior)
	}
	if got := c.QueryStringsConfig.QueryStringBehavior; got != "all" {
		t.Errorf("QueryStringBehavior = %q, want all", got)
	}
	if got := c.CookiesConfig.CookieBehavior; got != "none" {
		t.Errorf("CookieBehavior = %q, want none: the API reads no cookie", got)
	}
}

func TestEdgeCORS(t *testing.T) {
	// The edge adds the same CORS headers as HttpApi's configuration (and
	// the API's middleware), to every cross-origin request: a cached answer
	// was not necessarily fetched with an Origin header.
	tmpl := loadTemplate(t)
	_, b := edge(t)
	if got := deref(b.ResponseHeadersPolicyId); got != "${ApiResponseHeadersPolicy}" {
		t.Fatalf("the default behaviour's ResponseHeadersPolicyId = %q, want ${ApiResponseHeadersPolicy}", got)
	}
	p, err := tmpl.GetCloudFrontResponseHeadersPolicyWithName("ApiResponseHeadersPolicy")
	if err != nil {
		t.Fatal(err)
	}
	c := p.ResponseHeadersPolicyConfig.CorsConfig
	if c == nil || c.AccessControlAllowOrigins == nil || c.AccessControlAllowMethods == nil || c.AccessControlAllowHeaders == nil || c.AccessControlExposeHeaders == nil {
		t.Fatalf("ApiResponseHeadersPolicy has no complete CorsConfig: %+v", c)
	}
	if !c.OriginOverride || c.AccessControlAllowCredentials {
		t.Errorf("OriginOverride = %v, AccessControlAllowCredentials = %v: want true, false", c.OriginOverride, c.AccessControlAllowCredentials)
	}
	httpAPI, err := tmpl.GetServerlessHttpApiWithName("HttpApi")
	if err != nil {
		t.Fatal(err)
	}
	want := httpAPI.CorsConfiguration.CorsConfigurationObject
	sorted := func(s []string) []string { return slices.Sorted(slices.Values(s)) }
	for _, c := range []struct {
		what      string
		got, want []string
	}{
		{"origins", c.AccessControlAllowOrigins.Items, want.AllowOrigins},
		{"methods", c.AccessControlAllowMethods.Items, want.AllowMethods},
		{"request headers", c.AccessControlAllowHeaders.Items, want.AllowHeaders},
		{"exposed headers", c.AccessControlExposeHeaders.Items, want.ExposeHeaders},
	} {
		if !slices.Equal(sorted(c.got), sorted(c.want)) {
			t.Errorf("edge CORS %s %q, HttpApi's %q", c.what, c.got, c.want)
		}
	}
}

func TestEdgeCachesErrorsBriefly(t *testing.T) {
	// CloudFront caches these statuses whatever the origin's Cache-Control
	// says (10 s unless configured): each gets a short ErrorCachingMinTTL,
	// and the API's problem+json passes through unchanged.
	cfg, _ := edge(t)
	responses := map[int]cloudfront.Distribution_CustomErrorResponse{}
	for _, r := range cfg.CustomErrorResponses {
		responses[r.ErrorCode] = r
	}
	for _, code := range []int{404, 405, 414, 500, 501, 502, 503, 504} {
		r, ok := responses[code]
		if !ok || r.ErrorCachingMinTTL == nil {
			t.Errorf("no ErrorCachingMinTTL for %d", code)
			continue
		}
		if ttl := *r.ErrorCachingMinTTL; ttl > 10 {
			t.Errorf("%d is cached for %v s, want at most 10", code, ttl)
		}
	}
	for _, r := range cfg.CustomErrorResponses {
		if r.ResponsePagePath != nil || r.ResponseCode != nil {
			t.Errorf("error %d is replaced (page %q, status %d): the API's problem must reach the client", r.ErrorCode, deref(r.ResponsePagePath), deref(r.ResponseCode))
		}
	}
}

func TestEdgeIsThePublicAddress(t *testing.T) {
	tmpl := loadTemplate(t)
	fn, err := tmpl.GetServerlessFunctionWithName("ApiFunction")
	if err != nil {
		t.Fatal(err)
	}
	base := fn.Environment.Variables["JCDD_PUBLIC_BASE_URL"]
	if base != "https://${Distribution.DomainName}" {
		t.Errorf("JCDD_PUBLIC_BASE_URL = %q, want the distribution's https://${Distribution.DomainName}", base)
	}
	if got := stringOf(tmpl.Outputs["ApiUrl"].Value); got != base+"/" {
		t.Errorf("the ApiUrl output is %q, want the API's public base URL %q with a slash", got, base+"/")
	}
}

var maxAge = regexp.MustCompile(`(?:^|[ ,])max-age=([0-9]+)`)

// TestEdgeKeysOnWhatTheAPIVaries asks the real API (over the embedded
// releases) for the kinds of answer it gives, and checks the edge against
// them: every request header an answer varies on is in the cache key; every
// successful answer says how long it may be cached (so the policy's
// DefaultTTL never decides) and no longer than MaxTTL; no error asks to be
// cached (so the edge's error caching, seconds, is the only one).
func TestEdgeKeysOnWhatTheAPIVaries(t *testing.T) {
	c := apiCachePolicy(t)
	k := c.ParametersInCacheKeyAndForwardedToOrigin
	inKey := map[string]bool{}
	for _, h := range k.HeadersConfig.Headers {
		inKey[http.CanonicalHeaderKey(h)] = true
	}
	if k.EnableAcceptEncodingGzip || deref(k.EnableAcceptEncodingBrotli) {
		inKey["Accept-Encoding"] = true
	}

	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	set, err := release.BuildAll(rels)
	if err != nil {
		t.Fatal(err)
	}
	st, err := set.Store()
	if err != nil {
		t.Fatal(err)
	}
	srv := api.New(api.Config{Store: st, Bundles: set, Pages: set, BundleBaseURL: "https://edge.example/releases"})
	pinned := rels[0].Info.Version
	requests := []struct {
		target, accept string
		ok             bool
	}{
		{"/v1/events?limit=2", "", true},
		{"/v1/events?limit=2", "text/csv", true},
		{"/v1/events?limit=2&release=" + pinned, "application/x-ndjson", true},
		{"/v1/actors?limit=1", "", true},
		{"/v1/budgets/summary", "", true},
		{"/v1/releases", "", true},
		{"/v1/releases/" + pinned, "", true},
		{"/openapi.json", "", true},
		{"/docs", "", true},
		{"/", "text/html", true},
		{"/v1/events/no-such-event", "", false},
		{"/v1/events?limit=0", "", false},
		{"/v1/events?cursor=tampered", "", false},
		{"/no/such/path", "", false},
	}
	for _, r := range requests {
		req := httptest.NewRequest(http.MethodGet, r.target, nil)
		req.Header.Set("Accept-Encoding", "gzip, br")
		if r.accept != "" {
			req.Header.Set("Accept", r.accept)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		h := rec.Header()
		if ok := rec.Code < 400; ok != r.ok {
			t.Errorf("GET %s: %d, want success %v", r.target, rec.Code, r.ok)
			continue
		}
		for _, v := range h.Values("Vary") {
			for _, name := range strings.Split(v, ",") {
				if name = http.CanonicalHeaderKey(strings.TrimSpace(name)); name != "" && !inKey[name] {
					t.Errorf("GET %s varies on %s, which the edge's cache key leaves out: one client's answer would reach another", r.target, name)
				}
			}
		}
		cc := h.Get("Cache-Control")
		if !r.ok {
			if cc != "" && cc != "no-store" {
				t.Errorf("GET %s: %d with Cache-Control %q, want none or no-store", r.target, rec.Code, cc)
			}
			continue
		}
		m := maxAge.FindStringSubmatch(cc)
		if m == nil && !strings.Contains(cc, "no-store") {
			t.Errorf("GET %s: Cache-Control %q has neither max-age nor no-store: the edge would fall back on DefaultTTL", r.target, cc)
			continue
		}
		if m != nil {
			if age, _ := strconv.Atoi(m[1]); float64(age) > c.MaxTTL {
				t.Errorf("GET %s: max-age %d exceeds the edge's MaxTTL %v", r.target, age, c.MaxTTL)
			}
		}
	}
}
