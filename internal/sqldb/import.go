package sqldb

import (
	"context"
	"errors"

	"caunoi"
)

// ImportService implements caunoi.ImportService.
type ImportService struct{ db *DB }

// NewImportService returns the import service.
func NewImportService(db *DB) *ImportService { return &ImportService{db: db} }

var _ caunoi.ImportService = (*ImportService)(nil)

// importRows runs the shared part of every import in one transaction:
// each row is validated and stored by insert (which checks references
// before it writes, so a bad row never leaves a statement half-done); a
// domain error becomes the row's errors, any other error ends the import.
// A dry run, or a file with bad rows and no KeepGood, is rolled back.
func importRows[T any](ctx context.Context, db *DB, perm caunoi.Permission, entity string, rows []caunoi.ImportRow[T], opts caunoi.ImportOptions,
	validate func(T) error, insert func(*Tx, T, string) (bool, error), orgPath func(T) string) (*caunoi.ImportResult, error) {
	if _, err := caunoi.Require(ctx, perm); err != nil {
		return nil, err
	}
	res := &caunoi.ImportResult{Rows: len(rows) + countRows(opts.Errors), Errors: append([]caunoi.RowError(nil), opts.Errors...)}
	err := db.inTx(ctx, true, func(tx *Tx) error {
		tx.orgs = map[string]*caunoi.Organisation{}
		// The audit entry belongs to the organisation of the rows stored,
		// when they share one (an upload is for one group).
		path, mixed := "", false
		for _, r := range rows {
			err := validate(r.Record)
			var stored bool
			if err == nil {
				stored, err = insert(tx, r.Record, r.Key)
			}
			if err != nil {
				e := caunoi.AsError(err)
				if e.Code == caunoi.EINTERNAL {
					return err
				}
				if len(e.Fields) == 0 {
					res.Errors = append(res.Errors, caunoi.RowError{Row: r.Row, Key: e.Key, Args: e.Args})
				}
				for _, f := range e.Fields {
					res.Errors = append(res.Errors, caunoi.RowError{Row: r.Row, Field: f.Field, Key: f.Key, Args: f.Args})
				}
				continue
			}
			if stored {
				res.Imported++
				if p := orgPath(r.Record); path == "" {
					path = p
				} else if p != path {
					mixed = true
				}
			} else {
				res.Skipped++
			}
		}
		sortRowErrors(res.Errors)
		if opts.DryRun || (len(res.Errors) > 0 && !opts.KeepGood) {
			return errRollback
		}
		if mixed {
			path = ""
		}
		return tx.audit(caunoi.ActionImport, entity, "", path, nil, map[string]int{"rows": res.Rows, "imported": res.Imported, "skipped": res.Skipped}, "")
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, err
	}
	if err != nil && !opts.DryRun {
		res.Imported = 0 // rolled back: nothing stored
	}
	return res, nil
}

// ImportClients registers clients from a file.
func (s *ImportService) ImportClients(ctx context.Context, rows []caunoi.ImportRow[*caunoi.Client], opts caunoi.ImportOptions) (*caunoi.ImportResult, error) {
	now := s.db.Now()
	return importRows(ctx, s.db, caunoi.PermClientWrite, "client", rows, opts,
		func(c *caunoi.Client) error { return c.Validate(now) },
		func(tx *Tx, c *caunoi.Client, key string) (bool, error) {
			o, err := tx.findOrg(ctx, c.OrgID, caunoi.PermClientWrite)
			if err != nil || o.Voided() {
				return false, caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.not_in_scope"})
			}
			c.OrgPath, c.Version, c.CreatedBy, c.CreatedAt, c.UpdatedAt = o.Path, 1, tx.actor.UserID, tx.now, tx.now
			return tx.insertClient(ctx, c, key)
		},
		func(c *caunoi.Client) string { return c.OrgPath })
}

// ImportContacts records contacts from a file; the worker is the actor
// unless the system imports.
func (s *ImportService) ImportContacts(ctx context.Context, rows []caunoi.ImportRow[*caunoi.Contact], opts caunoi.ImportOptions) (*caunoi.ImportResult, error) {
	a, err := caunoi.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.Now()
	return importRows(ctx, s.db, caunoi.PermContactWrite, "contact", rows, opts,
		func(c *caunoi.Contact) error {
			if !a.System || c.WorkerID == "" {
				c.WorkerID = a.UserID
			}
			return c.Validate(now)
		},
		func(tx *Tx, c *caunoi.Contact, key string) (bool, error) { return tx.insertContact(ctx, c, key) },
		func(c *caunoi.Contact) string { return c.OrgPath })
}

// ImportActivities records group activities from a file.
func (s *ImportService) ImportActivities(ctx context.Context, rows []caunoi.ImportRow[*caunoi.Activity], opts caunoi.ImportOptions) (*caunoi.ImportResult, error) {
	now := s.db.Now()
	return importRows(ctx, s.db, caunoi.PermContactWrite, "activity", rows, opts,
		func(a *caunoi.Activity) error { return a.Validate(now) },
		func(tx *Tx, a *caunoi.Activity, key string) (bool, error) { return tx.insertActivity(ctx, a, key) },
		func(a *caunoi.Activity) string { return a.OrgPath })
}
