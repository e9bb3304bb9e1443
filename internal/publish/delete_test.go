package publish_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynamotest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

// scanKeys lists every item's keys (a test may scan; no request path does).
func scanKeys(t *testing.T, c *dynamodb.Client, table string) [][2]string {
	t.Helper()
	var keys [][2]string
	p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String(table)})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range out.Items {
			pk := it[dynamo.AttrPK].(*types.AttributeValueMemberS).Value
			sk := it[dynamo.AttrSK].(*types.AttributeValueMemberS).Value
			keys = append(keys, [2]string{pk, sk})
		}
	}
	return keys
}

// The list of a release's partitions was a field of its metadata item,
// which requests read: at 100k events it took 300 KB of the item's 400 KB.
// It is now stored in chunk items of its own, and delete reads it from
// there. With chunks of 200 bytes the list spans several items; deleting a
// release must still remove every item of it, and only those.
func TestDeleteFindsEveryItemThroughThePartitionList(t *testing.T) {
	dynamotest.OnEach(t, func(t *testing.T, db dynamotest.Impl) {
		defer publish.SetChunkBytes(200)()
		v1, v2 := storetest.Fixture(t)
		c, table, l := dynamotest.LoadedOn(t, db, v1.Info.Version, v1, v2)
		ctx := context.Background()

		meta, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: map[string]types.AttributeValue{
			dynamo.AttrPK: &types.AttributeValueMemberS{Value: "release"},
			dynamo.AttrSK: &types.AttributeValueMemberS{Value: v2.Info.Version},
		}})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := meta.Item["partitions"]; ok {
			t.Error("the metadata item still carries the partition list")
		}
		listItems := 0
		for _, k := range scanKeys(t, c, table) {
			if k[0] == "r#"+v2.Info.Version+"#partitions" {
				listItems++
			}
		}
		if listItems < 2 {
			t.Fatalf("the partition list is in %d items; want several", listItems)
		}

		before := map[[2]string]bool{}
		for _, k := range scanKeys(t, c, table) {
			if !strings.HasPrefix(k[0], "r#"+v2.Info.Version+"#") && !(k[0] == "release" && k[1] == v2.Info.Version) &&
				!(k[0] == "r#"+v1.Info.Version+"#changes" && k[1] == v2.Info.Version) {
				before[k] = true
			}
		}
		if _, err := l.Delete(ctx, v2.Info.Version); err != nil {
			t.Fatal(err)
		}
		after := scanKeys(t, c, table)
		for _, k := range after {
			if !before[k] {
				t.Errorf("item %v of the deleted release is left", k)
			}
		}
		if len(after) != len(before) {
			t.Errorf("%d items after the delete, want the %d that are not the deleted release's", len(after), len(before))
		}
		requireServes(t, dynamo.New(c, table, dynamo.WithCacheTTL(0)), v1)
	})
}
