// Command loader is the Lambda function behind the stack's
// Custom::DatasetRelease resource: on every deploy it publishes the releases
// embedded in it into the DynamoDB table (JCDD_TABLE) and their bundles
// into the bucket (JCDD_BUNDLE_BUCKET) (lambda.go).
//
// The same operations by hand (load, activate, list, delete) are commands
// of the maintainer's command line: go run ./tools/jcdd list --table NAME.
package main

import (
	"errors"
	"fmt"
	"os"
)

func main() {
	err := errors.New("this is the Lambda function of the deploy and runs only under the Lambda runtime; to load or activate a release by hand, use go run ./tools/jcdd (go run ./tools/jcdd list --table NAME)")
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		err = runLambda()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loader:", err)
		os.Exit(1)
	}
}
