package sqldb_test

import (
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// Plans are activities × quantities × unit costs within the norms of the
// model; without a norm there is no budget line (seed 002); spending past
// a line needs a reason; the plan against actual gives the cost per
// person reached from the field work.
func TestBudgetsAgainstNorms(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		k := newMoneyKit(t, db)
		nat := k.As(caunoi.RoleNationalOfficer, "nat")
		officer := k.As(caunoi.RoleProvinceOfficer, "hp")
		norm := func(model caunoi.Model, activity, unit string, max int64, perCase int, from string) *caunoi.CostNorm {
			t.Helper()
			n := &caunoi.CostNorm{OrgID: k.O("nat").ID, Model: model, Activity: activity, Unit: unit, MaxUnitCost: max, MaxPerCase: perCase, ValidFrom: mday(from)}
			must(t, k.Budgets.CreateNorm(nat, n))
			return n
		}
		// Seed 004's framework: at most 400.000 đ per health-support case,
		// shelter at most 5 days a case.
		health := norm(caunoi.ModelPeerCapacity, "health_support", "case", 400_000, 0, "2020-01-01")
		norm(caunoi.ModelPeerCapacity, "group_meeting", "session", 1_500_000, 0, "2020-01-01")
		norm(caunoi.ModelCommunityServices, "shelter", "day", 200_000, 5, "2020-01-01")
		norm(caunoi.ModelWorkersRights, "outreach", "month", 2_000_000, 0, "2026-01-01")

		// The norms hold for the groups below: a group leader reads them.
		norms, n, err := k.Budgets.FindNorms(k.As(caunoi.RoleGroupLeader, "hpg"), caunoi.NormFilter{Year: 2025})
		must(t, err)
		if n != 3 || len(norms) != 3 {
			t.Fatalf("norms valid in 2025: %d", n)
		}
		// Bad norms: negative cost, unknown activity.
		err = k.Budgets.CreateNorm(nat, &caunoi.CostNorm{OrgID: k.O("nat").ID, Model: caunoi.ModelPeerCapacity, Activity: "party", Unit: "case",
			MaxUnitCost: -1, ValidFrom: mday("2025-01-01")})
		wantInvalid(t, err, "activity")
		wantInvalid(t, err, "max_unit_cost")
		// Only norm.write sets norms.
		err = k.Budgets.CreateNorm(officer, &caunoi.CostNorm{OrgID: k.O("hp").ID, Model: caunoi.ModelPeerCapacity, Activity: "training", Unit: "event",
			MaxUnitCost: 1, ValidFrom: mday("2025-01-01")})
		wantCode(t, err, caunoi.EFORBIDDEN)

		line := func(activity string, qty, cases int, cost int64) caunoi.BudgetLine {
			return caunoi.BudgetLine{Activity: activity, Quantity: qty, Cases: cases, UnitCost: cost}
		}
		p := &caunoi.BudgetPlan{OrgID: k.O("hp").ID, Model: caunoi.ModelPeerCapacity, Year: 2025, Title: "Kế hoạch mô hình 1 năm 2025", Source: "local",
			Lines: []caunoi.BudgetLine{line("health_support", 50, 0, 400_000), line("group_meeting", 12, 0, 1_500_000)}}
		must(t, k.Budgets.CreatePlan(officer, p))
		if p.Planned != 38_000_000 || p.Lines[0].NormID != health.ID || p.Lines[0].Unit != "case" || p.Lines[0].Amount != 20_000_000 {
			t.Fatalf("plan: %+v", p)
		}
		// One live plan per organisation, model and year.
		dup := &caunoi.BudgetPlan{OrgID: k.O("hp").ID, Model: caunoi.ModelPeerCapacity, Year: 2025, Title: "Lần nữa", Source: "local"}
		wantCode(t, k.Budgets.CreatePlan(officer, dup), caunoi.ECONFLICT)

		// Above the norm; no norm for the activity in the model; a norm not
		// yet valid; more days a case than the norm allows.
		_, err = k.Budgets.AddLine(officer, p.ID, p.Version, &caunoi.BudgetLine{Activity: "health_support", Quantity: 1, UnitCost: 450_000})
		if e := wantCode(t, err, caunoi.EINVALID); e.Fields[0].Key != "err.budget.over_norm" || e.Fields[0].Args["Max"] != int64(400_000) {
			t.Errorf("over the norm: %v", err)
		}
		_, err = k.Budgets.AddLine(officer, p.ID, p.Version, &caunoi.BudgetLine{Activity: "hotline", Quantity: 1, UnitCost: 1000})
		if e := wantCode(t, err, caunoi.EINVALID); e.Fields[0].Key != "err.budget.no_norm" {
			t.Errorf("no norm: %v", err)
		}
		wr := &caunoi.BudgetPlan{OrgID: k.O("hp").ID, Model: caunoi.ModelWorkersRights, Year: 2025, Title: "Mô hình 3", Source: "central",
			Lines: []caunoi.BudgetLine{line("outreach", 12, 0, 1_000_000)}}
		wantInvalid(t, k.Budgets.CreatePlan(officer, wr), "activity")
		wr.Year = 2026
		must(t, k.Budgets.CreatePlan(officer, wr))
		shelter := &caunoi.BudgetPlan{OrgID: k.O("hp").ID, Model: caunoi.ModelCommunityServices, Year: 2025, Title: "Mô hình 2", Source: "donor",
			Lines: []caunoi.BudgetLine{line("shelter", 30, 5, 200_000)}}
		wantInvalid(t, k.Budgets.CreatePlan(officer, shelter), "quantity")
		shelter.Lines[0].Cases = 0
		wantInvalid(t, k.Budgets.CreatePlan(officer, shelter), "cases")
		shelter.Lines[0].Cases = 6
		must(t, k.Budgets.CreatePlan(officer, shelter))
		// A line added within the norm.
		got, err := k.Budgets.AddLine(officer, p.ID, p.Version, &caunoi.BudgetLine{Activity: "health_support", Quantity: 10, UnitCost: 350_000})
		must(t, err)
		if len(got.Lines) != 3 || got.Planned != 41_500_000 || got.Version != 2 {
			t.Fatalf("after a line: %d lines, %d planned, version %d", len(got.Lines), got.Planned, got.Version)
		}
		_, err = k.Budgets.AddLine(officer, p.ID, 1, &caunoi.BudgetLine{Activity: "health_support", Quantity: 1, UnitCost: 1})
		wantCode(t, err, caunoi.ECONFLICT)

		// Expenditure against a line, then past it.
		hl := got.Lines[0].ID
		spend := func(amount int64, on, reason string) (*caunoi.Expenditure, error) {
			return k.Budgets.RecordExpenditure(officer, p.ID, &caunoi.Expenditure{LineID: hl, Amount: amount, SpentOn: mday(on),
				Description: "Hỗ trợ khám sức khỏe", OverrideReason: reason})
		}
		first, err := spend(15_000_000, "2025-03-01", "")
		must(t, err)
		_, err = spend(6_000_000, "2025-04-01", "")
		if e := wantCode(t, err, caunoi.EINVALID); e.Fields[0].Field != "override_reason" || e.Fields[0].Key != "err.budget.over_line" ||
			e.Fields[0].Args["Left"] != int64(5_000_000) {
			t.Errorf("over the line: %v %+v", err, e.Fields)
		}
		over, err := spend(6_000_000, "2025-04-01", "Dịch sốt xuất huyết, thêm ca")
		must(t, err)
		if over.OverrideReason == "" {
			t.Error("the override reason was not kept")
		}
		_, err = spend(-1, "2025-04-01", "")
		wantInvalid(t, err, "amount")
		_, err = spend(1, "2024-12-31", "")
		wantInvalid(t, err, "spent_on")
		_, err = k.Budgets.RecordExpenditure(officer, p.ID, &caunoi.Expenditure{LineID: shelter.Lines[0].ID, Amount: 1, SpentOn: mday("2025-04-01"), Description: "x"})
		wantInvalid(t, err, "line_id")
		_, err = k.Budgets.VoidExpenditure(officer, first.ID, first.Version, "Ghi nhầm")
		must(t, err)

		// People reached in 2025 by the province's groups: contacts with a
		// client, named attendance and services, each person once; the year
		// is Vietnam's.
		peer := k.As(caunoi.RolePeerEducator, "hpg")
		c1, c2, c3, c4 := k.createClient(peer, "hpg", "Một"), k.createClient(peer, "hpg", "Hai"), k.createClient(peer, "hpg", "Ba"), k.createClient(peer, "hpg", "Bốn")
		c5 := k.createClient(peer, "hpg", "Năm")
		must(t, sqldb.NewServiceService(db).CreateService(peer, &caunoi.Service{OrgID: k.O("hpg").ID, ClientID: c5.ID, Kind: caunoi.ServiceCounselling,
			GivenOn: mday("2025-07-01")})) // a service given: reached too
		contact := func(c *caunoi.Client, at time.Time) {
			t.Helper()
			must(t, k.Contacts.CreateContact(peer, &caunoi.Contact{OrgID: k.O("hpg").ID, ClientID: c.ID, At: at, Channel: "in_person"}))
		}
		contact(c1, time.Date(2025, 1, 1, 0, 30, 0, 0, caunoi.Zone))    // the first half hour of 2025 in Vietnam
		contact(c1, time.Date(2025, 5, 5, 10, 0, 0, 0, caunoi.Zone))    // the same person again
		contact(c4, time.Date(2024, 12, 31, 23, 30, 0, 0, caunoi.Zone)) // still 2024 in Vietnam
		must(t, k.Contacts.CreateContact(peer, k.newContact("hpg")))    // anonymous: nobody to count
		must(t, k.Activities.CreateActivity(peer, &caunoi.Activity{OrgID: k.O("hpg").ID, Kind: "group_meeting", HeldOn: mday("2025-06-01"),
			Title: "Sinh hoạt", Attendees: []string{c1.ID, c2.ID, c3.ID}}))
		qnPeer := k.As(caunoi.RolePeerEducator, "qng")
		must(t, k.Contacts.CreateContact(qnPeer, &caunoi.Contact{OrgID: k.O("qng").ID, ClientID: k.createClient(qnPeer, "qng", "Khác").ID,
			At: time.Date(2025, 3, 3, 9, 0, 0, 0, caunoi.Zone)}))

		pa, err := k.Budgets.PlanActual(nat, p.ID)
		must(t, err)
		if pa.Reached != 4 || pa.Plan.Spent != 6_000_000 || pa.CostPerPerson != 1_500_000 || len(pa.Expenditures) != 1 || pa.SpentBP != 1446 {
			t.Fatalf("plan against actual: reached %d, spent %d, %d a person, %d expenditures, %d bp", pa.Reached, pa.Plan.Spent, pa.CostPerPerson,
				len(pa.Expenditures), pa.SpentBP)
		}
		if pa.Plan.Lines[0].Spent != 6_000_000 {
			t.Errorf("line spent %d", pa.Plan.Lines[0].Spent)
		}

		// Scope: plans are seen from above, not from a group or another
		// province; only budget.write spends.
		_, err = k.Budgets.PlanActual(k.As(caunoi.RoleGroupLeader, "hpg"), p.ID)
		wantCode(t, err, caunoi.ENOTFOUND)
		_, err = k.Budgets.PlanActual(k.As(caunoi.RoleProvinceOfficer, "qn"), p.ID)
		wantCode(t, err, caunoi.ENOTFOUND)
		_, err = k.Budgets.RecordExpenditure(nat, p.ID, &caunoi.Expenditure{LineID: hl, Amount: 1, SpentOn: mday("2025-04-01"), Description: "x"})
		wantCode(t, err, caunoi.EFORBIDDEN)
		plans, n, err := k.Budgets.FindPlans(nat, caunoi.PlanFilter{Year: 2025})
		must(t, err)
		if n != 2 || len(plans) != 2 {
			t.Fatalf("plans of 2025: %d", n)
		}
		// A voided plan leaves the list; a voided norm prices no new line.
		_, err = k.Budgets.VoidPlan(officer, shelter.ID, shelter.Version, "Trùng")
		must(t, err)
		_, err = k.Budgets.VoidNorm(nat, health.ID, health.Version, "Khung mới")
		must(t, err)
		_, err = k.Budgets.AddLine(officer, p.ID, 2, &caunoi.BudgetLine{Activity: "health_support", Quantity: 1, UnitCost: 1})
		wantInvalid(t, err, "activity")
		if _, n, _ := k.Budgets.FindPlans(nat, caunoi.PlanFilter{Year: 2025}); n != 1 {
			t.Errorf("plans after voiding: %d", n)
		}
	})
}
