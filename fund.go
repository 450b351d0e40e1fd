package caunoi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Money is whole Vietnamese đồng, never a float. MaxAmount bounds every
// amount a user may type: ten thousand billion đồng is far beyond any fund
// of a province, and products of amounts, rates and days stay exact.
const MaxAmount int64 = 10_000_000_000_000

// FundingSources are where a fund's capital comes from (GLOSSARY.md:
// funding_source).
var FundingSources = []string{"donor", "central", "local", "charity"}

// Kinds of ledger entry. The ledger of a fund is append-only: a balance is
// always the sum of its entries, never a stored number.
const (
	EntryCapitalIn          = "capital_in"          // capital paid into the fund (+cash)
	EntryDisbursement       = "disbursement"        // a loan paid out (−cash, +outstanding)
	EntryRepaymentPrincipal = "repayment_principal" // principal repaid (+cash, −outstanding)
	EntryRepaymentInterest  = "repayment_interest"  // interest paid (+cash, +income)
	EntryWriteOff           = "write_off"           // principal given up (−outstanding, a loss)
	EntryTransferOut        = "transfer_out"        // capital moved to another fund (−cash)
	EntryTransferIn         = "transfer_in"         // capital received from another fund (+cash)
	// A repayment entered by mistake is undone by entries of its own, never
	// by changing the ledger.
	EntryPrincipalReversed = "principal_reversed" // a principal repayment undone (−cash, +outstanding)
	EntryInterestReversed  = "interest_reversed"  // an interest payment undone (−cash, −income)
)

// EntryKinds lists the kinds of ledger entry.
var EntryKinds = []string{EntryCapitalIn, EntryDisbursement, EntryRepaymentPrincipal, EntryRepaymentInterest,
	EntryWriteOff, EntryTransferOut, EntryTransferIn, EntryPrincipalReversed, EntryInterestReversed}

// ManualEntryKinds are the entries a user records by hand on a fund; the
// others come from loans.
var ManualEntryKinds = []string{EntryCapitalIn, EntryTransferOut}

// Fund is a micro-credit revolving fund (quỹ tín dụng quay vòng) of an
// organisation. Its money is what its ledger says; Balance is derived from
// the ledger when the fund is read.
type Fund struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"org_id"`
	OrgPath     string    `json:"-"`
	OrgName     string    `json:"org_name,omitempty"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	OpenedOn    Date      `json:"opened_on"`
	Version     int       `json:"version"`
	CreatedBy   string    `json:"created_by,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Balance is the fund's position from its ledger, filled on reads.
	Balance *FundBalance `json:"balance,omitempty"`
}

// Validate checks the fund's own fields.
func (f *Fund) Validate(now time.Time) error {
	var v Validator
	checkID(&f.ID, &v)
	f.Name, f.Description = strings.TrimSpace(f.Name), strings.TrimSpace(f.Description)
	v.Check(f.OrgID != "", "org_id", "err.field.required", nil)
	v.Check(f.Name != "" && len([]rune(f.Name)) <= 200, "name", "err.field.required_short", map[string]any{"Max": 200})
	v.Check(len([]rune(f.Description)) <= 2000, "description", "err.field.too_long", map[string]any{"Max": 2000})
	checkDay(&v, "opened_on", time.Time(f.OpenedOn), now)
	return v.Err()
}

// FundBalance is a fund's position, every figure a sum of ledger entries.
type FundBalance struct {
	// Cash is the money in hand: what may still be lent.
	Cash int64 `json:"cash"`
	// Outstanding is the principal lent and neither repaid nor written off.
	Outstanding     int64            `json:"outstanding"`
	Capital         int64            `json:"capital"`
	CapitalBySource map[string]int64 `json:"capital_by_source"`
	TransfersIn     int64            `json:"transfers_in"`
	TransfersOut    int64            `json:"transfers_out"`
	Disbursed       int64            `json:"disbursed"`
	PrincipalRepaid int64            `json:"principal_repaid"` // net of repayments undone
	InterestEarned  int64            `json:"interest_earned"`  // net of payments undone
	WrittenOff      int64            `json:"written_off"`
	Entries         int              `json:"entries"`
}

// Add counts one ledger entry into the balance.
func (b *FundBalance) Add(kind string, amount int64, source string) {
	b.Entries++
	switch kind {
	case EntryCapitalIn:
		b.Capital += amount
		b.Cash += amount
		if b.CapitalBySource == nil {
			b.CapitalBySource = map[string]int64{}
		}
		b.CapitalBySource[source] += amount
	case EntryTransferIn:
		b.TransfersIn += amount
		b.Cash += amount
	case EntryTransferOut:
		b.TransfersOut += amount
		b.Cash -= amount
	case EntryDisbursement:
		b.Disbursed += amount
		b.Cash -= amount
		b.Outstanding += amount
	case EntryRepaymentPrincipal:
		b.PrincipalRepaid += amount
		b.Cash += amount
		b.Outstanding -= amount
	case EntryRepaymentInterest:
		b.InterestEarned += amount
		b.Cash += amount
	case EntryWriteOff:
		b.WrittenOff += amount
		b.Outstanding -= amount
	case EntryPrincipalReversed:
		b.PrincipalRepaid -= amount
		b.Cash -= amount
		b.Outstanding += amount
	case EntryInterestReversed:
		b.InterestEarned -= amount
		b.Cash -= amount
	}
}

// Equity is what the fund is worth by its sources: capital and transfers
// in, less transfers out, plus interest earned, less principal written off.
func (b FundBalance) Equity() int64 {
	return b.Capital + b.TransfersIn - b.TransfersOut + b.InterestEarned - b.WrittenOff
}

// Reconciles reports whether the fund balances to the đồng: what it is
// worth by its sources equals the cash in hand plus the principal
// outstanding, and neither is negative.
func (b FundBalance) Reconciles() bool {
	return b.Cash >= 0 && b.Outstanding >= 0 && b.Equity() == b.Cash+b.Outstanding
}

// LedgerEntry is one line of a fund's ledger. Seq numbers a fund's entries
// 1, 2, 3… in the order they were written.
type LedgerEntry struct {
	ID                string    `json:"id"`
	FundID            string    `json:"fund_id"`
	Seq               int64     `json:"seq"`
	Kind              string    `json:"kind"`
	Amount            int64     `json:"amount"`
	On                Date      `json:"on"`
	Source            string    `json:"source,omitempty"`
	LoanID            string    `json:"loan_id,omitempty"`
	RepaymentID       string    `json:"repayment_id,omitempty"`
	CounterpartFundID string    `json:"counterpart_fund_id,omitempty"`
	Note              string    `json:"note,omitempty"`
	RecordedBy        string    `json:"recorded_by,omitempty"`
	RecordedAt        time.Time `json:"recorded_at"`
	// Borrower is the nickname of the loan's client, given only to those
	// who may read the client's records.
	Borrower string `json:"borrower,omitempty"`
	// CashAfter is the cash in hand after the entry, in a statement.
	CashAfter int64 `json:"cash_after,omitempty"`
}

// CashEffect is what the entry does to the cash in hand.
func (e LedgerEntry) CashEffect() int64 {
	switch e.Kind {
	case EntryCapitalIn, EntryTransferIn, EntryRepaymentPrincipal, EntryRepaymentInterest:
		return e.Amount
	case EntryDisbursement, EntryTransferOut, EntryPrincipalReversed, EntryInterestReversed:
		return -e.Amount
	}
	return 0
}

// FundEntry is an entry recorded by hand: capital paid in (with its
// source), or capital transferred to another fund.
type FundEntry struct {
	ID       string `json:"id"` // optional UUIDv7; a repeat is applied once
	FundID   string `json:"fund_id"`
	Kind     string `json:"kind"` // capital_in or transfer_out
	Amount   int64  `json:"amount"`
	On       Date   `json:"on"`
	Source   string `json:"source,omitempty"`     // capital_in: donor, central, local, charity
	ToFundID string `json:"to_fund_id,omitempty"` // transfer_out: the fund receiving it
	Note     string `json:"note,omitempty"`
}

// Validate checks the entry's own fields.
func (e *FundEntry) Validate(now time.Time) error {
	var v Validator
	checkID(&e.ID, &v)
	e.Note = strings.TrimSpace(e.Note)
	v.Check(slices.Contains(ManualEntryKinds, e.Kind), "kind", "err.field.choice", nil)
	checkAmount(&v, "amount", e.Amount)
	checkDay(&v, "on", time.Time(e.On), now)
	switch e.Kind {
	case EntryCapitalIn:
		v.Check(slices.Contains(FundingSources, e.Source), "source", "err.fund.source", nil)
		e.ToFundID = ""
	case EntryTransferOut:
		v.Check(e.ToFundID != "", "to_fund_id", "err.field.required", nil)
		v.Check(e.ToFundID != e.FundID, "to_fund_id", "err.fund.transfer_self", nil)
		e.Source = ""
	}
	v.Check(len([]rune(e.Note)) <= 500, "note", "err.field.too_long", map[string]any{"Max": 500})
	return v.Err()
}

// checkAmount checks a sum of money a user typed: whole đồng, above zero,
// at most MaxAmount.
func checkAmount(v *Validator, field string, amount int64) {
	switch {
	case amount < 0:
		v.Add(field, "err.money.negative", nil)
	case amount == 0:
		v.Add(field, "err.money.required", nil)
	case amount > MaxAmount:
		v.Add(field, "err.money.too_large", map[string]any{"Max": MaxAmount})
	}
}

// FundFilter selects funds.
type FundFilter struct {
	OrgID string // funds of this organisation's subtree
	Page
}

// EntryFilter selects ledger entries of a fund.
type EntryFilter struct {
	From, To *time.Time // days; To excluded
	Page
}

// FundStatement is a fund's ledger over a period, with the cash in hand
// before and after it, as printed for a meeting or an audit.
type FundStatement struct {
	Fund    *Fund         `json:"fund"`
	From    *Date         `json:"from,omitempty"`
	To      *Date         `json:"to,omitempty"` // included
	Opening int64         `json:"opening"`      // cash before From
	Closing int64         `json:"closing"`      // cash at the end of To
	Entries []LedgerEntry `json:"entries"`
	// Totals sums the period's entries by kind.
	Totals map[string]int64 `json:"totals"`
	// Truncated is true when the period has more entries than a statement
	// prints; Opening and Closing still count them all.
	Truncated bool `json:"truncated,omitempty"`
}

// MaxStatementEntries bounds the entries of one statement.
const MaxStatementEntries = 5000

// FundService manages funds and their ledgers. Funds are money, not client
// records: anyone with fund.read on the fund's organisation, or on an
// organisation below it (a club sees the fund it borrows from), reads the
// fund, its balance and its ledger; borrowers are named only to those who
// may read the client.
type FundService interface {
	// FindFunds lists the funds the actor may read, by name, each with
	// its balance.
	FindFunds(ctx context.Context, f FundFilter) ([]*Fund, int, error)
	// FindFundByID returns a fund with its balance.
	FindFundByID(ctx context.Context, id string) (*Fund, error)
	// CreateFund opens a fund of an organisation on which the actor holds
	// fund.write. A repeated id is applied once.
	CreateFund(ctx context.Context, f *Fund) error
	// RecordEntry records capital paid in, or a transfer to another fund
	// (both need fund.write; a transfer writes an entry on each fund). A
	// transfer beyond the cash in hand is EINVALID. A repeated id returns
	// the stored entry.
	RecordEntry(ctx context.Context, e *FundEntry) (*LedgerEntry, error)
	// FindEntries lists a fund's ledger, newest first.
	FindEntries(ctx context.Context, fundID string, f EntryFilter) ([]*LedgerEntry, int, error)
	// Statement returns the fund's ledger over a period (days, both
	// included; nil for open ends) with running cash.
	Statement(ctx context.Context, fundID string, from, to *time.Time) (*FundStatement, error)
}
