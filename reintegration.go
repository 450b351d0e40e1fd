package caunoi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Statuses of a reintegration (hồi gia, tái hòa nhập cộng đồng).
const (
	ReintegrationPreparing = "preparing" // a resident of a rehabilitation centre preparing to return
	ReintegrationReturned  = "returned"  // back home and received by a club
)

// ReintegrationStatuses lists the statuses of a reintegration.
var ReintegrationStatuses = []string{ReintegrationPreparing, ReintegrationReturned}

// Relations of a person of an influence map to the returnee.
var Relations = []string{"mother", "father", "spouse", "partner", "child", "sibling", "relative", "friend", "drug_using_friend",
	"neighbour", "employer", "club_member", "peer_educator", "health_worker", "local_official", "police", "other"}

// Influences a person has on a returnee.
const (
	InfluencePositive = "positive" // supports staying off drugs
	InfluenceNegative = "negative" // pulls back towards drugs
)

// Influences lists the influences.
var Influences = []string{InfluencePositive, InfluenceNegative}

// FollowUpWellbeing says how a returnee is doing at a follow-up.
var FollowUpWellbeing = []string{"stable", "struggling", "at_risk", "unreachable"}

// Kinds of reintegration event.
const (
	EventFollowUp = "follow_up"
	EventRelapse  = "relapse"
)

// Reintegration follows a resident of a rehabilitation centre (a provider
// of kind rehab_centre) from preparing to return (the expected day, the
// influence map) to the handover to a club on return, the follow-ups and
// any relapse.
type Reintegration struct {
	ID         string `json:"id"`
	OrgID      string `json:"org_id"` // the organisation preparing the return
	OrgPath    string `json:"-"`
	ClientID   string `json:"client_id"`
	Nickname   string `json:"nickname,omitempty"` // the client's, for lists
	CentreID   string `json:"centre_id"`
	ExpectedOn Date   `json:"expected_on"`
	Status     string `json:"status"`
	// ReturnedOn and ClubID record the handover: the day the returnee was
	// received and the club that received them.
	ReturnedOn   *Date  `json:"returned_on,omitempty"`
	ClubID       string `json:"club_id,omitempty"`
	HandoverNote string `json:"handover_note,omitempty"`
	Notes        string `json:"notes,omitempty"`
	// Mapped is the number of live people of the influence map.
	Mapped int `json:"mapped"`
	// Loaded with one reintegration only (an audited read).
	People    []InfluencePerson    `json:"people,omitempty"`
	Events    []ReintegrationEvent `json:"events,omitempty"`
	Version   int                  `json:"version"`
	CreatedAt time.Time            `json:"created_at"`
	UpdatedAt time.Time            `json:"updated_at"`
	Voiding
}

// Validate checks a new reintegration's own fields.
func (r *Reintegration) Validate(now time.Time) error {
	var v Validator
	checkID(&r.ID, &v)
	r.Notes = strings.TrimSpace(r.Notes)
	v.Check(r.OrgID != "", "org_id", "err.field.required", nil)
	v.Check(r.ClientID != "", "client_id", "err.field.required", nil)
	v.Check(r.CentreID != "", "centre_id", "err.field.required", nil)
	r.checkPlan(&v, now)
	r.Status, r.ReturnedOn, r.ClubID, r.HandoverNote = ReintegrationPreparing, nil, "", ""
	return v.Err()
}

// CheckPlan checks what an update may change: the expected day of return,
// within five years either side of today (a late record, or a long stay
// ahead), and the notes.
func (r *Reintegration) CheckPlan(now time.Time) error {
	var v Validator
	r.checkPlan(&v, now)
	return v.Err()
}

func (r *Reintegration) checkPlan(v *Validator, now time.Time) {
	r.Notes = strings.TrimSpace(r.Notes)
	v.Check(len([]rune(r.Notes)) <= 2000, "notes", "err.field.too_long", map[string]any{"Max": 2000})
	d := time.Time(r.ExpectedOn)
	if d.IsZero() {
		v.Add("expected_on", "err.date.required", nil)
		return
	}
	today := dayIn(now)
	v.Check(!d.Before(today.AddDate(-5, 0, 0)) && !d.After(today.AddDate(5, 0, 0)), "expected_on", "err.reintegration.expected_on", nil)
}

// ReintegrationUpdate changes the expected day or the notes. Version must
// be the one the user saw.
type ReintegrationUpdate struct {
	Version    int     `json:"version"`
	ExpectedOn *Date   `json:"expected_on,omitempty"`
	Notes      *string `json:"notes,omitempty"`
}

// InfluencePerson is one person of a returnee's influence map: how they
// are related, whether they pull towards or away from drugs and how
// strongly (1 to 3), and whether the club can reach them. Name is how the
// returnee calls them ("Mẹ", "Anh Tư"), encrypted at rest.
type InfluencePerson struct {
	ID              string    `json:"id"`
	ReintegrationID string    `json:"reintegration_id"`
	Name            string    `json:"name"`
	Relation        string    `json:"relation"`
	Influence       string    `json:"influence"`
	Strength        int       `json:"strength"`
	Contactable     bool      `json:"contactable"`
	Notes           string    `json:"notes,omitempty"`
	Version         int       `json:"version"`
	CreatedAt       time.Time `json:"created_at"`
	Voiding
}

// Validate checks the person's own fields; a zero strength is 2.
func (p *InfluencePerson) Validate() error {
	var v Validator
	checkID(&p.ID, &v)
	p.Name, p.Notes = strings.TrimSpace(p.Name), strings.TrimSpace(p.Notes)
	v.Check(p.Name != "" && len([]rune(p.Name)) <= 60, "name", "err.field.required_short", map[string]any{"Max": 60})
	v.Check(slices.Contains(Relations, p.Relation), "relation", "err.field.choice", nil)
	v.Check(slices.Contains(Influences, p.Influence), "influence", "err.field.choice", nil)
	if p.Strength == 0 {
		p.Strength = 2
	}
	v.Check(p.Strength >= 1 && p.Strength <= 3, "strength", "err.reintegration.strength", nil)
	v.Check(len([]rune(p.Notes)) <= 500, "notes", "err.field.too_long", map[string]any{"Max": 500})
	return v.Err()
}

// ReturnHandover records the return home: the day and the club that
// received the returnee (a group related to the preparing organisation).
type ReturnHandover struct {
	Version    int    `json:"version"`
	ReturnedOn Date   `json:"returned_on"`
	ClubID     string `json:"club_id"`
	Note       string `json:"note,omitempty"`
}

// Validate checks the handover's own fields.
func (h *ReturnHandover) Validate(now time.Time) error {
	var v Validator
	h.Note = strings.TrimSpace(h.Note)
	checkDay(&v, "returned_on", time.Time(h.ReturnedOn), now)
	v.Check(h.ClubID != "", "club_id", "err.field.required", nil)
	v.Check(len([]rune(h.Note)) <= 500, "note", "err.field.too_long", map[string]any{"Max": 500})
	return v.Err()
}

// ReintegrationEvent is a follow-up of a returnee (with how they are
// doing) or a relapse. A relapse also sets the client's status to
// relapsed, through the client's status history.
type ReintegrationEvent struct {
	ID              string    `json:"id"`
	ReintegrationID string    `json:"reintegration_id"`
	Kind            string    `json:"kind"`
	On              Date      `json:"on"`
	Wellbeing       string    `json:"wellbeing,omitempty"` // follow-ups only
	Note            string    `json:"note,omitempty"`
	RecordedBy      string    `json:"recorded_by"`
	CreatedAt       time.Time `json:"created_at"`
}

// EventRecord records a follow-up or a relapse of a returned person.
// Version is the reintegration's.
type EventRecord struct {
	Version   int    `json:"version"`
	On        Date   `json:"on"`
	Wellbeing string `json:"wellbeing,omitempty"`
	Note      string `json:"note,omitempty"`
}

// Validate checks an event of the kind against its reintegration.
func (e *EventRecord) Validate(kind string, r *Reintegration, now time.Time) error {
	var v Validator
	e.Note = strings.TrimSpace(e.Note)
	on := time.Time(e.On)
	checkDay(&v, "on", on, now)
	if r.ReturnedOn != nil {
		v.Check(on.IsZero() || !on.Before(time.Time(*r.ReturnedOn)), "on", "err.reintegration.before_return", nil)
	}
	if kind == EventFollowUp {
		v.Check(slices.Contains(FollowUpWellbeing, e.Wellbeing), "wellbeing", "err.field.choice", nil)
	} else {
		v.Check(e.Wellbeing == "", "wellbeing", "err.reintegration.wellbeing_follow_up", nil)
	}
	v.Check(len([]rune(e.Note)) <= 500, "note", "err.field.too_long", map[string]any{"Max": 500})
	return v.Err()
}

// ReintegrationFilter selects reintegrations.
type ReintegrationFilter struct {
	ID       string // one reintegration
	OrgID    string
	CentreID string
	ClubID   string
	ClientID string
	Status   string
	Page
}

// ReintegrationStats are the numbers a report gives (seed 003: "mapped
// the people who influence 216 residents preparing to return; received
// 168 returnees"): residents, counted once each.
type ReintegrationStats struct {
	Residents  int `json:"residents"`   // every resident prepared for return
	Preparing  int `json:"preparing"`   // still in the centre
	Mapped     int `json:"mapped"`      // whose influence map names at least one person
	Received   int `json:"received"`    // returned and received by a club
	FollowedUp int `json:"followed_up"` // returnees followed up at least once
	FollowUps  int `json:"follow_ups"`  // follow-ups (events, not persons)
	Relapsed   int `json:"relapsed"`    // returnees with at least one relapse
}

// ReintegrationService follows residents of rehabilitation centres home.
// Reintegrations are client-level records, scoped like clients: read with
// client.read on the preparing organisation, written with
// reintegration.write there. Elsewhere a record is ENOTFOUND.
type ReintegrationService interface {
	// FindReintegrations lists reintegrations in scope, the soonest
	// expected first, without their influence maps.
	FindReintegrations(ctx context.Context, f ReintegrationFilter) ([]*Reintegration, int, error)
	// FindReintegrationByID returns one with its influence map and events,
	// and writes the read to the audit trail.
	FindReintegrationByID(ctx context.Context, id string) (*Reintegration, error)
	// CreateReintegration starts preparing a resident's return: the client
	// must be one the organisation serves, the centre a provider of kind
	// rehab_centre it shares, and the client may not be prepared twice at
	// once (ECONFLICT). A repeated id is applied once.
	CreateReintegration(ctx context.Context, r *Reintegration) error
	// UpdateReintegration changes the expected day or the notes.
	UpdateReintegration(ctx context.Context, id string, u ReintegrationUpdate) (*Reintegration, error)
	// AddInfluencePerson adds a person to the influence map. A repeated id
	// is applied once.
	AddInfluencePerson(ctx context.Context, reintegrationID string, p *InfluencePerson) error
	// VoidInfluencePerson takes a person off the map, with a reason.
	VoidInfluencePerson(ctx context.Context, id string, version int, reason string) (*InfluencePerson, error)
	// RecordReturn records the handover to a club on return.
	RecordReturn(ctx context.Context, id string, h ReturnHandover) (*Reintegration, error)
	// RecordEvent records a follow-up or a relapse after the return
	// (ECONFLICT err.reintegration.not_returned before it). A relapse
	// also sets the client's status to relapsed, in the same transaction.
	RecordEvent(ctx context.Context, id, kind string, e EventRecord) (*Reintegration, error)
	// VoidReintegration voids a record made by mistake, with a reason.
	VoidReintegration(ctx context.Context, id string, version int, reason string) (*Reintegration, error)
	// ReintegrationStats counts the records of the actor's report.read
	// scope, or of one organisation of it.
	ReintegrationStats(ctx context.Context, orgID string) (*ReintegrationStats, error)
}
