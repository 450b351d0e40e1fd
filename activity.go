package caunoi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Kinds of group activity (GLOSSARY.md).
var ActivityKinds = []string{"group_meeting", "communication", "campaign", "training", "workshop", "health_check"}

// Topics of contacts and activities.
var Topics = []string{"srh", "hiv_sti", "gbv", "rights", "drug_harms", "relapse_prevention", "livelihoods", "legal", "health_insurance", "harm_reduction", "other"}

// MaxAttendees bounds the named attendance of one activity; large events
// count the rest as anonymous heads.
const MaxAttendees = 5000

// Activity is a group activity: a group meeting, a communication session,
// a large event, a training, a workshop or a health check day, with named
// attendance of clients and members and anonymous head counts by sex.
type Activity struct {
	ID         string    `json:"id"`
	OrgID      string    `json:"org_id"`
	OrgPath    string    `json:"-"`
	Kind       string    `json:"kind"`
	HeldOn     Date      `json:"held_on"`
	Title      string    `json:"title"`
	Topics     []string  `json:"topics"`
	Place      string    `json:"place,omitempty"`
	AnonFemale int       `json:"anon_female"`
	AnonMale   int       `json:"anon_male"`
	AnonOther  int       `json:"anon_other"`
	Attendees  []string  `json:"attendees"` // client ids
	Notes      string    `json:"notes,omitempty"`
	Version    int       `json:"version"`
	CreatedBy  string    `json:"created_by,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Voiding
}

// Participants is the number of people who took part: named and anonymous.
func (a *Activity) Participants() int {
	return len(a.Attendees) + a.AnonFemale + a.AnonMale + a.AnonOther
}

// Validate checks the activity's own fields.
func (a *Activity) Validate(now time.Time) error {
	var v Validator
	checkID(&a.ID, &v)
	a.Title, a.Place = strings.TrimSpace(a.Title), strings.TrimSpace(a.Place)
	v.Check(a.OrgID != "", "org_id", "err.field.required", nil)
	v.Check(slices.Contains(ActivityKinds, a.Kind), "kind", "err.field.choice", nil)
	checkDay(&v, "held_on", time.Time(a.HeldOn), now)
	v.Check(a.Title != "" && len([]rune(a.Title)) <= 200, "title", "err.field.required_short", map[string]any{"Max": 200})
	for _, t := range a.Topics {
		v.Check(slices.Contains(Topics, t), "topics", "err.field.choice", nil)
	}
	slices.Sort(a.Topics)
	a.Topics = slices.Compact(a.Topics)
	for _, n := range []int{a.AnonFemale, a.AnonMale, a.AnonOther} {
		v.Check(n >= 0 && n <= 1000000, "anon", "err.field.quantity", nil)
	}
	slices.Sort(a.Attendees)
	a.Attendees = slices.Compact(a.Attendees)
	v.Check(len(a.Attendees) <= MaxAttendees, "attendees", "err.activity.too_many", map[string]any{"Max": MaxAttendees})
	v.Check(a.Participants() > 0, "attendees", "err.activity.nobody", nil)
	v.Check(len([]rune(a.Place)) <= 200, "place", "err.field.too_long", map[string]any{"Max": 200})
	v.Check(len([]rune(a.Notes)) <= 2000, "notes", "err.field.too_long", map[string]any{"Max": 2000})
	return v.Err()
}

// ActivityFilter selects activities.
type ActivityFilter struct {
	OrgID    string
	Kind     string
	ClientID string // activities the client attended
	From, To *time.Time
	Page
}

// ActivityService records group activities, scoped like clients.
type ActivityService interface {
	// FindActivities lists activities in the actor's client.read scope,
	// newest first.
	FindActivities(ctx context.Context, f ActivityFilter) ([]*Activity, int, error)
	// FindActivityByID returns an activity in scope with its attendance.
	FindActivityByID(ctx context.Context, id string) (*Activity, error)
	// CreateActivity records an activity of an organisation where the
	// actor holds contact.write; attendees must be clients in scope. A
	// repeated id is applied once.
	CreateActivity(ctx context.Context, a *Activity) error
	// VoidActivity voids an activity with a reason.
	VoidActivity(ctx context.Context, id string, version int, reason string) (*Activity, error)
}
