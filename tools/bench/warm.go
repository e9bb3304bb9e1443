package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynalite"
	"github.com/jcdd/jcdd/internal/testenv/localdb"
)

// The warm Lambda measurement: the API's real bootstrap (built as make build
// builds it, for this machine's architecture) and two floors (tools/bench/
// floor), each warm under its own aws-lambda-rie, invoked one at a time with
// API Gateway HTTP API (payload 2.0) events, over one dynalite table loaded
// with the embedded releases:
//
//	repeated  GET /v1/events?limit=50 again and again, against floor (a): a
//	          bare aws-lambda-go handler answering the API's own response,
//	          captured once (what the response cache can at best approach)
//	varied    GET /v1/events with a random from=, limit= (20-80) and
//	          fields= each time (no two alike: every one misses the
//	          response cache), against floor (b): a bare handler making the
//	          same store read for the same request and answering the bytes
//	          it read
//
// The API and its floor are invoked alternately, each first every other
// time, so that both see the same machine; a time is the client's, from
// sending the event to reading the whole answer.

// Bounds of -warm, the number of measured invocations of each function in
// each case.
const (
	minWarm = 1
	maxWarm = 5000
)

// floorGC is the floors' garbage collector. A floor is a lower bound, and
// with the default GOGC a bare handler, whose live heap is a megabyte or two
// where the API's is six to eight, collects after every 4 MB allocated (the
// smallest goal), more often than the API: floor (b) measured 4-8% slower
// than the API it bounds. GOGC=400 lets it allocate about as much as the API
// between collections; of the settings tried it gave the lowest floors
// (GOGC=off with GOMEMLIMIT=64MiB grows the heap on fresh pages until the
// limit, and measured in between). The API runs as deployed.
var floorGC = []string{"GOGC=400"}

// warmRepeated is the request of the repeated case.
const warmRepeated = "/v1/events?limit=50"

// warmFields are the fields= values of varied requests ("" for none).
var warmFields = []string{"", "title", "title,occurred", "actors,tags,sources", "summary,confidence"}

// warmResult holds the times of every measured invocation, in ms.
type warmResult struct {
	// As the client sees them: sending the event to the emulator and
	// reading its whole answer.
	repeatedAPI, repeatedFloor []float64
	variedAPI, variedFloor     []float64
	// In the function, as the emulator reports them (REPORT Duration):
	// from handing the event to the bootstrap to its answer, without the
	// emulator's own HTTP.
	repeatedAPIFn, repeatedFloorFn []float64
	variedAPIFn, variedFloorFn     []float64
	// In the API's handler, as its request log reports them: Huma, the
	// middleware and the store, without the Lambda adapter and runtime.
	repeatedHandler, variedHandler []float64
	// The store's read in floor (b), as it reports it.
	variedRead []float64
	// variedEmpty counts the varied requests whose page was empty (a from=
	// after the last event).
	variedEmpty int
}

// Where floor (b) says how many records it read and how long the store's
// read took, in µs (tools/bench/floor's ItemsHeader and ReadHeader).
const (
	floorItemsHeader = "Floor-Items"
	floorReadHeader  = "Floor-Read-Us"
)

// warmTimeout bounds one invocation: a stuck emulator fails the run.
const warmTimeout = 30 * time.Second

// function is one bootstrap running warm under its emulator.
type function struct {
	name   string
	url    string
	log    string
	client *http.Client
}

// invoke sends one event and returns the function's answer and the
// milliseconds from sending to having read it.
func (f *function) invoke(ctx context.Context, event []byte) ([]byte, float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url, bytes.NewReader(event))
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", f.name, err)
	}
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("invoking %s: %w\n%s", f.name, err, tail(f.log, 20))
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	ms := float64(time.Since(start).Nanoseconds()) / 1e6
	if err != nil {
		return nil, 0, fmt.Errorf("reading the answer of %s: %w", f.name, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("invoking %s: emulator status %d: %s\n%s", f.name, resp.StatusCode, body, tail(f.log, 20))
	}
	return body, ms, nil
}

// response decodes a function's answer.
func (f *function) response(raw []byte) (events.APIGatewayV2HTTPResponse, error) {
	var r events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(raw, &r); err != nil || r.StatusCode == 0 {
		return r, fmt.Errorf("%s answered no HTTP API response (%v): %.300s", f.name, err, raw)
	}
	return r, nil
}

// apiEvent is the event API Gateway sends for a GET of target.
func apiEvent(target string) ([]byte, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	params := map[string]string{}
	for k, v := range u.Query() {
		params[k] = strings.Join(v, ",") // as API Gateway joins repeated parameters
	}
	const domain = "api.jcdd.example.org"
	return json.Marshal(events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "$default", RawPath: u.Path, RawQueryString: u.RawQuery,
		QueryStringParameters: params,
		Headers: map[string]string{
			"accept": "application/json", "accept-encoding": "identity", "host": domain,
			"user-agent": "jcdd-bench", "x-forwarded-for": "127.0.0.1", "x-forwarded-port": "443", "x-forwarded-proto": "https",
		},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			AccountID: "123456789012", APIID: "bench", DomainName: domain, DomainPrefix: "api",
			Stage: "$default", RequestID: "bench", RouteKey: "$default",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: http.MethodGet, Path: u.Path, Protocol: "HTTP/1.1", SourceIP: "127.0.0.1", UserAgent: "jcdd-bench",
			},
		},
	})
}

// variedTargets returns n different event list requests: a random from=
// date, limit 20-80 and fields=, as the varied wrk requests of the http
// part (JSON only: the floor reads the same page whatever the format).
func variedTargets(n int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		t := fmt.Sprintf("/v1/events?from=%d-%02d-%02d&limit=%d", 2000+rng.IntN(26), 1+rng.IntN(12), 1+rng.IntN(28), 20+rng.IntN(61))
		if f := warmFields[rng.IntN(len(warmFields))]; f != "" {
			t += "&fields=" + url.QueryEscape(f)
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// warmBench is the state of one warm measurement.
type warmBench struct {
	dir     string
	procs   *procs
	started []*exec.Cmd
	env     []string
}

// stop stops every emulator this measurement started (each stops its
// bootstrap).
func (w *warmBench) stop() {
	for _, c := range w.started {
		w.procs.stop(c)
	}
}

// measureWarm runs the warm measurement with n invocations of each function
// in each case. dir is a scratch directory; procs tracks the emulators.
func measureWarm(ctx context.Context, root, dir string, ps *procs, n int, progress io.Writer) (*warmResult, error) {
	if n < minWarm || n > maxWarm {
		return nil, fmt.Errorf("%d warm invocations: want %d to %d", n, minWarm, maxWarm)
	}
	rie := filepath.Join(root, "tools", "bin", "aws-lambda-rie")
	if _, err := os.Stat(rie); err != nil {
		return nil, fmt.Errorf("the Lambda emulator is not installed (make rie): %w", err)
	}
	w := &warmBench{dir: dir, procs: ps}
	db, err := dynalite.Start()
	if err != nil {
		return nil, fmt.Errorf("starting dynalite: %w", err)
	}
	defer db.Close()
	defer w.stop() // before dynalite
	const table = "jcdd-warm"
	// The API as deployed (infra/template.yaml's defaults), and the same
	// environment for the floors and every emulator.
	w.env = []string{"JCDD_TABLE=" + table, "AWS_ENDPOINT_URL_DYNAMODB=" + db.URL, "AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local", "LOG_LEVEL=INFO"}
	apiBin, floorBin := filepath.Join(dir, "api-bootstrap"), filepath.Join(dir, "floor-bootstrap")
	fmt.Fprintln(progress, "bench: loading the current release into dynalite; building the API bootstrap and the floor for this machine")
	var wg sync.WaitGroup
	errs := make([]error, 3)
	wg.Go(func() { errs[0] = loadCurrent(ctx, db.URL, table) })
	for i, b := range []struct{ bin, pkg string }{{apiBin, "./functions/api"}, {floorBin, "./tools/bench/floor"}} {
		wg.Go(func() {
			// As make build builds the bootstrap (functions/api's tests do
			// the same, which shares the build cache).
			if _, err := output(ctx, root, []string{"CGO_ENABLED=0"}, "go", "build", "-tags", "lambda.norpc", "-trimpath",
				"-ldflags=-s -w", "-o", b.bin, b.pkg); err != nil {
				errs[1+i] = fmt.Errorf("building %s: %w", b.pkg, err)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	api, err := w.start(rie, "api", apiBin)
	if err != nil {
		return nil, err
	}
	// The API's answer to the repeated request, after a few warm-up
	// invocations (the first pays the function's first reads), is floor
	// (a)'s answer.
	repeated, err := apiEvent(warmRepeated)
	if err != nil {
		return nil, err
	}
	var captured []byte
	for range warmupRepeated {
		if captured, _, err = api.invoke(ctx, repeated); err != nil {
			return nil, err
		}
	}
	want, err := api.response(captured)
	if err != nil {
		return nil, err
	}
	if want.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the API answered %s with %d: %.300s", warmRepeated, want.StatusCode, want.Body)
	}
	respFile := filepath.Join(dir, "response.json")
	if err := os.WriteFile(respFile, captured, 0o644); err != nil {
		return nil, fmt.Errorf("writing the captured response: %w", err)
	}
	floorA, err := w.start(rie, "floor-response", floorBin, append([]string{"JCDD_FLOOR=response", "JCDD_FLOOR_RESPONSE=" + respFile}, floorGC...)...)
	if err != nil {
		return nil, err
	}
	floorB, err := w.start(rie, "floor-store", floorBin, append([]string{"JCDD_FLOOR=store"}, floorGC...)...)
	if err != nil {
		return nil, err
	}
	res := &warmResult{}

	// Floor (a) must answer what the API answers.
	raw, _, err := floorA.invoke(ctx, repeated)
	if err != nil {
		return nil, err
	}
	got, err := floorA.response(raw)
	if err != nil {
		return nil, err
	}
	if got.StatusCode != want.StatusCode || got.Body != want.Body || got.IsBase64Encoded != want.IsBase64Encoded {
		return nil, fmt.Errorf("floor (a) does not answer as the API: %d %.200s", got.StatusCode, got.Body)
	}
	fmt.Fprintf(progress, "bench: %d warm invocations of the API and floor (a), %s\n", n, warmRepeated)
	for i := range n {
		first, second := api, floorA
		if i%2 == 1 {
			first, second = floorA, api
		}
		for _, f := range []*function{first, second} {
			raw, ms, err := f.invoke(ctx, repeated)
			if err != nil {
				return nil, err
			}
			if f == api {
				if r, err := f.response(raw); err != nil || r.StatusCode != http.StatusOK {
					return nil, fmt.Errorf("the API answered %s with %d (%v)", warmRepeated, r.StatusCode, err)
				}
				res.repeatedAPI = append(res.repeatedAPI, ms)
			} else {
				res.repeatedFloor = append(res.repeatedFloor, ms)
			}
		}
	}

	// Varied requests: warm both up with requests outside the measured set
	// (from= before 2000), then measure.
	targets := variedTargets(n, 17)
	for i := range warmupVaried {
		ev, err := apiEvent(fmt.Sprintf("/v1/events?from=199%d-01-01&limit=%d", i, 30+i))
		if err != nil {
			return nil, err
		}
		for _, f := range []*function{api, floorB} {
			if _, _, err := f.invoke(ctx, ev); err != nil {
				return nil, err
			}
		}
	}
	fmt.Fprintf(progress, "bench: %d warm invocations of the API and floor (b), varied requests\n", n)
	for i, target := range targets {
		ev, err := apiEvent(target)
		if err != nil {
			return nil, err
		}
		first, second := api, floorB
		if i%2 == 1 {
			first, second = floorB, api
		}
		var apiItems, floorItems int
		for _, f := range []*function{first, second} {
			raw, ms, err := f.invoke(ctx, ev)
			if err != nil {
				return nil, err
			}
			r, err := f.response(raw)
			if err != nil {
				return nil, err
			}
			if r.StatusCode != http.StatusOK {
				return nil, fmt.Errorf("%s answered %s with %d: %.300s", f.name, target, r.StatusCode, r.Body)
			}
			if f == api {
				if apiItems, err = countItems(r); err != nil {
					return nil, fmt.Errorf("the API's answer to %s: %w", target, err)
				}
				res.variedAPI = append(res.variedAPI, ms)
			} else {
				if floorItems, err = strconv.Atoi(r.Headers[floorItemsHeader]); err != nil {
					return nil, fmt.Errorf("floor (b) did not say how many records it read: %v", r.Headers)
				}
				us, err := strconv.ParseFloat(r.Headers[floorReadHeader], 64)
				if err != nil {
					return nil, fmt.Errorf("floor (b) did not say how long it read: %v", r.Headers)
				}
				res.variedRead = append(res.variedRead, us/1000)
				res.variedFloor = append(res.variedFloor, ms)
			}
		}
		if apiItems != floorItems {
			return nil, fmt.Errorf("%s: the API answered %d events, floor (b) read %d", target, apiItems, floorItems)
		}
		if apiItems == 0 {
			res.variedEmpty++
		}
	}
	// What the emulators and the API logged, once every line is written.
	w.stop()
	if err := res.readLogs(api, floorA, floorB, n); err != nil {
		return nil, err
	}
	return res, nil
}

// Invocations before the measured ones: the API's warm-up (whose last
// answer floor (a) replays), floor (a)'s check, and the warm-up of the
// varied case.
const (
	warmupRepeated = 5
	checkFloor     = 1
	warmupVaried   = 3
)

// readLogs reads the in-function times of every invocation from the
// emulators' REPORT lines, and the API's handler times from its request
// log, and keeps those of the measured invocations.
func (res *warmResult) readLogs(api, floorA, floorB *function, n int) error {
	apiFn, err := reportDurations(api.log)
	if err != nil {
		return err
	}
	handler, err := requestDurations(api.log)
	if err != nil {
		return err
	}
	aFn, err := reportDurations(floorA.log)
	if err != nil {
		return err
	}
	bFn, err := reportDurations(floorB.log)
	if err != nil {
		return err
	}
	apiN := warmupRepeated + n + warmupVaried + n
	for _, c := range []struct {
		what      string
		got, want int
	}{{"REPORT lines of the API's emulator", len(apiFn), apiN}, {"requests in the API's log", len(handler), apiN},
		{"REPORT lines of floor (a)'s emulator", len(aFn), checkFloor + n}, {"REPORT lines of floor (b)'s emulator", len(bFn), warmupVaried + n}} {
		if c.got != c.want {
			return fmt.Errorf("%d %s, want %d (one per invocation)", c.got, c.what, c.want)
		}
	}
	res.repeatedAPIFn, res.variedAPIFn = apiFn[warmupRepeated:warmupRepeated+n], apiFn[apiN-n:]
	res.repeatedHandler, res.variedHandler = handler[warmupRepeated:warmupRepeated+n], handler[apiN-n:]
	res.repeatedFloorFn, res.variedFloorFn = aFn[checkFloor:], bFn[warmupVaried:]
	return nil
}

// reportLine is the emulator's report of one invocation; the first also
// carries the init duration.
var reportLine = regexp.MustCompile(`^REPORT RequestId: \S+\s+(?:Init Duration: [0-9.]+ ms\s+)?Duration: ([0-9.]+) ms`)

// reportDurations reads the Duration of every REPORT line of an emulator's
// output, in order, in ms.
func reportDurations(log string) ([]float64, error) {
	b, err := os.ReadFile(log)
	if err != nil {
		return nil, fmt.Errorf("reading the emulator's output: %w", err)
	}
	var ms []float64
	for _, line := range strings.Split(string(b), "\n") {
		if m := reportLine.FindStringSubmatch(line); m != nil {
			v, err := strconv.ParseFloat(m[1], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: %q: %w", log, line, err)
			}
			ms = append(ms, v)
		}
	}
	return ms, nil
}

// requestDurations reads the duration of every request the API logged
// (its JSON request lines, internal/api's logRequests), in order, in ms.
func requestDurations(log string) ([]float64, error) {
	b, err := os.ReadFile(log)
	if err != nil {
		return nil, fmt.Errorf("reading the API's output: %w", err)
	}
	var ms []float64
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var l struct {
			Msg      string `json:"msg"`
			Duration *int64 `json:"duration"` // ns: slog's JSON form of a time.Duration
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil || l.Msg != "request" {
			continue
		}
		if l.Duration == nil {
			return nil, fmt.Errorf("a request logged without its duration: %s", line)
		}
		ms = append(ms, float64(*l.Duration)/1e6)
	}
	return ms, nil
}

// countItems counts the items of a JSON list answer.
func countItems(r events.APIGatewayV2HTTPResponse) (int, error) {
	if r.IsBase64Encoded {
		return 0, fmt.Errorf("a base64-encoded body (%s)", r.Headers["Content-Type"])
	}
	var list struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal([]byte(r.Body), &list); err != nil {
		return 0, fmt.Errorf("decoding the list: %w", err)
	}
	return len(list.Items), nil
}

// start runs a bootstrap under its own emulator on a free loopback port.
func (w *warmBench) start(rie, name, bin string, env ...string) (*function, error) {
	port, err := localdb.FreePort()
	if err != nil {
		return nil, err
	}
	// The Runtime API, which the bootstrap polls, on a port of its own too:
	// its default, 127.0.0.1:9001, is one per machine.
	runtimePort, err := localdb.FreePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	log := filepath.Join(w.dir, name+".log")
	cmd, err := w.procs.start(log, append(slices.Clone(w.env), env...), rie, "--runtime-interface-emulator-address", addr,
		"--runtime-api-address", "127.0.0.1:"+strconv.Itoa(runtimePort), bin)
	if err != nil {
		return nil, err
	}
	w.started = append(w.started, cmd)
	if err := waitPort(port, 15*time.Second); err != nil {
		return nil, fmt.Errorf("%s under the emulator: %w\n%s", name, err, tail(log, 20))
	}
	return &function{
		name: name, log: log,
		url:    "http://" + addr + "/2015-03-31/functions/function/invocations",
		client: &http.Client{Timeout: warmTimeout, Transport: &http.Transport{MaxIdleConnsPerHost: 1}},
	}, nil
}

// loadCurrent creates a table in a local DynamoDB and loads into it the
// current release embedded in the binary (the newest; the API's answers
// measured here read nothing of older ones), as the loader does.
func loadCurrent(ctx context.Context, endpoint, table string) error {
	c, err := dynalite.Client(ctx, endpoint)
	if err != nil {
		return err
	}
	if err := dynamo.CreateTable(ctx, c, table); err != nil {
		return fmt.Errorf("creating table %s: %w", table, err)
	}
	rels, err := dataset.Releases()
	if err != nil {
		return fmt.Errorf("reading the embedded releases: %w", err)
	}
	if len(rels) == 0 {
		return errors.New("no release is embedded")
	}
	cur := rels[len(rels)-1]
	if _, err := (&publish.Loader{C: c, Table: table}).Load(ctx, cur, true); err != nil {
		return fmt.Errorf("loading release %s: %w", cur.Info.Version, err)
	}
	return nil
}

// percentile of values (p in 0..100), nearest rank.
func percentile(v []float64, p float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	i := int(p/100*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// rows are the table's lines for a warm measurement: p50 per invocation
// and the throughput ratio floor time / API time (higher is better), as the
// client sees it (the target) and in the function alone, with where the
// API's time goes.
func (res *warmResult) rows() []row {
	p50 := func(v []float64) float64 { return percentile(v, 50) }
	api, floor := p50(res.repeatedAPI), p50(res.repeatedFloor)
	rows := []row{{
		part: "lambda", kase: "warm, repeated", metric: "p50 ms per invocation (emulator)",
		value: fmt.Sprintf("%.2f", api), ref: fmt.Sprintf("bare handler, same response %.2f", floor),
		ratio: fmt.Sprintf("%.2f×", floor/api), target: "≥ 0.85×", met: yes(floor/api >= 0.85),
		note: fmt.Sprintf("GET %s, %d each, alternating; p90 %.2f vs %.2f", warmRepeated, len(res.repeatedAPI),
			percentile(res.repeatedAPI, 90), percentile(res.repeatedFloor, 90)),
	}}
	if len(res.repeatedAPIFn) > 0 {
		fn, fl := p50(res.repeatedAPIFn), p50(res.repeatedFloorFn)
		rows = append(rows, row{
			part: "lambda", kase: "warm, repeated", metric: "p50 ms in the function: API (its handler; adapter and runtime)",
			value: fmt.Sprintf("%.2f (%.2f; %.2f)", fn, p50(res.repeatedHandler), p50(diff(res.repeatedAPIFn, res.repeatedHandler))),
			ref:   fmt.Sprintf("bare handler %.2f", fl), ratio: fmt.Sprintf("%.2f×", fl/fn),
			note: fmt.Sprintf("the emulator's REPORT Duration and the API's request log; the emulator and its HTTP add %.2f to the API's invocations",
				p50(diff(res.repeatedAPI, res.repeatedAPIFn))),
		})
	}
	api, floor = p50(res.variedAPI), p50(res.variedFloor)
	rows = append(rows, row{
		part: "lambda", kase: "warm, varied", metric: "p50 ms per invocation (emulator)",
		value: fmt.Sprintf("%.2f", api), ref: fmt.Sprintf("bare handler, same store read %.2f", floor),
		ratio: fmt.Sprintf("%.2f×", floor/api), target: "≥ 0.7×", met: yes(floor/api >= 0.7),
		note: fmt.Sprintf("%d new queries each (from, limit 20-80, fields; %d empty pages), alternating; p90 %.2f vs %.2f",
			len(res.variedAPI), res.variedEmpty, percentile(res.variedAPI, 90), percentile(res.variedFloor, 90)),
	})
	if len(res.variedAPIFn) > 0 {
		fn, fl := p50(res.variedAPIFn), p50(res.variedFloorFn)
		read, handler := p50(res.variedRead), p50(res.variedHandler)
		rows = append(rows, row{
			part: "lambda", kase: "warm, varied", metric: "p50 ms in the function: API (its handler; adapter and runtime)",
			value: fmt.Sprintf("%.2f (%.2f; %.2f)", fn, handler, p50(diff(res.variedAPIFn, res.variedHandler))),
			ref:   fmt.Sprintf("bare handler %.2f (its store read %.2f)", fl, read), ratio: fmt.Sprintf("%.2f×", fl/fn),
			note: fmt.Sprintf("the API beyond the bare handler: %.2f; its handler (Huma, middleware, encoding) beyond the store's read: %.2f (differences of medians)",
				fn-fl, handler-read),
		})
	}
	return rows
}

// diff is a[i] - b[i] for each i.
func diff(a, b []float64) []float64 {
	d := make([]float64, min(len(a), len(b)))
	for i := range d {
		d[i] = a[i] - b[i]
	}
	return d
}
