package publish_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/store/memory"
	"github.com/jcdd/jcdd/internal/testenv/dynamotest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

// A summary too large for one DynamoDB item (400 KB) failed to load. It is
// now stored in chunks; with chunks of 200 bytes the fixture's summary takes
// several items, and every query must read back what the memory store, which
// computes the summary itself, answers.
func TestBudgetSummaryInChunks(t *testing.T) {
	defer publish.SetChunkBytes(200)()
	_, v2 := storetest.Fixture(t)
	c, table, _ := dynamotest.Loaded(t, "", v2)
	ctx := context.Background()

	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(dynamo.AttrPK).Equal(expression.Value("r#" + v2.Info.Version + "#summary"))).Build()
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(table), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Items) < 3 {
		t.Fatalf("the summary is in %d items; want it split into several", len(out.Items))
	}

	mem, err := memory.New("", v2)
	if err != nil {
		t.Fatal(err)
	}
	ddb := dynamo.New(c, table, dynamo.WithCacheTTL(0))
	for _, q := range []store.SummaryQuery{
		{},
		{FromYear: 2021, ToYear: 2023},
		{Stages: []string{"initial"}},
		{Agencies: []string{"mod"}, Stages: []string{"request", "plan"}},
	} {
		want, _, err := mem.BudgetSummary(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := ddb.BudgetSummary(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 && q.FromYear == 0 && len(q.Stages) == 0 {
			t.Fatal("the fixture has no budget summary to split")
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("summary %+v: DynamoDB store gives %d rows, memory store %d\n got %+v\nwant %+v", q, len(got), len(want), got, want)
		}
	}
}
