package publish_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynamotest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

// On dynalite (no transactions) Activate and Delete take the release lock.
// A lock left by a holder that crashed blocks them until its lease ends,
// with an error that says who holds it; then it is taken over.
func TestReleaseLockOnDynalite(t *testing.T) {
	v1, _ := storetest.Fixture(t)
	c, table := dynamotest.NewTable(t)
	ctx := context.Background()
	l := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond, LockWait: 300 * time.Millisecond}
	if _, err := l.Load(ctx, v1, false); err != nil {
		t.Fatal(err)
	}
	lock := func(expires time.Time) {
		put(t, c, table, map[string]types.AttributeValue{
			dynamo.AttrPK: s("lock"), dynamo.AttrSK: s("releases"), "owner": s("crashed"), "op": s("delete 9.9.9"),
			"expires": &types.AttributeValueMemberN{Value: strconv.FormatInt(expires.UnixMilli(), 10)},
		})
	}
	lock(time.Now().Add(time.Minute))
	_, err := l.Activate(ctx, v1.Info.Version)
	if err == nil || !strings.Contains(err.Error(), "release lock is held") || !strings.Contains(err.Error(), "delete 9.9.9") {
		t.Fatalf("activate under a live lock: %v", err)
	}
	t.Log(err)
	lock(time.Now().Add(-time.Second))
	if _, err := l.Activate(ctx, v1.Info.Version); err != nil {
		t.Fatalf("activate after the lease ended: %v", err)
	}
	for _, k := range scanKeys(t, c, table) {
		if k[0] == "lock" {
			t.Errorf("the lock %v is still held after the activation", k)
		}
	}
}
