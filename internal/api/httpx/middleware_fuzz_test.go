package httpx

import (
	"net/url"
	"testing"
)

// FuzzQueryError checks the scan of a raw query string against
// url.ParseQuery: queryError refuses exactly what it refuses, with its
// error.
func FuzzQueryError(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2", "a=%zz", "a;b", "a=%4", "a=%41%42", "%", "a=1%", "q=%E6%97%A5", "a=%g1", "a=+b", "a=&b=1", "a&b=1", "a=1&&b=2", "=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		_, want := url.ParseQuery(raw)
		got := queryError(raw)
		if (got == nil) != (want == nil) || (got != nil && got.Error() != want.Error()) {
			t.Fatalf("queryError(%q) = %v, url.ParseQuery gives %v", raw, got, want)
		}
	})
}
