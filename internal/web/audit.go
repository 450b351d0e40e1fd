package web

import (
	"net/http"
	"time"

	"caunoi"
)

// auditData is what the audit page shows.
type auditData struct {
	Entries  []*caunoi.AuditEntry
	Pager    pager
	Actions  []string
	Entities []string
}

// auditList shows the audit trail, filtered by who, what, action and day.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	pg, n := pageOf(r)
	q := r.URL.Query()
	f := caunoi.AuditFilter{ActorID: q.Get("actor"), Entity: q.Get("entity"), EntityID: q.Get("entity_id"), Action: q.Get("action"), Page: pg}
	var v caunoi.Validator
	if d := q.Get("from"); d != "" {
		t, ok := caunoi.ParseDate(d)
		v.Check(ok, "from", "err.date.format", nil)
		from := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, caunoi.Zone)
		f.From = &from
	}
	if d := q.Get("to"); d != "" {
		t, ok := caunoi.ParseDate(d)
		v.Check(ok, "to", "err.date.format", nil)
		to := time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, caunoi.Zone)
		f.To = &to
	}
	d := &auditData{Actions: auditActions, Entities: auditEntities}
	p := s.newPage(r, "page.audit", d)
	p.Form = q
	if err := v.Err(); err != nil {
		p.Error, p.Fields = p.L.Error(err)
		s.render(w, r, http.StatusUnprocessableEntity, "audit", p)
		return
	}
	entries, total, err := s.Audit.FindAuditEntries(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Entries, d.Pager = entries, newPager(r, n, total)
	s.render(w, r, http.StatusOK, "audit", p)
}

var auditActions = []string{caunoi.ActionCreate, caunoi.ActionUpdate, caunoi.ActionVoid, caunoi.ActionRead, caunoi.ActionImport,
	caunoi.ActionLogin, caunoi.ActionGrant, caunoi.ActionRevoke, caunoi.ActionReencrypt}

var auditEntities = []string{"org", "user", "client", "contact", "admin_unit", "api_token", "session"}
