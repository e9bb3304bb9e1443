package store

import (
	"cmp"
	"slices"

	"github.com/jcdd/jcdd/dataset"
)

// Summarize computes the budget summary of a release: one row per agency,
// fiscal year (or plan period) and stage, never adding different stages
// together. It runs once per release, when a store indexes or loads it.
//
// A row's cyber amount is the agency's cyber-total line when the dataset has
// one; otherwise it is the sum of the agency's cyber items that are not part
// of another line, and CyberBasis says so, because such a sum is only a lower
// bound. Lines without a yen amount (a dollar figure only) and withdrawn
// lines are left out.
func Summarize(lines []dataset.BudgetLine) []BudgetTotal {
	type key struct {
		fy, fyTo      int
		agency, stage string
	}
	rows := map[key]*BudgetTotal{}
	totals := map[key]bool{}
	row := func(b *dataset.BudgetLine) *BudgetTotal {
		k := key{b.FiscalYear, b.FiscalYearTo, b.Agency, b.Stage}
		r := rows[k]
		if r == nil {
			r = &BudgetTotal{FiscalYear: b.FiscalYear, FiscalYearTo: b.FiscalYearTo, Agency: b.Agency, Stage: b.Stage, Qualifier: "exact"}
			rows[k] = r
		}
		return r
	}
	qualify := func(r *BudgetTotal, b *dataset.BudgetLine) {
		if b.AmountQualifier != "" && b.AmountQualifier != "exact" {
			r.Qualifier = b.AmountQualifier
		}
	}
	// Totals first, so that items of a year with a reported total are
	// recognised as already counted.
	for i := range lines {
		b := &lines[i]
		if b.Withdrawn() || b.AmountJPY == 0 {
			continue
		}
		switch b.Category {
		case "cyber-total":
			r := row(b)
			r.CyberJPY, r.CyberBasis = b.AmountJPY, "reported-total"
			r.Lines = append(r.Lines, b.ID)
			qualify(r, b)
			totals[key{b.FiscalYear, b.FiscalYearTo, b.Agency, b.Stage}] = true
		case "defense-total":
			row(b).DefenseJPY = b.AmountJPY
		}
	}
	for i := range lines {
		b := &lines[i]
		if b.Withdrawn() || b.AmountJPY == 0 || b.Category != "cyber-item" || b.PartOf != "" {
			continue
		}
		if totals[key{b.FiscalYear, b.FiscalYearTo, b.Agency, b.Stage}] {
			continue
		}
		r := row(b)
		r.CyberJPY += b.AmountJPY
		r.CyberBasis = "sum-of-items"
		r.Lines = append(r.Lines, b.ID)
		qualify(r, b)
	}
	out := make([]BudgetTotal, 0, len(rows))
	for _, r := range rows {
		if r.CyberBasis == "" {
			continue // a defense total with no cyber figure beside it
		}
		slices.Sort(r.Lines)
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b BudgetTotal) int {
		return cmp.Or(
			cmp.Compare(a.FiscalYear, b.FiscalYear),
			cmp.Compare(a.FiscalYearTo, b.FiscalYearTo),
			cmp.Compare(a.Agency, b.Agency),
			cmp.Compare(stageOrder(a.Stage), stageOrder(b.Stage)),
		)
	})
	return out
}

// stageOrder puts stages in the order a budget goes through them.
func stageOrder(stage string) int {
	switch stage {
	case "request":
		return 0
	case "draft":
		return 1
	case "initial":
		return 2
	case "supplementary":
		return 3
	case "spending":
		return 4
	default: // plan
		return 5
	}
}
