package sqldb_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// rowErrs returns the errors of an import as "row field" lines.
func rowErrs(res *caunoi.ImportResult) []string {
	var out []string
	for _, e := range res.Errors {
		out = append(out, fmt.Sprintf("%d %s", e.Row, e.Field))
	}
	return out
}

// checkImport checks the numbers and the errors of an import.
func checkImport(t *testing.T, name string, res *caunoi.ImportResult, err error, rows, imported, skipped int, errs ...string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if res.Rows != rows || res.Imported != imported || res.Skipped != skipped || !slices.Equal(rowErrs(res), errs) {
		t.Errorf("%s = rows %d, imported %d, skipped %d, errors %q; want %d, %d, %d, %q",
			name, res.Rows, res.Imported, res.Skipped, rowErrs(res), rows, imported, skipped, errs)
	}
}

// 11. The registers groups keep in Excel: bad rows are reported by row and
// field, nothing is stored unless asked, and a file imported twice is
// stored once.
func TestImportContacts(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		peID := f.U(caunoi.RolePeerEducator, "hpg").ID
		// file returns the five rows of the file as the parser gives them:
		// new records every time. Rows 3 and 5 are bad.
		file := func() []caunoi.ImportRow[*caunoi.Contact] {
			var rows []caunoi.ImportRow[*caunoi.Contact]
			for i := range 5 {
				k := f.newContact("hpg")
				k.At = time.Now().Add(-time.Duration(i+1) * 24 * time.Hour).Truncate(time.Second)
				k.Topics = []string{"hiv_sti"}
				switch i {
				case 1:
					k.At = time.Now().Add(48 * time.Hour) // row 3: in the future
				case 3:
					k.Commodities = map[string]int{"condom": -1} // row 5: a negative quantity
				}
				rows = append(rows, caunoi.ImportRow[*caunoi.Contact]{Row: i + 2, Key: fmt.Sprintf("k%d", i+1), Record: k})
			}
			return rows
		}
		stored := func() int { return countRows(t, db, "contacts") }
		imports := func() int {
			return len(f.auditEntries(caunoi.AuditFilter{Action: caunoi.ActionImport, Entity: "contact"}))
		}

		res, err := f.Imports.ImportContacts(pe, file(), caunoi.ImportOptions{DryRun: true})
		checkImport(t, "dry run", res, err, 5, 3, 0, "3 at", "5 commodities")
		if n := stored(); n != 0 {
			t.Errorf("a dry run stored %d contacts", n)
		}
		res, err = f.Imports.ImportContacts(pe, file(), caunoi.ImportOptions{})
		checkImport(t, "import with bad rows", res, err, 5, 0, 0, "3 at", "5 commodities")
		if n := stored(); n != 0 || imports() != 0 {
			t.Errorf("an import with bad rows stored %d contacts, %d audit entries", n, imports())
		}

		first := file()
		res, err = f.Imports.ImportContacts(pe, first, caunoi.ImportOptions{KeepGood: true})
		checkImport(t, "import keeping the good rows", res, err, 5, 3, 0, "3 at", "5 commodities")
		if n := stored(); n != 3 || imports() != 1 {
			t.Errorf("after keeping the good rows: %d contacts, %d import audit entries; want 3 and 1", n, imports())
		}
		// The import is audited under the group it was for, so the
		// province's administrators see it too.
		if e := f.auditEntries(caunoi.AuditFilter{Action: caunoi.ActionImport, Entity: "contact"}); len(e) != 1 || e[0].OrgPath == "" || e[0].OrgPath != first[0].Record.OrgPath {
			t.Errorf("import audit entries = %+v, want one under the group", e)
		}
		list, n, err := f.Contacts.FindContacts(pe, caunoi.ContactFilter{WorkerID: peID})
		must(t, err)
		want := []string{first[0].Record.ID, first[2].Record.ID, first[4].Record.ID}
		if got := ids(list, contactID); n != 3 || !slices.Equal(got, sorted(want...)) {
			t.Errorf("imported contacts = %v, want rows 2, 4 and 6 %v", got, want)
		}
		for _, k := range list {
			if k.WorkerID != peID || !slices.Equal(k.Topics, []string{"hiv_sti"}) || k.Commodities["condom"] != 10 {
				t.Errorf("imported contact %+v", k)
			}
		}

		// The same file again, read anew: nothing new.
		res, err = f.Imports.ImportContacts(pe, file(), caunoi.ImportOptions{KeepGood: true})
		checkImport(t, "the same file again", res, err, 5, 0, 3, "3 at", "5 commodities")
		// The same records again, ids and all (a retried request).
		res, err = f.Imports.ImportContacts(pe, first, caunoi.ImportOptions{KeepGood: true})
		checkImport(t, "the same records again", res, err, 5, 0, 3, "3 at", "5 commodities")
		if n := stored(); n != 3 {
			t.Errorf("after importing again: %d contacts, want 3", n)
		}

		// References are checked against storage, row by row.
		qc := f.createClient(f.As(caunoi.RolePeerEducator, "qng"), "qng", "Lan")
		hc := f.createClient(pe, "hpg", "Hoa")
		refs := []caunoi.ImportRow[*caunoi.Contact]{
			{Row: 2, Key: "r1", Record: f.newContact("qng")},
			{Row: 3, Key: "r2", Record: func() *caunoi.Contact { k := f.newContact("hpg"); k.ClientID = qc.ID; return k }()},
			{Row: 4, Key: "r3", Record: func() *caunoi.Contact { k := f.newContact("hpg"); k.ClientID = hc.ID; return k }()},
			{Row: 5, Key: "r3", Record: func() *caunoi.Contact { k := f.newContact("hpg"); k.ClientID = hc.ID; return k }()}, // the same row twice
		}
		res, err = f.Imports.ImportContacts(pe, refs, caunoi.ImportOptions{KeepGood: true, Errors: []caunoi.RowError{{Row: 6, Field: "at", Key: "err.date.format"}}})
		checkImport(t, "references", res, err, 5, 1, 1, "2 org_id", "3 client_id", "6 at")
		if n := stored(); n != 4 {
			t.Errorf("after the references file: %d contacts, want 4", n)
		}
		// The system names the worker, who must work there.
		sysRow := f.newContact("hpg")
		sysRow.WorkerID = f.U(caunoi.RolePeerEducator, "qng").ID
		res, err = f.Imports.ImportContacts(f.sys, []caunoi.ImportRow[*caunoi.Contact]{{Row: 2, Key: "s1", Record: sysRow}}, caunoi.ImportOptions{})
		checkImport(t, "system import", res, err, 1, 0, 0, "2 worker_id")

		for _, ctx := range []struct {
			role caunoi.Role
			org  string
		}{{caunoi.RoleProvinceOfficer, "hp"}, {caunoi.RoleNationalOfficer, "nat"}, {caunoi.RoleAdmin, "nat"}} {
			_, err = f.Imports.ImportContacts(f.As(ctx.role, ctx.org), file(), caunoi.ImportOptions{KeepGood: true})
			wantCode(t, err, caunoi.EFORBIDDEN)
		}
		if n := stored(); n != 4 {
			t.Errorf("after refused imports: %d contacts, want 4", n)
		}
	})
}

func TestImportClients(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		gl := f.As(caunoi.RoleGroupLeader, "hpg")
		file := func() []caunoi.ImportRow[*caunoi.Client] {
			var rows []caunoi.ImportRow[*caunoi.Client]
			for i := range 5 {
				c := f.newClient("hpg", fmt.Sprintf("Khách %d", i+1))
				c.UIC = fmt.Sprintf("HOTU199%dF", i)
				c.Phone = fmt.Sprintf("0912 000 00%d", i)
				switch i {
				case 1:
					c.OrgID = f.O("qng").ID // row 3: another province's group
				case 3:
					c.Nickname = "" // row 5: no nickname
				}
				rows = append(rows, caunoi.ImportRow[*caunoi.Client]{Row: i + 2, Key: fmt.Sprintf("c%d", i+1), Record: c})
			}
			return rows
		}
		stored := func() int { return countRows(t, db, "clients") }

		res, err := f.Imports.ImportClients(gl, file(), caunoi.ImportOptions{DryRun: true})
		checkImport(t, "dry run", res, err, 5, 3, 0, "3 org_id", "5 nickname")
		res, err = f.Imports.ImportClients(gl, file(), caunoi.ImportOptions{})
		checkImport(t, "import with bad rows", res, err, 5, 0, 0, "3 org_id", "5 nickname")
		if n := stored(); n != 0 {
			t.Errorf("stored %d clients before keeping the good rows", n)
		}
		rows := file()
		res, err = f.Imports.ImportClients(gl, rows, caunoi.ImportOptions{KeepGood: true})
		checkImport(t, "import keeping the good rows", res, err, 5, 3, 0, "3 org_id", "5 nickname")
		res, err = f.Imports.ImportClients(gl, file(), caunoi.ImportOptions{KeepGood: true})
		checkImport(t, "the same file again", res, err, 5, 0, 3, "3 org_id", "5 nickname")
		if n := stored(); n != 3 {
			t.Errorf("stored %d clients, want 3", n)
		}
		// An imported client is a whole client: sealed phone, its first
		// status line, its UIC's hash.
		found, err := f.Clients.FindClientsByIdentifier(gl, "phone", "+84 912 000 004")
		must(t, err)
		if got := ids(found, clientID); !slices.Equal(got, []string{rows[4].Record.ID}) {
			t.Errorf("imported client by phone = %v", got)
		}
		c, err := f.Clients.FindClientByID(gl, rows[0].Record.ID)
		must(t, err)
		if c.Phone != "0912 000 000" || len(c.StatusHistory) != 1 || c.CreatedBy != f.U(caunoi.RoleGroupLeader, "hpg").ID {
			t.Errorf("imported client = %+v", c)
		}
		m, err := f.Clients.MatchUIC(gl, "HOTU1992F")
		must(t, err)
		if len(m.InScope) != 1 {
			t.Errorf("imported UIC not matched")
		}
		for _, ctx := range []struct {
			role caunoi.Role
			org  string
		}{{caunoi.RoleProvinceOfficer, "hp"}, {caunoi.RoleNationalOfficer, "nat"}} {
			_, err = f.Imports.ImportClients(f.As(ctx.role, ctx.org), file(), caunoi.ImportOptions{KeepGood: true})
			wantCode(t, err, caunoi.EFORBIDDEN)
		}
	})
}

func TestImportActivities(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		gl := f.As(caunoi.RoleGroupLeader, "hpg")
		a1, a2 := f.createClient(gl, "hpg", "Hoa"), f.createClient(gl, "hpg", "Mai")
		qc := f.createClient(f.As(caunoi.RolePeerEducator, "qng"), "qng", "Lan")
		file := func() []caunoi.ImportRow[*caunoi.Activity] {
			var rows []caunoi.ImportRow[*caunoi.Activity]
			for i := range 5 {
				a := &caunoi.Activity{OrgID: f.O("hpg").ID, Kind: "communication", HeldOn: daysAgo(10 + i), Title: fmt.Sprintf("Buổi %d", i+1),
					Attendees: []string{a1.ID, a2.ID}, AnonFemale: 10}
				switch i {
				case 1:
					a.Attendees = append(a.Attendees, qc.ID) // row 3: another province's client
				case 3:
					a.Attendees, a.AnonFemale = nil, 0 // row 5: nobody
				}
				rows = append(rows, caunoi.ImportRow[*caunoi.Activity]{Row: i + 2, Key: fmt.Sprintf("a%d", i+1), Record: a})
			}
			return rows
		}
		stored := func() int { return countRows(t, db, "activities") }
		res, err := f.Imports.ImportActivities(gl, file(), caunoi.ImportOptions{DryRun: true})
		checkImport(t, "dry run", res, err, 5, 3, 0, "3 attendees", "5 attendees")
		res, err = f.Imports.ImportActivities(gl, file(), caunoi.ImportOptions{})
		checkImport(t, "import with bad rows", res, err, 5, 0, 0, "3 attendees", "5 attendees")
		if n := stored(); n != 0 || countRows(t, db, "activity_attendance") != 0 {
			t.Errorf("stored %d activities before keeping the good rows", n)
		}
		res, err = f.Imports.ImportActivities(gl, file(), caunoi.ImportOptions{KeepGood: true})
		checkImport(t, "import keeping the good rows", res, err, 5, 3, 0, "3 attendees", "5 attendees")
		res, err = f.Imports.ImportActivities(gl, file(), caunoi.ImportOptions{KeepGood: true})
		checkImport(t, "the same file again", res, err, 5, 0, 3, "3 attendees", "5 attendees")
		if n, m := stored(), countRows(t, db, "activity_attendance"); n != 3 || m != 6 {
			t.Errorf("stored %d activities with %d attendances, want 3 and 6", n, m)
		}
		list, n, err := f.Activities.FindActivities(gl, caunoi.ActivityFilter{})
		must(t, err)
		sum := 0
		for _, a := range list {
			sum += a.Participants()
		}
		if n != 3 || sum != 36 {
			t.Errorf("imported activities = %d with %d participants, want 3 and 36", n, sum)
		}
		_, err = f.Imports.ImportActivities(f.As(caunoi.RoleProvinceOfficer, "hp"), file(), caunoi.ImportOptions{KeepGood: true})
		wantCode(t, err, caunoi.EFORBIDDEN)
	})
}
