package main

import (
	"errors"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/store/dynamo"
)

// runLambda serves the API as a Lambda function behind an API Gateway HTTP
// API (payload format 2.0). The DynamoDB client and the API are built here,
// during the function's init, not per request; the API registers each
// operation with Huma when it is first asked for (internal/api
// operations.go), since a cold start serves one request of one operation.
func runLambda() error {
	table := os.Getenv("JCDD_TABLE")
	if table == "" {
		return errors.New("JCDD_TABLE is not set")
	}
	log := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: logLevel()}))
	c, err := dynamo.NewEnvClient(os.Getenv("AWS_ENDPOINT_URL_DYNAMODB"), dynamo.ReadPolicy)
	if err != nil {
		return err
	}
	srv := api.New(api.Config{
		Store:        dynamo.New(c, table),
		Logger:       log,
		CursorSecret: []byte(os.Getenv("JCDD_CURSOR_SECRET")),
		RequestID:    lambdaRequestID,
		// The deployment's public address (the CloudFront distribution):
		// the served OpenAPI description names it as the server, so that
		// clients generated from it call the edge, not the origin.
		Servers: publicServers(os.Getenv("JCDD_PUBLIC_BASE_URL")),
		// Where the deploy publishes the release bundles (the loader
		// uploads them): downloads redirect there.
		BundleBaseURL: os.Getenv("JCDD_BUNDLE_BASE_URL"),
	})
	lambda.Start(httpadapter.NewV2(srv).ProxyWithContext)
	return nil
}

// lambdaRequestID is the id Lambda gives the invocation, so that a log line
// and a client's X-Request-Id lead to the same invocation.
func lambdaRequestID(r *http.Request) string {
	if lc, ok := lambdacontext.FromContext(r.Context()); ok && lc.AwsRequestID != "" {
		return lc.AwsRequestID
	}
	return "unknown"
}

func logLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(os.Getenv("LOG_LEVEL"))); err != nil {
		return slog.LevelInfo
	}
	return l
}

// publicServers are the servers the OpenAPI description advertises when
// the API is deployed at base: that one address. Without a base, nil, which
// leaves the defaults (api.DefaultServers).
func publicServers(base string) []*huma.Server {
	base = strings.TrimRight(strings.TrimSpace(base), "/")
	if base == "" {
		return nil
	}
	return []*huma.Server{{URL: base, Description: "This deployment (CloudFront in front of the HTTP API)."}}
}
