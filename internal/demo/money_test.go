package demo_test

import (
	"context"
	"strings"
	"testing"

	"caunoi"
	"caunoi/internal/demo"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// Seed 003's An Giang figures come out of the loans the demo recorded one
// by one: the test sums the loans and the ledger itself, and the fund's
// portfolio must say the same.
func TestDemoReproducesAnGiangFromRecordedLoans(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		sys := caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
		funds, loans := sqldb.NewFundService(db), sqldb.NewLoanService(db)
		all, _, err := funds.FindFunds(sys, caunoi.FundFilter{Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
		must(t, err)
		var revolving, charity *caunoi.Fund
		for _, f := range all {
			if !strings.Contains(f.OrgName, "An Giang") {
				continue
			}
			if strings.Contains(f.Name, "không lãi") {
				charity = f
			} else {
				revolving = f
			}
		}
		if revolving == nil || charity == nil {
			t.Fatalf("An Giang's funds: %v", all)
		}
		// Every loan of a fund, a page at a time.
		loansOf := func(f *caunoi.Fund) []*caunoi.Loan {
			var out []*caunoi.Loan
			for off := 0; ; off += caunoi.MaxPageSize {
				ls, total, err := loans.FindLoans(sys, caunoi.LoanFilter{FundID: f.ID, Page: caunoi.Page{Offset: off, Limit: caunoi.MaxPageSize}})
				must(t, err)
				out = append(out, ls...)
				if off+len(ls) >= total {
					return out
				}
			}
		}
		// The capital: the sum of the ledger's capital entries.
		capitalOf := func(f *caunoi.Fund) int64 {
			var sum int64
			for off := 0; ; off += caunoi.MaxPageSize {
				es, total, err := funds.FindEntries(sys, f.ID, caunoi.EntryFilter{Page: caunoi.Page{Offset: off, Limit: caunoi.MaxPageSize}})
				must(t, err)
				for _, e := range es {
					if e.Kind == caunoi.EntryCapitalIn {
						sum += e.Amount
					}
				}
				if off+len(es) >= total {
					return sum
				}
			}
		}

		// A 130 million đồng revolving fund.
		if c := capitalOf(revolving); c != 130_000_000 {
			t.Errorf("capital of the revolving fund: %d", c)
		}
		// 28 people borrow 112 million now; 36 loans matured for 166 million.
		borrowers := map[string]bool{}
		var borrowed, matured int64
		var maturedLoans int
		for _, l := range loansOf(revolving) {
			switch l.Status {
			case caunoi.LoanActive:
				borrowers[l.ClientID] = true
				borrowed += l.Amount
			case caunoi.LoanMatured:
				maturedLoans++
				matured += l.Amount
				if l.Repaid != l.Amount+l.Amount*6/100 {
					t.Errorf("matured loan repaid %d of %d at 6%%", l.Repaid, l.Amount)
				}
			}
		}
		if len(borrowers) != 28 || borrowed != 112_000_000 {
			t.Errorf("borrowing now: %d people, %d đồng; want 28 and 112.000.000", len(borrowers), borrowed)
		}
		if maturedLoans != 36 || matured != 166_000_000 {
			t.Errorf("matured: %d loans, %d đồng; want 36 and 166.000.000", maturedLoans, matured)
		}
		// 64 interest-free loans of 252,8 million from charity funds.
		var free int
		var freeSum int64
		for _, l := range loansOf(charity) {
			if l.Method == caunoi.MethodInterestFree && l.DisbursedOn != nil {
				free++
				freeSum += l.Amount
			}
		}
		if free != 64 || freeSum != 252_800_000 {
			t.Errorf("interest-free: %d loans, %d đồng; want 64 and 252.800.000", free, freeSum)
		}

		// The portfolio counts the same from the same records.
		today := caunoi.Today()
		p, err := loans.Portfolio(sys, revolving.ID, today)
		must(t, err)
		if p.ActiveBorrowers != 28 || p.ActivePrincipal != 112_000_000 || p.MaturedLoans != 36 || p.MaturedPrincipal != 166_000_000 {
			t.Errorf("portfolio of the revolving fund: %+v", p)
		}
		// Some of the 28 are behind: the club has a list, and PAR30 is
		// neither nothing nor everything.
		if p.InArrears == 0 || p.PAR30BP <= 0 || p.PAR30BP >= 10_000 {
			t.Errorf("arrears: %d loans, PAR30 %d bp", p.InArrears, p.PAR30BP)
		}
		lines, err := loans.Arrears(sys, revolving.ID, today)
		must(t, err)
		if len(lines) != p.InArrears {
			t.Errorf("arrears list %d, portfolio %d", len(lines), p.InArrears)
		}
		rp := p
		p, err = loans.Portfolio(sys, charity.ID, today)
		must(t, err)
		if p.InterestFreeLoans != 64 || p.InterestFreePrincipal != 252_800_000 || p.MaturedLoans != 56 {
			t.Errorf("portfolio of the charity fund: %+v", p)
		}
		// The indicators of loans as they stand today agree with the two
		// funds' portfolios: An Giang lends from these two only.
		_, officerActor := login(t, db, "angiang.canbo")
		thisMonth, err := caunoi.ParsePeriod(today.Format("2006-01"))
		must(t, err)
		v, err := sqldb.NewIndicatorService(db).Evaluate(sys, caunoi.ValueQuery{OrgID: officerActor.Grants[0].OrgID, Period: thisMonth,
			Indicators: []string{"LOANS_OUTSTANDING", "ACTIVE_LOAN_AMOUNT_VND", "OUTSTANDING_PRINCIPAL_VND", "LOANS_IN_ARREARS", "PAR30_PRINCIPAL_VND", "PAR30"}})
		must(t, err)
		for code, want := range map[string]float64{
			"LOANS_OUTSTANDING":         float64(rp.ActiveLoans + p.ActiveLoans),
			"ACTIVE_LOAN_AMOUNT_VND":    float64(rp.ActivePrincipal + p.ActivePrincipal),
			"OUTSTANDING_PRINCIPAL_VND": float64(rp.Outstanding + p.Outstanding),
			"LOANS_IN_ARREARS":          float64(rp.InArrears + p.InArrears),
			"PAR30_PRINCIPAL_VND":       float64(rp.AtRisk30 + p.AtRisk30),
			"PAR30":                     100 * float64(rp.AtRisk30+p.AtRisk30) / float64(rp.Outstanding+p.Outstanding),
		} {
			if c := v.Find(code).Cell(); c == nil || c.Value != want {
				t.Errorf("%s of An Giang today: %+v, want %v", code, c, want)
			}
		}
		// Both balance to the đồng.
		for _, f := range []*caunoi.Fund{revolving, charity} {
			got, err := funds.FindFundByID(sys, f.ID)
			must(t, err)
			if !got.Balance.Reconciles() || got.Balance.Cash < 0 {
				t.Errorf("%s: %+v", f.Name, got.Balance)
			}
		}

		// The province officer of An Giang sees the loans; the club chair
		// those of his club; the national officer only the figures.
		officer, _ := login(t, db, "angiang.canbo")
		if _, n, err := loans.FindLoans(officer, caunoi.LoanFilter{FundID: revolving.ID}); err != nil || n != 64 {
			t.Errorf("An Giang's officer sees %d loans: %v", n, err)
		}
		chair, _ := login(t, db, "mybinh.chunhiem")
		ls, _, err := loans.FindLoans(chair, caunoi.LoanFilter{Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
		must(t, err)
		for _, l := range ls {
			if !strings.Contains(l.OrgName, "Mỹ Bình") {
				t.Fatalf("the chair of Mỹ Bình sees a loan of %s", l.OrgName)
			}
		}
		if len(ls) == 0 {
			t.Error("the chair of Mỹ Bình sees no loan")
		}
		if _, err := funds.FindFundByID(chair, revolving.ID); err != nil {
			t.Errorf("the club does not see its network's fund: %v", err)
		}
		nat, _ := login(t, db, "cuc.canbo")
		if _, err := loans.Portfolio(nat, revolving.ID, today); err != nil {
			t.Errorf("national portfolio: %v", err)
		}
		if _, _, err := loans.FindLoans(nat, caunoi.LoanFilter{}); caunoi.ErrorCode(err) != caunoi.EFORBIDDEN {
			t.Errorf("national officer listing loans: %v", err)
		}

		// Quảng Ninh's plan of this year within seed 004's norms, with its
		// people reached from the field work.
		qn, _ := login(t, db, "quangninh.canbo")
		budgets := sqldb.NewBudgetService(db)
		plans, _, err := budgets.FindPlans(qn, caunoi.PlanFilter{Year: today.Year()})
		must(t, err)
		if len(plans) != 2 {
			t.Fatalf("Quảng Ninh's plans this year: %d", len(plans))
		}
		for _, pl := range plans {
			pa, err := budgets.PlanActual(qn, pl.ID)
			must(t, err)
			if today.YearDay() > 30 && (pa.Plan.Spent == 0 || pa.Reached == 0 || pa.CostPerPerson != (pa.Plan.Spent+int64(pa.Reached)/2)/int64(pa.Reached)) {
				t.Errorf("%s: spent %d, reached %d, %d a person", pl.Title, pa.Plan.Spent, pa.Reached, pa.CostPerPerson)
			}
		}
		norms, _, err := budgets.FindNorms(qn, caunoi.NormFilter{Model: caunoi.ModelCommunityServices, Year: 2023})
		must(t, err)
		if len(norms) != 0 {
			t.Errorf("model 2 has %d norms in 2023; seed 002 says none", len(norms))
		}
	})
}

// must fails the test on an error.
func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
