package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store/dynamo"
)

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
	d := &publish.Deploy{
		Loader:   &publish.Loader{C: c, Table: table, Log: log},
		Releases: rels,
		Bucket:   publish.NewBucket(objects, bucket, log),
	}
	lambda.Start(cfn.LambdaWrap(d.Handle))
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
