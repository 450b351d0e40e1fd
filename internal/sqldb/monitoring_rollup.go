package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"caunoi"
	"caunoi/internal/indicator"
)

// dialect returns the engine's name of the database's dialect.
func (db *DB) dialect() indicator.Dialect { return indicator.Dialect(db.Dialect) }

// EnsureRollups (re)creates the rollup triggers after a bulk load that
// suspended them (see DropRollupTriggers).
func (db *DB) EnsureRollups(ctx context.Context) error { return db.ensureRollups(ctx) }

// DropRollupTriggers suspends the triggers that mark rollups stale, for a
// bulk load; EnsureRollups and MarkRollupsStale bring them back.
func (db *DB) DropRollupTriggers(ctx context.Context) error {
	for _, stmt := range indicator.DropTriggerDDL(db.dialect()) {
		if _, err := db.write.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("rollups: %w", err)
		}
	}
	return nil
}

// MarkRollupsStale marks every organisation's rollups stale, so that the
// next count rebuilds them all.
func (db *DB) MarkRollupsStale(ctx context.Context) error {
	for _, s := range indicator.RollupSources() {
		if _, err := db.write.ExecContext(ctx, "INSERT INTO monitoring_stale (source, org_id) SELECT $1, id FROM orgs WHERE true ON CONFLICT DO NOTHING", s.Name); err != nil {
			return fmt.Errorf("rollups: %w", err)
		}
	}
	return nil
}

// ensureRollups (re)creates the triggers that mark rollups stale, from the
// engine's source declarations, and marks every organisation stale for a
// rollup source met for the first time (so its rollups get built). It
// runs after the migrations.
func (db *DB) ensureRollups(ctx context.Context) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rollups: %w", err)
	}
	defer tx.Rollback()
	for _, stmt := range indicator.TriggerDDL(db.dialect()) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("rollups: %s: %w", stmt, err)
		}
	}
	for _, s := range indicator.RollupSources() {
		res, err := tx.ExecContext(ctx, "INSERT INTO monitoring_sources (source) VALUES ($1) ON CONFLICT DO NOTHING", s.Name)
		if err != nil {
			return fmt.Errorf("rollups: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			if _, err := tx.ExecContext(ctx, "INSERT INTO monitoring_stale (source, org_id) SELECT $1, id FROM orgs WHERE true ON CONFLICT DO NOTHING", s.Name); err != nil {
				return fmt.Errorf("rollups: %w", err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("rollups: %w", err)
	}
	return nil
}

// allOrgs reads every organisation, voided ones too.
func allOrgs(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) ([]*caunoi.Organisation, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+orgCols+" FROM orgs o ORDER BY o.path")
	if err != nil {
		return nil, fmt.Errorf("orgs: %w", err)
	}
	defer rows.Close()
	var out []*caunoi.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, fmt.Errorf("orgs: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// reportUnits reads the provinces and the units organisations name.
func reportUnits(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) ([]*caunoi.AdminUnit, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+unitCols+" FROM admin_units WHERE level = 'province' OR code IN (SELECT admin_unit_code FROM orgs)")
	if err != nil {
		return nil, fmt.Errorf("admin units: %w", err)
	}
	defer rows.Close()
	var out []*caunoi.AdminUnit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("admin units: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// RefreshRollups brings the rollups up to date: organisations whose
// province or models changed since their rows were built are marked
// stale, and every stale organisation's rows are rebuilt from its
// records, in one transaction, with its count rollup; filters new to the
// count rollup are built for every organisation. It does nothing, cheaply,
// when nothing is stale. Evaluate calls it, and so do the server's
// background refresher (web.Server.KeepRollups) and the benchmark
// generator after a load.
func (db *DB) RefreshRollups(ctx context.Context) (rebuilt int, err error) {
	orgs, err := allOrgs(ctx, db.read)
	if err != nil {
		return 0, err
	}
	units, err := reportUnits(ctx, db.read)
	if err != nil {
		return 0, err
	}
	keys := indicator.NewOrgKeys(orgs, units)
	set, err := indicatorSet(ctx, db.read)
	if err != nil {
		return 0, err
	}
	filters := indicator.CountFilters(set)
	pending, err := db.syncCountFilters(ctx, filters)
	if err != nil {
		return 0, err
	}
	stored := map[string][2]string{}
	rows, err := db.read.QueryContext(ctx, "SELECT org_id, province, models FROM monitoring_org_keys")
	if err != nil {
		return 0, fmt.Errorf("rollups: %w", err)
	}
	for rows.Next() {
		var id, p, m string
		if err := rows.Scan(&id, &p, &m); err != nil {
			rows.Close()
			return 0, fmt.Errorf("rollups: %w", err)
		}
		stored[id] = [2]string{p, m}
	}
	rows.Close()
	var changed []*caunoi.Organisation
	for _, o := range orgs {
		if stored[o.ID] != [2]string{keys.Province[o.ID], keys.ModelList(o.ID)} {
			changed = append(changed, o)
		}
	}
	var stale int
	if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM monitoring_stale").Scan(&stale); err != nil {
		return 0, fmt.Errorf("rollups: %w", err)
	}
	if stale == 0 && len(changed) == 0 && len(pending) == 0 {
		return 0, nil
	}
	begin := func() (*sql.Tx, error) {
		tx, err := db.write.BeginTx(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("rollups: %w", err)
		}
		if db.Dialect == Postgres {
			// One refresher at a time: two would insert the same rows twice.
			if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(6006)"); err != nil {
				tx.Rollback()
				return nil, fmt.Errorf("rollups: %w", err)
			}
		}
		return tx, nil
	}
	if len(changed) > 0 {
		tx, err := begin()
		if err != nil {
			return 0, err
		}
		for _, o := range changed {
			for _, s := range indicator.RollupSources() {
				if _, err := tx.ExecContext(ctx, "INSERT INTO monitoring_stale (source, org_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", s.Name, o.ID); err != nil {
					tx.Rollback()
					return 0, fmt.Errorf("rollups: %w", err)
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO monitoring_org_keys (org_id, province, models) VALUES ($1, $2, $3)
				ON CONFLICT (org_id) DO UPDATE SET province = excluded.province, models = excluded.models`,
				o.ID, keys.Province[o.ID], keys.ModelList(o.ID)); err != nil {
				tx.Rollback()
				return 0, fmt.Errorf("rollups: %w", err)
			}
		}
		if err := tx.Commit(); err != nil {
			return 0, fmt.Errorf("rollups: %w", err)
		}
	}
	stmts := map[string][]indicator.RebuildStmt{}
	spans := map[string]string{}
	for _, s := range indicator.RollupSources() {
		stmts[s.Name], spans[s.Name] = s.RebuildSQL(db.dialect()), s.SpansSQL()
	}
	paths := map[string]string{}
	var ids []string
	for _, o := range orgs {
		paths[o.ID] = o.Path
		ids = append(ids, o.ID)
	}
	// Rebuild a batch of partitions a transaction: each partition with its
	// stale mark, so that a reader never sees half of one.
	for {
		n, err := db.rebuildBatch(ctx, begin, stmts, filters, spans, paths, keys)
		if err != nil {
			return rebuilt, err
		}
		if n == 0 {
			break
		}
		rebuilt += n
	}
	// Filters new to the count rollup: every organisation's counts, by
	// one caller at a time. Another leaves them to it; until they are
	// ready, what they count is read from the rollup by client.
	if len(pending) == 0 || !db.countBuild.TryLock() {
		return rebuilt, nil
	}
	defer db.countBuild.Unlock()
	return rebuilt, db.buildCounts(ctx, begin, pending, filters, ids, paths)
}

// rollupBatch is the number of partitions rebuilt in one transaction.
const rollupBatch = 64

// rebuildBatch rebuilds up to rollupBatch stale partitions in one
// transaction and returns how many.
func (db *DB) rebuildBatch(ctx context.Context, begin func() (*sql.Tx, error), stmts map[string][]indicator.RebuildStmt, filters map[string][]indicator.Filter,
	spans, paths map[string]string, keys indicator.OrgKeys) (int, error) {
	tx, err := begin()
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	type part struct{ source, org string }
	var parts []part
	rows, err := tx.QueryContext(ctx, "SELECT source, org_id FROM monitoring_stale ORDER BY source, org_id LIMIT $1", rollupBatch)
	if err != nil {
		return 0, fmt.Errorf("rollups: %w", err)
	}
	for rows.Next() {
		var p part
		if err := rows.Scan(&p.source, &p.org); err != nil {
			rows.Close()
			return 0, fmt.Errorf("rollups: %w", err)
		}
		parts = append(parts, p)
	}
	rows.Close()
	for _, p := range parts {
		values := map[string]any{"org": p.org, "path": paths[p.org], "province": keys.Province[p.org], "models": keys.ModelList(p.org)}
		for _, st := range stmts[p.source] {
			args := make([]any, len(st.Params))
			for i, name := range st.Params {
				args[i] = values[name]
			}
			if _, err := tx.ExecContext(ctx, st.SQL, args...); err != nil {
				return 0, fmt.Errorf("rollups: rebuild %s: %w", p.source, err)
			}
		}
		if err := rebuildCounts(ctx, db.Dialect, tx, p.source, p.org, paths[p.org], filters[p.source]); err != nil {
			return 0, err
		}
		if err := markSpans(ctx, tx, p.source, p.org, spans[p.source], paths); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM monitoring_stale WHERE source = $1 AND org_id = $2", p.source, p.org); err != nil {
			return 0, fmt.Errorf("rollups: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("rollups: %w", err)
	}
	return len(parts), nil
}

// markSpans records whether an organisation has records of the source
// for clients registered elsewhere (see indicator.Source.SpansSQL): then
// distinct clients of the subtrees holding it are counted one grouping at
// a time rather than added up.
func markSpans(ctx context.Context, tx *sql.Tx, source, orgID, spansSQL string, paths map[string]string) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM monitoring_spans WHERE source = $1 AND org_id = $2", source, orgID); err != nil {
		return fmt.Errorf("rollups: spans: %w", err)
	}
	if spansSQL == "" {
		return nil
	}
	var one int
	switch err := tx.QueryRowContext(ctx, spansSQL, orgID, paths[orgID]).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("rollups: spans: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO monitoring_spans (source, org_id, org_path) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", source, orgID, paths[orgID]); err != nil {
		return fmt.Errorf("rollups: spans: %w", err)
	}
	return nil
}
