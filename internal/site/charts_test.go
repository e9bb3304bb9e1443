package site

import (
	"testing"

	"github.com/jcdd/jcdd/internal/store"
)

func TestYenFormats(t *testing.T) {
	for _, c := range []struct {
		jpy           int64
		billions, oku string
	}{
		{34_200_000_000, "34.2", "342億円"},
		{2_617_000_000, "2.617", "26.17億円"},
		{1_000_000_000_000, "1,000", "1兆円"},
		{1_234_500_000_000, "1,234.5", "1兆2,345億円"},
		{212_860_000_000, "212.86", "2,128.6億円"},
		{5_000_000, "0.005", "0.05億円"},
		{999_999_999, "1", "10億円"},
		{0, "0", "0億円"},
	} {
		if got := formatScaled(c.jpy, 1e9, 3); got != c.billions {
			t.Errorf("formatScaled(%d) = %s, want %s", c.jpy, got, c.billions)
		}
		if got := formatOku(c.jpy); got != c.oku {
			t.Errorf("formatOku(%d) = %s, want %s", c.jpy, got, c.oku)
		}
	}
}

func TestNiceScale(t *testing.T) {
	for _, c := range []struct{ peak, step, top int64 }{
		{265_000_000_000, 100_000_000_000, 300_000_000_000},
		{212_860_000_000, 50_000_000_000, 250_000_000_000},
		{28_400_000_000, 10_000_000_000, 30_000_000_000},
		{6_789_000_000, 2_000_000_000, 8_000_000_000},
		{0, 1_000_000_000, 1_000_000_000},
	} {
		step, top := niceScale(c.peak)
		if step != c.step || top != c.top || top/step > 5 {
			t.Errorf("niceScale(%d) = %d, %d; want %d, %d", c.peak, step, top, c.step, c.top)
		}
	}
}

func TestPlanPerYear(t *testing.T) {
	plan := store.BudgetTotal{FiscalYear: 2023, FiscalYearTo: 2027, Stage: "plan", CyberJPY: 1_000_000_000_000, CyberBasis: "reported-total", Qualifier: "about"}
	if got := perYear(plan); got != 200_000_000_000 {
		t.Errorf("perYear = %d", got)
	}
	if got := barTitle(plan, agencyName{EN: "Ministry of Defense", JA: "防衛省"}, wordsEN); got !=
		"FY2023–FY2027 multi-year plan — Ministry of Defense (防衛省): about ¥1,000 billion (1兆円) in total, ≈ ¥200 billion a year on average; total reported by a source" {
		t.Errorf("barTitle = %s", got)
	}
}
