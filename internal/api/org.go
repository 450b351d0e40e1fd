package api

import (
	"net/http"

	"caunoi"
)

// ListOrgs answers GET /api/v1/orgs?parent_id=&kind=&q=&offset=&limit=.
func (a *API) ListOrgs(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	orgs, total, err := a.Orgs.FindOrgs(r.Context(), caunoi.OrgFilter{ParentID: q.Get("parent_id"), Kind: caunoi.OrgKind(q.Get("kind")), Query: q.Get("q"), Page: p})
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(orgs, total, p))
}

// GetOrg answers GET /api/v1/orgs/{id}.
func (a *API) GetOrg(w http.ResponseWriter, r *http.Request) {
	o, err := a.Orgs.FindOrgByID(r.Context(), r.PathValue("id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, o)
}

// CreateOrgRequest is the body of POST /api/v1/orgs. ID is optional: a
// client may send its own UUIDv7 so that a retry is applied once.
type CreateOrgRequest struct {
	ID            string           `json:"id,omitempty"`
	ParentID      string           `json:"parent_id"`
	Kind          caunoi.OrgKind   `json:"kind"`
	GroupKind     caunoi.GroupKind `json:"group_kind,omitempty"`
	Name          string           `json:"name"`
	AdminUnitCode string           `json:"admin_unit_code,omitempty"`
	Models        []caunoi.Model   `json:"models,omitempty"`
	Founded       *caunoi.Date     `json:"founded,omitempty"`
}

// CreateOrg answers POST /api/v1/orgs with 201 and the organisation.
func (a *API) CreateOrg(w http.ResponseWriter, r *http.Request) {
	var req CreateOrgRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	if req.Models == nil {
		req.Models = []caunoi.Model{} // answered as [], as a read answers it, not null
	}
	o := &caunoi.Organisation{ID: req.ID, ParentID: req.ParentID, Kind: req.Kind, GroupKind: req.GroupKind, Name: req.Name,
		AdminUnitCode: req.AdminUnitCode, Models: req.Models, Founded: req.Founded.Time()}
	if err := a.Orgs.CreateOrg(r.Context(), o); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, o)
}

// UpdateOrgRequest is the body of PATCH /api/v1/orgs/{id}: the version
// read, and the fields to change.
type UpdateOrgRequest struct {
	Version       int               `json:"version"`
	Name          *string           `json:"name,omitempty"`
	GroupKind     *caunoi.GroupKind `json:"group_kind,omitempty"`
	AdminUnitCode *string           `json:"admin_unit_code,omitempty"`
	Models        *[]caunoi.Model   `json:"models,omitempty"`
	Founded       *caunoi.Date      `json:"founded,omitempty"`
}

// UpdateOrg answers PATCH /api/v1/orgs/{id}; 409 on a stale version.
func (a *API) UpdateOrg(w http.ResponseWriter, r *http.Request) {
	var req UpdateOrgRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	o, err := a.Orgs.UpdateOrg(r.Context(), r.PathValue("id"), caunoi.OrgUpdate{Version: req.Version, Name: req.Name, GroupKind: req.GroupKind,
		AdminUnitCode: req.AdminUnitCode, Models: req.Models, Founded: req.Founded.Time()})
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, o)
}

// VoidOrg answers POST /api/v1/orgs/{id}/void with {version, reason}.
func (a *API) VoidOrg(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	o, err := a.Orgs.VoidOrg(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, o)
}
