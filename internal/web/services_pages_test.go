package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/demo"
	"caunoi/internal/i18n"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
	"caunoi/internal/web"
	"caunoi/internal/xlsx"
)

// Every code of the services' closed lists has its label in both languages.
func TestServiceLabels(t *testing.T) {
	cat := i18n.MustLoad()
	keys := []string{}
	for _, k := range caunoi.ProviderKinds {
		keys = append(keys, "provider_kind."+k)
	}
	for _, k := range caunoi.ServiceKinds {
		keys = append(keys, "service_kind."+k)
		r := caunoi.ServiceRules[k]
		for _, d := range r.Details {
			keys = append(keys, "service_detail."+d)
		}
		for _, x := range r.Results {
			keys = append(keys, "service_result."+x)
		}
		if len(r.Results) > 0 {
			keys = append(keys, "service.result_hint."+k, "service.result_title."+k)
		}
	}
	for _, x := range caunoi.Trades {
		keys = append(keys, "trade."+x)
	}
	for _, x := range caunoi.JobTypes {
		keys = append(keys, "job_type."+x)
	}
	for _, x := range caunoi.ReferralStatuses {
		keys = append(keys, "referral_status."+x)
		if x != caunoi.ReferralReferred {
			keys = append(keys, "referral.mark_"+x)
		}
	}
	for _, k := range keys {
		for _, lang := range caunoi.Languages {
			if !cat.Has(lang, k) {
				t.Errorf("%s has no label in %s", k, lang)
			}
		}
	}
}

// A group leader refers a client from the client's page, prints the slip
// (limited by consent, audited), marks the referral reached with the
// service; bad input is refused with a translated message and stores
// nothing; the lists filter and export.
func TestServicePages(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		srv := newDemoServer(t, db, web.Config{})
		sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
		orgs, _, err := sqldb.NewOrgService(db).FindOrgs(sys, caunoi.OrgFilter{Query: "Sóng Biển"})
		if err != nil || len(orgs) != 1 {
			t.Fatalf("Sóng Biển: %v %v", orgs, err)
		}
		clients := sqldb.NewClientService(db)
		referrals := sqldb.NewReferralService(db)
		services := sqldb.NewServiceService(db)
		// A client of the group with a UIC, without consent to share.
		list, _, err := clients.FindClients(sys, caunoi.ClientFilter{OrgID: orgs[0].ID, Status: "active", Page: caunoi.Page{Limit: 200}})
		must(t, err)
		var cl *caunoi.Client
		for _, c := range list {
			full, err := clients.FindClientByID(sys, c.ID)
			must(t, err)
			if c.UIC != "" && !slices.ContainsFunc(full.Consents, func(k caunoi.Consent) bool { return k.Purpose == "referral_sharing" && k.Active() }) {
				cl = full
				break
			}
		}
		if cl == nil {
			t.Fatal("no client of Sóng Biển without consent to share")
		}
		providers, _, err := sqldb.NewProviderService(db).FindProviders(sys, caunoi.ProviderFilter{Query: "Kiểm soát bệnh tật tỉnh Khánh Hòa"})
		if err != nil || len(providers) != 1 {
			t.Fatalf("provider: %v %v", providers, err)
		}
		cdc := providers[0]
		derm, _, _ := sqldb.NewProviderService(db).FindProviders(sys, caunoi.ProviderFilter{Query: "Da liễu tỉnh Khánh Hòa"})
		countReferrals := func() int {
			_, n, err := referrals.FindReferrals(sys, caunoi.ReferralFilter{ClientID: cl.ID})
			must(t, err)
			return n
		}
		countServices := func() int {
			_, n, err := services.FindServices(sys, caunoi.ServiceFilter{ClientID: cl.ID})
			must(t, err)
			return n
		}
		today := time.Now().In(caunoi.Zone).Format("02/01/2006")

		leader := &client{t: t, srv: srv}
		if res := leader.login("songbien.truongnhom", demo.Password); res.Code != http.StatusSeeOther {
			t.Fatalf("login: %d", res.Code)
		}

		// The client's page links to the forms.
		body := leader.get("/clients/" + cl.ID).Body.String()
		if !strings.Contains(body, `href="/referrals/new?client_id=`+cl.ID+`"`) || !strings.Contains(body, `href="/services/new?client_id=`+cl.ID+`"`) {
			t.Fatal("the client's page has no link to refer or record a service")
		}
		// Choosing the service lists only the providers offering it.
		res := leader.get("/referrals/new?client_id=" + cl.ID + "&service_kind=hiv_test")
		body = res.Body.String()
		if res.Code != http.StatusOK || !strings.Contains(body, cdc.Name) || strings.Contains(body, derm[0].Name) {
			t.Fatalf("referral form for an HIV test: %d", res.Code)
		}
		id := formValue(t, body, "id")

		// A provider that does not offer the service: refused, nothing stored.
		before := countReferrals()
		form := url.Values{"id": {id}, "org_id": {cl.OrgID}, "client_id": {cl.ID}, "service_kind": {"legal_aid"}, "provider_id": {cdc.ID},
			"referred_on": {today}, "due_on": {""}, "reason": {"Xét nghiệm định kỳ"}}
		res = leader.post("/referrals", form)
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), cdc.Name+" không cung cấp dịch vụ này") {
			t.Fatalf("referral for a service not offered: %d", res.Code)
		}
		if countReferrals() != before {
			t.Fatal("a refused referral was stored")
		}
		// The right service; sent twice, stored once.
		form.Set("service_kind", "hiv_test")
		for range 2 {
			res = leader.post("/referrals", form)
			if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/referrals/"+id {
				t.Fatalf("refer: %d %s", res.Code, res.Body)
			}
		}
		if countReferrals() != before+1 {
			t.Fatalf("referrals %d → %d", before, countReferrals())
		}
		ref, err := referrals.FindReferralByID(sys, id)
		must(t, err)

		// The slip: without consent, the UIC and the code, never the
		// nickname or the phone; every view audited as a read of the client.
		reads := func() int {
			es, _, err := sqldb.NewAuditService(db).FindAuditEntries(sys, caunoi.AuditFilter{EntityID: cl.ID, Action: caunoi.ActionRead, Page: caunoi.Page{Limit: 500}})
			must(t, err)
			return len(es)
		}
		r0 := reads()
		slip := leader.get("/referrals/" + id + "/slip").Body.String()
		main := slip[strings.Index(slip, `<article class="slip"`):]
		if !strings.Contains(main, ref.Code) || !strings.Contains(main, cl.UIC) || !strings.Contains(main, cdc.Name) {
			t.Fatalf("slip without the code, UIC or provider")
		}
		if strings.Contains(main, ">"+cl.Nickname+"<") || (cl.Phone != "" && strings.Contains(slip, cl.Phone)) {
			t.Fatal("the slip names the client without consent")
		}
		if !strings.Contains(slip, `src="/static/js/print.js"`) || reads() != r0+1 {
			t.Fatalf("slip: print script, audited reads %d → %d", r0, reads())
		}
		// With consent to share, the nickname shows.
		res = leader.post("/clients/"+cl.ID+"/consents", url.Values{"id": {caunoi.NewID()}, "purpose": {"referral_sharing"}, "given_on": {today}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("consent: %d", res.Code)
		}
		slip = leader.get("/referrals/" + id + "/slip").Body.String()
		if !strings.Contains(slip[strings.Index(slip, `<article class="slip"`):], "<dd>"+cl.Nickname+"</dd>") {
			t.Fatal("with consent the slip does not show the nickname")
		}

		// Reached with the service: a bad result is refused and changes nothing.
		page := leader.get("/referrals/" + id).Body.String()
		sid := formValue(t, page, "service_new_id")
		services0 := countServices()
		reach := url.Values{"version": {"1"}, "status": {"reached"}, "service_new_id": {sid}, "closed_on": {today},
			"detail": {"facility"}, "result": {"maybe"}}
		res = leader.post("/referrals/"+id+"/status", reach)
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Kết quả xét nghiệm HIV phải là") {
			t.Fatalf("bad result: %d", res.Code)
		}
		if r, _ := referrals.FindReferralByID(sys, id); r.Status != caunoi.ReferralReferred || r.Version != 1 || countServices() != services0 {
			t.Fatalf("a refused transition changed something: %+v", r)
		}
		reach.Set("result", "negative")
		res = leader.post("/referrals/"+id+"/status", reach)
		if res.Code != http.StatusSeeOther {
			t.Fatalf("reached: %d %s", res.Code, res.Body)
		}
		ref, _ = referrals.FindReferralByID(sys, id)
		if ref.Status != caunoi.ReferralReached || ref.ServiceID != sid || countServices() != services0+1 {
			t.Fatalf("after reached: %+v", ref)
		}
		// A move the state machine forbids: a clear message.
		res = leader.post("/referrals/"+id+"/status", url.Values{"version": {"2"}, "status": {"lost"}, "closed_on": {today}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Không thể chuyển sang trạng thái này") {
			t.Fatalf("forbidden move: %d", res.Code)
		}
		// The client's page lists both.
		body = leader.get("/clients/" + cl.ID).Body.String()
		if !strings.Contains(body, ref.Code) || !strings.Contains(body, `href="/services/`+sid+`"`) {
			t.Fatal("the client's page does not list the referral and the service")
		}

		// A service from the form: cash without an amount is refused; with
		// "500.000" it is stored.
		res = leader.get("/services/new?client_id=" + cl.ID + "&kind=material_support")
		sform := url.Values{"id": {formValue(t, res.Body.String(), "id")}, "org_id": {cl.OrgID}, "client_id": {cl.ID},
			"kind": {"material_support"}, "given_on": {today}, "detail": {"cash"}, "quantity": {"1"}, "amount_vnd": {""}}
		n0 := countServices()
		res = leader.post("/services", sform)
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Hỗ trợ tiền mặt phải ghi số tiền") || countServices() != n0 {
			t.Fatalf("cash without amount: %d", res.Code)
		}
		tomorrow := time.Now().In(caunoi.Zone).AddDate(0, 0, 1).Format("02/01/2006")
		sform.Set("amount_vnd", "500.000")
		sform.Set("given_on", tomorrow)
		if res = leader.post("/services", sform); res.Code != http.StatusUnprocessableEntity || countServices() != n0 {
			t.Fatalf("a service tomorrow: %d", res.Code)
		}
		sform.Set("given_on", today)
		if res = leader.post("/services", sform); res.Code != http.StatusSeeOther || countServices() != n0+1 {
			t.Fatalf("cash: %d %s", res.Code, res.Body)
		}
		if body := leader.get("/services?client=" + cl.ID + "&kind=material_support").Body.String(); !strings.Contains(body, "500.000 ₫") {
			t.Fatal("the services list does not show the amount")
		}

		// The overdue list holds only overdue referrals.
		body = leader.get("/referrals?overdue=1").Body.String()
		if !strings.Contains(body, "Chuyển gửi quá hạn") || strings.Count(body, `class="overdue"`) == 0 {
			t.Fatal("the overdue list is empty: the demo has overdue referrals")
		}
		res = leader.get("/referrals/export?format=csv&overdue=1")
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body.String(), "\ufeff"))).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("overdue export: %v %d rows", err, len(rows))
		}
		col := slices.Index(rows[0], "Quá hạn")
		for _, r := range rows[1:] {
			if r[col] != "Có" || r[slices.Index(rows[0], "Trạng thái")] != "Đang chờ" {
				t.Fatalf("an exported overdue referral is not overdue: %v", r)
			}
		}
		// The exports of each list, xlsx by default.
		for path, header := range map[string]string{"/services/export": "Dịch vụ", "/referrals/export": "Mã phiếu", "/providers/export": "Tên"} {
			res := leader.get(path)
			if res.Code != http.StatusOK || res.Header().Get("Content-Type") != xlsx.XLSXContentType || !slices.Contains(headerRow(t, res.Body.Bytes()), header) {
				t.Errorf("%s: %d %s", path, res.Code, res.Header().Get("Content-Type"))
			}
		}

		// The national officer sees the directory, never a client's service.
		nat := &client{t: t, srv: srv}
		nat.login("cuc.canbo", demo.Password)
		if res := nat.get("/providers"); res.Code != http.StatusOK {
			t.Errorf("national directory: %d", res.Code)
		}
		for _, p := range []string{"/services", "/referrals", "/referrals/" + id, "/referrals/" + id + "/slip"} {
			if res := nat.get(p); res.Code != http.StatusForbidden {
				t.Errorf("national officer %s: %d, want 403", p, res.Code)
			}
		}
	})
}

// must fails the test on an error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
