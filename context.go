package caunoi

import (
	"context"
	"slices"
	"strings"
)

// Role is a named set of permissions held on an organisation.
type Role string

// The roles of Cầu Nối (GLOSSARY.md).
const (
	RoleOutreachWorker  Role = "outreach_worker"
	RolePeerEducator    Role = "peer_educator"
	RoleGroupLeader     Role = "group_leader"
	RoleProvinceOfficer Role = "province_officer"
	RoleNationalOfficer Role = "national_officer"
	RoleAdmin           Role = "admin"
)

// Roles lists every role, from the field upward.
var Roles = []Role{RoleOutreachWorker, RolePeerEducator, RoleGroupLeader, RoleProvinceOfficer, RoleNationalOfficer, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Permission is a named right. Routes and storage methods ask for
// permissions, never for roles.
type Permission string

// The permissions.
const (
	PermOrgRead      Permission = "org.read"         // see organisations of the subtree
	PermOrgWrite     Permission = "org.write"        // create and edit organisations of the subtree; void those below one's own
	PermUserRead     Permission = "user.read"        // see users holding roles in the subtree
	PermUserWrite    Permission = "user.write"       // create users and grant roles in the subtree
	PermAuditRead    Permission = "audit.read"       // read the audit trail of the subtree
	PermUnitRead     Permission = "admin_unit.read"  // see administrative units
	PermUnitWrite    Permission = "admin_unit.write" // import administrative units
	PermClientRead   Permission = "client.read"      // see client-level records of the subtree
	PermClientWrite  Permission = "client.write"     // register and edit clients
	PermContactWrite Permission = "contact.write"    // record outreach contacts
	PermReportRead   Permission = "report.read"      // see aggregate numbers of the subtree
	PermMonitorWrite Permission = "monitoring.write" // set targets, define indicators, map indicators to DHIS2
	PermTokenOwn     Permission = "token.own"        // manage one's own API tokens
	// Services and referrals.
	PermProviderRead  Permission = "provider.read"  // see the directory of service providers shared with one's organisations
	PermProviderWrite Permission = "provider.write" // keep the providers of the subtree
	PermServiceWrite  Permission = "service.write"  // record services given to clients and referrals

	// Money (fund.go, loan.go, budget.go; README "Money").
	PermFundRead     Permission = "fund.read"     // see funds, their ledgers and portfolio figures
	PermFundWrite    Permission = "fund.write"    // open funds, record capital and transfers
	PermLoanWrite    Permission = "loan.write"    // record loan applications and repayments
	PermLoanAppraise Permission = "loan.appraise" // record the club's appraisal of an application
	PermLoanApprove  Permission = "loan.approve"  // approve, reject and write off loans
	PermLoanDisburse Permission = "loan.disburse" // pay out approved loans from a fund
	PermBudgetRead   Permission = "budget.read"   // see norms, plans and expenditures
	PermBudgetWrite  Permission = "budget.write"  // make plans and record expenditures
	PermNormWrite    Permission = "norm.write"    // set unit-cost norms

	// Hotline, shelter and reintegration. Hotline cases and shelter stays
	// are the most sensitive records (violence, police): case.read is held
	// by the staff of the group running the hotline (group leaders, peer
	// educators) and the province officers above it, never by outreach
	// workers, national officers or administrators.
	PermCaseRead           Permission = "case.read"           // see hotline cases and shelter stays of the subtree
	PermCaseWrite          Permission = "case.write"          // take hotline calls: cases, follow-ups, referrals, closing
	PermShelterWrite       Permission = "shelter.write"       // keep the beds of shelters, admit and discharge
	PermReintegrationWrite Permission = "reintegration.write" // prepare residents' return, influence maps, handover, follow-ups, relapse
)

// Permissions lists every permission.
var Permissions = []Permission{PermOrgRead, PermOrgWrite, PermUserRead, PermUserWrite, PermAuditRead,
	PermUnitRead, PermUnitWrite, PermClientRead, PermClientWrite, PermContactWrite, PermReportRead, PermTokenOwn,
	PermProviderRead, PermProviderWrite, PermServiceWrite,
	PermFundRead, PermFundWrite, PermLoanWrite, PermLoanAppraise, PermLoanApprove, PermLoanDisburse, PermBudgetRead, PermBudgetWrite, PermNormWrite,
	PermCaseRead, PermCaseWrite, PermShelterWrite, PermReintegrationWrite, PermMonitorWrite}

// RolePermissions is what each role may do. National officers hold no
// client-level permission: they see aggregates only. Administrators manage
// the system but do not read clients.
//
// Money keeps duties apart: field workers record applications and
// repayments; the group leader appraises for the club and pays out; the
// province officer approves (never a loan she recorded or appraised:
// storage refuses it), writes off, opens funds and keeps the budget; the
// national officer sets the unit-cost norms and sees every fund and budget
// in aggregate.
var RolePermissions = map[Role][]Permission{
	RoleOutreachWorker: {PermOrgRead, PermUnitRead, PermClientRead, PermClientWrite, PermContactWrite, PermTokenOwn,
		PermProviderRead, PermServiceWrite, PermFundRead, PermLoanWrite},
	RolePeerEducator: {PermOrgRead, PermUnitRead, PermClientRead, PermClientWrite, PermContactWrite, PermTokenOwn,
		PermProviderRead, PermServiceWrite, PermFundRead, PermLoanWrite,
		PermCaseRead, PermCaseWrite, PermShelterWrite, PermReintegrationWrite},
	RoleGroupLeader: {PermOrgRead, PermUnitRead, PermClientRead, PermClientWrite, PermContactWrite, PermUserRead, PermReportRead, PermTokenOwn,
		PermProviderRead, PermProviderWrite, PermServiceWrite, PermFundRead, PermLoanWrite, PermLoanAppraise, PermLoanDisburse, PermBudgetRead,
		PermCaseRead, PermCaseWrite, PermShelterWrite, PermReintegrationWrite},
	RoleProvinceOfficer: {PermOrgRead, PermOrgWrite, PermUnitRead, PermClientRead, PermUserRead, PermUserWrite, PermReportRead, PermTokenOwn,
		PermProviderRead, PermProviderWrite, PermFundRead, PermFundWrite, PermLoanApprove, PermBudgetRead, PermBudgetWrite,
		PermCaseRead, PermShelterWrite, PermMonitorWrite},
	RoleNationalOfficer: {PermOrgRead, PermUnitRead, PermReportRead, PermTokenOwn, PermProviderRead,
		PermFundRead, PermBudgetRead, PermNormWrite, PermMonitorWrite},
	RoleAdmin: {PermOrgRead, PermOrgWrite, PermUnitRead, PermUnitWrite, PermUserRead, PermUserWrite, PermAuditRead, PermReportRead, PermTokenOwn, PermMonitorWrite},
}

// Has reports whether the role holds the permission.
func (r Role) Has(p Permission) bool { return slices.Contains(RolePermissions[r], p) }

// Grant is a role held on an organisation; it covers the organisation's
// whole subtree.
type Grant struct {
	Role    Role   `json:"role"`
	OrgID   string `json:"org_id"`
	OrgPath string `json:"-"`
	OrgName string `json:"org_name,omitempty"`
}

// Actor is who is acting: a signed-in user (through a session or an API
// token) or the system itself (command-line tools, migrations, demo data).
type Actor struct {
	UserID      string
	Username    string
	DisplayName string
	Lang        string
	Grants      []Grant
	// System actors act for the program itself and pass every scope check.
	// Only the command line creates them; no request can.
	System bool
}

// SystemActor returns the actor of command-line tools.
func SystemActor() *Actor { return &Actor{Username: "system", DisplayName: "system", System: true} }

// Can reports whether the actor holds p on any organisation.
func (a *Actor) Can(p Permission) bool {
	if a == nil {
		return false
	}
	if a.System {
		return true
	}
	for _, g := range a.Grants {
		if g.Role.Has(p) {
			return true
		}
	}
	return false
}

// ScopePaths returns the materialised paths of the organisations on which
// the actor holds p; records whose organisation path starts with one of
// them are in scope. The paths never overlap: a path inside another is
// left out.
func (a *Actor) ScopePaths(p Permission) []string {
	if a == nil {
		return nil
	}
	var paths []string
	for _, g := range a.Grants {
		if g.Role.Has(p) && g.OrgPath != "" {
			paths = append(paths, g.OrgPath)
		}
	}
	slices.Sort(paths)
	out := paths[:0]
	for _, p := range paths {
		if len(out) > 0 && strings.HasPrefix(p, out[len(out)-1]) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// CanAt reports whether the actor holds p on the organisation with the
// given materialised path (directly or through an ancestor).
func (a *Actor) CanAt(p Permission, orgPath string) bool {
	if a == nil {
		return false
	}
	if a.System {
		return true
	}
	for _, sp := range a.ScopePaths(p) {
		if strings.HasPrefix(orgPath, sp) {
			return true
		}
	}
	return false
}

// HasRole reports whether the actor holds the role anywhere.
func (a *Actor) HasRole(r Role) bool {
	if a == nil {
		return false
	}
	for _, g := range a.Grants {
		if g.Role == r {
			return true
		}
	}
	return false
}

type actorKey struct{}

// NewContextWithActor returns a context that carries the actor.
func NewContextWithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the actor in the context, or nil.
func ActorFromContext(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// RequireActor returns the actor in the context, or EUNAUTHORIZED.
func RequireActor(ctx context.Context) (*Actor, error) {
	a := ActorFromContext(ctx)
	if a == nil {
		return nil, Errorf(EUNAUTHORIZED, "err.unauthorized", nil)
	}
	return a, nil
}

// Require returns the actor in the context if it holds p anywhere, or
// EUNAUTHORIZED / EFORBIDDEN.
func Require(ctx context.Context, p Permission) (*Actor, error) {
	a, err := RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Can(p) {
		return nil, Forbidden()
	}
	return a, nil
}
