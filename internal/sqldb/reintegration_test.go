package sqldb_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// A resident prepares to return: the influence map (names encrypted), the
// handover to a club, follow-ups, and a relapse that sets the client's
// status through the status history.
func TestReintegration(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCasesFixture(t, db)
		c := f.createClient(f.pe, "hpg", "Tèo")
		r := &caunoi.Reintegration{OrgID: f.O("hpg").ID, ClientID: c.ID, CentreID: f.centre.ID, ExpectedOn: caunoi.Date(caunoi.Today().AddDate(0, 1, 0))}
		must(t, f.Reintegrations.CreateReintegration(f.pe, r))
		if r.Status != caunoi.ReintegrationPreparing || r.Nickname != "Tèo" {
			t.Fatalf("created %+v", r)
		}
		// Prepared once at a time; the centre must be a rehabilitation centre.
		twice := &caunoi.Reintegration{OrgID: f.O("hpg").ID, ClientID: c.ID, CentreID: f.centre.ID, ExpectedOn: r.ExpectedOn}
		wantCode(t, f.Reintegrations.CreateReintegration(f.pe, twice), caunoi.ECONFLICT)
		other := f.createClient(f.pe, "hpg", "Tí")
		shelter := &caunoi.Reintegration{OrgID: f.O("hpg").ID, ClientID: other.ID, CentreID: f.shelter.ID, ExpectedOn: r.ExpectedOn}
		wantInvalid(t, f.Reintegrations.CreateReintegration(f.pe, shelter), "centre_id")
		if countRows(t, db, "reintegrations") != 1 {
			t.Fatal("a refused reintegration was stored")
		}

		// The influence map.
		for _, p := range []caunoi.InfluencePerson{
			{Name: "Mẹ Hạnh", Relation: "mother", Influence: caunoi.InfluencePositive, Strength: 3, Contactable: true},
			{Name: "Anh Tư Bến Bính", Relation: "drug_using_friend", Influence: caunoi.InfluenceNegative, Strength: 2},
			{Name: "Chú Ba tổ trưởng", Relation: "local_official", Influence: caunoi.InfluencePositive, Contactable: true},
		} {
			must(t, f.Reintegrations.AddInfluencePerson(f.pe, r.ID, &p))
		}
		err := f.Reintegrations.AddInfluencePerson(f.pe, r.ID, &caunoi.InfluencePerson{Name: "Ai đó", Relation: "stranger", Influence: "neutral", Strength: 7})
		if caunoi.ErrorCode(err) != caunoi.EINVALID || len(caunoi.AsError(err).Fields) != 3 {
			t.Fatalf("a bad person: %v", err)
		}
		for _, table := range []string{"influence_people", "audit_log"} {
			for _, row := range rawRows(t, db, table, "") {
				if strings.Contains(strings.Join(row, " "), "Bến Bính") {
					t.Fatalf("%s holds a name in clear", table)
				}
			}
		}
		reads := len(f.auditEntries(caunoi.AuditFilter{EntityID: r.ID, Action: caunoi.ActionRead}))
		got, err := f.Reintegrations.FindReintegrationByID(f.As(caunoi.RoleOutreachWorker, "hpg"), r.ID)
		must(t, err)
		if len(got.People) != 3 || got.People[1].Name != "Anh Tư Bến Bính" || got.People[2].Strength != 2 || got.Mapped != 3 {
			t.Fatalf("map %+v", got.People)
		}
		if n := len(f.auditEntries(caunoi.AuditFilter{EntityID: r.ID, Action: caunoi.ActionRead})); n != reads+1 {
			t.Fatalf("the read was not audited")
		}
		_, err = f.Reintegrations.VoidInfluencePerson(f.pe, got.People[2].ID, 1, "Đã chuyển đi nơi khác")
		must(t, err)

		// No follow-up before the return; the club must be a group related
		// to the preparing organisation.
		_, err = f.Reintegrations.RecordEvent(f.pe, r.ID, caunoi.EventFollowUp, caunoi.EventRecord{Version: 1, On: daysAgo(0), Wellbeing: "stable"})
		if e := wantCode(t, err, caunoi.ECONFLICT); e.Key != "err.reintegration.not_returned" {
			t.Fatalf("follow-up before return: %v", e)
		}
		_, err = f.Reintegrations.RecordReturn(f.pe, r.ID, caunoi.ReturnHandover{Version: 1, ReturnedOn: daysAgo(3), ClubID: f.O("hp").ID})
		wantInvalid(t, err, "club_id")
		r, err = f.Reintegrations.RecordReturn(f.pe, r.ID, caunoi.ReturnHandover{Version: 1, ReturnedOn: daysAgo(3), ClubID: f.O("hpg").ID, Note: "Gia đình đón"})
		must(t, err)
		if r.Status != caunoi.ReintegrationReturned || r.ClubID != f.O("hpg").ID || r.Version != 2 {
			t.Fatalf("returned %+v", r)
		}
		_, err = f.Reintegrations.RecordReturn(f.pe, r.ID, caunoi.ReturnHandover{Version: 2, ReturnedOn: daysAgo(2), ClubID: f.O("hpg").ID})
		wantCode(t, err, caunoi.ECONFLICT)

		// Follow-ups, then a relapse.
		_, err = f.Reintegrations.RecordEvent(f.pe, r.ID, caunoi.EventFollowUp, caunoi.EventRecord{Version: 2, On: daysAgo(5), Wellbeing: "stable"})
		wantInvalid(t, err, "on") // before the return
		r, err = f.Reintegrations.RecordEvent(f.pe, r.ID, caunoi.EventFollowUp, caunoi.EventRecord{Version: 2, On: daysAgo(2), Wellbeing: "struggling", Note: "Chưa có việc"})
		must(t, err)
		cBefore, err := f.Clients.FindClientByID(f.pe, c.ID)
		must(t, err)
		r, err = f.Reintegrations.RecordEvent(f.pe, r.ID, caunoi.EventRelapse, caunoi.EventRecord{Version: r.Version, On: daysAgo(1), Note: "Gặp lại nhóm cũ"})
		must(t, err)
		cAfter, err := f.Clients.FindClientByID(f.pe, c.ID)
		must(t, err)
		relapsed := slices.ContainsFunc(cAfter.StatusHistory, func(h caunoi.StatusChange) bool {
			return h.Status == "relapsed" && h.ChangedOn == daysAgo(1)
		})
		if cAfter.Status != "relapsed" || cAfter.Version != cBefore.Version+1 || !relapsed || len(cAfter.StatusHistory) != len(cBefore.StatusHistory)+1 {
			t.Fatalf("client after relapse: %s v%d, history %+v", cAfter.Status, cAfter.Version, cAfter.StatusHistory)
		}
		got, err = f.Reintegrations.FindReintegrationByID(f.pe, r.ID)
		must(t, err)
		if len(got.Events) != 2 || got.Events[0].Wellbeing != "struggling" || got.Events[1].Kind != caunoi.EventRelapse || got.Events[1].Note != "Gặp lại nhóm cũ" {
			t.Fatalf("events %+v", got.Events)
		}

		// A relapse that cannot be written leaves no event behind: the
		// client's record is voided, so the status change fails.
		_, err = f.Clients.VoidClient(f.pe, c.ID, cAfter.Version, "Trùng hồ sơ")
		must(t, err)
		events := countRows(t, db, "reintegration_events")
		_, err = f.Reintegrations.RecordEvent(f.pe, r.ID, caunoi.EventRelapse, caunoi.EventRecord{Version: r.Version, On: daysAgo(0)})
		wantCode(t, err, caunoi.ECONFLICT)
		if countRows(t, db, "reintegration_events") != events {
			t.Fatal("a failed relapse left its event")
		}

		// Scope: another province sees nothing, the national officer no row.
		_, err = f.Reintegrations.FindReintegrationByID(f.As(caunoi.RoleProvinceOfficer, "qn"), r.ID)
		wantCode(t, err, caunoi.ENOTFOUND)
		_, _, err = f.Reintegrations.FindReintegrations(f.As(caunoi.RoleNationalOfficer, "nat"), caunoi.ReintegrationFilter{})
		wantCode(t, err, caunoi.EFORBIDDEN)
		_, err = f.Reintegrations.RecordEvent(f.As(caunoi.RoleProvinceOfficer, "hp"), r.ID, caunoi.EventFollowUp, caunoi.EventRecord{Version: r.Version, On: daysAgo(0), Wellbeing: "stable"})
		wantCode(t, err, caunoi.EFORBIDDEN)
	})
}

// The report's numbers are counted from the records: residents mapped
// (a live person on the map) and received (returned to a club), each
// resident once; the national officer gets the numbers, not the rows.
func TestReintegrationCounts(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCasesFixture(t, db)
		const residents, mapped, received = 12, 9, 7
		var all []*caunoi.Reintegration
		for i := range residents {
			c := f.createClient(f.pe, "hpg", fmt.Sprintf("Học viên %d", i+1))
			r := &caunoi.Reintegration{OrgID: f.O("hpg").ID, ClientID: c.ID, CentreID: f.centre.ID, ExpectedOn: daysAgo(30 - i)}
			must(t, f.Reintegrations.CreateReintegration(f.sys, r))
			all = append(all, r)
			if i < mapped {
				for k := range 1 + i%3 {
					must(t, f.Reintegrations.AddInfluencePerson(f.sys, r.ID, &caunoi.InfluencePerson{Name: fmt.Sprintf("Người %d", k),
						Relation: "mother", Influence: caunoi.InfluencePositive}))
				}
			}
			if i < received {
				_, err := f.Reintegrations.RecordReturn(f.sys, r.ID, caunoi.ReturnHandover{Version: 1, ReturnedOn: daysAgo(20), ClubID: f.O("hpg").ID})
				must(t, err)
			}
		}
		// A person taken off a map no longer maps the resident; a voided
		// record counts nowhere.
		last, err := f.Reintegrations.FindReintegrationByID(f.pe, all[mapped-1].ID)
		must(t, err)
		for _, p := range last.People {
			_, err := f.Reintegrations.VoidInfluencePerson(f.pe, p.ID, p.Version, "Nhập nhầm")
			must(t, err)
		}
		_, err = f.Reintegrations.VoidReintegration(f.pe, all[0].ID, 2, "Trùng hồ sơ")
		must(t, err)
		// all[0] was mapped and received: 11 residents, 7 mapped, 6 received.

		// Counted from the records one by one.
		list, n, err := f.Reintegrations.FindReintegrations(f.leader, caunoi.ReintegrationFilter{Page: caunoi.Page{Limit: 500}})
		must(t, err)
		gotMapped, gotReceived := 0, 0
		for _, r := range list {
			full, err := f.Reintegrations.FindReintegrationByID(f.leader, r.ID)
			must(t, err)
			if len(full.People) > 0 {
				gotMapped++
			}
			if full.Status == caunoi.ReintegrationReturned && full.ClubID != "" {
				gotReceived++
			}
		}
		if n != residents-1 || gotMapped != mapped-2 || gotReceived != received-1 {
			t.Fatalf("from the records: %d residents, %d mapped, %d received", n, gotMapped, gotReceived)
		}
		for _, ctx := range []struct {
			name string
			as   caunoi.Role
			org  string
		}{{"group leader", caunoi.RoleGroupLeader, "hpg"}, {"province officer", caunoi.RoleProvinceOfficer, "hp"}, {"national officer", caunoi.RoleNationalOfficer, "nat"}} {
			st, err := f.Reintegrations.ReintegrationStats(f.As(ctx.as, ctx.org), "")
			must(t, err)
			want := caunoi.ReintegrationStats{Residents: n, Preparing: n - gotReceived, Mapped: gotMapped, Received: gotReceived}
			if *st != want {
				t.Errorf("%s: stats %+v, want %+v", ctx.name, *st, want)
			}
		}
		if st, err := f.Reintegrations.ReintegrationStats(f.As(caunoi.RoleProvinceOfficer, "qn"), ""); err != nil || st.Residents != 0 {
			t.Errorf("Quảng Ninh counts Hải Phòng: %+v %v", st, err)
		}
	})
}
