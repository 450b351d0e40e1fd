package api

import (
	"net/http"
	"strings"
	"time"

	"caunoi"
)

// optDay reads the day of a body field, sent as a string (yyyy-mm-dd, or
// dd/mm/yyyy); left out, it is today in Vietnam. A day that cannot be read
// is a field error naming the field.
func optDay(v *caunoi.Validator, name, s string) caunoi.Date {
	if strings.TrimSpace(s) == "" {
		return caunoi.Date(caunoi.Today())
	}
	return caunoi.Date(bodyDay(v, name, s))
}

// queryOn reads ?on= as a day; today when absent.
func queryOn(v *caunoi.Validator, r *http.Request) time.Time {
	if d := queryDate(v, r.URL.Query(), "on"); d != nil {
		return *d
	}
	return caunoi.Today()
}

// FundDetail is a fund with its balance and its portfolio on a day.
type FundDetail struct {
	*caunoi.Fund
	Portfolio *caunoi.Portfolio `json:"portfolio"`
}

// ListFunds answers GET /api/v1/funds?org_id=&offset=&limit=: the funds
// the caller may read (those of its subtrees and of the organisations
// above them), by name, each with its balance.
func (a *API) ListFunds(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	funds, total, err := a.Funds.FindFunds(r.Context(), caunoi.FundFilter{OrgID: r.URL.Query().Get("org_id"), Page: p})
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(funds, total, p))
}

// CreateFundRequest is the body of POST /api/v1/funds. OpenedOn is a day
// (yyyy-mm-dd), today when left out.
type CreateFundRequest struct {
	ID          string `json:"id,omitempty"`
	OrgID       string `json:"org_id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	OpenedOn    string `json:"opened_on,omitempty"`
}

// CreateFund answers POST /api/v1/funds with 201 and the fund.
func (a *API) CreateFund(w http.ResponseWriter, r *http.Request) {
	var req CreateFundRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	f := &caunoi.Fund{ID: req.ID, OrgID: req.OrgID, Name: req.Name, Description: req.Description, OpenedOn: optDay(&v, "opened_on", req.OpenedOn)}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	if err := a.Funds.CreateFund(r.Context(), f); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, f)
}

// GetFund answers GET /api/v1/funds/{id}?on= with the fund, its balance
// and its portfolio on the day (today when left out).
func (a *API) GetFund(w http.ResponseWriter, r *http.Request) {
	var v caunoi.Validator
	on := queryOn(&v, r)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	f, err := a.Funds.FindFundByID(r.Context(), r.PathValue("id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	p, err := a.Loans.Portfolio(r.Context(), f.ID, on)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, FundDetail{Fund: f, Portfolio: p})
}

// ListEntries answers GET /api/v1/funds/{id}/entries?from=&to=&offset=&limit=:
// the fund's ledger, newest first; from and to are days, both included.
func (a *API) ListEntries(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	q := r.URL.Query()
	f := caunoi.EntryFilter{From: queryDate(&v, q, "from"), To: queryDate(&v, q, "to"), Page: p}
	if f.To != nil {
		next := f.To.AddDate(0, 0, 1)
		f.To = &next
	}
	queryRange(&v, f.From, f.To)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	entries, total, err := a.Funds.FindEntries(r.Context(), r.PathValue("id"), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(entries, total, p))
}

// RecordEntryRequest is the body of POST /api/v1/funds/{id}/entries:
// capital paid in (kind capital_in, with its source) or a transfer to
// another fund (kind transfer_out, with to_fund_id). On is a day, today
// when left out.
type RecordEntryRequest struct {
	ID       string `json:"id,omitempty"`
	Kind     string `json:"kind"`
	Amount   int64  `json:"amount"`
	On       string `json:"on,omitempty"`
	Source   string `json:"source,omitempty"`
	ToFundID string `json:"to_fund_id,omitempty"`
	Note     string `json:"note,omitempty"`
}

// RecordEntry answers POST /api/v1/funds/{id}/entries with 201 and the
// ledger entry written on the fund.
func (a *API) RecordEntry(w http.ResponseWriter, r *http.Request) {
	var req RecordEntryRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	in := &caunoi.FundEntry{ID: req.ID, FundID: r.PathValue("id"), Kind: req.Kind, Amount: req.Amount, On: optDay(&v, "on", req.On),
		Source: req.Source, ToFundID: req.ToFundID, Note: req.Note}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	e, err := a.Funds.RecordEntry(r.Context(), in)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, e)
}

// GetStatement answers GET /api/v1/funds/{id}/statement?from=&to=: the
// fund's ledger over the period (days, both included), oldest first, with
// the cash in hand before, after each entry and at the end.
func (a *API) GetStatement(w http.ResponseWriter, r *http.Request) {
	var v caunoi.Validator
	q := r.URL.Query()
	from, to := queryDate(&v, q, "from"), queryDate(&v, q, "to")
	if from != nil && to != nil {
		v.Check(!to.Before(*from), "to", "err.date.end_before_start", nil)
	}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	st, err := a.Funds.Statement(r.Context(), r.PathValue("id"), from, to)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, st)
}

// ListArrears answers GET /api/v1/funds/{id}/arrears?on=: the fund's loans
// in arrears on the day (today when left out) whose borrowers the caller
// may read, the longest overdue first.
func (a *API) ListArrears(w http.ResponseWriter, r *http.Request) {
	var v caunoi.Validator
	on := queryOn(&v, r)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	lines, err := a.Loans.Arrears(r.Context(), r.PathValue("id"), on)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	if lines == nil {
		lines = []caunoi.ArrearsLine{}
	}
	WriteJSON(w, http.StatusOK, ArrearsList{On: caunoi.Date(on), Items: lines})
}

// ArrearsList is the answer of GET /api/v1/funds/{id}/arrears.
type ArrearsList struct {
	On    caunoi.Date          `json:"on"`
	Items []caunoi.ArrearsLine `json:"items"`
}
