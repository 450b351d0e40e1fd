package sqldb_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// A call from intake to referral, follow-up and closing: the anonymous
// case, encryption at rest, audited reads, bad input storing nothing, and
// a closed case refusing more work.
func TestHotlineCaseLifecycle(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCasesFixture(t, db)
		peUser := f.U(caunoi.RolePeerEducator, "hpg")
		at := time.Now().Add(-2 * time.Hour).Truncate(time.Second)

		// Intake: an anonymous call, classified as GBVIMS does.
		c := f.createCase(f.pe, f.newCase("hpg", at))
		if !regexp.MustCompile(`^DN-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$`).MatchString(c.Code) {
			t.Fatalf("code %q", c.Code)
		}
		if c.GBVType != caunoi.GBVPhysicalAssault || !c.Anonymous() || c.Status != caunoi.CaseOpen || c.TakenBy != peUser.ID || c.Version != 1 {
			t.Fatalf("created %+v", c)
		}
		// High risk: followed up two days after the call by default.
		wantNext := dayTime(caunoi.Date(time.Date(at.In(caunoi.Zone).Year(), at.In(caunoi.Zone).Month(), at.In(caunoi.Zone).Day()+2, 0, 0, 0, 0, time.UTC)))
		if c.NextFollowUpOn == nil || !dayTime(*c.NextFollowUpOn).Equal(wantNext) {
			t.Fatalf("first follow-up %v, want %v", c.NextFollowUpOn, wantNext)
		}
		// A repeated intake is stored once.
		again := f.newCase("hpg", at)
		again.ID = c.ID
		must(t, f.Hotline.CreateCase(f.pe, again))
		if countRows(t, db, "hotline_cases") != 1 || countRows(t, db, "case_follow_ups") != 1 || again.Code != c.Code {
			t.Fatalf("repeated intake: %d cases", countRows(t, db, "hotline_cases"))
		}

		// The narrative is encrypted at rest, and the audit trail names it
		// only as changed.
		for _, table := range []string{"hotline_cases", "audit_log", "case_follow_ups"} {
			for _, row := range rawRows(t, db, table, "") {
				joined := strings.Join(row, " ")
				if strings.Contains(joined, "Lạch Tray") || strings.Contains(joined, "0912 000 111") {
					t.Fatalf("%s holds the narrative in clear: %s", table, joined)
				}
			}
		}

		// A list leaves the narrative out and reads nothing; the case's page
		// is an audited read.
		list, n, err := f.Hotline.FindCases(f.leader, caunoi.CaseFilter{})
		must(t, err)
		if n != 1 || list[0].Summary != "" || list[0].SafetyPlan != "" {
			t.Fatalf("list: %d %+v", n, list)
		}
		reads := len(f.auditEntries(caunoi.AuditFilter{EntityID: c.ID, Action: caunoi.ActionRead}))
		got, err := f.Hotline.FindCaseByID(f.leader, c.ID)
		must(t, err)
		if got.Summary != c.Summary || got.SafetyPlan != c.SafetyPlan || len(got.FollowUps) != 1 || got.FollowUps[0].Status != caunoi.FollowUpPlanned {
			t.Fatalf("details: %+v", got)
		}
		if n := len(f.auditEntries(caunoi.AuditFilter{EntityID: c.ID, Action: caunoi.ActionRead})); n != reads+1 {
			t.Fatalf("reading a case wrote %d audit entries, want 1", n-reads)
		}

		// Bad input: an unknown GBVIMS type stores nothing.
		bad := f.newCase("hpg", at)
		bad.ViolenceTypes = []string{"physical_assault", "beating"}
		wantInvalid(t, f.Hotline.CreateCase(f.pe, bad), "violence_types")
		bad = f.newCase("hpg", at)
		bad.ClientID = f.createClient(f.As(caunoi.RolePeerEducator, "qng"), "qng", "Người Hạ Long").ID
		wantInvalid(t, f.Hotline.CreateCase(f.pe, bad), "client_id")
		if countRows(t, db, "hotline_cases") != 1 {
			t.Fatal("a refused intake was stored")
		}

		// An anonymous case cannot be referred before a client is linked,
		// and nothing is half-written.
		ref := &caunoi.Referral{ProviderID: f.legal.ID, ServiceKind: caunoi.ServiceLegalAid, ReferredOn: daysAgo(0)}
		_, err = f.Hotline.ReferCase(f.pe, c.ID, c.Version, ref)
		wantInvalid(t, err, "client_id")

		// Link the client met on the call: the anonymous facts go.
		client := f.createClient(f.pe, "hpg", "Hoa")
		_, err = f.Hotline.UpdateCase(f.pe, c.ID, caunoi.CaseUpdate{Version: c.Version + 1, ClientID: &client.ID})
		wantCode(t, err, caunoi.ECONFLICT) // a stale version
		c, err = f.Hotline.UpdateCase(f.pe, c.ID, caunoi.CaseUpdate{Version: c.Version, ClientID: &client.ID})
		must(t, err)
		if c.Anonymous() || c.AnonSex != "" || c.AnonPopulation != "" || c.Version != 2 || c.Summary == "" {
			t.Fatalf("linked: %+v", c)
		}

		// A referral to a provider that does not offer the service is
		// refused whole: no referral, no link, the same version.
		bad2 := &caunoi.Referral{ProviderID: f.legal.ID, ServiceKind: caunoi.ServiceHIVTest, ReferredOn: daysAgo(0)}
		_, err = f.Hotline.ReferCase(f.pe, c.ID, c.Version, bad2)
		wantInvalid(t, err, "service_kind")
		if countRows(t, db, "referrals") != 0 || countRows(t, db, "case_referrals") != 0 {
			t.Fatal("a refused referral left rows behind")
		}
		// Referred through the referral service, linked to the case.
		c, err = f.Hotline.ReferCase(f.pe, c.ID, c.Version, ref)
		must(t, err)
		if c.Version != 3 || ref.Status != caunoi.ReferralReferred || ref.ClientID != client.ID || ref.OrgID != f.O("hpg").ID {
			t.Fatalf("referred: case %+v, referral %+v", c, ref)
		}
		if _, err := f.Referrals.FindReferralByID(f.pe, ref.ID); err != nil {
			t.Fatalf("the referral is not in the referral service: %v", err)
		}
		// Sent twice, it is made once.
		repeat := &caunoi.Referral{ID: ref.ID, ProviderID: f.legal.ID, ServiceKind: caunoi.ServiceLegalAid, ReferredOn: daysAgo(0)}
		c, err = f.Hotline.ReferCase(f.pe, c.ID, 1, repeat)
		must(t, err)
		if countRows(t, db, "referrals") != 1 || countRows(t, db, "case_referrals") != 1 || c.Version != 3 {
			t.Fatalf("a repeated referral: %d referrals", countRows(t, db, "referrals"))
		}

		// Follow-up: done today, the next one in a week, risk lowered.
		next := caunoi.Date(caunoi.Today().AddDate(0, 0, 7))
		c, err = f.Hotline.RecordFollowUp(f.pe, c.ID, caunoi.FollowUpRecord{Version: c.Version, DoneOn: daysAgo(0), Channel: "zalo",
			Reached: true, Note: "Chị Hoa đã về nhà mẹ đẻ ở Kiến An", Risk: caunoi.RiskMedium, NextOn: &next})
		must(t, err)
		if c.Risk != caunoi.RiskMedium || c.NextFollowUpOn == nil || *c.NextFollowUpOn != next || c.Version != 4 {
			t.Fatalf("after follow-up: %+v", c)
		}
		// A follow-up before the call is refused.
		_, err = f.Hotline.RecordFollowUp(f.pe, c.ID, caunoi.FollowUpRecord{Version: c.Version, DoneOn: daysAgo(30), Channel: "phone"})
		wantInvalid(t, err, "done_on")

		// Closing cancels the planned follow-up.
		c, err = f.Hotline.CloseCase(f.pe, c.ID, caunoi.CaseClosing{Version: c.Version, ClosedOn: daysAgo(0), Outcome: "referred", Note: "Đã có luật sư"})
		must(t, err)
		if c.Status != caunoi.CaseClosed || c.NextFollowUpOn != nil {
			t.Fatalf("closed: %+v", c)
		}
		got, err = f.Hotline.FindCaseByID(f.pe, c.ID)
		must(t, err)
		var states []string
		for _, fu := range got.FollowUps {
			states = append(states, fu.Status)
		}
		if !slices.Equal(states, []string{caunoi.FollowUpDone, caunoi.FollowUpCancelled}) || got.FollowUps[0].Note != "Chị Hoa đã về nhà mẹ đẻ ở Kiến An" ||
			got.FollowUps[0].DoneBy != peUser.ID || got.ClosingNote != "Đã có luật sư" || !slices.Equal(got.ReferralIDs, []string{ref.ID}) {
			t.Fatalf("closed case: %v %+v", states, got)
		}
		// A closed case takes no follow-up, referral or change.
		e := wantCode(t, func() error {
			_, err := f.Hotline.RecordFollowUp(f.pe, c.ID, caunoi.FollowUpRecord{Version: c.Version, DoneOn: daysAgo(0), Channel: "phone"})
			return err
		}(), caunoi.ECONFLICT)
		if e.Key != "err.case.closed" {
			t.Fatalf("follow-up on a closed case: %v", e)
		}
		_, err = f.Hotline.ReferCase(f.pe, c.ID, c.Version, &caunoi.Referral{ProviderID: f.legal.ID, ServiceKind: caunoi.ServiceLegalAid, ReferredOn: daysAgo(0)})
		wantCode(t, err, caunoi.ECONFLICT)
		risk := caunoi.RiskLow
		_, err = f.Hotline.UpdateCase(f.pe, c.ID, caunoi.CaseUpdate{Version: c.Version, Risk: &risk})
		wantCode(t, err, caunoi.ECONFLICT)

		// Voided with a reason, it leaves the lists.
		_, err = f.Hotline.VoidCase(f.pe, c.ID, c.Version, "")
		wantInvalid(t, err, "reason")
		_, err = f.Hotline.VoidCase(f.pe, c.ID, c.Version, "Ghi nhầm")
		must(t, err)
		if _, n, _ := f.Hotline.FindCases(f.pe, caunoi.CaseFilter{}); n != 0 {
			t.Fatalf("a voided case is listed")
		}
	})
}

// Hotline cases are read by the group running the hotline and the
// province above it, never by another province, outreach workers,
// national officers or administrators.
func TestHotlineScope(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCasesFixture(t, db)
		at := time.Now().Add(-time.Hour)
		hp := f.createCase(f.pe, f.newCase("hpg", at))
		qn := f.createCase(f.As(caunoi.RoleGroupLeader, "qng"), f.newCase("qng", at))

		for _, tc := range []struct {
			role  caunoi.Role
			org   string
			want  caunoi.Code // for the Hải Phòng case
			count int         // cases listed
		}{
			{caunoi.RoleGroupLeader, "hpg", "", 1},
			{caunoi.RolePeerEducator, "hpg", "", 1},
			{caunoi.RoleProvinceOfficer, "hp", "", 1},
			{caunoi.RoleProvinceOfficer, "qn", caunoi.ENOTFOUND, 1},
			{caunoi.RolePeerEducator, "qng", caunoi.ENOTFOUND, 1},
			{caunoi.RoleOutreachWorker, "hpg", caunoi.EFORBIDDEN, -1},
			{caunoi.RoleNationalOfficer, "nat", caunoi.EFORBIDDEN, -1},
			{caunoi.RoleAdmin, "nat", caunoi.EFORBIDDEN, -1},
		} {
			ctx := f.As(tc.role, tc.org)
			_, err := f.Hotline.FindCaseByID(ctx, hp.ID)
			if caunoi.ErrorCode(err) != tc.want {
				t.Errorf("%s of %s reads the case: %v, want %q", tc.role, tc.org, err, tc.want)
			}
			list, n, err := f.Hotline.FindCases(ctx, caunoi.CaseFilter{})
			_, derr := f.Hotline.DutyView(ctx, "")
			if tc.count < 0 {
				if caunoi.ErrorCode(err) != caunoi.EFORBIDDEN || caunoi.ErrorCode(derr) != caunoi.EFORBIDDEN {
					t.Errorf("%s of %s lists cases: %v / duty view %v", tc.role, tc.org, err, derr)
				}
				continue
			}
			must(t, err)
			must(t, derr)
			if n != tc.count || len(list) != n {
				t.Errorf("%s of %s lists %d cases, want %d", tc.role, tc.org, n, tc.count)
			}
			for _, c := range list {
				if !strings.HasPrefix(c.OrgPath, f.O(tc.org).Path) {
					t.Errorf("%s of %s lists a case of %s", tc.role, tc.org, c.OrgPath)
				}
			}
		}
		// The province officer reads but does not take calls.
		err := f.Hotline.CreateCase(f.As(caunoi.RoleProvinceOfficer, "hp"), f.newCase("hpg", at))
		wantCode(t, err, caunoi.EFORBIDDEN)
		// A peer educator cannot take calls for another province's group,
		// nor touch its cases.
		wantInvalid(t, f.Hotline.CreateCase(f.pe, f.newCase("qng", at)), "org_id")
		_, err = f.Hotline.CloseCase(f.pe, qn.ID, caunoi.CaseClosing{Version: 1, ClosedOn: daysAgo(0), Outcome: "resolved"})
		wantCode(t, err, caunoi.ENOTFOUND)
		// Filtering by another province's organisation finds nothing to show.
		_, _, err = f.Hotline.FindCases(f.pe, caunoi.CaseFilter{OrgID: f.O("qng").ID})
		wantCode(t, err, caunoi.ENOTFOUND)
	})
}

// The duty view on given days, on the database's clock: open cases by
// risk, follow-ups due today and overdue, the day boundary in Vietnam.
func TestDutyViewOverdueFollowUps(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCasesFixture(t, db)
		call := fixedNow(t, db, 2025, 3, 10, 9, 0) // Monday 10/03/2025, 09:00 in Vietnam
		mk := func(risk string, next *caunoi.Date) *caunoi.HotlineCase {
			c := f.newCase("hpg", call.Add(-time.Hour))
			c.Risk, c.NextFollowUpOn = risk, next
			return f.createCase(f.pe, c)
		}
		a := mk(caunoi.RiskCritical, nil) // default: the next day, 11/03
		d15 := vnDay(2025, 3, 15)
		b := mk(caunoi.RiskMedium, &d15)
		low := mk(caunoi.RiskLow, nil) // no follow-up by default
		closed := mk(caunoi.RiskHigh, nil)
		_, err := f.Hotline.CloseCase(f.pe, closed.ID, caunoi.CaseClosing{Version: 1, ClosedOn: vnDay(2025, 3, 10), Outcome: "resolved"})
		must(t, err)
		if low.NextFollowUpOn != nil || a.NextFollowUpOn == nil || *a.NextFollowUpOn != vnDay(2025, 3, 11) {
			t.Fatalf("default follow-ups: low %v, critical %v", low.NextFollowUpOn, a.NextFollowUpOn)
		}

		type want struct{ open, overdue, today []string }
		check := func(name string, w want) {
			t.Helper()
			d, err := f.Hotline.DutyView(f.leader, "")
			must(t, err)
			if got := caseCodes(d.Open); !slices.Equal(got, w.open) {
				t.Errorf("%s: open %v, want %v", name, got, w.open)
			}
			if got := caseCodes(d.Overdue); !slices.Equal(got, w.overdue) {
				t.Errorf("%s: overdue %v, want %v", name, got, w.overdue)
			}
			if got := caseCodes(d.DueToday); !slices.Equal(got, w.today) {
				t.Errorf("%s: due today %v, want %v", name, got, w.today)
			}
			// The list's overdue filter agrees with the duty view.
			list, _, err := f.Hotline.FindCases(f.leader, caunoi.CaseFilter{Overdue: true})
			must(t, err)
			if got := caseCodes(list); !slices.Equal(got, w.overdue) {
				t.Errorf("%s: overdue list %v, want %v", name, got, w.overdue)
			}
			for _, c := range d.Overdue {
				if !c.FollowUpOverdue(dayTime(d.Today)) {
					t.Errorf("%s: %s listed overdue, but FollowUpOverdue says no", name, c.Code)
				}
			}
		}
		// The highest risk first; the closed case nowhere.
		open := []string{a.Code, b.Code, low.Code}
		check("the day of the calls", want{open, nil, nil})
		fixedNow(t, db, 2025, 3, 11, 8, 0)
		check("the next day", want{open, nil, []string{a.Code}})
		fixedNow(t, db, 2025, 3, 12, 8, 0)
		check("two days later", want{open, []string{a.Code}, nil})
		// 23:30 on 15/03 in Vietnam is still the 15th (16:30 UTC).
		fixedNow(t, db, 2025, 3, 15, 23, 30)
		check("late on the 15th", want{open, []string{a.Code}, []string{b.Code}})
		// 00:30 on 16/03 in Vietnam is 17:30 UTC on the 15th: a new day.
		fixedNow(t, db, 2025, 3, 16, 0, 30)
		check("just after midnight", want{open, []string{a.Code, b.Code}, nil})

		d, err := f.Hotline.DutyView(f.leader, "")
		must(t, err)
		counts := map[string]int{}
		for _, rc := range d.OpenByRisk {
			counts[rc.Risk] = rc.Count
		}
		if d.OpenByRisk[0].Risk != caunoi.RiskCritical || counts[caunoi.RiskCritical] != 1 || counts[caunoi.RiskMedium] != 1 ||
			counts[caunoi.RiskLow] != 1 || counts[caunoi.RiskHigh] != 0 || d.OpenTotal != 3 || d.Today != vnDay(2025, 3, 16) {
			t.Fatalf("open by risk %+v, total %d, today %v", d.OpenByRisk, d.OpenTotal, time.Time(d.Today))
		}

		// Following the critical case up clears it and plans the next.
		d20 := vnDay(2025, 3, 20)
		_, err = f.Hotline.RecordFollowUp(f.pe, a.ID, caunoi.FollowUpRecord{Version: a.Version, DoneOn: vnDay(2025, 3, 16), Channel: "phone",
			Reached: true, NextOn: &d20})
		must(t, err)
		check("after following up", want{open, []string{b.Code}, nil})
		fixedNow(t, db, 2025, 3, 21, 9, 0)
		check("the 21st", want{open, []string{b.Code, a.Code}, nil})
	})
}

// Incident statistics name nobody, count voided cases never, and suppress
// small cells for a reader who may not see the cases behind them.
func TestIncidentStatisticsAreNonIdentifying(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCasesFixture(t, db)
		at := time.Now().Add(-time.Hour)
		client := f.createClient(f.pe, "hpg", "Bé Ba")
		var secrets []string
		mk := func(issues, types, contexts, violators []string, named bool) *caunoi.HotlineCase {
			c := f.newCase("hpg", at)
			c.Issues, c.ViolenceTypes, c.ViolenceContexts, c.RightsViolators = issues, types, contexts, violators
			if named {
				c.ClientID = client.ID
			}
			f.createCase(f.pe, c)
			secrets = append(secrets, c.ID, c.Code)
			return c
		}
		gbv := []string{caunoi.IssueGBV}
		for range 5 {
			mk(gbv, []string{"physical_assault", "psychological_abuse"}, []string{"domestic_violence"}, nil, false)
		}
		mk(gbv, []string{"rape", "physical_assault"}, []string{"by_client", "during_sex_work"}, nil, true)
		mk([]string{caunoi.IssueRightsViolation, caunoi.IssueGBV}, []string{"denial_of_resources"}, []string{"by_employer"}, []string{"employer"}, true)
		mk([]string{caunoi.IssueRightsViolation}, nil, nil, []string{"police"}, false)
		voided := mk([]string{caunoi.IssueOverdose}, nil, nil, nil, false)
		_, err := f.Hotline.VoidCase(f.pe, voided.ID, 1, "Gọi nhầm số")
		must(t, err)
		// A case of Quảng Ninh, outside Hải Phòng.
		f.createCase(f.As(caunoi.RoleGroupLeader, "qng"), f.newCase("qng", at))
		secrets = append(secrets, client.ID, client.Nickname, "Lạch Tray", "0912 000 111", f.O("hpg").ID)

		cellOf := func(cells []caunoi.StatCell, key string) caunoi.StatCell {
			for _, c := range cells {
				if c.Key == key {
					return c
				}
			}
			t.Fatalf("no cell %s in %+v", key, cells)
			return caunoi.StatCell{}
		}
		// The group leader may read every case counted: exact numbers.
		st, err := f.Hotline.IncidentStats(f.leader, caunoi.IncidentFilter{})
		must(t, err)
		if !st.Exact || st.Total.Count != 8 || st.Anonymous.Count != 6 {
			t.Fatalf("leader: exact %v, total %+v, anonymous %+v", st.Exact, st.Total, st.Anonymous)
		}
		for key, n := range map[string]int{"physical_assault": 5, "rape": 1, "denial_of_resources": 1, "sexual_assault": 0, "psychological_abuse": 0} {
			if c := cellOf(st.ByGBVType, key); c.Count != n || c.Suppressed {
				t.Errorf("leader: %s = %+v, want %d", key, c, n)
			}
		}
		if c := cellOf(st.ByIssue, "gbv"); c.Count != 7 {
			t.Errorf("gbv issues %+v", c)
		}
		if c := cellOf(st.ByContext, "domestic_violence"); c.Count != 5 {
			t.Errorf("domestic violence %+v", c)
		}
		if c, p := cellOf(st.ByViolator, "employer"), cellOf(st.ByViolator, "police"); c.Count != 1 || p.Count != 1 {
			t.Errorf("violators %+v %+v", c, p)
		}
		if len(st.ByMonth) != 1 || st.ByMonth[0].Count != 8 || len(st.ByGBVType) != len(caunoi.GBVTypes) {
			t.Errorf("months %+v", st.ByMonth)
		}
		// The province officer above it too.
		if st, err := f.Hotline.IncidentStats(f.As(caunoi.RoleProvinceOfficer, "hp"), caunoi.IncidentFilter{}); err != nil || !st.Exact || st.Total.Count != 8 {
			t.Fatalf("province officer: %+v %v", st, err)
		}

		// The national officer sees every province in aggregate only:
		// counts under 5 are suppressed, 5 and more shown.
		nat, err := f.Hotline.IncidentStats(f.As(caunoi.RoleNationalOfficer, "nat"), caunoi.IncidentFilter{})
		must(t, err)
		if nat.Exact || nat.Total.Count != 9 {
			t.Fatalf("national: exact %v, total %+v", nat.Exact, nat.Total)
		}
		if c := cellOf(nat.ByGBVType, "physical_assault"); c.Count != 6 || c.Suppressed { // five here, one in Quảng Ninh
			t.Errorf("national physical assault %+v", c)
		}
		for _, key := range []string{"rape", "denial_of_resources"} {
			if c := cellOf(nat.ByGBVType, key); c.Count != 0 || !c.Suppressed {
				t.Errorf("national %s not suppressed: %+v", key, c)
			}
		}
		if c := cellOf(nat.ByGBVType, "sexual_assault"); c.Count != 0 || c.Suppressed {
			t.Errorf("a zero is not suppressed: %+v", c)
		}
		// Nothing in the answer names a case, a client or an organisation.
		for _, s := range []*caunoi.IncidentStats{st, nat} {
			b, err := json.Marshal(s)
			must(t, err)
			for _, secret := range secrets {
				if strings.Contains(string(b), secret) {
					t.Fatalf("statistics contain %q: %s", secret, b)
				}
			}
		}
		// Peer educators hold no report.read.
		_, err = f.Hotline.IncidentStats(f.pe, caunoi.IncidentFilter{})
		wantCode(t, err, caunoi.EFORBIDDEN)
	})
}
