package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"caunoi"
	"caunoi/internal/i18n"
)

// loginForm shows the sign-in page.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if caunoi.ActorFromContext(r.Context()) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	p := s.newPage(r, "page.login", nil)
	p.Form = r.URL.Query()
	s.render(w, r, http.StatusOK, "login", p)
}

// login checks the username and password, with rate limiting per username
// and per address, and starts a new session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	username := strings.ToLower(strings.TrimSpace(r.PostForm.Get("username")))
	p := s.newPage(r, "page.login", nil)
	ipKey, userKey := "ip:"+clientIP(r), "user:"+username
	if blocked, wait := s.logins.blocked(userKey); blocked {
		s.formError(w, r, "login", p, tooMany(wait))
		return
	}
	if blocked, wait := s.loginIPs.blocked(ipKey); blocked {
		s.formError(w, r, "login", p, tooMany(wait))
		return
	}
	a, epoch, err := s.Users.Authenticate(r.Context(), username, r.PostForm.Get("password"))
	if err != nil {
		if caunoi.ErrorCode(err) == caunoi.EUNAUTHORIZED {
			s.logins.fail(userKey)
			s.loginIPs.fail(ipKey)
			p.Error, _ = p.L.Error(err)
			p.Form = r.PostForm
			p.Form.Del("password")
			s.render(w, r, http.StatusUnauthorized, "login", p)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.logins.reset(userKey)
	ctx := r.Context()
	lang := s.Sessions.GetString(ctx, "lang")
	if err := s.Sessions.RenewToken(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	s.Sessions.Put(ctx, "uid", a.UserID)
	s.Sessions.Put(ctx, "epoch", epoch)
	if lang == "" {
		lang = a.Lang
	}
	s.Sessions.Put(ctx, "lang", lang)
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

// tooMany is the error of a blocked login.
func tooMany(wait time.Duration) error {
	return caunoi.Errorf(caunoi.ERATELIMIT, "err.login.rate_limited", map[string]any{"Minutes": int(wait.Minutes()) + 1})
}

// logout ends the session, and tells the browser to wipe what the offline
// capture kept (its cache of clients, drafts and kept pages; the page
// itself wipes them too, after warning of records not yet sent).
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Clear-Site-Data", `"cache", "storage"`)
	ctx := r.Context()
	lang := s.Sessions.GetString(ctx, "lang")
	if err := s.Sessions.Destroy(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	s.Sessions.Put(ctx, "lang", lang)
	s.redirect(w, r, "/login", "msg.logged_out")
}

// setLang switches the language of the interface.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.Sessions.Put(r.Context(), "lang", i18n.Lang(r.PostForm.Get("lang")))
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

// healthz answers the database kind and migration version.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	v, err := s.DB.MigrationVersion(ctx)
	status, body := http.StatusOK, map[string]any{"status": "ok", "database": s.DB.Dialect, "migration": v, "version": caunoi.Version}
	if err != nil {
		s.Log.Error("healthz", "err", err)
		status, body = http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "database": s.DB.Dialect}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// static serves the embedded static files; they change only with the
// binary, so they may be cached for a day, and for a year when asked for
// by their content hash (?v=, see assetURL).
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	cache := "public, max-age=86400"
	if v := r.URL.Query().Get("v"); v != "" && v == assetHashes()[strings.TrimPrefix(r.URL.Path, "/static/")] {
		cache = "public, max-age=31536000, immutable"
	}
	w.Header().Set("Cache-Control", cache)
	http.StripPrefix("/static/", http.FileServerFS(staticFS())).ServeHTTP(w, r)
}

// home shows what the signed-in user can do.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	a := caunoi.ActorFromContext(r.Context())
	type card struct{ Href, Title, Text string }
	var cards []card
	for _, m := range menu[1:] {
		if a.Can(m.perm) {
			cards = append(cards, card{Href: m.href, Title: m.key, Text: m.key + "_text"})
		}
	}
	s.render(w, r, http.StatusOK, "home", s.newPage(r, "page.home", cards))
}
