package api

import (
	"net/http"

	"caunoi"
)

// Shelters under /api/v1: shelters of the directory with their beds and
// occupancy, beds, and stays (admissions and discharges).

// ListShelters answers GET /api/v1/shelters?org_id=&offset=&limit= with
// the shelters the actor sees, their beds and occupancy now.
func (a *API) ListShelters(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	shelters, total, err := a.Shelters.FindShelters(r.Context(), caunoi.ShelterFilter{OrgID: r.URL.Query().Get("org_id"), Page: p})
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(shelters, total, p))
}

// GetShelter answers GET /api/v1/shelters/{id} with the shelter (a
// provider of kind shelter), its beds and occupancy now.
func (a *API) GetShelter(w http.ResponseWriter, r *http.Request) {
	sh, err := a.Shelters.FindShelterByID(r.Context(), r.PathValue("id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, sh)
}

// Occupancy is the answer of GET /api/v1/shelters/{id}/occupancy.
type Occupancy struct {
	ProviderID string                `json:"provider_id"`
	Days       []caunoi.OccupancyDay `json:"days"`
}

// GetOccupancy answers GET /api/v1/shelters/{id}/occupancy?from=&to= with
// the beds in use and the beds there were each night, both days included
// (default: the last 30 days), counting every stay without naming anyone.
func (a *API) GetOccupancy(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var v caunoi.Validator
	from, to := queryDate(&v, q, "from"), queryDate(&v, q, "to")
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	end := caunoi.Today()
	if to != nil {
		end = *to
	}
	start := end.AddDate(0, 0, -29)
	if from != nil {
		start = *from
	}
	days, err := a.Shelters.Occupancy(r.Context(), r.PathValue("id"), start, end)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, Occupancy{ProviderID: r.PathValue("id"), Days: days})
}

// AddBedRequest is the body of POST /api/v1/shelters/{id}/beds. InUseFrom,
// a day, is the first night in use (default today).
type AddBedRequest struct {
	ID        string `json:"id,omitempty"`
	Label     string `json:"label"`
	InUseFrom string `json:"in_use_from,omitempty"`
	Notes     string `json:"notes,omitempty"`
}

// AddBed answers POST /api/v1/shelters/{id}/beds with 201 and the bed.
func (a *API) AddBed(w http.ResponseWriter, r *http.Request) {
	var req AddBedRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	b := &caunoi.ShelterBed{ID: req.ID, ProviderID: r.PathValue("id"), Label: req.Label, Notes: req.Notes}
	if d := hotlineOptDay(&v, "in_use_from", req.InUseFrom); d != nil {
		b.InUseFrom = *d
	}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	if err := a.Shelters.AddBed(r.Context(), b); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, b)
}

// VoidBed answers POST /api/v1/beds/{id}/void with the bed retired; an
// occupied bed is 409.
func (a *API) VoidBed(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	b, err := a.Shelters.VoidBed(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, b)
}

// ListStays answers GET /api/v1/stays?org_id=&provider_id=&client_id=
// &case_id=&open=&offset=&limit= with the stays of the actor's case.read
// scope, the latest admission first.
func (a *API) ListStays(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.StayFilter{OrgID: q.Get("org_id"), ProviderID: q.Get("provider_id"), ClientID: q.Get("client_id"), CaseID: q.Get("case_id"),
		Open: queryChoice(&v, q, "open", []string{"true", "false"}) == "true", Page: p}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	stays, total, err := a.Shelters.FindStays(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(stays, total, p))
}

// AdmitRequest is the body of POST /api/v1/stays: the admitting
// organisation, the shelter and a free bed of it, the client or the
// hotline case (or both), the day, the planned end (default five days
// later) and the reason.
type AdmitRequest struct {
	ID         string `json:"id,omitempty"`
	OrgID      string `json:"org_id"`
	ProviderID string `json:"provider_id"`
	BedID      string `json:"bed_id"`
	ClientID   string `json:"client_id,omitempty"`
	CaseID     string `json:"case_id,omitempty"`
	AdmittedOn string `json:"admitted_on"`
	ExpectedOn string `json:"expected_on,omitempty"`
	Reason     string `json:"reason"`
}

// Admit answers POST /api/v1/stays with 201 and the stay; a bed taken is
// 409 with error.fields.bed_id, however close the other admission came.
func (a *API) Admit(w http.ResponseWriter, r *http.Request) {
	var req AdmitRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	s := &caunoi.ShelterStay{ID: req.ID, OrgID: req.OrgID, ProviderID: req.ProviderID, BedID: req.BedID, ClientID: req.ClientID, CaseID: req.CaseID,
		AdmittedOn: hotlineReqDay(&v, "admitted_on", req.AdmittedOn), Reason: req.Reason}
	if d := hotlineOptDay(&v, "expected_on", req.ExpectedOn); d != nil {
		s.ExpectedOn = *d
	}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	if err := a.Shelters.Admit(r.Context(), s); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, s)
}

// DischargeRequest is the body of POST /api/v1/stays/{id}/discharge.
type DischargeRequest struct {
	Version      int    `json:"version"`
	DischargedOn string `json:"discharged_on"`
	Reason       string `json:"reason"`
}

// Discharge answers POST /api/v1/stays/{id}/discharge with the stay; a
// discharge before the admission is 422.
func (a *API) Discharge(w http.ResponseWriter, r *http.Request) {
	var req DischargeRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	d := caunoi.StayDischarge{Version: req.Version, DischargedOn: hotlineReqDay(&v, "discharged_on", req.DischargedOn), Reason: req.Reason}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	s, err := a.Shelters.Discharge(r.Context(), r.PathValue("id"), d)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, s)
}

// VoidStay answers POST /api/v1/stays/{id}/void with {version, reason}.
func (a *API) VoidStay(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	s, err := a.Shelters.VoidStay(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, s)
}
