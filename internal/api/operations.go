package api

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
)

// operations registers the API's operations with Huma when they are first
// needed rather than all at start.
//
// Registering an operation is most of what it costs to build the API: Huma
// reflects over its input and output types to build their schemas and
// validators (about 8 ms for all of them on a warm process, two to three
// times that in a fresh one). A Lambda function pays it in every cold
// start, yet a cold start serves one request, of one operation. So New
// only routes each operation's pattern to a stand-in; the first request of
// an operation registers it (well under a millisecond), and a request for
// the OpenAPI description registers them all, in the order New gave, so the
// description is the same whatever was asked first.
//
// operations is also the mux Huma's adapter registers into: HandleFunc
// receives the handler Huma built and puts it in its pattern's slot.
type operations struct {
	mux *http.ServeMux

	// mu serializes registrations, which change Huma's schema registry and
	// OpenAPI document, against requests, which read them (a parameter's
	// validation may resolve a schema in the registry). A request holds it
	// for reading until every operation is registered; from then on
	// nothing changes, and requests no longer take it.
	mu      sync.RWMutex
	done    atomic.Bool // every operation is registered and the document finished
	order   []string    // patterns, in the order New declared them
	pending map[string]func()
	slots   map[string]*atomic.Pointer[http.HandlerFunc] // read-only after New
}

func newOperations(mux *http.ServeMux) *operations {
	return &operations{mux: mux, pending: map[string]func(){}, slots: map[string]*atomic.Pointer[http.HandlerFunc]{}}
}

// declare routes pattern ("GET /v1/events") to a stand-in that runs
// register the first time, which must register exactly that pattern with
// Huma.
func (o *operations) declare(pattern string, register func()) {
	if _, dup := o.slots[pattern]; dup {
		panic("api: operation declared twice: " + pattern)
	}
	slot := new(atomic.Pointer[http.HandlerFunc])
	o.slots[pattern], o.pending[pattern] = slot, register
	o.order = append(o.order, pattern)
	o.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		h := slot.Load()
		if h == nil {
			o.register(pattern)
			h = slot.Load()
		}
		if !o.done.Load() {
			o.mu.RLock()
			defer o.mu.RUnlock()
		}
		(*h)(w, r)
	})
}

// register registers the operation of pattern, unless it already is.
func (o *operations) register(pattern string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.registerLocked(pattern)
}

func (o *operations) registerLocked(pattern string) {
	reg, ok := o.pending[pattern]
	if !ok {
		return
	}
	delete(o.pending, pattern)
	reg()
	if o.slots[pattern].Load() == nil {
		panic("api: registering " + pattern + " gave it no handler")
	}
}

// registerAll registers every operation still pending, in declared order,
// then runs finish once, all under the lock.
func (o *operations) registerAll(finish func()) {
	if o.done.Load() {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.done.Load() {
		return
	}
	for _, p := range o.order {
		o.registerLocked(p)
	}
	finish()
	o.done.Store(true)
}

// HandleFunc is called by Huma's adapter (humago) as an operation
// registers: the handler goes to the pattern's slot.
func (o *operations) HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request)) {
	slot, ok := o.slots[pattern]
	if !ok {
		panic(fmt.Sprintf("api: Huma registered %q, which was not declared", pattern))
	}
	h := http.HandlerFunc(handler)
	slot.Store(&h)
}

// ServeHTTP routes a request: operations through their stand-ins, and the
// rest of the mux (pages, the OpenAPI description) directly.
func (o *operations) ServeHTTP(w http.ResponseWriter, r *http.Request) { o.mux.ServeHTTP(w, r) }
