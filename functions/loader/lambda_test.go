package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/store/storetest"
	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
)

// cfnResponse is what the custom resource tells CloudFormation.
type cfnResponse struct {
	Status             string
	Reason             string
	PhysicalResourceID string `json:"PhysicalResourceId"`
	Data               map[string]any
}

// invoke runs the wrapped handler as Lambda would, with CloudFormation's
// response URL pointing at a local server, and returns the response.
func invoke(t *testing.T, r *releaseResource, typ cfn.RequestType, version string) cfnResponse {
	t.Helper()
	got := make(chan cfnResponse, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		var resp cfnResponse
		if err := json.Unmarshal(b, &resp); err != nil {
			t.Errorf("bad response body %s: %v", b, err)
		}
		got <- resp
	}))
	defer srv.Close()
	ev := cfn.Event{
		RequestType: typ, RequestID: "req-1", ResponseURL: srv.URL, LogicalResourceID: "DatasetRelease",
		StackID: "arn:aws:cloudformation:us-east-1:123456789012:stack/jcdd/x", ResourceType: "Custom::DatasetRelease",
		ResourceProperties: map[string]any{"ServiceToken": "arn:x", "ReleaseVersion": version},
	}
	if typ != cfn.RequestCreate {
		ev.PhysicalResourceID = physicalID
	}
	if _, err := cfn.LambdaWrap(r.handle)(context.Background(), ev); err != nil {
		t.Fatalf("sending the response: %v", err)
	}
	return <-got
}

func TestCustomResource(t *testing.T) {
	table := newTable(t)
	ctx := context.Background()
	c, _ := dynalitetest.Client(ctx, dynaliteURL)
	v1, v2 := storetest.Fixture(t)
	l := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond}
	r := &releaseResource{loader: l, releases: []*dataset.Release{v1, v2}}
	current := func() string {
		t.Helper()
		rel, err := dynamo.New(c, table, dynamo.WithCacheTTL(0)).Release(ctx, "")
		if err != nil {
			return "none"
		}
		return rel.Version
	}

	// A first deploy loads both embedded releases and activates 1.1.0.
	resp := invoke(t, r, cfn.RequestCreate, "1.1.0")
	if resp.Status != "SUCCESS" || resp.PhysicalResourceID != physicalID || current() != "1.1.0" || resp.Data["Items"] == float64(0) {
		t.Fatalf("create: %+v, current %s", resp, current())
	}
	// A rollback (Update with the old properties) activates 1.0.0 again.
	if resp := invoke(t, r, cfn.RequestUpdate, "1.0.0"); resp.Status != "SUCCESS" || current() != "1.0.0" || resp.Data["Previous"] != "1.1.0" {
		t.Fatalf("rollback: %+v, current %s", resp, current())
	}
	// An update to a version that is neither embedded nor loaded fails the
	// deploy and leaves the current release alone.
	if resp := invoke(t, r, cfn.RequestUpdate, "7.0.0"); resp.Status != "FAILED" || !strings.Contains(resp.Reason, "7.0.0") || current() != "1.0.0" {
		t.Fatalf("unknown version: %+v, current %s", resp, current())
	}
	if resp := invoke(t, r, cfn.RequestUpdate, "latest"); resp.Status != "FAILED" || !strings.Contains(resp.Reason, "not a release version") {
		t.Fatalf("bad version: %+v", resp)
	}
	// A failed load (the table refuses writes) fails the deploy and keeps
	// the previous release current.
	broken := &releaseResource{loader: &publish.Loader{C: c, Table: "no-such-table"}, releases: r.releases}
	if resp := invoke(t, broken, cfn.RequestUpdate, "1.1.0"); resp.Status != "FAILED" || current() != "1.0.0" {
		t.Fatalf("failed load: %+v, current %s", resp, current())
	}
	// Delete answers at once and keeps the data.
	if resp := invoke(t, broken, cfn.RequestDelete, "1.1.0"); resp.Status != "SUCCESS" || resp.PhysicalResourceID != physicalID || current() != "1.0.0" {
		t.Fatalf("delete: %+v, current %s", resp, current())
	}
}

// The function's Go heap is limited softly to 80% of its memory, unless
// GOMEMLIMIT says otherwise.
func TestLambdaMemoryLimit(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want int64
	}{
		{map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024"}, 1024 << 20 * 8 / 10},
		{map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024", "GOMEMLIMIT": "500MiB"}, 0},
		{map[string]string{}, 0},
		{map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "lots"}, 0},
	} {
		if got := lambdaMemoryLimit(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%v: limit %d, want %d", tc.env, got, tc.want)
		}
	}
}
