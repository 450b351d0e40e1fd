package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"caunoi"
)

// HotlineService implements caunoi.HotlineService.
type HotlineService struct {
	db        *DB
	referrals *ReferralService
}

// NewHotlineService returns the hotline service.
func NewHotlineService(db *DB) *HotlineService {
	return &HotlineService{db: db, referrals: NewReferralService(db)}
}

var _ caunoi.HotlineService = (*HotlineService)(nil)

// caseFrom joins a case with the name of who took the call and its
// planned follow-up (at most one).
const caseFrom = ` FROM hotline_cases h LEFT JOIN users u ON u.id = h.taken_by
	LEFT JOIN case_follow_ups nf ON nf.case_id = h.id AND nf.status = 'planned'`

const caseCols = `h.id, h.org_id, h.org_path, h.code, h.received_at, h.channel, h.caller_type, COALESCE(h.client_id, ''),
	h.anon_sex, h.anon_population, h.anon_birth_year, h.issues, h.rights_violators, h.violence_types, h.gbv_type, h.violence_contexts,
	h.risk, h.actions, h.status, h.closed_on, h.outcome, h.taken_by, COALESCE(u.display_name, ''), nf.due_on,
	h.version, h.created_at, h.updated_at, h.voided_at, h.voided_by, h.void_reason`

func scanCase(sc scanner) (*caunoi.HotlineCase, error) {
	var c caunoi.HotlineCase
	var issues, violators, types, contexts, actions string
	var closed, next, voided sql.NullTime
	err := sc.Scan(&c.ID, &c.OrgID, &c.OrgPath, &c.Code, &c.ReceivedAt, &c.Channel, &c.CallerType, &c.ClientID,
		&c.AnonSex, &c.AnonPopulation, &c.AnonBirthYear, &issues, &violators, &types, &c.GBVType, &contexts,
		&c.Risk, &actions, &c.Status, &closed, &c.Outcome, &c.TakenBy, &c.TakenByName, &next,
		&c.Version, &c.CreatedAt, &c.UpdatedAt, &voided, &c.VoidedBy, &c.VoidReason)
	if err != nil {
		return nil, err
	}
	c.Issues, c.RightsViolators, c.ViolenceTypes = splitList[string](issues), splitList[string](violators), splitList[string](types)
	c.ViolenceContexts, c.Actions = splitList[string](contexts), splitList[string](actions)
	c.ClosedOn, c.NextFollowUpOn = nullDay(closed), nullDay(next)
	c.ReceivedAt, c.CreatedAt, c.UpdatedAt, c.VoidedAt = c.ReceivedAt.UTC(), c.CreatedAt.UTC(), c.UpdatedAt.UTC(), timePtr(voided)
	return &c, nil
}

// nullDay turns a scanned nullable day into a *caunoi.Date.
func nullDay(nt sql.NullTime) *caunoi.Date {
	if !nt.Valid {
		return nil
	}
	d := caunoi.Date(nt.Time.UTC())
	return &d
}

// caseCode makes the code said on the phone from the random part of the
// case's UUIDv7: "DN-" and twelve hexadecimal digits in threes of four.
func caseCode(id string) string {
	hex := strings.ToUpper(strings.ReplaceAll(id, "-", ""))
	tail := hex[len(hex)-12:]
	return "DN-" + tail[0:4] + "-" + tail[4:8] + "-" + tail[8:12]
}

func (tx *Tx) findCase(ctx context.Context, id string, perm caunoi.Permission) (*caunoi.HotlineCase, error) {
	var q query
	q.add("SELECT ", caseCols, caseFrom, " WHERE h.id = ", q.arg(id), " AND ")
	if err := q.scope(tx.actor, perm, "h.org_path"); err != nil {
		return nil, err
	}
	c, err := scanCase(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "hotline_case")
	}
	return c, nil
}

// findOpenCase loads a case the actor may change, checks the version and
// that it is still open.
func (tx *Tx) findOpenCase(ctx context.Context, id string, version int) (*caunoi.HotlineCase, error) {
	c, err := tx.findCase(ctx, id, caunoi.PermCaseWrite)
	if err != nil {
		return nil, err
	}
	if err := checkChangeable(c.Voiding, c.Version, version); err != nil {
		return nil, err
	}
	if !c.Open() {
		return nil, caunoi.Errorf(caunoi.ECONFLICT, "err.case.closed", nil)
	}
	return c, nil
}

// loadCaseDetails decrypts a case's narrative and loads its follow-ups and
// referrals.
func (tx *Tx) loadCaseDetails(ctx context.Context, c *caunoi.HotlineCase) error {
	var summary, plan, note string
	if err := tx.QueryRowContext(ctx, "SELECT summary_enc, safety_plan_enc, closing_note_enc FROM hotline_cases WHERE id = $1", c.ID).
		Scan(&summary, &plan, &note); err != nil {
		return fmt.Errorf("case details: %w", err)
	}
	var err error
	if c.Summary, err = tx.db.unseal("hotline_cases", c.ID, "summary", summary); err != nil {
		return err
	}
	if c.SafetyPlan, err = tx.db.unseal("hotline_cases", c.ID, "safety_plan", plan); err != nil {
		return err
	}
	if c.ClosingNote, err = tx.db.unseal("hotline_cases", c.ID, "closing_note", note); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT f.id, f.due_on, f.status, f.done_on, f.channel, f.reached, f.note_enc, COALESCE(f.done_by, ''),
		COALESCE(u.display_name, '') FROM case_follow_ups f LEFT JOIN users u ON u.id = f.done_by WHERE f.case_id = $1
		ORDER BY f.due_on, f.created_at`, c.ID)
	if err != nil {
		return fmt.Errorf("case follow-ups: %w", err)
	}
	defer rows.Close()
	c.FollowUps = []caunoi.FollowUp{}
	for rows.Next() {
		f := caunoi.FollowUp{CaseID: c.ID}
		var due time.Time
		var done sql.NullTime
		var enc string
		if err := rows.Scan(&f.ID, &due, &f.Status, &done, &f.Channel, &f.Reached, &enc, &f.DoneBy, &f.DoneByName); err != nil {
			return fmt.Errorf("case follow-ups: %w", err)
		}
		f.DueOn, f.DoneOn = caunoi.Date(due.UTC()), nullDay(done)
		if f.Note, err = tx.db.unseal("case_follow_ups", f.ID, "note", enc); err != nil {
			return err
		}
		c.FollowUps = append(c.FollowUps, f)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("case follow-ups: %w", err)
	}
	rows.Close()
	rrows, err := tx.QueryContext(ctx, "SELECT referral_id FROM case_referrals WHERE case_id = $1 ORDER BY created_at, referral_id", c.ID)
	if err != nil {
		return fmt.Errorf("case referrals: %w", err)
	}
	defer rrows.Close()
	c.ReferralIDs = []string{}
	for rrows.Next() {
		var id string
		if err := rrows.Scan(&id); err != nil {
			return fmt.Errorf("case referrals: %w", err)
		}
		c.ReferralIDs = append(c.ReferralIDs, id)
	}
	return rrows.Err()
}

// caseAudit is what the audit trail keeps of a case: the narrative only
// as "***" when there is one, never its words.
func caseAudit(c *caunoi.HotlineCase) map[string]any {
	m := map[string]any{"id": c.ID, "code": c.Code, "org_id": c.OrgID, "client_id": c.ClientID, "received_at": c.ReceivedAt,
		"channel": c.Channel, "caller_type": c.CallerType, "issues": c.Issues, "rights_violators": c.RightsViolators,
		"violence_types": c.ViolenceTypes, "gbv_type": c.GBVType, "violence_contexts": c.ViolenceContexts, "risk": c.Risk,
		"actions": c.Actions, "status": c.Status, "outcome": c.Outcome, "version": c.Version}
	if c.NextFollowUpOn != nil {
		m["next_follow_up_on"] = *c.NextFollowUpOn
	}
	for k, v := range map[string]string{"summary": c.Summary, "safety_plan": c.SafetyPlan, "closing_note": c.ClosingNote} {
		if v != "" {
			m[k] = "***"
		}
	}
	return m
}

// FindCaseByID returns a case in scope with its details and audits the
// read.
func (s *HotlineService) FindCaseByID(ctx context.Context, id string) (*caunoi.HotlineCase, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermCaseRead); err != nil {
		return nil, err
	}
	var c *caunoi.HotlineCase
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		var err error
		if c, err = tx.findCase(ctx, id, caunoi.PermCaseRead); err != nil {
			return err
		}
		if err := tx.loadCaseDetails(ctx, c); err != nil {
			return err
		}
		return tx.audit(caunoi.ActionRead, "hotline_case", id, c.OrgPath, nil, nil, "")
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// caseOrg returns an organisation where the actor takes hotline calls, or
// an EINVALID error on org_id.
func (tx *Tx) caseOrg(ctx context.Context, orgID string, perm caunoi.Permission) (*caunoi.Organisation, error) {
	o, err := tx.findOrg(ctx, orgID, perm)
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

// checkHolder checks that the user named by the system actor (demo data)
// holds perm on the organisation at path; a signed-in actor records its
// own work, which the organisation's scope already checked.
func (tx *Tx) checkHolder(ctx context.Context, userID, path string, perm caunoi.Permission, field, key string) error {
	if !tx.actor.System {
		return nil
	}
	grants, err := grantsOf(ctx, tx, userID)
	if err != nil {
		return err
	}
	for _, g := range grants {
		if g.Role.Has(perm) && strings.HasPrefix(path, g.OrgPath) {
			return nil
		}
	}
	return caunoi.Invalid(caunoi.FieldError{Field: field, Key: key})
}

// CreateCase records a hotline call and plans its first follow-up; a
// repeated id is applied once.
func (s *HotlineService) CreateCase(ctx context.Context, c *caunoi.HotlineCase) error {
	a, err := caunoi.Require(ctx, caunoi.PermCaseWrite)
	if err != nil {
		return err
	}
	if err := c.Validate(s.db.Now()); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if existing, err := tx.findCase(ctx, c.ID, caunoi.PermCaseRead); err == nil {
			*c = *existing
			return nil
		}
		o, err := tx.caseOrg(ctx, c.OrgID, caunoi.PermCaseWrite)
		if err != nil {
			return err
		}
		day := dayOf(c.ReceivedAt)
		if c.ClientID != "" {
			if _, err := tx.serviceClient(ctx, c.ClientID, o.Path, "received_at", day); err != nil {
				return err
			}
		}
		if !a.System || c.TakenBy == "" {
			c.TakenBy = a.UserID
		}
		if err := tx.checkHolder(ctx, c.TakenBy, o.Path, caunoi.PermCaseWrite, "taken_by", "err.case.taken_by"); err != nil {
			return err
		}
		if c.NextFollowUpOn == nil {
			if days := caunoi.DefaultFollowUpDays[c.Risk]; days >= 0 {
				d := caunoi.Date(day.AddDate(0, 0, days))
				c.NextFollowUpOn = &d
			}
		}
		c.OrgPath, c.Code, c.Status, c.Version, c.CreatedAt, c.UpdatedAt = o.Path, caseCode(c.ID), caunoi.CaseOpen, 1, tx.now, tx.now
		c.ReceivedAt = c.ReceivedAt.UTC().Truncate(time.Second)
		c.ClosedOn, c.Outcome, c.ClosingNote = nil, "", ""
		summary, err := tx.db.seal("hotline_cases", c.ID, "summary", "", c.Summary)
		if err != nil {
			return err
		}
		plan, err := tx.db.seal("hotline_cases", c.ID, "safety_plan", "", c.SafetyPlan)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO hotline_cases (id, org_id, org_path, code, received_at, received_on, channel, caller_type, client_id,
			anon_sex, anon_population, anon_birth_year, issues, rights_violators, violence_types, gbv_type, violence_contexts, risk, risk_rank,
			actions, summary_enc, safety_plan_enc, status, taken_by, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $26)
			ON CONFLICT (id) DO NOTHING`,
			c.ID, c.OrgID, c.OrgPath, c.Code, c.ReceivedAt, day, c.Channel, c.CallerType, nullStr(c.ClientID),
			c.AnonSex, string(c.AnonPopulation), c.AnonBirthYear, joinList(c.Issues), joinList(c.RightsViolators), joinList(c.ViolenceTypes),
			c.GBVType, joinList(c.ViolenceContexts), c.Risk, caunoi.RiskRank(c.Risk), joinList(c.Actions), summary.enc, plan.enc,
			c.Status, c.TakenBy, c.Version, c.CreatedAt)
		if err != nil {
			return fmt.Errorf("insert hotline case: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
		}
		if c.NextFollowUpOn != nil {
			if err := tx.planFollowUp(ctx, c, time.Time(*c.NextFollowUpOn)); err != nil {
				return err
			}
		}
		if err := tx.QueryRowContext(ctx, "SELECT display_name FROM users WHERE id = $1", c.TakenBy).Scan(&c.TakenByName); err != nil {
			return fmt.Errorf("hotline case: taken by: %w", err)
		}
		return tx.audit(caunoi.ActionCreate, "hotline_case", c.ID, c.OrgPath, nil, caseAudit(c), "")
	})
}

// planFollowUp plans the case's follow-up on a day: it moves the planned
// one, or plans one.
func (tx *Tx) planFollowUp(ctx context.Context, c *caunoi.HotlineCase, day time.Time) error {
	res, err := tx.ExecContext(ctx, "UPDATE case_follow_ups SET due_on = $1, updated_at = $2 WHERE case_id = $3 AND status = 'planned'", day, tx.now, c.ID)
	if err != nil {
		return fmt.Errorf("plan follow-up: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO case_follow_ups (id, case_id, org_path, due_on, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, 'planned', $5, $5)`, caunoi.NewID(), c.ID, c.OrgPath, day, tx.now); err != nil {
		return fmt.Errorf("plan follow-up: %w", err)
	}
	return nil
}

// bumpCase moves the case to its next version after a change to its
// follow-ups or referrals.
func (tx *Tx) bumpCase(ctx context.Context, c *caunoi.HotlineCase) error {
	if err := tx.execVersioned(ctx, "hotline case", "UPDATE hotline_cases SET version = $1, updated_at = $2 WHERE id = $3 AND version = $4",
		c.Version+1, tx.now, c.ID, c.Version); err != nil {
		return err
	}
	c.Version, c.UpdatedAt = c.Version+1, tx.now
	return nil
}

// UpdateCase changes an open case.
func (s *HotlineService) UpdateCase(ctx context.Context, id string, u caunoi.CaseUpdate) (*caunoi.HotlineCase, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermCaseWrite); err != nil {
		return nil, err
	}
	var out *caunoi.HotlineCase
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findOpenCase(ctx, id, u.Version)
		if err != nil {
			return err
		}
		if err := tx.loadCaseDetails(ctx, old); err != nil {
			return err
		}
		next := *old
		u.Apply(&next)
		if old.ClientID != "" && next.ClientID == "" {
			return caunoi.Invalid(caunoi.FieldError{Field: "client_id", Key: "err.case.client_unlink"})
		}
		if next.ClientID == old.ClientID {
			// Validate clears the anonymous facts of a named case only.
			next.AnonSex, next.AnonPopulation, next.AnonBirthYear = old.AnonSex, old.AnonPopulation, old.AnonBirthYear
		}
		if err := next.Validate(tx.now); err != nil {
			return err
		}
		if next.ClientID != old.ClientID {
			if _, err := tx.serviceClient(ctx, next.ClientID, old.OrgPath, "received_at", dayOf(old.ReceivedAt)); err != nil {
				return err
			}
		}
		summary, err := tx.db.seal("hotline_cases", id, "summary", "", next.Summary)
		if err != nil {
			return err
		}
		plan, err := tx.db.seal("hotline_cases", id, "safety_plan", "", next.SafetyPlan)
		if err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		if err := tx.execVersioned(ctx, "update hotline case", `UPDATE hotline_cases SET client_id = $1, anon_sex = $2, anon_population = $3,
			anon_birth_year = $4, caller_type = $5, issues = $6, rights_violators = $7, violence_types = $8, gbv_type = $9, violence_contexts = $10,
			risk = $11, risk_rank = $12, actions = $13, summary_enc = $14, safety_plan_enc = $15, version = $16, updated_at = $17
			WHERE id = $18 AND version = $19`,
			nullStr(next.ClientID), next.AnonSex, string(next.AnonPopulation), next.AnonBirthYear, next.CallerType, joinList(next.Issues),
			joinList(next.RightsViolators), joinList(next.ViolenceTypes), next.GBVType, joinList(next.ViolenceContexts), next.Risk,
			caunoi.RiskRank(next.Risk), joinList(next.Actions), summary.enc, plan.enc, next.Version, next.UpdatedAt, id, old.Version); err != nil {
			return err
		}
		if u.NextFollowUpOn != nil {
			if err := tx.planFollowUp(ctx, &next, time.Time(*u.NextFollowUpOn)); err != nil {
				return err
			}
		}
		out = &next
		return tx.audit(caunoi.ActionUpdate, "hotline_case", id, old.OrgPath, caseAudit(old), caseAudit(&next), "")
	})
	return out, err
}

// RecordFollowUp records a follow-up done on an open case.
func (s *HotlineService) RecordFollowUp(ctx context.Context, id string, f caunoi.FollowUpRecord) (*caunoi.HotlineCase, error) {
	a, err := caunoi.Require(ctx, caunoi.PermCaseWrite)
	if err != nil {
		return nil, err
	}
	var out *caunoi.HotlineCase
	err = s.db.inTx(ctx, true, func(tx *Tx) error {
		c, err := tx.findOpenCase(ctx, id, f.Version)
		if err != nil {
			return err
		}
		if err := f.Validate(c, tx.now); err != nil {
			return err
		}
		done := time.Time(f.DoneOn)
		var fid string
		err = tx.QueryRowContext(ctx, "SELECT id FROM case_follow_ups WHERE case_id = $1 AND status = 'planned'", id).Scan(&fid)
		switch {
		case err == sql.ErrNoRows:
			// A follow-up nobody planned: due the day it was done.
			fid = caunoi.NewID()
			if _, err := tx.ExecContext(ctx, `INSERT INTO case_follow_ups (id, case_id, org_path, due_on, status, created_at, updated_at)
				VALUES ($1, $2, $3, $4, 'planned', $5, $5)`, fid, id, c.OrgPath, done, tx.now); err != nil {
				return fmt.Errorf("record follow-up: %w", err)
			}
		case err != nil:
			return fmt.Errorf("record follow-up: %w", err)
		}
		note, err := tx.db.seal("case_follow_ups", fid, "note", "", f.Note)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE case_follow_ups SET status = 'done', done_on = $1, channel = $2, reached = $3, note_enc = $4,
			done_by = $5, updated_at = $6 WHERE id = $7`, done, f.Channel, f.Reached, note.enc, nullStr(a.UserID), tx.now, fid); err != nil {
			return fmt.Errorf("record follow-up: %w", err)
		}
		before := caseAudit(c)
		c.NextFollowUpOn = nil
		if f.NextOn != nil {
			next := *f.NextOn
			if err := tx.planFollowUp(ctx, c, time.Time(next)); err != nil {
				return err
			}
			c.NextFollowUpOn = &next
		}
		if f.Risk != "" && f.Risk != c.Risk {
			c.Risk = f.Risk
			if _, err := tx.ExecContext(ctx, "UPDATE hotline_cases SET risk = $1, risk_rank = $2 WHERE id = $3", c.Risk, caunoi.RiskRank(c.Risk), id); err != nil {
				return fmt.Errorf("record follow-up: %w", err)
			}
		}
		if err := tx.bumpCase(ctx, c); err != nil {
			return err
		}
		out = c
		after := caseAudit(c)
		after["follow_up"] = map[string]any{"id": fid, "done_on": f.DoneOn, "channel": f.Channel, "reached": f.Reached, "note": f.Note != ""}
		return tx.audit(caunoi.ActionUpdate, "hotline_case", id, c.OrgPath, before, after, "")
	})
	return out, err
}

// ReferCase refers the case's client through the referral service and
// links the referral to the case, in one transaction. Referring again
// with the id of a referral already linked to the case returns the case.
func (s *HotlineService) ReferCase(ctx context.Context, id string, version int, r *caunoi.Referral) (*caunoi.HotlineCase, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermCaseWrite); err != nil {
		return nil, err
	}
	var out *caunoi.HotlineCase
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		if r.ID != "" {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM case_referrals WHERE case_id = $1 AND referral_id = $2", id, r.ID).Scan(&n); err != nil {
				return fmt.Errorf("refer case: %w", err)
			}
			if n > 0 {
				c, err := tx.findCase(ctx, id, caunoi.PermCaseWrite)
				if err != nil {
					return err
				}
				existing, err := tx.findReferral(ctx, r.ID, caunoi.PermClientRead)
				if err != nil {
					return err
				}
				*r, out = *existing, c
				return nil
			}
		}
		c, err := tx.findOpenCase(ctx, id, version)
		if err != nil {
			return err
		}
		if c.Anonymous() {
			return caunoi.Invalid(caunoi.FieldError{Field: "client_id", Key: "err.case.referral_needs_client"})
		}
		if r.ClientID != "" && r.ClientID != c.ClientID {
			return caunoi.Invalid(caunoi.FieldError{Field: "client_id", Key: "err.case.referral_other_client"})
		}
		r.ClientID = c.ClientID
		if r.OrgID == "" {
			r.OrgID = c.OrgID
		}
		if on := time.Time(r.ReferredOn); !on.IsZero() && on.Before(dayOf(c.ReceivedAt)) {
			return caunoi.Invalid(caunoi.FieldError{Field: "referred_on", Key: "err.case.before_received"})
		}
		if err := s.referrals.CreateReferral(withTx(ctx, tx), r); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO case_referrals (case_id, referral_id, org_path, created_at) VALUES ($1, $2, $3, $4)",
			id, r.ID, c.OrgPath, tx.now); err != nil {
			return fmt.Errorf("link referral: %w", err)
		}
		before := caseAudit(c)
		if err := tx.bumpCase(ctx, c); err != nil {
			return err
		}
		out = c
		after := caseAudit(c)
		after["referral_id"] = r.ID
		return tx.audit(caunoi.ActionUpdate, "hotline_case", id, c.OrgPath, before, after, "")
	})
	return out, err
}

// CloseCase closes an open case and cancels its planned follow-up.
func (s *HotlineService) CloseCase(ctx context.Context, id string, k caunoi.CaseClosing) (*caunoi.HotlineCase, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermCaseWrite); err != nil {
		return nil, err
	}
	var out *caunoi.HotlineCase
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findOpenCase(ctx, id, k.Version)
		if err != nil {
			return err
		}
		if err := k.Validate(old, tx.now); err != nil {
			return err
		}
		note, err := tx.db.seal("hotline_cases", id, "closing_note", "", k.Note)
		if err != nil {
			return err
		}
		next := *old
		on := k.ClosedOn
		next.Status, next.ClosedOn, next.Outcome, next.ClosingNote = caunoi.CaseClosed, &on, k.Outcome, k.Note
		next.NextFollowUpOn, next.Version, next.UpdatedAt = nil, old.Version+1, tx.now
		if err := tx.execVersioned(ctx, "close hotline case", `UPDATE hotline_cases SET status = $1, closed_on = $2, outcome = $3, closing_note_enc = $4,
			version = $5, updated_at = $6 WHERE id = $7 AND version = $8`,
			next.Status, time.Time(on), next.Outcome, note.enc, next.Version, next.UpdatedAt, id, old.Version); err != nil {
			return err
		}
		if err := tx.cancelFollowUps(ctx, id); err != nil {
			return err
		}
		out = &next
		return tx.audit(caunoi.ActionUpdate, "hotline_case", id, old.OrgPath, caseAudit(old), caseAudit(&next), "")
	})
	return out, err
}

// cancelFollowUps cancels the planned follow-up of a case that closes.
func (tx *Tx) cancelFollowUps(ctx context.Context, caseID string) error {
	if _, err := tx.ExecContext(ctx, "UPDATE case_follow_ups SET status = 'cancelled', updated_at = $1 WHERE case_id = $2 AND status = 'planned'",
		tx.now, caseID); err != nil {
		return fmt.Errorf("cancel follow-ups: %w", err)
	}
	return nil
}

// VoidCase voids a case with a reason and cancels its planned follow-up.
func (s *HotlineService) VoidCase(ctx context.Context, id string, version int, reason string) (*caunoi.HotlineCase, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermCaseWrite); err != nil {
		return nil, err
	}
	var out *caunoi.HotlineCase
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		old, err := tx.findCase(ctx, id, caunoi.PermCaseWrite)
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
		if next.Voiding, err = tx.voidRow(ctx, "hotline_cases", id, version, reason); err != nil {
			return err
		}
		if err := tx.cancelFollowUps(ctx, id); err != nil {
			return err
		}
		next.NextFollowUpOn, next.Version, next.UpdatedAt = nil, old.Version+1, tx.now
		out = &next
		return tx.audit(caunoi.ActionVoid, "hotline_case", id, old.OrgPath, caseAudit(old), caseAudit(&next), reason)
	})
	return out, err
}

// caseWhere starts the WHERE clause of a case list in the actor's
// case.read scope: live cases, of one organisation's subtree if orgID is
// set.
func (tx *Tx) caseWhere(ctx context.Context, w *query, orgID string) error {
	w.add(caseFrom, " WHERE ")
	if err := w.scope(tx.actor, caunoi.PermCaseRead, "h.org_path"); err != nil {
		return err
	}
	w.add(" AND h.voided_at IS NULL")
	if orgID != "" {
		o, err := tx.findOrg(ctx, orgID, caunoi.PermCaseRead)
		if err != nil {
			return err
		}
		w.add(" AND h.org_path >= ", w.arg(o.Path), " AND h.org_path < ", w.arg(pathEnd(o.Path)))
	}
	return nil
}

// FindCases lists cases in scope.
func (s *HotlineService) FindCases(ctx context.Context, f caunoi.CaseFilter) ([]*caunoi.HotlineCase, int, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermCaseRead); err != nil {
		return nil, 0, err
	}
	var out []*caunoi.HotlineCase
	var total int
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		if err := tx.caseWhere(ctx, &w, f.OrgID); err != nil {
			return err
		}
		order := "h.received_at DESC, h.id DESC"
		if f.Overdue {
			w.add(" AND h.status = 'open' AND nf.due_on < ", w.arg(dayOf(tx.now)))
			order = "nf.due_on, h.risk_rank DESC, h.id"
		} else if f.Status != "" {
			w.add(" AND h.status = ", w.arg(f.Status))
		}
		if f.Risk != "" {
			w.add(" AND h.risk = ", w.arg(f.Risk))
		}
		if f.Issue != "" {
			w.add(" AND h.issues LIKE ", w.arg(likeArg(","+f.Issue+",")), ` ESCAPE '\'`)
		}
		if f.Channel != "" {
			w.add(" AND h.channel = ", w.arg(f.Channel))
		}
		if f.ClientID != "" {
			w.add(" AND h.client_id = ", w.arg(f.ClientID))
		}
		if f.From != nil {
			w.add(" AND h.received_at >= ", w.arg(f.From.UTC()))
		}
		if f.To != nil {
			w.add(" AND h.received_at < ", w.arg(f.To.UTC()))
		}
		items, n, err := listPage(ctx, tx, "hotline cases", caseCols, w, order, f.Page, scanCase)
		out, total = items, n
		return err
	})
	return out, total, err
}

// DutyView returns the open cases by risk and the follow-ups overdue or
// due today, on the database's clock. Each part is one query that an
// index of open cases or of planned follow-ups serves; no list is counted
// past MaxPageSize rows but the open cases, whose total is the sum of the
// counts by risk.
func (s *HotlineService) DutyView(ctx context.Context, orgID string) (*caunoi.DutyView, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermCaseRead); err != nil {
		return nil, err
	}
	var d *caunoi.DutyView
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		today := dayOf(tx.now)
		d = &caunoi.DutyView{Today: caunoi.Date(today)}
		var orgPath string
		if orgID != "" {
			o, err := tx.findOrg(ctx, orgID, caunoi.PermCaseRead)
			if err != nil {
				return err
			}
			orgPath = o.Path
		}
		// where appends the actor's scope, and the organisation's subtree,
		// on the path column col.
		where := func(q *query, col string) error {
			if err := q.scope(tx.actor, caunoi.PermCaseRead, col); err != nil {
				return err
			}
			if orgPath != "" {
				q.add(" AND ", col, " >= ", q.arg(orgPath), " AND ", col, " < ", q.arg(pathEnd(orgPath)))
			}
			return nil
		}
		// The counts by risk, from the partial index of open cases alone.
		var c query
		c.add("SELECT h.risk_rank, COUNT(*) FROM hotline_cases h WHERE ")
		if err := where(&c, "h.org_path"); err != nil {
			return err
		}
		c.add(" AND h.status = 'open' AND h.voided_at IS NULL GROUP BY h.risk_rank")
		counts := map[int]int{}
		rows, err := tx.QueryContext(ctx, c.String(), c.args...)
		if err != nil {
			return fmt.Errorf("duty view: %w", err)
		}
		for rows.Next() {
			var rank, n int
			if err := rows.Scan(&rank, &n); err != nil {
				rows.Close()
				return fmt.Errorf("duty view: %w", err)
			}
			counts[rank] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("duty view: %w", err)
		}
		for rank := len(caunoi.RiskLevels); rank >= 1; rank-- {
			d.OpenByRisk = append(d.OpenByRisk, caunoi.RiskCount{Risk: caunoi.RiskLevels[rank-1], Count: counts[rank]})
			d.OpenTotal += counts[rank]
		}
		// The open cases, the highest risk first, then the oldest.
		var o query
		o.add("SELECT ", caseCols, caseFrom, " WHERE ")
		if err := where(&o, "h.org_path"); err != nil {
			return err
		}
		o.add(" AND h.status = 'open' AND h.voided_at IS NULL ORDER BY h.risk_rank DESC, h.received_at, h.id LIMIT ", o.arg(caunoi.MaxPageSize))
		if d.Open, err = tx.caseRows(ctx, o); err != nil {
			return err
		}
		// The planned follow-ups before today and of today, from their
		// partial index; a case closed or voided has none planned.
		byDue := func(op, order string) ([]*caunoi.HotlineCase, error) {
			var q query
			q.add("SELECT ", caseCols, ` FROM case_follow_ups nf JOIN hotline_cases h ON h.id = nf.case_id
				LEFT JOIN users u ON u.id = h.taken_by WHERE `)
			if err := where(&q, "nf.org_path"); err != nil {
				return nil, err
			}
			q.add(" AND nf.status = 'planned' AND nf.due_on ", op, " ", q.arg(today), " AND h.status = 'open' AND h.voided_at IS NULL ORDER BY ", order,
				" LIMIT ", q.arg(caunoi.MaxPageSize))
			return tx.caseRows(ctx, q)
		}
		if d.Overdue, err = byDue("<", "nf.due_on, h.risk_rank DESC, h.id"); err != nil {
			return err
		}
		d.DueToday, err = byDue("=", "h.risk_rank DESC, h.received_at, h.id")
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// caseRows reads the cases a query of caseCols selects, never nil.
func (tx *Tx) caseRows(ctx context.Context, q query) ([]*caunoi.HotlineCase, error) {
	rows, err := tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("find hotline cases: %w", err)
	}
	defer rows.Close()
	out := []*caunoi.HotlineCase{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("scan hotline case: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
