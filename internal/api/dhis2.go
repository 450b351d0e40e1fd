package api

import (
	"net/http"

	"caunoi"
)

// ListDHIS2Mappings answers GET /api/v1/dhis2/mappings.
func (a *API) ListDHIS2Mappings(w http.ResponseWriter, r *http.Request) {
	ms, err := a.DHIS2.FindDHIS2Mappings(r.Context())
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, ms)
}

// SetDHIS2Mapping answers POST /api/v1/dhis2/mappings with the mapping
// set (an empty dhis2_id removes it).
func (a *API) SetDHIS2Mapping(w http.ResponseWriter, r *http.Request) {
	var m caunoi.DHIS2Mapping
	if err := decode(w, r, &m); err != nil {
		a.WriteError(w, r, err)
		return
	}
	if err := a.DHIS2.SetDHIS2Mapping(r.Context(), &m); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, m)
}

// DHIS2DataValueSet answers GET
// /api/v1/dhis2/data-value-sets?org_id=&period=&indicators=: the
// dataValueSets document, or 422 naming what is missing.
func (a *API) DHIS2DataValueSet(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var v caunoi.Validator
	p := queryPeriod(&v, q)
	orgID := q.Get("org_id")
	v.Check(orgID != "", "org_id", "err.field.required", nil)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	set, err := a.DHIS2.ExportDHIS2(r.Context(), orgID, p, queryList(q.Get("indicators")))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, set)
}
