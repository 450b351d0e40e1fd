package web_test

import (
	"context"
	"encoding/json"
	"net/http"
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

func TestOfflineCapture(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		srv := newDemoServer(t, db, web.Config{})

		t.Run("the service worker, its precache and the manifest", func(t *testing.T) {
			c := &client{t: t, srv: srv}
			res := c.get("/sw.js")
			h := res.Header()
			if res.Code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") || h.Get("Cache-Control") != "no-cache" ||
				h.Get("Service-Worker-Allowed") != "/" || !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") {
				t.Fatalf("/sw.js: %d %v", res.Code, h)
			}
			if res.Header().Get("Set-Cookie") != "" {
				t.Error("/sw.js starts a session")
			}
			body := res.Body.String()
			m := regexp.MustCompile(`const PRECACHE = (\[.*\]);`).FindStringSubmatch(body)
			if m == nil || strings.Contains(body, "__VERSION__") || strings.Contains(body, "__PAGES__") {
				t.Fatalf("/sw.js was not filled in:\n%.400s", body)
			}
			var urls []string
			if err := json.Unmarshal([]byte(m[1]), &urls); err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{"/offline": false, "/manifest.webmanifest": false, "/static/js/field/app.js": false,
				"/static/vendor/idb/index.js": false, "/static/css/app.css": false, "/static/js/pwa.js": false}
			for _, u := range urls {
				if strings.Contains(u, "leaflet") {
					t.Errorf("the map is precached: %s", u)
				}
				base, hash, _ := strings.Cut(u, "?v=")
				if _, ok := want[base]; ok {
					want[base] = true
				}
				res := c.get(u)
				if res.Code != 200 {
					t.Errorf("precached %s answers %d", u, res.Code)
				}
				if strings.HasPrefix(u, "/static/") {
					if len(hash) != 12 || res.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
						t.Errorf("%s: not by content hash, or Cache-Control %q", u, res.Header().Get("Cache-Control"))
					}
				}
			}
			for u, found := range want {
				if !found {
					t.Errorf("%s is not precached", u)
				}
			}
			if cc := c.get("/static/css/app.css?v=000000000000").Header().Get("Cache-Control"); cc != "public, max-age=86400" {
				t.Errorf("a stale hash is cached as %q", cc)
			}

			res = c.get("/manifest.webmanifest")
			var man struct {
				Name     string `json:"name"`
				StartURL string `json:"start_url"`
				Display  string `json:"display"`
				Scope    string `json:"scope"`
				Icons    []struct{ Src, Sizes, Purpose string }
			}
			if res.Code != 200 || !strings.HasPrefix(res.Header().Get("Content-Type"), "application/manifest+json") {
				t.Fatalf("manifest: %d %s", res.Code, res.Header().Get("Content-Type"))
			}
			if err := json.Unmarshal(res.Body.Bytes(), &man); err != nil {
				t.Fatal(err)
			}
			sizes := map[string]bool{}
			for _, ic := range man.Icons {
				if r := c.get(ic.Src); r.Code != 200 || r.Header().Get("Content-Type") != "image/png" {
					t.Errorf("icon %s: %d %s", ic.Src, r.Code, r.Header().Get("Content-Type"))
				}
				sizes[ic.Sizes] = true
			}
			if man.Name != "Cầu Nối" || man.Display != "standalone" || man.Scope != "/" || !sizes["192x192"] || !sizes["512x512"] {
				t.Errorf("manifest = %+v", man)
			}
			if r := c.get(strings.TrimSuffix(man.StartURL, "/")); !isLoginRedirectTo(r, "/field") {
				t.Errorf("start_url %s without a session: %d %s", man.StartURL, r.Code, r.Header().Get("Location"))
			}
		})

		t.Run("pages link the manifest, hashed files and the worker's script, inline code none", func(t *testing.T) {
			c := &client{t: t, srv: srv}
			body := c.get("/login").Body.String()
			for _, want := range []string{`<link rel="manifest" href="/manifest.webmanifest">`, `/static/css/app.css?v=`, `<script type="module" src="/static/js/pwa.js?v=`} {
				if !strings.Contains(body, want) {
					t.Errorf("/login does not contain %s", want)
				}
			}
			if regexp.MustCompile(`<script(?:\s+type="module")?>`).MatchString(body) || strings.Contains(body, " onclick=") {
				t.Error("inline script on /login")
			}
		})

		t.Run("the offline page names nobody", func(t *testing.T) {
			c := &client{t: t, srv: srv}
			c.login("songbien.dongdang", demo.Password)
			body := c.get("/offline").Body.String()
			if !strings.Contains(body, `href="/field"`) || strings.Contains(body, "logout") || strings.Contains(body, `class="menu"`) {
				t.Fatalf("/offline, signed in:\n%.600s", body)
			}
		})

		t.Run("the capture page offers what the forms need, and no client", func(t *testing.T) {
			for _, user := range []string{"songbien.dongdang", "songbien.congtacvien", "songbien.truongnhom"} {
				c := &client{t: t, srv: srv}
				c.login(user, demo.Password)
				res := c.get("/field")
				body := res.Body.String()
				if res.Code != 200 {
					t.Fatalf("%s: /field %d", user, res.Code)
				}
				for _, want := range []string{`id="contact"`, `id="meeting"`, `id="client"`, `id="lookup"`, `data-uic-formula="M2F2Y4S1"`,
					`name="mother_name"`, `name="qty_condom"`, `/static/js/field/app.js?v=`, `data-m-pending="Đang chờ gửi: {n} bản ghi"`, `href="/field" aria-current="page"`} {
					if !strings.Contains(body, want) {
						t.Errorf("%s: /field lacks %s", user, want)
					}
				}
				if strings.Contains(body, "/clients/") {
					t.Errorf("%s: /field names a client", user)
				}
			}
			c := &client{t: t, srv: srv}
			c.login("quangninh.canbo", demo.Password)
			if res := c.get("/field"); res.Code != http.StatusForbidden {
				t.Errorf("a provincial officer records no contacts: /field %d", res.Code)
			}
		})

		t.Run("signing out tells the browser to wipe what it kept", func(t *testing.T) {
			c := &client{t: t, srv: srv}
			c.login("songbien.dongdang", demo.Password)
			res := c.post("/logout", nil)
			if res.Code != http.StatusSeeOther || res.Header().Get("Clear-Site-Data") != `"cache", "storage"` {
				t.Fatalf("logout: %d Clear-Site-Data %q", res.Code, res.Header().Get("Clear-Site-Data"))
			}
		})

		t.Run("a token or session that expired offline: nothing stored, then the same batch once", func(t *testing.T) {
			ctx := context.Background()
			users := sqldb.NewUserService(db)
			a, _, err := users.Authenticate(ctx, "songbien.congtacvien", demo.Password)
			if err != nil {
				t.Fatal(err)
			}
			actx := caunoi.NewContextWithActor(ctx, a)
			secret, _, err := users.CreateToken(actx, "điện thoại", time.Now().Add(24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			group := a.Grants[0].OrgID
			body := `{"ops":[{"op_id":"` + caunoi.NewID() + `","kind":"contact.create","data":{"org_id":"` + group +
				`","anon_sex":"female","anon_population":"sex_work","at":"` + time.Now().Add(-time.Hour).Format(time.RFC3339) + `","place":"Hết hạn"}}]}`
			count := func() int {
				_, n, err := sqldb.NewContactService(db).FindContacts(actx, caunoi.ContactFilter{WorkerID: a.UserID})
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			before := count()
			c := &client{t: t, srv: srv}
			send := func(hdr ...string) *http.Response {
				return c.do("POST", "/api/v1/sync", "application/json", []byte(body), hdr...).Result()
			}

			// The phone was offline for two days: the token expired.
			real := db.Now
			db.Now = func() time.Time { return real().Add(48 * time.Hour) }
			res := send("Authorization", "Bearer "+secret)
			db.Now = real
			if res.StatusCode != http.StatusUnauthorized || count() != before {
				t.Fatalf("expired token: %d, %d contacts stored", res.StatusCode, count()-before)
			}
			// A session that ended (signed out elsewhere, or expired).
			c.login("songbien.congtacvien", demo.Password)
			old := c.cookie
			c.post("/logout", nil)
			c.cookie = old
			if res := send(); res.StatusCode != http.StatusUnauthorized || count() != before {
				t.Fatalf("ended session: %d", res.StatusCode)
			}
			// Signed in again: the same batch is applied, once.
			c.cookie = ""
			c.login("songbien.congtacvien", demo.Password)
			for range 2 {
				res := send()
				var resp struct{ Accepted int }
				json.NewDecoder(res.Body).Decode(&resp)
				if res.StatusCode != 200 || resp.Accepted != 1 {
					t.Fatalf("after signing in again: %d %+v", res.StatusCode, resp)
				}
			}
			if count() != before+1 {
				t.Fatalf("%d contacts stored, want 1", count()-before)
			}
		})
	})
}

func isLoginRedirectTo(res interface{ Result() *http.Response }, next string) bool {
	r := res.Result()
	return r.StatusCode == http.StatusSeeOther && strings.HasPrefix(r.Header.Get("Location"), "/login?next="+strings.ReplaceAll(next, "/", "%2F"))
}
