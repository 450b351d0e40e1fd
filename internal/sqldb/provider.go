package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"caunoi"
)

// ProviderService implements caunoi.ProviderService.
type ProviderService struct{ db *DB }

// NewProviderService returns the provider directory.
func NewProviderService(db *DB) *ProviderService { return &ProviderService{db: db} }

var _ caunoi.ProviderService = (*ProviderService)(nil)

const providerCols = `p.id, p.org_id, p.org_path, p.kind, p.name, p.services, p.address, COALESCE(p.admin_unit_code, ''), p.lat, p.lng,
	p.contact, p.opening_hours, p.friendly, p.notes, p.version, p.created_at, p.updated_at, p.voided_at, p.voided_by, p.void_reason,
	(SELECT o.name FROM orgs o WHERE o.id = p.org_id)`

func scanProvider(sc scanner) (*caunoi.Provider, error) {
	var p caunoi.Provider
	var services string
	var lat, lng sql.NullFloat64
	var voided sql.NullTime
	err := sc.Scan(&p.ID, &p.OrgID, &p.OrgPath, &p.Kind, &p.Name, &services, &p.Address, &p.AdminUnitCode, &lat, &lng,
		&p.Contact, &p.OpeningHours, &p.Friendly, &p.Notes, &p.Version, &p.CreatedAt, &p.UpdatedAt, &voided, &p.VoidedBy, &p.VoidReason,
		&p.OrgName)
	if err != nil {
		return nil, err
	}
	p.Services = splitList[string](services)
	if lat.Valid && lng.Valid {
		p.Lat, p.Lng = &lat.Float64, &lng.Float64
	}
	p.CreatedAt, p.UpdatedAt, p.VoidedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC(), timePtr(voided)
	return &p, nil
}

// scopeShared appends a predicate that keeps rows of a directory shared
// down and up the tree: those whose path column lies in one of the
// actor's subtrees for p, or is an ancestor of one of them (a group sees
// the providers its province keeps). Ancestors are listed, so an index
// serves the test. An actor without p anywhere gets EFORBIDDEN.
func (q *query) scopeShared(a *caunoi.Actor, p caunoi.Permission, col string) error {
	if a.System {
		q.add("1=1")
		return nil
	}
	paths := a.ScopePaths(p)
	if len(paths) == 0 {
		return caunoi.Forbidden()
	}
	q.add("(")
	var ancestors []string
	for i, path := range paths {
		if i > 0 {
			q.add(" OR ")
		}
		q.add("(", col, " >= ", q.arg(path), " AND ", col, " < ", q.arg(pathEnd(path)), ")")
		ancestors = append(ancestors, ancestorPaths(path)...)
	}
	if len(ancestors) > 0 {
		q.add(" OR ", col, " IN (")
		for i, anc := range ancestors {
			if i > 0 {
				q.add(", ")
			}
			q.add(q.arg(anc))
		}
		q.add(")")
	}
	q.add(")")
	return nil
}

// ancestorPaths returns the paths above path, the root first:
// "/a/b/c/" → "/a/", "/a/b/".
func ancestorPaths(path string) []string {
	var out []string
	for i := 1; i < len(path)-1; i++ {
		if path[i] == '/' {
			out = append(out, path[:i+1])
		}
	}
	return out
}

// findProvider loads a provider the actor sees (write false: provider.read
// up and down the tree) or may change (write true: provider.write on its
// organisation or above).
func (tx *Tx) findProvider(ctx context.Context, id string, write bool) (*caunoi.Provider, error) {
	var q query
	q.add("SELECT ", providerCols, " FROM providers p WHERE p.id = ", q.arg(id), " AND ")
	var err error
	if write {
		err = q.scope(tx.actor, caunoi.PermProviderWrite, "p.org_path")
	} else {
		err = q.scopeShared(tx.actor, caunoi.PermProviderRead, "p.org_path")
	}
	if err != nil {
		return nil, err
	}
	p, err := scanProvider(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "provider")
	}
	return p, nil
}

// providerSharedWith returns the live provider with the id if the
// organisation at orgPath shares it (it lies in the provider's
// organisation's subtree, or above it); otherwise an EINVALID error on
// field. Records of an organisation (services, referrals, shelter stays)
// name providers through it: the organisation, already checked against
// the actor, decides what it may name.
func (tx *Tx) providerSharedWith(ctx context.Context, id, orgPath, field string) (*caunoi.Provider, error) {
	p, err := scanProvider(tx.QueryRowContext(ctx, "SELECT "+providerCols+" FROM providers p WHERE p.id = $1", id))
	if err != nil {
		if err == sql.ErrNoRows {
			return nil, caunoi.Invalid(caunoi.FieldError{Field: field, Key: "err.provider.unknown"})
		}
		return nil, fmt.Errorf("find provider: %w", err)
	}
	if p.Voided() || !relatedPaths(p.OrgPath, orgPath) {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: field, Key: "err.provider.unknown"})
	}
	return p, nil
}

// FindProviderByID returns a provider the actor sees.
func (s *ProviderService) FindProviderByID(ctx context.Context, id string) (*caunoi.Provider, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermProviderRead); err != nil {
		return nil, err
	}
	var p *caunoi.Provider
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		var err error
		p, err = tx.findProvider(ctx, id, false)
		return err
	})
	return p, err
}

// FindProviders lists the live providers the actor sees, by name.
func (s *ProviderService) FindProviders(ctx context.Context, f caunoi.ProviderFilter) ([]*caunoi.Provider, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermProviderRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.Provider
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(" FROM providers p WHERE ")
		if err := w.scopeShared(a, caunoi.PermProviderRead, "p.org_path"); err != nil {
			return err
		}
		w.add(" AND p.voided_at IS NULL")
		if f.OrgID != "" {
			o, err := tx.findOrg(ctx, f.OrgID, caunoi.PermProviderRead)
			if err != nil {
				return err
			}
			// Shared with the organisation: kept by it, above it or below it.
			w.add(" AND ((p.org_path >= ", w.arg(o.Path), " AND p.org_path < ", w.arg(pathEnd(o.Path)), ")")
			if anc := ancestorPaths(o.Path); len(anc) > 0 {
				w.add(" OR p.org_path IN (")
				for i, x := range anc {
					if i > 0 {
						w.add(", ")
					}
					w.add(w.arg(x))
				}
				w.add(")")
			}
			w.add(")")
		}
		if f.Kind != "" {
			w.add(" AND p.kind = ", w.arg(f.Kind))
		}
		if f.Service != "" {
			w.add(" AND p.services LIKE ", w.arg(likeArg(","+f.Service+",")), ` ESCAPE '\'`)
		}
		if f.AdminUnitCode != "" {
			w.add(" AND p.admin_unit_code = ", w.arg(f.AdminUnitCode))
		}
		if f.Friendly {
			w.add(" AND p.friendly = ", w.arg(true))
		}
		if q := caunoi.Fold(f.Query); q != "" {
			w.add(" AND p.name_search LIKE ", w.arg(likeArg(q)), ` ESCAPE '\'`)
		}
		items, n, err := listPage(ctx, tx, "providers", providerCols, w, "p.name_search, p.id", f.Page, scanProvider)
		out, total = items, n
		return err
	})
	return out, total, err
}

// CreateProvider adds a provider kept by an organisation where the actor
// holds provider.write; a repeated id is applied once.
func (s *ProviderService) CreateProvider(ctx context.Context, p *caunoi.Provider) error {
	if _, err := caunoi.Require(ctx, caunoi.PermProviderWrite); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if existing, err := tx.findProvider(ctx, p.ID, false); err == nil {
			*p = *existing
			return nil
		}
		o, err := tx.findOrg(ctx, p.OrgID, caunoi.PermProviderWrite)
		if err != nil {
			if caunoi.ErrorCode(err) == caunoi.ENOTFOUND {
				return caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.not_in_scope"})
			}
			return err
		}
		if o.Voided() {
			return caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.parent_voided"})
		}
		if err := tx.checkUnitCode(ctx, p.AdminUnitCode); err != nil {
			return err
		}
		p.OrgPath, p.OrgName, p.Version, p.CreatedAt, p.UpdatedAt = o.Path, o.Name, 1, tx.now, tx.now
		res, err := tx.ExecContext(ctx, `INSERT INTO providers (id, org_id, org_path, kind, name, name_search, services, address, admin_unit_code,
			lat, lng, contact, opening_hours, friendly, notes, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) ON CONFLICT (id) DO NOTHING`,
			p.ID, p.OrgID, p.OrgPath, p.Kind, p.Name, caunoi.Fold(p.Name), joinList(p.Services), p.Address, nullStr(p.AdminUnitCode),
			p.Lat, p.Lng, p.Contact, p.OpeningHours, p.Friendly, p.Notes, p.Version, p.CreatedAt)
		if err != nil {
			return fmt.Errorf("insert provider: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
		}
		return tx.audit(caunoi.ActionCreate, "provider", p.ID, p.OrgPath, nil, p, "")
	})
}

// UpdateProvider changes a provider the actor may change; ECONFLICT on a
// stale version.
func (s *ProviderService) UpdateProvider(ctx context.Context, id string, u caunoi.ProviderUpdate) (*caunoi.Provider, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermProviderWrite); err != nil {
		return nil, err
	}
	var out *caunoi.Provider
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findProvider(ctx, id, true)
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
		if err := tx.checkUnitCode(ctx, next.AdminUnitCode); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		if err := tx.execVersioned(ctx, "update provider", `UPDATE providers SET kind = $1, name = $2, name_search = $3, services = $4, address = $5,
			admin_unit_code = $6, lat = $7, lng = $8, contact = $9, opening_hours = $10, friendly = $11, notes = $12, version = $13, updated_at = $14
			WHERE id = $15 AND version = $16`,
			next.Kind, next.Name, caunoi.Fold(next.Name), joinList(next.Services), next.Address, nullStr(next.AdminUnitCode), next.Lat, next.Lng,
			next.Contact, next.OpeningHours, next.Friendly, next.Notes, next.Version, next.UpdatedAt, id, old.Version); err != nil {
			return err
		}
		out = &next
		return tx.audit(caunoi.ActionUpdate, "provider", id, old.OrgPath, old, next, "")
	})
	return out, err
}

// VoidProvider voids a provider with a reason.
func (s *ProviderService) VoidProvider(ctx context.Context, id string, version int, reason string) (*caunoi.Provider, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermProviderWrite); err != nil {
		return nil, err
	}
	if err := caunoi.ValidateVoidReason(reason); err != nil {
		return nil, err
	}
	var out *caunoi.Provider
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findProvider(ctx, id, true)
		if err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, version); err != nil {
			return err
		}
		next := *old
		if next.Voiding, err = tx.voidRow(ctx, "providers", id, version, reason); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		out = &next
		return tx.audit(caunoi.ActionVoid, "provider", id, old.OrgPath, old, next, reason)
	})
	return out, err
}
