package api

import (
	"net/http"

	"caunoi"
)

// ActivitySummary is an activity as a list answers it: how many clients
// attended by name, not who they are. GET /api/v1/activities/{id} names
// them.
type ActivitySummary struct {
	*caunoi.Activity
	// Attendees hides the activity's own list, which a list answer leaves
	// out: it stays nil.
	Attendees []string `json:"attendees,omitempty"`
	// AttendeeCount is the number of clients who attended by name.
	AttendeeCount int `json:"attendee_count"`
}

// ListActivities answers GET
// /api/v1/activities?org_id=&kind=&client_id=&from=&to=&offset=&limit=,
// newest first: live activities of org_id's subtree, of a kind, that
// client_id attended. from and to are days (yyyy-mm-dd); both are
// included. Each item is an ActivitySummary.
func (a *API) ListActivities(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.ActivityFilter{
		OrgID:    q.Get("org_id"),
		Kind:     queryChoice(&v, q, "kind", caunoi.ActivityKinds),
		ClientID: q.Get("client_id"),
		From:     queryDay(&v, q, "from", false),
		To:       queryDay(&v, q, "to", true),
		Page:     p,
	}
	queryRange(&v, f.From, f.To)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	activities, total, err := a.Activities.FindActivities(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	out := make([]ActivitySummary, len(activities))
	for i, act := range activities {
		out[i] = ActivitySummary{Activity: act, AttendeeCount: len(act.Attendees)}
	}
	WriteJSON(w, http.StatusOK, list(out, total, p))
}

// GetActivity answers GET /api/v1/activities/{id} with the activity and
// the ids of the clients who attended.
func (a *API) GetActivity(w http.ResponseWriter, r *http.Request) {
	act, err := a.Activities.FindActivityByID(r.Context(), r.PathValue("id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, act)
}

// CreateActivityRequest is the body of POST /api/v1/activities. ID is
// optional: a client may send its own UUIDv7 so that a retry is applied
// once. HeldOn is a day (yyyy-mm-dd). Attendees are the ids of clients in
// scope who attended; AnonFemale, AnonMale and AnonOther count the others.
type CreateActivityRequest struct {
	ID         string   `json:"id,omitempty"`
	OrgID      string   `json:"org_id"`
	Kind       string   `json:"kind"`
	HeldOn     string   `json:"held_on"`
	Title      string   `json:"title"`
	Topics     []string `json:"topics,omitempty"`
	Place      string   `json:"place,omitempty"`
	AnonFemale int      `json:"anon_female,omitempty"`
	AnonMale   int      `json:"anon_male,omitempty"`
	AnonOther  int      `json:"anon_other,omitempty"`
	Attendees  []string `json:"attendees,omitempty"`
	Notes      string   `json:"notes,omitempty"`
}

// CreateActivity answers POST /api/v1/activities with 201 and the
// activity.
func (a *API) CreateActivity(w http.ResponseWriter, r *http.Request) {
	var req CreateActivityRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	act, err := req.activity()
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	if err := a.Activities.CreateActivity(r.Context(), act); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, act)
}

// activity returns the activity the request describes; the day must be
// readable.
func (req CreateActivityRequest) activity() (*caunoi.Activity, error) {
	var v caunoi.Validator
	held := bodyDay(&v, "held_on", req.HeldOn)
	if err := v.Err(); err != nil {
		return nil, err
	}
	// Answered as [], as a read answers them, not null.
	if req.Topics == nil {
		req.Topics = []string{}
	}
	if req.Attendees == nil {
		req.Attendees = []string{}
	}
	return &caunoi.Activity{ID: req.ID, OrgID: req.OrgID, Kind: req.Kind, HeldOn: caunoi.Date(held), Title: req.Title, Topics: req.Topics,
		Place: req.Place, AnonFemale: req.AnonFemale, AnonMale: req.AnonMale, AnonOther: req.AnonOther, Attendees: req.Attendees, Notes: req.Notes}, nil
}

// VoidActivity answers POST /api/v1/activities/{id}/void with
// {version, reason}.
func (a *API) VoidActivity(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	act, err := a.Activities.VoidActivity(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, act)
}
