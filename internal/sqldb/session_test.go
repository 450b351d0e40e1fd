package sqldb_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

func TestSessionStore(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := sqldb.NewSessionStore(db)
		find := func(token string) ([]byte, bool) {
			t.Helper()
			b, ok, err := s.Find(token)
			must(t, err)
			return b, ok
		}

		must(t, s.Commit("tok-1", []byte("dữ liệu 1"), time.Now().Add(time.Hour)))
		if b, ok := find("tok-1"); !ok || string(b) != "dữ liệu 1" {
			t.Fatalf("Find = %q %v", b, ok)
		}
		must(t, s.Commit("tok-1", []byte{0, 1, 2, 255}, time.Now().Add(2*time.Hour)))
		if b, ok := find("tok-1"); !ok || !bytes.Equal(b, []byte{0, 1, 2, 255}) {
			t.Fatalf("Find after a second commit = %v %v", b, ok)
		}
		if _, ok := find("tok-2"); ok {
			t.Fatal("found a session never stored")
		}
		must(t, s.Delete("tok-1"))
		if _, ok := find("tok-1"); ok {
			t.Fatal("found a deleted session")
		}
		must(t, s.Delete("tok-1")) // deleting twice is fine

		// Expired sessions are not found, and DeleteExpired removes them.
		must(t, s.Commit("old", []byte("x"), time.Now().Add(-time.Second)))
		must(t, s.Commit("soon", []byte("y"), time.Now().Add(time.Minute)))
		if _, ok := find("old"); ok {
			t.Error("found an expired session")
		}
		if _, ok := find("soon"); !ok {
			t.Error("lost a live session")
		}
		db.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
		if _, ok := find("soon"); ok {
			t.Error("found a session after its expiry")
		}
		must(t, s.DeleteExpired(t.Context()))
		db.Now = time.Now
		var n int
		must(t, db.ReadDB().QueryRowContext(t.Context(), "SELECT COUNT(*) FROM sessions").Scan(&n))
		if n != 0 {
			t.Errorf("%d sessions left after DeleteExpired", n)
		}
	})
}

// The session manager commits every request's session to push its idle
// expiry forward; a commit that changes no data and moves the expiry by
// less than a minute writes nothing, and any other commit is stored.
func TestSessionStoreSkipsIdleRecommits(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := sqldb.NewSessionStore(db)
		stored := func() (string, time.Time) {
			t.Helper()
			var data []byte
			var expiry time.Time
			must(t, db.ReadDB().QueryRowContext(t.Context(), "SELECT data, expiry FROM sessions WHERE token = 'tok'").Scan(&data, &expiry))
			return string(data), expiry.UTC()
		}
		base := time.Now().UTC().Truncate(time.Second).Add(time.Hour)
		must(t, s.Commit("tok", []byte("a"), base))

		must(t, s.Commit("tok", []byte("a"), base.Add(30*time.Second)))
		if d, e := stored(); d != "a" || !e.Equal(base) {
			t.Errorf("an idle re-commit 30 s later was written: %q %v, want the expiry %v kept", d, e, base)
		}
		must(t, s.Commit("tok", []byte("b"), base.Add(30*time.Second)))
		if d, e := stored(); d != "b" || !e.Equal(base.Add(30*time.Second)) {
			t.Errorf("a commit with new data was skipped: %q %v", d, e)
		}
		must(t, s.Commit("tok", []byte("b"), base.Add(2*time.Minute)))
		if _, e := stored(); !e.Equal(base.Add(2 * time.Minute)) {
			t.Errorf("an expiry pushed 90 s on was not written: %v", e)
		}

		// Another process changed the session: what Find reads is what
		// counts.
		_, err := db.WriteDB().ExecContext(t.Context(), "UPDATE sessions SET data = $1 WHERE token = 'tok'", []byte("c"))
		must(t, err)
		if b, ok, err := s.Find("tok"); err != nil || !ok || string(b) != "c" {
			t.Fatalf("Find = %q %v %v", b, ok, err)
		}
		must(t, s.Commit("tok", []byte("b"), base.Add(2*time.Minute)))
		if d, _ := stored(); d != "b" {
			t.Errorf("data differing from what Find read was not written: %q", d)
		}
	})
}

// A backup is a database one can open again (SQLite) or a pg_dump archive
// (PostgreSQL).
func TestBackup(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		dest := filepath.Join(t.TempDir(), "backup")
		if db.Dialect == sqldb.Postgres {
			if _, err := exec.LookPath("pg_dump"); err != nil {
				t.Skip("pg_dump is not installed")
			}
			must(t, db.Backup(t.Context(), dest))
			b, err := os.ReadFile(dest)
			must(t, err)
			if len(b) < 1000 || !bytes.HasPrefix(b, []byte("PGDMP")) {
				t.Fatalf("pg_dump archive of %d bytes starting %q", len(b), b[:min(len(b), 5)])
			}
			// The archive holds this database's schema (named by search_path
			// in the test URL) and no other.
			var schema string
			must(t, db.ReadDB().QueryRowContext(t.Context(), "SELECT current_schema()").Scan(&schema))
			if restore, err := exec.LookPath("pg_restore"); err == nil {
				out, err := exec.CommandContext(t.Context(), restore, "--list", dest).CombinedOutput()
				if err != nil {
					t.Fatalf("pg_restore --list: %v: %s", err, out)
				}
				tables := 0
				for _, line := range strings.Split(string(out), "\n") {
					if strings.Contains(line, " TABLE ") && !strings.Contains(line, " TABLE DATA ") {
						tables++
						if !strings.Contains(line, " TABLE "+schema+" ") {
							t.Errorf("the archive holds a table of another schema: %s", line)
						}
					}
				}
				if !strings.Contains(string(out), "TABLE DATA "+schema+" orgs ") || tables < 9 {
					t.Errorf("the archive lists %d tables and no data of %s.orgs:\n%s", tables, schema, out)
				}
			}
		} else {
			dest += ".db"
			must(t, db.Backup(t.Context(), dest))
			copyDB, err := sqldb.Open(t.Context(), "sqlite:"+dest)
			must(t, err)
			defer copyDB.Close()
			v, err := copyDB.MigrationVersion(t.Context())
			must(t, err)
			if want, _ := db.MigrationVersion(t.Context()); v != want {
				t.Errorf("backup at version %d, want %d", v, want)
			}
			orgs, _, err := sqldb.NewOrgService(copyDB).FindOrgs(f.sys, caunoi.OrgFilter{})
			must(t, err)
			if got, want := ids(orgs, orgID), ids(f.allOrgs(), orgID); len(got) != 5 || !slices.Equal(got, want) {
				t.Errorf("backup holds orgs %v, want %v", got, want)
			}
		}
		// A backup never overwrites a file.
		if err := db.Backup(t.Context(), dest); err == nil {
			t.Error("a second backup to the same file succeeded")
		}
	})
}
