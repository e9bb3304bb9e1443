// Package awsconfig builds AWS clients for the command-line tools from the
// full AWS configuration chain: environment, shared config and credential
// files, SSO and profiles, as an operator's laptop has them. The Lambda
// functions do not use it (see dynamo.NewEnvClient): the chain's providers
// add megabytes to a binary whose credentials always come from the
// environment.
package awsconfig

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// DynamoDB returns a DynamoDB client. With an endpoint — a local DynamoDB
// such as dynalite — it uses static credentials, which a local server checks
// only for form, and us-east-1 unless AWS_REGION says otherwise.
func DynamoDB(ctx context.Context, endpoint string, opts ...func(*dynamodb.Options)) (*dynamodb.Client, error) {
	var load []func(*config.LoadOptions) error
	if endpoint != "" {
		load = append(load, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
		if os.Getenv("AWS_REGION") == "" {
			load = append(load, config.WithRegion("us-east-1"))
		}
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	return dynamodb.NewFromConfig(cfg, append([]func(*dynamodb.Options){func(o *dynamodb.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	}}, opts...)...), nil
}
