package sqldb_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/money"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// The ledger stays balanced when collectors record repayments of the same
// loan at the same moment, and when a fund pays out several loans at once:
// no repayment beyond what is owed, no disbursement beyond the cash, and
// every entry numbered once. On PostgreSQL the writers really overlap (the
// fund's row is the lock); on SQLite they queue for the one writer.
func TestLedgerUnderConcurrentRepayments(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		k := newMoneyKit(t, db)
		officer := k.As(caunoi.RoleProvinceOfficer, "hp")
		peer := k.As(caunoi.RolePeerEducator, "hpg")
		leader := k.As(caunoi.RoleGroupLeader, "hpg")
		f := k.openFund(officer, "hp", "Quỹ", 5_000_000, "2025-01-02")
		c := k.createClient(peer, "hpg", "Thu")
		l := k.activate(k.apply(peer, f, c, loanTerms{amount: 1_200_000, method: caunoi.MethodInterestFree, months: 12, on: "2025-01-05"}), "2025-01-06")

		// 20 collectors bring 70.000 each for a loan owing 1.200.000: 17 of
		// them fit (1.190.000), the other 3 would pay more than is owed.
		const collectors = 20
		errs := make([]error, collectors)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range collectors {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = k.Loans.Repay(peer, l.ID, caunoi.RepaymentInput{Amount: 70_000, PaidOn: mday("2025-02-06")})
			}()
		}
		close(start)
		wg.Wait()
		ok, over := 0, 0
		for _, err := range errs {
			switch caunoi.ErrorCode(err) {
			case "":
				ok++
			case caunoi.EINVALID:
				over++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 17 || over != 3 {
			t.Fatalf("%d repayments accepted, %d refused; want 17 and 3", ok, over)
		}
		got := k.loan(l.ID, "2025-02-06")
		if got.Repaid != 1_190_000 || len(got.Repayments) != 17 || got.Status != caunoi.LoanActive || got.Position.Owed != 10_000 {
			t.Fatalf("loan after concurrent repayments: repaid %d in %d, %s, owes %d", got.Repaid, len(got.Repayments), got.Status, got.Position.Owed)
		}
		if b := k.balance(f); b.Cash != 5_000_000-1_200_000+1_190_000 || b.Outstanding != 10_000 {
			t.Fatalf("balance: %+v", b)
		}

		// Six approved loans of 1 million, paid out at once from 4.990.000:
		// four fit.
		var approved []*caunoi.Loan
		for range 6 {
			x := k.apply(peer, f, c, loanTerms{amount: 1_000_000, method: caunoi.MethodInterestFree, months: 2, on: "2025-02-07"})
			x, err := k.Loans.Appraise(leader, x.ID, caunoi.AppraisalInput{Version: 1, On: mday("2025-02-07"), Notes: "ổn", Recommendation: "approve"})
			must(t, err)
			x, err = k.Loans.Decide(officer, x.ID, caunoi.DecisionInput{Version: x.Version, On: mday("2025-02-07"), Decision: "approve"})
			must(t, err)
			approved = append(approved, x)
		}
		errs = make([]error, len(approved))
		start = make(chan struct{})
		for i, x := range approved {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = k.Loans.Disburse(leader, x.ID, caunoi.DisbursementInput{Version: x.Version, On: mday("2025-02-08")})
			}()
		}
		close(start)
		wg.Wait()
		ok, over = 0, 0
		for _, err := range errs {
			switch caunoi.ErrorCode(err) {
			case "":
				ok++
			case caunoi.EINVALID:
				over++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 4 || over != 2 {
			t.Fatalf("%d disbursements, %d refused; want 4 and 2", ok, over)
		}
		if b := k.balance(f); b.Cash != 990_000 || b.Outstanding != 4_010_000 {
			t.Fatalf("balance after concurrent disbursements: %+v", b)
		}
		// Every entry numbered once, 1 to N.
		rows := rawRows(t, db, "fund_entries", "fund_id = $1", f.ID)
		var maxSeq int
		must(t, db.ReadDB().QueryRow("SELECT MAX(seq) FROM fund_entries WHERE fund_id = $1", f.ID).Scan(&maxSeq))
		if maxSeq != len(rows) || len(rows) != 1+1+17+4 {
			t.Fatalf("%d entries numbered up to %d", len(rows), maxSeq)
		}
	})
}

// ledgerModel is what the test expects of a fund, counted apart from
// storage.
type ledgerModel struct {
	cash, outstanding, capital, interest, writtenOff, transfersIn, transfersOut int64
}

// modelLoan is an active loan as the test follows it.
type modelLoan struct {
	loan  *caunoi.Loan
	fund  int
	total int64 // principal and interest of the schedule
	paid  int64
	princ int64               // principal repaid
	reps  []*caunoi.Repayment // standing, oldest first
}

// leastCash is the least cash the fund's statement shows from the end of
// the day on, counted by the test from the statement's entries.
func leastCash(k *moneyKit, ctx context.Context, f *caunoi.Fund, on time.Time) (int64, error) {
	st, err := k.Funds.Statement(ctx, f.ID, nil, nil)
	if err != nil {
		return 0, err
	}
	var cash int64
	for _, e := range st.Entries {
		if !time.Time(e.On).After(on) {
			cash = e.CashAfter
		}
	}
	least := cash
	for _, e := range st.Entries {
		if time.Time(e.On).After(on) {
			least = min(least, e.CashAfter)
		}
	}
	return least, nil
}

// No sequence of valid operations breaks the balance: capital in, loans
// paid out (refused beyond the cash), repayments of any size (refused
// beyond what is owed), repayments undone (refused when their cash went
// out since), write-offs and transfers between two funds (some dated
// back), in a random order. After every operation each fund's ledger agrees with a
// model counted apart, reconciles to the đồng, and its principal
// outstanding is what its loans still owe; its book never shows negative
// cash on any day.
func TestLedgerInvariantUnderRandomOperations(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		seed := uint64(time.Now().UnixNano())
		t.Logf("seed %d", seed)
		rng := rand.New(rand.NewPCG(seed, 7))
		k := newMoneyKit(t, db)
		officer := k.As(caunoi.RoleProvinceOfficer, "hp")
		peer := k.As(caunoi.RolePeerEducator, "hpg")
		leader := k.As(caunoi.RoleGroupLeader, "hpg")
		funds := []*caunoi.Fund{k.openFund(officer, "hp", "Quỹ A", 0, "2025-01-01"), k.openFund(officer, "hp", "Quỹ B", 0, "2025-01-01")}
		models := make([]ledgerModel, 2)
		clients := []*caunoi.Client{k.createClient(peer, "hpg", "A"), k.createClient(peer, "hpg", "B"), k.createClient(peer, "hpg", "C")}
		var active []*modelLoan
		day := mtime("2025-01-01")
		on := func() caunoi.Date { return caunoi.Date(day) }

		check := func(step int, what string) {
			t.Helper()
			for i, f := range funds {
				got, err := k.Funds.FindFundByID(officer, f.ID)
				must(t, err)
				b, m := got.Balance, models[i]
				if b.Cash != m.cash || b.Outstanding != m.outstanding || b.Capital != m.capital || b.InterestEarned != m.interest ||
					b.WrittenOff != m.writtenOff || b.TransfersIn != m.transfersIn || b.TransfersOut != m.transfersOut || !b.Reconciles() {
					t.Fatalf("step %d (%s), fund %d: ledger %+v, model %+v", step, what, i, b, m)
				}
				var owed int64
				for _, ml := range active {
					if ml.fund == i {
						owed += ml.loan.Amount - ml.princ
					}
				}
				if owed != b.Outstanding {
					t.Fatalf("step %d (%s), fund %d: loans owe %d of principal, the ledger says %d", step, what, i, owed, b.Outstanding)
				}
			}
		}
		book := func() {
			t.Helper()
			for i, f := range funds {
				st, err := k.Funds.Statement(officer, f.ID, nil, nil)
				must(t, err)
				for _, e := range st.Entries {
					if e.CashAfter < 0 {
						t.Fatalf("fund %d: negative cash %d after entry %d on %s", i, e.CashAfter, e.Seq, time.Time(e.On).Format(time.DateOnly))
					}
				}
				if st.Closing != models[i].cash {
					t.Fatalf("fund %d: statement closes at %d, cash is %d", i, st.Closing, models[i].cash)
				}
			}
		}

		const steps = 120
		for step := range steps {
			day = day.AddDate(0, 0, rng.IntN(3))
			fi := rng.IntN(2)
			f, m := funds[fi], &models[fi]
			switch op := rng.IntN(10); {
			case op == 0 || (m.cash == 0 && op < 5):
				amount := int64(1+rng.IntN(50)) * 100_000
				_, err := k.Funds.RecordEntry(officer, &caunoi.FundEntry{FundID: f.ID, Kind: caunoi.EntryCapitalIn, Amount: amount,
					Source: caunoi.FundingSources[rng.IntN(4)], On: on()})
				must(t, err)
				m.cash += amount
				m.capital += amount
				check(step, "capital")
			case op <= 3:
				amount := int64(1+rng.IntN(40)) * 50_000
				method := caunoi.LoanMethods[rng.IntN(3)]
				rate := 0
				if method != caunoi.MethodInterestFree {
					rate = 100 + rng.IntN(2400)
				}
				l := k.apply(peer, f, clients[rng.IntN(3)], loanTerms{amount: amount, method: method, rate: rate, months: 1 + rng.IntN(12),
					on: day.Format(time.DateOnly)})
				l, err := k.Loans.Appraise(leader, l.ID, caunoi.AppraisalInput{Version: l.Version, On: on(), Notes: "ổn", Recommendation: "approve"})
				must(t, err)
				l, err = k.Loans.Decide(officer, l.ID, caunoi.DecisionInput{Version: l.Version, On: on(), Decision: "approve"})
				must(t, err)
				l, err = k.Loans.Disburse(leader, l.ID, caunoi.DisbursementInput{Version: l.Version, On: on()})
				if amount > m.cash {
					wantInvalid(t, err, "amount")
					check(step, "refused disbursement")
					continue
				}
				must(t, err)
				_, _, total := money.Sums(l.Schedule)
				active = append(active, &modelLoan{loan: l, fund: fi, total: total})
				m.cash -= amount
				m.outstanding += amount
				check(step, "disbursement")
			case op <= 7 && len(active) > 0:
				i := rng.IntN(len(active))
				ml := active[i]
				owed := ml.total - ml.paid
				amount := 1 + rng.Int64N(owed+owed/4+1)
				if rng.IntN(4) == 0 {
					amount = owed // settle it
				}
				r, err := k.Loans.Repay(peer, ml.loan.ID, caunoi.RepaymentInput{Amount: amount, PaidOn: on()})
				if amount > owed {
					wantInvalid(t, err, "amount")
					check(step, "refused repayment")
					continue
				}
				must(t, err)
				if r.Principal+r.Interest != amount {
					t.Fatalf("repayment split %d + %d of %d", r.Principal, r.Interest, amount)
				}
				ml.paid += amount
				ml.princ += r.Principal
				ml.reps = append(ml.reps, r)
				fm := &models[ml.fund]
				fm.cash += amount
				fm.outstanding -= r.Principal
				fm.interest += r.Interest
				if ml.paid == ml.total {
					if got := k.loan(ml.loan.ID, day.Format(time.DateOnly)); got.Status != caunoi.LoanMatured {
						t.Fatalf("settled but %s", got.Status)
					}
					active = append(active[:i], active[i+1:]...)
				}
				check(step, "repayment")
			case op == 8 && len(active) > 0 && rng.IntN(3) == 0:
				ml := active[rng.IntN(len(active))]
				if len(ml.reps) == 0 {
					check(step, "nothing to undo")
					continue
				}
				r := ml.reps[len(ml.reps)-1]
				least, err := leastCash(k, officer, funds[ml.fund], time.Time(r.PaidOn))
				must(t, err)
				_, err = k.Loans.ReverseRepayment(peer, r.ID, "Ghi nhầm")
				if r.Amount > least {
					wantInvalid(t, err, "repayment")
					check(step, "refused reversal")
					continue
				}
				must(t, err)
				ml.reps = ml.reps[:len(ml.reps)-1]
				ml.paid -= r.Amount
				ml.princ -= r.Principal
				fm := &models[ml.fund]
				fm.cash -= r.Amount
				fm.outstanding += r.Principal
				fm.interest -= r.Interest
				check(step, "reversal")
			case op == 8 && len(active) > 0:
				i := rng.IntN(len(active))
				ml := active[i]
				cur := k.loan(ml.loan.ID, day.Format(time.DateOnly))
				_, err := k.Loans.WriteOff(officer, ml.loan.ID, caunoi.WriteOffInput{Version: cur.Version, On: on(), Reason: "Không còn liên lạc"})
				must(t, err)
				fm := &models[ml.fund]
				fm.outstanding -= ml.loan.Amount - ml.princ
				fm.writtenOff += ml.loan.Amount - ml.princ
				active = append(active[:i], active[i+1:]...)
				check(step, "write-off")
			default:
				amount := int64(1+rng.IntN(30)) * 100_000
				to := 1 - fi
				// Sometimes entered late: dated up to ten days back, it
				// must not overdraw what went out since.
				when := day.AddDate(0, 0, -rng.IntN(11))
				if when.Before(mtime("2025-01-01")) {
					when = mtime("2025-01-01")
				}
				least, err := leastCash(k, officer, f, when)
				must(t, err)
				_, err = k.Funds.RecordEntry(officer, &caunoi.FundEntry{FundID: f.ID, Kind: caunoi.EntryTransferOut, Amount: amount, ToFundID: funds[to].ID,
					On: caunoi.Date(when)})
				if amount > least {
					wantInvalid(t, err, "amount")
					check(step, "refused transfer")
					continue
				}
				must(t, err)
				m.cash -= amount
				m.transfersOut += amount
				models[to].cash += amount
				models[to].transfersIn += amount
				check(step, "transfer")
			}
			if step%30 == 29 {
				book()
			}
		}
		book()
		if day.After(time.Now()) {
			t.Fatal("the test ran into the future")
		}
	})
}
