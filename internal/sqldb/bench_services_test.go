package sqldb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// referralBench is a province of 50 groups with a worker and 20 clients
// each, whose referrals were generated straight into the database.
type referralBench struct {
	f      *fixture
	groups []*caunoi.Organisation
	leader context.Context // the group leader of the first group
	worker string          // the id of the first group's worker
	// What the timed lists must find.
	groupOverdue, provinceOverdue, workerOverdue int
}

// newReferralBench makes the groups, a leader, one provider through the
// services, then workers, clients and n referrals with raw INSERTs: 15 %
// still waiting, due from 60 days ago to 60 days ahead, the rest closed.
func newReferralBench(b *testing.B, db *sqldb.DB, n int) *referralBench {
	b.Helper()
	f := newFixture(b, db)
	rb := &referralBench{f: f}
	for i := range benchGroups {
		rb.groups = append(rb.groups, f.addOrg(fmt.Sprintf("g%02d", i), "hp", &caunoi.Organisation{Kind: caunoi.OrgGroup,
			GroupKind: caunoi.GroupPeer, Name: fmt.Sprintf("Nhóm đồng đẳng %02d", i)}))
	}
	rb.leader = f.As(caunoi.RoleGroupLeader, "g00")
	prov := f.newProvider("hp", "Phòng khám Da liễu Hải Phòng")
	if err := sqldb.NewProviderService(db).CreateProvider(f.sys, prov); err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	now := time.Now().UTC().Truncate(time.Microsecond)
	today := dayOf(time.Now())
	wdb := db.WriteDB()
	workers := make([]string, benchGroups)
	clients := make([][]string, benchGroups)
	tx, err := wdb.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	for i, g := range rb.groups {
		workers[i] = caunoi.NewID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at)
			VALUES ($1, $2, $3, 'x', $4, $4)`, workers[i], fmt.Sprintf("worker%02d", i), fmt.Sprintf("Đồng đẳng viên %02d", i), now); err != nil {
			b.Fatalf("insert user: %v", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO grants (user_id, role, org_id, created_at) VALUES ($1, 'peer_educator', $2, $3)`,
			workers[i], g.ID, now); err != nil {
			b.Fatalf("insert grant: %v", err)
		}
		for j := range 20 {
			id := caunoi.NewID()
			clients[i] = append(clients[i], id)
			if _, err := tx.ExecContext(ctx, `INSERT INTO clients (id, org_id, org_path, nickname, nickname_search, birth_year, sex, populations,
				residence, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $4, 1990, 'female', ',sex_work,', 'local', 'active', $5, $5)`,
				id, g.ID, g.Path, fmt.Sprintf("khach %02d-%02d", i, j), now); err != nil {
				b.Fatalf("insert client: %v", err)
			}
		}
	}
	rng := rand.New(rand.NewPCG(2025, 11))
	statuses := []string{caunoi.ReferralReached, caunoi.ReferralReached, caunoi.ReferralReached, caunoi.ReferralDeclined, caunoi.ReferralLost}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO referrals (id, org_id, org_path, client_id, provider_id, service_kind, referred_on, due_on,
		referred_by, code, status, closed_on, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'sti_exam', $6, $7, $8, $9, $10, $11, 1, $12, $12)`)
	if err != nil {
		b.Fatal(err)
	}
	for k := range n {
		gi := rng.IntN(benchGroups)
		g := rb.groups[gi]
		due := today.AddDate(0, 0, rng.IntN(121)-60)
		on := due.AddDate(0, 0, -caunoi.DefaultReferralDays)
		status := caunoi.ReferralReferred
		var closed any
		if rng.IntN(100) >= 15 {
			status = statuses[rng.IntN(len(statuses))]
			closed = on.AddDate(0, 0, rng.IntN(10))
		} else if due.Before(today) {
			rb.provinceOverdue++
			if gi == 0 {
				rb.groupOverdue++
				rb.workerOverdue++
			}
		}
		id := caunoi.NewID()
		if _, err := stmt.ExecContext(ctx, id, g.ID, g.Path, clients[gi][rng.IntN(20)], prov.ID, on, due, workers[gi],
			fmt.Sprintf("CG-%04X-%04X-%04X", k>>16, k&0xffff, rng.IntN(0x10000)), status, closed, now); err != nil {
			b.Fatalf("insert referral: %v", err)
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if db.Dialect == sqldb.Postgres {
		// What autovacuum would do soon after such a load.
		if _, err := wdb.ExecContext(ctx, "ANALYZE referrals"); err != nil {
			b.Fatal(err)
		}
	}
	rb.worker = workers[0]
	return rb
}

// BenchmarkOverdueReferrals times the overdue list, one page of 50 with
// its count, over N referrals (CAUNOI_BENCH_REFERRALS, default 20,000) of
// a province of 50 groups: as a group leader (the group's list), a
// worker's own, and a province officer's (the whole province).
func BenchmarkOverdueReferrals(b *testing.B) {
	n := benchEnvInt(b, "CAUNOI_BENCH_REFERRALS", 20000)
	for _, d := range sqldbtest.Dialects() {
		b.Run(fmt.Sprintf("%s/referrals=%d", d, n), func(b *testing.B) {
			db := sqldbtest.MustOpen(b, d)
			rb := newReferralBench(b, db, n)
			svc := sqldb.NewReferralService(db)
			for _, who := range []struct {
				name string
				ctx  context.Context
				f    caunoi.ReferralFilter
				want int
			}{
				{"group_leader", rb.leader, caunoi.ReferralFilter{}, rb.groupOverdue},
				{"worker_own", rb.leader, caunoi.ReferralFilter{ReferredBy: rb.worker}, rb.workerOverdue},
				{"province_officer", rb.f.As(caunoi.RoleProvinceOfficer, "hp"), caunoi.ReferralFilter{}, rb.provinceOverdue},
			} {
				b.Run(who.name, func(b *testing.B) {
					f := who.f
					f.Overdue, f.Page = true, caunoi.Page{Limit: 50}
					for b.Loop() {
						list, total, err := svc.FindReferrals(who.ctx, f)
						if err != nil {
							b.Fatal(err)
						}
						if total != who.want || len(list) != min(50, who.want) {
							b.Fatalf("%d rows of %d, want %d of %d", len(list), total, min(50, who.want), who.want)
						}
					}
				})
			}
		})
	}
}
