package caunoi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Kinds of place where outreach happens.
const (
	PlaceHotspot       = "hotspot"       // điểm nóng, địa bàn
	PlaceEstablishment = "establishment" // cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm
)

// PlaceKinds lists the kinds of place.
var PlaceKinds = []string{PlaceHotspot, PlaceEstablishment}

// PlaceTypes lists the types of hotspot and establishment.
var PlaceTypes = []string{"karaoke", "hotel", "guesthouse", "massage", "bar", "street", "other"}

// VisitPurposes lists why a worker visits a place.
var VisitPurposes = []string{"labour_law", "health_info", "commodities", "gbv_prevention", "survey", "other"}

// Place is a hotspot or an at-risk establishment that a group reaches.
type Place struct {
	ID               string    `json:"id"`
	OrgID            string    `json:"org_id"`
	OrgPath          string    `json:"-"`
	Kind             string    `json:"kind"`
	Type             string    `json:"type"`
	Name             string    `json:"name"`
	Address          string    `json:"address,omitempty"`
	AdminUnitCode    string    `json:"admin_unit_code,omitempty"`
	Lat              *float64  `json:"lat,omitempty"`
	Lng              *float64  `json:"lng,omitempty"`
	EstimatedWorkers int       `json:"estimated_workers"`
	Notes            string    `json:"notes,omitempty"`
	Version          int       `json:"version"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	Voiding
}

// Validate checks the place's own fields.
func (p *Place) Validate() error {
	var v Validator
	checkID(&p.ID, &v)
	p.Name, p.Address = strings.TrimSpace(p.Name), strings.TrimSpace(p.Address)
	v.Check(p.OrgID != "", "org_id", "err.field.required", nil)
	v.Check(slices.Contains(PlaceKinds, p.Kind), "kind", "err.field.choice", nil)
	v.Check(slices.Contains(PlaceTypes, p.Type), "type", "err.field.choice", nil)
	v.Check(p.Name != "" && len([]rune(p.Name)) <= 200, "name", "err.field.required_short", map[string]any{"Max": 200})
	v.Check(len([]rune(p.Address)) <= 300, "address", "err.field.too_long", map[string]any{"Max": 300})
	v.Check((p.Lat == nil) == (p.Lng == nil), "lat", "err.place.coordinates", nil)
	if p.Lat != nil && p.Lng != nil {
		// Vietnam and its seas, generously.
		v.Check(*p.Lat >= 5 && *p.Lat <= 25 && *p.Lng >= 100 && *p.Lng <= 120, "lat", "err.place.coordinates", nil)
	}
	v.Check(p.EstimatedWorkers >= 0 && p.EstimatedWorkers <= 100000, "estimated_workers", "err.field.quantity", nil)
	v.Check(len([]rune(p.Notes)) <= 2000, "notes", "err.field.too_long", map[string]any{"Max": 2000})
	return v.Err()
}

// PlaceFilter selects places.
type PlaceFilter struct {
	OrgID string
	Kind  string
	Type  string
	Query string
	Page
}

// PlaceUpdate changes a place. Version must be the one the user saw.
type PlaceUpdate struct {
	Version          int      `json:"version"`
	Type             *string  `json:"type,omitempty"`
	Name             *string  `json:"name,omitempty"`
	Address          *string  `json:"address,omitempty"`
	AdminUnitCode    *string  `json:"admin_unit_code,omitempty"`
	Lat              *float64 `json:"lat,omitempty"`
	Lng              *float64 `json:"lng,omitempty"`
	EstimatedWorkers *int     `json:"estimated_workers,omitempty"`
	Notes            *string  `json:"notes,omitempty"`
}

// Apply copies the set fields onto p.
func (u PlaceUpdate) Apply(p *Place) {
	if u.Type != nil {
		p.Type = *u.Type
	}
	if u.Name != nil {
		p.Name = *u.Name
	}
	if u.Address != nil {
		p.Address = *u.Address
	}
	if u.AdminUnitCode != nil {
		p.AdminUnitCode = *u.AdminUnitCode
	}
	if u.Lat != nil {
		p.Lat = u.Lat
	}
	if u.Lng != nil {
		p.Lng = u.Lng
	}
	if u.EstimatedWorkers != nil {
		p.EstimatedWorkers = *u.EstimatedWorkers
	}
	if u.Notes != nil {
		p.Notes = *u.Notes
	}
}

// Visit is a worker's visit to a place: labour-law outreach, condoms left
// with the owner, a survey.
type Visit struct {
	ID          string         `json:"id"`
	PlaceID     string         `json:"place_id"`
	OrgPath     string         `json:"-"`
	WorkerID    string         `json:"worker_id"`
	VisitedOn   Date           `json:"visited_on"`
	Purposes    []string       `json:"purposes"`
	Commodities map[string]int `json:"commodities,omitempty"`
	Notes       string         `json:"notes,omitempty"`
	Version     int            `json:"version"`
	CreatedAt   time.Time      `json:"created_at"`
	Voiding
}

// Validate checks the visit's own fields.
func (vi *Visit) Validate(now time.Time) error {
	var v Validator
	checkID(&vi.ID, &v)
	v.Check(vi.PlaceID != "", "place_id", "err.field.required", nil)
	checkDay(&v, "visited_on", time.Time(vi.VisitedOn), now)
	v.Check(len(vi.Purposes) > 0, "purposes", "err.visit.purpose_required", nil)
	for _, p := range vi.Purposes {
		v.Check(slices.Contains(VisitPurposes, p), "purposes", "err.field.choice", nil)
	}
	slices.Sort(vi.Purposes)
	vi.Purposes = slices.Compact(vi.Purposes)
	checkCommodities(&v, vi.Commodities)
	v.Check(len([]rune(vi.Notes)) <= 2000, "notes", "err.field.too_long", map[string]any{"Max": 2000})
	return v.Err()
}

// VisitFilter selects visits.
type VisitFilter struct {
	PlaceID  string
	WorkerID string
	From, To *time.Time
	Page
}

// PlaceService manages hotspots, establishments and visits, scoped like
// clients: places belong to the organisation that maps them.
type PlaceService interface {
	// FindPlaces lists places in the actor's client.read scope by name.
	FindPlaces(ctx context.Context, f PlaceFilter) ([]*Place, int, error)
	// FindPlaceByID returns a place in scope.
	FindPlaceByID(ctx context.Context, id string) (*Place, error)
	// CreatePlace maps a place for an organisation where the actor holds
	// contact.write; a repeated id is applied once.
	CreatePlace(ctx context.Context, p *Place) error
	// UpdatePlace changes a place; ECONFLICT on a stale version.
	UpdatePlace(ctx context.Context, id string, u PlaceUpdate) (*Place, error)
	// VoidPlace voids a place with a reason.
	VoidPlace(ctx context.Context, id string, version int, reason string) (*Place, error)
	// RecordVisit records the actor's visit to a place in scope.
	RecordVisit(ctx context.Context, v *Visit) error
	// FindVisits lists visits in scope, newest first.
	FindVisits(ctx context.Context, f VisitFilter) ([]*Visit, int, error)
}

// checkDay checks a day something happened: from 1900, not in the future
// (Vietnam's date), not empty.
func checkDay(v *Validator, field string, d time.Time, now time.Time) {
	if d.IsZero() {
		v.Add(field, "err.date.required", nil)
		return
	}
	n := now.In(Zone)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	v.Check(d.Year() >= 1900 && !d.After(today), field, "err.date.range", nil)
}

// checkCommodities checks commodities handed out and their quantities.
func checkCommodities(v *Validator, c map[string]int) {
	for k, n := range c {
		v.Check(slices.Contains(Commodities, k), "commodities", "err.field.choice", nil)
		v.Check(n >= 0 && n <= 100000, "commodities", "err.contact.quantity", nil)
	}
}
