package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"caunoi"
)

// Helpers for transactions that write many records at once (a sync batch
// of hundreds of operations): prepared statements reused, and audit
// entries written together. Each still writes everything in the one
// transaction, before it commits.

// cacheStatements makes ExecContext and QueryRowContext reuse prepared
// statements for the rest of the transaction, on SQLite.
func (tx *Tx) cacheStatements() {
	if tx.db.Dialect == SQLite {
		tx.stmts = map[string]*sql.Stmt{}
	}
}

// prepared returns the transaction's prepared statement for q, or nil
// when it caches none.
func (tx *Tx) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	if tx.stmts == nil {
		return nil, nil
	}
	if st, ok := tx.stmts[q]; ok {
		return st, nil
	}
	st, err := tx.Tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	tx.stmts[q] = st
	return st, nil
}

// ExecContext runs a statement that changes the database (it stands in
// for sql.Tx's): prepared once per transaction when it caches statements.
// One that fails, or changes rows, is counted in writes.
func (tx *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if err := checkText(args); err != nil {
		return nil, err
	}
	st, err := tx.prepared(ctx, q)
	if err != nil {
		tx.writes++
		return nil, err
	}
	var res sql.Result
	if st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = tx.Tx.ExecContext(ctx, q, args...)
	}
	if err != nil {
		tx.writes++
		return nil, err
	}
	if n, rerr := res.RowsAffected(); rerr != nil || n > 0 {
		tx.writes++
	}
	return res, nil
}

// checkText refuses text holding a NUL character, which PostgreSQL cannot
// store in a text column: on both databases it is the user's input to
// correct, not a fault of the system.
func checkText(args []any) error {
	for _, a := range args {
		if s, ok := a.(string); ok && strings.IndexByte(s, 0) >= 0 {
			return caunoi.Errorf(caunoi.EINVALID, "err.text.nul", nil)
		}
	}
	return nil
}

// Exec is ExecContext without a context.
func (tx *Tx) Exec(q string, args ...any) (sql.Result, error) {
	return tx.ExecContext(context.Background(), q, args...)
}

// QueryRowContext runs a query for one row (it stands in for sql.Tx's),
// prepared once per transaction when it caches statements. A failure to
// prepare shows when the row is scanned.
func (tx *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st, err := tx.prepared(ctx, q); err == nil && st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, q, args...)
}

// auditRow is one audit entry's column values, in the order of
// auditInsert.
type auditRow [11]any

const auditInsert = "INSERT INTO audit_log (id, at, actor_id, actor_name, action, entity, entity_id, org_path, before, after, reason) VALUES "

// deferAudit makes audit keep the entries until flushAudit.
func (tx *Tx) deferAudit() { tx.batchAudit = true }

// auditMark returns how many entries wait, for forgetAudit.
func (tx *Tx) auditMark() int { return len(tx.pendingAudit) }

// forgetAudit drops the entries kept since mark: their changes were rolled
// back to a savepoint.
func (tx *Tx) forgetAudit(mark int) { tx.pendingAudit = tx.pendingAudit[:mark] }

// flushAudit writes the entries kept, a hundred rows a statement.
func (tx *Tx) flushAudit(ctx context.Context) error {
	rows := make([][]any, len(tx.pendingAudit))
	for i := range tx.pendingAudit {
		rows[i] = tx.pendingAudit[i][:]
	}
	if err := tx.insertRows(ctx, auditInsert, rows); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	tx.pendingAudit = tx.pendingAudit[:0]
	return nil
}

// insertRows inserts rows of equal width with head (an INSERT that ends
// in "VALUES "). PostgreSQL takes a hundred rows a statement, which saves
// round trips; SQLite, in process, takes one row per run of a prepared
// statement, which its driver binds faster than a long list of values.
func (tx *Tx) insertRows(ctx context.Context, head string, rows [][]any) error {
	per := 100
	if tx.db.Dialect == SQLite {
		per = 1
	}
	for start := 0; start < len(rows); start += per {
		part := rows[start:min(start+per, len(rows))]
		var q query
		q.add(head)
		for i, r := range part {
			if i > 0 {
				q.add(", ")
			}
			q.add("(")
			for j, v := range r {
				if j > 0 {
					q.add(", ")
				}
				q.add(q.arg(v))
			}
			q.add(")")
		}
		if _, err := tx.ExecContext(ctx, q.String(), q.args...); err != nil {
			return err
		}
	}
	return nil
}

// rememberClients makes clientUsable remember the clients it finds for
// the rest of the transaction: a batch names the same few clients again
// and again. Only clients found are remembered (one not yet found may be
// registered later in the batch); nothing in a batch voids a client or
// moves it to another organisation.
func (tx *Tx) rememberClients() { tx.usable = map[string]string{} }

// clientUsable reports whether a record of the organisation at orgPath
// may name the client: live, in the actor's client.read scope, and of
// that organisation, one above it or one below it (not a neighbouring
// group).
func (tx *Tx) clientUsable(ctx context.Context, id, orgPath string) bool {
	path, ok := tx.usable[id]
	if !ok {
		c, err := tx.findClient(ctx, id, caunoi.PermClientRead)
		if err != nil || c.Voided() {
			return false
		}
		path = c.OrgPath
		if tx.usable != nil {
			tx.usable[id] = path
		}
	}
	return relatedPaths(path, orgPath)
}
