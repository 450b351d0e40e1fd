package caunoi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// How a loan's interest is counted.
const (
	MethodFlat         = "flat"          // lãi cố định: on the whole principal for the whole term
	MethodDeclining    = "declining"     // dư nợ giảm dần: on the principal still owed
	MethodInterestFree = "interest_free" // vay không lãi: charity loans
)

// LoanMethods lists the ways of counting interest.
var LoanMethods = []string{MethodFlat, MethodDeclining, MethodInterestFree}

// How often a loan is repaid.
const (
	FrequencyMonthly = "monthly" // one installment a month from disbursement
	FrequencyCustom  = "custom"  // the days and principal the member proposed
)

// LoanFrequencies lists the repayment frequencies.
var LoanFrequencies = []string{FrequencyMonthly, FrequencyCustom}

// Statuses of a loan, in the order a loan passes through them.
const (
	LoanApplied    = "applied"     // the member applied
	LoanAppraised  = "appraised"   // the club appraised it
	LoanApproved   = "approved"    // the authorised role approved it
	LoanRejected   = "rejected"    // … or rejected it
	LoanActive     = "active"      // disbursed, being repaid
	LoanMatured    = "matured"     // repaid in full
	LoanWrittenOff = "written_off" // given up
)

// LoanStatuses lists the statuses of a loan.
var LoanStatuses = []string{LoanApplied, LoanAppraised, LoanApproved, LoanRejected, LoanActive, LoanMatured, LoanWrittenOff}

// Recommendations an appraisal may make.
var Recommendations = []string{"approve", "reject"}

// Bounds of a loan's terms.
const (
	MaxTermMonths   = 120
	MaxInstallments = 240
	// MaxRateBP is the highest annual interest rate, in basis points
	// (hundredths of a percent): 36% a year.
	MaxRateBP = 3600
)

// Installment is one line of a repayment schedule: what falls due on a
// day. A proposed custom schedule gives Due and Principal; the interest is
// counted when the loan is disbursed.
type Installment struct {
	No        int   `json:"no"`
	Due       Date  `json:"due"`
	Principal int64 `json:"principal"`
	Interest  int64 `json:"interest"`
}

// Total is what falls due on the installment's day.
func (i Installment) Total() int64 { return i.Principal + i.Interest }

// Appraisal is the club's appraisal of an application: who appraised it,
// their notes and their recommendation.
type Appraisal struct {
	On             Date     `json:"on"`
	Appraisers     []string `json:"appraisers"` // user ids; the one who records it is always among them
	AppraiserNames []string `json:"appraiser_names,omitempty"`
	Notes          string   `json:"notes"`
	Recommendation string   `json:"recommendation"`
	RecordedBy     string   `json:"recorded_by,omitempty"`
}

// Decision is the approval or rejection of an appraised application.
type Decision struct {
	On       Date   `json:"on"`
	Approved bool   `json:"approved"`
	Note     string `json:"note,omitempty"`
	By       string `json:"by,omitempty"`
	ByName   string `json:"by_name,omitempty"`
}

// Repayment is money a borrower paid back on a day, split by the schedule
// into interest and principal (interest first, oldest installment first).
type Repayment struct {
	ID         string    `json:"id"`
	LoanID     string    `json:"loan_id"`
	PaidOn     Date      `json:"paid_on"`
	Amount     int64     `json:"amount"`
	Principal  int64     `json:"principal"`
	Interest   int64     `json:"interest"`
	Note       string    `json:"note,omitempty"`
	RecordedBy string    `json:"recorded_by,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
	// Reversal, when set, says the repayment was entered by mistake and
	// undone: it no longer counts.
	Reversal *Reversal `json:"reversal,omitempty"`
}

// Reversal is the undoing of a repayment entered by mistake.
type Reversal struct {
	Reason string    `json:"reason"`
	By     string    `json:"by,omitempty"`
	At     time.Time `json:"at"`
}

// Loan is a member's loan from a fund, from the application to maturity.
// Loans are client-level records: scoped by client.read on the borrower's
// organisation.
type Loan struct {
	ID             string `json:"id"`
	FundID         string `json:"fund_id"`
	FundName       string `json:"fund_name,omitempty"`
	OrgID          string `json:"org_id"` // the borrower's group
	OrgPath        string `json:"-"`
	OrgName        string `json:"org_name,omitempty"`
	ClientID       string `json:"client_id"`
	ClientNickname string `json:"client_nickname,omitempty"`
	Amount         int64  `json:"amount"`
	Purpose        string `json:"purpose"`
	TermMonths     int    `json:"term_months"`
	Method         string `json:"method"`
	Frequency      string `json:"frequency"`
	RateBP         int    `json:"rate_bp"` // annual interest, basis points: 600 is 6% a year
	// Proposed is the member's own schedule (custom frequency): days and
	// principal, summing to Amount.
	Proposed      []Installment `json:"proposed,omitempty"`
	AppliedOn     Date          `json:"applied_on"`
	AppliedBy     string        `json:"applied_by,omitempty"`
	AppliedByName string        `json:"applied_by_name,omitempty"`
	Status        string        `json:"status"`
	Appraisal     *Appraisal    `json:"appraisal,omitempty"`
	Decision      *Decision     `json:"decision,omitempty"`
	DisbursedOn   *Date         `json:"disbursed_on,omitempty"`
	DisbursedBy   string        `json:"disbursed_by,omitempty"`
	ClosedOn      *Date         `json:"closed_on,omitempty"` // matured or written off
	WriteOff      string        `json:"write_off_reason,omitempty"`
	// Schedule is fixed when the loan is disbursed.
	Schedule   []Installment `json:"schedule,omitempty"`
	Repayments []Repayment   `json:"repayments,omitempty"`
	// Repaid and PrincipalRepaid sum the repayments still standing (those
	// undone do not count); WrittenOff is the principal given up. Filled on
	// every read.
	Repaid          int64 `json:"repaid"`
	PrincipalRepaid int64 `json:"principal_repaid"`
	InterestRepaid  int64 `json:"interest_repaid"`
	WrittenOff      int64 `json:"written_off"`
	// Position is the loan's standing on a day (today, unless asked).
	Position  *LoanPosition `json:"position,omitempty"`
	Version   int           `json:"version"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// Validate checks an application's own fields.
func (l *Loan) Validate(now time.Time) error {
	var v Validator
	checkID(&l.ID, &v)
	l.Purpose = strings.TrimSpace(l.Purpose)
	v.Check(l.FundID != "", "fund_id", "err.field.required", nil)
	v.Check(l.ClientID != "", "client_id", "err.field.required", nil)
	checkAmount(&v, "amount", l.Amount)
	v.Check(l.Purpose != "" && len([]rune(l.Purpose)) <= 500, "purpose", "err.field.required_short", map[string]any{"Max": 500})
	checkDay(&v, "applied_on", time.Time(l.AppliedOn), now)
	v.Check(slices.Contains(LoanMethods, l.Method), "method", "err.field.choice", nil)
	if l.Method == MethodInterestFree {
		l.RateBP = 0
	}
	v.Check(l.RateBP >= 0 && l.RateBP <= MaxRateBP, "rate_bp", "err.loan.rate", map[string]any{"Max": MaxRateBP / 100})
	v.Check(l.Method == MethodInterestFree || l.RateBP > 0, "rate_bp", "err.loan.rate_required", nil)
	if l.Frequency == "" {
		l.Frequency = FrequencyMonthly
	}
	v.Check(slices.Contains(LoanFrequencies, l.Frequency), "frequency", "err.field.choice", nil)
	switch l.Frequency {
	case FrequencyMonthly:
		v.Check(l.TermMonths >= 1 && l.TermMonths <= MaxTermMonths, "term_months", "err.loan.term", map[string]any{"Max": MaxTermMonths})
		l.Proposed = nil
	case FrequencyCustom:
		checkProposed(&v, l, time.Time(l.AppliedOn))
	}
	return v.Err()
}

// checkProposed checks a member's own schedule: days in order after the
// application, no more than MaxTermMonths after it, each with principal,
// summing exactly to the amount.
func checkProposed(v *Validator, l *Loan, applied time.Time) {
	if len(l.Proposed) == 0 {
		v.Add("proposed", "err.loan.schedule_required", nil)
		return
	}
	if len(l.Proposed) > MaxInstallments {
		v.Add("proposed", "err.loan.schedule_long", map[string]any{"Max": MaxInstallments})
		return
	}
	var sum int64
	var prev time.Time
	for i := range l.Proposed {
		in := &l.Proposed[i]
		in.No, in.Interest = i+1, 0
		due := time.Time(in.Due)
		switch {
		case due.IsZero():
			v.Add("proposed", "err.loan.schedule_day", map[string]any{"No": i + 1})
			return
		case !applied.IsZero() && !due.After(applied):
			v.Add("proposed", "err.loan.schedule_after_application", map[string]any{"No": i + 1})
			return
		case !prev.IsZero() && !due.After(prev):
			v.Add("proposed", "err.loan.schedule_order", map[string]any{"No": i + 1})
			return
		case in.Principal <= 0 || in.Principal > MaxAmount:
			v.Add("proposed", "err.loan.schedule_amount", map[string]any{"No": i + 1})
			return
		}
		prev = due
		sum += in.Principal
	}
	if !applied.IsZero() && prev.After(applied.AddDate(0, MaxTermMonths, 0)) {
		v.Add("proposed", "err.loan.term", map[string]any{"Max": MaxTermMonths})
	}
	if sum != l.Amount {
		v.Add("proposed", "err.loan.schedule_sum", map[string]any{"Sum": sum, "Amount": l.Amount})
	}
	// The term is the months from the application to the last day, begun
	// months counted whole.
	if !applied.IsZero() {
		m := (prev.Year()-applied.Year())*12 + int(prev.Month()-applied.Month())
		if prev.Day() > applied.Day() {
			m++
		}
		l.TermMonths = max(m, 1)
	}
}

// AppraisalInput is the club's appraisal of an application.
type AppraisalInput struct {
	Version        int      `json:"version"`
	On             Date     `json:"on"`
	Appraisers     []string `json:"appraisers,omitempty"` // user ids besides the one recording it
	Notes          string   `json:"notes"`
	Recommendation string   `json:"recommendation"`
}

// Validate checks the appraisal's own fields.
func (a *AppraisalInput) Validate(now time.Time) error {
	var v Validator
	a.Notes = strings.TrimSpace(a.Notes)
	checkDay(&v, "on", time.Time(a.On), now)
	v.Check(slices.Contains(Recommendations, a.Recommendation), "recommendation", "err.field.choice", nil)
	v.Check(a.Notes != "" && len([]rune(a.Notes)) <= 2000, "notes", "err.loan.appraisal_notes", map[string]any{"Max": 2000})
	v.Check(len(a.Appraisers) <= 20, "appraisers", "err.loan.appraisers", nil)
	slices.Sort(a.Appraisers)
	a.Appraisers = slices.Compact(a.Appraisers)
	return v.Err()
}

// DecisionInput approves or rejects an appraised application.
type DecisionInput struct {
	Version  int    `json:"version"`
	On       Date   `json:"on"`
	Decision string `json:"decision"` // approve or reject
	Note     string `json:"note,omitempty"`
}

// Decisions are the answers to an application.
var Decisions = []string{"approve", "reject"}

// Validate checks the decision's own fields; a rejection needs a reason.
func (d *DecisionInput) Validate(now time.Time) error {
	var v Validator
	d.Note = strings.TrimSpace(d.Note)
	checkDay(&v, "on", time.Time(d.On), now)
	v.Check(slices.Contains(Decisions, d.Decision), "decision", "err.field.choice", nil)
	v.Check(d.Decision != "reject" || d.Note != "", "note", "err.loan.reject_reason", nil)
	v.Check(len([]rune(d.Note)) <= 2000, "note", "err.field.too_long", map[string]any{"Max": 2000})
	return v.Err()
}

// DisbursementInput pays out an approved loan on a day; the schedule runs
// from that day.
type DisbursementInput struct {
	Version int    `json:"version"`
	On      Date   `json:"on"`
	Note    string `json:"note,omitempty"`
}

// RepaymentInput is money a borrower paid. ID is optional: a phone may make
// its own UUIDv7, so that a retry is applied once.
type RepaymentInput struct {
	ID     string `json:"id,omitempty"`
	PaidOn Date   `json:"paid_on"`
	Amount int64  `json:"amount"`
	Note   string `json:"note,omitempty"`
}

// Validate checks the repayment's own fields.
func (r *RepaymentInput) Validate(now time.Time) error {
	var v Validator
	checkID(&r.ID, &v)
	r.Note = strings.TrimSpace(r.Note)
	checkDay(&v, "paid_on", time.Time(r.PaidOn), now)
	checkAmount(&v, "amount", r.Amount)
	v.Check(len([]rune(r.Note)) <= 500, "note", "err.field.too_long", map[string]any{"Max": 500})
	return v.Err()
}

// WriteOffInput gives up what is still owed on a loan, with a reason.
type WriteOffInput struct {
	Version int    `json:"version"`
	On      Date   `json:"on"`
	Reason  string `json:"reason"`
}

// LoanPosition is where a loan stands on a day, counting the repayments
// made by the end of it.
type LoanPosition struct {
	On Date `json:"on"`
	// Due is what fell due by the day; Paid what was repaid by it.
	Due  int64 `json:"due"`
	Paid int64 `json:"paid"`
	// Overdue is what fell due and was not paid; DaysOverdue counts from
	// the day of the oldest installment not paid in full.
	Overdue     int64 `json:"overdue"`
	DaysOverdue int   `json:"days_overdue"`
	// Outstanding is the principal still owed (not repaid, not written
	// off); Owed is all that is still to pay, interest included.
	Outstanding int64 `json:"outstanding"`
	Owed        int64 `json:"owed"`
	NextDue     *Date `json:"next_due,omitempty"`
	NextAmount  int64 `json:"next_amount,omitempty"`
}

// ArrearsDays is the age from which a loan counts in the portfolio at
// risk: PAR30 counts loans more than 30 days overdue.
const ArrearsDays = 30

// Portfolio sums a fund's loans on a day: aggregates only, never who.
type Portfolio struct {
	FundID string `json:"fund_id"`
	On     Date   `json:"on"`
	// Applications waiting for appraisal, a decision or disbursement.
	Pending int `json:"pending"`
	// Active loans on the day: disbursed, neither repaid in full nor
	// written off; their borrowers and the principal they borrowed.
	ActiveLoans     int   `json:"active_loans"`
	ActiveBorrowers int   `json:"active_borrowers"`
	ActivePrincipal int64 `json:"active_principal"`
	Outstanding     int64 `json:"outstanding"`
	// In arrears: active loans with something overdue on the day.
	InArrears        int   `json:"in_arrears"`
	OverdueAmount    int64 `json:"overdue_amount"`
	AtRisk30         int64 `json:"at_risk_30"`        // principal outstanding of loans more than 30 days overdue
	PAR30BP          int   `json:"par30_bp"`          // AtRisk30 / Outstanding, basis points
	MaturedLoans     int   `json:"matured_loans"`     // repaid in full by the day
	MaturedPrincipal int64 `json:"matured_principal"` // their principal
	WrittenOffLoans  int   `json:"written_off_loans"`
	WrittenOff       int64 `json:"written_off"`
	// Every loan disbursed by the day, and those of them interest-free.
	DisbursedLoans        int   `json:"disbursed_loans"`
	DisbursedPrincipal    int64 `json:"disbursed_principal"`
	Borrowers             int   `json:"borrowers"`
	InterestFreeLoans     int   `json:"interest_free_loans"`
	InterestFreePrincipal int64 `json:"interest_free_principal"`
}

// ArrearsLine is a loan in arrears on a day, for the club's list.
type ArrearsLine struct {
	Loan     *Loan        `json:"loan"`
	Position LoanPosition `json:"position"`
}

// LoanFilter selects loans.
type LoanFilter struct {
	FundID   string
	OrgID    string // the borrower's group, or a subtree
	ClientID string
	Status   string
	Page
}

// LoanService runs loans from application to maturity. Loans are
// client-level: reading one needs client.read on the borrower's
// organisation (national officers see only a fund's Portfolio). Each step
// needs its own permission on that organisation — loan.write to apply and
// record repayments, loan.appraise to appraise, loan.approve to approve,
// reject or write off, loan.disburse to pay out — and the one who approves
// may be neither the one who recorded the application nor an appraiser.
type LoanService interface {
	// FindLoans lists loans in scope, newest application first.
	FindLoans(ctx context.Context, f LoanFilter) ([]*Loan, int, error)
	// FindLoanByID returns a loan with its schedule, repayments and
	// position on the day (today when on is nil); the read is audited.
	FindLoanByID(ctx context.Context, id string, on *time.Time) (*Loan, error)
	// Apply records a member's application. The client must be a live
	// client of a group where the actor holds loan.write; the fund must
	// belong to that group or an organisation above it. A repeated id is
	// applied once.
	Apply(ctx context.Context, l *Loan) error
	// Appraise records the club's appraisal of an application.
	Appraise(ctx context.Context, id string, in AppraisalInput) (*Loan, error)
	// Decide approves or rejects an appraised application; EFORBIDDEN when
	// the actor recorded the application or appraised it.
	Decide(ctx context.Context, id string, in DecisionInput) (*Loan, error)
	// Disburse pays out an approved loan: a ledger entry, and the schedule
	// fixed from the day. EINVALID beyond the fund's cash in hand.
	Disburse(ctx context.Context, id string, in DisbursementInput) (*Loan, error)
	// Repay records a repayment; EINVALID when it is more than is owed.
	// The loan matures with the payment that settles it. A repeated id
	// returns the stored repayment.
	Repay(ctx context.Context, id string, in RepaymentInput) (*Repayment, error)
	// WriteOff gives up what is still owed on an active loan.
	WriteOff(ctx context.Context, id string, in WriteOffInput) (*Loan, error)
	// ReverseRepayment undoes a repayment entered by mistake, with a reason
	// (loan.write): only the loan's latest repayment still standing, on a
	// loan active or matured by it (which is active again). The ledger gets
	// entries that undo it on the repayment's day; EINVALID when the cash
	// it brought has since been paid out.
	ReverseRepayment(ctx context.Context, repaymentID, reason string) (*Loan, error)
	// Portfolio sums a fund's loans on a day (fund.read; no client rows).
	Portfolio(ctx context.Context, fundID string, on time.Time) (*Portfolio, error)
	// Arrears lists the fund's loans in arrears on a day that the actor
	// may read, oldest arrears first.
	Arrears(ctx context.Context, fundID string, on time.Time) ([]ArrearsLine, error)
}

// Audit actions of the steps of a loan.
const (
	ActionAppraise = "appraise"
	ActionApprove  = "approve"
	ActionReject   = "reject"
	ActionDisburse = "disburse"
	ActionRepay    = "repay"
	ActionWriteOff = "write_off"
	ActionReverse  = "reverse"
)
