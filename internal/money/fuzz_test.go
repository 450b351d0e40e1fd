package money_test

import (
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/money"
)

// FuzzSchedule checks, for any terms a user may give, that the schedule
// sums to the principal to the đồng, that no installment is negative, and
// that any sequence of payments up to what is owed splits into principal
// and interest that add up: the principal repaid never passes the loan, and
// once everything is paid nothing is outstanding.
func FuzzSchedule(f *testing.F) {
	f.Add(int64(12_000_000), 1200, 12, uint8(0), uint8(0), int64(620_000))
	f.Add(int64(1_000_000), 700, 7, uint8(1), uint8(0), int64(1))
	f.Add(int64(3_950_000), 0, 6, uint8(2), uint8(0), int64(3_950_000))
	f.Add(int64(999_999_999), 3600, 120, uint8(1), uint8(1), int64(77_777_777))
	f.Add(int64(1), 1, 1, uint8(0), uint8(1), int64(1))
	f.Fuzz(func(t *testing.T, principal int64, rate, months int, method, freq uint8, step int64) {
		if principal <= 0 || principal > caunoi.MaxAmount || rate < 0 || rate > caunoi.MaxRateBP ||
			months < 1 || months > caunoi.MaxTermMonths || step <= 0 {
			t.Skip()
		}
		terms := money.Terms{Principal: principal, RateBP: rate, Method: caunoi.LoanMethods[int(method)%3], Months: months,
			Frequency: caunoi.FrequencyMonthly, Start: time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)}
		if freq%2 == 1 {
			// The member's own days: every 45 days, the principal split
			// unevenly but summing to the loan.
			terms.Frequency = caunoi.FrequencyCustom
			parts := money.Split(principal, months)
			if months > 1 && parts[0] > 1 {
				parts[0], parts[1] = parts[0]-parts[0]/2, parts[1]+parts[0]/2
			}
			for i, p := range parts {
				terms.Proposed = append(terms.Proposed, caunoi.Installment{Due: caunoi.Date(terms.Start.AddDate(0, 0, 45*(i+1))), Principal: p})
			}
		}
		s, err := money.Schedule(terms)
		if err != nil {
			t.Fatalf("Schedule(%+v): %v", terms, err)
		}
		p, interest, total := money.Sums(s)
		if p != principal {
			t.Fatalf("principal sums to %d, want %d", p, principal)
		}
		if terms.Method == caunoi.MethodInterestFree && interest != 0 {
			t.Fatalf("interest-free with %d of interest", interest)
		}
		for i, in := range s {
			if in.Principal < 0 || in.Interest < 0 || in.No != i+1 {
				t.Fatalf("installment %+v", in)
			}
			if i > 0 && !time.Time(in.Due).After(time.Time(s[i-1].Due)) {
				t.Fatalf("days out of order at %d", i+1)
			}
		}
		var paid, principalPaid int64
		for paid < total {
			amount := min(step, total-paid)
			pp, ip, err := money.Allocate(s, paid, amount)
			if err != nil {
				t.Fatalf("Allocate(%d, %d): %v", paid, amount, err)
			}
			if pp < 0 || ip < 0 || pp+ip != amount {
				t.Fatalf("Allocate(%d, %d) = %d + %d", paid, amount, pp, ip)
			}
			paid += amount
			principalPaid += pp
			if principalPaid > principal {
				t.Fatalf("principal repaid %d beyond %d", principalPaid, principal)
			}
			step = step*3/2 + 1 // vary the payments
		}
		if principalPaid != principal {
			t.Fatalf("paid in full but principal repaid %d of %d", principalPaid, principal)
		}
		if _, _, err := money.Allocate(s, paid, 1); err == nil {
			t.Fatal("a đồng more than owed was accepted")
		}
		pos := money.Position(s, []money.Payment{{On: terms.Start, Amount: paid}}, time.Time(s[len(s)-1].Due))
		if pos.Owed != 0 || pos.Outstanding != 0 || pos.Overdue != 0 {
			t.Fatalf("repaid in full: %+v", pos)
		}
	})
}
