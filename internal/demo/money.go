package demo

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"caunoi"
	"caunoi/internal/money"
	"caunoi/internal/sqldb"
)

// The money of the demo, drawn from the seeds:
//
//   - seed 003, An Giang: a 130 million đồng revolving fund of the network
//     of reintegration clubs, whose clubs appraise their members' loans;
//     since 2010, 36 loans matured for 166 million, and 28 people borrow
//     112 million now. From charity funds, 64 interest-free loans of 252,8
//     million. Every figure comes from loans recorded one by one, step by
//     step, with their repayments: nothing is a summary row.
//   - seed 004: the unit-cost norm framework of the three pilot models; the
//     norms of the second model only from 2024 (seed 002: Quảng Ninh could
//     not budget it in 2023, no norm existed).
//   - seed 002: Quảng Ninh's plan of model 1 for this year, and Hạ Long's of
//     model 3, with what was spent.
//
// The system acts throughout, as for records brought in from the clubs'
// books; the steps still name the club's people as appraisers.

// moneySeed fixes the random choices of the money demo.
const moneySeed = 20100301

// moneyLoader holds the state of the money demo.
type moneyLoader struct {
	*loader
	rng     *rand.Rand
	funds   *sqldb.FundService
	loans   *sqldb.LoanService
	budgets *sqldb.BudgetService
}

// makeMoney makes the funds, loans, norms and plans of the demo.
func (l *loader) makeMoney(db *sqldb.DB) error {
	m := &moneyLoader{loader: l, rng: rand.New(rand.NewPCG(moneySeed, moneySeed>>4)),
		funds: sqldb.NewFundService(db), loans: sqldb.NewLoanService(db), budgets: sqldb.NewBudgetService(db)}
	if err := m.anGiang(); err != nil {
		return fmt.Errorf("demo: money: %w", err)
	}
	if err := m.norms(); err != nil {
		return fmt.Errorf("demo: norms: %w", err)
	}
	if err := m.plans(); err != nil {
		return fmt.Errorf("demo: plans: %w", err)
	}
	return nil
}

// event is one thing that happens to a fund on a day: capital paid in, a
// loan taken from application to disbursement, or a repayment. A fund's
// events are recorded in the order of their days, as its book is kept.
type event struct {
	on      time.Time
	seq     int
	capital int64
	source  string
	note    string
	loan    *plannedLoan
	pay     int64 // a repayment of the loan
}

// plannedLoan is a loan the demo will record.
type plannedLoan struct {
	client    *caunoi.Client
	org       *caunoi.Organisation
	amount    int64
	method    string
	rate      int
	months    int
	disbursed time.Time
	purpose   string
	id        string
}

// clubClients returns the clients of each An Giang club who can borrow:
// those still followed by the club.
func (m *moneyLoader) clubClients(keys []string) (map[string][]*caunoi.Client, error) {
	out := map[string][]*caunoi.Client{}
	for _, k := range keys {
		cs, _, err := m.clients.FindClients(m.ctx, caunoi.ClientFilter{OrgID: m.orgs[k].ID, Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if c.Status == "active" || c.Status == "relapsed" {
				out[k] = append(out[k], c)
			}
		}
		slices.SortFunc(out[k], func(a, b *caunoi.Client) int { return cmp.Compare(a.Nickname+a.ID, b.Nickname+b.ID) })
	}
	return out, nil
}

// purposes are what the members of reintegration clubs borrow for.
var purposes = []string{"Mua xe máy chạy giao hàng", "Vốn buôn bán nhỏ ở chợ", "Mua dụng cụ phụ hồ", "Nuôi heo", "Mở quán nước",
	"Mua máy may gia công", "Vốn bán vé số", "Sửa xe đạp, xe máy", "Nuôi cá lồng", "Mua ghe chở hàng"}

// appraisers of each club: the users of the club.
var clubAppraisers = map[string][]string{
	"mybinh": {"mybinh.chunhiem", "mybinh.congtacvien"}, "mylong": {"mylong.dongdang"},
	"myxuyen": {"myxuyen.congtacvien"}, "binhduc": {"binhduc.chunhiem"},
}

// anGiang records the network's revolving fund and its charity fund with
// every loan of seed 003.
func (m *moneyLoader) anGiang() error {
	clubs := []string{"mybinh", "mylong", "myxuyen", "binhduc"}
	pool, err := m.clubClients(clubs)
	if err != nil {
		return err
	}
	today := m.today()
	// The revolving fund: 100 million from the projects (UNODC, CARE) in
	// 2010, 30 million of the province in 2012.
	revolving := &caunoi.Fund{OrgID: m.orgs["angiang"].ID, Name: "Quỹ tín dụng quay vòng mạng lưới CLB Hướng Thiện",
		Description: "Quỹ quay vòng của mạng lưới các CLB hỗ trợ người sau cai nghiện tại Long Xuyên; CLB thẩm định, Chi cục phê duyệt.",
		OpenedOn:    caunoi.Date(date(2010, 3, 1))}
	if err := m.funds.CreateFund(m.ctx, revolving); err != nil {
		return err
	}
	events := []event{
		{on: date(2010, 3, 1), capital: 100_000_000, source: "donor", note: "Dự án UNODC, CARE"},
		{on: date(2012, 1, 10), capital: 30_000_000, source: "local", note: "Ngân sách tỉnh bổ sung"},
	}
	// 36 loans matured since 2010, 166 million: 16 of 4.750.000 and 20 of
	// 4.500.000, three at a time, a wave a year, at 6% a year flat.
	borrower := 0
	next := func() (*caunoi.Client, *caunoi.Organisation) {
		for {
			k := clubs[borrower%len(clubs)]
			cs := pool[k]
			i := borrower / len(clubs)
			borrower++
			if len(cs) > 0 {
				return cs[i%len(cs)], m.orgs[k]
			}
		}
	}
	for i := range 36 {
		amount := int64(4_500_000)
		if i < 16 {
			amount = 4_750_000
		}
		c, o := next()
		wave := i / 3
		p := &plannedLoan{client: c, org: o, amount: amount, method: caunoi.MethodFlat, rate: 600, months: 12,
			disbursed: date(2010+wave+wave/6, time.Month(4+(i%3)*2), 5+m.rng.IntN(20)), purpose: purposes[m.rng.IntN(len(purposes))]}
		events = append(events, m.loanEvents(p, true, today)...)
	}
	// 28 people borrow now, 112 million: 14 of 3.500.000 and 14 of
	// 4.500.000, paid out over the last eleven months. Most repay on time;
	// some are late, some stopped paying.
	borrower = 0
	for i := range 28 {
		amount := int64(3_500_000)
		if i%2 == 1 {
			amount = 4_500_000
		}
		c, o := m.activeBorrower(pool, clubs, i)
		p := &plannedLoan{client: c, org: o, amount: amount, method: caunoi.MethodFlat, rate: 600, months: 12,
			disbursed: today.AddDate(0, -(i%11)-1, -m.rng.IntN(20)), purpose: purposes[m.rng.IntN(len(purposes))]}
		events = append(events, m.loanEvents(p, false, today)...)
	}
	if err := m.run(revolving, events); err != nil {
		return err
	}

	// The charity fund: 80 million of charity, 64 interest-free loans of
	// 252,8 million since 2011, eight a wave; the last wave is out now.
	charity := &caunoi.Fund{OrgID: m.orgs["angiang"].ID, Name: "Quỹ cho vay không lãi từ nguồn từ thiện",
		Description: "Vốn từ thiện cho thành viên các CLB vay không lãi để làm ăn, sửa nhà.", OpenedOn: caunoi.Date(date(2011, 6, 1))}
	if err := m.funds.CreateFund(m.ctx, charity); err != nil {
		return err
	}
	events = []event{{on: date(2011, 6, 1), capital: 50_000_000, source: "charity", note: "Quỹ từ thiện của các nhà hảo tâm"},
		{on: date(2014, 2, 15), capital: 30_000_000, source: "charity", note: "Vận động thêm dịp Tết"}}
	borrower = 0
	waves := []time.Time{date(2011, 7, 10), date(2013, 4, 10), date(2015, 1, 12), date(2016, 10, 10), date(2018, 7, 9), date(2020, 4, 13),
		date(2022, 1, 10), today.AddDate(0, -8, 0)}
	for i := range 64 {
		amount := int64(3_800_000)
		if i%2 == 1 {
			amount = 4_100_000
		}
		c, o := next()
		w := waves[i/8]
		p := &plannedLoan{client: c, org: o, amount: amount, method: caunoi.MethodInterestFree, months: 12,
			disbursed: w.AddDate(0, 0, i%8), purpose: "Vay không lãi: " + purposes[m.rng.IntN(len(purposes))]}
		events = append(events, m.loanEvents(p, i < 56, today)...)
	}
	return m.run(charity, events)
}

// activeBorrower picks the i-th of the 28 people borrowing now: seven of
// each club, each once.
func (m *moneyLoader) activeBorrower(pool map[string][]*caunoi.Client, clubs []string, i int) (*caunoi.Client, *caunoi.Organisation) {
	k := clubs[i%len(clubs)]
	cs := pool[k]
	return cs[(i/len(clubs))%len(cs)], m.orgs[k]
}

// loanEvents plans a loan and its repayments: a matured loan is repaid
// six months at a time, sometimes a few days late, the last payment
// settling it; a loan out now is repaid month by month up to today, except for the
// late payers and those who stopped.
func (m *moneyLoader) loanEvents(p *plannedLoan, matured bool, today time.Time) []event {
	evs := []event{{on: p.disbursed, loan: p}}
	sched, err := money.Schedule(money.Terms{Principal: p.amount, RateBP: p.rate, Method: p.method, Frequency: caunoi.FrequencyMonthly,
		Months: p.months, Start: p.disbursed})
	if err != nil {
		panic(err) // the terms above are valid
	}
	if matured {
		// Paid at the club's meetings every six months.
		for q := 0; q < len(sched); q += 6 {
			var due int64
			for _, in := range sched[q:min(q+6, len(sched))] {
				due += in.Total()
			}
			on := time.Time(sched[min(q+5, len(sched)-1)].Due).AddDate(0, 0, m.rng.IntN(10))
			evs = append(evs, event{on: on, loan: p, pay: due})
		}
		return evs
	}
	behaviour := m.rng.IntN(10) // 0–5 on time, 6–7 a month behind, 8 stopped, 9 partial
	for k, in := range sched {
		on := time.Time(in.Due).AddDate(0, 0, m.rng.IntN(4))
		switch {
		case behaviour >= 6 && behaviour <= 7 && k == 0:
			continue // missed the first month, caught up later
		case behaviour >= 6 && behaviour <= 7 && k == 1:
			evs = append(evs, event{on: on, loan: p, pay: sched[0].Total() + in.Total()})
			continue
		case behaviour == 8 && k >= 2:
			return evs // stopped paying after two months
		case behaviour == 9:
			evs = append(evs, event{on: on, loan: p, pay: in.Total() - in.Total()/4})
			continue
		}
		if on.After(today) {
			break
		}
		evs = append(evs, event{on: on, loan: p, pay: in.Total()})
	}
	out := evs[:0]
	for _, e := range evs {
		if !e.on.After(today) {
			out = append(out, e)
		}
	}
	return out
}

// run records a fund's events in the order of their days.
func (m *moneyLoader) run(f *caunoi.Fund, events []event) error {
	for i := range events {
		events[i].seq = i
	}
	slices.SortStableFunc(events, func(a, b event) int {
		if c := a.on.Compare(b.on); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	for _, e := range events {
		var err error
		switch {
		case e.capital > 0:
			_, err = m.funds.RecordEntry(m.ctx, &caunoi.FundEntry{FundID: f.ID, Kind: caunoi.EntryCapitalIn, Amount: e.capital, Source: e.source,
				On: caunoi.Date(e.on), Note: e.note})
		case e.pay > 0:
			_, err = m.loans.Repay(m.ctx, e.loan.id, caunoi.RepaymentInput{Amount: e.pay, PaidOn: caunoi.Date(e.on)})
		default:
			err = m.open(f, e.loan)
		}
		if err != nil {
			return fmt.Errorf("%s on %s: %w", f.Name, e.on.Format(time.DateOnly), err)
		}
	}
	return nil
}

// open takes a planned loan from the application to its disbursement: the
// member applies ten days before, the club appraises, the province
// approves.
func (m *moneyLoader) open(f *caunoi.Fund, p *plannedLoan) error {
	applied := p.disbursed.AddDate(0, 0, -10)
	l := &caunoi.Loan{FundID: f.ID, ClientID: p.client.ID, Amount: p.amount, Purpose: p.purpose, TermMonths: p.months, Method: p.method,
		RateBP: p.rate, Frequency: caunoi.FrequencyMonthly, AppliedOn: caunoi.Date(applied)}
	if err := m.loans.Apply(m.ctx, l); err != nil {
		return err
	}
	key := ""
	for k, o := range m.orgs {
		if o.ID == p.org.ID {
			key = k
		}
	}
	var appraisers []string
	for _, u := range clubAppraisers[key] {
		appraisers = append(appraisers, m.users[u].ID)
	}
	l, err := m.loans.Appraise(m.ctx, l.ID, caunoi.AppraisalInput{Version: l.Version, On: caunoi.Date(applied.AddDate(0, 0, 4)), Appraisers: appraisers,
		Notes: "CLB họp xét: thành viên sinh hoạt đều, có kế hoạch làm ăn và người bảo lãnh trong CLB.", Recommendation: "approve"})
	if err != nil {
		return err
	}
	if l, err = m.loans.Decide(m.ctx, l.ID, caunoi.DecisionInput{Version: l.Version, On: caunoi.Date(applied.AddDate(0, 0, 7)), Decision: "approve"}); err != nil {
		return err
	}
	if l, err = m.loans.Disburse(m.ctx, l.ID, caunoi.DisbursementInput{Version: l.Version, On: caunoi.Date(p.disbursed)}); err != nil {
		return err
	}
	p.id = l.ID
	return nil
}

// today is the day of the load in Vietnam, as days are stored.
func (m *moneyLoader) today() time.Time {
	t := m.now.In(caunoi.Zone)
	return date(t.Year(), t.Month(), t.Day())
}

// date is a calendar day as days are stored.
func date(y int, mo time.Month, d int) time.Time { return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC) }

// normSpec is a norm of the framework: at most cost đồng a unit.
type normSpec struct {
	model    caunoi.Model
	activity string
	unit     string
	cost     int64
	perCase  int
	from     int // year
}

// norms is seed 004's framework for the three pilot models.
var normSpecs = []normSpec{
	{caunoi.ModelPeerCapacity, "group_meeting", "session", 1_500_000, 0, 2019},
	{caunoi.ModelPeerCapacity, "communication", "session", 3_000_000, 0, 2019},
	{caunoi.ModelPeerCapacity, "health_check", "person", 150_000, 0, 2019},
	{caunoi.ModelPeerCapacity, "health_support", "case", 400_000, 0, 2019},
	{caunoi.ModelPeerCapacity, "peer_allowance", "month", 1_000_000, 0, 2019},
	{caunoi.ModelPeerCapacity, "training", "event", 15_000_000, 0, 2019},
	{caunoi.ModelCommunityServices, "counselling", "case", 200_000, 0, 2024},
	{caunoi.ModelCommunityServices, "hotline", "month", 3_000_000, 0, 2024},
	{caunoi.ModelCommunityServices, "shelter", "day", 150_000, 5, 2024},
	{caunoi.ModelCommunityServices, "material_support", "case", 500_000, 0, 2024},
	{caunoi.ModelCommunityServices, "livelihood_support", "case", 2_000_000, 0, 2024},
	{caunoi.ModelCommunityServices, "legal_aid", "case", 300_000, 0, 2024},
	{caunoi.ModelWorkersRights, "outreach", "month", 1_500_000, 0, 2019},
	{caunoi.ModelWorkersRights, "communication", "session", 2_500_000, 0, 2019},
	{caunoi.ModelWorkersRights, "counselling", "case", 150_000, 0, 2019},
	{caunoi.ModelWorkersRights, "training", "event", 10_000_000, 0, 2019},
}

// norms sets the framework of the national department.
func (m *moneyLoader) norms() error {
	for _, s := range normSpecs {
		n := &caunoi.CostNorm{OrgID: m.orgs["cuc"].ID, Model: s.model, Activity: s.activity, Unit: s.unit, MaxUnitCost: s.cost, MaxPerCase: s.perCase,
			ValidFrom: caunoi.Date(date(s.from, 1, 1)), Notes: "Khung định mức kinh tế - kỹ thuật của Cục (2018)"}
		if s.from == 2024 {
			n.Notes = "Ban hành năm 2024: trước đó mô hình 2 chưa có định mức nên không lập được dự toán."
		}
		if err := m.budgets.CreateNorm(m.ctx, n); err != nil {
			return fmt.Errorf("%s %s: %w", s.model, s.activity, err)
		}
	}
	return nil
}

// planSpec is a plan line and what was spent on it.
type planSpec struct {
	activity string
	quantity int
	cost     int64
	spent    []int64 // expenditures, spread over the year so far
	override string  // reason when the spending passes the line
}

// plans makes this year's plans of Quảng Ninh (seed 002) with their
// expenditures.
func (m *moneyLoader) plans() error {
	year := m.now.In(caunoi.Zone).Year()
	if err := m.plan("quangninh", caunoi.ModelPeerCapacity, year, "Kế hoạch mô hình 1 (nhóm đồng đẳng, nhóm tự lực, CLB) năm", "local", []planSpec{
		{"group_meeting", 12, 1_500_000, []int64{4_500_000, 4_500_000, 3_000_000}, ""},
		{"communication", 6, 3_000_000, []int64{6_000_000, 6_000_000}, ""},
		// Seed 002: 80 people referred for free HIV/STI tests; more came.
		{"health_support", 80, 400_000, []int64{12_000_000, 12_000_000, 10_000_000}, "Thêm ca xét nghiệm HIV/STI miễn phí ngoài kế hoạch"},
		{"peer_allowance", 36, 1_000_000, []int64{9_000_000, 9_000_000, 9_000_000}, ""},
		{"training", 1, 15_000_000, []int64{14_500_000}, ""},
	}); err != nil {
		return err
	}
	return m.plan("halong", caunoi.ModelWorkersRights, year, "Kế hoạch mô hình 3 (quyền người lao động tại cơ sở) năm", "central", []planSpec{
		{"outreach", 12, 1_500_000, []int64{4_500_000, 4_500_000}, ""},
		{"counselling", 75, 150_000, []int64{5_250_000}, ""},
		{"communication", 4, 2_500_000, []int64{5_000_000}, ""},
	})
}

func (m *moneyLoader) plan(org string, model caunoi.Model, year int, title, source string, lines []planSpec) error {
	p := &caunoi.BudgetPlan{OrgID: m.orgs[org].ID, Model: model, Year: year, Title: fmt.Sprintf("%s %d", title, year), Source: source}
	for _, s := range lines {
		p.Lines = append(p.Lines, caunoi.BudgetLine{Activity: s.activity, Quantity: s.quantity, UnitCost: s.cost})
	}
	if err := m.budgets.CreatePlan(m.ctx, p); err != nil {
		return err
	}
	start := date(year, 1, 1)
	span := int(m.today().Sub(start).Hours() / 24)
	if span < len(lines) {
		return nil // too early in the year to have spent anything
	}
	for i, s := range lines {
		for k, amount := range s.spent {
			on := start.AddDate(0, 0, span*(k+1)/(len(s.spent)+1))
			e := &caunoi.Expenditure{LineID: p.Lines[i].ID, SpentOn: caunoi.Date(on), Amount: amount,
				Description: fmt.Sprintf("Chi đợt %d", k+1), OverrideReason: s.override}
			if _, err := m.budgets.RecordExpenditure(m.ctx, p.ID, e); err != nil {
				return fmt.Errorf("%s: %w", s.activity, err)
			}
		}
	}
	return nil
}
