package sqldb_test

import (
	"context"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
)

// casesFixture is the fixture with the hotline, shelter and reintegration
// services and a directory: Hải Phòng keeps a legal-aid centre, a
// shelter and a rehabilitation centre, Quảng Ninh a shelter of its own.
// Users of the Hải Phòng group take the calls.
type casesFixture struct {
	*fixture
	Providers      *sqldb.ProviderService
	Referrals      *sqldb.ReferralService
	Hotline        *sqldb.HotlineService
	Shelters       *sqldb.ShelterService
	Reintegrations *sqldb.ReintegrationService

	legal, shelter, qnShelter, centre *caunoi.Provider
	leader, pe                        context.Context // group leader and peer educator of hpg
}

func newCasesFixture(t testing.TB, db *sqldb.DB) *casesFixture {
	t.Helper()
	f := &casesFixture{fixture: newFixture(t, db), Providers: sqldb.NewProviderService(db), Referrals: sqldb.NewReferralService(db),
		Hotline: sqldb.NewHotlineService(db), Shelters: sqldb.NewShelterService(db), Reintegrations: sqldb.NewReintegrationService(db)}
	f.legal = f.caseProvider("hp", caunoi.ProviderLegalAidCentre, "Trung tâm Trợ giúp pháp lý Hải Phòng", caunoi.ServiceLegalAid, caunoi.ServiceCounselling)
	f.shelter = f.caseProvider("hp", caunoi.ProviderShelter, "Nhà tạm lánh Hải Phòng", caunoi.ServiceCounselling)
	f.qnShelter = f.caseProvider("qn", caunoi.ProviderShelter, "Nhà tạm lánh Hạ Long", caunoi.ServiceCounselling)
	f.centre = f.caseProvider("hp", caunoi.ProviderRehabCentre, "Cơ sở cai nghiện ma túy Hải Phòng", caunoi.ServiceCounselling)
	f.leader, f.pe = f.As(caunoi.RoleGroupLeader, "hpg"), f.As(caunoi.RolePeerEducator, "hpg")
	return f
}

// caseProvider adds a provider of the directory, kept by the organisation.
func (f *casesFixture) caseProvider(orgKey, kind, name string, services ...string) *caunoi.Provider {
	f.tb.Helper()
	p := &caunoi.Provider{OrgID: f.O(orgKey).ID, Kind: kind, Name: name, Services: services}
	if err := f.Providers.CreateProvider(f.sys, p); err != nil {
		f.tb.Fatalf("provider %s: %v", name, err)
	}
	return p
}

// newCase returns a valid anonymous call to the hotline of the group.
func (f *casesFixture) newCase(orgKey string, at time.Time) *caunoi.HotlineCase {
	return &caunoi.HotlineCase{OrgID: f.O(orgKey).ID, ReceivedAt: at, Channel: "phone", CallerType: "self",
		AnonSex: "female", AnonPopulation: caunoi.PopSexWork, Issues: []string{caunoi.IssueGBV},
		ViolenceTypes: []string{"psychological_abuse", "physical_assault"}, ViolenceContexts: []string{"intimate_partner"},
		Risk: caunoi.RiskHigh, Actions: []string{"counselling", "safety_planning"},
		Summary: "Chồng đánh chị Hoa tối qua ở nhà trọ Lạch Tray", SafetyPlan: "Gọi số 0912 000 111 khi chồng về say"}
}

// createCase records a call as the actor of ctx.
func (f *casesFixture) createCase(ctx context.Context, c *caunoi.HotlineCase) *caunoi.HotlineCase {
	f.tb.Helper()
	if err := f.Hotline.CreateCase(ctx, c); err != nil {
		f.tb.Fatalf("create case: %v", err)
	}
	return c
}

// addBeds adds beds to a shelter as the system.
func (f *casesFixture) addBeds(p *caunoi.Provider, labels ...string) []*caunoi.ShelterBed {
	f.tb.Helper()
	var out []*caunoi.ShelterBed
	for _, l := range labels {
		b := &caunoi.ShelterBed{ProviderID: p.ID, Label: l, InUseFrom: caunoi.Date(caunoi.Today().AddDate(-1, 0, 0))}
		if err := f.Shelters.AddBed(f.sys, b); err != nil {
			f.tb.Fatalf("bed %s: %v", l, err)
		}
		out = append(out, b)
	}
	return out
}

// stay returns a valid admission of a client of hpg to a bed.
func (f *casesFixture) stay(bed *caunoi.ShelterBed, c *caunoi.Client, on caunoi.Date) *caunoi.ShelterStay {
	return &caunoi.ShelterStay{OrgID: f.O("hpg").ID, ProviderID: bed.ProviderID, BedID: bed.ID, ClientID: c.ID, AdmittedOn: on, Reason: "violence"}
}

// fixedNow sets the database's clock to a moment in Vietnam and restores it
// when the test ends.
func fixedNow(t testing.TB, db *sqldb.DB, y int, m time.Month, d, hour, min int) time.Time {
	t.Helper()
	real := db.Now
	t.Cleanup(func() { db.Now = real })
	at := time.Date(y, m, d, hour, min, 0, 0, caunoi.Zone)
	db.Now = func() time.Time { return at }
	return at
}

// vnDay is a day as stored (midnight UTC).
func vnDay(y int, m time.Month, d int) caunoi.Date {
	return caunoi.Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

func caseCodes(cs []*caunoi.HotlineCase) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Code
	}
	return out
}
