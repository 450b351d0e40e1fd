package web_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
	"caunoi/internal/web"
)

// TestKeepRollups: the server's background refresher rebuilds what
// writes marked stale, without a report asking, and stops with its
// context.
func TestKeepRollups(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		sys := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
		org := &caunoi.Organisation{Kind: caunoi.OrgNational, Name: "Cục Phòng, chống tệ nạn xã hội"}
		if err := sqldb.NewOrgService(db).CreateOrg(sys, org); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkRollupsStale(context.Background()); err != nil {
			t.Fatal(err)
		}
		stale := func() int {
			var n int
			if err := db.ReadDB().QueryRow("SELECT COUNT(*) FROM monitoring_stale").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if stale() == 0 {
			t.Fatal("nothing is stale to begin with")
		}
		srv := newServerOn(t, db, web.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			srv.KeepRollups(ctx, 10*time.Millisecond)
			close(done)
		}()
		for deadline := time.Now().Add(time.Minute); stale() > 0; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the rollups were never refreshed")
			}
		}
		cancel()
		<-done
	})
}
