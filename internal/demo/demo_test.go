package demo_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/demo"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// counts returns the numbers of live organisations, users, clients and
// contacts, as the system sees them.
func counts(t *testing.T, db *sqldb.DB) [4]int {
	t.Helper()
	ctx := caunoi.NewContextWithActor(context.Background(), caunoi.SystemActor())
	one := caunoi.Page{Limit: 1}
	var n [4]int
	var err error
	if _, n[0], err = sqldb.NewOrgService(db).FindOrgs(ctx, caunoi.OrgFilter{Page: one}); err != nil {
		t.Fatal(err)
	}
	if _, n[1], err = sqldb.NewUserService(db).FindUsers(ctx, caunoi.UserFilter{Page: one}); err != nil {
		t.Fatal(err)
	}
	if _, n[2], err = sqldb.NewClientService(db).FindClients(ctx, caunoi.ClientFilter{Page: one}); err != nil {
		t.Fatal(err)
	}
	if _, n[3], err = sqldb.NewContactService(db).FindContacts(ctx, caunoi.ContactFilter{Page: one}); err != nil {
		t.Fatal(err)
	}
	return n
}

// login signs a demo account in and returns a context carrying its actor.
func login(t *testing.T, db *sqldb.DB, username string) (context.Context, *caunoi.Actor) {
	t.Helper()
	a, _, err := sqldb.NewUserService(db).Authenticate(context.Background(), username, demo.Password)
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	return caunoi.NewContextWithActor(context.Background(), a), a
}

func TestLoad(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		start := time.Now()
		sum, err := demo.Load(ctx, db)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		t.Logf("Load on %s took %v: %d orgs, %d logins, %d clients, %d contacts",
			db.Dialect, time.Since(start).Round(time.Millisecond), sum.Orgs, len(sum.Logins), sum.Clients, sum.Contacts)

		if sum.Password != demo.Password {
			t.Errorf("Password = %q", sum.Password)
		}
		for _, r := range caunoi.Roles {
			if !slices.ContainsFunc(sum.Logins, func(l demo.Login) bool { return l.Role == string(r) }) {
				t.Errorf("no login for role %s", r)
			}
		}
		if sum.Clients < 300 || sum.Contacts < 300 {
			t.Errorf("clients %d, contacts %d: want ≥ 300 each", sum.Clients, sum.Contacts)
		}
		got := counts(t, db)
		want := [4]int{sum.Orgs, len(sum.Logins), sum.Clients, sum.Contacts}
		if got != want {
			t.Errorf("stored orgs, users, clients, contacts = %v, summary says %v", got, want)
		}

		// Every account signs in with the demo password.
		for _, l := range sum.Logins {
			login(t, db, l.Username)
		}

		// A second Load changes nothing and reports the same accounts.
		again, err := demo.Load(ctx, db)
		if !errors.Is(err, demo.ErrAlreadyLoaded) {
			t.Fatalf("second Load: err = %v, want ErrAlreadyLoaded", err)
		}
		if after := counts(t, db); after != got {
			t.Errorf("after a second Load: %v, before: %v", after, got)
		}
		if !slices.Equal(again.Logins, sum.Logins) {
			t.Errorf("second Load logins = %v, want %v", again.Logins, sum.Logins)
		}
		if again.Orgs != sum.Orgs || again.Clients != sum.Clients || again.Contacts != sum.Contacts || again.Password != demo.Password {
			t.Errorf("second Load summary = %+v", again)
		}

		// The provincial officer of Quảng Ninh sees the clients of the
		// Quảng Ninh groups and no other.
		// Seed 003: the An Giang club network held 42 topic sessions with
		// 1,056 participants and 6 large events with more than 2,000.
		actx, _ := login(t, db, "angiang.canbo")
		for _, tc := range []struct {
			kind       string
			count, min int
		}{{"communication", 42, 1056}, {"campaign", 6, 2000}} {
			acts, n, err := sqldb.NewActivityService(db).FindActivities(actx, caunoi.ActivityFilter{Kind: tc.kind, Page: caunoi.Page{Limit: 500}})
			if err != nil {
				t.Fatal(err)
			}
			people := 0
			for _, a := range acts {
				people += a.Participants()
			}
			if n != tc.count || people < tc.min || (tc.kind == "communication" && people != tc.min) {
				t.Errorf("An Giang %s: %d activities with %d participants", tc.kind, n, people)
			}
		}

		qctx, qn := login(t, db, "quangninh.canbo")
		if len(qn.Grants) != 1 || qn.Grants[0].OrgName != "Chi cục PCTNXH Quảng Ninh" {
			t.Fatalf("quangninh.canbo grants = %+v", qn.Grants)
		}
		qnPath := qn.Grants[0].OrgPath
		clients, total, err := sqldb.NewClientService(db).FindClients(qctx, caunoi.ClientFilter{Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
		if err != nil {
			t.Fatalf("FindClients as quangninh.canbo: %v", err)
		}
		if total == 0 || total != len(clients) || total >= sum.Clients {
			t.Errorf("quangninh.canbo sees %d of %d clients (listed %d)", total, sum.Clients, len(clients))
		}
		other := 0
		for _, c := range clients {
			if !strings.HasPrefix(c.OrgPath, qnPath) || c.OrgPath == qnPath {
				t.Errorf("quangninh.canbo sees client %s of org path %s, outside %s", c.ID, c.OrgPath, qnPath)
			}
			if c.Residence == "other_province" {
				other++
			}
		}
		if 2*other < len(clients) {
			t.Errorf("Quảng Ninh: %d of %d clients from other provinces, want most (seed 002)", other, len(clients))
		}

		// The national officer sees no client-level data.
		nctx, _ := login(t, db, "cuc.canbo")
		if _, _, err := sqldb.NewClientService(db).FindClients(nctx, caunoi.ClientFilter{}); caunoi.ErrorCode(err) != caunoi.EFORBIDDEN {
			t.Errorf("national officer FindClients: err = %v, want forbidden", err)
		}

		// Contacts lie in the last twelve months and none in the future.
		sys := caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
		now := db.Now()
		anon := 0
		for off := 0; off < sum.Contacts; off += caunoi.MaxPageSize {
			ks, _, err := sqldb.NewContactService(db).FindContacts(sys, caunoi.ContactFilter{Page: caunoi.Page{Offset: off, Limit: caunoi.MaxPageSize}})
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range ks {
				if k.At.After(now) || k.At.Before(now.AddDate(-1, 0, -1)) {
					t.Errorf("contact %s at %v: outside the last twelve months before %v", k.ID, k.At, now)
				}
				if k.WorkerID == "" {
					t.Errorf("contact %s has no worker", k.ID)
				}
				if k.ClientID == "" {
					anon++
				}
			}
		}
		if anon == 0 || anon == sum.Contacts {
			t.Errorf("%d of %d contacts anonymous: want some, not all", anon, sum.Contacts)
		}
	})
}
