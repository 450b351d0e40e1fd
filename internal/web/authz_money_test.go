package web_test

import (
	"context"
	"testing"

	"caunoi"
	"caunoi/internal/sqldb"
)

// moneyInScope finds, for the authorization walk, a fund, a loan, a norm,
// a plan and an expenditure inside the user's scope, and makes them (as the
// system) where the demo has none there: a fund on the user's own
// organisation, a loan of a client in scope, a plan of the organisation.
func moneyInScope(t *testing.T, db *sqldb.DB, actor *caunoi.Actor, actx context.Context, in map[string]string) {
	t.Helper()
	sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
	funds, loans, budgets := sqldb.NewFundService(db), sqldb.NewLoanService(db), sqldb.NewBudgetService(db)
	orgID := actor.Grants[0].OrgID
	if actor.Can(caunoi.PermFundRead) {
		fs, _, err := funds.FindFunds(actx, caunoi.FundFilter{OrgID: orgID, Page: caunoi.Page{Limit: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) == 0 {
			f := &caunoi.Fund{OrgID: orgID, Name: "Quỹ kiểm tra", OpenedOn: caunoi.Date(caunoi.Today())}
			if err := funds.CreateFund(sys, f); err != nil {
				t.Fatal(err)
			}
			fs = append(fs, f)
		}
		in["funds"] = fs[0].ID
	}
	if actor.Can(caunoi.PermClientRead) {
		ls, _, err := loans.FindLoans(actx, caunoi.LoanFilter{Page: caunoi.Page{Limit: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if len(ls) == 0 {
			l := &caunoi.Loan{FundID: in["funds"], ClientID: in["clients"], Amount: 1_000_000, Purpose: "Kiểm tra", Method: caunoi.MethodInterestFree,
				TermMonths: 2, AppliedOn: caunoi.Date(caunoi.Today())}
			if err := loans.Apply(sys, l); err != nil {
				t.Fatal(err)
			}
			ls = append(ls, l)
		}
		in["loans"] = ls[0].ID
	}
	if actor.Can(caunoi.PermLoanWrite) {
		in["repayments"] = repaymentInScope(t, db, actor, actx, in)
	}
	if actor.Can(caunoi.PermBudgetRead) {
		ns, _, err := budgets.FindNorms(actx, caunoi.NormFilter{Page: caunoi.Page{Limit: 1}})
		if err != nil || len(ns) == 0 {
			t.Fatalf("no norm in scope: %v", err)
		}
		in["norms"], in["cost-norms"] = ns[0].ID, ns[0].ID
		ps, _, err := budgets.FindPlans(actx, caunoi.PlanFilter{Page: caunoi.Page{Limit: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) == 0 {
			p := &caunoi.BudgetPlan{OrgID: orgID, Model: caunoi.ModelPeerCapacity, Year: caunoi.Today().Year(), Title: "Kế hoạch kiểm tra", Source: "local"}
			if err := budgets.CreatePlan(sys, p); err != nil {
				t.Fatal(err)
			}
			ps = append(ps, p)
		}
		in["budgets"], in["budget-plans"] = ps[0].ID, ps[0].ID
		pa, err := budgets.PlanActual(actx, ps[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pa.Expenditures) == 0 && len(pa.Plan.Lines) > 0 {
			e := &caunoi.Expenditure{LineID: pa.Plan.Lines[0].ID, Amount: 1000, SpentOn: caunoi.Date(caunoi.Today()), Description: "Kiểm tra"}
			if _, err := budgets.RecordExpenditure(sys, pa.Plan.ID, e); err != nil {
				t.Fatal(err)
			}
			pa.Expenditures = append(pa.Expenditures, e)
		}
		if len(pa.Expenditures) > 0 {
			in["expenditures"] = pa.Expenditures[0].ID
		}
	}
}

// repaymentInScope returns a repayment of a loan the user may collect, and
// makes one (as the system, on the fund in scope) when there is none.
func repaymentInScope(t *testing.T, db *sqldb.DB, actor *caunoi.Actor, actx context.Context, in map[string]string) string {
	t.Helper()
	loans := sqldb.NewLoanService(db)
	ls, _, err := loans.FindLoans(actx, caunoi.LoanFilter{Status: caunoi.LoanActive, Page: caunoi.Page{Limit: 20}})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		full, err := loans.FindLoanByID(actx, l.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(full.Repayments) > 0 && actor.CanAt(caunoi.PermLoanWrite, full.OrgPath) {
			return full.Repayments[len(full.Repayments)-1].ID
		}
	}
	sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
	today := caunoi.Date(caunoi.Today())
	if _, err := sqldb.NewFundService(db).RecordEntry(sys, &caunoi.FundEntry{FundID: in["funds"], Kind: caunoi.EntryCapitalIn, Amount: 2_000_000,
		Source: "donor", On: today}); err != nil {
		t.Fatal(err)
	}
	return repaid(t, db, in["funds"], in["clients"], actor.UserID)
}

// repaid takes a new loan of the client from the fund to its first
// repayment, as the system, and returns the repayment's id.
func repaid(t *testing.T, db *sqldb.DB, fundID, clientID, appraiserID string) string {
	t.Helper()
	sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
	loans := sqldb.NewLoanService(db)
	today := caunoi.Date(caunoi.Today())
	l := &caunoi.Loan{FundID: fundID, ClientID: clientID, Amount: 1_000_000, Purpose: "Kiểm tra", Method: caunoi.MethodInterestFree, TermMonths: 2, AppliedOn: today}
	if err := loans.Apply(sys, l); err != nil {
		t.Fatal(err)
	}
	l, err := loans.Appraise(sys, l.ID, caunoi.AppraisalInput{Version: l.Version, On: today, Appraisers: []string{appraiserID}, Notes: "ổn", Recommendation: "approve"})
	if err != nil {
		t.Fatal(err)
	}
	if l, err = loans.Decide(sys, l.ID, caunoi.DecisionInput{Version: l.Version, On: today, Decision: "approve"}); err != nil {
		t.Fatal(err)
	}
	if l, err = loans.Disburse(sys, l.ID, caunoi.DisbursementInput{Version: l.Version, On: today}); err != nil {
		t.Fatal(err)
	}
	r, err := loans.Repay(sys, l.ID, caunoi.RepaymentInput{Amount: 100_000, PaidOn: today})
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// moneyOutside makes the money of the tree outside every demo user's
// scope: a fund with capital, a loan of its client and another repaid in
// part, a norm, a plan with a line and an expenditure.
func moneyOutside(t *testing.T, db *sqldb.DB, root, prov *caunoi.Organisation, c *caunoi.Client, userID string) map[string]string {
	t.Helper()
	sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
	funds, loans, budgets := sqldb.NewFundService(db), sqldb.NewLoanService(db), sqldb.NewBudgetService(db)
	today := caunoi.Date(caunoi.Today())
	f := &caunoi.Fund{OrgID: prov.ID, Name: "Quỹ ngoài phạm vi", OpenedOn: today}
	if err := funds.CreateFund(sys, f); err != nil {
		t.Fatal(err)
	}
	if _, err := funds.RecordEntry(sys, &caunoi.FundEntry{FundID: f.ID, Kind: caunoi.EntryCapitalIn, Amount: 5_000_000, Source: "donor", On: today}); err != nil {
		t.Fatal(err)
	}
	l := &caunoi.Loan{FundID: f.ID, ClientID: c.ID, Amount: 1_000_000, Purpose: "Ngoài phạm vi", Method: caunoi.MethodInterestFree, TermMonths: 2, AppliedOn: today}
	if err := loans.Apply(sys, l); err != nil {
		t.Fatal(err)
	}
	n := &caunoi.CostNorm{OrgID: root.ID, Model: caunoi.ModelPeerCapacity, Activity: "group_meeting", Unit: "session", MaxUnitCost: 1_000_000,
		ValidFrom: caunoi.Date(caunoi.Today().AddDate(-1, 0, 0))}
	if err := budgets.CreateNorm(sys, n); err != nil {
		t.Fatal(err)
	}
	p := &caunoi.BudgetPlan{OrgID: prov.ID, Model: caunoi.ModelPeerCapacity, Year: caunoi.Today().Year(), Title: "Ngoài phạm vi", Source: "local",
		Lines: []caunoi.BudgetLine{{Activity: "group_meeting", Quantity: 2, UnitCost: 1_000_000}}}
	if err := budgets.CreatePlan(sys, p); err != nil {
		t.Fatal(err)
	}
	e := &caunoi.Expenditure{LineID: p.Lines[0].ID, Amount: 1000, SpentOn: today, Description: "Ngoài phạm vi"}
	if _, err := budgets.RecordExpenditure(sys, p.ID, e); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"funds": f.ID, "loans": l.ID, "norms": n.ID, "cost-norms": n.ID, "budgets": p.ID, "budget-plans": p.ID, "expenditures": e.ID,
		"repayments": repaid(t, db, f.ID, c.ID, userID)}
}
