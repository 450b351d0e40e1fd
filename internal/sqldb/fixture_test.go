package sqldb_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
)

// testPassword is the password of every fixture user (≥ 10 characters).
const testPassword = "mật khẩu đủ dài 2025"

// fixture is an organisation tree on one database, built by the system
// actor, with the services over it. Users are made on first use, because
// every user costs an argon2id hash (~150 ms on the test machine):
//
//	nat  national department (admin, national_officer)
//	├─ hp   province Hải Phòng, unit 31 (province_officer)
//	│  └─ hpg  self-help group (group_leader, peer_educator, outreach_worker)
//	└─ qn   province Quảng Ninh, unit 22 (province_officer)
//	   └─ qng  peer group (group_leader, peer_educator, outreach_worker)
type fixture struct {
	tb  testing.TB
	db  *sqldb.DB
	sys context.Context // the system actor

	Orgs     *sqldb.OrgService
	Users    *sqldb.UserService
	Clients  *sqldb.ClientService
	Contacts *sqldb.ContactService
	Audit    *sqldb.AuditService
	Units    *sqldb.AdminUnitService
	// Field work.
	Places     *sqldb.PlaceService
	Activities *sqldb.ActivityService
	Imports    *sqldb.ImportService

	org   map[string]*caunoi.Organisation // by key: nat, hp, qn, hpg, qng
	users map[string]*caunoi.User         // by role + "@" + org key
}

// newFixture builds the organisation tree (no users yet).
func newFixture(tb testing.TB, db *sqldb.DB) *fixture {
	tb.Helper()
	f := &fixture{
		tb:         tb,
		db:         db,
		sys:        caunoi.NewContextWithActor(tb.Context(), caunoi.SystemActor()),
		Orgs:       sqldb.NewOrgService(db),
		Users:      sqldb.NewUserService(db),
		Clients:    sqldb.NewClientService(db),
		Contacts:   sqldb.NewContactService(db),
		Audit:      sqldb.NewAuditService(db),
		Units:      sqldb.NewAdminUnitService(db),
		Places:     sqldb.NewPlaceService(db),
		Activities: sqldb.NewActivityService(db),
		Imports:    sqldb.NewImportService(db),
		org:        map[string]*caunoi.Organisation{},
		users:      map[string]*caunoi.User{},
	}
	f.addOrg("nat", "", &caunoi.Organisation{Kind: caunoi.OrgNational, Name: "Cục Phòng, chống tệ nạn xã hội"})
	f.addOrg("hp", "nat", &caunoi.Organisation{Kind: caunoi.OrgProvince, Name: "Chi cục PCTNXH Hải Phòng", AdminUnitCode: "31"})
	f.addOrg("qn", "nat", &caunoi.Organisation{Kind: caunoi.OrgProvince, Name: "Chi cục PCTNXH Quảng Ninh", AdminUnitCode: "22"})
	f.addOrg("hpg", "hp", &caunoi.Organisation{Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupSelfHelp, Name: "Nhóm tự lực Hoa Sen",
		Models: []caunoi.Model{caunoi.ModelPeerCapacity}})
	f.addOrg("qng", "qn", &caunoi.Organisation{Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupPeer, Name: "Nhóm đồng đẳng Hạ Long"})
	return f
}

// addOrg creates an organisation under the organisation with key parent
// (none for the root) and remembers it under key.
func (f *fixture) addOrg(key, parent string, o *caunoi.Organisation) *caunoi.Organisation {
	f.tb.Helper()
	if parent != "" {
		o.ParentID = f.O(parent).ID
	}
	if err := f.Orgs.CreateOrg(f.sys, o); err != nil {
		f.tb.Fatalf("create org %s: %v", key, err)
	}
	f.org[key] = o
	return o
}

// O returns the organisation with the key.
func (f *fixture) O(key string) *caunoi.Organisation {
	f.tb.Helper()
	o, ok := f.org[key]
	if !ok {
		f.tb.Fatalf("fixture: no org %q", key)
	}
	return o
}

// allOrgs returns the organisations of the fixture.
func (f *fixture) allOrgs() []*caunoi.Organisation {
	var out []*caunoi.Organisation
	for _, o := range f.org {
		out = append(out, o)
	}
	return out
}

// U returns the user holding role on the organisation with key orgKey,
// creating it (by the system actor) on first use. Usernames read
// "<role>.<org key>", e.g. "peer_educator.hpg".
func (f *fixture) U(role caunoi.Role, orgKey string) *caunoi.User {
	f.tb.Helper()
	k := string(role) + "@" + orgKey
	if u, ok := f.users[k]; ok {
		return u
	}
	u := &caunoi.User{
		Username:    string(role) + "." + orgKey,
		DisplayName: string(role) + " " + f.O(orgKey).Name,
		Grants:      []caunoi.Grant{{Role: role, OrgID: f.O(orgKey).ID}},
	}
	if err := f.Users.CreateUser(f.sys, u, testPassword); err != nil {
		f.tb.Fatalf("create user %s: %v", u.Username, err)
	}
	f.users[k] = u
	return u
}

// As returns a context whose actor is the user holding role on orgKey, as
// storage loads it for a session (so its grants carry the org paths). A
// new user's session epoch is 1 (TestAuthenticate checks it); a test that
// bumps the epoch must load the actor itself.
func (f *fixture) As(role caunoi.Role, orgKey string) context.Context {
	f.tb.Helper()
	return f.ctxOf(f.U(role, orgKey))
}

// ctxOf returns a context for the user's session with epoch 1.
func (f *fixture) ctxOf(u *caunoi.User) context.Context {
	f.tb.Helper()
	a, err := f.Users.ActorByUserID(f.tb.Context(), u.ID, 1)
	if err != nil {
		f.tb.Fatalf("actor of %s: %v", u.Username, err)
	}
	return caunoi.NewContextWithActor(f.tb.Context(), a)
}

// allUsers creates every user of the fixture's roles.
func (f *fixture) allUsers() {
	f.tb.Helper()
	f.U(caunoi.RoleAdmin, "nat")
	f.U(caunoi.RoleNationalOfficer, "nat")
	for _, p := range []string{"hp", "qn"} {
		f.U(caunoi.RoleProvinceOfficer, p)
	}
	for _, g := range []string{"hpg", "qng"} {
		f.U(caunoi.RoleGroupLeader, g)
		f.U(caunoi.RolePeerEducator, g)
		f.U(caunoi.RoleOutreachWorker, g)
	}
}

// newClient returns a valid client of the organisation with key orgKey.
func (f *fixture) newClient(orgKey, nickname string) *caunoi.Client {
	return &caunoi.Client{OrgID: f.O(orgKey).ID, Nickname: nickname, BirthYear: 1990, Sex: "female",
		Populations: []caunoi.Population{caunoi.PopSexWork}}
}

// createClient registers a client as the actor of ctx.
func (f *fixture) createClient(ctx context.Context, orgKey, nickname string) *caunoi.Client {
	f.tb.Helper()
	c := f.newClient(orgKey, nickname)
	if err := f.Clients.CreateClient(ctx, c); err != nil {
		f.tb.Fatalf("create client %s: %v", nickname, err)
	}
	return c
}

// newContact returns a valid anonymous contact in the organisation.
func (f *fixture) newContact(orgKey string) *caunoi.Contact {
	return &caunoi.Contact{OrgID: f.O(orgKey).ID, At: time.Now().Add(-time.Hour), Channel: "in_person",
		AnonSex: "female", AnonPopulation: caunoi.PopSexWork, Place: "Chợ Sắt", Commodities: map[string]int{"condom": 10}}
}

// createContact records a contact as the actor of ctx.
func (f *fixture) createContact(ctx context.Context, orgKey string) *caunoi.Contact {
	f.tb.Helper()
	c := f.newContact(orgKey)
	if err := f.Contacts.CreateContact(ctx, c); err != nil {
		f.tb.Fatalf("create contact: %v", err)
	}
	return c
}

// auditEntries lists audit entries as the system actor.
func (f *fixture) auditEntries(filter caunoi.AuditFilter) []*caunoi.AuditEntry {
	f.tb.Helper()
	filter.Limit = caunoi.MaxPageSize
	es, _, err := f.Audit.FindAuditEntries(f.sys, filter)
	if err != nil {
		f.tb.Fatalf("find audit entries: %v", err)
	}
	return es
}

// auditCount counts every audit entry.
func (f *fixture) auditCount() int {
	f.tb.Helper()
	_, n, err := f.Audit.FindAuditEntries(f.sys, caunoi.AuditFilter{})
	if err != nil {
		f.tb.Fatalf("count audit entries: %v", err)
	}
	return n
}

// wantCode fails the test unless err carries the code, and returns it.
func wantCode(tb testing.TB, err error, code caunoi.Code) *caunoi.Error {
	tb.Helper()
	if got := caunoi.ErrorCode(err); got != code {
		tb.Fatalf("error code %q, want %q (error: %v)", got, code, err)
	}
	return caunoi.AsError(err)
}

// wantInvalid fails the test unless err is EINVALID naming the field.
func wantInvalid(tb testing.TB, err error, field string) {
	tb.Helper()
	e := wantCode(tb, err, caunoi.EINVALID)
	if !slices.ContainsFunc(e.Fields, func(fe caunoi.FieldError) bool { return fe.Field == field }) {
		tb.Fatalf("EINVALID without field %q: %v", field, err)
	}
}

// must fails the test on an error.
func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// ids returns the ids of records, sorted.
func ids[T any](xs []T, id func(T) string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, id(x))
	}
	slices.Sort(out)
	return out
}

// sorted returns the strings sorted.
func sorted(s ...string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func orgID(o *caunoi.Organisation) string { return o.ID }
func userID(u *caunoi.User) string        { return u.ID }
func clientID(c *caunoi.Client) string    { return c.ID }
func contactID(c *caunoi.Contact) string  { return c.ID }
