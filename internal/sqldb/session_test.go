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
