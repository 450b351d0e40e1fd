package caunoi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Kinds of service provider (GLOSSARY.md: cơ sở cung cấp dịch vụ).
const (
	ProviderHealthFacility   = "health_facility"    // cơ sở y tế
	ProviderHIVTestingSite   = "hiv_testing_site"   // điểm xét nghiệm HIV
	ProviderSTIClinic        = "sti_clinic"         // phòng khám STI
	ProviderARVClinic        = "arv_clinic"         // phòng khám ngoại trú ARV
	ProviderMethadoneClinic  = "methadone_clinic"   // cơ sở điều trị Methadone
	ProviderHepatitisClinic  = "hepatitis_clinic"   // phòng khám viêm gan
	ProviderLegalAidCentre   = "legal_aid_centre"   // trung tâm trợ giúp pháp lý
	ProviderVocationalSchool = "vocational_school"  // cơ sở dạy nghề
	ProviderEmployer         = "employer"           // doanh nghiệp, người sử dụng lao động
	ProviderShelter          = "shelter"            // nơi tạm lánh
	ProviderSocialWorkCentre = "social_work_centre" // trung tâm công tác xã hội
	ProviderRehabCentre      = "rehab_centre"       // trung tâm cai nghiện
	ProviderPolice           = "police"             // công an
	ProviderOther            = "other"
)

// ProviderKinds lists the kinds of service provider.
var ProviderKinds = []string{ProviderHealthFacility, ProviderHIVTestingSite, ProviderSTIClinic, ProviderARVClinic,
	ProviderMethadoneClinic, ProviderHepatitisClinic, ProviderLegalAidCentre, ProviderVocationalSchool, ProviderEmployer,
	ProviderShelter, ProviderSocialWorkCentre, ProviderRehabCentre, ProviderPolice, ProviderOther}

// Provider is a service provider of the directory: a clinic, a testing
// site, a legal-aid centre, a vocational school, an employer, a shelter…
// It belongs to the organisation that keeps it (typically a provincial
// department) and is shared with every organisation of that
// organisation's subtree, and with those above it. Services lists the
// service kinds (ServiceKinds) it offers: a referral must ask for one of
// them.
type Provider struct {
	ID      string `json:"id"`
	OrgID   string `json:"org_id"`
	OrgPath string `json:"-"`
	// OrgName is the name of the keeping organisation (read only).
	OrgName       string   `json:"org_name,omitempty"`
	Kind          string   `json:"kind"`
	Name          string   `json:"name"`
	Services      []string `json:"services"`
	Address       string   `json:"address,omitempty"`
	AdminUnitCode string   `json:"admin_unit_code,omitempty"`
	Lat           *float64 `json:"lat,omitempty"`
	Lng           *float64 `json:"lng,omitempty"`
	// Contact is how to reach the provider: a phone, a person, an e-mail.
	Contact      string `json:"contact,omitempty"`
	OpeningHours string `json:"opening_hours,omitempty"`
	// Friendly tells that the provider is known to serve the populations
	// of the programme without stigma (thân thiện).
	Friendly  bool      `json:"friendly"`
	Notes     string    `json:"notes,omitempty"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Voiding
}

// Offers reports whether the provider offers the service kind.
func (p *Provider) Offers(kind string) bool { return slices.Contains(p.Services, kind) }

// Validate checks the provider's own fields.
func (p *Provider) Validate() error {
	var v Validator
	checkID(&p.ID, &v)
	p.Name, p.Address = strings.TrimSpace(p.Name), strings.TrimSpace(p.Address)
	p.Contact, p.OpeningHours = strings.TrimSpace(p.Contact), strings.TrimSpace(p.OpeningHours)
	p.AdminUnitCode = strings.TrimSpace(p.AdminUnitCode)
	v.Check(p.OrgID != "", "org_id", "err.field.required", nil)
	v.Check(slices.Contains(ProviderKinds, p.Kind), "kind", "err.field.choice", nil)
	v.Check(p.Name != "" && len([]rune(p.Name)) <= 200, "name", "err.field.required_short", map[string]any{"Max": 200})
	v.Check(len(p.Services) > 0, "services", "err.provider.services_required", nil)
	for _, s := range p.Services {
		v.Check(slices.Contains(ServiceKinds, s), "services", "err.field.choice", nil)
	}
	slices.Sort(p.Services)
	p.Services = slices.Compact(p.Services)
	v.Check(len([]rune(p.Address)) <= 300, "address", "err.field.too_long", map[string]any{"Max": 300})
	v.Check((p.Lat == nil) == (p.Lng == nil), "lat", "err.place.coordinates", nil)
	if p.Lat != nil && p.Lng != nil {
		// Vietnam and its seas, generously (as for places).
		v.Check(*p.Lat >= 5 && *p.Lat <= 25 && *p.Lng >= 100 && *p.Lng <= 120, "lat", "err.place.coordinates", nil)
	}
	v.Check(len([]rune(p.Contact)) <= 200, "contact", "err.field.too_long", map[string]any{"Max": 200})
	v.Check(len([]rune(p.OpeningHours)) <= 200, "opening_hours", "err.field.too_long", map[string]any{"Max": 200})
	v.Check(len([]rune(p.Notes)) <= 2000, "notes", "err.field.too_long", map[string]any{"Max": 2000})
	return v.Err()
}

// ProviderFilter selects providers.
type ProviderFilter struct {
	OrgID         string // providers kept by this organisation or above it, or below it
	Kind          string
	Service       string // providers offering this service kind
	AdminUnitCode string
	Friendly      bool // only providers marked friendly
	Query         string
	Page
}

// ProviderUpdate changes a provider. Version must be the one the user saw.
// Lat and Lng are set together; ClearLocation removes them.
type ProviderUpdate struct {
	Version       int       `json:"version"`
	Kind          *string   `json:"kind,omitempty"`
	Name          *string   `json:"name,omitempty"`
	Services      *[]string `json:"services,omitempty"`
	Address       *string   `json:"address,omitempty"`
	AdminUnitCode *string   `json:"admin_unit_code,omitempty"`
	Lat           *float64  `json:"lat,omitempty"`
	Lng           *float64  `json:"lng,omitempty"`
	ClearLocation bool      `json:"clear_location,omitempty"`
	Contact       *string   `json:"contact,omitempty"`
	OpeningHours  *string   `json:"opening_hours,omitempty"`
	Friendly      *bool     `json:"friendly,omitempty"`
	Notes         *string   `json:"notes,omitempty"`
}

// Apply copies the set fields onto p.
func (u ProviderUpdate) Apply(p *Provider) {
	if u.Kind != nil {
		p.Kind = *u.Kind
	}
	if u.Name != nil {
		p.Name = *u.Name
	}
	if u.Services != nil {
		p.Services = slices.Clone(*u.Services)
	}
	if u.Address != nil {
		p.Address = *u.Address
	}
	if u.AdminUnitCode != nil {
		p.AdminUnitCode = *u.AdminUnitCode
	}
	if u.ClearLocation {
		p.Lat, p.Lng = nil, nil
	}
	if u.Lat != nil {
		p.Lat = u.Lat
	}
	if u.Lng != nil {
		p.Lng = u.Lng
	}
	if u.Contact != nil {
		p.Contact = *u.Contact
	}
	if u.OpeningHours != nil {
		p.OpeningHours = *u.OpeningHours
	}
	if u.Friendly != nil {
		p.Friendly = *u.Friendly
	}
	if u.Notes != nil {
		p.Notes = *u.Notes
	}
}

// ProviderService keeps the directory of service providers. A provider is
// seen by an actor holding provider.read on an organisation in the
// subtree of the provider's organisation, or above it (a group sees its
// province's directory, a province sees its groups' entries). It is
// changed by an actor holding provider.write on the provider's
// organisation (or above it). Elsewhere a provider is ENOTFOUND.
type ProviderService interface {
	// FindProviders lists the providers the actor sees, by name.
	FindProviders(ctx context.Context, f ProviderFilter) ([]*Provider, int, error)
	// FindProviderByID returns a provider the actor sees.
	FindProviderByID(ctx context.Context, id string) (*Provider, error)
	// CreateProvider adds a provider kept by an organisation where the
	// actor holds provider.write. A repeated create with the same id is
	// applied once.
	CreateProvider(ctx context.Context, p *Provider) error
	// UpdateProvider changes a provider; ECONFLICT on a stale version.
	UpdateProvider(ctx context.Context, id string, u ProviderUpdate) (*Provider, error)
	// VoidProvider voids a provider with a reason. Services and referrals
	// that name it keep it.
	VoidProvider(ctx context.Context, id string, version int, reason string) (*Provider, error)
}
