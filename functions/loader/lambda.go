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
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/release"
	"github.com/jcdd/jcdd/internal/store/dynamo"
)

// physicalID names the custom resource. It never changes, so that an update
// (a new dataset version) is never mistaken by CloudFormation for a
// replacement, which would send a Delete for the old one.
const physicalID = "jcdd-dataset-release"

// runLambda serves the CloudFormation custom resource that publishes the
// releases embedded in this binary on every deploy.
func runLambda() error {
	setLambdaMemoryLimit()
	table := os.Getenv("JCDD_TABLE")
	if table == "" {
		return errors.New("JCDD_TABLE is not set")
	}
	c, err := dynamo.NewEnvClient(os.Getenv("AWS_ENDPOINT_URL_DYNAMODB"))
	if err != nil {
		return err
	}
	bucket := os.Getenv("JCDD_BUNDLE_BUCKET")
	if bucket == "" {
		return errors.New("JCDD_BUNDLE_BUCKET is not set")
	}
	objects, err := newS3Client(os.Getenv("AWS_ENDPOINT_URL_S3"))
	if err != nil {
		return err
	}
	// A deployment serves published releases only: never the working copy.
	rels, err := dataset.Published()
	if err != nil {
		return fmt.Errorf("the embedded releases are invalid: %w", err)
	}
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	r := &releaseResource{
		loader:    &publish.Loader{C: c, Table: table, Log: log},
		releases:  rels,
		publisher: &publisher{s3: objects, bucket: bucket, log: log},
	}
	lambda.Start(cfn.LambdaWrap(r.handle))
	return nil
}

// newS3Client builds an S3 client from the environment alone, as Lambda
// provides it (see dynamo.NewEnvClient for why not the SDK's configuration
// package). With an endpoint, for a local S3, it uses path-style addresses.
func newS3Client(endpoint string) (*s3.Client, error) {
	region := os.Getenv("AWS_REGION")
	id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if region == "" || id == "" || secret == "" {
		return nil, errors.New("AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set")
	}
	o := s3.Options{
		Region:      region,
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(id, secret, os.Getenv("AWS_SESSION_TOKEN"))),
	}
	if endpoint != "" {
		o.BaseEndpoint, o.UsePathStyle = aws.String(endpoint), true
	}
	return s3.New(o), nil
}

// releaseResource is the Custom::DatasetRelease resource.
type releaseResource struct {
	loader   *publish.Loader
	releases []*dataset.Release // oldest first
	// publisher uploads the bundles to the bucket; nil uploads nothing
	// (tests of the table alone).
	publisher *publisher
	built     *release.Set // the releases' bundles and changes, built on first use
}

// handle answers one CloudFormation request.
//
//   - Create and Update first publish the bundle (zip) of every embedded
//     release to the bundle bucket, unless it is there already with the
//     same bytes; a bundle there with other bytes fails the deploy before
//     the table is touched, since a published download never changes. Then
//     they load every embedded release (those already in the table are
//     only checked), describing each one's bundle, and activate the one
//     named by the resource's ReleaseVersion property. If that fails, the
//     deploy fails and the previous release stays current, because
//     activation is the last step.
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
	if r.built == nil {
		built, err := release.BuildAll(r.releases)
		if err != nil {
			return physicalID, nil, err
		}
		r.built = built
	}
	uploaded, uploadedDBs := 0, 0
	if r.publisher != nil {
		for _, rel := range r.releases {
			b := r.built.Get(rel.Info.Version)
			up, err := r.publisher.publish(ctx, rel.Info.Version, b.Zip)
			if err != nil {
				return physicalID, nil, fmt.Errorf("publishing the bundle of release %s: %w", rel.Info.Version, err)
			}
			if up {
				uploaded++
			}
			// The database beside the zip, before the index that
			// describes it is loaded.
			up, err = r.publisher.publishDatabase(ctx, rel.Info.Version, b.SQLite)
			if err != nil {
				return physicalID, nil, fmt.Errorf("publishing the database of release %s: %w", rel.Info.Version, err)
			}
			if up {
				uploadedDBs++
			}
		}
	}
	r.loader.Bundle, r.loader.Pages = r.built.Describe, r.built.Pages
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
		"Version": version, "Previous": prev, "Items": items, "Embedded": embedded, "BundlesUploaded": uploaded, "DatabasesUploaded": uploadedDBs,
	}, nil
}
