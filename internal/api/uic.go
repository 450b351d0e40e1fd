package api

import (
	"net/http"
	"strings"

	"caunoi"
)

// MatchUIC answers GET /api/v1/uic-matches?uic=… with a caunoi.UICMatch:
// the live clients in the actor's scope that have this UIC, and only the
// number of those elsewhere, in every province, never who they are.
func (a *API) MatchUIC(w http.ResponseWriter, r *http.Request) {
	uic := strings.TrimSpace(r.URL.Query().Get("uic"))
	if uic == "" {
		a.WriteError(w, r, caunoi.Invalid(caunoi.FieldError{Field: "uic", Key: "err.query.required"}))
		return
	}
	m, err := a.Clients.MatchUIC(r.Context(), uic)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	if m.InScope == nil {
		m.InScope = []*caunoi.Client{} // answered as [], not null
	}
	WriteJSON(w, http.StatusOK, m)
}

// UICResponse is the answer of POST /api/v1/uic: the code and the formula
// that made it, such as "M2F2Y4S1".
type UICResponse struct {
	UIC     string `json:"uic"`
	Formula string `json:"formula"`
}

// MakeUIC answers POST /api/v1/uic, whose body is a caunoi.UICFacts, with
// the UIC the deployment's formula makes of those facts. Nothing is
// stored, written to the audit trail or logged: the names serve to make
// the code and are forgotten. Only the facts the formula uses are needed;
// a missing or wrong one is answered 422 naming its field.
func (a *API) MakeUIC(w http.ResponseWriter, r *http.Request) {
	var facts caunoi.UICFacts
	if err := decode(w, r, &facts); err != nil {
		a.WriteError(w, r, err)
		return
	}
	uic, err := a.UIC.Make(facts)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, UICResponse{UIC: uic, Formula: a.UIC.String()})
}
