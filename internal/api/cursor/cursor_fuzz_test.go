package cursor

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/internal/store"
)

// FuzzCursorDecode feeds arbitrary strings to the cursor decoder: it must
// never panic, and it must accept only cursors it made for the same query.
func FuzzCursorDecode(f *testing.F) {
	c := Codec{key: []byte("fuzz-key")}
	fp := Fingerprint("/v1/events", []Param{{"type", "report"}})
	valid := c.Encode("1.0.0", fp, store.Position{Key: "2020-09-01", ID: "nsa-discovers-intrusion"}, nil)
	total := 12
	withTotal := c.Encode("1.0.0", fp, store.Position{Key: "2020-09-01", ID: "nsa-discovers-intrusion"}, &total)
	for _, s := range []string{valid, withTotal, "", ".", "abc.def", valid + "x", strings.Repeat("A", 2000), "eyJ2IjoxfQ.AAAA", valid[:len(valid)/2]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rel, pos, n, err := c.Decode(s, fp)
		if err != nil {
			return
		}
		// Only a cursor this codec signed decodes: re-encoding gives it back.
		if again := c.Encode(rel, fp, pos, n); again != s {
			t.Fatalf("accepted a cursor it did not make: %q (re-encodes as %q)", s, again)
		}
		if _, _, _, err := c.Decode(s, Fingerprint("/v1/actors", nil)); err == nil {
			t.Fatalf("cursor %q accepted for another query", s)
		}
	})
}

// FuzzFingerprint checks query normalisation: the fingerprint of a query
// does not depend on the order of its parameters or of repeated values, and
// ignores the parameters that may change while paging.
func FuzzFingerprint(f *testing.F) {
	f.Add("type=report&type=briefing&q=x", "limit=5")
	f.Add("from=2020&to=2021", "cursor=abc&fields=id")
	f.Add("q=%E9%98%B2", "format=csv")
	f.Fuzz(func(t *testing.T, query, paging string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		reversed := url.Values{}
		for k, vs := range q {
			for i := len(vs) - 1; i >= 0; i-- {
				reversed.Add(k, vs[i])
			}
		}
		a := Fingerprint("/v1/events", paramsOf(q))
		if b := Fingerprint("/v1/events", paramsOf(reversed)); a != b {
			t.Fatalf("order changes the fingerprint of %q", query)
		}
		p, err := url.ParseQuery(paging)
		if err != nil {
			return
		}
		withPaging := url.Values{}
		for k, vs := range q {
			withPaging[k] = vs
		}
		changed := false
		for k, vs := range p {
			for _, pp := range pagingParams {
				if k == pp {
					withPaging[k] = vs
					changed = true
				}
			}
		}
		if changed && Fingerprint("/v1/events", paramsOf(withPaging)) != Fingerprint("/v1/events", paramsOf(stripPaging(withPaging))) {
			t.Fatalf("paging parameters change the fingerprint: %q + %q", query, paging)
		}
	})
}

// paramsOf lists the parameters of a query in the order of the map: not
// sorted by name.
func paramsOf(v url.Values) []Param {
	var out []Param
	for k, vs := range v {
		for _, x := range vs {
			out = append(out, Param{k, x})
		}
	}
	return out
}

func stripPaging(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		keep := true
		for _, p := range pagingParams {
			if k == p {
				keep = false
			}
		}
		if keep {
			out[k] = vs
		}
	}
	return out
}

// FuzzCursorPayload: the payload of a cursor, written without reflection,
// is the JSON that json.Marshal makes of it, whatever its strings hold.
func FuzzCursorPayload(f *testing.F) {
	f.Add("1.0.0", "2020-09-01", "nsa-discovers-intrusion", 12)
	f.Add("1.2.0-dev", `a"b\c`, "<&>\u2028é\x01", -1)
	f.Add("1.0.0", "a<b", "c&d>", 3)
	f.Fuzz(func(t *testing.T, release, key, id string, n int) {
		c := Codec{key: []byte("fuzz-key")}
		var total *int
		if n >= 0 {
			total = &n
		}
		cursor := c.Encode(release, "fp", store.Position{Key: key, ID: id}, total)
		body, _, _ := strings.Cut(cursor, ".")
		got, err := base64.RawURLEncoding.DecodeString(body)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(cursorPayload{V: cursorVersion, R: release, Q: "fp", K: key, I: id, T: total})
		if string(got) != string(want) {
			t.Fatalf("payload %s, want %s", got, want)
		}
	})
}

// TestFingerprintIsStable: the fingerprint of a query is what it was when
// these were recorded, so that cursors issued before stay valid.
func TestFingerprintIsStable(t *testing.T) {
	for _, c := range []struct{ query, want string }{
		{"", "sgxIfZa4e4Jb"},
		{"format=csv", "sgxIfZa4e4Jb"},
		{"type=report&type=briefing&q=x&limit=5", "FT1FlRU1kFBS"},
		{"actor=us-nsa&from=2020&to=2024&sort=-occurred&cursor=abc", "BpqLboor2Edp"},
		{"q=%E9%98%B2&country=JP", "YzEItJBOGv-e"},
	} {
		q, err := url.ParseQuery(c.query)
		if err != nil {
			t.Fatal(err)
		}
		if got := Fingerprint("/v1/events", paramsOf(q)); got != c.want {
			t.Errorf("Fingerprint(%q) = %s, want %s", c.query, got, c.want)
		}
	}
}
