package sqldb_test

import (
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

func TestSharedOutputSuppressesSmallCellsAndTheirComplements(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		m := newMonitoringData(t, db)
		for _, raw := range []bool{true, false} {
			v := m.evaluate(t, raw, caunoi.ValueQuery{Shared: true, Indicators: []string{"CONTACTS", "CONTACTS_NAMED_PERSONS", "CONDOMS"},
				Groupings: [][]string{{"province"}, {"sex"}, {"org"}, {"population"}}})
			cell := func(code string, pairs ...string) *caunoi.Cell {
				t.Helper()
				g := []string{}
				for i := 0; i < len(pairs); i += 2 {
					g = append(g, pairs[i])
				}
				c := v.Find(code, g...).Cell(pairs...)
				if c == nil {
					t.Fatalf("%s %v: no cell", code, pairs)
				}
				return c
			}
			// 11 contacts: shown. Quảng Ninh's 2 are hidden, and so is Hải
			// Phòng's 9, else 11 − 9 would give them away.
			if c := cell("CONTACTS"); c.Suppressed || c.Value != 11 {
				t.Errorf("total %+v", c)
			}
			if c := cell("CONTACTS", "province", "22"); !c.Suppressed || c.Value != 0 {
				t.Errorf("Quảng Ninh's 2 contacts shown: %+v", c)
			}
			if c := cell("CONTACTS", "province", "31"); !c.Suppressed {
				t.Errorf("Hải Phòng's 9 contacts shown beside a hidden 2: %+v", c)
			}
			// By sex: 8 female, 2 male, 1 other; the two small ones hide each
			// other, the 8 stays.
			if c := cell("CONTACTS", "sex", "female"); c.Suppressed || c.Value != 8 {
				t.Errorf("female %+v", c)
			}
			if !cell("CONTACTS", "sex", "male").Suppressed || !cell("CONTACTS", "sex", "other").Suppressed {
				t.Error("small sex cells shown")
			}
			// By group: 8, 2, 1: again two small cells, no complement needed.
			if c := cell("CONTACTS", "org", m.O("hpg").ID); c.Suppressed || c.Value != 8 {
				t.Errorf("hpg %+v", c)
			}
			// Four named persons: the total itself is small.
			if c := cell("CONTACTS_NAMED_PERSONS"); !c.Suppressed {
				t.Errorf("4 persons shown: %+v", c)
			}
			// Populations overlap, so no complement: 7 sex-work contacts
			// stay beside 2 hidden venue-worker ones.
			if c := cell("CONTACTS", "population", "sex_work"); c.Suppressed || c.Value != 7 {
				t.Errorf("sex_work %+v", c)
			}
			if !cell("CONTACTS", "population", "venue_worker").Suppressed {
				t.Error("2 venue workers shown")
			}
			// Quantities are not people: 195 condoms and a group's small
			// number of them are shown.
			if c := cell("CONDOMS", "org", m.O("qng").ID); c.Suppressed {
				t.Errorf("condoms suppressed: %+v", c)
			}
			// Zero is shown.
			if c := cell("CONTACTS", "population", "plhiv"); c.Suppressed || c.Value != 0 {
				t.Errorf("zero cell %+v", c)
			}
		}
		// Unshared output shows everything.
		v := m.evaluate(t, false, caunoi.ValueQuery{Indicators: []string{"CONTACTS"}, Groupings: [][]string{{"province"}}})
		if c := v.Find("CONTACTS", "province").Cell("province", "22"); c.Suppressed || c.Value != 2 {
			t.Errorf("unshared %+v", c)
		}
	})
}

func TestRollupsFollowWrites(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		m := newMonitoringData(t, db)
		q := caunoi.ValueQuery{Indicators: []string{"CONTACTS", "CONTACTS_NAMED_PERSONS", "CONDOMS_CONTACTS"}, Groupings: [][]string{{"sex"}, {"model"}}}
		v := m.evaluate(t, false, q)
		wantCell(t, v, "CONTACTS", nil, nil, 11)
		if n, err := db.RefreshRollups(m.sys); err != nil || n != 0 {
			t.Fatalf("rollups rebuilt again without a write: %d %v", n, err)
		}
		// A new contact of B with condoms.
		k := &caunoi.Contact{OrgID: m.O("hpg").ID, ClientID: m.b.ID, At: at(2025, 6, 3, 20, 0), Channel: "in_person", Commodities: map[string]int{"condom": 7}}
		must(t, m.Contacts.CreateContact(m.pe, k))
		v = m.evaluate(t, false, q)
		wantCell(t, v, "CONTACTS", nil, nil, 12)
		wantCell(t, v, "CONTACTS_NAMED_PERSONS", nil, nil, 4)
		wantCell(t, v, "CONDOMS_CONTACTS", nil, nil, 52)
		// Voided again.
		_, err := m.Contacts.VoidContact(m.pe, k.ID, 1, "ghi nhầm")
		must(t, err)
		v = m.evaluate(t, false, q)
		wantCell(t, v, "CONTACTS", nil, nil, 11)
		wantCell(t, v, "CONDOMS_CONTACTS", nil, nil, 45)
		// C's sex is corrected: the rollup follows the client.
		sex := "female"
		_, err = m.Clients.UpdateClient(m.pe, m.c.ID, caunoi.ClientUpdate{Version: m.c.Version, Sex: &sex})
		must(t, err)
		v = m.evaluate(t, false, q)
		wantCell(t, v, "CONTACTS", []string{"sex"}, []string{"sex", "female"}, 9)
		wantCell(t, v, "CONTACTS", []string{"sex"}, []string{"sex", "male"}, 1)
		// The group takes up a second model: its rows count there too.
		models := []caunoi.Model{caunoi.ModelPeerCapacity, caunoi.ModelCommunityServices}
		g := m.O("hpg")
		_, err = m.Orgs.UpdateOrg(m.sys, g.ID, caunoi.OrgUpdate{Version: g.Version, Models: &models})
		must(t, err)
		v = m.evaluate(t, false, q)
		wantCell(t, v, "CONTACTS", []string{"model"}, []string{"model", "community_services"}, 8)
		wantCell(t, v, "CONTACTS", []string{"model"}, []string{"model", "peer_capacity"}, 8)
		// E, a client of the province, is met by two of its groups: one
		// person, in two organisations.
		m.addOrg("hpg2", "hp", &caunoi.Organisation{Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupClub, Name: "CLB Hải Phòng 2"})
		e := &caunoi.Client{OrgID: m.O("hp").ID, Nickname: "E", Sex: "female", BirthYear: 1992, Populations: []caunoi.Population{caunoi.PopSexWork}}
		must(t, m.Clients.CreateClient(m.sys, e))
		// (Recorded by the system: the groups' workers do not see the
		// province's clients.)
		must(t, m.Contacts.CreateContact(m.sys, &caunoi.Contact{OrgID: m.O("hpg").ID, WorkerID: m.U(caunoi.RolePeerEducator, "hpg").ID, ClientID: e.ID,
			At: at(2025, 6, 5, 20, 0), Channel: "phone"}))
		must(t, m.Contacts.CreateContact(m.sys, &caunoi.Contact{OrgID: m.O("hpg2").ID, WorkerID: m.U(caunoi.RolePeerEducator, "hpg2").ID, ClientID: e.ID,
			At: at(2025, 6, 6, 20, 0), Channel: "phone"}))
		q.Groupings = append(q.Groupings, []string{"org"}, []string{"province"})
		v = m.evaluate(t, false, q)
		wantCell(t, v, "CONTACTS", nil, nil, 13)
		wantCell(t, v, "CONTACTS_NAMED_PERSONS", nil, nil, 5)
		wantCell(t, v, "CONTACTS_NAMED_PERSONS", []string{"province"}, []string{"province", "31"}, 4)
		wantCell(t, v, "CONTACTS_NAMED_PERSONS", []string{"org"}, []string{"org", m.O("hpg").ID}, 4)
		wantCell(t, v, "CONTACTS_NAMED_PERSONS", []string{"org"}, []string{"org", m.O("hpg2").ID}, 1)
		wantCell(t, v, "CONTACTS_NAMED_PERSONS", []string{"sex"}, []string{"sex", "female"}, 5)
		// And the records agree.
		raw := m.evaluate(t, true, q)
		for _, s := range v.Series {
			rs := raw.Find(s.Indicator, s.Grouping...)
			for _, c := range s.Cells {
				var pairs []string
				for _, d := range s.Grouping {
					pairs = append(pairs, d, c.Keys[d])
				}
				if rc := rs.Cell(pairs...); rc == nil || rc.Value != c.Value {
					t.Errorf("%s %v: rollup %v, records %+v", s.Indicator, pairs, c.Value, rc)
				}
			}
		}
	})
}

func TestNationalOfficersGetProvincesAndSharedNumbersOnly(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		m := newMonitoringData(t, db)
		nat := m.As(caunoi.RoleNationalOfficer, "nat")
		q := caunoi.ValueQuery{OrgID: m.O("nat").ID, Period: m.h1, Indicators: []string{"CONTACTS"}, Groupings: [][]string{{"province"}}}
		v, err := m.svc.Evaluate(nat, q)
		must(t, err)
		if !v.Shared {
			t.Error("a national officer got unshared numbers")
		}
		if c := v.Find("CONTACTS", "province").Cell("province", "22"); !c.Suppressed {
			t.Errorf("small province cell shown to the national level: %+v", c)
		}
		q.Groupings = [][]string{{"org"}}
		_, err = m.svc.Evaluate(nat, q)
		wantCode(t, err, caunoi.EFORBIDDEN)
		q.OrgID, q.Groupings = m.O("hpg").ID, nil
		_, err = m.svc.Evaluate(nat, q)
		wantCode(t, err, caunoi.EFORBIDDEN)
		// A province officer sees its own groups, and nothing of another
		// province.
		hp := m.As(caunoi.RoleProvinceOfficer, "hp")
		v, err = m.svc.Evaluate(hp, caunoi.ValueQuery{OrgID: m.O("hp").ID, Period: m.h1, Indicators: []string{"CONTACTS"}, Groupings: [][]string{{"org"}}})
		must(t, err)
		wantCell(t, v, "CONTACTS", []string{"org"}, []string{"org", m.O("hpg").ID}, 8)
		_, err = m.svc.Evaluate(hp, caunoi.ValueQuery{OrgID: m.O("qn").ID, Period: m.h1, Indicators: []string{"CONTACTS"}})
		wantCode(t, err, caunoi.ENOTFOUND)
		// Outreach workers hold no report.read.
		_, err = m.svc.Evaluate(m.As(caunoi.RoleOutreachWorker, "hpg"), caunoi.ValueQuery{OrgID: m.O("hpg").ID, Period: m.h1})
		wantCode(t, err, caunoi.EFORBIDDEN)
	})
}

func TestUserDefinedIndicators(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		m := newMonitoringData(t, db)
		hp := m.As(caunoi.RoleProvinceOfficer, "hp")
		ratio := func(code, num, den string) *caunoi.Indicator {
			return &caunoi.Indicator{Code: code, NameVI: "Tỷ lệ", NameEN: "Share", Unit: "percent", Count: caunoi.CountRatio,
				Numerator: num, Denominator: den, Scale: 100, OrgID: m.O("hp").ID, Disaggregations: []string{"org"}}
		}
		kpShare := ratio("KP_SHARE", "KP_PREV", "CONTACTS_NAMED_PERSONS")
		must(t, m.svc.CreateIndicator(hp, kpShare))
		// The same again is applied once.
		must(t, m.svc.CreateIndicator(hp, ratio("KP_SHARE", "KP_PREV", "CONTACTS_NAMED_PERSONS")))
		v, err := m.svc.Evaluate(hp, caunoi.ValueQuery{OrgID: m.O("hp").ID, Period: m.h1, Indicators: []string{"KP_SHARE"}, Groupings: [][]string{{"org"}}})
		must(t, err)
		// Hải Phòng's group: A, B and C are all in key populations.
		c := v.Find("KP_SHARE", "org").Cell("org", m.O("hpg").ID)
		if c.Value != 100 || *c.Numerator != 3 || *c.Denominator != 3 {
			t.Errorf("KP share %+v", c)
		}
		// Hải Dương's group has no named client: no share, no division.
		p2, _ := caunoi.ParsePeriod("2024")
		v, err = m.svc.Evaluate(hp, caunoi.ValueQuery{OrgID: m.O("hp").ID, Period: p2, Indicators: []string{"KP_SHARE"}})
		must(t, err)
		if c := v.Total("KP_SHARE"); !c.Undefined || c.Value != 0 {
			t.Errorf("a ratio over nothing: %+v", c)
		}
		for _, bad := range []struct {
			name  string
			ind   *caunoi.Indicator
			field string
			key   string
		}{
			{"refers to itself", ratio("SELF", "SELF", "CONTACTS"), "numerator", "err.indicator.self_reference"},
			{"ratio of a ratio", ratio("RATIO2", "KP_SHARE", "CONTACTS"), "numerator", "err.indicator.ratio_of_ratio"},
			{"unknown reference", ratio("RATIO3", "NO_SUCH", "CONTACTS"), "numerator", "err.indicator.unknown_ref"},
			{"code of the catalogue", ratio("CONTACTS", "KP_PREV", "PERSONS_REACHED"), "code", "err.indicator.code_taken"},
			{"unknown source", &caunoi.Indicator{Code: "X1", NameVI: "x", NameEN: "x", Unit: "person", Count: caunoi.CountEvents, Source: "spaceships",
				OrgID: m.O("hp").ID}, "source", "err.indicator.source_unknown"},
			{"unknown measure", &caunoi.Indicator{Code: "X2", NameVI: "x", NameEN: "x", Unit: "item", Count: caunoi.CountQuantity, Source: "contacts",
				Measure: "rice", OrgID: m.O("hp").ID}, "measure", "err.indicator.measure_unknown"},
			{"dimension the source lacks", &caunoi.Indicator{Code: "X3", NameVI: "x", NameEN: "x", Unit: "session", Count: caunoi.CountEvents, Source: "activities",
				Disaggregations: []string{"sex"}, OrgID: m.O("hp").ID}, "disaggregations", "err.indicator.dimension_unsupported"},
			{"distinct unnamed people", &caunoi.Indicator{Code: "X4", NameVI: "x", NameEN: "x", Unit: "person", Count: caunoi.CountClients, Source: "contacts",
				Named: caunoi.NamedAnonymous, OrgID: m.O("hp").ID}, "named", "err.indicator.anonymous_clients"},
		} {
			t.Run(bad.name, func(t *testing.T) {
				err := m.svc.CreateIndicator(hp, bad.ind)
				e := wantCode(t, err, caunoi.EINVALID)
				found := false
				for _, f := range e.Fields {
					found = found || (f.Field == bad.field && f.Key == bad.key)
				}
				if !found {
					t.Errorf("error %v, want %s on %s", err, bad.key, bad.field)
				}
			})
		}
		// Another province cannot define indicators for Hải Phòng.
		qn := m.As(caunoi.RoleProvinceOfficer, "qn")
		wantInvalid(t, m.svc.CreateIndicator(qn, ratio("QN_SHARE", "KP_PREV", "CONTACTS")), "org_id")
		// A referenced indicator cannot be voided; an unreferenced one can.
		sum := &caunoi.Indicator{Code: "KP_TWICE", NameVI: "x", NameEN: "x", Unit: "person", Count: caunoi.CountSum, Terms: []string{"KP_PREV", "KP_PREV"},
			OrgID: m.O("hp").ID}
		must(t, m.svc.CreateIndicator(hp, sum))
		v, err = m.svc.Evaluate(hp, caunoi.ValueQuery{OrgID: m.O("hp").ID, Period: m.h1, Indicators: []string{"KP_TWICE"}})
		must(t, err)
		wantCell(t, v, "KP_TWICE", nil, nil, 6)
		_, err = m.svc.VoidIndicator(hp, "KP_PREV", 1, "không dùng")
		wantCode(t, err, caunoi.ENOTFOUND) // the catalogue's cannot be voided
		_, err = m.svc.VoidIndicator(hp, "KP_SHARE", 1, "không dùng")
		must(t, err)
		_, err = m.svc.Evaluate(hp, caunoi.ValueQuery{OrgID: m.O("hp").ID, Period: m.h1, Indicators: []string{"KP_SHARE"}})
		wantCode(t, err, caunoi.ENOTFOUND)
		if es := m.auditEntries(caunoi.AuditFilter{Entity: "indicator"}); len(es) != 3 {
			t.Errorf("audit entries of indicators: %d, want 3", len(es))
		}
	})
}

func TestTargets(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		m := newMonitoringData(t, db)
		ts := sqldb.NewTargetService(db)
		hp := m.As(caunoi.RoleProvinceOfficer, "hp")
		tg := &caunoi.Target{OrgID: m.O("hpg").ID, Indicator: "CONTACTS", Period: m.h1, Value: 20}
		must(t, ts.SetTarget(hp, tg))
		// The same organisation, indicator, model and period again: a change.
		again := &caunoi.Target{OrgID: m.O("hpg").ID, Indicator: "CONTACTS", Period: m.h1, Value: 25, Version: 1}
		must(t, ts.SetTarget(hp, again))
		if again.ID != tg.ID || again.Version != 2 || again.Value != 25 {
			t.Errorf("changed target %+v", again)
		}
		stale := &caunoi.Target{OrgID: m.O("hpg").ID, Indicator: "CONTACTS", Period: m.h1, Value: 30, Version: 1}
		wantCode(t, ts.SetTarget(hp, stale), caunoi.ECONFLICT)
		must(t, ts.SetTarget(hp, &caunoi.Target{OrgID: m.O("hpg").ID, Indicator: "CONTACTS", Model: caunoi.ModelPeerCapacity, Period: m.h1, Value: 10}))
		list, n, err := ts.FindTargets(hp, caunoi.TargetFilter{OrgID: m.O("hp").ID, Period: &m.h1})
		must(t, err)
		if n != 2 || len(list) != 2 {
			t.Errorf("targets %d", n)
		}
		// Bad input.
		wantInvalid(t, ts.SetTarget(hp, &caunoi.Target{OrgID: m.O("hpg").ID, Indicator: "NO_SUCH", Period: m.h1, Value: 1}), "indicator")
		wantInvalid(t, ts.SetTarget(hp, &caunoi.Target{OrgID: m.O("hpg").ID, Indicator: "CONTACTS", Period: m.h1, Value: -1}), "value")
		custom, _ := caunoi.CustomPeriod(time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2025, 2, 2, 0, 0, 0, 0, time.UTC))
		wantInvalid(t, ts.SetTarget(hp, &caunoi.Target{OrgID: m.O("hpg").ID, Indicator: "CONTACTS", Period: custom, Value: 1}), "period")
		wantInvalid(t, ts.SetTarget(m.As(caunoi.RoleProvinceOfficer, "qn"), &caunoi.Target{OrgID: m.O("hpg").ID, Indicator: "CONTACTS", Period: m.h1, Value: 1}), "org_id")
		wantCode(t, ts.SetTarget(m.As(caunoi.RoleGroupLeader, "hpg"), &caunoi.Target{OrgID: m.O("hpg").ID, Indicator: "CONTACTS", Period: m.h1, Value: 1}), caunoi.EFORBIDDEN)
		// Voided, it is gone from the list.
		_, err = ts.VoidTarget(hp, tg.ID, 2, "đổi kế hoạch")
		must(t, err)
		_, n, err = ts.FindTargets(hp, caunoi.TargetFilter{OrgID: m.O("hp").ID})
		must(t, err)
		if n != 1 {
			t.Errorf("targets after voiding: %d", n)
		}
		if got, ok := caunoi.Achievement(8, 10); !ok || got != 80 {
			t.Errorf("achievement %v %v", got, ok)
		}
	})
}

func TestPeriods(t *testing.T) {
	for code, want := range map[string][2]string{
		"2025":                   {"2025-01-01", "2025-12-31"},
		"2025-H1":                {"2025-01-01", "2025-06-30"},
		"2025S2":                 {"2025-07-01", "2025-12-31"},
		"2025-Q1":                {"2025-01-01", "2025-03-31"},
		"2024-02":                {"2024-02-01", "2024-02-29"},
		"2025-01-15..2025-03-20": {"2025-01-15", "2025-03-20"},
		"15/01/2025..20/03/2025": {"2025-01-15", "2025-03-20"},
	} {
		p, err := caunoi.ParsePeriod(code)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		if got := [2]string{p.Start.Format(caunoi.DateLayout), p.End.Format(caunoi.DateLayout)}; got != want {
			t.Errorf("%s = %v, want %v", code, got, want)
		}
		if again, err := caunoi.ParsePeriod(p.Code()); err != nil || again != p {
			t.Errorf("%s: code %s reads back as %+v %v", code, p.Code(), again, err)
		}
	}
	_, err := caunoi.ParsePeriod("2025-06-30..2025-01-01")
	e := wantCode(t, err, caunoi.EINVALID)
	if len(e.Fields) != 1 || e.Fields[0].Key != "err.period.end_before_start" {
		t.Errorf("end before start: %v", err)
	}
	for _, bad := range []string{"", "2025-13", "2025-H3", "yesterday", "2025-02-30..2025-03-01"} {
		if _, err := caunoi.ParsePeriod(bad); caunoi.ErrorCode(err) != caunoi.EINVALID {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestDHIS2Export(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		m := newMonitoringData(t, db)
		svc := sqldb.NewDHIS2Service(db)
		hp := m.As(caunoi.RoleProvinceOfficer, "hp")
		nat := m.As(caunoi.RoleNationalOfficer, "nat")
		// Nothing mapped: a clear message, nothing exported.
		_, err := svc.ExportDHIS2(hp, m.O("hp").ID, m.h1, nil)
		wantInvalid(t, err, "org_id")
		// Data elements are the nation's to map; org units the province's.
		wantCode(t, svc.SetDHIS2Mapping(hp, &caunoi.DHIS2Mapping{Kind: caunoi.DHIS2Indicator, Key: "CONTACTS", DHIS2ID: "fbfJHSPpUQD"}), caunoi.EFORBIDDEN)
		must(t, svc.SetDHIS2Mapping(nat, &caunoi.DHIS2Mapping{Kind: caunoi.DHIS2Indicator, Key: "contacts", DHIS2ID: "fbfJHSPpUQD"}))
		must(t, svc.SetDHIS2Mapping(nat, &caunoi.DHIS2Mapping{Kind: caunoi.DHIS2Indicator, Key: "KP_PREV", DHIS2ID: "cYeuwXTCPkU", Category: "HllvX50cXC0"}))
		must(t, svc.SetDHIS2Mapping(hp, &caunoi.DHIS2Mapping{Kind: caunoi.DHIS2Org, Key: m.O("hp").ID, DHIS2ID: "DiszpKrYNg8"}))
		wantInvalid(t, svc.SetDHIS2Mapping(hp, &caunoi.DHIS2Mapping{Kind: caunoi.DHIS2Org, Key: m.O("qn").ID, DHIS2ID: "DiszpKrYNg9"}), "key")
		wantInvalid(t, svc.SetDHIS2Mapping(nat, &caunoi.DHIS2Mapping{Kind: caunoi.DHIS2Indicator, Key: "NO_SUCH", DHIS2ID: "DiszpKrYNg9"}), "key")
		wantInvalid(t, svc.SetDHIS2Mapping(nat, &caunoi.DHIS2Mapping{Kind: caunoi.DHIS2Indicator, Key: "CONTACTS", DHIS2ID: "not a uid"}), "dhis2_id")
		// An indicator without a data element: nothing exported.
		_, err = svc.ExportDHIS2(hp, m.O("hp").ID, m.h1, []string{"CONTACTS", "NEW_MEMBERS"})
		e := wantCode(t, err, caunoi.EINVALID)
		if e.Fields[0].Field != "indicators" || e.Fields[0].Args["Codes"] != "NEW_MEMBERS" {
			t.Errorf("unmapped indicator: %v %v", err, e.Fields[0].Args)
		}
		// A custom period is not a DHIS2 period.
		custom, _ := caunoi.ParsePeriod("2025-01-05..2025-02-05")
		_, err = svc.ExportDHIS2(hp, m.O("hp").ID, custom, nil)
		wantInvalid(t, err, "period")
		// The mapped indicators of Hải Phòng's half-year.
		set, err := svc.ExportDHIS2(hp, m.O("hp").ID, m.h1, nil)
		must(t, err)
		if set.Period != "2025S1" || set.OrgUnit != "DiszpKrYNg8" || len(set.DataValues) != 2 {
			t.Fatalf("set %+v", set)
		}
		for _, dv := range set.DataValues {
			want := map[string]string{"CONTACTS": "8", "KP_PREV": "3"}[dv.Comment]
			if dv.Value != want || dv.Period != "2025S1" || dv.OrgUnit != "DiszpKrYNg8" {
				t.Errorf("value %+v, want %s", dv, want)
			}
			if dv.Comment == "KP_PREV" && (dv.DataElement != "cYeuwXTCPkU" || dv.CategoryOptionCombo != "HllvX50cXC0") {
				t.Errorf("KP_PREV %+v", dv)
			}
		}
		// A ratio over a period without data divides by zero: nothing exported.
		must(t, m.svc.CreateIndicator(nat, &caunoi.Indicator{Code: "ZALO_SHARE", NameVI: "x", NameEN: "x", Unit: "percent", Count: caunoi.CountRatio,
			Numerator: "CONTACTS_ZALO", Denominator: "CONTACTS", Scale: 100, OrgID: m.O("nat").ID}))
		must(t, svc.SetDHIS2Mapping(nat, &caunoi.DHIS2Mapping{Kind: caunoi.DHIS2Indicator, Key: "ZALO_SHARE", DHIS2ID: "zalozalo123"}))
		y2024, _ := caunoi.ParsePeriod("2024")
		_, err = svc.ExportDHIS2(hp, m.O("hp").ID, y2024, nil)
		e = wantCode(t, err, caunoi.EINVALID)
		if e.Fields[0].Key != "err.dhis2.ratio_undefined" {
			t.Errorf("ratio over zero: %v", err)
		}
		// Removing a mapping.
		must(t, svc.SetDHIS2Mapping(nat, &caunoi.DHIS2Mapping{Kind: caunoi.DHIS2Indicator, Key: "ZALO_SHARE"}))
		if ms, _ := svc.FindDHIS2Mappings(hp); len(ms) != 3 {
			t.Errorf("mappings %v", ms)
		}
		if es := m.auditEntries(caunoi.AuditFilter{Entity: "dhis2_mapping"}); len(es) != 5 {
			t.Errorf("audit entries: %d", len(es))
		}
	})
}
