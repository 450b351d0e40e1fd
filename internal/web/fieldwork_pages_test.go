package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"caunoi"
	"caunoi/internal/demo"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
	"caunoi/internal/web"
	"caunoi/internal/xlsx"
)

// multipartBody builds an import form: its fields, then the file.
func multipartBody(t *testing.T, fields map[string]string, fileName string, file []byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if fileName != "" {
		fw, err := mw.CreateFormFile("file", fileName)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(file)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), buf.Bytes()
}

// uploadImport posts a file to the preview of an import.
func uploadImport(c *client, kind, orgID, fileName string, file []byte) *httptest.ResponseRecorder {
	ctype, body := multipartBody(c.t, map[string]string{"step": "preview", "org_id": orgID}, fileName, file)
	return c.do("POST", "/import/"+kind, ctype, body)
}

// headerRow returns the first row of a workbook's first sheet.
func headerRow(t *testing.T, data []byte) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rows) == 0 {
		t.Fatalf("no rows: %v", err)
	}
	return rows[0]
}

// fillTemplate writes rows under the header of a downloaded template.
func fillTemplate(t *testing.T, template []byte, rows [][]any) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(template))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var locationID = regexp.MustCompile(`^/(?:activities|places)/([0-9a-f-]{36})$`)

func TestFieldworkPages(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		srv := newDemoServer(t, db, web.Config{})
		sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
		orgs := sqldb.NewOrgService(db)
		found, _, err := orgs.FindOrgs(sys, caunoi.OrgFilter{Query: "Sóng Biển"})
		if err != nil || len(found) != 1 {
			t.Fatalf("Sóng Biển: %v %v", found, err)
		}
		songbien := found[0].ID
		clients, _, err := sqldb.NewClientService(db).FindClients(sys, caunoi.ClientFilter{OrgID: songbien, Page: caunoi.Page{Limit: 500}})
		if err != nil || len(clients) < 3 {
			t.Fatalf("clients of Sóng Biển: %d %v", len(clients), err)
		}
		contacts := sqldb.NewContactService(db)
		countContacts := func() int {
			_, n, err := contacts.FindContacts(sys, caunoi.ContactFilter{OrgID: songbien})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		leader := &client{t: t, srv: srv}
		if res := leader.login("songbien.truongnhom", demo.Password); res.Code != http.StatusSeeOther {
			t.Fatalf("login: %d", res.Code)
		}
		templates := map[string][]byte{}

		t.Run("import templates read back", func(t *testing.T) {
			want := map[string][]string{
				"clients": {"Tên gọi", "Năm sinh", "Giới tính", "Nhóm đối tượng", "Mã UIC", "Nơi cư trú", "Tình trạng", "Số điện thoại", "Số CCCD"},
				"contacts": {"Ngày", "Giờ", "Mã UIC hoặc Tên gọi của khách hàng", "Giới tính", "Nhóm đối tượng", "Hình thức", "Địa điểm", "Chủ đề",
					"Bao cao su", "Chất bôi trơn", "Bơm kim tiêm", "Tờ rơi", "Ghi chú"},
				"activities": {"Ngày", "Loại hoạt động", "Tên hoạt động", "Chủ đề", "Địa điểm", "Số nữ", "Số nam", "Số khác", "Ghi chú"},
			}
			for kind, headers := range want {
				if res := leader.get("/import/" + kind); res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `src="/static/js/upload.js"`) {
					t.Errorf("%s form: %d", kind, res.Code)
				}
				res := leader.get("/import/" + kind + "/template")
				if res.Code != http.StatusOK || res.Header().Get("Content-Type") != xlsx.XLSXContentType ||
					!strings.Contains(res.Header().Get("Content-Disposition"), "attachment") {
					t.Fatalf("%s template: %d %v", kind, res.Code, res.Header())
				}
				data := res.Body.Bytes()
				templates[kind] = data
				if got := headerRow(t, data); strings.Join(got, "|") != strings.Join(headers, "|") {
					t.Errorf("%s headers:\n got %q\nwant %q", kind, got, headers)
				}
				cols := make([]xlsx.Column, len(headers))
				for i, h := range headers {
					cols[i] = xlsx.Column{Key: h, Header: h, Required: true}
				}
				rows, err := xlsx.Read(bytes.NewReader(data), 1<<20, xlsx.Sheet{Columns: cols})
				if err != nil || len(rows) != 0 {
					t.Errorf("%s template read back: %d rows, %v", kind, len(rows), err)
				}
			}
			if res := leader.get("/import/loans"); res.Code != http.StatusNotFound {
				t.Errorf("unknown register: %d", res.Code)
			}
			if res := leader.get("/import/loans/template"); res.Code != http.StatusNotFound {
				t.Errorf("unknown template: %d", res.Code)
			}
		})

		t.Run("import contacts: preview, confirm, keep good rows, re-import", func(t *testing.T) {
			var named *caunoi.Client
			for _, c := range clients {
				if c.UIC != "" {
					named = c
					break
				}
			}
			if named == nil {
				t.Fatal("no client with a UIC")
			}
			day := time.Now().In(caunoi.Zone).AddDate(0, 0, -10).Format("02/01/2006")
			file := fillTemplate(t, templates["contacts"], [][]any{
				{day, "20:30", "", "Nữ", "Người bán dâm", "Trực tiếp", "Đường Trần Phú", "srh; hiv_sti", 10, 2, nil, 5, "Phát tờ rơi"},
				{day, "21:00", named.UIC, "", "", "Zalo", "", "rights", 3},
				{"31/02/2025", "21:15", "", "Nữ", "sex_work", "", "", "", 1},
				{day, "22:00", "", "nu", "nguoi ban dam", "dien thoai", "", "", 4},
				{day, "22:30", "Không Có Ai Tên Này", "", "", "", "", "", -3},
			})
			before := countContacts()
			res := uploadImport(leader, "contacts", songbien, "tiep-can.xlsx", file)
			body := res.Body.String()
			if res.Code != http.StatusOK || !strings.Contains(body, "2 dòng lỗi") || !strings.Contains(body, "<td>4</td>") || !strings.Contains(body, "<td>6</td>") {
				t.Fatalf("preview: %d %s", res.Code, body)
			}
			for _, msg := range []string{"Ngày không hợp lệ", "Không tìm thấy khách hàng “Không Có Ai Tên Này”", "Số lượng không hợp lệ", "sẽ nhập 3 dòng mới"} {
				if !strings.Contains(body, msg) {
					t.Errorf("preview lacks %q", msg)
				}
			}
			if strings.Contains(body, "<td>2</td>") || strings.Contains(body, "<td>5</td>") {
				t.Error("a good row is reported bad")
			}
			if n := countContacts(); n != before {
				t.Fatalf("the preview stored %d contacts", n-before)
			}
			res = leader.post("/import/contacts", url.Values{"step": {"confirm"}})
			if n := countContacts(); n != before || !strings.Contains(res.Body.String(), "Chưa nhập dòng nào") {
				t.Fatalf("confirm without keep_good stored %d: %s", n-before, res.Body)
			}
			// The file stays kept: the good rows may still be imported.
			res = leader.post("/import/contacts", url.Values{"step": {"confirm"}, "keep_good": {"on"}})
			if n := countContacts(); n != before+3 || !strings.Contains(res.Body.String(), "Đã nhập 3, bỏ qua 0 dòng đã có.") {
				t.Fatalf("keep good rows: %d stored: %s", n-before, res.Body)
			}
			got, _, err := contacts.FindContacts(sys, caunoi.ContactFilter{ClientID: named.ID, Page: caunoi.Page{Limit: 500}})
			if err != nil {
				t.Fatal(err)
			}
			imported := false
			for _, c := range got {
				if c.Channel == "zalo" && c.At.In(caunoi.Zone).Format("15:04") == "21:00" && c.Commodities["condom"] == 3 {
					imported = true
				}
			}
			if !imported {
				t.Error("the contact with a client by UIC was not stored as written")
			}
			// The same file again: nothing new.
			res = uploadImport(leader, "contacts", songbien, "tiep-can.xlsx", file)
			if !strings.Contains(res.Body.String(), "sẽ nhập 0 dòng mới; 3 dòng đã có") {
				t.Errorf("second preview: %s", res.Body)
			}
			res = leader.post("/import/contacts", url.Values{"step": {"confirm"}, "keep_good": {"on"}})
			if n := countContacts(); n != before+3 || !strings.Contains(res.Body.String(), "Đã nhập 0, bỏ qua 3 dòng đã có.") {
				t.Fatalf("re-import: %d stored: %s", n-before, res.Body)
			}
			// The kept file is gone once imported.
			res = leader.post("/import/contacts", url.Values{"step": {"confirm"}, "keep_good": {"on"}})
			if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Bản xem trước đã hết hạn") {
				t.Errorf("confirm without a kept file: %d", res.Code)
			}
		})

		t.Run("import clients and activities", func(t *testing.T) {
			file := fillTemplate(t, templates["clients"], [][]any{
				{"Hoa Mới", 1998, "Nữ", "Người bán dâm; at_risk", "", "Từ tỉnh khác", "", "0912 345 678", ""},
				{"Không giới tính", 1990, "", "sex_work"},
				{"Sinh sớm", 1850, "Nam", "Người nhà, gia đình"},
			})
			res := uploadImport(leader, "clients", songbien, "kh.xlsx", file)
			body := res.Body.String()
			if res.Code != http.StatusOK || !strings.Contains(body, "2 dòng lỗi") || !strings.Contains(body, "Năm sinh từ 1900") || !strings.Contains(body, "sẽ nhập 1 dòng mới") {
				t.Fatalf("clients preview: %d %s", res.Code, body)
			}
			file = fillTemplate(t, templates["activities"], [][]any{
				{"05/03/2025", "Sinh hoạt nhóm", "Sinh hoạt tháng 3", "srh", "Trụ sở nhóm", 12, 1, 0},
				{"05/03/2099", "Sinh hoạt nhóm", "Ở tương lai", "", "", 3},
				{"06/03/2025", "Họp chợ", "Loại lạ", "", "", 3},
			})
			res = uploadImport(leader, "activities", songbien, "hd.xlsx", file)
			body = res.Body.String()
			if res.Code != http.StatusOK || !strings.Contains(body, "2 dòng lỗi") || !strings.Contains(body, "Ngày phải từ năm 1900 và không ở tương lai") ||
				!strings.Contains(body, "“Họp chợ” không có trong danh sách") {
				t.Fatalf("activities preview: %d %s", res.Code, body)
			}
		})

		t.Run("files that are not spreadsheets or too large", func(t *testing.T) {
			png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)
			res := uploadImport(leader, "contacts", songbien, "anh.png", png)
			body := res.Body.String()
			if res.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "Tệp này không phải bảng tính") {
				t.Errorf("a PNG: %d %s", res.Code, body)
			}
			// 50 MB announced: refused before the body is read.
			ctype, head := multipartBody(t, map[string]string{"step": "preview", "org_id": songbien}, "", nil)
			req := httptest.NewRequest("POST", "/import/contacts", io.MultiReader(bytes.NewReader(head), neverRead{t}))
			req.ContentLength = 50 << 20
			req.Header.Set("Content-Type", ctype)
			req.Header.Set("Cookie", leader.cookie)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "Tệp quá lớn (tối đa 10 MB)") {
				t.Errorf("50 MB announced: %d", rec.Code)
			}
			// 11 MB of unknown length: cut off at the limit.
			big := fillTemplate(t, templates["contacts"], nil)
			ctype, body2 := multipartBody(t, map[string]string{"step": "preview", "org_id": songbien}, "to.xlsx", append(big, bytes.Repeat([]byte("x"), 11<<20)...))
			req = httptest.NewRequest("POST", "/import/contacts", io.MultiReader(bytes.NewReader(body2)))
			req.ContentLength = -1
			req.Header.Set("Content-Type", ctype)
			req.Header.Set("Cookie", leader.cookie)
			rec = httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "Tệp quá lớn (tối đa 10 MB)") {
				t.Errorf("11 MB streamed: %d", rec.Code)
			}
			// No group chosen, no file.
			ctype, body3 := multipartBody(t, map[string]string{"step": "preview"}, "", nil)
			if res := leader.do("POST", "/import/contacts", ctype, body3); res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Hãy chọn một tệp.") {
				t.Errorf("empty form: %d", res.Code)
			}
		})

		t.Run("exports", func(t *testing.T) {
			want := countContacts()
			dateCol := xlsx.Sheet{Columns: []xlsx.Column{{Key: "date", Header: "Ngày", Required: true}, {Key: "org", Header: "Tổ chức"}}}
			for _, format := range []string{"xlsx", "csv"} {
				res := leader.get("/contacts/export?format=" + format)
				if res.Code != http.StatusOK || !strings.Contains(res.Header().Get("Content-Disposition"), "tiep-can-"+caunoi.Today().Format("2006-01-02")+"."+format) {
					t.Fatalf("%s: %d %v", format, res.Code, res.Header())
				}
				rows, err := xlsx.Read(bytes.NewReader(res.Body.Bytes()), 50<<20, dateCol)
				if err != nil || len(rows) != want {
					t.Errorf("%s: %d rows, the list has %d: %v", format, len(rows), want, err)
				}
				for _, r := range rows {
					if _, ok := caunoi.ParseDate(r.Values["date"]); !ok || r.Values["org"] != "Nhóm đồng đẳng Sóng Biển" {
						t.Errorf("%s row %d: %v", format, r.Num, r.Values)
						break
					}
				}
			}
			res := leader.get("/clients/export")
			if res.Code != http.StatusOK {
				t.Fatalf("clients: %d", res.Code)
			}
			head := headerRow(t, res.Body.Bytes())
			if strings.Contains(strings.Join(head, "|"), "Số điện thoại") || strings.Contains(strings.Join(head, "|"), "CCCD") {
				t.Errorf("the clients export has identifying columns: %q", head)
			}
			rows, err := xlsx.Read(bytes.NewReader(res.Body.Bytes()), 50<<20, xlsx.Sheet{Columns: []xlsx.Column{{Key: "nickname", Header: "Tên gọi", Required: true}}})
			_, n, _ := sqldb.NewClientService(db).FindClients(sys, caunoi.ClientFilter{OrgID: songbien})
			if err != nil || len(rows) != n {
				t.Errorf("clients: %d rows, want %d: %v", len(rows), n, err)
			}
			for _, path := range []string{"/activities/export?format=csv&kind=group_meeting", "/places/export", "/activities/export?from=01/01/2000"} {
				if res := leader.get(path); res.Code != http.StatusOK || res.Body.Len() == 0 {
					t.Errorf("%s: %d", path, res.Code)
				}
			}
			if res := leader.get("/contacts/export?format=pdf"); res.Code != http.StatusUnprocessableEntity {
				t.Errorf("unknown format: %d", res.Code)
			}
			// National officers have no client-level rows to export.
			nat := &client{t: t, srv: srv}
			nat.login("cuc.canbo", demo.Password)
			if res := nat.get("/contacts/export"); res.Code != http.StatusForbidden {
				t.Errorf("national officer: %d", res.Code)
			}
		})

		t.Run("activity with named and anonymous attendees", func(t *testing.T) {
			res := leader.get("/activities/new")
			if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `name="attendees" value="`+clients[0].ID+`"`) {
				t.Fatalf("new form: %d", res.Code)
			}
			// The search keeps what was typed.
			res = leader.get("/activities/new?" + url.Values{"org_id": {songbien}, "title": {"Đang gõ"}, "q": {clients[1].Nickname}}.Encode())
			if !strings.Contains(res.Body.String(), `value="Đang gõ"`) || !strings.Contains(res.Body.String(), clients[1].ID) {
				t.Errorf("search lost the form")
			}
			id := caunoi.NewID()
			form := url.Values{"id": {id}, "org_id": {songbien}, "kind": {"group_meeting"}, "held_on": {caunoi.Today().Format("02/01/2006")},
				"title": {"Sinh hoạt nhóm: sức khỏe sinh sản"}, "topics": {"srh", "legal"}, "place": {"Trụ sở nhóm"},
				"attendees": {clients[0].ID, clients[1].ID}, "anon_female": {"7"}, "anon_male": {"2"}, "anon_other": {"1"}}
			res = leader.post("/activities", form)
			if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/activities/"+id {
				t.Fatalf("create: %d %s", res.Code, res.Body)
			}
			// Sent twice: recorded once.
			if res := leader.post("/activities", form); res.Code != http.StatusSeeOther {
				t.Errorf("repeat: %d", res.Code)
			}
			body := leader.get("/activities/" + id).Body.String()
			for _, s := range []string{"12 người tham dự", clients[0].Nickname, clients[1].Nickname, "Sinh hoạt nhóm"} {
				if !strings.Contains(body, s) {
					t.Errorf("the activity's page lacks %q", s)
				}
			}
			// Nobody at all, and a bad number.
			bad := url.Values{"id": {caunoi.NewID()}, "org_id": {songbien}, "kind": {"training"}, "held_on": {"01/01/2025"}, "title": {"Không ai"}, "anon_male": {"-2"}}
			res = leader.post("/activities", bad)
			if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Số lượng không hợp lệ") || !strings.Contains(res.Body.String(), `value="Không ai"`) {
				t.Errorf("invalid activity: %d", res.Code)
			}
			// Another group's peer educator does not see it.
			other := &client{t: t, srv: srv}
			other.login("halong.dongdang", demo.Password)
			if res := other.get("/activities/" + id); res.Code != http.StatusNotFound {
				t.Errorf("another group sees the activity: %d", res.Code)
			}
			res = leader.post("/activities/"+id+"/void", url.Values{"version": {"1"}, "reason": {"Ghi nhầm"}})
			if res.Code != http.StatusSeeOther || !strings.Contains(leader.get("/activities/"+id).Body.String(), "Lý do: Ghi nhầm") {
				t.Errorf("void: %d", res.Code)
			}
		})

		t.Run("activity totals over the filter (seed 003)", func(t *testing.T) {
			c := &client{t: t, srv: srv}
			c.login("angiang.canbo", demo.Password)
			body := c.get("/activities?kind=communication").Body.String()
			if !strings.Contains(body, "42 hoạt động") || !strings.Contains(body, "1.056 người tham dự") {
				t.Errorf("topic sessions: %s", regexp.MustCompile(`(?s)<p class="fw-summary">.*?</p>`).FindString(body))
			}
			body = c.get("/activities?kind=campaign").Body.String()
			if !strings.Contains(body, "6 hoạt động") || !strings.Contains(body, "2.040 người tham dự") {
				t.Errorf("large events: %s", regexp.MustCompile(`(?s)<p class="fw-summary">.*?</p>`).FindString(body))
			}
			if res := c.get("/activities?from=32/13/2025"); res.Code != http.StatusOK || !strings.Contains(res.Body.String(), "Ngày không hợp lệ") {
				t.Errorf("bad period: %d", res.Code)
			}
			if res := c.get("/activities/new"); res.Code != http.StatusForbidden {
				t.Errorf("a province officer may record activities: %d", res.Code)
			}
		})

		t.Run("place and visit", func(t *testing.T) {
			id := caunoi.NewID()
			res := leader.post("/places", url.Values{"id": {id}, "org_id": {songbien}, "kind": {"establishment"}, "type": {"karaoke"},
				"name": {"Karaoke Thử Nghiệm"}, "address": {"12 Trần Phú, Nha Trang"}, "admin_unit_code": {"56"},
				"lat": {"12,2388"}, "lng": {"109.1967"}, "estimated_workers": {"12"}})
			if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/places/"+id {
				t.Fatalf("create: %d %s", res.Code, res.Body)
			}
			body := leader.get("/places/" + id).Body.String()
			if !strings.Contains(body, "Karaoke Thử Nghiệm") || !strings.Contains(body, "12.2388, 109.1967") || !strings.Contains(body, "Cơ sở kinh doanh dịch vụ") {
				t.Errorf("place page: %s", body)
			}
			res = leader.post("/places/"+id+"/visits", url.Values{"id": {caunoi.NewID()}, "visited_on": {caunoi.Today().Format("02/01/2006")}})
			if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Hãy chọn ít nhất một mục đích") {
				t.Errorf("visit without purpose: %d", res.Code)
			}
			res = leader.post("/places/"+id+"/visits", url.Values{"id": {caunoi.NewID()}, "visited_on": {caunoi.Today().Format("02/01/2006")},
				"purposes": {"labour_law", "commodities"}, "commodity_condom": {"20"}, "notes": {"Chủ cơ sở đồng ý"}})
			if res.Code != http.StatusSeeOther {
				t.Fatalf("visit: %d %s", res.Code, res.Body)
			}
			body = leader.get("/places/" + id).Body.String()
			for _, s := range []string{"Đã ghi lần đến.", "Truyền thông pháp luật lao động", "Bao cao su: 20", "Chủ cơ sở đồng ý"} {
				if !strings.Contains(body, s) {
					t.Errorf("the place's page lacks %q", s)
				}
			}
			res = leader.post("/places/"+id, url.Values{"version": {"1"}, "type": {"karaoke"}, "name": {"Karaoke Thử Nghiệm 2"}, "estimated_workers": {"15"}})
			if res.Code != http.StatusSeeOther {
				t.Fatalf("update: %d %s", res.Code, res.Body)
			}
			if res := leader.post("/places/"+id, url.Values{"version": {"1"}, "type": {"karaoke"}, "name": {"Cũ"}}); res.Code != http.StatusConflict {
				t.Errorf("stale update: %d", res.Code)
			}
			if body := leader.get("/places?q=thu+nghiem").Body.String(); !strings.Contains(body, "Karaoke Thử Nghiệm 2") {
				t.Error("the list does not find the place")
			}
			if res := leader.get("/places/" + id + "/edit"); res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `value="Karaoke Thử Nghiệm 2"`) {
				t.Errorf("edit form: %d", res.Code)
			}
			res = leader.post("/places/"+id+"/void", url.Values{"version": {"2"}, "reason": {"Đã đóng cửa"}})
			if res.Code != http.StatusSeeOther {
				t.Errorf("void: %d %s", res.Code, res.Body)
			}
		})
	})
}

// neverRead is a body that fails the test if read: a request announced
// too large must be refused before its body is read.
type neverRead struct{ t *testing.T }

func (n neverRead) Read([]byte) (int, error) {
	n.t.Error("the body of a request announced too large was read")
	return 0, io.EOF
}

// TestContactListFilters: the contacts list narrows by population and
// period, and its export follows the same filters.
func TestContactListFilters(t *testing.T) {
	db := sqldbtest.MustOpen(t, sqldb.SQLite)
	srv := newDemoServer(t, db, web.Config{})
	c := &client{t: t, srv: srv}
	c.login("vongtay.truongnhom", demo.Password)
	count := func(path string) int {
		body := c.get(path).Body.String()
		m := regexp.MustCompile(`Trang \d+/\d+ · ([\d.]+) mục`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no total in the page", path)
		}
		n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ".", ""))
		return n
	}
	all := count("/contacts")
	sexWork := count("/contacts?population=sex_work")
	drugUse := count("/contacts?population=drug_use")
	if all == 0 || drugUse == 0 || drugUse > all || sexWork >= all {
		t.Errorf("all %d, drug use %d, sex work %d", all, drugUse, sexWork)
	}
	future := caunoi.Today().AddDate(0, 0, 2).Format("02/01/2006")
	if n := count("/contacts?from=" + future); n != 0 {
		t.Errorf("%d contacts from the day after tomorrow", n)
	}
	if res := c.get("/contacts?from=31/02/2025"); res.Code != http.StatusOK || !strings.Contains(res.Body.String(), "Ngày không hợp lệ") {
		t.Errorf("a bad date: %d", res.Code)
	}
}

// TestAuditPeriodFilter: the audit page keeps the entries of the days
// asked for (Vietnam's days) and says what is wrong with a bad date.
func TestAuditPeriodFilter(t *testing.T) {
	db := sqldbtest.MustOpen(t, sqldb.SQLite)
	srv := newDemoServer(t, db, web.Config{})
	c := &client{t: t, srv: srv}
	c.login("admin", demo.Password)
	today := caunoi.Today().Format("02/01/2006")
	if body := c.get("/audit?action=login&from=" + today + "&to=" + today).Body.String(); !strings.Contains(body, "<td>admin</td>") {
		t.Error("today's sign-in is not listed for today")
	}
	tomorrow := caunoi.Today().AddDate(0, 0, 1).Format("02/01/2006")
	if body := c.get("/audit?action=login&from=" + tomorrow).Body.String(); strings.Contains(body, "<td>admin</td>") {
		t.Error("today's sign-in is listed from tomorrow on")
	}
	if res := c.get("/audit?to=99/99/2025"); res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Ngày không hợp lệ") {
		t.Errorf("a bad date: %d", res.Code)
	}
}
