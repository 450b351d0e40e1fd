package sqldb_test

import (
	"context"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// monitoringData is a hand-built first half of 2025 whose every count is
// known (see newMonitoringData):
//
//	nat
//	├─ hp  Hải Phòng (31)          └─ hpg  group, model peer_capacity: clients A, B, C
//	├─ qn  Quảng Ninh (22)         └─ qng  group, no model: client D
//	└─ hd  Hải Dương (30, merged into Hải Phòng on 1 July 2025, made before)
//	       └─ hdg group
type monitoringData struct {
	*fixture
	svc        *sqldb.IndicatorService
	h1         caunoi.Period
	a, b, c, d *caunoi.Client
	pe         context.Context // the peer educator of hpg
	fund       *caunoi.Fund    // the revolving fund of hpg
}

// at is a moment in Vietnam.
func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, caunoi.Zone)
}

func ymd(y int, m time.Month, d int) caunoi.Date {
	return caunoi.Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

func newMonitoringData(t *testing.T, db *sqldb.DB) *monitoringData {
	t.Helper()
	f := newFixture(t, db)
	m := &monitoringData{fixture: f, svc: sqldb.NewIndicatorService(db)}
	// Hải Dương's department was made while Hải Dương still existed.
	db.Now = func() time.Time { return at(2025, 3, 1, 9, 0) }
	f.addOrg("hd", "nat", &caunoi.Organisation{Kind: caunoi.OrgProvince, Name: "Chi cục PCTNXH Hải Dương", AdminUnitCode: "30"})
	f.addOrg("hdg", "hd", &caunoi.Organisation{Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupClub, Name: "CLB Hải Dương"})
	db.Now = func() time.Time { return at(2025, 7, 15, 9, 0) }
	var err error
	if m.h1, err = caunoi.ParsePeriod("2025-H1"); err != nil {
		t.Fatal(err)
	}
	m.pe = f.As(caunoi.RolePeerEducator, "hpg")
	peQ, peD := f.As(caunoi.RolePeerEducator, "qng"), f.As(caunoi.RolePeerEducator, "hdg")
	client := func(ctx context.Context, org, nick, sex string, born int, res string, pops ...caunoi.Population) *caunoi.Client {
		c := &caunoi.Client{OrgID: f.O(org).ID, Nickname: nick, Sex: sex, BirthYear: born, Residence: res, Populations: pops}
		must(t, f.Clients.CreateClient(ctx, c))
		return c
	}
	m.a = client(m.pe, "hpg", "A", "female", 1990, "local", caunoi.PopSexWork)
	m.b = client(m.pe, "hpg", "B", "female", 2008, "other_province", caunoi.PopSexWork, caunoi.PopVenueWorker)
	m.c = client(m.pe, "hpg", "C", "male", 1970, "mobile", caunoi.PopDrugUse)
	m.d = client(peQ, "qng", "D", "female", 1995, "local", caunoi.PopAtRisk)

	hotspot := &caunoi.Place{OrgID: f.O("hpg").ID, Kind: caunoi.PlaceHotspot, Type: "street", Name: "Bãi tắm Khu 2"}
	venue := &caunoi.Place{OrgID: f.O("hpg").ID, Kind: caunoi.PlaceEstablishment, Type: "karaoke", Name: "Karaoke Hoa Biển"}
	must(t, f.Places.CreatePlace(m.pe, hotspot))
	must(t, f.Places.CreatePlace(m.pe, venue))

	contact := func(ctx context.Context, org string, c *caunoi.Client, when time.Time, channel string, place string, comm map[string]int, anon ...string) *caunoi.Contact {
		k := &caunoi.Contact{OrgID: f.O(org).ID, At: when, Channel: channel, PlaceID: place, Commodities: comm}
		if c != nil {
			k.ClientID = c.ID
		} else {
			k.AnonSex, k.AnonPopulation = anon[0], caunoi.Population(anon[1])
		}
		must(t, f.Contacts.CreateContact(ctx, k))
		return k
	}
	// A: three contacts in the half-year, the last at 23:30 on 30 June
	// (Vietnam), and one at 00:30 on 1 July, which is the next half.
	contact(m.pe, "hpg", m.a, at(2025, 1, 10, 20, 0), "in_person", hotspot.ID, map[string]int{"condom": 10})
	contact(m.pe, "hpg", m.a, at(2025, 3, 5, 21, 0), "in_person", "", map[string]int{"condom": 10})
	contact(m.pe, "hpg", m.a, at(2025, 6, 30, 23, 30), "phone", "", nil)
	contact(m.pe, "hpg", m.a, at(2025, 7, 1, 0, 30), "phone", "", map[string]int{"condom": 99})
	voided := contact(m.pe, "hpg", m.a, at(2025, 3, 20, 20, 0), "in_person", "", map[string]int{"condom": 50})
	if _, err := f.Contacts.VoidContact(m.pe, voided.ID, 1, "ghi nhầm"); err != nil {
		t.Fatal(err)
	}
	// B: one via Zalo, one in person with condoms and lubricant.
	contact(m.pe, "hpg", m.b, at(2025, 2, 14, 22, 0), "zalo", "", nil)
	contact(m.pe, "hpg", m.b, at(2025, 4, 2, 21, 0), "in_person", hotspot.ID, map[string]int{"condom": 5, "lubricant": 2})
	// C: one by phone.
	contact(m.pe, "hpg", m.c, at(2025, 5, 8, 10, 0), "phone", "", nil)
	// Two unnamed people in Hải Phòng, one in Quảng Ninh, one in Hải Dương.
	contact(m.pe, "hpg", nil, at(2025, 5, 9, 22, 0), "in_person", "", map[string]int{"condom": 20}, "female", "sex_work")
	contact(m.pe, "hpg", nil, at(2025, 6, 1, 9, 0), "in_person", "", nil, "male", "drug_use")
	contact(peQ, "qng", m.d, at(2025, 3, 3, 20, 0), "in_person", "", nil)
	contact(peQ, "qng", nil, at(2025, 3, 4, 20, 0), "in_person", "", nil, "other", "at_risk")
	contact(peD, "hdg", nil, at(2025, 4, 20, 20, 0), "in_person", "", nil, "female", "sex_work")

	// Visits: the karaoke twice with condoms (once about labour law), the
	// hotspot once.
	must(t, f.Places.RecordVisit(m.pe, &caunoi.Visit{PlaceID: venue.ID, VisitedOn: ymd(2025, 2, 10), Purposes: []string{"commodities"}, Commodities: map[string]int{"condom": 100}}))
	must(t, f.Places.RecordVisit(m.pe, &caunoi.Visit{PlaceID: venue.ID, VisitedOn: ymd(2025, 5, 10), Purposes: []string{"labour_law"}, Commodities: map[string]int{"condom": 50}}))
	must(t, f.Places.RecordVisit(m.pe, &caunoi.Visit{PlaceID: hotspot.ID, VisitedOn: ymd(2025, 5, 11), Purposes: []string{"survey"}}))

	// Memberships: A joins in February, B joined before the half-year.
	must(t, f.Clients.AddMembership(m.pe, &caunoi.Membership{ClientID: m.a.ID, OrgID: f.O("hpg").ID, Role: "member", JoinedOn: ymd(2025, 2, 1)}))
	must(t, f.Clients.AddMembership(m.pe, &caunoi.Membership{ClientID: m.b.ID, OrgID: f.O("hpg").ID, Role: "member", JoinedOn: ymd(2024, 12, 1)}))

	activity := func(kind string, held caunoi.Date, female, male, other int, attendees ...*caunoi.Client) *caunoi.Activity {
		a := &caunoi.Activity{OrgID: f.O("hpg").ID, Kind: kind, HeldOn: held, Title: kind, AnonFemale: female, AnonMale: male, AnonOther: other}
		for _, c := range attendees {
			a.Attendees = append(a.Attendees, c.ID)
		}
		must(t, f.Activities.CreateActivity(m.pe, a))
		return a
	}
	activity("group_meeting", ymd(2025, 3, 3), 3, 0, 0, m.a, m.b)
	activity("group_meeting", ymd(2025, 6, 10), 0, 1, 0, m.a)
	activity("health_check", ymd(2025, 4, 2), 5, 0, 0, m.a, m.b)
	activity("health_check", ymd(2025, 5, 20), 0, 0, 1, m.a)
	activity("training", ymd(2025, 1, 15), 4, 0, 0)
	activity("communication", ymd(2025, 4, 5), 10, 0, 0, m.c)
	activity("campaign", ymd(2025, 6, 1), 150, 100, 0)
	activity("workshop", ymd(2025, 5, 2), 20, 0, 0)
	gone := activity("group_meeting", ymd(2025, 3, 4), 9, 0, 0, m.c)
	if _, err := f.Activities.VoidActivity(m.pe, gone.ID, 1, "ghi nhầm"); err != nil {
		t.Fatal(err)
	}
	activity("group_meeting", ymd(2025, 7, 2), 7, 0, 0) // the next half-year

	// Services and referrals.
	services, referrals := sqldb.NewServiceService(db), sqldb.NewReferralService(db)
	clinic := &caunoi.Provider{OrgID: f.O("nat").ID, Kind: caunoi.ProviderHealthFacility, Name: "Bệnh viện tỉnh",
		Services: []string{caunoi.ServiceHIVTest, caunoi.ServiceSTIExam, caunoi.ServiceVocationalTraining}}
	must(t, sqldb.NewProviderService(db).CreateProvider(f.sys, clinic))
	service := func(ctx context.Context, org string, c *caunoi.Client, kind, detail, result string, on caunoi.Date, qty int, vnd int64) *caunoi.Service {
		sv := &caunoi.Service{OrgID: f.O(org).ID, ClientID: c.ID, Kind: kind, Detail: detail, Result: result, GivenOn: on, Quantity: qty, AmountVND: vnd}
		switch kind {
		case caunoi.ServiceVocationalTraining:
			sv.Trade = "baking"
		case caunoi.ServiceJobPlacement:
			sv.Trade = "construction_helper"
		}
		must(t, services.CreateService(ctx, sv))
		return sv
	}
	service(m.pe, "hpg", m.a, caunoi.ServiceCounselling, "", "", ymd(2025, 2, 1), 0, 0)
	service(m.pe, "hpg", m.a, caunoi.ServiceHIVTest, "community", "negative", ymd(2025, 3, 1), 0, 0)
	service(m.pe, "hpg", m.a, caunoi.ServiceHIVTest, "community", "", ymd(2025, 6, 1), 0, 0)
	wrong := service(m.pe, "hpg", m.a, caunoi.ServiceCounselling, "", "", ymd(2025, 3, 20), 0, 0)
	_, err = services.VoidService(m.pe, wrong.ID, 1, "ghi nhầm")
	must(t, err)
	service(m.pe, "hpg", m.a, caunoi.ServiceCounselling, "", "", ymd(2025, 7, 3), 0, 0) // the next half-year
	bTest := service(m.pe, "hpg", m.b, caunoi.ServiceHIVTest, "facility", "reactive", ymd(2025, 4, 1), 0, 0)
	service(m.pe, "hpg", m.b, caunoi.ServiceART, "start", "", ymd(2025, 5, 1), 0, 0)
	service(m.pe, "hpg", m.b, caunoi.ServiceLegalAid, "advice", "", ymd(2025, 3, 10), 0, 0)
	service(m.pe, "hpg", m.b, caunoi.ServiceIdentityPapers, "id_card", "", ymd(2025, 3, 11), 0, 0)
	service(m.pe, "hpg", m.c, caunoi.ServiceMethadone, "enrolment", "", ymd(2025, 2, 2), 0, 0)
	service(m.pe, "hpg", m.c, caunoi.ServiceJobPlacement, "", caunoi.JobStable, ymd(2025, 3, 3), 0, 0)
	service(m.pe, "hpg", m.c, caunoi.ServiceVocationalTraining, "enrolled", "", ymd(2025, 1, 20), 0, 0)
	service(m.pe, "hpg", m.c, caunoi.ServiceMaterialSupport, "nutrition_package", "", ymd(2025, 4, 4), 2, 0)
	service(m.pe, "hpg", m.c, caunoi.ServiceHousing, "repaired", "", ymd(2025, 5, 5), 0, 5_000_000)
	service(peQ, "qng", m.d, caunoi.ServiceSTIExam, "examination", "", ymd(2025, 2, 5), 0, 0)
	service(peQ, "qng", m.d, caunoi.ServiceJobPlacement, "", "", ymd(2025, 3, 6), 0, 0)
	service(peQ, "qng", m.d, caunoi.ServiceHealthInsurance, "new", "", ymd(2025, 4, 7), 0, 0)
	service(peQ, "qng", m.d, caunoi.ServiceHepatitis, "hbv_screening", "negative", ymd(2025, 5, 8), 0, 0)
	refer := func(ctx context.Context, org string, c *caunoi.Client, kind string, on caunoi.Date) *caunoi.Referral {
		r := &caunoi.Referral{OrgID: f.O(org).ID, ClientID: c.ID, ProviderID: clinic.ID, ServiceKind: kind, ReferredOn: on}
		must(t, referrals.CreateReferral(ctx, r))
		return r
	}
	refer(m.pe, "hpg", m.a, caunoi.ServiceHIVTest, ymd(2025, 2, 20))
	rb := refer(m.pe, "hpg", m.b, caunoi.ServiceHIVTest, ymd(2025, 3, 25))
	_, err = referrals.TransitionReferral(m.pe, rb.ID, caunoi.ReferralTransition{Version: rb.Version, Status: caunoi.ReferralReached, ClosedOn: ymd(2025, 4, 1), ServiceID: bTest.ID})
	must(t, err)
	refer(m.pe, "hpg", m.c, caunoi.ServiceVocationalTraining, ymd(2025, 1, 15))
	refer(peQ, "qng", m.d, caunoi.ServiceSTIExam, ymd(2025, 2, 1))
	m.addCasesAndMoney(t, db)
	return m
}

// evaluate evaluates as the system actor, from the records (raw) or the
// rollups.
func (m *monitoringData) evaluate(t *testing.T, raw bool, q caunoi.ValueQuery) *caunoi.Values {
	t.Helper()
	m.svc.Raw = raw
	m.svc.NoCounts = false
	if q.OrgID == "" {
		q.OrgID = m.O("nat").ID
	}
	if q.Period.Kind == "" {
		q.Period = m.h1
	}
	v, err := m.svc.Evaluate(m.sys, q)
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	return v
}

// want checks a cell of a series: dimension, value pairs, then the value.
func wantCell(t *testing.T, v *caunoi.Values, code string, grouping []string, pairs []string, want float64) {
	t.Helper()
	s := v.Find(code, grouping...)
	if s == nil {
		t.Fatalf("%s by %v: no series", code, grouping)
	}
	c := s.Cell(pairs...)
	if c == nil {
		t.Fatalf("%s by %v: no cell %v", code, grouping, pairs)
	}
	if c.Suppressed || c.Value != want {
		t.Errorf("%s by %v %v = %v (suppressed %v), want %v", code, grouping, pairs, c.Value, c.Suppressed, want)
	}
}

func TestIndicatorsOnAHandBuiltHalfYear(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		m := newMonitoringData(t, db)
		totals := map[string]float64{
			// Contacts (lượt người) and persons (người) differ: A was met
			// three times, B twice; four clients, four unnamed contacts.
			"CONTACTS": 11, "CONTACTS_NAMED_PERSONS": 4, "CONTACTS_ANONYMOUS": 4, "PERSONS_REACHED": 8,
			"KP_PREV": 3, "CONTACTS_SEX_WORK": 7, "CONTACTS_ZALO": 1,
			"CONTACTS_VENUE_WORKERS": 2, "ZALO_PERSONS": 1,
			"CONDOMS_CONTACTS": 45, "CONDOMS_VISITS": 150, "CONDOMS": 195, "LUBRICANT": 2, "NEEDLES": 0,
			"ESTABLISHMENTS_REACHED": 1, "ESTABLISHMENTS_LABOUR_LAW": 1, "ESTABLISHMENT_VISITS": 2, "HOTSPOTS_REACHED": 1,
			"NEW_MEMBERS": 1, "MEMBERS": 2, // A joined in February, B before: both members on 30 June
			"GROUP_MEETINGS": 2, "GROUP_MEETING_NAMED": 3, "GROUP_MEETING_HEADS": 4, "GROUP_MEETING_PARTICIPANTS": 7,
			"COMMUNICATION_SESSIONS": 1, "COMMUNICATION_NAMED": 1, "COMMUNICATION_HEADS": 10, "COMMUNICATION_PARTICIPANTS": 11,
			"CAMPAIGNS": 1, "CAMPAIGN_NAMED": 0, "CAMPAIGN_HEADS": 250, "CAMPAIGN_PARTICIPANTS": 250,
			"TRAININGS": 1, "WORKSHOPS": 1,
			"HEALTH_CHECK_DAYS": 2, "HEALTH_CHECK_NAMED_PERSONS": 2, "HEALTH_CHECK_HEADS": 6, "HEALTH_CHECK_PARTICIPANTS": 8,
			// Services: 18 given to 4 people; referrals: 4, one reached.
			"SERVICE_CONTACTS": 18, "SERVICE_CONTACTS_SEX_WORK": 8, "SERVICE_PERSONS": 4, "COUNSELLING": 1,
			"REFERRED_HIV_TEST": 2, "REFERRED_STI": 1, "REFERRED_HIV_STI_TESTS": 3, "REFERRALS_HIV_ART": 2, "REFERRALS": 4, "REFERRALS_REACHED": 1, "REFERRAL_COMPLETION": 25,
			"HIV_TESTS": 3, "HIV_TESTED_WITH_RESULT": 2, "HIV_REACTIVE": 1, "STI_EXAMS": 1, "ART_SUPPORTED": 1, "METHADONE_CLIENTS": 1,
			"HEPATITIS": 1, "HEALTH_INSURANCE_CARDS": 1, "NUTRITION_PACKAGES": 2, "MATERIAL_SUPPORT_VND": 5_800_000,
			"HEALTH_SERVICE_CONTACTS": 8, "HEALTH_SERVICE_PERSONS": 4, "GIFT_RECIPIENTS": 2, "GIFTS_VND": 800_000,
			"LEGAL_AID_CASES": 1, "LEGAL_AID_PERSONS": 1, "IDENTITY_PAPERS": 1,
			"REFERRED_VOCATIONAL": 1, "VOCATIONAL_TRAINING": 1, "JOB_PLACEMENTS": 2, "STABLE_JOBS": 1, "STABLE_JOB_SHARE": 50,
			"LIVELIHOOD_SERVICE_CONTACTS": 3, "LIVELIHOOD_SUPPORT": 7,
			"HOUSES_BUILT": 0, "HOUSES_REPAIRED": 1,
			// Hotline, shelter, reintegration, loans and expenditure (see
			// addCasesAndMoney): cases and stays are events, people counted
			// once.
			"HOTLINE_CASES": 4, "GBV_CASES": 3, "DOMESTIC_VIOLENCE_CASES": 2, "HOTLINE_FOLLOW_UPS": 3,
			"SHELTER_STAYS": 3, "SHELTERED_PERSONS": 2,
			"INFLUENCE_MAPPED": 2, "RETURNEES_RECEIVED": 2, "REINTEGRATION_FOLLOW_UPS": 2, "RELAPSES": 1,
			"LOANS_DISBURSED": 4, "BORROWERS": 3, "LOAN_AMOUNT_VND": 25_000_000, "INTEREST_FREE_LOANS": 3, "INTEREST_FREE_LOAN_VND": 19_000_000,
			"LOANS_MATURED": 1, "MATURED_LOAN_VND": 3_000_000,
			// Loans as they stand on 30 June: stock figures.
			"LOANS_OUTSTANDING": 4, "ACTIVE_BORROWERS": 3, "ACTIVE_LOAN_AMOUNT_VND": 25_000_000, "OUTSTANDING_PRINCIPAL_VND": 20_000_000, "LOANS_IN_ARREARS": 2, "BORROWERS_IN_ARREARS": 2,
			"ARREARS_VND": 4_000_000, "PAR30_PRINCIPAL_VND": 8_000_000, "PAR30": 40,
			"EXPENDITURE_VND": 6_000_000,
			// 6.000.000 đồng spent for 8 people reached.
			"COST_PER_PERSON": 750_000,
		}
		var codes []string
		for c := range totals {
			codes = append(codes, c)
		}
		// Every shipped indicator has a known answer here.
		all, err := m.svc.FindIndicators(m.sys)
		must(t, err)
		for _, ind := range all {
			if _, ok := totals[ind.Code]; !ok {
				t.Errorf("catalogue indicator %s has no known answer in this test", ind.Code)
			}
		}
		groupings := [][]string{{"org"}, {"province"}, {"model"}, {"sex"}, {"age_band"}, {"population"}, {"residence"}, {"province", "sex"}}
		// From the records, from the rollup by client, from the counts.
		for _, mode := range []string{"records", "rollup", "counts"} {
			t.Run(mode, func(t *testing.T) {
				m.svc.Raw, m.svc.NoCounts = mode == "records", mode == "rollup"
				v, err := m.svc.Evaluate(m.sys, caunoi.ValueQuery{OrgID: m.O("nat").ID, Period: m.h1, Indicators: codes, Groupings: groupings})
				must(t, err)
				for code, want := range totals {
					wantCell(t, v, code, nil, nil, want)
				}
				// Cases, stays, returns and loans by group, province and sex.
				wantCell(t, v, "HOTLINE_CASES", []string{"org"}, []string{"org", m.O("hpg").ID}, 3)
				wantCell(t, v, "HOTLINE_CASES", []string{"org"}, []string{"org", m.O("qng").ID}, 1)
				wantCell(t, v, "GBV_CASES", []string{"province"}, []string{"province", "31"}, 2)
				wantCell(t, v, "HOTLINE_CASES", []string{"population"}, []string{"population", "venue_worker"}, 1)
				wantCell(t, v, "SHELTER_STAYS", []string{"sex"}, []string{"sex", "female"}, 2)
				wantCell(t, v, "SHELTERED_PERSONS", []string{"sex"}, []string{"sex", "female"}, 1)
				wantCell(t, v, "SHELTERED_PERSONS", []string{"sex"}, []string{"sex", "male"}, 1)
				wantCell(t, v, "RETURNEES_RECEIVED", []string{"province"}, []string{"province", "22"}, 1)
				wantCell(t, v, "RETURNEES_RECEIVED", []string{"sex"}, []string{"sex", "male"}, 1)
				wantCell(t, v, "LOANS_DISBURSED", []string{"sex"}, []string{"sex", "female"}, 3)
				wantCell(t, v, "BORROWERS", []string{"sex"}, []string{"sex", "female"}, 2)
				wantCell(t, v, "LOAN_AMOUNT_VND", []string{"model"}, []string{"model", "peer_capacity"}, 25_000_000)
				wantCell(t, v, "DOMESTIC_VIOLENCE_CASES", []string{"province"}, []string{"province", "22"}, 1)
				wantCell(t, v, "HOTLINE_FOLLOW_UPS", []string{"org"}, []string{"org", m.O("qng").ID}, 1)
				wantCell(t, v, "INFLUENCE_MAPPED", []string{"sex"}, []string{"sex", "male"}, 2)
				wantCell(t, v, "RELAPSES", []string{"population"}, []string{"population", "drug_use"}, 1)
				wantCell(t, v, "ZALO_PERSONS", []string{"population"}, []string{"population", "venue_worker"}, 1)
				wantCell(t, v, "LOANS_OUTSTANDING", []string{"sex"}, []string{"sex", "female"}, 3)
				wantCell(t, v, "LOANS_OUTSTANDING", []string{"sex"}, []string{"sex", "male"}, 1)
				wantCell(t, v, "BORROWERS_IN_ARREARS", []string{"sex"}, []string{"sex", "male"}, 1)
				wantCell(t, v, "LOANS_IN_ARREARS", []string{"province"}, []string{"province", "31"}, 2)
				wantCell(t, v, "PAR30", []string{"org"}, []string{"org", m.O("hpg").ID}, 40)
				wantCell(t, v, "PAR30", []string{"model"}, []string{"model", "peer_capacity"}, 40)
				// Spent by the province's department: 6.000.000 đồng for the 6
				// people reached in Hải Phòng (Hải Dương's one included).
				wantCell(t, v, "EXPENDITURE_VND", []string{"province"}, []string{"province", "31"}, 6_000_000)
				wantCell(t, v, "COST_PER_PERSON", []string{"province"}, []string{"province", "31"}, 1_000_000)
				// By the group where the work was recorded.
				wantCell(t, v, "CONTACTS", []string{"org"}, []string{"org", m.O("hpg").ID}, 8)
				wantCell(t, v, "CONTACTS", []string{"org"}, []string{"org", m.O("qng").ID}, 2)
				wantCell(t, v, "CONTACTS", []string{"org"}, []string{"org", m.O("hdg").ID}, 1)
				// Hải Dương merged into Hải Phòng: its group counts there.
				wantCell(t, v, "CONTACTS", []string{"province"}, []string{"province", "31"}, 9)
				wantCell(t, v, "CONTACTS", []string{"province"}, []string{"province", "22"}, 2)
				if s := v.Find("CONTACTS", "province"); s.Cell("province", "30") != nil {
					t.Error("the merged province still has a cell of its own")
				}
				if got := v.Labels["province"]["31"]; got != "Hải Phòng" {
					t.Errorf("province label = %q", got)
				}
				wantCell(t, v, "CONTACTS_NAMED_PERSONS", []string{"province"}, []string{"province", "31"}, 3)
				wantCell(t, v, "CONTACTS", []string{"model"}, []string{"model", "peer_capacity"}, 8)
				// Sex: the client's, or the unnamed person's.
				wantCell(t, v, "CONTACTS", []string{"sex"}, []string{"sex", "female"}, 8)
				wantCell(t, v, "CONTACTS", []string{"sex"}, []string{"sex", "male"}, 2)
				wantCell(t, v, "CONTACTS", []string{"sex"}, []string{"sex", "other"}, 1)
				wantCell(t, v, "CONTACTS_NAMED_PERSONS", []string{"sex"}, []string{"sex", "female"}, 3)
				wantCell(t, v, "PERSONS_REACHED", []string{"sex"}, []string{"sex", "female"}, 5)
				// Age in 2025: A 35, B 17, C 55, D 30; unnamed people unknown.
				wantCell(t, v, "CONTACTS", []string{"age_band"}, []string{"age_band", "35_49"}, 3)
				wantCell(t, v, "CONTACTS", []string{"age_band"}, []string{"age_band", "25_34"}, 1)
				wantCell(t, v, "CONTACTS", []string{"age_band"}, []string{"age_band", "under_18"}, 2)
				wantCell(t, v, "CONTACTS", []string{"age_band"}, []string{"age_band", "50_plus"}, 1)
				wantCell(t, v, "CONTACTS", []string{"age_band"}, []string{"age_band", "unknown"}, 4)
				wantCell(t, v, "KP_PREV", []string{"age_band"}, []string{"age_band", "under_18"}, 1)
				// A person in several populations counts in each.
				wantCell(t, v, "CONTACTS", []string{"population"}, []string{"population", "sex_work"}, 7)
				wantCell(t, v, "CONTACTS", []string{"population"}, []string{"population", "venue_worker"}, 2)
				wantCell(t, v, "CONTACTS", []string{"population"}, []string{"population", "drug_use"}, 2)
				wantCell(t, v, "CONTACTS", []string{"population"}, []string{"population", "at_risk"}, 2)
				wantCell(t, v, "KP_PREV", []string{"population"}, []string{"population", "sex_work"}, 2)
				wantCell(t, v, "CONTACTS", []string{"residence"}, []string{"residence", "local"}, 4)
				wantCell(t, v, "CONTACTS", []string{"residence"}, []string{"residence", "unknown"}, 4)
				wantCell(t, v, "CONTACTS", []string{"province", "sex"}, []string{"province", "31", "sex", "female"}, 7)
				wantCell(t, v, "CONTACTS", []string{"province", "sex"}, []string{"province", "22", "sex", "other"}, 1)
				// Participants by sex: named attendees' sex and heads'.
				wantCell(t, v, "GROUP_MEETING_PARTICIPANTS", []string{"sex"}, []string{"sex", "female"}, 6)
				wantCell(t, v, "GROUP_MEETING_PARTICIPANTS", []string{"sex"}, []string{"sex", "male"}, 1)
				wantCell(t, v, "HEALTH_CHECK_PARTICIPANTS", []string{"sex"}, []string{"sex", "other"}, 1)
				wantCell(t, v, "CAMPAIGN_PARTICIPANTS", []string{"sex"}, []string{"sex", "male"}, 100)
				wantCell(t, v, "COMMUNICATION_PARTICIPANTS", []string{"sex"}, []string{"sex", "male"}, 1)
				// Services by group and province; a share per province.
				wantCell(t, v, "SERVICE_CONTACTS", []string{"org"}, []string{"org", m.O("hpg").ID}, 13)
				wantCell(t, v, "SERVICE_PERSONS", []string{"org"}, []string{"org", m.O("qng").ID}, 1)
				wantCell(t, v, "STABLE_JOB_SHARE", []string{"province"}, []string{"province", "31"}, 100)
				wantCell(t, v, "STABLE_JOB_SHARE", []string{"province"}, []string{"province", "22"}, 0)
				wantCell(t, v, "HIV_TESTED_WITH_RESULT", []string{"population"}, []string{"population", "venue_worker"}, 1)
				// Referred for a test of either kind: each person once.
				wantCell(t, v, "REFERRED_HIV_STI_TESTS", []string{"province"}, []string{"province", "31"}, 2)
				wantCell(t, v, "REFERRED_HIV_STI_TESTS", []string{"province"}, []string{"province", "22"}, 1)
				// Quantities cannot be broken down by sex: no such series.
				if v.Find("CONDOMS", "sex") != nil {
					t.Error("condoms broken down by sex")
				}
			})
		}

		t.Run("loans as they stand at the end of other periods", m.checkStocks)

		t.Run("a province's subtree only", func(t *testing.T) {
			for _, raw := range []bool{true, false} {
				v := m.evaluate(t, raw, caunoi.ValueQuery{OrgID: m.O("qn").ID, Indicators: []string{"CONTACTS", "PERSONS_REACHED"}, Groupings: [][]string{{"org"}}})
				wantCell(t, v, "CONTACTS", nil, nil, 2)
				wantCell(t, v, "PERSONS_REACHED", nil, nil, 2)
				if s := v.Find("CONTACTS", "org"); len(s.Cells) != 1 || s.Cells[0].Keys["org"] != m.O("qng").ID {
					t.Errorf("groups of Quảng Ninh: %+v", s.Cells)
				}
			}
		})

		t.Run("a custom period counts by the Vietnamese day", func(t *testing.T) {
			p, err := caunoi.ParsePeriod("2025-06-30..2025-07-01")
			must(t, err)
			for _, raw := range []bool{true, false} {
				v := m.evaluate(t, raw, caunoi.ValueQuery{Period: p, Indicators: []string{"CONTACTS", "CONDOMS_CONTACTS"}})
				wantCell(t, v, "CONTACTS", nil, nil, 2)
				wantCell(t, v, "CONDOMS_CONTACTS", nil, nil, 99)
			}
			// The first quarter's visit to the karaoke was not about labour
			// law: reached, but not informed.
			p, err = caunoi.ParsePeriod("2025-Q1")
			must(t, err)
			for _, raw := range []bool{true, false} {
				v := m.evaluate(t, raw, caunoi.ValueQuery{Period: p, Indicators: []string{"ESTABLISHMENTS_REACHED", "ESTABLISHMENTS_LABOUR_LAW"}})
				wantCell(t, v, "ESTABLISHMENTS_REACHED", nil, nil, 1)
				wantCell(t, v, "ESTABLISHMENTS_LABOUR_LAW", nil, nil, 0)
			}
			p, err = caunoi.ParsePeriod("2025-07")
			must(t, err)
			v := m.evaluate(t, false, caunoi.ValueQuery{Period: p, Indicators: []string{"CONTACTS", "GROUP_MEETINGS", "GROUP_MEETING_PARTICIPANTS"}})
			wantCell(t, v, "CONTACTS", nil, nil, 1)
			wantCell(t, v, "GROUP_MEETINGS", nil, nil, 1)
			wantCell(t, v, "GROUP_MEETING_PARTICIPANTS", nil, nil, 7)
		})
	})
}
