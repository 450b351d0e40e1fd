package web

import (
	"net/http"

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
	from, to, err := fwMoments(q)
	f.From, f.To = from, to
	d := &auditData{Actions: auditActions, Entities: auditEntities}
	p := s.newPage(r, "page.audit", d)
	p.Form = q
	if err != nil {
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
