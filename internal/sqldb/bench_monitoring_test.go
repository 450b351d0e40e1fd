package sqldb_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/gen"
	"caunoi/internal/secure"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// BenchmarkMonitoringReports times a province's half-year report and the
// national annual report, as their officers ask for them, on a generated
// data set: small by default, the national scale of issue 6 (34
// provinces, 500 groups, 500,000 clients, 7,000,000 contacts and
// 3,000,000 services over 2024–2025) with CAUNOI_BENCH_SCALE=national.
// Beside them, in the same run, the raw aggregate SQL over the records
// that any report of the same numbers must at least do: the limit of
// counting without rollups. CAUNOI_BENCH_DIALECT=sqlite|postgres keeps one
// database; CAUNOI_BENCH_FROM_RECORDS=1 also times the engine counting
// from the records.
func BenchmarkMonitoringReports(b *testing.B) {
	scale, name := gen.Small, "small"
	if os.Getenv("CAUNOI_BENCH_SCALE") == "national" {
		scale, name = gen.National, "national"
	}
	dialects := sqldbtest.Dialects()
	if only := os.Getenv("CAUNOI_BENCH_DIALECT"); only != "" {
		dialects = []sqldb.Dialect{sqldb.Dialect(only)}
	}
	for _, d := range dialects {
		b.Run(fmt.Sprintf("%s/%s", d, name), func(b *testing.B) {
			db, res := benchData(b, d, scale)
			prov := res.Provinces[0]
			suffix := fmt.Sprint(time.Now().UnixNano())
			officer := actorOn(b, db, "canbo.tinh"+suffix, caunoi.RoleProvinceOfficer, prov)
			national := actorOn(b, db, "canbo.cuc"+suffix, caunoi.RoleNationalOfficer, res.National)
			h1, _ := caunoi.ParsePeriod(fmt.Sprintf("%d-H1", scale.LastYear))
			year, _ := caunoi.ParsePeriod(fmt.Sprint(scale.LastYear))
			reports := sqldb.NewReportService(db)
			report := func(b *testing.B, ctx context.Context, org *caunoi.Organisation, p caunoi.Period) {
				r, err := reports.Report(ctx, caunoi.ReportQuery{OrgID: org.ID, Period: p})
				if err != nil {
					b.Fatal(err)
				}
				if r.Sections[0].Rows[0].Total.Value == 0 {
					b.Fatal("a report without contacts")
				}
			}
			b.Run("province_half_year_report", func(b *testing.B) {
				for b.Loop() {
					report(b, officer, prov, h1)
				}
			})
			b.Run("national_annual_report", func(b *testing.B) {
				for b.Loop() {
					report(b, national, res.National, year)
				}
			})
			// The national dashboard's trend: twelve months of contacts and
			// persons reached, a month at a time.
			b.Run("national_dashboard_trend", func(b *testing.B) {
				ind := sqldb.NewIndicatorService(db)
				for b.Loop() {
					for m := 1; m <= 12; m++ {
						p, _ := caunoi.ParsePeriod(fmt.Sprintf("%d-%02d", scale.LastYear, m))
						v, err := ind.Evaluate(national, caunoi.ValueQuery{OrgID: res.National.ID, Period: p, Indicators: []string{"CONTACTS", "PERSONS_REACHED"}})
						if err != nil {
							b.Fatal(err)
						}
						if v.Total("CONTACTS").Value == 0 {
							b.Fatal("a month without contacts")
						}
					}
				}
			})
			// The same reports read from the rollup by client, as before
			// the count rollup.
			byClient := sqldb.NewIndicatorService(db)
			byClient.NoCounts = true
			rsByClient := sqldb.NewReportService(db)
			rsByClient.Indicators = byClient
			b.Run("province_half_year_report_by_client", func(b *testing.B) {
				for b.Loop() {
					if _, err := rsByClient.Report(officer, caunoi.ReportQuery{OrgID: prov.ID, Period: h1}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("national_annual_report_by_client", func(b *testing.B) {
				for b.Loop() {
					if _, err := rsByClient.Report(national, caunoi.ReportQuery{OrgID: res.National.ID, Period: year}); err != nil {
						b.Fatal(err)
					}
				}
			})
			// After a write to a group: its rollups and counts are rebuilt
			// before the report is counted.
			var group string
			if err := db.ReadDB().QueryRow("SELECT id FROM orgs WHERE kind = 'group' ORDER BY path LIMIT 1").Scan(&group); err != nil {
				b.Fatal(err)
			}
			b.Run("national_annual_report_after_a_write", func(b *testing.B) {
				for b.Loop() {
					for _, src := range []string{"contacts", "services"} {
						if _, err := db.WriteDB().Exec("INSERT INTO monitoring_stale (source, org_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", src, group); err != nil {
							b.Fatal(err)
						}
					}
					report(b, national, res.National, year)
				}
			})
			b.Run("province_half_year_raw_sql", func(b *testing.B) {
				for b.Loop() {
					rawAggregates(b, db, prov.Path, h1, false)
				}
			})
			b.Run("national_annual_raw_sql", func(b *testing.B) {
				for b.Loop() {
					rawAggregates(b, db, res.National.Path, year, true)
				}
			})
			if os.Getenv("CAUNOI_BENCH_FROM_RECORDS") != "" {
				ind := sqldb.NewIndicatorService(db)
				ind.Raw = true
				rs := sqldb.NewReportService(db)
				rs.Indicators = ind
				b.Run("province_half_year_report_from_records", func(b *testing.B) {
					for b.Loop() {
						if _, err := rs.Report(officer, caunoi.ReportQuery{OrgID: prov.ID, Period: h1}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// benchData opens the benchmark's database with its generated data set: a
// new one, or for SQLite the file CAUNOI_BENCH_SQLITE names, generated
// there once and kept, so that the national scale is loaded once for
// several runs.
func benchData(b *testing.B, d sqldb.Dialect, scale gen.Scale) (*sqldb.DB, *gen.Result) {
	b.Helper()
	ctx := context.Background()
	var db *sqldb.DB
	file := os.Getenv("CAUNOI_BENCH_SQLITE")
	if d == sqldb.SQLite && file != "" {
		var err error
		if db, err = sqldb.Open(ctx, "sqlite:"+file); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if db.Keys, _, err = secure.LoadKeyring(filepath.Join(filepath.Dir(file), "keys"), true); err != nil {
			b.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		if err := sqldb.SeedProvinces(ctx, db); err != nil {
			b.Fatal(err)
		}
		sys := caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
		orgs := sqldb.NewOrgService(db)
		nat, _, err := orgs.FindOrgs(sys, caunoi.OrgFilter{Kind: caunoi.OrgNational})
		if err != nil {
			b.Fatal(err)
		}
		if len(nat) > 0 {
			provs, _, err := orgs.FindOrgs(sys, caunoi.OrgFilter{Kind: caunoi.OrgProvince, Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			n, err := db.RefreshRollups(ctx)
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: reused %s; %d stale rollup partitions rebuilt in %v", d, file, n, time.Since(start).Round(time.Millisecond))
			return db, &gen.Result{National: nat[0], Provinces: provs}
		}
	} else {
		db = sqldbtest.MustOpen(b, d)
	}
	// Progress goes to stderr at once: a national load takes minutes.
	res, err := gen.Generate(ctx, db, scale, func(f string, args ...any) { fmt.Fprintf(os.Stderr, f+"\n", args...) })
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: %d contacts and %d services loaded in %v; %d rollup partitions built in %v", d, scale.Contacts, scale.Services,
		res.Load.Round(time.Millisecond), res.Rebuilt, res.Rollups.Round(time.Millisecond))
	return db, res
}

// actorOn makes a user holding role on org and returns its context.
func actorOn(b testing.TB, db *sqldb.DB, username string, role caunoi.Role, org *caunoi.Organisation) context.Context {
	b.Helper()
	users := sqldb.NewUserService(db)
	sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
	u := &caunoi.User{Username: username, DisplayName: username, Grants: []caunoi.Grant{{Role: role, OrgID: org.ID}}}
	if err := users.CreateUser(sys, u, testPassword); err != nil {
		b.Fatal(err)
	}
	a, err := users.ActorByUserID(context.Background(), u.ID, 1)
	if err != nil {
		b.Fatal(err)
	}
	return caunoi.NewContextWithActor(context.Background(), a)
}

// rawAggregates runs the aggregate SQL a report's headline numbers need
// straight over the records, by group (by province for the nation): the
// contacts, distinct clients and condoms of the contacts, and the
// services and distinct clients of each kind.
func rawAggregates(b *testing.B, db *sqldb.DB, root string, p caunoi.Period, byProvince bool) {
	b.Helper()
	key := "org_id"
	if byProvince {
		key = "substr(org_path, 1, 75)" // "/national/province/": 1 + 36 + 1 + 36 + 1
	}
	end := root[:len(root)-1] + "0"
	condoms := "COALESCE(CAST(json_extract(commodities, '$.condom') AS INTEGER), 0)"
	if db.Dialect == sqldb.Postgres {
		condoms = "COALESCE((commodities::jsonb ->> 'condom')::bigint, 0)"
	}
	queries := []struct {
		sql  string
		args []any
	}{
		{"SELECT " + key + ", COUNT(*), COUNT(DISTINCT client_id), SUM(" + condoms + ") FROM contacts WHERE org_path >= $1 AND org_path < $2 AND at >= $3 AND at < $4 AND voided_at IS NULL GROUP BY " + key,
			[]any{root, end, p.StartInstant().UTC(), p.EndInstant().UTC()}},
		{"SELECT " + key + ", kind, COUNT(*), COUNT(DISTINCT client_id) FROM services WHERE org_path >= $1 AND org_path < $2 AND given_on >= $3 AND given_on <= $4 AND voided_at IS NULL GROUP BY " + key + ", kind",
			[]any{root, end, p.Start, p.End}},
	}
	n := 0
	for _, q := range queries {
		rows, err := db.ReadDB().QueryContext(context.Background(), q.sql, q.args...)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			n++
		}
		rows.Close()
	}
	if n == 0 {
		b.Fatal("no rows")
	}
}
