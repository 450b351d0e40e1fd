package sqldb_test

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

var migrationName = regexp.MustCompile(`^(\d{5})_[a-z0-9_]+\.sql$`)

// migrationFiles returns the migration file names of a dialect, sorted.
func migrationFiles(t *testing.T, d sqldb.Dialect) []string {
	t.Helper()
	entries, err := os.ReadDir("migrations/" + string(d))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

// highestMigration returns the number of the newest migration file.
func highestMigration(t *testing.T) int64 {
	t.Helper()
	names := migrationFiles(t, sqldb.SQLite)
	m := migrationName.FindStringSubmatch(names[len(names)-1])
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

// Both dialects must carry the same migrations under the same numbers,
// numbered 1, 2, 3… without gaps, so a database of either kind reaches the
// same version.
func TestMigrationFilesParity(t *testing.T) {
	t.Parallel()
	lite, pg := migrationFiles(t, sqldb.SQLite), migrationFiles(t, sqldb.Postgres)
	if len(lite) == 0 {
		t.Fatal("no migrations")
	}
	if !slices.Equal(lite, pg) {
		t.Fatalf("migration files differ:\nsqlite:   %v\npostgres: %v", lite, pg)
	}
	for i, name := range lite {
		m := migrationName.FindStringSubmatch(name)
		if m == nil {
			t.Fatalf("migration %q is not named NNNNN_name.sql", name)
		}
		if n, _ := strconv.Atoi(m[1]); n != i+1 {
			t.Errorf("migration %q has number %d, want %d (no gaps, no repeats)", name, n, i+1)
		}
	}
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	want := highestMigration(t)
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		v, err := db.MigrationVersion(ctx)
		must(t, err)
		if v != want {
			t.Fatalf("version after migrate = %d, want %d", v, want)
		}
		f := newFixture(t, db)

		// A second migrate changes nothing: same version, data kept.
		must(t, db.Migrate(ctx))
		v, err = db.MigrationVersion(ctx)
		must(t, err)
		if v != want {
			t.Fatalf("version after second migrate = %d, want %d", v, want)
		}
		must(t, sqldb.SeedProvinces(ctx, db))
		_, n, err := f.Orgs.FindOrgs(f.sys, caunoi.OrgFilter{})
		must(t, err)
		if n != 5 {
			t.Errorf("orgs after second migrate = %d, want 5", n)
		}
		_, n, err = f.Units.FindAdminUnits(f.sys, caunoi.AdminUnitFilter{})
		must(t, err)
		if n != 86 {
			t.Errorf("admin units after second migrate and seed = %d, want the 86 shipped", n)
		}
	})
}
