package api

import (
	"net/http"

	"caunoi"
)

// ListProviders answers GET
// /api/v1/providers?org_id=&kind=&service=&admin_unit_code=&friendly=&q=&offset=&limit=:
// the live providers of the directory the caller's organisations share
// (kept by them, above them or below them), by name. org_id narrows to
// those shared with one organisation; service to those offering a service
// kind; friendly=true to those marked friendly.
func (a *API) ListProviders(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.ProviderFilter{
		OrgID:         q.Get("org_id"),
		Kind:          queryChoice(&v, q, "kind", caunoi.ProviderKinds),
		Service:       queryChoice(&v, q, "service", caunoi.ServiceKinds),
		AdminUnitCode: q.Get("admin_unit_code"),
		Query:         q.Get("q"),
		Page:          p,
	}
	switch q.Get("friendly") {
	case "", "false":
	case "true":
		f.Friendly = true
	default:
		v.Add("friendly", "err.query.choice", nil)
	}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	providers, total, err := a.Providers.FindProviders(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(providers, total, p))
}

// GetProvider answers GET /api/v1/providers/{id}.
func (a *API) GetProvider(w http.ResponseWriter, r *http.Request) {
	p, err := a.Providers.FindProviderByID(r.Context(), r.PathValue("id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, p)
}

// CreateProviderRequest is the body of POST /api/v1/providers. ID is
// optional: a client may send its own UUIDv7 so that a retry is applied
// once. Services are service kinds; Lat and Lng go together.
type CreateProviderRequest struct {
	ID            string   `json:"id,omitempty"`
	OrgID         string   `json:"org_id"`
	Kind          string   `json:"kind"`
	Name          string   `json:"name"`
	Services      []string `json:"services"`
	Address       string   `json:"address,omitempty"`
	AdminUnitCode string   `json:"admin_unit_code,omitempty"`
	Lat           *float64 `json:"lat,omitempty"`
	Lng           *float64 `json:"lng,omitempty"`
	Contact       string   `json:"contact,omitempty"`
	OpeningHours  string   `json:"opening_hours,omitempty"`
	Friendly      bool     `json:"friendly,omitempty"`
	Notes         string   `json:"notes,omitempty"`
}

// CreateProvider answers POST /api/v1/providers with 201 and the provider.
func (a *API) CreateProvider(w http.ResponseWriter, r *http.Request) {
	var req CreateProviderRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	p := &caunoi.Provider{ID: req.ID, OrgID: req.OrgID, Kind: req.Kind, Name: req.Name, Services: req.Services, Address: req.Address,
		AdminUnitCode: req.AdminUnitCode, Lat: req.Lat, Lng: req.Lng, Contact: req.Contact, OpeningHours: req.OpeningHours,
		Friendly: req.Friendly, Notes: req.Notes}
	if err := a.Providers.CreateProvider(r.Context(), p); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, p)
}

// UpdateProvider answers PATCH /api/v1/providers/{id} with a
// caunoi.ProviderUpdate; 409 on a stale version.
func (a *API) UpdateProvider(w http.ResponseWriter, r *http.Request) {
	var req caunoi.ProviderUpdate
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	p, err := a.Providers.UpdateProvider(r.Context(), r.PathValue("id"), req)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, p)
}

// VoidProvider answers POST /api/v1/providers/{id}/void with {version, reason}.
func (a *API) VoidProvider(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	p, err := a.Providers.VoidProvider(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, p)
}
