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

// FindClientsByIdentifier finds clients in scope by an exact phone or
// identity number, through the blind index.
func (s *ClientService) FindClientsByIdentifier(ctx context.Context, kind, value string) ([]*caunoi.Client, error) {
	a, err := caunoi.Require(ctx, caunoi.PermClientRead)
	if err != nil {
		return nil, err
	}
	if kind != "phone" && kind != "id_number" {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: "kind", Key: "err.field.choice"})
	}
	if strings.TrimSpace(value) == "" {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: kind, Key: "err.field.required"})
	}
	digest, err := s.db.blindIndex(kind, value)
	if err != nil {
		return nil, err
	}
	var out []*caunoi.Client
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var q query
		q.add("SELECT ", clientCols, " FROM clients c WHERE c."+kind+"_bidx = ", q.arg(digest), " AND c.voided_at IS NULL AND ")
		if err := q.scope(a, caunoi.PermClientRead, "c.org_path"); err != nil {
			return err
		}
		q.add(" ORDER BY c.nickname_search LIMIT 50")
		out, err = tx.clients(ctx, q)
		return err
	})
	return out, err
}

// clients runs a query selecting clientCols.
func (tx *Tx) clients(ctx context.Context, q query) ([]*caunoi.Client, error) {
	rows, err := tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("find clients: %w", err)
	}
	defer rows.Close()
	var out []*caunoi.Client
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			return nil, fmt.Errorf("scan client: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MatchUIC finds clients with the same UIC everywhere: those in scope by
// name, the others only counted.
func (s *ClientService) MatchUIC(ctx context.Context, uic string) (*caunoi.UICMatch, error) {
	a, err := caunoi.Require(ctx, caunoi.PermClientRead)
	if err != nil {
		return nil, err
	}
	uic = strings.ToUpper(strings.TrimSpace(uic))
	if uic == "" {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: "uic", Key: "err.field.required"})
	}
	digest, err := s.db.blindIndex("uic", uic)
	if err != nil {
		return nil, err
	}
	m := &caunoi.UICMatch{InScope: []*caunoi.Client{}}
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var q query
		q.add("SELECT ", clientCols, " FROM clients c WHERE c.uic_hash = ", q.arg(digest), " AND c.voided_at IS NULL AND ")
		if err := q.scope(a, caunoi.PermClientRead, "c.org_path"); err != nil {
			return err
		}
		q.add(" ORDER BY c.created_at LIMIT 50")
		if m.InScope, err = tx.clients(ctx, q); err != nil {
			return err
		}
		if m.InScope == nil {
			m.InScope = []*caunoi.Client{} // "in_scope": [], not null
		}
		var all int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM clients WHERE uic_hash = $1 AND voided_at IS NULL", digest).Scan(&all); err != nil {
			return fmt.Errorf("match uic: %w", err)
		}
		m.Elsewhere = all - len(m.InScope)
		return nil
	})
	return m, err
}

// ChangeStatus sets a client's status and appends it to the history.
func (s *ClientService) ChangeStatus(ctx context.Context, id string, version int, ch caunoi.StatusChange) (*caunoi.Client, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermClientWrite); err != nil {
		return nil, err
	}
	var v caunoi.Validator
	v.Check(slices.Contains(caunoi.ClientStatuses, ch.Status), "status", "err.field.choice", nil)
	on := time.Time(ch.ChangedOn)
	v.Check(!on.IsZero() && on.Year() >= 1900 && !on.After(dayOf(s.db.Now())), "changed_on", "err.date.range", nil)
	ch.Note = strings.TrimSpace(ch.Note)
	v.Check(len([]rune(ch.Note)) <= 500, "note", "err.field.too_long", map[string]any{"Max": 500})
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out *caunoi.Client
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findClient(ctx, id, caunoi.PermClientWrite)
		if err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, version); err != nil {
			return err
		}
		next := *old
		next.Status, next.Version, next.UpdatedAt = ch.Status, old.Version+1, tx.now
		if err := tx.execVersioned(ctx, "change status", "UPDATE clients SET status = $1, version = $2, updated_at = $3 WHERE id = $4 AND version = $5",
			next.Status, next.Version, next.UpdatedAt, id, old.Version); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO client_status_history (id, client_id, org_path, status, changed_on, note, changed_by, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, caunoi.NewID(), id, old.OrgPath, ch.Status, on, ch.Note, tx.actor.Username, tx.now); err != nil {
			return fmt.Errorf("change status: %w", err)
		}
		out = &next
		return tx.audit(caunoi.ActionUpdate, "client", id, old.OrgPath, map[string]string{"status": old.Status}, ch, "")
	})
	return out, err
}

func (tx *Tx) consents(ctx context.Context, where string, args ...any) ([]caunoi.Consent, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, client_id, purpose, given_on, recorded_by, withdrawn_on, withdrawn_by FROM consents WHERE `+where+
		` ORDER BY given_on, recorded_at`, args...)
	if err != nil {
		return nil, fmt.Errorf("consents: %w", err)
	}
	defer rows.Close()
	var out []caunoi.Consent
	for rows.Next() {
		var c caunoi.Consent
		var given time.Time
		var withdrawn sql.NullTime
		if err := rows.Scan(&c.ID, &c.ClientID, &c.Purpose, &given, &c.RecordedBy, &withdrawn, &c.WithdrawnBy); err != nil {
			return nil, fmt.Errorf("consents: %w", err)
		}
		c.GivenOn, c.WithdrawnOn = caunoi.Date(given.UTC()), timePtr(withdrawn)
		out = append(out, c)
	}
	return out, rows.Err()
}

// RecordConsent records a consent to a purpose for a client in the
// actor's client.write scope. A purpose already consented to and not
// withdrawn is a conflict.
func (s *ClientService) RecordConsent(ctx context.Context, c *caunoi.Consent) error {
	if _, err := caunoi.Require(ctx, caunoi.PermClientWrite); err != nil {
		return err
	}
	var v caunoi.Validator
	if c.ID == "" {
		c.ID = caunoi.NewID()
	}
	v.Check(caunoi.ValidID(c.ID), "id", "err.id.not_uuidv7", nil)
	v.Check(slices.Contains(caunoi.ConsentPurposes, c.Purpose), "purpose", "err.field.choice", nil)
	given := time.Time(c.GivenOn)
	v.Check(!given.IsZero() && given.Year() >= 1900 && !given.After(dayOf(s.db.Now())), "given_on", "err.date.range", nil)
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		cl, err := tx.findClient(ctx, c.ClientID, caunoi.PermClientWrite)
		if err != nil {
			return err
		}
		active, err := tx.consents(ctx, "client_id = $1 AND purpose = $2 AND withdrawn_on IS NULL", c.ClientID, c.Purpose)
		if err != nil {
			return err
		}
		if len(active) > 0 {
			if active[0].ID == c.ID {
				*c = active[0] // a repeated create: applied once
				return nil
			}
			return caunoi.Errorf(caunoi.ECONFLICT, "err.consent.already", nil)
		}
		c.RecordedBy = tx.actor.Username
		if _, err := tx.ExecContext(ctx, `INSERT INTO consents (id, client_id, org_path, purpose, given_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			c.ID, c.ClientID, cl.OrgPath, c.Purpose, given, c.RecordedBy, tx.now); err != nil {
			return fmt.Errorf("record consent: %w", err)
		}
		return tx.audit(caunoi.ActionCreate, "consent", c.ID, cl.OrgPath, nil, c, "")
	})
}

// WithdrawConsent records that a client withdrew a consent on a day.
func (s *ClientService) WithdrawConsent(ctx context.Context, consentID string, on time.Time) (*caunoi.Consent, error) {
	a, err := caunoi.Require(ctx, caunoi.PermClientWrite)
	if err != nil {
		return nil, err
	}
	if on.IsZero() || on.Year() < 1900 || on.After(dayOf(s.db.Now())) {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: "withdrawn_on", Key: "err.date.range"})
	}
	var out *caunoi.Consent
	err = s.db.inTx(ctx, true, func(tx *Tx) error {
		var q query
		q.add("id = ", q.arg(consentID), " AND ")
		if err := q.scope(a, caunoi.PermClientWrite, "org_path"); err != nil {
			return err
		}
		found, err := tx.consents(ctx, q.String(), q.args...)
		if err != nil {
			return err
		}
		if len(found) == 0 {
			return caunoi.NotFound("consent")
		}
		c := found[0]
		if !c.Active() {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.consent.withdrawn", nil)
		}
		if on.Before(time.Time(c.GivenOn)) {
			return caunoi.Invalid(caunoi.FieldError{Field: "withdrawn_on", Key: "err.date.end_before_start"})
		}
		if _, err := tx.ExecContext(ctx, "UPDATE consents SET withdrawn_on = $1, withdrawn_by = $2, withdrawn_at = $3 WHERE id = $4",
			on, tx.actor.Username, tx.now, c.ID); err != nil {
			return fmt.Errorf("withdraw consent: %w", err)
		}
		path, err := tx.orgPathOf(ctx, "consents", c.ID)
		if err != nil {
			return err
		}
		before := c
		c.WithdrawnOn, c.WithdrawnBy = &on, tx.actor.Username
		out = &c
		return tx.audit(caunoi.ActionRevoke, "consent", c.ID, path, before, c, "")
	})
	return out, err
}

func (tx *Tx) memberships(ctx context.Context, where string, args ...any) ([]caunoi.Membership, error) {
	rows, err := tx.QueryContext(ctx, `SELECT m.id, m.client_id, m.org_id, o.name, m.role, m.joined_on, m.left_on
		FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE `+where+` ORDER BY m.joined_on`, args...)
	if err != nil {
		return nil, fmt.Errorf("memberships: %w", err)
	}
	defer rows.Close()
	var out []caunoi.Membership
	for rows.Next() {
		var m caunoi.Membership
		var joined time.Time
		var left sql.NullTime
		if err := rows.Scan(&m.ID, &m.ClientID, &m.OrgID, &m.OrgName, &m.Role, &joined, &left); err != nil {
			return nil, fmt.Errorf("memberships: %w", err)
		}
		m.JoinedOn, m.LeftOn = caunoi.Date(joined.UTC()), timePtr(left)
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddMembership makes a client in scope a member of a group where the
// actor holds client.write.
func (s *ClientService) AddMembership(ctx context.Context, m *caunoi.Membership) error {
	if _, err := caunoi.Require(ctx, caunoi.PermClientWrite); err != nil {
		return err
	}
	var v caunoi.Validator
	if m.ID == "" {
		m.ID = caunoi.NewID()
	}
	v.Check(caunoi.ValidID(m.ID), "id", "err.id.not_uuidv7", nil)
	v.Check(slices.Contains(caunoi.MembershipRoles, m.Role), "role", "err.field.choice", nil)
	joined := time.Time(m.JoinedOn)
	v.Check(!joined.IsZero() && joined.Year() >= 1900 && !joined.After(dayOf(s.db.Now())), "joined_on", "err.date.range", nil)
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if _, err := tx.findClient(ctx, m.ClientID, caunoi.PermClientWrite); err != nil {
			return err
		}
		o, err := tx.findOrg(ctx, m.OrgID, caunoi.PermClientWrite)
		if err != nil || o.Kind != caunoi.OrgGroup || o.Voided() {
			return caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.membership.group"})
		}
		current, err := tx.memberships(ctx, "m.client_id = $1 AND m.org_id = $2 AND m.left_on IS NULL", m.ClientID, m.OrgID)
		if err != nil {
			return err
		}
		if len(current) > 0 {
			if current[0].ID == m.ID {
				*m = current[0]
				return nil
			}
			return caunoi.Errorf(caunoi.ECONFLICT, "err.membership.already", nil)
		}
		m.OrgName = o.Name
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (id, client_id, org_id, org_path, role, joined_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			m.ID, m.ClientID, m.OrgID, o.Path, m.Role, joined, tx.now); err != nil {
			return fmt.Errorf("add membership: %w", err)
		}
		return tx.audit(caunoi.ActionCreate, "membership", m.ID, o.Path, nil, m, "")
	})
}

// EndMembership records the day a member left a group.
func (s *ClientService) EndMembership(ctx context.Context, id string, on time.Time) (*caunoi.Membership, error) {
	a, err := caunoi.Require(ctx, caunoi.PermClientWrite)
	if err != nil {
		return nil, err
	}
	if on.IsZero() || on.Year() < 1900 || on.After(dayOf(s.db.Now())) {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: "left_on", Key: "err.date.range"})
	}
	var out *caunoi.Membership
	err = s.db.inTx(ctx, true, func(tx *Tx) error {
		var q query
		q.add("m.id = ", q.arg(id), " AND ")
		if err := q.scope(a, caunoi.PermClientWrite, "m.org_path"); err != nil {
			return err
		}
		found, err := tx.memberships(ctx, q.String(), q.args...)
		if err != nil {
			return err
		}
		if len(found) == 0 {
			return caunoi.NotFound("membership")
		}
		m := found[0]
		if m.LeftOn != nil {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.membership.ended", nil)
		}
		if on.Before(time.Time(m.JoinedOn)) {
			return caunoi.Invalid(caunoi.FieldError{Field: "left_on", Key: "err.date.end_before_start"})
		}
		if _, err := tx.ExecContext(ctx, "UPDATE memberships SET left_on = $1 WHERE id = $2", on, id); err != nil {
			return fmt.Errorf("end membership: %w", err)
		}
		path, err := tx.orgPathOf(ctx, "memberships", id)
		if err != nil {
			return err
		}
		before := m
		m.LeftOn = &on
		out = &m
		return tx.audit(caunoi.ActionUpdate, "membership", id, path, before, m, "")
	})
	return out, err
}

// orgPathOf returns the organisation path stored with a consent or a
// membership, so its audit entries are scoped like the client's: an audit
// entry without a path is seen by the national administrator only.
func (tx *Tx) orgPathOf(ctx context.Context, table, id string) (string, error) {
	var path string
	if err := tx.QueryRowContext(ctx, "SELECT org_path FROM "+table+" WHERE id = $1", id).Scan(&path); err != nil {
		return "", fmt.Errorf("%s org path: %w", table, err)
	}
	return path, nil
}
