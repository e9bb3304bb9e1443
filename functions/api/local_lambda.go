//go:build lambda.norpc

package main

import (
	"errors"
	"io"
)

// run explains that the Lambda build does not serve locally.
func run([]string, io.Writer, io.Writer) error {
	return errors.New("this binary is built for AWS Lambda (-tags lambda.norpc) and runs only under the Lambda runtime; build without the tag to serve locally")
}
