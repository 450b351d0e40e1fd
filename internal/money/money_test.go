package money_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/money"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func d(s string) caunoi.Date { return caunoi.Date(day(s)) }

func TestMulDivRound(t *testing.T) {
	for _, c := range []struct{ a, b, c, want int64 }{
		{10, 1, 3, 3}, // 3.33 → 3
		{20, 1, 3, 7}, // 6.67 → 7
		{3, 1, 2, 2},  // 1.5 → 2, half up
		{5, 1, 2, 3},  // 2.5 → 3
		{0, 99, 7, 0}, // nothing
		{1, 1, 1, 1},  // exact
		{7, 0, 9, 0},  // nothing
		{99, 99, 1, 9801},
		// The product is beyond int64 (1.3e21), the quotient is not.
		{caunoi.MaxAmount, 3600 * 36600, 3_650_000, 360_986_301_369_863},
		// A quotient beyond int64 saturates.
		{math.MaxInt64, math.MaxInt64, 1, math.MaxInt64},
	} {
		if got := money.MulDivRound(c.a, c.b, c.c); got != c.want {
			t.Errorf("MulDivRound(%d, %d, %d) = %d, want %d", c.a, c.b, c.c, got, c.want)
		}
	}
}

func TestSplitSumsExactly(t *testing.T) {
	for _, c := range []struct {
		total int64
		n     int
		want  []int64
	}{
		{1_000_000, 3, []int64{333_333, 333_333, 333_334}},
		{5_000_000, 12, []int64{416_666, 416_666, 416_666, 416_666, 416_666, 416_666, 416_666, 416_666, 416_666, 416_666, 416_666, 416_674}},
		{12, 12, []int64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
		{5, 7, []int64{0, 0, 0, 0, 0, 0, 5}},
		{900, 1, []int64{900}},
	} {
		got := money.Split(c.total, c.n)
		if !slices.Equal(got, c.want) {
			t.Errorf("Split(%d, %d) = %v, want %v", c.total, c.n, got, c.want)
		}
	}
	if money.Split(10, 0) != nil {
		t.Error("Split into no parts")
	}
}

func TestAddMonthsStaysInTheMonth(t *testing.T) {
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2025-01-31", 1, "2025-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2025-01-31", 2, "2025-03-31"},
		{"2025-01-31", 3, "2025-04-30"},
		{"2025-11-15", 3, "2026-02-15"},
		{"2025-03-31", -1, "2025-02-28"},
	} {
		if got := money.AddMonths(day(c.from), c.n).Format(time.DateOnly); got != c.want {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

// inst is an installment as the tables below write it.
type inst struct {
	due                 string
	principal, interest int64
}

func check(t *testing.T, name string, got []caunoi.Installment, want []inst) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d installments, want %d: %+v", name, len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.No != i+1 || time.Time(g.Due).Format(time.DateOnly) != w.due || g.Principal != w.principal || g.Interest != w.interest {
			t.Errorf("%s: installment %d = #%d %s %d + %d, want %s %d + %d", name, i+1, g.No,
				time.Time(g.Due).Format(time.DateOnly), g.Principal, g.Interest, w.due, w.principal, w.interest)
		}
	}
}

func TestScheduleFlatMonthly(t *testing.T) {
	// 12 million at 12% a year for 12 months: 1.44 million of interest,
	// 120.000 a month, on top of 1 million of principal.
	s, err := money.Schedule(money.Terms{Principal: 12_000_000, RateBP: 1200, Method: caunoi.MethodFlat, Frequency: caunoi.FrequencyMonthly,
		Months: 12, Start: day("2025-01-15")})
	if err != nil {
		t.Fatal(err)
	}
	var want []inst
	for m := 2; m <= 13; m++ {
		due := time.Date(2025, time.Month(m), 15, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		want = append(want, inst{due, 1_000_000, 120_000})
	}
	check(t, "flat", s, want)
	if p, i, total := money.Sums(s); p != 12_000_000 || i != 1_440_000 || total != 13_440_000 {
		t.Errorf("sums %d %d %d", p, i, total)
	}

	// Rounding: 1 million at 7% for 7 months is 40.833,33 đ of interest:
	// 40.833 in all, 5.833 a month and the 2 đ left on the last; the
	// principal 142.857 a month and 142.858 on the last.
	s, err = money.Schedule(money.Terms{Principal: 1_000_000, RateBP: 700, Method: caunoi.MethodFlat, Frequency: caunoi.FrequencyMonthly,
		Months: 7, Start: day("2025-01-31")})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "flat, rounded", s, []inst{
		{"2025-02-28", 142_857, 5_833}, {"2025-03-31", 142_857, 5_833}, {"2025-04-30", 142_857, 5_833},
		{"2025-05-31", 142_857, 5_833}, {"2025-06-30", 142_857, 5_833}, {"2025-07-31", 142_857, 5_833},
		{"2025-08-31", 142_858, 5_835},
	})
	if p, i, _ := money.Sums(s); p != 1_000_000 || i != 40_833 {
		t.Errorf("rounded sums %d %d", p, i)
	}
}

func TestScheduleDecliningMonthly(t *testing.T) {
	// 12 million at 12% a year: 1% a month on what is still owed.
	s, err := money.Schedule(money.Terms{Principal: 12_000_000, RateBP: 1200, Method: caunoi.MethodDeclining, Frequency: caunoi.FrequencyMonthly,
		Months: 12, Start: day("2025-01-15")})
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range s {
		if in.Principal != 1_000_000 || in.Interest != int64(12-i)*10_000 {
			t.Errorf("installment %d: %d + %d", i+1, in.Principal, in.Interest)
		}
	}
	if _, i, _ := money.Sums(s); i != 780_000 {
		t.Errorf("interest %d, want 780.000", i)
	}

	// Rounding: 1 million at 10% for 3 months. Month 1: 1.000.000 × 10% ÷
	// 12 = 8.333,33 → 8.333; month 2 on 666.667: 5.555,56 → 5.556; month 3
	// on 333.334: 2.777,78 → 2.778.
	s, err = money.Schedule(money.Terms{Principal: 1_000_000, RateBP: 1000, Method: caunoi.MethodDeclining, Frequency: caunoi.FrequencyMonthly,
		Months: 3, Start: day("2025-03-01")})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "declining, rounded", s, []inst{{"2025-04-01", 333_333, 8_333}, {"2025-05-01", 333_333, 5_556}, {"2025-06-01", 333_334, 2_778}})
}

func TestScheduleInterestFree(t *testing.T) {
	// Seed 003: charity loans carry no interest, whatever rate is given.
	s, err := money.Schedule(money.Terms{Principal: 3_950_000, RateBP: 900, Method: caunoi.MethodInterestFree, Frequency: caunoi.FrequencyMonthly,
		Months: 6, Start: day("2025-06-10")})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "interest-free", s, []inst{{"2025-07-10", 658_333, 0}, {"2025-08-10", 658_333, 0}, {"2025-09-10", 658_333, 0},
		{"2025-10-10", 658_333, 0}, {"2025-11-10", 658_333, 0}, {"2025-12-10", 658_335, 0}})
}

func TestScheduleCustom(t *testing.T) {
	proposed := []caunoi.Installment{{Due: d("2025-01-31"), Principal: 500_000}, {Due: d("2025-03-02"), Principal: 500_000}}
	terms := money.Terms{Principal: 1_000_000, RateBP: 1825, Frequency: caunoi.FrequencyCustom, Start: day("2025-01-01"), Proposed: proposed}

	// Declining, by days: 30 days on 1 million at 18,25% is 15.000; 30 days
	// on 500.000 is 7.500.
	terms.Method = caunoi.MethodDeclining
	s, err := money.Schedule(terms)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "custom declining", s, []inst{{"2025-01-31", 500_000, 15_000}, {"2025-03-02", 500_000, 7_500}})

	// Flat, by days: each period on the whole million.
	terms.Method = caunoi.MethodFlat
	s, err = money.Schedule(terms)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "custom flat", s, []inst{{"2025-01-31", 500_000, 15_000}, {"2025-03-02", 500_000, 15_000}})

	// A proposed schedule that does not sum to the principal is refused,
	// saying both sums.
	terms.Proposed = []caunoi.Installment{{Due: d("2025-01-31"), Principal: 400_000}, {Due: d("2025-03-02"), Principal: 500_000}}
	_, err = money.Schedule(terms)
	e := caunoi.AsError(err)
	if e.Code != caunoi.EINVALID || len(e.Fields) != 1 || e.Fields[0].Key != "err.loan.schedule_sum" || e.Fields[0].Args["Sum"] != int64(900_000) {
		t.Errorf("a short schedule: %v %+v", err, e.Fields)
	}

	// Paid out on or after the member's first day: refused.
	terms.Proposed = proposed
	terms.Start = day("2025-01-31")
	if _, err := money.Schedule(terms); caunoi.ErrorCode(err) != caunoi.EINVALID {
		t.Errorf("disbursed on the first due day: %v", err)
	}
}

func TestScheduleRefusesNothing(t *testing.T) {
	if _, err := money.Schedule(money.Terms{Principal: 0, Months: 3, Frequency: caunoi.FrequencyMonthly}); caunoi.ErrorCode(err) != caunoi.EINVALID {
		t.Errorf("no principal: %v", err)
	}
	if _, err := money.Schedule(money.Terms{Principal: 100, Months: 0, Frequency: caunoi.FrequencyMonthly}); caunoi.ErrorCode(err) != caunoi.EINVALID {
		t.Errorf("no months: %v", err)
	}
	if _, err := money.Schedule(money.Terms{Principal: 100, Frequency: caunoi.FrequencyCustom}); caunoi.ErrorCode(err) != caunoi.EINVALID {
		t.Errorf("no custom days: %v", err)
	}
}

// flat12 is 12 million at 12% flat over 12 months from 15 January 2025:
// 1.120.000 due on the 15th of each month from February.
func flat12(t *testing.T) []caunoi.Installment {
	t.Helper()
	s, err := money.Schedule(money.Terms{Principal: 12_000_000, RateBP: 1200, Method: caunoi.MethodFlat, Frequency: caunoi.FrequencyMonthly,
		Months: 12, Start: day("2025-01-15")})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAllocateInterestFirstOldestFirst(t *testing.T) {
	s := flat12(t)
	for _, c := range []struct {
		before, amount          int64
		principal, interest     int64
		principalPaidAfterwards int64
	}{
		{0, 620_000, 500_000, 120_000, 500_000},           // a partial payment: the interest, then half the principal
		{620_000, 1_000_000, 880_000, 120_000, 1_380_000}, // the rest of #1, #2's interest, part of its principal
		{0, 100_000, 0, 100_000, 0},                       // less than the interest
		{0, 3_360_000, 3_000_000, 360_000, 3_000_000},     // early: three installments at once
		{12_320_000, 1_120_000, 1_000_000, 120_000, 12_000_000},
	} {
		p, i, err := money.Allocate(s, c.before, c.amount)
		if err != nil {
			t.Fatal(err)
		}
		if p != c.principal || i != c.interest || p+i != c.amount {
			t.Errorf("Allocate(after %d, %d) = %d + %d, want %d + %d", c.before, c.amount, p, i, c.principal, c.interest)
		}
		if got := money.PrincipalPaid(s, c.before+c.amount); got != c.principalPaidAfterwards {
			t.Errorf("PrincipalPaid(%d) = %d, want %d", c.before+c.amount, got, c.principalPaidAfterwards)
		}
	}

	// More than is owed is refused, saying what is owed.
	_, _, err := money.Allocate(s, 13_000_000, 500_000)
	e := caunoi.AsError(err)
	if e.Code != caunoi.EINVALID || e.Fields[0].Field != "amount" || e.Fields[0].Args["Owed"] != int64(440_000) {
		t.Errorf("overpaid: %v %+v", err, e.Fields)
	}
	// Exactly what is owed is fine.
	if _, _, err := money.Allocate(s, 13_000_000, 440_000); err != nil {
		t.Errorf("paying what is owed: %v", err)
	}
}

func TestPositionArrearsOnGivenDays(t *testing.T) {
	s := flat12(t)
	paidFeb := []money.Payment{{On: day("2025-02-15"), Amount: 1_120_000}}
	for _, c := range []struct {
		name     string
		payments []money.Payment
		on       string
		due      int64
		paid     int64
		overdue  int64
		days     int
		atRisk   bool
		next     string
		nextAmt  int64
		outstand int64
	}{
		{"before the first day", nil, "2025-02-14", 0, 0, 0, 0, false, "2025-02-15", 1_120_000, 12_000_000},
		{"the first day, unpaid: due but not yet a day late", nil, "2025-02-15", 1_120_000, 0, 1_120_000, 0, false, "2025-02-15", 1_120_000, 12_000_000},
		{"paid on time", paidFeb, "2025-02-20", 1_120_000, 1_120_000, 0, 0, false, "2025-03-15", 1_120_000, 11_000_000},
		// March's installment unpaid for 26 days: in arrears, not at risk.
		{"26 days late", paidFeb, "2025-04-10", 2_240_000, 1_120_000, 1_120_000, 26, false, "2025-03-15", 1_120_000, 11_000_000},
		// The 30th day is still not more than 30.
		{"30 days late", paidFeb, "2025-04-14", 2_240_000, 1_120_000, 1_120_000, 30, false, "2025-03-15", 1_120_000, 11_000_000},
		{"31 days late", paidFeb, "2025-04-15", 3_360_000, 1_120_000, 2_240_000, 31, true, "2025-03-15", 1_120_000, 11_000_000},
		{"36 days late", paidFeb, "2025-04-20", 3_360_000, 1_120_000, 2_240_000, 36, true, "2025-03-15", 1_120_000, 11_000_000},
		// A partial payment leaves the first installment open: late from its day.
		{"partial", []money.Payment{{On: day("2025-02-15"), Amount: 600_000}}, "2025-02-20", 1_120_000, 600_000, 520_000, 5, false, "2025-02-15", 520_000, 11_520_000},
		// Paid early: nothing overdue while the payments cover what fell due.
		{"early", []money.Payment{{On: day("2025-02-01"), Amount: 3_360_000}}, "2025-04-20", 3_360_000, 3_360_000, 0, 0, false, "2025-05-15", 1_120_000, 9_000_000},
		// A payment after the day does not count on the day.
		{"paid later", []money.Payment{{On: day("2025-04-21"), Amount: 3_360_000}}, "2025-04-20", 3_360_000, 0, 3_360_000, 64, true, "2025-02-15", 1_120_000, 12_000_000},
		// Late payments that catch up end the arrears.
		{"caught up", []money.Payment{{On: day("2025-02-15"), Amount: 1_120_000}, {On: day("2025-04-30"), Amount: 2_240_000}}, "2025-05-01", 3_360_000, 3_360_000, 0, 0, false, "2025-05-15", 1_120_000, 9_000_000},
	} {
		pos := money.Position(s, c.payments, day(c.on))
		next := ""
		if pos.NextDue != nil {
			next = time.Time(*pos.NextDue).Format(time.DateOnly)
		}
		if pos.Due != c.due || pos.Paid != c.paid || pos.Overdue != c.overdue || pos.DaysOverdue != c.days || next != c.next ||
			pos.NextAmount != c.nextAmt || pos.Outstanding != c.outstand || money.AtRisk(pos, 30) != c.atRisk {
			t.Errorf("%s: due %d paid %d overdue %d days %d next %s %d outstanding %d at risk %v; want %d %d %d %d %s %d %d %v", c.name,
				pos.Due, pos.Paid, pos.Overdue, pos.DaysOverdue, next, pos.NextAmount, pos.Outstanding, money.AtRisk(pos, 30),
				c.due, c.paid, c.overdue, c.days, c.next, c.nextAmt, c.outstand, c.atRisk)
		}
		if pos.Owed != 13_440_000-pos.Paid {
			t.Errorf("%s: owed %d", c.name, pos.Owed)
		}
	}

	// Repaid in full: nothing owed, nothing outstanding, no next day.
	pos := money.Position(s, []money.Payment{{On: day("2025-03-01"), Amount: 13_440_000}}, day("2026-06-01"))
	if pos.Owed != 0 || pos.Outstanding != 0 || pos.Overdue != 0 || pos.NextDue != nil {
		t.Errorf("repaid: %+v", pos)
	}
}

func TestPAR30OnGivenDays(t *testing.T) {
	s := flat12(t)
	paidFeb := []money.Payment{{On: day("2025-02-15"), Amount: 1_120_000}}
	onTime := []money.Payment{{On: day("2025-02-15"), Amount: 1_120_000}, {On: day("2025-03-15"), Amount: 1_120_000}, {On: day("2025-04-15"), Amount: 1_120_000}}
	positions := func(on string) []caunoi.LoanPosition {
		return []caunoi.LoanPosition{
			money.Position(s, paidFeb, day(on)), // late from 15 March
			money.Position(s, onTime, day(on)),  // on time
			money.Position(s, nil, day(on)),     // never paid: late from 15 February
		}
	}
	// On 10 March only the loan never paid is late, 23 days: no risk yet.
	if atRisk, out, bp := money.PortfolioAtRisk(positions("2025-03-10"), 30); atRisk != 0 || out != 11_000_000*2+12_000_000 || bp != 0 {
		t.Errorf("10/03: %d of %d, %d bp", atRisk, out, bp)
	}
	// On 20 March the loan never paid is 33 days late: 12 of the 33
	// million outstanding (11 + 10 + 12) is at risk, 36,36%.
	if atRisk, out, bp := money.PortfolioAtRisk(positions("2025-03-20"), 30); atRisk != 12_000_000 || out != 33_000_000 || bp != 3636 {
		t.Errorf("20/03: %d of %d, %d bp", atRisk, out, bp)
	}
	// On 20 April the February-only loan is 36 days late too: 23 of 32
	// million (11 + 9 + 12) is at risk, 71,88%.
	if atRisk, out, bp := money.PortfolioAtRisk(positions("2025-04-20"), 30); atRisk != 23_000_000 || out != 32_000_000 || bp != 7188 {
		t.Errorf("20/04: %d of %d, %d bp", atRisk, out, bp)
	}
	if money.RatioBP(1, 3) != 3333 || money.RatioBP(2, 3) != 6667 || money.RatioBP(5, 0) != 0 {
		t.Error("RatioBP")
	}
}

func TestCovered(t *testing.T) {
	s := flat12(t)[:3] // 1.120.000 each
	for _, c := range []struct {
		paid int64
		want []int64
	}{
		{0, []int64{0, 0, 0}},
		{500_000, []int64{500_000, 0, 0}},
		{1_120_000, []int64{1_120_000, 0, 0}},
		{2_500_000, []int64{1_120_000, 1_120_000, 260_000}},
		{3_360_000, []int64{1_120_000, 1_120_000, 1_120_000}},
	} {
		if got := money.Covered(s, c.paid); !slices.Equal(got, c.want) {
			t.Errorf("Covered(%d) = %v, want %v", c.paid, got, c.want)
		}
	}
}
