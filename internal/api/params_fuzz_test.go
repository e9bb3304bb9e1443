package api

import (
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/internal/api/cursor"
)

// FuzzNextLink: the Link header names the request's query with the cursor
// set, encoded as url.Values encodes it.
func FuzzNextLink(f *testing.F) {
	f.Add("", "abc.def")
	f.Add("type=b&type=a&q=a+b%26c&cursor=old&limit=5", "eyJ2IjoxfQ.c2ln")
	f.Add("%C3%A9=1&z=&a=%2F", "x")
	f.Fuzz(func(t *testing.T, raw, cursor string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		want := url.Values{}
		for k, vs := range q {
			want[k] = vs
		}
		want.Set("cursor", cursor)
		if got, w := nextLink("/v1/events", parseQuery(raw, nil), cursor), `</v1/events?`+want.Encode()+`>; rel="next"`; got != w {
			t.Fatalf("nextLink(%q) = %s, want %s", raw, got, w)
		}
	})
}

// FuzzParseQuery: parseQuery finds what url.ParseQuery finds, sorted by
// name, the values of a name in their order.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "format=csv", "type=b&limit=5&type=a", "q=a+b%26c&a=%2F", "b=1;a=2&a=3", "a=%zz&b", "&&=x&", strings.Repeat("a=1&", maxParsedParams+1)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := parseQuery(raw, nil)
		values, _ := url.ParseQuery(raw)
		var want []cursor.Param
		for _, name := range slices.Sorted(maps.Keys(values)) {
			for _, v := range values[name] {
				want = append(want, cursor.Param{Name: name, Value: v})
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("parseQuery(%q) = %q, want %q", raw, got, want)
		}
	})
}

// FuzzHasEmptyValue checks the scan for empty values against
// url.ParseQuery: a well-formed query that hasEmptyValue passes has no
// empty value.
func FuzzHasEmptyValue(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2", "a=%41%42", "q=%E6%97%A5", "a=+b", "a=&b=1", "a&b=1", "a=1&&b=2", "=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		values, err := url.ParseQuery(raw)
		if err != nil || hasEmptyValue(raw) {
			return
		}
		for name, vs := range values {
			for _, v := range vs {
				if v == "" {
					t.Fatalf("hasEmptyValue(%q) is false, but %s has an empty value", raw, name)
				}
			}
		}
	})
}
