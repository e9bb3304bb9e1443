// Command barefloor is the smallest AWS Lambda function for API Gateway
// HTTP API events: aws-lambda-go answering every invocation with an empty
// 200. Its cold start under the runtime interface emulator is what any Go
// function pays on the machine (the process, the Go runtime,
// aws-lambda-go), the floor that the API's cold start is measured against
// (functions/api BenchmarkColdStart). It is built like the API's bootstrap
// and never deployed.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "{}"}, nil
	})
}
