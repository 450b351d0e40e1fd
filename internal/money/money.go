// Package money holds the arithmetic of Cầu Nối's loans, with no database:
// repayment schedules (flat, declining balance, interest-free; monthly or
// on the member's own days) rounded so that they sum to the đồng, the split
// of a repayment into interest and principal, where a loan stands on a day
// (arrears, days overdue), and the portfolio at risk.
//
// Money is whole đồng in int64. Products of amounts, rates and days are
// taken in 128 bits and rounded half up once, at the end.
package money

import (
	"math"
	"math/bits"
	"time"

	"caunoi"
)

// MulDivRound returns a×b÷c rounded half up, for a, b ≥ 0 and c > 0,
// without overflow in the product. A quotient beyond int64 saturates.
func MulDivRound(a, b, c int64) int64 {
	if a < 0 || b < 0 || c <= 0 {
		panic("money: MulDivRound needs a, b ≥ 0 and c > 0")
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	lo, carry := bits.Add64(lo, uint64(c)/2, 0)
	hi += carry
	if hi >= uint64(c) {
		return math.MaxInt64
	}
	q, _ := bits.Div64(hi, lo, uint64(c))
	if q > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(q)
}

// Split divides total into n whole parts that sum to it exactly: equal
// parts, the đồng left over by the division on the last.
func Split(total int64, n int) []int64 {
	if n <= 0 {
		return nil
	}
	out := make([]int64, n)
	part := total / int64(n)
	for i := range out {
		out[i] = part
	}
	out[n-1] += total - part*int64(n)
	return out
}

// AddMonths returns the day n months after t, kept inside the month: one
// month after 31 January is the last day of February, not 3 March.
func AddMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

// Days returns the whole days from a to b (days at midnight UTC).
func Days(a, b time.Time) int {
	return int(b.Sub(a).Hours() / 24)
}

// bpYear is basis points × days of a year: interest over d days at r basis
// points a year is principal × r × d ÷ bpYear.
const bpYear = 10_000 * 365

// bpMonth is basis points × months of a year.
const bpMonth = 10_000 * 12

// Terms are what a schedule is made from.
type Terms struct {
	Principal int64
	RateBP    int    // annual, basis points
	Method    string // caunoi.MethodFlat, MethodDeclining, MethodInterestFree
	Frequency string // caunoi.FrequencyMonthly or FrequencyCustom
	Months    int    // monthly: the number of installments
	// Start is the day of disbursement; installments fall after it.
	Start time.Time
	// Proposed is the member's own schedule (custom): days and principal.
	Proposed []caunoi.Installment
}

// Schedule returns the installments of a loan: principal that sums to the
// loan exactly, and interest by the method, each rounded to the đồng.
//
//   - flat, monthly: the whole term's interest, principal × rate × months
//     ÷ 12, split in equal parts;
//   - declining, monthly: each month, the principal still owed × rate ÷ 12;
//   - on custom days, the same by the days of each period ÷ 365;
//   - interest-free: none.
//
// A custom schedule whose first day is not after Start is EINVALID (field
// "on": the loan was paid out after the member's first day).
func Schedule(t Terms) ([]caunoi.Installment, error) {
	if t.Principal <= 0 {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: "amount", Key: "err.money.required"})
	}
	var out []caunoi.Installment
	switch t.Frequency {
	case caunoi.FrequencyCustom:
		if len(t.Proposed) == 0 {
			return nil, caunoi.Invalid(caunoi.FieldError{Field: "proposed", Key: "err.loan.schedule_required"})
		}
		var sum int64
		for i, p := range t.Proposed {
			sum += p.Principal
			out = append(out, caunoi.Installment{No: i + 1, Due: p.Due, Principal: p.Principal})
		}
		if sum != t.Principal {
			return nil, caunoi.Invalid(caunoi.FieldError{Field: "proposed", Key: "err.loan.schedule_sum",
				Args: map[string]any{"Sum": sum, "Amount": t.Principal}})
		}
		if !time.Time(out[0].Due).After(t.Start) {
			return nil, caunoi.Invalid(caunoi.FieldError{Field: "on", Key: "err.loan.disbursed_after_schedule"})
		}
	default:
		if t.Months <= 0 {
			return nil, caunoi.Invalid(caunoi.FieldError{Field: "term_months", Key: "err.loan.term", Args: map[string]any{"Max": caunoi.MaxTermMonths}})
		}
		for i, p := range Split(t.Principal, t.Months) {
			out = append(out, caunoi.Installment{No: i + 1, Due: caunoi.Date(AddMonths(t.Start, i+1)), Principal: p})
		}
	}
	rate := int64(t.RateBP)
	if t.Method == caunoi.MethodInterestFree || rate == 0 {
		return out, nil
	}
	owed := t.Principal
	prev := t.Start
	monthly := t.Frequency != caunoi.FrequencyCustom
	if monthly && t.Method == caunoi.MethodFlat {
		total := MulDivRound(t.Principal, rate*int64(t.Months), bpMonth)
		for i, in := range Split(total, t.Months) {
			out[i].Interest = in
		}
		return out, nil
	}
	for i := range out {
		due := time.Time(out[i].Due)
		base := owed
		if t.Method == caunoi.MethodFlat {
			base = t.Principal
		}
		if monthly {
			out[i].Interest = MulDivRound(base, rate, bpMonth)
		} else {
			out[i].Interest = MulDivRound(base, rate*int64(Days(prev, due)), bpYear)
		}
		owed -= out[i].Principal
		prev = due
	}
	return out, nil
}

// Sums returns a schedule's principal, interest and total.
func Sums(s []caunoi.Installment) (principal, interest, total int64) {
	for _, in := range s {
		principal += in.Principal
		interest += in.Interest
	}
	return principal, interest, principal + interest
}

// PrincipalPaid returns how much of the first paid đồng repaid on a
// schedule went to principal: payments settle the installments in order,
// each one's interest before its principal.
func PrincipalPaid(s []caunoi.Installment, paid int64) int64 {
	var principal int64
	for _, in := range s {
		if paid <= 0 {
			break
		}
		paid -= min(paid, in.Interest)
		p := min(paid, in.Principal)
		principal += p
		paid -= p
	}
	return principal
}

// Allocate splits a payment of amount, after paidBefore đồng already
// repaid, into principal and interest. A payment beyond what is still
// owed is EINVALID on field "amount", saying how much is owed.
func Allocate(s []caunoi.Installment, paidBefore, amount int64) (principal, interest int64, err error) {
	_, _, total := Sums(s)
	if owed := total - paidBefore; amount > owed {
		return 0, 0, caunoi.Invalid(caunoi.FieldError{Field: "amount", Key: "err.loan.overpaid", Args: map[string]any{"Owed": owed}})
	}
	principal = PrincipalPaid(s, paidBefore+amount) - PrincipalPaid(s, paidBefore)
	return principal, amount - principal, nil
}

// Payment is money repaid on a day.
type Payment struct {
	On     time.Time
	Amount int64
}

// Position returns where a loan with the schedule stands at the end of the
// day on, counting the payments made by then. DaysOverdue counts from the
// day of the oldest installment not yet paid in full, when it fell due
// before on and something is overdue.
func Position(s []caunoi.Installment, payments []Payment, on time.Time) caunoi.LoanPosition {
	pos := caunoi.LoanPosition{On: caunoi.Date(on)}
	for _, p := range payments {
		if !p.On.After(on) {
			pos.Paid += p.Amount
		}
	}
	principal, _, total := Sums(s)
	var cum int64
	oldestUnpaid := -1
	for i, in := range s {
		cum += in.Total()
		if !time.Time(in.Due).After(on) {
			pos.Due += in.Total()
		}
		if oldestUnpaid < 0 && cum > pos.Paid {
			oldestUnpaid = i
			due := in.Due
			pos.NextDue = &due
			pos.NextAmount = cum - pos.Paid
			if pos.NextAmount > in.Total() {
				pos.NextAmount = in.Total()
			}
		}
	}
	pos.Overdue = max(0, pos.Due-pos.Paid)
	if pos.Overdue > 0 && oldestUnpaid >= 0 {
		pos.DaysOverdue = max(0, Days(time.Time(s[oldestUnpaid].Due), on))
	}
	pos.Owed = max(0, total-pos.Paid)
	pos.Outstanding = principal - PrincipalPaid(s, pos.Paid)
	return pos
}

// AtRisk reports whether a loan in the position counts in the portfolio
// at risk over days (PAR30: more than 30 days overdue).
func AtRisk(pos caunoi.LoanPosition, days int) bool {
	return pos.Overdue > 0 && pos.DaysOverdue > days
}

// RatioBP returns part ÷ whole in basis points, rounded half up; 0 when
// whole is 0.
func RatioBP(part, whole int64) int {
	if whole <= 0 || part <= 0 {
		return 0
	}
	return int(MulDivRound(part, 10_000, whole))
}

// PortfolioAtRisk sums the principal outstanding of the positions and of
// those more than days overdue, and gives their ratio in basis points.
func PortfolioAtRisk(positions []caunoi.LoanPosition, days int) (atRisk, outstanding int64, bp int) {
	for _, p := range positions {
		outstanding += p.Outstanding
		if AtRisk(p, days) {
			atRisk += p.Outstanding
		}
	}
	return atRisk, outstanding, RatioBP(atRisk, outstanding)
}

// Covered returns, for each installment of a schedule, how much of it the
// first paid đồng repaid have settled: payments settle installments in
// order.
func Covered(s []caunoi.Installment, paid int64) []int64 {
	out := make([]int64, len(s))
	for i, in := range s {
		c := min(max(paid, 0), in.Total())
		out[i] = c
		paid -= c
	}
	return out
}
