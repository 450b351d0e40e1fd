package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"caunoi"
)

// TargetService implements caunoi.TargetService.
type TargetService struct{ db *DB }

// NewTargetService returns the target service.
func NewTargetService(db *DB) *TargetService { return &TargetService{db: db} }

var _ caunoi.TargetService = (*TargetService)(nil)

const targetCols = `t.id, t.org_id, t.org_path, t.indicator, t.model, t.period_kind, t.period_start, t.period_end, t.value,
	t.version, t.created_by, t.created_at, t.updated_at, t.voided_at, t.voided_by, t.void_reason`

func scanTarget(sc scanner) (*caunoi.Target, error) {
	var t caunoi.Target
	var model string
	var voided sql.NullTime
	err := sc.Scan(&t.ID, &t.OrgID, &t.OrgPath, &t.Indicator, &model, &t.Period.Kind, &t.Period.Start, &t.Period.End, &t.Value,
		&t.Version, &t.CreatedBy, &t.CreatedAt, &t.UpdatedAt, &voided, &t.VoidedBy, &t.VoidReason)
	if err != nil {
		return nil, err
	}
	t.Model = caunoi.Model(model)
	t.Period.Start, t.Period.End = t.Period.Start.UTC(), t.Period.End.UTC()
	t.CreatedAt, t.UpdatedAt, t.VoidedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC(), timePtr(voided)
	return &t, nil
}

// FindTargets lists live targets in the actor's report.read scope, by
// period, organisation path and indicator.
func (s *TargetService) FindTargets(ctx context.Context, f caunoi.TargetFilter) ([]*caunoi.Target, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermReportRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.Target
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(" FROM targets t WHERE ")
		if err := w.scope(a, caunoi.PermReportRead, "t.org_path"); err != nil {
			return err
		}
		w.add(" AND t.voided_at IS NULL")
		if f.OrgID != "" {
			o, err := tx.findOrg(ctx, f.OrgID, caunoi.PermReportRead)
			if err != nil {
				return err
			}
			w.add(" AND t.org_path >= ", w.arg(o.Path), " AND t.org_path < ", w.arg(pathEnd(o.Path)))
		}
		if f.Indicator != "" {
			w.add(" AND t.indicator = ", w.arg(f.Indicator))
		}
		if f.Period != nil {
			w.add(" AND t.period_start = ", w.arg(f.Period.Start), " AND t.period_end = ", w.arg(f.Period.End))
		}
		items, n, err := listPage(ctx, tx, "targets", targetCols, w, "t.period_start, t.org_path, t.indicator, t.model", f.Page, scanTarget)
		out, total = items, n
		return err
	})
	return out, total, err
}

func (tx *Tx) findTarget(ctx context.Context, id string, p caunoi.Permission) (*caunoi.Target, error) {
	var q query
	q.add("SELECT ", targetCols, " FROM targets t WHERE t.id = ", q.arg(id), " AND ")
	if err := q.scope(tx.actor, p, "t.org_path"); err != nil {
		return nil, err
	}
	t, err := scanTarget(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "target")
	}
	return t, nil
}

// SetTarget creates a target or changes the value of the live one of the
// same organisation, indicator, model and period.
func (s *TargetService) SetTarget(ctx context.Context, t *caunoi.Target) error {
	if _, err := caunoi.Require(ctx, caunoi.PermMonitorWrite); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if old, err := tx.findTarget(ctx, t.ID, caunoi.PermReportRead); err == nil && t.Version == 0 {
			*t = *old // a repeated create
			return nil
		}
		o, err := tx.findOrg(ctx, t.OrgID, caunoi.PermMonitorWrite)
		if err != nil {
			if caunoi.ErrorCode(err) == caunoi.ENOTFOUND {
				return caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.not_in_scope"})
			}
			return err
		}
		set, err := tx.indicatorSet(ctx)
		if err != nil {
			return err
		}
		if ind := set[t.Indicator]; ind == nil || ind.Voided() {
			return caunoi.Invalid(caunoi.FieldError{Field: "indicator", Key: "err.indicator.unknown", Args: map[string]any{"Code": t.Indicator}})
		}
		old, err := scanTarget(tx.QueryRowContext(ctx, "SELECT "+targetCols+` FROM targets t WHERE t.org_id = $1 AND t.indicator = $2 AND t.model = $3
			AND t.period_start = $4 AND t.period_end = $5 AND t.voided_at IS NULL`, o.ID, t.Indicator, string(t.Model), t.Period.Start, t.Period.End))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			t.OrgPath, t.Version, t.CreatedBy, t.CreatedAt, t.UpdatedAt = o.Path, 1, tx.actor.UserID, tx.now, tx.now
			if _, err := tx.ExecContext(ctx, `INSERT INTO targets (id, org_id, org_path, indicator, model, period_kind, period_start, period_end, value, version,
				created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $11)`,
				t.ID, o.ID, o.Path, t.Indicator, string(t.Model), t.Period.Kind, t.Period.Start, t.Period.End, t.Value, t.CreatedBy, tx.now); err != nil {
				return fmt.Errorf("insert target: %w", err)
			}
			return tx.audit(caunoi.ActionCreate, "target", t.ID, o.Path, nil, t, "")
		case err != nil:
			return fmt.Errorf("find target: %w", err)
		}
		if t.Version == 0 {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.target.exists", nil)
		}
		if err := checkChangeable(old.Voiding, old.Version, t.Version); err != nil {
			return err
		}
		next := *old
		next.Value, next.Version, next.UpdatedAt = t.Value, old.Version+1, tx.now
		if err := tx.execVersioned(ctx, "update target", `UPDATE targets SET value = $1, version = $2, updated_at = $3 WHERE id = $4 AND version = $5`,
			next.Value, next.Version, tx.now, old.ID, old.Version); err != nil {
			return err
		}
		*t = next
		return tx.audit(caunoi.ActionUpdate, "target", old.ID, old.OrgPath, old, next, "")
	})
}

// VoidTarget voids a target with a reason.
func (s *TargetService) VoidTarget(ctx context.Context, id string, version int, reason string) (*caunoi.Target, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermMonitorWrite); err != nil {
		return nil, err
	}
	if err := caunoi.ValidateVoidReason(reason); err != nil {
		return nil, err
	}
	var out *caunoi.Target
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findTarget(ctx, id, caunoi.PermMonitorWrite)
		if err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, version); err != nil {
			return err
		}
		next := *old
		if next.Voiding, err = tx.voidRow(ctx, "targets", id, version, reason); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		out = &next
		return tx.audit(caunoi.ActionVoid, "target", id, old.OrgPath, old, next, reason)
	})
	return out, err
}

// targetsFor returns the live targets of a period for the subtree of an
// organisation, as the actor may see them.
func (s *TargetService) targetsFor(ctx context.Context, orgID string, p caunoi.Period) ([]*caunoi.Target, error) {
	var out []*caunoi.Target
	for off := 0; ; off += caunoi.MaxPageSize {
		ts, total, err := s.FindTargets(ctx, caunoi.TargetFilter{OrgID: orgID, Period: &p, Page: caunoi.Page{Offset: off, Limit: caunoi.MaxPageSize}})
		if err != nil {
			return nil, err
		}
		out = append(out, ts...)
		if off+len(ts) >= total || len(ts) == 0 {
			return out, nil
		}
	}
}
