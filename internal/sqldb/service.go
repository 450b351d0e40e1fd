package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"caunoi"
)

// ServiceService implements caunoi.ServiceService.
type ServiceService struct{ db *DB }

// NewServiceService returns the service of services given to clients.
func NewServiceService(db *DB) *ServiceService { return &ServiceService{db: db} }

var _ caunoi.ServiceService = (*ServiceService)(nil)

const serviceCols = `s.id, s.org_id, s.org_path, s.client_id, s.kind, s.detail, s.result, s.trade, s.quantity, s.amount_vnd, s.given_on,
	COALESCE(s.provider_id, ''), s.worker_id, COALESCE((SELECT r.id FROM referrals r WHERE r.service_id = s.id), ''), s.notes,
	s.version, s.created_by, s.created_at, s.updated_at, s.voided_at, s.voided_by, s.void_reason,
	(SELECT c.nickname FROM clients c WHERE c.id = s.client_id), (SELECT c.uic FROM clients c WHERE c.id = s.client_id),
	COALESCE((SELECT p.name FROM providers p WHERE p.id = s.provider_id), '')`

func scanService(sc scanner) (*caunoi.Service, error) {
	var s caunoi.Service
	var given time.Time
	var voided sql.NullTime
	err := sc.Scan(&s.ID, &s.OrgID, &s.OrgPath, &s.ClientID, &s.Kind, &s.Detail, &s.Result, &s.Trade, &s.Quantity, &s.AmountVND, &given,
		&s.ProviderID, &s.WorkerID, &s.ReferralID, &s.Notes, &s.Version, &s.CreatedBy, &s.CreatedAt, &s.UpdatedAt, &voided, &s.VoidedBy, &s.VoidReason,
		&s.ClientNickname, &s.ClientUIC, &s.ProviderName)
	if err != nil {
		return nil, err
	}
	s.GivenOn, s.VoidedAt = caunoi.Date(given.UTC()), timePtr(voided)
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return &s, nil
}

func (tx *Tx) findService(ctx context.Context, id string, perm caunoi.Permission) (*caunoi.Service, error) {
	var q query
	q.add("SELECT ", serviceCols, " FROM services s WHERE s.id = ", q.arg(id), " AND ")
	if err := q.scope(tx.actor, perm, "s.org_path"); err != nil {
		return nil, err
	}
	s, err := scanService(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "service")
	}
	return s, nil
}

// FindServiceByID returns a service in scope.
func (s *ServiceService) FindServiceByID(ctx context.Context, id string) (*caunoi.Service, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermClientRead); err != nil {
		return nil, err
	}
	var out *caunoi.Service
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		var err error
		out, err = tx.findService(ctx, id, caunoi.PermClientRead)
		return err
	})
	return out, err
}

// FindServices lists services in scope, newest first.
func (s *ServiceService) FindServices(ctx context.Context, f caunoi.ServiceFilter) ([]*caunoi.Service, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermClientRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.Service
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(" FROM services s WHERE ")
		if err := w.scope(a, caunoi.PermClientRead, "s.org_path"); err != nil {
			return err
		}
		w.add(" AND s.voided_at IS NULL")
		if err := tx.orgFilter(ctx, &w, f.OrgID, "s.org_path"); err != nil {
			return err
		}
		if f.ClientID != "" {
			w.add(" AND s.client_id = ", w.arg(f.ClientID))
		}
		if f.Kind != "" {
			w.add(" AND s.kind = ", w.arg(f.Kind))
		}
		if f.ProviderID != "" {
			w.add(" AND s.provider_id = ", w.arg(f.ProviderID))
		}
		if f.WorkerID != "" {
			w.add(" AND s.worker_id = ", w.arg(f.WorkerID))
		}
		if f.From != nil {
			w.add(" AND s.given_on >= ", w.arg(dayOf(*f.From)))
		}
		if f.To != nil {
			w.add(" AND s.given_on < ", w.arg(dayOf(*f.To)))
		}
		items, n, err := listPage(ctx, tx, "services", serviceCols, w, "s.given_on DESC, s.id DESC", f.Page, scanService)
		out, total = items, n
		return err
	})
	return out, total, err
}

// CreateService records a service given to a client; a repeated id is
// applied once.
func (s *ServiceService) CreateService(ctx context.Context, sv *caunoi.Service) error {
	if _, err := caunoi.Require(ctx, caunoi.PermServiceWrite); err != nil {
		return err
	}
	if err := sv.Validate(s.db.Now()); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if existing, err := tx.findService(ctx, sv.ID, caunoi.PermClientRead); err == nil {
			*sv = *existing
			return nil
		}
		if err := tx.insertService(ctx, sv); err != nil {
			return err
		}
		stored, err := tx.findService(ctx, sv.ID, caunoi.PermClientRead)
		if err != nil {
			return err
		}
		*sv = *stored
		return tx.audit(caunoi.ActionCreate, "service", sv.ID, sv.OrgPath, nil, sv, "")
	})
}

// serviceOrg returns an organisation where the actor records services,
// or an EINVALID error on field org_id.
func (tx *Tx) serviceOrg(ctx context.Context, orgID string) (*caunoi.Organisation, error) {
	o, err := tx.findOrg(ctx, orgID, caunoi.PermServiceWrite)
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

// serviceClient returns the live client with the id if it belongs to the
// organisation at orgPath, to one above it or to one below it; otherwise
// an EINVALID error on client_id. A day (field) before the client's birth
// year is refused too.
func (tx *Tx) serviceClient(ctx context.Context, id, orgPath, field string, day time.Time) (*caunoi.Client, error) {
	c, err := tx.findClient(ctx, id, caunoi.PermClientRead)
	if err != nil || c.Voided() || !relatedPaths(c.OrgPath, orgPath) {
		if err != nil && caunoi.ErrorCode(err) != caunoi.ENOTFOUND {
			return nil, err
		}
		return nil, caunoi.Invalid(caunoi.FieldError{Field: "client_id", Key: "err.contact.client_unknown"})
	}
	if c.BirthYear > 0 && day.Year() < c.BirthYear {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: field, Key: "err.date.before_birth", Args: map[string]any{"Year": c.BirthYear}})
	}
	return c, nil
}

// checkServiceWorker checks that the worker named by the system (demo
// data) holds service.write on the organisation at path; a signed-in
// actor records its own work.
func (tx *Tx) checkServiceWorker(ctx context.Context, workerID, path, field string) error {
	if !tx.actor.System {
		return nil
	}
	grants, err := grantsOf(ctx, tx, workerID)
	if err != nil {
		return err
	}
	for _, g := range grants {
		if g.Role.Has(caunoi.PermServiceWrite) && strings.HasPrefix(path, g.OrgPath) {
			return nil
		}
	}
	return caunoi.Invalid(caunoi.FieldError{Field: field, Key: "err.service.worker"})
}

// insertService checks a validated service's organisation, client,
// provider and worker, and stores it.
func (tx *Tx) insertService(ctx context.Context, sv *caunoi.Service) error {
	o, err := tx.serviceOrg(ctx, sv.OrgID)
	if err != nil {
		return err
	}
	if _, err := tx.serviceClient(ctx, sv.ClientID, o.Path, "given_on", time.Time(sv.GivenOn)); err != nil {
		return err
	}
	if err := tx.checkServiceProvider(ctx, sv, o.Path); err != nil {
		return err
	}
	if !tx.actor.System || sv.WorkerID == "" {
		sv.WorkerID = tx.actor.UserID
	}
	if err := tx.checkServiceWorker(ctx, sv.WorkerID, o.Path, "worker_id"); err != nil {
		return err
	}
	sv.OrgPath, sv.Version, sv.CreatedBy, sv.CreatedAt, sv.UpdatedAt, sv.ReferralID = o.Path, 1, tx.actor.UserID, tx.now, tx.now, ""
	res, err := tx.ExecContext(ctx, `INSERT INTO services (id, org_id, org_path, client_id, kind, detail, result, trade, quantity, amount_vnd, given_on,
		provider_id, worker_id, notes, version, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) ON CONFLICT (id) DO NOTHING`,
		sv.ID, sv.OrgID, sv.OrgPath, sv.ClientID, sv.Kind, sv.Detail, sv.Result, sv.Trade, sv.Quantity, sv.AmountVND, time.Time(sv.GivenOn),
		nullStr(sv.ProviderID), sv.WorkerID, sv.Notes, sv.Version, sv.CreatedBy, sv.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert service: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
	}
	return nil
}

// checkServiceProvider checks the provider of a service, if any: shared
// with the organisation at orgPath, and offering the service's kind.
func (tx *Tx) checkServiceProvider(ctx context.Context, sv *caunoi.Service, orgPath string) error {
	if sv.ProviderID == "" {
		return nil
	}
	p, err := tx.providerSharedWith(ctx, sv.ProviderID, orgPath, "provider_id")
	if err != nil {
		return err
	}
	if !p.Offers(sv.Kind) {
		return caunoi.Invalid(caunoi.FieldError{Field: "provider_id", Key: "err.service.provider_service", Args: map[string]any{"Provider": p.Name}})
	}
	return nil
}

// UpdateService corrects a service, or records a job placement's outcome.
func (s *ServiceService) UpdateService(ctx context.Context, id string, u caunoi.ServiceUpdate) (*caunoi.Service, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermServiceWrite); err != nil {
		return nil, err
	}
	var out *caunoi.Service
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findService(ctx, id, caunoi.PermServiceWrite)
		if err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, u.Version); err != nil {
			return err
		}
		next := *old
		u.Apply(&next)
		if err := next.Validate(tx.now); err != nil {
			return err
		}
		if _, err := tx.serviceClient(ctx, next.ClientID, old.OrgPath, "given_on", time.Time(next.GivenOn)); err != nil {
			return err
		}
		if err := tx.checkServiceProvider(ctx, &next, old.OrgPath); err != nil {
			return err
		}
		if next.ReferralID != "" {
			// It closed a referral: it stays at that referral's provider,
			// not before the referral.
			r, err := tx.findReferral(ctx, next.ReferralID, caunoi.PermClientRead)
			if err != nil {
				return err
			}
			if time.Time(next.GivenOn).Before(time.Time(r.ReferredOn)) {
				return caunoi.Invalid(caunoi.FieldError{Field: "given_on", Key: "err.referral.service_before"})
			}
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		if err := tx.execVersioned(ctx, "update service", `UPDATE services SET detail = $1, result = $2, trade = $3, quantity = $4, amount_vnd = $5,
			given_on = $6, provider_id = $7, notes = $8, version = $9, updated_at = $10 WHERE id = $11 AND version = $12`,
			next.Detail, next.Result, next.Trade, next.Quantity, next.AmountVND, time.Time(next.GivenOn), nullStr(next.ProviderID), next.Notes,
			next.Version, next.UpdatedAt, id, old.Version); err != nil {
			return err
		}
		out = &next
		return tx.audit(caunoi.ActionUpdate, "service", id, old.OrgPath, old, next, "")
	})
	return out, err
}

// VoidService voids a service with a reason, unless it closed a referral
// that stands.
func (s *ServiceService) VoidService(ctx context.Context, id string, version int, reason string) (*caunoi.Service, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermServiceWrite); err != nil {
		return nil, err
	}
	if err := caunoi.ValidateVoidReason(reason); err != nil {
		return nil, err
	}
	var out *caunoi.Service
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findService(ctx, id, caunoi.PermServiceWrite)
		if err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, version); err != nil {
			return err
		}
		var standing int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM referrals WHERE service_id = $1 AND voided_at IS NULL", id).Scan(&standing); err != nil {
			return fmt.Errorf("void service: %w", err)
		}
		if standing > 0 {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.service.closes_referral", nil)
		}
		next := *old
		if next.Voiding, err = tx.voidRow(ctx, "services", id, version, reason); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		out = &next
		return tx.audit(caunoi.ActionVoid, "service", id, old.OrgPath, old, next, reason)
	})
	return out, err
}
