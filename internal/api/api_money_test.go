package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"caunoi"
	"caunoi/internal/api"
	"caunoi/internal/i18n"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// addUser creates a user with a role on org and signs them in.
func (f *fixture) addUser(t *testing.T, username string, role caunoi.Role, org *caunoi.Organisation) *caunoi.Actor {
	t.Helper()
	ctx := context.Background()
	sys := caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
	u := &caunoi.User{Username: username, DisplayName: username, Grants: []caunoi.Grant{{Role: role, OrgID: org.ID}}}
	if err := f.api.Users.CreateUser(sys, u, testPassword); err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	a, _, err := f.api.Users.Authenticate(ctx, username, testPassword)
	if err != nil {
		t.Fatalf("authenticate %s: %v", username, err)
	}
	return a
}

// TestMoney walks a loan through the API, from opening the fund to the
// repayment that matures it, with the refusals a user meets on the way,
// and a budget against its norms.
func TestMoney(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a := f.api
		a.Funds, a.Loans, a.Budgets = sqldb.NewFundService(db), sqldb.NewLoanService(db), sqldb.NewBudgetService(db)
		leader := f.addUser(t, "leader", caunoi.RoleGroupLeader, f.group)
		sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
		client := &caunoi.Client{OrgID: f.group.ID, Nickname: "Thu", Sex: "female", Populations: []caunoi.Population{caunoi.PopPostRehab}}
		if err := a.Clients.CreateClient(sys, client); err != nil {
			t.Fatal(err)
		}
		id := func(s string) map[string]string { return map[string]string{"id": s} }
		fundID, loanID, repID, planID, lineID := caunoi.NewID(), caunoi.NewID(), caunoi.NewID(), caunoi.NewID(), ""
		body := func(format string, args ...any) string { return fmt.Sprintf(format, args...) }

		for _, sc := range []scenario{
			{name: "open a fund", as: f.officer, h: a.CreateFund, method: "POST", target: "/api/v1/funds", status: 201,
				body: body(`{"id":"%s","org_id":"%s","name":"Quỹ quay vòng","opened_on":"2025-01-02"}`, fundID, f.prov.ID),
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "cash", res["balance"].(map[string]any)["cash"], 0.0)
				}},
			{name: "a worker may not open funds", as: f.worker, h: a.CreateFund, method: "POST", target: "/api/v1/funds", status: 403, code: caunoi.EFORBIDDEN,
				body: body(`{"org_id":"%s","name":"x"}`, f.group.ID)},
			{name: "capital with a negative amount", as: f.officer, h: a.RecordEntry, method: "POST", target: "/api/v1/funds/" + fundID + "/entries", path: id(fundID),
				body: `{"kind":"capital_in","amount":-5,"source":"donor","on":"2025-01-02"}`, status: 422, code: caunoi.EINVALID, fields: []string{"amount"}},
			{name: "capital on an unreadable day", as: f.officer, h: a.RecordEntry, method: "POST", target: "/api/v1/funds/" + fundID + "/entries", path: id(fundID),
				body: `{"kind":"capital_in","amount":5,"source":"donor","on":"31-12-2025"}`, status: 422, code: caunoi.EINVALID, fields: []string{"on"}},
			{name: "capital", as: f.officer, h: a.RecordEntry, method: "POST", target: "/api/v1/funds/" + fundID + "/entries", path: id(fundID),
				body: `{"kind":"capital_in","amount":2000000,"source":"donor","on":"2025-01-02"}`, status: 201,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "seq", res["seq"], 1.0) }},
			{name: "a schedule that does not sum to the principal", as: f.worker, h: a.ApplyLoan, method: "POST", target: "/api/v1/loans", status: 422,
				code: caunoi.EINVALID, fields: []string{"proposed"},
				body: body(`{"fund_id":"%s","client_id":"%s","amount":1000000,"purpose":"Bán rau","method":"interest_free","frequency":"custom","applied_on":"2025-01-05",
					"proposed":[{"due":"2025-03-01","principal":400000},{"due":"2025-05-01","principal":400000}]}`, fundID, client.ID)},
			{name: "apply", as: f.worker, h: a.ApplyLoan, method: "POST", target: "/api/v1/loans", status: 201,
				body: body(`{"id":"%s","fund_id":"%s","client_id":"%s","amount":1200000,"purpose":"Bán rau","method":"declining","rate_bp":1200,"term_months":2,"applied_on":"2025-01-05"}`,
					loanID, fundID, client.ID),
				check: func(t *testing.T, res map[string]any) { wantEq(t, "status", res["status"], "applied") }},
			{name: "appraise", as: leader, h: a.AppraiseLoan, method: "POST", target: "/api/v1/loans/" + loanID + "/appraisal", path: id(loanID), status: 200,
				body:  `{"version":1,"on":"2025-01-06","notes":"Có sạp ở chợ","recommendation":"approve"}`,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "status", res["status"], "appraised") }},
			{name: "a group leader may not approve", as: leader, h: a.DecideLoan, method: "POST", target: "/api/v1/loans/" + loanID + "/decision", path: id(loanID),
				body: `{"version":2,"decision":"approve","on":"2025-01-06"}`, status: 403, code: caunoi.EFORBIDDEN},
			{name: "another province's officer does not see it", as: f.addUser(t, "officer2", caunoi.RoleProvinceOfficer, f.prov2), h: a.DecideLoan, method: "POST",
				target: "/api/v1/loans/" + loanID + "/decision", path: id(loanID), body: `{"version":2,"decision":"approve"}`, status: 404, code: caunoi.ENOTFOUND},
			{name: "approve", as: f.officer, h: a.DecideLoan, method: "POST", target: "/api/v1/loans/" + loanID + "/decision", path: id(loanID), status: 200,
				body: `{"version":2,"decision":"approve","on":"2025-01-06"}`, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "approved", res["decision"].(map[string]any)["approved"], true)
				}},
			{name: "disburse", as: leader, h: a.DisburseLoan, method: "POST", target: "/api/v1/loans/" + loanID + "/disbursement", path: id(loanID), status: 200,
				body: `{"version":3,"on":"2025-01-10"}`, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "schedule", len(res["schedule"].([]any)), 2)
					wantEq(t, "status", res["status"], "active")
				}},
			{name: "repay more than owed", as: f.worker, h: a.RepayLoan, method: "POST", target: "/api/v1/loans/" + loanID + "/repayments", path: id(loanID),
				body: `{"amount":1218001,"paid_on":"2025-02-10"}`, status: 422, code: caunoi.EINVALID, fields: []string{"amount"},
				check: func(t *testing.T, res map[string]any) {
					if msg := errObj(t, res)["fields"].(map[string]any)["amount"].(string); !strings.Contains(msg, "1.218.000") {
						t.Fatalf("the message does not say what is owed: %q", msg)
					}
				}},
			{name: "repay", as: f.worker, h: a.RepayLoan, method: "POST", target: "/api/v1/loans/" + loanID + "/repayments", path: id(loanID), status: 201,
				body: body(`{"id":"%s","amount":612000,"paid_on":"2025-02-10"}`, repID), check: func(t *testing.T, res map[string]any) {
					wantEq(t, "interest", res["interest"], 12000.0)
					wantEq(t, "principal", res["principal"], 600000.0)
				}},
			{name: "the same repayment again is recorded once", as: f.worker, h: a.RepayLoan, method: "POST", target: "/api/v1/loans/" + loanID + "/repayments",
				path: id(loanID), status: 201, body: body(`{"id":"%s","amount":612000,"paid_on":"2025-02-10"}`, repID)},
			{name: "the loan on a day", as: f.worker, h: a.GetLoan, method: "GET", target: "/api/v1/loans/" + loanID + "?on=2025-04-20", path: id(loanID), status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "repaid", res["repaid"], 612000.0)
					pos := res["position"].(map[string]any)
					wantEq(t, "overdue", pos["overdue"], 606000.0)
					wantEq(t, "days overdue", pos["days_overdue"], 41.0)
				}},
			{name: "arrears on a day", as: f.worker, h: a.ListArrears, method: "GET", target: "/api/v1/funds/" + fundID + "/arrears?on=2025-04-20", path: id(fundID), status: 200,
				check: func(t *testing.T, res map[string]any) {
					its := res["items"].([]any)
					wantEq(t, "in arrears", len(its), 1)
					wantEq(t, "who", its[0].(map[string]any)["loan"].(map[string]any)["client_nickname"], "Thu")
				}},
			{name: "the fund and its portfolio, for the nation", as: f.nat, h: a.GetFund, method: "GET", target: "/api/v1/funds/" + fundID + "?on=2025-04-20", path: id(fundID),
				status: 200, check: func(t *testing.T, res map[string]any) {
					p := res["portfolio"].(map[string]any)
					wantEq(t, "active", p["active_loans"], 1.0)
					wantEq(t, "par30", p["par30_bp"], 10000.0)
					wantEq(t, "cash", res["balance"].(map[string]any)["cash"], 2_000_000.0-1_200_000+612_000)
				}},
			{name: "but no loan", as: f.nat, h: a.ListLoans, method: "GET", target: "/api/v1/loans", status: 403, code: caunoi.EFORBIDDEN},
			{name: "the statement", as: f.officer, h: a.GetStatement, method: "GET", target: "/api/v1/funds/" + fundID + "/statement?from=2025-01-03", path: id(fundID),
				status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "opening", res["opening"], 2_000_000.0)
					wantEq(t, "entries", len(res["entries"].([]any)), 3)
					wantEq(t, "closing", res["closing"], 1_412_000.0)
				}},
			{name: "the ledger", as: f.worker, h: a.ListEntries, method: "GET", target: "/api/v1/funds/" + fundID + "/entries?limit=2", path: id(fundID), status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "total", total(res), 4)
					wantEq(t, "newest", items(t, res)[0]["kind"], "repayment_principal")
				}},
			{name: "loans of the fund", as: f.officer, h: a.ListLoans, method: "GET", target: "/api/v1/loans?fund_id=" + fundID + "&status=active", status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "total", total(res), 1) }},
			{name: "a bad status", as: f.officer, h: a.ListLoans, method: "GET", target: "/api/v1/loans?status=paid", status: 422, code: caunoi.EINVALID, fields: []string{"status"}},
			{name: "undo a repayment without a reason", as: f.worker, h: a.ReverseRepayment, method: "POST", target: "/api/v1/repayments/" + repID + "/reverse",
				path: id(repID), body: `{}`, status: 422, code: caunoi.EINVALID, fields: []string{"reason"}},
			{name: "undo a repayment entered by mistake", as: f.worker, h: a.ReverseRepayment, method: "POST", target: "/api/v1/repayments/" + repID + "/reverse",
				path: id(repID), body: `{"reason":"Nhập nhầm khoản vay"}`, status: 200, check: func(t *testing.T, res map[string]any) {
					wantEq(t, "repaid", res["repaid"], 0.0)
					rep := res["repayments"].([]any)[0].(map[string]any)
					wantEq(t, "reason", rep["reversal"].(map[string]any)["reason"], "Nhập nhầm khoản vay")
				}},
			{name: "the cash it brought is out again", as: f.officer, h: a.GetFund, method: "GET", target: "/api/v1/funds/" + fundID, path: id(fundID), status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "cash", res["balance"].(map[string]any)["cash"], 800_000.0)
				}},

			// Budgets.
			{name: "a norm", as: f.nat, h: a.CreateNorm, method: "POST", target: "/api/v1/cost-norms", status: 201,
				body: body(`{"org_id":"%s","model":"peer_capacity","activity":"health_support","unit":"case","max_unit_cost":400000,"valid_from":"2020-01-01"}`, f.national.ID)},
			{name: "norms of the year, for the group", as: leader, h: a.ListNorms, method: "GET", target: "/api/v1/cost-norms?year=2025", status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "total", total(res), 1) }},
			{name: "a line above the norm", as: f.officer, h: a.CreatePlan, method: "POST", target: "/api/v1/budget-plans", status: 422, code: caunoi.EINVALID,
				fields: []string{"unit_cost"}, body: body(`{"org_id":"%s","model":"peer_capacity","year":2025,"title":"Kế hoạch","source":"local",
					"lines":[{"activity":"health_support","quantity":10,"unit_cost":450000}]}`, f.prov.ID)},
			{name: "a line without a norm", as: f.officer, h: a.CreatePlan, method: "POST", target: "/api/v1/budget-plans", status: 422, code: caunoi.EINVALID,
				fields: []string{"activity"}, body: body(`{"org_id":"%s","model":"community_services","year":2025,"title":"Mô hình 2","source":"local",
					"lines":[{"activity":"health_support","quantity":10,"unit_cost":100000}]}`, f.prov.ID)},
			{name: "a plan", as: f.officer, h: a.CreatePlan, method: "POST", target: "/api/v1/budget-plans", status: 201,
				body: body(`{"id":"%s","org_id":"%s","model":"peer_capacity","year":2025,"title":"Kế hoạch","source":"local",
					"lines":[{"activity":"health_support","quantity":10,"unit_cost":400000}]}`, planID, f.prov.ID),
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "planned", res["planned"], 4_000_000.0)
					lineID = res["lines"].([]any)[0].(map[string]any)["id"].(string)
				}},
		} {
			sc.run(t)
		}
		for _, sc := range []scenario{
			{name: "spend past the line without a reason", as: f.officer, h: a.RecordExpenditure, method: "POST", target: "/api/v1/budget-plans/" + planID + "/expenditures",
				path: id(planID), status: 422, code: caunoi.EINVALID, fields: []string{"override_reason"},
				body: body(`{"line_id":"%s","amount":4500000,"spent_on":"2025-03-01","description":"Khám bệnh"}`, lineID)},
			{name: "spend past the line with one", as: f.officer, h: a.RecordExpenditure, method: "POST", target: "/api/v1/budget-plans/" + planID + "/expenditures",
				path: id(planID), status: 201, body: body(`{"line_id":"%s","amount":4500000,"spent_on":"2025-03-01","description":"Khám bệnh","override_reason":"Thêm ca cấp cứu"}`, lineID)},
			{name: "plan against actual", as: f.nat, h: a.GetPlan, method: "GET", target: "/api/v1/budget-plans/" + planID, path: id(planID), status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "spent", res["plan"].(map[string]any)["spent"], 4_500_000.0)
					wantEq(t, "reached", res["reached"], 0.0)
				}},
			{name: "add a line", as: f.officer, h: a.AddPlanLine, method: "POST", target: "/api/v1/budget-plans/" + planID + "/lines", path: id(planID), status: 201,
				body:  `{"version":1,"activity":"health_support","quantity":2,"unit_cost":300000}`,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "lines", len(res["lines"].([]any)), 2) }},
			{name: "plans of the year", as: f.nat, h: a.ListPlans, method: "GET", target: "/api/v1/budget-plans?year=2025", status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "total", total(res), 1) }},
		} {
			sc.run(t)
		}
	})
}

// The money part of the API document: its enumerations follow the
// domain's lists, and every reference in the merged document resolves.
func TestOpenAPIMoney(t *testing.T) {
	rec := call(t, (&api.API{Cat: i18n.MustLoad()}).OpenAPI, nil, "GET", "/api/v1/openapi.json", "", nil, nil)
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	raw := rec.Body.Bytes()
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{
		"FundingSource":   caunoi.FundingSources,
		"EntryKind":       caunoi.EntryKinds,
		"ManualEntryKind": caunoi.ManualEntryKinds,
		"LoanStatus":      caunoi.LoanStatuses,
		"LoanMethod":      caunoi.LoanMethods,
		"LoanFrequency":   caunoi.LoanFrequencies,
		"Recommendation":  caunoi.Recommendations,
		"DecisionChoice":  caunoi.Decisions,
		"CostActivity":    caunoi.CostActivities,
		"CostUnit":        caunoi.CostUnits,
	} {
		got := slices.Sorted(slices.Values(doc.Components.Schemas[name].Enum))
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			t.Errorf("schema %s: enum %v, want %v", name, got, want)
		}
	}
	var all struct {
		Components map[string]map[string]json.RawMessage `json:"components"`
	}
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`"#/components/(schemas|parameters|responses)/([A-Za-z0-9]+)"`).FindAllSubmatch(raw, -1) {
		if _, ok := all.Components[string(m[1])][string(m[2])]; !ok {
			t.Errorf("reference to a missing %s %s", m[1], m[2])
		}
	}
}
