package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"caunoi"
)

// ActivityService implements caunoi.ActivityService.
type ActivityService struct{ db *DB }

// NewActivityService returns the activity service.
func NewActivityService(db *DB) *ActivityService { return &ActivityService{db: db} }

var _ caunoi.ActivityService = (*ActivityService)(nil)

const activityCols = `a.id, a.org_id, a.org_path, a.kind, a.held_on, a.title, a.topics, a.place, a.anon_female, a.anon_male, a.anon_other,
	a.notes, a.version, a.created_by, a.created_at, a.updated_at, a.voided_at, a.voided_by, a.void_reason,
	(SELECT COUNT(*) FROM activity_attendance aa WHERE aa.activity_id = a.id)`

// scanActivity reads an activity; Attendees is filled with as many empty
// ids as there are named attendees, until loadAttendees replaces them.
func scanActivity(sc scanner) (*caunoi.Activity, error) {
	var a caunoi.Activity
	var held time.Time
	var topics string
	var voided sql.NullTime
	var named int
	err := sc.Scan(&a.ID, &a.OrgID, &a.OrgPath, &a.Kind, &held, &a.Title, &topics, &a.Place, &a.AnonFemale, &a.AnonMale, &a.AnonOther,
		&a.Notes, &a.Version, &a.CreatedBy, &a.CreatedAt, &a.UpdatedAt, &voided, &a.VoidedBy, &a.VoidReason, &named)
	if err != nil {
		return nil, err
	}
	a.HeldOn, a.Topics, a.VoidedAt = caunoi.Date(held.UTC()), splitList[string](topics), timePtr(voided)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	a.Attendees = make([]string, named)
	return &a, nil
}

func (tx *Tx) findActivity(ctx context.Context, id string, perm caunoi.Permission) (*caunoi.Activity, error) {
	var q query
	q.add("SELECT ", activityCols, " FROM activities a WHERE a.id = ", q.arg(id), " AND ")
	if err := q.scope(tx.actor, perm, "a.org_path"); err != nil {
		return nil, err
	}
	a, err := scanActivity(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "activity")
	}
	rows, err := tx.QueryContext(ctx, "SELECT client_id FROM activity_attendance WHERE activity_id = $1 ORDER BY client_id", id)
	if err != nil {
		return nil, fmt.Errorf("attendance: %w", err)
	}
	defer rows.Close()
	a.Attendees = a.Attendees[:0]
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("attendance: %w", err)
		}
		a.Attendees = append(a.Attendees, c)
	}
	return a, rows.Err()
}

// FindActivityByID returns an activity in scope with its attendance.
func (s *ActivityService) FindActivityByID(ctx context.Context, id string) (*caunoi.Activity, error) {
	var a *caunoi.Activity
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		var err error
		a, err = tx.findActivity(ctx, id, caunoi.PermClientRead)
		return err
	})
	return a, err
}

// FindActivities lists activities in scope, newest first. Attendees holds
// one empty id per named attendee (their number, not who they are).
func (s *ActivityService) FindActivities(ctx context.Context, f caunoi.ActivityFilter) ([]*caunoi.Activity, int, error) {
	act, err := caunoi.Require(ctx, caunoi.PermClientRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.Activity
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(" FROM activities a WHERE ")
		if err := w.scope(act, caunoi.PermClientRead, "a.org_path"); err != nil {
			return err
		}
		w.add(" AND a.voided_at IS NULL")
		if err := tx.orgFilter(ctx, &w, f.OrgID, "a.org_path"); err != nil {
			return err
		}
		if f.Kind != "" {
			w.add(" AND a.kind = ", w.arg(f.Kind))
		}
		if f.ClientID != "" {
			w.add(" AND EXISTS (SELECT 1 FROM activity_attendance fa WHERE fa.activity_id = a.id AND fa.client_id = ", w.arg(f.ClientID), ")")
		}
		if f.From != nil {
			w.add(" AND a.held_on >= ", w.arg(dayOf(*f.From)))
		}
		if f.To != nil {
			w.add(" AND a.held_on < ", w.arg(dayOf(*f.To)))
		}
		items, n, err := listPage(ctx, tx, "activities", activityCols, w, "a.held_on DESC, a.id DESC", f.Page, scanActivity)
		out, total = items, n
		return err
	})
	return out, total, err
}

// CreateActivity records an activity with its attendance; a repeated id is
// applied once.
func (s *ActivityService) CreateActivity(ctx context.Context, a *caunoi.Activity) error {
	if err := prepareActivity(ctx, a, s.db.Now()); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error { return tx.createActivity(ctx, a) })
}

// prepareActivity checks, before any transaction, that the actor may
// record activities and validates the activity's own fields.
func prepareActivity(ctx context.Context, a *caunoi.Activity, now time.Time) error {
	if _, err := caunoi.Require(ctx, caunoi.PermContactWrite); err != nil {
		return err
	}
	return a.Validate(now)
}

// createActivity is CreateActivity inside a transaction, for an activity
// that prepareActivity passed: it is stored with its attendance and
// audited, or, when one is already stored under its id (in scope), that
// one is returned as it is.
func (tx *Tx) createActivity(ctx context.Context, a *caunoi.Activity) error {
	id := a.ID
	if _, err := tx.insertActivity(ctx, a, ""); err != nil {
		// Only a refusal (a check, or the id taken) may mean an earlier
		// create; a fault may have left this one half written.
		if caunoi.ErrorCode(err) == caunoi.EINTERNAL {
			return err
		}
		if existing, ferr := tx.findActivity(ctx, id, caunoi.PermClientRead); ferr == nil {
			*a = *existing
			return nil
		}
		return err
	}
	return tx.audit(caunoi.ActionCreate, "activity", a.ID, a.OrgPath, nil, a, "")
}

// insertActivity stores an activity and its attendance after checking the
// organisation and every attendee; with an import key, an activity already
// imported is skipped (false).
func (tx *Tx) insertActivity(ctx context.Context, a *caunoi.Activity, importKey string) (bool, error) {
	o, err := tx.writableOrg(ctx, a.OrgID)
	if err != nil {
		return false, err
	}
	for _, id := range a.Attendees {
		if !tx.clientUsable(ctx, id, o.Path) {
			return false, caunoi.Invalid(caunoi.FieldError{Field: "attendees", Key: "err.activity.attendee_unknown"})
		}
	}
	a.OrgPath, a.Version, a.CreatedBy, a.CreatedAt, a.UpdatedAt = o.Path, 1, tx.actor.UserID, tx.now, tx.now
	conflict := "id"
	if importKey != "" {
		conflict = "import_key"
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO activities (id, org_id, org_path, kind, held_on, title, topics, place, anon_female, anon_male, anon_other,
		notes, import_key, version, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)
		ON CONFLICT (`+conflict+`) DO NOTHING`,
		a.ID, a.OrgID, a.OrgPath, a.Kind, time.Time(a.HeldOn), a.Title, joinList(a.Topics), a.Place, a.AnonFemale, a.AnonMale, a.AnonOther,
		a.Notes, nullStr(importKey), a.Version, a.CreatedBy, a.CreatedAt)
	if err != nil {
		return false, fmt.Errorf("insert activity: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if importKey != "" {
			return false, nil
		}
		return false, caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
	}
	for _, id := range a.Attendees {
		if _, err := tx.ExecContext(ctx, "INSERT INTO activity_attendance (activity_id, client_id) VALUES ($1, $2)", a.ID, id); err != nil {
			return false, fmt.Errorf("insert attendance: %w", err)
		}
	}
	return true, nil
}

// VoidActivity voids an activity with a reason.
func (s *ActivityService) VoidActivity(ctx context.Context, id string, version int, reason string) (*caunoi.Activity, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermContactWrite); err != nil {
		return nil, err
	}
	if err := caunoi.ValidateVoidReason(reason); err != nil {
		return nil, err
	}
	var out *caunoi.Activity
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findActivity(ctx, id, caunoi.PermContactWrite)
		if err != nil {
			return err
		}
		if err := checkChangeable(old.Voiding, old.Version, version); err != nil {
			return err
		}
		next := *old
		if next.Voiding, err = tx.voidRow(ctx, "activities", id, version, reason); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		out = &next
		return tx.audit(caunoi.ActionVoid, "activity", id, old.OrgPath, old, next, reason)
	})
	return out, err
}
