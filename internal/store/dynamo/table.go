package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Attribute names of the table's keys.
const (
	AttrPK = "pk"
	AttrSK = "sk"
)

// KeyAttribute is one key attribute of the table or an index.
type KeyAttribute struct {
	Name    string
	Type    types.ScalarAttributeType
	KeyType types.KeyType
}

// Schema is the table's definition, held once here: CreateTable uses it and
// the SAM template is checked against it.
type Schema struct {
	Keys []KeyAttribute
	// GlobalSecondaryIndexes is empty: every access pattern is served by the
	// primary key (see the package documentation).
	GlobalSecondaryIndexes []types.GlobalSecondaryIndex
	BillingMode            types.BillingMode
}

// TableSchema is the definition of the jcdd table.
var TableSchema = Schema{
	Keys: []KeyAttribute{
		{Name: AttrPK, Type: types.ScalarAttributeTypeS, KeyType: types.KeyTypeHash},
		{Name: AttrSK, Type: types.ScalarAttributeTypeS, KeyType: types.KeyTypeRange},
	},
	BillingMode: types.BillingModePayPerRequest,
}

// CreateTableInput returns the request that creates a table of this schema.
func (s Schema) CreateTableInput(name string) *dynamodb.CreateTableInput {
	in := &dynamodb.CreateTableInput{TableName: aws.String(name), BillingMode: s.BillingMode}
	for _, k := range s.Keys {
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String(k.Name), AttributeType: k.Type})
		in.KeySchema = append(in.KeySchema, types.KeySchemaElement{AttributeName: aws.String(k.Name), KeyType: k.KeyType})
	}
	if len(s.GlobalSecondaryIndexes) > 0 {
		in.GlobalSecondaryIndexes = s.GlobalSecondaryIndexes
	}
	return in
}

// CreateTable creates the table if it does not exist and waits until it is
// active. Deployed tables are created by the SAM template; this is for local
// development and tests.
func CreateTable(ctx context.Context, c *dynamodb.Client, name string) error {
	_, err := c.CreateTable(ctx, TableSchema.CreateTableInput(name))
	var inUse *types.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return fmt.Errorf("creating table %s: %w", name, err)
	}
	w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay = 50 * time.Millisecond
		o.MaxDelay = time.Second
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 2*time.Minute); err != nil {
		return fmt.Errorf("waiting for table %s: %w", name, err)
	}
	return nil
}
