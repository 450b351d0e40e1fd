package api

import (
	"net/http"
	"strings"

	"caunoi"
)

// lookupKinds are the identifying fields a client can be looked up by.
var lookupKinds = []string{"phone", "id_number"}

// LookupClients answers GET /api/v1/clients/lookup?kind=phone|id_number&value=…
// with the clients in the actor's scope whose phone or identity number is
// exactly value, however it is written ("0912 345 678", "+84912345678").
// The match goes through a keyed blind index: nothing else about these
// fields can be searched, and the clients are answered without them. The
// list holds at most 50 clients, in one page.
func (a *API) LookupClients(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var v caunoi.Validator
	kind := queryChoice(&v, q, "kind", lookupKinds)
	v.Check(q.Get("kind") != "", "kind", "err.query.required", nil)
	value := strings.TrimSpace(q.Get("value"))
	v.Check(value != "", "value", "err.query.required", nil)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	clients, err := a.Clients.FindClientsByIdentifier(r.Context(), kind, value)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(clients, len(clients), caunoi.Page{Limit: len(clients)}))
}

// ChangeStatusRequest is the body of POST /api/v1/clients/{id}/status: the
// version read, the new status, the day it took effect (yyyy-mm-dd) and an
// optional note.
type ChangeStatusRequest struct {
	Version   int    `json:"version"`
	Status    string `json:"status"`
	ChangedOn string `json:"changed_on"`
	Note      string `json:"note,omitempty"`
}

// ChangeClientStatus answers POST /api/v1/clients/{id}/status with the
// client; the change is kept in the client's status history. 409 on a
// stale version.
func (a *API) ChangeClientStatus(w http.ResponseWriter, r *http.Request) {
	var req ChangeStatusRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	on := bodyDay(&v, "changed_on", req.ChangedOn)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	c, err := a.Clients.ChangeStatus(r.Context(), r.PathValue("id"), req.Version,
		caunoi.StatusChange{Status: req.Status, ChangedOn: caunoi.Date(on), Note: req.Note})
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, c)
}

// RecordConsentRequest is the body of POST /api/v1/clients/{id}/consents.
// ID is optional: a client may send its own UUIDv7 so that a retry is
// applied once. GivenOn is the day the client agreed (yyyy-mm-dd).
type RecordConsentRequest struct {
	ID      string `json:"id,omitempty"`
	Purpose string `json:"purpose"`
	GivenOn string `json:"given_on"`
}

// RecordConsent answers POST /api/v1/clients/{id}/consents with 201 and
// the consent; 409 when the client already consents to the purpose.
func (a *API) RecordConsent(w http.ResponseWriter, r *http.Request) {
	var req RecordConsentRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	given := bodyDay(&v, "given_on", req.GivenOn)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	c := &caunoi.Consent{ID: req.ID, ClientID: r.PathValue("id"), Purpose: req.Purpose, GivenOn: caunoi.Date(given)}
	if err := a.Clients.RecordConsent(r.Context(), c); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, c)
}

// WithdrawConsentRequest is the body of POST
// /api/v1/consents/{id}/withdraw: the day the client withdrew the consent
// (yyyy-mm-dd).
type WithdrawConsentRequest struct {
	WithdrawnOn string `json:"withdrawn_on"`
}

// WithdrawConsent answers POST /api/v1/consents/{id}/withdraw with the
// consent; 409 when it is already withdrawn.
func (a *API) WithdrawConsent(w http.ResponseWriter, r *http.Request) {
	var req WithdrawConsentRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	on := bodyDay(&v, "withdrawn_on", req.WithdrawnOn)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	c, err := a.Clients.WithdrawConsent(r.Context(), r.PathValue("id"), on)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, c)
}

// AddMembershipRequest is the body of POST
// /api/v1/clients/{id}/memberships. ID is optional: a client may send its
// own UUIDv7 so that a retry is applied once. OrgID is a group; JoinedOn
// the day the client joined (yyyy-mm-dd).
type AddMembershipRequest struct {
	ID       string `json:"id,omitempty"`
	OrgID    string `json:"org_id"`
	Role     string `json:"role"`
	JoinedOn string `json:"joined_on"`
}

// AddMembership answers POST /api/v1/clients/{id}/memberships with 201
// and the membership; 409 when the client is already a member of the
// group.
func (a *API) AddMembership(w http.ResponseWriter, r *http.Request) {
	var req AddMembershipRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	joined := bodyDay(&v, "joined_on", req.JoinedOn)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	m := &caunoi.Membership{ID: req.ID, ClientID: r.PathValue("id"), OrgID: req.OrgID, Role: req.Role, JoinedOn: caunoi.Date(joined)}
	if err := a.Clients.AddMembership(r.Context(), m); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, m)
}

// EndMembershipRequest is the body of POST /api/v1/memberships/{id}/end:
// the day the member left (yyyy-mm-dd).
type EndMembershipRequest struct {
	LeftOn string `json:"left_on"`
}

// EndMembership answers POST /api/v1/memberships/{id}/end with the
// membership; 409 when it has already ended.
func (a *API) EndMembership(w http.ResponseWriter, r *http.Request) {
	var req EndMembershipRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	on := bodyDay(&v, "left_on", req.LeftOn)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	m, err := a.Clients.EndMembership(r.Context(), r.PathValue("id"), on)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, m)
}
