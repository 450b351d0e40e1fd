package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"caunoi/internal/indicator"
)

// The count rollup (see internal/indicator/counts.go) is rebuilt with an
// organisation's rollup rows of a source, in the same transaction, and
// built for every organisation when a filter is new to it: a new
// indicator, or a catalogue grown by a release. Only filters built for
// every organisation are read.

// readyCountFilters returns the filters the count rollup holds for every
// organisation, as "source|key".
func readyCountFilters(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, "SELECT source, filter FROM monitoring_count_filters WHERE ready")
	if err != nil {
		return nil, fmt.Errorf("count filters: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var src, key string
		if err := rows.Scan(&src, &key); err != nil {
			return nil, fmt.Errorf("count filters: %w", err)
		}
		out[src+"|"+key] = true
	}
	return out, rows.Err()
}

// syncCountFilters makes monitoring_count_filters list exactly the
// filters of the definitions, new ones not ready, and returns the sources
// with a filter not ready.
func (db *DB) syncCountFilters(ctx context.Context, filters map[string][]indicator.Filter) ([]string, error) {
	stored := map[string]bool{} // "source|key" → ready
	rows, err := db.read.QueryContext(ctx, "SELECT source, filter, ready FROM monitoring_count_filters")
	if err != nil {
		return nil, fmt.Errorf("count filters: %w", err)
	}
	for rows.Next() {
		var src, key string
		var ready bool
		if err := rows.Scan(&src, &key, &ready); err != nil {
			rows.Close()
			return nil, fmt.Errorf("count filters: %w", err)
		}
		stored[src+"|"+key] = ready
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count filters: %w", err)
	}
	want := map[string]bool{}
	var fresh [][2]string
	pending := map[string]bool{}
	for src, fs := range filters {
		for _, f := range fs {
			k := src + "|" + f.Key()
			want[k] = true
			ready, ok := stored[k]
			if !ok {
				fresh = append(fresh, [2]string{src, f.Key()})
			}
			if !ready {
				pending[src] = true
			}
		}
	}
	var gone [][2]string
	for k := range stored {
		if !want[k] {
			src, key, _ := strings.Cut(k, "|")
			gone = append(gone, [2]string{src, key})
		}
	}
	if len(fresh) > 0 || len(gone) > 0 {
		tx, err := db.write.BeginTx(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("count filters: %w", err)
		}
		defer tx.Rollback()
		for _, f := range fresh {
			if _, err := tx.ExecContext(ctx, "INSERT INTO monitoring_count_filters (source, filter, ready) VALUES ($1, $2, FALSE) ON CONFLICT DO NOTHING", f[0], f[1]); err != nil {
				return nil, fmt.Errorf("count filters: %w", err)
			}
		}
		for _, f := range gone {
			if _, err := tx.ExecContext(ctx, "DELETE FROM monitoring_count_filters WHERE source = $1 AND filter = $2", f[0], f[1]); err != nil {
				return nil, fmt.Errorf("count filters: %w", err)
			}
		}
		if err := tx.Commit(); err != nil {
			return nil, fmt.Errorf("count filters: %w", err)
		}
	}
	var out []string
	for src := range pending {
		out = append(out, src)
	}
	return out, nil
}

// buildCounts builds the count rollup of the sources for every
// organisation, a batch of organisations a transaction, then marks their
// filters ready.
func (db *DB) buildCounts(ctx context.Context, begin func() (*sql.Tx, error), sources []string, filters map[string][]indicator.Filter, orgIDs []string,
	paths map[string]string) error {
	for _, src := range sources {
		for i := 0; i < len(orgIDs); i += rollupBatch {
			tx, err := begin()
			if err != nil {
				return err
			}
			for _, id := range orgIDs[i:min(i+rollupBatch, len(orgIDs))] {
				if err := rebuildCounts(ctx, db.Dialect, tx, src, id, paths[id], filters[src]); err != nil {
					tx.Rollback()
					return err
				}
			}
			if err := tx.Commit(); err != nil {
				return fmt.Errorf("counts: %w", err)
			}
		}
		if _, err := db.write.ExecContext(ctx, "UPDATE monitoring_count_filters SET ready = TRUE WHERE source = $1", src); err != nil {
			return fmt.Errorf("count filters: %w", err)
		}
	}
	return nil
}

// countInsertRows bounds the rows of one INSERT of counts.
const countInsertRows = 500

// rebuildCounts replaces an organisation's count rollup of a source with
// the counts of its rollup rows.
func rebuildCounts(ctx context.Context, d Dialect, tx *sql.Tx, source, orgID, path string, filters []indicator.Filter) error {
	del := "DELETE FROM monitoring_counts WHERE org_id = $1 AND source = $2"
	if d == SQLite {
		// Without statistics SQLite would rather walk the source's part
		// of the primary key than look the organisation up.
		del = "DELETE FROM monitoring_counts INDEXED BY monitoring_counts_org WHERE org_id = $1 AND source = $2"
	}
	if _, err := tx.ExecContext(ctx, del, orgID, source); err != nil {
		return fmt.Errorf("counts: %w", err)
	}
	if len(filters) == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+indicator.RollupRowColumns+" FROM monitoring_rollup WHERE source = $1 AND org_path = $2", source, path)
	if err != nil {
		return fmt.Errorf("counts: %w", err)
	}
	var in []indicator.RollupRow
	for rows.Next() {
		var r indicator.RollupRow
		dest := []any{&r.Year, &r.Kind, &r.Detail, &r.Outcome, &r.ClientID, &r.Sex, &r.BirthYear, &r.Populations, &r.Residence, &r.Months}
		for m := range r.Events {
			dest = append(dest, &r.Events[m])
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return fmt.Errorf("counts: %w", err)
		}
		in = append(in, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("counts: %w", err)
	}
	out := indicator.Counts(in, filters)
	// Many rows a statement. SQLite is given "?" placeholders: it looks
	// each "$n" up by name, which costs the square of their number.
	for i := 0; i < len(out); i += countInsertRows {
		chunk := out[i:min(i+countInsertRows, len(out))]
		var sb strings.Builder
		sb.WriteString("INSERT INTO monitoring_counts (source, year, period, dim, org_path, value, filter, org_id, events, clients) VALUES ")
		args := make([]any, 0, 10*len(chunk))
		for j, c := range chunk {
			if j > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(")
			for k, v := range []any{source, c.Year, c.Period, c.Dim, path, c.Value, c.Filter, orgID, c.Events, c.Clients} {
				if k > 0 {
					sb.WriteString(", ")
				}
				args = append(args, v)
				if d == SQLite {
					sb.WriteString("?")
				} else {
					fmt.Fprintf(&sb, "$%d", len(args))
				}
			}
			sb.WriteString(")")
		}
		if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
			return fmt.Errorf("counts: %w", err)
		}
	}
	return nil
}
