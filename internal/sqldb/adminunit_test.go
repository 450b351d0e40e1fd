package sqldb_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

func day(s string) *time.Time {
	d, err := time.Parse(caunoi.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return &d
}

// From 1 July 2025 Vietnam has 34 provincial units; the 63 before merged,
// and every unit that ended has a successor in force.
func TestProvinces(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		units := sqldb.NewAdminUnitService(db)
		ctx := caunoi.NewContextWithActor(t.Context(), caunoi.SystemActor())
		find := func(f caunoi.AdminUnitFilter) []*caunoi.AdminUnit {
			t.Helper()
			f.Limit = caunoi.MaxPageSize
			us, n, err := units.FindAdminUnits(ctx, f)
			must(t, err)
			if n != len(us) {
				t.Fatalf("total %d but %d rows", n, len(us))
			}
			return us
		}

		after := find(caunoi.AdminUnitFilter{Level: caunoi.LevelProvince, On: day("2025-07-01")})
		if len(after) != 34 {
			t.Fatalf("provinces in force on 2025-07-01 = %d, want 34", len(after))
		}
		before := find(caunoi.AdminUnitFilter{Level: caunoi.LevelProvince, On: day("2025-06-30")})
		if len(before) != 63 {
			t.Fatalf("provinces in force on 2025-06-30 = %d, want 63", len(before))
		}
		ended, kept := 0, 0
		for _, u := range before {
			if u.ValidTo == nil {
				kept++
				continue
			}
			ended++
			if !u.ValidTo.Equal(*day("2025-06-30")) {
				t.Errorf("%s %s ends %v, want 2025-06-30", u.Code, u.Name, u.ValidTo)
			}
			if u.SuccessorCode == "" {
				t.Errorf("%s %s ended without a successor", u.Code, u.Name)
				continue
			}
			s, err := units.FindAdminUnitByCode(ctx, u.SuccessorCode)
			must(t, err)
			if !s.ValidOn(*day("2025-07-01")) {
				t.Errorf("successor %s of %s is not in force on 2025-07-01", s.Code, u.Code)
			}
		}
		// Resolution 202/2025/QH15: 11 units unchanged, 52 merged into 23.
		if kept != 11 || ended != 52 {
			t.Errorf("of the 63: %d unchanged and %d ended, want 11 and 52", kept, ended)
		}

		hp := find(caunoi.AdminUnitFilter{Query: "hai phong", On: day("2025-07-01")})
		if len(hp) != 1 || hp[0].Code != "31" || hp[0].Name != "Hải Phòng" {
			t.Fatalf("search \"hai phong\" = %v, want Hải Phòng 31", hp)
		}
		all := find(caunoi.AdminUnitFilter{Query: "HẢI PHÒNG"})
		if codes := ids(all, func(u *caunoi.AdminUnit) string { return u.Code }); !slices.Equal(codes, []string{"31", "31-2008"}) {
			t.Errorf("search \"HẢI PHÒNG\" over all dates = %v, want [31 31-2008]", codes)
		}

		_, err := units.FindAdminUnitByCode(ctx, "99")
		wantCode(t, err, caunoi.ENOTFOUND)
		_, _, err = units.FindAdminUnits(t.Context(), caunoi.AdminUnitFilter{})
		wantCode(t, err, caunoi.EUNAUTHORIZED)
	})
}

// communesCSV holds communes of Hải Phòng (31): row 4 has a bad date and
// row 5 an unknown parent. Row 1 is the header.
const communesCSV = "\ufeffcode,name,level,parent_code,valid_from,valid_to,successor_code\n" +
	"31001,Phường Hồng Bàng,commune,31,2025-07-01,,\n" +
	"31002,Phường Lê Chân,commune,31,01/07/2025,,\n" +
	"31003,Phường Ngô Quyền,commune,31,2025-13-45,,\n" +
	"31004,Phường Hải An,commune,99,2025-07-01,,\n" +
	"31005,Đặc khu Cát Hải,commune,31,2025-07-01,,\n"

func TestImportAdminUnits(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.As(caunoi.RoleAdmin, "nat")

		parse := func(s string) ([]caunoi.AdminUnitRow, caunoi.ImportOptions) {
			t.Helper()
			rows, rowErrs, err := caunoi.ParseAdminUnitCSV(strings.NewReader(s))
			must(t, err)
			return rows, caunoi.ImportOptions{Errors: rowErrs}
		}
		stored := func() []string {
			t.Helper()
			us, _, err := f.Units.FindAdminUnits(admin, caunoi.AdminUnitFilter{ParentCode: "31"})
			must(t, err)
			return ids(us, func(u *caunoi.AdminUnit) string { return u.Code })
		}
		imports := func() int {
			t.Helper()
			return len(f.auditEntries(caunoi.AuditFilter{Entity: "admin_unit", Action: caunoi.ActionImport}))
		}
		checkErrors := func(res *caunoi.ImportResult) {
			t.Helper()
			var got []string
			for _, e := range res.Errors {
				got = append(got, fmt.Sprintf("%d:%s", e.Row, e.Field))
			}
			if want := []string{"4:valid_from", "5:parent_code"}; !slices.Equal(got, want) {
				t.Fatalf("row errors %v, want %v", got, want)
			}
			if res.Rows != 5 {
				t.Errorf("rows read = %d, want 5", res.Rows)
			}
		}
		auditBefore := imports()

		// The preview reports both bad rows and stores nothing.
		rows, opts := parse(communesCSV)
		opts.DryRun = true
		res, err := f.Units.ImportAdminUnits(admin, rows, opts)
		must(t, err)
		checkErrors(res)
		if res.Imported != 0 || len(stored()) != 0 {
			t.Fatalf("dry run imported %d, stored %v", res.Imported, stored())
		}

		// A real import with a bad row stores nothing.
		rows, opts = parse(communesCSV)
		res, err = f.Units.ImportAdminUnits(admin, rows, opts)
		must(t, err)
		checkErrors(res)
		if res.Imported != 0 || len(stored()) != 0 {
			t.Fatalf("import with bad rows imported %d, stored %v", res.Imported, stored())
		}
		if n := imports(); n != auditBefore {
			t.Errorf("a dry run and a refused import wrote %d audit entries", n-auditBefore)
		}

		// A province officer may not import.
		rows, opts = parse(communesCSV)
		opts.KeepGood = true
		_, err = f.Units.ImportAdminUnits(f.As(caunoi.RoleProvinceOfficer, "hp"), rows, opts)
		wantCode(t, err, caunoi.EFORBIDDEN)
		if len(stored()) != 0 {
			t.Fatalf("a refused import stored %v", stored())
		}

		// KeepGood stores the good rows only.
		res, err = f.Units.ImportAdminUnits(admin, rows, opts)
		must(t, err)
		checkErrors(res)
		if want := []string{"31001", "31002", "31005"}; res.Imported != 3 || !slices.Equal(stored(), want) {
			t.Fatalf("keep-good import imported %d, stored %v, want 3: %v", res.Imported, stored(), want)
		}
		u, err := f.Units.FindAdminUnitByCode(admin, "31002")
		must(t, err)
		if !u.ValidFrom.Equal(*day("2025-07-01")) || u.Level != caunoi.LevelCommune || u.ParentCode != "31" {
			t.Errorf("stored 31002 = %+v", u)
		}
		if n := imports(); n != auditBefore+1 {
			t.Errorf("import audit entries = %d, want %d", n, auditBefore+1)
		}

		// The same file again imports nothing.
		rows, opts = parse(communesCSV)
		opts.KeepGood = true
		res, err = f.Units.ImportAdminUnits(admin, rows, opts)
		must(t, err)
		if res.Imported != 0 || len(stored()) != 3 {
			t.Fatalf("re-import imported %d, stored %v", res.Imported, stored())
		}

		// A changed name is an update.
		rows, opts = parse(strings.Replace(communesCSV, "Phường Hồng Bàng", "Phường Hồng Bàng Mới", 1))
		opts.KeepGood = true
		res, err = f.Units.ImportAdminUnits(admin, rows, opts)
		must(t, err)
		if res.Imported != 1 {
			t.Fatalf("import of one changed row imported %d", res.Imported)
		}

		// A file with a wrong header is refused as a whole.
		_, _, err = caunoi.ParseAdminUnitCSV(strings.NewReader("ma,ten,cap\n31001,Phường Hồng Bàng,commune\n"))
		if e := wantCode(t, err, caunoi.EINVALID); e.Key != "err.csv.header" {
			t.Errorf("wrong header key %q, want err.csv.header", e.Key)
		}
	})
}
