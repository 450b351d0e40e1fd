package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/demo"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// The demo's hotline, shelters and reintegration reproduce the seeds, and
// the numbers are counted from the records.
func TestHotlineDemo(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		if _, err := demo.Load(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		hotline, shelters, reint := sqldb.NewHotlineService(db), sqldb.NewShelterService(db), sqldb.NewReintegrationService(db)
		all := caunoi.Page{Limit: caunoi.MaxPageSize}

		// Seed 003, An Giang: mapped the influence of 216 residents
		// preparing to return; received 168 returnees. Counted one by one.
		ag, _ := login(t, db, "angiang.canbo")
		var mapped, received, residents int
		for off := 0; ; off += caunoi.MaxPageSize {
			list, total, err := reint.FindReintegrations(ag, caunoi.ReintegrationFilter{Page: caunoi.Page{Offset: off, Limit: caunoi.MaxPageSize}})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range list {
				residents++
				full, err := reint.FindReintegrationByID(ag, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(full.People) > 0 {
					mapped++
				}
				if full.Status == caunoi.ReintegrationReturned && full.ClubID != "" && full.ReturnedOn != nil {
					received++
				}
			}
			if off+len(list) >= total {
				break
			}
		}
		if residents != 216 || mapped != 216 || received != 168 {
			t.Errorf("An Giang from the records: %d residents, %d mapped, %d received; want 216, 216, 168", residents, mapped, received)
		}
		st, err := reint.ReintegrationStats(ag, "")
		if err != nil {
			t.Fatal(err)
		}
		if st.Residents != 216 || st.Mapped != 216 || st.Received != 168 || st.Preparing != 48 || st.Relapsed == 0 || st.FollowedUp == 0 {
			t.Errorf("An Giang's numbers: %+v", st)
		}
		// The indicators count the same over the last year (the returns
		// fall in it, the maps are drawn when the demo is loaded).
		_, agActor := login(t, db, "angiang.canbo")
		today := caunoi.Today()
		year, err := caunoi.ParsePeriod(today.AddDate(0, 0, -364).Format(time.DateOnly) + ".." + today.Format(time.DateOnly))
		if err != nil {
			t.Fatal(err)
		}
		v, err := sqldb.NewIndicatorService(db).Evaluate(ag, caunoi.ValueQuery{OrgID: agActor.Grants[0].OrgID, Period: year,
			Indicators: []string{"INFLUENCE_MAPPED", "RETURNEES_RECEIVED", "RELAPSES", "REINTEGRATION_FOLLOW_UPS"}})
		if err != nil {
			t.Fatal(err)
		}
		for code, want := range map[string]float64{"INFLUENCE_MAPPED": 216, "RETURNEES_RECEIVED": 168, "RELAPSES": float64(st.Relapsed)} {
			if c := v.Find(code).Cell(); c == nil || c.Value != want {
				t.Errorf("%s of An Giang: %+v, want %v", code, c, want)
			}
		}
		if c := v.Find("REINTEGRATION_FOLLOW_UPS").Cell(); c == nil || c.Value < 168 {
			t.Errorf("follow-ups of An Giang's returnees: %+v", c)
		}

		// Seed 001: more than 10 victims of domestic violence helped by
		// Sóng Biển (people, not calls).
		sb, _ := login(t, db, "songbien.dongdang")
		cases, _, err := hotline.FindCases(sb, caunoi.CaseFilter{Issue: caunoi.IssueGBV, Page: all})
		if err != nil {
			t.Fatal(err)
		}
		victims := map[string]bool{}
		for _, c := range cases {
			if slices.Contains(c.ViolenceContexts, "domestic_violence") && c.ClientID != "" {
				victims[c.ClientID] = true
			}
		}
		if len(victims) <= 10 {
			t.Errorf("Sóng Biển helped %d victims of domestic violence, want more than 10", len(victims))
		}
		duty, err := hotline.DutyView(sb, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(duty.Overdue) == 0 || duty.OpenTotal == 0 {
			t.Errorf("Sóng Biển's duty view: %d open, %d overdue", duty.OpenTotal, len(duty.Overdue))
		}

		// Seed 000: Hải Phòng has a hotline, calls by phone, Zalo and in person.
		hp, _ := login(t, db, "hoaphuong.dongdang")
		cases, n, err := hotline.FindCases(hp, caunoi.CaseFilter{Page: all})
		if err != nil {
			t.Fatal(err)
		}
		channels := map[string]bool{}
		for _, c := range cases {
			channels[c.Channel] = true
		}
		if n < 20 || len(channels) != 3 {
			t.Errorf("Hải Phòng's hotline: %d cases by %v", n, channels)
		}

		// Seed 004: shelter from violence, a few days at most.
		sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
		stays, n, err := shelters.FindStays(sys, caunoi.StayFilter{Page: all})
		if err != nil {
			t.Fatal(err)
		}
		if n < 10 {
			t.Errorf("%d shelter stays", n)
		}
		for _, s := range stays {
			if s.DischargedOn != nil && s.Nights(caunoi.Today()) > caunoi.DefaultShelterStayDays {
				t.Errorf("stay %s lasted %d nights", s.ID, s.Nights(caunoi.Today()))
			}
		}

		// The national officer sees aggregates only.
		nat, _ := login(t, db, "cuc.canbo")
		if _, _, err := hotline.FindCases(nat, caunoi.CaseFilter{}); caunoi.ErrorCode(err) != caunoi.EFORBIDDEN {
			t.Errorf("national officer FindCases: %v", err)
		}
		is, err := hotline.IncidentStats(nat, caunoi.IncidentFilter{})
		if err != nil || is.Exact || is.Total.Count < 40 {
			t.Errorf("national incident statistics: %+v %v", is, err)
		}
	})
}
