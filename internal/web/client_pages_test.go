package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/demo"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
	"caunoi/internal/web"
)

// formValue returns the value of the first input named name in a page.
func formValue(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no input %q in the page", name)
	}
	return m[1]
}

func TestClientPages(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		srv := newDemoServer(t, db, web.Config{})
		sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
		clients := sqldb.NewClientService(db)
		today := time.Now().In(caunoi.Zone).Format("02/01/2006")

		c := &client{t: t, srv: srv}
		if res := c.login("songbien.dongdang", demo.Password); res.Code != http.StatusSeeOther {
			t.Fatalf("login: %d", res.Code)
		}

		// The form, then the UIC made by the maker's button.
		res := c.get("/clients/new")
		body := res.Body.String()
		if res.Code != http.StatusOK || !strings.Contains(body, "Thông tin định danh (mã hóa, không bắt buộc)") || !strings.Contains(body, `value="make_uic"`) {
			t.Fatalf("new client form: %d", res.Code)
		}
		id, org := formValue(t, body, "id"), formValue(t, body, "org_id")
		if !caunoi.ValidID(id) || org == "" {
			t.Fatalf("form id %q, org %q", id, org)
		}
		form := url.Values{"id": {id}, "org_id": {org}, "nickname": {"Hoa Thử"}, "birth_year": {"1998"}, "sex": {"female"},
			"populations": {"sex_work"}, "residence": {"local"}, "phone": {"0912 345 678"},
			"mother_name": {"Nguyễn Thị Hoa"}, "father_name": {"Trần Văn Tuấn"}, "action": {"make_uic"}}
		res = c.post("/clients", form)
		body = res.Body.String()
		if res.Code != http.StatusOK || !strings.Contains(body, `value="HOTU1998F"`) ||
			!strings.Contains(body, "Đã tạo mã HOTU1998F") {
			t.Fatalf("make_uic: %d %s", res.Code, body)
		}
		if strings.Contains(body, `value="Nguyễn Thị Hoa"`) {
			t.Error("the mother's name is shown again after the code was made")
		}
		_, before, _ := clients.FindClients(sys, caunoi.ClientFilter{Query: "HOTU1998F"})

		// Save; a UIC the demo already gave in scope asks for the confirmation.
		form.Del("mother_name")
		form.Del("father_name")
		form.Set("uic", "HOTU1998F")
		form.Set("action", "save")
		res = c.post("/clients", form)
		if res.Code == http.StatusConflict {
			form.Set("confirm_duplicate", "on")
			res = c.post("/clients", form)
		}
		if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/clients/"+id {
			t.Fatalf("create: %d %s", res.Code, res.Body)
		}
		// A double submit stores one client.
		if res := c.post("/clients", form); res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/clients/"+id {
			t.Fatalf("second submit: %d %s", res.Code, res.Body)
		}
		if _, after, _ := clients.FindClients(sys, caunoi.ClientFilter{Query: "HOTU1998F"}); after != before+1 {
			t.Fatalf("double submit: %d → %d clients with the UIC", before, after)
		}

		// The page shows the phone and the read is audited; the row keeps no plaintext.
		body = c.get("/clients/" + id).Body.String()
		if !strings.Contains(body, "0912 345 678") || !strings.Contains(body, "Đã lưu.") || !strings.Contains(body, "HOTU1998F") {
			t.Fatalf("client page: %s", body)
		}
		entries, _, err := sqldb.NewAuditService(db).FindAuditEntries(sys, caunoi.AuditFilter{EntityID: id, Action: caunoi.ActionRead})
		if err != nil || len(entries) == 0 {
			t.Fatalf("no audited read: %v %d", err, len(entries))
		}
		rows, err := db.ReadDB().Query("SELECT * FROM clients WHERE id = $1", id)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		if !rows.Next() {
			t.Fatal("no row")
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		for i, v := range vals {
			s := fmt.Sprintf("%s", v)
			if strings.Contains(s, "345 678") || strings.Contains(s, "912345678") {
				t.Errorf("column %s holds the phone in plaintext: %q", cols[i], s)
			}
		}

		// Exact lookup by the phone as written another way.
		res = c.post("/clients/lookup", url.Values{"id_kind": {"phone"}, "id_value": {"+84 912 345 678"}})
		if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `href="/clients/`+id+`"`) {
			t.Fatalf("lookup: %d %s", res.Code, res.Body)
		}
		if res := c.post("/clients/lookup", url.Values{"id_kind": {"phone"}, "id_value": {"0999999999"}}); strings.Contains(res.Body.String(), `href="/clients/`+id+`"`) {
			t.Error("a wrong number finds the client")
		}

		// The UIC check counts the client.
		if res := c.get("/uic?uic=hotu1998f"); res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `href="/clients/`+id+`"`) {
			t.Errorf("uic check: %d", res.Code)
		}
		// A second client with the same UIC needs the confirmation.
		body = c.get("/clients/new").Body.String()
		dup := url.Values{"id": {formValue(t, body, "id")}, "org_id": {org}, "nickname": {"Hoa Khác"}, "birth_year": {"1998"}, "sex": {"female"},
			"populations": {"sex_work"}, "uic": {"HOTU1998F"}}
		res = c.post("/clients", dup)
		if res.Code != http.StatusConflict || !strings.Contains(res.Body.String(), "Tôi đã kiểm tra, vẫn tạo mới") || !strings.Contains(res.Body.String(), `href="/clients/`+id+`"`) {
			t.Fatalf("duplicate UIC: %d", res.Code)
		}

		// Consent: record, then withdraw.
		res = c.post("/clients/"+id+"/consents", url.Values{"id": {caunoi.NewID()}, "purpose": {"services"}, "given_on": {today}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("consent: %d %s", res.Code, res.Body)
		}
		body = c.get("/clients/" + id).Body.String()
		m := regexp.MustCompile(`action="/consents/([^/]+)/withdraw"`).FindStringSubmatch(body)
		if m == nil || !strings.Contains(body, "Nhận dịch vụ") || !strings.Contains(body, "Đã ghi sự đồng ý.") {
			t.Fatalf("consent not shown: %s", body)
		}
		res = c.post("/consents/"+m[1]+"/withdraw", url.Values{"client_id": {id}, "withdrawn_on": {today}})
		if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/clients/"+id {
			t.Fatalf("withdraw: %d %s", res.Code, res.Body)
		}
		if body := c.get("/clients/" + id).Body.String(); !strings.Contains(body, "Đã rút lại ngày "+today) || strings.Contains(body, "/consents/"+m[1]+"/withdraw") {
			t.Error("the withdrawal is not shown")
		}
		if res := c.post("/consents/"+m[1]+"/withdraw", url.Values{"client_id": {id}, "withdrawn_on": {today}}); res.Code != http.StatusConflict ||
			!strings.Contains(res.Body.String(), "Sự đồng ý này đã được rút lại.") {
			t.Errorf("second withdrawal: %d", res.Code)
		}

		// Status: change with a note, history shown; a stale version is refused.
		res = c.post("/clients/"+id+"/status", url.Values{"version": {"1"}, "status": {"exited"}, "changed_on": {today}, "note": {"Đã chuyển nghề"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("status: %d %s", res.Code, res.Body)
		}
		body = c.get("/clients/" + id).Body.String()
		if !strings.Contains(body, "Đã thoát") || !strings.Contains(body, "Đã chuyển nghề") || !strings.Contains(body, "Đang hoạt động") {
			t.Errorf("status history: %s", body)
		}
		res = c.post("/clients/"+id+"/status", url.Values{"version": {"1"}, "status": {"moved"}, "changed_on": {today}})
		if res.Code != http.StatusConflict || !strings.Contains(res.Body.String(), "Bản ghi vừa được người khác sửa") {
			t.Errorf("stale status: %d", res.Code)
		}
		if res := c.post("/clients/"+id+"/status", url.Values{"version": {"2"}, "status": {"moved"}, "changed_on": {"31/02/2024"}}); res.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(res.Body.String(), "Ngày không hợp lệ") {
			t.Errorf("bad day: %d", res.Code)
		}

		// Membership: add, then end.
		res = c.post("/clients/"+id+"/memberships", url.Values{"id": {caunoi.NewID()}, "org_id": {org}, "role": {"member"}, "joined_on": {today}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("membership: %d %s", res.Code, res.Body)
		}
		body = c.get("/clients/" + id).Body.String()
		if m := regexp.MustCompile(`action="/memberships/([^/]+)/end"`).FindStringSubmatch(body); m == nil {
			t.Error("no membership to end")
		} else if res := c.post("/memberships/"+m[1]+"/end", url.Values{"client_id": {id}, "left_on": {today}}); res.Code != http.StatusSeeOther {
			t.Errorf("end membership: %d %s", res.Code, res.Body)
		}

		// Edit keeps the identifying fields; an out-of-scope client is not found.
		body = c.get("/clients/" + id + "/edit").Body.String()
		if !strings.Contains(body, `value="0912 345 678"`) || !strings.Contains(body, `value="HOTU1998F"`) {
			t.Errorf("edit form: %s", body)
		}
		ed := url.Values{"version": {formValue(t, body, "version")}, "org_id": {org}, "nickname": {"Hoa Biển"}, "birth_year": {"1998"}, "sex": {"female"},
			"populations": {"sex_work", "plhiv"}, "residence": {"mobile"}, "uic": {"HOTU1998F"}, "phone": {"0912 345 678"}}
		if res := c.post("/clients/"+id, ed); res.Code != http.StatusSeeOther {
			t.Fatalf("update: %d %s", res.Code, res.Body)
		}
		if res := c.post("/clients/"+id, ed); res.Code != http.StatusConflict {
			t.Errorf("stale update: %d", res.Code)
		}
		qn, _, err := clients.FindClients(sys, caunoi.ClientFilter{Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
		if err != nil {
			t.Fatal(err)
		}
		var other string
		path := srvOrgPath(t, db, org)
		for _, o := range qn {
			if !strings.HasPrefix(o.OrgPath, path) {
				other = o.ID
				break
			}
		}
		if res := c.get("/clients/" + other + "/edit"); res.Code != http.StatusNotFound {
			t.Errorf("out-of-scope edit: %d", res.Code)
		}

		// Void, with a reason.
		body = c.get("/clients/" + id).Body.String()
		if res := c.post("/clients/"+id+"/void", url.Values{"version": {formValue(t, body, "version")}, "reason": {""}}); res.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(res.Body.String(), "Hãy ghi lý do hủy.") {
			t.Errorf("void without a reason: %d", res.Code)
		}
	})
}

// srvOrgPath returns the materialised path of an organisation.
func srvOrgPath(t *testing.T, db *sqldb.DB, id string) string {
	t.Helper()
	sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
	o, err := sqldb.NewOrgService(db).FindOrgByID(sys, id)
	if err != nil {
		t.Fatal(err)
	}
	return o.Path
}

func TestContactCapture(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		srv := newDemoServer(t, db, web.Config{})
		sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
		contacts := sqldb.NewContactService(db)
		c := &client{t: t, srv: srv}
		c.login("songbien.dongdang", demo.Password)

		if body := c.get("/").Body.String(); !strings.Contains(body, `href="/contacts/new"`) {
			t.Error("home has no button to record a contact")
		}
		if body := c.get("/contacts").Body.String(); !strings.Contains(body, `href="/contacts/new"`) {
			t.Error("the contact list has no button to record a contact")
		}
		res := c.get("/contacts/new")
		body := res.Body.String()
		now := time.Now().In(caunoi.Zone)
		if res.Code != http.StatusOK || !strings.Contains(body, `value="`+now.Format("2006-01-02")+`"`) ||
			!strings.Contains(body, `name="channel" value="in_person" checked`) {
			t.Fatalf("capture form: %d %s", res.Code, body)
		}
		org := formValue(t, body, "org_id")
		clientID := regexp.MustCompile(`name="client_pick"><option value="">[^<]*</option><option value="([^"]+)"`).FindStringSubmatch(body)
		if clientID == nil {
			t.Fatalf("no client to pick: %s", body)
		}
		count := func() int {
			_, n, err := contacts.FindContacts(sys, caunoi.ContactFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		base := url.Values{"id": {formValue(t, body, "id")}, "org_id": {org}, "date": {now.Format("2006-01-02")}, "time": {now.Add(-time.Minute).Format("15:04")},
			"channel": {"in_person"}, "client_id": {""}, "client_pick": {clientID[1]}, "place": {"Bến xe phía Nam thử nghiệm"},
			"qty_condom": {"5"}, "topics": {"hiv_sti", "srh"}}
		before := count()

		// Mistakes are shown in Vietnamese and nothing is stored.
		bad := url.Values{}
		for k, v := range base {
			bad[k] = v
		}
		bad.Set("date", now.AddDate(0, 0, 1).Format("2006-01-02"))
		if res := c.post("/contacts", bad); res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Ngày phải từ năm 1900 và không ở tương lai.") {
			t.Errorf("future time: %d", res.Code)
		}
		bad.Set("date", base.Get("date"))
		bad.Set("qty_condom", "-3")
		res = c.post("/contacts", bad)
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Số lượng phải từ 0 đến 100.000.") {
			t.Errorf("negative quantity: %d", res.Code)
		}
		if !strings.Contains(res.Body.String(), `value="Bến xe phía Nam thử nghiệm"`) {
			t.Error("the form lost what was typed")
		}
		if n := count(); n != before {
			t.Fatalf("a wrong contact was stored: %d → %d", before, n)
		}

		// Saved, then the next capture keeps the place and channel.
		res = c.post("/contacts", base)
		if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/contacts/new?") {
			t.Fatalf("save: %d %s", res.Code, res.Body)
		}
		next := res.Header().Get("Location")
		if res := c.post("/contacts", base); res.Code != http.StatusSeeOther {
			t.Fatalf("second submit: %d", res.Code)
		}
		if n := count(); n != before+1 {
			t.Fatalf("double submit: %d → %d contacts", before, n)
		}
		body = c.get(next).Body.String()
		if !strings.Contains(body, "Đã ghi lượt tiếp cận.") || !strings.Contains(body, `value="Bến xe phía Nam thử nghiệm"`) {
			t.Errorf("next capture: %s", body)
		}
		// The client just reached is now among the one-tap choices.
		if !strings.Contains(body, `name="client_id" value="`+clientID[1]+`"`) {
			t.Error("the recent client is not offered first")
		}
		body = c.get("/contacts").Body.String()
		if !strings.Contains(body, "Bến xe phía Nam thử nghiệm") {
			t.Fatal("the contact is not in the list")
		}

		// Anonymous, found by search.
		anon := url.Values{"id": {caunoi.NewID()}, "org_id": {org}, "date": {base.Get("date")}, "time": {base.Get("time")}, "channel": {"zalo"}}
		if res := c.post("/contacts", anon); res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Lượt tiếp cận ẩn danh cần giới tính.") {
			t.Errorf("anonymous without sex: %d", res.Code)
		}
		anon.Set("anon_sex", "female")
		anon.Set("anon_population", "sex_work")
		if res := c.post("/contacts", anon); res.Code != http.StatusSeeOther {
			t.Errorf("anonymous: %d %s", res.Code, res.Body)
		}

		// Void one's own contact.
		list, _, _ := contacts.FindContacts(sys, caunoi.ContactFilter{ClientID: clientID[1], Page: caunoi.Page{Limit: 1}})
		if len(list) == 0 {
			t.Fatal("no contact")
		}
		k := list[0]
		if !strings.Contains(body, `action="/contacts/`+k.ID+`/void"`) {
			t.Error("no void form on one's own contact")
		}
		if res := c.post("/contacts/"+k.ID+"/void", url.Values{"version": {"1"}, "reason": {"Ghi nhầm người"}}); res.Code != http.StatusSeeOther {
			t.Errorf("void: %d %s", res.Code, res.Body)
		}
		if res := c.post("/contacts/"+k.ID+"/void", url.Values{"version": {"1"}, "reason": {"Ghi nhầm người"}}); res.Code != http.StatusConflict {
			t.Errorf("void twice: %d", res.Code)
		}
	})
}
