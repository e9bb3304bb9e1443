package api

import (
	"fmt"
	"strings"
	"testing"
)

func TestCanonicalQuery(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"limit=5", "limit=5"},
		{"type=a&limit=5", "limit=5&type=a"},
		{"type=b&limit=5&type=a", "limit=5&type=b&type=a"}, // values keep their order
		{"q=a+b&fields=id", "fields=id&q=a+b"},             // values kept as sent
		{"b=1&a", "a&b=1"},
		{"type=a&ty%70e=b", "type=a&ty%70e=b"}, // an encoded name: kept as it is
		{"b=1&&a=2", "b=1&&a=2"},               // an empty parameter: kept as it is
		{"b=1;a=2&a=3", "a=3&b=1;a=2"},         // ';' is part of a value to Huma
		{"Limit=1&a=2", "Limit=1&a=2"},
	} {
		var b strings.Builder
		canonicalQuery(&b, c.in)
		if b.String() != c.want {
			t.Errorf("canonicalQuery(%q) = %q, want %q", c.in, b.String(), c.want)
		}
	}
}

func TestResponseCacheIsBounded(t *testing.T) {
	c := newResponseCache(10 << 10)
	body := make([]byte, 1000)
	for i := range 100 {
		c.put(newEntry(fmt.Sprint("k", i), "", &Response{Body: body, DatasetRelease: "1.0.0"}, "digest"))
		if i == 50 {
			c.get("k45") // recently used: kept over older ones
		}
		if c.size > c.max {
			t.Fatalf("after %d entries the cache holds %d bytes, more than its %d", i+1, c.size, c.max)
		}
	}
	if c.get("k99") == nil || c.get("k0") != nil {
		t.Error("the cache did not evict the least recently used entries")
	}
	if n := c.len(); n < 5 || n > 10 {
		t.Errorf("%d entries of about 1 KB in 10 KB", n)
	}
	c.put(newEntry("big", "", &Response{Body: make([]byte, maxCachedBody+1)}, "digest"))
	if c.get("big") != nil {
		t.Error("an answer bigger than maxCachedBody was kept")
	}
	if newResponseCache(-1) != nil {
		t.Error("a negative size should turn the cache off")
	}
}
