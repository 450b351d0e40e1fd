package api

import (
	"net/http"

	"caunoi"
)

// ListReferrals answers GET
// /api/v1/referrals?org_id=&client_id=&provider_id=&service_kind=&status=&referred_by=&overdue=&from=&to=&offset=&limit=:
// live referrals of org_id's subtree, newest first; with overdue=true,
// those still referred after their due day, the longest overdue first.
// from and to are days of referral (yyyy-mm-dd), both included.
func (a *API) ListReferrals(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.ReferralFilter{
		OrgID:       q.Get("org_id"),
		ClientID:    q.Get("client_id"),
		ProviderID:  q.Get("provider_id"),
		ServiceKind: queryChoice(&v, q, "service_kind", caunoi.ServiceKinds),
		Status:      queryChoice(&v, q, "status", caunoi.ReferralStatuses),
		ReferredBy:  q.Get("referred_by"),
		From:        queryDate(&v, q, "from"),
		To:          queryDate(&v, q, "to"),
		Page:        p,
	}
	switch q.Get("overdue") {
	case "", "false":
	case "true":
		f.Overdue = true
	default:
		v.Add("overdue", "err.query.choice", nil)
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
	referrals, total, err := a.Referrals.FindReferrals(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(referrals, total, p))
}

// GetReferral answers GET /api/v1/referrals/{id}.
func (a *API) GetReferral(w http.ResponseWriter, r *http.Request) {
	ref, err := a.Referrals.FindReferralByID(r.Context(), r.PathValue("id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, ref)
}

// GetReferralSlip answers GET /api/v1/referrals/{id}/slip with what the
// printed slip shows: without the client's consent to share, the UIC and
// the referral's code only. It is an audited read of the client's record.
func (a *API) GetReferralSlip(w http.ResponseWriter, r *http.Request) {
	slip, err := a.Referrals.ReferralSlip(r.Context(), r.PathValue("id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, slip)
}

// CreateReferralRequest is the body of POST /api/v1/referrals. ID is
// optional: a client may send its own UUIDv7 so that a retry is applied
// once. Days are yyyy-mm-dd; due_on defaults to 14 days after referred_on.
type CreateReferralRequest struct {
	ID          string `json:"id,omitempty"`
	OrgID       string `json:"org_id"`
	ClientID    string `json:"client_id"`
	ProviderID  string `json:"provider_id"`
	ServiceKind string `json:"service_kind"`
	ReferredOn  string `json:"referred_on"`
	DueOn       string `json:"due_on,omitempty"`
	ReferredBy  string `json:"referred_by,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

// CreateReferral answers POST /api/v1/referrals with 201 and the referral.
func (a *API) CreateReferral(w http.ResponseWriter, r *http.Request) {
	var req CreateReferralRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	ref := &caunoi.Referral{ID: req.ID, OrgID: req.OrgID, ClientID: req.ClientID, ProviderID: req.ProviderID, ServiceKind: req.ServiceKind,
		ReferredBy: req.ReferredBy, Reason: req.Reason}
	ref.ReferredOn = caunoi.Date(bodyDay(&v, "referred_on", req.ReferredOn))
	if req.DueOn != "" {
		ref.DueOn = caunoi.Date(bodyDay(&v, "due_on", req.DueOn))
	}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	if err := a.Referrals.CreateReferral(r.Context(), ref); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, ref)
}

// TransitionReferralRequest is the body of POST
// /api/v1/referrals/{id}/status: the version read, the new status, the
// day of the outcome (yyyy-mm-dd) and a note. To mark a referral reached,
// name the service received (service_id) or record it (service: its
// client, kind and, by default, provider and day are the referral's).
type TransitionReferralRequest struct {
	Version   int             `json:"version"`
	Status    string          `json:"status"`
	ClosedOn  string          `json:"closed_on"`
	Outcome   string          `json:"outcome,omitempty"`
	ServiceID string          `json:"service_id,omitempty"`
	Service   *ServiceRequest `json:"service,omitempty"`
}

// TransitionReferral answers POST /api/v1/referrals/{id}/status with the
// referral; 422 on a move the state machine forbids, 409 on a stale version.
func (a *API) TransitionReferral(w http.ResponseWriter, r *http.Request) {
	var req TransitionReferralRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	t := caunoi.ReferralTransition{Version: req.Version, Status: req.Status, Outcome: req.Outcome, ServiceID: req.ServiceID}
	t.ClosedOn = caunoi.Date(bodyDay(&v, "closed_on", req.ClosedOn))
	if req.Service != nil {
		t.Service = req.Service.service(&v, true)
	}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	ref, err := a.Referrals.TransitionReferral(r.Context(), r.PathValue("id"), t)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, ref)
}

// VoidReferral answers POST /api/v1/referrals/{id}/void with {version, reason}.
func (a *API) VoidReferral(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	ref, err := a.Referrals.VoidReferral(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, ref)
}
