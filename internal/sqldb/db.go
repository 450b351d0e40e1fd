// Package sqldb implements the services of package caunoi over
// database/sql, for SQLite (modernc.org/sqlite) and PostgreSQL (pgx). One
// SQL text serves both wherever they agree; both bind parameters as $1…$N.
//
// Every method scopes its queries by the actor in the context, and every
// write appends to the audit trail in the same transaction.
package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	"github.com/pressly/goose/v3"

	"caunoi/internal/secure"
	_ "modernc.org/sqlite" // SQLite driver "sqlite"
)

// Dialect names a database kind.
type Dialect string

// The supported databases.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

//go:embed migrations
var migrations embed.FS

// sqlitePragmas are set on every SQLite connection: WAL so readers never
// wait for the writer, a busy timeout instead of immediate errors, foreign
// keys enforced, temporary data (the sub-journals of savepoints, which a
// sync batch opens for every operation) kept in memory rather than in
// files, and times stored in SQLite's own text format.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_time_format=sqlite"

// DB is an open database with separate pools for reading and writing (on
// SQLite the writer is a single connection, so writers queue instead of
// failing; on PostgreSQL both are the same pool).
type DB struct {
	Dialect Dialect
	// Now returns the current time; tests may replace it.
	Now func() time.Time
	// Keys encrypt identifying fields and key their blind indexes. They
	// live outside the database (a file or CAUNOI_KEYS); without them no
	// identifying field can be stored or read.
	Keys *secure.Keyring

	url   string
	file  string // SQLite file
	read  *sql.DB
	write *sql.DB
	// countBuild is held while the count rollup is built for filters new
	// to it (minutes at the nation's scale): one builder at a time, and a
	// report does not wait for it (see RefreshRollups).
	countBuild sync.Mutex
}

// Open opens the database named by a URL: "sqlite:PATH" (or a path ending
// in .db) or "postgres://…". It does not migrate.
func Open(ctx context.Context, dbURL string) (*DB, error) {
	db := &DB{url: dbURL, Now: time.Now}
	switch {
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		db.Dialect = Postgres
		pool, err := sql.Open("pgx", dbURL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		pool.SetMaxOpenConns(max(8, 4*runtime.GOMAXPROCS(0)))
		pool.SetMaxIdleConns(max(8, 4*runtime.GOMAXPROCS(0)))
		pool.SetConnMaxIdleTime(5 * time.Minute)
		db.read, db.write = pool, pool
	case strings.HasPrefix(dbURL, "sqlite:"), strings.HasSuffix(dbURL, ".db"):
		db.Dialect = SQLite
		db.file = strings.TrimPrefix(dbURL, "sqlite:")
		if db.file == "" {
			return nil, errors.New("open sqlite: no file named")
		}
		if dir := filepath.Dir(db.file); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("open sqlite: %w", err)
			}
		}
		base := "file:" + (&url.URL{Path: db.file}).EscapedPath() + "?" + sqlitePragmas
		w, err := sql.Open("sqlite", base+"&_txlock=immediate")
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		w.SetMaxOpenConns(1)
		w.SetConnMaxIdleTime(0)
		r, err := sql.Open("sqlite", base+"&mode=ro")
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		r.SetMaxOpenConns(max(4, 2*runtime.GOMAXPROCS(0)))
		r.SetMaxIdleConns(max(4, 2*runtime.GOMAXPROCS(0)))
		db.read, db.write = r, w
	default:
		return nil, fmt.Errorf("open: unknown database URL %q: use sqlite:FILE or postgres://…", redactURL(dbURL))
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.write.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", db.Dialect, err)
	}
	return db, nil
}

// redactURL hides a password in a database URL.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}

// Close closes both pools.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// WriteDB returns the pool for writes (used by the session store).
func (db *DB) WriteDB() *sql.DB { return db.write }

// ReadDB returns the pool for reads.
func (db *DB) ReadDB() *sql.DB { return db.read }

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.Dialect))
	if err != nil {
		return nil, err
	}
	d := goose.DialectSQLite3
	if db.Dialect == Postgres {
		d = goose.DialectPostgres
	}
	return goose.NewProvider(d, db.write, sub)
}

// Migrate applies every pending migration.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return db.ensureRollups(ctx)
}

// MigrationVersion returns the version of the newest applied migration.
func (db *DB) MigrationVersion(ctx context.Context) (int64, error) {
	p, err := db.provider()
	if err != nil {
		return 0, fmt.Errorf("migration version: %w", err)
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("migration version: %w", err)
	}
	return v, nil
}

// Backup writes a consistent copy of the database to dest while it is in
// use: SQLite with VACUUM INTO, PostgreSQL with pg_dump (custom format).
func (db *DB) Backup(ctx context.Context, dest string) error {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup: %s already exists", dest)
	}
	switch db.Dialect {
	case SQLite:
		if _, err := db.write.ExecContext(ctx, "VACUUM INTO $1", dest); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		return nil
	default:
		bin, err := exec.LookPath("pg_dump")
		if err != nil {
			return fmt.Errorf("backup: pg_dump is not installed (apt-get install postgresql-client): %w", err)
		}
		conn, password, schemas, err := pgDumpConn(db.url)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		args := []string{"--format=custom", "--file=" + dest, "--dbname=" + conn}
		for _, s := range schemas {
			args = append(args, "--schema="+s)
		}
		cmd := exec.CommandContext(ctx, bin, args...)
		if password != "" {
			cmd.Env = append(os.Environ(), "PGPASSWORD="+password)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("backup: pg_dump: %w: %s", err, strings.TrimSpace(string(out)))
		}
		return nil
	}
}

// libpqParams are the URL parameters pg_dump (libpq) understands; pgx takes
// any other parameter as a setting of the session, which libpq refuses.
var libpqParams = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "passfile": true,
	"channel_binding": true, "connect_timeout": true, "client_encoding": true, "options": true,
	"application_name": true, "fallback_application_name": true, "keepalives": true, "keepalives_idle": true,
	"keepalives_interval": true, "keepalives_count": true, "tcp_user_timeout": true, "sslmode": true,
	"sslnegotiation": true, "sslcompression": true, "sslcert": true, "sslkey": true, "sslpassword": true,
	"sslcertmode": true, "sslrootcert": true, "sslcrl": true, "sslcrldir": true, "sslsni": true,
	"requirepeer": true, "ssl_min_protocol_version": true, "ssl_max_protocol_version": true,
	"krbsrvname": true, "gsslib": true, "gssencmode": true, "gssdelegation": true, "service": true,
	"target_session_attrs": true, "load_balance_hosts": true,
}

// pgDumpConn turns the pgx URL of the database into what pg_dump needs: a
// URL with libpq's parameters only and without the password (which goes
// to PGPASSWORD, so that it does not show in the process list), and the
// schemas of search_path, the only ones dumped when it is set.
func pgDumpConn(dbURL string) (conn, password string, schemas []string, err error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", "", nil, fmt.Errorf("database URL: %w", err)
	}
	if u.User != nil {
		password, _ = u.User.Password()
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	for _, s := range strings.Split(q.Get("search_path"), ",") {
		if s = strings.TrimSpace(s); s != "" && !strings.HasPrefix(s, "$") {
			schemas = append(schemas, s)
		}
	}
	for k := range q {
		if !libpqParams[k] {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), password, schemas, nil
}
