package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/demo"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
	"caunoi/internal/web"
)

// wantCasePage fails unless the answer has the status and holds every text.
func wantCasePage(t *testing.T, what string, res interface {
	Result() *http.Response
}, body string, status int, texts ...string) {
	t.Helper()
	if code := res.Result().StatusCode; code != status {
		t.Fatalf("%s: status %d, want %d: %.400s", what, code, status, body)
	}
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Fatalf("%s: the page does not say %q", what, s)
		}
	}
}

// The hotline, shelter and reintegration pages with the demo: bad input
// is answered with what to fix and stores nothing; a call goes from
// intake to follow-up to closing; a bed is not given twice; the
// statistics name nobody.
func TestHotlinePages(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		srv := newDemoServer(t, db, web.Config{})
		sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
		hotline := sqldb.NewHotlineService(db)
		c := &client{t: t, srv: srv}
		c.login("songbien.dongdang", demo.Password)

		res := c.get("/cases/new")
		wantCasePage(t, "intake form", res, res.Body.String(), 200, "Ghi cuộc gọi mới", "Hiếp dâm", "Bạo hành gia đình")
		caseID := formValue(t, res.Body.String(), "id")
		orgID := formValue(t, res.Body.String(), "org_id")
		now := time.Now().In(caunoi.Zone).Add(-time.Hour)
		form := url.Values{"id": {caseID}, "org_id": {orgID}, "received_on": {now.Format("02/01/2006")}, "received_time": {now.Format("15:04")},
			"channel": {"zalo"}, "caller_type": {"self"}, "client_id": {""}, "anon_sex": {"female"}, "risk": {"high"},
			"summary": {"Bị chồng đánh tối qua"}}

		// No issue; then an unknown GBVIMS type; nothing is stored.
		res = c.post("/cases", form)
		wantCasePage(t, "no issue", res, res.Body.String(), 422, "Hãy chọn ít nhất một vấn đề của cuộc gọi.", "Bị chồng đánh tối qua")
		form["issues"] = []string{"gbv"}
		form["violence_types"] = []string{"psychological_abuse", "beating"}
		res = c.post("/cases", form)
		wantCasePage(t, "unknown type", res, res.Body.String(), 422, "không có trong phân loại GBVIMS")
		if _, err := hotline.FindCaseByID(sys, caseID); caunoi.ErrorCode(err) != caunoi.ENOTFOUND {
			t.Fatalf("a refused intake was stored: %v", err)
		}

		// Intake: classified as GBVIMS does, the narrative shown on the case's page.
		form["violence_types"] = []string{"psychological_abuse", "sexual_assault"}
		form["violence_contexts"] = []string{"domestic_violence"}
		res = c.post("/cases", form)
		if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/cases/"+caseID {
			t.Fatalf("intake: %d %s %.300s", res.Code, res.Header().Get("Location"), res.Body.String())
		}
		res = c.get("/cases/" + caseID)
		body := res.Body.String()
		wantCasePage(t, "case page", res, body, 200, "Tấn công tình dục", "Bị chồng đánh tối qua", "Ẩn danh", "Ghi lần theo dõi")
		version := formValue(t, body, "version")

		// A follow-up, then closing; a follow-up on the closed case is refused.
		today := caunoi.Today().Format("02/01/2006")
		res = c.post("/cases/"+caseID+"/follow-ups", url.Values{"version": {version}, "done_on": {today}, "channel": {"phone"}, "reached": {"1"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("follow-up: %d %.300s", res.Code, res.Body.String())
		}
		res = c.post("/cases/"+caseID+"/close", url.Values{"version": {"2"}, "closed_on": {today}, "outcome": {"resolved"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("close: %d %.300s", res.Code, res.Body.String())
		}
		res = c.post("/cases/"+caseID+"/follow-ups", url.Values{"version": {"3"}, "done_on": {today}, "channel": {"phone"}})
		wantCasePage(t, "follow-up on a closed case", res, res.Body.String(), 409, "Ca này đã đóng")
		got, err := hotline.FindCaseByID(sys, caseID)
		if err != nil || got.Status != caunoi.CaseClosed || len(got.FollowUps) != 1 {
			t.Fatalf("after closing: %+v %v", got, err)
		}

		// A shelter bed is not given twice; no discharge before the admission.
		shelters := sqldb.NewShelterService(db)
		list, _, err := shelters.FindShelters(sys, caunoi.ShelterFilter{Page: caunoi.Page{Limit: 50}})
		if err != nil {
			t.Fatal(err)
		}
		var sh *caunoi.Shelter
		for _, x := range list {
			if strings.Contains(x.Provider.Name, "Khánh Hòa") {
				sh = x
			}
		}
		var bed string
		for _, b := range sh.Beds {
			if !b.Occupied {
				bed = b.ID
			}
		}
		clients, _, err := sqldb.NewClientService(db).FindClients(sys, caunoi.ClientFilter{OrgID: orgID, Status: "active", Page: caunoi.Page{Limit: 50}})
		if err != nil {
			t.Fatal(err)
		}
		var free []string
		for _, cl := range clients {
			if stays, _, _ := shelters.FindStays(sys, caunoi.StayFilter{ClientID: cl.ID, Open: true}); len(stays) == 0 {
				free = append(free, cl.ID)
			}
		}
		admit := func(client string) *url.Values {
			return &url.Values{"id": {caunoi.NewID()}, "org_id": {orgID}, "bed_id": {bed}, "client_id": {client}, "admitted_on": {today}, "reason": {"violence"}}
		}
		res = c.post("/shelters/"+sh.Provider.ID+"/stays", *admit(free[0]))
		if res.Code != http.StatusSeeOther {
			t.Fatalf("admit: %d %.400s", res.Code, res.Body.String())
		}
		res = c.post("/shelters/"+sh.Provider.ID+"/stays", *admit(free[1]))
		wantCasePage(t, "bed taken", res, res.Body.String(), 409, "Giường này đã có người")
		stays, _, err := shelters.FindStays(sys, caunoi.StayFilter{ClientID: free[0], Open: true})
		if err != nil || len(stays) != 1 {
			t.Fatalf("stays: %v %v", stays, err)
		}
		yesterday := caunoi.Today().AddDate(0, 0, -1).Format("02/01/2006")
		res = c.post("/stays/"+stays[0].ID+"/discharge", url.Values{"version": {"1"}, "discharged_on": {yesterday}, "reason": {"returned_home"}})
		wantCasePage(t, "discharge before admission", res, res.Body.String(), 422, "Ngày rời đi không thể trước ngày tiếp nhận.")
		res = c.get("/shelters/" + sh.Provider.ID)
		wantCasePage(t, "shelter page", res, res.Body.String(), 200, "<svg", "Đang tạm lánh", "Ghi rời đi")

		// The national officer: statistics, no case codes, no client ever.
		n := &client{t: t, srv: srv}
		n.login("cuc.canbo", demo.Password)
		res = n.get("/cases/stats")
		body = res.Body.String()
		wantCasePage(t, "statistics", res, body, 200, "Bạo lực theo phân loại GBVIMS", "Hành hung thân thể", "&lt; 5", "vì bạn không xem được các ca đó")
		if strings.Contains(body, "DN-") || strings.Contains(body, "/cases/0") || strings.Contains(body, "/clients/") {
			t.Fatal("the statistics page names a case or a client")
		}
		if res := n.get("/cases"); res.Code != http.StatusForbidden {
			t.Fatalf("national officer on /cases: %d", res.Code)
		}

		// An Giang's numbers on the reintegration page (seed 003).
		ag := &client{t: t, srv: srv}
		ag.login("angiang.canbo", demo.Password)
		res = ag.get("/reintegration")
		wantCasePage(t, "reintegration", res, res.Body.String(), 200,
			"Đã vẽ sơ đồ người ảnh hưởng cho 216 học viên chuẩn bị hồi gia", "Đã tiếp nhận 168 người hồi gia")
		m := &client{t: t, srv: srv}
		m.login("mybinh.chunhiem", demo.Password)
		rs, _, err := sqldb.NewReintegrationService(db).FindReintegrations(sys, caunoi.ReintegrationFilter{OrgID: srvOrgPathID(t, db, "CLB Hướng Thiện phường Mỹ Bình"), Page: caunoi.Page{Limit: 1}})
		if err != nil || len(rs) == 0 {
			t.Fatalf("no reintegration of Mỹ Bình: %v", err)
		}
		res = m.get("/reintegration/" + rs[0].ID)
		wantCasePage(t, "ecomap", res, res.Body.String(), 200, `<svg viewBox="0 0 400 390"`, "Sơ đồ người ảnh hưởng", "tie-")
	})
}

// srvOrgPathID returns the id of the organisation with the name.
func srvOrgPathID(t *testing.T, db *sqldb.DB, name string) string {
	t.Helper()
	sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
	orgs, _, err := sqldb.NewOrgService(db).FindOrgs(sys, caunoi.OrgFilter{Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if o.Name == name {
			return o.ID
		}
	}
	t.Fatalf("no organisation %q", name)
	return ""
}
