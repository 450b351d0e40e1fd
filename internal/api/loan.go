package api

import (
	"net/http"

	"caunoi"
)

// ListLoans answers GET
// /api/v1/loans?fund_id=&org_id=&client_id=&status=&offset=&limit=: loans
// of the caller's client.read scope, newest application first.
func (a *API) ListLoans(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.LoanFilter{FundID: q.Get("fund_id"), OrgID: q.Get("org_id"), ClientID: q.Get("client_id"),
		Status: queryChoice(&v, q, "status", caunoi.LoanStatuses), Page: p}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	loans, total, err := a.Loans.FindLoans(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(loans, total, p))
}

// ProposedInstallment is a day and the principal the member proposes to
// repay on it.
type ProposedInstallment struct {
	Due       string `json:"due"`
	Principal int64  `json:"principal"`
}

// ApplyLoanRequest is the body of POST /api/v1/loans. RateBP is the
// annual rate in basis points (600 is 6% a year); Frequency monthly (with
// TermMonths) or custom (with Proposed, which must sum to Amount).
// AppliedOn is a day, today when left out.
type ApplyLoanRequest struct {
	ID         string                `json:"id,omitempty"`
	FundID     string                `json:"fund_id"`
	ClientID   string                `json:"client_id"`
	Amount     int64                 `json:"amount"`
	Purpose    string                `json:"purpose"`
	TermMonths int                   `json:"term_months,omitempty"`
	Method     string                `json:"method"`
	Frequency  string                `json:"frequency,omitempty"`
	RateBP     int                   `json:"rate_bp,omitempty"`
	AppliedOn  string                `json:"applied_on,omitempty"`
	Proposed   []ProposedInstallment `json:"proposed,omitempty"`
}

// ApplyLoan answers POST /api/v1/loans with 201 and the application.
func (a *API) ApplyLoan(w http.ResponseWriter, r *http.Request) {
	var req ApplyLoanRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	l := &caunoi.Loan{ID: req.ID, FundID: req.FundID, ClientID: req.ClientID, Amount: req.Amount, Purpose: req.Purpose, TermMonths: req.TermMonths,
		Method: req.Method, Frequency: req.Frequency, RateBP: req.RateBP, AppliedOn: optDay(&v, "applied_on", req.AppliedOn)}
	for _, p := range req.Proposed {
		l.Proposed = append(l.Proposed, caunoi.Installment{Due: caunoi.Date(bodyDay(&v, "proposed", p.Due)), Principal: p.Principal})
	}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	if err := a.Loans.Apply(r.Context(), l); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, l)
}

// GetLoan answers GET /api/v1/loans/{id}?on= with the loan, its schedule,
// its repayments and where it stands on the day (today when left out).
// The read is audited.
func (a *API) GetLoan(w http.ResponseWriter, r *http.Request) {
	var v caunoi.Validator
	on := queryOn(&v, r)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	l, err := a.Loans.FindLoanByID(r.Context(), r.PathValue("id"), &on)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, l)
}

// AppraisalRequest is the body of POST /api/v1/loans/{id}/appraisal.
// Appraisers are user ids besides the caller.
type AppraisalRequest struct {
	Version        int      `json:"version"`
	On             string   `json:"on,omitempty"`
	Appraisers     []string `json:"appraisers,omitempty"`
	Notes          string   `json:"notes"`
	Recommendation string   `json:"recommendation"`
}

// AppraiseLoan answers POST /api/v1/loans/{id}/appraisal with the loan.
func (a *API) AppraiseLoan(w http.ResponseWriter, r *http.Request) {
	var req AppraisalRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	in := caunoi.AppraisalInput{Version: req.Version, On: optDay(&v, "on", req.On), Appraisers: req.Appraisers, Notes: req.Notes, Recommendation: req.Recommendation}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	l, err := a.Loans.Appraise(r.Context(), r.PathValue("id"), in)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, l)
}

// DecisionRequest is the body of POST /api/v1/loans/{id}/decision:
// decision approve or reject (a rejection needs a note).
type DecisionRequest struct {
	Version  int    `json:"version"`
	On       string `json:"on,omitempty"`
	Decision string `json:"decision"`
	Note     string `json:"note,omitempty"`
}

// DecideLoan answers POST /api/v1/loans/{id}/decision with the loan.
func (a *API) DecideLoan(w http.ResponseWriter, r *http.Request) {
	var req DecisionRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	in := caunoi.DecisionInput{Version: req.Version, On: optDay(&v, "on", req.On), Decision: req.Decision, Note: req.Note}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	l, err := a.Loans.Decide(r.Context(), r.PathValue("id"), in)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, l)
}

// DisbursementRequest is the body of POST /api/v1/loans/{id}/disbursement.
type DisbursementRequest struct {
	Version int    `json:"version"`
	On      string `json:"on,omitempty"`
	Note    string `json:"note,omitempty"`
}

// DisburseLoan answers POST /api/v1/loans/{id}/disbursement with the loan
// and its schedule.
func (a *API) DisburseLoan(w http.ResponseWriter, r *http.Request) {
	var req DisbursementRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	in := caunoi.DisbursementInput{Version: req.Version, On: optDay(&v, "on", req.On), Note: req.Note}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	l, err := a.Loans.Disburse(r.Context(), r.PathValue("id"), in)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, l)
}

// RepaymentRequest is the body of POST /api/v1/loans/{id}/repayments. ID
// is optional: a phone may send its own UUIDv7 so that a retry is
// recorded once.
type RepaymentRequest struct {
	ID     string `json:"id,omitempty"`
	PaidOn string `json:"paid_on,omitempty"`
	Amount int64  `json:"amount"`
	Note   string `json:"note,omitempty"`
}

// RepayLoan answers POST /api/v1/loans/{id}/repayments with 201 and the
// repayment, split into interest and principal.
func (a *API) RepayLoan(w http.ResponseWriter, r *http.Request) {
	var req RepaymentRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	in := caunoi.RepaymentInput{ID: req.ID, PaidOn: optDay(&v, "paid_on", req.PaidOn), Amount: req.Amount, Note: req.Note}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	rep, err := a.Loans.Repay(r.Context(), r.PathValue("id"), in)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, rep)
}

// WriteOffRequest is the body of POST /api/v1/loans/{id}/write-off.
type WriteOffRequest struct {
	Version int    `json:"version"`
	On      string `json:"on,omitempty"`
	Reason  string `json:"reason"`
}

// WriteOffLoan answers POST /api/v1/loans/{id}/write-off with the loan.
func (a *API) WriteOffLoan(w http.ResponseWriter, r *http.Request) {
	var req WriteOffRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	in := caunoi.WriteOffInput{Version: req.Version, On: optDay(&v, "on", req.On), Reason: req.Reason}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	l, err := a.Loans.WriteOff(r.Context(), r.PathValue("id"), in)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, l)
}

// ReverseRequest is the body of POST /api/v1/repayments/{id}/reverse.
type ReverseRequest struct {
	Reason string `json:"reason"`
}

// ReverseRepayment answers POST /api/v1/repayments/{id}/reverse with the
// loan: the repayment, entered by mistake, is undone and kept.
func (a *API) ReverseRepayment(w http.ResponseWriter, r *http.Request) {
	var req ReverseRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	l, err := a.Loans.ReverseRepayment(r.Context(), r.PathValue("id"), req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, l)
}
