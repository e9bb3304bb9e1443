package jcdd

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// pages serves items in pages of size, with cursors "1", "2", …, and counts
// the calls.
type pages struct {
	items []int
	size  int
	calls int
	fail  int // fail on this call (0: never)
}

func (p *pages) fetch(_ context.Context, cursor *string) ([]int, *string, error) {
	p.calls++
	if p.calls == p.fail {
		return nil, nil, errors.New("503 Service Unavailable")
	}
	start := 0
	if cursor != nil {
		n, err := strconv.Atoi(*cursor)
		if err != nil {
			return nil, nil, err
		}
		start = n * p.size
	}
	end := min(start+p.size, len(p.items))
	var next *string
	if end < len(p.items) {
		s := strconv.Itoa(start/p.size + 1)
		next = &s
	}
	return p.items[start:end], next, nil
}

func collect(t *testing.T, seq func(func(int, error) bool)) ([]int, error) {
	t.Helper()
	var got []int
	for v, err := range seq {
		if err != nil {
			return got, err
		}
		got = append(got, v)
	}
	return got, nil
}

func TestAllFollowsEveryPage(t *testing.T) {
	for _, n := range []int{0, 1, 6, 7, 8, 50} {
		p := &pages{items: make([]int, n), size: 7}
		for i := range p.items {
			p.items[i] = i
		}
		got, err := collect(t, All(context.Background(), p.fetch))
		if err != nil {
			t.Fatalf("%d items: %v", n, err)
		}
		if !slices.Equal(got, p.items) {
			t.Errorf("%d items: got %v", n, got)
		}
		if want := max(1, (n+6)/7); p.calls != want {
			t.Errorf("%d items: %d requests, want %d", n, p.calls, want)
		}
	}
}

func TestAllStopsWhenTheLoopBreaks(t *testing.T) {
	p := &pages{items: make([]int, 30), size: 7}
	for range All(context.Background(), p.fetch) {
		break
	}
	if p.calls != 1 {
		t.Errorf("%d requests after breaking on the first item, want 1", p.calls)
	}
}

func TestAllYieldsTheErrorOnce(t *testing.T) {
	p := &pages{items: make([]int, 30), size: 7, fail: 3}
	got, err := collect(t, All(context.Background(), p.fetch))
	if err == nil || !strings.Contains(err.Error(), "page 3: 503") {
		t.Fatalf("err = %v, want the third page's error", err)
	}
	if len(got) != 14 {
		t.Errorf("%d items before the error, want the first two pages' 14", len(got))
	}
}

func TestAllRefusesARepeatedCursor(t *testing.T) {
	calls := 0
	loop := func(context.Context, *string) ([]int, *string, error) {
		calls++
		next := "same"
		return []int{calls}, &next, nil
	}
	_, err := collect(t, All(context.Background(), loop))
	if err == nil || !strings.Contains(err.Error(), "already followed") || calls != 2 {
		t.Fatalf("err = %v after %d requests; want a repeated-cursor error after 2", err, calls)
	}
}

func TestAllStopsOnACanceledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := &pages{items: make([]int, 30), size: 7}
	n := 0
	var last error
	for _, err := range All(ctx, p.fetch) {
		if err != nil {
			last = err
			break
		}
		if n++; n == 7 {
			cancel()
		}
	}
	if !errors.Is(last, context.Canceled) || p.calls != 1 {
		t.Errorf("err = %v after %d requests; want context.Canceled after 1", last, p.calls)
	}
}
