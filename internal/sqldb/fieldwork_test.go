package sqldb_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/secure"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// daysAgo returns the day n days before today in Vietnam, as days are
// stored (midnight UTC).
func daysAgo(n int) caunoi.Date { return caunoi.Date(caunoi.Today().AddDate(0, 0, -n)) }

// tomorrow is a day in the future, for dates that must be refused.
func tomorrow() caunoi.Date { return caunoi.Date(caunoi.Today().AddDate(0, 0, 1)) }

// dayTime returns the day as a time.Time.
func dayTime(d caunoi.Date) time.Time { return time.Time(d) }

// sameDay reports whether t is the day d (whatever the clock part).
func sameDay(t *time.Time, d caunoi.Date) bool {
	return t != nil && t.UTC().Format(time.DateOnly) == dayTime(d).Format(time.DateOnly)
}

// rawRows returns every row of a table as text, one string a column, read
// past the services straight from the database.
func rawRows(t testing.TB, db *sqldb.DB, table, where string, args ...any) [][]string {
	t.Helper()
	q := "SELECT * FROM " + table
	if where != "" {
		q += " WHERE " + where
	}
	rows, err := db.ReadDB().QueryContext(t.Context(), q, args...)
	if err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("scan %s: %v", table, err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
			case []byte:
				row[i] = string(v)
			default:
				row[i] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// tables lists every table of the database.
func tables(t testing.TB, db *sqldb.DB) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table'"
	if db.Dialect == sqldb.Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	}
	rows, err := db.ReadDB().QueryContext(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		must(t, rows.Scan(&n))
		out = append(out, n)
	}
	must(t, rows.Err())
	if len(out) < 10 {
		t.Fatalf("found only tables %v", out)
	}
	return out
}

// rawColumn reads one column of one row.
func rawColumn(t testing.TB, db *sqldb.DB, table, col, id string) string {
	t.Helper()
	var s string
	if err := db.ReadDB().QueryRowContext(t.Context(), "SELECT "+col+" FROM "+table+" WHERE id = $1", id).Scan(&s); err != nil {
		t.Fatalf("read %s.%s: %v", table, col, err)
	}
	return s
}

// countRows counts the rows of a table, voided or not.
func countRows(t testing.TB, db *sqldb.DB, table string) int {
	t.Helper()
	var n int
	if err := db.ReadDB().QueryRowContext(t.Context(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// 1. Identifying fields are stored only encrypted: no table of the
// database holds the name, the phone or the identity number, whatever the
// spelling, and only the client's own page gives them back.
func TestClientIdentifyingFieldsEncryptedAtRest(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		const name, phone, idn = "Nguyễn Thị Hoa", "0912 345 678", "079 190 012 345"
		c := f.newClient("hpg", "Hoa Sen")
		c.LegalName, c.Phone, c.IDNumber = name, phone, idn
		must(t, f.Clients.CreateClient(pe, c))
		// Change every field once, so the update's audit entry and the new
		// ciphertexts are checked too.
		newName, newPhone := "Nguyễn Thị Hoà Bình", "0987 654 321"
		_, err := f.Clients.UpdateClient(pe, c.ID, caunoi.ClientUpdate{Version: 1, LegalName: &newName, Phone: &newPhone})
		must(t, err)

		secrets := []string{name, "Thị Hoa", newName, "912345678", "912 345 678", "987654321", "987 654 321",
			"079190012345", "079 190 012 345", "190012345", caunoi.Fold(name), caunoi.Fold(newName)}

		// The clients row: the sealed columns hold "v1.<key>.<…>", and no
		// column holds a plaintext.
		for _, col := range []string{"legal_name_enc", "phone_enc", "id_number_enc"} {
			v := rawColumn(t, db, "clients", col, c.ID)
			if !strings.HasPrefix(v, "v1."+db.Keys.CurrentID()+".") {
				t.Errorf("clients.%s = %q, want a value sealed with the current key", col, v)
			}
		}
		row := rawRows(t, db, "clients", "id = $1", c.ID)
		if len(row) != 1 {
			t.Fatalf("raw client rows = %d", len(row))
		}
		// Every table, every row, every column: the audit trail, the status
		// history and whatever else a later change adds.
		for _, table := range tables(t, db) {
			for _, r := range rawRows(t, db, table, "") {
				for i, v := range r {
					for _, s := range secrets {
						if strings.Contains(strings.ToLower(v), strings.ToLower(s)) {
							t.Errorf("table %s column %d holds %q in plaintext: %.120q", table, i, s, v)
						}
					}
				}
			}
		}

		// The client's own page gives the plaintexts back.
		got, err := f.Clients.FindClientByID(pe, c.ID)
		must(t, err)
		if got.LegalName != newName || got.Phone != newPhone || got.IDNumber != idn {
			t.Errorf("FindClientByID = %q %q %q, want %q %q %q", got.LegalName, got.Phone, got.IDNumber, newName, newPhone, idn)
		}
		// A province officer reading the page is audited too.
		if _, err := f.Clients.FindClientByID(f.As(caunoi.RoleProvinceOfficer, "hp"), c.ID); err != nil {
			t.Fatal(err)
		}
		if reads := f.auditEntries(caunoi.AuditFilter{EntityID: c.ID, Action: caunoi.ActionRead}); len(reads) != 2 {
			t.Errorf("audited reads = %d, want 2", len(reads))
		}

		// Lists carry no identifying field, neither in the structs nor in
		// their JSON.
		list, _, err := f.Clients.FindClients(pe, caunoi.ClientFilter{})
		must(t, err)
		if len(list) != 1 {
			t.Fatalf("FindClients = %d clients", len(list))
		}
		if l := list[0]; l.LegalName != "" || l.Phone != "" || l.IDNumber != "" {
			t.Errorf("FindClients carries %q %q %q", l.LegalName, l.Phone, l.IDNumber)
		}
		b, _ := json.Marshal(list)
		for _, k := range []string{"legal_name", "phone", "id_number"} {
			if strings.Contains(string(b), `"`+k+`"`) {
				t.Errorf("FindClients JSON has %s: %s", k, b)
			}
		}

		// The audit entries of the create and the update say "***".
		entries := f.auditEntries(caunoi.AuditFilter{EntityID: c.ID})
		seen := map[string]bool{}
		for _, e := range entries {
			for _, part := range []json.RawMessage{e.Before, e.After} {
				if len(part) == 0 {
					continue
				}
				var m map[string]any
				must(t, json.Unmarshal(part, &m))
				for _, k := range []string{"legal_name", "phone", "id_number"} {
					if v, ok := m[k]; ok && v != "***" {
						t.Errorf("audit %s %s: %s = %v", e.Action, e.Entity, k, v)
					}
				}
				if e.Action == caunoi.ActionCreate || e.Action == caunoi.ActionUpdate {
					if m["phone"] != "***" || m["legal_name"] != "***" {
						t.Errorf("audit %s does not mark the identifying fields: %s", e.Action, part)
					}
				}
			}
			seen[e.Action] = true
		}
		if !seen[caunoi.ActionCreate] || !seen[caunoi.ActionUpdate] {
			t.Errorf("audit actions of the client = %v, want create and update", seen)
		}
	})
}

// keyLine returns "id BASE64KEY" with a fresh random key.
func keyLine(id string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return id + " " + base64.StdEncoding.EncodeToString(b)
}

// 2. Keys rotate: a new current key encrypts, old keys still decrypt, an
// update re-encrypts, and a ring without the old key refuses to read
// rather than give a wrong value.
func TestClientKeyRotation(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		index, oldKey, newKey := keyLine("index"), keyLine("old2025"), keyLine("new2026")
		ringA, err := secure.ParseKeyring(oldKey + "\n" + index + "\n")
		must(t, err)
		ringB, err := secure.ParseKeyring(oldKey + "\n" + index + "\n" + newKey + "\n")
		must(t, err)
		ringNew, err := secure.ParseKeyring(index + "\n" + newKey + "\n")
		must(t, err)
		if ringB.CurrentID() != "new2026" {
			t.Fatalf("current key of ring B = %s", ringB.CurrentID())
		}

		db.Keys = ringA
		updated := f.newClient("hpg", "Hoa")
		updated.LegalName, updated.Phone, updated.IDNumber = "Lê Thị Hoa", "0912 345 678", "079190012345"
		must(t, f.Clients.CreateClient(pe, updated))
		kept := f.newClient("hpg", "Lan")
		kept.Phone = "0977 111 222"
		must(t, f.Clients.CreateClient(pe, kept))
		if v := rawColumn(t, db, "clients", "phone_enc", kept.ID); !strings.HasPrefix(v, "v1.old2025.") {
			t.Fatalf("phone sealed as %.30q, want the old key", v)
		}

		db.Keys = ringB
		for _, c := range []*caunoi.Client{updated, kept} {
			got, err := f.Clients.FindClientByID(pe, c.ID)
			must(t, err)
			if got.Phone != c.Phone || got.LegalName != c.LegalName || got.IDNumber != c.IDNumber {
				t.Errorf("after rotation %s reads %q %q %q", c.Nickname, got.LegalName, got.Phone, got.IDNumber)
			}
		}
		// The index secret is the same: lookups still find the old record.
		found, err := f.Clients.FindClientsByIdentifier(pe, "phone", "0977111222")
		must(t, err)
		if got := ids(found, clientID); !slices.Equal(got, []string{kept.ID}) {
			t.Errorf("lookup after rotation = %v", got)
		}
		// Any update, even of the nickname only, seals again with the new key.
		nick := "Hoa Mai"
		_, err = f.Clients.UpdateClient(pe, updated.ID, caunoi.ClientUpdate{Version: 1, Nickname: &nick})
		must(t, err)
		for _, col := range []string{"legal_name_enc", "phone_enc", "id_number_enc"} {
			if v := rawColumn(t, db, "clients", col, updated.ID); !strings.HasPrefix(v, "v1.new2026.") {
				t.Errorf("after update %s = %.30q, want v1.new2026.…", col, v)
			}
		}

		// Without the old key: the re-encrypted client reads, the other one
		// fails with an error, never with a wrong or empty value.
		db.Keys = ringNew
		got, err := f.Clients.FindClientByID(pe, updated.ID)
		must(t, err)
		if got.Phone != updated.Phone || got.LegalName != updated.LegalName {
			t.Errorf("re-encrypted client reads %q %q", got.LegalName, got.Phone)
		}
		got, err = f.Clients.FindClientByID(pe, kept.ID)
		if err == nil {
			t.Fatalf("a client sealed with a missing key reads: phone %q", got.Phone)
		}
		if !errors.Is(err, secure.ErrUnknownKey) || got != nil {
			t.Errorf("missing key: %v (client %v), want ErrUnknownKey and no client", err, got)
		}
		// And updating it fails too, rather than wiping its phone.
		_, err = f.Clients.UpdateClient(pe, kept.ID, caunoi.ClientUpdate{Version: 1, Nickname: &nick})
		if err == nil {
			t.Error("update of a client sealed with a missing key succeeded")
		}
		db.Keys = ringB
		got, err = f.Clients.FindClientByID(pe, kept.ID)
		must(t, err)
		if got.Phone != kept.Phone || got.Nickname != "Lan" {
			t.Errorf("after the refused update the client is %q %q", got.Nickname, got.Phone)
		}

		// Reencrypt finishes the rotation: only the system may run it; it
		// seals the client left on the old key, and then the ring without
		// the old key reads everyone.
		if _, err := db.Reencrypt(pe, 1); caunoi.ErrorCode(err) != caunoi.EFORBIDDEN {
			t.Errorf("a peer educator re-encrypted: %v", err)
		}
		n, err := db.Reencrypt(f.sys, 1) // batches of one: the paging is tested too
		must(t, err)
		if n != 1 {
			t.Errorf("re-encrypted %d clients, want 1 (the other is on the new key already)", n)
		}
		db.Keys = ringNew
		got, err = f.Clients.FindClientByID(pe, kept.ID)
		must(t, err)
		if got.Phone != kept.Phone {
			t.Errorf("after Reencrypt the phone reads %q", got.Phone)
		}
		if n, err := db.Reencrypt(f.sys, 10); err != nil || n != 0 {
			t.Errorf("a second Reencrypt changed %d clients: %v", n, err)
		}
	})
}

// 3. A phone or identity number is found only whole, through the blind
// index, and only in scope.
func TestFindClientsByIdentifier(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		hp := f.As(caunoi.RolePeerEducator, "hpg")
		qn := f.As(caunoi.RolePeerEducator, "qng")
		hoa := f.newClient("hpg", "Hoa")
		hoa.Phone, hoa.IDNumber = "0912 345 678", "079 190 012 345"
		must(t, f.Clients.CreateClient(hp, hoa))
		near := f.newClient("hpg", "Lan")
		near.Phone, near.IDNumber = "0912345679", "B1234567"
		must(t, f.Clients.CreateClient(hp, near))
		other := f.newClient("qng", "Mai")
		other.Phone, other.IDNumber = "0912-345-678", "079190012345"
		must(t, f.Clients.CreateClient(qn, other))
		voided := f.newClient("hpg", "Nhầm")
		voided.Phone = "0912345678"
		must(t, f.Clients.CreateClient(hp, voided))
		_, err := f.Clients.VoidClient(hp, voided.ID, 1, "nhập trùng")
		must(t, err)

		for _, tc := range []struct {
			ctx         context.Context
			who         string
			kind, value string
			want        []string
		}{
			{hp, "hp", "phone", "+84 912 345 678", []string{hoa.ID}},
			{hp, "hp", "phone", "0912.345.678", []string{hoa.ID}},
			{hp, "hp", "phone", "84912345678", []string{hoa.ID}},
			{hp, "hp", "phone", "0912345679", []string{near.ID}},
			{hp, "hp", "phone", "912345678", nil},
			{hp, "hp", "phone", "0912 345", nil},
			{hp, "hp", "phone", "345 678", nil},
			{qn, "qn", "phone", "+84 912 345 678", []string{other.ID}},
			{hp, "hp", "id_number", "079-190-012-345", []string{hoa.ID}},
			{hp, "hp", "id_number", "b 1234567", []string{near.ID}},
			{hp, "hp", "id_number", "079190", nil},
			{qn, "qn", "id_number", "079190012345", []string{other.ID}},
			{f.As(caunoi.RoleProvinceOfficer, "hp"), "hp officer", "phone", "0912345678", []string{hoa.ID}},
		} {
			got, err := f.Clients.FindClientsByIdentifier(tc.ctx, tc.kind, tc.value)
			if err != nil {
				t.Errorf("%s %s %q: %v", tc.who, tc.kind, tc.value, err)
				continue
			}
			if g := ids(got, clientID); !slices.Equal(g, sorted(tc.want...)) {
				t.Errorf("%s %s %q = %v, want %v", tc.who, tc.kind, tc.value, g, tc.want)
			}
			for _, c := range got {
				if c.Phone != "" || c.IDNumber != "" || c.LegalName != "" {
					t.Errorf("lookup returns identifying fields %q %q", c.Phone, c.IDNumber)
				}
			}
		}
		_, err = f.Clients.FindClientsByIdentifier(hp, "name", "Hoa")
		wantInvalid(t, err, "kind")
		_, err = f.Clients.FindClientsByIdentifier(hp, "phone", "  ")
		wantCode(t, err, caunoi.EINVALID)
		_, err = f.Clients.FindClientsByIdentifier(f.As(caunoi.RoleNationalOfficer, "nat"), "phone", "0912345678")
		wantCode(t, err, caunoi.EFORBIDDEN)
	})
}

// 4. The same UIC in two provinces: each side sees its own client and only
// the number of the others.
func TestMatchUICAcrossProvinces(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		hp := f.As(caunoi.RolePeerEducator, "hpg")
		qn := f.As(caunoi.RolePeerEducator, "qng")
		hpc := f.newClient("hpg", "Hoa Hải Phòng")
		hpc.UIC = "HOTU1998F"
		must(t, f.Clients.CreateClient(hp, hpc))
		qnc := f.newClient("qng", "Lan Hạ Long")
		qnc.UIC = "HOTU1998F"
		must(t, f.Clients.CreateClient(qn, qnc))
		solo := f.newClient("hpg", "Mai")
		solo.UIC = "MAHU1995F"
		must(t, f.Clients.CreateClient(hp, solo))

		m, err := f.Clients.MatchUIC(hp, " hotu1998f ")
		must(t, err)
		if got := ids(m.InScope, clientID); !slices.Equal(got, []string{hpc.ID}) || m.Elsewhere != 1 {
			t.Errorf("MatchUIC as Hải Phòng = %v elsewhere %d, want [%s] and 1", got, m.Elsewhere, hpc.ID)
		}
		b, err := json.Marshal(m)
		must(t, err)
		for _, leak := range []string{qnc.ID, qnc.Nickname, f.O("qng").ID, f.O("qn").ID, f.O("qng").Name, f.O("qng").Path} {
			if strings.Contains(string(b), leak) {
				t.Errorf("MatchUIC result reveals %q: %s", leak, b)
			}
		}
		if !strings.Contains(string(b), hpc.ID) {
			t.Errorf("MatchUIC JSON lacks the client in scope: %s", b)
		}

		m, err = f.Clients.MatchUIC(f.As(caunoi.RoleProvinceOfficer, "qn"), "HOTU1998F")
		must(t, err)
		if got := ids(m.InScope, clientID); !slices.Equal(got, []string{qnc.ID}) || m.Elsewhere != 1 {
			t.Errorf("MatchUIC as Quảng Ninh = %v elsewhere %d", got, m.Elsewhere)
		}
		m, err = f.Clients.MatchUIC(hp, "MAHU1995F")
		must(t, err)
		if got := ids(m.InScope, clientID); !slices.Equal(got, []string{solo.ID}) || m.Elsewhere != 0 {
			t.Errorf("MatchUIC of a client known once = %v elsewhere %d, want 0 elsewhere", got, m.Elsewhere)
		}
		m, err = f.Clients.MatchUIC(qn, "MAHU1995F")
		must(t, err)
		if len(m.InScope) != 0 || m.Elsewhere != 1 {
			t.Errorf("MatchUIC from the other province = %d in scope, %d elsewhere", len(m.InScope), m.Elsewhere)
		}
		m, err = f.Clients.MatchUIC(hp, "XXXX2000M")
		must(t, err)
		if len(m.InScope) != 0 || m.Elsewhere != 0 || m.InScope == nil {
			t.Errorf("MatchUIC of an unknown UIC = %+v", m)
		}
		// A voided record no longer counts.
		_, err = f.Clients.VoidClient(qn, qnc.ID, 1, "nhập trùng")
		must(t, err)
		m, err = f.Clients.MatchUIC(hp, "HOTU1998F")
		must(t, err)
		if len(m.InScope) != 1 || m.Elsewhere != 0 {
			t.Errorf("MatchUIC after voiding the other = %d in scope, %d elsewhere", len(m.InScope), m.Elsewhere)
		}

		for _, ctx := range []context.Context{f.As(caunoi.RoleNationalOfficer, "nat"), f.As(caunoi.RoleAdmin, "nat")} {
			_, err = f.Clients.MatchUIC(ctx, "HOTU1998F")
			wantCode(t, err, caunoi.EFORBIDDEN)
		}
		_, err = f.Clients.MatchUIC(hp, " ")
		wantInvalid(t, err, "uic")
	})
}

// 5. Every change of status is a dated line of the history.
func TestClientStatusHistory(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		realNow := db.Now
		at := func(daysBack int) func() time.Time {
			return func() time.Time { return realNow().AddDate(0, 0, -daysBack) }
		}
		db.Now = at(90)
		c := f.createClient(pe, "hpg", "Hoa")
		db.Now = at(60)
		exited := "exited"
		_, err := f.Clients.UpdateClient(pe, c.ID, caunoi.ClientUpdate{Version: 1, Status: &exited})
		must(t, err)
		nick := "Hoa Sen"
		_, err = f.Clients.UpdateClient(pe, c.ID, caunoi.ClientUpdate{Version: 2, Nickname: &nick}) // no status change: no line
		must(t, err)
		db.Now = realNow
		got, err := f.Clients.ChangeStatus(pe, c.ID, 3, caunoi.StatusChange{Status: "relapsed", ChangedOn: daysAgo(30), Note: "  tái sử dụng sau 2 tháng "})
		must(t, err)
		if got.Status != "relapsed" || got.Version != 4 {
			t.Errorf("ChangeStatus returned %s v%d", got.Status, got.Version)
		}

		read, err := f.Clients.FindClientByID(pe, c.ID)
		must(t, err)
		if read.Status != "relapsed" || read.Version != 4 {
			t.Errorf("client is %s v%d, want relapsed v4", read.Status, read.Version)
		}
		pick := func(h []caunoi.StatusChange) []string {
			var out []string
			for _, s := range h {
				out = append(out, s.Status+" "+dayTime(s.ChangedOn).Format(time.DateOnly)+" "+s.Note+" "+s.ChangedBy)
			}
			return out
		}
		by := "peer_educator.hpg"
		want := []string{
			"active " + dayTime(daysAgo(90)).Format(time.DateOnly) + "  " + by,
			"exited " + dayTime(daysAgo(60)).Format(time.DateOnly) + "  " + by,
			"relapsed " + dayTime(daysAgo(30)).Format(time.DateOnly) + " tái sử dụng sau 2 tháng " + by,
		}
		if got := pick(read.StatusHistory); !slices.Equal(got, want) {
			t.Errorf("status history =\n%q\nwant\n%q", got, want)
		}
		// The history is loaded with the page only, not with lists.
		list, _, err := f.Clients.FindClients(pe, caunoi.ClientFilter{})
		must(t, err)
		if len(list) != 1 || list[0].StatusHistory != nil {
			t.Errorf("list carries a status history")
		}

		_, err = f.Clients.ChangeStatus(pe, c.ID, 4, caunoi.StatusChange{Status: "active", ChangedOn: tomorrow()})
		wantInvalid(t, err, "changed_on")
		_, err = f.Clients.ChangeStatus(pe, c.ID, 4, caunoi.StatusChange{Status: "asleep", ChangedOn: daysAgo(1)})
		wantInvalid(t, err, "status")
		_, err = f.Clients.ChangeStatus(pe, c.ID, 3, caunoi.StatusChange{Status: "active", ChangedOn: daysAgo(1)})
		wantCode(t, err, caunoi.ECONFLICT)
		active := "active"
		_, err = f.Clients.UpdateClient(pe, c.ID, caunoi.ClientUpdate{Version: 2, Status: &active})
		wantCode(t, err, caunoi.ECONFLICT)
		_, err = f.Clients.ChangeStatus(f.As(caunoi.RolePeerEducator, "qng"), c.ID, 4, caunoi.StatusChange{Status: "active", ChangedOn: daysAgo(1)})
		wantCode(t, err, caunoi.ENOTFOUND)
		_, err = f.Clients.ChangeStatus(f.As(caunoi.RoleProvinceOfficer, "hp"), c.ID, 4, caunoi.StatusChange{Status: "active", ChangedOn: daysAgo(1)})
		wantCode(t, err, caunoi.EFORBIDDEN)
		read, err = f.Clients.FindClientByID(pe, c.ID)
		must(t, err)
		if len(read.StatusHistory) != 3 || read.Status != "relapsed" {
			t.Errorf("refused changes left %d lines, status %s", len(read.StatusHistory), read.Status)
		}
	})
}

// 6. Consent is per purpose, one active at a time, and can be withdrawn.
func TestConsents(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		qnPE := f.As(caunoi.RolePeerEducator, "qng")
		c := f.createClient(pe, "hpg", "Hoa")
		qc := f.createClient(qnPE, "qng", "Lan")

		services := &caunoi.Consent{ClientID: c.ID, Purpose: "services", GivenOn: daysAgo(20)}
		must(t, f.Clients.RecordConsent(pe, services))
		if services.RecordedBy != "peer_educator.hpg" || !services.Active() {
			t.Errorf("recorded consent = %+v", services)
		}
		sharing := &caunoi.Consent{ClientID: c.ID, Purpose: "referral_sharing", GivenOn: daysAgo(10)}
		must(t, f.Clients.RecordConsent(pe, sharing))
		err := f.Clients.RecordConsent(pe, &caunoi.Consent{ClientID: c.ID, Purpose: "services", GivenOn: daysAgo(5)})
		wantCode(t, err, caunoi.ECONFLICT)
		err = f.Clients.RecordConsent(pe, &caunoi.Consent{ClientID: c.ID, Purpose: "marketing", GivenOn: daysAgo(5)})
		wantInvalid(t, err, "purpose")
		err = f.Clients.RecordConsent(pe, &caunoi.Consent{ClientID: c.ID, Purpose: "follow_up_contact", GivenOn: tomorrow()})
		wantInvalid(t, err, "given_on")
		// Another province's client: not found, either way round.
		err = f.Clients.RecordConsent(pe, &caunoi.Consent{ClientID: qc.ID, Purpose: "services", GivenOn: daysAgo(1)})
		wantCode(t, err, caunoi.ENOTFOUND)
		_, err = f.Clients.WithdrawConsent(qnPE, services.ID, dayTime(daysAgo(1)))
		wantCode(t, err, caunoi.ENOTFOUND)

		// Withdrawal.
		_, err = f.Clients.WithdrawConsent(pe, sharing.ID, dayTime(daysAgo(11)))
		wantInvalid(t, err, "withdrawn_on")
		_, err = f.Clients.WithdrawConsent(pe, sharing.ID, dayTime(tomorrow()))
		wantInvalid(t, err, "withdrawn_on")
		w, err := f.Clients.WithdrawConsent(pe, services.ID, dayTime(daysAgo(3)))
		must(t, err)
		if w.Active() || !sameDay(w.WithdrawnOn, daysAgo(3)) || w.WithdrawnBy != "peer_educator.hpg" {
			t.Errorf("withdrawn consent = %+v", w)
		}
		_, err = f.Clients.WithdrawConsent(pe, services.ID, dayTime(daysAgo(2)))
		wantCode(t, err, caunoi.ECONFLICT)
		// The withdrawal is audited under the client's organisation, so the
		// province's administrator sees it.
		es := f.auditEntries(caunoi.AuditFilter{EntityID: services.ID, Action: caunoi.ActionRevoke})
		if len(es) != 1 || es[0].OrgPath != f.O("hpg").Path {
			t.Errorf("withdrawal audit entries = %d, org path %q", len(es), func() string {
				if len(es) > 0 {
					return es[0].OrgPath
				}
				return ""
			}())
		}

		// After the withdrawal, the purpose can be agreed to again.
		again := &caunoi.Consent{ClientID: c.ID, Purpose: "services", GivenOn: daysAgo(1)}
		must(t, f.Clients.RecordConsent(pe, again))

		read, err := f.Clients.FindClientByID(pe, c.ID)
		must(t, err)
		type line struct {
			id, purpose string
			active      bool
		}
		var got []line
		for _, k := range read.Consents {
			got = append(got, line{k.ID, k.Purpose, k.Active()})
			if k.ID == services.ID && (!sameDay(k.WithdrawnOn, daysAgo(3)) || k.WithdrawnBy != "peer_educator.hpg") {
				t.Errorf("stored withdrawal = %v by %q", k.WithdrawnOn, k.WithdrawnBy)
			}
		}
		want := []line{{services.ID, "services", false}, {sharing.ID, "referral_sharing", true}, {again.ID, "services", true}}
		if !slices.Equal(got, want) {
			t.Errorf("consents = %v, want %v", got, want)
		}
		// A province officer reads, but may not record.
		err = f.Clients.RecordConsent(f.As(caunoi.RoleProvinceOfficer, "hp"), &caunoi.Consent{ClientID: c.ID, Purpose: "follow_up_contact", GivenOn: daysAgo(1)})
		wantCode(t, err, caunoi.EFORBIDDEN)
	})
}

// 7. Memberships of groups.
func TestMemberships(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		c := f.createClient(pe, "hpg", "Hoa")

		m := &caunoi.Membership{ClientID: c.ID, OrgID: f.O("hpg").ID, Role: "peer_educator", JoinedOn: daysAgo(100)}
		must(t, f.Clients.AddMembership(pe, m))
		if m.OrgName != f.O("hpg").Name {
			t.Errorf("membership org name %q", m.OrgName)
		}
		err := f.Clients.AddMembership(pe, &caunoi.Membership{ClientID: c.ID, OrgID: f.O("hpg").ID, Role: "member", JoinedOn: daysAgo(50)})
		wantCode(t, err, caunoi.ECONFLICT)
		// A province is not a group, even for the system.
		err = f.Clients.AddMembership(f.sys, &caunoi.Membership{ClientID: c.ID, OrgID: f.O("hp").ID, Role: "member", JoinedOn: daysAgo(5)})
		wantInvalid(t, err, "org_id")
		// Another province's group is out of scope.
		err = f.Clients.AddMembership(pe, &caunoi.Membership{ClientID: c.ID, OrgID: f.O("qng").ID, Role: "member", JoinedOn: daysAgo(5)})
		wantInvalid(t, err, "org_id")
		err = f.Clients.AddMembership(pe, &caunoi.Membership{ClientID: c.ID, OrgID: f.O("hpg").ID, Role: "president", JoinedOn: daysAgo(5)})
		wantInvalid(t, err, "role")
		err = f.Clients.AddMembership(pe, &caunoi.Membership{ClientID: c.ID, OrgID: f.O("hpg").ID, Role: "member", JoinedOn: tomorrow()})
		wantInvalid(t, err, "joined_on")

		_, err = f.Clients.EndMembership(pe, m.ID, dayTime(daysAgo(101)))
		wantInvalid(t, err, "left_on")
		_, err = f.Clients.EndMembership(f.As(caunoi.RolePeerEducator, "qng"), m.ID, dayTime(daysAgo(10)))
		wantCode(t, err, caunoi.ENOTFOUND)
		ended, err := f.Clients.EndMembership(pe, m.ID, dayTime(daysAgo(10)))
		must(t, err)
		if !sameDay(ended.LeftOn, daysAgo(10)) {
			t.Errorf("left on %v", ended.LeftOn)
		}
		_, err = f.Clients.EndMembership(pe, m.ID, dayTime(daysAgo(5)))
		wantCode(t, err, caunoi.ECONFLICT)
		if es := f.auditEntries(caunoi.AuditFilter{EntityID: m.ID, Action: caunoi.ActionUpdate}); len(es) != 1 || es[0].OrgPath != f.O("hpg").Path {
			t.Errorf("end of membership audited %d times, org path %v", len(es), ids(es, func(e *caunoi.AuditEntry) string { return e.OrgPath }))
		}
		// Rejoining after leaving is a new membership.
		back := &caunoi.Membership{ClientID: c.ID, OrgID: f.O("hpg").ID, Role: "member", JoinedOn: daysAgo(2)}
		must(t, f.Clients.AddMembership(pe, back))

		read, err := f.Clients.FindClientByID(pe, c.ID)
		must(t, err)
		if len(read.Memberships) != 2 || read.Memberships[0].ID != m.ID || read.Memberships[0].LeftOn == nil ||
			read.Memberships[1].ID != back.ID || read.Memberships[1].LeftOn != nil || read.Memberships[1].OrgName != f.O("hpg").Name {
			t.Errorf("memberships = %+v", read.Memberships)
		}
	})
}

// newPlace returns a karaoke bar of the organisation, inside Hải Phòng.
func newPlace(f *fixture, orgKey, name string) *caunoi.Place {
	return &caunoi.Place{OrgID: f.O(orgKey).ID, Kind: caunoi.PlaceEstablishment, Type: "karaoke", Name: name,
		Address: "Lạch Tray, Ngô Quyền", Lat: ptr(20.8449), Lng: ptr(106.6881), EstimatedWorkers: 12}
}

// createPlace maps a place as the actor of ctx.
func (f *fixture) createPlace(ctx context.Context, orgKey, name string) *caunoi.Place {
	f.tb.Helper()
	p := newPlace(f, orgKey, name)
	if err := f.Places.CreatePlace(ctx, p); err != nil {
		f.tb.Fatalf("create place %s: %v", name, err)
	}
	return p
}

// 8. Places and the visits made to them.
func TestPlacesAndVisits(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		qnPE := f.As(caunoi.RolePeerEducator, "qng")
		p := f.createPlace(pe, "hpg", "Karaoke Hoa Hồng")
		got, err := f.Places.FindPlaceByID(pe, p.ID)
		must(t, err)
		if got.Kind != caunoi.PlaceEstablishment || got.Type != "karaoke" || got.Lat == nil || *got.Lat != 20.8449 || *got.Lng != 106.6881 ||
			got.EstimatedWorkers != 12 || got.OrgID != f.O("hpg").ID || got.Version != 1 {
			t.Errorf("stored place = %+v", got)
		}
		for _, bad := range []struct {
			lat, lng *float64
			field    string
		}{
			{ptr(48.85), ptr(2.35), "lat"},   // Paris
			{ptr(20.84), nil, "lat"},         // half a position
			{ptr(-20.84), ptr(106.6), "lat"}, // the wrong hemisphere
		} {
			bp := newPlace(f, "hpg", "Ngoài biên")
			bp.Lat, bp.Lng = bad.lat, bad.lng
			wantInvalid(t, f.Places.CreatePlace(pe, bp), bad.field)
		}
		bp := newPlace(f, "hpg", "Sai loại")
		bp.Kind = "shop"
		wantInvalid(t, f.Places.CreatePlace(pe, bp), "kind")
		wantInvalid(t, f.Places.CreatePlace(pe, newPlace(f, "qng", "Ngoài phạm vi")), "org_id")
		wantCode(t, f.Places.CreatePlace(f.As(caunoi.RoleProvinceOfficer, "hp"), newPlace(f, "hpg", "Cán bộ")), caunoi.EFORBIDDEN)
		qp := f.createPlace(qnPE, "qng", "Nhà nghỉ Bãi Cháy")

		v := &caunoi.Visit{PlaceID: p.ID, VisitedOn: daysAgo(3), Purposes: []string{"labour_law", "commodities", "labour_law"},
			Commodities: map[string]int{"condom": 200, "leaflet": 30}, Notes: "Gặp chủ quán"}
		must(t, f.Places.RecordVisit(pe, v))
		if v.WorkerID != f.U(caunoi.RolePeerEducator, "hpg").ID || v.OrgPath != f.O("hpg").Path {
			t.Errorf("visit worker %s path %s", v.WorkerID, v.OrgPath)
		}
		for _, bad := range []struct {
			v     *caunoi.Visit
			field string
		}{
			{&caunoi.Visit{PlaceID: p.ID, VisitedOn: daysAgo(1), Purposes: []string{"survey"}, Commodities: map[string]int{"condom": -5}}, "commodities"},
			{&caunoi.Visit{PlaceID: p.ID, VisitedOn: tomorrow(), Purposes: []string{"survey"}}, "visited_on"},
			{&caunoi.Visit{PlaceID: p.ID, VisitedOn: daysAgo(1)}, "purposes"},
			{&caunoi.Visit{PlaceID: qp.ID, VisitedOn: daysAgo(1), Purposes: []string{"survey"}}, "place_id"},
		} {
			wantInvalid(t, f.Places.RecordVisit(pe, bad.v), bad.field)
		}
		qv := &caunoi.Visit{PlaceID: qp.ID, VisitedOn: daysAgo(2), Purposes: []string{"health_info"}}
		must(t, f.Places.RecordVisit(qnPE, qv))

		visits, n, err := f.Places.FindVisits(pe, caunoi.VisitFilter{})
		must(t, err)
		if n != 1 || len(visits) != 1 || visits[0].ID != v.ID {
			t.Fatalf("Hải Phòng visits = %d %v", n, ids(visits, func(v *caunoi.Visit) string { return v.ID }))
		}
		gv := visits[0]
		if !slices.Equal(gv.Purposes, []string{"commodities", "labour_law"}) || gv.Commodities["condom"] != 200 || gv.Commodities["leaflet"] != 30 ||
			dayTime(gv.VisitedOn).Format(time.DateOnly) != dayTime(daysAgo(3)).Format(time.DateOnly) || gv.Notes != "Gặp chủ quán" {
			t.Errorf("stored visit = %+v", gv)
		}
		visits, _, err = f.Places.FindVisits(qnPE, caunoi.VisitFilter{PlaceID: p.ID})
		must(t, err)
		if len(visits) != 0 {
			t.Errorf("Quảng Ninh sees Hải Phòng's visits")
		}
		from, to := dayTime(daysAgo(2)), dayTime(daysAgo(0))
		visits, _, err = f.Places.FindVisits(pe, caunoi.VisitFilter{From: &from, To: &to})
		must(t, err)
		if len(visits) != 0 {
			t.Errorf("visits from 2 days ago = %d, want 0 (the visit was 3 days ago)", len(visits))
		}

		places, n, err := f.Places.FindPlaces(pe, caunoi.PlaceFilter{Query: "hoa hong"})
		must(t, err)
		if n != 1 || places[0].ID != p.ID {
			t.Errorf("FindPlaces by folded name = %d", n)
		}
		places, _, err = f.Places.FindPlaces(qnPE, caunoi.PlaceFilter{})
		must(t, err)
		if got := ids(places, func(p *caunoi.Place) string { return p.ID }); !slices.Equal(got, []string{qp.ID}) {
			t.Errorf("Quảng Ninh places = %v", got)
		}
		_, err = f.Places.FindPlaceByID(qnPE, p.ID)
		wantCode(t, err, caunoi.ENOTFOUND)

		// Voiding hides the place from lists, keeps it readable and stops
		// new visits and contacts.
		_, err = f.Places.VoidPlace(pe, p.ID, 1, "")
		wantInvalid(t, err, "reason")
		_, err = f.Places.VoidPlace(qnPE, p.ID, 1, "đóng cửa")
		wantCode(t, err, caunoi.ENOTFOUND)
		vp, err := f.Places.VoidPlace(pe, p.ID, 1, "quán đã đóng cửa")
		must(t, err)
		if !vp.Voided() || vp.Version != 2 {
			t.Errorf("voided place = %+v", vp)
		}
		_, err = f.Places.VoidPlace(pe, p.ID, 2, "lần nữa")
		wantCode(t, err, caunoi.ECONFLICT)
		if _, n, _ := f.Places.FindPlaces(pe, caunoi.PlaceFilter{}); n != 0 {
			t.Errorf("voided place still listed")
		}
		got, err = f.Places.FindPlaceByID(pe, p.ID)
		must(t, err)
		if !got.Voided() || got.VoidReason != "quán đã đóng cửa" {
			t.Errorf("voided place reads %+v", got.Voiding)
		}
		wantInvalid(t, f.Places.RecordVisit(pe, &caunoi.Visit{PlaceID: p.ID, VisitedOn: daysAgo(1), Purposes: []string{"survey"}}), "place_id")
		k := f.newContact("hpg")
		k.PlaceID = p.ID
		wantInvalid(t, f.Contacts.CreateContact(pe, k), "place_id")
	})
}

// 9. Contacts carry a place and topics, and are found by population.
func TestContactPlaceTopicsPopulation(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		f.addOrg("hpg2", "hp", &caunoi.Organisation{Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupPeer, Name: "Nhóm đồng đẳng Kiến An"})
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		p := f.createPlace(pe, "hpg", "Karaoke Hoa Hồng")
		neighbour := newPlace(f, "hpg2", "Karaoke Kiến An")
		must(t, f.Places.CreatePlace(f.sys, neighbour))
		qp := f.createPlace(f.As(caunoi.RolePeerEducator, "qng"), "qng", "Nhà nghỉ Bãi Cháy")

		hoa := f.createClient(pe, "hpg", "Hoa") // sex work
		tuan := f.newClient("hpg", "Tuấn")
		tuan.Sex, tuan.Populations = "male", []caunoi.Population{caunoi.PopDrugUse, caunoi.PopPLHIV}
		must(t, f.Clients.CreateClient(pe, tuan))

		anonSW := f.newContact("hpg")
		anonSW.PlaceID, anonSW.Place, anonSW.Topics = p.ID, "", []string{"srh", "hiv_sti", "srh"}
		must(t, f.Contacts.CreateContact(pe, anonSW))
		ofHoa := f.newContact("hpg")
		ofHoa.ClientID, ofHoa.Topics = hoa.ID, []string{"gbv"}
		must(t, f.Contacts.CreateContact(pe, ofHoa))
		ofTuan := f.newContact("hpg")
		ofTuan.ClientID, ofTuan.Topics = tuan.ID, []string{"harm_reduction"}
		must(t, f.Contacts.CreateContact(pe, ofTuan))
		anonDU := f.newContact("hpg")
		anonDU.AnonSex, anonDU.AnonPopulation = "male", caunoi.PopDrugUse
		must(t, f.Contacts.CreateContact(pe, anonDU))
		// Another province's sex-work contact, never in Hải Phòng's lists.
		must(t, f.Contacts.CreateContact(f.As(caunoi.RolePeerEducator, "qng"), f.newContact("qng")))

		list, _, err := f.Contacts.FindContacts(pe, caunoi.ContactFilter{PlaceID: p.ID})
		must(t, err)
		if len(list) != 1 || list[0].ID != anonSW.ID {
			t.Fatalf("contacts at the place = %v", ids(list, contactID))
		}
		if k := list[0]; k.PlaceID != p.ID || k.Place != p.Name || !slices.Equal(k.Topics, []string{"hiv_sti", "srh"}) {
			t.Errorf("stored contact place %q %q topics %v", k.PlaceID, k.Place, k.Topics)
		}

		for _, tc := range []struct {
			pop  caunoi.Population
			want []string
		}{
			{caunoi.PopSexWork, []string{anonSW.ID, ofHoa.ID}},
			{caunoi.PopDrugUse, []string{ofTuan.ID, anonDU.ID}},
			{caunoi.PopPLHIV, []string{ofTuan.ID}},
			{caunoi.PopFamily, nil},
		} {
			list, n, err := f.Contacts.FindContacts(pe, caunoi.ContactFilter{Population: tc.pop})
			if err != nil {
				t.Errorf("population %s: %v", tc.pop, err)
				continue
			}
			if got := ids(list, contactID); !slices.Equal(got, sorted(tc.want...)) || n != len(tc.want) {
				t.Errorf("population %s = %d %v, want %v", tc.pop, n, got, tc.want)
			}
		}

		// A place of a neighbouring group, or of another province, is not a
		// place of this contact.
		k := f.newContact("hpg")
		k.PlaceID = neighbour.ID
		wantInvalid(t, f.Contacts.CreateContact(pe, k), "place_id")
		k = f.newContact("hpg")
		k.PlaceID, k.WorkerID = neighbour.ID, f.U(caunoi.RolePeerEducator, "hpg").ID
		wantInvalid(t, f.Contacts.CreateContact(f.sys, k), "place_id")
		k = f.newContact("hpg")
		k.PlaceID = qp.ID
		wantInvalid(t, f.Contacts.CreateContact(pe, k), "place_id")
		k = f.newContact("hpg")
		k.Topics = []string{"gossip"}
		wantInvalid(t, f.Contacts.CreateContact(pe, k), "topics")
		if _, n, _ := f.Contacts.FindContacts(pe, caunoi.ContactFilter{}); n != 4 {
			t.Errorf("Hải Phòng contacts after refused creates = %d, want 4", n)
		}
	})
}

// 10. Seed 003 tells of "42 topic sessions with 1,056 participants": the
// numbers come back whole, across pages.
func TestActivitiesParticipants(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		gl := f.As(caunoi.RoleGroupLeader, "hpg")
		var members []*caunoi.Client
		for i := range 5 {
			members = append(members, f.createClient(gl, "hpg", fmt.Sprintf("Thành viên %d", i+1)))
		}
		// Named attendance 1…5 in turn (123 in all) and 933 anonymous
		// heads: 22 each and one more in the first 9 sessions.
		const sessions, participants = 42, 1056
		var created []*caunoi.Activity
		named := 0
		for i := range sessions {
			n := i%5 + 1
			a := &caunoi.Activity{OrgID: f.O("hpg").ID, Kind: "communication", HeldOn: daysAgo(2 + 3*i),
				Title: fmt.Sprintf("Truyền thông chuyên đề số %d", i+1), Topics: []string{"hiv_sti", "gbv"}, Place: "Nhà văn hoá phường",
				AnonFemale: 16, AnonMale: 6}
			if i < 9 {
				a.AnonOther = 1
			}
			for _, m := range members[:n] {
				a.Attendees = append(a.Attendees, m.ID)
			}
			named += n
			must(t, f.Activities.CreateActivity(gl, a))
			created = append(created, a)
		}
		if named != 123 {
			t.Fatalf("named attendance %d", named)
		}
		// A meeting of another kind and another province's session do not count.
		must(t, f.Activities.CreateActivity(gl, &caunoi.Activity{OrgID: f.O("hpg").ID, Kind: "group_meeting", HeldOn: daysAgo(1),
			Title: "Sinh hoạt nhóm", AnonFemale: 7}))
		must(t, f.Activities.CreateActivity(f.As(caunoi.RoleGroupLeader, "qng"), &caunoi.Activity{OrgID: f.O("qng").ID, Kind: "communication",
			HeldOn: daysAgo(1), Title: "Truyền thông Hạ Long", AnonFemale: 50}))

		sum, seen, total := 0, map[string]bool{}, -1
		for offset := 0; ; offset += 10 {
			page, n, err := f.Activities.FindActivities(gl, caunoi.ActivityFilter{Kind: "communication", Page: caunoi.Page{Offset: offset, Limit: 10}})
			must(t, err)
			total = n
			if len(page) == 0 {
				break
			}
			for _, a := range page {
				if seen[a.ID] {
					t.Errorf("activity %s on two pages", a.ID)
				}
				seen[a.ID] = true
				sum += a.Participants()
			}
		}
		if total != sessions || len(seen) != sessions || sum != participants {
			t.Errorf("communication sessions: total %d, listed %d, participants %d; want %d and %d", total, len(seen), sum, sessions, participants)
		}
		// The province sees the same numbers.
		_, n, err := f.Activities.FindActivities(f.As(caunoi.RoleProvinceOfficer, "hp"), caunoi.ActivityFilter{Kind: "communication"})
		must(t, err)
		if n != sessions {
			t.Errorf("province officer counts %d sessions", n)
		}
		// Attendance of one member.
		_, n, err = f.Activities.FindActivities(gl, caunoi.ActivityFilter{ClientID: members[4].ID})
		must(t, err)
		if n != 8 { // sessions 5, 10, …, 40
			t.Errorf("sessions attended by the fifth member = %d, want 8", n)
		}

		got, err := f.Activities.FindActivityByID(gl, created[4].ID)
		must(t, err)
		if want := ids(members, clientID); !slices.Equal(got.Attendees, want) || got.Participants() != 5+23 {
			t.Errorf("attendees = %v (participants %d), want %v", got.Attendees, got.Participants(), want)
		}
		if !slices.Equal(got.Topics, []string{"gbv", "hiv_sti"}) || got.Kind != "communication" || got.Title != "Truyền thông chuyên đề số 5" {
			t.Errorf("stored activity = %+v", got)
		}

		qc := f.createClient(f.As(caunoi.RolePeerEducator, "qng"), "qng", "Lan")
		err = f.Activities.CreateActivity(gl, &caunoi.Activity{OrgID: f.O("hpg").ID, Kind: "communication", HeldOn: daysAgo(1),
			Title: "Có khách tỉnh khác", Attendees: []string{members[0].ID, qc.ID}})
		wantInvalid(t, err, "attendees")
		err = f.Activities.CreateActivity(gl, &caunoi.Activity{OrgID: f.O("hpg").ID, Kind: "communication", HeldOn: daysAgo(1),
			Title: "Không ai đến"})
		wantInvalid(t, err, "attendees")
		err = f.Activities.CreateActivity(gl, &caunoi.Activity{OrgID: f.O("hpg").ID, Kind: "communication", HeldOn: tomorrow(),
			Title: "Ngày mai", AnonMale: 3})
		wantInvalid(t, err, "held_on")
		if _, n, _ := f.Activities.FindActivities(gl, caunoi.ActivityFilter{}); n != sessions+1 {
			t.Errorf("activities after refused creates = %d, want %d", n, sessions+1)
		}
	})
}

// 12. Every list of field work keeps to the actor's subtree.
func TestFieldWorkScope(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		f.allUsers()
		type side struct {
			place, visit, activity, anon, ofClient string
			worker                                 string
		}
		seed := func(g string) side {
			pe := f.As(caunoi.RolePeerEducator, g)
			p := f.createPlace(pe, g, "Điểm "+g)
			v := &caunoi.Visit{PlaceID: p.ID, VisitedOn: daysAgo(5), Purposes: []string{"survey"}}
			must(t, f.Places.RecordVisit(pe, v))
			a := &caunoi.Activity{OrgID: f.O(g).ID, Kind: "group_meeting", HeldOn: daysAgo(4), Title: "Sinh hoạt " + g, AnonFemale: 3}
			must(t, f.Activities.CreateActivity(pe, a))
			anon := f.newContact(g)
			anon.PlaceID, anon.At = p.ID, time.Now().Add(-48*time.Hour)
			must(t, f.Contacts.CreateContact(pe, anon))
			c := f.createClient(pe, g, "Khách "+g)
			k := f.newContact(g)
			k.ClientID, k.At = c.ID, time.Now().Add(-72*time.Hour)
			must(t, f.Contacts.CreateContact(pe, k))
			return side{p.ID, v.ID, a.ID, anon.ID, k.ID, f.U(caunoi.RolePeerEducator, g).ID}
		}
		hp, qn := seed("hpg"), seed("qng")

		placeID := func(p *caunoi.Place) string { return p.ID }
		visitID := func(v *caunoi.Visit) string { return v.ID }
		activityID := func(a *caunoi.Activity) string { return a.ID }
		from, to := time.Now().Add(-60*time.Hour), time.Now()
		for _, tc := range []struct {
			role caunoi.Role
			org  string
			own  *side
		}{
			{caunoi.RoleAdmin, "nat", nil},
			{caunoi.RoleNationalOfficer, "nat", nil},
			{caunoi.RoleProvinceOfficer, "hp", &hp},
			{caunoi.RoleProvinceOfficer, "qn", &qn},
			{caunoi.RoleGroupLeader, "hpg", &hp},
			{caunoi.RolePeerEducator, "qng", &qn},
			{caunoi.RoleOutreachWorker, "hpg", &hp},
			{caunoi.RoleOutreachWorker, "qng", &qn},
		} {
			ctx := f.As(tc.role, tc.org)
			name := string(tc.role) + "@" + tc.org
			var errCode caunoi.Code
			own := side{}
			if tc.own == nil {
				errCode = caunoi.EFORBIDDEN
			} else {
				own = *tc.own
			}
			one := func(s string) []string {
				if s == "" {
					return nil
				}
				return []string{s}
			}
			places, n, err := f.Places.FindPlaces(ctx, caunoi.PlaceFilter{})
			checkList(t, name+" FindPlaces", err, errCode, ids(places, placeID), n, one(own.place))
			visits, n, err := f.Places.FindVisits(ctx, caunoi.VisitFilter{})
			checkList(t, name+" FindVisits", err, errCode, ids(visits, visitID), n, one(own.visit))
			acts, n, err := f.Activities.FindActivities(ctx, caunoi.ActivityFilter{})
			checkList(t, name+" FindActivities", err, errCode, ids(acts, activityID), n, one(own.activity))
			ks, n, err := f.Contacts.FindContacts(ctx, caunoi.ContactFilter{})
			checkList(t, name+" FindContacts", err, errCode, ids(ks, contactID), n, sorted(append(one(own.anon), one(own.ofClient)...)...))
			ks, n, err = f.Contacts.FindContacts(ctx, caunoi.ContactFilter{Population: caunoi.PopSexWork})
			checkList(t, name+" FindContacts population", err, errCode, ids(ks, contactID), n, sorted(append(one(own.anon), one(own.ofClient)...)...))
			ks, n, err = f.Contacts.FindContacts(ctx, caunoi.ContactFilter{From: &from, To: &to})
			checkList(t, name+" FindContacts from/to", err, errCode, ids(ks, contactID), n, one(own.anon))
			// Filters naming the other side's place or worker find nothing.
			for _, other := range []side{hp, qn} {
				if tc.own != nil && other.place == own.place {
					continue
				}
				ks, n, err = f.Contacts.FindContacts(ctx, caunoi.ContactFilter{PlaceID: other.place})
				checkList(t, name+" FindContacts other place", err, errCode, ids(ks, contactID), n, nil)
				ks, n, err = f.Contacts.FindContacts(ctx, caunoi.ContactFilter{WorkerID: other.worker})
				checkList(t, name+" FindContacts other worker", err, errCode, ids(ks, contactID), n, nil)
				visits, n, err = f.Places.FindVisits(ctx, caunoi.VisitFilter{PlaceID: other.place})
				checkList(t, name+" FindVisits other place", err, errCode, ids(visits, visitID), n, nil)
			}
			if tc.own != nil {
				ks, n, err = f.Contacts.FindContacts(ctx, caunoi.ContactFilter{PlaceID: own.place, WorkerID: own.worker})
				checkList(t, name+" FindContacts own place", err, "", ids(ks, contactID), n, one(own.anon))
				_, err = f.Places.FindPlaceByID(ctx, own.place)
				must(t, err)
				_, err = f.Activities.FindActivityByID(ctx, own.activity)
				must(t, err)
			}
			// The other side's records by id: not found (or forbidden).
			for _, other := range []side{hp, qn} {
				if tc.own != nil && other.place == own.place {
					continue
				}
				_, err = f.Places.FindPlaceByID(ctx, other.place)
				if c := caunoi.ErrorCode(err); c != caunoi.ENOTFOUND && c != caunoi.EFORBIDDEN {
					t.Errorf("%s FindPlaceByID of another side: %v", name, err)
				}
				_, err = f.Activities.FindActivityByID(ctx, other.activity)
				if c := caunoi.ErrorCode(err); c != caunoi.ENOTFOUND && c != caunoi.EFORBIDDEN {
					t.Errorf("%s FindActivityByID of another side: %v", name, err)
				}
			}
		}
		// An organisation filter outside the scope is "not found".
		qnOfficer := f.As(caunoi.RoleProvinceOfficer, "qn")
		_, _, err := f.Places.FindPlaces(qnOfficer, caunoi.PlaceFilter{OrgID: f.O("hpg").ID})
		wantCode(t, err, caunoi.ENOTFOUND)
		_, _, err = f.Activities.FindActivities(qnOfficer, caunoi.ActivityFilter{OrgID: f.O("hpg").ID})
		wantCode(t, err, caunoi.ENOTFOUND)
		_, _, err = f.Contacts.FindContacts(qnOfficer, caunoi.ContactFilter{OrgID: f.O("hpg").ID})
		wantCode(t, err, caunoi.ENOTFOUND)
		// sql.ErrNoRows never leaks as an internal error.
		_, err = f.Activities.FindActivityByID(qnOfficer, caunoi.NewID())
		if errors.Is(err, sql.ErrNoRows) || caunoi.ErrorCode(err) != caunoi.ENOTFOUND {
			t.Errorf("unknown activity: %v", err)
		}
	})
}
