// Package gen generates a monitoring data set of any scale — up to the
// national one of issue 6: 34 provinces, 500 groups, 500,000 clients and
// 10,000,000 contacts and services over two years — straight into the
// database, for benchmarks. The organisation tree is made through the
// services (so it is audited and checked); clients, workers, contacts
// and services are bulk-inserted (multi-row INSERTs in large transactions
// on SQLite, COPY on PostgreSQL), with the secondary indexes dropped and
// built again afterwards, and the rollup triggers suspended, then the
// rollups built at the end.
package gen

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"caunoi"
	"caunoi/internal/sqldb"
)

// Scale says how much to make.
type Scale struct {
	Provinces, Groups, Clients, Contacts, Services int
	// Years of data, whole calendar years ending with LastYear.
	Years, LastYear int
}

// The scales.
var (
	// National is the scale of the nation: 10,000,000 contacts and
	// services (7 million and 3 million) over 2024 and 2025.
	National = Scale{Provinces: 34, Groups: 500, Clients: 500_000, Contacts: 7_000_000, Services: 3_000_000, Years: 2, LastYear: 2025}
	// Small is a quick data set for the default benchmark run.
	Small = Scale{Provinces: 3, Groups: 12, Clients: 3_000, Contacts: 30_000, Services: 12_000, Years: 2, LastYear: 2025}
)

// Result tells what was made and how long it took.
type Result struct {
	National  *caunoi.Organisation
	Provinces []*caunoi.Organisation
	Groups    []*caunoi.Organisation
	// Load is the time of the bulk insert and index builds; Rollups the
	// time of building the rollups afterwards.
	Load, Rollups time.Duration
	Rebuilt       int
}

// gen holds the state of one generation.
type gen struct {
	ctx     context.Context
	db      *sqldb.DB
	s       Scale
	rng     *rand.Rand
	groups  []*caunoi.Organisation
	workers []string   // one per group
	clients [][]string // client ids per group
}

// Generate makes a data set of the scale in an empty, migrated database
// and builds its rollups. logf, if not nil, is told of progress.
func Generate(ctx context.Context, db *sqldb.DB, s Scale, logf func(string, ...any)) (*Result, error) {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	g := &gen{ctx: caunoi.NewContextWithActor(ctx, caunoi.SystemActor()), db: db, s: s, rng: rand.New(rand.NewPCG(6, 2025))}
	res := &Result{}
	if err := g.orgs(res); err != nil {
		return nil, err
	}
	start := time.Now()
	if err := db.DropRollupTriggers(ctx); err != nil {
		return nil, err
	}
	restore, err := dropIndexes(ctx, db, "clients", "contacts", "services")
	if err != nil {
		return nil, err
	}
	steps := []struct {
		name string
		fn   func() error
	}{{"workers", g.makeWorkers}, {"clients", g.makeClients}, {"contacts", g.contacts}, {"services", g.services}}
	for _, st := range steps {
		t := time.Now()
		if err := st.fn(); err != nil {
			return nil, fmt.Errorf("gen %s: %w", st.name, err)
		}
		logf("gen: %s in %v", st.name, time.Since(t).Round(time.Millisecond))
	}
	t := time.Now()
	if err := restore(); err != nil {
		return nil, err
	}
	logf("gen: indexes built in %v", time.Since(t).Round(time.Millisecond))
	if db.Dialect == sqldb.Postgres {
		if _, err := db.WriteDB().ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
			return nil, fmt.Errorf("gen: %w", err)
		}
	}
	if err := db.EnsureRollups(ctx); err != nil {
		return nil, err
	}
	if err := db.MarkRollupsStale(ctx); err != nil {
		return nil, err
	}
	res.Load = time.Since(start)
	start = time.Now()
	if res.Rebuilt, err = db.RefreshRollups(ctx); err != nil {
		return nil, err
	}
	res.Rollups = time.Since(start)
	if db.Dialect == sqldb.Postgres {
		if _, err := db.WriteDB().ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
			return nil, fmt.Errorf("gen: %w", err)
		}
	}
	logf("gen: loaded in %v, rollups of %d partitions built in %v", res.Load.Round(time.Millisecond), res.Rebuilt, res.Rollups.Round(time.Millisecond))
	return res, nil
}

// orgs makes the national department, the provinces (the units in force)
// and the groups, spread over the provinces, each running one or two
// models.
func (g *gen) orgs(res *Result) error {
	orgs := sqldb.NewOrgService(g.db)
	units, _, err := sqldb.NewAdminUnitService(g.db).FindAdminUnits(g.ctx, caunoi.AdminUnitFilter{Level: caunoi.LevelProvince, On: ptr(caunoi.Today()),
		Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	if len(units) < g.s.Provinces {
		return fmt.Errorf("gen: %d provinces asked, %d in force", g.s.Provinces, len(units))
	}
	res.National = &caunoi.Organisation{Kind: caunoi.OrgNational, Name: "Cục Phòng, chống tệ nạn xã hội"}
	if err := orgs.CreateOrg(g.ctx, res.National); err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	for _, u := range units[:g.s.Provinces] {
		p := &caunoi.Organisation{Kind: caunoi.OrgProvince, ParentID: res.National.ID, Name: "Chi cục PCTNXH " + u.Name, AdminUnitCode: u.Code}
		if err := orgs.CreateOrg(g.ctx, p); err != nil {
			return fmt.Errorf("gen: %w", err)
		}
		res.Provinces = append(res.Provinces, p)
	}
	kinds := caunoi.GroupKinds
	for i := range g.s.Groups {
		p := res.Provinces[i%len(res.Provinces)]
		models := []caunoi.Model{caunoi.Models[i%len(caunoi.Models)]}
		if i%3 == 0 {
			models = append(models, caunoi.Models[(i+1)%len(caunoi.Models)])
		}
		o := &caunoi.Organisation{Kind: caunoi.OrgGroup, GroupKind: kinds[i%len(kinds)], ParentID: p.ID, Name: fmt.Sprintf("Nhóm %03d %s", i+1, p.AdminUnitCode),
			AdminUnitCode: p.AdminUnitCode, Models: models}
		if err := orgs.CreateOrg(g.ctx, o); err != nil {
			return fmt.Errorf("gen: %w", err)
		}
		res.Groups = append(res.Groups, o)
	}
	g.groups = res.Groups
	return nil
}

func ptr[T any](v T) *T { return &v }

// workers makes one peer educator per group.
func (g *gen) makeWorkers() error {
	now := time.Now().UTC().Truncate(time.Second)
	rows := make([][]any, 0, len(g.groups))
	grants := make([][]any, 0, len(g.groups))
	for i, o := range g.groups {
		id := caunoi.NewID()
		g.workers = append(g.workers, id)
		rows = append(rows, []any{id, fmt.Sprintf("gen.dongdang%03d", i+1), "Đồng đẳng viên " + o.Name, "x", now, now})
		grants = append(grants, []any{id, string(caunoi.RolePeerEducator), o.ID, now})
	}
	if err := g.insert("users", []string{"id", "username", "display_name", "password_hash", "created_at", "updated_at"}, len(rows), func(i int) []any { return rows[i] }); err != nil {
		return err
	}
	return g.insert("grants", []string{"user_id", "role", "org_id", "created_at"}, len(grants), func(i int) []any { return grants[i] })
}

// profiles are the populations of clients, weighted.
var profiles = []struct {
	pops string
	sex  string
	n    int
}{
	{",sex_work,", "female", 30}, {",sex_work,venue_worker,", "female", 12}, {",venue_worker,", "female", 10}, {",at_risk,", "female", 8},
	{",drug_use,", "male", 18}, {",drug_use,plhiv,", "male", 6}, {",post_rehab,", "male", 8}, {",plhiv,", "female", 3}, {",family,", "female", 5},
}

func (g *gen) profile() (string, string) {
	r := g.rng.IntN(100)
	for _, p := range profiles {
		if r < p.n {
			return p.pops, p.sex
		}
		r -= p.n
	}
	return profiles[0].pops, profiles[0].sex
}

// makeClients registers the clients, spread evenly over the groups.
func (g *gen) makeClients() error {
	g.clients = make([][]string, len(g.groups))
	now := time.Now().UTC().Truncate(time.Second)
	residences := []string{"local", "local", "local", "other_province", "mobile"}
	return g.insert("clients", []string{"id", "org_id", "org_path", "nickname", "nickname_search", "birth_year", "sex", "populations", "residence", "status", "created_at", "updated_at"},
		g.s.Clients, func(i int) []any {
			gi := i % len(g.groups)
			o := g.groups[gi]
			id := caunoi.NewID()
			g.clients[gi] = append(g.clients[gi], id)
			pops, sex := g.profile()
			if g.rng.IntN(20) == 0 {
				sex = "other"
			}
			nick := fmt.Sprintf("KH %d", i+1)
			return []any{id, o.ID, o.Path, nick, strings.ToLower(nick), 1965 + g.rng.IntN(45), sex, pops, residences[g.rng.IntN(len(residences))], "active", now, now}
		})
}

// when returns a moment of the data's years, in the evening in Vietnam.
func (g *gen) when() time.Time {
	first := time.Date(g.s.LastYear-g.s.Years+1, 1, 1, 0, 0, 0, 0, caunoi.Zone)
	days := int(time.Date(g.s.LastYear+1, 1, 1, 0, 0, 0, 0, caunoi.Zone).Sub(first).Hours() / 24)
	return first.AddDate(0, 0, g.rng.IntN(days)).Add(time.Duration(18*60+g.rng.IntN(300)) * time.Minute).UTC()
}

var (
	channels  = []string{"in_person", "in_person", "in_person", "phone", "zalo"}
	anonPops  = []string{"sex_work", "venue_worker", "drug_use", "at_risk"}
	anonSexes = []string{"female", "female", "male"}
	kits      = []string{`{"condom":10}`, `{"condom":20,"lubricant":2}`, `{}`, `{"needle":10,"condom":5}`, `{"leaflet":1}`}
)

// contacts records the outreach contacts: three in four with a client of
// the group, the rest with unnamed people.
func (g *gen) contacts() error {
	now := time.Now().UTC().Truncate(time.Second)
	return g.insert("contacts", []string{"id", "org_id", "org_path", "worker_id", "client_id", "anon_sex", "anon_population", "at", "channel", "place", "commodities",
		"topics", "created_at", "updated_at"}, g.s.Contacts, func(i int) []any {
		gi := g.rng.IntN(len(g.groups))
		o := g.groups[gi]
		var client any
		sex, pop := "", ""
		if cs := g.clients[gi]; len(cs) > 0 && g.rng.IntN(4) > 0 {
			client = cs[g.rng.IntN(len(cs))]
		} else {
			sex, pop = anonSexes[g.rng.IntN(len(anonSexes))], anonPops[g.rng.IntN(len(anonPops))]
		}
		return []any{caunoi.NewID(), o.ID, o.Path, g.workers[gi], client, sex, pop, g.when(), channels[g.rng.IntN(len(channels))], "", kits[g.rng.IntN(len(kits))],
			",hiv_sti,", now, now}
	})
}

// serviceMix are the services given, weighted, with their details and
// results as the rules allow.
var serviceMix = []struct {
	kind, detail string
	results      []string
	trade        string
	qty          int
	n            int
}{
	{caunoi.ServiceCounselling, "", nil, "", 0, 28},
	{caunoi.ServiceHIVTest, "community", []string{"negative", "negative", "negative", "reactive", ""}, "", 0, 14},
	{caunoi.ServiceSTIExam, "examination", nil, "", 0, 10},
	{caunoi.ServiceHealthInsurance, "renewed", nil, "", 0, 9},
	{caunoi.ServiceLegalAid, "advice", nil, "", 0, 8},
	{caunoi.ServiceIdentityPapers, "id_card", nil, "", 0, 4},
	{caunoi.ServiceMethadone, "continuation", nil, "", 0, 6},
	{caunoi.ServiceART, "continuation", nil, "", 0, 4},
	{caunoi.ServiceHepatitis, "hbv_screening", []string{"negative", "positive"}, "", 0, 4},
	{caunoi.ServiceMaterialSupport, "nutrition_package", nil, "", 1, 5},
	{caunoi.ServiceVocationalTraining, "enrolled", nil, "baking", 0, 3},
	{caunoi.ServiceJobPlacement, "", []string{caunoi.JobStable, caunoi.JobNotStable, ""}, "construction_helper", 0, 5},
}

// services records the services given to the groups' clients.
func (g *gen) services() error {
	now := time.Now().UTC().Truncate(time.Second)
	total := 0
	for _, m := range serviceMix {
		total += m.n
	}
	return g.insert("services", []string{"id", "org_id", "org_path", "client_id", "kind", "detail", "result", "trade", "quantity", "amount_vnd", "given_on", "worker_id",
		"created_at", "updated_at"}, g.s.Services, func(i int) []any {
		gi := g.rng.IntN(len(g.groups))
		for len(g.clients[gi]) == 0 {
			gi = g.rng.IntN(len(g.groups))
		}
		o := g.groups[gi]
		r := g.rng.IntN(total)
		m := serviceMix[0]
		for _, x := range serviceMix {
			if r < x.n {
				m = x
				break
			}
			r -= x.n
		}
		result := ""
		if len(m.results) > 0 {
			result = m.results[g.rng.IntN(len(m.results))]
		}
		qty := 0
		if m.qty > 0 {
			qty = 1 + g.rng.IntN(3)
		}
		on := g.when().In(caunoi.Zone)
		day := time.Date(on.Year(), on.Month(), on.Day(), 0, 0, 0, 0, time.UTC)
		cs := g.clients[gi]
		return []any{caunoi.NewID(), o.ID, o.Path, cs[g.rng.IntN(len(cs))], m.kind, m.detail, result, m.trade, qty, 0, day, g.workers[gi], now, now}
	})
}

// insert bulk-inserts n rows made by row into a table: COPY on
// PostgreSQL, batched multi-row INSERTs in large transactions on SQLite.
func (g *gen) insert(table string, cols []string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	if g.db.Dialect == sqldb.Postgres {
		conn, err := g.db.WriteDB().Conn(g.ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		return conn.Raw(func(dc any) error {
			c := dc.(*stdlib.Conn).Conn()
			i := 0
			_, err := c.CopyFrom(g.ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() ([]any, error) {
				if i >= n {
					return nil, nil
				}
				i++
				return row(i - 1), nil
			}))
			return err
		})
	}
	const batch, perTx = 500, 40
	// SQLite looks "$N" names up one by one; "?" is much cheaper in bulk.
	stmt := func(rows int) string {
		one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
		return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
	}
	w := g.db.WriteDB()
	args := make([]any, 0, batch*len(cols))
	for done := 0; done < n; {
		tx, err := w.BeginTx(g.ctx, nil)
		if err != nil {
			return err
		}
		var full *sql.Stmt
		for k := 0; k < perTx && done < n; k++ {
			rows := min(batch, n-done)
			args = args[:0]
			for j := range rows {
				args = append(args, row(done+j)...)
			}
			if rows == batch && full == nil {
				if full, err = tx.PrepareContext(g.ctx, stmt(batch)); err != nil {
					tx.Rollback()
					return err
				}
			}
			if rows == batch {
				_, err = full.ExecContext(g.ctx, args...)
			} else {
				_, err = tx.ExecContext(g.ctx, stmt(rows), args...)
			}
			if err != nil {
				tx.Rollback()
				return err
			}
			done += rows
		}
		if full != nil {
			full.Close()
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// dropIndexes drops the secondary indexes of tables (not those of a
// primary key or a unique constraint) and returns what builds them again
// from the definitions the database gives, so the load follows the
// migrations.
func dropIndexes(ctx context.Context, db *sqldb.DB, tables ...string) (func() error, error) {
	q := "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
	if db.Dialect == sqldb.Postgres {
		q = `SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename = $1
			AND i.indexdef NOT LIKE 'CREATE UNIQUE%'`
	}
	var defs []string
	for _, table := range tables {
		rows, err := db.WriteDB().QueryContext(ctx, q, table)
		if err != nil {
			return nil, fmt.Errorf("gen: indexes: %w", err)
		}
		var names []string
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				rows.Close()
				return nil, err
			}
			names, defs = append(names, name), append(defs, def)
		}
		rows.Close()
		for _, name := range names {
			if _, err := db.WriteDB().ExecContext(ctx, "DROP INDEX "+name); err != nil {
				return nil, fmt.Errorf("gen: drop index %s: %w", name, err)
			}
		}
	}
	return func() error {
		for _, def := range slices.Clone(defs) {
			if _, err := db.WriteDB().ExecContext(ctx, def); err != nil {
				return fmt.Errorf("gen: %s: %w", def, err)
			}
		}
		return nil
	}, nil
}
