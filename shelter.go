package caunoi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// DefaultShelterStayDays is how long a stay is planned for unless the
// worker plans another day: shelter from violence is short (seed 004's
// pilot: at most five days).
const DefaultShelterStayDays = 5

// MaxShelterStayDays bounds the planned length of a stay.
const MaxShelterStayDays = 90

// AdmissionReasons are why a person is admitted to a shelter.
var AdmissionReasons = []string{"violence", "risk_of_violence", "exploitation", "no_safe_place", "other"}

// DischargeReasons are why a stay ends.
var DischargeReasons = []string{"returned_home", "with_family", "other_shelter", "referred", "left", "other"}

// ShelterBed is a bed of a shelter (a provider of kind shelter). A bed
// holds one stay at a time: the database refuses a second open stay.
type ShelterBed struct {
	ID         string `json:"id"`
	ProviderID string `json:"provider_id"`
	OrgPath    string `json:"-"` // the path of the organisation keeping the shelter
	Label      string `json:"label"`
	// InUseFrom is the first night the bed is in use; zero on a new bed
	// means today.
	InUseFrom Date      `json:"in_use_from"`
	Notes     string    `json:"notes,omitempty"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Occupied tells whether a stay holds the bed now; StayID names it
	// when the reader may see it (case.read on the stay's organisation).
	Occupied bool   `json:"occupied"`
	StayID   string `json:"stay_id,omitempty"`
	Voiding
}

// Validate checks the bed's own fields.
func (b *ShelterBed) Validate(now time.Time) error {
	var v Validator
	checkID(&b.ID, &v)
	if time.Time(b.InUseFrom).IsZero() {
		b.InUseFrom = Date(dayIn(now))
	}
	checkDay(&v, "in_use_from", time.Time(b.InUseFrom), now)
	b.Label, b.Notes = strings.TrimSpace(b.Label), strings.TrimSpace(b.Notes)
	v.Check(b.ProviderID != "", "provider_id", "err.field.required", nil)
	v.Check(b.Label != "" && len([]rune(b.Label)) <= 60, "label", "err.field.required_short", map[string]any{"Max": 60})
	v.Check(len([]rune(b.Notes)) <= 500, "notes", "err.field.too_long", map[string]any{"Max": 500})
	return v.Err()
}

// ShelterStay is a stay of a person in a shelter bed: admitted on a day by
// an organisation, discharged on a later day with a reason. It names a
// client, a hotline case, or both (a case taken anonymously).
type ShelterStay struct {
	ID         string `json:"id"`
	OrgID      string `json:"org_id"` // the organisation that admitted the person
	OrgPath    string `json:"-"`
	ProviderID string `json:"provider_id"`
	BedID      string `json:"bed_id"`
	BedLabel   string `json:"bed_label,omitempty"`
	ClientID   string `json:"client_id,omitempty"`
	CaseID     string `json:"case_id,omitempty"`
	AdmittedOn Date   `json:"admitted_on"`
	// ExpectedOn is the day the stay is planned to end; zero on a new stay
	// means DefaultShelterStayDays after the admission.
	ExpectedOn      Date      `json:"expected_on"`
	Reason          string    `json:"reason"`
	DischargedOn    *Date     `json:"discharged_on,omitempty"`
	DischargeReason string    `json:"discharge_reason,omitempty"`
	AdmittedBy      string    `json:"admitted_by"`
	Version         int       `json:"version"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	Voiding
}

// Open reports whether the person is still in the shelter.
func (s *ShelterStay) Open() bool { return s.DischargedOn == nil && !s.Voided() }

// Nights is the length of the stay in nights: to the discharge, or to
// today (a day at midnight UTC) while it is open.
func (s *ShelterStay) Nights(today time.Time) int {
	end := today
	if s.DischargedOn != nil {
		end = time.Time(*s.DischargedOn)
	}
	return int(end.Sub(time.Time(s.AdmittedOn)).Hours() / 24)
}

// Overstayed reports whether an open stay is past its planned end.
func (s *ShelterStay) Overstayed(today time.Time) bool {
	return s.Open() && time.Time(s.ExpectedOn).Before(today)
}

// Validate checks a new stay's own fields.
func (s *ShelterStay) Validate(now time.Time) error {
	var v Validator
	checkID(&s.ID, &v)
	v.Check(s.OrgID != "", "org_id", "err.field.required", nil)
	v.Check(s.ProviderID != "", "provider_id", "err.field.required", nil)
	v.Check(s.BedID != "", "bed_id", "err.field.required", nil)
	v.Check(s.ClientID != "" || s.CaseID != "", "client_id", "err.shelter.person_required", nil)
	on := time.Time(s.AdmittedOn)
	checkDay(&v, "admitted_on", on, now)
	if !on.IsZero() {
		if time.Time(s.ExpectedOn).IsZero() {
			s.ExpectedOn = Date(on.AddDate(0, 0, DefaultShelterStayDays))
		}
		exp := time.Time(s.ExpectedOn)
		v.Check(exp.After(on) && !exp.After(on.AddDate(0, 0, MaxShelterStayDays)), "expected_on", "err.shelter.expected_on", map[string]any{"Max": MaxShelterStayDays})
	}
	v.Check(slices.Contains(AdmissionReasons, s.Reason), "reason", "err.field.choice", nil)
	s.DischargedOn, s.DischargeReason = nil, ""
	return v.Err()
}

// StayDischarge ends a stay on a day with a reason. Version must be the
// one the user saw.
type StayDischarge struct {
	Version      int    `json:"version"`
	DischargedOn Date   `json:"discharged_on"`
	Reason       string `json:"reason"`
}

// Validate checks a discharge against its stay: never before the
// admission, never in the future.
func (d *StayDischarge) Validate(s *ShelterStay, now time.Time) error {
	var v Validator
	on := time.Time(d.DischargedOn)
	checkDay(&v, "discharged_on", on, now)
	v.Check(on.IsZero() || !on.Before(time.Time(s.AdmittedOn)), "discharged_on", "err.shelter.discharge_before_admission", nil)
	v.Check(slices.Contains(DischargeReasons, d.Reason), "reason", "err.field.choice", nil)
	return v.Err()
}

// Shelter is a provider of kind shelter with its beds and how many are
// taken now.
type Shelter struct {
	Provider *Provider    `json:"provider"`
	Beds     []ShelterBed `json:"beds"`
	Occupied int          `json:"occupied"`
	// Overstayed counts the open stays past their planned end.
	Overstayed int `json:"overstayed"`
}

// Free is the number of beds free now.
func (s *Shelter) Free() int { return len(s.Beds) - s.Occupied }

// OccupancyDay is a shelter's occupancy on one night: beds in use and
// beds there were.
type OccupancyDay struct {
	Day      Date `json:"day"`
	Beds     int  `json:"beds"`
	Occupied int  `json:"occupied"`
}

// MaxOccupancyDays bounds the days of one occupancy series.
const MaxOccupancyDays = 366

// ShelterFilter selects shelters.
type ShelterFilter struct {
	OrgID string
	Page
}

// StayFilter selects stays.
type StayFilter struct {
	ID         string // one stay
	OrgID      string
	ProviderID string
	ClientID   string
	CaseID     string
	Open       bool // only people still in the shelter
	Page
}

// ShelterService keeps shelters' beds and stays. A shelter is a provider
// of kind shelter, seen as the directory is (provider.read); its beds are
// kept with shelter.write on the provider's organisation. A stay is a
// client-level record of the organisation that admitted the person, read
// with case.read and written with shelter.write there. Occupancy counts
// every stay of a shelter without naming anyone.
type ShelterService interface {
	// FindShelters lists the shelters the actor sees, by name, with their
	// beds and occupancy now.
	FindShelters(ctx context.Context, f ShelterFilter) ([]*Shelter, int, error)
	// FindShelterByID returns a shelter the actor sees; EINVALID on
	// provider_id for a provider that is not a shelter.
	FindShelterByID(ctx context.Context, providerID string) (*Shelter, error)
	// AddBed adds a bed to a shelter the actor keeps. A repeated id is
	// applied once.
	AddBed(ctx context.Context, b *ShelterBed) error
	// VoidBed retires a free bed with a reason; an occupied one is
	// ECONFLICT.
	VoidBed(ctx context.Context, id string, version int, reason string) (*ShelterBed, error)
	// FindStays lists stays in the actor's case.read scope, the latest
	// admission first.
	FindStays(ctx context.Context, f StayFilter) ([]*ShelterStay, int, error)
	// Admit admits a person to a free bed of a shelter the admitting
	// organisation shares. A bed taken, at that time or by a stay that
	// ended after the admission day, is ECONFLICT err.shelter.bed_taken,
	// even when two admissions race for it. A repeated id is applied once.
	Admit(ctx context.Context, s *ShelterStay) error
	// Discharge ends an open stay; a discharge before the admission is
	// EINVALID.
	Discharge(ctx context.Context, id string, d StayDischarge) (*ShelterStay, error)
	// VoidStay voids a stay recorded by mistake, with a reason.
	VoidStay(ctx context.Context, id string, version int, reason string) (*ShelterStay, error)
	// Occupancy returns a shelter's occupancy each night from from to to
	// (days, both included), counting every stay without naming anyone.
	Occupancy(ctx context.Context, providerID string, from, to time.Time) ([]OccupancyDay, error)
}
