// Package faultproxy is an HTTP proxy, for tests, that sits between a
// DynamoDB client and a local DynamoDB and fails on demand: it refuses
// connections, answers slowly, throttles, returns server errors, or cuts
// responses short. Clearing the fault lets traffic through again.
package faultproxy

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Fault is what the proxy does to each request.
type Fault int

// Faults.
const (
	None     Fault = iota
	Refuse         // no listener: connections are refused
	Slow           // forward after Delay
	Throttle       // answer DynamoDB's ProvisionedThroughputExceededException
	Error500       // answer DynamoDB's InternalServerError with status 500
	Truncate       // forward, but cut the response body short and drop the connection
)

func (f Fault) String() string {
	return [...]string{"none", "refused", "slow", "throttled", "500", "truncated"}[f]
}

// Proxy forwards to a target and injects the current fault.
type Proxy struct {
	// URL is the proxy's address, to give the client as its endpoint.
	URL string
	// Requests counts the requests that reached the proxy.
	Requests atomic.Int64

	target string
	addr   string
	mu     sync.Mutex
	fault  Fault
	delay  time.Duration
	ln     net.Listener
	srv    *http.Server
	client *http.Client
	done   chan struct{}  // closed by Close: slow handlers stop waiting
	active sync.WaitGroup // handlers running
}

// Start listens on a free loopback port and forwards to target.
func Start(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{target: target, addr: ln.Addr().String(), URL: "http://" + ln.Addr().String(),
		client: &http.Client{Transport: &http.Transport{}}, done: make(chan struct{})}
	p.serve(ln)
	return p, nil
}

func (p *Proxy) serve(ln net.Listener) {
	p.ln = ln
	p.srv = &http.Server{Handler: http.HandlerFunc(p.handle), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = p.srv.Serve(ln) }() // returns http.ErrServerClosed once Close stops it
}

// Set changes the fault; delay is used by Slow. Refuse closes the listener,
// and any other fault opens it again on the same address.
func (p *Proxy) Set(f Fault, delay time.Duration) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if f == Refuse && p.ln != nil {
		_ = p.srv.Close() // only the listener's close can fail: nothing to do about it
		p.ln = nil
	}
	if f != Refuse && p.ln == nil {
		ln, err := net.Listen("tcp", p.addr)
		if err != nil {
			return fmt.Errorf("listening again on %s: %w", p.addr, err)
		}
		p.serve(ln)
	}
	p.fault, p.delay = f, delay
	return nil
}

// Close stops the proxy and waits until no handler is left running, so
// that a test can check that nothing leaks.
func (p *Proxy) Close() {
	p.mu.Lock()
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	if p.ln != nil {
		_ = p.srv.Close() // only the listener's close can fail: nothing to do about it
		p.ln = nil
	}
	p.mu.Unlock()
	p.active.Wait()
	p.client.CloseIdleConnections()
}

func (p *Proxy) current() (Fault, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fault, p.delay
}

func dynamoError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"__type":"com.amazonaws.dynamodb.v20120810#%s","message":%q}`, typ, msg)
}

func (p *Proxy) handle(w http.ResponseWriter, r *http.Request) {
	p.active.Add(1)
	defer p.active.Done()
	p.Requests.Add(1)
	fault, delay := p.current()
	switch fault {
	case Throttle:
		dynamoError(w, http.StatusBadRequest, "ProvisionedThroughputExceededException", "The level of configured provisioned throughput for the table was exceeded.")
		return
	case Error500:
		dynamoError(w, http.StatusInternalServerError, "InternalServerError", "Internal server error")
		return
	case Slow:
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		case <-p.done:
			return
		}
	}
	body, _ := io.ReadAll(r.Body)
	out, err := http.NewRequestWithContext(r.Context(), r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out.Header = r.Header.Clone()
	resp, err := p.client.Do(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if fault == Truncate && len(data) > 2 {
		// Promise the whole body, send half, and drop the connection.
		w.Header().Set("Content-Length", fmt.Sprint(len(data)))
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(data[:len(data)/2]) // the client is being cut off anyway
		_ = http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler) // net/http drops the connection mid-body
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(data) // a client that went away is the test's to notice
}
