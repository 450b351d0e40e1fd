package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"caunoi"
)

// ReferralService implements caunoi.ReferralService.
type ReferralService struct{ db *DB }

// NewReferralService returns the referral service.
func NewReferralService(db *DB) *ReferralService { return &ReferralService{db: db} }

var _ caunoi.ReferralService = (*ReferralService)(nil)

const referralCols = `r.id, r.org_id, r.org_path, r.client_id, r.provider_id, r.service_kind, r.referred_on, r.due_on, r.referred_by, r.code,
	r.reason, r.status, r.closed_on, COALESCE(r.service_id, ''), r.outcome, r.version, r.created_at, r.updated_at,
	r.voided_at, r.voided_by, r.void_reason,
	(SELECT c.nickname FROM clients c WHERE c.id = r.client_id), (SELECT c.uic FROM clients c WHERE c.id = r.client_id),
	(SELECT p.name FROM providers p WHERE p.id = r.provider_id)`

func scanReferral(sc scanner) (*caunoi.Referral, error) {
	var r caunoi.Referral
	var referred, due time.Time
	var closed, voided sql.NullTime
	err := sc.Scan(&r.ID, &r.OrgID, &r.OrgPath, &r.ClientID, &r.ProviderID, &r.ServiceKind, &referred, &due, &r.ReferredBy, &r.Code,
		&r.Reason, &r.Status, &closed, &r.ServiceID, &r.Outcome, &r.Version, &r.CreatedAt, &r.UpdatedAt, &voided, &r.VoidedBy, &r.VoidReason,
		&r.ClientNickname, &r.ClientUIC, &r.ProviderName)
	if err != nil {
		return nil, err
	}
	r.ReferredOn, r.DueOn, r.VoidedAt = caunoi.Date(referred.UTC()), caunoi.Date(due.UTC()), timePtr(voided)
	if closed.Valid {
		d := caunoi.Date(closed.Time.UTC())
		r.ClosedOn = &d
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return &r, nil
}

func (tx *Tx) findReferral(ctx context.Context, id string, perm caunoi.Permission) (*caunoi.Referral, error) {
	var q query
	q.add("SELECT ", referralCols, " FROM referrals r WHERE r.id = ", q.arg(id), " AND ")
	if err := q.scope(tx.actor, perm, "r.org_path"); err != nil {
		return nil, err
	}
	r, err := scanReferral(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "referral")
	}
	return r, nil
}

// FindReferralByID returns a referral in scope.
func (s *ReferralService) FindReferralByID(ctx context.Context, id string) (*caunoi.Referral, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermClientRead); err != nil {
		return nil, err
	}
	var out *caunoi.Referral
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		var err error
		out, err = tx.findReferral(ctx, id, caunoi.PermClientRead)
		return err
	})
	return out, err
}

// FindReferrals lists referrals in scope: newest first, or, overdue ones
// only, the longest overdue first.
func (s *ReferralService) FindReferrals(ctx context.Context, f caunoi.ReferralFilter) ([]*caunoi.Referral, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermClientRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.Referral
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(" FROM referrals r WHERE ")
		if err := w.scope(a, caunoi.PermClientRead, "r.org_path"); err != nil {
			return err
		}
		w.add(" AND r.voided_at IS NULL")
		if err := tx.orgFilter(ctx, &w, f.OrgID, "r.org_path"); err != nil {
			return err
		}
		order := "r.referred_on DESC, r.id DESC"
		if f.Overdue {
			// The literal status lets both databases use the partial
			// indexes of open referrals.
			w.add(" AND r.status = 'referred' AND r.due_on < ", w.arg(dayOf(tx.now)))
			order = "r.due_on, r.id"
		} else if f.Status != "" {
			w.add(" AND r.status = ", w.arg(f.Status))
		}
		if f.ClientID != "" {
			w.add(" AND r.client_id = ", w.arg(f.ClientID))
		}
		if f.ProviderID != "" {
			w.add(" AND r.provider_id = ", w.arg(f.ProviderID))
		}
		if f.ServiceKind != "" {
			w.add(" AND r.service_kind = ", w.arg(f.ServiceKind))
		}
		if f.ReferredBy != "" {
			w.add(" AND r.referred_by = ", w.arg(f.ReferredBy))
		}
		if f.From != nil {
			w.add(" AND r.referred_on >= ", w.arg(dayOf(*f.From)))
		}
		if f.To != nil {
			w.add(" AND r.referred_on < ", w.arg(dayOf(*f.To)))
		}
		items, n, err := listPage(ctx, tx, "referrals", referralCols, w, order, f.Page, scanReferral)
		out, total = items, n
		return err
	})
	return out, total, err
}

// referralCode makes the code printed on a slip from the random part of
// the referral's UUIDv7: "CG-" and twelve hexadecimal digits in threes of
// four, 48 random bits.
func referralCode(id string) string {
	hex := strings.ToUpper(strings.ReplaceAll(id, "-", ""))
	tail := hex[len(hex)-12:]
	return "CG-" + tail[0:4] + "-" + tail[4:8] + "-" + tail[8:12]
}

// CreateReferral refers a client to a provider; a repeated id is applied
// once.
func (s *ReferralService) CreateReferral(ctx context.Context, r *caunoi.Referral) error {
	a, err := caunoi.Require(ctx, caunoi.PermServiceWrite)
	if err != nil {
		return err
	}
	if err := r.Validate(s.db.Now()); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if existing, err := tx.findReferral(ctx, r.ID, caunoi.PermClientRead); err == nil {
			*r = *existing
			return nil
		}
		o, err := tx.serviceOrg(ctx, r.OrgID)
		if err != nil {
			return err
		}
		if _, err := tx.serviceClient(ctx, r.ClientID, o.Path, "referred_on", time.Time(r.ReferredOn)); err != nil {
			return err
		}
		p, err := tx.providerSharedWith(ctx, r.ProviderID, o.Path, "provider_id")
		if err != nil {
			return err
		}
		if !p.Offers(r.ServiceKind) {
			return caunoi.Invalid(caunoi.FieldError{Field: "service_kind", Key: "err.referral.provider_service", Args: map[string]any{"Provider": p.Name}})
		}
		if !a.System || r.ReferredBy == "" {
			r.ReferredBy = a.UserID
		}
		if err := tx.checkServiceWorker(ctx, r.ReferredBy, o.Path, "referred_by"); err != nil {
			return err
		}
		r.OrgPath, r.Code, r.Status, r.Version, r.CreatedAt, r.UpdatedAt = o.Path, referralCode(r.ID), caunoi.ReferralReferred, 1, tx.now, tx.now
		r.ClosedOn, r.ServiceID, r.Outcome = nil, "", ""
		res, err := tx.ExecContext(ctx, `INSERT INTO referrals (id, org_id, org_path, client_id, provider_id, service_kind, referred_on, due_on,
			referred_by, code, reason, status, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) ON CONFLICT (id) DO NOTHING`,
			r.ID, r.OrgID, r.OrgPath, r.ClientID, r.ProviderID, r.ServiceKind, time.Time(r.ReferredOn), time.Time(r.DueOn),
			r.ReferredBy, r.Code, r.Reason, r.Status, r.Version, r.CreatedAt)
		if err != nil {
			return fmt.Errorf("insert referral: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
		}
		stored, err := tx.findReferral(ctx, r.ID, caunoi.PermClientRead)
		if err != nil {
			return err
		}
		*r = *stored
		return tx.audit(caunoi.ActionCreate, "referral", r.ID, r.OrgPath, nil, r, "")
	})
}

// checkTransition checks a transition's own fields against the referral.
func checkTransition(r *caunoi.Referral, t *caunoi.ReferralTransition, now time.Time) error {
	var v caunoi.Validator
	t.Outcome = strings.TrimSpace(t.Outcome)
	if !slices.Contains(caunoi.ReferralStatuses, t.Status) {
		v.Add("status", "err.field.choice", nil)
		return v.Err()
	}
	if !caunoi.CanTransition(r.Status, t.Status) {
		v.Add("status", "err.referral.transition", nil)
		return v.Err()
	}
	on := time.Time(t.ClosedOn)
	if on.IsZero() {
		v.Add("closed_on", "err.date.required", nil)
	} else {
		today := dayOf(now)
		v.Check(!on.After(today), "closed_on", "err.date.range", nil)
		v.Check(!on.Before(time.Time(r.ReferredOn)), "closed_on", "err.referral.on_before", nil)
	}
	v.Check(len([]rune(t.Outcome)) <= 500, "outcome", "err.field.too_long", map[string]any{"Max": 500})
	if t.Status == caunoi.ReferralReached {
		v.Check(t.ServiceID != "" || t.Service != nil, "service_id", "err.referral.service_required", nil)
		v.Check(t.ServiceID == "" || t.Service == nil, "service_id", "err.referral.service_twice", nil)
	} else {
		v.Check(t.ServiceID == "" && t.Service == nil, "service_id", "err.referral.service_only_reached", nil)
	}
	return v.Err()
}

// TransitionReferral moves a referral along the state machine; reaching
// it links, or records, the service received, in the same transaction.
func (s *ReferralService) TransitionReferral(ctx context.Context, id string, t caunoi.ReferralTransition) (*caunoi.Referral, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermServiceWrite); err != nil {
		return nil, err
	}
	var out *caunoi.Referral
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findReferral(ctx, id, caunoi.PermServiceWrite)
		if err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, t.Version); err != nil {
			return err
		}
		if err := checkTransition(old, &t, tx.now); err != nil {
			return err
		}
		next := *old
		if t.Status == caunoi.ReferralReached {
			if next.ServiceID, err = tx.referralService(ctx, old, &t); err != nil {
				return err
			}
		}
		on := t.ClosedOn
		next.Status, next.ClosedOn, next.Outcome, next.Version, next.UpdatedAt = t.Status, &on, t.Outcome, old.Version+1, tx.now
		if err := tx.execVersioned(ctx, "transition referral", `UPDATE referrals SET status = $1, closed_on = $2, service_id = $3, outcome = $4,
			version = $5, updated_at = $6 WHERE id = $7 AND version = $8`,
			next.Status, time.Time(on), nullStr(next.ServiceID), next.Outcome, next.Version, next.UpdatedAt, id, old.Version); err != nil {
			return err
		}
		out = &next
		return tx.audit(caunoi.ActionUpdate, "referral", id, old.OrgPath, old, next, "")
	})
	return out, err
}

// referralService returns the id of the service that reaches a referral:
// one already recorded (same client and kind, not before the referral,
// closing no other referral), or one recorded now.
func (tx *Tx) referralService(ctx context.Context, r *caunoi.Referral, t *caunoi.ReferralTransition) (string, error) {
	if t.ServiceID != "" {
		sv, err := tx.findService(ctx, t.ServiceID, caunoi.PermClientRead)
		if err != nil || sv.Voided() || sv.ClientID != r.ClientID || sv.Kind != r.ServiceKind ||
			time.Time(sv.GivenOn).Before(time.Time(r.ReferredOn)) {
			if err != nil && caunoi.ErrorCode(err) != caunoi.ENOTFOUND {
				return "", err
			}
			return "", caunoi.Invalid(caunoi.FieldError{Field: "service_id", Key: "err.referral.service_mismatch"})
		}
		if sv.ReferralID != "" && sv.ReferralID != r.ID {
			return "", caunoi.Invalid(caunoi.FieldError{Field: "service_id", Key: "err.referral.service_taken"})
		}
		return sv.ID, nil
	}
	sv := t.Service
	sv.ClientID, sv.Kind = r.ClientID, r.ServiceKind
	if sv.OrgID == "" {
		sv.OrgID = r.OrgID
	}
	if sv.ProviderID == "" {
		sv.ProviderID = r.ProviderID
	}
	if time.Time(sv.GivenOn).IsZero() {
		sv.GivenOn = t.ClosedOn
	}
	if err := sv.Validate(tx.now); err != nil {
		return "", err
	}
	if time.Time(sv.GivenOn).Before(time.Time(r.ReferredOn)) {
		return "", caunoi.Invalid(caunoi.FieldError{Field: "given_on", Key: "err.referral.service_before"})
	}
	if err := tx.insertService(ctx, sv); err != nil {
		return "", err
	}
	if err := tx.audit(caunoi.ActionCreate, "service", sv.ID, sv.OrgPath, nil, sv, ""); err != nil {
		return "", err
	}
	sv.ReferralID, sv.ProviderName, sv.ClientNickname, sv.ClientUIC = r.ID, r.ProviderName, r.ClientNickname, r.ClientUIC
	return sv.ID, nil
}

// VoidReferral voids a referral with a reason.
func (s *ReferralService) VoidReferral(ctx context.Context, id string, version int, reason string) (*caunoi.Referral, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermServiceWrite); err != nil {
		return nil, err
	}
	if err := caunoi.ValidateVoidReason(reason); err != nil {
		return nil, err
	}
	var out *caunoi.Referral
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findReferral(ctx, id, caunoi.PermServiceWrite)
		if err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, version); err != nil {
			return err
		}
		next := *old
		if next.Voiding, err = tx.voidRow(ctx, "referrals", id, version, reason); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		out = &next
		return tx.audit(caunoi.ActionVoid, "referral", id, old.OrgPath, old, next, reason)
	})
	return out, err
}

// ReferralSlip returns what the referral's slip shows and audits the read
// of the client's record.
func (s *ReferralService) ReferralSlip(ctx context.Context, id string) (*caunoi.ReferralSlip, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermClientRead); err != nil {
		return nil, err
	}
	var slip *caunoi.ReferralSlip
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		r, err := tx.findReferral(ctx, id, caunoi.PermClientRead)
		if err != nil {
			return err
		}
		c, err := tx.findClient(ctx, r.ClientID, caunoi.PermClientRead)
		if err != nil {
			return err
		}
		p, err := scanProvider(tx.QueryRowContext(ctx, "SELECT "+providerCols+" FROM providers p WHERE p.id = $1", r.ProviderID))
		if err != nil {
			return fmt.Errorf("slip provider: %w", err)
		}
		slip = &caunoi.ReferralSlip{Referral: r, Provider: p, UIC: c.UIC}
		if err := tx.QueryRowContext(ctx, "SELECT name FROM orgs WHERE id = $1", r.OrgID).Scan(&slip.OrgName); err != nil {
			return fmt.Errorf("slip organisation: %w", err)
		}
		if err := tx.QueryRowContext(ctx, "SELECT display_name FROM users WHERE id = $1", r.ReferredBy).Scan(&slip.ReferredBy); err != nil {
			return fmt.Errorf("slip worker: %w", err)
		}
		active, err := tx.consents(ctx, "client_id = $1 AND purpose = $2 AND withdrawn_on IS NULL", c.ID, "referral_sharing")
		if err != nil {
			return err
		}
		slip.Consented = len(active) > 0
		if slip.Consented {
			var name, phone string
			if err := tx.QueryRowContext(ctx, "SELECT legal_name_enc, phone_enc FROM clients WHERE id = $1", c.ID).Scan(&name, &phone); err != nil {
				return fmt.Errorf("slip client: %w", err)
			}
			if slip.LegalName, err = tx.db.unseal("clients", c.ID, "legal_name", name); err != nil {
				return err
			}
			if slip.Phone, err = tx.db.unseal("clients", c.ID, "phone", phone); err != nil {
				return err
			}
			slip.Nickname, slip.BirthYear, slip.Sex = c.Nickname, c.BirthYear, c.Sex
		}
		// A slip is a read of the client's record.
		return tx.audit(caunoi.ActionRead, "client", c.ID, c.OrgPath, nil,
			map[string]any{"referral_slip": r.ID, "consented": slip.Consented}, "")
	})
	if err != nil {
		return nil, err
	}
	return slip, nil
}
