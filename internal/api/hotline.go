package api

import (
	"net/http"
	"strings"
	"time"

	"caunoi"
)

// The hotline under /api/v1: cases, the duty view, follow-ups, referrals,
// closing and the non-identifying incident statistics. Days are
// yyyy-mm-dd; a missing required day is reported by storage, after the
// record was found in the actor's scope (a record out of scope is 404
// whatever the body).

// hotlineOptDay reads an optional day of a body: nil when empty, a field error
// when it cannot be read.
func hotlineOptDay(v *caunoi.Validator, name, s string) *caunoi.Date {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	d, ok := caunoi.ParseDate(s)
	if !ok {
		v.Add(name, "err.date.format", nil)
		return nil
	}
	day := caunoi.Date(d)
	return &day
}

// hotlineReqDay reads a required day of a body; when empty it is the zero day,
// which storage refuses on the field once it has found the record.
func hotlineReqDay(v *caunoi.Validator, name, s string) caunoi.Date {
	if d := hotlineOptDay(v, name, s); d != nil {
		return *d
	}
	return caunoi.Date{}
}

// ListCases answers GET /api/v1/cases?org_id=&status=&risk=&issue=&channel=
// &client_id=&overdue=&from=&to=&offset=&limit= with the cases of the
// actor's case.read scope, newest first (overdue=true: open cases whose
// follow-up is overdue, the longest first), without their narrative.
func (a *API) ListCases(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.CaseFilter{
		OrgID:    q.Get("org_id"),
		Status:   queryChoice(&v, q, "status", []string{caunoi.CaseOpen, caunoi.CaseClosed}),
		Risk:     queryChoice(&v, q, "risk", caunoi.RiskLevels),
		Issue:    queryChoice(&v, q, "issue", caunoi.CaseIssues),
		Channel:  queryChoice(&v, q, "channel", caunoi.CaseChannels),
		ClientID: q.Get("client_id"),
		Overdue:  queryChoice(&v, q, "overdue", []string{"true", "false"}) == "true",
		From:     queryDay(&v, q, "from", false),
		To:       queryDay(&v, q, "to", true),
		Page:     p,
	}
	queryRange(&v, f.From, f.To)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	cases, total, err := a.Hotline.FindCases(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(cases, total, p))
}

// GetCase answers GET /api/v1/cases/{id} with the case, its narrative,
// follow-ups and referral ids; the read is audited.
func (a *API) GetCase(w http.ResponseWriter, r *http.Request) {
	c, err := a.Hotline.FindCaseByID(r.Context(), r.PathValue("id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, c)
}

// DutyView answers GET /api/v1/cases/duty?org_id= with the open cases by
// risk and the follow-ups overdue and due today.
func (a *API) DutyView(w http.ResponseWriter, r *http.Request) {
	d, err := a.Hotline.DutyView(r.Context(), r.URL.Query().Get("org_id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, d)
}

// CreateCaseRequest is the body of POST /api/v1/cases. ID is optional (a
// client's UUIDv7 makes a retry apply once); ReceivedAt is an RFC 3339
// time. Without client_id the case is anonymous and keeps only anon_sex,
// anon_population and anon_birth_year. NextFollowUpOn, a day, plans the
// first follow-up; without it the risk level's default applies.
type CreateCaseRequest struct {
	ID               string   `json:"id,omitempty"`
	OrgID            string   `json:"org_id"`
	ReceivedAt       string   `json:"received_at"`
	Channel          string   `json:"channel"`
	CallerType       string   `json:"caller_type"`
	ClientID         string   `json:"client_id,omitempty"`
	AnonSex          string   `json:"anon_sex,omitempty"`
	AnonPopulation   string   `json:"anon_population,omitempty"`
	AnonBirthYear    int      `json:"anon_birth_year,omitempty"`
	Issues           []string `json:"issues"`
	RightsViolators  []string `json:"rights_violators,omitempty"`
	ViolenceTypes    []string `json:"violence_types,omitempty"`
	ViolenceContexts []string `json:"violence_contexts,omitempty"`
	Risk             string   `json:"risk"`
	Actions          []string `json:"actions,omitempty"`
	Summary          string   `json:"summary,omitempty"`
	SafetyPlan       string   `json:"safety_plan,omitempty"`
	NextFollowUpOn   string   `json:"next_follow_up_on,omitempty"`
}

// CreateCase answers POST /api/v1/cases with 201 and the case.
func (a *API) CreateCase(w http.ResponseWriter, r *http.Request) {
	var req CreateCaseRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	c := &caunoi.HotlineCase{ID: req.ID, OrgID: req.OrgID, Channel: req.Channel, CallerType: req.CallerType, ClientID: req.ClientID,
		AnonSex: req.AnonSex, AnonPopulation: caunoi.Population(req.AnonPopulation), AnonBirthYear: req.AnonBirthYear, Issues: req.Issues,
		RightsViolators: req.RightsViolators, ViolenceTypes: req.ViolenceTypes, ViolenceContexts: req.ViolenceContexts, Risk: req.Risk,
		Actions: req.Actions, Summary: req.Summary, SafetyPlan: req.SafetyPlan}
	if req.ReceivedAt != "" {
		at, err := time.Parse(time.RFC3339, req.ReceivedAt)
		v.Check(err == nil, "received_at", "err.datetime.format", nil)
		c.ReceivedAt = at
	}
	c.NextFollowUpOn = hotlineOptDay(&v, "next_follow_up_on", req.NextFollowUpOn)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	if err := a.Hotline.CreateCase(r.Context(), c); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, c)
}

// UpdateCaseRequest is the body of PATCH /api/v1/cases/{id}: the version
// read and the fields to change. ClientID links a client to an anonymous
// case; NextFollowUpOn moves (or plans) the follow-up.
type UpdateCaseRequest struct {
	Version          int       `json:"version"`
	ClientID         *string   `json:"client_id,omitempty"`
	CallerType       *string   `json:"caller_type,omitempty"`
	Issues           *[]string `json:"issues,omitempty"`
	RightsViolators  *[]string `json:"rights_violators,omitempty"`
	ViolenceTypes    *[]string `json:"violence_types,omitempty"`
	ViolenceContexts *[]string `json:"violence_contexts,omitempty"`
	Risk             *string   `json:"risk,omitempty"`
	Actions          *[]string `json:"actions,omitempty"`
	Summary          *string   `json:"summary,omitempty"`
	SafetyPlan       *string   `json:"safety_plan,omitempty"`
	NextFollowUpOn   string    `json:"next_follow_up_on,omitempty"`
}

// UpdateCase answers PATCH /api/v1/cases/{id} with the case; 409 on a
// stale version or a closed case.
func (a *API) UpdateCase(w http.ResponseWriter, r *http.Request) {
	var req UpdateCaseRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	u := caunoi.CaseUpdate{Version: req.Version, ClientID: req.ClientID, CallerType: req.CallerType, Issues: req.Issues,
		RightsViolators: req.RightsViolators, ViolenceTypes: req.ViolenceTypes, ViolenceContexts: req.ViolenceContexts, Risk: req.Risk,
		Actions: req.Actions, Summary: req.Summary, SafetyPlan: req.SafetyPlan, NextFollowUpOn: hotlineOptDay(&v, "next_follow_up_on", req.NextFollowUpOn)}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	c, err := a.Hotline.UpdateCase(r.Context(), r.PathValue("id"), u)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, c)
}

// FollowUpRequest is the body of POST /api/v1/cases/{id}/follow-ups: the
// case's version, the day it was done, how (phone, zalo, in_person),
// whether the person was reached, a note, the risk as assessed again, and
// the day of the next follow-up, if one is needed.
type FollowUpRequest struct {
	Version int    `json:"version"`
	DoneOn  string `json:"done_on"`
	Channel string `json:"channel"`
	Reached bool   `json:"reached"`
	Note    string `json:"note,omitempty"`
	Risk    string `json:"risk,omitempty"`
	NextOn  string `json:"next_on,omitempty"`
}

// RecordFollowUp answers POST /api/v1/cases/{id}/follow-ups with the case;
// 409 on a closed case.
func (a *API) RecordFollowUp(w http.ResponseWriter, r *http.Request) {
	var req FollowUpRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	f := caunoi.FollowUpRecord{Version: req.Version, DoneOn: hotlineReqDay(&v, "done_on", req.DoneOn), Channel: req.Channel, Reached: req.Reached,
		Note: req.Note, Risk: req.Risk, NextOn: hotlineOptDay(&v, "next_on", req.NextOn)}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	c, err := a.Hotline.RecordFollowUp(r.Context(), r.PathValue("id"), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, c)
}

// CaseReferralRequest is the body of POST /api/v1/cases/{id}/referrals:
// the case's version, an optional UUIDv7 for the referral, the provider
// and the service it offers, the day and an optional due day and reason.
type CaseReferralRequest struct {
	Version     int    `json:"version"`
	ID          string `json:"id,omitempty"`
	ProviderID  string `json:"provider_id"`
	ServiceKind string `json:"service_kind"`
	ReferredOn  string `json:"referred_on"`
	DueOn       string `json:"due_on,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

// CaseReferral is the answer of a referral from a case.
type CaseReferral struct {
	Case     *caunoi.HotlineCase `json:"case"`
	Referral *caunoi.Referral    `json:"referral"`
}

// ReferCase answers POST /api/v1/cases/{id}/referrals with 201, the case
// and the referral made through the referral service.
func (a *API) ReferCase(w http.ResponseWriter, r *http.Request) {
	var req CaseReferralRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	ref := &caunoi.Referral{ID: req.ID, ProviderID: req.ProviderID, ServiceKind: req.ServiceKind, ReferredOn: hotlineReqDay(&v, "referred_on", req.ReferredOn),
		Reason: req.Reason}
	if d := hotlineOptDay(&v, "due_on", req.DueOn); d != nil {
		ref.DueOn = *d
	}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	c, err := a.Hotline.ReferCase(r.Context(), r.PathValue("id"), req.Version, ref)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, CaseReferral{Case: c, Referral: ref})
}

// CloseCaseRequest is the body of POST /api/v1/cases/{id}/close.
type CloseCaseRequest struct {
	Version  int    `json:"version"`
	ClosedOn string `json:"closed_on"`
	Outcome  string `json:"outcome"`
	Note     string `json:"note,omitempty"`
}

// CloseCase answers POST /api/v1/cases/{id}/close with the case.
func (a *API) CloseCase(w http.ResponseWriter, r *http.Request) {
	var req CloseCaseRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	k := caunoi.CaseClosing{Version: req.Version, ClosedOn: hotlineReqDay(&v, "closed_on", req.ClosedOn), Outcome: req.Outcome, Note: req.Note}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	c, err := a.Hotline.CloseCase(r.Context(), r.PathValue("id"), k)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, c)
}

// VoidCase answers POST /api/v1/cases/{id}/void with {version, reason}.
func (a *API) VoidCase(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	c, err := a.Hotline.VoidCase(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, c)
}

// IncidentStats answers GET /api/v1/incident-stats?org_id=&from=&to= with
// the counts of hotline cases of the actor's report.read scope: no ids,
// names or text; small cells suppressed where the reader may not see the
// cases behind them.
func (a *API) IncidentStats(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.IncidentFilter{OrgID: q.Get("org_id"), From: queryDay(&v, q, "from", false), To: queryDay(&v, q, "to", true)}
	queryRange(&v, f.From, f.To)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	st, err := a.Hotline.IncidentStats(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, st)
}
