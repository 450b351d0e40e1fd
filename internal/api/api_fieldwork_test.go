package api_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// addWorker creates an outreach worker of org and signs them in.
func (f *fixture) addWorker(t *testing.T, username string, org *caunoi.Organisation) *caunoi.Actor {
	t.Helper()
	ctx := context.Background()
	sys := caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
	u := &caunoi.User{Username: username, DisplayName: username, Grants: []caunoi.Grant{{Role: caunoi.RoleOutreachWorker, OrgID: org.ID}}}
	if err := f.api.Users.CreateUser(sys, u, testPassword); err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	a, _, err := f.api.Users.Authenticate(ctx, username, testPassword)
	if err != nil {
		t.Fatalf("authenticate %s: %v", username, err)
	}
	return a
}

// TestFieldWork covers the identifying fields of clients, UIC matching and
// making, status, consents and memberships, places and visits, and group
// activities.
func TestFieldWork(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a := f.api
		ctx := context.Background()
		sys := caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
		id := func(s string) map[string]string { return map[string]string{"id": s} }

		// A group in another province, with its own worker and a client
		// with the same UIC as ours.
		group2 := &caunoi.Organisation{Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupPeer, ParentID: f.prov2.ID, Name: "Nhóm Bản Giốc"}
		if err := a.Orgs.CreateOrg(sys, group2); err != nil {
			t.Fatalf("create group2: %v", err)
		}
		worker2 := f.addWorker(t, "worker2", group2)
		ctx2 := caunoi.NewContextWithActor(ctx, worker2)
		other := &caunoi.Client{OrgID: group2.ID, Nickname: "Mai", Sex: "female", Populations: []caunoi.Population{caunoi.PopSexWork}, UIC: "HOTU1998F"}
		if err := a.Clients.CreateClient(ctx2, other); err != nil {
			t.Fatalf("create other client: %v", err)
		}
		otherPlace := &caunoi.Place{OrgID: group2.ID, Kind: caunoi.PlaceHotspot, Type: "street", Name: "Phố đi bộ"}
		if err := a.Places.CreatePlace(ctx2, otherPlace); err != nil {
			t.Fatalf("create other place: %v", err)
		}
		otherActivity := &caunoi.Activity{OrgID: group2.ID, Kind: "group_meeting", HeldOn: caunoi.Date(time.Now().UTC().AddDate(0, 0, -2)),
			Title: "Sinh hoạt nhóm", Attendees: []string{other.ID}}
		if err := a.Activities.CreateActivity(ctx2, otherActivity); err != nil {
			t.Fatalf("create other activity: %v", err)
		}
		otherConsent := &caunoi.Consent{ClientID: other.ID, Purpose: "services", GivenOn: caunoi.Date(time.Now().UTC().AddDate(0, 0, -2))}
		if err := a.Clients.RecordConsent(ctx2, otherConsent); err != nil {
			t.Fatalf("record other consent: %v", err)
		}

		now := time.Now().In(caunoi.Zone)
		today := now.Format(caunoi.DateLayout)
		yesterday := now.AddDate(0, 0, -1).Format(caunoi.DateLayout)
		clientID, consentID, membershipID := caunoi.NewID(), caunoi.NewID(), caunoi.NewID()
		placeID, visitID, activityID := caunoi.NewID(), caunoi.NewID(), caunoi.NewID()
		noIdentifiers := func(t *testing.T, c map[string]any) {
			t.Helper()
			for _, k := range []string{"legal_name", "phone", "id_number"} {
				if _, ok := c[k]; ok {
					t.Fatalf("a listed client carries %s: %v", k, c)
				}
			}
		}

		for _, sc := range []scenario{
			// Identifying fields: shown on the client's own page only.
			{name: "create client with identifying fields", as: f.worker, h: a.CreateClient, method: "POST", target: "/api/v1/clients",
				body: `{"id":"` + clientID + `","org_id":"` + f.group.ID + `","nickname":"Lan","birth_year":1998,"sex":"female","populations":["sex_work"],` +
					`"uic":"HOTU1998F","legal_name":"Nguyễn Thị Lan","phone":"0912 345 678","id_number":"079 123 456 789"}`,
				status: 201, check: func(t *testing.T, res map[string]any) { wantEq(t, "id", res["id"], clientID) }},
			{name: "client with a bad phone", as: f.worker, h: a.CreateClient, method: "POST", target: "/api/v1/clients",
				body:   `{"org_id":"` + f.group.ID + `","nickname":"Cúc","sex":"female","populations":["sex_work"],"phone":"gọi tôi"}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"phone"}},
			{name: "get client shows the phone", as: f.worker, h: a.GetClient, method: "GET", target: "/api/v1/clients/" + clientID, path: id(clientID),
				status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "phone", res["phone"], "0912 345 678")
					wantEq(t, "legal_name", res["legal_name"], "Nguyễn Thị Lan")
					wantEq(t, "id_number", res["id_number"], "079 123 456 789")
				}},
			{name: "list does not show the phone", as: f.worker, h: a.ListClients, method: "GET", target: "/api/v1/clients?q=lan", status: 200,
				check: func(t *testing.T, res map[string]any) {
					its := items(t, res)
					wantEq(t, "total", total(res), 1)
					noIdentifiers(t, its[0])
				}},
			{name: "lookup by phone in another spelling", as: f.worker, h: a.LookupClients, method: "GET",
				target: "/api/v1/clients/lookup?kind=phone&value=" + url.QueryEscape("+84 912.345.678"), status: 200,
				check: func(t *testing.T, res map[string]any) {
					its := items(t, res)
					wantEq(t, "found", len(its), 1)
					wantEq(t, "id", its[0]["id"], clientID)
					noIdentifiers(t, its[0])
				}},
			{name: "lookup by identity number", as: f.worker, h: a.LookupClients, method: "GET",
				target: "/api/v1/clients/lookup?kind=id_number&value=079123456789", status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "found", len(items(t, res)), 1) }},
			{name: "lookup elsewhere finds nothing", as: worker2, h: a.LookupClients, method: "GET",
				target: "/api/v1/clients/lookup?kind=phone&value=0912345678", status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "found", len(items(t, res)), 0) }},
			{name: "lookup by another field", as: f.worker, h: a.LookupClients, method: "GET", target: "/api/v1/clients/lookup?kind=nickname&value=Lan",
				status: 422, code: caunoi.EINVALID, fields: []string{"kind"}},
			{name: "lookup without a value", as: f.worker, h: a.LookupClients, method: "GET", target: "/api/v1/clients/lookup?kind=phone",
				status: 422, code: caunoi.EINVALID, fields: []string{"value"}},
			{name: "change the phone", as: f.worker, h: a.UpdateClient, method: "PATCH", target: "/api/v1/clients/" + clientID, path: id(clientID),
				body: `{"version":1,"phone":"0987 654 321"}`, status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "version", res["version"], 2.0)
				}},
			{name: "the old phone is not found", as: f.worker, h: a.LookupClients, method: "GET", target: "/api/v1/clients/lookup?kind=phone&value=0912345678",
				status: 200, check: func(t *testing.T, res map[string]any) { wantEq(t, "found", len(items(t, res)), 0) }},
			{name: "the new phone is found", as: f.worker, h: a.LookupClients, method: "GET", target: "/api/v1/clients/lookup?kind=phone&value=0987654321",
				status: 200, check: func(t *testing.T, res map[string]any) { wantEq(t, "found", len(items(t, res)), 1) }},

			// UIC: matching across provinces, and making.
			{name: "uic matches", as: f.worker, h: a.MatchUIC, method: "GET", target: "/api/v1/uic-matches?uic=hotu1998f", status: 200,
				check: func(t *testing.T, res map[string]any) {
					in := res["in_scope"].([]any)
					wantEq(t, "in scope", len(in), 1)
					wantEq(t, "id", in[0].(map[string]any)["id"], clientID)
					noIdentifiers(t, in[0].(map[string]any))
					wantEq(t, "elsewhere", res["elsewhere"], 1.0)
				}},
			{name: "uic matches from the other province", as: worker2, h: a.MatchUIC, method: "GET", target: "/api/v1/uic-matches?uic=HOTU1998F", status: 200,
				check: func(t *testing.T, res map[string]any) {
					in := res["in_scope"].([]any)
					wantEq(t, "in scope", len(in), 1)
					wantEq(t, "id", in[0].(map[string]any)["id"], other.ID)
					wantEq(t, "elsewhere", res["elsewhere"], 1.0)
				}},
			{name: "an unknown uic", as: f.worker, h: a.MatchUIC, method: "GET", target: "/api/v1/uic-matches?uic=ZZZZ2000M", status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "in scope", len(res["in_scope"].([]any)), 0)
					wantEq(t, "elsewhere", res["elsewhere"], 0.0)
				}},
			{name: "uic matches without a uic", as: f.worker, h: a.MatchUIC, method: "GET", target: "/api/v1/uic-matches", status: 422,
				code: caunoi.EINVALID, fields: []string{"uic"}},
			{name: "make uic", as: f.worker, h: a.MakeUIC, method: "POST", target: "/api/v1/uic",
				body: `{"mother_name":"Nguyễn Thị Hoa","father_name":"Trần Văn Tuấn","birth_year":1998,"sex":"female"}`, status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "uic", res["uic"], "HOTU1998F")
					wantEq(t, "formula", res["formula"], "M2F2Y4S1")
				}},
			{name: "make uic without the mother's name", as: f.worker, h: a.MakeUIC, method: "POST", target: "/api/v1/uic",
				body: `{"father_name":"Trần Văn Tuấn","birth_year":1998,"sex":"woman"}`, status: 422, code: caunoi.EINVALID, fields: []string{"mother_name", "sex"}},

			// Status, consents, memberships.
			{name: "change status", as: f.worker, h: a.ChangeClientStatus, method: "POST", target: "/api/v1/clients/" + clientID + "/status", path: id(clientID),
				body: `{"version":2,"status":"moved","changed_on":"` + yesterday + `","note":"chuyển đi Hải Phòng"}`, status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "status", res["status"], "moved")
					wantEq(t, "version", res["version"], 3.0)
				}},
			{name: "change status with a stale version", as: f.worker, h: a.ChangeClientStatus, method: "POST", target: "/api/v1/clients/" + clientID + "/status",
				path: id(clientID), body: `{"version":2,"status":"active","changed_on":"` + today + `"}`, status: 409, code: caunoi.ECONFLICT},
			{name: "change status with a bad day", as: f.worker, h: a.ChangeClientStatus, method: "POST", target: "/api/v1/clients/" + clientID + "/status",
				path: id(clientID), body: `{"version":3,"status":"active","changed_on":"2025-13-01"}`, status: 422, code: caunoi.EINVALID, fields: []string{"changed_on"}},
			{name: "change status out of scope", as: f.worker, h: a.ChangeClientStatus, method: "POST", target: "/api/v1/clients/" + other.ID + "/status",
				path: id(other.ID), body: `{"version":1,"status":"exited","changed_on":"` + today + `"}`, status: 404, code: caunoi.ENOTFOUND},
			{name: "record consent", as: f.worker, h: a.RecordConsent, method: "POST", target: "/api/v1/clients/" + clientID + "/consents", path: id(clientID),
				body: `{"id":"` + consentID + `","purpose":"referral_sharing","given_on":"` + yesterday + `"}`, status: 201,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "id", res["id"], consentID)
					wantEq(t, "given_on", res["given_on"], yesterday)
					wantEq(t, "recorded_by", res["recorded_by"], "worker")
				}},
			{name: "record consent again with the same id", as: f.worker, h: a.RecordConsent, method: "POST", target: "/api/v1/clients/" + clientID + "/consents",
				path: id(clientID), body: `{"id":"` + consentID + `","purpose":"referral_sharing","given_on":"` + yesterday + `"}`, status: 201,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "id", res["id"], consentID) }},
			{name: "consent with a bad day", as: f.worker, h: a.RecordConsent, method: "POST", target: "/api/v1/clients/" + clientID + "/consents", path: id(clientID),
				body: `{"purpose":"services","given_on":"hôm qua"}`, status: 422, code: caunoi.EINVALID, fields: []string{"given_on"}},
			{name: "consent without a day", as: f.worker, h: a.RecordConsent, method: "POST", target: "/api/v1/clients/" + clientID + "/consents", path: id(clientID),
				body: `{"purpose":"services"}`, status: 422, code: caunoi.EINVALID, fields: []string{"given_on"}},
			{name: "consent of a client out of scope", as: f.worker, h: a.RecordConsent, method: "POST", target: "/api/v1/clients/" + other.ID + "/consents",
				path: id(other.ID), body: `{"purpose":"services","given_on":"` + today + `"}`, status: 404, code: caunoi.ENOTFOUND},
			{name: "withdraw consent", as: f.worker, h: a.WithdrawConsent, method: "POST", target: "/api/v1/consents/" + consentID + "/withdraw", path: id(consentID),
				body: `{"withdrawn_on":"` + today + `"}`, status: 200, check: func(t *testing.T, res map[string]any) {
					if res["withdrawn_on"] == nil {
						t.Fatalf("not withdrawn: %v", res)
					}
					wantEq(t, "withdrawn_by", res["withdrawn_by"], "worker")
				}},
			{name: "withdraw consent twice", as: f.worker, h: a.WithdrawConsent, method: "POST", target: "/api/v1/consents/" + consentID + "/withdraw", path: id(consentID),
				body: `{"withdrawn_on":"` + today + `"}`, status: 409, code: caunoi.ECONFLICT},
			{name: "withdraw a consent out of scope", as: f.worker, h: a.WithdrawConsent, method: "POST", target: "/api/v1/consents/" + otherConsent.ID + "/withdraw",
				path: id(otherConsent.ID), body: `{"withdrawn_on":"` + today + `"}`, status: 404, code: caunoi.ENOTFOUND},
			{name: "add membership", as: f.worker, h: a.AddMembership, method: "POST", target: "/api/v1/clients/" + clientID + "/memberships", path: id(clientID),
				body: `{"id":"` + membershipID + `","org_id":"` + f.group.ID + `","role":"peer_educator","joined_on":"` + yesterday + `"}`, status: 201,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "id", res["id"], membershipID)
					wantEq(t, "org_name", res["org_name"], f.group.Name)
					wantEq(t, "joined_on", res["joined_on"], yesterday)
				}},
			{name: "membership with a bad day", as: f.worker, h: a.AddMembership, method: "POST", target: "/api/v1/clients/" + clientID + "/memberships",
				path: id(clientID), body: `{"org_id":"` + f.group.ID + `","role":"member","joined_on":"2025/07/01"}`, status: 422,
				code: caunoi.EINVALID, fields: []string{"joined_on"}},
			{name: "membership of a group out of scope", as: f.worker, h: a.AddMembership, method: "POST", target: "/api/v1/clients/" + clientID + "/memberships",
				path: id(clientID), body: `{"org_id":"` + group2.ID + `","role":"member","joined_on":"` + today + `"}`, status: 422,
				code: caunoi.EINVALID, fields: []string{"org_id"}},
			{name: "end membership", as: f.worker, h: a.EndMembership, method: "POST", target: "/api/v1/memberships/" + membershipID + "/end", path: id(membershipID),
				body: `{"left_on":"` + today + `"}`, status: 200, check: func(t *testing.T, res map[string]any) {
					if res["left_on"] == nil {
						t.Fatalf("not ended: %v", res)
					}
				}},
			{name: "end membership twice", as: f.worker, h: a.EndMembership, method: "POST", target: "/api/v1/memberships/" + membershipID + "/end",
				path: id(membershipID), body: `{"left_on":"` + today + `"}`, status: 409, code: caunoi.ECONFLICT},
			{name: "client page has the history", as: f.worker, h: a.GetClient, method: "GET", target: "/api/v1/clients/" + clientID, path: id(clientID),
				status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "phone", res["phone"], "0987 654 321")
					wantEq(t, "status history", len(res["status_history"].([]any)), 2)
					wantEq(t, "consents", len(res["consents"].([]any)), 1)
					wantEq(t, "memberships", len(res["memberships"].([]any)), 1)
				}},

			// Places and visits.
			{name: "create place", as: f.worker, h: a.CreatePlace, method: "POST", target: "/api/v1/places",
				body: `{"id":"` + placeID + `","org_id":"` + f.group.ID + `","kind":"establishment","type":"karaoke","name":"Karaoke Ánh Dương",` +
					`"address":"12 phố Huế","lat":21.01,"lng":105.85,"estimated_workers":8}`,
				status: 201, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "id", res["id"], placeID)
					wantEq(t, "version", res["version"], 1.0)
				}},
			{name: "create place again with the same id", as: f.worker, h: a.CreatePlace, method: "POST", target: "/api/v1/places",
				body:   `{"id":"` + placeID + `","org_id":"` + f.group.ID + `","kind":"establishment","type":"karaoke","name":"Karaoke Ánh Dương"}`,
				status: 201, check: func(t *testing.T, res map[string]any) { wantEq(t, "estimated_workers", res["estimated_workers"], 8.0) }},
			{name: "place with a bad kind", as: f.worker, h: a.CreatePlace, method: "POST", target: "/api/v1/places",
				body:   `{"org_id":"` + f.group.ID + `","kind":"park","type":"karaoke","name":"X"}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"kind"}},
			{name: "get place", as: f.worker, h: a.GetPlace, method: "GET", target: "/api/v1/places/" + placeID, path: id(placeID), status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "name", res["name"], "Karaoke Ánh Dương") }},
			{name: "list places", as: f.worker, h: a.ListPlaces, method: "GET", target: "/api/v1/places?kind=establishment&type=karaoke&q=anh+duong", status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "total", total(res), 1)
					wantEq(t, "id", items(t, res)[0]["id"], placeID)
				}},
			{name: "list places with a bad type", as: f.worker, h: a.ListPlaces, method: "GET", target: "/api/v1/places?type=castle", status: 422,
				code: caunoi.EINVALID, fields: []string{"type"}},
			{name: "update place", as: f.worker, h: a.UpdatePlace, method: "PATCH", target: "/api/v1/places/" + placeID, path: id(placeID),
				body: `{"version":1,"estimated_workers":12}`, status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "version", res["version"], 2.0)
					wantEq(t, "estimated_workers", res["estimated_workers"], 12.0)
				}},
			{name: "update place with a stale version", as: f.worker, h: a.UpdatePlace, method: "PATCH", target: "/api/v1/places/" + placeID, path: id(placeID),
				body: `{"version":1,"name":"Tên khác"}`, status: 409, code: caunoi.ECONFLICT},
			{name: "place out of scope", as: f.worker, h: a.GetPlace, method: "GET", target: "/api/v1/places/" + otherPlace.ID, path: id(otherPlace.ID),
				status: 404, code: caunoi.ENOTFOUND},
			{name: "void place out of scope", as: f.worker, h: a.VoidPlace, method: "POST", target: "/api/v1/places/" + otherPlace.ID + "/void",
				path: id(otherPlace.ID), body: `{"version":1,"reason":"không còn"}`, status: 404, code: caunoi.ENOTFOUND},
			{name: "record visit", as: f.worker, h: a.RecordVisit, method: "POST", target: "/api/v1/visits",
				body: `{"id":"` + visitID + `","place_id":"` + placeID + `","visited_on":"` + today + `","purposes":["labour_law","commodities"],` +
					`"commodities":{"condom":50},"notes":"gặp chủ quán"}`,
				status: 201, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "id", res["id"], visitID)
					wantEq(t, "worker_id", res["worker_id"], f.worker.UserID)
					wantEq(t, "visited_on", res["visited_on"], today)
					wantEq(t, "condoms", res["commodities"].(map[string]any)["condom"], 50.0)
				}},
			{name: "visit with a bad day", as: f.worker, h: a.RecordVisit, method: "POST", target: "/api/v1/visits",
				body:   `{"place_id":"` + placeID + `","visited_on":"32/01/2025","purposes":["survey"]}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"visited_on"}},
			{name: "visit to a place out of scope", as: f.worker, h: a.RecordVisit, method: "POST", target: "/api/v1/visits",
				body:   `{"place_id":"` + otherPlace.ID + `","visited_on":"` + today + `","purposes":["survey"]}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"place_id"}},
			{name: "list visits of the place", as: f.worker, h: a.ListVisits, method: "GET", target: "/api/v1/visits?place_id=" + placeID + "&from=" + today + "&to=" + today,
				status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "total", total(res), 1)
					wantEq(t, "id", items(t, res)[0]["id"], visitID)
				}},
			{name: "no visits before", as: f.worker, h: a.ListVisits, method: "GET", target: "/api/v1/visits?to=" + yesterday, status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "total", total(res), 0) }},
			{name: "visits with a bad from", as: f.worker, h: a.ListVisits, method: "GET", target: "/api/v1/visits?from=today", status: 422,
				code: caunoi.EINVALID, fields: []string{"from"}},

			// Contacts at a place, on topics.
			{name: "contact at the place", as: f.worker, h: a.CreateContact, method: "POST", target: "/api/v1/contacts",
				body: `{"org_id":"` + f.group.ID + `","client_id":"` + clientID + `","at":"` + now.Add(-time.Minute).Format(time.RFC3339) +
					`","place_id":"` + placeID + `","topics":["srh","hiv_sti"]}`,
				status: 201, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "place_id", res["place_id"], placeID)
					wantEq(t, "topics", len(res["topics"].([]any)), 2)
				}},
			{name: "contacts at the place", as: f.worker, h: a.ListContacts, method: "GET", target: "/api/v1/contacts?place_id=" + placeID + "&population=sex_work",
				status: 200, check: func(t *testing.T, res map[string]any) { wantEq(t, "total", total(res), 1) }},
			{name: "contacts of another population", as: f.worker, h: a.ListContacts, method: "GET", target: "/api/v1/contacts?population=drug_use",
				status: 200, check: func(t *testing.T, res map[string]any) { wantEq(t, "total", total(res), 0) }},
			{name: "contacts of a bad population", as: f.worker, h: a.ListContacts, method: "GET", target: "/api/v1/contacts?population=martians",
				status: 422, code: caunoi.EINVALID, fields: []string{"population"}},

			// Activities.
			{name: "create activity", as: f.worker, h: a.CreateActivity, method: "POST", target: "/api/v1/activities",
				body: `{"id":"` + activityID + `","org_id":"` + f.group.ID + `","kind":"group_meeting","held_on":"` + yesterday + `",` +
					`"title":"Sinh hoạt nhóm tháng","topics":["srh","gbv"],"place":"Nhà văn hoá","anon_female":3,"attendees":["` + clientID + `"]}`,
				status: 201, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "id", res["id"], activityID)
					wantEq(t, "held_on", res["held_on"], yesterday)
					wantEq(t, "attendees", len(res["attendees"].([]any)), 1)
				}},
			{name: "activity with a bad day", as: f.worker, h: a.CreateActivity, method: "POST", target: "/api/v1/activities",
				body:   `{"org_id":"` + f.group.ID + `","kind":"group_meeting","held_on":"tháng trước","title":"X","anon_male":1}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"held_on"}},
			{name: "activity with an attendee out of scope", as: f.worker, h: a.CreateActivity, method: "POST", target: "/api/v1/activities",
				body:   `{"org_id":"` + f.group.ID + `","kind":"group_meeting","held_on":"` + today + `","title":"X","attendees":["` + other.ID + `"]}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"attendees"}},
			{name: "get activity", as: f.worker, h: a.GetActivity, method: "GET", target: "/api/v1/activities/" + activityID, path: id(activityID), status: 200,
				check: func(t *testing.T, res map[string]any) {
					att := res["attendees"].([]any)
					wantEq(t, "attendees", len(att), 1)
					wantEq(t, "attendee", att[0], clientID)
					wantEq(t, "anon_female", res["anon_female"], 3.0)
				}},
			{name: "activities the client attended", as: f.worker, h: a.ListActivities, method: "GET",
				target: "/api/v1/activities?client_id=" + clientID + "&kind=group_meeting&from=" + yesterday + "&to=" + today, status: 200,
				check: func(t *testing.T, res map[string]any) {
					its := items(t, res)
					wantEq(t, "total", total(res), 1)
					wantEq(t, "attendee_count", its[0]["attendee_count"], 1.0)
					if _, ok := its[0]["attendees"]; ok {
						t.Fatalf("a listed activity names its attendees: %v", its[0])
					}
				}},
			{name: "activities with a bad kind", as: f.worker, h: a.ListActivities, method: "GET", target: "/api/v1/activities?kind=party", status: 422,
				code: caunoi.EINVALID, fields: []string{"kind"}},
			{name: "activity out of scope", as: f.worker, h: a.GetActivity, method: "GET", target: "/api/v1/activities/" + otherActivity.ID,
				path: id(otherActivity.ID), status: 404, code: caunoi.ENOTFOUND},
			{name: "void activity", as: f.worker, h: a.VoidActivity, method: "POST", target: "/api/v1/activities/" + activityID + "/void", path: id(activityID),
				body: `{"version":1,"reason":"nhập nhầm"}`, status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "void_reason", res["void_reason"], "nhập nhầm")
				}},
			{name: "no live activities", as: f.worker, h: a.ListActivities, method: "GET", target: "/api/v1/activities", status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "total", total(res), 0) }},
			{name: "void place", as: f.worker, h: a.VoidPlace, method: "POST", target: "/api/v1/places/" + placeID + "/void", path: id(placeID),
				body: `{"version":2,"reason":"đã đóng cửa"}`, status: 200, check: func(t *testing.T, res map[string]any) {
					if res["voided_at"] == nil {
						t.Fatal("not voided")
					}
				}},
		} {
			sc.run(t)
		}
	})
}
