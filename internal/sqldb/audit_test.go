package sqldb_test

import (
	"encoding/json"
	"strings"
	"testing"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// Every write leaves one audit entry naming the actor, with the record
// before and after as JSON; reading a client's record is audited too.
func TestAuditTrail(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		officerUser := f.U(caunoi.RoleProvinceOfficer, "hp")
		peUser := f.U(caunoi.RolePeerEducator, "hpg")
		officer, pe := f.ctxOf(officerUser), f.ctxOf(peUser)

		type step struct {
			name           string
			actor          *caunoi.User
			action, entity string
			entityID       func() string
			before, after  bool   // whether the entry holds the images
			reason         string // the reason it must carry
			write          func() error
			afterHasField  string // a JSON field the after image must hold
			beforeHasField string
			secret         string // text the entry must not hold
		}
		var org caunoi.Organisation
		var client caunoi.Client
		var contact caunoi.Contact
		var user caunoi.User
		steps := []step{
			{name: "create org", actor: officerUser, action: "create", entity: "org", entityID: func() string { return org.ID }, after: true, afterHasField: "name",
				write: func() error {
					org = caunoi.Organisation{ParentID: f.O("hp").ID, Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupClub, Name: "CLB Hướng Dương"}
					return f.Orgs.CreateOrg(officer, &org)
				}},
			{name: "update org", actor: officerUser, action: "update", entity: "org", entityID: func() string { return org.ID }, before: true, after: true, afterHasField: "version", beforeHasField: "version",
				write: func() error {
					_, err := f.Orgs.UpdateOrg(officer, org.ID, caunoi.OrgUpdate{Version: 1, Name: ptr("CLB Hướng Dương Mới")})
					return err
				}},
			{name: "void org", actor: officerUser, action: "void", entity: "org", entityID: func() string { return org.ID }, before: true, after: true, reason: "nhóm giải thể",
				write: func() error { _, err := f.Orgs.VoidOrg(officer, org.ID, 2, "nhóm giải thể"); return err }},
			{name: "create client", actor: peUser, action: "create", entity: "client", entityID: func() string { return client.ID }, after: true, afterHasField: "nickname",
				write: func() error { client = *f.newClient("hpg", "Hoa"); return f.Clients.CreateClient(pe, &client) }},
			{name: "read client", actor: peUser, action: "read", entity: "client", entityID: func() string { return client.ID },
				write: func() error { _, err := f.Clients.FindClientByID(pe, client.ID); return err }},
			{name: "update client", actor: peUser, action: "update", entity: "client", entityID: func() string { return client.ID }, before: true, after: true, afterHasField: "status",
				write: func() error {
					_, err := f.Clients.UpdateClient(pe, client.ID, caunoi.ClientUpdate{Version: 1, Status: ptr("moved")})
					return err
				}},
			{name: "void client", actor: peUser, action: "void", entity: "client", entityID: func() string { return client.ID }, before: true, after: true, reason: "nhập trùng",
				write: func() error { _, err := f.Clients.VoidClient(pe, client.ID, 2, "nhập trùng"); return err }},
			{name: "create contact", actor: peUser, action: "create", entity: "contact", entityID: func() string { return contact.ID }, after: true, afterHasField: "commodities",
				write: func() error { contact = *f.newContact("hpg"); return f.Contacts.CreateContact(pe, &contact) }},
			{name: "void contact", actor: peUser, action: "void", entity: "contact", entityID: func() string { return contact.ID }, before: true, after: true, reason: "ghi nhầm",
				write: func() error { _, err := f.Contacts.VoidContact(pe, contact.ID, 1, "ghi nhầm"); return err }},
			{name: "create user", actor: officerUser, action: "create", entity: "user", entityID: func() string { return user.ID }, after: true, afterHasField: "username",
				secret: testPassword,
				write: func() error {
					user = caunoi.User{Username: "dong.dang.vien", DisplayName: "Đồng đẳng viên mới", Grants: []caunoi.Grant{{Role: caunoi.RolePeerEducator, OrgID: f.O("hpg").ID}}}
					return f.Users.CreateUser(officer, &user, testPassword)
				}},
			{name: "update user", actor: officerUser, action: "update", entity: "user", entityID: func() string { return user.ID }, before: true, after: true, afterHasField: "display_name",
				write: func() error {
					_, err := f.Users.UpdateUser(officer, user.ID, caunoi.UserUpdate{Version: 1, DisplayName: ptr("Chị Mai")})
					return err
				}},
			{name: "grant", actor: officerUser, action: "grant", entity: "user", entityID: func() string { return user.ID }, after: true, afterHasField: "role",
				write: func() error {
					_, err := f.Users.AddGrant(officer, user.ID, caunoi.Grant{Role: caunoi.RoleOutreachWorker, OrgID: f.O("hpg").ID})
					return err
				}},
			{name: "revoke grant", actor: officerUser, action: "revoke", entity: "user", entityID: func() string { return user.ID }, before: true, beforeHasField: "role",
				write: func() error {
					_, err := f.Users.RemoveGrant(officer, user.ID, caunoi.Grant{Role: caunoi.RoleOutreachWorker, OrgID: f.O("hpg").ID})
					return err
				}},
		}
		for _, s := range steps {
			n := f.auditCount()
			if err := s.write(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if got := f.auditCount(); got != n+1 {
				t.Errorf("%s added %d audit entries, want 1", s.name, got-n)
				continue
			}
			e := f.auditEntries(caunoi.AuditFilter{})[0] // newest first
			if e.Action != s.action || e.Entity != s.entity || e.EntityID != s.entityID() {
				t.Errorf("%s audited as %s %s %s", s.name, e.Action, e.Entity, e.EntityID)
			}
			if e.ActorID != s.actor.ID || e.ActorName != s.actor.Username {
				t.Errorf("%s audited with actor %q %q, want %s", s.name, e.ActorID, e.ActorName, s.actor.Username)
			}
			if e.OrgPath == "" || !strings.HasPrefix(e.OrgPath, f.O("hp").Path) {
				t.Errorf("%s audited at org path %q, want under Hải Phòng", s.name, e.OrgPath)
			}
			if e.Reason != s.reason {
				t.Errorf("%s audited with reason %q, want %q", s.name, e.Reason, s.reason)
			}
			checkImage(t, s.name+" before", e.Before, s.before, s.beforeHasField)
			checkImage(t, s.name+" after", e.After, s.after, s.afterHasField)
			if s.secret != "" && strings.Contains(string(e.Before)+string(e.After), s.secret) {
				t.Errorf("%s: the audit entry holds the password", s.name)
			}
		}

		// Updates keep the old values in "before".
		es := f.auditEntries(caunoi.AuditFilter{Entity: "org", EntityID: org.ID, Action: caunoi.ActionUpdate})
		if len(es) != 1 || !strings.Contains(string(es[0].Before), "CLB Hướng Dương\"") || !strings.Contains(string(es[0].After), "CLB Hướng Dương Mới") {
			t.Errorf("org update audit before/after = %s / %s", es[0].Before, es[0].After)
		}

		// Filters.
		if es := f.auditEntries(caunoi.AuditFilter{ActorID: peUser.ID, Entity: "client"}); len(es) != 4 {
			t.Errorf("client entries by the peer educator = %d, want 4", len(es))
		}

		// A refused write leaves no entry.
		n := f.auditCount()
		_, err := f.Clients.UpdateClient(pe, client.ID, caunoi.ClientUpdate{Version: 1, Status: ptr("active")})
		wantCode(t, err, caunoi.ECONFLICT)
		_, err = f.Users.UpdateUser(officer, user.ID, caunoi.UserUpdate{Version: 1, DisplayName: ptr("Cũ")})
		wantCode(t, err, caunoi.ECONFLICT)
		err = f.Clients.CreateClient(pe, f.newClient("qng", "Ngoài phạm vi"))
		wantCode(t, err, caunoi.EINVALID)
		_, err = f.Users.AddGrant(officer, user.ID, caunoi.Grant{Role: caunoi.RoleAdmin, OrgID: f.O("hp").ID})
		wantCode(t, err, caunoi.EFORBIDDEN)
		if got := f.auditCount(); got != n {
			t.Errorf("refused writes added %d audit entries", got-n)
		}

		// Only audit.read holders list the trail.
		for _, ctx := range []struct {
			name string
			user *caunoi.User
		}{{"province officer", officerUser}, {"peer educator", peUser}, {"national officer", f.U(caunoi.RoleNationalOfficer, "nat")}} {
			_, _, err := f.Audit.FindAuditEntries(f.ctxOf(ctx.user), caunoi.AuditFilter{})
			if caunoi.ErrorCode(err) != caunoi.EFORBIDDEN {
				t.Errorf("%s lists the audit trail: %v", ctx.name, err)
			}
		}
		_, total, err := f.Audit.FindAuditEntries(f.As(caunoi.RoleAdmin, "nat"), caunoi.AuditFilter{})
		must(t, err)
		if total != f.auditCount() {
			t.Errorf("admin sees %d of %d audit entries", total, f.auditCount())
		}
	})
}

// checkImage checks a before/after image: present or not, a JSON object,
// holding the field.
func checkImage(t *testing.T, name string, raw json.RawMessage, want bool, field string) {
	t.Helper()
	if !want {
		if len(raw) != 0 {
			t.Errorf("%s: unexpected image %s", name, raw)
		}
		return
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Errorf("%s: not a JSON object: %v: %s", name, err, raw)
		return
	}
	if field != "" {
		if _, ok := m[field]; !ok {
			t.Errorf("%s: no %q in %s", name, field, raw)
		}
	}
}
