package sqldb

import (
	"context"
	"database/sql"

	"caunoi"
)

// AuditService implements caunoi.AuditService.
type AuditService struct{ db *DB }

// NewAuditService returns the audit service.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

var _ caunoi.AuditService = (*AuditService)(nil)

// FindAuditEntries lists audit entries newest first. Entries tied to an
// organisation are scoped by its path; entries of no organisation (logins
// of the system, imports of units) only a national-level admin sees.
func (s *AuditService) FindAuditEntries(ctx context.Context, f caunoi.AuditFilter) ([]*caunoi.AuditEntry, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermAuditRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.AuditEntry
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(" FROM audit_log a WHERE (")
		if err := w.scope(a, caunoi.PermAuditRead, "a.org_path"); err != nil {
			return err
		}
		if a.System || isRootAdmin(a) {
			w.add(" OR a.org_path = ''")
		}
		w.add(")")
		if f.ActorID != "" {
			w.add(" AND a.actor_id = ", w.arg(f.ActorID))
		}
		if f.Entity != "" {
			w.add(" AND a.entity = ", w.arg(f.Entity))
		}
		if f.EntityID != "" {
			w.add(" AND a.entity_id = ", w.arg(f.EntityID))
		}
		if f.Action != "" {
			w.add(" AND a.action = ", w.arg(f.Action))
		}
		if f.From != nil {
			w.add(" AND a.at >= ", w.arg(f.From.UTC()))
		}
		if f.To != nil {
			w.add(" AND a.at < ", w.arg(f.To.UTC()))
		}
		items, n, err := listPage(ctx, tx, "audit", auditCols, w, "a.at DESC, a.id DESC", f.Page, scanAudit)
		out, total = items, n
		return err
	})
	return out, total, err
}

const auditCols = "a.id, a.at, a.actor_id, a.actor_name, a.action, a.entity, a.entity_id, a.org_path, a.before, a.after, a.reason"

func scanAudit(sc scanner) (*caunoi.AuditEntry, error) {
	var e caunoi.AuditEntry
	var before, after sql.NullString
	if err := sc.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.Entity, &e.EntityID, &e.OrgPath, &before, &after, &e.Reason); err != nil {
		return nil, err
	}
	e.At = e.At.UTC()
	if before.Valid {
		e.Before = []byte(before.String)
	}
	if after.Valid {
		e.After = []byte(after.String)
	}
	return &e, nil
}

// isRootAdmin reports whether the actor is an admin of a root organisation.
func isRootAdmin(a *caunoi.Actor) bool {
	for _, g := range a.Grants {
		if g.Role == caunoi.RoleAdmin && len(g.OrgPath) == len("/")+36+len("/") {
			return true
		}
	}
	return false
}
