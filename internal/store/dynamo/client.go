package dynamo

import (
	"errors"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// NewEnvClient builds a DynamoDB client from the environment alone, as
// Lambda provides it: AWS_REGION and the function role's credentials in
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. It does
// not use the SDK's configuration package, whose providers (SSO, profiles,
// STS) add megabytes to a bootstrap that never needs them.
//
// With an endpoint — a local DynamoDB such as dynalite — the region
// defaults to us-east-1 and the credentials to static ones, which a local
// server checks only for form.
func NewEnvClient(endpoint string, opts ...func(*dynamodb.Options)) (*dynamodb.Client, error) {
	region := os.Getenv("AWS_REGION")
	id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if endpoint != "" {
		if region == "" {
			region = "us-east-1"
		}
		if id == "" {
			id, secret = "local", "local"
		}
	}
	if region == "" || id == "" || secret == "" {
		return nil, errors.New("AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set")
	}
	o := dynamodb.Options{
		Region:      region,
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(id, secret, os.Getenv("AWS_SESSION_TOKEN"))),
	}
	if endpoint != "" {
		o.BaseEndpoint = aws.String(endpoint)
	}
	return dynamodb.New(o, opts...), nil
}
