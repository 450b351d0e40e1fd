// Package sqldbtest opens real databases for tests: a fresh SQLite file,
// and a fresh PostgreSQL schema on the server named by CAUNOI_TEST_POSTGRES.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"caunoi/internal/secure"
	"caunoi/internal/sqldb"
)

// PostgresEnv names the environment variable holding the URL of the
// PostgreSQL server for tests, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const PostgresEnv = "CAUNOI_TEST_POSTGRES"

// Dialects returns the databases the suite runs on: SQLite always,
// PostgreSQL when PostgresEnv is set.
func Dialects() []sqldb.Dialect {
	return []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres}
}

// Run runs fn as a subtest on each database. The PostgreSQL subtest skips
// loudly when PostgresEnv is unset.
func Run(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, MustOpen(t, d))
		})
	}
}

// MustOpen opens a new, migrated database of the dialect with the shipped
// provinces loaded, removed when the test ends.
func MustOpen(tb testing.TB, d sqldb.Dialect) *sqldb.DB {
	tb.Helper()
	ctx := context.Background()
	dbURL := URL(tb, d)
	db, err := sqldb.Open(ctx, dbURL)
	if err != nil {
		tb.Fatalf("open %s: %v", d, err)
	}
	if db.Keys, _, err = secure.LoadKeyring(filepath.Join(tb.TempDir(), "keys"), true); err != nil {
		tb.Fatalf("keys: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate %s: %v", d, err)
	}
	if err := sqldb.SeedProvinces(ctx, db); err != nil {
		tb.Fatalf("seed %s: %v", d, err)
	}
	return db
}

// URL returns the URL of a new, empty database of the dialect, removed
// when the test ends: a file for SQLite, a schema of its own for
// PostgreSQL (the test skips loudly when PostgresEnv is unset). Tests that
// start the real program pass it to --db.
func URL(tb testing.TB, d sqldb.Dialect) string {
	tb.Helper()
	switch d {
	case sqldb.SQLite:
		return "sqlite:" + filepath.Join(tb.TempDir(), "caunoi.db")
	case sqldb.Postgres:
		base := os.Getenv(PostgresEnv)
		if base == "" {
			tb.Skipf("\n*** SKIPPING the PostgreSQL suite: %s is not set. ***\n*** Set it, e.g. %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable ***", PostgresEnv, PostgresEnv)
		}
		return freshSchema(tb, base)
	default:
		tb.Fatalf("sqldbtest: unknown dialect %q", d)
		return ""
	}
}

// freshSchema creates a schema of its own for the test and returns a URL
// whose search_path points at it; the schema is dropped at the end.
func freshSchema(tb testing.TB, base string) string {
	tb.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		tb.Fatalf("postgres: create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("postgres URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
