package api

import (
	"net/http"

	"caunoi"
)

// Reintegration under /api/v1: residents of rehabilitation centres
// preparing to return, their influence maps, the handover to a club,
// follow-ups, relapses and the report's numbers.

// ListReintegrations answers GET /api/v1/reintegrations?org_id=&centre_id=
// &club_id=&client_id=&status=&offset=&limit= with the records of the
// actor's client.read scope, the soonest expected first, without their
// influence maps (mapped says how many people each names).
func (a *API) ListReintegrations(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.ReintegrationFilter{OrgID: q.Get("org_id"), CentreID: q.Get("centre_id"), ClubID: q.Get("club_id"), ClientID: q.Get("client_id"),
		Status: queryChoice(&v, q, "status", caunoi.ReintegrationStatuses), Page: p}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	items, total, err := a.Reintegrations.FindReintegrations(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(items, total, p))
}

// GetReintegration answers GET /api/v1/reintegrations/{id} with the record,
// its influence map and events; the read is audited.
func (a *API) GetReintegration(w http.ResponseWriter, r *http.Request) {
	ri, err := a.Reintegrations.FindReintegrationByID(r.Context(), r.PathValue("id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, ri)
}

// CreateReintegrationRequest is the body of POST /api/v1/reintegrations:
// the preparing organisation, the resident (a client), the centre (a
// provider of kind rehab_centre) and the expected day of return.
type CreateReintegrationRequest struct {
	ID         string `json:"id,omitempty"`
	OrgID      string `json:"org_id"`
	ClientID   string `json:"client_id"`
	CentreID   string `json:"centre_id"`
	ExpectedOn string `json:"expected_on"`
	Notes      string `json:"notes,omitempty"`
}

// CreateReintegration answers POST /api/v1/reintegrations with 201 and the
// record.
func (a *API) CreateReintegration(w http.ResponseWriter, r *http.Request) {
	var req CreateReintegrationRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	ri := &caunoi.Reintegration{ID: req.ID, OrgID: req.OrgID, ClientID: req.ClientID, CentreID: req.CentreID,
		ExpectedOn: hotlineReqDay(&v, "expected_on", req.ExpectedOn), Notes: req.Notes}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	if err := a.Reintegrations.CreateReintegration(r.Context(), ri); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, ri)
}

// UpdateReintegrationRequest is the body of PATCH /api/v1/reintegrations/{id}.
type UpdateReintegrationRequest struct {
	Version    int     `json:"version"`
	ExpectedOn string  `json:"expected_on,omitempty"`
	Notes      *string `json:"notes,omitempty"`
}

// UpdateReintegration answers PATCH /api/v1/reintegrations/{id} with the
// record.
func (a *API) UpdateReintegration(w http.ResponseWriter, r *http.Request) {
	var req UpdateReintegrationRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	u := caunoi.ReintegrationUpdate{Version: req.Version, ExpectedOn: hotlineOptDay(&v, "expected_on", req.ExpectedOn), Notes: req.Notes}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	ri, err := a.Reintegrations.UpdateReintegration(r.Context(), r.PathValue("id"), u)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, ri)
}

// InfluencePersonRequest is the body of POST
// /api/v1/reintegrations/{id}/people: a person of the influence map.
// Strength is 1 to 3 (default 2).
type InfluencePersonRequest struct {
	ID          string `json:"id,omitempty"`
	Name        string `json:"name"`
	Relation    string `json:"relation"`
	Influence   string `json:"influence"`
	Strength    int    `json:"strength,omitempty"`
	Contactable bool   `json:"contactable"`
	Notes       string `json:"notes,omitempty"`
}

// AddInfluencePerson answers POST /api/v1/reintegrations/{id}/people with
// 201 and the person.
func (a *API) AddInfluencePerson(w http.ResponseWriter, r *http.Request) {
	var req InfluencePersonRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	p := &caunoi.InfluencePerson{ID: req.ID, Name: req.Name, Relation: req.Relation, Influence: req.Influence, Strength: req.Strength,
		Contactable: req.Contactable, Notes: req.Notes}
	if err := a.Reintegrations.AddInfluencePerson(r.Context(), r.PathValue("id"), p); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, p)
}

// VoidInfluencePerson answers POST /api/v1/influence/{id}/void with the
// person taken off the map.
func (a *API) VoidInfluencePerson(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	p, err := a.Reintegrations.VoidInfluencePerson(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, p)
}

// ReturnRequest is the body of POST /api/v1/reintegrations/{id}/return:
// the day of the return and the club that received the returnee.
type ReturnRequest struct {
	Version    int    `json:"version"`
	ReturnedOn string `json:"returned_on"`
	ClubID     string `json:"club_id"`
	Note       string `json:"note,omitempty"`
}

// RecordReturn answers POST /api/v1/reintegrations/{id}/return with the
// record.
func (a *API) RecordReturn(w http.ResponseWriter, r *http.Request) {
	var req ReturnRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	h := caunoi.ReturnHandover{Version: req.Version, ReturnedOn: hotlineReqDay(&v, "returned_on", req.ReturnedOn), ClubID: req.ClubID, Note: req.Note}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	ri, err := a.Reintegrations.RecordReturn(r.Context(), r.PathValue("id"), h)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, ri)
}

// EventRequest is the body of POST /api/v1/reintegrations/{id}/follow-ups
// (with wellbeing) and /relapses (without).
type EventRequest struct {
	Version   int    `json:"version"`
	On        string `json:"on"`
	Wellbeing string `json:"wellbeing,omitempty"`
	Note      string `json:"note,omitempty"`
}

// recordEvent answers a follow-up or a relapse with the record.
func (a *API) recordEvent(w http.ResponseWriter, r *http.Request, kind string) {
	var req EventRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	e := caunoi.EventRecord{Version: req.Version, On: hotlineReqDay(&v, "on", req.On), Wellbeing: req.Wellbeing, Note: req.Note}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	ri, err := a.Reintegrations.RecordEvent(r.Context(), r.PathValue("id"), kind, e)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, ri)
}

// RecordReintegrationFollowUp answers POST
// /api/v1/reintegrations/{id}/follow-ups; 409 before the return.
func (a *API) RecordReintegrationFollowUp(w http.ResponseWriter, r *http.Request) {
	a.recordEvent(w, r, caunoi.EventFollowUp)
}

// RecordRelapse answers POST /api/v1/reintegrations/{id}/relapses; the
// client's status becomes relapsed in the same transaction.
func (a *API) RecordRelapse(w http.ResponseWriter, r *http.Request) {
	a.recordEvent(w, r, caunoi.EventRelapse)
}

// VoidReintegration answers POST /api/v1/reintegrations/{id}/void.
func (a *API) VoidReintegration(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	ri, err := a.Reintegrations.VoidReintegration(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, ri)
}

// ReintegrationStats answers GET /api/v1/reintegration-stats?org_id= with
// the report's numbers of the actor's report.read scope: residents
// prepared, mapped, received, followed up, relapsed.
func (a *API) ReintegrationStats(w http.ResponseWriter, r *http.Request) {
	st, err := a.Reintegrations.ReintegrationStats(r.Context(), r.URL.Query().Get("org_id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, st)
}
