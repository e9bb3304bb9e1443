package export

import "strconv"

// BudgetTotal is one row of the budget summary (store.Summarize) as the API
// sends it and the summary table's CSV gives it.
type BudgetTotal struct {
	FiscalYear      int      `json:"fiscal_year" doc:"Fiscal year (for a plan, its first year)." example:"2022"`
	FiscalYearTo    int      `json:"fiscal_year_to,omitempty" doc:"Last fiscal year, for a multi-year plan." example:"2027"`
	Agency          string   `json:"agency" doc:"Actor id of the agency." example:"jp-mod"`
	Stage           string   `json:"stage" enum:"request,draft,initial,supplementary,plan,spending" doc:"Budget stage; stages are never added together." example:"initial"`
	CyberJPY        int64    `json:"cyber_jpy" doc:"Cyber budget in yen: the agency's reported cyber total, or else the sum of its cyber items (see cyber_basis)." example:"34200000000"`
	CyberBasis      string   `json:"cyber_basis" enum:"reported-total,sum-of-items" doc:"reported-total: a total a source gives; sum-of-items: the sum of the items in the dataset, which is only a lower bound." example:"reported-total"`
	AmountQualifier string   `json:"amount_qualifier" enum:"exact,about,at-least" doc:"about or at-least when any amount summed was stated that way." example:"exact"`
	DefenseJPY      int64    `json:"defense_jpy,omitempty" doc:"The agency's whole defense budget for the same year and stage, where the dataset has it." example:"5400500000000"`
	Lines           []string `json:"lines" doc:"Ids of the budget lines summed." example:"[\"mod-fy2022-initial\"]"`
}

// Summary is the CSV table of the budget summary.
var Summary = Table[BudgetTotal]{
	{Name: "fiscal_year", Field: "fiscal_year", Value: func(t *BudgetTotal) string { return strconv.Itoa(t.FiscalYear) }},
	{Name: "fiscal_year_to", Field: "fiscal_year_to", Value: func(t *BudgetTotal) string {
		if t.FiscalYearTo == 0 {
			return ""
		}
		return strconv.Itoa(t.FiscalYearTo)
	}},
	{Name: "agency", Field: "agency", Value: func(t *BudgetTotal) string { return t.Agency }},
	{Name: "stage", Field: "stage", Value: func(t *BudgetTotal) string { return t.Stage }},
	{Name: "cyber_jpy", Field: "cyber_jpy", Value: func(t *BudgetTotal) string { return strconv.FormatInt(t.CyberJPY, 10) }},
	{Name: "cyber_basis", Field: "cyber_basis", Value: func(t *BudgetTotal) string { return t.CyberBasis }},
	{Name: "amount_qualifier", Field: "amount_qualifier", Value: func(t *BudgetTotal) string { return t.AmountQualifier }},
	{Name: "defense_jpy", Field: "defense_jpy", Value: func(t *BudgetTotal) string {
		if t.DefenseJPY == 0 {
			return ""
		}
		return strconv.FormatInt(t.DefenseJPY, 10)
	}},
	{Name: "lines", Field: "lines", Value: func(t *BudgetTotal) string { return join(t.Lines) }},
}
