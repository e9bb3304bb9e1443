package main

import (
	"testing"

	"github.com/jcdd/jcdd/internal/store"
)

func TestEventQuery(t *testing.T) {
	q, keep, err := eventQuery("from=2020-09&limit=20&fields=title,occurred")
	if err != nil {
		t.Fatal(err)
	}
	if q.Page.Limit != 20 || !q.Page.DocsOnly || q.Status != store.StatusActive || q.Release != "" || q.Descending {
		t.Errorf("query %+v", q)
	}
	if q.Range == nil || q.Range.Start.Format("2006-01-02") != "2020-09-01" || q.Range.End.Format("2006-01-02") != "9999-12-31" {
		t.Errorf("range %+v, want 2020-09-01 to 9999-12-31 as the API", q.Range)
	}
	if len(keep) != 3 || !keep["id"] || !keep["title"] || !keep["occurred"] {
		t.Errorf("keep %v", keep)
	}
	q, keep, err = eventQuery("")
	if err != nil || q.Page.Limit != store.DefaultLimit || q.Range != nil || keep != nil {
		t.Errorf("no parameters: %+v, %v, %v", q, keep, err)
	}
	for _, bad := range []string{"limit=0", "limit=501", "limit=x", "from=2020-13", "%zz"} {
		if _, _, err := eventQuery(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
