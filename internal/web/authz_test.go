package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/demo"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
	"caunoi/internal/web"
)

// roleUsers are demo accounts, one per role (two for groups).
var roleUsers = []string{"admin", "cuc.canbo", "quangninh.canbo", "songbien.truongnhom", "songbien.dongdang", "songbien.congtacvien"}

// actorFixture is what the authorization walk needs for one signed-in user.
type actorFixture struct {
	username string
	actor    *caunoi.Actor
	cookie   string            // session cookie, for pages
	token    string            // API token, for /api/v1
	in       map[string]string // path parameter → an id inside the user's scope
}

// outside is a second tree of organisations that no demo user's scope
// covers: its ids are out of scope for every role, even national ones.
type outside struct {
	org, user, client, contact, token, place, activity, consent, membership string
	provider, service, referral                                             string
	money                                                                   map[string]string // authz_money_test.go
	hotlineCase, shelter, bed, stay, reintegration, influence               string
	target, indicator                                                       string
}

func TestAuthorizationWalksEveryRoute(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		srv, err := web.New(web.Config{DB: db})
		if err != nil {
			t.Fatal(err)
		}
		out := buildOutside(t, db)
		var actors []*actorFixture
		for _, u := range roleUsers {
			actors = append(actors, buildActor(t, srv, db, u))
		}

		for _, rt := range srv.Routes() {
			if !rt.Rule.Valid() {
				t.Errorf("route %s %s has no authorization rule", rt.Method, rt.Path)
				continue
			}
			for _, p := range pathParams(rt.Path) {
				if _, ok := outParams(out)[p]; !ok {
					t.Fatalf("route %s %s: the authorization test does not know the parameter {%s}; teach it in outParams and buildActor", rt.Method, rt.Path, p)
				}
			}
			if rt.Path == "/logout" {
				continue // ends the session: checked on its own below
			}
			name := rt.Method + " " + rt.Path
			t.Run(name, func(t *testing.T) {
				// Anonymous.
				res := do(srv, rt, fill(rt.Path, outParams(out)), nil, "", "", false)
				switch {
				case rt.Rule.Public:
					if res.Code == http.StatusForbidden || isLoginRedirect(res) {
						t.Errorf("anonymous: public route answered %d %s", res.Code, res.Header().Get("Location"))
					}
				case rt.API():
					if res.Code != http.StatusUnauthorized {
						t.Errorf("anonymous: API answered %d, want 401", res.Code)
					}
				default:
					if !isLoginRedirect(res) {
						t.Errorf("anonymous: page answered %d, want a redirect to /login", res.Code)
					}
				}
				for _, a := range actors {
					allowed := rt.Rule.Public || rt.Rule.SignedIn || a.actor.Can(rt.Rule.Perm)
					res := do(srv, rt, fill(rt.Path, withDefaults(a.in, outParams(out))), a.in, a.cookie, a.token, false)
					if rt.Rule.Public {
						if res.Code == http.StatusForbidden || res.Code >= 500 {
							t.Errorf("%s: public route answered %d", a.username, res.Code)
						}
						continue
					}
					if !allowed {
						if res.Code != http.StatusForbidden {
							t.Errorf("%s lacks %s: answered %d, want 403", a.username, rt.Rule.Perm, res.Code)
						}
						continue
					}
					if res.Code == http.StatusUnauthorized || res.Code == http.StatusForbidden || res.Code >= 500 || isLoginRedirect(res) {
						t.Errorf("%s may call it: answered %d %s", a.username, res.Code, snippet(res))
					}
					if len(pathParams(rt.Path)) > 0 && res.Code == http.StatusNotFound {
						t.Errorf("%s, id in scope: answered 404", a.username)
					}
					if len(pathParams(rt.Path)) == 0 || rt.Path == "/api/v1/admin-units/{code}" || strings.Contains(rt.Path, "{kind}") || rt.Path == "/static/" {
						continue
					}
					// The same route on an organisation outside the user's
					// scope, with a body that would pass validation.
					res = do(srv, rt, fill(rt.Path, outParams(out)), outParams(out), a.cookie, a.token, true)
					if res.Code != http.StatusNotFound {
						t.Errorf("%s, id out of scope: answered %d, want 404 %s", a.username, res.Code, snippet(res))
					}
				}
			})
		}

		// Nothing outside was changed by the out-of-scope calls.
		sys := caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
		if o, err := sqldb.NewOrgService(db).FindOrgByID(sys, out.org); err != nil || o.Voided() || o.Version != 1 {
			t.Errorf("the outside organisation changed: %+v %v", o, err)
		}
		if c, err := sqldb.NewClientService(db).FindClientByID(sys, out.client); err != nil || c.Voided() || c.Version != 1 {
			t.Errorf("the outside client changed: %+v %v", c, err)
		}

		// Logout ends the session.
		a := actors[len(actors)-1]
		rt := web.Route{Method: "POST", Path: "/logout"}
		if res := do(srv, rt, "/logout", nil, a.cookie, "", false); res.Code != http.StatusSeeOther {
			t.Errorf("logout answered %d", res.Code)
		}
		if res := do(srv, web.Route{Method: "GET", Path: "/"}, "/", nil, a.cookie, "", false); !isLoginRedirect(res) {
			t.Errorf("after logout the old cookie still opens home: %d", res.Code)
		}

		// An unknown route is a translated 404, for pages and the API.
		res := do(srv, web.Route{Method: "GET", Path: "/nowhere"}, "/nowhere", nil, actors[0].cookie, "", false)
		if res.Code != http.StatusNotFound || !strings.Contains(res.Body.String(), "Không có trang này") {
			t.Errorf("unknown page: %d", res.Code)
		}
		res = do(srv, web.Route{Method: "GET", Path: "/api/v1/nowhere"}, "/api/v1/nowhere", nil, "", actors[0].token, false)
		if res.Code != http.StatusNotFound || !strings.Contains(res.Body.String(), `"code":"not_found"`) {
			t.Errorf("unknown API route: %d %s", res.Code, res.Body)
		}
	})
}

var paramRE = regexp.MustCompile(`\{([a-z_]+)\}`)

func pathParams(path string) []string {
	var ps []string
	for _, m := range paramRE.FindAllStringSubmatch(path, -1) {
		ps = append(ps, m[1])
	}
	return ps
}

// entityOf tells which kind of record a route's {id} names.
func entityOf(path string) string {
	for _, p := range []string{"orgs", "users", "clients", "contacts", "tokens", "places", "activities", "consents", "memberships",
		"providers", "services", "referrals", "funds", "loans", "norms", "cost-norms", "budgets", "budget-plans", "expenditures", "repayments",
		"cases", "shelters", "beds", "stays", "reintegration", "reintegrations", "influence", "targets"} {
		if strings.Contains(path, "/"+p+"/{id}") {
			return p
		}
	}
	return ""
}

func outParams(o outside) map[string]string {
	m := map[string]string{"orgs": o.org, "users": o.user, "clients": o.client, "contacts": o.contact, "tokens": o.token,
		"api_tokens": o.token, "places": o.place, "activities": o.activity, "consents": o.consent, "memberships": o.membership,
		"providers": o.provider, "services": o.service, "referrals": o.referral,
		"cases": o.hotlineCase, "shelters": o.shelter, "beds": o.bed, "stays": o.stay, "reintegration": o.reintegration,
		"reintegrations": o.reintegration, "influence": o.influence,
		"targets": o.target, "indicator": o.indicator,
		"id": "", "code": "99999", "kind": "contacts"}
	for k, v := range o.money {
		m[k] = v
	}
	return m
}

// withDefaults returns ids with the missing ones taken from def: a user
// without a permission has no id in scope, and must be refused anyway.
func withDefaults(ids, def map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range def {
		out[k] = v
	}
	for k, v := range ids {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// fill puts the ids into a route's path.
func fill(path string, ids map[string]string) string {
	if path == "/static/" {
		return "/static/css/app.css"
	}
	if path == "/{$}" {
		return "/"
	}
	ent := entityOf(path)
	return paramRE.ReplaceAllStringFunc(path, func(m string) string {
		name := m[1 : len(m)-1]
		if name == "id" {
			if ent == "tokens" && strings.HasPrefix(path, "/api/") && ids["api_tokens"] != "" {
				return ids["api_tokens"] // the page route revoked the other one
			}
			return ids[ent]
		}
		return ids[name]
	})
}

// do sends one request. Valid bodies name the ids of ids (out of scope);
// otherwise the body is empty, so that a write in scope fails validation
// and changes nothing.
func do(srv *web.Server, rt web.Route, path string, ids map[string]string, cookie, token string, valid bool) *httptest.ResponseRecorder {
	var body string
	ctype := "application/x-www-form-urlencoded"
	if strings.HasPrefix(rt.Path, "/api/") {
		ctype = "application/json"
		body = "{}"
		if valid {
			today := caunoi.Today().Format(caunoi.DateLayout)
			switch {
			case strings.HasSuffix(rt.Path, "/void"):
				body = `{"version":1,"reason":"kiểm tra"}`
			case strings.HasPrefix(rt.Path, "/api/v1/referrals/") && strings.HasSuffix(rt.Path, "/status"):
				body = `{"version":1,"status":"lost","closed_on":"` + today + `"}`
			case strings.HasSuffix(rt.Path, "/withdraw"):
				body = `{"withdrawn_on":"` + today + `"}`
			case strings.HasSuffix(rt.Path, "/end"):
				body = `{"left_on":"` + today + `"}`
			case strings.HasSuffix(rt.Path, "/status"):
				body = `{"version":1,"status":"active","changed_on":"` + today + `"}`
			case strings.HasSuffix(rt.Path, "/consents"):
				body = `{"purpose":"services","given_on":"` + today + `"}`
			case strings.HasSuffix(rt.Path, "/memberships"):
				body = `{"org_id":"` + ids["orgs"] + `","role":"member","joined_on":"` + today + `"}`
			case strings.Contains(rt.Path, "/grants"):
				body = `{"role":"peer_educator","org_id":"` + ids["orgs"] + `"}`
			case rt.Method == "PATCH":
				body = `{"version":1}`
			}
		}
	} else if valid {
		today := caunoi.Today().Format("02/01/2006")
		body = url.Values{"version": {"1"}, "reason": {"kiểm tra"}, "name": {"x"}, "role": {"peer_educator"}, "org_id": {ids["orgs"]},
			"password": {"mat-khau-dai-du"}, "confirm": {"mat-khau-dai-du"}, "display_name": {"x"}, "lang": {"vi"},
			"status": {"active"}, "changed_on": {today}, "purpose": {"services"}, "given_on": {today}, "withdrawn_on": {today},
			"joined_on": {today}, "left_on": {today}, "visited_on": {today}, "purposes": {"survey"}}.Encode()
	}
	var req *http.Request
	if rt.Method == "GET" {
		req = httptest.NewRequest(rt.Method, path, nil)
	} else {
		req = httptest.NewRequest(rt.Method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
	}
	if strings.HasPrefix(path, "/api/") && token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	} else if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res := httptest.NewRecorder()
	srv.ServeHTTP(res, req)
	return res
}

func isLoginRedirect(res *httptest.ResponseRecorder) bool {
	return res.Code == http.StatusSeeOther && strings.HasPrefix(res.Header().Get("Location"), "/login")
}

func snippet(res *httptest.ResponseRecorder) string {
	s := res.Body.String()
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}

// login signs a user in through the login form and returns the cookie.
func login(t *testing.T, srv *web.Server, username, password string) string {
	t.Helper()
	req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"username": {username}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res := httptest.NewRecorder()
	srv.ServeHTTP(res, req)
	if res.Code != http.StatusSeeOther {
		t.Fatalf("login %s: %d %s", username, res.Code, snippet(res))
	}
	for _, c := range res.Result().Cookies() {
		if c.Name == "caunoi_session" {
			return c.Name + "=" + c.Value
		}
	}
	t.Fatalf("login %s: no session cookie", username)
	return ""
}

// buildActor signs a demo user in and finds ids inside their scope: their
// own organisation, a target user in it (never signed in, so revoking its
// sessions disturbs nothing), a client and a contact, and a token.
func buildActor(t *testing.T, srv *web.Server, db *sqldb.DB, username string) *actorFixture {
	t.Helper()
	ctx := context.Background()
	users := sqldb.NewUserService(db)
	actor, _, err := users.Authenticate(ctx, username, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	actx := caunoi.NewContextWithActor(ctx, actor)
	sys := caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
	a := &actorFixture{username: username, actor: actor, cookie: login(t, srv, username, demo.Password), in: map[string]string{"code": "31", "kind": "contacts", "indicator": "CONTACTS"}}
	orgID := actor.Grants[0].OrgID
	a.in["orgs"] = orgID
	// A group in the user's subtree, for the target user's role.
	groups, _, err := sqldb.NewOrgService(db).FindOrgs(actx, caunoi.OrgFilter{Kind: caunoi.OrgGroup, Page: caunoi.Page{Limit: 1}})
	if err != nil || len(groups) == 0 {
		t.Fatalf("%s: no group in scope: %v", username, err)
	}
	target := &caunoi.User{Username: "dich." + strings.ReplaceAll(username, ".", "-"), DisplayName: "Người dùng đích",
		Grants: []caunoi.Grant{{Role: caunoi.RolePeerEducator, OrgID: groups[0].ID}}}
	if err := users.CreateUser(sys, target, "mat-khau-dich-1"); err != nil {
		t.Fatal(err)
	}
	a.in["users"] = target.ID
	if actor.Can(caunoi.PermClientRead) {
		cs, _, err := sqldb.NewClientService(db).FindClients(actx, caunoi.ClientFilter{Page: caunoi.Page{Limit: 1}})
		if err != nil || len(cs) == 0 {
			t.Fatalf("%s: no client in scope: %v", username, err)
		}
		a.in["clients"] = cs[0].ID
		ks, _, err := sqldb.NewContactService(db).FindContacts(actx, caunoi.ContactFilter{Page: caunoi.Page{Limit: 1}})
		if err != nil || len(ks) == 0 {
			t.Fatalf("%s: no contact in scope: %v", username, err)
		}
		a.in["contacts"] = ks[0].ID
		ps, _, err := sqldb.NewPlaceService(db).FindPlaces(actx, caunoi.PlaceFilter{Page: caunoi.Page{Limit: 1}})
		if err != nil || len(ps) == 0 {
			t.Fatalf("%s: no place in scope: %v", username, err)
		}
		a.in["places"] = ps[0].ID
		as, _, err := sqldb.NewActivityService(db).FindActivities(actx, caunoi.ActivityFilter{Page: caunoi.Page{Limit: 1}})
		if err != nil || len(as) == 0 {
			t.Fatalf("%s: no activity in scope: %v", username, err)
		}
		a.in["activities"] = as[0].ID
		// A consent and a membership of a client in scope (demo clients
		// have them; take the first client that has both).
		clients, _, err := sqldb.NewClientService(db).FindClients(actx, caunoi.ClientFilter{Page: caunoi.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range clients {
			full, err := sqldb.NewClientService(db).FindClientByID(actx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(full.Consents) > 0 && len(full.Memberships) > 0 {
				a.in["consents"], a.in["memberships"] = full.Consents[0].ID, full.Memberships[0].ID
				break
			}
		}
		if a.in["consents"] == "" {
			t.Fatalf("%s: no client in scope with a consent and a membership", username)
		}
		svs, _, err := sqldb.NewServiceService(db).FindServices(actx, caunoi.ServiceFilter{Page: caunoi.Page{Limit: 1}})
		if err != nil || len(svs) == 0 {
			t.Fatalf("%s: no service in scope: %v", username, err)
		}
		a.in["services"] = svs[0].ID
		rs, _, err := sqldb.NewReferralService(db).FindReferrals(actx, caunoi.ReferralFilter{Page: caunoi.Page{Limit: 1}})
		if err != nil || len(rs) == 0 {
			t.Fatalf("%s: no referral in scope: %v", username, err)
		}
		a.in["referrals"] = rs[0].ID
	}
	if actor.Can(caunoi.PermProviderRead) {
		// One the user may change, if it may change any.
		ps, _, err := sqldb.NewProviderService(db).FindProviders(actx, caunoi.ProviderFilter{Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
		if err != nil || len(ps) == 0 {
			t.Fatalf("%s: no provider in scope: %v", username, err)
		}
		a.in["providers"] = ps[0].ID
		for _, p := range ps {
			if actor.CanAt(caunoi.PermProviderWrite, p.OrgPath) {
				a.in["providers"] = p.ID
				break
			}
		}
	}
	moneyInScope(t, db, actor, actx, a.in)
	casesInScope(t, db, actx, actor, a.in)
	if actor.Can(caunoi.PermMonitorWrite) {
		tg := &caunoi.Target{OrgID: orgID, Indicator: "CONTACTS", Period: caunoi.CurrentPeriod(caunoi.PeriodYear, caunoi.Today()), Value: 100}
		ts := sqldb.NewTargetService(db)
		if err := ts.SetTarget(sys, tg); caunoi.ErrorCode(err) == caunoi.ECONFLICT {
			// Another user of the same organisation made it.
			list, _, err := ts.FindTargets(sys, caunoi.TargetFilter{OrgID: orgID})
			if err != nil || len(list) == 0 {
				t.Fatalf("targets: %v", err)
			}
			tg = list[0]
		} else if err != nil {
			t.Fatal(err)
		}
		a.in["targets"] = tg.ID
	}
	secret, _, err := users.CreateToken(actx, "kiểm tra", time.Now().Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	a.token = secret
	_, tok, err := users.CreateToken(actx, "để thu hồi", time.Now().Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	a.in["tokens"] = tok.ID
	_, tok, err = users.CreateToken(actx, "để thu hồi qua API", time.Now().Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	a.in["api_tokens"] = tok.ID
	return a
}

// buildOutside makes a second root organisation with a province, a group,
// a user with a token, a client and a contact.
func buildOutside(t *testing.T, db *sqldb.DB) outside {
	t.Helper()
	ctx := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
	orgs := sqldb.NewOrgService(db)
	root := &caunoi.Organisation{Kind: caunoi.OrgNational, Name: "Cây tổ chức khác"}
	prov := &caunoi.Organisation{Kind: caunoi.OrgProvince, Name: "Tỉnh ngoài phạm vi", AdminUnitCode: "01"}
	group := &caunoi.Organisation{Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupPeer, Name: "Nhóm ngoài phạm vi"}
	if err := orgs.CreateOrg(ctx, root); err != nil {
		t.Fatal(err)
	}
	prov.ParentID = root.ID
	if err := orgs.CreateOrg(ctx, prov); err != nil {
		t.Fatal(err)
	}
	group.ParentID = prov.ID
	if err := orgs.CreateOrg(ctx, group); err != nil {
		t.Fatal(err)
	}
	users := sqldb.NewUserService(db)
	u := &caunoi.User{Username: "nguoi.ngoai", DisplayName: "Người ngoài", Grants: []caunoi.Grant{{Role: caunoi.RolePeerEducator, OrgID: group.ID}}}
	if err := users.CreateUser(ctx, u, "mat-khau-ngoai-1"); err != nil {
		t.Fatal(err)
	}
	ua, _, err := users.Authenticate(context.Background(), "nguoi.ngoai", "mat-khau-ngoai-1")
	if err != nil {
		t.Fatal(err)
	}
	uctx := caunoi.NewContextWithActor(context.Background(), ua)
	_, tok, err := users.CreateToken(uctx, "ngoài", time.Now().Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	c := &caunoi.Client{OrgID: group.ID, Nickname: "Người ngoài", Sex: "female", Populations: []caunoi.Population{caunoi.PopSexWork}}
	if err := sqldb.NewClientService(db).CreateClient(uctx, c); err != nil {
		t.Fatal(err)
	}
	k := &caunoi.Contact{OrgID: group.ID, ClientID: c.ID, At: time.Now().Add(-time.Hour)}
	if err := sqldb.NewContactService(db).CreateContact(uctx, k); err != nil {
		t.Fatal(err)
	}
	p := &caunoi.Place{OrgID: group.ID, Kind: caunoi.PlaceEstablishment, Type: "karaoke", Name: "Karaoke ngoài phạm vi"}
	if err := sqldb.NewPlaceService(db).CreatePlace(uctx, p); err != nil {
		t.Fatal(err)
	}
	act := &caunoi.Activity{OrgID: group.ID, Kind: "group_meeting", HeldOn: caunoi.Date(caunoi.Today()), Title: "Sinh hoạt ngoài phạm vi", AnonFemale: 5}
	if err := sqldb.NewActivityService(db).CreateActivity(uctx, act); err != nil {
		t.Fatal(err)
	}
	consent := &caunoi.Consent{ClientID: c.ID, Purpose: "services", GivenOn: caunoi.Date(caunoi.Today())}
	if err := sqldb.NewClientService(db).RecordConsent(uctx, consent); err != nil {
		t.Fatal(err)
	}
	m := &caunoi.Membership{ClientID: c.ID, OrgID: group.ID, Role: "member", JoinedOn: caunoi.Date(caunoi.Today())}
	if err := sqldb.NewClientService(db).AddMembership(uctx, m); err != nil {
		t.Fatal(err)
	}
	tg := &caunoi.Target{OrgID: group.ID, Indicator: "CONTACTS", Period: caunoi.CurrentPeriod(caunoi.PeriodYear, caunoi.Today()), Value: 10}
	if err := sqldb.NewTargetService(db).SetTarget(ctx, tg); err != nil {
		t.Fatal(err)
	}
	ind := &caunoi.Indicator{Code: "OUTSIDE_SUM", NameVI: "Ngoài phạm vi", NameEN: "Outside", Unit: "contact", Count: caunoi.CountSum,
		Terms: []string{"CONTACTS", "CONTACTS_ZALO"}, OrgID: group.ID}
	if err := sqldb.NewIndicatorService(db).CreateIndicator(ctx, ind); err != nil {
		t.Fatal(err)
	}
	pr := &caunoi.Provider{OrgID: prov.ID, Kind: caunoi.ProviderSTIClinic, Name: "Phòng khám ngoài phạm vi", Services: []string{caunoi.ServiceSTIExam}}
	if err := sqldb.NewProviderService(db).CreateProvider(ctx, pr); err != nil {
		t.Fatal(err)
	}
	sv := &caunoi.Service{OrgID: group.ID, ClientID: c.ID, Kind: caunoi.ServiceCounselling, GivenOn: caunoi.Date(caunoi.Today())}
	if err := sqldb.NewServiceService(db).CreateService(uctx, sv); err != nil {
		t.Fatal(err)
	}
	ref := &caunoi.Referral{OrgID: group.ID, ClientID: c.ID, ProviderID: pr.ID, ServiceKind: caunoi.ServiceSTIExam, ReferredOn: caunoi.Date(caunoi.Today())}
	if err := sqldb.NewReferralService(db).CreateReferral(uctx, ref); err != nil {
		t.Fatal(err)
	}
	out := outside{org: group.ID, user: u.ID, client: c.ID, contact: k.ID, token: tok.ID, place: p.ID, activity: act.ID, consent: consent.ID, membership: m.ID,
		provider: pr.ID, service: sv.ID, referral: ref.ID, money: moneyOutside(t, db, root, prov, c, u.ID)}
	casesOutside(t, db, ctx, uctx, prov.ID, group.ID, c.ID, &out)
	out.target, out.indicator = tg.ID, ind.Code
	return out
}
