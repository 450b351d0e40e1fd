package sqldb_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"caunoi"
	"caunoi/internal/gen"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// countsScale is a generated data set big enough for every kind of
// record, sex, age band, population and residence to meet in several
// groups of two provinces over two years.
var countsScale = gen.Scale{Provinces: 2, Groups: 6, Clients: 600, Contacts: 6_000, Services: 3_000, Years: 2, LastYear: 2025}

// cellsOf lists a value set's cells as lines, for comparing two of them.
func cellsOf(v *caunoi.Values) []string {
	var out []string
	for _, s := range v.Series {
		for _, c := range s.Cells {
			var keys []string
			for _, d := range s.Grouping {
				keys = append(keys, d+"="+c.Keys[d])
			}
			out = append(out, fmt.Sprintf("%s by %v %v = %v suppressed=%v undefined=%v", s.Indicator, s.Grouping, keys, c.Value, c.Suppressed, c.Undefined))
		}
	}
	slices.Sort(out)
	return out
}

// TestCountsAgreeWithTheRollupByClient evaluates every catalogue
// indicator, and a user-defined one whose filter is new to the count
// rollup, over each kept period of a year and a month, by every grouping
// a report uses and two crossed client dimensions: the count rollup, the
// rollup by client and the records give the same cells.
func TestCountsAgreeWithTheRollupByClient(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		res, err := gen.Generate(ctx, db, countsScale, nil)
		must(t, err)
		prov := res.Provinces[0]
		officer := actorOn(t, db, "canbo.demsoluong", caunoi.RoleProvinceOfficer, prov)
		svc := sqldb.NewIndicatorService(db)
		custom := &caunoi.Indicator{Code: "TESTED_DRUG_USERS", NameVI: "Người sử dụng ma túy được xét nghiệm", NameEN: "People who use drugs tested",
			Unit: "person", Count: caunoi.CountClients, Source: "services", Kinds: []string{"hiv_test", "hepatitis"},
			Populations: []caunoi.Population{caunoi.PopDrugUse}, OrgID: prov.ID,
			Disaggregations: []string{"sex", "age_band", "population", "residence", "model", "org", "province"}}
		must(t, svc.CreateIndicator(officer, custom))
		var codes []string
		all, err := svc.FindIndicators(officer)
		must(t, err)
		for _, ind := range all {
			codes = append(codes, ind.Code)
		}
		if !slices.Contains(codes, custom.Code) {
			t.Fatal("the user-defined indicator is not listed")
		}
		groupings := [][]string{{"org"}, {"province"}, {"model"}, {"sex"}, {"age_band"}, {"population"}, {"residence"}, {"model", "sex"}, {"sex", "age_band"}}
		evaluate := func(t *testing.T, mode, period string) []string {
			t.Helper()
			p, err := caunoi.ParsePeriod(period)
			must(t, err)
			svc.Raw, svc.NoCounts = mode == "records", mode == "rollup"
			v, err := svc.Evaluate(officer, caunoi.ValueQuery{OrgID: prov.ID, Period: p, Indicators: slices.Clone(codes), Groupings: groupings})
			must(t, err)
			return cellsOf(v)
		}
		for _, period := range []string{"2025", "2025-H1", "2024-H2", "2025-Q3", "2024-Q1", "2025-03"} {
			t.Run(period, func(t *testing.T) {
				counts, rollup := evaluate(t, "counts", period), evaluate(t, "rollup", period)
				nonZero := 0
				for _, c := range counts {
					if !strings.HasSuffix(c, "= 0 suppressed=false undefined=false") {
						nonZero++
					}
				}
				if nonZero < 100 {
					t.Fatalf("only %d cells are not zero: the data set does not test much", nonZero)
				}
				want := rollup
				if period == "2025-H1" {
					// The records too, once: they take longest.
					if records := evaluate(t, "records", period); !slices.Equal(records, rollup) {
						diff(t, "rollup", "records", rollup, records)
					}
				}
				if !slices.Equal(counts, want) {
					diff(t, "counts", "rollup", counts, want)
				}
			})
		}
		// And the counts are what a report reads: a count changed behind
		// the engine's back shows.
		var pending int
		must(t, db.ReadDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM monitoring_count_filters WHERE NOT ready").Scan(&pending))
		if pending != 0 {
			t.Errorf("%d filters are not ready", pending)
		}
		if _, err := db.WriteDB().ExecContext(ctx, "UPDATE monitoring_counts SET events = events + 1000 WHERE year = 2025 AND period = 'Y'"); err != nil {
			t.Fatal(err)
		}
		if slices.Equal(evaluate(t, "counts", "2025"), evaluate(t, "rollup", "2025")) {
			t.Error("the year's report did not read the count rollup")
		}
	})
}

// diff reports the lines of got that want lacks and the other way round.
func diff(t *testing.T, gotName, wantName string, got, want []string) {
	t.Helper()
	n := 0
	for _, g := range got {
		if !slices.Contains(want, g) && n < 20 {
			t.Errorf("%s only: %s", gotName, g)
			n++
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) && n < 40 {
			t.Errorf("%s only: %s", wantName, w)
			n++
		}
	}
}
