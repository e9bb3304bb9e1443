package publish_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynamotest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

func put(t *testing.T, c *dynamodb.Client, table string, it map[string]types.AttributeValue) {
	t.Helper()
	if _, err := c.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: it}); err != nil {
		t.Fatal(err)
	}
}

// requireKey checks that a command failed and that its error names the key.
func requireKey(t *testing.T, what string, err error, key string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), key) {
		t.Errorf("%s: err = %v; want an error naming %s", what, err, key)
		return
	}
	t.Logf("%s: %v", what, err)
}

// A release item that does not decode, or does not hold what its key says,
// makes every command that reads the release partition fail with its key:
// nothing is skipped.
func TestCorruptReleaseItemFailsCommandsWithItsKey(t *testing.T) {
	v1, v2 := storetest.Fixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		item map[string]types.AttributeValue
	}{
		{"does not decode", map[string]types.AttributeValue{
			dynamo.AttrPK: s("release"), dynamo.AttrSK: s("0.9.0"), "version": s("0.9.0"), "state": s("complete"),
			"counts": s("not a list"),
		}},
		{"holds another release", map[string]types.AttributeValue{
			dynamo.AttrPK: s("release"), dynamo.AttrSK: s("0.9.0"), "version": s("0.8.0"), "state": s("complete"),
		}},
		{"foreign item", map[string]types.AttributeValue{
			dynamo.AttrPK: s("release"), dynamo.AttrSK: s("0.9.0"), "note": s("written by something else"),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, table, l := dynamotest.Loaded(t, v1.Info.Version, v1, v2)
			put(t, c, table, tc.item)
			const key = "release/0.9.0"

			_, err := l.List(ctx)
			requireKey(t, "list", err, key)

			// Loading a new release computes its changes since every
			// release in the table.
			v3, _ := storetest.Fixture(t)
			v3.Info.Version = "1.2.0"
			_, err = l.Load(ctx, v3, false)
			requireKey(t, "load of a new release", err, key)
			// So does a re-run of a release already loaded.
			_, err = l.Load(ctx, v2, false)
			requireKey(t, "load of a loaded release", err, key)

			_, err = l.Delete(ctx, v2.Info.Version)
			requireKey(t, "delete", err, key)
			// The delete changed nothing.
			if _, state := rawState(t, c, table, v2.Info.Version); state != "complete" {
				t.Errorf("after the refused delete, %s is %q", v2.Info.Version, state)
			}
		})
	}
}

// A record item of a release that does not decode fails the change
// computation that reads the release back, with the item's key.
func TestCorruptRecordItemFailsChangesWithItsKey(t *testing.T) {
	v1, _ := storetest.Fixture(t)
	c, table, l := dynamotest.Loaded(t, "", v1)
	id := v1.Events[0].ID
	put(t, c, table, map[string]types.AttributeValue{
		dynamo.AttrPK: s("r#1.0.0#event"), dynamo.AttrSK: s(id), "j": &types.AttributeValueMemberB{Value: []byte("not an event")},
	})
	v3, _ := storetest.Fixture(t)
	v3.Info.Version = "1.2.0"
	_, err := l.Load(context.Background(), v3, false)
	requireKey(t, "load (changes since 1.0.0)", err, "r#1.0.0#event/"+id)
}

// An item that reads back other than it was written fails verification
// with its key (not only with a digest that differs).
func TestVerificationNamesAnItemThatDiffers(t *testing.T) {
	c, table := dynamotest.NewTable(t)
	v1, _ := storetest.Fixture(t)
	id := v1.Events[0].ID
	f := &alter{Client: c, pk: "r#1.0.0#event", sk: id}
	_, err := (&publish.Loader{C: f, Table: table, DeleteGrace: time.Millisecond}).Load(context.Background(), v1, false)
	requireKey(t, "load", err, "r#1.0.0#event/"+id)
	if err != nil && !strings.Contains(err.Error(), "verification failed") {
		t.Errorf("err = %v; want a verification failure", err)
	}
}

// alter writes one item with a changed title while reporting success.
type alter struct {
	*dynamodb.Client
	pk, sk string
}

func (a *alter) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	for _, reqs := range in.RequestItems {
		for _, r := range reqs {
			if r.PutRequest == nil {
				continue
			}
			it := r.PutRequest.Item
			if it[dynamo.AttrPK].(*types.AttributeValueMemberS).Value == a.pk && it[dynamo.AttrSK].(*types.AttributeValueMemberS).Value == a.sk {
				it["txt"] = s("altered on the way")
			}
		}
	}
	return a.Client.BatchWriteItem(ctx, in, opts...)
}
