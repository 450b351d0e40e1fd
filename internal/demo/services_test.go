package demo_test

import (
	"context"
	"testing"

	"caunoi"
	"caunoi/internal/demo"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// The demo's services and referrals carry the seeds' numbers: An Giang's
// exactly (seed 003), an eighth of SCDI's eight groups (seed 000), Sóng
// Biển's (seed 001).
func TestLoadServicesFromTheSeeds(t *testing.T) {
	db := sqldbtest.MustOpen(t, sqldb.SQLite)
	if _, err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	services, referrals := sqldb.NewServiceService(db), sqldb.NewReferralService(db)
	orgID := func(ctx context.Context, name string) string {
		t.Helper()
		os, _, err := sqldb.NewOrgService(db).FindOrgs(ctx, caunoi.OrgFilter{Query: name})
		if err != nil || len(os) != 1 {
			t.Fatalf("%s: %v %v", name, os, err)
		}
		return os[0].ID
	}
	all := func(ctx context.Context, f caunoi.ServiceFilter) []*caunoi.Service {
		t.Helper()
		var out []*caunoi.Service
		for off := 0; ; off += caunoi.MaxPageSize {
			f.Page = caunoi.Page{Offset: off, Limit: caunoi.MaxPageSize}
			list, total, err := services.FindServices(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, list...)
			if len(out) >= total {
				return out
			}
		}
	}
	nReferrals := func(ctx context.Context, f caunoi.ReferralFilter) int {
		t.Helper()
		_, n, err := referrals.FindReferrals(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	want := func(what string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s: %d, want %d", what, got, want)
		}
	}

	// Seed 003, An Giang, as its province officer sees it.
	ag, _ := login(t, db, "angiang.canbo")
	want("An Giang: referred for HIV tests and ARV", nReferrals(ag, caunoi.ReferralFilter{ServiceKind: caunoi.ServiceHIVTest})+
		nReferrals(ag, caunoi.ReferralFilter{ServiceKind: caunoi.ServiceART}), 122)
	want("An Giang: referred to vocational training", nReferrals(ag, caunoi.ReferralFilter{ServiceKind: caunoi.ServiceVocationalTraining}), 126)
	jobs := all(ag, caunoi.ServiceFilter{Kind: caunoi.ServiceJobPlacement})
	want("An Giang: job introductions", len(jobs), 102)
	stable := map[string]int{}
	for _, j := range jobs {
		if j.Result == caunoi.JobStable {
			stable[j.Trade]++
			stable[""]++
		}
	}
	want("An Giang: stable jobs", stable[""], 59)
	for trade, n := range map[string]int{"construction_helper": 36, "porter": 14, "garment": 2, "seafood_processing": 2, "delivery": 5} {
		want("An Giang: stable "+trade, stable[trade], n)
	}
	sums := map[string]int64{}
	counts := map[string]int{}
	for _, s := range all(ag, caunoi.ServiceFilter{Kind: caunoi.ServiceMaterialSupport}) {
		sums[s.Detail] += s.AmountVND
		counts[s.Detail]++
	}
	if sums["gift"] != 36_000_000 || counts["gift"] != 120 || sums["rice"]+sums["cash"] != 12_800_000 {
		t.Errorf("An Giang: gifts %d đồng to %d, rice and money %d đồng", sums["gift"], counts["gift"], sums["rice"]+sums["cash"])
	}
	houses := map[string]int{}
	for _, s := range all(ag, caunoi.ServiceFilter{Kind: caunoi.ServiceHousing}) {
		houses[s.Detail]++
	}
	want("An Giang: houses built", houses["built"], 6)
	want("An Giang: houses repaired", houses["repaired"], 8)

	// Seed 000, an eighth of SCDI's eight groups: the group leader's.
	vt, _ := login(t, db, "vongtay.truongnhom")
	distinct := func(list []*caunoi.Service) int {
		m := map[string]bool{}
		for _, s := range list {
			m[s.ClientID] = true
		}
		return len(m)
	}
	want("SCDI: kept on methadone (people)", distinct(all(vt, caunoi.ServiceFilter{Kind: caunoi.ServiceMethadone})), 28)
	want("SCDI: referred for STI examination", nReferrals(vt, caunoi.ReferralFilter{ServiceKind: caunoi.ServiceSTIExam}), 130)
	want("SCDI: hepatitis B/C", len(all(vt, caunoi.ServiceFilter{Kind: caunoi.ServiceHepatitis})), 43)
	want("SCDI: health-insurance cards", len(all(vt, caunoi.ServiceFilter{Kind: caunoi.ServiceHealthInsurance})), 37)
	want("SCDI: nutrition packages", len(all(vt, caunoi.ServiceFilter{Kind: caunoi.ServiceMaterialSupport})), 19)

	// Seed 001, Sóng Biển.
	sb, _ := login(t, db, "songbien.truongnhom")
	songbien := orgID(sb, "Sóng Biển")
	var baking []*caunoi.Service
	for _, s := range all(sb, caunoi.ServiceFilter{OrgID: songbien, Kind: caunoi.ServiceVocationalTraining}) {
		if s.Trade == "baking" && s.Detail == "enrolled" {
			baking = append(baking, s)
		}
	}
	want("Sóng Biển: enrolled in a baking course (people)", distinct(baking), 12)
	want("Sóng Biển: legal aid", len(all(sb, caunoi.ServiceFilter{OrgID: songbien, Kind: caunoi.ServiceLegalAid})), 32)
	if n := nReferrals(sb, caunoi.ReferralFilter{Overdue: true}); n == 0 {
		t.Error("Sóng Biển has no overdue referral to show")
	}

	// The directory of each demo province, with shelters and a rehabilitation centre.
	sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
	providers, total, err := sqldb.NewProviderService(db).FindProviders(sys, caunoi.ProviderFilter{Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
	if err != nil || total < 30 {
		t.Fatalf("providers: %d %v", total, err)
	}
	kinds := map[string]bool{}
	for _, p := range providers {
		kinds[p.Kind] = true
	}
	for _, k := range []string{caunoi.ProviderShelter, caunoi.ProviderRehabCentre, caunoi.ProviderEmployer, caunoi.ProviderLegalAidCentre, caunoi.ProviderMethadoneClinic} {
		if !kinds[k] {
			t.Errorf("no provider of kind %s in the demo", k)
		}
	}
}
