package publish_test

import (
	"bytes"
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
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/release"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynamotest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
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
func invoke(t *testing.T, r *publish.Deploy, typ cfn.RequestType, version string) cfnResponse {
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
		ev.PhysicalResourceID = publish.PhysicalID
	}
	if _, err := cfn.LambdaWrap(r.Handle)(context.Background(), ev); err != nil {
		t.Fatalf("sending the response: %v", err)
	}
	return <-got
}

func TestCustomResource(t *testing.T) {
	c, table := dynamotest.NewTable(t)
	ctx := context.Background()
	v1, v2 := storetest.Fixture(t)
	l := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond}
	r := &publish.Deploy{Loader: l, Releases: []*dataset.Release{v1, v2}}
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
	if resp.Status != "SUCCESS" || resp.PhysicalResourceID != publish.PhysicalID || current() != "1.1.0" || resp.Data["Items"] == float64(0) {
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
	broken := &publish.Deploy{Loader: &publish.Loader{C: c, Table: "no-such-table"}, Releases: r.Releases}
	if resp := invoke(t, broken, cfn.RequestUpdate, "1.1.0"); resp.Status != "FAILED" || current() != "1.0.0" {
		t.Fatalf("failed load: %+v, current %s", resp, current())
	}
	// Delete answers at once and keeps the data.
	if resp := invoke(t, broken, cfn.RequestDelete, "1.1.0"); resp.Status != "SUCCESS" || resp.PhysicalResourceID != publish.PhysicalID || current() != "1.0.0" {
		t.Fatalf("delete: %+v, current %s", resp, current())
	}
}

// TestCustomResourcePublishesBundles: a deploy uploads the bundle of every
// embedded release before loading, and the release index describes the
// uploaded bytes; a bucket holding other bytes for a release fails the
// deploy before anything is written to the table.
func TestCustomResourcePublishesBundles(t *testing.T) {
	c, table := dynamotest.NewTable(t)
	ctx := context.Background()
	v1, v2 := storetest.Fixture(t)
	f := newFakeS3()
	r := &publish.Deploy{
		Loader:   &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond},
		Releases: []*dataset.Release{v1, v2},
		Bucket:   publish.NewBucket(f, "bundles", nil),
	}
	built, err := release.BuildAll(r.Releases)
	if err != nil {
		t.Fatal(err)
	}
	resp := invoke(t, r, cfn.RequestCreate, "1.1.0")
	if resp.Status != "SUCCESS" || resp.Data["BundlesUploaded"] != float64(2) || resp.Data["DatabasesUploaded"] != float64(2) {
		t.Fatalf("create: %+v", resp)
	}
	s := dynamo.New(c, table, dynamo.WithCacheTTL(0))
	for _, rel := range []*dataset.Release{v1, v2} {
		var want bytes.Buffer
		if err := export.WriteBundle(&want, rel, dataset.License()); err != nil {
			t.Fatal(err)
		}
		name := export.BundleName(rel.Info.Version)
		o := f.object("releases/" + name)
		if o == nil || !bytes.Equal(o.body, want.Bytes()) {
			t.Fatalf("%s: the uploaded object is not export.WriteBundle's output", name)
		}
		got, err := s.Release(ctx, rel.Info.Version)
		if err != nil || got.Bundle == nil || got.Bundle.Name != name || got.Bundle.SHA256 != dataset.Checksum(o.body) || got.Bundle.Size != int64(len(o.body)) {
			t.Errorf("release %s describes %+v, %v; uploaded %s, %d bytes", rel.Info.Version, got.Bundle, err, dataset.Checksum(o.body), len(o.body))
		}
		// The database beside it, as the release build made it, is what
		// the index describes.
		dbName := export.DatabaseName(rel.Info.Version)
		db := f.object("releases/" + dbName)
		if db == nil || !bytes.Equal(db.body, built.Get(rel.Info.Version).SQLite) || db.contentType != "application/vnd.sqlite3" ||
			db.filename != `attachment; filename="`+dbName+`"` || db.cacheControl != "public, max-age=31536000, immutable" {
			t.Fatalf("%s: the uploaded object is not the release build's database", dbName)
		}
		if got.Bundle == nil || got.Bundle.SQLite == nil || *got.Bundle.SQLite != *store.FileOf(dbName, db.body) {
			t.Errorf("release %s describes its database as %+v; uploaded %s, %d bytes", rel.Info.Version, got.Bundle, dataset.Checksum(db.body), len(db.body))
		}
	}
	// The next deploy finds them there and uploads nothing.
	if resp := invoke(t, r, cfn.RequestUpdate, "1.1.0"); resp.Status != "SUCCESS" || resp.Data["BundlesUploaded"] != float64(0) || resp.Data["DatabasesUploaded"] != float64(0) || f.puts != 4 {
		t.Errorf("second deploy: %+v, %d puts", resp, f.puts)
	}

	// A bucket where 1.0.0's bundle has other bytes: the deploy fails
	// before loading anything into (another, empty) table.
	other := newFakeS3()
	other.put("releases/jcdd-1.0.0.zip", []byte("PK published by another build"))
	c, fresh := dynamotest.NewTable(t)
	bad := &publish.Deploy{
		Loader:   &publish.Loader{C: c, Table: fresh, DeleteGrace: time.Millisecond},
		Releases: []*dataset.Release{v1, v2},
		Bucket:   publish.NewBucket(other, "bundles", nil),
	}
	resp = invoke(t, bad, cfn.RequestUpdate, "1.1.0")
	if resp.Status != "FAILED" || !strings.Contains(resp.Reason, "never replaced") {
		t.Fatalf("conflicting bundle: %+v", resp)
	}
	if rels, err := dynamo.New(c, fresh).Releases(ctx); err != nil || len(rels) != 0 {
		t.Errorf("the table was written despite the conflict: %v, %v", rels, err)
	}
}
