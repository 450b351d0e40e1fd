package sqldb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// Beds are kept by whoever keeps the shelter; a provider that is not a
// shelter has no beds.
func TestShelterBeds(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCasesFixture(t, db)
		officer := f.As(caunoi.RoleProvinceOfficer, "hp")
		b := &caunoi.ShelterBed{ProviderID: f.shelter.ID, Label: "Giường 1"}
		must(t, f.Shelters.AddBed(officer, b))
		if b.InUseFrom != caunoi.Date(caunoi.Today()) || b.OrgPath != f.O("hp").Path {
			t.Fatalf("bed %+v", b)
		}
		again := &caunoi.ShelterBed{ID: b.ID, ProviderID: f.shelter.ID, Label: "Giường 1"}
		must(t, f.Shelters.AddBed(officer, again))
		wantInvalid(t, f.Shelters.AddBed(officer, &caunoi.ShelterBed{ProviderID: f.shelter.ID, Label: "Giường 1"}), "label")
		wantInvalid(t, f.Shelters.AddBed(officer, &caunoi.ShelterBed{ProviderID: f.legal.ID, Label: "Giường 1"}), "provider_id")
		wantInvalid(t, f.Shelters.AddBed(officer, &caunoi.ShelterBed{ProviderID: f.shelter.ID, Label: " "}), "label")
		// The group sees its province's shelter but does not keep it.
		wantCode(t, f.Shelters.AddBed(f.leader, &caunoi.ShelterBed{ProviderID: f.shelter.ID, Label: "Giường 2"}), caunoi.EFORBIDDEN)
		// Another province's shelter is not seen at all.
		wantCode(t, f.Shelters.AddBed(officer, &caunoi.ShelterBed{ProviderID: f.qnShelter.ID, Label: "Giường 1"}), caunoi.ENOTFOUND)
		if countRows(t, db, "shelter_beds") != 1 {
			t.Fatalf("%d beds", countRows(t, db, "shelter_beds"))
		}
		sh, err := f.Shelters.FindShelterByID(f.leader, f.shelter.ID)
		must(t, err)
		if len(sh.Beds) != 1 || sh.Occupied != 0 || sh.Free() != 1 {
			t.Fatalf("shelter %+v", sh)
		}
		_, err = f.Shelters.FindShelterByID(f.leader, f.legal.ID)
		wantInvalid(t, err, "provider_id")
		list, n, err := f.Shelters.FindShelters(f.As(caunoi.RoleNationalOfficer, "nat"), caunoi.ShelterFilter{})
		must(t, err)
		if n != 2 || len(list) != 2 {
			t.Fatalf("the national officer sees %d shelters", n)
		}
		_, err = f.Shelters.VoidBed(officer, b.ID, b.Version, "Giường hỏng")
		must(t, err)
		if sh, _ := f.Shelters.FindShelterByID(f.leader, f.shelter.ID); len(sh.Beds) != 0 {
			t.Fatal("a retired bed is still listed")
		}
	})
}

// Admissions and discharges: a bed taken, a person in two beds, a
// discharge before the admission, a provider that is not a shelter, the
// length of stay, occupancy over time, and who sees what.
func TestShelterStays(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCasesFixture(t, db)
		beds := f.addBeds(f.shelter, "Giường 1", "Giường 2")
		hoa, lan := f.createClient(f.pe, "hpg", "Hoa"), f.createClient(f.pe, "hpg", "Lan")

		s1 := f.stay(beds[0], hoa, daysAgo(10))
		must(t, f.Shelters.Admit(f.pe, s1))
		if s1.ExpectedOn != daysAgo(5) || s1.BedLabel != "Giường 1" || !s1.Open() {
			t.Fatalf("admitted %+v", s1)
		}
		again := f.stay(beds[0], hoa, daysAgo(10))
		again.ID = s1.ID
		must(t, f.Shelters.Admit(f.pe, again))

		// The bed is taken; the person is already in a bed.
		e := wantCode(t, f.Shelters.Admit(f.pe, f.stay(beds[0], lan, daysAgo(2))), caunoi.ECONFLICT)
		if e.Key != "err.shelter.bed_taken" || e.Fields[0].Field != "bed_id" {
			t.Fatalf("bed taken: %v", e)
		}
		e = wantCode(t, f.Shelters.Admit(f.pe, f.stay(beds[1], hoa, daysAgo(2))), caunoi.ECONFLICT)
		if e.Key != "err.shelter.client_in_shelter" {
			t.Fatalf("client in shelter: %v", e)
		}
		// Not a shelter; a bed of another shelter; a day before the bed opened.
		bad := f.stay(beds[1], lan, daysAgo(2))
		bad.ProviderID = f.legal.ID
		wantInvalid(t, f.Shelters.Admit(f.pe, bad), "provider_id")
		qnBed := f.addBeds(f.qnShelter, "Giường A")[0]
		bad = f.stay(qnBed, lan, daysAgo(2))
		wantInvalid(t, f.Shelters.Admit(f.pe, bad), "provider_id") // not shared with the Hải Phòng group
		bad = f.stay(beds[1], lan, daysAgo(2))
		bad.BedID = qnBed.ID
		wantInvalid(t, f.Shelters.Admit(f.pe, bad), "bed_id")
		wantInvalid(t, f.Shelters.Admit(f.pe, f.stay(beds[1], lan, daysAgo(400))), "admitted_on")
		if countRows(t, db, "shelter_stays") != 1 {
			t.Fatalf("refused admissions stored: %d stays", countRows(t, db, "shelter_stays"))
		}

		// A discharge before the admission is refused; then discharged.
		_, err := f.Shelters.Discharge(f.pe, s1.ID, caunoi.StayDischarge{Version: 1, DischargedOn: daysAgo(11), Reason: "returned_home"})
		wantInvalid(t, err, "discharged_on")
		_, err = f.Shelters.Discharge(f.pe, s1.ID, caunoi.StayDischarge{Version: 1, DischargedOn: daysAgo(6), Reason: "holiday"})
		wantInvalid(t, err, "reason")
		s1, err = f.Shelters.Discharge(f.pe, s1.ID, caunoi.StayDischarge{Version: 1, DischargedOn: daysAgo(6), Reason: "with_family"})
		must(t, err)
		if s1.Nights(caunoi.Today()) != 4 || s1.Open() {
			t.Fatalf("discharged %+v, %d nights", s1, s1.Nights(caunoi.Today()))
		}
		_, err = f.Shelters.Discharge(f.pe, s1.ID, caunoi.StayDischarge{Version: 2, DischargedOn: daysAgo(5), Reason: "with_family"})
		wantCode(t, err, caunoi.ECONFLICT)

		// A stay that overlaps the past one is refused; one after it is not.
		wantCode(t, f.Shelters.Admit(f.pe, f.stay(beds[0], lan, daysAgo(8))), caunoi.ECONFLICT)
		s2 := f.stay(beds[0], lan, daysAgo(6)) // the day Hoa left
		must(t, f.Shelters.Admit(f.pe, s2))
		// Hoa again, in the other bed, through her hotline case.
		c := f.newCase("hpg", time.Now().Add(-time.Hour))
		c.ClientID = hoa.ID
		f.createCase(f.pe, c)
		s3 := &caunoi.ShelterStay{OrgID: f.O("hpg").ID, ProviderID: f.shelter.ID, BedID: beds[1].ID, CaseID: c.ID, AdmittedOn: daysAgo(0), Reason: "risk_of_violence"}
		must(t, f.Shelters.Admit(f.pe, s3))
		if s3.ClientID != hoa.ID {
			t.Fatalf("the case's client was not taken: %+v", s3)
		}

		sh, err := f.Shelters.FindShelterByID(f.pe, f.shelter.ID)
		must(t, err)
		if sh.Occupied != 2 || sh.Free() != 0 || sh.Overstayed != 1 || sh.Beds[0].StayID != s2.ID {
			t.Fatalf("shelter now: %+v", sh)
		}
		// Occupancy over time counts every stay, naming nobody.
		days, err := f.Shelters.Occupancy(f.As(caunoi.RoleNationalOfficer, "nat"), f.shelter.ID, dayTime(daysAgo(11)), dayTime(daysAgo(0)))
		must(t, err)
		var occ []int
		for _, d := range days {
			occ = append(occ, d.Occupied)
			if d.Beds != 2 {
				t.Fatalf("beds on %v: %d", time.Time(d.Day), d.Beds)
			}
		}
		if fmt.Sprint(occ) != "[0 1 1 1 1 1 1 1 1 1 1 2]" {
			t.Fatalf("occupancy %v", occ)
		}
		_, err = f.Shelters.Occupancy(f.pe, f.shelter.ID, dayTime(daysAgo(0)), dayTime(daysAgo(1)))
		wantInvalid(t, err, "to")

		// Who sees the stays: the group and its province; not Quảng Ninh,
		// not the national officer (who sees the beds taken, not by whom).
		for _, tc := range []struct {
			role caunoi.Role
			org  string
			n    int
			code caunoi.Code
		}{
			{caunoi.RolePeerEducator, "hpg", 3, ""},
			{caunoi.RoleProvinceOfficer, "hp", 3, ""},
			{caunoi.RoleProvinceOfficer, "qn", 0, ""},
			{caunoi.RoleOutreachWorker, "hpg", 0, caunoi.EFORBIDDEN},
			{caunoi.RoleNationalOfficer, "nat", 0, caunoi.EFORBIDDEN},
		} {
			_, n, err := f.Shelters.FindStays(f.As(tc.role, tc.org), caunoi.StayFilter{ProviderID: f.shelter.ID})
			if caunoi.ErrorCode(err) != tc.code || n != tc.n {
				t.Errorf("%s of %s: %d stays, %v", tc.role, tc.org, n, err)
			}
		}
		nat, err := f.Shelters.FindShelterByID(f.As(caunoi.RoleNationalOfficer, "nat"), f.shelter.ID)
		must(t, err)
		if nat.Occupied != 2 || nat.Beds[0].StayID != "" || !nat.Beds[0].Occupied {
			t.Fatalf("national view: %+v", nat.Beds)
		}
		// Beds in use cannot be retired; voiding a stay frees its bed.
		_, err = f.Shelters.VoidBed(f.As(caunoi.RoleProvinceOfficer, "hp"), beds[1].ID, 1, "Sửa chữa")
		wantCode(t, err, caunoi.ECONFLICT)
		_, err = f.Shelters.VoidStay(f.pe, s3.ID, s3.Version, "Nhập nhầm")
		must(t, err)
		if sh, _ := f.Shelters.FindShelterByID(f.pe, f.shelter.ID); sh.Occupied != 1 {
			t.Fatalf("after voiding: %d occupied", sh.Occupied)
		}
	})
}

// Goroutines race to admit different people to the same free bed: on
// both databases exactly one wins, every other gets "bed taken", and the
// database holds one open stay for the bed. The database itself refuses a
// second open stay written past the service.
func TestShelterConcurrentAdmissions(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCasesFixture(t, db)
		const racers, rounds = 8, 4
		var clients []*caunoi.Client
		for i := range racers {
			clients = append(clients, f.createClient(f.pe, "hpg", fmt.Sprintf("Người %d", i+1)))
		}
		// The racers are the peer educator and the group leader, as on two phones.
		ctxs := []context.Context{f.pe, f.leader}
		for round := range rounds {
			bed := f.addBeds(f.shelter, fmt.Sprintf("Giường %d", round+1))[0]
			var wg sync.WaitGroup
			start := make(chan struct{})
			errs := make([]error, racers)
			for i := range racers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[i] = f.Shelters.Admit(ctxs[i%2], f.stay(bed, clients[i], daysAgo(0)))
				}()
			}
			close(start)
			wg.Wait()
			won := 0
			for i, err := range errs {
				switch {
				case err == nil:
					won++
				case caunoi.ErrorCode(err) == caunoi.ECONFLICT && caunoi.AsError(err).Key == "err.shelter.bed_taken":
				default:
					t.Errorf("round %d, racer %d: %v", round, i, err)
				}
			}
			var open int
			must(t, db.ReadDB().QueryRowContext(t.Context(),
				"SELECT COUNT(*) FROM shelter_stays WHERE bed_id = $1 AND discharged_on IS NULL AND voided_at IS NULL", bed.ID).Scan(&open))
			if won != 1 || open != 1 {
				t.Fatalf("round %d: %d admissions won, %d open stays; want exactly one", round, won, open)
			}
			// Free the winner for the next round.
			stays, _, err := f.Shelters.FindStays(f.pe, caunoi.StayFilter{Open: true})
			must(t, err)
			for _, s := range stays {
				_, err := f.Shelters.Discharge(f.pe, s.ID, caunoi.StayDischarge{Version: s.Version, DischargedOn: daysAgo(0), Reason: "returned_home"})
				must(t, err)
			}
		}

		// Past the service, the unique index refuses a second open stay.
		bed := f.addBeds(f.shelter, "Giường cuối")[0]
		insert := func(client string) error {
			_, err := db.WriteDB().ExecContext(t.Context(), `INSERT INTO shelter_stays (id, org_id, org_path, provider_id, bed_id, client_id,
				admitted_on, expected_on, reason, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 'violence', $8, $8)`,
				caunoi.NewID(), f.O("hpg").ID, f.O("hpg").Path, f.shelter.ID, bed.ID, client, dayTime(daysAgo(0)), time.Now())
			return err
		}
		must(t, insert(clients[0].ID))
		if err := insert(clients[1].ID); err == nil {
			t.Fatal("the database took a second open stay for one bed")
		}
	})
}
