package sqldb_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/money"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// bulkInsert writes rows into a table in one transaction, a few hundred
// rows a statement, past the services: benchmarks need big books quickly.
func bulkInsert(b *testing.B, db *sqldb.DB, table string, cols []string, rows [][]any) {
	b.Helper()
	tx, err := db.WriteDB().Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	const batch = 200
	for start := 0; start < len(rows); start += batch {
		chunk := rows[start:min(start+batch, len(rows))]
		var sb strings.Builder
		var args []any
		sb.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		for i, r := range chunk {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(")
			for j, v := range r {
				if j > 0 {
					sb.WriteString(", ")
				}
				args = append(args, v)
				fmt.Fprintf(&sb, "$%d", len(args))
			}
			sb.WriteString(")")
		}
		if _, err := tx.Exec(sb.String(), args...); err != nil {
			b.Fatalf("bulk insert %s: %v", table, err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// benchEntries is the size of the ledger the balance is summed from.
const benchEntries = 100_000

// BenchmarkFundBalance times reading a fund with its balance summed from a
// ledger of 100,000 entries (capital, disbursements, repayments of
// principal and interest), as the province officer.
func BenchmarkFundBalance(b *testing.B) {
	for _, d := range sqldbtest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			db := sqldbtest.MustOpen(b, d)
			k := newMoneyKit(b, db)
			f := k.openFund(k.sys, "hp", "Quỹ lớn", 0, "2020-01-01")
			var rows [][]any
			at := time.Now().UTC()
			kinds := []struct {
				kind   string
				amount int64
			}{{"capital_in", 1_000_000}, {"disbursement", 600_000}, {"repayment_principal", 300_000}, {"repayment_interest", 15_000}}
			for i := range benchEntries {
				e := kinds[i%len(kinds)]
				day := mtime("2020-01-01").AddDate(0, 0, i/100)
				source := ""
				if e.kind == "capital_in" {
					source = "donor"
				}
				rows = append(rows, []any{caunoi.NewID(), f.ID, k.O("hp").Path, int64(i + 1), e.kind, e.amount, day, source, "", at})
			}
			bulkInsert(b, db, "fund_entries", []string{"id", "fund_id", "org_path", "seq", "kind", "amount", "entry_on", "source", "note", "recorded_at"}, rows)
			if _, err := db.WriteDB().Exec("UPDATE funds SET entry_seq = $1 WHERE id = $2", benchEntries, f.ID); err != nil {
				b.Fatal(err)
			}
			officer := k.As(caunoi.RoleProvinceOfficer, "hp")
			b.ResetTimer()
			for b.Loop() {
				got, err := k.Funds.FindFundByID(officer, f.ID)
				if err != nil {
					b.Fatal(err)
				}
				if got.Balance.Entries != benchEntries || !got.Balance.Reconciles() || got.Balance.Cash != 25_000*(1_000_000-600_000+300_000+15_000) {
					b.Fatalf("balance %+v", got.Balance)
				}
			}
		})
	}
}

// benchLoans is the number of loans out in the arrears benchmark.
const benchLoans = 2000

// BenchmarkArrears times the club's list of loans in arrears, and the
// fund's portfolio (PAR30), over 2,000 loans out of one fund with 12
// installments each and their repayments, a third of them behind.
func BenchmarkArrears(b *testing.B) {
	for _, d := range sqldbtest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			db := sqldbtest.MustOpen(b, d)
			k := newMoneyKit(b, db)
			f := k.openFund(k.sys, "hp", "Quỹ lớn", 0, "2020-01-01")
			group := k.O("hpg")
			now := time.Now().UTC()
			today := caunoi.Today()
			var clients, loans, installments, repayments [][]any
			late := 0
			for i := range benchLoans {
				cid, lid := caunoi.NewID(), caunoi.NewID()
				clients = append(clients, []any{cid, group.ID, group.Path, fmt.Sprintf("Khách %04d", i), fmt.Sprintf("khach %04d", i), "female", ",post_rehab,",
					"local", "active", now, now})
				disbursed := today.AddDate(0, -(i%11)-1, -(i % 25))
				loans = append(loans, []any{lid, f.ID, group.ID, group.Path, cid, int64(3_600_000), "Vốn làm ăn", 12, "flat", "monthly", 600,
					disbursed.AddDate(0, 0, -7), "active", disbursed, now, now})
				sched, err := money.Schedule(money.Terms{Principal: 3_600_000, RateBP: 600, Method: caunoi.MethodFlat, Frequency: caunoi.FrequencyMonthly,
					Months: 12, Start: disbursed})
				if err != nil {
					b.Fatal(err)
				}
				behind := i%3 == 0
				if behind {
					late++
				}
				for _, in := range sched {
					installments = append(installments, []any{lid, in.No, time.Time(in.Due), in.Principal, in.Interest})
					due := time.Time(in.Due)
					if due.After(today) || (behind && in.No > 1) {
						continue
					}
					repayments = append(repayments, []any{caunoi.NewID(), lid, f.ID, group.Path, due, in.Total(), in.Principal, in.Interest, now})
				}
			}
			bulkInsert(b, db, "clients", []string{"id", "org_id", "org_path", "nickname", "nickname_search", "sex", "populations", "residence", "status",
				"created_at", "updated_at"}, clients)
			bulkInsert(b, db, "loans", []string{"id", "fund_id", "org_id", "org_path", "client_id", "amount", "purpose", "term_months", "method", "frequency",
				"rate_bp", "applied_on", "status", "disbursed_on", "created_at", "updated_at"}, loans)
			bulkInsert(b, db, "loan_installments", []string{"loan_id", "no", "due_on", "principal", "interest"}, installments)
			bulkInsert(b, db, "loan_repayments", []string{"id", "loan_id", "fund_id", "org_path", "paid_on", "amount", "principal", "interest", "recorded_at"},
				repayments)
			// Those behind paid only their first month: every one of them
			// with a second installment due is in arrears.
			wantLate := 0
			for i := range benchLoans {
				if i%3 == 0 && today.AddDate(0, -(i%11)-1, -(i%25)).AddDate(0, 2, 0).Before(today.AddDate(0, 0, 1)) {
					wantLate++
				}
			}
			leader := k.As(caunoi.RoleGroupLeader, "hpg")
			nat := k.As(caunoi.RoleNationalOfficer, "nat")
			b.Run("arrears_list", func(b *testing.B) {
				for b.Loop() {
					lines, err := k.Loans.Arrears(leader, f.ID, today)
					if err != nil {
						b.Fatal(err)
					}
					if len(lines) != wantLate {
						b.Fatalf("%d in arrears, want %d of the %d behind", len(lines), wantLate, late)
					}
				}
			})
			b.Run("portfolio", func(b *testing.B) {
				for b.Loop() {
					p, err := k.Loans.Portfolio(nat, f.ID, today)
					if err != nil {
						b.Fatal(err)
					}
					if p.ActiveLoans != benchLoans || p.PAR30BP == 0 {
						b.Fatalf("portfolio %+v", p)
					}
				}
			})
		})
	}
}
