package sqldb_test

import (
	"context"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
)

// moneyKit is the fixture with the money services. Loans of the group hpg
// go through its roles: the peer educator applies and collects, the group
// leader appraises and pays out, the province officer of hp approves.
type moneyKit struct {
	*fixture
	Funds   *sqldb.FundService
	Loans   *sqldb.LoanService
	Budgets *sqldb.BudgetService
}

func newMoneyKit(tb testing.TB, db *sqldb.DB) *moneyKit {
	tb.Helper()
	return &moneyKit{fixture: newFixture(tb, db), Funds: sqldb.NewFundService(db), Loans: sqldb.NewLoanService(db), Budgets: sqldb.NewBudgetService(db)}
}

// day returns a calendar day as storage keeps it (midnight UTC).
func mday(s string) caunoi.Date {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return caunoi.Date(t)
}

func mtime(s string) time.Time { return time.Time(mday(s)) }

// openFund opens a fund of the organisation with key orgKey, as its
// province officer (or the system), with capital paid in on the day.
func (k *moneyKit) openFund(ctx context.Context, orgKey, name string, capital int64, on string) *caunoi.Fund {
	k.tb.Helper()
	f := &caunoi.Fund{OrgID: k.O(orgKey).ID, Name: name, OpenedOn: mday(on)}
	if err := k.Funds.CreateFund(ctx, f); err != nil {
		k.tb.Fatalf("open fund: %v", err)
	}
	if capital > 0 {
		k.capital(ctx, f, capital, "donor", on)
	}
	return f
}

func (k *moneyKit) capital(ctx context.Context, f *caunoi.Fund, amount int64, source, on string) {
	k.tb.Helper()
	if _, err := k.Funds.RecordEntry(ctx, &caunoi.FundEntry{FundID: f.ID, Kind: caunoi.EntryCapitalIn, Amount: amount, Source: source, On: mday(on)}); err != nil {
		k.tb.Fatalf("capital: %v", err)
	}
}

// balance returns the fund's balance, failing unless it reconciles.
func (k *moneyKit) balance(f *caunoi.Fund) *caunoi.FundBalance {
	k.tb.Helper()
	got, err := k.Funds.FindFundByID(k.sys, f.ID)
	if err != nil {
		k.tb.Fatalf("fund: %v", err)
	}
	if !got.Balance.Reconciles() {
		k.tb.Fatalf("the fund does not reconcile: %+v (equity %d)", got.Balance, got.Balance.Equity())
	}
	return got.Balance
}

// loanTerms is an application without fund and client.
type loanTerms struct {
	amount int64
	method string
	rate   int
	months int
	on     string
}

// apply records an application as the actor of ctx.
func (k *moneyKit) apply(ctx context.Context, f *caunoi.Fund, c *caunoi.Client, t loanTerms) *caunoi.Loan {
	k.tb.Helper()
	l := &caunoi.Loan{FundID: f.ID, ClientID: c.ID, Amount: t.amount, Purpose: "Mua máy may", TermMonths: t.months,
		Method: t.method, RateBP: t.rate, Frequency: caunoi.FrequencyMonthly, AppliedOn: mday(t.on)}
	if err := k.Loans.Apply(ctx, l); err != nil {
		k.tb.Fatalf("apply: %v", err)
	}
	return l
}

// activate takes a loan of hpg from application to disbursement on the
// day, by the roles of hpg and hp.
func (k *moneyKit) activate(l *caunoi.Loan, on string) *caunoi.Loan {
	k.tb.Helper()
	l, err := k.Loans.Appraise(k.As(caunoi.RoleGroupLeader, "hpg"), l.ID, caunoi.AppraisalInput{Version: l.Version, On: mday(on), Notes: "Có kế hoạch làm ăn rõ ràng",
		Recommendation: "approve"})
	if err != nil {
		k.tb.Fatalf("appraise: %v", err)
	}
	if l, err = k.Loans.Decide(k.As(caunoi.RoleProvinceOfficer, "hp"), l.ID, caunoi.DecisionInput{Version: l.Version, On: mday(on), Decision: "approve"}); err != nil {
		k.tb.Fatalf("approve: %v", err)
	}
	if l, err = k.Loans.Disburse(k.As(caunoi.RoleGroupLeader, "hpg"), l.ID, caunoi.DisbursementInput{Version: l.Version, On: mday(on)}); err != nil {
		k.tb.Fatalf("disburse: %v", err)
	}
	return l
}

// repay records a repayment as the peer educator of hpg.
func (k *moneyKit) repay(l *caunoi.Loan, amount int64, on string) *caunoi.Repayment {
	k.tb.Helper()
	r, err := k.Loans.Repay(k.As(caunoi.RolePeerEducator, "hpg"), l.ID, caunoi.RepaymentInput{Amount: amount, PaidOn: mday(on)})
	if err != nil {
		k.tb.Fatalf("repay %d on %s: %v", amount, on, err)
	}
	return r
}

// loan reads a loan as the system, with its position on the day.
func (k *moneyKit) loan(id string, on string) *caunoi.Loan {
	k.tb.Helper()
	d := mtime(on)
	l, err := k.Loans.FindLoanByID(k.sys, id, &d)
	if err != nil {
		k.tb.Fatalf("loan: %v", err)
	}
	return l
}
