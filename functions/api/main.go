// Command api serves the jcdd API.
//
//	api [--host 127.0.0.1] [--port 8080]   serve the embedded dataset over HTTP
//	api --table NAME [--endpoint URL]      serve from a DynamoDB table instead
//
// By default the store is the embedded dataset held in memory: no AWS
// account and no network are needed.
//
// When AWS_LAMBDA_RUNTIME_API is set it runs as a Lambda function instead
// (lambda.go), reading the DynamoDB table named by JCDD_TABLE. The Lambda
// build (-tags lambda.norpc) leaves out the local server and the embedded
// dataset (local.go), which the function never uses: that keeps the
// bootstrap small and its cold start short. The maintainer commands (the
// OpenAPI description, loading a table, ...) are those of tools/jcdd.
package main

import (
	"fmt"
	"os"
)

func main() {
	var err error
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		err = runLambda()
	} else {
		err = run(os.Args[1:], os.Stdout, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "api:", err)
		os.Exit(1)
	}
}
