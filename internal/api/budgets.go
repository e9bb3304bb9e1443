package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// BudgetList is a page of budget lines.
type BudgetList struct {
	Items      []dataset.BudgetLine `json:"items" doc:"The budget lines of this page."`
	NextCursor string               `json:"next_cursor,omitempty" doc:"Cursor of the next page; absent on the last page."`
	Meta       ListMeta             `json:"meta" doc:"Release, licence, citation, and how many records match the filters."`
}

// BudgetTotal is one row of the budget summary, as the API sends it
// (export.BudgetTotal, which the release's build encodes once).
type BudgetTotal = export.BudgetTotal

// BudgetSummary is the budget summary.
type BudgetSummary struct {
	Items []BudgetTotal `json:"items" doc:"One row per agency, fiscal year (or plan period) and stage, by fiscal year."`
	Meta  Meta          `json:"meta" doc:"Release, licence and citation."`
}

// BudgetYears are the fiscal-year filters shared by budget lines and the
// summary.
type BudgetYears struct {
	FromYear int `query:"from_year" minimum:"1990" maximum:"2100" doc:"Only lines whose fiscal years reach this fiscal year or later." example:"2020"`
	ToYear   int `query:"to_year" minimum:"1990" maximum:"2100" doc:"Only lines that start in this fiscal year or earlier." example:"2027"`
}

// check checks that the range is in order.
func (y *BudgetYears) check() []error {
	if y.FromYear != 0 && y.ToYear != 0 && y.ToYear < y.FromYear {
		return []error{&huma.ErrorDetail{Message: "to_year is before from_year", Location: "query.to_year", Value: y.ToYear}}
	}
	return nil
}

// ListBudgetsInput is the input of listBudgetLines.
type ListBudgetsInput struct {
	ListParams
	BudgetFilters
}

// BudgetFilters are the filters of budget lines, shared by their facets.
type BudgetFilters struct {
	BudgetYears
	FiscalYear []int    `query:"fiscal_year,explode" minimum:"1990" maximum:"2100" doc:"Only lines for this fiscal year (a plan matches every year it spans); repeat to allow several." example:"[2022]"`
	Agency     []string `query:"agency,explode" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Only lines of this agency (actor id); repeat to allow several." example:"[\"jp-mod\"]"`
	Stage      []string `query:"stage,explode" enum:"request,draft,initial,supplementary,plan,spending" doc:"Only lines of this budget stage; repeat to allow several." example:"[\"initial\"]"`
	Category   []string `query:"category,explode" enum:"cyber-total,cyber-item,defense-total" doc:"Only lines of this category; repeat to allow several." example:"[\"cyber-total\"]"`
	Program    []string `query:"program,explode" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Only lines funding this program (program id); repeat to allow several." example:"[\"sdf-cyber-workforce\"]"`
}

// Resolve captures the request.
func (in *ListBudgetsInput) Resolve(ctx huma.Context) []error {
	in.req.capture(ctx)
	return in.check()
}

// query is the store query of the filters.
func (f *BudgetFilters) query(release string, status store.Status) store.BudgetQuery {
	return store.BudgetQuery{
		Release: release, FiscalYears: f.FiscalYear, FromYear: f.FromYear, ToYear: f.ToYear,
		Agencies: f.Agency, Stages: f.Stage, Categories: f.Category, Programs: f.Program, Status: status,
	}
}

// BudgetSummaryInput is the input of getBudgetSummary.
type BudgetSummaryInput struct {
	ReleaseParam
	ConditionalParam
	FormatParam
	BudgetYears
	Agency []string `query:"agency,explode" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Only rows of this agency (actor id); repeat to allow several." example:"[\"jp-mod\"]"`
	Stage  []string `query:"stage,explode" enum:"request,draft,initial,supplementary,plan,spending" doc:"Only rows of this stage; repeat to allow several." example:"[\"initial\"]"`
}

// Resolve captures the request.
func (in *BudgetSummaryInput) Resolve(ctx huma.Context) []error {
	in.req.capture(ctx)
	return in.check()
}

func (s *Server) registerBudgets(api huma.API) {
	register(api, s, huma.Operation{
		OperationID: "listBudgetLines",
		Method:      http.MethodGet,
		Path:        "/v1/budgets",
		Tags:        []string{"Budgets"},
		Summary:     "List budget lines",
		Description: "Amounts in Japan's budgets for cybersecurity, in integer yen, by fiscal year then id. Each line belongs to one stage (request, draft, initial, supplementary, plan or spending); never add lines of different stages.",
	}, listResponse[BudgetList]("A page of budget lines.", pageHeaders), []int{400, 406, 422}, func(ctx context.Context, in *ListBudgetsInput) (*Response, error) {
		lr, err := s.prepareList(ctx, &in.ListParams, budgetKind)
		if err != nil {
			return nil, err
		}
		q := in.query(lr.release, lr.status)
		q.Page = lr.page
		page, err := s.store.Budgets(ctx, q)
		if err != nil {
			return nil, s.listError(ctx, lr, err)
		}
		return finishList(s, lr, page, export.Budgets)
	})

	register(api, s, huma.Operation{
		OperationID: "getBudgetSummary",
		Method:      http.MethodGet,
		Path:        "/v1/budgets/summary",
		Tags:        []string{"Budgets"},
		Summary:     "Summarize the cyber budget",
		Description: "Cyber budget totals in integer yen by fiscal year, agency and stage. A request is never added to an initial budget. Where a source gives an agency's cyber total it is used as it is; otherwise the row sums the agency's cyber items and says so in cyber_basis.",
	}, listResponse[BudgetSummary]("The summary rows, in one piece (the summary is never paged).", summaryHeaders), []int{406, 422}, func(ctx context.Context, in *BudgetSummaryInput) (*Response, error) {
		f, err := negotiate(in.Format, in.req.accept)
		if err != nil {
			return nil, err
		}
		version, pinned := in.version()
		rows, rel, err := s.store.BudgetSummary(ctx, store.SummaryQuery{
			Release: version, FromYear: in.FromYear, ToYear: in.ToYear, Agencies: in.Agency, Stages: in.Stage,
		})
		if err != nil {
			return nil, s.storeError(ctx, err)
		}
		// The rows were encoded with their release (encode.Summary): the
		// answer only assembles them.
		docs := make([]store.Doc, len(rows))
		for i := range rows {
			docs[i] = rows[i].Doc
		}
		var header []byte
		if f == formatCSV || f == formatCSVExcel {
			_, header = csvColumns(export.Summary, nil)
		}
		body := encodeDocs(docs, store.Run{}, f, nil, nil, header, "", s.metaJSON(rel), nil, false)
		return okPieces(body, f, rel, pinned), nil
	})
}
