package sqldb_test

import (
	"context"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
)

// addCasesAndMoney adds to the hand-built half-year the hotline, shelter,
// reintegration, loan and budget records whose every count is known:
//
//   - hotline: A calls twice about violence (gbv; once at home), an
//     unnamed woman once about her employer, D once about her partner's
//     violence (qng); a voided call and one of July do not count: 4 cases,
//     3 of them GBV, 2 of violence at home, 3 follow-ups done;
//   - shelter: A stays twice, C once, a voided stay of B does not count:
//     3 stays of 2 people;
//   - reintegration: C (hpg) and D (qng) return, E (hpg) is still in the
//     centre; C's and E's influence maps are drawn in the half-year (a
//     voided person leaves C's map live), D's map is empty; C is followed
//     up twice and relapses once: 2 received, 2 mapped;
//   - loans of hpg's fund: A twice, B (flat interest) and C in the
//     half-year (25.000.000 đồng, 19.000.000 of it interest-free), B's
//     December loan repaid in full (matured) on 1 March; on 30 June A's
//     first loan is 81 days late (8.000.000 đồng outstanding, 3.000.000
//     overdue), C's 15 days (4.000.000 outstanding, 1.000.000 overdue), B's
//     (3.000.000) and A's second (5.000.000) are current: PAR30 is 8 of 20
//     million, 40%;
//   - gifts: 300.000 đồng to A, 500.000 to D;
//   - expenditure of Hải Phòng's plan: 4.000.000 and 2.000.000 đồng; a
//     voided one and one of July do not count.
func (m *monitoringData) addCasesAndMoney(t *testing.T, db *sqldb.DB) {
	t.Helper()
	f := m.fixture
	peQ := f.As(caunoi.RolePeerEducator, "qng")
	providers := sqldb.NewProviderService(db)
	provider := func(orgKey, kind, name string) *caunoi.Provider {
		p := &caunoi.Provider{OrgID: f.O(orgKey).ID, Kind: kind, Name: name, Services: []string{caunoi.ServiceCounselling}}
		must(t, providers.CreateProvider(f.sys, p))
		return p
	}
	shelter := provider("hp", caunoi.ProviderShelter, "Nhà tạm lánh Hải Phòng")
	centre := provider("nat", caunoi.ProviderRehabCentre, "Cơ sở cai nghiện ma túy Hải Phòng")

	// Hotline.
	hotline := sqldb.NewHotlineService(db)
	call := func(ctx context.Context, org string, c *caunoi.Client, when time.Time, gbv bool, contexts ...string) *caunoi.HotlineCase {
		k := &caunoi.HotlineCase{OrgID: f.O(org).ID, ReceivedAt: when, Channel: "phone", CallerType: "self", Risk: caunoi.RiskMedium,
			Issues: []string{caunoi.IssueRightsViolation}, RightsViolators: []string{"employer"}, Actions: []string{"counselling"}}
		if gbv {
			k.Issues, k.RightsViolators = []string{caunoi.IssueGBV}, nil
			k.ViolenceTypes, k.ViolenceContexts = []string{"physical_assault"}, contexts
		}
		if c != nil {
			k.ClientID = c.ID
		} else {
			k.AnonSex, k.AnonPopulation = "female", caunoi.PopVenueWorker
		}
		must(t, hotline.CreateCase(ctx, k))
		return k
	}
	followUp := func(ctx context.Context, k *caunoi.HotlineCase, on caunoi.Date, next *caunoi.Date) *caunoi.HotlineCase {
		k, err := hotline.RecordFollowUp(ctx, k.ID, caunoi.FollowUpRecord{Version: k.Version, DoneOn: on, Channel: "phone", Reached: true, NextOn: next})
		must(t, err)
		return k
	}
	a1 := call(m.pe, "hpg", m.a, at(2025, 2, 10, 22, 0), true, "domestic_violence")
	next := ymd(2025, 2, 20)
	a1 = followUp(m.pe, a1, ymd(2025, 2, 12), &next)
	followUp(m.pe, a1, ymd(2025, 2, 20), nil)
	call(m.pe, "hpg", m.a, at(2025, 4, 12, 21, 0), true, "by_client")
	call(m.pe, "hpg", nil, at(2025, 5, 5, 10, 0), false)
	wrongCall := call(m.pe, "hpg", m.b, at(2025, 3, 1, 9, 0), true, "domestic_violence")
	_, err := hotline.VoidCase(m.pe, wrongCall.ID, wrongCall.Version, "ghi nhầm")
	must(t, err)
	call(m.pe, "hpg", m.b, at(2025, 7, 2, 9, 0), true, "domestic_violence") // the next half-year
	d1 := call(peQ, "qng", m.d, at(2025, 3, 15, 20, 0), true, "intimate_partner")
	followUp(peQ, d1, ymd(2025, 3, 16), nil)

	// Shelter.
	shelters := sqldb.NewShelterService(db)
	var beds []*caunoi.ShelterBed
	for _, l := range []string{"G1", "G2"} {
		b := &caunoi.ShelterBed{ProviderID: shelter.ID, Label: l, InUseFrom: ymd(2024, 1, 1)}
		must(t, shelters.AddBed(f.sys, b))
		beds = append(beds, b)
	}
	stay := func(bed *caunoi.ShelterBed, c *caunoi.Client, on caunoi.Date, out *caunoi.Date) *caunoi.ShelterStay {
		s := &caunoi.ShelterStay{OrgID: f.O("hpg").ID, ProviderID: shelter.ID, BedID: bed.ID, ClientID: c.ID, AdmittedOn: on, Reason: "violence"}
		must(t, shelters.Admit(m.pe, s))
		if out != nil {
			var err error
			s, err = shelters.Discharge(m.pe, s.ID, caunoi.StayDischarge{Version: s.Version, DischargedOn: *out, Reason: "returned_home"})
			must(t, err)
		}
		return s
	}
	out1, out2 := ymd(2025, 2, 15), ymd(2025, 4, 20)
	stay(beds[0], m.a, ymd(2025, 2, 11), &out1)
	stay(beds[0], m.a, ymd(2025, 4, 13), &out2)
	stay(beds[1], m.c, ymd(2025, 5, 2), nil)
	wrongStay := stay(beds[0], m.b, ymd(2025, 5, 3), nil)
	_, err = shelters.VoidStay(m.pe, wrongStay.ID, wrongStay.Version, "ghi nhầm")
	must(t, err)

	// Reintegration: the maps are drawn on given days.
	reint := sqldb.NewReintegrationService(db)
	e := &caunoi.Client{OrgID: f.O("hpg").ID, Nickname: "E", Sex: "male", BirthYear: 1985, Residence: "local", Populations: []caunoi.Population{caunoi.PopPostRehab}}
	must(t, f.Clients.CreateClient(m.pe, e))
	prepare := func(ctx context.Context, org string, c *caunoi.Client) *caunoi.Reintegration {
		r := &caunoi.Reintegration{OrgID: f.O(org).ID, ClientID: c.ID, CentreID: centre.ID, ExpectedOn: ymd(2025, 9, 1)}
		must(t, reint.CreateReintegration(ctx, r))
		return r
	}
	mapPerson := func(ctx context.Context, r *caunoi.Reintegration, when time.Time, relation string) *caunoi.InfluencePerson {
		db.Now = func() time.Time { return when }
		defer func() { db.Now = func() time.Time { return at(2025, 7, 15, 9, 0) } }()
		p := &caunoi.InfluencePerson{Name: "Người thân " + relation, Relation: relation, Influence: caunoi.InfluencePositive, Strength: 2}
		must(t, reint.AddInfluencePerson(ctx, r.ID, p))
		return p
	}
	rc := prepare(m.pe, "hpg", m.c)
	gone := mapPerson(m.pe, rc, at(2025, 1, 20, 10, 0), "mother")
	mapPerson(m.pe, rc, at(2025, 1, 21, 10, 0), "father")
	_, err = reint.VoidInfluencePerson(m.pe, gone.ID, gone.Version, "ghi nhầm")
	must(t, err)
	rc, err = reint.FindReintegrationByID(m.pe, rc.ID)
	must(t, err)
	rc, err = reint.RecordReturn(m.pe, rc.ID, caunoi.ReturnHandover{Version: rc.Version, ReturnedOn: ymd(2025, 3, 1), ClubID: f.O("hpg").ID})
	must(t, err)
	for _, on := range []caunoi.Date{ymd(2025, 4, 1), ymd(2025, 5, 1)} {
		rc, err = reint.RecordEvent(m.pe, rc.ID, caunoi.EventFollowUp, caunoi.EventRecord{Version: rc.Version, On: on, Wellbeing: "stable"})
		must(t, err)
	}
	_, err = reint.RecordEvent(m.pe, rc.ID, caunoi.EventRelapse, caunoi.EventRecord{Version: rc.Version, On: ymd(2025, 6, 1)})
	must(t, err)
	re := prepare(m.pe, "hpg", e)
	mapPerson(m.pe, re, at(2025, 6, 5, 10, 0), "sibling")
	rd := prepare(peQ, "qng", m.d)
	_, err = reint.RecordReturn(peQ, rd.ID, caunoi.ReturnHandover{Version: rd.Version, ReturnedOn: ymd(2025, 5, 20), ClubID: f.O("qng").ID})
	must(t, err)

	// Loans of the group's fund.
	k := &moneyKit{fixture: f, Funds: sqldb.NewFundService(db), Loans: sqldb.NewLoanService(db), Budgets: sqldb.NewBudgetService(db)}
	fund := k.openFund(f.sys, "hpg", "Quỹ quay vòng Hoa Sen", 50_000_000, "2024-11-01")
	m.fund = fund
	free := func(amount int64, months int, on string) loanTerms {
		return loanTerms{amount: amount, method: caunoi.MethodInterestFree, months: months, on: on}
	}
	bOld := k.activate(k.apply(m.pe, fund, m.b, free(3_000_000, 3, "2024-12-01")), "2024-12-01")
	for _, on := range []string{"2025-01-01", "2025-02-01", "2025-03-01"} {
		k.repay(bOld, 1_000_000, on)
	}
	a1l := k.activate(k.apply(m.pe, fund, m.a, free(10_000_000, 10, "2025-01-10")), "2025-01-10")
	k.repay(a1l, 1_000_000, "2025-02-10")
	k.repay(a1l, 1_000_000, "2025-03-10")
	// B's loan bears flat interest, 12% a year: 60.000 đồng a month.
	bl := k.activate(k.apply(m.pe, fund, m.b, loanTerms{amount: 6_000_000, method: caunoi.MethodFlat, rate: 1200, months: 6, on: "2025-03-01"}), "2025-03-01")
	for _, on := range []string{"2025-04-01", "2025-05-01", "2025-06-01"} {
		k.repay(bl, 1_060_000, on)
	}
	k.activate(k.apply(m.pe, fund, m.c, free(4_000_000, 4, "2025-05-15")), "2025-05-15")
	k.activate(k.apply(m.pe, fund, m.a, free(5_000_000, 2, "2025-06-20")), "2025-06-20")

	// Gifts.
	services := sqldb.NewServiceService(db)
	for _, g := range []struct {
		ctx context.Context
		org string
		c   *caunoi.Client
		vnd int64
	}{{m.pe, "hpg", m.a, 300_000}, {peQ, "qng", m.d, 500_000}} {
		must(t, services.CreateService(g.ctx, &caunoi.Service{OrgID: f.O(g.org).ID, ClientID: g.c.ID, Kind: caunoi.ServiceMaterialSupport, Detail: "gift",
			GivenOn: ymd(2025, 6, 2), Quantity: 1, AmountVND: g.vnd}))
	}

	// Expenditure of Hải Phòng's plan.
	nat, officer := f.As(caunoi.RoleNationalOfficer, "nat"), f.As(caunoi.RoleProvinceOfficer, "hp")
	must(t, k.Budgets.CreateNorm(nat, &caunoi.CostNorm{OrgID: f.O("nat").ID, Model: caunoi.ModelPeerCapacity, Activity: "health_support", Unit: "case",
		MaxUnitCost: 400_000, ValidFrom: ymd(2020, 1, 1)}))
	plan := &caunoi.BudgetPlan{OrgID: f.O("hp").ID, Model: caunoi.ModelPeerCapacity, Year: 2025, Title: "Kế hoạch mô hình 1 năm 2025", Source: "local",
		Lines: []caunoi.BudgetLine{{Activity: "health_support", Quantity: 50, UnitCost: 400_000}}}
	must(t, k.Budgets.CreatePlan(officer, plan))
	spend := func(amount int64, on caunoi.Date) *caunoi.Expenditure {
		x, err := k.Budgets.RecordExpenditure(officer, plan.ID, &caunoi.Expenditure{LineID: plan.Lines[0].ID, Amount: amount, SpentOn: on, Description: "Hỗ trợ khám sức khỏe"})
		must(t, err)
		return x
	}
	spend(4_000_000, ymd(2025, 3, 1))
	spend(2_000_000, ymd(2025, 5, 1))
	wrongSpend := spend(1_000_000, ymd(2025, 5, 2))
	_, err = k.Budgets.VoidExpenditure(officer, wrongSpend.ID, wrongSpend.Version, "ghi nhầm")
	must(t, err)
	spend(3_000_000, ymd(2025, 7, 10)) // the next half-year

	// C's relapse changed his record: keep the clients as stored.
	for _, c := range []**caunoi.Client{&m.a, &m.b, &m.c, &m.d} {
		got, err := f.Clients.FindClientByID(f.sys, (*c).ID)
		must(t, err)
		*c = got
	}
}

// checkStocks checks the loan figures that stand at the end of a period
// on other periods and scopes than the half-year: they are counted on the
// period's last day, or today (15 July 2025) while the period runs, and
// agree with the fund's own portfolio.
func (m *monitoringData) checkStocks(t *testing.T) {
	t.Helper()
	stock := []string{"LOANS_OUTSTANDING", "OUTSTANDING_PRINCIPAL_VND", "LOANS_IN_ARREARS", "ARREARS_VND", "PAR30_PRINCIPAL_VND", "PAR30"}
	period := func(code string) caunoi.Period {
		p, err := caunoi.ParsePeriod(code)
		must(t, err)
		return p
	}
	for _, c := range []struct {
		period                          string
		loans, outstanding, late, overd float64
		atRisk, par30                   float64
	}{
		// 31 January: B's December loan (2.000.000 left) and A's first.
		{"2025-01", 2, 12_000_000, 0, 0, 0, 0},
		// 31 March: B's first loan has matured; A has paid what was due.
		{"2025-Q1", 2, 14_000_000, 0, 0, 0, 0},
		// 15 July, the year still running: A 96 days late, B 14, C 30
		// (not more than 30: not at risk).
		{"2025", 4, 20_000_000, 3, 4_000_000 + 1_060_000 + 2_000_000, 8_000_000, 40},
	} {
		for _, raw := range []bool{true, false} {
			v := m.evaluate(t, raw, caunoi.ValueQuery{Period: period(c.period), Indicators: stock, Groupings: [][]string{{"org"}}})
			wantCell(t, v, "LOANS_OUTSTANDING", nil, nil, c.loans)
			wantCell(t, v, "OUTSTANDING_PRINCIPAL_VND", nil, nil, c.outstanding)
			wantCell(t, v, "LOANS_IN_ARREARS", nil, nil, c.late)
			wantCell(t, v, "ARREARS_VND", nil, nil, c.overd)
			wantCell(t, v, "PAR30_PRINCIPAL_VND", nil, nil, c.atRisk)
			wantCell(t, v, "PAR30", nil, nil, c.par30)
			wantCell(t, v, "LOANS_OUTSTANDING", []string{"org"}, []string{"org", m.O("hpg").ID}, c.loans)
		}
	}
	// On 31 January B (December's loan of 3.000.000) and A (10.000.000)
	// borrow.
	v := m.evaluate(t, true, caunoi.ValueQuery{Period: period("2025-01"), Indicators: []string{"ACTIVE_BORROWERS", "ACTIVE_LOAN_AMOUNT_VND"}})
	wantCell(t, v, "ACTIVE_BORROWERS", nil, nil, 2)
	wantCell(t, v, "ACTIVE_LOAN_AMOUNT_VND", nil, nil, 13_000_000)
	// Members on 31 January: B only (A joined on 1 February).
	v = m.evaluate(t, false, caunoi.ValueQuery{Period: period("2025-01"), Indicators: []string{"MEMBERS", "NEW_MEMBERS"}, Groupings: [][]string{{"org"}}})
	wantCell(t, v, "MEMBERS", nil, nil, 1)
	wantCell(t, v, "MEMBERS", []string{"org"}, []string{"org", m.O("hpg").ID}, 1)
	wantCell(t, v, "NEW_MEMBERS", nil, nil, 0)

	// The fund's portfolio on 30 June says the same.
	p, err := sqldb.NewLoanService(m.db).Portfolio(m.sys, m.fund.ID, time.Time(ymd(2025, 6, 30)))
	must(t, err)
	if p.ActiveLoans != 4 || p.InArrears != 2 || p.Outstanding != 20_000_000 || p.AtRisk30 != 8_000_000 || p.PAR30BP != 4000 {
		t.Errorf("the fund's portfolio on 30 June: %+v", p)
	}
	// Quảng Ninh lends nothing: no loans, and a PAR30 of nothing out is
	// undefined, not 0.
	v = m.evaluate(t, true, caunoi.ValueQuery{OrgID: m.O("qn").ID, Indicators: stock})
	wantCell(t, v, "LOANS_OUTSTANDING", nil, nil, 0)
	if c := v.Find("PAR30").Cell(); c == nil || !c.Undefined {
		t.Errorf("PAR30 of Quảng Ninh: %+v", c)
	}
	// A user-defined indicator over the stock source: loans late but not
	// yet at risk, C's on 30 June; one asking for a standing the source
	// does not have is refused, naming the field.
	late := &caunoi.Indicator{Code: "LATE_LOANS", NameVI: "Khoản vay chậm trả dưới 31 ngày", NameEN: "Loans late up to 30 days", Unit: "loan",
		Count: caunoi.CountEvents, Source: "loan_positions", Kinds: []string{"late"}, Disaggregations: []string{"sex"}, OrgID: m.O("hp").ID}
	must(t, m.svc.CreateIndicator(m.sys, late))
	v = m.evaluate(t, true, caunoi.ValueQuery{Indicators: []string{"LATE_LOANS"}, Groupings: [][]string{{"sex"}}})
	wantCell(t, v, "LATE_LOANS", nil, nil, 1)
	wantCell(t, v, "LATE_LOANS", []string{"sex"}, []string{"sex", "male"}, 1)
	wrong := *late
	wrong.Code, wrong.Kinds = "OVERDUE_LOANS", []string{"overdue"}
	wantInvalid(t, m.svc.CreateIndicator(m.sys, &wrong), "kinds")

	// A period not yet begun counts nothing.
	v = m.evaluate(t, true, caunoi.ValueQuery{Period: period("2025-Q4"), Indicators: stock})
	wantCell(t, v, "LOANS_OUTSTANDING", nil, nil, 0)
}
