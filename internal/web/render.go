package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"caunoi"
	"caunoi/internal/httperr"
	"caunoi/internal/i18n"
)

// page is what every template receives.
type page struct {
	L      *i18n.Localizer
	Actor  *caunoi.Actor
	Title  string // catalogue key
	Flash  string // translated
	Error  string // translated
	Fields map[string]string
	Form   url.Values
	Nav    []navItem
	Path   string
	Data   any
}

// navItem is a link of the menu, shown only to those who may follow it.
type navItem struct {
	Href, Key string
	Active    bool
}

// menu lists the menu with the permission each entry needs.
var menu = []struct {
	href, key string
	perm      caunoi.Permission
}{
	{"/", "nav.home", ""},
	{"/field", "nav.field", caunoi.PermContactWrite},
	{"/clients", "nav.clients", caunoi.PermClientRead},
	{"/contacts", "nav.contacts", caunoi.PermClientRead},
	{"/activities", "nav.activities", caunoi.PermClientRead},
	{"/places", "nav.places", caunoi.PermClientRead},
	{"/services", "nav.services", caunoi.PermClientRead},
	{"/referrals", "nav.referrals", caunoi.PermClientRead},
	{"/providers", "nav.providers", caunoi.PermProviderRead},
	{"/funds", "nav.funds", caunoi.PermFundRead},
	{"/budgets", "nav.budgets", caunoi.PermBudgetRead},
	{"/cases", "nav.cases", caunoi.PermCaseRead},
	{"/shelters", "nav.shelters", caunoi.PermProviderRead},
	{"/reintegration", "nav.reintegration", caunoi.PermClientRead},
	{"/dashboard", "nav.dashboard", caunoi.PermReportRead},
	{"/reports", "nav.reports", caunoi.PermReportRead},
	{"/map", "nav.map", caunoi.PermReportRead},
	{"/orgs", "nav.orgs", caunoi.PermOrgRead},
	{"/users", "nav.users", caunoi.PermUserRead},
	{"/admin-units", "nav.admin_units", caunoi.PermUnitRead},
	{"/audit", "nav.audit", caunoi.PermAuditRead},
	{"/account", "nav.account", caunoi.PermTokenOwn},
}

func (s *Server) nav(r *http.Request, a *caunoi.Actor) []navItem {
	if a == nil {
		return nil
	}
	var items []navItem
	for _, m := range menu {
		if m.perm != "" && !a.Can(m.perm) {
			continue
		}
		active := r.URL.Path == m.href || (m.href != "/" && strings.HasPrefix(r.URL.Path, m.href))
		items = append(items, navItem{Href: m.href, Key: m.key, Active: active})
	}
	return items
}

var funcs = template.FuncMap{
	"can":    func(a *caunoi.Actor, p string) bool { return a.Can(caunoi.Permission(p)) },
	"deref":  func(t *time.Time) time.Time { return derefTime(t) },
	"string": func(v any) string { return fmt.Sprint(v) },
	"int64":  func(n int) int64 { return int64(n) },
	"fval":   func(f *float64) float64 { return derefFloat(f) },
	"asset":  assetURL,
	"dict":   dict,
}

// dict makes a map of name, value pairs, to pass several values to a
// template: {{template "x" (dict "L" $.L "Orgs" .Orgs)}}.
func dict(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			m[k] = kv[i+1]
		}
	}
	return m
}

func derefFloat(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// parseTemplates parses each page with the layout.
func (s *Server) parseTemplates() error {
	s.pages = map[string]*template.Template{}
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return err
	}
	for _, n := range names {
		base := strings.TrimPrefix(n, "templates/")
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New("").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/_*.html", n)
		if err != nil {
			return fmt.Errorf("template %s: %w", base, err)
		}
		s.pages[strings.TrimSuffix(base, ".html")] = t
	}
	return nil
}

// newPage fills the common part of a page.
func (s *Server) newPage(r *http.Request, title string, data any) *page {
	a := caunoi.ActorFromContext(r.Context())
	l := s.localizer(r)
	p := &page{L: l, Actor: a, Title: title, Nav: s.nav(r, a), Path: r.URL.Path, Data: data}
	if f := s.Sessions.PopString(r.Context(), "flash"); f != "" {
		p.Flash = l.T(f)
	}
	return p
}

// render writes a page with the status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := s.pages[name]
	if !ok {
		s.fail(w, r, fmt.Errorf("render: no template %q", name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.Log.Error("render", "template", name, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// fail answers an error: JSON under /api/, else the error page, with the
// status of package httperr and a translated message.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		return // the client went away: nobody is left to answer, nothing to log
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.API.WriteError(w, r, err)
		return
	}
	status := httperr.Status(err)
	if status == http.StatusInternalServerError {
		s.Log.Error("page", "route", r.Pattern, "err", err)
	}
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	p := s.newPage(r, "page.error", nil)
	p.Error, p.Fields = p.L.Error(err)
	p.Data = status
	s.render(w, r, status, "error", p)
}

// formError re-renders a form with the error's messages, or fails.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, name string, p *page, err error) {
	switch caunoi.ErrorCode(err) {
	case caunoi.EINVALID, caunoi.ECONFLICT:
		p.Error, p.Fields = p.L.Error(err)
		p.Form = r.PostForm
		s.render(w, r, httperr.Status(err), name, p)
	default:
		s.fail(w, r, err)
	}
}

// flash stores a message key shown on the next page, and redirects there.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flashKey string) {
	if flashKey != "" {
		s.Sessions.Put(r.Context(), "flash", flashKey)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// parseForm reads a posted form; a body over the limit is ETOOLARGE.
func parseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return caunoi.Errorf(caunoi.ETOOLARGE, "err.body.too_large", map[string]any{"Max": "10 MB"})
		}
		return caunoi.Errorf(caunoi.EINVALID, "err.form.unreadable", nil)
	}
	return nil
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext returns a local path to go to after login, or "/".
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}
