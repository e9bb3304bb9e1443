package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store/dynamo"
)

// physicalID names the custom resource. It never changes, so that an update
// (a new dataset version) is never mistaken by CloudFormation for a
// replacement, which would send a Delete for the old one.
const physicalID = "jcdd-dataset-release"

// runLambda serves the CloudFormation custom resource that publishes the
// releases embedded in this binary on every deploy.
func runLambda() error {
	table := os.Getenv("JCDD_TABLE")
	if table == "" {
		return errors.New("JCDD_TABLE is not set")
	}
	c, err := dynamo.NewEnvClient(os.Getenv("AWS_ENDPOINT_URL_DYNAMODB"))
	if err != nil {
		return err
	}
	rels, err := dataset.Releases()
	if err != nil {
		return fmt.Errorf("the embedded releases are invalid: %w", err)
	}
	r := &releaseResource{
		loader:   &dynamo.Loader{C: c, Table: table, Log: slog.New(slog.NewJSONHandler(os.Stdout, nil))},
		releases: rels,
	}
	lambda.Start(cfn.LambdaWrap(r.handle))
	return nil
}

// releaseResource is the Custom::DatasetRelease resource.
type releaseResource struct {
	loader   *dynamo.Loader
	releases []*dataset.Release // oldest first
}

// handle answers one CloudFormation request.
//
//   - Create and Update load every embedded release (those already in the
//     table are only checked) and activate the one named by the resource's
//     ReleaseVersion property. If that fails, the deploy fails and the
//     previous release stays current, because activation is the last step.
//   - On a rollback, CloudFormation sends an Update with the old properties:
//     the old version is already in the table and is activated again, even
//     if this binary does not embed it.
//   - Delete answers at once and keeps the data: the table is retained with
//     the stack's deletion, and a slow or failing delete would leave the
//     stack hanging for an hour.
func (r *releaseResource) handle(ctx context.Context, ev cfn.Event) (string, map[string]any, error) {
	if ev.RequestType == cfn.RequestDelete {
		return physicalID, nil, nil
	}
	version, _ := ev.ResourceProperties["ReleaseVersion"].(string)
	if !dataset.IsVersion(version) {
		return physicalID, nil, fmt.Errorf("ReleaseVersion %q is not a release version", version)
	}
	// Answer before Lambda's deadline, so that CloudFormation hears a
	// failure instead of waiting for a response that never comes.
	if dl, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, dl.Add(-10*time.Second))
		defer cancel()
	}
	embedded := false
	items := 0
	for _, rel := range r.releases {
		sum, err := r.loader.Load(ctx, rel, false)
		if err != nil {
			return physicalID, nil, fmt.Errorf("loading release %s: %w", rel.Info.Version, err)
		}
		if rel.Info.Version == version {
			embedded, items = true, sum.Items
		}
	}
	prev, err := r.loader.Activate(ctx, version)
	if err != nil {
		return physicalID, nil, err
	}
	return physicalID, map[string]any{
		"Version": version, "Previous": prev, "Items": items, "Embedded": embedded,
	}, nil
}
