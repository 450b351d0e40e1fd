package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"caunoi"
)

// OrgService implements caunoi.OrgService.
type OrgService struct{ db *DB }

// NewOrgService returns the organisation service.
func NewOrgService(db *DB) *OrgService { return &OrgService{db: db} }

var _ caunoi.OrgService = (*OrgService)(nil)

const orgCols = `o.id, COALESCE(o.parent_id, ''), o.kind, o.group_kind, o.name, COALESCE(o.admin_unit_code, ''), o.models, o.founded,
	o.path, o.depth, o.version, o.created_at, o.updated_at, o.voided_at, o.voided_by, o.void_reason`

func scanOrg(sc scanner) (*caunoi.Organisation, error) {
	var o caunoi.Organisation
	var models string
	var founded, voided sql.NullTime
	err := sc.Scan(&o.ID, &o.ParentID, &o.Kind, &o.GroupKind, &o.Name, &o.AdminUnitCode, &models, &founded,
		&o.Path, &o.Depth, &o.Version, &o.CreatedAt, &o.UpdatedAt, &voided, &o.VoidedBy, &o.VoidReason)
	if err != nil {
		return nil, err
	}
	o.Models = splitList[caunoi.Model](models)
	o.Founded = timePtr(founded)
	o.VoidedAt = timePtr(voided)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return &o, nil
}

// findOrg loads an organisation in the actor's scope for p.
func (tx *Tx) findOrg(ctx context.Context, id string, p caunoi.Permission) (*caunoi.Organisation, error) {
	key := id + " " + string(p)
	if o, ok := tx.orgs[key]; ok {
		c := *o
		return &c, nil
	}
	var q query
	q.add("SELECT ", orgCols, " FROM orgs o WHERE o.id = ", q.arg(id), " AND ")
	if err := q.scope(tx.actor, p, "o.path"); err != nil {
		return nil, err
	}
	o, err := scanOrg(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "org")
	}
	if tx.orgs != nil {
		c := *o
		tx.orgs[key] = &c
	}
	return o, nil
}

// FindOrgByID returns an organisation in the actor's org.read scope.
func (s *OrgService) FindOrgByID(ctx context.Context, id string) (*caunoi.Organisation, error) {
	var o *caunoi.Organisation
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		var err error
		o, err = tx.findOrg(ctx, id, caunoi.PermOrgRead)
		return err
	})
	return o, err
}

// FindOrgs lists organisations in scope, in tree order.
func (s *OrgService) FindOrgs(ctx context.Context, f caunoi.OrgFilter) ([]*caunoi.Organisation, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermOrgRead)
	if err != nil {
		return nil, 0, err
	}
	var orgs []*caunoi.Organisation
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(" FROM orgs o WHERE ")
		if err := w.scope(a, caunoi.PermOrgRead, "o.path"); err != nil {
			return err
		}
		if !f.IncludeVoided {
			w.add(" AND o.voided_at IS NULL")
		}
		if f.ParentID != "" {
			w.add(" AND o.parent_id = ", w.arg(f.ParentID))
		}
		if f.Kind != "" {
			w.add(" AND o.kind = ", w.arg(string(f.Kind)))
		}
		if q := caunoi.Fold(f.Query); q != "" {
			w.add(" AND o.name_search LIKE ", w.arg(likeArg(q)), ` ESCAPE '\'`)
		}
		items, n, err := listPage(ctx, tx, "orgs", orgCols, w, "o.path", f.Page, scanOrg)
		orgs, total = items, n
		return err
	})
	return orgs, total, err
}

// CreateOrg creates an organisation under a parent in the actor's
// org.write scope; a root (national) organisation only the system makes.
func (s *OrgService) CreateOrg(ctx context.Context, o *caunoi.Organisation) error {
	if _, err := caunoi.Require(ctx, caunoi.PermOrgWrite); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if existing, err := tx.findOrg(ctx, o.ID, caunoi.PermOrgRead); err == nil {
			*o = *existing // a repeated create: applied once
			return nil
		}
		if o.ParentID == "" {
			if !tx.actor.System {
				return caunoi.Forbidden()
			}
			o.Path, o.Depth = "/"+o.ID+"/", 0
		} else {
			parent, err := tx.findOrg(ctx, o.ParentID, caunoi.PermOrgWrite)
			if err != nil {
				if caunoi.ErrorCode(err) == caunoi.ENOTFOUND {
					return caunoi.Invalid(caunoi.FieldError{Field: "parent_id", Key: "err.org.parent_unknown"})
				}
				return err
			}
			if parent.Voided() {
				return caunoi.Invalid(caunoi.FieldError{Field: "parent_id", Key: "err.org.parent_voided"})
			}
			if !o.Kind.CanStandUnder(parent.Kind) {
				return caunoi.Invalid(caunoi.FieldError{Field: "parent_id", Key: "err.org.parent_kind", Args: map[string]any{"Kind": string(o.Kind), "Parent": string(parent.Kind)}})
			}
			o.Path, o.Depth = parent.Path+o.ID+"/", parent.Depth+1
		}
		if err := tx.checkUnit(ctx, o); err != nil {
			return err
		}
		o.Version, o.CreatedAt, o.UpdatedAt = 1, tx.now, tx.now
		res, err := tx.ExecContext(ctx, `INSERT INTO orgs (id, parent_id, kind, group_kind, name, name_search, admin_unit_code, models, founded, path, depth, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (id) DO NOTHING`,
			o.ID, nullStr(o.ParentID), o.Kind, o.GroupKind, o.Name, caunoi.Fold(o.Name), nullStr(o.AdminUnitCode), joinList(o.Models),
			dateParam(o.Founded), o.Path, o.Depth, o.Version, o.CreatedAt, o.UpdatedAt)
		if err != nil {
			return fmt.Errorf("insert org: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			// The id is taken by an organisation outside the actor's scope.
			return caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
		}
		return tx.audit(caunoi.ActionCreate, "org", o.ID, o.Path, nil, o, "")
	})
}

// checkUnit checks the organisation's administrative unit: it must exist,
// be in force, and be a province for a provincial department.
func (tx *Tx) checkUnit(ctx context.Context, o *caunoi.Organisation) error {
	if o.AdminUnitCode == "" {
		return nil
	}
	var level string
	var to sql.NullTime
	err := tx.QueryRowContext(ctx, "SELECT level, valid_to FROM admin_units WHERE code = $1", o.AdminUnitCode).Scan(&level, &to)
	if err == sql.ErrNoRows || (err == nil && to.Valid && to.Time.Before(tx.now)) {
		return caunoi.Invalid(caunoi.FieldError{Field: "admin_unit_code", Key: "err.org.unit_unknown"})
	}
	if err != nil {
		return fmt.Errorf("check admin unit: %w", err)
	}
	if o.Kind == caunoi.OrgProvince && level != caunoi.LevelProvince {
		return caunoi.Invalid(caunoi.FieldError{Field: "admin_unit_code", Key: "err.org.province_unit_required"})
	}
	return nil
}

// UpdateOrg changes an organisation in the actor's org.write scope.
func (s *OrgService) UpdateOrg(ctx context.Context, id string, u caunoi.OrgUpdate) (*caunoi.Organisation, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermOrgWrite); err != nil {
		return nil, err
	}
	var o *caunoi.Organisation
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findOrg(ctx, id, caunoi.PermOrgWrite)
		if err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, u.Version); err != nil {
			return err
		}
		next := *old
		u.Apply(&next)
		if err := next.Validate(); err != nil {
			return err
		}
		if err := tx.checkUnit(ctx, &next); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		err = tx.execVersioned(ctx, "update org", `UPDATE orgs SET name = $1, name_search = $2, group_kind = $3, admin_unit_code = $4,
			models = $5, founded = $6, version = $7, updated_at = $8 WHERE id = $9 AND version = $10`,
			next.Name, caunoi.Fold(next.Name), next.GroupKind, nullStr(next.AdminUnitCode), joinList(next.Models), dateParam(next.Founded),
			next.Version, next.UpdatedAt, id, old.Version)
		if err != nil {
			return err
		}
		o = &next
		return tx.audit(caunoi.ActionUpdate, "org", id, next.Path, old, next, "")
	})
	return o, err
}

// VoidOrg voids an organisation that has no live children.
func (s *OrgService) VoidOrg(ctx context.Context, id string, version int, reason string) (*caunoi.Organisation, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermOrgWrite); err != nil {
		return nil, err
	}
	if err := caunoi.ValidateVoidReason(reason); err != nil {
		return nil, err
	}
	var o *caunoi.Organisation
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findOrg(ctx, id, caunoi.PermOrgWrite)
		if err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, version); err != nil {
			return err
		}
		// An organisation is voided from above: an officer cannot void the
		// organisation their own role stands on.
		if old.ParentID == "" || !tx.actor.CanAt(caunoi.PermOrgWrite, parentPath(old.Path)) {
			return caunoi.Forbidden()
		}
		var children int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM orgs WHERE parent_id = $1 AND voided_at IS NULL", id).Scan(&children); err != nil {
			return fmt.Errorf("void org: %w", err)
		}
		if children > 0 {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.org.has_children", map[string]any{"Count": children})
		}
		next := *old
		if next.Voiding, err = tx.voidRow(ctx, "orgs", id, version, reason); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		o = &next
		return tx.audit(caunoi.ActionVoid, "org", id, old.Path, old, next, reason)
	})
	return o, err
}

// parentPath returns the path of an organisation's parent: "/a/b/" → "/a/".
func parentPath(path string) string {
	trimmed := strings.TrimSuffix(path, "/")
	return trimmed[:strings.LastIndex(trimmed, "/")+1]
}
