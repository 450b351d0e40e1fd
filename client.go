package caunoi

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Population is a key population a client belongs to; a client may belong
// to several.
type Population string

// The populations (GLOSSARY.md).
const (
	PopSexWork     Population = "sex_work"
	PopAtRisk      Population = "at_risk"
	PopVenueWorker Population = "venue_worker"
	PopDrugUse     Population = "drug_use"
	PopPostRehab   Population = "post_rehab"
	PopPLHIV       Population = "plhiv"
	PopFamily      Population = "family"
)

// Populations lists the populations.
var Populations = []Population{PopSexWork, PopAtRisk, PopVenueWorker, PopDrugUse, PopPostRehab, PopPLHIV, PopFamily}

// Sexes a record may carry.
var Sexes = []string{"female", "male", "other"}

// Residence statuses.
var Residences = []string{"local", "other_province", "mobile"}

// Client statuses.
var ClientStatuses = []string{"active", "exited", "moved", "relapsed", "deceased"}

var uicRE = regexp.MustCompile(`^[A-Z0-9]{6,20}$`)

// phoneRE accepts a Vietnamese phone number as people type it.
var phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 .\-]{7,16}[0-9]$`)

// idNumberRE accepts an identity card (9 or 12 digits) or a passport number.
var idNumberRE = regexp.MustCompile(`^[A-Za-z0-9 \-]{6,20}$`)

// Membership is a client's membership of a group: peer groups and clubs
// count their members.
type Membership struct {
	ID       string     `json:"id"`
	ClientID string     `json:"client_id"`
	OrgID    string     `json:"org_id"`
	OrgName  string     `json:"org_name,omitempty"`
	Role     string     `json:"role"`
	JoinedOn Date       `json:"joined_on"`
	LeftOn   *time.Time `json:"left_on,omitempty"`
}

// MembershipRoles are the roles a member holds in a group.
var MembershipRoles = []string{"member", "peer_educator", "leader"}

// ConsentPurposes are what a client may agree to, each on its own.
var ConsentPurposes = []string{"services", "referral_sharing", "follow_up_contact"}

// Consent is a client's agreement to one purpose, from a day until
// withdrawn.
type Consent struct {
	ID          string     `json:"id"`
	ClientID    string     `json:"client_id"`
	Purpose     string     `json:"purpose"`
	GivenOn     Date       `json:"given_on"`
	RecordedBy  string     `json:"recorded_by"`
	WithdrawnOn *time.Time `json:"withdrawn_on,omitempty"`
	WithdrawnBy string     `json:"withdrawn_by,omitempty"`
}

// Active reports whether the consent holds now.
func (c Consent) Active() bool { return c.WithdrawnOn == nil }

// StatusChange is one line of a client's status history.
type StatusChange struct {
	Status    string `json:"status"`
	ChangedOn Date   `json:"changed_on"`
	Note      string `json:"note,omitempty"`
	ChangedBy string `json:"changed_by"`
}

// UICMatch tells whether a UIC is already known: the clients in the
// actor's scope, and only how many elsewhere, never who they are.
type UICMatch struct {
	InScope   []*Client `json:"in_scope"`
	Elsewhere int       `json:"elsewhere"`
}

// Client is a pseudonymous person served by a group: a nickname, birth
// year, sex, populations and a unique identifier code are enough.
type Client struct {
	ID          string       `json:"id"`
	OrgID       string       `json:"org_id"`
	OrgPath     string       `json:"-"`
	Nickname    string       `json:"nickname"`
	BirthYear   int          `json:"birth_year,omitempty"`
	Sex         string       `json:"sex"`
	Populations []Population `json:"populations"`
	UIC         string       `json:"uic,omitempty"`
	Residence   string       `json:"residence"`
	// Identifying fields: optional, encrypted at rest, shown only on the
	// client's own page (an audited read).
	LegalName string `json:"legal_name,omitempty"`
	Phone     string `json:"phone,omitempty"`
	IDNumber  string `json:"id_number,omitempty"`
	// Loaded with the client's page only.
	Memberships   []Membership   `json:"memberships,omitempty"`
	Consents      []Consent      `json:"consents,omitempty"`
	StatusHistory []StatusChange `json:"status_history,omitempty"`
	Status        string         `json:"status"`
	Version       int            `json:"version"`
	CreatedBy     string         `json:"created_by,omitempty"`
	CreatedAt     time.Time      `json:"created_at"`
	UpdatedAt     time.Time      `json:"updated_at"`
	Voiding
}

// Validate checks the client's own fields.
func (c *Client) Validate(now time.Time) error {
	var v Validator
	checkID(&c.ID, &v)
	c.Nickname = strings.TrimSpace(c.Nickname)
	c.UIC = strings.ToUpper(strings.TrimSpace(c.UIC))
	v.Check(c.OrgID != "", "org_id", "err.field.required", nil)
	v.Check(c.Nickname != "", "nickname", "err.field.required", nil)
	v.Check(len([]rune(c.Nickname)) <= 60, "nickname", "err.field.too_long", map[string]any{"Max": 60})
	v.Check(c.BirthYear == 0 || (c.BirthYear >= 1900 && c.BirthYear <= now.Year()), "birth_year", "err.client.birth_year", map[string]any{"Max": now.Year()})
	v.Check(slices.Contains(Sexes, c.Sex), "sex", "err.field.choice", nil)
	v.Check(len(c.Populations) > 0, "populations", "err.client.population_required", nil)
	for _, p := range c.Populations {
		v.Check(slices.Contains(Populations, p), "populations", "err.field.choice", nil)
	}
	slices.Sort(c.Populations)
	c.Populations = slices.Compact(c.Populations)
	v.Check(c.UIC == "" || uicRE.MatchString(c.UIC), "uic", "err.client.uic", nil)
	c.LegalName, c.Phone, c.IDNumber = strings.TrimSpace(c.LegalName), strings.TrimSpace(c.Phone), strings.TrimSpace(c.IDNumber)
	v.Check(len([]rune(c.LegalName)) <= 100, "legal_name", "err.field.too_long", map[string]any{"Max": 100})
	v.Check(c.Phone == "" || phoneRE.MatchString(c.Phone), "phone", "err.client.phone", nil)
	v.Check(c.IDNumber == "" || idNumberRE.MatchString(c.IDNumber), "id_number", "err.client.id_number", nil)
	if c.Residence == "" {
		c.Residence = "local"
	}
	v.Check(slices.Contains(Residences, c.Residence), "residence", "err.field.choice", nil)
	if c.Status == "" {
		c.Status = "active"
	}
	v.Check(slices.Contains(ClientStatuses, c.Status), "status", "err.field.choice", nil)
	return v.Err()
}

// ClientFilter selects clients.
type ClientFilter struct {
	OrgID      string
	Population Population
	Status     string
	Query      string // nickname or UIC
	Page
}

// ClientUpdate changes a client. Version must be the one the user saw.
type ClientUpdate struct {
	Version     int           `json:"version"`
	Nickname    *string       `json:"nickname,omitempty"`
	BirthYear   *int          `json:"birth_year,omitempty"`
	Sex         *string       `json:"sex,omitempty"`
	Populations *[]Population `json:"populations,omitempty"`
	UIC         *string       `json:"uic,omitempty"`
	Residence   *string       `json:"residence,omitempty"`
	Status      *string       `json:"status,omitempty"` // from today; ChangeStatus sets another day and a note
	LegalName   *string       `json:"legal_name,omitempty"`
	Phone       *string       `json:"phone,omitempty"`
	IDNumber    *string       `json:"id_number,omitempty"`
}

// Apply copies the set fields onto c.
func (u ClientUpdate) Apply(c *Client) {
	if u.Nickname != nil {
		c.Nickname = *u.Nickname
	}
	if u.BirthYear != nil {
		c.BirthYear = *u.BirthYear
	}
	if u.Sex != nil {
		c.Sex = *u.Sex
	}
	if u.Populations != nil {
		c.Populations = slices.Clone(*u.Populations)
	}
	if u.UIC != nil {
		c.UIC = *u.UIC
	}
	if u.Residence != nil {
		c.Residence = *u.Residence
	}
	if u.Status != nil {
		c.Status = *u.Status
	}
	if u.LegalName != nil {
		c.LegalName = *u.LegalName
	}
	if u.Phone != nil {
		c.Phone = *u.Phone
	}
	if u.IDNumber != nil {
		c.IDNumber = *u.IDNumber
	}
}

// ClientService manages clients. Client-level rows need client.read on the
// client's organisation: national officers and administrators never get
// them.
type ClientService interface {
	// FindClientByID returns a client in scope and writes the read to the
	// audit trail.
	FindClientByID(ctx context.Context, id string) (*Client, error)
	// FindClients lists clients in the actor's client.read scope.
	FindClients(ctx context.Context, f ClientFilter) ([]*Client, int, error)
	// CreateClient registers a client in an organisation on which the actor
	// holds client.write. A repeated create with the same id is applied once.
	CreateClient(ctx context.Context, c *Client) error
	// UpdateClient changes a client; ECONFLICT on a stale version.
	UpdateClient(ctx context.Context, id string, u ClientUpdate) (*Client, error)
	// VoidClient voids a client record entered by mistake, with a reason.
	VoidClient(ctx context.Context, id string, version int, reason string) (*Client, error)

	// FindClientsByIdentifier finds clients in scope whose phone or
	// identity number (kind "phone" or "id_number") is exactly value,
	// through the keyed blind index: nothing else is searchable.
	FindClientsByIdentifier(ctx context.Context, kind, value string) ([]*Client, error)
	// MatchUIC looks for clients with the same UIC in every province,
	// through a keyed hash: it returns those in the actor's scope and only
	// the number of the others.
	MatchUIC(ctx context.Context, uic string) (*UICMatch, error)
	// ChangeStatus sets a client's status from a day, with a note, and
	// keeps the history.
	ChangeStatus(ctx context.Context, id string, version int, change StatusChange) (*Client, error)
	// RecordConsent records a client's consent to a purpose.
	RecordConsent(ctx context.Context, c *Consent) error
	// WithdrawConsent records the withdrawal of a consent on a day.
	WithdrawConsent(ctx context.Context, consentID string, on time.Time) (*Consent, error)
	// AddMembership makes a client a member of a group in scope.
	AddMembership(ctx context.Context, m *Membership) error
	// EndMembership records the day a member left.
	EndMembership(ctx context.Context, membershipID string, on time.Time) (*Membership, error)
}
