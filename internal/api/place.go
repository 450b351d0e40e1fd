package api

import (
	"net/http"

	"caunoi"
)

// ListPlaces answers GET
// /api/v1/places?org_id=&kind=&type=&q=&offset=&limit=: live hotspots and
// establishments of org_id's subtree, of a kind and type, whose name
// contains q, by name.
func (a *API) ListPlaces(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.PlaceFilter{
		OrgID: q.Get("org_id"),
		Kind:  queryChoice(&v, q, "kind", caunoi.PlaceKinds),
		Type:  queryChoice(&v, q, "type", caunoi.PlaceTypes),
		Query: q.Get("q"),
		Page:  p,
	}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	places, total, err := a.Places.FindPlaces(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(places, total, p))
}

// GetPlace answers GET /api/v1/places/{id}.
func (a *API) GetPlace(w http.ResponseWriter, r *http.Request) {
	p, err := a.Places.FindPlaceByID(r.Context(), r.PathValue("id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, p)
}

// CreatePlaceRequest is the body of POST /api/v1/places. ID is optional: a
// client may send its own UUIDv7 so that a retry is applied once. Lat and
// Lng go together.
type CreatePlaceRequest struct {
	ID               string   `json:"id,omitempty"`
	OrgID            string   `json:"org_id"`
	Kind             string   `json:"kind"`
	Type             string   `json:"type"`
	Name             string   `json:"name"`
	Address          string   `json:"address,omitempty"`
	AdminUnitCode    string   `json:"admin_unit_code,omitempty"`
	Lat              *float64 `json:"lat,omitempty"`
	Lng              *float64 `json:"lng,omitempty"`
	EstimatedWorkers int      `json:"estimated_workers,omitempty"`
	Notes            string   `json:"notes,omitempty"`
}

// CreatePlace answers POST /api/v1/places with 201 and the place.
func (a *API) CreatePlace(w http.ResponseWriter, r *http.Request) {
	var req CreatePlaceRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	p := &caunoi.Place{ID: req.ID, OrgID: req.OrgID, Kind: req.Kind, Type: req.Type, Name: req.Name, Address: req.Address,
		AdminUnitCode: req.AdminUnitCode, Lat: req.Lat, Lng: req.Lng, EstimatedWorkers: req.EstimatedWorkers, Notes: req.Notes}
	if err := a.Places.CreatePlace(r.Context(), p); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, p)
}

// UpdatePlaceRequest is the body of PATCH /api/v1/places/{id}: the version
// read, and the fields to change. A place's kind does not change.
type UpdatePlaceRequest struct {
	Version          int      `json:"version"`
	Type             *string  `json:"type,omitempty"`
	Name             *string  `json:"name,omitempty"`
	Address          *string  `json:"address,omitempty"`
	AdminUnitCode    *string  `json:"admin_unit_code,omitempty"`
	Lat              *float64 `json:"lat,omitempty"`
	Lng              *float64 `json:"lng,omitempty"`
	EstimatedWorkers *int     `json:"estimated_workers,omitempty"`
	Notes            *string  `json:"notes,omitempty"`
}

// UpdatePlace answers PATCH /api/v1/places/{id}; 409 on a stale version.
func (a *API) UpdatePlace(w http.ResponseWriter, r *http.Request) {
	var req UpdatePlaceRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	p, err := a.Places.UpdatePlace(r.Context(), r.PathValue("id"), caunoi.PlaceUpdate{Version: req.Version, Type: req.Type, Name: req.Name,
		Address: req.Address, AdminUnitCode: req.AdminUnitCode, Lat: req.Lat, Lng: req.Lng, EstimatedWorkers: req.EstimatedWorkers, Notes: req.Notes})
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, p)
}

// VoidPlace answers POST /api/v1/places/{id}/void with {version, reason}.
func (a *API) VoidPlace(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	p, err := a.Places.VoidPlace(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, p)
}

// ListVisits answers GET
// /api/v1/visits?place_id=&worker_id=&from=&to=&offset=&limit=, newest
// first. from and to are days (yyyy-mm-dd) in Vietnam's time zone; both
// are included.
func (a *API) ListVisits(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.VisitFilter{
		PlaceID:  q.Get("place_id"),
		WorkerID: q.Get("worker_id"),
		From:     queryDay(&v, q, "from", false),
		To:       queryDay(&v, q, "to", true),
		Page:     p,
	}
	queryRange(&v, f.From, f.To)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	visits, total, err := a.Places.FindVisits(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(visits, total, p))
}

// RecordVisitRequest is the body of POST /api/v1/visits. ID is optional: a
// phone may send its own UUIDv7 so that a visit recorded offline and sent
// twice is applied once. VisitedOn is a day (yyyy-mm-dd). The worker is
// the actor.
type RecordVisitRequest struct {
	ID          string         `json:"id,omitempty"`
	PlaceID     string         `json:"place_id"`
	VisitedOn   string         `json:"visited_on"`
	Purposes    []string       `json:"purposes"`
	Commodities map[string]int `json:"commodities,omitempty"`
	Notes       string         `json:"notes,omitempty"`
}

// RecordVisit answers POST /api/v1/visits with 201 and the visit.
func (a *API) RecordVisit(w http.ResponseWriter, r *http.Request) {
	var req RecordVisitRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	on := bodyDay(&v, "visited_on", req.VisitedOn)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	vi := &caunoi.Visit{ID: req.ID, PlaceID: req.PlaceID, VisitedOn: caunoi.Date(on), Purposes: req.Purposes,
		Commodities: req.Commodities, Notes: req.Notes}
	if err := a.Places.RecordVisit(r.Context(), vi); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, vi)
}
