package memory_test

import (
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/memory"
	"github.com/jcdd/jcdd/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, current string, releases ...*dataset.Release) store.Store {
		s, err := memory.New(current, releases...)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestNewRejects(t *testing.T) {
	v1, _ := storetest.Fixture(t)
	if _, err := memory.New(""); err == nil {
		t.Error("no releases accepted")
	}
	if _, err := memory.New("", v1, v1); err == nil {
		t.Error("duplicate release accepted")
	}
	if _, err := memory.New("2.0.0", v1); err == nil {
		t.Error("unknown current release accepted")
	}
}

func TestCompareVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1.0.0", "1.0.0", 0}, {"1.10.0", "1.9.0", 1}, {"1.0.0", "1.1.0", -1}, {"2.0.0", "10.0.0", -1},
	} {
		if got := dataset.CompareVersions(tc.a, tc.b); (got > 0) != (tc.want > 0) || (got < 0) != (tc.want < 0) {
			t.Errorf("CompareVersions(%s, %s) = %d, want sign of %d", tc.a, tc.b, got, tc.want)
		}
	}
}
