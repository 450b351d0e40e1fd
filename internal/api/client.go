package api

import (
	"net/http"

	"caunoi"
)

// ListClients answers GET
// /api/v1/clients?org_id=&population=&status=&q=&offset=&limit=: clients
// of org_id's subtree, of a population and status, whose nickname contains
// q or whose UIC is q.
func (a *API) ListClients(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.ClientFilter{
		OrgID:      q.Get("org_id"),
		Population: queryChoice(&v, q, "population", caunoi.Populations),
		Status:     queryChoice(&v, q, "status", caunoi.ClientStatuses),
		Query:      q.Get("q"),
		Page:       p,
	}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	clients, total, err := a.Clients.FindClients(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(clients, total, p))
}

// GetClient answers GET /api/v1/clients/{id} with the client's
// identifying fields, memberships, consents and status history; the read
// is written to the audit trail.
func (a *API) GetClient(w http.ResponseWriter, r *http.Request) {
	c, err := a.Clients.FindClientByID(r.Context(), r.PathValue("id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, c)
}

// CreateClientRequest is the body of POST /api/v1/clients. ID is optional:
// a client may send its own UUIDv7 so that a retry is applied once.
// LegalName, Phone and IDNumber are optional identifying fields: they are
// encrypted at rest and answered only by GET /api/v1/clients/{id}, never
// in a list.
type CreateClientRequest struct {
	ID          string              `json:"id,omitempty"`
	OrgID       string              `json:"org_id"`
	Nickname    string              `json:"nickname"`
	BirthYear   int                 `json:"birth_year,omitempty"`
	Sex         string              `json:"sex"`
	Populations []caunoi.Population `json:"populations"`
	UIC         string              `json:"uic,omitempty"`
	Residence   string              `json:"residence,omitempty"`
	Status      string              `json:"status,omitempty"`
	LegalName   string              `json:"legal_name,omitempty"`
	Phone       string              `json:"phone,omitempty"`
	IDNumber    string              `json:"id_number,omitempty"`
}

// CreateClient answers POST /api/v1/clients with 201 and the client.
func (a *API) CreateClient(w http.ResponseWriter, r *http.Request) {
	var req CreateClientRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	c := req.client()
	if err := a.Clients.CreateClient(r.Context(), c); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, c)
}

// client returns the client the request describes.
func (req CreateClientRequest) client() *caunoi.Client {
	return &caunoi.Client{ID: req.ID, OrgID: req.OrgID, Nickname: req.Nickname, BirthYear: req.BirthYear, Sex: req.Sex,
		Populations: req.Populations, UIC: req.UIC, Residence: req.Residence, Status: req.Status,
		LegalName: req.LegalName, Phone: req.Phone, IDNumber: req.IDNumber}
}

// UpdateClientRequest is the body of PATCH /api/v1/clients/{id}: the
// version read, and the fields to change. An empty LegalName, Phone or
// IDNumber erases that field. Status changes from today without a note;
// POST /api/v1/clients/{id}/status sets another day and a note.
type UpdateClientRequest struct {
	Version     int                  `json:"version"`
	Nickname    *string              `json:"nickname,omitempty"`
	BirthYear   *int                 `json:"birth_year,omitempty"`
	Sex         *string              `json:"sex,omitempty"`
	Populations *[]caunoi.Population `json:"populations,omitempty"`
	UIC         *string              `json:"uic,omitempty"`
	Residence   *string              `json:"residence,omitempty"`
	Status      *string              `json:"status,omitempty"`
	LegalName   *string              `json:"legal_name,omitempty"`
	Phone       *string              `json:"phone,omitempty"`
	IDNumber    *string              `json:"id_number,omitempty"`
}

// UpdateClient answers PATCH /api/v1/clients/{id}; 409 on a stale version.
func (a *API) UpdateClient(w http.ResponseWriter, r *http.Request) {
	var req UpdateClientRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	c, err := a.Clients.UpdateClient(r.Context(), r.PathValue("id"), req.update())
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, c)
}

// update returns the change the request describes.
func (req UpdateClientRequest) update() caunoi.ClientUpdate {
	return caunoi.ClientUpdate{Version: req.Version, Nickname: req.Nickname, BirthYear: req.BirthYear, Sex: req.Sex,
		Populations: req.Populations, UIC: req.UIC, Residence: req.Residence, Status: req.Status,
		LegalName: req.LegalName, Phone: req.Phone, IDNumber: req.IDNumber}
}

// VoidClient answers POST /api/v1/clients/{id}/void with {version, reason}.
func (a *API) VoidClient(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	c, err := a.Clients.VoidClient(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, c)
}
