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

// ContactService implements caunoi.ContactService.
type ContactService struct{ db *DB }

// NewContactService returns the contact service.
func NewContactService(db *DB) *ContactService { return &ContactService{db: db} }

var _ caunoi.ContactService = (*ContactService)(nil)

const contactCols = `k.id, k.org_id, k.org_path, k.worker_id, COALESCE(k.client_id, ''), k.anon_sex, k.anon_population, k.at, k.channel,
	k.place, k.commodities, k.notes, k.version, k.created_at, k.voided_at, k.voided_by, k.void_reason, COALESCE(k.place_id, ''), k.topics`

func scanContact(sc scanner) (*caunoi.Contact, error) {
	var c caunoi.Contact
	var comm, topics string
	var voided sql.NullTime
	err := sc.Scan(&c.ID, &c.OrgID, &c.OrgPath, &c.WorkerID, &c.ClientID, &c.AnonSex, &c.AnonPopulation, &c.At, &c.Channel,
		&c.Place, &comm, &c.Notes, &c.Version, &c.CreatedAt, &voided, &c.VoidedBy, &c.VoidReason, &c.PlaceID, &topics)
	if err != nil {
		return nil, err
	}
	c.Topics = splitList[string](topics)
	if err := json.Unmarshal([]byte(comm), &c.Commodities); err != nil {
		return nil, fmt.Errorf("contact commodities: %w", err)
	}
	c.At, c.CreatedAt, c.VoidedAt = c.At.UTC(), c.CreatedAt.UTC(), timePtr(voided)
	return &c, nil
}

func (tx *Tx) findContact(ctx context.Context, id string, p caunoi.Permission) (*caunoi.Contact, error) {
	var q query
	q.add("SELECT ", contactCols, " FROM contacts k WHERE k.id = ", q.arg(id), " AND ")
	if err := q.scope(tx.actor, p, "k.org_path"); err != nil {
		return nil, err
	}
	c, err := scanContact(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "contact")
	}
	return c, nil
}

// FindContacts lists contacts in scope, newest first.
func (s *ContactService) FindContacts(ctx context.Context, f caunoi.ContactFilter) ([]*caunoi.Contact, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermClientRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.Contact
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(" FROM contacts k WHERE ")
		if err := w.scope(a, caunoi.PermClientRead, "k.org_path"); err != nil {
			return err
		}
		w.add(" AND k.voided_at IS NULL")
		if f.OrgID != "" {
			o, err := tx.findOrg(ctx, f.OrgID, caunoi.PermClientRead)
			if err != nil {
				return err
			}
			w.add(" AND k.org_path >= ", w.arg(o.Path), " AND k.org_path < ", w.arg(pathEnd(o.Path)))
		}
		if f.WorkerID != "" {
			w.add(" AND k.worker_id = ", w.arg(f.WorkerID))
		}
		if f.ClientID != "" {
			w.add(" AND k.client_id = ", w.arg(f.ClientID))
		}
		if f.PlaceID != "" {
			w.add(" AND k.place_id = ", w.arg(f.PlaceID))
		}
		if f.Population != "" {
			w.add(" AND (k.anon_population = ", w.arg(string(f.Population)), " OR EXISTS (SELECT 1 FROM clients fc WHERE fc.id = k.client_id AND fc.populations LIKE ",
				w.arg(likeArg(","+string(f.Population)+",")), ` ESCAPE '\'))`)
		}
		if f.From != nil {
			w.add(" AND k.at >= ", w.arg(f.From.UTC()))
		}
		if f.To != nil {
			w.add(" AND k.at < ", w.arg(f.To.UTC()))
		}
		items, n, err := listPage(ctx, tx, "contacts", contactCols, w, "k.at DESC, k.id DESC", f.Page, scanContact)
		out, total = items, n
		return err
	})
	return out, total, err
}

// CreateContact records a contact by the actor; a repeated id is applied once.
func (s *ContactService) CreateContact(ctx context.Context, c *caunoi.Contact) error {
	if err := prepareContact(ctx, c, s.db.Now()); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error { return tx.createContact(ctx, c) })
}

// prepareContact checks, before any transaction, that the actor may record
// contacts, makes it the worker, and validates the contact's own fields.
func prepareContact(ctx context.Context, c *caunoi.Contact, now time.Time) error {
	a, err := caunoi.Require(ctx, caunoi.PermContactWrite)
	if err != nil {
		return err
	}
	if !a.System || c.WorkerID == "" {
		c.WorkerID = a.UserID
	}
	return c.Validate(now)
}

// createContact is CreateContact inside a transaction, for a contact that
// prepareContact passed: the contact is stored and audited, or, when one
// is already stored under its id (in scope), that one is returned as it
// is, whatever was sent with the id. (Storing first, and looking only when
// that fails, saves a query on every new contact.)
func (tx *Tx) createContact(ctx context.Context, c *caunoi.Contact) error {
	id := c.ID
	if _, err := tx.insertContact(ctx, c, ""); err != nil {
		// Only a refusal (a check, or the id taken) may mean an earlier
		// create; a fault may have left this one half written.
		if caunoi.ErrorCode(err) == caunoi.EINTERNAL {
			return err
		}
		if existing, ferr := tx.findContact(ctx, id, caunoi.PermClientRead); ferr == nil {
			*c = *existing
			return nil
		}
		return err
	}
	return tx.audit(caunoi.ActionCreate, "contact", c.ID, c.OrgPath, nil, c, "")
}

// insertContact checks a contact's organisation, worker, client and place,
// and stores it. With an import key, a contact already imported is
// skipped (false).
func (tx *Tx) insertContact(ctx context.Context, c *caunoi.Contact, importKey string) (bool, error) {
	o, err := tx.writableOrg(ctx, c.OrgID)
	if err != nil {
		return false, err
	}
	if err := tx.checkWorker(ctx, c.WorkerID, o.Path); err != nil {
		return false, err
	}
	if c.ClientID != "" {
		// The client must belong to the contact's organisation, to one
		// above it or to one below it: not to a neighbouring group.
		if !tx.clientUsable(ctx, c.ClientID, o.Path) {
			return false, caunoi.Invalid(caunoi.FieldError{Field: "client_id", Key: "err.contact.client_unknown"})
		}
		c.AnonSex, c.AnonPopulation = "", ""
	}
	if c.PlaceID != "" {
		p, err := tx.findPlace(ctx, c.PlaceID, caunoi.PermClientRead)
		if err != nil || p.Voided() || !relatedPaths(p.OrgPath, o.Path) {
			return false, caunoi.Invalid(caunoi.FieldError{Field: "place_id", Key: "err.place.unknown"})
		}
		if c.Place == "" {
			c.Place = p.Name
		}
	}
	if c.Commodities == nil {
		c.Commodities = map[string]int{}
	}
	comm, err := json.Marshal(c.Commodities)
	if err != nil {
		return false, fmt.Errorf("contact commodities: %w", err)
	}
	c.OrgPath, c.Version, c.CreatedAt, c.At = o.Path, 1, tx.now, c.At.UTC().Truncate(time.Second)
	conflict := "id"
	if importKey != "" {
		conflict = "import_key"
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO contacts (id, org_id, org_path, worker_id, client_id, anon_sex, anon_population, at, channel, place,
		commodities, notes, version, created_at, updated_at, place_id, topics, import_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16, $17)
		ON CONFLICT (`+conflict+`) DO NOTHING`,
		c.ID, c.OrgID, c.OrgPath, c.WorkerID, nullStr(c.ClientID), c.AnonSex, c.AnonPopulation, c.At, c.Channel, c.Place,
		string(comm), c.Notes, c.Version, c.CreatedAt, nullStr(c.PlaceID), joinList(c.Topics), nullStr(importKey))
	if err != nil {
		return false, fmt.Errorf("insert contact: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if importKey != "" {
			return false, nil
		}
		return false, caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
	}
	return true, nil
}

// checkWorker checks that the worker of a contact is a user who holds
// contact.write on the organisation at path. A signed-in actor records its
// own contacts, which findOrg already checked; the system (demo data,
// imports) may name another worker.
func (tx *Tx) checkWorker(ctx context.Context, workerID, path string) error {
	if !tx.actor.System {
		return nil
	}
	grants, err := grantsOf(ctx, tx, workerID)
	if err != nil {
		return err
	}
	for _, g := range grants {
		if g.Role.Has(caunoi.PermContactWrite) && strings.HasPrefix(path, g.OrgPath) {
			return nil
		}
	}
	return caunoi.Invalid(caunoi.FieldError{Field: "worker_id", Key: "err.contact.worker"})
}

// VoidContact voids a contact with a reason.
func (s *ContactService) VoidContact(ctx context.Context, id string, version int, reason string) (*caunoi.Contact, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermContactWrite); err != nil {
		return nil, err
	}
	if err := caunoi.ValidateVoidReason(reason); err != nil {
		return nil, err
	}
	var out *caunoi.Contact
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findContact(ctx, id, caunoi.PermContactWrite)
		if err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, version); err != nil {
			return err
		}
		next := *old
		if next.Voiding, err = tx.voidRow(ctx, "contacts", id, version, reason); err != nil {
			return err
		}
		next.Version = old.Version + 1
		out = &next
		return tx.audit(caunoi.ActionVoid, "contact", id, old.OrgPath, old, next, reason)
	})
	return out, err
}
