//go:build !lambda.norpc

package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
)

// BenchmarkColdStart starts the real bootstrap (the Lambda build, for this
// machine's architecture) under AWS's runtime interface emulator b.N times,
// each a cold start of a new process over DynamoDB (dynalite) holding the
// embedded releases, and reports the medians of two numbers: the init
// duration the emulator reports (INIT REPORT durationMs), and the time from
// starting the emulator to the first 200 answer to GET /v1/events?limit=1,
// which includes starting both processes, the function's init, its first
// DynamoDB reads and the answer. tools/bench runs it 20 times.
//
// Each round also cold-starts two floors, built the same way, each under
// its own emulator, so that what the API adds is measured in the same run:
//
//   - floor-init-ms: tools/bench/barefloor, aws-lambda-go answering a fixed
//     response: what the machine charges any Go function (the process, the
//     runtime, aws-lambda-go);
//   - sdk-floor-init-ms: tools/bench/floor reading the same table (floor (b)
//     of the warm bench): a function that links the AWS SDK and builds its
//     DynamoDB client, as the API does, but has no API.
//
// init-over-sdk-floor-ms is the API's own share of its init.
func BenchmarkColdStart(b *testing.B) {
	dynalitetest.Need(b, dynaliteURL)
	ctx := context.Background()
	c, err := dynalitetest.Client(ctx, dynaliteURL)
	if err != nil {
		b.Fatal(err)
	}
	table := fmt.Sprintf("cold-%d", os.Getpid())
	if err := dynamo.CreateTable(ctx, c, table); err != nil {
		b.Fatal(err)
	}
	rels, err := dataset.Releases()
	if err != nil {
		b.Fatal(err)
	}
	l := &publish.Loader{C: c, Table: table}
	for i, r := range rels {
		if _, err := l.Load(ctx, r, i == len(rels)-1); err != nil {
			b.Fatal(err)
		}
	}
	rie, bootstrap := rieBin(b), buildBootstrap(b, ".")
	bare, sdk := buildBootstrap(b, "../../tools/bench/barefloor"), buildBootstrap(b, "../../tools/bench/floor")
	env := []string{"JCDD_TABLE=" + table, "AWS_ENDPOINT_URL_DYNAMODB=" + dynaliteURL,
		"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local"}
	sdkEnv := append(slices.Clone(env), "JCDD_FLOOR=store")
	// No LOG_LEVEL: the emulator reads it too, and prints its INIT REPORT at info.
	var inits, firsts, bares, sdks []float64
	b.ResetTimer()
	for b.Loop() {
		initMs, first := coldStart(b, rie, bootstrap, env)
		bareMs, _ := coldStart(b, rie, bare, nil)
		sdkMs, _ := coldStart(b, rie, sdk, sdkEnv)
		inits, firsts = append(inits, initMs), append(firsts, first)
		bares, sdks = append(bares, bareMs), append(sdks, sdkMs)
	}
	b.StopTimer()
	b.ReportMetric(median(inits), "init-ms")
	b.ReportMetric(median(firsts), "first-200-ms")
	b.ReportMetric(median(bares), "floor-init-ms")
	b.ReportMetric(median(sdks), "sdk-floor-init-ms")
	b.ReportMetric(median(inits)-median(sdks), "init-over-sdk-floor-ms")
}

var initReport = regexp.MustCompile(`INIT REPORT\(durationMs: ([0-9.]+)\)`)

// coldStart runs one cold start and returns the init duration the emulator
// reports and the milliseconds from starting it to the first 200.
func coldStart(b *testing.B, rie, bootstrap string, env []string) (float64, float64) {
	addr, args := emulatorArgs(b, bootstrap)
	e := &emulator{url: "http://" + addr + "/2015-03-31/functions/function/invocations"}
	cmd := exec.Command(rie, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = e, e
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill() // the emulator stops the bootstrap itself
		_ = cmd.Wait()
	}()
	for deadline := start.Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			_ = c.Close() // the connection only probed the port
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("the emulator did not listen: %v\n%s", err, e.log())
		}
	}
	res := e.invoke(b, "GET", "/v1/events?limit=1", nil)
	first := float64(time.Since(start).Microseconds()) / 1000
	if res.StatusCode != 200 {
		b.Fatalf("first answer: %d %s\n%s", res.StatusCode, res.Body, e.log())
	}
	// The emulator may print its report after the answer has arrived (on
	// a loaded machine, well after): wait for it a while.
	m := initReport.FindStringSubmatch(e.log())
	for deadline := time.Now().Add(5 * time.Second); m == nil && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		m = initReport.FindStringSubmatch(e.log())
	}
	if m == nil {
		b.Fatalf("the emulator reported no init duration:\n%s", e.log())
	}
	initMs, _ := strconv.ParseFloat(m[1], 64)
	return initMs, first
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
