package jcdd

import (
	"errors"
	"testing"
)

type fakeResponse struct {
	code int
	ct   string
	body string
}

func (r fakeResponse) StatusCode() int     { return r.code }
func (r fakeResponse) ContentType() string { return r.ct }
func (r fakeResponse) GetBody() []byte     { return []byte(r.body) }

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name      string
		resp      fakeResponse
		wantErr   string // "" for no error
		wantTitle string
		wantLocs  int
	}{
		{"200", fakeResponse{200, "application/json", `{}`}, "", "", 0},
		{"304", fakeResponse{304, "", ""}, "", "", 0},
		{
			"404 problem", fakeResponse{404, "application/problem+json",
				`{"title":"Not Found","status":404,"detail":"no event with id \"x\"","errors":[{"message":"unknown id","location":"path.id","value":"x"}]}`},
			`jcdd: 404 Not Found: no event with id "x"; path.id: unknown id`, "Not Found", 1,
		},
		{
			"502 from a proxy", fakeResponse{502, "text/html; charset=utf-8", "<html>bad gateway</html>"},
			"jcdd: 502 Bad Gateway", "Bad Gateway", 0,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.resp)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("Check = %T %v, want *Problem", err, err)
			}
			if err.Error() != tc.wantErr {
				t.Errorf("Error() = %q, want %q", err.Error(), tc.wantErr)
			}
			if p.StatusCode != tc.resp.code || p.Title != tc.wantTitle || len(p.Errors) != tc.wantLocs {
				t.Errorf("problem = %+v", p)
			}
		})
	}
}
