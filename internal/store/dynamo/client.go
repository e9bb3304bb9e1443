package dynamo

import (
	"errors"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
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

// The API's budget for one DynamoDB call: a request must answer within its
// own deadline (see api.Config.RequestTimeout), so reads give up early and
// retry briefly rather than wait out the SDK's defaults (3 attempts with up
// to 20 s between them).
const (
	ReadAttempts       = 3                      // first try and two retries
	ReadMaxBackoff     = 100 * time.Millisecond // between attempts, with jitter
	ReadConnectTimeout = 500 * time.Millisecond
	ReadHeaderTimeout  = 1 * time.Second // until DynamoDB starts answering
)

// ReadPolicy sets the retry budget and timeouts of a client used on request
// paths. The standard retryer also keeps a retry token bucket, so that when
// DynamoDB fails widely, retries stop before they add to the load.
func ReadPolicy(o *dynamodb.Options) {
	o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
		so.MaxAttempts = ReadAttempts
		so.MaxBackoff = ReadMaxBackoff
	})
	o.HTTPClient = &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: ReadConnectTimeout, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   ReadConnectTimeout,
		ResponseHeaderTimeout: ReadHeaderTimeout,
	}}
}
