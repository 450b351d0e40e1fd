package api

import (
	"net/http"

	"caunoi"
)

// ListServices answers GET
// /api/v1/services?org_id=&client_id=&kind=&provider_id=&worker_id=&from=&to=&offset=&limit=:
// live services given to clients of org_id's subtree, newest first. from
// and to are days (yyyy-mm-dd), both included.
func (a *API) ListServices(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.ServiceFilter{
		OrgID:      q.Get("org_id"),
		ClientID:   q.Get("client_id"),
		Kind:       queryChoice(&v, q, "kind", caunoi.ServiceKinds),
		ProviderID: q.Get("provider_id"),
		WorkerID:   q.Get("worker_id"),
		From:       queryDate(&v, q, "from"),
		To:         queryDate(&v, q, "to"),
		Page:       p,
	}
	if f.To != nil {
		next := f.To.AddDate(0, 0, 1)
		f.To = &next
	}
	queryRange(&v, f.From, f.To)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	services, total, err := a.Services.FindServices(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(services, total, p))
}

// GetService answers GET /api/v1/services/{id}.
func (a *API) GetService(w http.ResponseWriter, r *http.Request) {
	s, err := a.Services.FindServiceByID(r.Context(), r.PathValue("id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, s)
}

// ServiceRequest holds a service's own fields in a body: those of POST
// /api/v1/services, and of the service received when a referral is
// reached. GivenOn is a day (yyyy-mm-dd).
type ServiceRequest struct {
	ID         string `json:"id,omitempty"`
	OrgID      string `json:"org_id,omitempty"`
	ClientID   string `json:"client_id,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Detail     string `json:"detail,omitempty"`
	Result     string `json:"result,omitempty"`
	Trade      string `json:"trade,omitempty"`
	Quantity   int    `json:"quantity,omitempty"`
	AmountVND  int64  `json:"amount_vnd,omitempty"`
	GivenOn    string `json:"given_on,omitempty"`
	ProviderID string `json:"provider_id,omitempty"`
	WorkerID   string `json:"worker_id,omitempty"`
	Notes      string `json:"notes,omitempty"`
}

// service makes the service of the request; the day is required unless
// optional (a referral's service takes the referral's day).
func (req ServiceRequest) service(v *caunoi.Validator, optional bool) *caunoi.Service {
	s := &caunoi.Service{ID: req.ID, OrgID: req.OrgID, ClientID: req.ClientID, Kind: req.Kind, Detail: req.Detail, Result: req.Result,
		Trade: req.Trade, Quantity: req.Quantity, AmountVND: req.AmountVND, ProviderID: req.ProviderID, WorkerID: req.WorkerID, Notes: req.Notes}
	if !optional || req.GivenOn != "" {
		s.GivenOn = caunoi.Date(bodyDay(v, "given_on", req.GivenOn))
	}
	return s
}

// CreateService answers POST /api/v1/services with 201 and the service.
// ID is optional: a client may send its own UUIDv7 so that a retry is
// applied once.
func (a *API) CreateService(w http.ResponseWriter, r *http.Request) {
	var req ServiceRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	s := req.service(&v, false)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	if err := a.Services.CreateService(r.Context(), s); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, s)
}

// UpdateServiceRequest is the body of PATCH /api/v1/services/{id}: the
// version read and the fields to change (a job's outcome after the
// follow-up, say). The kind and the client do not change.
type UpdateServiceRequest struct {
	Version    int     `json:"version"`
	Detail     *string `json:"detail,omitempty"`
	Result     *string `json:"result,omitempty"`
	Trade      *string `json:"trade,omitempty"`
	Quantity   *int    `json:"quantity,omitempty"`
	AmountVND  *int64  `json:"amount_vnd,omitempty"`
	GivenOn    *string `json:"given_on,omitempty"`
	ProviderID *string `json:"provider_id,omitempty"`
	Notes      *string `json:"notes,omitempty"`
}

// UpdateService answers PATCH /api/v1/services/{id}; 409 on a stale version.
func (a *API) UpdateService(w http.ResponseWriter, r *http.Request) {
	var req UpdateServiceRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	u := caunoi.ServiceUpdate{Version: req.Version, Detail: req.Detail, Result: req.Result, Trade: req.Trade, Quantity: req.Quantity,
		AmountVND: req.AmountVND, ProviderID: req.ProviderID, Notes: req.Notes}
	if req.GivenOn != nil {
		var v caunoi.Validator
		d := caunoi.Date(bodyDay(&v, "given_on", *req.GivenOn))
		if err := v.Err(); err != nil {
			a.WriteError(w, r, err)
			return
		}
		u.GivenOn = &d
	}
	s, err := a.Services.UpdateService(r.Context(), r.PathValue("id"), u)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, s)
}

// VoidService answers POST /api/v1/services/{id}/void with {version, reason}.
func (a *API) VoidService(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	s, err := a.Services.VoidService(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, s)
}
