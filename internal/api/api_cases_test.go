package api_test

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/api"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// casesAPI adds to the fixture a peer educator of the group, the hotline,
// shelter and reintegration services, and the province's directory: a
// legal-aid centre, a shelter and a rehabilitation centre.
type casesAPI struct {
	*fixture
	pe                     *caunoi.Actor
	legal, shelter, centre *caunoi.Provider
	client                 *caunoi.Client
}

func newCasesAPI(t *testing.T, db *sqldb.DB) *casesAPI {
	t.Helper()
	f := &casesAPI{fixture: newFixture(t, db)}
	f.api.Hotline, f.api.Shelters, f.api.Reintegrations = sqldb.NewHotlineService(db), sqldb.NewShelterService(db), sqldb.NewReintegrationService(db)
	ctx := context.Background()
	sys := caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
	u := &caunoi.User{Username: "dongdang", DisplayName: "Đồng đẳng", Grants: []caunoi.Grant{{Role: caunoi.RolePeerEducator, OrgID: f.group.ID}}}
	if err := f.api.Users.CreateUser(sys, u, testPassword); err != nil {
		t.Fatal(err)
	}
	a, _, err := f.api.Users.Authenticate(ctx, "dongdang", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	f.pe = a
	providers := sqldb.NewProviderService(db)
	mk := func(kind, name string, services ...string) *caunoi.Provider {
		p := &caunoi.Provider{OrgID: f.prov.ID, Kind: kind, Name: name, Services: services}
		if err := providers.CreateProvider(sys, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	f.legal = mk(caunoi.ProviderLegalAidCentre, "Trung tâm Trợ giúp pháp lý Hà Nội", caunoi.ServiceLegalAid)
	f.shelter = mk(caunoi.ProviderShelter, "Nhà tạm lánh Hà Nội", caunoi.ServiceCounselling)
	f.centre = mk(caunoi.ProviderRehabCentre, "Cơ sở cai nghiện Hà Nội", caunoi.ServiceCounselling)
	f.client = &caunoi.Client{OrgID: f.group.ID, Nickname: "Hoa", Sex: "female", Populations: []caunoi.Population{caunoi.PopSexWork, caunoi.PopDrugUse}}
	if err := f.api.Clients.CreateClient(caunoi.NewContextWithActor(ctx, a), f.client); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestCasesAPI(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCasesAPI(t, db)
		a := f.api
		id := func(s string) map[string]string { return map[string]string{"id": s} }
		today := caunoi.Today().Format(caunoi.DateLayout)
		yesterday := caunoi.Today().AddDate(0, 0, -1).Format(caunoi.DateLayout)
		received := time.Now().Add(-50 * time.Hour).In(caunoi.Zone)
		at := received.Format(time.RFC3339)
		// A critical case is followed up the day after the call: overdue now.
		firstFollowUp := time.Date(received.Year(), received.Month(), received.Day()+1, 0, 0, 0, 0, time.UTC).Format(caunoi.DateLayout)
		caseID, referralID, bedID, reintID := caunoi.NewID(), caunoi.NewID(), caunoi.NewID(), caunoi.NewID()
		intake := `{"id":"` + caseID + `","org_id":"` + f.group.ID + `","received_at":"` + at + `","channel":"zalo","caller_type":"self",
			"anon_sex":"female","anon_population":"sex_work","issues":["gbv","rights_violation"],"rights_violators":["client"],
			"violence_types":["psychological_abuse","rape","physical_assault"],"violence_contexts":["by_client","during_sex_work"],
			"risk":"critical","actions":["accompanied","medical_care"],"summary":"Bị khách cưỡng ép ở nhà nghỉ Hoa Mai","safety_plan":"Không quay lại nhà nghỉ đó"}`

		for _, sc := range []scenario{
			// Intake and the GBVIMS classification.
			{name: "intake", as: f.pe, h: a.CreateCase, method: "POST", target: "/api/v1/cases", body: intake, status: 201, check: func(t *testing.T, res map[string]any) {
				wantEq(t, "gbv_type", res["gbv_type"], "rape")
				wantEq(t, "status", res["status"], "open")
				if _, ok := res["client_id"]; ok {
					t.Fatalf("an anonymous case with a client: %v", res)
				}
				if !regexp.MustCompile(`^DN-`).MatchString(res["code"].(string)) || res["next_follow_up_on"] != firstFollowUp {
					t.Fatalf("code %v, first follow-up %v (critical: the next day, %s)", res["code"], res["next_follow_up_on"], firstFollowUp)
				}
			}},
			{name: "intake again", as: f.pe, h: a.CreateCase, method: "POST", target: "/api/v1/cases", body: intake, status: 201,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "version", res["version"], 1.0) }},
			{name: "an unknown GBVIMS type", as: f.pe, h: a.CreateCase, method: "POST", target: "/api/v1/cases",
				body:   `{"org_id":"` + f.group.ID + `","received_at":"` + at + `","channel":"phone","caller_type":"self","issues":["gbv"],"violence_types":["beating"],"risk":"high"}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"violence_types"}},
			{name: "a call in bad time format", as: f.pe, h: a.CreateCase, method: "POST", target: "/api/v1/cases",
				body:   `{"org_id":"` + f.group.ID + `","received_at":"hôm qua","channel":"phone","caller_type":"self","issues":["health"],"risk":"low"}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"received_at"}},
			{name: "the outreach worker may not read cases", as: f.worker, h: a.ListCases, method: "GET", target: "/api/v1/cases", status: 403, code: caunoi.EFORBIDDEN},
			{name: "nor the national officer", as: f.nat, h: a.GetCase, method: "GET", target: "/api/v1/cases/" + caseID, path: id(caseID), status: 403, code: caunoi.EFORBIDDEN},
			{name: "another province does not find it", as: f.officer, h: a.ListCases, method: "GET", target: "/api/v1/cases?org_id=" + f.prov2.ID, status: 404, code: caunoi.ENOTFOUND},
			{name: "the list leaves the narrative out", as: f.officer, h: a.ListCases, method: "GET", target: "/api/v1/cases?risk=critical", status: 200,
				check: func(t *testing.T, res map[string]any) {
					its := items(t, res)
					wantEq(t, "total", total(res), 1)
					if _, ok := its[0]["summary"]; ok {
						t.Fatalf("summary in a list: %v", its[0])
					}
				}},
			{name: "overdue", as: f.officer, h: a.ListCases, method: "GET", target: "/api/v1/cases?overdue=true", status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "total", total(res), 1) }},
			{name: "duty view", as: f.pe, h: a.DutyView, method: "GET", target: "/api/v1/cases/duty", status: 200, check: func(t *testing.T, res map[string]any) {
				wantEq(t, "overdue", len(res["overdue"].([]any)), 1)
				wantEq(t, "first risk", res["open_by_risk"].([]any)[0].(map[string]any)["risk"], "critical")
			}},
			{name: "the case's page", as: f.pe, h: a.GetCase, method: "GET", target: "/api/v1/cases/" + caseID, path: id(caseID), status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "summary", res["summary"], "Bị khách cưỡng ép ở nhà nghỉ Hoa Mai")
				}},
			// A follow-up without its day: storage names the field, once it found the case.
			{name: "follow-up without a day", as: f.pe, h: a.RecordFollowUp, method: "POST", target: "/api/v1/cases/" + caseID + "/follow-ups", path: id(caseID),
				body: `{"version":1,"channel":"phone","reached":true}`, status: 422, code: caunoi.EINVALID, fields: []string{"done_on"}},
			{name: "follow-up of a case out of scope", as: f.pe, h: a.RecordFollowUp, method: "POST", target: "/api/v1/cases/" + caunoi.NewID() + "/follow-ups",
				path: id(caunoi.NewID()), body: `{}`, status: 404, code: caunoi.ENOTFOUND},
			{name: "an anonymous case is not referred", as: f.pe, h: a.ReferCase, method: "POST", target: "/api/v1/cases/" + caseID + "/referrals", path: id(caseID),
				body: `{"version":1,"provider_id":"` + f.legal.ID + `","service_kind":"legal_aid","referred_on":"` + today + `"}`, status: 422, code: caunoi.EINVALID, fields: []string{"client_id"}},
			{name: "link the client", as: f.pe, h: a.UpdateCase, method: "PATCH", target: "/api/v1/cases/" + caseID, path: id(caseID),
				body: `{"version":1,"client_id":"` + f.client.ID + `"}`, status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "client_id", res["client_id"], f.client.ID)
					wantEq(t, "version", res["version"], 2.0)
				}},
			{name: "refer", as: f.pe, h: a.ReferCase, method: "POST", target: "/api/v1/cases/" + caseID + "/referrals", path: id(caseID),
				body: `{"version":2,"id":"` + referralID + `","provider_id":"` + f.legal.ID + `","service_kind":"legal_aid","referred_on":"` + today + `"}`, status: 201,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "referral", res["referral"].(map[string]any)["id"], referralID)
					wantEq(t, "referral status", res["referral"].(map[string]any)["status"], "referred")
					wantEq(t, "case version", res["case"].(map[string]any)["version"], 3.0)
				}},
			{name: "follow-up", as: f.pe, h: a.RecordFollowUp, method: "POST", target: "/api/v1/cases/" + caseID + "/follow-ups", path: id(caseID),
				body: `{"version":3,"done_on":"` + today + `","channel":"zalo","reached":true,"note":"Đã khám","risk":"high"}`, status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "risk", res["risk"], "high")
					if _, ok := res["next_follow_up_on"]; ok {
						t.Fatalf("no next follow-up was asked: %v", res["next_follow_up_on"])
					}
				}},
			{name: "close", as: f.pe, h: a.CloseCase, method: "POST", target: "/api/v1/cases/" + caseID + "/close", path: id(caseID),
				body: `{"version":4,"closed_on":"` + today + `","outcome":"referred"}`, status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "status", res["status"], "closed") }},
			{name: "a follow-up on a closed case", as: f.pe, h: a.RecordFollowUp, method: "POST", target: "/api/v1/cases/" + caseID + "/follow-ups", path: id(caseID),
				body: `{"version":5,"done_on":"` + today + `","channel":"phone"}`, status: 409, code: caunoi.ECONFLICT},
			{name: "statistics for the national officer", as: f.nat, h: a.IncidentStats, method: "GET", target: "/api/v1/incident-stats", status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "exact", res["exact"], false)
					wantEq(t, "total suppressed", res["total"].(map[string]any)["suppressed"], true)
					b, _ := json.Marshal(res)
					for _, secret := range []string{caseID, f.client.ID, "Hoa Mai", "DN-"} {
						if strings.Contains(string(b), secret) {
							t.Fatalf("statistics contain %q", secret)
						}
					}
				}},

			// Shelters.
			{name: "the officer adds a bed", as: f.officer, h: a.AddBed, method: "POST", target: "/api/v1/shelters/" + f.shelter.ID + "/beds", path: id(f.shelter.ID),
				body: `{"id":"` + bedID + `","label":"Giường 1","in_use_from":"` + yesterday + `"}`, status: 201},
			{name: "no bed for a legal-aid centre", as: f.officer, h: a.AddBed, method: "POST", target: "/api/v1/shelters/" + f.legal.ID + "/beds", path: id(f.legal.ID),
				body: `{"label":"Giường 1"}`, status: 422, code: caunoi.EINVALID, fields: []string{"provider_id"}},
			{name: "admit", as: f.pe, h: a.Admit, method: "POST", target: "/api/v1/stays",
				body:   `{"org_id":"` + f.group.ID + `","provider_id":"` + f.shelter.ID + `","bed_id":"` + bedID + `","case_id":"` + caseID + `","admitted_on":"` + yesterday + `","reason":"violence"}`,
				status: 201, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "client_id", res["client_id"], f.client.ID)
					wantEq(t, "expected_on", res["expected_on"], caunoi.Today().AddDate(0, 0, 4).Format(caunoi.DateLayout))
				}},
			{name: "the bed is taken", as: f.pe, h: a.Admit, method: "POST", target: "/api/v1/stays",
				body:   `{"org_id":"` + f.group.ID + `","provider_id":"` + f.shelter.ID + `","bed_id":"` + bedID + `","case_id":"` + caseID + `","admitted_on":"` + today + `","reason":"violence"}`,
				status: 409, code: caunoi.ECONFLICT, fields: []string{"bed_id"}},
			{name: "an admission to a provider that is not a shelter", as: f.pe, h: a.Admit, method: "POST", target: "/api/v1/stays",
				body:   `{"org_id":"` + f.group.ID + `","provider_id":"` + f.legal.ID + `","bed_id":"` + bedID + `","client_id":"` + f.client.ID + `","admitted_on":"` + today + `","reason":"violence"}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"provider_id"}},
			{name: "the shelter now", as: f.nat, h: a.GetShelter, method: "GET", target: "/api/v1/shelters/" + f.shelter.ID, path: id(f.shelter.ID), status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "occupied", res["occupied"], 1.0)
					if _, ok := res["beds"].([]any)[0].(map[string]any)["stay_id"]; ok {
						t.Fatal("the national officer is told which stay holds the bed")
					}
				}},
			{name: "occupancy", as: f.nat, h: a.GetOccupancy, method: "GET", target: "/api/v1/shelters/" + f.shelter.ID + "/occupancy?from=" + yesterday + "&to=" + today,
				path: id(f.shelter.ID), status: 200, check: func(t *testing.T, res map[string]any) {
					days := res["days"].([]any)
					wantEq(t, "days", len(days), 2)
					wantEq(t, "occupied", days[1].(map[string]any)["occupied"], 1.0)
				}},
			{name: "stays are case.read only", as: f.nat, h: a.ListStays, method: "GET", target: "/api/v1/stays", status: 403, code: caunoi.EFORBIDDEN},

			// Reintegration.
			{name: "prepare a return", as: f.pe, h: a.CreateReintegration, method: "POST", target: "/api/v1/reintegrations",
				body: `{"id":"` + reintID + `","org_id":"` + f.group.ID + `","client_id":"` + f.client.ID + `","centre_id":"` + f.centre.ID + `","expected_on":"` + yesterday + `"}`, status: 201},
			{name: "a centre that is a shelter", as: f.pe, h: a.CreateReintegration, method: "POST", target: "/api/v1/reintegrations",
				body:   `{"org_id":"` + f.group.ID + `","client_id":"` + f.client.ID + `","centre_id":"` + f.shelter.ID + `","expected_on":"` + today + `"}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"centre_id"}},
			{name: "map a person", as: f.pe, h: a.AddInfluencePerson, method: "POST", target: "/api/v1/reintegrations/" + reintID + "/people", path: id(reintID),
				body: `{"name":"Mẹ","relation":"mother","influence":"positive","strength":3,"contactable":true}`, status: 201},
			{name: "return", as: f.pe, h: a.RecordReturn, method: "POST", target: "/api/v1/reintegrations/" + reintID + "/return", path: id(reintID),
				body: `{"version":1,"returned_on":"` + yesterday + `","club_id":"` + f.group.ID + `"}`, status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "status", res["status"], "returned") }},
			{name: "relapse", as: f.pe, h: a.RecordRelapse, method: "POST", target: "/api/v1/reintegrations/" + reintID + "/relapses", path: id(reintID),
				body: `{"version":2,"on":"` + today + `"}`, status: 200},
			{name: "the client relapsed", as: f.pe, h: a.GetClient, method: "GET", target: "/api/v1/clients/" + f.client.ID, path: id(f.client.ID), status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "status", res["status"], "relapsed") }},
			{name: "numbers", as: f.officer, h: a.ReintegrationStats, method: "GET", target: "/api/v1/reintegration-stats", status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "mapped", res["mapped"], 1.0)
					wantEq(t, "received", res["received"], 1.0)
					wantEq(t, "relapsed", res["relapsed"], 1.0)
				}},
		} {
			sc.run(t)
		}
	})
}

// The cases part of the API document: every reference resolves, and the
// enumerations follow the domain's lists.
func TestCasesOpenAPI(t *testing.T) {
	rec := call(t, (&api.API{}).OpenAPI, nil, "GET", "/api/v1/openapi.json", "", nil, nil)
	var doc map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["$ref"].(string); ok {
				parts := strings.Split(strings.TrimPrefix(r, "#/"), "/")
				var node any = doc
				for _, p := range parts {
					m, _ := node.(map[string]any)
					node = m[p]
				}
				if node == nil {
					t.Errorf("unresolved reference %s", r)
				}
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(doc)
	for name, want := range map[string][]string{
		"CaseChannel": caunoi.CaseChannels, "CallerType": caunoi.CallerTypes, "CaseIssue": caunoi.CaseIssues, "RightsViolator": caunoi.RightsViolators,
		"GBVType": caunoi.GBVTypes, "ViolenceContext": caunoi.ViolenceContexts, "RiskLevel": caunoi.RiskLevels, "CaseAction": caunoi.CaseActions,
		"CaseStatus": {caunoi.CaseOpen, caunoi.CaseClosed}, "CaseOutcome": caunoi.CaseOutcomes, "FollowUpChannel": caunoi.FollowUpChannels,
		"FollowUpStatus": {caunoi.FollowUpPlanned, caunoi.FollowUpDone, caunoi.FollowUpCancelled}, "AdmissionReason": caunoi.AdmissionReasons,
		"DischargeReason": caunoi.DischargeReasons, "Relation": caunoi.Relations, "Influence": caunoi.Influences, "Wellbeing": caunoi.FollowUpWellbeing,
		"ReintegrationStatus": caunoi.ReintegrationStatuses,
	} {
		s, _ := schemas[name].(map[string]any)
		var got []string
		for _, e := range s["enum"].([]any) {
			got = append(got, e.(string))
		}
		if !slices.Equal(got, want) {
			t.Errorf("schema %s: enum %v, want %v", name, got, want)
		}
	}
}
