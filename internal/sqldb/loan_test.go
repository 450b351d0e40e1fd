package sqldb_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// A loan from the application to maturity: every step by its own role,
// the ledger written at disbursement and repayment, and the fund's
// balance always the sum of its ledger.
func TestLoanLifecycle(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		k := newMoneyKit(t, db)
		officer := k.As(caunoi.RoleProvinceOfficer, "hp")
		peer := k.As(caunoi.RolePeerEducator, "hpg")
		f := k.openFund(officer, "hp", "Quỹ quay vòng Hải Phòng", 10_000_000, "2025-01-02")
		c := k.createClient(peer, "hpg", "Lan")

		l := k.apply(peer, f, c, loanTerms{amount: 6_000_000, method: caunoi.MethodFlat, rate: 1200, months: 6, on: "2025-01-10"})
		if l.Status != caunoi.LoanApplied || l.OrgID != k.O("hpg").ID || l.AppliedBy != k.U(caunoi.RolePeerEducator, "hpg").ID {
			t.Fatalf("applied: %+v", l)
		}
		// Applying again with the same id changes nothing.
		again := *l
		again.Amount = 1
		must(t, k.Loans.Apply(peer, &again))
		if again.Amount != 6_000_000 || again.Version != 1 {
			t.Fatalf("a repeated application: %+v", again)
		}
		// Nothing moved in the fund yet.
		if b := k.balance(f); b.Cash != 10_000_000 || b.Outstanding != 0 {
			t.Fatalf("before disbursement: %+v", b)
		}

		l = k.activate(l, "2025-01-15")
		if l.Status != caunoi.LoanActive || len(l.Schedule) != 6 || l.DisbursedOn == nil || time.Time(*l.DisbursedOn) != mtime("2025-01-15") {
			t.Fatalf("disbursed: %+v", l)
		}
		// 6 million at 12% flat over 6 months: 60.000 of interest a month.
		for _, in := range l.Schedule {
			if in.Principal != 1_000_000 || in.Interest != 60_000 {
				t.Fatalf("schedule: %+v", l.Schedule)
			}
		}
		if b := k.balance(f); b.Cash != 4_000_000 || b.Outstanding != 6_000_000 || b.Disbursed != 6_000_000 {
			t.Fatalf("after disbursement: %+v", b)
		}

		// A partial payment (1.060.000 is due each month), then the rest of
		// February's with March's early.
		r := k.repay(l, 500_000, "2025-02-15")
		if r.Interest != 60_000 || r.Principal != 440_000 {
			t.Fatalf("partial: %+v", r)
		}
		r = k.repay(l, 1_620_000, "2025-02-20")
		if r.Interest != 60_000 || r.Principal != 1_560_000 {
			t.Fatalf("early: %+v", r)
		}
		got := k.loan(l.ID, "2025-04-20")
		// Due by 20 April: three installments, 3.180.000; paid 2.120.000:
		// April's installment is 5 days late.
		if got.Position.Due != 3_180_000 || got.Position.Paid != 2_120_000 || got.Position.Overdue != 1_060_000 || got.Position.DaysOverdue != 5 {
			t.Fatalf("position on 20/04: %+v", got.Position)
		}
		if got.Repaid != 2_120_000 || got.PrincipalRepaid != 2_000_000 || len(got.Repayments) != 2 {
			t.Fatalf("repaid: %+v", got)
		}
		// Late: the rest at once, which matures the loan.
		k.repay(l, 6_360_000-2_120_000, "2025-08-01")
		got = k.loan(l.ID, "2025-08-01")
		if got.Status != caunoi.LoanMatured || got.ClosedOn == nil || got.Position.Owed != 0 || got.Position.Outstanding != 0 {
			t.Fatalf("matured: %+v %+v", got, got.Position)
		}
		b := k.balance(f)
		if b.Cash != 10_360_000 || b.Outstanding != 0 || b.InterestEarned != 360_000 || b.PrincipalRepaid != 6_000_000 {
			t.Fatalf("after maturity: %+v", b)
		}
		// No more repayments on a matured loan.
		_, err := k.Loans.Repay(peer, l.ID, caunoi.RepaymentInput{Amount: 1, PaidOn: mday("2025-08-02")})
		wantCode(t, err, caunoi.ECONFLICT)

		// The statement: capital, disbursement, interest and principal, with
		// the cash after each entry; the period opens on the balance before it.
		st, err := k.Funds.Statement(officer, f.ID, nil, nil)
		must(t, err)
		var kinds []string
		for _, e := range st.Entries {
			kinds = append(kinds, e.Kind)
		}
		want := []string{"capital_in", "disbursement", "repayment_interest", "repayment_principal", "repayment_interest", "repayment_principal",
			"repayment_interest", "repayment_principal"}
		if !slices.Equal(kinds, want) || st.Opening != 0 || st.Closing != 10_360_000 || st.Entries[1].CashAfter != 4_000_000 {
			t.Fatalf("statement: %v opening %d closing %d", kinds, st.Opening, st.Closing)
		}
		// The officer may read the client: the statement names the borrower.
		if st.Entries[1].Borrower != "Lan" {
			t.Errorf("borrower = %q", st.Entries[1].Borrower)
		}
		from, to := mtime("2025-02-16"), mtime("2025-07-31")
		st, err = k.Funds.Statement(officer, f.ID, &from, &to)
		must(t, err)
		if st.Opening != 4_500_000 || len(st.Entries) != 2 || st.Closing != 6_120_000 {
			t.Fatalf("statement of a period: opening %d, %d entries, closing %d", st.Opening, len(st.Entries), st.Closing)
		}

		// The audit trail holds each step, by its actor.
		var actions []string
		for _, e := range k.auditEntries(caunoi.AuditFilter{Entity: "loan", EntityID: l.ID}) {
			if e.Action != caunoi.ActionRead {
				actions = append(actions, e.Action)
			}
		}
		slices.Sort(actions)
		if want := sorted("create", "appraise", "approve", "disburse", "repay", "repay", "repay"); !slices.Equal(actions, want) {
			t.Errorf("audit actions %v, want %v", actions, want)
		}
		// Reading a loan is an audited read of a client's record.
		if _, err := k.Loans.FindLoanByID(peer, l.ID, nil); err != nil {
			t.Fatal(err)
		}
		reads := 0
		for _, e := range k.auditEntries(caunoi.AuditFilter{Entity: "loan", EntityID: l.ID, Action: caunoi.ActionRead}) {
			if e.ActorID == k.U(caunoi.RolePeerEducator, "hpg").ID {
				reads++
			}
		}
		if reads != 1 {
			t.Errorf("audited reads by the peer educator: %d", reads)
		}
	})
}

// The one who approves may be neither the one who recorded the
// application nor an appraiser; disbursing and approving are separate
// permissions.
func TestLoanSegregationOfDuties(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		k := newMoneyKit(t, db)
		officer := k.As(caunoi.RoleProvinceOfficer, "hp")
		f := k.openFund(officer, "hp", "Quỹ", 50_000_000, "2025-01-02")
		c := k.createClient(k.As(caunoi.RolePeerEducator, "hpg"), "hpg", "Mai")

		// One person holding two roles: group leader of hpg and officer of hp.
		both := &caunoi.User{Username: "hai.vai", DisplayName: "Hai vai", Grants: []caunoi.Grant{
			{Role: caunoi.RoleGroupLeader, OrgID: k.O("hpg").ID}, {Role: caunoi.RoleProvinceOfficer, OrgID: k.O("hp").ID}}}
		must(t, k.Users.CreateUser(k.sys, both, testPassword))
		bothCtx := k.ctxOf(both)

		// She records an application: she may not approve it.
		own := k.apply(bothCtx, f, c, loanTerms{amount: 1_000_000, method: caunoi.MethodInterestFree, months: 5, on: "2025-02-01"})
		own, err := k.Loans.Appraise(k.As(caunoi.RoleGroupLeader, "hpg"), own.ID, caunoi.AppraisalInput{Version: 1, On: mday("2025-02-02"), Notes: "ổn", Recommendation: "approve"})
		must(t, err)
		_, err = k.Loans.Decide(bothCtx, own.ID, caunoi.DecisionInput{Version: own.Version, On: mday("2025-02-03"), Decision: "approve"})
		if e := wantCode(t, err, caunoi.EFORBIDDEN); e.Key != "err.loan.decide_own_application" {
			t.Errorf("own application: %v", err)
		}
		// She appraises another: she may not approve that one either.
		other := k.apply(k.As(caunoi.RolePeerEducator, "hpg"), f, c, loanTerms{amount: 2_000_000, method: caunoi.MethodInterestFree, months: 4, on: "2025-02-01"})
		other, err = k.Loans.Appraise(bothCtx, other.ID, caunoi.AppraisalInput{Version: 1, On: mday("2025-02-02"), Notes: "ổn", Recommendation: "approve",
			Appraisers: []string{k.U(caunoi.RoleGroupLeader, "hpg").ID}})
		must(t, err)
		if len(other.Appraisal.Appraisers) != 2 {
			t.Fatalf("appraisers: %v", other.Appraisal.Appraisers)
		}
		_, err = k.Loans.Decide(bothCtx, other.ID, caunoi.DecisionInput{Version: other.Version, On: mday("2025-02-03"), Decision: "approve"})
		if e := wantCode(t, err, caunoi.EFORBIDDEN); e.Key != "err.loan.decide_own_appraisal" {
			t.Errorf("own appraisal: %v", err)
		}
		// Nothing changed: another officer decides both.
		for _, l := range []*caunoi.Loan{own, other} {
			got := k.loan(l.ID, "2025-02-03")
			if got.Status != caunoi.LoanAppraised || got.Version != l.Version {
				t.Fatalf("refused decision changed the loan: %+v", got)
			}
			if _, err := k.Loans.Decide(officer, l.ID, caunoi.DecisionInput{Version: l.Version, On: mday("2025-02-03"), Decision: "approve"}); err != nil {
				t.Fatal(err)
			}
		}

		// Only who holds loan.disburse pays out; only loan.approve approves.
		next := k.apply(k.As(caunoi.RolePeerEducator, "hpg"), f, c, loanTerms{amount: 1_000_000, method: caunoi.MethodInterestFree, months: 2, on: "2025-02-01"})
		_, err = k.Loans.Decide(k.As(caunoi.RoleGroupLeader, "hpg"), next.ID, caunoi.DecisionInput{Version: 1, On: mday("2025-02-03"), Decision: "approve"})
		wantCode(t, err, caunoi.EFORBIDDEN)
		_, err = k.Loans.Disburse(officer, own.ID, caunoi.DisbursementInput{Version: own.Version + 1, On: mday("2025-02-04")})
		wantCode(t, err, caunoi.EFORBIDDEN)
		_, err = k.Loans.Appraise(k.As(caunoi.RolePeerEducator, "hpg"), next.ID, caunoi.AppraisalInput{Version: 1, On: mday("2025-02-02"), Notes: "x", Recommendation: "approve"})
		wantCode(t, err, caunoi.EFORBIDDEN)
		// A national officer sees the fund's figures but no loan.
		nat := k.As(caunoi.RoleNationalOfficer, "nat")
		if _, err := k.Loans.Portfolio(nat, f.ID, mtime("2025-03-01")); err != nil {
			t.Errorf("national portfolio: %v", err)
		}
		_, _, err = k.Loans.FindLoans(nat, caunoi.LoanFilter{})
		wantCode(t, err, caunoi.EFORBIDDEN)
		_, err = k.Loans.FindLoanByID(nat, own.ID, nil)
		wantCode(t, err, caunoi.EFORBIDDEN)
		// Another province sees nothing of it.
		_, err = k.Loans.FindLoanByID(k.As(caunoi.RoleProvinceOfficer, "qn"), own.ID, nil)
		wantCode(t, err, caunoi.ENOTFOUND)
		_, err = k.Funds.FindFundByID(k.As(caunoi.RoleProvinceOfficer, "qn"), f.ID)
		wantCode(t, err, caunoi.ENOTFOUND)
		_, err = k.Loans.Decide(k.As(caunoi.RoleProvinceOfficer, "qn"), next.ID, caunoi.DecisionInput{Version: 1, On: mday("2025-02-03"), Decision: "approve"})
		wantCode(t, err, caunoi.ENOTFOUND)
		// The club sees the province's fund it borrows from, not to write.
		if _, err := k.Funds.FindFundByID(k.As(caunoi.RolePeerEducator, "hpg"), f.ID); err != nil {
			t.Errorf("the club cannot see its network's fund: %v", err)
		}
	})
}

// Bad input is refused with a message naming what to fix, and leaves the
// ledger as it was.
func TestLoanBadInput(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		k := newMoneyKit(t, db)
		officer := k.As(caunoi.RoleProvinceOfficer, "hp")
		peer := k.As(caunoi.RolePeerEducator, "hpg")
		f := k.openFund(officer, "hp", "Quỹ", 3_000_000, "2025-01-02")
		c := k.createClient(peer, "hpg", "Hoa")
		entries := func() int { return k.balance(f).Entries }

		// A negative amount, no purpose, an unknown method.
		l := &caunoi.Loan{FundID: f.ID, ClientID: c.ID, Amount: -5, Method: "usury", TermMonths: 3, AppliedOn: mday("2025-01-05")}
		err := k.Loans.Apply(peer, l)
		wantInvalid(t, err, "amount")
		wantInvalid(t, err, "purpose")
		wantInvalid(t, err, "method")
		if e := caunoi.AsError(err); e.Fields[0].Key != "err.money.negative" {
			t.Errorf("negative amount: %v", err)
		}
		// A proposed schedule that does not sum to the principal.
		l = &caunoi.Loan{FundID: f.ID, ClientID: c.ID, Amount: 1_000_000, Purpose: "Bán hàng", Method: caunoi.MethodInterestFree,
			Frequency: caunoi.FrequencyCustom, AppliedOn: mday("2025-01-05"),
			Proposed: []caunoi.Installment{{Due: mday("2025-03-01"), Principal: 300_000}, {Due: mday("2025-05-01"), Principal: 300_000}}}
		err = k.Loans.Apply(peer, l)
		wantInvalid(t, err, "proposed")
		if e := caunoi.AsError(err); e.Fields[0].Key != "err.loan.schedule_sum" {
			t.Errorf("schedule sum: %v", err)
		}
		// Fixed, it is accepted, with the term counted from the days.
		l.Proposed[1].Principal = 700_000
		must(t, k.Loans.Apply(peer, l))
		if l.TermMonths != 4 {
			t.Errorf("custom term: %d months", l.TermMonths)
		}
		// A fund the group may not borrow from; a client of another group.
		other := k.openFund(k.As(caunoi.RoleProvinceOfficer, "qn"), "qn", "Quỹ Quảng Ninh", 1_000_000, "2025-01-02")
		err = k.Loans.Apply(peer, &caunoi.Loan{FundID: other.ID, ClientID: c.ID, Amount: 100_000, Purpose: "x", Method: caunoi.MethodInterestFree,
			TermMonths: 1, AppliedOn: mday("2025-01-05")})
		wantInvalid(t, err, "fund_id")
		qc := k.createClient(k.As(caunoi.RolePeerEducator, "qng"), "qng", "Ngoài")
		err = k.Loans.Apply(peer, &caunoi.Loan{FundID: f.ID, ClientID: qc.ID, Amount: 100_000, Purpose: "x", Method: caunoi.MethodInterestFree,
			TermMonths: 1, AppliedOn: mday("2025-01-05")})
		wantInvalid(t, err, "client_id")

		// Disbursing beyond the fund's cash: refused, nothing written.
		big := k.apply(peer, f, c, loanTerms{amount: 5_000_000, method: caunoi.MethodInterestFree, months: 5, on: "2025-01-05"})
		big, err = k.Loans.Appraise(k.As(caunoi.RoleGroupLeader, "hpg"), big.ID, caunoi.AppraisalInput{Version: 1, On: mday("2025-01-06"), Notes: "ổn", Recommendation: "approve"})
		must(t, err)
		big, err = k.Loans.Decide(officer, big.ID, caunoi.DecisionInput{Version: big.Version, On: mday("2025-01-06"), Decision: "approve"})
		must(t, err)
		before := entries()
		_, err = k.Loans.Disburse(k.As(caunoi.RoleGroupLeader, "hpg"), big.ID, caunoi.DisbursementInput{Version: big.Version, On: mday("2025-01-07")})
		wantInvalid(t, err, "amount")
		if e := caunoi.AsError(err); e.Fields[0].Key != "err.fund.insufficient" || e.Fields[0].Args["Cash"] != int64(3_000_000) {
			t.Errorf("insufficient: %v %+v", err, e.Fields)
		}
		if entries() != before || k.loan(big.ID, "2025-01-07").Status != caunoi.LoanApproved {
			t.Fatal("a refused disbursement left something behind")
		}
		// A stale version is a conflict, not a second disbursement.
		_, err = k.Loans.Disburse(k.As(caunoi.RoleGroupLeader, "hpg"), big.ID, caunoi.DisbursementInput{Version: 1, On: mday("2025-01-07")})
		wantCode(t, err, caunoi.ECONFLICT)

		// Repaying more than owed: refused, saying what is owed.
		small := k.activate(k.apply(peer, f, c, loanTerms{amount: 1_200_000, method: caunoi.MethodDeclining, rate: 1200, months: 2, on: "2025-01-08"}), "2025-01-10")
		// 1% a month: 6.000 then 6.000 on 600.000 … 12.000 and 6.000: 1.218.000 in all.
		before = entries()
		_, err = k.Loans.Repay(peer, small.ID, caunoi.RepaymentInput{Amount: 1_218_001, PaidOn: mday("2025-02-10")})
		wantInvalid(t, err, "amount")
		if e := caunoi.AsError(err); e.Fields[0].Key != "err.loan.overpaid" || e.Fields[0].Args["Owed"] != int64(1_218_000) {
			t.Errorf("overpaid: %v %+v", err, e.Fields)
		}
		// A negative or zero repayment; a day before the disbursement; one
		// in the future.
		for _, in := range []caunoi.RepaymentInput{
			{Amount: -1, PaidOn: mday("2025-02-10")}, {Amount: 0, PaidOn: mday("2025-02-10")},
		} {
			_, err = k.Loans.Repay(peer, small.ID, in)
			wantInvalid(t, err, "amount")
		}
		_, err = k.Loans.Repay(peer, small.ID, caunoi.RepaymentInput{Amount: 1000, PaidOn: mday("2025-01-09")})
		wantInvalid(t, err, "paid_on")
		_, err = k.Loans.Repay(peer, small.ID, caunoi.RepaymentInput{Amount: 1000, PaidOn: caunoi.Date(caunoi.Today().AddDate(0, 0, 2))})
		wantInvalid(t, err, "paid_on")
		if entries() != before {
			t.Fatal("refused repayments wrote to the ledger")
		}
		// A repayment sent twice with its id is recorded once.
		r := caunoi.RepaymentInput{ID: caunoi.NewID(), Amount: 100_000, PaidOn: mday("2025-02-10")}
		first, err := k.Loans.Repay(peer, small.ID, r)
		must(t, err)
		second, err := k.Loans.Repay(peer, small.ID, r)
		must(t, err)
		if first.ID != second.ID || len(k.loan(small.ID, "2025-02-10").Repayments) != 1 {
			t.Fatal("a repeated repayment was recorded twice")
		}
		// Repayments are kept in order: none dated before the last.
		_, err = k.Loans.Repay(peer, small.ID, caunoi.RepaymentInput{Amount: 1000, PaidOn: mday("2025-02-01")})
		wantInvalid(t, err, "paid_on")

		// A rejection needs a reason; a write-off too.
		rej := k.apply(peer, f, c, loanTerms{amount: 100_000, method: caunoi.MethodInterestFree, months: 1, on: "2025-01-05"})
		rej, err = k.Loans.Appraise(k.As(caunoi.RoleGroupLeader, "hpg"), rej.ID, caunoi.AppraisalInput{Version: 1, On: mday("2025-01-06"), Notes: "Chưa rõ", Recommendation: "reject"})
		must(t, err)
		_, err = k.Loans.Decide(officer, rej.ID, caunoi.DecisionInput{Version: rej.Version, On: mday("2025-01-06"), Decision: "reject"})
		wantInvalid(t, err, "note")
		rej, err = k.Loans.Decide(officer, rej.ID, caunoi.DecisionInput{Version: rej.Version, On: mday("2025-01-06"), Decision: "reject", Note: "Chưa có kế hoạch"})
		must(t, err)
		if rej.Status != caunoi.LoanRejected || rej.ClosedOn == nil {
			t.Fatalf("rejected: %+v", rej)
		}
		_, err = k.Loans.WriteOff(officer, small.ID, caunoi.WriteOffInput{Version: 99, On: mday("2025-06-01")})
		wantInvalid(t, err, "reason")

		// Writing off: the principal outstanding leaves the book as a loss.
		small = k.loan(small.ID, "2025-06-01")
		_, err = k.Loans.WriteOff(officer, small.ID, caunoi.WriteOffInput{Version: small.Version, On: mday("2025-06-01"), Reason: "Đã chuyển đi nơi khác"})
		must(t, err)
		b := k.balance(f)
		if b.WrittenOff != 1_200_000-88_000 || b.Outstanding != 0 {
			t.Fatalf("written off: %+v", b)
		}
		// The ledger itself refuses to be changed or emptied.
		if _, err := db.WriteDB().Exec("UPDATE fund_entries SET amount = 1"); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("UPDATE of the ledger: %v", err)
		}
		if _, err := db.WriteDB().Exec("DELETE FROM fund_entries"); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("DELETE of the ledger: %v", err)
		}
		if _, err := db.WriteDB().Exec("DELETE FROM loan_repayments"); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("DELETE of repayments: %v", err)
		}
		k.balance(f)
	})
}

// Arrears and the portfolio at risk on given days, from recorded loans.
func TestArrearsAndPAR30OnGivenDays(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		k := newMoneyKit(t, db)
		officer := k.As(caunoi.RoleProvinceOfficer, "hp")
		peer := k.As(caunoi.RolePeerEducator, "hpg")
		f := k.openFund(officer, "hp", "Quỹ", 50_000_000, "2025-01-02")
		terms := loanTerms{amount: 12_000_000, method: caunoi.MethodFlat, rate: 1200, months: 12, on: "2025-01-10"}
		// 1.120.000 due on the 15th of each month from February.
		late := k.activate(k.apply(peer, f, k.createClient(peer, "hpg", "Trễ"), terms), "2025-01-15")
		onTime := k.activate(k.apply(peer, f, k.createClient(peer, "hpg", "Đúng hạn"), terms), "2025-01-15")
		k.activate(k.apply(peer, f, k.createClient(peer, "hpg", "Chưa trả"), terms), "2025-01-15") // never repaid
		k.repay(late, 1_120_000, "2025-02-15")
		for _, d := range []string{"2025-02-15", "2025-03-15", "2025-04-15"} {
			k.repay(onTime, 1_120_000, d)
		}
		// An application waiting since 1 March.
		k.apply(peer, f, k.createClient(peer, "hpg", "Chờ"), loanTerms{amount: 1_000_000, method: caunoi.MethodInterestFree, months: 2, on: "2025-03-01"})

		for _, c := range []struct {
			on                          string
			pending                     int
			inArrears                   int
			atRisk, outstanding         int64
			bp                          int
			names                       []string
			days                        []int
			activeLoans, activeBorrower int
		}{
			{"2025-01-14", 0, 0, 0, 0, 0, nil, nil, 0, 0}, // nothing out yet
			{"2025-03-10", 1, 1, 0, 34_000_000, 0, []string{"Chưa trả"}, []int{23}, 3, 3},
			{"2025-03-20", 1, 2, 12_000_000, 33_000_000, 3636, []string{"Chưa trả", "Trễ"}, []int{33, 5}, 3, 3},
			{"2025-04-20", 1, 2, 23_000_000, 32_000_000, 7188, []string{"Chưa trả", "Trễ"}, []int{64, 36}, 3, 3},
		} {
			p, err := k.Loans.Portfolio(officer, f.ID, mtime(c.on))
			must(t, err)
			if p.InArrears != c.inArrears || p.AtRisk30 != c.atRisk || p.Outstanding != c.outstanding || p.PAR30BP != c.bp ||
				p.ActiveLoans != c.activeLoans || p.ActiveBorrowers != c.activeBorrower || p.Pending != c.pending {
				t.Errorf("%s: portfolio %+v", c.on, p)
			}
			lines, err := k.Loans.Arrears(peer, f.ID, mtime(c.on))
			must(t, err)
			var names []string
			var days []int
			for _, l := range lines {
				names = append(names, l.Loan.ClientNickname)
				days = append(days, l.Position.DaysOverdue)
			}
			if !slices.Equal(names, c.names) || !slices.Equal(days, c.days) {
				t.Errorf("%s: arrears %v %v, want %v %v", c.on, names, days, c.names, c.days)
			}
		}
		// The group of another province sees none of these arrears.
		lines, err := k.Loans.Arrears(k.As(caunoi.RolePeerEducator, "qng"), f.ID, mtime("2025-04-20"))
		if caunoi.ErrorCode(err) != caunoi.ENOTFOUND && len(lines) != 0 {
			t.Errorf("arrears seen from another province: %v %v", lines, err)
		}
	})
}

// A repayment entered by mistake is undone, never deleted: only the
// latest one standing, with a reason; the ledger gets entries that undo
// it, the loan owes it again, and nothing is undone whose cash was paid
// out since.
func TestRepaymentReversal(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		k := newMoneyKit(t, db)
		officer := k.As(caunoi.RoleProvinceOfficer, "hp")
		peer := k.As(caunoi.RolePeerEducator, "hpg")
		f := k.openFund(officer, "hp", "Quỹ", 1_800_000, "2025-01-02")
		c := k.createClient(peer, "hpg", "Nga")
		l := k.activate(k.apply(peer, f, c, loanTerms{amount: 1_200_000, method: caunoi.MethodInterestFree, months: 2, on: "2025-01-05"}), "2025-01-06")
		first := k.repay(l, 600_000, "2025-02-06")
		second := k.repay(l, 600_000, "2025-03-06")
		if got := k.loan(l.ID, "2025-03-06"); got.Status != caunoi.LoanMatured {
			t.Fatalf("status %s", got.Status)
		}
		// Only the latest standing repayment; a reason is needed.
		_, err := k.Loans.ReverseRepayment(peer, first.ID, "Ghi nhầm")
		wantCode(t, err, caunoi.ECONFLICT)
		_, err = k.Loans.ReverseRepayment(peer, second.ID, " ")
		wantInvalid(t, err, "reason")
		_, err = k.Loans.ReverseRepayment(k.As(caunoi.RolePeerEducator, "qng"), second.ID, "Ghi nhầm")
		wantCode(t, err, caunoi.ENOTFOUND)
		got, err := k.Loans.ReverseRepayment(peer, second.ID, "Ghi hai lần cùng một khoản")
		must(t, err)
		if got.Status != caunoi.LoanActive || got.ClosedOn != nil || got.Repaid != 600_000 || len(got.Repayments) != 2 || got.Repayments[1].Reversal == nil {
			t.Fatalf("after the reversal: %s, repaid %d, %+v", got.Status, got.Repaid, got.Repayments)
		}
		b := k.balance(f)
		if b.Cash != 1_800_000-1_200_000+600_000 || b.Outstanding != 600_000 || b.PrincipalRepaid != 600_000 {
			t.Fatalf("balance after the reversal: %+v", b)
		}
		if pos := k.loan(l.ID, "2025-04-01").Position; pos.Overdue != 600_000 || pos.DaysOverdue != 26 {
			t.Fatalf("the loan owes it again: %+v", pos)
		}
		// Undone twice: the second is refused.
		_, err = k.Loans.ReverseRepayment(peer, second.ID, "Lần nữa")
		wantCode(t, err, caunoi.ECONFLICT)
		// Repaid again, then the cash lent out: the repayment cannot be undone.
		again := k.repay(l, 600_000, "2025-03-10")
		other := k.activate(k.apply(peer, f, c, loanTerms{amount: 1_800_000, method: caunoi.MethodInterestFree, months: 3, on: "2025-03-11"}), "2025-03-12")
		_, err = k.Loans.ReverseRepayment(peer, again.ID, "Ghi nhầm")
		wantInvalid(t, err, "repayment")
		if e := caunoi.AsError(err); e.Fields[0].Key != "err.loan.reverse_spent" {
			t.Errorf("spent: %v", err)
		}
		k.balance(f)
		_ = other
		// The reversal itself is kept as written.
		if _, err := db.WriteDB().Exec("DELETE FROM loan_repayment_reversals"); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("DELETE of reversals: %v", err)
		}
	})
}
