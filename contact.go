package caunoi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Channels of an outreach contact.
var Channels = []string{"in_person", "phone", "zalo", "other"}

// Commodities handed out during outreach.
var Commodities = []string{"condom", "lubricant", "needle", "leaflet"}

// Contact is one outreach contact: a peer educator or outreach worker
// meeting a client (or an anonymous person) at a time and place.
type Contact struct {
	ID             string         `json:"id"`
	OrgID          string         `json:"org_id"`
	OrgPath        string         `json:"-"`
	WorkerID       string         `json:"worker_id"`
	ClientID       string         `json:"client_id,omitempty"`
	AnonSex        string         `json:"anon_sex,omitempty"`
	AnonPopulation Population     `json:"anon_population,omitempty"`
	At             time.Time      `json:"at"`
	Channel        string         `json:"channel"`
	PlaceID        string         `json:"place_id,omitempty"`
	Place          string         `json:"place,omitempty"`
	Topics         []string       `json:"topics,omitempty"`
	Commodities    map[string]int `json:"commodities,omitempty"`
	Notes          string         `json:"notes,omitempty"`
	Version        int            `json:"version"`
	CreatedAt      time.Time      `json:"created_at"`
	Voiding
}

// Validate checks the contact's own fields.
func (c *Contact) Validate(now time.Time) error {
	var v Validator
	checkID(&c.ID, &v)
	c.Place = strings.TrimSpace(c.Place)
	v.Check(c.OrgID != "", "org_id", "err.field.required", nil)
	v.Check(!c.At.IsZero(), "at", "err.date.required", nil)
	v.Check(c.At.IsZero() || (c.At.Year() >= 1900 && !c.At.After(now.Add(5*time.Minute))), "at", "err.date.range", nil)
	if c.Channel == "" {
		c.Channel = "in_person"
	}
	v.Check(slices.Contains(Channels, c.Channel), "channel", "err.field.choice", nil)
	if c.ClientID == "" {
		v.Check(slices.Contains(Sexes, c.AnonSex), "anon_sex", "err.contact.anon_needs_sex", nil)
		v.Check(slices.Contains(Populations, c.AnonPopulation), "anon_population", "err.contact.anon_needs_population", nil)
	}
	checkCommodities(&v, c.Commodities)
	for _, t := range c.Topics {
		v.Check(slices.Contains(Topics, t), "topics", "err.field.choice", nil)
	}
	slices.Sort(c.Topics)
	c.Topics = slices.Compact(c.Topics)
	v.Check(len([]rune(c.Place)) <= 200, "place", "err.field.too_long", map[string]any{"Max": 200})
	v.Check(len([]rune(c.Notes)) <= 2000, "notes", "err.field.too_long", map[string]any{"Max": 2000})
	return v.Err()
}

// ContactFilter selects contacts.
type ContactFilter struct {
	OrgID      string
	WorkerID   string
	ClientID   string
	PlaceID    string
	Population Population // the client's, or the anonymous person's
	From, To   *time.Time
	Page
}

// ContactService records outreach contacts, scoped like clients.
type ContactService interface {
	// FindContacts lists contacts in the actor's client.read scope, newest first.
	FindContacts(ctx context.Context, f ContactFilter) ([]*Contact, int, error)
	// CreateContact records a contact by the actor in an organisation where
	// it holds contact.write. A repeated create with the same id is applied once.
	CreateContact(ctx context.Context, c *Contact) error
	// VoidContact voids a contact with a reason.
	VoidContact(ctx context.Context, id string, version int, reason string) (*Contact, error)
}
