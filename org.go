package caunoi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// OrgKind is the kind of an organisation.
type OrgKind string

// Kinds of organisation.
const (
	OrgNational OrgKind = "national" // Cục Phòng, chống tệ nạn xã hội
	OrgProvince OrgKind = "province" // Sở / Chi cục
	OrgNGO      OrgKind = "ngo"      // tổ chức cộng đồng, NGO
	OrgGroup    OrgKind = "group"    // nhóm, câu lạc bộ
)

// OrgKinds lists the kinds of organisation.
var OrgKinds = []OrgKind{OrgNational, OrgProvince, OrgNGO, OrgGroup}

// GroupKind is the kind of a community group.
type GroupKind string

// Kinds of group.
const (
	GroupPeer     GroupKind = "peer_group"      // nhóm đồng đẳng
	GroupSelfHelp GroupKind = "self_help_group" // nhóm tự lực
	GroupClub     GroupKind = "club"            // câu lạc bộ
)

// GroupKinds lists the kinds of group.
var GroupKinds = []GroupKind{GroupPeer, GroupSelfHelp, GroupClub}

// Model is a programme model a group runs (seeds 000–004).
type Model string

// The programme models.
const (
	ModelPeerCapacity      Model = "peer_capacity"      // năng lực nhóm đồng đẳng, nhóm tự lực, CLB
	ModelCommunityServices Model = "community_services" // dịch vụ tại cộng đồng, cơ sở trợ giúp xã hội
	ModelWorkersRights     Model = "workers_rights"     // quyền của người lao động tại cơ sở kinh doanh dịch vụ
	ModelCommunityPower    Model = "community_power"    // sức mạnh cộng đồng
	ModelReintegration     Model = "reintegration"      // mạng lưới CLB hỗ trợ tái hòa nhập
)

// Models lists the programme models.
var Models = []Model{ModelPeerCapacity, ModelCommunityServices, ModelWorkersRights, ModelCommunityPower, ModelReintegration}

// allowedParents says under which kinds each kind may stand.
var allowedParents = map[OrgKind][]OrgKind{
	OrgNational: nil,
	OrgProvince: {OrgNational},
	OrgNGO:      {OrgNational, OrgProvince},
	OrgGroup:    {OrgProvince, OrgNGO},
}

// CanStandUnder reports whether an organisation of kind k may have a parent
// of kind parent.
func (k OrgKind) CanStandUnder(parent OrgKind) bool {
	return slices.Contains(allowedParents[k], parent)
}

// Organisation is a node of the organisation tree. Path is the materialised
// path of ids from the root, "/id1/id2/", so a subtree is a prefix.
type Organisation struct {
	ID            string     `json:"id"`
	ParentID      string     `json:"parent_id,omitempty"`
	Kind          OrgKind    `json:"kind"`
	GroupKind     GroupKind  `json:"group_kind,omitempty"`
	Name          string     `json:"name"`
	AdminUnitCode string     `json:"admin_unit_code,omitempty"`
	Models        []Model    `json:"models"`
	Founded       *time.Time `json:"founded,omitempty"`
	Path          string     `json:"path"`
	Depth         int        `json:"depth"`
	Version       int        `json:"version"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	Voiding
}

// Validate checks the organisation's own fields.
func (o *Organisation) Validate() error {
	var v Validator
	checkID(&o.ID, &v)
	o.Name = strings.TrimSpace(o.Name)
	v.Check(o.Name != "", "name", "err.field.required", nil)
	v.Check(len([]rune(o.Name)) <= 200, "name", "err.field.too_long", map[string]any{"Max": 200})
	v.Check(slices.Contains(OrgKinds, o.Kind), "kind", "err.org.kind", nil)
	if o.Kind == OrgGroup {
		v.Check(slices.Contains(GroupKinds, o.GroupKind), "group_kind", "err.org.group_kind", nil)
	} else {
		v.Check(o.GroupKind == "", "group_kind", "err.org.group_kind_only_groups", nil)
		v.Check(len(o.Models) == 0, "models", "err.org.models_only_groups", nil)
	}
	for _, m := range o.Models {
		v.Check(slices.Contains(Models, m), "models", "err.org.model", map[string]any{"Model": string(m)})
	}
	slices.Sort(o.Models)
	o.Models = slices.Compact(o.Models)
	v.Check(o.Kind == OrgNational || o.ParentID != "", "parent_id", "err.org.parent_required", nil)
	v.Check(o.Kind != OrgNational || o.ParentID == "", "parent_id", "err.org.national_no_parent", nil)
	v.Check(o.Kind != OrgProvince || o.AdminUnitCode != "", "admin_unit_code", "err.org.province_unit_required", nil)
	if o.Founded != nil {
		v.Check(o.Founded.Year() >= 1900 && !o.Founded.After(time.Now()), "founded", "err.date.range", nil)
	}
	return v.Err()
}

// OrgFilter selects organisations.
type OrgFilter struct {
	ParentID      string
	Kind          OrgKind
	Query         string // part of the name, without regard to case or diacritics
	IncludeVoided bool
	Page
}

// OrgUpdate is a change to an organisation. Version must be the version
// the user saw; a stale version is refused with ECONFLICT.
type OrgUpdate struct {
	Version       int        `json:"version"`
	Name          *string    `json:"name,omitempty"`
	GroupKind     *GroupKind `json:"group_kind,omitempty"`
	AdminUnitCode *string    `json:"admin_unit_code,omitempty"`
	Models        *[]Model   `json:"models,omitempty"`
	Founded       *time.Time `json:"founded,omitempty"`
}

// Apply copies the set fields onto o.
func (u OrgUpdate) Apply(o *Organisation) {
	if u.Name != nil {
		o.Name = *u.Name
	}
	if u.GroupKind != nil {
		o.GroupKind = *u.GroupKind
	}
	if u.AdminUnitCode != nil {
		o.AdminUnitCode = *u.AdminUnitCode
	}
	if u.Models != nil {
		o.Models = slices.Clone(*u.Models)
	}
	if u.Founded != nil {
		o.Founded = u.Founded
	}
}

// OrgService manages the organisation tree. Every method scopes by the
// actor in the context: an organisation outside the actor's subtree is
// ENOTFOUND.
type OrgService interface {
	// FindOrgByID returns an organisation in the actor's org.read scope.
	FindOrgByID(ctx context.Context, id string) (*Organisation, error)
	// FindOrgs lists organisations in the actor's org.read scope, by path.
	FindOrgs(ctx context.Context, f OrgFilter) ([]*Organisation, int, error)
	// CreateOrg creates an organisation under a parent on which the actor
	// holds org.write. A repeated create with the same id returns the stored
	// record and changes nothing.
	CreateOrg(ctx context.Context, o *Organisation) error
	// UpdateOrg changes an organisation in the actor's org.write scope.
	// ECONFLICT on a stale version.
	UpdateOrg(ctx context.Context, id string, u OrgUpdate) (*Organisation, error)
	// VoidOrg voids an organisation with no live children, with a reason.
	VoidOrg(ctx context.Context, id string, version int, reason string) (*Organisation, error)
}
