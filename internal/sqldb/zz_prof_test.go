package sqldb_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/indicator"
	"caunoi/internal/sqldb"
)

func TestZZProf(t *testing.T) {
	file := os.Getenv("ZZ_FILE")
	if file == "" {
		t.Skip()
	}
	ctx := context.Background()
	db, err := sqldb.Open(ctx, "sqlite:"+file)
	if err != nil {
		t.Fatal(err)
	}
	sys := caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
	orgs, _, _ := sqldb.NewOrgService(db).FindOrgs(sys, caunoi.OrgFilter{IncludeVoided: true, Page: caunoi.Page{Limit: 500}})
	orgs2, _, _ := sqldb.NewOrgService(db).FindOrgs(sys, caunoi.OrgFilter{IncludeVoided: true, Page: caunoi.Page{Offset: 500, Limit: 500}})
	orgs = append(orgs, orgs2...)
	units, _, _ := sqldb.NewAdminUnitService(db).FindAdminUnits(sys, caunoi.AdminUnitFilter{Page: caunoi.Page{Limit: 500}})
	set := map[string]*caunoi.Indicator{}
	var codes []string
	for _, d := range indicator.Catalogue() {
		set[d.Code] = d
		if d.Report {
			codes = append(codes, d.Code)
		}
	}
	p, _ := caunoi.ParsePeriod("2025")
	for _, gs := range [][][]string{{{"province"}}, {{"province"}, {"model"}}, {{"province"}, {"model"}, {"sex"}}, {{"province"}, {"model"}, {"sex"}, {"age_band"}, {"population"}}} {
		plan, err := indicator.NewPlan(indicator.Request{Dialect: indicator.SQLite, Root: orgs[0], Orgs: orgs, Keys: indicator.NewOrgKeys(orgs, units), Period: p, Set: set,
			Codes: codes, Groupings: gs})
		if err != nil {
			t.Fatal(err)
		}
		total := time.Now()
		for _, q := range plan.Queries() {
			start := time.Now()
			rows, err := db.ReadDB().Query(q.SQL, q.Args...)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			if d := time.Since(start); d > 20*time.Millisecond {
				fmt.Println(gs, q.Source, q.Fine, len(q.Bases), n, d)
			}
		}
		fmt.Println(gs, "total", time.Since(total))
	}
}
