package sqldb_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// syncOps builds the operations of a night of outreach by one worker: a
// new client, a contact with her, an anonymous contact with commodities,
// a group meeting she attended, and a change of her status.
func syncOps(f *fixture, orgKey string) []*caunoi.SyncOp {
	client := f.newClient(orgKey, "Hồng Nhung")
	client.ID = caunoi.NewID()
	client.UIC = "HOTU1998F"
	met := &caunoi.Contact{ID: caunoi.NewID(), OrgID: f.O(orgKey).ID, ClientID: client.ID, At: time.Now().Add(-2 * time.Hour),
		Channel: "in_person", Place: "Karaoke Biển Xanh", Topics: []string{"hiv_sti"}, Commodities: map[string]int{"condom": 12}}
	anon := f.newContact(orgKey)
	anon.Commodities = map[string]int{"condom": 5, "lubricant": 2}
	meeting := &caunoi.Activity{OrgID: f.O(orgKey).ID, Kind: "group_meeting", HeldOn: caunoi.Date(caunoi.Today()), Title: "Sinh hoạt nhóm tháng",
		Attendees: []string{client.ID}, AnonFemale: 3}
	moved := "moved"
	return []*caunoi.SyncOp{
		{ID: caunoi.NewID(), Kind: caunoi.SyncCreateClient, Client: client},
		{ID: caunoi.NewID(), Kind: caunoi.SyncCreateContact, Contact: met},
		{ID: caunoi.NewID(), Kind: caunoi.SyncCreateContact, Contact: anon},
		{ID: caunoi.NewID(), Kind: caunoi.SyncCreateActivity, Activity: meeting},
		{ID: caunoi.NewID(), Kind: caunoi.SyncUpdateClient, UpdateID: client.ID, Update: &caunoi.ClientUpdate{Version: 1, Status: &moved}},
	}
}

// copyOps returns the operations as a phone would send them again: the
// same ids and data, in new values (the first Sync filled in the old ones).
func copyOps(ops []*caunoi.SyncOp) []*caunoi.SyncOp {
	out := make([]*caunoi.SyncOp, len(ops))
	for i, op := range ops {
		c := *op
		if op.Client != nil {
			v := *op.Client
			c.Client = &v
		}
		if op.Contact != nil {
			v := *op.Contact
			c.Contact = &v
		}
		if op.Activity != nil {
			v := *op.Activity
			c.Activity = &v
		}
		out[i] = &c
	}
	return out
}

func rowCounts(t *testing.T, db *sqldb.DB) map[string]int {
	t.Helper()
	m := map[string]int{}
	for _, table := range []string{"clients", "contacts", "activities", "activity_attendance", "client_status_history", "audit_log", "sync_ops"} {
		m[table] = countRows(t, db, table)
	}
	return m
}

func statuses(rs []caunoi.SyncResult) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Status
	}
	return out
}

func TestSyncAppliesEachOperationOnce(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		sync := sqldb.NewSyncService(db)
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		ops := syncOps(f, "hpg")
		resend := copyOps(ops)
		before := rowCounts(t, db)

		rs, err := sync.Sync(pe, ops)
		must(t, err)
		if got := statuses(rs); !slices.Equal(got, []string{"accepted", "accepted", "accepted", "accepted", "accepted"}) {
			t.Fatalf("statuses = %v (%+v)", got, rs)
		}
		for i, r := range rs {
			if r.OpID != ops[i].ID || r.RecordID == "" || r.Replayed {
				t.Fatalf("answer %d = %+v", i, r)
			}
		}
		after := rowCounts(t, db) // before the reads below, which the audit trail counts too
		clientID := ops[0].Client.ID
		if rs[0].RecordID != clientID || rs[1].RecordID != ops[1].Contact.ID || rs[4].RecordID != clientID || rs[4].Version != 2 {
			t.Fatalf("record ids or versions: %+v", rs)
		}
		// The records are there as a form would have stored them.
		c, err := f.Clients.FindClientByID(pe, clientID)
		must(t, err)
		if c.Status != "moved" || c.Version != 2 || c.UIC != "HOTU1998F" || c.CreatedBy != f.U(caunoi.RolePeerEducator, "hpg").ID {
			t.Fatalf("client = %+v", c)
		}
		ks, _, err := f.Contacts.FindContacts(pe, caunoi.ContactFilter{ClientID: clientID})
		must(t, err)
		if len(ks) != 1 || ks[0].Commodities["condom"] != 12 || ks[0].WorkerID != f.U(caunoi.RolePeerEducator, "hpg").ID {
			t.Fatalf("contacts of the client = %+v", ks)
		}
		act, err := f.Activities.FindActivityByID(pe, rs[3].RecordID)
		must(t, err)
		if !slices.Equal(act.Attendees, []string{clientID}) || act.AnonFemale != 3 {
			t.Fatalf("meeting = %+v", act)
		}
		for table, want := range map[string]int{"clients": 1, "contacts": 2, "activities": 1, "activity_attendance": 1,
			"client_status_history": 2, "sync_ops": 5, "audit_log": 5} {
			if got := after[table] - before[table]; got != want {
				t.Errorf("%s: %d new rows, want %d", table, got, want)
			}
		}
		for _, ent := range []struct{ entity, id string }{{"client", clientID}, {"contact", rs[1].RecordID}, {"contact", rs[2].RecordID}, {"activity", rs[3].RecordID}} {
			if es := f.auditEntries(caunoi.AuditFilter{Entity: ent.entity, EntityID: ent.id, Action: caunoi.ActionCreate}); len(es) != 1 {
				t.Errorf("%s %s: %d create entries in the audit trail", ent.entity, ent.id, len(es))
			}
		}

		// The answer was lost: the phone sends the batch again, and
		// again. It gets the first answers; nothing is stored twice.
		settled := rowCounts(t, db)
		for range 2 {
			again, err := sync.Sync(pe, copyOps(resend))
			must(t, err)
			for i, r := range again {
				if !r.Replayed || r.Status != rs[i].Status || r.RecordID != rs[i].RecordID || r.Version != rs[i].Version || !r.At.Equal(rs[i].At) {
					t.Fatalf("replayed answer %d = %+v, first %+v", i, r, rs[i])
				}
			}
			if got := rowCounts(t, db); !mapsEqual(got, settled) {
				t.Fatalf("a replay stored rows: %v, before %v", got, settled)
			}
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestSyncBadInput(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		sync := sqldb.NewSyncService(db)
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		first := syncOps(f, "hpg")
		_, err := sync.Sync(pe, first)
		must(t, err)
		clientID := first[0].Client.ID

		// A contact recorded through the form, whose id a phone then
		// sends again under an operation of its own.
		formContact := f.createContact(pe, "hpg")
		sameID := f.newContact("hpg")
		sameID.ID = formContact.ID

		status := "exited"
		good := f.newContact("hpg")
		good.Notes = "giữa hai mục hỏng"
		ops := []*caunoi.SyncOp{
			// 0: unreadable, as the decoder hands it over.
			{ID: caunoi.NewID(), Kind: caunoi.SyncCreateContact, Err: caunoi.Invalid(caunoi.FieldError{Field: "at", Key: "err.datetime.format"})},
			// 1: a group of another province.
			{ID: caunoi.NewID(), Kind: caunoi.SyncCreateContact, Contact: f.newContact("qng")},
			// 2: a change made against version 1, now 2.
			{ID: caunoi.NewID(), Kind: caunoi.SyncUpdateClient, UpdateID: clientID, Update: &caunoi.ClientUpdate{Version: 1, Status: &status}},
			// 3: an operation id that is not a UUIDv7.
			{ID: "not-a-uuid", Kind: caunoi.SyncCreateContact, Contact: f.newContact("hpg")},
			// 4: a good one among them.
			{ID: caunoi.NewID(), Kind: caunoi.SyncCreateContact, Contact: good},
			// 5: an unknown kind.
			{ID: caunoi.NewID(), Kind: "contact.delete"},
			// 6: a contact that fails validation (no time).
			{ID: caunoi.NewID(), Kind: caunoi.SyncCreateContact, Contact: &caunoi.Contact{OrgID: f.O("hpg").ID, AnonSex: "female", AnonPopulation: caunoi.PopSexWork}},
			// 7: a contact whose id already exists: the original.
			{ID: caunoi.NewID(), Kind: caunoi.SyncCreateContact, Contact: sameID},
			// 8: the same operation twice in one batch.
			nil,
			// 9: an old operation of the first batch, replayed.
			{ID: first[1].ID, Kind: caunoi.SyncCreateContact, Contact: first[1].Contact},
		}
		ops[8] = &caunoi.SyncOp{ID: ops[4].ID, Kind: caunoi.SyncCreateContact, Contact: good}
		before := rowCounts(t, db)
		rs, err := sync.Sync(pe, copyOps(ops))
		must(t, err)
		want := []string{"rejected", "rejected", "conflict", "rejected", "accepted", "rejected", "rejected", "accepted", "accepted", "accepted"}
		if got := statuses(rs); !slices.Equal(got, want) {
			t.Fatalf("statuses = %v, want %v", got, want)
		}
		for i, field := range map[int]string{0: "at", 1: "org_id", 3: "op_id", 5: "kind", 6: "at"} {
			if rs[i].Err == nil || !slices.ContainsFunc(rs[i].Err.Fields, func(fe caunoi.FieldError) bool { return fe.Field == field }) {
				t.Errorf("answer %d: %+v, want a reason naming %s", i, rs[i].Err, field)
			}
		}
		if rs[2].Err == nil || rs[2].Err.Key != "err.stale_version" || rs[2].Version != 2 || rs[2].RecordID != clientID {
			t.Errorf("stale change: %+v, want err.stale_version and the stored version 2", rs[2])
		}
		if rs[7].RecordID != formContact.ID || rs[7].Replayed {
			t.Errorf("existing id: %+v, want the contact of the form", rs[7])
		}
		if !rs[8].Replayed || rs[8].RecordID != rs[4].RecordID || !rs[9].Replayed || rs[9].RecordID != first[1].Contact.ID {
			t.Errorf("repeats: %+v / %+v", rs[8], rs[9])
		}
		after := rowCounts(t, db)
		c, err := f.Clients.FindClientByID(pe, clientID)
		must(t, err)
		if c.Status != "moved" || c.Version != 2 {
			t.Fatalf("the stale change overwrote the client: %+v", c)
		}
		// One contact kept (4); answers stored for all but the bad id
		// (3) and the two repeats (8, 9).
		for table, n := range map[string]int{"contacts": 1, "sync_ops": 7, "clients": 0, "client_status_history": 0, "audit_log": 1} {
			if got := after[table] - before[table]; got != n {
				t.Errorf("%s: %d new rows, want %d", table, got, n)
			}
		}

		// The whole batch again: the same answers, nothing new.
		settled := rowCounts(t, db)
		again, err := sync.Sync(pe, copyOps(ops))
		must(t, err)
		if got := statuses(again); !slices.Equal(got, want) {
			t.Fatalf("replay statuses = %v, want %v", got, want)
		}
		for i, r := range again {
			if i != 3 && !r.Replayed {
				t.Errorf("replayed answer %d not marked as a replay: %+v", i, r)
			}
			if (r.Err == nil) != (rs[i].Err == nil) || (r.Err != nil && r.Err.Key != rs[i].Err.Key) {
				t.Errorf("replayed answer %d: %+v, first %+v", i, r.Err, rs[i].Err)
			}
		}
		if got := rowCounts(t, db); !mapsEqual(got, settled) {
			t.Fatalf("the replay stored rows: %v, before %v", got, settled)
		}

		// Another worker of the group cannot read or take over the
		// operations of the first.
		ow := f.As(caunoi.RoleOutreachWorker, "hpg")
		taken, err := sync.Sync(ow, copyOps(ops[4:5]))
		must(t, err)
		if taken[0].Status != "rejected" || taken[0].RecordID != "" || taken[0].Err.Fields[0].Key != "err.sync.op_taken" {
			t.Fatalf("another user's operation: %+v", taken[0])
		}

		// A provincial officer records no contacts: each operation is
		// refused, none stored.
		po := f.As(caunoi.RoleProvinceOfficer, "hp")
		refused, err := sync.Sync(po, []*caunoi.SyncOp{{ID: caunoi.NewID(), Kind: caunoi.SyncCreateContact, Contact: f.newContact("hpg")}})
		must(t, err)
		if refused[0].Status != "rejected" || refused[0].Err.Code != caunoi.EFORBIDDEN {
			t.Fatalf("officer's contact: %+v", refused[0])
		}

		// Without an actor, nothing at all.
		if _, err := sync.Sync(context.Background(), ops); caunoi.ErrorCode(err) != caunoi.EUNAUTHORIZED {
			t.Fatalf("no actor: %v", err)
		}
	})
}

func TestSyncFieldClients(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		sync := sqldb.NewSyncService(db)
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		ow := f.As(caunoi.RoleOutreachWorker, "hpg")
		f.createClient(pe, "hpg", "Của tôi")
		met := f.createClient(ow, "hpg", "Gặp tối qua")
		f.createClient(ow, "hpg", "Người khác gặp")
		k := f.newContact("hpg")
		k.ClientID, k.At = met.ID, time.Now().Add(2*time.Second) // met after "Của tôi" was registered
		must(t, f.Contacts.CreateContact(pe, k))
		voided := f.createClient(pe, "hpg", "Đã hủy")
		_, err := f.Clients.VoidClient(pe, voided.ID, 1, "nhập nhầm")
		must(t, err)
		f.createClient(f.As(caunoi.RolePeerEducator, "qng"), "qng", "Tỉnh khác")

		got, err := sync.FieldClients(pe)
		must(t, err)
		names := []string{}
		for _, c := range got {
			names = append(names, c.Nickname)
			if c.OrgID != f.O("hpg").ID || c.Sex != "female" || c.BirthYear != 1990 {
				t.Errorf("cached client %+v", c)
			}
		}
		if !slices.Equal(names, []string{"Gặp tối qua", "Của tôi"}) {
			t.Fatalf("cache = %v, want the worker's own clients, the latest met first", names)
		}
		for _, c := range got {
			es := f.auditEntries(caunoi.AuditFilter{Entity: "client", EntityID: c.ID, Action: caunoi.ActionRead})
			if len(es) != 1 || es[0].ActorName != "peer_educator.hpg" {
				t.Errorf("%s: read audited %d times", c.Nickname, len(es))
			}
		}
		if _, err := sync.FieldClients(f.As(caunoi.RoleNationalOfficer, "nat")); caunoi.ErrorCode(err) != caunoi.EFORBIDDEN {
			t.Fatalf("national officer: %v", err)
		}
	})
}

// TestSyncUndoesAFailedOperationAlone makes the database refuse two
// operations of a batch inside the system: a contact (before anything of
// it is written) and a client (after its row is written, when its status
// history is). Each is answered retry and leaves nothing; the operations
// around them are kept.
func TestSyncUndoesAFailedOperationAlone(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		sync := sqldb.NewSyncService(db)
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		broken := f.newClient("hpg", "Hỏng giữa chừng")
		broken.ID = caunoi.NewID()
		var ddl []string
		switch db.Dialect {
		case sqldb.SQLite:
			ddl = []string{
				`CREATE TRIGGER boom_contact BEFORE INSERT ON contacts WHEN NEW.place = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`,
				`CREATE TRIGGER boom_history BEFORE INSERT ON client_status_history WHEN NEW.client_id = '` + broken.ID + `' BEGIN SELECT RAISE(ABORT, 'boom'); END`,
			}
		case sqldb.Postgres:
			ddl = []string{
				`CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$ LANGUAGE plpgsql`,
				`CREATE TRIGGER boom_contact BEFORE INSERT ON contacts FOR EACH ROW WHEN (NEW.place = 'boom') EXECUTE FUNCTION boom()`,
				`CREATE TRIGGER boom_history BEFORE INSERT ON client_status_history FOR EACH ROW WHEN (NEW.client_id = '` + broken.ID + `') EXECUTE FUNCTION boom()`,
			}
		}
		for _, q := range ddl {
			if _, err := db.WriteDB().ExecContext(t.Context(), q); err != nil {
				t.Fatal(err)
			}
		}
		boom := f.newContact("hpg")
		boom.Place = "boom"
		ops := []*caunoi.SyncOp{
			{ID: caunoi.NewID(), Kind: caunoi.SyncCreateContact, Contact: f.newContact("hpg")},
			{ID: caunoi.NewID(), Kind: caunoi.SyncCreateContact, Contact: boom},
			{ID: caunoi.NewID(), Kind: caunoi.SyncCreateClient, Client: broken},
			{ID: caunoi.NewID(), Kind: caunoi.SyncCreateContact, Contact: &caunoi.Contact{OrgID: f.O("hpg").ID}}, // refused by a check
			{ID: caunoi.NewID(), Kind: caunoi.SyncCreateClient, Client: f.newClient("hpg", "Lành lặn")},
		}
		before := rowCounts(t, db)
		rs, err := sync.Sync(pe, ops)
		if err == nil {
			t.Fatal("the faults are not reported for the log")
		}
		if got := statuses(rs); !slices.Equal(got, []string{"accepted", "retry", "retry", "rejected", "accepted"}) {
			t.Fatalf("statuses = %v", got)
		}
		after := rowCounts(t, db)
		for table, n := range map[string]int{"contacts": 1, "clients": 1, "client_status_history": 1, "sync_ops": 3, "audit_log": 2} {
			if got := after[table] - before[table]; got != n {
				t.Errorf("%s: %d new rows, want %d", table, got, n)
			}
		}
		if _, err := f.Clients.FindClientByID(pe, broken.ID); caunoi.ErrorCode(err) != caunoi.ENOTFOUND {
			t.Errorf("the client whose history failed is stored: %v", err)
		}
		// Once the database takes them, the two are applied as if new.
		for _, name := range []string{"boom_contact", "boom_history"} {
			if _, err := db.WriteDB().ExecContext(t.Context(), "DROP TRIGGER "+name+map[sqldb.Dialect]string{sqldb.Postgres: " ON " + map[string]string{"boom_contact": "contacts", "boom_history": "client_status_history"}[name]}[db.Dialect]); err != nil {
				t.Fatal(err)
			}
		}
		rs, err = sync.Sync(pe, copyOps(ops))
		must(t, err)
		if got := statuses(rs); !slices.Equal(got, []string{"accepted", "accepted", "accepted", "rejected", "accepted"}) || rs[1].Replayed || !rs[0].Replayed {
			t.Fatalf("again: %v %+v", got, rs)
		}
	})
}
