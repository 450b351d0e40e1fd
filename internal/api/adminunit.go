package api

import (
	"net/http"

	"caunoi"
)

// unitLevels are the levels a ?level= filter accepts.
var unitLevels = []string{caunoi.LevelProvince, caunoi.LevelCommune}

// ListAdminUnits answers GET
// /api/v1/admin-units?level=&parent_code=&q=&on=&offset=&limit=; on is a
// day (yyyy-mm-dd) on which the units must be in force.
func (a *API) ListAdminUnits(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.AdminUnitFilter{
		Level:      queryChoice(&v, q, "level", unitLevels),
		ParentCode: q.Get("parent_code"),
		Query:      q.Get("q"),
		On:         queryDate(&v, q, "on"),
		Page:       p,
	}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	units, total, err := a.Units.FindAdminUnits(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(units, total, p))
}

// GetAdminUnit answers GET /api/v1/admin-units/{code}.
func (a *API) GetAdminUnit(w http.ResponseWriter, r *http.Request) {
	u, err := a.Units.FindAdminUnitByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, u)
}
