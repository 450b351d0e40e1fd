package sqldb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

const (
	benchGroupsPerProvince = 10
	benchClients           = 5000
)

// benchFixture adds 10 groups under each province (hp0…hp9, qn0…qn9) and
// spreads 5,000 clients over the 20 groups, as the system actor.
func benchFixture(b *testing.B, db *sqldb.DB) *fixture {
	b.Helper()
	f := newFixture(b, db)
	var groups []string
	for _, p := range []string{"hp", "qn"} {
		for i := range benchGroupsPerProvince {
			key := fmt.Sprintf("%s%d", p, i)
			f.addOrg(key, p, &caunoi.Organisation{Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupPeer, Name: fmt.Sprintf("Nhóm %s %d", p, i)})
			groups = append(groups, key)
		}
	}
	// A few writers at once: PostgreSQL takes them in parallel, SQLite
	// queues them on its single writer connection.
	const workers = 4
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < benchClients; i += workers {
				c := f.newClient(groups[i%len(groups)], fmt.Sprintf("Khách %05d", i))
				if err := f.Clients.CreateClient(f.sys, c); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatalf("seed clients: %v", err)
	}
	return f
}

// BenchmarkScopedListClients times one page of 50 clients, scoped to a
// group (250 clients) and to a province (2,500 clients), with the count.
func BenchmarkScopedListClients(b *testing.B) {
	for _, d := range sqldbtest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			db := sqldbtest.MustOpen(b, d)
			f := benchFixture(b, db)
			for _, who := range []struct {
				name  string
				ctx   context.Context
				total int
			}{
				{"group_leader", f.As(caunoi.RoleGroupLeader, "hp0"), benchClients / (2 * benchGroupsPerProvince)},
				{"province_officer", f.As(caunoi.RoleProvinceOfficer, "hp"), benchClients / 2},
			} {
				b.Run(who.name, func(b *testing.B) {
					for b.Loop() {
						cs, n, err := f.Clients.FindClients(who.ctx, caunoi.ClientFilter{Page: caunoi.Page{Limit: 50}})
						if err != nil {
							b.Fatal(err)
						}
						if len(cs) != 50 || n != who.total {
							b.Fatalf("%d rows of %d, want 50 of %d", len(cs), n, who.total)
						}
					}
				})
			}
		})
	}
}

// BenchmarkAuditedWrite times CreateContact by a peer educator: one
// scoped, audited write in its own transaction.
func BenchmarkAuditedWrite(b *testing.B) {
	for _, d := range sqldbtest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			db := sqldbtest.MustOpen(b, d)
			f := newFixture(b, db)
			pe := f.As(caunoi.RolePeerEducator, "hpg")
			for b.Loop() {
				if err := f.Contacts.CreateContact(pe, f.newContact("hpg")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
