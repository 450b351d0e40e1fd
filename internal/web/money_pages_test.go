package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"caunoi"
	"caunoi/internal/demo"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
	"caunoi/internal/web"
)

// wantPage fails unless the answer has the status and every text.
func wantPage(t *testing.T, what string, res interface {
	Result() *http.Response
}, status int, body string, texts ...string) {
	t.Helper()
	if code := res.Result().StatusCode; code != status {
		t.Fatalf("%s: status %d, want %d: %.600s", what, code, status, body)
	}
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Fatalf("%s: the page does not say %q: %.2000s", what, s, body)
		}
	}
}

var loanPath = regexp.MustCompile(`^/loans/([0-9a-f-]{36})$`)

// A member's loan through the pages, each step by its own user of An
// Giang's demo, with the messages a user sees when input is wrong; then
// the fund, its statement and its arrears, and a budget against its norms.
func TestMoneyPages(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		srv := newDemoServer(t, db, web.Config{})
		sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
		as := func(user string) *client {
			c := &client{t: t, srv: srv}
			if res := c.login(user, demo.Password); res.Code != http.StatusSeeOther {
				t.Fatalf("login %s: %d", user, res.Code)
			}
			return c
		}
		funds, _, err := sqldb.NewFundService(db).FindFunds(sys, caunoi.FundFilter{})
		must(t, err)
		var fund *caunoi.Fund
		for _, f := range funds {
			if strings.Contains(f.Name, "quay vòng") && strings.Contains(f.OrgName, "An Giang") {
				fund = f
			}
		}
		mybinh, _, err := sqldb.NewOrgService(db).FindOrgs(sys, caunoi.OrgFilter{Query: "Mỹ Bình"})
		must(t, err)
		members, _, err := sqldb.NewClientService(db).FindClients(sys, caunoi.ClientFilter{OrgID: mybinh[0].ID, Page: caunoi.Page{Limit: 1}})
		must(t, err)
		member := members[0]

		worker, chair, officer, nat := as("mybinh.congtacvien"), as("mybinh.chunhiem"), as("angiang.canbo"), as("cuc.canbo")
		// Days around today: the fund's book is kept in date order, and its
		// demo repayments reach today, so a loan goes out today.
		today := caunoi.Today()
		day := func(n int) string { return today.AddDate(0, 0, n).Format("02/01/2006") }

		// The application form lists the club's members.
		res := worker.get("/loans/new?fund_id=" + fund.ID)
		wantPage(t, "application form", res, 200, res.Body.String(), "Đơn vay vốn", member.Nickname, fund.Name)
		form := url.Values{"id": {caunoi.NewID()}, "fund_id": {fund.ID}, "org_id": {mybinh[0].ID}, "client_id": {member.ID}, "amount": {"3.000.000"},
			"purpose": {"Mua xe đạp chở hàng"}, "method": {"declining"}, "rate": {"7,5"}, "frequency": {"custom"}, "applied_on": {day(-3)},
			"proposed": {day(60) + " 1.000.000\n" + day(120) + " 1.000.000"}}
		// A schedule that does not sum to the loan: said in words, the form kept.
		res = worker.post("/loans", form)
		wantPage(t, "a short schedule", res, 422, res.Body.String(), "Lịch trả cộng lại 2.000.000 đồng, khác số tiền vay 3.000.000 đồng", "Mua xe đạp chở hàng")
		res = worker.post("/loans", url.Values{"id": {caunoi.NewID()}, "fund_id": {fund.ID}, "client_id": {member.ID}, "amount": {"ba triệu"},
			"purpose": {"x"}, "method": {"flat"}, "rate": {"12"}, "frequency": {"monthly"}, "term_months": {"6"}, "applied_on": {day(-3)}})
		wantPage(t, "an amount in words", res, 422, res.Body.String(), "Nhập số tiền là số nguyên đồng")
		form.Set("proposed", day(60)+" 1.000.000\n"+day(120)+" 1.000.000\n"+day(180)+" 1.000.000")
		res = worker.post("/loans", form)
		if res.Code != http.StatusSeeOther || !loanPath.MatchString(res.Header().Get("Location")) {
			t.Fatalf("apply: %d %s", res.Code, res.Body.String())
		}
		loan := res.Header().Get("Location")
		id := loanPath.FindStringSubmatch(loan)[1]
		// Sent twice (a double tap), it is one application.
		if res = worker.post("/loans", form); res.Header().Get("Location") != loan {
			t.Fatalf("a repeated application went to %s", res.Header().Get("Location"))
		}

		// The chair appraises; the worker sees no appraisal form.
		res = worker.get(loan)
		wantPage(t, "the worker's view", res, 200, res.Body.String(), "Đã nộp đơn")
		if strings.Contains(res.Body.String(), "/appraisal") {
			t.Fatal("the worker is offered the appraisal")
		}
		res = chair.get(loan)
		wantPage(t, "the chair's view", res, 200, res.Body.String(), "Ghi kết quả thẩm định", "Mỹ Bình")
		res = chair.post(loan+"/appraisal", url.Values{"version": {"1"}, "on": {day(-2)}, "recommendation": {"approve"}})
		wantPage(t, "an appraisal without notes", res, 422, res.Body.String(), "Ghi nhận xét thẩm định")
		res = chair.post(loan+"/appraisal", url.Values{"version": {"1"}, "on": {day(-2)}, "notes": {"Có việc giao hàng ổn định"}, "recommendation": {"approve"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("appraise: %d %s", res.Code, res.Body.String())
		}

		// The province approves.
		res = officer.get(loan)
		wantPage(t, "the officer's view", res, 200, res.Body.String(), "Phê duyệt hoặc từ chối", "Đề nghị cho vay")
		res = officer.post(loan+"/decision", url.Values{"version": {"2"}, "on": {day(-1)}, "decision": {"reject"}})
		wantPage(t, "a rejection without a reason", res, 422, res.Body.String(), "Ghi lý do từ chối")
		if res = officer.post(loan+"/decision", url.Values{"version": {"2"}, "on": {day(-1)}, "decision": {"approve"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("approve: %d %s", res.Code, res.Body.String())
		}
		// The chair pays out; the schedule is the member's days with
		// interest by the days of each period.
		if res = chair.post(loan+"/disbursement", url.Values{"version": {"3"}, "on": {day(0)}}); res.Code != http.StatusSeeOther {
			t.Fatalf("disburse: %d %s", res.Code, res.Body.String())
		}
		res = worker.get(loan + "?on=" + day(91))
		// 3 million at 7,5% for the 60 days to the first day: 36.986 đ; on
		// the 91st day, that installment is 31 days late.
		wantPage(t, "the active loan", res, 200, res.Body.String(), "Đang vay", day(60), "36.986 ₫", "Ghi trả nợ", "quá hạn 31 ngày")

		// The worker records repayments; more than owed is refused, saying how much is owed.
		res = worker.post(loan+"/repayments", url.Values{"id": {caunoi.NewID()}, "amount": {"9.000.000"}, "paid_on": {day(0)}})
		wantPage(t, "repaying too much", res, 422, res.Body.String(), "chỉ còn")
		rep := url.Values{"id": {caunoi.NewID()}, "amount": {"1.036.986"}, "paid_on": {day(0)}}
		if res = worker.post(loan+"/repayments", rep); res.Code != http.StatusSeeOther {
			t.Fatalf("repay: %d %s", res.Code, res.Body.String())
		}
		worker.post(loan+"/repayments", rep) // a double tap
		l, err := sqldb.NewLoanService(db).FindLoanByID(sys, id, nil)
		must(t, err)
		if len(l.Repayments) != 1 || l.PrincipalRepaid != 1_000_000 {
			t.Fatalf("repayments: %+v", l.Repayments)
		}

		// The statement prints.
		res = worker.get(loan + "/statement")
		wantPage(t, "loan statement", res, 200, res.Body.String(), "SAO KÊ KHOẢN VAY", "data-print", "/static/js/print.js", "1.036.986 ₫", "Người vay")
		if strings.Contains(res.Body.String(), "/reverse") {
			t.Error("the printed statement offers to undo a repayment")
		}

		// A repayment entered by mistake is undone with a reason, and stays.
		res = worker.get(loan)
		wantPage(t, "the loan with a repayment", res, 200, res.Body.String(), "Hủy lần trả nợ ghi nhầm", "/repayments/"+l.Repayments[0].ID+"/reverse")
		if res = worker.post("/repayments/"+l.Repayments[0].ID+"/reverse", url.Values{"reason": {"Ghi nhầm người vay"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("undo: %d %s", res.Code, res.Body.String())
		}
		res = worker.get(loan)
		wantPage(t, "the loan after the undo", res, 200, res.Body.String(), "Đã hủy lần trả nợ ghi nhầm.", "Đã hủy (ghi nhầm): Ghi nhầm người vay")

		// The fund: its balance reconciles; the officer sees its loans and
		// arrears; the nation sees figures, never a borrower.
		res = officer.get("/funds/" + fund.ID)
		wantPage(t, "fund page", res, 200, res.Body.String(), "Sổ quỹ khớp đến từng đồng", "PAR30", "Khoản vay của quỹ", member.Nickname)
		res = officer.get("/funds/" + fund.ID + "/statement?from=" + day(-5) + "&to=" + day(0))
		wantPage(t, "fund statement", res, 200, res.Body.String(), "SAO KÊ QUỸ TÍN DỤNG QUAY VÒNG", day(-5), day(0), "Giải ngân", "Tồn quỹ", "3.000.000 ₫")
		res = officer.get("/funds/" + fund.ID + "/arrears")
		wantPage(t, "arrears", res, 200, res.Body.String(), "Danh sách nợ quá hạn", "quá hạn")
		res = nat.get("/funds/" + fund.ID)
		wantPage(t, "the fund for the nation", res, 200, res.Body.String(), "PAR30", "Dư nợ gốc")
		if strings.Contains(res.Body.String(), member.Nickname) || strings.Contains(res.Body.String(), "/loans/") {
			t.Error("the national officer's fund page names a borrower or links a loan")
		}
		if res = nat.get(loan); res.Code != http.StatusForbidden {
			t.Errorf("the national officer opens a loan: %d", res.Code)
		}
		res = officer.get("/funds/" + fund.ID + "?on=31/31/2025")
		wantPage(t, "a bad day", res, 200, res.Body.String(), "Ngày hiệu lực")

		// Capital in by the officer; a transfer beyond the cash is refused.
		res = officer.post("/funds/"+fund.ID+"/entries", url.Values{"id": {caunoi.NewID()}, "kind": {"capital_in"}, "amount": {"-1"}, "source": {"local"}})
		wantPage(t, "negative capital", res, 422, res.Body.String(), "Số tiền không được âm")

		// Budgets: Quảng Ninh's plan against actual, and the norms.
		qn := as("quangninh.canbo")
		res = qn.get("/budgets")
		wantPage(t, "plans", res, 200, res.Body.String(), "Kế hoạch mô hình 1")
		plan := regexp.MustCompile(`href="(/budgets/[0-9a-f-]{36})"`).FindStringSubmatch(res.Body.String())[1]
		res = qn.get(plan)
		wantPage(t, "plan against actual", res, 200, res.Body.String(), "Kế hoạch và thực chi", "Chi phí mỗi người", "Người được tiếp cận")
		version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(res.Body.String())[1]
		line := regexp.MustCompile(`<option value="([0-9a-f-]{36})"`).FindStringSubmatch(res.Body.String())[1]
		res = qn.post(plan+"/lines", url.Values{"version": {version}, "activity": {"health_support"}, "quantity": {"2"}, "unit_cost": {"450.000"}})
		wantPage(t, "a line above the norm", res, 422, res.Body.String(), "Đơn giá vượt định mức: tối đa 400.000 đồng")
		res = qn.post(plan+"/expenditures", url.Values{"id": {caunoi.NewID()}, "line_id": {line}, "amount": {"999.000.000"}, "description": {"Chi"}})
		wantPage(t, "spending past the line", res, 422, res.Body.String(), "ghi lý do chi vượt để lưu")
		if v, _ := strconv.Atoi(version); v < 1 {
			t.Fatal(version)
		}
		res = nat.get("/budgets/norms")
		wantPage(t, "norms", res, 200, res.Body.String(), "Định mức kinh tế - kỹ thuật", "Hỗ trợ y tế", "400.000 ₫", "Ban hành định mức")
		if res = nat.post("/budgets/norms", url.Values{"id": {caunoi.NewID()}, "org_id": {fund.OrgID}, "model": {"reintegration"}}); res.Code != 422 {
			t.Errorf("a half norm: %d", res.Code)
		}
		if res = qn.get("/budgets/norms"); strings.Contains(res.Body.String(), "Ban hành định mức") {
			t.Error("a province officer is offered to set norms")
		}
	})
}
