package sqldb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// casesBench is a province of 40 groups with hotline cases generated
// straight into the database, a fifth of them open with a planned
// follow-up, and a shelter of 20 beds with two years of stays.
type casesBench struct {
	f       *casesFixture
	group   string // the group of the peer educator timed
	shelter *caunoi.Provider
}

const casesBenchGroups = 40

// newCasesBench loads n cases and the shelter's stays with batched
// INSERTs, far beyond what the services could make one by one.
func newCasesBench(b *testing.B, db *sqldb.DB, n int) *casesBench {
	b.Helper()
	f := newCasesFixture(b, db)
	cb := &casesBench{f: f, shelter: f.shelter}
	var groups []*caunoi.Organisation
	for i := range casesBenchGroups {
		key := fmt.Sprintf("cg%02d", i)
		groups = append(groups, f.addOrg(key, "hp", &caunoi.Organisation{Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupSelfHelp,
			Name: fmt.Sprintf("Nhóm tự lực %02d", i)}))
	}
	cb.group = "cg00"
	taker := f.U(caunoi.RolePeerEducator, "hpg").ID
	ctx := b.Context()
	rng := rand.New(rand.NewPCG(2025, 12))
	now := time.Now().UTC().Truncate(time.Second)
	today := dayOfVN(now)
	insert := func(table, cols string, rows [][]any) {
		b.Helper()
		tx, err := db.WriteDB().BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer tx.Rollback()
		const batch = 100
		for start := 0; start < len(rows); start += batch {
			chunk := rows[start:min(start+batch, len(rows))]
			var sb strings.Builder
			var args []any
			sb.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
			for r, row := range chunk {
				if r > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString("(")
				for c, v := range row {
					if c > 0 {
						sb.WriteString(", ")
					}
					args = append(args, v)
					fmt.Fprintf(&sb, "$%d", len(args))
				}
				sb.WriteString(")")
			}
			if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
				b.Fatalf("insert %s: %v", table, err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	risks := caunoi.RiskLevels
	var cases, follow [][]any
	for i := range n {
		g := groups[i%len(groups)]
		at := now.Add(-time.Duration(rng.Int64N(int64(730 * 24 * time.Hour)))).Truncate(time.Second)
		id := caunoi.NewID()
		risk := risks[rng.IntN(len(risks))]
		status := "closed"
		if rng.IntN(5) == 0 {
			status = "open"
		}
		cases = append(cases, []any{id, g.ID, g.Path, fmt.Sprintf("DN-B%011d", i), at, dayOfVN(at), "phone", "self", "female", "sex_work",
			",gbv,", ",physical_assault,", "physical_assault", ",domestic_violence,", risk, caunoi.RiskRank(risk), status, taker, now, now})
		if status == "open" {
			due := today.AddDate(0, 0, rng.IntN(30)-20) // two in three overdue
			follow = append(follow, []any{caunoi.NewID(), id, g.Path, due, "planned", now, now})
		}
	}
	insert("hotline_cases", `id, org_id, org_path, code, received_at, received_on, channel, caller_type, anon_sex, anon_population,
		issues, violence_types, gbv_type, violence_contexts, risk, risk_rank, status, taken_by, created_at, updated_at`, cases)
	insert("case_follow_ups", "id, case_id, org_path, due_on, status, created_at, updated_at", follow)

	// The shelter: 20 beds over two years, each stay 1 to 5 nights.
	beds := f.addBeds(f.shelter, func() []string {
		var l []string
		for i := range 20 {
			l = append(l, fmt.Sprintf("Giường %02d", i+1))
		}
		return l
	}()...)
	guest := f.createClient(f.pe, "hpg", "Khách tạm lánh").ID
	var stays [][]any
	for _, bed := range beds {
		day := today.AddDate(-2, 0, 0)
		for day.Before(today) {
			nights := 1 + rng.IntN(5)
			out := day.AddDate(0, 0, nights)
			if out.After(today) {
				break
			}
			stays = append(stays, []any{caunoi.NewID(), f.O("hpg").ID, f.O("hpg").Path, f.shelter.ID, bed.ID, guest, day, day.AddDate(0, 0, 5), "violence",
				out, "returned_home", now, now})
			day = out.AddDate(0, 0, rng.IntN(3))
		}
	}
	// Beds opened a year ago in the fixture; these stays go back two.
	if _, err := db.WriteDB().ExecContext(ctx, "UPDATE shelter_beds SET in_use_from = $1", today.AddDate(-2, 0, 0)); err != nil {
		b.Fatal(err)
	}
	insert("shelter_stays", `id, org_id, org_path, provider_id, bed_id, client_id, admitted_on, expected_on, reason, discharged_on, discharge_reason,
		created_at, updated_at`, stays)
	if db.Dialect == sqldb.Postgres {
		// What autovacuum would do soon after such a load; SQLite plans
		// without statistics, as a deployment does.
		for _, t := range []string{"hotline_cases", "case_follow_ups", "shelter_stays"} {
			if _, err := db.WriteDB().ExecContext(ctx, "VACUUM ANALYZE "+t); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Logf("%s: %d cases (%d open), %d shelter stays", db.Dialect, len(cases), len(follow), len(stays))
	return cb
}

// dayOfVN is the day of t in Vietnam, as days are stored.
func dayOfVN(t time.Time) time.Time {
	v := t.In(caunoi.Zone)
	return time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)
}

// BenchmarkDutyView times the duty view over N cases (CAUNOI_BENCH_CASES,
// default 20,000) for a peer educator of one group and for the officer of
// the province of 40 groups (up to 500 open cases listed, the overdue
// and due follow-ups, the counts by risk), and the incident statistics
// of the national officer over every case.
func BenchmarkDutyView(b *testing.B) {
	n := benchEnvInt(b, "CAUNOI_BENCH_CASES", 20000)
	for _, d := range sqldbtest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			db := sqldbtest.MustOpen(b, d)
			cb := newCasesBench(b, db, n)
			f := cb.f
			for _, who := range []struct {
				name string
				ctx  context.Context
			}{
				{"peer_educator", f.As(caunoi.RolePeerEducator, cb.group)},
				{"province_officer", f.As(caunoi.RoleProvinceOfficer, "hp")},
			} {
				b.Run(fmt.Sprintf("cases=%d/%s", n, who.name), func(b *testing.B) {
					for b.Loop() {
						dv, err := f.Hotline.DutyView(who.ctx, "")
						if err != nil {
							b.Fatal(err)
						}
						if dv.OpenTotal == 0 || len(dv.Overdue) == 0 {
							b.Fatalf("duty view: %d open, %d overdue", dv.OpenTotal, len(dv.Overdue))
						}
					}
				})
			}
			b.Run(fmt.Sprintf("cases=%d/incident_stats_national", n), func(b *testing.B) {
				nat := f.As(caunoi.RoleNationalOfficer, "nat")
				for b.Loop() {
					if _, err := f.Hotline.IncidentStats(nat, caunoi.IncidentFilter{}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("shelter/occupancy_365_days", func(b *testing.B) {
				pe := f.As(caunoi.RolePeerEducator, "hpg")
				today := caunoi.Today()
				for b.Loop() {
					days, err := f.Shelters.Occupancy(pe, cb.shelter.ID, today.AddDate(0, 0, -364), today)
					if err != nil || len(days) != 365 {
						b.Fatalf("occupancy: %d days, %v", len(days), err)
					}
				}
			})
			b.Run("shelter/beds_now", func(b *testing.B) {
				pe := f.As(caunoi.RolePeerEducator, "hpg")
				for b.Loop() {
					sh, err := f.Shelters.FindShelterByID(pe, cb.shelter.ID)
					if err != nil || len(sh.Beds) != 20 {
						b.Fatalf("shelter: %v", err)
					}
				}
			})
		})
	}
}
