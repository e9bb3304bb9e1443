package infra

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	cfddb "github.com/awslabs/goformation/v7/cloudformation/dynamodb"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

var dynaliteURL string

func TestMain(m *testing.M) { os.Exit(dynalitetest.Main(m, &dynaliteURL)) }

// templateTableInput builds the CreateTable request for a table named name
// from the template's own definition of Table — not from
// dynamo.TableSchema, which it is compared with.
func templateTableInput(t *testing.T, name string) *dynamodb.CreateTableInput {
	t.Helper()
	tbl, err := loadTemplate(t).GetDynamoDBTableWithName("Table")
	if err != nil {
		t.Fatal(err)
	}
	in := &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingMode(deref(tbl.BillingMode)),
		KeySchema:   keySchema(tbl.KeySchema),
	}
	for _, a := range tbl.AttributeDefinitions {
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{
			AttributeName: aws.String(a.AttributeName), AttributeType: types.ScalarAttributeType(a.AttributeType),
		})
	}
	for _, g := range tbl.GlobalSecondaryIndexes {
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, types.GlobalSecondaryIndex{
			IndexName: aws.String(g.IndexName), KeySchema: keySchema(g.KeySchema), Projection: projection(g.Projection),
		})
	}
	for _, l := range tbl.LocalSecondaryIndexes {
		in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, types.LocalSecondaryIndex{
			IndexName: aws.String(l.IndexName), KeySchema: keySchema(l.KeySchema), Projection: projection(l.Projection),
		})
	}
	if p := tbl.ProvisionedThroughput; p != nil {
		in.ProvisionedThroughput = &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(int64(p.ReadCapacityUnits)), WriteCapacityUnits: aws.Int64(int64(p.WriteCapacityUnits))}
	}
	return in
}

func keySchema(ks []cfddb.Table_KeySchema) []types.KeySchemaElement {
	var out []types.KeySchemaElement
	for _, k := range ks {
		out = append(out, types.KeySchemaElement{AttributeName: aws.String(k.AttributeName), KeyType: types.KeyType(k.KeyType)})
	}
	return out
}

func projection(p *cfddb.Table_Projection) *types.Projection {
	if p == nil {
		return nil
	}
	return &types.Projection{ProjectionType: types.ProjectionType(deref(p.ProjectionType)), NonKeyAttributes: p.NonKeyAttributes}
}

// tableShape describes what a CreateTable request decides about a table's
// keys, indexes and billing, as comparable lines: attribute definitions
// sorted (their order is immaterial), key schemas in order (HASH first).
func tableShape(in *dynamodb.CreateTableInput) map[string][]string {
	keys := func(ks []types.KeySchemaElement) string {
		var s []string
		for _, k := range ks {
			s = append(s, aws.ToString(k.AttributeName)+" "+string(k.KeyType))
		}
		return strings.Join(s, ", ")
	}
	proj := func(p *types.Projection) string {
		if p == nil {
			return "no projection"
		}
		return fmt.Sprintf("projection %s %v", p.ProjectionType, p.NonKeyAttributes)
	}
	shape := map[string][]string{
		"BillingMode":           {string(in.BillingMode)},
		"KeySchema":             {keys(in.KeySchema)},
		"ProvisionedThroughput": {fmt.Sprint(in.ProvisionedThroughput != nil)},
	}
	for _, a := range in.AttributeDefinitions {
		shape["AttributeDefinitions"] = append(shape["AttributeDefinitions"], aws.ToString(a.AttributeName)+" "+string(a.AttributeType))
	}
	for _, g := range in.GlobalSecondaryIndexes {
		shape["GlobalSecondaryIndexes"] = append(shape["GlobalSecondaryIndexes"], aws.ToString(g.IndexName)+": "+keys(g.KeySchema)+"; "+proj(g.Projection))
	}
	for _, l := range in.LocalSecondaryIndexes {
		shape["LocalSecondaryIndexes"] = append(shape["LocalSecondaryIndexes"], aws.ToString(l.IndexName)+": "+keys(l.KeySchema)+"; "+proj(l.Projection))
	}
	for _, k := range []string{"AttributeDefinitions", "GlobalSecondaryIndexes", "LocalSecondaryIndexes"} {
		slices.Sort(shape[k])
	}
	return shape
}

func TestTableMatchesSchema(t *testing.T) {
	// The table is defined once, in dynamo.TableSchema; the template must
	// say exactly the same, or the deployed table is not the tested one.
	const name = "jcdd"
	got := tableShape(templateTableInput(t, name))
	want := tableShape(dynamo.TableSchema.CreateTableInput(name))
	for _, field := range []string{"AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "BillingMode", "ProvisionedThroughput"} {
		if !slices.Equal(got[field], want[field]) {
			t.Errorf("%s: template.yaml has %q, dynamo.TableSchema has %q", field, got[field], want[field])
		}
	}
	if want["BillingMode"][0] != string(types.BillingModePayPerRequest) {
		t.Errorf("dynamo.TableSchema's billing mode is %s; the template's alarms and cost notes assume on-demand", want["BillingMode"][0])
	}
}

// TestTemplateTableConformance creates the table in dynalite from the
// template's definition, loads releases into it with the loader, and runs
// the store conformance suite on it: the deployed table shape serves every
// query the API makes.
func TestTemplateTableConformance(t *testing.T) {
	t.Parallel()
	dynalitetest.Need(t, dynaliteURL)
	c, err := dynalitetest.Client(t.Context(), dynaliteURL)
	if err != nil {
		t.Fatal(err)
	}
	var tables atomic.Int64
	storetest.Run(t, func(t *testing.T, current string, releases ...*dataset.Release) store.Store {
		t.Helper()
		ctx := t.Context()
		name := fmt.Sprintf("jcdd-template-%d", tables.Add(1))
		if _, err := c.CreateTable(ctx, templateTableInput(t, name)); err != nil {
			t.Fatalf("creating the table from template.yaml: %v", err)
		}
		w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) {
			o.MinDelay, o.MaxDelay = 10*time.Millisecond, 100*time.Millisecond
		})
		if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, time.Minute); err != nil {
			t.Fatal(err)
		}
		l := &publish.Loader{C: c, Table: name}
		for _, r := range releases {
			if _, err := l.Load(ctx, r, false); err != nil {
				t.Fatalf("loading %s: %v", r.Info.Version, err)
			}
		}
		if _, err := l.Activate(ctx, newest(current, releases)); err != nil {
			t.Fatal(err)
		}
		return dynamo.New(c, name, dynamo.WithCacheTTL(0))
	})
}

// newest returns current, or when it is empty the newest release's version.
func newest(current string, releases []*dataset.Release) string {
	if current != "" {
		return current
	}
	for _, r := range releases {
		if current == "" || dataset.CompareVersions(r.Info.Version, current) > 0 {
			current = r.Info.Version
		}
	}
	return current
}
