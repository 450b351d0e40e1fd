package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"caunoi"
)

// SyncService implements caunoi.SyncService.
type SyncService struct{ db *DB }

// NewSyncService returns the sync service.
func NewSyncService(db *DB) *SyncService { return &SyncService{db: db} }

var _ caunoi.SyncService = (*SyncService)(nil)

// syncChunk is how many operations one transaction applies: enough that a
// batch costs few commits, few enough that other writers (SQLite has one
// at a time) wait little between two transactions.
const syncChunk = 200

// Sync applies a batch in transactions of syncChunk operations (see
// applyChunk): an operation that fails is undone alone and answered with
// its reason, and each answer is stored under the operation's id in the
// transaction that stores its record, so a crash loses both or neither.
// When a transaction cannot commit, its operations and all after them are
// answered SyncRetry.
func (s *SyncService) Sync(ctx context.Context, ops []*caunoi.SyncOp) ([]caunoi.SyncResult, error) {
	a, err := caunoi.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]caunoi.SyncResult, len(ops))
	n := min(len(ops), caunoi.MaxSyncOps)
	for i := n; i < len(ops); i++ {
		out[i] = retryResult(ops[i], caunoi.Errorf(caunoi.ETOOLARGE, "err.sync.batch_limit", map[string]any{"Max": caunoi.MaxSyncOps}))
	}
	var faults []error
	for start := 0; start < n; start += syncChunk {
		end := min(start+syncChunk, n)
		chunk := make([]caunoi.SyncResult, end-start)
		fault, err := s.applyChunk(ctx, a, ops[start:end], chunk)
		if fault != nil {
			faults = append(faults, fault)
		}
		if err == nil {
			copy(out[start:end], chunk)
			continue
		}
		// The transaction did not commit: no answer of it holds, and
		// the next ones would fail the same way.
		faults = append(faults, err)
		for i := start; i < n; i++ {
			out[i] = retryResult(ops[i], caunoi.Errorf(caunoi.EINTERNAL, "err.sync.retry", nil))
		}
		break
	}
	if len(faults) > 0 {
		return out, fmt.Errorf("sync: %w", errors.Join(faults...))
	}
	return out, nil
}

// applyChunk applies operations in one transaction and fills their
// answers. It first runs them without savepoints: an operation refused by
// a check has changed nothing (the checks of every kind come before its
// writes), so its refusal stands while the others are kept. If an
// operation fails after changing something, or fails inside the system,
// that transaction is rolled back and the operations run again with a
// savepoint around each, so that each failure is undone alone. fault
// reports operations that failed inside the system (answered SyncRetry,
// nothing stored); err means the transaction failed as a whole.
func (s *SyncService) applyChunk(ctx context.Context, a *caunoi.Actor, ops []*caunoi.SyncOp, out []caunoi.SyncResult) (fault, err error) {
	fault, err = s.runChunk(ctx, a, ops, out, false)
	if errors.Is(err, errNeedSavepoints) {
		fault, err = s.runChunk(ctx, a, ops, out, true)
	}
	return fault, err
}

// errNeedSavepoints ends a run without savepoints that cannot undo an
// operation's failure.
var errNeedSavepoints = errors.New("sync: an operation must be undone alone")

// runChunk is one try of applyChunk, with or without savepoints.
func (s *SyncService) runChunk(ctx context.Context, a *caunoi.Actor, ops []*caunoi.SyncOp, out []caunoi.SyncResult, savepoints bool) (fault, err error) {
	clear(out)
	var faults []error
	err = s.db.inTx(ctx, true, func(tx *Tx) error {
		tx.orgs = map[string]*caunoi.Organisation{} // nothing here changes an organisation
		tx.cacheStatements()
		tx.deferAudit()
		tx.rememberClients()
		done, err := tx.storedOps(ctx, ops)
		if err != nil {
			return err
		}
		var answers [][]any // written with the records, before the commit
		for i, op := range ops {
			if st, ok := done[op.ID]; ok {
				out[i] = st.replay(a, op)
				continue
			}
			if !caunoi.ValidID(op.ID) {
				out[i] = caunoi.SyncResult{OpID: op.ID, Status: caunoi.SyncRejected, At: tx.now,
					Err: caunoi.Invalid(caunoi.FieldError{Field: "op_id", Key: "err.sync.op_id"})}
				continue
			}
			r, err := tx.applyOp(ctx, op, savepoints)
			if err != nil {
				return err
			}
			if r.Status == caunoi.SyncRetry {
				faults = append(faults, r.Err.Err)
				out[i] = r
				continue
			}
			row, err := answerRow(a, op, r)
			if err != nil {
				return err
			}
			answers = append(answers, row)
			done[op.ID] = storedOp{userID: a.UserID, result: r}
			out[i] = r
		}
		if err := tx.insertRows(ctx, syncOpsInsert, answers); err != nil {
			return fmt.Errorf("sync: store answers: %w", err)
		}
		return tx.flushAudit(ctx)
	})
	return errors.Join(faults...), err
}

// applyOp applies one operation, under a savepoint when asked. A domain
// error becomes its answer, the operation undone (by the savepoint, or
// because it changed nothing); a fault of the system is answered
// SyncRetry and not stored. Without a savepoint, an operation that failed
// after changing something, or inside the system, gives
// errNeedSavepoints; any other err means the transaction is broken.
func (tx *Tx) applyOp(ctx context.Context, op *caunoi.SyncOp, savepoint bool) (caunoi.SyncResult, error) {
	r := caunoi.SyncResult{OpID: op.ID, At: tx.now}
	if op.Err != nil {
		r.Status, r.Err = caunoi.SyncRejected, caunoi.AsError(op.Err)
		if r.Err.Code == caunoi.EINTERNAL {
			r.Err = caunoi.Errorf(caunoi.EINVALID, "err.sync.malformed", nil)
		}
		return r, nil
	}
	if savepoint {
		if _, err := tx.ExecContext(ctx, "SAVEPOINT sync_op"); err != nil {
			return r, fmt.Errorf("sync: savepoint: %w", err)
		}
	}
	mark, writes := tx.auditMark(), tx.writes
	id, version, err := tx.runOp(ctx, op)
	if err != nil {
		switch {
		case savepoint:
			if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT sync_op"); rerr != nil {
				return r, fmt.Errorf("sync: rollback to savepoint: %w (after %w)", rerr, err)
			}
		case tx.writes != writes || caunoi.ErrorCode(err) == caunoi.EINTERNAL:
			return r, errNeedSavepoints
		}
		tx.forgetAudit(mark)
	}
	if savepoint {
		if _, rerr := tx.ExecContext(ctx, "RELEASE SAVEPOINT sync_op"); rerr != nil {
			return r, fmt.Errorf("sync: release savepoint: %w", rerr)
		}
	}
	e := caunoi.AsError(err)
	switch {
	case err == nil:
		r.Status, r.RecordID, r.Version = caunoi.SyncAccepted, id, version
	case e.Code == caunoi.ECONFLICT && e.Key != "err.id.taken":
		r.Status, r.Err = caunoi.SyncConflict, e
		if op.Kind == caunoi.SyncUpdateClient {
			if c, ferr := tx.findClient(ctx, op.UpdateID, caunoi.PermClientRead); ferr == nil {
				r.RecordID, r.Version = c.ID, c.Version
			}
		}
	case e.Code == caunoi.EINTERNAL || e.Code == caunoi.ERATELIMIT:
		r.Status, r.Err = caunoi.SyncRetry, caunoi.Errorf(caunoi.EINTERNAL, "err.sync.retry", nil)
		r.Err.Err = fmt.Errorf("sync %s: %w", op.Kind, err)
	default:
		r.Status, r.Err = caunoi.SyncRejected, e
	}
	return r, nil
}

// runOp applies an operation through the same checks and transaction-level
// steps as the service method of its kind, and returns the record's id and
// version.
func (tx *Tx) runOp(ctx context.Context, op *caunoi.SyncOp) (string, int, error) {
	missing := caunoi.Invalid(caunoi.FieldError{Field: "data", Key: "err.field.required"})
	switch op.Kind {
	case caunoi.SyncCreateContact:
		c := op.Contact
		if c == nil {
			return "", 0, missing
		}
		if err := prepareContact(ctx, c, tx.now); err != nil {
			return "", 0, err
		}
		err := tx.createContact(ctx, c)
		return c.ID, c.Version, err
	case caunoi.SyncCreateClient:
		c := op.Client
		if c == nil {
			return "", 0, missing
		}
		if err := prepareClient(ctx, c, tx.now); err != nil {
			return "", 0, err
		}
		err := tx.createClient(ctx, c)
		return c.ID, c.Version, err
	case caunoi.SyncCreateActivity:
		act := op.Activity
		if act == nil {
			return "", 0, missing
		}
		if err := prepareActivity(ctx, act, tx.now); err != nil {
			return "", 0, err
		}
		err := tx.createActivity(ctx, act)
		return act.ID, act.Version, err
	case caunoi.SyncUpdateClient:
		if op.Update == nil {
			return "", 0, missing
		}
		if _, err := caunoi.Require(ctx, caunoi.PermClientWrite); err != nil {
			return "", 0, err
		}
		c, err := tx.updateClient(ctx, op.UpdateID, *op.Update)
		if err != nil {
			return "", 0, err
		}
		return c.ID, c.Version, nil
	default:
		return "", 0, caunoi.Invalid(caunoi.FieldError{Field: "kind", Key: "err.sync.kind"})
	}
}

// storedOp is an answer found in sync_ops.
type storedOp struct {
	userID string
	result caunoi.SyncResult
}

// replay answers a repeated operation with its first answer, to the actor
// who sent it first; another actor learns nothing of it.
func (st storedOp) replay(a *caunoi.Actor, op *caunoi.SyncOp) caunoi.SyncResult {
	if st.userID != a.UserID {
		return caunoi.SyncResult{OpID: op.ID, Status: caunoi.SyncRejected, At: st.result.At,
			Err: caunoi.Invalid(caunoi.FieldError{Field: "op_id", Key: "err.sync.op_taken"})}
	}
	r := st.result
	r.Replayed = true
	return r
}

// syncError is how an answer's error is stored: its catalogue keys and
// arguments, translated again for each reader.
type syncError struct {
	Code   caunoi.Code      `json:"code"`
	Key    string           `json:"key"`
	Args   map[string]any   `json:"args,omitempty"`
	Fields []syncFieldError `json:"fields,omitempty"`
}

type syncFieldError struct {
	Field string         `json:"field"`
	Key   string         `json:"key"`
	Args  map[string]any `json:"args,omitempty"`
}

func encodeSyncError(e *caunoi.Error) (any, error) {
	if e == nil {
		return nil, nil
	}
	se := syncError{Code: e.Code, Key: e.Key, Args: e.Args}
	for _, f := range e.Fields {
		se.Fields = append(se.Fields, syncFieldError(f))
	}
	b, err := json.Marshal(se)
	if err != nil {
		return nil, fmt.Errorf("sync: answer: %w", err)
	}
	return string(b), nil
}

func decodeSyncError(s sql.NullString) (*caunoi.Error, error) {
	if !s.Valid {
		return nil, nil
	}
	var se syncError
	if err := json.Unmarshal([]byte(s.String), &se); err != nil {
		return nil, fmt.Errorf("sync: stored answer: %w", err)
	}
	e := &caunoi.Error{Code: se.Code, Key: se.Key, Args: se.Args}
	for _, f := range se.Fields {
		e.Fields = append(e.Fields, caunoi.FieldError(f))
	}
	return e, nil
}

// storedOps returns the answers already stored for the operations' ids.
func (tx *Tx) storedOps(ctx context.Context, ops []*caunoi.SyncOp) (map[string]storedOp, error) {
	done := map[string]storedOp{}
	var q query
	q.add("SELECT op_id, user_id, status, record_id, version, error, received_at FROM sync_ops WHERE op_id IN (")
	n := 0
	for _, op := range ops {
		if caunoi.ValidID(op.ID) {
			if n > 0 {
				q.add(", ")
			}
			q.add(q.arg(op.ID))
			n++
		}
	}
	if n == 0 {
		return done, nil
	}
	q.add(")")
	rows, err := tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("sync: stored answers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st storedOp
		var e sql.NullString
		r := &st.result
		if err := rows.Scan(&r.OpID, &st.userID, &r.Status, &r.RecordID, &r.Version, &e, &r.At); err != nil {
			return nil, fmt.Errorf("sync: stored answers: %w", err)
		}
		r.At = r.At.UTC()
		if r.Err, err = decodeSyncError(e); err != nil {
			return nil, err
		}
		done[r.OpID] = st
	}
	return done, rows.Err()
}

const syncOpsInsert = "INSERT INTO sync_ops (op_id, user_id, kind, status, record_id, version, error, received_at) VALUES "

// answerRow returns the row of sync_ops that keeps an operation's answer
// under its id, in the order of syncOpsInsert.
func answerRow(a *caunoi.Actor, op *caunoi.SyncOp, r caunoi.SyncResult) ([]any, error) {
	e, err := encodeSyncError(r.Err)
	if err != nil {
		return nil, err
	}
	kind := op.Kind
	if !slices.Contains(caunoi.SyncKinds, kind) {
		kind = "" // whatever was sent, it is not kept
	}
	return []any{op.ID, a.UserID, kind, r.Status, r.RecordID, r.Version, e, r.At}, nil
}

// retryResult answers an operation that was not applied this time.
func retryResult(op *caunoi.SyncOp, e *caunoi.Error) caunoi.SyncResult {
	return caunoi.SyncResult{OpID: op.ID, Status: caunoi.SyncRetry, Err: e}
}

// FieldClients returns the actor's own recent clients for the phone's
// cache, and audits the read of each.
func (s *SyncService) FieldClients(ctx context.Context) ([]caunoi.FieldClient, error) {
	a, err := caunoi.Require(ctx, caunoi.PermClientRead)
	if err != nil {
		return nil, err
	}
	var out []caunoi.FieldClient
	err = s.db.inTx(ctx, true, func(tx *Tx) error {
		var q query
		user, since := q.arg(a.UserID), q.arg(tx.now.Add(-caunoi.FieldCacheWindow))
		q.add(`SELECT c.id, c.org_id, c.org_path, c.nickname, c.uic, c.birth_year, c.sex FROM clients c JOIN (
			SELECT client_id, MAX(t) AS last FROM (
				SELECT client_id, at AS t FROM contacts WHERE worker_id = `, user, ` AND client_id IS NOT NULL AND voided_at IS NULL AND at >= `, since, `
				UNION ALL SELECT id, created_at FROM clients WHERE created_by = `, user, ` AND created_at >= `, since, `
				UNION ALL SELECT aa.client_id, a.created_at FROM activity_attendance aa JOIN activities a ON a.id = aa.activity_id
					WHERE a.created_by = `, user, ` AND a.voided_at IS NULL AND a.created_at >= `, since, `
			) x GROUP BY client_id) r ON r.client_id = c.id
			WHERE c.voided_at IS NULL AND `)
		if err := q.scope(a, caunoi.PermClientRead, "c.org_path"); err != nil {
			return err
		}
		q.add(" ORDER BY r.last DESC, c.id LIMIT ", q.arg(caunoi.FieldCacheSize))
		rows, err := tx.QueryContext(ctx, q.String(), q.args...)
		if err != nil {
			return fmt.Errorf("field clients: %w", err)
		}
		type row struct {
			c    caunoi.FieldClient
			path string
		}
		var found []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.c.ID, &r.c.OrgID, &r.path, &r.c.Nickname, &r.c.UIC, &r.c.BirthYear, &r.c.Sex); err != nil {
				rows.Close()
				return fmt.Errorf("field clients: %w", err)
			}
			found = append(found, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("field clients: %w", err)
		}
		out = make([]caunoi.FieldClient, 0, len(found))
		for _, r := range found {
			if err := tx.audit(caunoi.ActionRead, "client", r.c.ID, r.path, nil, fieldCacheRead, ""); err != nil {
				return err
			}
			out = append(out, r.c)
		}
		return nil
	})
	return out, err
}

// fieldCacheRead marks, in the audit trail, a read for a phone's cache.
var fieldCacheRead = map[string]string{"for": "field_cache"}
