package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"caunoi"
	"caunoi/internal/api"
	"caunoi/internal/demo"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
	"caunoi/internal/web"
)

// client is a browser-like session against the server.
type client struct {
	t      *testing.T
	srv    *web.Server
	cookie string
	origin string
}

func (c *client) do(method, path, ctype string, body []byte, hdr ...string) *httptest.ResponseRecorder {
	c.t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.cookie != "" {
		req.Header.Set("Cookie", c.cookie)
	}
	if c.origin != "" {
		req.Header.Set("Origin", c.origin)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res := httptest.NewRecorder()
	c.srv.ServeHTTP(res, req)
	for _, ck := range res.Result().Cookies() {
		if ck.Name == "caunoi_session" {
			c.cookie = ck.Name + "=" + ck.Value
		}
	}
	return res
}

func (c *client) get(path string) *httptest.ResponseRecorder { return c.do("GET", path, "", nil) }

func (c *client) post(path string, form url.Values) *httptest.ResponseRecorder {
	return c.do("POST", path, "application/x-www-form-urlencoded", []byte(form.Encode()))
}

func (c *client) login(username, password string) *httptest.ResponseRecorder {
	return c.post("/login", url.Values{"username": {username}, "password": {password}})
}

func newDemoServer(t *testing.T, db *sqldb.DB, cfg web.Config) *web.Server {
	t.Helper()
	if _, err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	cfg.DB = db
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func TestPagesAndSessions(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		srv := newDemoServer(t, db, web.Config{})

		t.Run("security headers and cookie flags", func(t *testing.T) {
			c := &client{t: t, srv: srv}
			res := c.get("/login")
			h := res.Header()
			if !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") || strings.Contains(h.Get("Content-Security-Policy"), "unsafe-inline") {
				t.Errorf("CSP: %q", h.Get("Content-Security-Policy"))
			}
			for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Cache-Control": "no-store"} {
				if h.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, h.Get(k), v)
				}
			}
			res = c.login("songbien.dongdang", demo.Password)
			if res.Code != http.StatusSeeOther {
				t.Fatalf("login: %d", res.Code)
			}
			ck := res.Result().Cookies()[0]
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
				t.Errorf("cookie over plain HTTP: HttpOnly=%v SameSite=%v Secure=%v", ck.HttpOnly, ck.SameSite, ck.Secure)
			}
			tlsSrv, err := web.New(web.Config{DB: db, TLS: true})
			if err != nil {
				t.Fatal(err)
			}
			tc := &client{t: t, srv: tlsSrv}
			res = tc.login("songbien.dongdang", demo.Password)
			if ck := res.Result().Cookies()[0]; !ck.Secure {
				t.Error("cookie over TLS is not Secure")
			}
			if res.Header().Get("Strict-Transport-Security") == "" {
				t.Error("no HSTS over TLS")
			}
		})

		t.Run("wrong password, then rate limited", func(t *testing.T) {
			c := &client{t: t, srv: srv}
			for i := 0; i < 5; i++ {
				res := c.login("catba.dongdang", "sai-mat-khau")
				if res.Code != http.StatusUnauthorized || !strings.Contains(res.Body.String(), "Tên đăng nhập hoặc mật khẩu không đúng.") {
					t.Fatalf("attempt %d: %d", i+1, res.Code)
				}
			}
			// Even the right password is refused while blocked.
			res := c.login("catba.dongdang", demo.Password)
			if res.Code != http.StatusTooManyRequests || !strings.Contains(res.Body.String(), "Đăng nhập sai quá nhiều lần") {
				t.Fatalf("sixth attempt: %d", res.Code)
			}
			// Another user from the same address is not blocked.
			if res := (&client{t: t, srv: srv}).login("campha.dongdang", demo.Password); res.Code != http.StatusSeeOther {
				t.Errorf("another user: %d", res.Code)
			}
		})

		t.Run("home shows only what the role may do", func(t *testing.T) {
			for user, want := range map[string][]string{
				"cuc.canbo":         {"/orgs", "/admin-units"},
				"songbien.dongdang": {"/clients", "/contacts", "/orgs"},
				"admin":             {"/orgs", "/users", "/audit"},
				"quangninh.canbo":   {"/clients", "/users"},
			} {
				c := &client{t: t, srv: srv}
				c.login(user, demo.Password)
				body := c.get("/").Body.String()
				for _, href := range want {
					if !strings.Contains(body, `href="`+href+`"`) {
						t.Errorf("%s: home lacks %s", user, href)
					}
				}
				if user == "cuc.canbo" && strings.Contains(body, `href="/clients"`) {
					t.Errorf("national officer is offered clients")
				}
				if user == "songbien.dongdang" && strings.Contains(body, `href="/audit"`) {
					t.Errorf("peer educator is offered the audit trail")
				}
			}
		})

		t.Run("disabling a user ends their session", func(t *testing.T) {
			peer := &client{t: t, srv: srv}
			peer.login("uongbi.dongdang", demo.Password)
			if res := peer.get("/clients"); res.Code != http.StatusOK {
				t.Fatalf("before: %d", res.Code)
			}
			officer := &client{t: t, srv: srv}
			officer.login("quangninh.canbo", demo.Password)
			users := sqldb.NewUserService(db)
			ctx := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
			list, _, err := users.FindUsers(ctx, caunoi.UserFilter{Query: "uongbi.dongdang"})
			if err != nil || len(list) != 1 {
				t.Fatal(err)
			}
			u := list[0]
			res := officer.post("/users/"+u.ID, url.Values{"version": {strconv.Itoa(u.Version)}, "display_name": {u.DisplayName}, "lang": {"vi"}, "disabled": {"on"}})
			if res.Code != http.StatusSeeOther {
				t.Fatalf("disable: %d %s", res.Code, res.Body)
			}
			res = peer.get("/clients")
			if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/login") {
				t.Fatalf("after: %d", res.Code)
			}
			if res := peer.get("/login"); !strings.Contains(res.Body.String(), "Phiên đăng nhập đã hết hạn hoặc bị thu hồi") {
				t.Error("no message about the ended session")
			}
			if res := peer.login("uongbi.dongdang", demo.Password); res.Code != http.StatusUnauthorized {
				t.Errorf("a disabled user logged in: %d", res.Code)
			}
		})

		t.Run("language switch", func(t *testing.T) {
			c := &client{t: t, srv: srv}
			if !strings.Contains(c.get("/login").Body.String(), "Đăng nhập") {
				t.Fatal("not Vietnamese by default")
			}
			c.post("/lang", url.Values{"lang": {"en"}, "next": {"/login"}})
			if body := c.get("/login").Body.String(); !strings.Contains(body, "Sign in") || !strings.Contains(body, `lang="en"`) {
				t.Error("not English after switching")
			}
			c.login("halong.dongdang", demo.Password)
			if body := c.get("/").Body.String(); !strings.Contains(body, "Hello,") {
				t.Error("the choice did not survive the login")
			}
		})

		t.Run("cross-origin writes are refused", func(t *testing.T) {
			c := &client{t: t, srv: srv}
			c.login("admin", demo.Password)
			c.origin = "https://evil.example"
			res := c.post("/users", url.Values{"username": {"evil"}})
			if res.Code != http.StatusForbidden || !strings.Contains(res.Body.String(), "Yêu cầu từ trang web khác bị từ chối.") {
				t.Errorf("cross-origin POST: %d", res.Code)
			}
		})

		t.Run("bad input to the API", func(t *testing.T) {
			c := &client{t: t, srv: srv}
			c.login("songbien.truongnhom", demo.Password)
			for _, tc := range []struct {
				name, body string
				status     int
				code       string
			}{
				{"malformed", `{"nickname":`, 422, "invalid"},
				{"too large", `{"notes":"` + strings.Repeat("x", api.MaxBody) + `"}`, 413, "too_large"},
				{"invalid fields", `{"nickname":"","sex":"?","populations":[]}`, 422, "invalid"},
			} {
				res := c.do("POST", "/api/v1/clients", "application/json", []byte(tc.body), "Accept-Language", "en")
				var body api.ErrorBody
				if err := json.Unmarshal(res.Body.Bytes(), &body); err != nil {
					t.Fatalf("%s: %v %s", tc.name, err, res.Body)
				}
				if res.Code != tc.status || string(body.Error.Code) != tc.code || body.Error.Message == "" || strings.HasPrefix(body.Error.Message, "err.") {
					t.Errorf("%s: %d %+v", tc.name, res.Code, body)
				}
			}
		})

		t.Run("bad input to pages", func(t *testing.T) {
			c := &client{t: t, srv: srv}
			c.login("khanhhoa.canbo", demo.Password)
			big := url.Values{"name": {strings.Repeat("x", web.MaxFormBody)}}
			res := c.post("/orgs", big)
			if res.Code != http.StatusRequestEntityTooLarge || !strings.Contains(res.Body.String(), "Dữ liệu gửi lên quá lớn") {
				t.Errorf("oversized form: %d", res.Code)
			}
			// An invalid form is shown again with what to fix, and nothing is stored.
			orgs := sqldb.NewOrgService(db)
			sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
			_, before, _ := orgs.FindOrgs(sys, caunoi.OrgFilter{})
			kh, _, _ := orgs.FindOrgs(sys, caunoi.OrgFilter{Query: "Chi cục PCTNXH Khánh Hòa"})
			res = c.post("/orgs", url.Values{"parent_id": {kh[0].ID}, "kind": {"group"}, "name": {""}, "founded": {"31/02/2020"}})
			body := res.Body.String()
			if res.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "Ngày không hợp lệ") {
				t.Errorf("invalid form: %d", res.Code)
			}
			res = c.post("/orgs", url.Values{"parent_id": {kh[0].ID}, "kind": {"group"}, "name": {""}})
			if body := res.Body.String(); res.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "Không được để trống") || !strings.Contains(body, "Loại nhóm") {
				t.Errorf("invalid form: %d", res.Code)
			}
			if _, after, _ := orgs.FindOrgs(sys, caunoi.OrgFilter{}); after != before {
				t.Errorf("an invalid form stored something: %d → %d organisations", before, after)
			}
		})

		t.Run("healthz", func(t *testing.T) {
			res := (&client{t: t, srv: srv}).get("/healthz")
			var h struct {
				Status, Database string
				Migration        int
			}
			if err := json.Unmarshal(res.Body.Bytes(), &h); err != nil || h.Status != "ok" || h.Database != string(db.Dialect) || h.Migration < 1 {
				t.Errorf("healthz: %s %v", res.Body, err)
			}
		})

		t.Run("import communes: preview, confirm, keep good rows", func(t *testing.T) {
			c := &client{t: t, srv: srv}
			c.login("admin", demo.Password)
			csv := "code,name,level,parent_code,valid_from,valid_to,successor_code\n" +
				"31001,Phường Đồ Sơn,commune,31,2025-07-01,,\n" +
				"31002,Đặc khu Cát Hải,commune,31,01/07/2025,,\n" +
				"31003,Xã sai ngày,commune,31,2025-13-45,,\n" +
				"31004,Xã sai tỉnh,commune,99,2025-07-01,,\n"
			res := upload(c, csv)
			body := res.Body.String()
			if res.Code != http.StatusOK || !strings.Contains(body, "2 dòng lỗi") || !strings.Contains(body, "<td>4</td>") || !strings.Contains(body, "<td>5</td>") {
				t.Fatalf("preview: %d %s", res.Code, body)
			}
			units := sqldb.NewAdminUnitService(db)
			sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
			count := func() int {
				_, n, err := units.FindAdminUnits(sys, caunoi.AdminUnitFilter{Level: caunoi.LevelCommune})
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			if n := count(); n != 0 {
				t.Fatalf("the preview stored %d communes", n)
			}
			c.post("/admin-units/import", url.Values{"step": {"confirm"}})
			if n := count(); n != 0 {
				t.Fatalf("a file with bad rows was stored without keep_good: %d", n)
			}
			upload(c, csv)
			res = c.post("/admin-units/import", url.Values{"step": {"confirm"}, "keep_good": {"on"}})
			if n := count(); n != 2 || !strings.Contains(res.Body.String(), "Đã nhập 2") {
				t.Fatalf("keep good rows: %d communes, %s", n, res.Body)
			}
		})
	})
}

func upload(c *client, csv string) *httptest.ResponseRecorder {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("step", "preview")
	fw, _ := mw.CreateFormFile("file", "xa.csv")
	fw.Write([]byte(csv))
	mw.Close()
	return c.do("POST", "/admin-units/import", mw.FormDataContentType(), buf.Bytes())
}

// TestOpenAPIMatchesRoutes keeps the API document true: every API route is
// in it with its method, and it describes no route that does not exist.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	db := sqldbtest.MustOpen(t, sqldb.SQLite)
	srv, err := web.New(web.Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := api.OpenAPIPaths()
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string][]string{}
	for _, rt := range srv.Routes() {
		if rt.API() {
			routes[rt.Path] = append(routes[rt.Path], rt.Method)
		}
	}
	for path, methods := range routes {
		slices.Sort(methods)
		if !slices.Equal(doc[path], methods) {
			t.Errorf("%s: routes have %v, the document %v", path, methods, doc[path])
		}
	}
	for path := range doc {
		if _, ok := routes[path]; !ok {
			t.Errorf("the document describes %s, which is not a route", path)
		}
	}
}
