package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"caunoi"
	"caunoi/internal/money"
)

// BudgetService implements caunoi.BudgetService.
type BudgetService struct{ db *DB }

// NewBudgetService returns the budget service.
func NewBudgetService(db *DB) *BudgetService { return &BudgetService{db: db} }

var _ caunoi.BudgetService = (*BudgetService)(nil)

func init() {
	// Norms, plans and expenditures are voided with a reason, never deleted.
	for _, t := range []string{"cost_norms", "budget_plans", "expenditures"} {
		voidable[t] = true
	}
}

const normCols = `n.id, n.org_id, n.org_path, o.name, n.model, n.activity, n.unit, n.max_unit_cost, n.max_per_case, n.valid_from, n.valid_to,
	n.notes, n.version, n.created_at, n.voided_at, n.voided_by, n.void_reason`

const normFrom = ` FROM cost_norms n JOIN orgs o ON o.id = n.org_id`

func scanNorm(sc scanner) (*caunoi.CostNorm, error) {
	var n caunoi.CostNorm
	var from time.Time
	var to, voided sql.NullTime
	if err := sc.Scan(&n.ID, &n.OrgID, &n.OrgPath, &n.OrgName, &n.Model, &n.Activity, &n.Unit, &n.MaxUnitCost, &n.MaxPerCase, &from, &to,
		&n.Notes, &n.Version, &n.CreatedAt, &voided, &n.VoidedBy, &n.VoidReason); err != nil {
		return nil, err
	}
	n.ValidFrom, n.ValidTo, n.VoidedAt, n.CreatedAt = caunoi.Date(from.UTC()), timePtr(to), timePtr(voided), n.CreatedAt.UTC()
	return &n, nil
}

func (tx *Tx) findNorm(ctx context.Context, id string, p caunoi.Permission, up bool) (*caunoi.CostNorm, error) {
	var q query
	q.add("SELECT ", normCols, normFrom, " WHERE n.id = ", q.arg(id), " AND ")
	var err error
	if up {
		err = q.scopeShared(tx.actor, p, "n.org_path")
	} else {
		err = q.scope(tx.actor, p, "n.org_path")
	}
	if err != nil {
		return nil, err
	}
	n, err := scanNorm(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "cost_norm")
	}
	return n, nil
}

// yearBounds returns the first day of a year and of the next, as days are
// stored.
func yearBounds(year int) (time.Time, time.Time) {
	start := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	return start, start.AddDate(1, 0, 0)
}

// FindNorms lists the live norms that hold for the actor's organisations.
func (s *BudgetService) FindNorms(ctx context.Context, f caunoi.NormFilter) ([]*caunoi.CostNorm, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermBudgetRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.CostNorm
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(normFrom, " WHERE ")
		if err := w.scopeShared(a, caunoi.PermBudgetRead, "n.org_path"); err != nil {
			return err
		}
		w.add(" AND n.voided_at IS NULL")
		if f.Model != "" {
			w.add(" AND n.model = ", w.arg(string(f.Model)))
		}
		if f.Activity != "" {
			w.add(" AND n.activity = ", w.arg(f.Activity))
		}
		if f.Year != 0 {
			start, end := yearBounds(f.Year)
			w.add(" AND n.valid_from < ", w.arg(end), " AND (n.valid_to IS NULL OR n.valid_to >= ", w.arg(start), ")")
		}
		items, n, err := listPage(ctx, tx, "norms", normCols, w, "n.model, n.activity, n.valid_from DESC, n.org_path, n.id", f.Page, scanNorm)
		out, total = items, n
		return err
	})
	return out, total, err
}

// CreateNorm sets a norm; a repeated id is applied once.
func (s *BudgetService) CreateNorm(ctx context.Context, n *caunoi.CostNorm) error {
	if _, err := caunoi.Require(ctx, caunoi.PermNormWrite); err != nil {
		return err
	}
	if err := n.Validate(); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if existing, err := tx.findNorm(ctx, n.ID, caunoi.PermBudgetRead, true); err == nil {
			*n = *existing
			return nil
		}
		o, err := tx.findOrg(ctx, n.OrgID, caunoi.PermNormWrite)
		if err != nil {
			if caunoi.ErrorCode(err) == caunoi.ENOTFOUND {
				return caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.not_in_scope"})
			}
			return err
		}
		n.OrgPath, n.OrgName, n.Version, n.CreatedAt = o.Path, o.Name, 1, tx.now
		res, err := tx.ExecContext(ctx, `INSERT INTO cost_norms (id, org_id, org_path, model, activity, unit, max_unit_cost, max_per_case, valid_from, valid_to,
			notes, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) ON CONFLICT (id) DO NOTHING`,
			n.ID, n.OrgID, n.OrgPath, string(n.Model), n.Activity, n.Unit, n.MaxUnitCost, n.MaxPerCase, time.Time(n.ValidFrom), dateParam(n.ValidTo),
			n.Notes, n.Version, n.CreatedAt)
		if err != nil {
			return fmt.Errorf("insert norm: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
		}
		return tx.audit(caunoi.ActionCreate, "cost_norm", n.ID, n.OrgPath, nil, n, "")
	})
}

// VoidNorm voids a norm with a reason.
func (s *BudgetService) VoidNorm(ctx context.Context, id string, version int, reason string) (*caunoi.CostNorm, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermNormWrite); err != nil {
		return nil, err
	}
	var out *caunoi.CostNorm
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findNorm(ctx, id, caunoi.PermNormWrite, false)
		if err != nil {
			return err
		}
		if err := caunoi.ValidateVoidReason(reason); err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, version); err != nil {
			return err
		}
		next := *old
		if next.Voiding, err = tx.voidRow(ctx, "cost_norms", id, version, reason); err != nil {
			return err
		}
		next.Version = old.Version + 1
		out = &next
		return tx.audit(caunoi.ActionVoid, "cost_norm", id, old.OrgPath, old, next, reason)
	})
	return out, err
}

// normFor finds the norm that prices an activity of a model in a year for
// the organisation at path: the nearest one on it or above it.
func (tx *Tx) normFor(ctx context.Context, path string, model caunoi.Model, activity string, year int) (*caunoi.CostNorm, error) {
	var q query
	start, end := yearBounds(year)
	q.add("SELECT ", normCols, normFrom, " WHERE n.voided_at IS NULL AND n.model = ", q.arg(string(model)), " AND n.activity = ", q.arg(activity),
		" AND n.valid_from < ", q.arg(end), " AND (n.valid_to IS NULL OR n.valid_to >= ", q.arg(start), ") AND n.org_path IN (")
	for i, p := range append(ancestorPaths(path), path) {
		if i > 0 {
			q.add(", ")
		}
		q.add(q.arg(p))
	}
	q.add(") ORDER BY LENGTH(n.org_path) DESC, n.valid_from DESC LIMIT 1")
	n, err := scanNorm(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("norm: %w", err)
	}
	return n, nil
}

// checkLine checks a line against the norm of its activity for the plan.
func (tx *Tx) checkLine(ctx context.Context, p *caunoi.BudgetPlan, l *caunoi.BudgetLine) error {
	n, err := tx.normFor(ctx, p.OrgPath, p.Model, l.Activity, p.Year)
	if err != nil {
		return err
	}
	// Seed 002: without a norm there is no budget.
	if n == nil {
		return caunoi.Invalid(caunoi.FieldError{Field: "activity", Key: "err.budget.no_norm", Args: map[string]any{"Year": p.Year}})
	}
	var v caunoi.Validator
	v.Check(l.UnitCost <= n.MaxUnitCost, "unit_cost", "err.budget.over_norm", map[string]any{"Max": n.MaxUnitCost})
	if n.MaxPerCase > 0 {
		v.Check(l.Cases > 0, "cases", "err.budget.cases_required", nil)
		v.Check(l.Cases == 0 || int64(l.Quantity) <= int64(l.Cases)*int64(n.MaxPerCase), "quantity", "err.budget.over_per_case",
			map[string]any{"Max": n.MaxPerCase})
	} else {
		l.Cases = 0
	}
	l.NormID, l.Unit, l.PlanID = n.ID, n.Unit, p.ID
	return v.Err()
}

const planCols = `p.id, p.org_id, p.org_path, o.name, p.model, p.year, p.title, p.source, p.version, p.created_by, p.created_at, p.updated_at,
	p.voided_at, p.voided_by, p.void_reason,
	(SELECT COALESCE(SUM(bl.amount), 0) FROM budget_lines bl WHERE bl.plan_id = p.id),
	(SELECT COALESCE(SUM(x.amount), 0) FROM expenditures x WHERE x.plan_id = p.id AND x.voided_at IS NULL)`

const planFrom = ` FROM budget_plans p JOIN orgs o ON o.id = p.org_id`

func scanPlan(sc scanner) (*caunoi.BudgetPlan, error) {
	var p caunoi.BudgetPlan
	var voided sql.NullTime
	if err := sc.Scan(&p.ID, &p.OrgID, &p.OrgPath, &p.OrgName, &p.Model, &p.Year, &p.Title, &p.Source, &p.Version, &p.CreatedBy, &p.CreatedAt, &p.UpdatedAt,
		&voided, &p.VoidedBy, &p.VoidReason, &p.Planned, &p.Spent); err != nil {
		return nil, err
	}
	p.VoidedAt, p.CreatedAt, p.UpdatedAt = timePtr(voided), p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	p.Lines = []caunoi.BudgetLine{}
	return &p, nil
}

func (tx *Tx) findPlan(ctx context.Context, id string, perm caunoi.Permission) (*caunoi.BudgetPlan, error) {
	var q query
	q.add("SELECT ", planCols, planFrom, " WHERE p.id = ", q.arg(id), " AND ")
	if err := q.scope(tx.actor, perm, "p.org_path"); err != nil {
		return nil, err
	}
	p, err := scanPlan(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "budget_plan")
	}
	return p, tx.loadLines(ctx, p)
}

// loadLines fills a plan's lines, each with what was spent on it.
func (tx *Tx) loadLines(ctx context.Context, p *caunoi.BudgetPlan) error {
	rows, err := tx.QueryContext(ctx, `SELECT bl.id, bl.plan_id, bl.activity, bl.norm_id, bl.unit, bl.quantity, bl.cases, bl.unit_cost, bl.amount, bl.notes,
		(SELECT COALESCE(SUM(x.amount), 0) FROM expenditures x WHERE x.line_id = bl.id AND x.voided_at IS NULL)
		FROM budget_lines bl WHERE bl.plan_id = $1 ORDER BY bl.position`, p.ID)
	if err != nil {
		return fmt.Errorf("plan lines: %w", err)
	}
	defer rows.Close()
	p.Lines = []caunoi.BudgetLine{}
	for rows.Next() {
		var l caunoi.BudgetLine
		if err := rows.Scan(&l.ID, &l.PlanID, &l.Activity, &l.NormID, &l.Unit, &l.Quantity, &l.Cases, &l.UnitCost, &l.Amount, &l.Notes, &l.Spent); err != nil {
			return fmt.Errorf("plan lines: %w", err)
		}
		p.Lines = append(p.Lines, l)
	}
	return rows.Err()
}

// FindPlans lists plans in the actor's budget.read scope, newest year first.
func (s *BudgetService) FindPlans(ctx context.Context, f caunoi.PlanFilter) ([]*caunoi.BudgetPlan, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermBudgetRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.BudgetPlan
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(planFrom, " WHERE ")
		if err := w.scope(a, caunoi.PermBudgetRead, "p.org_path"); err != nil {
			return err
		}
		w.add(" AND p.voided_at IS NULL")
		if f.OrgID != "" {
			o, err := tx.findOrg(ctx, f.OrgID, caunoi.PermBudgetRead)
			if err != nil {
				return err
			}
			w.add(" AND p.org_path >= ", w.arg(o.Path), " AND p.org_path < ", w.arg(pathEnd(o.Path)))
		}
		if f.Model != "" {
			w.add(" AND p.model = ", w.arg(string(f.Model)))
		}
		if f.Year != 0 {
			w.add(" AND p.year = ", w.arg(f.Year))
		}
		items, n, err := listPage(ctx, tx, "plans", planCols, w, "p.year DESC, p.org_path, p.model, p.id", f.Page, scanPlan)
		out, total = items, n
		return err
	})
	return out, total, err
}

// insertLine stores a checked line at the next position of its plan.
func (tx *Tx) insertLine(ctx context.Context, l *caunoi.BudgetLine) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO budget_lines (id, plan_id, position, activity, norm_id, unit, quantity, cases, unit_cost, amount, notes, created_at)
		VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM budget_lines WHERE plan_id = $2), $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		l.ID, l.PlanID, l.Activity, l.NormID, l.Unit, l.Quantity, l.Cases, l.UnitCost, l.Amount, l.Notes, tx.now)
	if err != nil {
		return fmt.Errorf("insert plan line: %w", err)
	}
	return nil
}

// CreatePlan makes a plan with its lines; a repeated id is applied once.
func (s *BudgetService) CreatePlan(ctx context.Context, p *caunoi.BudgetPlan) error {
	if _, err := caunoi.Require(ctx, caunoi.PermBudgetWrite); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if existing, err := tx.findPlan(ctx, p.ID, caunoi.PermBudgetRead); err == nil {
			*p = *existing
			return nil
		}
		o, err := tx.findOrg(ctx, p.OrgID, caunoi.PermBudgetWrite)
		if err != nil {
			if caunoi.ErrorCode(err) == caunoi.ENOTFOUND {
				return caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.not_in_scope"})
			}
			return err
		}
		if o.Voided() {
			return caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.parent_voided"})
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM budget_plans WHERE org_id = $1 AND model = $2 AND year = $3 AND voided_at IS NULL",
			o.ID, string(p.Model), p.Year).Scan(&n); err != nil {
			return fmt.Errorf("plans: %w", err)
		}
		if n > 0 {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.budget.plan_exists", map[string]any{"Year": p.Year})
		}
		p.OrgPath, p.OrgName, p.Version, p.CreatedBy, p.CreatedAt, p.UpdatedAt = o.Path, o.Name, 1, tx.actor.UserID, tx.now, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO budget_plans (id, org_id, org_path, model, year, title, source, version, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`, p.ID, p.OrgID, p.OrgPath, string(p.Model), p.Year, p.Title, p.Source, p.Version,
			p.CreatedBy, p.CreatedAt); err != nil {
			return fmt.Errorf("insert plan: %w", err)
		}
		p.Planned, p.Spent = 0, 0
		for i := range p.Lines {
			l := &p.Lines[i]
			if err := tx.checkLine(ctx, p, l); err != nil {
				return err
			}
			if err := tx.insertLine(ctx, l); err != nil {
				return err
			}
			l.Spent = 0
			p.Planned += l.Amount
		}
		if p.Lines == nil {
			p.Lines = []caunoi.BudgetLine{}
		}
		return tx.audit(caunoi.ActionCreate, "budget_plan", p.ID, p.OrgPath, nil, p, "")
	})
}

// AddLine adds a line to a plan.
func (s *BudgetService) AddLine(ctx context.Context, planID string, version int, l *caunoi.BudgetLine) (*caunoi.BudgetPlan, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermBudgetWrite); err != nil {
		return nil, err
	}
	var out *caunoi.BudgetPlan
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		p, err := tx.findPlan(ctx, planID, caunoi.PermBudgetWrite)
		if err != nil {
			return err
		}
		if err := l.Validate(); err != nil {
			return err
		}
		if err := checkChangeable(p.Voiding, p.Version, version); err != nil {
			return err
		}
		if len(p.Lines) >= 200 {
			return caunoi.Invalid(caunoi.FieldError{Field: "lines", Key: "err.budget.too_many_lines", Args: map[string]any{"Max": 200}})
		}
		if err := tx.checkLine(ctx, p, l); err != nil {
			return err
		}
		if err := tx.insertLine(ctx, l); err != nil {
			return err
		}
		if err := tx.execVersioned(ctx, "plan", "UPDATE budget_plans SET version = $1, updated_at = $2 WHERE id = $3 AND version = $4",
			p.Version+1, tx.now, p.ID, p.Version); err != nil {
			return err
		}
		if out, err = tx.findPlan(ctx, planID, caunoi.PermBudgetWrite); err != nil {
			return err
		}
		return tx.audit(caunoi.ActionUpdate, "budget_plan", p.ID, p.OrgPath, nil, l, "")
	})
	return out, err
}

// VoidPlan voids a plan with a reason.
func (s *BudgetService) VoidPlan(ctx context.Context, id string, version int, reason string) (*caunoi.BudgetPlan, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermBudgetWrite); err != nil {
		return nil, err
	}
	var out *caunoi.BudgetPlan
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findPlan(ctx, id, caunoi.PermBudgetWrite)
		if err != nil {
			return err
		}
		if err := caunoi.ValidateVoidReason(reason); err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, version); err != nil {
			return err
		}
		next := *old
		if next.Voiding, err = tx.voidRow(ctx, "budget_plans", id, version, reason); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		out = &next
		return tx.audit(caunoi.ActionVoid, "budget_plan", id, old.OrgPath, old, next, reason)
	})
	return out, err
}

const expCols = `x.id, x.plan_id, x.line_id, x.org_path, x.spent_on, x.amount, x.quantity, x.description, x.override_reason, x.version, x.recorded_by,
	x.created_at, x.voided_at, x.voided_by, x.void_reason`

func scanExpenditure(sc scanner) (*caunoi.Expenditure, error) {
	var e caunoi.Expenditure
	var spent time.Time
	var voided sql.NullTime
	if err := sc.Scan(&e.ID, &e.PlanID, &e.LineID, &e.OrgPath, &spent, &e.Amount, &e.Quantity, &e.Description, &e.OverrideReason, &e.Version,
		&e.RecordedBy, &e.CreatedAt, &voided, &e.VoidedBy, &e.VoidReason); err != nil {
		return nil, err
	}
	e.SpentOn, e.CreatedAt, e.VoidedAt = caunoi.Date(spent.UTC()), e.CreatedAt.UTC(), timePtr(voided)
	return &e, nil
}

// RecordExpenditure records money spent against a line of a plan.
func (s *BudgetService) RecordExpenditure(ctx context.Context, planID string, e *caunoi.Expenditure) (*caunoi.Expenditure, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermBudgetWrite); err != nil {
		return nil, err
	}
	var out *caunoi.Expenditure
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		p, err := tx.findPlan(ctx, planID, caunoi.PermBudgetWrite)
		if err != nil {
			return err
		}
		if caunoi.ValidID(e.ID) {
			if x, err := scanExpenditure(tx.QueryRowContext(ctx, "SELECT "+expCols+" FROM expenditures x WHERE x.id = $1 AND x.plan_id = $2", e.ID, p.ID)); err == nil {
				out = x
				return nil
			}
		}
		if err := e.Validate(s.db.Now()); err != nil {
			return err
		}
		if p.Voided() {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.voided", nil)
		}
		var line *caunoi.BudgetLine
		for i := range p.Lines {
			if p.Lines[i].ID == e.LineID {
				line = &p.Lines[i]
			}
		}
		if line == nil {
			return caunoi.Invalid(caunoi.FieldError{Field: "line_id", Key: "err.budget.line_unknown"})
		}
		if time.Time(e.SpentOn).Year() != p.Year {
			return caunoi.Invalid(caunoi.FieldError{Field: "spent_on", Key: "err.budget.outside_year", Args: map[string]any{"Year": p.Year}})
		}
		// The lock of the line: expenditures on it are checked one at a time.
		if _, err := tx.ExecContext(ctx, "UPDATE budget_lines SET spend_seq = spend_seq + 1 WHERE id = $1", line.ID); err != nil {
			return fmt.Errorf("lock plan line: %w", err)
		}
		var spent int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(SUM(amount), 0) FROM expenditures WHERE line_id = $1 AND voided_at IS NULL", line.ID).Scan(&spent); err != nil {
			return fmt.Errorf("line spent: %w", err)
		}
		if spent+e.Amount > line.Amount && e.OverrideReason == "" {
			return caunoi.Invalid(caunoi.FieldError{Field: "override_reason", Key: "err.budget.over_line",
				Args: map[string]any{"Amount": line.Amount, "Left": max(0, line.Amount-spent)}})
		}
		if spent+e.Amount <= line.Amount {
			e.OverrideReason = "" // nothing to override
		}
		e.PlanID, e.OrgPath, e.Version, e.RecordedBy, e.CreatedAt = p.ID, p.OrgPath, 1, tx.actor.UserID, tx.now
		e.Voiding = caunoi.Voiding{}
		if _, err := tx.ExecContext(ctx, `INSERT INTO expenditures (id, plan_id, line_id, org_path, spent_on, amount, quantity, description, override_reason,
			version, recorded_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
			e.ID, e.PlanID, e.LineID, e.OrgPath, time.Time(e.SpentOn), e.Amount, e.Quantity, e.Description, e.OverrideReason, e.Version,
			e.RecordedBy, e.CreatedAt); err != nil {
			return fmt.Errorf("insert expenditure: %w", err)
		}
		out = e
		return tx.audit(caunoi.ActionCreate, "expenditure", e.ID, e.OrgPath, nil, e, e.OverrideReason)
	})
	return out, err
}

// VoidExpenditure voids an expenditure with a reason.
func (s *BudgetService) VoidExpenditure(ctx context.Context, id string, version int, reason string) (*caunoi.Expenditure, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermBudgetWrite); err != nil {
		return nil, err
	}
	var out *caunoi.Expenditure
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		var q query
		q.add("SELECT ", expCols, " FROM expenditures x WHERE x.id = ", q.arg(id), " AND ")
		if err := q.scope(tx.actor, caunoi.PermBudgetWrite, "x.org_path"); err != nil {
			return err
		}
		old, err := scanExpenditure(tx.QueryRowContext(ctx, q.String(), q.args...))
		if err != nil {
			return notFound(err, "expenditure")
		}
		if err := caunoi.ValidateVoidReason(reason); err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, version); err != nil {
			return err
		}
		next := *old
		if next.Voiding, err = tx.voidRow(ctx, "expenditures", id, version, reason); err != nil {
			return err
		}
		next.Version = old.Version + 1
		out = &next
		return tx.audit(caunoi.ActionVoid, "expenditure", id, old.OrgPath, old, next, reason)
	})
	return out, err
}

// PlanActual returns a plan against its expenditures, with the distinct
// clients the organisation's subtree reached in the plan's year.
func (s *BudgetService) PlanActual(ctx context.Context, planID string) (*caunoi.PlanActual, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermBudgetRead); err != nil {
		return nil, err
	}
	var out *caunoi.PlanActual
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		p, err := tx.findPlan(ctx, planID, caunoi.PermBudgetRead)
		if err != nil {
			return err
		}
		out = &caunoi.PlanActual{Plan: p, Expenditures: []*caunoi.Expenditure{}}
		rows, err := tx.QueryContext(ctx, "SELECT "+expCols+" FROM expenditures x WHERE x.plan_id = $1 AND x.voided_at IS NULL ORDER BY x.spent_on DESC, x.id DESC", p.ID)
		if err != nil {
			return fmt.Errorf("expenditures: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanExpenditure(rows)
			if err != nil {
				return fmt.Errorf("expenditures: %w", err)
			}
			out.Expenditures = append(out.Expenditures, e)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("expenditures: %w", err)
		}
		if out.Reached, err = tx.reached(ctx, p.OrgPath, p.Year); err != nil {
			return err
		}
		if out.Reached > 0 {
			out.CostPerPerson = money.MulDivRound(p.Spent, 1, int64(out.Reached))
		}
		out.SpentBP = money.RatioBP(p.Spent, p.Planned)
		return nil
	})
	return out, err
}

// reached counts the distinct clients met in a year by the organisations
// of the subtree at path: outreach contacts, named attendance of group
// activities and services given, the year read in Vietnam's time.
func (tx *Tx) reached(ctx context.Context, path string, year int) (int, error) {
	dayStart, dayEnd := yearBounds(year)
	atStart := time.Date(year, 1, 1, 0, 0, 0, 0, caunoi.Zone)
	atEnd := atStart.AddDate(1, 0, 0)
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (
			SELECT k.client_id AS id FROM contacts k WHERE k.org_path >= $1 AND k.org_path < $2 AND k.client_id IS NOT NULL
				AND k.voided_at IS NULL AND k.at >= $3 AND k.at < $4
			UNION
			SELECT aa.client_id FROM activity_attendance aa JOIN activities a ON a.id = aa.activity_id
				WHERE a.org_path >= $1 AND a.org_path < $2 AND a.voided_at IS NULL AND a.held_on >= $5 AND a.held_on < $6
			UNION
			SELECT s.client_id FROM services s WHERE s.org_path >= $1 AND s.org_path < $2 AND s.voided_at IS NULL
				AND s.given_on >= $5 AND s.given_on < $6
		) reached`, path, pathEnd(path), atStart.UTC(), atEnd.UTC(), dayStart, dayEnd).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("people reached: %w", err)
	}
	return n, nil
}
