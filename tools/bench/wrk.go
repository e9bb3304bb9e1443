package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/testenv/localdb"
)

// httpCase is one request over loopback: the API's request, the file nginx
// serves with the same bytes, and json-server's closest equivalent.
type httpCase struct {
	name, api, file, jsonServer, note string
}

// httpCases are the in-process cases (internal/api/bench_test.go), over
// loopback. json-server has no cursor paging, no CSV, no filter on the
// actors of an event and no aggregation: its closest equivalents are a
// sorted, limited list, a full-text search (q) with a date bound, and the
// summary stored as a document.
var httpCases = []httpCase{
	{"events", "/v1/events", "events.json", "/events?_sort=occurred&_limit=50", ""},
	{"filtered", "/v1/events?actor=us-nsa&from=2020&to=2024&sort=-occurred", "filtered.json",
		"/events?q=us-nsa&occurred_gte=2020&occurred_lte=2024-12-31&_sort=occurred&_order=desc&_limit=50", "json-server: q= full-text search"},
	{"event", "/v1/events/nsa-discovers-intrusion", "event.json", "/events/nsa-discovers-intrusion", ""},
	{"summary", "/v1/budgets/summary", "summary.json", "/summary", "json-server: the summary stored as a document"},
	{"csv", "/v1/events?format=csv", "events.csv", "/events?_sort=occurred&_limit=50", "json-server: JSON (it has no CSV)"},
}

// wrkResult is what wrk measured.
type wrkResult struct {
	rps   float64
	p99ms float64
	non2  int
}

var (
	wrkRPS     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkP99     = regexp.MustCompile(`\n\s+99%\s+([0-9.]+)(us|ms|s)\b`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	wrkErrors  = regexp.MustCompile(`Socket errors: (.*)`)
	unitMillis = map[string]float64{"us": 0.001, "ms": 1, "s": 1000}
)

func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	m := wrkRPS.FindStringSubmatch(out)
	p := wrkP99.FindStringSubmatch(out)
	if m == nil || p == nil {
		return r, fmt.Errorf("unexpected wrk output:\n%s", out)
	}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	v, _ := strconv.ParseFloat(p[1], 64)
	r.p99ms = v * unitMillis[p[2]]
	if n := wrkNon2xx.FindStringSubmatch(out); n != nil {
		r.non2, _ = strconv.Atoi(n[1])
	}
	return r, nil
}

// runWrk loads one URL: one wrk thread (the other core is the server's) and
// 16 keep-alive connections. With a script, wrk sends the requests the
// script makes instead (see variedScript).
func runWrk(ctx context.Context, url string, d time.Duration, script ...string) (wrkResult, error) {
	args := []string{"-t1", "-c16", "-d" + d.String(), "--latency"}
	if len(script) > 0 {
		args = append(args, "-s", script[0])
	}
	out, err := output(ctx, "", nil, "wrk", append(args, url)...)
	if err != nil {
		return wrkResult{}, err
	}
	if e := wrkErrors.FindStringSubmatch(out); e != nil && !strings.Contains(e[1], "connect 0, read 0, write 0, timeout 0") {
		return wrkResult{}, fmt.Errorf("wrk %s: socket errors: %s", url, e[1])
	}
	return parseWrk(out)
}

// servers are the HTTP servers compared.
type servers struct {
	api, nginx, jsonServer string // base URLs
	// goStatic is a bare Go net/http server, in this process, that
	// writes the API's answers (headers and bytes) precomputed: the floor
	// of any Go server on this machine, which tells the cost of the API's
	// own work from that of net/http.
	goStatic string
}

// startServers starts the API as make run does (the embedded dataset in
// memory), nginx serving the API's answers as files, and json-server over
// the current release's events.
func (r *run) startServers(ctx context.Context) (*servers, error) {
	dir := filepath.Join(r.tmp, "http")
	www := filepath.Join(dir, "www")
	if err := os.MkdirAll(www, 0o755); err != nil {
		return nil, err
	}
	// nginx's workers run as nobody when started by root: they must be
	// able to read the files.
	for _, d := range []string{r.tmp, dir, www} {
		if err := os.Chmod(d, 0o755); err != nil {
			return nil, err
		}
	}
	s := &servers{}

	port, err := localdb.FreePort()
	if err != nil {
		return nil, err
	}
	if _, err := r.procs.start(filepath.Join(dir, "api.log"), nil, r.apiBin, "--port", strconv.Itoa(port)); err != nil {
		return nil, err
	}
	s.api = fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := waitHTTP(s.api+"/healthz", 30*time.Second); err != nil {
		return nil, fmt.Errorf("%w\n%s", err, tail(filepath.Join(dir, "api.log"), 20))
	}
	static := http.NewServeMux()
	for _, c := range httpCases {
		resp, err := http.Get(s.api + c.api)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: %d %v", c.api, resp.StatusCode, err)
		}
		if err := os.WriteFile(filepath.Join(www, c.file), body, 0o644); err != nil {
			return nil, err
		}
		header := resp.Header.Clone()
		for _, h := range []string{"Date", "Content-Length", "Transfer-Encoding"} {
			header.Del(h)
		}
		static.HandleFunc("GET /"+c.file, func(w http.ResponseWriter, _ *http.Request) {
			for k, v := range header {
				w.Header()[k] = v
			}
			_, _ = w.Write(body)
		})
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go func() { _ = http.Serve(ln, static) }()
	r.closers = append(r.closers, ln.Close)
	s.goStatic = "http://" + ln.Addr().String()

	port, err = localdb.FreePort()
	if err != nil {
		return nil, err
	}
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(nginxConf(dir, www, port)), 0o644); err != nil {
		return nil, err
	}
	if _, err := r.procs.start(filepath.Join(dir, "nginx.out"), nil, "nginx", "-p", dir, "-c", conf, "-g", "daemon off;"); err != nil {
		return nil, err
	}
	s.nginx = fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := waitHTTP(s.nginx+"/events.json", 10*time.Second); err != nil {
		return nil, fmt.Errorf("%w\n%s", err, tail(filepath.Join(dir, "error.log"), 20))
	}

	var summary struct {
		Items json.RawMessage `json:"items"`
	}
	b, err := os.ReadFile(filepath.Join(www, "summary.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &summary); err != nil {
		return nil, err
	}
	db, err := jsonServerDB(summary.Items)
	if err != nil {
		return nil, err
	}
	dbPath := filepath.Join(dir, "db.json")
	if err := os.WriteFile(dbPath, db, 0o644); err != nil {
		return nil, err
	}
	port, err = localdb.FreePort()
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(r.root, "tools", "node_modules", ".bin", "json-server")
	if _, err := r.procs.start(filepath.Join(dir, "json-server.log"), nil, bin, "--host", "127.0.0.1", "--port", strconv.Itoa(port), dbPath); err != nil {
		return nil, err
	}
	s.jsonServer = fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := waitHTTP(s.jsonServer+"/events/nsa-discovers-intrusion", 30*time.Second); err != nil {
		return nil, fmt.Errorf("%w\n%s", err, tail(filepath.Join(dir, "json-server.log"), 20))
	}
	return s, nil
}

// nginxConf serves www on a loopback port, as a static file server is
// usually set up: sendfile, keep-alive, an access log.
func nginxConf(dir, www string, port int) string {
	return fmt.Sprintf(`worker_processes auto;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 1024; }
http {
  access_log %[1]s/access.log;
  client_body_temp_path %[1]s/body;
  proxy_temp_path %[1]s/proxy;
  fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi;
  scgi_temp_path %[1]s/scgi;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { application/json json; text/csv csv; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:%[3]d;
    root %[2]s;
    location / { }
  }
}
`, dir, www, port)
}

// jsonServerDB is json-server's database: the current release's events
// and budget lines, and the API's budget summary as a document.
func jsonServerDB(summary json.RawMessage) ([]byte, error) {
	rels, err := dataset.Releases()
	if err != nil {
		return nil, err
	}
	cur := rels[len(rels)-1]
	return json.Marshal(map[string]any{dataset.Events.Name: cur.Events, dataset.Budgets.Name: cur.Budgets, "summary": summary})
}

// measureHTTP measures every case on the three servers, interleaved.
func (r *run) measureHTTP(ctx context.Context, s *servers) (map[string]map[string][]wrkResult, error) {
	res := map[string]map[string][]wrkResult{}
	for round := range r.rounds {
		for _, c := range httpCases {
			if res[c.name] == nil {
				res[c.name] = map[string][]wrkResult{}
			}
			for _, t := range []struct{ server, url string }{
				{"jcdd", s.api + c.api}, {"nginx", s.nginx + "/" + c.file}, {"go-static", s.goStatic + "/" + c.file},
				{"json-server", s.jsonServer + c.jsonServer},
			} {
				fmt.Fprintf(os.Stderr, "bench: wrk round %d/%d %s %s\n", round+1, r.rounds, c.name, t.server)
				w, err := runWrk(ctx, t.url, r.wrkDuration)
				if err != nil {
					return nil, err
				}
				if w.non2 > 0 {
					return nil, fmt.Errorf("%s: %d answers were not 2xx", t.url, w.non2)
				}
				res[c.name][t.server] = append(res[c.name][t.server], w)
			}
		}
	}
	return res, nil
}

// variedScript makes wrk ask for a different page of events with every
// request, as new users do: a random start date, a random page size of 20
// to 80 and a random field selection. Nearly every request is one the
// server has not answered before, so none is served from its response
// cache (the answers are many thousands, the cache is per process).
const variedScript = `
math.randomseed(os.time())
local fields = {"", "&fields=title", "&fields=title,occurred", "&fields=actors,tags,sources", "&fields=summary,confidence", "&format=csv", "&format=csv&fields=title"}
request = function()
  local path = string.format("/v1/events?from=%d-%02d-%02d&limit=%d%s",
    math.random(2000, 2025), math.random(1, 12), math.random(1, 28), math.random(20, 80), fields[math.random(#fields)])
  return wrk.format("GET", path)
end
`

// measureVaried loads the API with varied requests and with one repeated
// request, interleaved, in the same run.
func (r *run) measureVaried(ctx context.Context, s *servers) (varied, repeated []wrkResult, err error) {
	script := filepath.Join(r.tmp, "varied.lua")
	if err := os.WriteFile(script, []byte(variedScript), 0o644); err != nil {
		return nil, nil, err
	}
	for round := range r.rounds {
		fmt.Fprintf(os.Stderr, "bench: wrk round %d/%d varied and repeated requests\n", round+1, r.rounds)
		v, err := runWrk(ctx, s.api, r.wrkDuration, script)
		if err != nil {
			return nil, nil, err
		}
		rep, err := runWrk(ctx, s.api+"/v1/events?from=2020-09-01&limit=50", r.wrkDuration)
		if err != nil {
			return nil, nil, err
		}
		if v.non2 > 0 || rep.non2 > 0 {
			return nil, nil, fmt.Errorf("varied requests: %d and %d answers were not 2xx", v.non2, rep.non2)
		}
		varied, repeated = append(varied, v), append(repeated, rep)
	}
	return varied, repeated, nil
}
