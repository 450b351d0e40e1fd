package sqldb_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// benchEnvInt reads a size from the environment, or gives def.
func benchEnvInt(b *testing.B, name string, def int) int {
	b.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(strings.ReplaceAll(s, "_", ""))
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive number", name, s)
	}
	return n
}

// BenchmarkImportContacts times ImportContacts of one file of N rows
// (CAUNOI_BENCH_IMPORT_ROWS, default 2,000) by a peer educator: every row
// checked against storage and stored in one transaction.
func BenchmarkImportContacts(b *testing.B) {
	n := benchEnvInt(b, "CAUNOI_BENCH_IMPORT_ROWS", 2000)
	for _, d := range sqldbtest.Dialects() {
		b.Run(fmt.Sprintf("%s/rows=%d", d, n), func(b *testing.B) {
			db := sqldbtest.MustOpen(b, d)
			f := newFixture(b, db)
			pe := f.As(caunoi.RolePeerEducator, "hpg")
			base := time.Now().Add(-time.Hour).Truncate(time.Second)
			file := 0
			for b.Loop() {
				b.StopTimer()
				file++
				rows := make([]caunoi.ImportRow[*caunoi.Contact], n)
				for i := range rows {
					k := f.newContact("hpg")
					k.At = base.Add(-time.Duration(i) * time.Minute)
					k.Topics = []string{"hiv_sti"}
					rows[i] = caunoi.ImportRow[*caunoi.Contact]{Row: i + 2, Key: fmt.Sprintf("f%d-r%d", file, i), Record: k}
				}
				b.StartTimer()
				res, err := f.Imports.ImportContacts(pe, rows, caunoi.ImportOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if res.Imported != n || len(res.Errors) != 0 {
					b.Fatalf("imported %d of %d, errors %v", res.Imported, n, res.Errors)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// workerBench is a province of 50 groups and 200 workers whose contacts
// were generated straight into the database.
type workerBench struct {
	worker  context.Context // the worker timed
	id      string
	groups  []*caunoi.Organisation
	workers []string // ids; workers[i] works in groups[i%50]
}

const (
	benchGroups  = 50
	benchWorkers = 200
	benchBatch   = 500 // rows per INSERT
	benchPerTx   = 20  // INSERTs per transaction
)

// newWorkerBench makes the groups through the services and the workers,
// their grants and n contacts with raw batched INSERTs: n is far beyond
// what creating them one by one could reach.
func newWorkerBench(b *testing.B, db *sqldb.DB, n int) *workerBench {
	b.Helper()
	f := newFixture(b, db)
	w := &workerBench{}
	for i := range benchGroups {
		w.groups = append(w.groups, f.addOrg(fmt.Sprintf("g%02d", i), "hp", &caunoi.Organisation{Kind: caunoi.OrgGroup,
			GroupKind: caunoi.GroupPeer, Name: fmt.Sprintf("Nhóm đồng đẳng %02d", i)}))
	}
	ctx := b.Context()
	now := time.Now().UTC().Truncate(time.Microsecond)
	wdb := db.WriteDB()
	for i := range benchWorkers {
		id := caunoi.NewID()
		w.workers = append(w.workers, id)
		if _, err := wdb.ExecContext(ctx, `INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at)
			VALUES ($1, $2, $3, 'x', $4, $4)`, id, fmt.Sprintf("worker%03d", i), fmt.Sprintf("Đồng đẳng viên %03d", i), now); err != nil {
			b.Fatalf("insert user: %v", err)
		}
		if _, err := wdb.ExecContext(ctx, `INSERT INTO grants (user_id, role, org_id, created_at) VALUES ($1, 'peer_educator', $2, $3)`,
			id, w.groups[i%benchGroups].ID, now); err != nil {
			b.Fatalf("insert grant: %v", err)
		}
	}

	if db.Dialect == sqldb.SQLite {
		// The writer is one connection: give it a cache of 4 GiB for the
		// load, so index pages are not spilled and read back every batch.
		// The read pool, which the timed queries use, keeps the default.
		if _, err := wdb.ExecContext(ctx, "PRAGMA cache_size = -4194304"); err != nil {
			b.Fatal(err)
		}
		defer wdb.ExecContext(context.Background(), "PRAGMA cache_size = -2000")
	}
	start := time.Now()
	// Load without the secondary indexes of contacts, then build them
	// again from their own definitions: one sorted build is much faster
	// than millions of inserts at random places in each index.
	restore := dropIndexes(b, db, "contacts")
	rng := rand.New(rand.NewPCG(2025, 7))
	span := int64(2 * 365 * 24 * time.Hour / time.Second) // two years back
	anon := []struct{ sex, pop string }{{"female", "sex_work"}, {"female", "venue_worker"}, {"male", "drug_use"}, {"female", "at_risk"}}
	// insertSQL returns a multi-row INSERT of rows contacts. SQLite gets
	// "?" placeholders: it looks "$N" names up one by one, which costs
	// more than the insert itself at thousands of parameters.
	insertSQL := func(rows int) string {
		var sb strings.Builder
		sb.WriteString(`INSERT INTO contacts (id, org_id, org_path, worker_id, anon_sex, anon_population, at, created_at, updated_at,
			channel, place, commodities, topics) VALUES `)
		for r := range rows {
			if r > 0 {
				sb.WriteString(", ")
			}
			if db.Dialect == sqldb.Postgres {
				p := r * 7
				fmt.Fprintf(&sb, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d,", p+1, p+2, p+3, p+4, p+5, p+6, p+7, p+7, p+7)
			} else {
				sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?,")
			}
			sb.WriteString(` 'in_person', 'Chợ Sắt', '{"condom":10}', ',hiv_sti,')`)
		}
		return sb.String()
	}
	args := make([]any, 0, benchBatch*9)
	done := 0
	for done < n {
		tx, err := wdb.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		var full *sql.Stmt // the statement of a whole batch, prepared once a transaction
		for range benchPerTx {
			if done >= n {
				break
			}
			rows := min(benchBatch, n-done)
			args = args[:0]
			for range rows {
				wi := rng.IntN(benchWorkers)
				g := w.groups[wi%benchGroups]
				at := now.Add(-time.Duration(rng.Int64N(span)) * time.Second).Truncate(time.Second)
				a := anon[rng.IntN(len(anon))]
				args = append(args, caunoi.NewID(), g.ID, g.Path, w.workers[wi], a.sex, a.pop, at)
				if db.Dialect != sqldb.Postgres {
					args = append(args, at, at)
				}
			}
			if rows == benchBatch && full == nil {
				if full, err = tx.PrepareContext(ctx, insertSQL(benchBatch)); err != nil {
					b.Fatalf("prepare: %v", err)
				}
			}
			if rows == benchBatch {
				_, err = full.ExecContext(ctx, args...)
			} else {
				_, err = tx.ExecContext(ctx, insertSQL(rows), args...)
			}
			if err != nil {
				tx.Rollback()
				b.Fatalf("insert contacts: %v", err)
			}
			done += rows
		}
		if full != nil {
			full.Close()
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	loaded := time.Since(start)
	restore()
	b.Logf("%s: loaded %d contacts in %v, built the indexes in %v", db.Dialect, n, loaded.Round(time.Millisecond), (time.Since(start) - loaded).Round(time.Millisecond))
	// PostgreSQL's autovacuum would vacuum and analyse the table after
	// such a load (setting the visibility map that index-only scans
	// need); SQLite gathers statistics only when told, and Cầu Nối never
	// tells it, so SQLite plans as a deployment would
	// (CAUNOI_BENCH_ANALYZE=1 analyses it too).
	if db.Dialect == sqldb.Postgres {
		if _, err := wdb.ExecContext(ctx, "VACUUM ANALYZE contacts"); err != nil {
			b.Fatal(err)
		}
	} else if os.Getenv("CAUNOI_BENCH_ANALYZE") != "" {
		if _, err := wdb.ExecContext(ctx, "ANALYZE contacts"); err != nil {
			b.Fatal(err)
		}
	}
	el := time.Since(start)
	b.Logf("%s: generated %d contacts in %v (%.0f rows/s)", db.Dialect, n, el.Round(time.Millisecond), float64(n)/el.Seconds())

	w.id = w.workers[0]
	a, err := f.Users.ActorByUserID(ctx, w.id, 1)
	if err != nil {
		b.Fatal(err)
	}
	w.worker = caunoi.NewContextWithActor(ctx, a)
	return w
}

// BenchmarkWorkerContacts times listing a worker's contacts among N
// contacts (CAUNOI_BENCH_CONTACTS, default 20,000) of a province of 50
// groups and 200 workers over two years: the first page of 50 with the
// count, and one month of them.
func BenchmarkWorkerContacts(b *testing.B) {
	n := benchEnvInt(b, "CAUNOI_BENCH_CONTACTS", 20000)
	dialects := sqldbtest.Dialects()
	if only := os.Getenv("CAUNOI_BENCH_DIALECT"); only != "" {
		dialects = []sqldb.Dialect{sqldb.Dialect(only)}
	}
	for _, d := range dialects {
		b.Run(fmt.Sprintf("%s/contacts=%d", d, n), func(b *testing.B) {
			db := sqldbtest.MustOpen(b, d)
			w := newWorkerBench(b, db, n)
			contacts := sqldb.NewContactService(db)
			_, all, err := contacts.FindContacts(w.worker, caunoi.ContactFilter{WorkerID: w.id})
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("the worker has %d contacts", all)
			b.Run("page", func(b *testing.B) {
				for b.Loop() {
					ks, total, err := contacts.FindContacts(w.worker, caunoi.ContactFilter{WorkerID: w.id, Page: caunoi.Page{Limit: 50}})
					if err != nil {
						b.Fatal(err)
					}
					if total != all || len(ks) != min(50, all) {
						b.Fatalf("%d rows of %d, want %d of %d", len(ks), total, min(50, all), all)
					}
				}
			})
			b.Run("month", func(b *testing.B) {
				to := time.Now().AddDate(0, -6, 0)
				from := to.AddDate(0, -1, 0)
				for b.Loop() {
					_, total, err := contacts.FindContacts(w.worker, caunoi.ContactFilter{WorkerID: w.id, From: &from, To: &to, Page: caunoi.Page{Limit: 50}})
					if err != nil {
						b.Fatal(err)
					}
					if all >= 200*24 && total == 0 {
						b.Fatal("no contact in a month")
					}
				}
			})
			if os.Getenv("CAUNOI_BENCH_EXPLAIN") != "" {
				explainWorkerContacts(b, db, w)
			}
		})
	}
}

// explainWorkerContacts logs the plans of the two listing queries, as
// FindContacts builds them for a worker of one group.
func explainWorkerContacts(b *testing.B, db *sqldb.DB, w *workerBench) {
	b.Helper()
	g := w.groups[0]
	end := g.Path[:len(g.Path)-1] + "0"
	to := time.Now().AddDate(0, -6, 0).UTC()
	from := to.AddDate(0, -1, 0)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"SELECT COUNT(*) FROM contacts k WHERE ((k.org_path >= $1 AND k.org_path < $2)) AND k.voided_at IS NULL AND k.worker_id = $3", []any{g.Path, end, w.id}},
		{"SELECT k.id, k.at FROM contacts k WHERE ((k.org_path >= $1 AND k.org_path < $2)) AND k.voided_at IS NULL AND k.worker_id = $3 ORDER BY k.at DESC, k.id DESC LIMIT 50 OFFSET 0", []any{g.Path, end, w.id}},
		{"SELECT k.id, k.at FROM contacts k WHERE ((k.org_path >= $1 AND k.org_path < $2)) AND k.voided_at IS NULL AND k.worker_id = $3 AND k.at >= $4 AND k.at < $5 ORDER BY k.at DESC, k.id DESC LIMIT 50 OFFSET 0", []any{g.Path, end, w.id, from, to}},
	} {
		prefix := "EXPLAIN QUERY PLAN "
		if db.Dialect == sqldb.Postgres {
			prefix = "EXPLAIN (ANALYZE, BUFFERS) "
		}
		rows, err := db.ReadDB().QueryContext(b.Context(), prefix+q.sql, q.args...)
		if err != nil {
			b.Fatal(err)
		}
		cols, _ := rows.Columns()
		var plan []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				b.Fatal(err)
			}
			plan = append(plan, fmt.Sprint(vals[len(vals)-1]))
		}
		rows.Close()
		b.Logf("%s\n  %s", q.sql, strings.Join(plan, "\n  "))
	}
}

// dropIndexes drops the secondary indexes of a table (not those behind a
// primary key or a UNIQUE constraint) and returns a function that creates
// them again from the definitions the database itself gives, so the
// benchmark follows the migrations.
func dropIndexes(b *testing.B, db *sqldb.DB, table string) (restore func()) {
	b.Helper()
	q := "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL"
	if db.Dialect == sqldb.Postgres {
		q = `SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename = $1
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`
	}
	rows, err := db.WriteDB().QueryContext(b.Context(), q, table)
	if err != nil {
		b.Fatal(err)
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			b.Fatal(err)
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if len(names) < 3 {
		b.Fatalf("indexes of %s: %v", table, names)
	}
	for _, name := range names {
		if _, err := db.WriteDB().ExecContext(b.Context(), "DROP INDEX "+name); err != nil {
			b.Fatal(err)
		}
	}
	return func() {
		for _, def := range defs {
			if _, err := db.WriteDB().ExecContext(b.Context(), def); err != nil {
				b.Fatalf("%s: %v", def, err)
			}
		}
	}
}
