package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"caunoi"
)

// ReintegrationService implements caunoi.ReintegrationService.
type ReintegrationService struct {
	db      *DB
	clients *ClientService
}

// NewReintegrationService returns the reintegration service.
func NewReintegrationService(db *DB) *ReintegrationService {
	return &ReintegrationService{db: db, clients: NewClientService(db)}
}

var _ caunoi.ReintegrationService = (*ReintegrationService)(nil)

const reintCols = `r.id, r.org_id, r.org_path, r.client_id, c.nickname, r.centre_id, r.expected_on, r.status, r.returned_on,
	COALESCE(r.club_id, ''), r.handover_note, r.notes,
	(SELECT COUNT(*) FROM influence_people ip WHERE ip.reintegration_id = r.id AND ip.voided_at IS NULL),
	r.version, r.created_at, r.updated_at, r.voided_at, r.voided_by, r.void_reason`

const reintFrom = ` FROM reintegrations r JOIN clients c ON c.id = r.client_id`

func scanReintegration(sc scanner) (*caunoi.Reintegration, error) {
	var r caunoi.Reintegration
	var expected time.Time
	var returned, voided sql.NullTime
	if err := sc.Scan(&r.ID, &r.OrgID, &r.OrgPath, &r.ClientID, &r.Nickname, &r.CentreID, &expected, &r.Status, &returned,
		&r.ClubID, &r.HandoverNote, &r.Notes, &r.Mapped, &r.Version, &r.CreatedAt, &r.UpdatedAt, &voided, &r.VoidedBy, &r.VoidReason); err != nil {
		return nil, err
	}
	r.ExpectedOn, r.ReturnedOn = caunoi.Date(expected.UTC()), nullDay(returned)
	r.CreatedAt, r.UpdatedAt, r.VoidedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC(), timePtr(voided)
	return &r, nil
}

func (tx *Tx) findReintegration(ctx context.Context, id string, perm caunoi.Permission) (*caunoi.Reintegration, error) {
	var q query
	q.add("SELECT ", reintCols, reintFrom, " WHERE r.id = ", q.arg(id), " AND ")
	if err := q.scope(tx.actor, perm, "r.org_path"); err != nil {
		return nil, err
	}
	r, err := scanReintegration(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "reintegration")
	}
	return r, nil
}

// findChangeable loads a reintegration the actor may change at the
// version the user saw.
func (tx *Tx) findChangeableReintegration(ctx context.Context, id string, version int) (*caunoi.Reintegration, error) {
	r, err := tx.findReintegration(ctx, id, caunoi.PermReintegrationWrite)
	if err != nil {
		return nil, err
	}
	if err := checkChangeable(r.Voiding, r.Version, version); err != nil {
		return nil, err
	}
	return r, nil
}

// loadReintegrationDetails decrypts and loads the influence map and the
// events.
func (tx *Tx) loadReintegrationDetails(ctx context.Context, r *caunoi.Reintegration) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, name_enc, relation, influence, strength, contactable, notes_enc, version, created_at
		FROM influence_people WHERE reintegration_id = $1 AND voided_at IS NULL ORDER BY created_at, id`, r.ID)
	if err != nil {
		return fmt.Errorf("influence map: %w", err)
	}
	defer rows.Close()
	r.People = []caunoi.InfluencePerson{}
	for rows.Next() {
		p := caunoi.InfluencePerson{ReintegrationID: r.ID}
		var name, notes string
		if err := rows.Scan(&p.ID, &name, &p.Relation, &p.Influence, &p.Strength, &p.Contactable, &notes, &p.Version, &p.CreatedAt); err != nil {
			return fmt.Errorf("influence map: %w", err)
		}
		if p.Name, err = tx.db.unseal("influence_people", p.ID, "name", name); err != nil {
			return err
		}
		if p.Notes, err = tx.db.unseal("influence_people", p.ID, "notes", notes); err != nil {
			return err
		}
		p.CreatedAt = p.CreatedAt.UTC()
		r.People = append(r.People, p)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("influence map: %w", err)
	}
	rows.Close()
	erows, err := tx.QueryContext(ctx, `SELECT id, kind, happened_on, wellbeing, note_enc, recorded_by, created_at FROM reintegration_events
		WHERE reintegration_id = $1 ORDER BY happened_on, created_at`, r.ID)
	if err != nil {
		return fmt.Errorf("reintegration events: %w", err)
	}
	defer erows.Close()
	r.Events = []caunoi.ReintegrationEvent{}
	for erows.Next() {
		e := caunoi.ReintegrationEvent{ReintegrationID: r.ID}
		var on time.Time
		var note string
		if err := erows.Scan(&e.ID, &e.Kind, &on, &e.Wellbeing, &note, &e.RecordedBy, &e.CreatedAt); err != nil {
			return fmt.Errorf("reintegration events: %w", err)
		}
		e.On, e.CreatedAt = caunoi.Date(on.UTC()), e.CreatedAt.UTC()
		if e.Note, err = tx.db.unseal("reintegration_events", e.ID, "note", note); err != nil {
			return err
		}
		r.Events = append(r.Events, e)
	}
	return erows.Err()
}

// FindReintegrationByID returns a reintegration with its influence map and
// events, and audits the read.
func (s *ReintegrationService) FindReintegrationByID(ctx context.Context, id string) (*caunoi.Reintegration, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermClientRead); err != nil {
		return nil, err
	}
	var r *caunoi.Reintegration
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		var err error
		if r, err = tx.findReintegration(ctx, id, caunoi.PermClientRead); err != nil {
			return err
		}
		if err := tx.loadReintegrationDetails(ctx, r); err != nil {
			return err
		}
		return tx.audit(caunoi.ActionRead, "reintegration", id, r.OrgPath, nil, nil, "")
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// FindReintegrations lists reintegrations in scope, the soonest expected
// first.
func (s *ReintegrationService) FindReintegrations(ctx context.Context, f caunoi.ReintegrationFilter) ([]*caunoi.Reintegration, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermClientRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.Reintegration
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(reintFrom, " WHERE ")
		if err := w.scope(a, caunoi.PermClientRead, "r.org_path"); err != nil {
			return err
		}
		w.add(" AND r.voided_at IS NULL")
		if err := tx.orgFilter(ctx, &w, f.OrgID, "r.org_path"); err != nil {
			return err
		}
		if f.ID != "" {
			w.add(" AND r.id = ", w.arg(f.ID))
		}
		if f.CentreID != "" {
			w.add(" AND r.centre_id = ", w.arg(f.CentreID))
		}
		if f.ClubID != "" {
			w.add(" AND r.club_id = ", w.arg(f.ClubID))
		}
		if f.ClientID != "" {
			w.add(" AND r.client_id = ", w.arg(f.ClientID))
		}
		if f.Status != "" {
			w.add(" AND r.status = ", w.arg(f.Status))
		}
		items, n, err := listPage(ctx, tx, "reintegrations", reintCols, w, "r.expected_on, r.id", f.Page, scanReintegration)
		out, total = items, n
		return err
	})
	return out, total, err
}

// CreateReintegration starts preparing a resident's return; a repeated id
// is applied once.
func (s *ReintegrationService) CreateReintegration(ctx context.Context, r *caunoi.Reintegration) error {
	a, err := caunoi.Require(ctx, caunoi.PermReintegrationWrite)
	if err != nil {
		return err
	}
	if err := r.Validate(s.db.Now()); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if existing, err := tx.findReintegration(ctx, r.ID, caunoi.PermClientRead); err == nil {
			*r = *existing
			return nil
		}
		o, err := tx.caseOrg(ctx, r.OrgID, caunoi.PermReintegrationWrite)
		if err != nil {
			return err
		}
		c, err := tx.serviceClient(ctx, r.ClientID, o.Path, "expected_on", time.Time(r.ExpectedOn))
		if err != nil {
			return err
		}
		centre, err := tx.providerSharedWith(ctx, r.CentreID, o.Path, "centre_id")
		if err != nil {
			return err
		}
		if centre.Kind != caunoi.ProviderRehabCentre {
			return caunoi.Invalid(caunoi.FieldError{Field: "centre_id", Key: "err.reintegration.not_rehab_centre", Args: map[string]any{"Provider": centre.Name}})
		}
		r.OrgPath, r.Nickname, r.Version, r.CreatedAt, r.UpdatedAt, r.Mapped = o.Path, c.Nickname, 1, tx.now, tx.now, 0
		res, err := tx.ExecContext(ctx, `INSERT INTO reintegrations (id, org_id, org_path, client_id, centre_id, expected_on, status, notes,
			version, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) ON CONFLICT DO NOTHING`,
			r.ID, r.OrgID, r.OrgPath, r.ClientID, r.CentreID, time.Time(r.ExpectedOn), r.Status, r.Notes, r.Version, a.UserID, r.CreatedAt)
		if err != nil {
			return fmt.Errorf("insert reintegration: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var taken int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM reintegrations WHERE id = $1", r.ID).Scan(&taken); err != nil {
				return fmt.Errorf("insert reintegration: %w", err)
			}
			if taken > 0 {
				return caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
			}
			return &caunoi.Error{Code: caunoi.ECONFLICT, Key: "err.reintegration.already_preparing",
				Fields: []caunoi.FieldError{{Field: "client_id", Key: "err.reintegration.already_preparing"}}}
		}
		return tx.audit(caunoi.ActionCreate, "reintegration", r.ID, r.OrgPath, nil, r, "")
	})
}

// UpdateReintegration changes the expected day or the notes.
func (s *ReintegrationService) UpdateReintegration(ctx context.Context, id string, u caunoi.ReintegrationUpdate) (*caunoi.Reintegration, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermReintegrationWrite); err != nil {
		return nil, err
	}
	var out *caunoi.Reintegration
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findChangeableReintegration(ctx, id, u.Version)
		if err != nil {
			return err
		}
		next := *old
		if u.ExpectedOn != nil {
			next.ExpectedOn = *u.ExpectedOn
		}
		if u.Notes != nil {
			next.Notes = *u.Notes
		}
		if err := next.CheckPlan(tx.now); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		if err := tx.execVersioned(ctx, "update reintegration", `UPDATE reintegrations SET expected_on = $1, notes = $2, version = $3, updated_at = $4
			WHERE id = $5 AND version = $6`, time.Time(next.ExpectedOn), next.Notes, next.Version, next.UpdatedAt, id, old.Version); err != nil {
			return err
		}
		out = &next
		return tx.audit(caunoi.ActionUpdate, "reintegration", id, old.OrgPath, old, next, "")
	})
	return out, err
}

// AddInfluencePerson adds a person to a returnee's influence map; a
// repeated id is applied once.
func (s *ReintegrationService) AddInfluencePerson(ctx context.Context, rid string, p *caunoi.InfluencePerson) error {
	if _, err := caunoi.Require(ctx, caunoi.PermReintegrationWrite); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		r, err := tx.findReintegration(ctx, rid, caunoi.PermReintegrationWrite)
		if err != nil {
			return err
		}
		if p.ID != "" {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM influence_people WHERE id = $1 AND reintegration_id = $2", p.ID, rid).Scan(&n); err != nil {
				return fmt.Errorf("influence map: %w", err)
			}
			if n > 0 {
				return nil // applied before
			}
		}
		if err := p.Validate(); err != nil {
			return err
		}
		if r.Voided() {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.voided", nil)
		}
		name, err := tx.db.seal("influence_people", p.ID, "name", "", p.Name)
		if err != nil {
			return err
		}
		notes, err := tx.db.seal("influence_people", p.ID, "notes", "", p.Notes)
		if err != nil {
			return err
		}
		p.ReintegrationID, p.Version, p.CreatedAt = rid, 1, tx.now
		res, err := tx.ExecContext(ctx, `INSERT INTO influence_people (id, reintegration_id, org_path, name_enc, relation, influence, strength,
			contactable, notes_enc, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) ON CONFLICT (id) DO NOTHING`,
			p.ID, rid, r.OrgPath, name.enc, p.Relation, p.Influence, p.Strength, p.Contactable, notes.enc, p.Version, p.CreatedAt)
		if err != nil {
			return fmt.Errorf("insert influence person: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
		}
		return tx.audit(caunoi.ActionCreate, "influence_person", p.ID, r.OrgPath, nil, personAudit(p), "")
	})
}

// personAudit is what the audit trail keeps of a person of an influence
// map: never the name.
func personAudit(p *caunoi.InfluencePerson) map[string]any {
	return map[string]any{"id": p.ID, "reintegration_id": p.ReintegrationID, "name": "***", "relation": p.Relation,
		"influence": p.Influence, "strength": p.Strength, "contactable": p.Contactable, "version": p.Version}
}

// VoidInfluencePerson takes a person off a map.
func (s *ReintegrationService) VoidInfluencePerson(ctx context.Context, id string, version int, reason string) (*caunoi.InfluencePerson, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermReintegrationWrite); err != nil {
		return nil, err
	}
	var out *caunoi.InfluencePerson
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		var q query
		q.add(`SELECT id, reintegration_id, org_path, relation, influence, strength, contactable, version, created_at, voided_at
			FROM influence_people WHERE id = `, q.arg(id), " AND ")
		if err := q.scope(tx.actor, caunoi.PermReintegrationWrite, "org_path"); err != nil {
			return err
		}
		var p caunoi.InfluencePerson
		var path string
		var voided sql.NullTime
		if err := tx.QueryRowContext(ctx, q.String(), q.args...).Scan(&p.ID, &p.ReintegrationID, &path, &p.Relation, &p.Influence, &p.Strength,
			&p.Contactable, &p.Version, &p.CreatedAt, &voided); err != nil {
			return notFound(err, "influence_person")
		}
		p.VoidedAt = timePtr(voided)
		if err := caunoi.ValidateVoidReason(reason); err != nil {
			return err
		}
		if err := checkChangeable(p.Voiding, p.Version, version); err != nil {
			return err
		}
		next := p
		var err error
		if next.Voiding, err = tx.voidRow(ctx, "influence_people", id, version, reason); err != nil {
			return err
		}
		next.Version = p.Version + 1
		out = &next
		return tx.audit(caunoi.ActionVoid, "influence_person", id, path, personAudit(&p), personAudit(&next), reason)
	})
	return out, err
}

// RecordReturn records the handover to a club on return.
func (s *ReintegrationService) RecordReturn(ctx context.Context, id string, h caunoi.ReturnHandover) (*caunoi.Reintegration, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermReintegrationWrite); err != nil {
		return nil, err
	}
	var out *caunoi.Reintegration
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findChangeableReintegration(ctx, id, h.Version)
		if err != nil {
			return err
		}
		if old.Status != caunoi.ReintegrationPreparing {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.reintegration.already_returned", nil)
		}
		if err := h.Validate(tx.now); err != nil {
			return err
		}
		club, err := tx.findOrg(ctx, h.ClubID, caunoi.PermOrgRead)
		if err != nil || club.Voided() || club.Kind != caunoi.OrgGroup || !relatedPaths(club.Path, old.OrgPath) {
			if err != nil && caunoi.ErrorCode(err) != caunoi.ENOTFOUND {
				return err
			}
			return caunoi.Invalid(caunoi.FieldError{Field: "club_id", Key: "err.reintegration.club"})
		}
		next := *old
		on := h.ReturnedOn
		next.Status, next.ReturnedOn, next.ClubID, next.HandoverNote = caunoi.ReintegrationReturned, &on, club.ID, h.Note
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		if err := tx.execVersioned(ctx, "record return", `UPDATE reintegrations SET status = $1, returned_on = $2, club_id = $3, handover_note = $4,
			version = $5, updated_at = $6 WHERE id = $7 AND version = $8`,
			next.Status, time.Time(on), next.ClubID, next.HandoverNote, next.Version, next.UpdatedAt, id, old.Version); err != nil {
			return err
		}
		out = &next
		return tx.audit(caunoi.ActionUpdate, "reintegration", id, old.OrgPath, old, next, "")
	})
	return out, err
}

// RecordEvent records a follow-up or a relapse of a returnee; a relapse
// sets the client's status to relapsed through the client service, in
// the same transaction.
func (s *ReintegrationService) RecordEvent(ctx context.Context, id, kind string, e caunoi.EventRecord) (*caunoi.Reintegration, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermReintegrationWrite); err != nil {
		return nil, err
	}
	if !slices.Contains([]string{caunoi.EventFollowUp, caunoi.EventRelapse}, kind) {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: "kind", Key: "err.field.choice"})
	}
	var out *caunoi.Reintegration
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		r, err := tx.findChangeableReintegration(ctx, id, e.Version)
		if err != nil {
			return err
		}
		if r.Status != caunoi.ReintegrationReturned {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.reintegration.not_returned", nil)
		}
		if err := e.Validate(kind, r, tx.now); err != nil {
			return err
		}
		eid := caunoi.NewID()
		note, err := tx.db.seal("reintegration_events", eid, "note", "", e.Note)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reintegration_events (id, reintegration_id, org_path, kind, happened_on, wellbeing, note_enc,
			recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			eid, id, r.OrgPath, kind, time.Time(e.On), e.Wellbeing, note.enc, tx.actor.Username, tx.now); err != nil {
			return fmt.Errorf("record %s: %w", kind, err)
		}
		if kind == caunoi.EventRelapse {
			c, err := tx.findClient(ctx, r.ClientID, caunoi.PermClientWrite)
			if err != nil {
				return err
			}
			if _, err := s.clients.ChangeStatus(withTx(ctx, tx), c.ID, c.Version,
				caunoi.StatusChange{Status: "relapsed", ChangedOn: e.On}); err != nil {
				return err
			}
		}
		before := *r
		if err := tx.execVersioned(ctx, "reintegration", "UPDATE reintegrations SET version = $1, updated_at = $2 WHERE id = $3 AND version = $4",
			r.Version+1, tx.now, id, r.Version); err != nil {
			return err
		}
		r.Version, r.UpdatedAt = r.Version+1, tx.now
		out = r
		return tx.audit(caunoi.ActionUpdate, "reintegration", id, r.OrgPath, before,
			map[string]any{"version": r.Version, kind: map[string]any{"id": eid, "on": e.On, "wellbeing": e.Wellbeing, "note": e.Note != ""}}, "")
	})
	return out, err
}

// VoidReintegration voids a record with a reason.
func (s *ReintegrationService) VoidReintegration(ctx context.Context, id string, version int, reason string) (*caunoi.Reintegration, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermReintegrationWrite); err != nil {
		return nil, err
	}
	var out *caunoi.Reintegration
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findReintegration(ctx, id, caunoi.PermReintegrationWrite)
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
		if next.Voiding, err = tx.voidRow(ctx, "reintegrations", id, version, reason); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		out = &next
		return tx.audit(caunoi.ActionVoid, "reintegration", id, old.OrgPath, old, next, reason)
	})
	return out, err
}

// ReintegrationStats counts the live records of the actor's report.read
// scope, residents once each.
func (s *ReintegrationService) ReintegrationStats(ctx context.Context, orgID string) (*caunoi.ReintegrationStats, error) {
	a, err := caunoi.Require(ctx, caunoi.PermReportRead)
	if err != nil {
		return nil, err
	}
	st := &caunoi.ReintegrationStats{}
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(`SELECT COUNT(*),
			COALESCE(SUM(CASE WHEN r.status = 'preparing' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM influence_people ip WHERE ip.reintegration_id = r.id AND ip.voided_at IS NULL) THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN r.status = 'returned' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM reintegration_events e WHERE e.reintegration_id = r.id AND e.kind = 'follow_up') THEN 1 ELSE 0 END), 0),
			COALESCE(SUM((SELECT COUNT(*) FROM reintegration_events e WHERE e.reintegration_id = r.id AND e.kind = 'follow_up')), 0),
			COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM reintegration_events e WHERE e.reintegration_id = r.id AND e.kind = 'relapse') THEN 1 ELSE 0 END), 0)
			FROM reintegrations r WHERE `)
		if err := w.scope(a, caunoi.PermReportRead, "r.org_path"); err != nil {
			return err
		}
		w.add(" AND r.voided_at IS NULL")
		if orgID != "" {
			o, err := tx.findOrg(ctx, orgID, caunoi.PermReportRead)
			if err != nil {
				return err
			}
			w.add(" AND r.org_path >= ", w.arg(o.Path), " AND r.org_path < ", w.arg(pathEnd(o.Path)))
		}
		if err := tx.QueryRowContext(ctx, w.String(), w.args...).Scan(&st.Residents, &st.Preparing, &st.Mapped, &st.Received,
			&st.FollowedUp, &st.FollowUps, &st.Relapsed); err != nil {
			return fmt.Errorf("reintegration statistics: %w", err)
		}
		return nil
	})
	return st, err
}
