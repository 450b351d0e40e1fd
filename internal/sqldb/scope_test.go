package sqldb_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// Every role sees its own subtree and nothing else; the national level
// and administrators never see client-level rows.
func TestScope(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		f.allUsers()
		hpClient := f.createClient(f.As(caunoi.RolePeerEducator, "hpg"), "hpg", "Hoa")
		qnClient := f.createClient(f.As(caunoi.RolePeerEducator, "qng"), "qng", "Lan")
		hpContact := f.createContact(f.As(caunoi.RolePeerEducator, "hpg"), "hpg")
		qnContact := f.createContact(f.As(caunoi.RoleOutreachWorker, "qng"), "qng")
		// An administrator of one province: audit.read on Hải Phòng only.
		hpAdmin := &caunoi.User{Username: "admin.hp", DisplayName: "Quản trị Hải Phòng",
			Grants: []caunoi.Grant{{Role: caunoi.RoleAdmin, OrgID: f.O("hp").ID}}}
		must(t, f.Users.CreateUser(f.sys, hpAdmin, testPassword))

		orgsOf := func(keys ...string) []string {
			var out []string
			for _, k := range keys {
				out = append(out, f.O(k).ID)
			}
			return sorted(out...)
		}
		usersOf := func(keys ...[2]string) []string {
			var out []string
			for _, k := range keys {
				out = append(out, f.U(caunoi.Role(k[0]), k[1]).ID)
			}
			return sorted(out...)
		}
		groupUsers := func(g string) [][2]string {
			return [][2]string{{"group_leader", g}, {"peer_educator", g}, {"outreach_worker", g}}
		}
		everyone := append(append([]string{}, usersOf(append(append([][2]string{{"admin", "nat"}, {"national_officer", "nat"},
			{"province_officer", "hp"}, {"province_officer", "qn"}}, groupUsers("hpg")...), groupUsers("qng")...)...)...), hpAdmin.ID)
		slices.Sort(everyone)

		type want struct {
			orgs, users, clients, contacts []string
			usersErr, clientsErr           caunoi.Code
		}
		cases := []struct {
			role caunoi.Role
			org  string
			want want
		}{
			{caunoi.RoleAdmin, "nat", want{orgs: orgsOf("nat", "hp", "qn", "hpg", "qng"), users: everyone, clientsErr: caunoi.EFORBIDDEN}},
			{caunoi.RoleNationalOfficer, "nat", want{orgs: orgsOf("nat", "hp", "qn", "hpg", "qng"), usersErr: caunoi.EFORBIDDEN, clientsErr: caunoi.EFORBIDDEN}},
			{caunoi.RoleProvinceOfficer, "hp", want{orgs: orgsOf("hp", "hpg"),
				users:   sorted(append(usersOf(append([][2]string{{"province_officer", "hp"}}, groupUsers("hpg")...)...), hpAdmin.ID)...),
				clients: []string{hpClient.ID}, contacts: []string{hpContact.ID}}},
			{caunoi.RoleProvinceOfficer, "qn", want{orgs: orgsOf("qn", "qng"),
				users:   usersOf(append([][2]string{{"province_officer", "qn"}}, groupUsers("qng")...)...),
				clients: []string{qnClient.ID}, contacts: []string{qnContact.ID}}},
			{caunoi.RoleGroupLeader, "hpg", want{orgs: orgsOf("hpg"), users: usersOf(groupUsers("hpg")...),
				clients: []string{hpClient.ID}, contacts: []string{hpContact.ID}}},
			{caunoi.RolePeerEducator, "qng", want{orgs: orgsOf("qng"), usersErr: caunoi.EFORBIDDEN,
				clients: []string{qnClient.ID}, contacts: []string{qnContact.ID}}},
			{caunoi.RoleOutreachWorker, "hpg", want{orgs: orgsOf("hpg"), usersErr: caunoi.EFORBIDDEN,
				clients: []string{hpClient.ID}, contacts: []string{hpContact.ID}}},
		}
		for _, tc := range cases {
			ctx := f.As(tc.role, tc.org)
			name := string(tc.role) + "@" + tc.org

			orgs, n, err := f.Orgs.FindOrgs(ctx, caunoi.OrgFilter{})
			checkList(t, name+" FindOrgs", err, "", ids(orgs, orgID), n, tc.want.orgs)
			users, n, err := f.Users.FindUsers(ctx, caunoi.UserFilter{})
			checkList(t, name+" FindUsers", err, tc.want.usersErr, ids(users, userID), n, tc.want.users)
			clients, n, err := f.Clients.FindClients(ctx, caunoi.ClientFilter{})
			checkList(t, name+" FindClients", err, tc.want.clientsErr, ids(clients, clientID), n, tc.want.clients)
			contacts, n, err := f.Contacts.FindContacts(ctx, caunoi.ContactFilter{})
			checkList(t, name+" FindContacts", err, tc.want.clientsErr, ids(contacts, contactID), n, tc.want.contacts)
			_, _, err = f.Audit.FindAuditEntries(ctx, caunoi.AuditFilter{})
			if tc.role == caunoi.RoleAdmin {
				must(t, err)
			} else {
				wantCode(t, err, caunoi.EFORBIDDEN)
			}
		}

		// Out of the subtree is "not found", not "forbidden": the record's
		// existence is not revealed.
		qn := f.As(caunoi.RoleProvinceOfficer, "qn")
		_, err := f.Orgs.FindOrgByID(qn, f.O("hpg").ID)
		wantCode(t, err, caunoi.ENOTFOUND)
		_, err = f.Clients.FindClientByID(qn, hpClient.ID)
		wantCode(t, err, caunoi.ENOTFOUND)
		_, err = f.Users.FindUserByID(qn, f.U(caunoi.RolePeerEducator, "hpg").ID)
		wantCode(t, err, caunoi.ENOTFOUND)
		_, _, err = f.Clients.FindClients(qn, caunoi.ClientFilter{OrgID: f.O("hpg").ID})
		wantCode(t, err, caunoi.ENOTFOUND)
		_, err = f.Clients.UpdateClient(f.As(caunoi.RolePeerEducator, "qng"), hpClient.ID, caunoi.ClientUpdate{Version: 1, Nickname: ptr("X")})
		wantCode(t, err, caunoi.ENOTFOUND)
		_, err = f.Clients.VoidClient(f.As(caunoi.RolePeerEducator, "qng"), hpClient.ID, 1, "nhầm")
		wantCode(t, err, caunoi.ENOTFOUND)
		c, err := f.Clients.FindClientByID(f.As(caunoi.RoleProvinceOfficer, "hp"), hpClient.ID)
		must(t, err)
		if c.Nickname != "Hoa" {
			t.Errorf("province officer reads client %q", c.Nickname)
		}

		// No client-level row for the national level or administrators.
		for _, ctx := range []context.Context{f.As(caunoi.RoleNationalOfficer, "nat"), f.As(caunoi.RoleAdmin, "nat")} {
			_, err = f.Clients.FindClientByID(ctx, hpClient.ID)
			wantCode(t, err, caunoi.EFORBIDDEN)
		}

		// A peer educator cannot register a client in another province's
		// group: the group is outside its scope, so org_id is invalid.
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		err = f.Clients.CreateClient(pe, f.newClient("qng", "Mai"))
		wantInvalid(t, err, "org_id")
		err = f.Contacts.CreateContact(pe, f.newContact("qng"))
		wantInvalid(t, err, "org_id")
		if _, n, _ := f.Clients.FindClients(f.sys, caunoi.ClientFilter{}); n != 2 {
			t.Errorf("clients after refused creates = %d, want 2", n)
		}

		// An administrator of one province reads only its province's audit
		// trail; the national administrator reads all of it.
		hpAdminCtx := f.ctxOf(hpAdmin)
		entries, _, err := f.Audit.FindAuditEntries(hpAdminCtx, caunoi.AuditFilter{Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
		must(t, err)
		sawClient := false
		for _, e := range entries {
			if e.OrgPath == "" || !strings.HasPrefix(e.OrgPath, f.O("hp").Path) {
				t.Errorf("Hải Phòng admin sees audit entry %s %s at %q", e.Action, e.Entity, e.OrgPath)
			}
			sawClient = sawClient || e.EntityID == hpClient.ID
		}
		if !sawClient {
			t.Error("Hải Phòng admin does not see the creation of its client")
		}
		_, all, err := f.Audit.FindAuditEntries(f.As(caunoi.RoleAdmin, "nat"), caunoi.AuditFilter{})
		must(t, err)
		if want := f.auditCount(); all != want || all <= len(entries) {
			t.Errorf("national admin sees %d audit entries, want %d (province admin: %d)", all, want, len(entries))
		}
	})
}

func ptr[T any](v T) *T { return &v }

// checkList checks the result of a list: the error code wantErr, or the
// ids and the total.
func checkList(t *testing.T, name string, err error, wantErr caunoi.Code, got []string, total int, want []string) {
	t.Helper()
	if wantErr != "" {
		if code := caunoi.ErrorCode(err); code != wantErr {
			t.Errorf("%s: error %v, want %s", name, err, wantErr)
		}
		return
	}
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if !slices.Equal(got, want) || total != len(want) {
		t.Errorf("%s = %d %v, want %v", name, total, got, want)
	}
}
