package sqldb_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// servicesFixture is the fixture with the services and a directory:
// Hải Phòng keeps a clinic (STI, HIV test, ART) and a legal-aid centre,
// Quảng Ninh a clinic of its own; a Hải Phòng client with a legal name
// and a phone.
type servicesFixture struct {
	*fixture
	Providers *sqldb.ProviderService
	Services  *sqldb.ServiceService
	Referrals *sqldb.ReferralService

	clinic, legal, qnClinic *caunoi.Provider
	client                  *caunoi.Client
	leader, pe              context.Context // group leader and peer educator of hpg
}

func newServicesFixture(t *testing.T, db *sqldb.DB) *servicesFixture {
	t.Helper()
	f := &servicesFixture{fixture: newFixture(t, db), Providers: sqldb.NewProviderService(db),
		Services: sqldb.NewServiceService(db), Referrals: sqldb.NewReferralService(db)}
	f.clinic = f.newProvider("hp", "Phòng khám Da liễu Hải Phòng", caunoi.ServiceSTIExam, caunoi.ServiceHIVTest, caunoi.ServiceART)
	must(t, f.Providers.CreateProvider(f.sys, f.clinic))
	f.legal = f.newProvider("hp", "Trung tâm Trợ giúp pháp lý Hải Phòng", caunoi.ServiceLegalAid, caunoi.ServiceIdentityPapers)
	f.legal.Kind = caunoi.ProviderLegalAidCentre
	must(t, f.Providers.CreateProvider(f.sys, f.legal))
	f.qnClinic = f.newProvider("qn", "Phòng khám Hạ Long", caunoi.ServiceSTIExam, caunoi.ServiceHIVTest)
	must(t, f.Providers.CreateProvider(f.sys, f.qnClinic))
	f.leader, f.pe = f.As(caunoi.RoleGroupLeader, "hpg"), f.As(caunoi.RolePeerEducator, "hpg")
	c := f.newClient("hpg", "Hoa Sen")
	c.UIC, c.LegalName, c.Phone = "HOAN1990F", "Nguyễn Thị Hoa", "0912 345 678"
	must(t, f.Clients.CreateClient(f.pe, c))
	f.client = c
	return f
}

// hivTest returns a valid HIV test of the fixture's client at the clinic.
func (f *servicesFixture) hivTest(on caunoi.Date, result string) *caunoi.Service {
	return &caunoi.Service{OrgID: f.O("hpg").ID, ClientID: f.client.ID, Kind: caunoi.ServiceHIVTest, Detail: "community",
		Result: result, GivenOn: on, ProviderID: f.clinic.ID}
}

// referral returns a valid referral of the fixture's client.
func (f *servicesFixture) referral(kind string, provider *caunoi.Provider, on caunoi.Date) *caunoi.Referral {
	return &caunoi.Referral{OrgID: f.O("hpg").ID, ClientID: f.client.ID, ProviderID: provider.ID, ServiceKind: kind, ReferredOn: on,
		Reason: "Khám định kỳ"}
}

// Services: validation by kind, the client's birth year, the provider's
// offer, idempotent creates, versions, scope, and voiding.
func TestServices(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newServicesFixture(t, db)
		hpg := f.O("hpg").ID

		// A test with its result; created twice, stored once.
		test := f.hivTest(daysAgo(3), caunoi.HIVNegative)
		must(t, f.Services.CreateService(f.pe, test))
		again := f.hivTest(daysAgo(3), caunoi.HIVNegative)
		again.ID = test.ID
		must(t, f.Services.CreateService(f.pe, again))
		if countRows(t, db, "services") != 1 || again.Version != 1 || again.WorkerID != f.U(caunoi.RolePeerEducator, "hpg").ID {
			t.Fatalf("repeated create: %d rows, %+v", countRows(t, db, "services"), again)
		}
		if es := f.auditEntries(caunoi.AuditFilter{EntityID: test.ID}); len(es) != 1 || es[0].Entity != "service" {
			t.Fatalf("audit: %+v", es)
		}

		// Bad input: a translated field error each, nothing stored.
		rows, audits := countRows(t, db, "services"), f.auditCount()
		bad := []struct {
			name  string
			field string
			key   string
			s     *caunoi.Service
		}{
			{"an HIV result on a service that is no HIV test", "result", "err.service.result_not_allowed",
				&caunoi.Service{OrgID: hpg, ClientID: f.client.ID, Kind: caunoi.ServiceCounselling, Result: caunoi.HIVPositive, GivenOn: daysAgo(1)}},
			{"an HIV result that is not allowed", "result", "err.service.hiv_result", f.hivTest(daysAgo(1), "maybe")},
			{"dated in the future", "given_on", "err.date.range", f.hivTest(tomorrow(), "")},
			{"before the client's birth year", "given_on", "err.date.before_birth", f.hivTest(caunoi.Date(time.Date(1989, 12, 31, 0, 0, 0, 0, time.UTC)), "")},
			{"ART without start or continuation", "detail", "err.service.detail_required",
				&caunoi.Service{OrgID: hpg, ClientID: f.client.ID, Kind: caunoi.ServiceART, GivenOn: daysAgo(1)}},
			{"cash without an amount", "amount_vnd", "err.service.amount_required",
				&caunoi.Service{OrgID: hpg, ClientID: f.client.ID, Kind: caunoi.ServiceMaterialSupport, Detail: "cash", GivenOn: daysAgo(1)}},
			{"an amount on a test", "amount_vnd", "err.service.amount_not_allowed",
				&caunoi.Service{OrgID: hpg, ClientID: f.client.ID, Kind: caunoi.ServiceSTIExam, AmountVND: 5000, GivenOn: daysAgo(1)}},
			{"a job without its type", "trade", "err.service.trade_required",
				&caunoi.Service{OrgID: hpg, ClientID: f.client.ID, Kind: caunoi.ServiceJobPlacement, GivenOn: daysAgo(1)}},
			{"an unknown kind", "kind", "err.field.choice", &caunoi.Service{OrgID: hpg, ClientID: f.client.ID, Kind: "massage", GivenOn: daysAgo(1)}},
			{"at a provider that does not offer it", "provider_id", "err.service.provider_service",
				&caunoi.Service{OrgID: hpg, ClientID: f.client.ID, Kind: caunoi.ServiceLegalAid, GivenOn: daysAgo(1), ProviderID: f.clinic.ID}},
			{"at another province's provider", "provider_id", "err.provider.unknown",
				&caunoi.Service{OrgID: hpg, ClientID: f.client.ID, Kind: caunoi.ServiceSTIExam, GivenOn: daysAgo(1), ProviderID: f.qnClinic.ID}},
			{"for a client of another province", "client_id", "err.contact.client_unknown",
				&caunoi.Service{OrgID: hpg, ClientID: f.createClient(f.As(caunoi.RolePeerEducator, "qng"), "qng", "Hạ Long").ID,
					Kind: caunoi.ServiceCounselling, GivenOn: daysAgo(1)}},
			{"for another province's group", "org_id", "err.org.not_in_scope",
				&caunoi.Service{OrgID: f.O("qng").ID, ClientID: f.client.ID, Kind: caunoi.ServiceCounselling, GivenOn: daysAgo(1)}},
		}
		rows, audits = countRows(t, db, "services"), f.auditCount()
		for _, b := range bad {
			err := f.Services.CreateService(f.pe, b.s)
			e := wantCode(t, err, caunoi.EINVALID)
			if !slices.ContainsFunc(e.Fields, func(fe caunoi.FieldError) bool { return fe.Field == b.field && fe.Key == b.key }) {
				t.Errorf("%s: %v, want %s on %s", b.name, err, b.key, b.field)
			}
		}
		if countRows(t, db, "services") != rows || f.auditCount() != audits {
			t.Fatal("bad services left something stored")
		}

		// Every kind with what its rule takes is accepted.
		good := []*caunoi.Service{
			{Kind: caunoi.ServiceCounselling},
			{Kind: caunoi.ServiceSTIExam, Detail: "examination", ProviderID: f.clinic.ID},
			{Kind: caunoi.ServiceART, Detail: "start", ProviderID: f.clinic.ID},
			{Kind: caunoi.ServiceMethadone, Detail: "continuation"},
			{Kind: caunoi.ServiceHepatitis, Detail: "hcv_screening", Result: "positive"},
			{Kind: caunoi.ServiceHealthInsurance, Detail: "renewed"},
			{Kind: caunoi.ServiceLegalAid, Detail: "documents", ProviderID: f.legal.ID},
			{Kind: caunoi.ServiceIdentityPapers, Detail: "id_card"},
			{Kind: caunoi.ServiceVocationalTraining, Detail: "enrolled", Trade: "baking"},
			{Kind: caunoi.ServiceJobPlacement, Trade: "porter"},
			{Kind: caunoi.ServiceMaterialSupport, Detail: "nutrition_package"},
			{Kind: caunoi.ServiceMaterialSupport, Detail: "cash", AmountVND: 500000},
			{Kind: caunoi.ServiceHousing, Detail: "repaired", AmountVND: 20000000},
		}
		for _, s := range good {
			s.OrgID, s.ClientID, s.GivenOn = hpg, f.client.ID, daysAgo(2)
			if err := f.Services.CreateService(f.leader, s); err != nil {
				t.Errorf("%s %s: %v", s.Kind, s.Detail, err)
			}
		}
		if good[10].Quantity != 1 {
			t.Errorf("a nutrition package's quantity = %d, want 1 by default", good[10].Quantity)
		}

		// The job's outcome after the follow-up, with versions.
		job := good[9]
		stable := caunoi.JobStable
		up, err := f.Services.UpdateService(f.pe, job.ID, caunoi.ServiceUpdate{Version: 1, Result: &stable})
		must(t, err)
		if up.Result != caunoi.JobStable || up.Version != 2 {
			t.Fatalf("job outcome: %+v", up)
		}
		notStable := caunoi.JobNotStable
		_, err = f.Services.UpdateService(f.pe, job.ID, caunoi.ServiceUpdate{Version: 1, Result: &notStable})
		wantCode(t, err, caunoi.ECONFLICT)
		positive := caunoi.HIVPositive
		_, err = f.Services.UpdateService(f.pe, good[0].ID, caunoi.ServiceUpdate{Version: 1, Result: &positive})
		wantInvalid(t, err, "result")

		// Scope: the province reads but does not record; the other
		// province and the national level see nothing.
		list, n, err := f.Services.FindServices(f.As(caunoi.RoleProvinceOfficer, "hp"), caunoi.ServiceFilter{ClientID: f.client.ID})
		must(t, err)
		if n != 1+len(good) || len(list) != n {
			t.Fatalf("province sees %d services, want %d", n, 1+len(good))
		}
		wantCode(t, f.Services.CreateService(f.As(caunoi.RoleProvinceOfficer, "hp"), f.hivTest(daysAgo(1), "")), caunoi.EFORBIDDEN)
		if _, n, err := f.Services.FindServices(f.As(caunoi.RoleGroupLeader, "qng"), caunoi.ServiceFilter{}); err != nil || n != 0 {
			t.Fatalf("another province sees %d services: %v", n, err)
		}
		_, err = f.Services.FindServiceByID(f.As(caunoi.RoleProvinceOfficer, "qn"), test.ID)
		wantCode(t, err, caunoi.ENOTFOUND)
		_, _, err = f.Services.FindServices(f.As(caunoi.RoleNationalOfficer, "nat"), caunoi.ServiceFilter{})
		wantCode(t, err, caunoi.EFORBIDDEN)
		_, err = f.Services.FindServiceByID(f.As(caunoi.RoleNationalOfficer, "nat"), test.ID)
		wantCode(t, err, caunoi.EFORBIDDEN)

		// Filters: kind, provider, period.
		if _, n, _ := f.Services.FindServices(f.leader, caunoi.ServiceFilter{Kind: caunoi.ServiceMaterialSupport}); n != 2 {
			t.Errorf("material support: %d", n)
		}
		if _, n, _ := f.Services.FindServices(f.leader, caunoi.ServiceFilter{ProviderID: f.clinic.ID}); n != 3 {
			t.Errorf("at the clinic: %d", n)
		}
		from, to := dayTime(daysAgo(3)), dayTime(daysAgo(2))
		if _, n, _ := f.Services.FindServices(f.leader, caunoi.ServiceFilter{From: &from, To: &to}); n != 1 {
			t.Errorf("three days ago: %d", n)
		}

		// Voiding.
		v, err := f.Services.VoidService(f.pe, test.ID, 1, "Ghi nhầm khách hàng")
		must(t, err)
		if !v.Voided() {
			t.Fatal("not voided")
		}
		if _, n, _ := f.Services.FindServices(f.leader, caunoi.ServiceFilter{Kind: caunoi.ServiceHIVTest}); n != 0 {
			t.Errorf("a voided service is listed")
		}
		_, err = f.Services.VoidService(f.pe, test.ID, 2, "lần nữa")
		wantCode(t, err, caunoi.ECONFLICT)
	})
}

// transitionTo returns a transition to the state, with what it needs.
func (f *servicesFixture) transitionTo(r *caunoi.Referral, to string) caunoi.ReferralTransition {
	t := caunoi.ReferralTransition{Version: r.Version, Status: to, ClosedOn: caunoi.Date(caunoi.Today()), Outcome: "ghi chú"}
	if to == caunoi.ReferralReached {
		t.Service = &caunoi.Service{Detail: "examination"}
	}
	return t
}

// The referral state machine, every pair of states: the four allowed
// moves succeed (reaching records the service in the same transaction),
// every other is refused with a field error and changes nothing.
func TestReferralStateMachine(t *testing.T) {
	t.Parallel()
	allowed := map[[2]string]bool{
		{caunoi.ReferralReferred, caunoi.ReferralReached}:  true,
		{caunoi.ReferralReferred, caunoi.ReferralDeclined}: true,
		{caunoi.ReferralReferred, caunoi.ReferralLost}:     true,
		{caunoi.ReferralLost, caunoi.ReferralReached}:      true,
	}
	// How to bring a new referral into each state.
	path := map[string][]string{
		caunoi.ReferralReferred: nil,
		caunoi.ReferralReached:  {caunoi.ReferralReached},
		caunoi.ReferralDeclined: {caunoi.ReferralDeclined},
		caunoi.ReferralLost:     {caunoi.ReferralLost},
	}
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newServicesFixture(t, db)
		for _, from := range caunoi.ReferralStatuses {
			for _, to := range caunoi.ReferralStatuses {
				t.Run(from+"→"+to, func(t *testing.T) {
					if got := caunoi.CanTransition(from, to); got != allowed[[2]string{from, to}] {
						t.Errorf("CanTransition = %v", got)
					}
					r := f.referral(caunoi.ServiceSTIExam, f.clinic, daysAgo(5))
					must(t, f.Referrals.CreateReferral(f.pe, r))
					for _, step := range path[from] {
						var err error
						r, err = f.Referrals.TransitionReferral(f.pe, r.ID, f.transitionTo(r, step))
						must(t, err)
					}
					if r.Status != from {
						t.Fatalf("set up: status %s, want %s", r.Status, from)
					}
					services, audits := countRows(t, db, "services"), f.auditCount()
					next, err := f.Referrals.TransitionReferral(f.pe, r.ID, f.transitionTo(r, to))
					stored, ferr := f.Referrals.FindReferralByID(f.pe, r.ID)
					must(t, ferr)
					if !allowed[[2]string{from, to}] {
						e := wantCode(t, err, caunoi.EINVALID)
						if len(e.Fields) != 1 || e.Fields[0].Field != "status" || e.Fields[0].Key != "err.referral.transition" {
							t.Fatalf("refused with %v, want err.referral.transition on status", err)
						}
						if stored.Status != from || stored.Version != r.Version || countRows(t, db, "services") != services || f.auditCount() != audits {
							t.Fatalf("a refused move changed something: %+v", stored)
						}
						return
					}
					must(t, err)
					if next.Status != to || stored.Status != to || stored.Version != r.Version+1 || stored.ClosedOn == nil {
						t.Fatalf("after the move: %+v", stored)
					}
					if to == caunoi.ReferralReached {
						if stored.ServiceID == "" || countRows(t, db, "services") != services+1 {
							t.Fatalf("reached without its service: %+v", stored)
						}
						sv, err := f.Services.FindServiceByID(f.pe, stored.ServiceID)
						must(t, err)
						if sv.Kind != r.ServiceKind || sv.ClientID != r.ClientID || sv.ProviderID != r.ProviderID || sv.ReferralID != r.ID {
							t.Fatalf("the service received: %+v", sv)
						}
					} else if stored.ServiceID != "" || countRows(t, db, "services") != services {
						t.Fatalf("%s with a service: %+v", to, stored)
					}
				})
			}
		}
	})
}

// Referrals: the provider must offer the service; reaching links a
// service of the same client and kind; nothing is half-written; scope;
// idempotent creates; stale versions.
func TestReferrals(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newServicesFixture(t, db)

		hp := f.As(caunoi.RoleProvinceOfficer, "hp")
		// A referral to a provider that does not offer the service.
		rows, audits := countRows(t, db, "referrals"), f.auditCount()
		err := f.Referrals.CreateReferral(f.pe, f.referral(caunoi.ServiceLegalAid, f.clinic, daysAgo(1)))
		e := wantCode(t, err, caunoi.EINVALID)
		if e.Fields[0].Field != "service_kind" || e.Fields[0].Key != "err.referral.provider_service" || e.Fields[0].Args["Provider"] != f.clinic.Name {
			t.Fatalf("refused with %+v", e.Fields)
		}
		wantInvalid(t, f.Referrals.CreateReferral(f.pe, f.referral(caunoi.ServiceSTIExam, f.qnClinic, daysAgo(1))), "provider_id")
		wantInvalid(t, f.Referrals.CreateReferral(f.pe, f.referral(caunoi.ServiceSTIExam, f.clinic, tomorrow())), "referred_on")
		late := f.referral(caunoi.ServiceSTIExam, f.clinic, daysAgo(1))
		late.DueOn = daysAgo(2)
		wantInvalid(t, f.Referrals.CreateReferral(f.pe, late), "due_on")
		wantCode(t, f.Referrals.CreateReferral(hp, f.referral(caunoi.ServiceSTIExam, f.clinic, daysAgo(1))), caunoi.EFORBIDDEN)
		if countRows(t, db, "referrals") != rows || f.auditCount() != audits {
			t.Fatal("refused referrals left something stored")
		}

		// Made twice, stored once, with a code and a default due day.
		r := f.referral(caunoi.ServiceHIVTest, f.clinic, daysAgo(4))
		must(t, f.Referrals.CreateReferral(f.pe, r))
		again := f.referral(caunoi.ServiceHIVTest, f.clinic, daysAgo(4))
		again.ID = r.ID
		must(t, f.Referrals.CreateReferral(f.pe, again))
		if countRows(t, db, "referrals") != 1 || again.Code != r.Code || len(r.Code) != len("CG-0000-0000-0000") {
			t.Fatalf("repeated create: %d rows, code %q / %q", countRows(t, db, "referrals"), r.Code, again.Code)
		}
		if want := dayTime(daysAgo(4)).AddDate(0, 0, caunoi.DefaultReferralDays); !dayTime(r.DueOn).Equal(want) {
			t.Fatalf("due %v, want %v", dayTime(r.DueOn), want)
		}

		// Reached with a service already recorded: it must be the
		// client's, of the kind, not before the referral.
		sti := &caunoi.Service{OrgID: f.O("hpg").ID, ClientID: f.client.ID, Kind: caunoi.ServiceSTIExam, GivenOn: daysAgo(1), ProviderID: f.clinic.ID}
		must(t, f.Services.CreateService(f.pe, sti))
		early := f.hivTest(daysAgo(6), "")
		must(t, f.Services.CreateService(f.pe, early))
		reach := caunoi.ReferralTransition{Version: 1, Status: caunoi.ReferralReached, ClosedOn: daysAgo(1)}
		for _, id := range []string{sti.ID, early.ID, caunoi.NewID()} {
			reach.ServiceID = id
			_, err := f.Referrals.TransitionReferral(f.pe, r.ID, reach)
			wantInvalid(t, err, "service_id")
		}
		reach.ServiceID = ""
		_, err = f.Referrals.TransitionReferral(f.pe, r.ID, reach)
		wantInvalid(t, err, "service_id")

		// Nothing half-written: an inline service that is wrong leaves the
		// referral and the services as they were.
		services, audits := countRows(t, db, "services"), f.auditCount()
		reach.Service = &caunoi.Service{Result: "maybe"}
		_, err = f.Referrals.TransitionReferral(f.pe, r.ID, reach)
		wantInvalid(t, err, "result")
		reach.Service = &caunoi.Service{Result: caunoi.HIVNegative, GivenOn: daysAgo(5)}
		_, err = f.Referrals.TransitionReferral(f.pe, r.ID, reach)
		wantInvalid(t, err, "given_on")
		stored, err := f.Referrals.FindReferralByID(f.pe, r.ID)
		must(t, err)
		if stored.Status != caunoi.ReferralReferred || stored.Version != 1 || countRows(t, db, "services") != services || f.auditCount() != audits {
			t.Fatalf("a refused transition changed something: %+v", stored)
		}

		// A test done after the referral reaches it.
		test := f.hivTest(daysAgo(2), caunoi.HIVReactive)
		must(t, f.Services.CreateService(f.pe, test))
		reach.Service, reach.ServiceID = nil, test.ID
		done, err := f.Referrals.TransitionReferral(f.pe, r.ID, reach)
		must(t, err)
		if done.Status != caunoi.ReferralReached || done.ServiceID != test.ID || done.Version != 2 {
			t.Fatalf("reached: %+v", done)
		}
		// A stale version is refused.
		_, err = f.Referrals.TransitionReferral(f.pe, r.ID, caunoi.ReferralTransition{Version: 1, Status: caunoi.ReferralLost, ClosedOn: daysAgo(1)})
		wantCode(t, err, caunoi.ECONFLICT)
		// The service closed the referral: it cannot be voided while the
		// referral stands, nor close another.
		_, err = f.Services.VoidService(f.pe, test.ID, 1, "nhầm")
		wantCode(t, err, caunoi.ECONFLICT)
		other := f.referral(caunoi.ServiceHIVTest, f.clinic, daysAgo(3))
		must(t, f.Referrals.CreateReferral(f.leader, other))
		_, err = f.Referrals.TransitionReferral(f.leader, other.ID, caunoi.ReferralTransition{Version: 1, Status: caunoi.ReferralReached, ClosedOn: daysAgo(1), ServiceID: test.ID})
		wantInvalid(t, err, "service_id")

		// Scope.
		if _, n, err := f.Referrals.FindReferrals(f.As(caunoi.RoleProvinceOfficer, "hp"), caunoi.ReferralFilter{}); err != nil || n != 2 {
			t.Fatalf("the province sees %d: %v", n, err)
		}
		if _, n, err := f.Referrals.FindReferrals(f.As(caunoi.RoleGroupLeader, "qng"), caunoi.ReferralFilter{}); err != nil || n != 0 {
			t.Fatalf("another province sees %d: %v", n, err)
		}
		_, err = f.Referrals.FindReferralByID(f.As(caunoi.RolePeerEducator, "qng"), r.ID)
		wantCode(t, err, caunoi.ENOTFOUND)
		_, err = f.Referrals.TransitionReferral(f.As(caunoi.RolePeerEducator, "qng"), other.ID, caunoi.ReferralTransition{Version: 1, Status: caunoi.ReferralLost, ClosedOn: daysAgo(1)})
		wantCode(t, err, caunoi.ENOTFOUND)
		_, _, err = f.Referrals.FindReferrals(f.As(caunoi.RoleNationalOfficer, "nat"), caunoi.ReferralFilter{})
		wantCode(t, err, caunoi.EFORBIDDEN)
		_, err = f.Referrals.ReferralSlip(f.As(caunoi.RoleNationalOfficer, "nat"), r.ID)
		wantCode(t, err, caunoi.EFORBIDDEN)
		_, err = f.Referrals.ReferralSlip(f.As(caunoi.RoleAdmin, "nat"), r.ID)
		wantCode(t, err, caunoi.EFORBIDDEN)

		// Filters.
		if list, n, _ := f.Referrals.FindReferrals(f.leader, caunoi.ReferralFilter{Status: caunoi.ReferralReferred}); n != 1 || list[0].ID != other.ID {
			t.Errorf("open referrals: %d", n)
		}
		if _, n, _ := f.Referrals.FindReferrals(f.leader, caunoi.ReferralFilter{ReferredBy: f.U(caunoi.RolePeerEducator, "hpg").ID}); n != 1 {
			t.Errorf("the peer educator's referrals: %d", n)
		}

		// Voiding.
		_, err = f.Referrals.VoidReferral(f.leader, other.ID, 1, "")
		wantInvalid(t, err, "reason")
		if v, err := f.Referrals.VoidReferral(f.leader, other.ID, 1, "Trùng"); err != nil || !v.Voided() {
			t.Fatalf("void: %+v %v", v, err)
		}
		if _, n, _ := f.Referrals.FindReferrals(f.leader, caunoi.ReferralFilter{}); n != 1 {
			t.Errorf("a voided referral is listed")
		}
	})
}

// Overdue referrals on given days: the database's clock decides what is
// overdue, per group and per worker, the longest overdue first.
func TestOverdueReferrals(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		clock := time.Date(2025, 3, 10, 9, 0, 0, 0, caunoi.Zone)
		db.Now = func() time.Time { return clock }
		f := newServicesFixture(t, db)
		day := func(d int) caunoi.Date { return caunoi.Date(time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC)) }
		mk := func(ctx context.Context, on, due int) *caunoi.Referral {
			t.Helper()
			r := f.referral(caunoi.ServiceSTIExam, f.clinic, day(on))
			r.DueOn = day(due)
			must(t, f.Referrals.CreateReferral(ctx, r))
			return r
		}
		a := mk(f.pe, 1, 9)     // due yesterday: overdue
		b := mk(f.leader, 2, 7) // due three days ago: the most overdue
		c := mk(f.pe, 3, 10)    // due today: not yet
		d := mk(f.pe, 4, 11)    // due tomorrow
		closed := mk(f.pe, 1, 5)
		_, err := f.Referrals.TransitionReferral(f.pe, closed.ID, caunoi.ReferralTransition{Version: 1, Status: caunoi.ReferralDeclined, ClosedOn: day(6)})
		must(t, err)
		lost := mk(f.pe, 1, 5)
		_, err = f.Referrals.TransitionReferral(f.pe, lost.ID, caunoi.ReferralTransition{Version: 1, Status: caunoi.ReferralLost, ClosedOn: day(8)})
		must(t, err)
		voided := mk(f.pe, 1, 5)
		_, err = f.Referrals.VoidReferral(f.pe, voided.ID, 1, "nhầm")
		must(t, err)

		overdue := func(ctx context.Context, fl caunoi.ReferralFilter, want ...*caunoi.Referral) {
			t.Helper()
			fl.Overdue = true
			list, n, err := f.Referrals.FindReferrals(ctx, fl)
			must(t, err)
			var got, exp []string
			for _, r := range list {
				got = append(got, r.Code)
				if !r.Overdue(dayOf(clock)) {
					t.Errorf("%s listed as overdue, but Overdue() is false", r.Code)
				}
			}
			for _, r := range want {
				exp = append(exp, r.Code)
			}
			if n != len(want) || !slices.Equal(got, exp) {
				t.Errorf("overdue on %s: %v (total %d), want %v", clock.Format(time.DateOnly), got, n, exp)
			}
		}
		peID := f.U(caunoi.RolePeerEducator, "hpg").ID
		overdue(f.leader, caunoi.ReferralFilter{}, b, a)
		overdue(f.pe, caunoi.ReferralFilter{ReferredBy: peID}, a)
		overdue(f.As(caunoi.RoleProvinceOfficer, "hp"), caunoi.ReferralFilter{OrgID: f.O("hpg").ID}, b, a)
		overdue(f.As(caunoi.RoleGroupLeader, "qng"), caunoi.ReferralFilter{})

		// Two days later: c and d are overdue too; reaching a takes it off.
		clock = time.Date(2025, 3, 12, 23, 30, 0, 0, caunoi.Zone)
		overdue(f.leader, caunoi.ReferralFilter{}, b, a, c, d)
		_, err = f.Referrals.TransitionReferral(f.pe, a.ID, caunoi.ReferralTransition{Version: 1, Status: caunoi.ReferralReached, ClosedOn: day(12),
			Service: &caunoi.Service{Detail: "treatment"}})
		must(t, err)
		overdue(f.leader, caunoi.ReferralFilter{}, b, c, d)
		overdue(f.pe, caunoi.ReferralFilter{ReferredBy: peID}, c, d)
		// Midnight in Vietnam is what counts, not UTC: at 00:30 on the
		// 11th (17:30 UTC on the 10th), a referral due on the 10th is overdue.
		clock = time.Date(2025, 3, 11, 0, 30, 0, 0, caunoi.Zone)
		overdue(f.leader, caunoi.ReferralFilter{}, b, c)
	})
}

// dayOf is the day of t in Vietnam at midnight UTC, as days are stored.
func dayOf(t time.Time) time.Time {
	n := t.In(caunoi.Zone)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// Referral slips show only what the client consented to share, and every
// slip is an audited read of the client's record.
func TestReferralSlipConsent(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newServicesFixture(t, db)
		r := f.referral(caunoi.ServiceSTIExam, f.clinic, daysAgo(1))
		must(t, f.Referrals.CreateReferral(f.pe, r))
		reads := func() int {
			return len(f.auditEntries(caunoi.AuditFilter{EntityID: f.client.ID, Action: caunoi.ActionRead}))
		}
		slip := func(ctx context.Context) *caunoi.ReferralSlip {
			t.Helper()
			before := reads()
			s, err := f.Referrals.ReferralSlip(ctx, r.ID)
			must(t, err)
			if reads() != before+1 {
				t.Fatalf("the slip was not audited as a read of the client")
			}
			if s.Referral.Code != r.Code || s.UIC != "HOAN1990F" || s.Provider.Name != f.clinic.Name || s.OrgName != f.O("hpg").Name {
				t.Fatalf("slip: %+v", s)
			}
			return s
		}
		hidden := func(s *caunoi.ReferralSlip) {
			t.Helper()
			if s.Consented || s.Nickname != "" || s.LegalName != "" || s.Phone != "" || s.BirthYear != 0 || s.Sex != "" {
				t.Fatalf("without consent the slip shows %+v", s)
			}
		}

		// No consent: the UIC and the code only.
		hidden(slip(f.pe))
		// A consent to services only is not a consent to share.
		must(t, f.Clients.RecordConsent(f.pe, &caunoi.Consent{ClientID: f.client.ID, Purpose: "services", GivenOn: daysAgo(1)}))
		hidden(slip(f.pe))
		// With consent to share: the nickname, legal name, phone, birth
		// year and sex, for the province too.
		share := &caunoi.Consent{ClientID: f.client.ID, Purpose: "referral_sharing", GivenOn: daysAgo(1)}
		must(t, f.Clients.RecordConsent(f.pe, share))
		for _, ctx := range []context.Context{f.pe, f.As(caunoi.RoleProvinceOfficer, "hp")} {
			s := slip(ctx)
			if !s.Consented || s.Nickname != "Hoa Sen" || s.LegalName != "Nguyễn Thị Hoa" || s.Phone != "0912 345 678" || s.BirthYear != 1990 || s.Sex != "female" {
				t.Fatalf("with consent: %+v", s)
			}
		}
		// Withdrawn: hidden again.
		_, err := f.Clients.WithdrawConsent(f.pe, share.ID, dayTime(daysAgo(0)))
		must(t, err)
		hidden(slip(f.pe))
		// Out of scope: not found, and no read is audited.
		before := reads()
		_, err = f.Referrals.ReferralSlip(f.As(caunoi.RoleGroupLeader, "qng"), r.ID)
		wantCode(t, err, caunoi.ENOTFOUND)
		if reads() != before {
			t.Fatal("a refused slip was audited as a read")
		}
	})
}
