package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"caunoi"
)

// Tx is a transaction with a fixed "now" and the actor who opened it.
type Tx struct {
	*sql.Tx
	db    *DB
	now   time.Time
	actor *caunoi.Actor
	// orgs caches organisations found in this transaction (by id and
	// permission) when many rows refer to the same few: imports. Nothing
	// in such a transaction changes an organisation.
	orgs map[string]*caunoi.Organisation
	// stmts caches the prepared statements of a transaction that runs
	// the same few statements many times (a sync batch), on SQLite, where
	// preparing a statement costs more than running it; nil leaves each
	// statement to the driver (pgx caches them per connection itself).
	stmts map[string]*sql.Stmt
	// batchAudit holds the transaction's audit entries in pendingAudit
	// until flushAudit writes them together, before the commit (see
	// tx_batch.go).
	batchAudit   bool
	pendingAudit []auditRow
	// usable remembers, in a batch, the clients that clientUsable found
	// live in scope, by id, with their organisation's path.
	usable map[string]string
	// writes counts the statements run through ExecContext, so a batch
	// can tell whether a failed operation changed anything.
	writes int
	// write is true for a transaction on the write pool.
	write bool
}

type txKey struct{}

// withTx returns a context in which the services run inside tx instead of
// opening a transaction of their own: an operation that calls another
// service's method (a hotline case making a referral) stays one
// transaction, committed or rolled back whole.
func withTx(ctx context.Context, tx *Tx) context.Context { return context.WithValue(ctx, txKey{}, tx) }

// begin opens a transaction on the write pool (write) or the read pool.
// Every transaction, even a read, needs an actor in the context.
func (db *DB) begin(ctx context.Context, write bool) (*Tx, error) {
	a, err := caunoi.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	pool := db.read
	var opts *sql.TxOptions
	if write {
		pool = db.write
	} else if db.Dialect == Postgres {
		opts = &sql.TxOptions{ReadOnly: true}
	}
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, db: db, now: db.Now().UTC().Truncate(time.Microsecond), actor: a, write: write}, nil
}

// inTx runs fn in a transaction and commits it when fn returns nil.
// Inside a transaction joined with withTx it runs fn in that one, which
// its owner commits.
func (db *DB) inTx(ctx context.Context, write bool, fn func(tx *Tx) error) error {
	if outer, ok := ctx.Value(txKey{}).(*Tx); ok && outer.db == db && (outer.write || !write) {
		return fn(outer)
	}
	tx, err := db.begin(ctx, write)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// audit appends an entry to the audit trail inside the transaction. before
// and after are marshalled to JSON; nil leaves them empty.
func (tx *Tx) audit(action, entity, entityID, orgPath string, before, after any, reason string) error {
	b, err := jsonOrNil(before)
	if err != nil {
		return err
	}
	af, err := jsonOrNil(after)
	if err != nil {
		return err
	}
	row := auditRow{caunoi.NewID(), tx.now, tx.actor.UserID, tx.actor.Username, action, entity, entityID, orgPath, b, af, reason}
	if tx.batchAudit {
		tx.pendingAudit = append(tx.pendingAudit, row)
		return nil
	}
	_, err = tx.ExecContext(context.Background(), `INSERT INTO audit_log (id, at, actor_id, actor_name, action, entity, entity_id, org_path, before, after, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, row[:]...)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", action, entity, err)
	}
	return nil
}

func jsonOrNil(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return string(b), nil
}

// query builds an SQL text with numbered parameters.
type query struct {
	sb   strings.Builder
	args []any
}

// arg adds a parameter and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// add appends SQL text.
func (q *query) add(s ...string) *query {
	for _, x := range s {
		q.sb.WriteString(x)
	}
	return q
}

func (q *query) String() string { return q.sb.String() }

// scope appends a predicate that keeps rows whose path column lies in the
// actor's subtrees for p. A path "/a/b/" covers every path that starts
// with it; the test is a range so an index serves it on both databases.
// An actor without p anywhere gets EFORBIDDEN.
func (q *query) scope(a *caunoi.Actor, p caunoi.Permission, col string) error {
	if a.System {
		q.add("1=1")
		return nil
	}
	paths := a.ScopePaths(p)
	if len(paths) == 0 {
		return caunoi.Forbidden()
	}
	q.add("(")
	for i, path := range paths {
		if i > 0 {
			q.add(" OR ")
		}
		q.add("(", col, " >= ", q.arg(path), " AND ", col, " < ", q.arg(pathEnd(path)), ")")
	}
	q.add(")")
	return nil
}

// pathEnd returns the least string greater than every path that starts
// with path (which ends in "/"): "/a/b/" → "/a/b0".
func pathEnd(path string) string {
	return path[:len(path)-1] + string(rune(path[len(path)-1]+1))
}

// page appends ORDER BY-free LIMIT and OFFSET.
func (q *query) page(p caunoi.Page) {
	p = p.Normalize()
	q.add(" LIMIT ", q.arg(p.Limit), " OFFSET ", q.arg(p.Offset))
}

// likeArg returns a LIKE pattern for a substring, escaping wildcards.
func likeArg(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// notFound maps sql.ErrNoRows to ENOTFOUND for the kind of record.
func notFound(err error, kind string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return caunoi.NotFound(kind)
	}
	return err
}

// nullTime turns a *time.Time into a parameter.
func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// timePtr turns a scanned sql.NullTime into a *time.Time.
func timePtr(nt sql.NullTime) *time.Time {
	if !nt.Valid {
		return nil
	}
	t := nt.Time.UTC()
	return &t
}

// dateParam turns a date into a parameter: midnight UTC.
func dateParam(t *time.Time) any {
	if t == nil {
		return nil
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return d
}

// nullStr returns nil for "" so that a nullable reference stays NULL.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// joinList stores a list as ",a,b," so that membership is LIKE '%,a,%'.
func joinList[T ~string](xs []T) string {
	if len(xs) == 0 {
		return ""
	}
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = string(x)
	}
	return "," + strings.Join(parts, ",") + ","
}

// splitList reads a list stored by joinList.
func splitList[T ~string](s string) []T {
	s = strings.Trim(s, ",")
	if s == "" {
		return []T{}
	}
	parts := strings.Split(s, ",")
	out := make([]T, len(parts))
	for i, p := range parts {
		out[i] = T(p)
	}
	return out
}

// upper upper-cases ASCII letters, for codes such as the UIC.
func upper(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// checkChangeable refuses a change to a voided record, or one made against
// a version other than the stored one.
func checkChangeable(v caunoi.Voiding, stored, seen int) error {
	if v.Voided() {
		return caunoi.Errorf(caunoi.ECONFLICT, "err.voided", nil)
	}
	if stored != seen {
		return caunoi.Stale()
	}
	return nil
}

// execVersioned runs an UPDATE whose WHERE clause ends in "AND version =
// $n": when no row matched, someone changed the record first.
func (tx *Tx) execVersioned(ctx context.Context, what, q string, args ...any) error {
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return caunoi.Stale()
	}
	return nil
}

// voidable names the tables whose rows are voided, never deleted.
var voidable = map[string]bool{"orgs": true, "clients": true, "contacts": true, "places": true, "place_visits": true, "activities": true,
	"indicators": true, "targets": true,
	"providers": true, "services": true, "referrals": true,
	"hotline_cases": true, "shelter_beds": true, "shelter_stays": true, "reintegrations": true, "influence_people": true}

// voidRow marks the row void with the actor, the reason and tx.now, and
// returns the Voiding stored; version is the version the user saw.
func (tx *Tx) voidRow(ctx context.Context, table, id string, version int, reason string) (caunoi.Voiding, error) {
	if !voidable[table] {
		return caunoi.Voiding{}, fmt.Errorf("void: %s is not voidable", table)
	}
	now := tx.now
	v := caunoi.Voiding{VoidedAt: &now, VoidedBy: tx.actor.Username, VoidReason: reason}
	err := tx.execVersioned(ctx, "void "+table, `UPDATE `+table+` SET voided_at = $1, voided_by = $2, void_reason = $3,
		version = $4, updated_at = $1 WHERE id = $5 AND version = $6`, now, v.VoidedBy, reason, version+1, id, version)
	return v, err
}

// listPage counts the rows that w (" FROM … WHERE …" with its arguments)
// selects, then reads one page of them in order with scan. what names the
// records in errors.
func listPage[T any](ctx context.Context, tx *Tx, what, cols string, w query, order string, p caunoi.Page, scan func(scanner) (T, error)) ([]T, int, error) {
	var total int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*)"+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count %s: %w", what, err)
	}
	q := query{args: append([]any(nil), w.args...)}
	q.add("SELECT ", cols, w.String(), " ORDER BY ", order)
	q.page(p)
	rows, err := tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan %s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}
