package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"caunoi"
	"caunoi/internal/demo"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
	"caunoi/internal/web"
)

// newServerOn makes a server over a database that holds the demo already.
func newServerOn(t *testing.T, db *sqldb.DB, cfg web.Config) *web.Server {
	t.Helper()
	cfg.DB = db
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func TestReportPages(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		srv := newDemoServer(t, db, web.Config{})
		sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
		found, _, err := sqldb.NewOrgService(db).FindOrgs(sys, caunoi.OrgFilter{Query: "PCTNXH Quảng Ninh"})
		if err != nil || len(found) != 1 {
			t.Fatalf("Quảng Ninh: %v %v", found, err)
		}
		qn := found[0]
		year := caunoi.CurrentPeriod(caunoi.PeriodYear, caunoi.Today()).Code()
		officer := &client{t: t, srv: srv}
		if res := officer.login("quangninh.canbo", demo.Password); res.Code != http.StatusSeeOther {
			t.Fatalf("login: %d", res.Code)
		}
		// The province's report: indicators, groups as columns, the motto.
		res := officer.get("/reports?org=" + qn.ID + "&period=" + year)
		body := res.Body.String()
		for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Lượt người được tiếp cận", "KP_PREV", "Nhóm đồng đẳng Hạ Long", "Chia theo mô hình", "Phân tổ theo Giới tính"} {
			if res.Code != http.StatusOK || !strings.Contains(body, want) {
				t.Fatalf("report page %d: no %q", res.Code, want)
			}
		}
		// A period that ends before it starts: a clear message, no report.
		res = officer.get("/reports?org=" + qn.ID + "&period=custom&from=30/06/2025&to=01/01/2025")
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Ngày kết thúc kỳ báo cáo đứng trước ngày bắt đầu") || strings.Contains(res.Body.String(), "report-table") {
			t.Fatalf("bad period: %d", res.Code)
		}
		// The workbook sent upward.
		res = officer.get("/reports/export?org=" + qn.ID + "&period=" + year + "&shared=1")
		if res.Code != http.StatusOK || !strings.Contains(res.Header().Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("export %d %s", res.Code, res.Header())
		}
		f, err := excelize.OpenReader(bytes.NewReader(res.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		if len(sheets) != 2 || sheets[0] != "Báo cáo" {
			t.Fatalf("sheets %v", sheets)
		}
		rows, err := f.GetRows(sheets[0])
		if err != nil {
			t.Fatal(err)
		}
		if rows[0][0] != qn.Name || !strings.Contains(strings.Join(rows[0], " "), "CỘNG HÒA") || !strings.Contains(rows[3][0], "Năm "+year) {
			t.Fatalf("heading %q %q", rows[0], rows[3])
		}
		var contacts []string
		for _, r := range rows {
			if len(r) > 2 && r[2] == "CONTACTS" {
				contacts = r
			}
		}
		if contacts == nil || contacts[5] == "" {
			t.Fatalf("no CONTACTS row with a result: %q", contacts)
		}
		// The national officer: provinces, no groups, shared numbers.
		nat := &client{t: t, srv: srv}
		nat.login("cuc.canbo", demo.Password)
		res = nat.get("/reports?period=" + year)
		body = res.Body.String()
		if res.Code != http.StatusOK || !strings.Contains(body, "Chia theo tỉnh, thành phố") || strings.Contains(body, "Nhóm đồng đẳng Hạ Long") ||
			!strings.Contains(body, "Bản gửi đi") {
			t.Fatalf("national report %d", res.Code)
		}
		// Targets: set one, see it in the report.
		res = officer.post("/targets", url.Values{"org_id": {qn.ID}, "indicator": {"WORKSHOPS"}, "period": {year}, "value": {"1.000"}, "back_org": {qn.ID}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("set target %d %s", res.Code, res.Body)
		}
		res = officer.get("/targets?org=" + qn.ID + "&period=" + year)
		if !strings.Contains(res.Body.String(), "Hội thảo kết nối dịch vụ") {
			t.Fatal("target not listed")
		}
		res = officer.post("/targets", url.Values{"org_id": {qn.ID}, "indicator": {"CONTACTS"}, "period": {year}, "value": {"-3"}, "back_org": {qn.ID}})
		if res.Code != http.StatusUnprocessableEntity {
			t.Fatalf("negative target %d", res.Code)
		}
		if !strings.Contains(officer.get("/reports?org="+qn.ID+"&period="+year).Body.String(), "1.000") {
			t.Error("the target is not in the report")
		}
		// The dashboard: numbers and charts drawn on the server, no script
		// but the print button's, no inline style.
		res = officer.get("/dashboard")
		body = res.Body.String()
		if res.Code != http.StatusOK || strings.Count(body, "<svg") < 3 || strings.Contains(body, "style=") || !strings.Contains(body, "Nhóm đồng đẳng Hạ Long") {
			t.Fatalf("dashboard %d", res.Code)
		}
		if res = nat.get("/dashboard"); res.Code != http.StatusOK || strings.Contains(res.Body.String(), "Nhóm đồng đẳng Hạ Long") {
			t.Fatalf("national dashboard %d shows groups", res.Code)
		}
		// The map page, offline: no tiles, the outline and the layers' data.
		res = officer.get("/map")
		if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `data-outlines="/static/map/vietnam.json"`) ||
			!strings.Contains(res.Body.String(), "/api/v1/map/places?") || strings.Contains(res.Header().Get("Content-Security-Policy"), "tile") {
			t.Fatalf("map %d", res.Code)
		}
		// With tiles configured, their host may serve images, and only there.
		tiled := newServerOn(t, db, web.Config{MapTiles: "https://{s}.tile.example.org/{z}/{x}/{y}.png", MapAttribution: "© Example"})
		tc := &client{t: t, srv: tiled}
		tc.login("quangninh.canbo", demo.Password)
		if res = tc.get("/map"); !strings.Contains(res.Header().Get("Content-Security-Policy"), "img-src 'self' data: https://*.tile.example.org") {
			t.Fatalf("map CSP %q", res.Header().Get("Content-Security-Policy"))
		}
		if res = tc.get("/reports"); strings.Contains(res.Header().Get("Content-Security-Policy"), "example.org") {
			t.Fatal("the tiles' host is allowed beyond the map")
		}
		// The DHIS2 export of the demo's mapping.
		res = officer.get("/dhis2/export?org=" + qn.ID + "&period=" + year)
		if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `"dataValues"`) || !strings.Contains(res.Body.String(), `"period": "`+year+`"`) {
			t.Fatalf("dhis2 export %d %s", res.Code, res.Body)
		}
		res = officer.get("/dhis2/export?org=" + qn.ID + "&period=custom&from=01/01/2025&to=02/02/2025")
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "DHIS2 nhận kỳ theo tháng") {
			t.Fatalf("dhis2 custom period %d", res.Code)
		}
		// Indicators: the catalogue, and a definition refused with its reason.
		res = officer.get("/indicators")
		if !strings.Contains(res.Body.String(), "KP_PREV") {
			t.Fatal("indicators page")
		}
		res = officer.post("/indicators", url.Values{"org_id": {qn.ID}, "code": {"LOOP"}, "name_vi": {"x"}, "name_en": {"x"}, "unit": {"percent"},
			"count": {"ratio"}, "numerator": {"KP_PREV"}, "denominator": {"LOOP"}, "section": {"outreach"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Chỉ số không thể tính từ chính nó") {
			t.Fatalf("self-reference %d", res.Code)
		}
	})
}
