package sqldb_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// syncBenchBatch is the batch of the sync benchmark: as many contacts as
// one sync transaction applies.
const syncBenchBatch = 200

// BenchmarkSyncIngest measures, in the same run and batch by batch in
// turn, how fast sync applies contacts (each checked, scoped, audited, its
// answer stored) against the raw batched insert of the same contacts with
// the same driver: one transaction per batch, one prepared INSERT per row,
// nothing else. It reports both rates and their ratio (sync/raw; the goal
// is half or better), and, to tell the cost of the checks from that of
// the writes, the ratio to a raw insert of every row sync writes: each
// contact with an audit entry and an answer (sync/raw-same-rows).
func BenchmarkSyncIngest(b *testing.B) {
	for _, d := range sqldbtest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			db := sqldbtest.MustOpen(b, d)
			f := newFixture(b, db)
			pe := f.As(caunoi.RolePeerEducator, "hpg")
			peID := f.U(caunoi.RolePeerEducator, "hpg").ID
			clients := make([]string, 20)
			for i := range clients {
				clients[i] = f.createClient(pe, "hpg", "Khách").ID
			}
			svc := sqldb.NewSyncService(db)
			org := f.O("hpg")
			var rawTime, sameTime, syncTime time.Duration
			for i := 0; b.Loop(); i++ {
				at := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
				rows := make([]*caunoi.Contact, syncBenchBatch)
				ops := make([]*caunoi.SyncOp, syncBenchBatch)
				for j := range rows {
					k := &caunoi.Contact{ID: caunoi.NewID(), OrgID: org.ID, OrgPath: org.Path, WorkerID: peID, At: at, Channel: "in_person",
						Place: "Karaoke Biển Xanh", Topics: []string{"hiv_sti"}, Commodities: map[string]int{"condom": 10}, Version: 1}
					if j%2 == 0 {
						k.ClientID = clients[j%len(clients)]
					} else {
						k.AnonSex, k.AnonPopulation = "female", caunoi.PopSexWork
					}
					rows[j] = k
					c := *k
					c.ID = caunoi.NewID()
					ops[j] = &caunoi.SyncOp{ID: caunoi.NewID(), Kind: caunoi.SyncCreateContact, Contact: &c}
				}
				start := time.Now()
				if err := rawInsert(b.Context(), db, rows); err != nil {
					b.Fatal(err)
				}
				rawTime += time.Since(start)
				for _, k := range rows {
					k.ID = caunoi.NewID()
				}
				start = time.Now()
				if err := rawInsertSameRows(b.Context(), db, rows); err != nil {
					b.Fatal(err)
				}
				sameTime += time.Since(start)
				start = time.Now()
				rs, err := svc.Sync(pe, ops)
				if err != nil {
					b.Fatal(err)
				}
				syncTime += time.Since(start)
				for _, r := range rs {
					if r.Status != caunoi.SyncAccepted {
						b.Fatalf("sync: %+v", r)
					}
				}
			}
			n := float64(b.N * syncBenchBatch)
			raw, synced := n/rawTime.Seconds(), n/syncTime.Seconds()
			b.ReportMetric(raw, "raw-contacts/s")
			b.ReportMetric(synced, "sync-contacts/s")
			b.ReportMetric(synced/raw, "sync/raw")
			b.ReportMetric(synced/(n/sameTime.Seconds()), "sync/raw-same-rows")
		})
	}
}

// rawInsert stores contacts as a bare batched insert: one transaction,
// one prepared statement, one row per execution.
func rawInsert(ctx context.Context, db *sqldb.DB, rows []*caunoi.Contact) error {
	tx, err := db.WriteDB().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO contacts (id, org_id, org_path, worker_id, client_id, anon_sex, anon_population, at, channel, place,
		commodities, notes, version, created_at, updated_at, place_id, topics) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16)`)
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now().UTC()
	for _, k := range rows {
		comm, _ := json.Marshal(k.Commodities)
		var client any
		if k.ClientID != "" {
			client = k.ClientID
		}
		if _, err := st.ExecContext(ctx, k.ID, k.OrgID, k.OrgPath, k.WorkerID, client, k.AnonSex, k.AnonPopulation, k.At, k.Channel, k.Place,
			string(comm), k.Notes, k.Version, now, nil, ",hiv_sti,"); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// rawInsertSameRows stores, as bare batched inserts, every row sync writes
// for a contact: the contact, its audit entry (the contact as JSON) and an
// answer under a new operation id.
func rawInsertSameRows(ctx context.Context, db *sqldb.DB, rows []*caunoi.Contact) error {
	tx, err := db.WriteDB().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var sts []*sql.Stmt
	for _, q := range []string{
		`INSERT INTO contacts (id, org_id, org_path, worker_id, client_id, anon_sex, anon_population, at, channel, place,
		commodities, notes, version, created_at, updated_at, place_id, topics) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16)`,
		`INSERT INTO audit_log (id, at, actor_id, actor_name, action, entity, entity_id, org_path, before, after, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		`INSERT INTO sync_ops (op_id, user_id, kind, status, record_id, version, error, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
	} {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		defer st.Close()
		sts = append(sts, st)
	}
	now := time.Now().UTC()
	for _, k := range rows {
		comm, _ := json.Marshal(k.Commodities)
		var client any
		if k.ClientID != "" {
			client = k.ClientID
		}
		if _, err := sts[0].ExecContext(ctx, k.ID, k.OrgID, k.OrgPath, k.WorkerID, client, k.AnonSex, k.AnonPopulation, k.At, k.Channel, k.Place,
			string(comm), k.Notes, k.Version, now, nil, ",hiv_sti,"); err != nil {
			return err
		}
		after, _ := json.Marshal(k)
		if _, err := sts[1].ExecContext(ctx, caunoi.NewID(), now, k.WorkerID, "peer_educator.hpg", "create", "contact", k.ID, k.OrgPath, nil, string(after), ""); err != nil {
			return err
		}
		if _, err := sts[2].ExecContext(ctx, caunoi.NewID(), k.WorkerID, caunoi.SyncCreateContact, caunoi.SyncAccepted, k.ID, 1, nil, now); err != nil {
			return err
		}
	}
	return tx.Commit()
}
