package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"caunoi"
)

// ClientService implements caunoi.ClientService.
type ClientService struct{ db *DB }

// NewClientService returns the client service.
func NewClientService(db *DB) *ClientService { return &ClientService{db: db} }

var _ caunoi.ClientService = (*ClientService)(nil)

const clientCols = `c.id, c.org_id, c.org_path, c.nickname, c.birth_year, c.sex, c.populations, c.uic, c.residence, c.status,
	c.version, c.created_by, c.created_at, c.updated_at, c.voided_at, c.voided_by, c.void_reason`

func scanClient(sc scanner) (*caunoi.Client, error) {
	var c caunoi.Client
	var pops string
	var voided sql.NullTime
	err := sc.Scan(&c.ID, &c.OrgID, &c.OrgPath, &c.Nickname, &c.BirthYear, &c.Sex, &pops, &c.UIC, &c.Residence, &c.Status,
		&c.Version, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt, &voided, &c.VoidedBy, &c.VoidReason)
	if err != nil {
		return nil, err
	}
	c.Populations = splitList[caunoi.Population](pops)
	c.CreatedAt, c.UpdatedAt, c.VoidedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC(), timePtr(voided)
	return &c, nil
}

func (tx *Tx) findClient(ctx context.Context, id string, p caunoi.Permission) (*caunoi.Client, error) {
	var q query
	q.add("SELECT ", clientCols, " FROM clients c WHERE c.id = ", q.arg(id), " AND ")
	if err := q.scope(tx.actor, p, "c.org_path"); err != nil {
		return nil, err
	}
	c, err := scanClient(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "client")
	}
	return c, nil
}

// FindClientByID returns a client in scope and audits the read.
func (s *ClientService) FindClientByID(ctx context.Context, id string) (*caunoi.Client, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermClientRead); err != nil {
		return nil, err
	}
	var c *caunoi.Client
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		var err error
		if c, err = tx.findClient(ctx, id, caunoi.PermClientRead); err != nil {
			return err
		}
		if err := tx.loadClientDetails(ctx, c); err != nil {
			return err
		}
		return tx.audit(caunoi.ActionRead, "client", id, c.OrgPath, nil, nil, "")
	})
	if err != nil {
		return nil, err // never a client half read (say, a phone whose key is gone)
	}
	return c, nil
}

// loadClientDetails decrypts a client's identifying fields and loads the
// memberships, consents and status history.
func (tx *Tx) loadClientDetails(ctx context.Context, c *caunoi.Client) error {
	var name, phone, idn string
	if err := tx.QueryRowContext(ctx, "SELECT legal_name_enc, phone_enc, id_number_enc FROM clients WHERE id = $1", c.ID).Scan(&name, &phone, &idn); err != nil {
		return fmt.Errorf("client details: %w", err)
	}
	var err error
	if c.LegalName, err = tx.db.unseal("clients", c.ID, "legal_name", name); err != nil {
		return err
	}
	if c.Phone, err = tx.db.unseal("clients", c.ID, "phone", phone); err != nil {
		return err
	}
	if c.IDNumber, err = tx.db.unseal("clients", c.ID, "id_number", idn); err != nil {
		return err
	}
	if c.Memberships, err = tx.memberships(ctx, "m.client_id = $1", c.ID); err != nil {
		return err
	}
	if c.Consents, err = tx.consents(ctx, "client_id = $1", c.ID); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT status, changed_on, note, changed_by FROM client_status_history WHERE client_id = $1 ORDER BY changed_on, at`, c.ID)
	if err != nil {
		return fmt.Errorf("status history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sc caunoi.StatusChange
		var on time.Time
		if err := rows.Scan(&sc.Status, &on, &sc.Note, &sc.ChangedBy); err != nil {
			return fmt.Errorf("status history: %w", err)
		}
		sc.ChangedOn = caunoi.Date(on.UTC())
		c.StatusHistory = append(c.StatusHistory, sc)
	}
	return rows.Err()
}

// FindClients lists clients in the actor's client.read scope by nickname.
func (s *ClientService) FindClients(ctx context.Context, f caunoi.ClientFilter) ([]*caunoi.Client, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermClientRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.Client
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(" FROM clients c WHERE ")
		if err := w.scope(a, caunoi.PermClientRead, "c.org_path"); err != nil {
			return err
		}
		w.add(" AND c.voided_at IS NULL")
		if f.OrgID != "" {
			o, err := tx.findOrg(ctx, f.OrgID, caunoi.PermClientRead)
			if err != nil {
				return err
			}
			w.add(" AND c.org_path >= ", w.arg(o.Path), " AND c.org_path < ", w.arg(pathEnd(o.Path)))
		}
		if f.Population != "" {
			w.add(" AND c.populations LIKE ", w.arg(likeArg(","+string(f.Population)+",")), ` ESCAPE '\'`)
		}
		if f.Status != "" {
			w.add(" AND c.status = ", w.arg(f.Status))
		}
		if q := caunoi.Fold(f.Query); q != "" {
			w.add(" AND (c.nickname_search LIKE ", w.arg(likeArg(q)), ` ESCAPE '\' OR c.uic = `, w.arg(upper(f.Query)), ")")
		}
		items, n, err := listPage(ctx, tx, "clients", clientCols, w, "c.nickname_search, c.id", f.Page, scanClient)
		out, total = items, n
		return err
	})
	return out, total, err
}

// CreateClient registers a client; a repeated id is applied once.
func (s *ClientService) CreateClient(ctx context.Context, c *caunoi.Client) error {
	if err := prepareClient(ctx, c, s.db.Now()); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error { return tx.createClient(ctx, c) })
}

// prepareClient checks, before any transaction, that the actor may
// register clients and validates the client's own fields.
func prepareClient(ctx context.Context, c *caunoi.Client, now time.Time) error {
	if _, err := caunoi.Require(ctx, caunoi.PermClientWrite); err != nil {
		return err
	}
	return c.Validate(now)
}

// createClient is CreateClient inside a transaction, for a client that
// prepareClient passed: it is stored, sealed, and audited, or, when one is
// already stored under its id (in scope), that one is returned as it is.
func (tx *Tx) createClient(ctx context.Context, c *caunoi.Client) error {
	id := c.ID
	if err := tx.storeNewClient(ctx, c); err != nil {
		// Only a refusal (a check, or the id taken) may mean an earlier
		// create; a fault may have left this one half written.
		if caunoi.ErrorCode(err) == caunoi.EINTERNAL {
			return err
		}
		if existing, ferr := tx.findClient(ctx, id, caunoi.PermClientRead); ferr == nil {
			*c = *existing
			return nil
		}
		return err
	}
	return tx.audit(caunoi.ActionCreate, "client", c.ID, c.OrgPath, nil, redacted(c), "")
}

// storeNewClient checks the organisation of a new client and stores it.
func (tx *Tx) storeNewClient(ctx context.Context, c *caunoi.Client) error {
	o, err := tx.findOrg(ctx, c.OrgID, caunoi.PermClientWrite)
	if err != nil {
		if caunoi.ErrorCode(err) == caunoi.ENOTFOUND {
			return caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.not_in_scope"})
		}
		return err
	}
	if o.Voided() {
		return caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.parent_voided"})
	}
	c.OrgPath, c.Version, c.CreatedBy, c.CreatedAt, c.UpdatedAt = o.Path, 1, tx.actor.UserID, tx.now, tx.now
	_, err = tx.insertClient(ctx, c, "")
	return err
}

// insertClient stores a new client with its sealed fields and the first
// line of its status history. With an import key, a row already imported
// is skipped: it returns false.
func (tx *Tx) insertClient(ctx context.Context, c *caunoi.Client, importKey string) (bool, error) {
	f, err := tx.sealClient(c)
	if err != nil {
		return false, err
	}
	conflict := "id"
	if importKey != "" {
		conflict = "import_key"
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO clients (id, org_id, org_path, nickname, nickname_search, birth_year, sex, populations, uic, residence, status,
		version, created_by, created_at, updated_at, legal_name_enc, phone_enc, phone_bidx, id_number_enc, id_number_bidx, uic_hash, import_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) ON CONFLICT (`+conflict+`) DO NOTHING`,
		c.ID, c.OrgID, c.OrgPath, c.Nickname, caunoi.Fold(c.Nickname), c.BirthYear, c.Sex, joinList(c.Populations), c.UIC, c.Residence, c.Status,
		c.Version, c.CreatedBy, c.CreatedAt, c.UpdatedAt, f[0].enc, f[1].enc, f[1].bidx, f[2].enc, f[2].bidx, f[3].bidx, nullStr(importKey))
	if err != nil {
		return false, fmt.Errorf("insert client: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if importKey != "" {
			return false, nil
		}
		return false, caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO client_status_history (id, client_id, org_path, status, changed_on, note, changed_by, at)
		VALUES ($1, $2, $3, $4, $5, '', $6, $7)`, caunoi.NewID(), c.ID, c.OrgPath, c.Status, dayOf(tx.now), tx.actor.Username, tx.now); err != nil {
		return false, fmt.Errorf("insert client: %w", err)
	}
	return true, nil
}

// sealClient seals the legal name, phone and identity number, and keys the
// UIC's hash.
func (tx *Tx) sealClient(c *caunoi.Client) ([4]sealed, error) {
	var f [4]sealed
	var err error
	if f[0], err = tx.db.seal("clients", c.ID, "legal_name", "", c.LegalName); err != nil {
		return f, err
	}
	if f[1], err = tx.db.seal("clients", c.ID, "phone", "phone", c.Phone); err != nil {
		return f, err
	}
	if f[2], err = tx.db.seal("clients", c.ID, "id_number", "id_number", c.IDNumber); err != nil {
		return f, err
	}
	if c.UIC != "" {
		if f[3].bidx, err = tx.db.blindIndex("uic", c.UIC); err != nil {
			return f, err
		}
	}
	return f, nil
}

// redacted is what the audit trail keeps of a client: the identifying
// fields only as "changed", never their values.
func redacted(c *caunoi.Client) map[string]any {
	b, _ := json.Marshal(c)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for _, k := range []string{"legal_name", "phone", "id_number"} {
		if _, ok := m[k]; ok {
			m[k] = "***"
		}
	}
	delete(m, "memberships")
	delete(m, "consents")
	delete(m, "status_history")
	return m
}

// dayOf returns the day of t in Vietnam, at midnight UTC as days are stored.
func dayOf(t time.Time) time.Time {
	n := t.In(caunoi.Zone)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// UpdateClient changes a client in the actor's client.write scope.
func (s *ClientService) UpdateClient(ctx context.Context, id string, u caunoi.ClientUpdate) (*caunoi.Client, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermClientWrite); err != nil {
		return nil, err
	}
	var out *caunoi.Client
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		var err error
		out, err = tx.updateClient(ctx, id, u)
		return err
	})
	return out, err
}

// updateClient is UpdateClient inside a transaction, for an actor that
// holds client.write somewhere.
func (tx *Tx) updateClient(ctx context.Context, id string, u caunoi.ClientUpdate) (*caunoi.Client, error) {
	old, err := tx.findClient(ctx, id, caunoi.PermClientWrite)
	if err != nil {
		return nil, err
	}
	if err := checkChangeable(old.Voiding, old.Version, u.Version); err != nil {
		return nil, err
	}
	if err := tx.loadClientDetails(ctx, old); err != nil {
		return nil, err
	}
	next := *old
	u.Apply(&next)
	if err := next.Validate(tx.now); err != nil {
		return nil, err
	}
	f, err := tx.sealClient(&next)
	if err != nil {
		return nil, err
	}
	next.Version, next.UpdatedAt = old.Version+1, tx.now
	err = tx.execVersioned(ctx, "update client", `UPDATE clients SET nickname = $1, nickname_search = $2, birth_year = $3, sex = $4,
		populations = $5, uic = $6, residence = $7, version = $8, updated_at = $9, legal_name_enc = $10, phone_enc = $11, phone_bidx = $12,
		id_number_enc = $13, id_number_bidx = $14, uic_hash = $15, status = $16 WHERE id = $17 AND version = $18`,
		next.Nickname, caunoi.Fold(next.Nickname), next.BirthYear, next.Sex, joinList(next.Populations), next.UIC,
		next.Residence, next.Version, next.UpdatedAt, f[0].enc, f[1].enc, f[1].bidx, f[2].enc, f[2].bidx, f[3].bidx, next.Status, id, old.Version)
	if err != nil {
		return nil, err
	}
	if next.Status != old.Status {
		if _, err := tx.ExecContext(ctx, `INSERT INTO client_status_history (id, client_id, org_path, status, changed_on, note, changed_by, at)
			VALUES ($1, $2, $3, $4, $5, '', $6, $7)`, caunoi.NewID(), id, old.OrgPath, next.Status, dayOf(tx.now), tx.actor.Username, tx.now); err != nil {
			return nil, fmt.Errorf("update client: %w", err)
		}
	}
	if err := tx.audit(caunoi.ActionUpdate, "client", id, old.OrgPath, redacted(old), redacted(&next), ""); err != nil {
		return nil, err
	}
	return &next, nil
}

// VoidClient voids a client record with a reason.
func (s *ClientService) VoidClient(ctx context.Context, id string, version int, reason string) (*caunoi.Client, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermClientWrite); err != nil {
		return nil, err
	}
	if err := caunoi.ValidateVoidReason(reason); err != nil {
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
		if next.Voiding, err = tx.voidRow(ctx, "clients", id, version, reason); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		out = &next
		return tx.audit(caunoi.ActionVoid, "client", id, old.OrgPath, redacted(old), redacted(&next), reason)
	})
	return out, err
}
