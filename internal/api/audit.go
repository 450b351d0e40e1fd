package api

import (
	"net/http"

	"caunoi"
)

// ListAudit answers GET
// /api/v1/audit?actor_id=&entity=&entity_id=&action=&from=&to=&offset=&limit=,
// newest first. from and to are days (yyyy-mm-dd) in Vietnam's time zone;
// both are included.
func (a *API) ListAudit(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.AuditFilter{
		ActorID:  q.Get("actor_id"),
		Entity:   q.Get("entity"),
		EntityID: q.Get("entity_id"),
		Action:   q.Get("action"),
		From:     queryDay(&v, q, "from", false),
		To:       queryDay(&v, q, "to", true),
		Page:     p,
	}
	queryRange(&v, f.From, f.To)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	entries, total, err := a.Audit.FindAuditEntries(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(entries, total, p))
}
