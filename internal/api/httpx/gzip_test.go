package httpx

import "testing"

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"": false, "gzip": true, "GZIP": true, "deflate, gzip;q=0.5": true, "gzip;q=0": false,
		"*": true, "*;q=0": false, "gzip;q=0, *": false, "br": false, "x-gzip": true, "gzip;q=bad": false,
	} {
		if got := AcceptsGzip(header); got != want {
			t.Errorf("httpx.AcceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
