package sqldb_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// A phone retries a submission with the id it made offline: the record is
// stored once and the retry gets the stored record back.
func TestCreateWithClientIDIsAppliedOnce(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		officer := f.As(caunoi.RoleProvinceOfficer, "hp")
		pe := f.As(caunoi.RolePeerEducator, "hpg")

		// Organisation.
		id := caunoi.NewID()
		first := &caunoi.Organisation{ID: id, ParentID: f.O("hp").ID, Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupClub, Name: "CLB Bình Minh"}
		must(t, f.Orgs.CreateOrg(officer, first))
		again := &caunoi.Organisation{ID: id, ParentID: f.O("hp").ID, Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupClub, Name: "CLB Bình Minh (gửi lại)"}
		must(t, f.Orgs.CreateOrg(officer, again))
		if again.Name != "CLB Bình Minh" || again.Version != 1 || again.Path != first.Path {
			t.Errorf("repeated CreateOrg returned %+v, want the stored record", again)
		}
		orgs, _, err := f.Orgs.FindOrgs(officer, caunoi.OrgFilter{ParentID: f.O("hp").ID})
		must(t, err)
		if got := ids(orgs, orgID); len(got) != 2 {
			t.Errorf("groups under Hải Phòng = %v, want 2 (hpg and the club once)", got)
		}

		// Client.
		c := f.newClient("hpg", "Hồng")
		c.ID = caunoi.NewID()
		must(t, f.Clients.CreateClient(pe, c))
		retry := f.newClient("hpg", "Hồng (lần 2)")
		retry.ID = c.ID
		must(t, f.Clients.CreateClient(pe, retry))
		if retry.Nickname != "Hồng" || retry.Version != 1 || !retry.CreatedAt.Equal(c.CreatedAt) {
			t.Errorf("repeated CreateClient returned %+v, want the stored record", retry)
		}
		if _, n, err := f.Clients.FindClients(pe, caunoi.ClientFilter{}); err != nil || n != 1 {
			t.Errorf("clients after a repeated create = %d (%v), want 1", n, err)
		}

		// Contact.
		k := f.newContact("hpg")
		k.ID = caunoi.NewID()
		must(t, f.Contacts.CreateContact(pe, k))
		kr := f.newContact("hpg")
		kr.ID, kr.Place = k.ID, "Cầu Rào"
		must(t, f.Contacts.CreateContact(pe, kr))
		if kr.Place != "Chợ Sắt" {
			t.Errorf("repeated CreateContact returned place %q, want the stored Chợ Sắt", kr.Place)
		}
		if _, n, err := f.Contacts.FindContacts(pe, caunoi.ContactFilter{}); err != nil || n != 1 {
			t.Errorf("contacts after a repeated create = %d (%v), want 1", n, err)
		}
		for _, entity := range []string{"client", "contact"} {
			if es := f.auditEntries(caunoi.AuditFilter{Entity: entity, Action: caunoi.ActionCreate}); len(es) != 1 {
				t.Errorf("%s create audit entries = %d, want 1", entity, len(es))
			}
		}
		if es := f.auditEntries(caunoi.AuditFilter{EntityID: id}); len(es) != 1 {
			t.Errorf("audit entries of the repeated org = %d, want 1", len(es))
		}

		// An id taken by a record outside the actor's scope is a conflict,
		// and the other record is neither returned nor changed.
		other := f.newClient("qng", "Lan")
		other.ID = c.ID
		err = f.Clients.CreateClient(f.As(caunoi.RolePeerEducator, "qng"), other)
		wantCode(t, err, caunoi.ECONFLICT)
		if other.Nickname == "Hồng" {
			t.Error("a conflicting create leaked the other province's client")
		}

		// Ids the phone makes must be UUIDv7.
		for _, bad := range []string{uuid.NewString(), "not-an-id", caunoi.NewID()[:35] + "X"} {
			c := f.newClient("hpg", "Sai")
			c.ID = bad
			wantInvalid(t, f.Clients.CreateClient(pe, c), "id")
			o := &caunoi.Organisation{ID: bad, ParentID: f.O("hp").ID, Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupPeer, Name: "Sai"}
			wantInvalid(t, f.Orgs.CreateOrg(officer, o), "id")
			k := f.newContact("hpg")
			k.ID = bad
			wantInvalid(t, f.Contacts.CreateContact(pe, k), "id")
		}
	})
}

// An update made against an old version is refused and changes nothing.
func TestStaleVersion(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		officer := f.As(caunoi.RoleProvinceOfficer, "hp")
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		c := f.createClient(pe, "hpg", "Hoa")

		o, err := f.Orgs.UpdateOrg(officer, f.O("hpg").ID, caunoi.OrgUpdate{Version: 1, Name: ptr("Nhóm tự lực Hoa Sen 2")})
		must(t, err)
		if o.Version != 2 || o.Name != "Nhóm tự lực Hoa Sen 2" {
			t.Fatalf("updated org %+v", o)
		}
		audits := f.auditCount()
		_, err = f.Orgs.UpdateOrg(officer, f.O("hpg").ID, caunoi.OrgUpdate{Version: 1, Name: ptr("Tên cũ")})
		wantCode(t, err, caunoi.ECONFLICT)
		o, err = f.Orgs.FindOrgByID(officer, f.O("hpg").ID)
		must(t, err)
		if o.Version != 2 || o.Name != "Nhóm tự lực Hoa Sen 2" {
			t.Errorf("after a stale update the org is %q v%d", o.Name, o.Version)
		}

		c2, err := f.Clients.UpdateClient(pe, c.ID, caunoi.ClientUpdate{Version: 1, Status: ptr("exited")})
		must(t, err)
		if c2.Version != 2 || c2.Status != "exited" {
			t.Fatalf("updated client %+v", c2)
		}
		audits++
		_, err = f.Clients.UpdateClient(pe, c.ID, caunoi.ClientUpdate{Version: 1, Nickname: ptr("Huệ")})
		wantCode(t, err, caunoi.ECONFLICT)
		_, err = f.Clients.VoidClient(pe, c.ID, 1, "nhập trùng")
		wantCode(t, err, caunoi.ECONFLICT)
		got, err := f.Clients.FindClientByID(pe, c.ID)
		must(t, err)
		if got.Nickname != "Hoa" || got.Version != 2 || got.Voided() {
			t.Errorf("after stale writes the client is %q v%d voided=%v", got.Nickname, got.Version, got.Voided())
		}
		audits++ // the read
		if n := f.auditCount(); n != audits {
			t.Errorf("audit entries = %d, want %d: a refused write must leave none", n, audits)
		}
	})
}

// Voiding needs a reason; a voided record leaves the lists but stays
// stored, with the reason in the audit trail.
func TestVoid(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		c := f.createClient(pe, "hpg", "Hoa")
		keep := f.createClient(pe, "hpg", "Lan")
		k := f.createContact(pe, "hpg")

		for _, reason := range []string{"", "   "} {
			_, err := f.Clients.VoidClient(pe, c.ID, 1, reason)
			wantInvalid(t, err, "reason")
			_, err = f.Contacts.VoidContact(pe, k.ID, 1, reason)
			wantInvalid(t, err, "reason")
		}

		v, err := f.Clients.VoidClient(pe, c.ID, 1, "nhập trùng với Lan")
		must(t, err)
		if !v.Voided() || v.VoidReason != "nhập trùng với Lan" || v.Version != 2 || v.VoidedBy != "peer_educator.hpg" {
			t.Errorf("voided client %+v", v)
		}
		clients, n, err := f.Clients.FindClients(pe, caunoi.ClientFilter{})
		must(t, err)
		if n != 1 || clients[0].ID != keep.ID {
			t.Errorf("clients after voiding = %d %v, want only %s", n, ids(clients, clientID), keep.ID)
		}
		stored, err := f.Clients.FindClientByID(pe, c.ID)
		must(t, err)
		if !stored.Voided() || stored.VoidReason != "nhập trùng với Lan" {
			t.Errorf("the voided client is stored as %+v", stored)
		}
		_, err = f.Clients.VoidClient(pe, c.ID, 2, "lần nữa")
		wantCode(t, err, caunoi.ECONFLICT)
		_, err = f.Clients.UpdateClient(pe, c.ID, caunoi.ClientUpdate{Version: 2, Nickname: ptr("Huệ")})
		wantCode(t, err, caunoi.ECONFLICT)

		_, err = f.Contacts.VoidContact(pe, k.ID, 1, "ghi nhầm ngày")
		must(t, err)
		if _, n, _ := f.Contacts.FindContacts(pe, caunoi.ContactFilter{}); n != 0 {
			t.Errorf("contacts after voiding = %d, want 0", n)
		}

		es := f.auditEntries(caunoi.AuditFilter{Action: caunoi.ActionVoid})
		if len(es) != 2 {
			t.Fatalf("void audit entries = %d, want 2", len(es))
		}
		for _, e := range es {
			if (e.EntityID == c.ID && e.Reason != "nhập trùng với Lan") || (e.EntityID == k.ID && e.Reason != "ghi nhầm ngày") {
				t.Errorf("void of %s %s audited with reason %q", e.Entity, e.EntityID, e.Reason)
			}
		}

		// An organisation with live children cannot be voided; once the
		// children are voided it can, and it stays findable.
		admin := f.As(caunoi.RoleAdmin, "nat")
		_, err = f.Orgs.VoidOrg(admin, f.O("qn").ID, 1, "sáp nhập")
		wantCode(t, err, caunoi.ECONFLICT)
		_, err = f.Orgs.VoidOrg(admin, f.O("qng").ID, 1, "")
		wantInvalid(t, err, "reason")
		// An officer voids below their own organisation, never that one.
		_, err = f.Orgs.VoidOrg(f.As(caunoi.RoleProvinceOfficer, "qn"), f.O("qn").ID, 1, "tự hủy")
		wantCode(t, err, caunoi.EFORBIDDEN)
		_, err = f.Orgs.VoidOrg(admin, f.O("qng").ID, 1, "nhóm giải thể")
		must(t, err)
		_, err = f.Orgs.VoidOrg(admin, f.O("qn").ID, 1, "sáp nhập")
		must(t, err)
		orgs, _, err := f.Orgs.FindOrgs(admin, caunoi.OrgFilter{})
		must(t, err)
		if got, want := ids(orgs, orgID), sorted(f.O("nat").ID, f.O("hp").ID, f.O("hpg").ID); !slices.Equal(got, want) {
			t.Errorf("orgs after voiding Quảng Ninh = %v, want %v", got, want)
		}
		orgs, _, err = f.Orgs.FindOrgs(admin, caunoi.OrgFilter{IncludeVoided: true})
		must(t, err)
		if len(orgs) != 5 {
			t.Errorf("orgs with voided = %d, want 5", len(orgs))
		}
		o, err := f.Orgs.FindOrgByID(admin, f.O("qn").ID)
		must(t, err)
		if !o.Voided() || o.VoidReason != "sáp nhập" {
			t.Errorf("voided org stored as %+v", o)
		}
		// Nothing can be created under a voided organisation.
		err = f.Orgs.CreateOrg(admin, &caunoi.Organisation{ParentID: o.ID, Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupPeer, Name: "Nhóm mới"})
		wantInvalid(t, err, "parent_id")
		// The root is never voided, not even by the system.
		_, err = f.Orgs.VoidOrg(f.sys, f.O("nat").ID, 1, "thử")
		wantCode(t, err, caunoi.EFORBIDDEN)
	})
}

// Organisations stand under the right kind of parent, in units in force,
// and only org.write holders make them.
func TestCreateOrgRules(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.As(caunoi.RoleAdmin, "nat")
		hp := f.As(caunoi.RoleProvinceOfficer, "hp")

		o := &caunoi.Organisation{ParentID: f.O("hpg").ID, Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupPeer, Name: "Nhóm con"}
		wantInvalid(t, f.Orgs.CreateOrg(admin, o), "parent_id") // a group under a group
		o = &caunoi.Organisation{ParentID: f.O("nat").ID, Kind: caunoi.OrgProvince, Name: "Chi cục Hải Dương", AdminUnitCode: "30"}
		wantInvalid(t, f.Orgs.CreateOrg(admin, o), "admin_unit_code") // merged into Hải Phòng on 2025-07-01
		o = &caunoi.Organisation{ParentID: f.O("nat").ID, Kind: caunoi.OrgProvince, Name: "Chi cục X", AdminUnitCode: "00"}
		wantInvalid(t, f.Orgs.CreateOrg(admin, o), "admin_unit_code")
		o = &caunoi.Organisation{Kind: caunoi.OrgNational, Name: "Cục thứ hai"}
		wantCode(t, f.Orgs.CreateOrg(admin, o), caunoi.EFORBIDDEN) // only the system makes a root
		o = &caunoi.Organisation{ParentID: f.O("qn").ID, Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupPeer, Name: "Nhóm Cẩm Phả"}
		wantInvalid(t, f.Orgs.CreateOrg(hp, o), "parent_id") // another province
		o = &caunoi.Organisation{ParentID: f.O("hpg").ID, Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupPeer, Name: "Nhóm"}
		wantCode(t, f.Orgs.CreateOrg(f.As(caunoi.RoleGroupLeader, "hpg"), o), caunoi.EFORBIDDEN)
		_, err := f.Orgs.UpdateOrg(hp, f.O("qng").ID, caunoi.OrgUpdate{Version: 1, Name: ptr("Đổi tên")})
		wantCode(t, err, caunoi.ENOTFOUND)

		ngo := &caunoi.Organisation{ParentID: f.O("hp").ID, Kind: caunoi.OrgNGO, Name: "SCDI Hải Phòng"}
		must(t, f.Orgs.CreateOrg(hp, ngo))
		club := &caunoi.Organisation{ParentID: ngo.ID, Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupClub, Name: "CLB Tái hòa nhập Đồ Sơn",
			Models: []caunoi.Model{caunoi.ModelReintegration, caunoi.ModelPeerCapacity, caunoi.ModelReintegration}, Founded: day("2019-05-01")}
		must(t, f.Orgs.CreateOrg(hp, club))
		got, err := f.Orgs.FindOrgByID(hp, club.ID)
		must(t, err)
		if got.Depth != 3 || got.Path != f.O("hp").Path+ngo.ID+"/"+club.ID+"/" || len(got.Models) != 2 ||
			got.Founded == nil || !got.Founded.Equal(*day("2019-05-01")) {
			t.Errorf("stored club %+v", got)
		}
		orgs, _, err := f.Orgs.FindOrgs(hp, caunoi.OrgFilter{Query: "do son"})
		must(t, err)
		if len(orgs) != 1 || orgs[0].ID != club.ID {
			t.Errorf("search \"do son\" = %v", ids(orgs, orgID))
		}
		// Groups under an NGO are groups of the province too.
		orgs, _, err = f.Orgs.FindOrgs(hp, caunoi.OrgFilter{Kind: caunoi.OrgGroup})
		must(t, err)
		if len(orgs) != 2 {
			t.Errorf("groups of Hải Phòng = %d, want 2", len(orgs))
		}
	})
}

// A contact names a client of the worker's scope, or an anonymous person.
func TestContactRules(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		qnPE := f.As(caunoi.RolePeerEducator, "qng")
		hpClient := f.createClient(pe, "hpg", "Hoa")

		k := f.newContact("hpg")
		k.ClientID = hpClient.ID
		must(t, f.Contacts.CreateContact(pe, k))
		if k.AnonSex != "" || k.WorkerID != f.U(caunoi.RolePeerEducator, "hpg").ID {
			t.Errorf("contact with a client stored as %+v", k)
		}
		k2 := f.newContact("qng")
		k2.ClientID = hpClient.ID
		wantInvalid(t, f.Contacts.CreateContact(qnPE, k2), "client_id")
		k3 := f.newContact("hpg")
		k3.AnonSex, k3.AnonPopulation = "", ""
		wantInvalid(t, f.Contacts.CreateContact(pe, k3), "anon_sex")
		k4 := f.newContact("hpg")
		k4.At = time.Now().Add(time.Hour)
		wantInvalid(t, f.Contacts.CreateContact(pe, k4), "at")
		// A worker cannot record a contact in someone else's name.
		k5 := f.newContact("hpg")
		k5.WorkerID = f.U(caunoi.RoleOutreachWorker, "hpg").ID
		must(t, f.Contacts.CreateContact(pe, k5))
		if k5.WorkerID != f.U(caunoi.RolePeerEducator, "hpg").ID {
			t.Errorf("contact recorded for worker %s", k5.WorkerID)
		}

		// The system (demo data, imports) names the worker, who must hold
		// contact.write on the organisation.
		k6 := f.newContact("hpg")
		k6.WorkerID = f.U(caunoi.RoleOutreachWorker, "hpg").ID
		must(t, f.Contacts.CreateContact(f.sys, k6))
		if k6.WorkerID != f.U(caunoi.RoleOutreachWorker, "hpg").ID {
			t.Errorf("system contact recorded for worker %s", k6.WorkerID)
		}
		k7 := f.newContact("qng")
		k7.WorkerID = f.U(caunoi.RoleOutreachWorker, "hpg").ID
		wantInvalid(t, f.Contacts.CreateContact(f.sys, k7), "worker_id")
		wantInvalid(t, f.Contacts.CreateContact(f.sys, f.newContact("hpg")), "worker_id")
		_, err := f.Contacts.VoidContact(pe, k6.ID, 1, "thử nghiệm")
		must(t, err)

		from := time.Now().Add(-2 * time.Hour)
		old := f.newContact("hpg")
		old.At = time.Now().Add(-72 * time.Hour)
		must(t, f.Contacts.CreateContact(pe, old))
		list, n, err := f.Contacts.FindContacts(pe, caunoi.ContactFilter{From: &from})
		must(t, err)
		if n != 2 || len(list) != 2 {
			t.Errorf("contacts since two hours ago = %d, want 2", n)
		}
		list, n, err = f.Contacts.FindContacts(pe, caunoi.ContactFilter{ClientID: hpClient.ID})
		must(t, err)
		if n != 1 || list[0].ID != k.ID || list[0].Commodities["condom"] != 10 {
			t.Errorf("contacts of the client = %d %+v", n, list)
		}
		list, _, err = f.Contacts.FindContacts(pe, caunoi.ContactFilter{})
		must(t, err)
		if len(list) != 3 || list[2].ID != old.ID {
			t.Errorf("contacts are not newest first: %v", ids(list, contactID))
		}
	})
}
