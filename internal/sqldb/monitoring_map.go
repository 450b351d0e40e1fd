package sqldb

import (
	"context"
	"fmt"

	"caunoi"
)

var _ caunoi.MapService = (*IndicatorService)(nil)

// ContactsByPlace counts the contacts made at each place of the subtree in
// the period.
func (s *IndicatorService) ContactsByPlace(ctx context.Context, orgID string, p caunoi.Period) (map[string]int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermClientRead)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	out := map[string]int{}
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var q query
		q.add("SELECT k.place_id, COUNT(*) FROM contacts k WHERE k.place_id IS NOT NULL AND k.voided_at IS NULL AND ")
		if err := q.scope(a, caunoi.PermClientRead, "k.org_path"); err != nil {
			return err
		}
		if err := tx.orgFilter(ctx, &q, orgID, "k.org_path"); err != nil {
			return err
		}
		q.add(" AND k.at >= ", q.arg(p.StartInstant().UTC()), " AND k.at < ", q.arg(p.EndInstant().UTC()), " GROUP BY k.place_id")
		rows, err := tx.QueryContext(ctx, q.String(), q.args...)
		if err != nil {
			return fmt.Errorf("contacts by place: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				return fmt.Errorf("contacts by place: %w", err)
			}
			out[id] = n
		}
		return rows.Err()
	})
	return out, err
}
