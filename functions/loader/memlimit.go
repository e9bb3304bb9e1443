package main

import (
	"os"
	"runtime/debug"
	"strconv"
)

// softMemoryLimit is the share of the function's memory that the Go
// runtime is told it may use (debug.SetMemoryLimit): near it, the collector
// runs more often rather than letting the heap grow to twice what is live,
// which is what would otherwise take a large release past the function's
// memory and get it killed. The rest is for what the runtime does not count
// (stacks outside the heap, the binary).
const softMemoryLimit = 0.8

// lambdaMemoryLimit returns the soft memory limit for a function of
// AWS_LAMBDA_FUNCTION_MEMORY_SIZE megabytes, or 0 when it is unknown or
// GOMEMLIMIT is set (the operator's choice stands).
func lambdaMemoryLimit(getenv func(string) string) int64 {
	if getenv("GOMEMLIMIT") != "" {
		return 0
	}
	mb, err := strconv.ParseInt(getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), 10, 64)
	if err != nil || mb <= 0 {
		return 0
	}
	return int64(float64(mb<<20) * softMemoryLimit)
}

// setLambdaMemoryLimit applies lambdaMemoryLimit.
func setLambdaMemoryLimit() {
	if limit := lambdaMemoryLimit(os.Getenv); limit > 0 {
		debug.SetMemoryLimit(limit)
	}
}
