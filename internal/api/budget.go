package api

import (
	"net/http"
	"strconv"

	"caunoi"
)

// queryYear reads ?year= as a year; 0 when absent.
func queryYear(v *caunoi.Validator, r *http.Request) int {
	s := r.URL.Query().Get("year")
	if s == "" {
		return 0
	}
	y, err := strconv.Atoi(s)
	v.Check(err == nil && y >= 2000 && y <= 2100, "year", "err.budget.year", nil)
	return y
}

// ListNorms answers GET /api/v1/cost-norms?model=&activity=&year=&offset=&limit=:
// the live unit-cost norms that hold for the caller's organisations.
func (a *API) ListNorms(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.NormFilter{Model: queryChoice(&v, q, "model", caunoi.Models), Activity: queryChoice(&v, q, "activity", caunoi.CostActivities),
		Year: queryYear(&v, r), Page: p}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	norms, total, err := a.Budgets.FindNorms(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(norms, total, p))
}

// CreateNormRequest is the body of POST /api/v1/cost-norms. ValidFrom and
// ValidTo are days (yyyy-mm-dd); ValidTo may be left out.
type CreateNormRequest struct {
	ID          string       `json:"id,omitempty"`
	OrgID       string       `json:"org_id"`
	Model       caunoi.Model `json:"model"`
	Activity    string       `json:"activity"`
	Unit        string       `json:"unit"`
	MaxUnitCost int64        `json:"max_unit_cost"`
	MaxPerCase  int          `json:"max_per_case,omitempty"`
	ValidFrom   string       `json:"valid_from"`
	ValidTo     string       `json:"valid_to,omitempty"`
	Notes       string       `json:"notes,omitempty"`
}

// CreateNorm answers POST /api/v1/cost-norms with 201 and the norm.
func (a *API) CreateNorm(w http.ResponseWriter, r *http.Request) {
	var req CreateNormRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	n := &caunoi.CostNorm{ID: req.ID, OrgID: req.OrgID, Model: req.Model, Activity: req.Activity, Unit: req.Unit, MaxUnitCost: req.MaxUnitCost,
		MaxPerCase: req.MaxPerCase, ValidFrom: caunoi.Date(bodyDay(&v, "valid_from", req.ValidFrom)), Notes: req.Notes}
	if req.ValidTo != "" {
		to := bodyDay(&v, "valid_to", req.ValidTo)
		n.ValidTo = &to
	}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	if err := a.Budgets.CreateNorm(r.Context(), n); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, n)
}

// VoidNorm answers POST /api/v1/cost-norms/{id}/void with {version, reason}.
func (a *API) VoidNorm(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	n, err := a.Budgets.VoidNorm(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, n)
}

// ListPlans answers GET /api/v1/budget-plans?org_id=&model=&year=&offset=&limit=:
// live plans of the caller's budget.read scope, newest year first.
func (a *API) ListPlans(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.PlanFilter{OrgID: q.Get("org_id"), Model: queryChoice(&v, q, "model", caunoi.Models), Year: queryYear(&v, r), Page: p}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	plans, total, err := a.Budgets.FindPlans(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(plans, total, p))
}

// PlanLineRequest is a line of a plan: quantity units of an activity at a
// unit cost within its norm; cases when the norm bounds units per case.
type PlanLineRequest struct {
	ID       string `json:"id,omitempty"`
	Activity string `json:"activity"`
	Quantity int    `json:"quantity"`
	Cases    int    `json:"cases,omitempty"`
	UnitCost int64  `json:"unit_cost"`
	Notes    string `json:"notes,omitempty"`
}

func (l PlanLineRequest) line() caunoi.BudgetLine {
	return caunoi.BudgetLine{ID: l.ID, Activity: l.Activity, Quantity: l.Quantity, Cases: l.Cases, UnitCost: l.UnitCost, Notes: l.Notes}
}

// CreatePlanRequest is the body of POST /api/v1/budget-plans.
type CreatePlanRequest struct {
	ID     string            `json:"id,omitempty"`
	OrgID  string            `json:"org_id"`
	Model  caunoi.Model      `json:"model"`
	Year   int               `json:"year"`
	Title  string            `json:"title"`
	Source string            `json:"source"`
	Lines  []PlanLineRequest `json:"lines,omitempty"`
}

// CreatePlan answers POST /api/v1/budget-plans with 201 and the plan.
func (a *API) CreatePlan(w http.ResponseWriter, r *http.Request) {
	var req CreatePlanRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	p := &caunoi.BudgetPlan{ID: req.ID, OrgID: req.OrgID, Model: req.Model, Year: req.Year, Title: req.Title, Source: req.Source, Lines: []caunoi.BudgetLine{}}
	for _, l := range req.Lines {
		p.Lines = append(p.Lines, l.line())
	}
	if err := a.Budgets.CreatePlan(r.Context(), p); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, p)
}

// GetPlan answers GET /api/v1/budget-plans/{id} with the plan against what
// was spent, the people reached in its year and the cost per person.
func (a *API) GetPlan(w http.ResponseWriter, r *http.Request) {
	pa, err := a.Budgets.PlanActual(r.Context(), r.PathValue("id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, pa)
}

// AddLineRequest is the body of POST /api/v1/budget-plans/{id}/lines: the
// plan's version and the line.
type AddLineRequest struct {
	Version int `json:"version"`
	PlanLineRequest
}

// AddPlanLine answers POST /api/v1/budget-plans/{id}/lines with 201 and the
// plan.
func (a *API) AddPlanLine(w http.ResponseWriter, r *http.Request) {
	var req AddLineRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	l := req.line()
	p, err := a.Budgets.AddLine(r.Context(), r.PathValue("id"), req.Version, &l)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, p)
}

// ExpenditureRequest is the body of POST
// /api/v1/budget-plans/{id}/expenditures. SpentOn is a day, today when
// left out; beyond the line's amount, OverrideReason is needed.
type ExpenditureRequest struct {
	ID             string `json:"id,omitempty"`
	LineID         string `json:"line_id"`
	SpentOn        string `json:"spent_on,omitempty"`
	Amount         int64  `json:"amount"`
	Quantity       int    `json:"quantity,omitempty"`
	Description    string `json:"description"`
	OverrideReason string `json:"override_reason,omitempty"`
}

// RecordExpenditure answers POST /api/v1/budget-plans/{id}/expenditures
// with 201 and the expenditure.
func (a *API) RecordExpenditure(w http.ResponseWriter, r *http.Request) {
	var req ExpenditureRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	e := &caunoi.Expenditure{ID: req.ID, LineID: req.LineID, SpentOn: optDay(&v, "spent_on", req.SpentOn), Amount: req.Amount, Quantity: req.Quantity,
		Description: req.Description, OverrideReason: req.OverrideReason}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	out, err := a.Budgets.RecordExpenditure(r.Context(), r.PathValue("id"), e)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, out)
}

// VoidPlan answers POST /api/v1/budget-plans/{id}/void with {version, reason}.
func (a *API) VoidPlan(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	p, err := a.Budgets.VoidPlan(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, p)
}

// VoidExpenditure answers POST /api/v1/expenditures/{id}/void with
// {version, reason}.
func (a *API) VoidExpenditure(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	e, err := a.Budgets.VoidExpenditure(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, e)
}
