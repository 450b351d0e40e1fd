package api_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/api"
	"caunoi/internal/i18n"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// The enumerations of the services part of the document follow the
// domain's lists.
func TestOpenAPIServiceEnums(t *testing.T) {
	a := &api.API{Cat: i18n.MustLoad()}
	rec := call(t, a.OpenAPI, nil, "GET", "/api/v1/openapi.json", "", nil, nil)
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var details, results []string
	for _, r := range caunoi.ServiceRules {
		details = append(details, r.Details...)
		results = append(results, r.Results...)
	}
	uniq := func(xs []string) []string { xs = slices.Sorted(slices.Values(xs)); return slices.Compact(xs) }
	for name, want := range map[string][]string{
		"ProviderKind":   caunoi.ProviderKinds,
		"ServiceKind":    caunoi.ServiceKinds,
		"ServiceDetail":  details,
		"ServiceResult":  results,
		"Trade":          caunoi.Trades,
		"JobType":        caunoi.JobTypes,
		"ReferralStatus": caunoi.ReferralStatuses,
	} {
		if got := uniq(doc.Components.Schemas[name].Enum); !slices.Equal(got, uniq(want)) {
			t.Errorf("schema %s: enum %v, want %v", name, got, uniq(want))
		}
	}
	for _, name := range []string{"Provider", "Service", "Referral", "ReferralSlip", "ProviderList", "ServiceList", "ReferralList",
		"CreateProviderRequest", "UpdateProviderRequest", "ServiceRequest", "UpdateServiceRequest", "CreateReferralRequest", "TransitionReferralRequest"} {
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("no schema %s", name)
		}
	}
}

// TestServicesAPI walks the directory, services and referrals through the
// API: idempotent creates, translated field errors, the state machine,
// stale versions, consent-limited slips and scope.
func TestServicesAPI(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a := f.api
		a.Providers, a.Services, a.Referrals = sqldb.NewProviderService(db), sqldb.NewServiceService(db), sqldb.NewReferralService(db)
		id := func(s string) map[string]string { return map[string]string{"id": s} }
		now := time.Now().In(caunoi.Zone)
		today, yesterday := now.Format(caunoi.DateLayout), now.AddDate(0, 0, -1).Format(caunoi.DateLayout)
		tomorrow := now.AddDate(0, 0, 1).Format(caunoi.DateLayout)
		providerID, serviceID, referralID := caunoi.NewID(), caunoi.NewID(), caunoi.NewID()
		var clientID string
		c := &caunoi.Client{OrgID: f.group.ID, Nickname: "Lan", BirthYear: 1995, Sex: "female", Populations: []caunoi.Population{caunoi.PopSexWork},
			UIC: "LANA1995F", Phone: "0912 000 111"}
		if err := a.Clients.CreateClient(ctxOf(f.worker), c); err != nil {
			t.Fatal(err)
		}
		clientID = c.ID
		providerBody := `{"id":"` + providerID + `","org_id":"` + f.prov.ID + `","kind":"hiv_testing_site","name":"Trung tâm Kiểm soát bệnh tật Hà Nội",` +
			`"services":["hiv_test","art"],"lat":21.03,"lng":105.85,"friendly":true}`
		var created any
		for _, sc := range []scenario{
			{name: "the officer adds a provider", as: f.officer, h: a.CreateProvider, method: "POST", target: "/api/v1/providers", body: providerBody, status: 201,
				check: func(t *testing.T, res map[string]any) {
					created = res["created_at"]
					wantEq(t, "org_name", res["org_name"], f.prov.Name)
				}},
			{name: "again with the same id", as: f.officer, h: a.CreateProvider, method: "POST", target: "/api/v1/providers", body: providerBody, status: 201,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "created_at", res["created_at"], created) }},
			{name: "a provider without services", as: f.officer, h: a.CreateProvider, method: "POST", target: "/api/v1/providers",
				body: `{"org_id":"` + f.prov.ID + `","kind":"other","name":"Trống","services":[]}`, status: 422, code: caunoi.EINVALID, fields: []string{"services"}},
			{name: "the worker may not keep the directory", as: f.worker, h: a.CreateProvider, method: "POST", target: "/api/v1/providers",
				body: `{"org_id":"` + f.group.ID + `","kind":"other","name":"X","services":["counselling"]}`, status: 403, code: caunoi.EFORBIDDEN},
			{name: "the worker sees the province's directory", as: f.worker, h: a.ListProviders, method: "GET", target: "/api/v1/providers?service=hiv_test&friendly=true", status: 200,
				check: func(t *testing.T, res map[string]any) {
					its := items(t, res)
					wantEq(t, "total", total(res), 1)
					wantEq(t, "id", its[0]["id"], providerID)
				}},
			{name: "a bad filter", as: f.worker, h: a.ListProviders, method: "GET", target: "/api/v1/providers?service=massage", status: 422, code: caunoi.EINVALID, fields: []string{"service"}},
			{name: "the admin does not read the directory", as: f.admin, h: a.ListProviders, method: "GET", target: "/api/v1/providers", status: 403, code: caunoi.EFORBIDDEN},
			{name: "a stale provider update", as: f.officer, h: a.UpdateProvider, method: "PATCH", target: "/api/v1/providers/" + providerID, path: id(providerID),
				body: `{"version":7,"name":"Khác"}`, status: 409, code: caunoi.ECONFLICT},

			// Services.
			{name: "an HIV result on counselling", as: f.worker, h: a.CreateService, method: "POST", target: "/api/v1/services",
				body:   `{"org_id":"` + f.group.ID + `","client_id":"` + clientID + `","kind":"counselling","result":"positive","given_on":"` + today + `"}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"result"}},
			{name: "an HIV result not allowed", as: f.worker, h: a.CreateService, method: "POST", target: "/api/v1/services",
				body:   `{"org_id":"` + f.group.ID + `","client_id":"` + clientID + `","kind":"hiv_test","result":"probably","given_on":"` + today + `"}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"result"},
				check: func(t *testing.T, res map[string]any) {
					if msg := errObj(t, res)["fields"].(map[string]any)["result"]; msg != "Kết quả xét nghiệm HIV phải là âm tính, có phản ứng, dương tính hoặc không xác định." {
						t.Fatalf("message %q", msg)
					}
				}},
			{name: "a service tomorrow", as: f.worker, h: a.CreateService, method: "POST", target: "/api/v1/services",
				body:   `{"org_id":"` + f.group.ID + `","client_id":"` + clientID + `","kind":"counselling","given_on":"` + tomorrow + `"}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"given_on"}},
			{name: "a service before the client was born", as: f.worker, h: a.CreateService, method: "POST", target: "/api/v1/services",
				body:   `{"org_id":"` + f.group.ID + `","client_id":"` + clientID + `","kind":"counselling","given_on":"1994-12-31"}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"given_on"}},
			{name: "an HIV test", as: f.worker, h: a.CreateService, method: "POST", target: "/api/v1/services",
				body:   `{"id":"` + serviceID + `","org_id":"` + f.group.ID + `","client_id":"` + clientID + `","kind":"hiv_test","detail":"community","given_on":"` + yesterday + `","provider_id":"` + providerID + `"}`,
				status: 201, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "provider_name", res["provider_name"], "Trung tâm Kiểm soát bệnh tật Hà Nội")
					wantEq(t, "client_uic", res["client_uic"], "LANA1995F")
				}},
			{name: "its result, later", as: f.worker, h: a.UpdateService, method: "PATCH", target: "/api/v1/services/" + serviceID, path: id(serviceID),
				body: `{"version":1,"result":"negative"}`, status: 200, check: func(t *testing.T, res map[string]any) { wantEq(t, "result", res["result"], "negative") }},
			{name: "a stale service update", as: f.worker, h: a.UpdateService, method: "PATCH", target: "/api/v1/services/" + serviceID, path: id(serviceID),
				body: `{"version":1,"result":"reactive"}`, status: 409, code: caunoi.ECONFLICT},
			{name: "the national officer gets no client rows", as: f.nat, h: a.ListServices, method: "GET", target: "/api/v1/services", status: 403, code: caunoi.EFORBIDDEN},
			{name: "the officer lists the province's services", as: f.officer, h: a.ListServices, method: "GET", target: "/api/v1/services?kind=hiv_test&to=" + today, status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "total", total(res), 1) }},

			// Referrals.
			{name: "a referral for a service the provider does not offer", as: f.worker, h: a.CreateReferral, method: "POST", target: "/api/v1/referrals",
				body:   `{"org_id":"` + f.group.ID + `","client_id":"` + clientID + `","provider_id":"` + providerID + `","service_kind":"legal_aid","referred_on":"` + today + `"}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"service_kind"}},
			{name: "a referral", as: f.worker, h: a.CreateReferral, method: "POST", target: "/api/v1/referrals",
				body:   `{"id":"` + referralID + `","org_id":"` + f.group.ID + `","client_id":"` + clientID + `","provider_id":"` + providerID + `","service_kind":"art","referred_on":"` + yesterday + `"}`,
				status: 201, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "status", res["status"], "referred")
					wantEq(t, "due_on", res["due_on"], now.AddDate(0, 0, 13).Format(caunoi.DateLayout))
				}},
			{name: "the slip without consent", as: f.worker, h: a.GetReferralSlip, method: "GET", target: "/api/v1/referrals/" + referralID + "/slip", path: id(referralID), status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "consented", res["consented"], false)
					wantEq(t, "uic", res["uic"], "LANA1995F")
					for _, k := range []string{"nickname", "legal_name", "phone", "birth_year", "sex"} {
						if _, ok := res[k]; ok {
							t.Fatalf("the slip shows %s without consent", k)
						}
					}
				}},
			{name: "a move the state machine forbids", as: f.worker, h: a.TransitionReferral, method: "POST", target: "/api/v1/referrals/" + referralID + "/status", path: id(referralID),
				body: `{"version":1,"status":"referred","closed_on":"` + today + `"}`, status: 422, code: caunoi.EINVALID, fields: []string{"status"}},
			{name: "reached with the ART start", as: f.worker, h: a.TransitionReferral, method: "POST", target: "/api/v1/referrals/" + referralID + "/status", path: id(referralID),
				body: `{"version":1,"status":"reached","closed_on":"` + today + `","service":{"detail":"start"}}`, status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "status", res["status"], "reached")
					if sid, _ := res["service_id"].(string); !caunoi.ValidID(sid) {
						t.Fatalf("service_id %v", res["service_id"])
					}
				}},
			{name: "the same move again is stale", as: f.worker, h: a.TransitionReferral, method: "POST", target: "/api/v1/referrals/" + referralID + "/status", path: id(referralID),
				body: `{"version":1,"status":"reached","closed_on":"` + today + `","service":{"detail":"start"}}`, status: 409, code: caunoi.ECONFLICT},
			{name: "out of scope", as: f.officer, h: a.GetReferral, method: "GET", target: "/api/v1/referrals/" + caunoi.NewID(), path: id(caunoi.NewID()), status: 404, code: caunoi.ENOTFOUND},
			{name: "the overdue list", as: f.worker, h: a.ListReferrals, method: "GET", target: "/api/v1/referrals?overdue=true", status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "total", total(res), 0) }},
			{name: "services of ART, one through the referral", as: f.worker, h: a.ListServices, method: "GET", target: "/api/v1/services?kind=art", status: 200,
				check: func(t *testing.T, res map[string]any) {
					its := items(t, res)
					wantEq(t, "total", total(res), 1)
					wantEq(t, "referral_id", its[0]["referral_id"], referralID)
				}},
		} {
			sc.run(t)
		}
	})
}

// ctxOf returns a context carrying the actor.
func ctxOf(a *caunoi.Actor) context.Context {
	return caunoi.NewContextWithActor(context.Background(), a)
}
