// Command loader publishes releases of the dataset into DynamoDB.
//
//	loader [flags] load [--dir DIR] [--no-activate]  validate, write, verify, activate
//	loader [flags] activate VERSION                   make a loaded release current (roll back or forward)
//	loader [flags] list                               releases in the table, which is current
//	loader [flags] delete VERSION                     remove a release that is not current
//	loader [flags] create-table                       create the table (local development)
//
// Flags: --table (or JCDD_TABLE), --endpoint (or AWS_ENDPOINT_URL_DYNAMODB,
// for a local DynamoDB), --concurrency. The region and credentials come from
// the usual AWS configuration.
//
// When AWS_LAMBDA_RUNTIME_API is set it runs as the Lambda function behind
// the stack's Custom::DatasetRelease resource instead (lambda.go).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		if err := runLambda(); err != nil {
			fmt.Fprintln(os.Stderr, "loader:", err)
			os.Exit(1)
		}
		return
	}
	if path := os.Getenv("JCDD_HEAPPROFILE"); path != "" {
		defer profilePeakHeap(path)()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		// One line: the error already says what failed and what to do.
		fmt.Fprintln(os.Stderr, "loader:", err)
		os.Exit(1)
	}
}
