package publish

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
)

// Release state changes
//
// A release's metadata item moves loading → complete → deleting → (gone),
// and the pointer item names the current release. The invariant: the pointer
// names a complete release. Load already changes state with conditional
// writes (to "loading" only from nothing or "loading", to "complete" only
// from "loading"). Activate and Delete each read one item and write the
// other, so two administrators could interleave: Delete sees the release is
// not current, Activate sees it complete, then both write, and the pointer
// names a release whose items are being removed. Two ways close that gap:
//
//   - With transactions (DynamoDB, moto): Activate writes the pointer in a
//     TransactWriteItems whose ConditionCheck requires the release's
//     metadata to say "complete"; Delete marks the metadata "deleting" in a
//     TransactWriteItems whose ConditionCheck requires the pointer not to
//     name it. DynamoDB runs both checks and writes atomically, so one of
//     the two is refused.
//   - Without transactions (dynalite answers UnknownOperationException):
//     both take the release lock, an item of its own (lockPK/lockSK, outside
//     the release partition) written with a conditional PutItem, and do
//     their read and conditional write under it. The lock has a lease
//     (Loader.LockLease), after which a crashed holder's lock may be taken
//     over; an administrator stalled longer than the lease loses the
//     guarantee. This is for local tables: every deployed table has
//     transactions.
//
// Tests run the transactional path on moto and the lock on dynalite and on
// moto (TestActivateDeleteRace).

// The release lock's item.
const (
	lockPK = "lock"
	lockSK = "releases"
)

// errIsCurrent words the refusal to delete the current release.
var errIsCurrent = errors.New("is current; activate another release before deleting it")

// errNoTransactions means the table's implementation lacks TransactWriteItems.
var errNoTransactions = errors.New("this DynamoDB has no transactions")

// decodeMeta decodes an item of the release partition: a release's
// metadata or the pointer. An item that does not decode, or does not hold
// what its key says, is an error that names its key: nothing is skipped.
func decodeMeta(it dynamo.Item) (*dynamo.ReleaseMeta, error) {
	pk, sk := dynamo.KeyOf(it)
	var m dynamo.ReleaseMeta
	if err := dynamo.Unmarshal(it, &m); err != nil {
		return nil, fmt.Errorf("decoding release item %s/%s: %w", pk, sk, err)
	}
	switch {
	case m.Version == "":
		return nil, fmt.Errorf("release item %s/%s names no version", pk, sk)
	case sk == dynamo.PointerSK:
	case m.Version != sk:
		return nil, fmt.Errorf("release item %s/%s holds release %q", pk, sk, m.Version)
	case m.State != dynamo.StateLoading && m.State != dynamo.StateComplete && m.State != dynamo.StateDeleting:
		return nil, fmt.Errorf("release item %s/%s has an unknown state %q", pk, sk, m.State)
	}
	return &m, nil
}

// transactions reports whether state changes should use TransactWriteItems.
func (l *Loader) transactions() bool { return !l.NoTransactions && !l.noTx.Load() }

// transact runs a TransactWriteItems. It returns errNoTransactions, and
// remembers it, when the table's implementation lacks it; a cancelled
// transaction comes back as *types.TransactionCanceledException.
func (l *Loader) transact(ctx context.Context, items ...types.TransactWriteItem) error {
	_, err := l.C.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "UnknownOperationException" {
		if !l.noTx.Swap(true) {
			l.Log.Warn("this DynamoDB has no TransactWriteItems (dynalite?): release state changes take the release lock instead")
		}
		return errNoTransactions
	}
	return err
}

// cancelled returns the reasons of a cancelled transaction, one per item
// ("ConditionalCheckFailed", "TransactionConflict", "None", ...), or nil.
func cancelled(err error) []string {
	var tc *types.TransactionCanceledException
	if !errors.As(err, &tc) {
		return nil
	}
	codes := make([]string, len(tc.CancellationReasons))
	for i, r := range tc.CancellationReasons {
		codes[i] = aws.ToString(r.Code)
	}
	if len(codes) == 0 {
		codes = []string{"unknown"} // cancelled, reasons not given
	}
	return codes
}

func condition(cond expression.ConditionBuilder) (expression.Expression, error) {
	return expression.NewBuilder().WithCondition(cond).Build()
}

// Activate makes a complete release current and returns the release it
// replaced. The pointer's write is conditional on the pointer read (no
// other activation since) and on the release still being complete (no
// delete since): in one transaction where the table has them, under the
// release lock where it does not. Rolling back is activating the previous
// version.
func (l *Loader) Activate(ctx context.Context, version string) (string, error) {
	l.defaults()
	if l.transactions() {
		prev, err := l.activate(ctx, version, true)
		if !errors.Is(err, errNoTransactions) {
			return prev, err
		}
	}
	var prev string
	err := l.withLock(ctx, "activate "+version, func() error {
		var err error
		prev, err = l.activate(ctx, version, false)
		return err
	})
	return prev, err
}

func (l *Loader) activate(ctx context.Context, version string, tx bool) (string, error) {
	m, err := l.readMeta(ctx, version)
	if err != nil {
		return "", err
	}
	if m == nil {
		return "", fmt.Errorf("release %s is not in the table: %w", version, store.ErrUnknownRelease)
	}
	if m.State != dynamo.StateComplete {
		return "", fmt.Errorf("release %s is %s, not complete: load it first", version, m.State)
	}
	prev, err := l.readMeta(ctx, dynamo.PointerSK)
	if err != nil {
		return "", err
	}
	ptr := *m
	ptr.SK, ptr.State, ptr.UpdatedAt = dynamo.PointerSK, "", ""
	ptr.ActivatedAt = time.Now().UTC().Format(time.RFC3339)
	av, err := dynamo.Marshal(&ptr)
	if err != nil {
		return "", err
	}
	cond := expression.AttributeNotExists(expression.Name(dynamo.AttrPK))
	previous := ""
	if prev != nil {
		previous = prev.Version
		cond = expression.Name("version").Equal(expression.Value(prev.Version))
	}
	ptrExpr, err := condition(cond)
	if err != nil {
		return "", err
	}
	changed := fmt.Errorf("the current release changed while activating %s (another activation?); re-run", version)
	if !tx {
		// Under the release lock: no delete can mark the release between
		// the read above and this write.
		_, err = l.C.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String(l.Table), Item: av, ConditionExpression: ptrExpr.Condition(),
			ExpressionAttributeNames: ptrExpr.Names(), ExpressionAttributeValues: ptrExpr.Values(),
		})
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			return "", changed
		}
	} else {
		relExpr, err2 := condition(expression.Name("state").Equal(expression.Value(dynamo.StateComplete)).
			And(expression.Name("digest").Equal(expression.Value(m.Digest))))
		if err2 != nil {
			return "", err2
		}
		err = l.transact(ctx,
			types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
				TableName: aws.String(l.Table), Key: dynamo.Key(dynamo.ReleasePK, version), ConditionExpression: relExpr.Condition(),
				ExpressionAttributeNames: relExpr.Names(), ExpressionAttributeValues: relExpr.Values(),
			}},
			types.TransactWriteItem{Put: &types.Put{
				TableName: aws.String(l.Table), Item: av, ConditionExpression: ptrExpr.Condition(),
				ExpressionAttributeNames: ptrExpr.Names(), ExpressionAttributeValues: ptrExpr.Values(),
			}},
		)
		if reasons := cancelled(err); reasons != nil {
			switch {
			case reasons[0] == "ConditionalCheckFailed":
				return "", fmt.Errorf("release %s stopped being complete while activating it (a delete?); not activated", version)
			case len(reasons) > 1 && reasons[1] == "ConditionalCheckFailed":
				return "", changed
			default:
				return "", fmt.Errorf("activating %s: another change of the releases ran at the same time (%v); re-run", version, reasons)
			}
		}
	}
	if err != nil {
		return "", fmt.Errorf("activating %s: %w", version, err)
	}
	l.Log.Info("release activated", "version", version, "previous", previous)
	return previous, nil
}

// markDeleting marks a release "deleting", on condition that its metadata
// is still in the state read (m) and that the pointer does not name it: in
// one transaction where the table has them, under the release lock where it
// does not.
func (l *Loader) markDeleting(ctx context.Context, m *dynamo.ReleaseMeta) error {
	d := *m
	d.State, d.UpdatedAt = dynamo.StateDeleting, time.Now().UTC().Format(time.RFC3339)
	av, err := dynamo.Marshal(&d)
	if err != nil {
		return err
	}
	relExpr, err := condition(expression.Name("state").Equal(expression.Value(m.State)).
		And(expression.Name("digest").Equal(expression.Value(m.Digest))))
	if err != nil {
		return err
	}
	changed := fmt.Errorf("release %s changed while marking it deleting (another loader?); re-run", m.Version)
	if l.transactions() {
		ptrExpr, err := condition(expression.AttributeNotExists(expression.Name(dynamo.AttrPK)).
			Or(expression.Name("version").NotEqual(expression.Value(m.Version))))
		if err != nil {
			return err
		}
		err = l.transact(ctx,
			types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
				TableName: aws.String(l.Table), Key: dynamo.Key(dynamo.ReleasePK, dynamo.PointerSK), ConditionExpression: ptrExpr.Condition(),
				ExpressionAttributeNames: ptrExpr.Names(), ExpressionAttributeValues: ptrExpr.Values(),
			}},
			types.TransactWriteItem{Put: &types.Put{
				TableName: aws.String(l.Table), Item: av, ConditionExpression: relExpr.Condition(),
				ExpressionAttributeNames: relExpr.Names(), ExpressionAttributeValues: relExpr.Values(),
			}},
		)
		if reasons := cancelled(err); reasons != nil {
			switch {
			case reasons[0] == "ConditionalCheckFailed":
				return fmt.Errorf("release %s %w", m.Version, errIsCurrent)
			case len(reasons) > 1 && reasons[1] == "ConditionalCheckFailed":
				return changed
			default:
				return fmt.Errorf("deleting %s: another change of the releases ran at the same time (%v); re-run", m.Version, reasons)
			}
		}
		if !errors.Is(err, errNoTransactions) {
			if err != nil {
				return fmt.Errorf("marking %s deleting: %w", m.Version, err)
			}
			return nil
		}
	}
	return l.withLock(ctx, "delete "+m.Version, func() error {
		ptr, err := l.readMeta(ctx, dynamo.PointerSK)
		if err != nil {
			return err
		}
		if ptr != nil && ptr.Version == m.Version {
			return fmt.Errorf("release %s %w", m.Version, errIsCurrent)
		}
		_, err = l.C.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String(l.Table), Item: av, ConditionExpression: relExpr.Condition(),
			ExpressionAttributeNames: relExpr.Names(), ExpressionAttributeValues: relExpr.Values(),
		})
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			return changed
		}
		if err != nil {
			return fmt.Errorf("marking %s deleting: %w", m.Version, err)
		}
		return nil
	})
}

// lockItem is the release lock.
type lockItem struct {
	PK      string `json:"pk"`
	SK      string `json:"sk"`
	Owner   string `json:"owner"`
	Op      string `json:"op"`
	Expires int64  `json:"expires"` // Unix milliseconds
}

// withLock runs f holding the release lock, waiting up to LockWait for it.
// A lock whose lease has expired (its holder crashed) is taken over.
func (l *Loader) withLock(ctx context.Context, op string, f func() error) error {
	var b [8]byte
	_, _ = rand.Read(b[:])
	owner := hex.EncodeToString(b[:])
	deadline := time.Now().Add(l.LockWait)
	for attempt := 1; ; attempt++ {
		now := time.Now()
		av, err := dynamo.Marshal(&lockItem{PK: lockPK, SK: lockSK, Owner: owner, Op: op, Expires: now.Add(l.LockLease).UnixMilli()})
		if err != nil {
			return err
		}
		expr, err := condition(expression.AttributeNotExists(expression.Name(dynamo.AttrPK)).
			Or(expression.Name("expires").LessThan(expression.Value(now.UnixMilli()))))
		if err != nil {
			return err
		}
		_, err = l.C.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String(l.Table), Item: av, ConditionExpression: expr.Condition(),
			ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		})
		if err == nil {
			break
		}
		var ccf *types.ConditionalCheckFailedException
		if !errors.As(err, &ccf) {
			return fmt.Errorf("taking the release lock: %w", err)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: the release lock is held by another administrator (%s); re-run later", op, l.lockHolder(ctx))
		}
		if err := sleep(ctx, l.backoff(attempt)); err != nil {
			return err
		}
	}
	defer func() {
		// Released even when ctx is done; only by its owner.
		expr, err := condition(expression.Name("owner").Equal(expression.Value(owner)))
		if err != nil {
			return
		}
		_, err = l.C.DeleteItem(context.WithoutCancel(ctx), &dynamodb.DeleteItemInput{
			TableName: aws.String(l.Table), Key: dynamo.Key(lockPK, lockSK), ConditionExpression: expr.Condition(),
			ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		})
		if err != nil {
			l.Log.Warn("releasing the release lock", "op", op, "err", err)
		}
	}()
	return f()
}

// lockHolder describes who holds the release lock, for an error message.
func (l *Loader) lockHolder(ctx context.Context) string {
	out, err := l.C.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(l.Table), Key: dynamo.Key(lockPK, lockSK), ConsistentRead: aws.Bool(true)})
	if err != nil || out.Item == nil {
		return "unknown"
	}
	var li lockItem
	if err := dynamo.Unmarshal(out.Item, &li); err != nil {
		return fmt.Sprintf("an item %s/%s that does not decode: %v", lockPK, lockSK, err)
	}
	return fmt.Sprintf("%q, leased until %s", li.Op, time.UnixMilli(li.Expires).UTC().Format(time.RFC3339))
}
