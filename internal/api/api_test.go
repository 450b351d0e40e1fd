package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/api"
	"caunoi/internal/httperr"
	"caunoi/internal/i18n"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// fixture is a small organisation tree with a few signed-in users:
//
//	national (nat: national_officer, admin: admin)
//	├── prov  (officer: province_officer)
//	│   └── group (worker: outreach_worker)
//	└── prov2
type fixture struct {
	api                          *api.API
	cat                          *i18n.Catalogue
	national, prov, prov2, group *caunoi.Organisation
	officer, nat, worker, admin  *caunoi.Actor
}

const testPassword = "mật-khẩu-thử-1234"

func newFixture(t *testing.T, db *sqldb.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	sys := caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
	cat := i18n.MustLoad()
	f := &fixture{cat: cat, api: &api.API{
		Orgs:       sqldb.NewOrgService(db),
		Units:      sqldb.NewAdminUnitService(db),
		Users:      sqldb.NewUserService(db),
		Audit:      sqldb.NewAuditService(db),
		Clients:    sqldb.NewClientService(db),
		Contacts:   sqldb.NewContactService(db),
		Places:     sqldb.NewPlaceService(db),
		Activities: sqldb.NewActivityService(db),
		Cat:        cat,
	}}
	mkOrg := func(o *caunoi.Organisation) *caunoi.Organisation {
		t.Helper()
		if err := f.api.Orgs.CreateOrg(sys, o); err != nil {
			t.Fatalf("create org %s: %v", o.Name, err)
		}
		return o
	}
	f.national = mkOrg(&caunoi.Organisation{Kind: caunoi.OrgNational, Name: "Cục Phòng, chống tệ nạn xã hội"})
	f.prov = mkOrg(&caunoi.Organisation{Kind: caunoi.OrgProvince, ParentID: f.national.ID, Name: "Sở Hà Nội", AdminUnitCode: "01"})
	f.prov2 = mkOrg(&caunoi.Organisation{Kind: caunoi.OrgProvince, ParentID: f.national.ID, Name: "Sở Cao Bằng", AdminUnitCode: "04"})
	f.group = mkOrg(&caunoi.Organisation{Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupPeer, ParentID: f.prov.ID, Name: "Nhóm Hoa Sen"})

	// argon2id is slow: few users, each signed in once.
	mkUser := func(username string, role caunoi.Role, org *caunoi.Organisation) *caunoi.Actor {
		t.Helper()
		u := &caunoi.User{Username: username, DisplayName: username, Grants: []caunoi.Grant{{Role: role, OrgID: org.ID}}}
		if err := f.api.Users.CreateUser(sys, u, testPassword); err != nil {
			t.Fatalf("create user %s: %v", username, err)
		}
		a, _, err := f.api.Users.Authenticate(ctx, username, testPassword)
		if err != nil {
			t.Fatalf("authenticate %s: %v", username, err)
		}
		return a
	}
	f.officer = mkUser("officer", caunoi.RoleProvinceOfficer, f.prov)
	f.nat = mkUser("national", caunoi.RoleNationalOfficer, f.national)
	f.worker = mkUser("worker", caunoi.RoleOutreachWorker, f.group)
	f.admin = mkUser("admin", caunoi.RoleAdmin, f.national)
	return f
}

// scenario is one call of a handler and what its answer must be.
type scenario struct {
	name   string
	as     *caunoi.Actor // nil: no actor in the context
	h      http.HandlerFunc
	method string
	target string
	path   map[string]string
	body   string
	header map[string]string
	status int
	code   caunoi.Code // for errors: error.code
	fields []string    // for errors: the fields error.fields must name
	check  func(t *testing.T, res map[string]any)
}

// call runs a handler directly, without the web middleware.
func call(t *testing.T, h http.HandlerFunc, as *caunoi.Actor, method, target, body string, path, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	for k, v := range path {
		req.SetPathValue(k, v)
	}
	if as != nil {
		req = req.WithContext(caunoi.NewContextWithActor(req.Context(), as))
	}
	rec := httptest.NewRecorder()
	h(rec, req)
	return rec
}

func (sc scenario) run(t *testing.T) {
	t.Helper()
	t.Run(sc.name, func(t *testing.T) {
		rec := call(t, sc.h, sc.as, sc.method, sc.target, sc.body, sc.path, sc.header)
		if rec.Code != sc.status {
			t.Fatalf("status = %d, want %d; body: %.500s", rec.Code, sc.status, rec.Body.String())
		}
		if rec.Code == http.StatusNoContent {
			if rec.Body.Len() != 0 {
				t.Fatalf("204 with a body: %q", rec.Body.String())
			}
			return
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("Content-Type = %q", ct)
		}
		var res map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
			t.Fatalf("answer is not a JSON object: %v: %.200s", err, rec.Body.String())
		}
		if sc.code != "" {
			e := errObj(t, res)
			if got := e["code"]; got != string(sc.code) {
				t.Fatalf("error.code = %v, want %s", got, sc.code)
			}
			if msg, _ := e["message"].(string); msg == "" {
				t.Fatalf("error without a message: %v", e)
			}
			fields, _ := e["fields"].(map[string]any)
			for _, f := range sc.fields {
				if _, ok := fields[f]; !ok {
					t.Fatalf("error.fields = %v, want it to name %q", fields, f)
				}
			}
		}
		if sc.check != nil {
			sc.check(t, res)
		}
	})
}

func errObj(t *testing.T, res map[string]any) map[string]any {
	t.Helper()
	e, ok := res["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %v", res)
	}
	return e
}

func items(t *testing.T, res map[string]any) []map[string]any {
	t.Helper()
	for _, k := range []string{"items", "total", "offset", "limit"} {
		if _, ok := res[k]; !ok {
			t.Fatalf("list answer without %q: %v", k, res)
		}
	}
	raw, _ := res["items"].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, it := range raw {
		out = append(out, it.(map[string]any))
	}
	return out
}

func total(res map[string]any) int {
	n, _ := res["total"].(float64)
	return int(n)
}

func wantEq(t *testing.T, what string, got, want any) {
	t.Helper()
	if got != want {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

func TestAPI(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a := f.api
		id := func(s string) map[string]string { return map[string]string{"id": s} }

		newGroup := caunoi.NewID()
		groupBody := `{"id":"` + newGroup + `","parent_id":"` + f.prov.ID + `","kind":"group","group_kind":"club","name":"CLB Bình Minh"}`
		var firstCreated any
		clientID := caunoi.NewID()
		contactAt := time.Now().Add(-time.Hour).In(caunoi.Zone)
		contactDay := contactAt.Format(caunoi.DateLayout)
		var tokenID, secret string

		scenarios := []scenario{
			// Who am I.
			{name: "me", as: f.worker, h: a.Me, method: "GET", target: "/api/v1/me", status: 200, check: func(t *testing.T, res map[string]any) {
				wantEq(t, "username", res["username"], "worker")
				grants := res["grants"].([]any)
				wantEq(t, "grants", len(grants), 1)
				wantEq(t, "org_name", grants[0].(map[string]any)["org_name"], f.group.Name)
				var perms []string
				for _, p := range res["permissions"].([]any) {
					perms = append(perms, p.(string))
				}
				if !slices.Contains(perms, string(caunoi.PermContactWrite)) || slices.Contains(perms, string(caunoi.PermUserWrite)) {
					t.Fatalf("permissions = %v", perms)
				}
			}},
			{name: "me without an actor is 401", h: a.Me, method: "GET", target: "/api/v1/me", status: 401, code: caunoi.EUNAUTHORIZED},

			// Organisations: an idempotent create.
			{name: "create org", as: f.officer, h: a.CreateOrg, method: "POST", target: "/api/v1/orgs", body: groupBody, status: 201,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "id", res["id"], newGroup)
					wantEq(t, "version", res["version"], 1.0)
					if _, ok := res["models"].([]any); !ok {
						t.Fatalf("models = %v, want an array", res["models"])
					}
					firstCreated = res["created_at"]
				}},
			{name: "create org again with the same id", as: f.officer, h: a.CreateOrg, method: "POST", target: "/api/v1/orgs", body: groupBody, status: 201,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "id", res["id"], newGroup)
					wantEq(t, "version", res["version"], 1.0)
					wantEq(t, "created_at", res["created_at"], firstCreated)
				}},
			{name: "only one org with that id", as: f.officer, h: a.ListOrgs, method: "GET", target: "/api/v1/orgs?parent_id=" + f.prov.ID + "&q=binh+minh", status: 200,
				check: func(t *testing.T, res map[string]any) {
					its := items(t, res)
					wantEq(t, "total", total(res), 1)
					wantEq(t, "id", its[0]["id"], newGroup)
				}},
			{name: "malformed JSON", as: f.officer, h: a.CreateOrg, method: "POST", target: "/api/v1/orgs", body: `{"name": "x",`, status: 422, code: caunoi.EINVALID},
			{name: "unknown field", as: f.officer, h: a.CreateOrg, method: "POST", target: "/api/v1/orgs", body: `{"name":"x","colour":"red"}`, status: 422,
				code: caunoi.EINVALID, fields: []string{"colour"}},
			{name: "body over 1 MiB", as: f.officer, h: a.CreateOrg, method: "POST", target: "/api/v1/orgs",
				body: `{"name":"` + strings.Repeat("a", api.MaxBody) + `"}`, status: 413, code: caunoi.ETOOLARGE},
			{name: "update org", as: f.officer, h: a.UpdateOrg, method: "PATCH", target: "/api/v1/orgs/" + newGroup, path: id(newGroup),
				body: `{"version":1,"name":"CLB Bình Minh mới"}`, status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "version", res["version"], 2.0)
				}},
			{name: "stale version", as: f.officer, h: a.UpdateOrg, method: "PATCH", target: "/api/v1/orgs/" + newGroup, path: id(newGroup),
				body: `{"version":1,"name":"Tên khác"}`, status: 409, code: caunoi.ECONFLICT},
			{name: "void without a reason", as: f.officer, h: a.VoidOrg, method: "POST", target: "/api/v1/orgs/" + newGroup + "/void", path: id(newGroup),
				body: `{"version":2,"reason":"  "}`, status: 422, code: caunoi.EINVALID, fields: []string{"reason"}},
			{name: "void org", as: f.officer, h: a.VoidOrg, method: "POST", target: "/api/v1/orgs/" + newGroup + "/void", path: id(newGroup),
				body: `{"version":2,"reason":"tạo nhầm"}`, status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "void_reason", res["void_reason"], "tạo nhầm")
				}},
			{name: "org outside the scope is 404", as: f.officer, h: a.GetOrg, method: "GET", target: "/api/v1/orgs/" + f.prov2.ID, path: id(f.prov2.ID),
				status: 404, code: caunoi.ENOTFOUND},
			{name: "bad limit", as: f.officer, h: a.ListOrgs, method: "GET", target: "/api/v1/orgs?limit=100000", status: 422,
				code: caunoi.EINVALID, fields: []string{"limit"}},

			// Administrative units.
			{name: "provinces in force", as: f.worker, h: a.ListAdminUnits, method: "GET", target: "/api/v1/admin-units?level=province&on=2025-07-02&limit=100",
				status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "total", total(res), 34)
					for _, u := range items(t, res) {
						wantEq(t, "level", u["level"], "province")
					}
				}},
			{name: "bad day", as: f.worker, h: a.ListAdminUnits, method: "GET", target: "/api/v1/admin-units?on=2025-13-45", status: 422,
				code: caunoi.EINVALID, fields: []string{"on"}},
			{name: "bad level", as: f.worker, h: a.ListAdminUnits, method: "GET", target: "/api/v1/admin-units?level=district", status: 422,
				code: caunoi.EINVALID, fields: []string{"level"}},
			{name: "get unit", as: f.worker, h: a.GetAdminUnit, method: "GET", target: "/api/v1/admin-units/01", path: map[string]string{"code": "01"},
				status: 200, check: func(t *testing.T, res map[string]any) { wantEq(t, "name", res["name"], "Hà Nội") }},
			{name: "unknown unit", as: f.worker, h: a.GetAdminUnit, method: "GET", target: "/api/v1/admin-units/zz", path: map[string]string{"code": "zz"},
				status: 404, code: caunoi.ENOTFOUND},

			// Users.
			{name: "list users", as: f.officer, h: a.ListUsers, method: "GET", target: "/api/v1/users?org_id=" + f.group.ID, status: 200,
				check: func(t *testing.T, res map[string]any) {
					its := items(t, res)
					wantEq(t, "total", total(res), 1)
					wantEq(t, "username", its[0]["username"], "worker")
				}},
			{name: "get user", as: f.officer, h: a.GetUser, method: "GET", target: "/api/v1/users/" + f.worker.UserID, path: id(f.worker.UserID), status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "username", res["username"], "worker") }},
			{name: "create user with a short password", as: f.officer, h: a.CreateUser, method: "POST", target: "/api/v1/users",
				body:   `{"username":"newbie","display_name":"Newbie","password":"short","grants":[{"role":"peer_educator","org_id":"` + f.group.ID + `"}]}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"password"}},
			{name: "update user", as: f.officer, h: a.UpdateUser, method: "PATCH", target: "/api/v1/users/" + f.worker.UserID, path: id(f.worker.UserID),
				body: `{"version":1,"display_name":"Chị Lan"}`, status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "display_name", res["display_name"], "Chị Lan")
					wantEq(t, "version", res["version"], 2.0)
				}},
			{name: "update user with a stale version", as: f.officer, h: a.UpdateUser, method: "PATCH", target: "/api/v1/users/" + f.worker.UserID,
				path: id(f.worker.UserID), body: `{"version":1,"lang":"en"}`, status: 409, code: caunoi.ECONFLICT},
			{name: "add grant", as: f.officer, h: a.AddGrant, method: "POST", target: "/api/v1/users/" + f.worker.UserID + "/grants", path: id(f.worker.UserID),
				body: `{"role":"peer_educator","org_id":"` + f.group.ID + `"}`, status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "grants", len(res["grants"].([]any)), 2)
				}},
			{name: "remove grant", as: f.officer, h: a.RemoveGrant, method: "POST", target: "/api/v1/users/" + f.worker.UserID + "/grants/remove", path: id(f.worker.UserID),
				body: `{"role":"peer_educator","org_id":"` + f.group.ID + `"}`, status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "grants", len(res["grants"].([]any)), 1)
				}},
			{name: "remove the last grant", as: f.officer, h: a.RemoveGrant, method: "POST", target: "/api/v1/users/" + f.worker.UserID + "/grants/remove",
				path: id(f.worker.UserID), body: `{"role":"outreach_worker","org_id":"` + f.group.ID + `"}`, status: 409, code: caunoi.ECONFLICT},

			// Clients.
			{name: "national officer listing clients is 403", as: f.nat, h: a.ListClients, method: "GET", target: "/api/v1/clients", status: 403, code: caunoi.EFORBIDDEN},
			{name: "create client", as: f.worker, h: a.CreateClient, method: "POST", target: "/api/v1/clients",
				body:   `{"id":"` + clientID + `","org_id":"` + f.group.ID + `","nickname":"Hoa","birth_year":1995,"sex":"female","populations":["sex_work"],"uic":"hoa95abc"}`,
				status: 201, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "id", res["id"], clientID)
					wantEq(t, "uic", res["uic"], "HOA95ABC")
					wantEq(t, "status", res["status"], "active")
				}},
			{name: "get client", as: f.worker, h: a.GetClient, method: "GET", target: "/api/v1/clients/" + clientID, path: id(clientID), status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "nickname", res["nickname"], "Hoa") }},
			{name: "list clients", as: f.worker, h: a.ListClients, method: "GET", target: "/api/v1/clients?population=sex_work&status=active&q=hoa", status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "total", total(res), 1)
					wantEq(t, "id", items(t, res)[0]["id"], clientID)
				}},
			{name: "clients of an org outside the scope", as: f.worker, h: a.ListClients, method: "GET", target: "/api/v1/clients?org_id=" + f.prov2.ID,
				status: 404, code: caunoi.ENOTFOUND},
			{name: "bad population", as: f.worker, h: a.ListClients, method: "GET", target: "/api/v1/clients?population=martians", status: 422,
				code: caunoi.EINVALID, fields: []string{"population"}},
			{name: "update client", as: f.worker, h: a.UpdateClient, method: "PATCH", target: "/api/v1/clients/" + clientID, path: id(clientID),
				body: `{"version":1,"populations":["sex_work","drug_use"]}`, status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "version", res["version"], 2.0)
					wantEq(t, "populations", len(res["populations"].([]any)), 2)
				}},
			{name: "update client with a stale version", as: f.worker, h: a.UpdateClient, method: "PATCH", target: "/api/v1/clients/" + clientID, path: id(clientID),
				body: `{"version":1,"status":"moved"}`, status: 409, code: caunoi.ECONFLICT},

			// Contacts.
			{name: "create contact", as: f.worker, h: a.CreateContact, method: "POST", target: "/api/v1/contacts",
				body: `{"org_id":"` + f.group.ID + `","anon_sex":"female","anon_population":"sex_work","at":"` + contactAt.Format(time.RFC3339) +
					`","channel":"zalo","commodities":{"condom":10}}`,
				status: 201, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "worker_id", res["worker_id"], f.worker.UserID)
					wantEq(t, "condoms", res["commodities"].(map[string]any)["condom"], 10.0)
				}},
			{name: "contact with a bad time", as: f.worker, h: a.CreateContact, method: "POST", target: "/api/v1/contacts",
				body: `{"org_id":"` + f.group.ID + `","client_id":"` + clientID + `","at":"01/07/2025 19:30"}`, status: 422, code: caunoi.EINVALID, fields: []string{"at"}},
			{name: "list contacts of the day", as: f.worker, h: a.ListContacts, method: "GET",
				target: "/api/v1/contacts?from=" + contactDay + "&to=" + contactDay + "&worker_id=" + f.worker.UserID, status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "total", total(res), 1) }},
			{name: "no contacts before the day", as: f.worker, h: a.ListContacts, method: "GET",
				target: "/api/v1/contacts?to=" + contactAt.AddDate(0, 0, -1).Format(caunoi.DateLayout), status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "total", total(res), 0) }},
			{name: "bad from", as: f.worker, h: a.ListContacts, method: "GET", target: "/api/v1/contacts?from=yesterday", status: 422,
				code: caunoi.EINVALID, fields: []string{"from"}},
			{name: "to before from", as: f.worker, h: a.ListContacts, method: "GET", target: "/api/v1/contacts?from=2025-07-02&to=2025-07-01", status: 422,
				code: caunoi.EINVALID, fields: []string{"to"}},

			// Voiding a client.
			{name: "void client without a reason", as: f.worker, h: a.VoidClient, method: "POST", target: "/api/v1/clients/" + clientID + "/void", path: id(clientID),
				body: `{"version":2}`, status: 422, code: caunoi.EINVALID, fields: []string{"reason"}},
			{name: "void client", as: f.worker, h: a.VoidClient, method: "POST", target: "/api/v1/clients/" + clientID + "/void", path: id(clientID),
				body: `{"version":2,"reason":"trùng hồ sơ"}`, status: 200, check: func(t *testing.T, res map[string]any) {
					if res["voided_at"] == nil {
						t.Fatal("not voided")
					}
				}},

			// Audit trail.
			{name: "audit of the client", as: f.admin, h: a.ListAudit, method: "GET",
				target: "/api/v1/audit?entity=client&entity_id=" + clientID + "&from=" + time.Now().In(caunoi.Zone).Format(caunoi.DateLayout), status: 200,
				check: func(t *testing.T, res map[string]any) {
					var actions []string
					for _, e := range items(t, res) {
						actions = append(actions, e["action"].(string))
					}
					for _, want := range []string{"create", "read", "update", "void"} {
						if !slices.Contains(actions, want) {
							t.Fatalf("actions = %v, want %s among them", actions, want)
						}
					}
				}},
			{name: "audit with a bad day", as: f.admin, h: a.ListAudit, method: "GET", target: "/api/v1/audit?to=31-12-2025", status: 422,
				code: caunoi.EINVALID, fields: []string{"to"}},
			{name: "audit needs audit.read", as: f.officer, h: a.ListAudit, method: "GET", target: "/api/v1/audit", status: 403, code: caunoi.EFORBIDDEN},

			// Tokens.
			{name: "token with a bad day", as: f.worker, h: a.CreateToken, method: "POST", target: "/api/v1/tokens",
				body: `{"name":"Excel","expires_at":"soon"}`, status: 422, code: caunoi.EINVALID, fields: []string{"expires_at"}},
			{name: "create token", as: f.worker, h: a.CreateToken, method: "POST", target: "/api/v1/tokens",
				body: `{"name":"Excel","expires_at":"` + time.Now().In(caunoi.Zone).AddDate(0, 0, 30).Format(caunoi.DateLayout) + `"}`, status: 201,
				check: func(t *testing.T, res map[string]any) {
					secret, _ = res["secret"].(string)
					if !strings.HasPrefix(secret, "cn_") {
						t.Fatalf("secret = %q", secret)
					}
					tok := res["token"].(map[string]any)
					tokenID, _ = tok["id"].(string)
					wantEq(t, "name", tok["name"], "Excel")
					if _, err := a.Users.ActorByToken(context.Background(), secret); err != nil {
						t.Fatalf("the new token does not work: %v", err)
					}
				}},
		}
		for _, sc := range scenarios {
			sc.run(t)
		}

		// Token scenarios that need the id made above.
		for _, sc := range []scenario{
			{name: "list tokens", as: f.worker, h: a.ListTokens, method: "GET", target: "/api/v1/tokens", status: 200, check: func(t *testing.T, res map[string]any) {
				its := items(t, res)
				wantEq(t, "tokens", len(its), 1)
				wantEq(t, "id", its[0]["id"], tokenID)
				if _, ok := its[0]["secret"]; ok {
					t.Fatal("a listed token shows its secret")
				}
			}},
			{name: "revoke token", as: f.worker, h: a.RevokeToken, method: "POST", target: "/api/v1/tokens/" + tokenID + "/revoke", path: id(tokenID), status: 204},
			{name: "revoke token again", as: f.worker, h: a.RevokeToken, method: "POST", target: "/api/v1/tokens/" + tokenID + "/revoke", path: id(tokenID),
				status: 404, code: caunoi.ENOTFOUND},
		} {
			sc.run(t)
		}
		if _, err := a.Users.ActorByToken(context.Background(), secret); caunoi.ErrorCode(err) != caunoi.EUNAUTHORIZED {
			t.Fatalf("a revoked token still works: %v", err)
		}

		t.Run("messages in Vietnamese by default, English on request", func(t *testing.T) {
			// A stale version: error key err.stale_version.
			body := `{"version":99,"name":"x"}`
			vi := call(t, a.UpdateOrg, f.officer, "PATCH", "/api/v1/orgs/"+f.group.ID, body, id(f.group.ID), nil)
			en := call(t, a.UpdateOrg, f.officer, "PATCH", "/api/v1/orgs/"+f.group.ID, body, id(f.group.ID), map[string]string{"Accept-Language": "en-GB,en;q=0.9"})
			// A missing void reason: err.invalid with a field err.void.reason_required.
			vbody := `{"version":1,"reason":""}`
			viF := call(t, a.VoidClient, f.worker, "POST", "/api/v1/clients/"+clientID+"/void", vbody, id(clientID), nil)
			enF := call(t, a.VoidClient, f.worker, "POST", "/api/v1/clients/"+clientID+"/void", vbody, id(clientID), map[string]string{"Accept-Language": "en"})
			for _, c := range []struct {
				key, field string
				vi, en     *httptest.ResponseRecorder
				status     int
			}{
				{"err.stale_version", "", vi, en, 409},
				{"err.invalid", "reason", viF, enF, 422},
			} {
				var rv, re api.ErrorBody
				if c.vi.Code != c.status || c.en.Code != c.status {
					t.Fatalf("%s: status %d / %d, want %d", c.key, c.vi.Code, c.en.Code, c.status)
				}
				if err := json.Unmarshal(c.vi.Body.Bytes(), &rv); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(c.en.Body.Bytes(), &re); err != nil {
					t.Fatal(err)
				}
				if rv.Error.Message == "" || re.Error.Message == "" {
					t.Fatalf("%s: empty message", c.key)
				}
				if f.cat.Has("vi", c.key) && f.cat.Has("en", c.key) {
					if rv.Error.Message == c.key || re.Error.Message == c.key {
						t.Fatalf("%s: untranslated: vi %q, en %q", c.key, rv.Error.Message, re.Error.Message)
					}
					if rv.Error.Message == re.Error.Message {
						t.Fatalf("%s: same message in both languages: %q", c.key, rv.Error.Message)
					}
				}
				if c.field != "" {
					fk := "err.void.reason_required"
					mv, me := rv.Error.Fields[c.field], re.Error.Fields[c.field]
					if mv == "" || me == "" {
						t.Fatalf("%s: no message for field %s: %v / %v", c.key, c.field, rv.Error.Fields, re.Error.Fields)
					}
					if f.cat.Has("vi", fk) && f.cat.Has("en", fk) && (mv == fk || me == fk || mv == me) {
						t.Fatalf("%s: field message vi %q, en %q", fk, mv, me)
					}
				}
			}
		})
	})
}

func TestOpenAPI(t *testing.T) {
	paths, err := api.OpenAPIPaths()
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no paths")
	}
	for p, methods := range paths {
		if !strings.HasPrefix(p, "/api/v1/") {
			t.Errorf("%s: not under /api/v1/", p)
		}
		if len(methods) == 0 {
			t.Errorf("%s: no method", p)
		}
		if !slices.IsSorted(methods) {
			t.Errorf("%s: methods not sorted: %v", p, methods)
		}
		for _, m := range methods {
			if m != strings.ToUpper(m) {
				t.Errorf("%s: method %q not upper-case", p, m)
			}
		}
	}

	// The handler serves the document as it is embedded.
	a := &api.API{Cat: i18n.MustLoad()}
	rec := call(t, a.OpenAPI, nil, "GET", "/api/v1/openapi.json", "", nil, nil)
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q", ct)
	}
	var doc struct {
		OpenAPI    string `json:"openapi"`
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
			SecuritySchemes map[string]any `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Fatalf("openapi = %q", doc.OpenAPI)
	}
	if _, ok := doc.Components.SecuritySchemes["bearerAuth"]; !ok {
		t.Fatal("no bearerAuth security scheme")
	}
	for _, name := range []string{"Organisation", "AdminUnit", "User", "Grant", "AuditEntry", "Client", "Contact", "APIToken", "Error", "List",
		"Place", "Visit", "Activity", "ActivitySummary", "Consent", "Membership", "StatusChange", "UICMatch", "UICFacts", "UICResult"} {
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("no schema %s", name)
		}
	}

	// The enumerations of the document follow the domain's lists.
	var codes []string
	for c := range httperr.Codes() {
		codes = append(codes, string(c))
	}
	for name, want := range map[string][]string{
		"OrgKind":        strs(caunoi.OrgKinds),
		"GroupKind":      strs(caunoi.GroupKinds),
		"Model":          strs(caunoi.Models),
		"Role":           strs(caunoi.Roles),
		"Permission":     strs(caunoi.Permissions),
		"Population":     strs(caunoi.Populations),
		"Sex":            caunoi.Sexes,
		"Residence":      caunoi.Residences,
		"ClientStatus":   caunoi.ClientStatuses,
		"Channel":        caunoi.Channels,
		"Commodity":      caunoi.Commodities,
		"Lang":           caunoi.Languages,
		"UnitLevel":      {caunoi.LevelProvince, caunoi.LevelCommune},
		"PlaceKind":      caunoi.PlaceKinds,
		"PlaceType":      caunoi.PlaceTypes,
		"VisitPurpose":   caunoi.VisitPurposes,
		"ActivityKind":   caunoi.ActivityKinds,
		"Topic":          caunoi.Topics,
		"ConsentPurpose": caunoi.ConsentPurposes,
		"MembershipRole": caunoi.MembershipRoles,
		"ErrorCode":      codes,
	} {
		got := slices.Sorted(slices.Values(doc.Components.Schemas[name].Enum))
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			t.Errorf("schema %s: enum %v, want %v", name, got, want)
		}
	}
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
