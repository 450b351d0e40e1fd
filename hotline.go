package caunoi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// CaseChannels are how a call or message reaches the hotline.
var CaseChannels = []string{"phone", "zalo", "walk_in"}

// CallerTypes say who called: the person concerned or someone for them.
var CallerTypes = []string{"self", "family", "friend", "peer_educator", "service_provider", "other"}

// The issues a hotline case may be about (GLOSSARY.md: incident
// rights_violation, exploitation, gbv); a case may have several.
const (
	IssueRightsViolation = "rights_violation" // xâm hại quyền: by employer, client, police or other (RightsViolators)
	IssueExploitation    = "exploitation"     // bóc lột
	IssueGBV             = "gbv"              // bạo lực trên cơ sở giới, classified as GBVIMS does (ViolenceTypes)
	IssueOverdose        = "overdose"         // sốc quá liều
	IssueHealth          = "health"           // sức khỏe
	IssueOther           = "other"
)

// CaseIssues lists the issues of hotline cases.
var CaseIssues = []string{IssueRightsViolation, IssueExploitation, IssueGBV, IssueOverdose, IssueHealth, IssueOther}

// RightsViolators are who violated a person's rights.
var RightsViolators = []string{"employer", "client", "police", "other"}

// Risk levels of a case, from the lowest: the duty view shows the highest
// first.
const (
	RiskLow      = "low"
	RiskMedium   = "medium"
	RiskHigh     = "high"
	RiskCritical = "critical" // danger now: act within the hour
)

// RiskLevels lists the risk levels, lowest first.
var RiskLevels = []string{RiskLow, RiskMedium, RiskHigh, RiskCritical}

// RiskRank returns 1 for low up to 4 for critical, 0 for an unknown level.
func RiskRank(risk string) int { return slices.Index(RiskLevels, risk) + 1 }

// DefaultFollowUpDays is, by risk level, in how many days a new case is
// followed up unless the worker plans another day; low-risk cases get no
// follow-up by default (-1).
var DefaultFollowUpDays = map[string]int{RiskLow: -1, RiskMedium: 7, RiskHigh: 2, RiskCritical: 1}

// CaseActions are the immediate actions taken on a call.
var CaseActions = []string{"counselling", "information", "safety_planning", "emergency_call", "accompanied", "shelter",
	"naloxone", "medical_care", "legal_advice", "referral"}

// Case statuses.
const (
	CaseOpen   = "open"
	CaseClosed = "closed"
)

// CaseOutcomes are how a case ends.
var CaseOutcomes = []string{"resolved", "referred", "no_further_contact", "declined", "other"}

// FollowUpChannels are how a follow-up reaches the person.
var FollowUpChannels = []string{"phone", "zalo", "in_person"}

// Follow-up statuses: planned for a day, then done, or cancelled when the
// case closes first.
const (
	FollowUpPlanned   = "planned"
	FollowUpDone      = "done"
	FollowUpCancelled = "cancelled"
)

// MaxFollowUpDays bounds how far ahead a follow-up may be planned.
const MaxFollowUpDays = 180

// MaxCaseText bounds the narrative fields of a case (summary, safety
// plan, notes).
const MaxCaseText = 4000

// HotlineCase is a call or message to the hotline (đường dây nóng) and what
// was done about it: the issues, the risk, the immediate actions, the
// safety plan, the follow-ups and the referrals, until it is closed. A
// case names a client or is anonymous: then only the person's sex,
// population and birth year, if given, are kept, for counting.
//
// Summary, SafetyPlan and ClosingNote are encrypted at rest and shown
// only by FindCaseByID, an audited read.
type HotlineCase struct {
	ID      string `json:"id"`
	OrgID   string `json:"org_id"` // the organisation running the hotline
	OrgPath string `json:"-"`
	// Code names the case on the phone and on paper, without naming the
	// person.
	Code       string    `json:"code"`
	ReceivedAt time.Time `json:"received_at"`
	Channel    string    `json:"channel"`
	CallerType string    `json:"caller_type"`
	// ClientID is the client the case is about; empty for an anonymous
	// case.
	ClientID       string     `json:"client_id,omitempty"`
	AnonSex        string     `json:"anon_sex,omitempty"`
	AnonPopulation Population `json:"anon_population,omitempty"`
	AnonBirthYear  int        `json:"anon_birth_year,omitempty"`
	Issues         []string   `json:"issues"`
	// RightsViolators say who violated the person's rights (issue
	// rights_violation).
	RightsViolators []string `json:"rights_violators"`
	// ViolenceTypes are the GBVIMS types the incident involves (issue
	// gbv); GBVType is the one it is classified as (ClassifyGBV), set by
	// Validate.
	ViolenceTypes    []string `json:"violence_types"`
	GBVType          string   `json:"gbv_type,omitempty"`
	ViolenceContexts []string `json:"violence_contexts"`
	Risk             string   `json:"risk"`
	Actions          []string `json:"actions"`
	Summary          string   `json:"summary,omitempty"`
	SafetyPlan       string   `json:"safety_plan,omitempty"`
	Status           string   `json:"status"`
	ClosedOn         *Date    `json:"closed_on,omitempty"`
	Outcome          string   `json:"outcome,omitempty"`
	ClosingNote      string   `json:"closing_note,omitempty"`
	// TakenBy is the user who took the call; TakenByName their name.
	TakenBy     string `json:"taken_by"`
	TakenByName string `json:"taken_by_name,omitempty"`
	// NextFollowUpOn is the day of the planned follow-up, if any. On a
	// new case it plans the first one; nil there means the default of
	// the risk level (DefaultFollowUpDays).
	NextFollowUpOn *Date `json:"next_follow_up_on,omitempty"`
	// Loaded by FindCaseByID only.
	FollowUps   []FollowUp `json:"follow_ups,omitempty"`
	ReferralIDs []string   `json:"referral_ids,omitempty"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Voiding
}

// Anonymous reports whether the case names no client.
func (c *HotlineCase) Anonymous() bool { return c.ClientID == "" }

// Open reports whether the case is open.
func (c *HotlineCase) Open() bool { return c.Status == CaseOpen }

// FollowUpOverdue reports whether the case's planned follow-up is before
// today (a day in Vietnam, at midnight UTC).
func (c *HotlineCase) FollowUpOverdue(today time.Time) bool {
	return c.Open() && !c.Voided() && c.NextFollowUpOn != nil && time.Time(*c.NextFollowUpOn).Before(today)
}

// Validate checks a case's own fields, classifies its violence and
// normalises its lists; now is the current time. An anonymous case keeps
// the person's sex, population and birth year, a named one none of them.
func (c *HotlineCase) Validate(now time.Time) error {
	var v Validator
	checkID(&c.ID, &v)
	v.Check(c.OrgID != "", "org_id", "err.field.required", nil)
	v.Check(!c.ReceivedAt.IsZero(), "received_at", "err.date.required", nil)
	v.Check(c.ReceivedAt.IsZero() || (c.ReceivedAt.Year() >= 2000 && !c.ReceivedAt.After(now.Add(5*time.Minute))), "received_at", "err.date.range", nil)
	v.Check(slices.Contains(CaseChannels, c.Channel), "channel", "err.field.choice", nil)
	v.Check(slices.Contains(CallerTypes, c.CallerType), "caller_type", "err.field.choice", nil)
	if c.Anonymous() {
		v.Check(c.AnonSex == "" || slices.Contains(Sexes, c.AnonSex), "anon_sex", "err.field.choice", nil)
		v.Check(c.AnonPopulation == "" || slices.Contains(Populations, c.AnonPopulation), "anon_population", "err.field.choice", nil)
		v.Check(c.AnonBirthYear == 0 || (c.AnonBirthYear >= 1900 && c.AnonBirthYear <= now.Year()), "anon_birth_year", "err.client.birth_year", map[string]any{"Max": now.Year()})
	} else {
		c.AnonSex, c.AnonPopulation, c.AnonBirthYear = "", "", 0
	}
	c.checkAssessment(&v)
	c.Summary, c.SafetyPlan = strings.TrimSpace(c.Summary), strings.TrimSpace(c.SafetyPlan)
	v.Check(len([]rune(c.Summary)) <= MaxCaseText, "summary", "err.field.too_long", map[string]any{"Max": MaxCaseText})
	v.Check(len([]rune(c.SafetyPlan)) <= MaxCaseText, "safety_plan", "err.field.too_long", map[string]any{"Max": MaxCaseText})
	if c.NextFollowUpOn != nil && !c.ReceivedAt.IsZero() {
		checkFollowUpDay(&v, "next_follow_up_on", time.Time(*c.NextFollowUpOn), dayIn(c.ReceivedAt), now)
	}
	return v.Err()
}

// checkAssessment checks the issues, their details, the risk and the
// actions, and classifies the violence.
func (c *HotlineCase) checkAssessment(v *Validator) {
	c.Issues = normList(c.Issues)
	c.RightsViolators = normList(c.RightsViolators)
	c.ViolenceTypes = normList(c.ViolenceTypes)
	c.ViolenceContexts = normList(c.ViolenceContexts)
	c.Actions = normList(c.Actions)
	v.Check(len(c.Issues) > 0, "issues", "err.case.issue_required", nil)
	for _, i := range c.Issues {
		v.Check(slices.Contains(CaseIssues, i), "issues", "err.field.choice", nil)
	}
	if slices.Contains(c.Issues, IssueRightsViolation) {
		v.Check(len(c.RightsViolators) > 0, "rights_violators", "err.case.violator_required", nil)
		for _, r := range c.RightsViolators {
			v.Check(slices.Contains(RightsViolators, r), "rights_violators", "err.field.choice", nil)
		}
	} else {
		v.Check(len(c.RightsViolators) == 0, "rights_violators", "err.case.violator_not_allowed", nil)
	}
	c.GBVType = ""
	if slices.Contains(c.Issues, IssueGBV) {
		t, err := ClassifyGBV(c.ViolenceTypes)
		if err != nil {
			for _, f := range AsError(err).Fields {
				v.Add(f.Field, f.Key, f.Args)
			}
		}
		c.GBVType = t
		for _, x := range c.ViolenceContexts {
			v.Check(slices.Contains(ViolenceContexts, x), "violence_contexts", "err.field.choice", nil)
		}
	} else {
		v.Check(len(c.ViolenceTypes) == 0, "violence_types", "err.case.gbv_not_allowed", nil)
		v.Check(len(c.ViolenceContexts) == 0, "violence_contexts", "err.case.gbv_not_allowed", nil)
	}
	v.Check(slices.Contains(RiskLevels, c.Risk), "risk", "err.field.choice", nil)
	for _, a := range c.Actions {
		v.Check(slices.Contains(CaseActions, a), "actions", "err.field.choice", nil)
	}
}

// normList trims, sorts and de-duplicates a list of codes, never nil.
func normList(xs []string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// dayIn returns the day of t in Vietnam, at midnight UTC as days are stored.
func dayIn(t time.Time) time.Time {
	n := t.In(Zone)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// checkFollowUpDay checks a planned follow-up day: not before from (the
// day of the case or of the last follow-up) and at most MaxFollowUpDays
// after today.
func checkFollowUpDay(v *Validator, field string, d, from, now time.Time) {
	if d.IsZero() {
		v.Add(field, "err.date.required", nil)
		return
	}
	v.Check(!d.Before(from) && !d.After(dayIn(now).AddDate(0, 0, MaxFollowUpDays)), field, "err.case.follow_up_day", map[string]any{"Max": MaxFollowUpDays})
}

// FollowUp is a follow-up of a case: planned for a day, then done (with
// how the person was reached and a note, encrypted at rest), or
// cancelled when the case closed first. A case has at most one planned
// follow-up at a time.
type FollowUp struct {
	ID         string `json:"id"`
	CaseID     string `json:"case_id"`
	DueOn      Date   `json:"due_on"`
	Status     string `json:"status"`
	DoneOn     *Date  `json:"done_on,omitempty"`
	Channel    string `json:"channel,omitempty"`
	Reached    bool   `json:"reached"`
	Note       string `json:"note,omitempty"`
	DoneBy     string `json:"done_by,omitempty"`
	DoneByName string `json:"done_by_name,omitempty"`
}

// FollowUpRecord records a follow-up done on an open case: it completes
// the planned follow-up, if any, and plans the next one if NextOn is set.
// Risk, if set, is the risk as assessed again. Version is the case's.
type FollowUpRecord struct {
	Version int    `json:"version"`
	DoneOn  Date   `json:"done_on"`
	Channel string `json:"channel"`
	Reached bool   `json:"reached"`
	Note    string `json:"note,omitempty"`
	Risk    string `json:"risk,omitempty"`
	NextOn  *Date  `json:"next_on,omitempty"`
}

// Validate checks a follow-up against its case; now is the current time.
func (f *FollowUpRecord) Validate(c *HotlineCase, now time.Time) error {
	var v Validator
	f.Note = strings.TrimSpace(f.Note)
	checkDay(&v, "done_on", time.Time(f.DoneOn), now)
	from := dayIn(c.ReceivedAt)
	v.Check(time.Time(f.DoneOn).IsZero() || !time.Time(f.DoneOn).Before(from), "done_on", "err.case.before_received", nil)
	v.Check(slices.Contains(FollowUpChannels, f.Channel), "channel", "err.field.choice", nil)
	v.Check(len([]rune(f.Note)) <= MaxCaseText, "note", "err.field.too_long", map[string]any{"Max": MaxCaseText})
	v.Check(f.Risk == "" || slices.Contains(RiskLevels, f.Risk), "risk", "err.field.choice", nil)
	if f.NextOn != nil {
		after := from
		if !time.Time(f.DoneOn).IsZero() {
			after = time.Time(f.DoneOn)
		}
		checkFollowUpDay(&v, "next_on", time.Time(*f.NextOn), after, now)
	}
	return v.Err()
}

// CaseClosing closes an open case on a day with an outcome; its planned
// follow-up is cancelled. Version is the case's.
type CaseClosing struct {
	Version  int    `json:"version"`
	ClosedOn Date   `json:"closed_on"`
	Outcome  string `json:"outcome"`
	Note     string `json:"note,omitempty"`
}

// Validate checks a closing against its case.
func (k *CaseClosing) Validate(c *HotlineCase, now time.Time) error {
	var v Validator
	k.Note = strings.TrimSpace(k.Note)
	checkDay(&v, "closed_on", time.Time(k.ClosedOn), now)
	v.Check(time.Time(k.ClosedOn).IsZero() || !time.Time(k.ClosedOn).Before(dayIn(c.ReceivedAt)), "closed_on", "err.case.before_received", nil)
	v.Check(slices.Contains(CaseOutcomes, k.Outcome), "outcome", "err.field.choice", nil)
	v.Check(len([]rune(k.Note)) <= MaxCaseText, "note", "err.field.too_long", map[string]any{"Max": MaxCaseText})
	return v.Err()
}

// CaseUpdate changes the assessment of an open case, links a client to a
// case taken anonymously, or plans its follow-up on another day. Version
// must be the one the user saw.
type CaseUpdate struct {
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
	NextFollowUpOn   *Date     `json:"next_follow_up_on,omitempty"`
}

// Apply copies the set fields onto c.
func (u CaseUpdate) Apply(c *HotlineCase) {
	set := func(dst *[]string, src *[]string) {
		if src != nil {
			*dst = slices.Clone(*src)
		}
	}
	if u.ClientID != nil {
		c.ClientID = *u.ClientID
	}
	if u.CallerType != nil {
		c.CallerType = *u.CallerType
	}
	set(&c.Issues, u.Issues)
	set(&c.RightsViolators, u.RightsViolators)
	set(&c.ViolenceTypes, u.ViolenceTypes)
	set(&c.ViolenceContexts, u.ViolenceContexts)
	set(&c.Actions, u.Actions)
	if u.Risk != nil {
		c.Risk = *u.Risk
	}
	if u.Summary != nil {
		c.Summary = *u.Summary
	}
	if u.SafetyPlan != nil {
		c.SafetyPlan = *u.SafetyPlan
	}
	if u.NextFollowUpOn != nil {
		d := *u.NextFollowUpOn
		c.NextFollowUpOn = &d
	}
}

// CaseFilter selects cases.
type CaseFilter struct {
	OrgID    string
	Status   string
	Risk     string
	Issue    string
	Channel  string
	ClientID string
	// Overdue keeps the open cases whose planned follow-up is before
	// today (the database's clock, in Vietnam), the longest overdue first.
	Overdue  bool
	From, To *time.Time // received_at from From, before To
	Page
}

// RiskCount is the number of open cases at one risk level.
type RiskCount struct {
	Risk  string `json:"risk"`
	Count int    `json:"count"`
}

// DutyView is what the worker on duty sees first: the open cases by risk,
// the highest first, and the follow-ups that are overdue or due today.
type DutyView struct {
	Today      Date           `json:"today"`
	OpenByRisk []RiskCount    `json:"open_by_risk"` // every level, critical first
	Open       []*HotlineCase `json:"open"`         // the highest risk first, then the oldest; at most MaxPageSize
	OpenTotal  int            `json:"open_total"`
	Overdue    []*HotlineCase `json:"overdue"`   // planned follow-up before today, the longest overdue first
	DueToday   []*HotlineCase `json:"due_today"` // planned follow-up today
}

// IncidentFilter selects the cases counted by IncidentStats.
type IncidentFilter struct {
	OrgID    string
	From, To *time.Time // received_at from From, before To
}

// MinIncidentCell is the smallest count published as it is where the
// reader may not see the cases behind it; a smaller count (1 to
// MinIncidentCell-1) is shown as suppressed.
const MinIncidentCell = 5

// StatCell is one count of a statistics table. A suppressed cell hides a
// count between 1 and MinIncidentCell-1: Count is then 0.
type StatCell struct {
	Key        string `json:"key"`
	Count      int    `json:"count"`
	Suppressed bool   `json:"suppressed,omitempty"`
}

// IncidentStats counts hotline cases without identifying anyone: no ids,
// no names, no free text, no day finer than the month, only totals by
// issue, violator, GBVIMS type, context, channel, risk, sex of anonymous
// callers and month. Exact is true when the reader may read every case
// counted (case.read over the whole scope); otherwise small cells are
// suppressed.
type IncidentStats struct {
	Total      StatCell   `json:"total"`
	Exact      bool       `json:"exact"`
	Anonymous  StatCell   `json:"anonymous"`
	ByIssue    []StatCell `json:"by_issue"`
	ByViolator []StatCell `json:"by_violator"`
	ByGBVType  []StatCell `json:"by_gbv_type"`
	ByContext  []StatCell `json:"by_context"`
	ByChannel  []StatCell `json:"by_channel"`
	ByRisk     []StatCell `json:"by_risk"`
	ByMonth    []StatCell `json:"by_month"` // key yyyy-mm
}

// HotlineService keeps hotline cases. Cases are read with case.read on
// the case's organisation (the group running the hotline, or above it):
// its group leaders and peer educators and the province officers above
// it; never outreach workers, national officers or administrators. They
// are written with case.write there. Elsewhere a case is ENOTFOUND.
type HotlineService interface {
	// FindCases lists cases in the actor's case.read scope, newest first
	// (Overdue: the longest overdue first), without their narrative.
	FindCases(ctx context.Context, f CaseFilter) ([]*HotlineCase, int, error)
	// FindCaseByID returns a case in scope with its narrative, follow-ups
	// and referrals, and writes the read to the audit trail.
	FindCaseByID(ctx context.Context, id string) (*HotlineCase, error)
	// CreateCase records a call taken by the actor for an organisation
	// where it holds case.write, and plans the first follow-up. The client,
	// if named, must be one the organisation serves. A repeated id is
	// applied once.
	CreateCase(ctx context.Context, c *HotlineCase) error
	// UpdateCase changes an open case; ECONFLICT on a stale version or a
	// closed case.
	UpdateCase(ctx context.Context, id string, u CaseUpdate) (*HotlineCase, error)
	// RecordFollowUp records a follow-up done on an open case (ECONFLICT
	// err.case.closed on a closed one).
	RecordFollowUp(ctx context.Context, id string, f FollowUpRecord) (*HotlineCase, error)
	// ReferCase refers the case's client to a provider, through the
	// referral service (service.write), and links the referral to the
	// case, in one transaction. An anonymous case must be linked to a
	// client first (EINVALID on client_id).
	ReferCase(ctx context.Context, id string, version int, r *Referral) (*HotlineCase, error)
	// CloseCase closes an open case and cancels its planned follow-up.
	CloseCase(ctx context.Context, id string, k CaseClosing) (*HotlineCase, error)
	// VoidCase voids a case recorded by mistake, with a reason.
	VoidCase(ctx context.Context, id string, version int, reason string) (*HotlineCase, error)
	// DutyView returns the duty view of the actor's case.read scope, or
	// of one organisation of it; today is the database's clock's day.
	DutyView(ctx context.Context, orgID string) (*DutyView, error)
	// IncidentStats counts the cases of the actor's report.read scope
	// without identifying anyone.
	IncidentStats(ctx context.Context, f IncidentFilter) (*IncidentStats, error)
}
