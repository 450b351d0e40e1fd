package web_test

import (
	"context"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
)

// casesInScope finds the hotline case, shelter, bed, stay, reintegration
// and person of an influence map in the user's scope that the
// authorization walk calls the routes with.
func casesInScope(t *testing.T, db *sqldb.DB, ctx context.Context, actor *caunoi.Actor, in map[string]string) {
	t.Helper()
	one := caunoi.Page{Limit: 1}
	if actor.Can(caunoi.PermCaseRead) {
		cs, _, err := sqldb.NewHotlineService(db).FindCases(ctx, caunoi.CaseFilter{Status: caunoi.CaseOpen, Page: one})
		if err != nil || len(cs) == 0 {
			t.Fatalf("no open hotline case in scope: %v", err)
		}
		in["cases"] = cs[0].ID
		ss, _, err := sqldb.NewShelterService(db).FindStays(ctx, caunoi.StayFilter{Page: one})
		if err != nil || len(ss) == 0 {
			t.Fatalf("no shelter stay in scope: %v", err)
		}
		in["stays"] = ss[0].ID
	}
	if actor.Can(caunoi.PermProviderRead) {
		shs, _, err := sqldb.NewShelterService(db).FindShelters(ctx, caunoi.ShelterFilter{Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
		if err != nil || len(shs) == 0 {
			t.Fatalf("no shelter in scope: %v", err)
		}
		for _, sh := range shs {
			if len(sh.Beds) > 0 {
				in["shelters"], in["beds"] = sh.Provider.ID, sh.Beds[0].ID
				break
			}
		}
		if in["beds"] == "" {
			t.Fatal("no shelter bed in scope")
		}
	}
	if actor.Can(caunoi.PermClientRead) {
		svc := sqldb.NewReintegrationService(db)
		rs, _, err := svc.FindReintegrations(ctx, caunoi.ReintegrationFilter{Page: one})
		if err != nil || len(rs) == 0 {
			t.Fatalf("no reintegration in scope: %v", err)
		}
		in["reintegration"], in["reintegrations"] = rs[0].ID, rs[0].ID
		full, err := svc.FindReintegrationByID(ctx, rs[0].ID)
		if err != nil || len(full.People) == 0 {
			t.Fatalf("no influence map in scope: %v", err)
		}
		in["influence"] = full.People[0].ID
	}
}

// casesOutside makes, in the tree outside every demo user's scope, a
// shelter with a bed and a stay, a hotline case, a rehabilitation centre
// and a reintegration with an influence map.
func casesOutside(t *testing.T, db *sqldb.DB, sys, uctx context.Context, provID, groupID, clientID string, out *outside) {
	t.Helper()
	providers := sqldb.NewProviderService(db)
	shelter := &caunoi.Provider{OrgID: provID, Kind: caunoi.ProviderShelter, Name: "Nhà tạm lánh ngoài phạm vi", Services: []string{caunoi.ServiceCounselling}}
	centre := &caunoi.Provider{OrgID: provID, Kind: caunoi.ProviderRehabCentre, Name: "Trung tâm cai nghiện ngoài phạm vi", Services: []string{caunoi.ServiceCounselling}}
	for _, p := range []*caunoi.Provider{shelter, centre} {
		if err := providers.CreateProvider(sys, p); err != nil {
			t.Fatal(err)
		}
	}
	shelters := sqldb.NewShelterService(db)
	bed := &caunoi.ShelterBed{ProviderID: shelter.ID, Label: "Giường ngoài", InUseFrom: caunoi.Date(caunoi.Today().AddDate(0, 0, -30))}
	if err := shelters.AddBed(sys, bed); err != nil {
		t.Fatal(err)
	}
	c := &caunoi.HotlineCase{OrgID: groupID, ReceivedAt: time.Now().Add(-time.Hour), Channel: "phone", CallerType: "self", ClientID: clientID,
		Issues: []string{caunoi.IssueHealth}, Risk: caunoi.RiskMedium}
	if err := sqldb.NewHotlineService(db).CreateCase(uctx, c); err != nil {
		t.Fatal(err)
	}
	st := &caunoi.ShelterStay{OrgID: groupID, ProviderID: shelter.ID, BedID: bed.ID, CaseID: c.ID, AdmittedOn: caunoi.Date(caunoi.Today()), Reason: "violence"}
	if err := shelters.Admit(uctx, st); err != nil {
		t.Fatal(err)
	}
	reint := sqldb.NewReintegrationService(db)
	r := &caunoi.Reintegration{OrgID: groupID, ClientID: clientID, CentreID: centre.ID, ExpectedOn: caunoi.Date(caunoi.Today())}
	if err := reint.CreateReintegration(uctx, r); err != nil {
		t.Fatal(err)
	}
	p := &caunoi.InfluencePerson{Name: "Người ngoài", Relation: "friend", Influence: caunoi.InfluencePositive}
	if err := reint.AddInfluencePerson(uctx, r.ID, p); err != nil {
		t.Fatal(err)
	}
	out.hotlineCase, out.shelter, out.bed, out.stay, out.reintegration, out.influence = c.ID, shelter.ID, bed.ID, st.ID, r.ID, p.ID
}
