package sqldb_test

import (
	"context"
	"slices"
	"testing"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// newProvider returns a valid provider kept by the organisation with key
// orgKey.
func (f *fixture) newProvider(orgKey, name string, services ...string) *caunoi.Provider {
	if len(services) == 0 {
		services = []string{caunoi.ServiceSTIExam, caunoi.ServiceHIVTest}
	}
	lat, lng := 20.8449, 106.6881
	return &caunoi.Provider{OrgID: f.O(orgKey).ID, Kind: caunoi.ProviderSTIClinic, Name: name, Services: services,
		Address: "Số 1 Lạch Tray, Ngô Quyền", Lat: &lat, Lng: &lng, Contact: "0225 3 123 456", OpeningHours: "7:30–17:00, thứ 2–thứ 6", Friendly: true}
}

// The directory is shared down and up the tree of the keeping
// organisation, changed only by provider.write there, with idempotent
// creates, versions, voiding and validation that stores nothing.
func TestProviderDirectory(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		svc := sqldb.NewProviderService(db)
		hp, qn := f.As(caunoi.RoleProvinceOfficer, "hp"), f.As(caunoi.RoleProvinceOfficer, "qn")
		leader, pe := f.As(caunoi.RoleGroupLeader, "hpg"), f.As(caunoi.RolePeerEducator, "hpg")
		nat, admin := f.As(caunoi.RoleNationalOfficer, "nat"), f.As(caunoi.RoleAdmin, "nat")
		qnLeader := f.As(caunoi.RoleGroupLeader, "qng")

		// A province keeps a clinic; creating it twice stores it once.
		clinic := f.newProvider("hp", "Phòng khám Da liễu Hải Phòng")
		must(t, svc.CreateProvider(hp, clinic))
		again := f.newProvider("hp", "Phòng khám Da liễu Hải Phòng")
		again.ID = clinic.ID
		must(t, svc.CreateProvider(hp, again))
		if again.Version != 1 || !again.CreatedAt.Equal(clinic.CreatedAt) || countRows(t, db, "providers") != 1 {
			t.Fatalf("a repeated create was applied twice: %+v, %d rows", again, countRows(t, db, "providers"))
		}
		if es := f.auditEntries(caunoi.AuditFilter{EntityID: clinic.ID}); len(es) != 1 || es[0].Action != caunoi.ActionCreate || es[0].Entity != "provider" {
			t.Fatalf("audit of the create: %+v", es)
		}

		// A group keeps an entry of its own.
		own := f.newProvider("hpg", "Tiệm bánh Hương Quê", caunoi.ServiceVocationalTraining, caunoi.ServiceJobPlacement)
		own.Kind, own.Friendly, own.Lat, own.Lng = caunoi.ProviderEmployer, false, nil, nil
		must(t, svc.CreateProvider(leader, own))
		// A peer educator may read the directory but not keep it.
		wantCode(t, svc.CreateProvider(pe, f.newProvider("hpg", "Không được")), caunoi.EFORBIDDEN)
		// Nobody keeps an entry for an organisation outside their write scope.
		wantInvalid(t, svc.CreateProvider(leader, f.newProvider("hp", "Của tỉnh")), "org_id")
		wantInvalid(t, svc.CreateProvider(qn, f.newProvider("hp", "Tỉnh khác")), "org_id")

		// Who sees what: the province's clinic down to its groups and up
		// to the national department; the group's entry up the tree; the
		// other province nothing.
		sees := func(ctx context.Context, want ...string) {
			t.Helper()
			list, n, err := svc.FindProviders(ctx, caunoi.ProviderFilter{})
			must(t, err)
			got := ids(list, func(p *caunoi.Provider) string { return p.ID })
			if n != len(want) || !slices.Equal(got, sorted(want...)) {
				t.Errorf("sees %v (total %d), want %v", got, n, sorted(want...))
			}
		}
		sees(hp, clinic.ID, own.ID)
		sees(leader, clinic.ID, own.ID)
		sees(pe, clinic.ID, own.ID)
		sees(nat, clinic.ID, own.ID)
		sees(qn)
		sees(qnLeader)
		for _, c := range []context.Context{hp, leader, pe, nat} {
			if _, err := svc.FindProviderByID(c, clinic.ID); err != nil {
				t.Errorf("in scope: %v", err)
			}
		}
		for _, c := range []context.Context{qn, qnLeader} {
			_, err := svc.FindProviderByID(c, clinic.ID)
			wantCode(t, err, caunoi.ENOTFOUND)
		}
		_, _, err := svc.FindProviders(admin, caunoi.ProviderFilter{})
		wantCode(t, err, caunoi.EFORBIDDEN)

		// Filters.
		filtered := func(ctx context.Context, fl caunoi.ProviderFilter, want ...string) {
			t.Helper()
			list, n, err := svc.FindProviders(ctx, fl)
			must(t, err)
			got := ids(list, func(p *caunoi.Provider) string { return p.ID })
			if n != len(want) || !slices.Equal(got, sorted(want...)) {
				t.Errorf("filter %+v: %v (total %d), want %v", fl, got, n, sorted(want...))
			}
		}
		filtered(leader, caunoi.ProviderFilter{Service: caunoi.ServiceHIVTest}, clinic.ID)
		filtered(leader, caunoi.ProviderFilter{Service: caunoi.ServiceJobPlacement}, own.ID)
		filtered(leader, caunoi.ProviderFilter{Kind: caunoi.ProviderEmployer}, own.ID)
		filtered(leader, caunoi.ProviderFilter{Query: "phong kham da lieu"}, clinic.ID)
		filtered(leader, caunoi.ProviderFilter{Friendly: true}, clinic.ID)
		filtered(hp, caunoi.ProviderFilter{OrgID: f.O("hpg").ID}, clinic.ID, own.ID)
		filtered(hp, caunoi.ProviderFilter{OrgID: f.O("hp").ID}, clinic.ID, own.ID)
		filtered(nat, caunoi.ProviderFilter{OrgID: f.O("qng").ID})
		_, _, err = svc.FindProviders(leader, caunoi.ProviderFilter{OrgID: f.O("qng").ID})
		wantCode(t, err, caunoi.ENOTFOUND)

		// Changes: by provider.write on the keeper only, with versions.
		name := "Phòng khám Da liễu thân thiện"
		_, err = svc.UpdateProvider(leader, clinic.ID, caunoi.ProviderUpdate{Version: 1, Name: &name})
		wantCode(t, err, caunoi.ENOTFOUND)
		_, err = svc.UpdateProvider(qn, clinic.ID, caunoi.ProviderUpdate{Version: 1, Name: &name})
		wantCode(t, err, caunoi.ENOTFOUND)
		up, err := svc.UpdateProvider(hp, clinic.ID, caunoi.ProviderUpdate{Version: 1, Name: &name, ClearLocation: true})
		must(t, err)
		if up.Version != 2 || up.Name != name || up.Lat != nil || up.Lng != nil {
			t.Fatalf("update: %+v", up)
		}
		other := "Tên cũ"
		_, err = svc.UpdateProvider(hp, clinic.ID, caunoi.ProviderUpdate{Version: 1, Name: &other})
		wantCode(t, err, caunoi.ECONFLICT)
		got, err := svc.FindProviderByID(leader, clinic.ID)
		must(t, err)
		if got.Name != name || got.Version != 2 || got.Lat != nil {
			t.Fatalf("after a stale update: %+v", got)
		}
		// The province changes its group's entry too.
		friendly := true
		if up, err := svc.UpdateProvider(hp, own.ID, caunoi.ProviderUpdate{Version: 1, Friendly: &friendly}); err != nil || !up.Friendly {
			t.Fatalf("province updates the group's entry: %+v %v", up, err)
		}

		// Bad input: a clear field error, nothing stored.
		before, audits := countRows(t, db, "providers"), f.auditCount()
		bad := f.newProvider("hp", "Không dịch vụ")
		bad.Services = nil
		wantInvalid(t, svc.CreateProvider(hp, bad), "services")
		bad = f.newProvider("hp", "Dịch vụ lạ", "haircut")
		wantInvalid(t, svc.CreateProvider(hp, bad), "services")
		bad = f.newProvider("hp", "Nửa tọa độ")
		bad.Lng = nil
		wantInvalid(t, svc.CreateProvider(hp, bad), "lat")
		bad = f.newProvider("hp", "Ngoài lãnh thổ")
		far := 48.85
		bad.Lat = &far
		wantInvalid(t, svc.CreateProvider(hp, bad), "lat")
		bad = f.newProvider("hp", "Đơn vị lạ")
		bad.AdminUnitCode = "xx-none"
		wantInvalid(t, svc.CreateProvider(hp, bad), "admin_unit_code")
		bad = f.newProvider("hp", "Loại lạ")
		bad.Kind = "spa"
		wantInvalid(t, svc.CreateProvider(hp, bad), "kind")
		noServices := []string{}
		_, err = svc.UpdateProvider(hp, clinic.ID, caunoi.ProviderUpdate{Version: 2, Services: &noServices})
		wantInvalid(t, err, "services")
		if countRows(t, db, "providers") != before || f.auditCount() != audits {
			t.Fatal("bad input left something stored")
		}

		// Voiding: with a reason, hidden from lists, kept, unchangeable.
		_, err = svc.VoidProvider(hp, clinic.ID, 2, " ")
		wantInvalid(t, err, "reason")
		_, err = svc.VoidProvider(leader, clinic.ID, 2, "đóng cửa")
		wantCode(t, err, caunoi.ENOTFOUND)
		v, err := svc.VoidProvider(hp, clinic.ID, 2, "Phòng khám đã đóng cửa")
		must(t, err)
		if !v.Voided() || v.Version != 3 || v.VoidedBy != "province_officer.hp" {
			t.Fatalf("void: %+v", v)
		}
		sees(leader, own.ID)
		if got, err := svc.FindProviderByID(leader, clinic.ID); err != nil || !got.Voided() {
			t.Fatalf("a voided provider is kept: %+v %v", got, err)
		}
		_, err = svc.UpdateProvider(hp, clinic.ID, caunoi.ProviderUpdate{Version: 3, Name: &other})
		wantCode(t, err, caunoi.ECONFLICT)
		if es := f.auditEntries(caunoi.AuditFilter{EntityID: clinic.ID, Action: caunoi.ActionVoid}); len(es) != 1 || es[0].Reason != "Phòng khám đã đóng cửa" {
			t.Fatalf("audit of the void: %+v", es)
		}
	})
}
