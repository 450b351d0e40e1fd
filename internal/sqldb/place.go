package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"caunoi"
)

// PlaceService implements caunoi.PlaceService.
type PlaceService struct{ db *DB }

// NewPlaceService returns the place service.
func NewPlaceService(db *DB) *PlaceService { return &PlaceService{db: db} }

var _ caunoi.PlaceService = (*PlaceService)(nil)

const placeCols = `p.id, p.org_id, p.org_path, p.kind, p.type, p.name, p.address, COALESCE(p.admin_unit_code, ''), p.lat, p.lng,
	p.estimated_workers, p.notes, p.version, p.created_at, p.updated_at, p.voided_at, p.voided_by, p.void_reason`

func scanPlace(sc scanner) (*caunoi.Place, error) {
	var p caunoi.Place
	var lat, lng sql.NullFloat64
	var voided sql.NullTime
	err := sc.Scan(&p.ID, &p.OrgID, &p.OrgPath, &p.Kind, &p.Type, &p.Name, &p.Address, &p.AdminUnitCode, &lat, &lng,
		&p.EstimatedWorkers, &p.Notes, &p.Version, &p.CreatedAt, &p.UpdatedAt, &voided, &p.VoidedBy, &p.VoidReason)
	if err != nil {
		return nil, err
	}
	if lat.Valid && lng.Valid {
		p.Lat, p.Lng = &lat.Float64, &lng.Float64
	}
	p.CreatedAt, p.UpdatedAt, p.VoidedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC(), timePtr(voided)
	return &p, nil
}

func (tx *Tx) findPlace(ctx context.Context, id string, perm caunoi.Permission) (*caunoi.Place, error) {
	var q query
	q.add("SELECT ", placeCols, " FROM places p WHERE p.id = ", q.arg(id), " AND ")
	if err := q.scope(tx.actor, perm, "p.org_path"); err != nil {
		return nil, err
	}
	p, err := scanPlace(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "place")
	}
	return p, nil
}

// FindPlaceByID returns a place in scope.
func (s *PlaceService) FindPlaceByID(ctx context.Context, id string) (*caunoi.Place, error) {
	var p *caunoi.Place
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		var err error
		p, err = tx.findPlace(ctx, id, caunoi.PermClientRead)
		return err
	})
	return p, err
}

// FindPlaces lists places in scope by name.
func (s *PlaceService) FindPlaces(ctx context.Context, f caunoi.PlaceFilter) ([]*caunoi.Place, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermClientRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.Place
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(" FROM places p WHERE ")
		if err := w.scope(a, caunoi.PermClientRead, "p.org_path"); err != nil {
			return err
		}
		w.add(" AND p.voided_at IS NULL")
		if err := tx.orgFilter(ctx, &w, f.OrgID, "p.org_path"); err != nil {
			return err
		}
		if f.Kind != "" {
			w.add(" AND p.kind = ", w.arg(f.Kind))
		}
		if f.Type != "" {
			w.add(" AND p.type = ", w.arg(f.Type))
		}
		if q := caunoi.Fold(f.Query); q != "" {
			w.add(" AND p.name_search LIKE ", w.arg(likeArg(q)), ` ESCAPE '\'`)
		}
		items, n, err := listPage(ctx, tx, "places", placeCols, w, "p.name_search, p.id", f.Page, scanPlace)
		out, total = items, n
		return err
	})
	return out, total, err
}

// orgFilter narrows a list to an organisation's subtree, which must be in
// the actor's client.read scope.
func (tx *Tx) orgFilter(ctx context.Context, w *query, orgID, col string) error {
	if orgID == "" {
		return nil
	}
	o, err := tx.findOrg(ctx, orgID, caunoi.PermClientRead)
	if err != nil {
		return err
	}
	w.add(" AND ", col, " >= ", w.arg(o.Path), " AND ", col, " < ", w.arg(pathEnd(o.Path)))
	return nil
}

// writableOrg returns an organisation where the actor may record field
// work, or an EINVALID error on field org_id.
func (tx *Tx) writableOrg(ctx context.Context, orgID string) (*caunoi.Organisation, error) {
	o, err := tx.findOrg(ctx, orgID, caunoi.PermContactWrite)
	if err != nil {
		if caunoi.ErrorCode(err) == caunoi.ENOTFOUND {
			return nil, caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.not_in_scope"})
		}
		return nil, err
	}
	if o.Voided() {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.parent_voided"})
	}
	return o, nil
}

// CreatePlace maps a place; a repeated id is applied once.
func (s *PlaceService) CreatePlace(ctx context.Context, p *caunoi.Place) error {
	if _, err := caunoi.Require(ctx, caunoi.PermContactWrite); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if existing, err := tx.findPlace(ctx, p.ID, caunoi.PermClientRead); err == nil {
			*p = *existing
			return nil
		}
		o, err := tx.writableOrg(ctx, p.OrgID)
		if err != nil {
			return err
		}
		if err := tx.checkUnitCode(ctx, p.AdminUnitCode); err != nil {
			return err
		}
		p.OrgPath, p.Version, p.CreatedAt, p.UpdatedAt = o.Path, 1, tx.now, tx.now
		res, err := tx.ExecContext(ctx, `INSERT INTO places (id, org_id, org_path, kind, type, name, name_search, address, admin_unit_code, lat, lng,
			estimated_workers, notes, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
			ON CONFLICT (id) DO NOTHING`,
			p.ID, p.OrgID, p.OrgPath, p.Kind, p.Type, p.Name, caunoi.Fold(p.Name), p.Address, nullStr(p.AdminUnitCode), p.Lat, p.Lng,
			p.EstimatedWorkers, p.Notes, p.Version, p.CreatedAt, p.UpdatedAt)
		if err != nil {
			return fmt.Errorf("insert place: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
		}
		return tx.audit(caunoi.ActionCreate, "place", p.ID, p.OrgPath, nil, p, "")
	})
}

// checkUnitCode checks an optional administrative unit in force.
func (tx *Tx) checkUnitCode(ctx context.Context, code string) error {
	if code == "" {
		return nil
	}
	return tx.checkUnit(ctx, &caunoi.Organisation{AdminUnitCode: code})
}

// UpdatePlace changes a place; ECONFLICT on a stale version.
func (s *PlaceService) UpdatePlace(ctx context.Context, id string, u caunoi.PlaceUpdate) (*caunoi.Place, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermContactWrite); err != nil {
		return nil, err
	}
	var out *caunoi.Place
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findPlace(ctx, id, caunoi.PermContactWrite)
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
		if err := tx.execVersioned(ctx, "update place", `UPDATE places SET type = $1, name = $2, name_search = $3, address = $4, admin_unit_code = $5,
			lat = $6, lng = $7, estimated_workers = $8, notes = $9, version = $10, updated_at = $11 WHERE id = $12 AND version = $13`,
			next.Type, next.Name, caunoi.Fold(next.Name), next.Address, nullStr(next.AdminUnitCode), next.Lat, next.Lng,
			next.EstimatedWorkers, next.Notes, next.Version, next.UpdatedAt, id, old.Version); err != nil {
			return err
		}
		out = &next
		return tx.audit(caunoi.ActionUpdate, "place", id, old.OrgPath, old, next, "")
	})
	return out, err
}

// VoidPlace voids a place with a reason.
func (s *PlaceService) VoidPlace(ctx context.Context, id string, version int, reason string) (*caunoi.Place, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermContactWrite); err != nil {
		return nil, err
	}
	if err := caunoi.ValidateVoidReason(reason); err != nil {
		return nil, err
	}
	var out *caunoi.Place
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findPlace(ctx, id, caunoi.PermContactWrite)
		if err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, version); err != nil {
			return err
		}
		next := *old
		if next.Voiding, err = tx.voidRow(ctx, "places", id, version, reason); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		out = &next
		return tx.audit(caunoi.ActionVoid, "place", id, old.OrgPath, old, next, reason)
	})
	return out, err
}

// RecordVisit records the actor's visit to a place in scope.
func (s *PlaceService) RecordVisit(ctx context.Context, v *caunoi.Visit) error {
	a, err := caunoi.Require(ctx, caunoi.PermContactWrite)
	if err != nil {
		return err
	}
	if err := v.Validate(s.db.Now()); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		var existing int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM place_visits WHERE id = $1", v.ID).Scan(&existing); err != nil {
			return fmt.Errorf("record visit: %w", err)
		}
		if existing > 0 {
			found, _, err := s.findVisits(ctx, tx, a, caunoi.VisitFilter{}, v.ID)
			if err != nil {
				return err
			}
			if len(found) == 0 {
				return caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
			}
			*v = *found[0]
			return nil
		}
		p, err := tx.findPlace(ctx, v.PlaceID, caunoi.PermContactWrite)
		if err != nil || p.Voided() {
			return caunoi.Invalid(caunoi.FieldError{Field: "place_id", Key: "err.place.unknown"})
		}
		if !a.System || v.WorkerID == "" {
			v.WorkerID = a.UserID
		}
		if err := tx.checkWorker(ctx, v.WorkerID, p.OrgPath); err != nil {
			return err
		}
		if v.Commodities == nil {
			v.Commodities = map[string]int{}
		}
		comm, err := json.Marshal(v.Commodities)
		if err != nil {
			return fmt.Errorf("record visit: %w", err)
		}
		v.OrgPath, v.Version, v.CreatedAt = p.OrgPath, 1, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO place_visits (id, place_id, org_path, worker_id, visited_on, purposes, commodities, notes, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)`, v.ID, v.PlaceID, v.OrgPath, v.WorkerID, time.Time(v.VisitedOn), joinList(v.Purposes),
			string(comm), v.Notes, tx.now); err != nil {
			return fmt.Errorf("record visit: %w", err)
		}
		return tx.audit(caunoi.ActionCreate, "visit", v.ID, v.OrgPath, nil, v, "")
	})
}

// FindVisits lists visits in scope, newest first.
func (s *PlaceService) FindVisits(ctx context.Context, f caunoi.VisitFilter) ([]*caunoi.Visit, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermClientRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.Visit
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var err error
		out, total, err = s.findVisits(ctx, tx, a, f, "")
		return err
	})
	return out, total, err
}

func (s *PlaceService) findVisits(ctx context.Context, tx *Tx, a *caunoi.Actor, f caunoi.VisitFilter, id string) ([]*caunoi.Visit, int, error) {
	var w query
	w.add(" FROM place_visits v WHERE ")
	if err := w.scope(a, caunoi.PermClientRead, "v.org_path"); err != nil {
		return nil, 0, err
	}
	w.add(" AND v.voided_at IS NULL")
	if id != "" {
		w.add(" AND v.id = ", w.arg(id))
	}
	if f.PlaceID != "" {
		w.add(" AND v.place_id = ", w.arg(f.PlaceID))
	}
	if f.WorkerID != "" {
		w.add(" AND v.worker_id = ", w.arg(f.WorkerID))
	}
	if f.From != nil {
		w.add(" AND v.visited_on >= ", w.arg(dayOf(*f.From)))
	}
	if f.To != nil {
		w.add(" AND v.visited_on < ", w.arg(dayOf(*f.To)))
	}
	var total int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*)"+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count visits: %w", err)
	}
	q := query{args: w.args}
	q.add("SELECT v.id, v.place_id, v.org_path, v.worker_id, v.visited_on, v.purposes, v.commodities, v.notes, v.version, v.created_at",
		w.String(), " ORDER BY v.visited_on DESC, v.id DESC")
	q.page(f.Page)
	rows, err := tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find visits: %w", err)
	}
	defer rows.Close()
	var out []*caunoi.Visit
	for rows.Next() {
		var v caunoi.Visit
		var on time.Time
		var purposes, comm string
		if err := rows.Scan(&v.ID, &v.PlaceID, &v.OrgPath, &v.WorkerID, &on, &purposes, &comm, &v.Notes, &v.Version, &v.CreatedAt); err != nil {
			return nil, 0, fmt.Errorf("scan visit: %w", err)
		}
		v.VisitedOn, v.Purposes, v.CreatedAt = caunoi.Date(on.UTC()), splitList[string](purposes), v.CreatedAt.UTC()
		if err := json.Unmarshal([]byte(comm), &v.Commodities); err != nil {
			return nil, 0, fmt.Errorf("visit commodities: %w", err)
		}
		out = append(out, &v)
	}
	return out, total, rows.Err()
}

// relatedPaths reports whether one organisation lies in the other's subtree.
func relatedPaths(a, b string) bool { return strings.HasPrefix(a, b) || strings.HasPrefix(b, a) }
