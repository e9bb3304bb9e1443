package publish_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynamotest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

// partitionSize counts the items of a partition.
func partitionSize(t *testing.T, c *dynamodb.Client, table, pk string) int {
	t.Helper()
	out, err := c.Query(context.Background(), &dynamodb.QueryInput{
		TableName: aws.String(table), KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Items)
}

// TestChangesFollowTheReleasesInTheTable: the loader writes the changes of
// each pair of releases once, fills in a pair that went missing, and takes
// them away with either release.
func TestChangesFollowTheReleasesInTheTable(t *testing.T) {
	c, table := dynamotest.NewTable(t)
	ctx := context.Background()
	v1, v2 := storetest.Fixture(t)
	l := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond}
	s := dynamo.New(c, table, dynamo.WithCacheTTL(0))
	load := func(r *dataset.Release, activate bool, want ...string) {
		t.Helper()
		sum, err := l.Load(ctx, r, activate)
		if err != nil {
			t.Fatalf("loading %s: %v", r.Info.Version, err)
		}
		if !slices.Equal(sum.Changes, want) {
			t.Errorf("loading %s wrote changes %q, want %q", r.Info.Version, sum.Changes, want)
		}
	}
	served := func(want error) {
		t.Helper()
		if _, _, err := s.Changes(ctx, "1.1.0", "1.0.0"); !errors.Is(err, want) {
			t.Errorf("Changes(1.1.0, 1.0.0) error = %v, want %v", err, want)
		}
	}
	load(v1, false)
	load(v2, true, "1.1.0 since 1.0.0")
	served(nil)
	load(v2, true) // already there: nothing to write
	load(v1, false)

	// A pair lost (say, a crash between writing the release and its
	// changes) is written again by the next run, even of a loaded release.
	if _, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(table), Key: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "r#1.1.0#changes"}, "sk": &types.AttributeValueMemberS{Value: "1.0.0"},
	}}); err != nil {
		t.Fatal(err)
	}
	served(store.ErrUnknownSince)
	load(v2, true, "1.1.0 since 1.0.0")
	served(nil)

	// Deleting the older release takes its pairs away; loading it again
	// (after the newer one) puts them back, under the newer release.
	if _, err := l.Delete(ctx, "1.0.0"); err != nil {
		t.Fatal(err)
	}
	served(store.ErrUnknownSince)
	load(v1, false, "1.1.0 since 1.0.0")
	served(nil)

	// Deleting the newer release removes its changes partition.
	if _, err := l.Activate(ctx, "1.0.0"); err != nil {
		t.Fatal(err)
	}
	if n := partitionSize(t, c, table, "r#1.1.0#changes"); n != 1 {
		t.Fatalf("r#1.1.0#changes holds %d items before the delete, want 1", n)
	}
	if _, err := l.Delete(ctx, "1.1.0"); err != nil {
		t.Fatal(err)
	}
	if n := partitionSize(t, c, table, "r#1.1.0#changes"); n != 0 {
		t.Errorf("r#1.1.0#changes holds %d items after the delete", n)
	}
}

// TestBundleDescription: the loader keeps the description of a release's
// bundle in its metadata and in the pointer, adds it to a release loaded
// without one, and refuses a bundle with other bytes for a loaded release.
func TestBundleDescription(t *testing.T) {
	c, table := dynamotest.NewTable(t)
	ctx := context.Background()
	v1, v2 := storetest.Fixture(t)
	plain := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond}
	if _, err := plain.Load(ctx, v1, true); err != nil {
		t.Fatal(err)
	}
	if r, err := dynamo.New(c, table).Release(ctx, ""); err != nil || r.Bundle != nil {
		t.Fatalf("loaded without Bundle: %+v, %v", r.Bundle, err)
	}
	l := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond, Bundle: storetest.Bundle}
	for _, r := range []*dataset.Release{v1, v2} {
		if _, err := l.Load(ctx, r, false); err != nil {
			t.Fatal(err)
		}
	}
	want1, _ := storetest.Bundle(v1)
	want2, _ := storetest.Bundle(v2)
	// A fresh store reads the current release from the pointer, others from
	// their metadata: both were given the description.
	for version, want := range map[string]store.Bundle{"": want1, "1.0.0": want1, "1.1.0": want2} {
		r, err := dynamo.New(c, table).Release(ctx, version)
		if err != nil || r.Bundle == nil || *r.Bundle != want {
			t.Errorf("Release(%q).Bundle = %+v, %v; want %+v", version, r.Bundle, err, want)
		}
	}
	other := &publish.Loader{C: c, Table: table, Bundle: func(r *dataset.Release) (store.Bundle, error) {
		return store.BundleOf("jcdd-"+r.Info.Version+".zip", []byte("other bytes")), nil
	}}
	if _, err := other.Load(ctx, v1, false); !errors.Is(err, publish.ErrBundleChanged) {
		t.Errorf("a bundle with other bytes: %v, want ErrBundleChanged", err)
	}
	// A release described before databases were built gets its
	// database's description added, in its metadata and in the pointer;
	// after that, a database with other bytes is refused, and a loader
	// that describes no database leaves the description as it is.
	withDB := func(db string) func(*dataset.Release) (store.Bundle, error) {
		return func(r *dataset.Release) (store.Bundle, error) {
			b, err := storetest.Bundle(r)
			b.SQLite = store.FileOf("jcdd-"+r.Info.Version+".sqlite", []byte(db+r.Info.Version))
			return b, err
		}
	}
	described := &publish.Loader{C: c, Table: table, Bundle: withDB("database ")}
	if _, err := described.Load(ctx, v1, false); err != nil {
		t.Fatalf("adding the database's description: %v", err)
	}
	wantDB, _ := withDB("database ")(v1)
	for _, version := range []string{"", "1.0.0"} {
		r, err := dynamo.New(c, table).Release(ctx, version)
		if err != nil || r.Bundle == nil || !r.Bundle.Equal(wantDB) {
			t.Errorf("Release(%q).Bundle = %+v, %v; want %+v with its database", version, r.Bundle, err, wantDB)
		}
	}
	changed := &publish.Loader{C: c, Table: table, Bundle: withDB("other database ")}
	if _, err := changed.Load(ctx, v1, false); !errors.Is(err, publish.ErrBundleChanged) {
		t.Errorf("a database with other bytes: %v, want ErrBundleChanged", err)
	}
	if _, err := l.Load(ctx, v1, false); err != nil {
		t.Errorf("a loader that describes no database: %v", err)
	}
	if r, err := dynamo.New(c, table).Release(ctx, "1.0.0"); err != nil || r.Bundle == nil || !r.Bundle.Equal(wantDB) {
		t.Errorf("after a loader that describes no database: %+v, %v", r.Bundle, err)
	}
	failing := &publish.Loader{C: c, Table: table, Bundle: func(*dataset.Release) (store.Bundle, error) {
		return store.Bundle{}, errors.New("no space left")
	}}
	if _, err := failing.Load(ctx, v2, false); err == nil {
		t.Error("a failing Bundle function did not fail the load")
	}
}
