package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// Sign-in: a wrong pair says nothing about which part was wrong; disabling
// a user, a new password and "sign out everywhere" end their sessions.
func TestAuthenticate(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		pe := f.U(caunoi.RolePeerEducator, "hpg")

		a, epoch, err := f.Users.Authenticate(ctx, "  Peer_Educator.HPG ", testPassword)
		must(t, err)
		if a.UserID != pe.ID || epoch != 1 {
			t.Fatalf("Authenticate = %s epoch %d, want %s epoch 1", a.UserID, epoch, pe.ID)
		}
		if len(a.Grants) != 1 || a.Grants[0].OrgPath != f.O("hpg").Path || a.Grants[0].Role != caunoi.RolePeerEducator {
			t.Fatalf("actor grants %+v, want peer_educator at %s", a.Grants, f.O("hpg").Path)
		}
		u, err := f.Users.FindUserByID(caunoi.NewContextWithActor(ctx, a), pe.ID)
		must(t, err)
		if u.LastLoginAt == nil {
			t.Error("last login not recorded")
		}
		if es := f.auditEntries(caunoi.AuditFilter{Action: caunoi.ActionLogin, ActorID: pe.ID}); len(es) != 1 {
			t.Errorf("login audit entries = %d, want 1", len(es))
		}

		_, _, errPw := f.Users.Authenticate(ctx, pe.Username, testPassword+"x")
		_, _, errUser := f.Users.Authenticate(ctx, "khong.co.ai", testPassword)
		e1, e2 := wantCode(t, errPw, caunoi.EUNAUTHORIZED), wantCode(t, errUser, caunoi.EUNAUTHORIZED)
		if e1.Key != e2.Key {
			t.Errorf("wrong password says %q, unknown user %q: they must not differ", e1.Key, e2.Key)
		}

		// The session loads by user and epoch; a wrong epoch is refused.
		_, err = f.Users.ActorByUserID(ctx, pe.ID, 1)
		must(t, err)
		for _, bad := range []int{0, 2} {
			_, err = f.Users.ActorByUserID(ctx, pe.ID, bad)
			wantCode(t, err, caunoi.EUNAUTHORIZED)
		}
		_, err = f.Users.ActorByUserID(ctx, caunoi.NewID(), 1)
		wantCode(t, err, caunoi.EUNAUTHORIZED)

		// A new password (one's own, with the current one) ends the sessions.
		peCtx := f.ctxOf(pe)
		const newPassword = "một mật khẩu mới hơn"
		err = f.Users.SetPassword(peCtx, pe.ID, "sai mật khẩu cũ", newPassword)
		wantInvalid(t, err, "current")
		err = f.Users.SetPassword(peCtx, pe.ID, testPassword, "ngắn")
		wantInvalid(t, err, "password")
		must(t, f.Users.SetPassword(peCtx, pe.ID, testPassword, newPassword))
		_, err = f.Users.ActorByUserID(ctx, pe.ID, 1)
		wantCode(t, err, caunoi.EUNAUTHORIZED)
		_, _, err = f.Users.Authenticate(ctx, pe.Username, testPassword)
		wantCode(t, err, caunoi.EUNAUTHORIZED)
		a, epoch, err = f.Users.Authenticate(ctx, pe.Username, newPassword)
		must(t, err)
		if epoch != 2 {
			t.Fatalf("epoch after a new password = %d, want 2", epoch)
		}

		// Signing out everywhere ends the sessions.
		peCtx = caunoi.NewContextWithActor(ctx, a)
		must(t, f.Users.RevokeSessions(peCtx, pe.ID))
		_, err = f.Users.ActorByUserID(ctx, pe.ID, epoch)
		wantCode(t, err, caunoi.EUNAUTHORIZED)
		_, err = f.Users.ActorByUserID(ctx, pe.ID, epoch+1)
		must(t, err)

		// A peer educator cannot end another user's sessions.
		other := f.U(caunoi.RoleOutreachWorker, "hpg")
		err = f.Users.RevokeSessions(peCtx, other.ID)
		if caunoi.ErrorCode(err) != caunoi.EFORBIDDEN && caunoi.ErrorCode(err) != caunoi.ENOTFOUND {
			t.Errorf("peer educator revokes another's sessions: %v", err)
		}
		_, err = f.Users.ActorByUserID(ctx, other.ID, 1)
		must(t, err)

		// A disabled user cannot sign in, and their sessions end at once.
		officer := f.As(caunoi.RoleProvinceOfficer, "hp")
		cur, err := f.Users.FindUserByID(officer, pe.ID)
		must(t, err)
		dis, err := f.Users.UpdateUser(officer, pe.ID, caunoi.UserUpdate{Version: cur.Version, Disabled: ptr(true)})
		must(t, err)
		if !dis.Disabled {
			t.Fatal("user not disabled")
		}
		_, _, err = f.Users.Authenticate(ctx, pe.Username, newPassword)
		if e := wantCode(t, err, caunoi.EUNAUTHORIZED); e.Key != e1.Key {
			t.Errorf("a disabled user's sign-in says %q, a wrong password %q", e.Key, e1.Key)
		}
		for _, ep := range []int{epoch + 1, epoch + 2} {
			_, err = f.Users.ActorByUserID(ctx, pe.ID, ep)
			wantCode(t, err, caunoi.EUNAUTHORIZED)
		}
		// Nobody disables themselves.
		oCur, err := f.Users.FindUserByID(officer, f.U(caunoi.RoleProvinceOfficer, "hp").ID)
		must(t, err)
		_, err = f.Users.UpdateUser(officer, oCur.ID, caunoi.UserUpdate{Version: oCur.Version, Disabled: ptr(true)})
		wantInvalid(t, err, "disabled")
	})
}

// Who may give which role where.
func TestGrants(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		hp := f.As(caunoi.RoleProvinceOfficer, "hp")
		admin := f.As(caunoi.RoleAdmin, "nat")
		pe := f.U(caunoi.RolePeerEducator, "hpg")

		// A province officer grants neither admin nor national_officer. On
		// its own province admin is refused as forbidden; national_officer
		// fits only the national department, which lies outside the
		// officer's scope, so the organisation is refused.
		_, err := f.Users.AddGrant(hp, pe.ID, caunoi.Grant{Role: caunoi.RoleAdmin, OrgID: f.O("hp").ID})
		wantCode(t, err, caunoi.EFORBIDDEN)
		_, err = f.Users.AddGrant(hp, pe.ID, caunoi.Grant{Role: caunoi.RoleNationalOfficer, OrgID: f.O("nat").ID})
		wantInvalid(t, err, "org_id")
		_, err = f.Users.AddGrant(hp, pe.ID, caunoi.Grant{Role: caunoi.RoleNationalOfficer, OrgID: f.O("hp").ID})
		wantInvalid(t, err, "role")
		err = f.Users.CreateUser(hp, &caunoi.User{Username: "quan.tri.hp", DisplayName: "Quản trị",
			Grants: []caunoi.Grant{{Role: caunoi.RoleAdmin, OrgID: f.O("hp").ID}}}, testPassword)
		wantCode(t, err, caunoi.EFORBIDDEN)

		// Nor on another province.
		_, err = f.Users.AddGrant(hp, pe.ID, caunoi.Grant{Role: caunoi.RolePeerEducator, OrgID: f.O("qng").ID})
		wantInvalid(t, err, "org_id")
		err = f.Users.CreateUser(hp, &caunoi.User{Username: "dong.dang.qn", DisplayName: "Đồng đẳng",
			Grants: []caunoi.Grant{{Role: caunoi.RolePeerEducator, OrgID: f.O("qng").ID}}}, testPassword)
		wantInvalid(t, err, "org_id")

		// A role fits its kind of organisation only.
		_, err = f.Users.AddGrant(admin, pe.ID, caunoi.Grant{Role: caunoi.RoleProvinceOfficer, OrgID: f.O("hpg").ID})
		wantInvalid(t, err, "role")
		_, err = f.Users.AddGrant(admin, pe.ID, caunoi.Grant{Role: caunoi.RolePeerEducator, OrgID: f.O("hp").ID})
		wantInvalid(t, err, "role")
		_, err = f.Users.AddGrant(admin, pe.ID, caunoi.Grant{Role: "chairman", OrgID: f.O("hpg").ID})
		wantInvalid(t, err, "role")

		// No user is left without a role.
		_, err = f.Users.RemoveGrant(hp, pe.ID, caunoi.Grant{Role: caunoi.RolePeerEducator, OrgID: f.O("hpg").ID})
		wantCode(t, err, caunoi.ECONFLICT)

		// The admin gives admin; the officer gives roles in its province,
		// and taking one away ends the user's sessions.
		u, err := f.Users.AddGrant(hp, pe.ID, caunoi.Grant{Role: caunoi.RoleGroupLeader, OrgID: f.O("hpg").ID})
		must(t, err)
		if len(u.Grants) != 2 || u.Version != 2 {
			t.Fatalf("after a grant: %d grants, version %d", len(u.Grants), u.Version)
		}
		u, err = f.Users.RemoveGrant(hp, pe.ID, caunoi.Grant{Role: caunoi.RolePeerEducator, OrgID: f.O("hpg").ID})
		must(t, err)
		if len(u.Grants) != 1 || u.Grants[0].Role != caunoi.RoleGroupLeader {
			t.Fatalf("after removing a grant: %+v", u.Grants)
		}
		_, err = f.Users.ActorByUserID(t.Context(), pe.ID, 1)
		wantCode(t, err, caunoi.EUNAUTHORIZED)
		a, err := f.Users.ActorByUserID(t.Context(), pe.ID, 2)
		must(t, err)
		if !a.Can(caunoi.PermUserRead) || a.HasRole(caunoi.RolePeerEducator) {
			t.Errorf("the new session's grants are %+v", a.Grants)
		}
		_, err = f.Users.AddGrant(admin, f.U(caunoi.RoleProvinceOfficer, "hp").ID, caunoi.Grant{Role: caunoi.RoleAdmin, OrgID: f.O("hp").ID})
		must(t, err)

		// A province officer cannot manage a user of its province who also
		// holds a role above it.
		_, err = f.Users.AddGrant(admin, pe.ID, caunoi.Grant{Role: caunoi.RoleNationalOfficer, OrgID: f.O("nat").ID})
		must(t, err)
		cur, err := f.Users.FindUserByID(hp, pe.ID)
		must(t, err)
		_, err = f.Users.UpdateUser(hp, pe.ID, caunoi.UserUpdate{Version: cur.Version, Disabled: ptr(true)})
		wantCode(t, err, caunoi.EFORBIDDEN)
		wantCode(t, f.Users.SetPassword(hp, pe.ID, "", "mật khẩu do cán bộ đặt"), caunoi.EFORBIDDEN)
		wantCode(t, f.Users.RevokeSessions(hp, pe.ID), caunoi.EFORBIDDEN)
		_, err = f.Users.UpdateUser(admin, pe.ID, caunoi.UserUpdate{Version: cur.Version, DisplayName: ptr("Trưởng nhóm")})
		must(t, err)

		// Usernames are unique.
		err = f.Users.CreateUser(hp, &caunoi.User{Username: pe.Username, DisplayName: "Trùng",
			Grants: []caunoi.Grant{{Role: caunoi.RolePeerEducator, OrgID: f.O("hpg").ID}}}, testPassword)
		wantInvalid(t, err, "username")
		// Passwords are long enough.
		err = f.Users.CreateUser(hp, &caunoi.User{Username: "mat.khau.ngan", DisplayName: "Ngắn",
			Grants: []caunoi.Grant{{Role: caunoi.RolePeerEducator, OrgID: f.O("hpg").ID}}}, strings.Repeat("a", caunoi.MinPasswordLength-1))
		wantInvalid(t, err, "password")
	})
}

// API tokens: shown once, usable until revoked or expired.
func TestAPITokens(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		pe := f.U(caunoi.RolePeerEducator, "hpg")
		ctx := f.ctxOf(pe)
		bg := t.Context()

		secret, tok, err := f.Users.CreateToken(ctx, "điện thoại Android", time.Now().Add(30*24*time.Hour))
		must(t, err)
		if !strings.HasPrefix(secret, "cn_") || len(secret) < 40 || !strings.HasPrefix(secret, tok.Prefix) {
			t.Fatalf("secret %q (prefix %q)", secret, tok.Prefix)
		}
		a, err := f.Users.ActorByToken(bg, secret)
		must(t, err)
		if a.UserID != pe.ID || len(a.Grants) != 1 || a.Grants[0].OrgPath != f.O("hpg").Path {
			t.Fatalf("token actor %+v", a)
		}
		for _, bad := range []string{"", "cn_", secret + "x", "xx" + secret[2:], strings.ToUpper(secret)} {
			_, err = f.Users.ActorByToken(bg, bad)
			wantCode(t, err, caunoi.EUNAUTHORIZED)
		}
		toks, err := f.Users.FindTokens(ctx)
		must(t, err)
		if len(toks) != 1 || toks[0].ID != tok.ID || toks[0].LastUsedAt == nil {
			t.Errorf("tokens %+v, want the one, used", toks)
		}

		// Another user neither sees nor revokes it.
		other := f.As(caunoi.RoleOutreachWorker, "hpg")
		if toks, _ := f.Users.FindTokens(other); len(toks) != 0 {
			t.Errorf("another user sees %d tokens", len(toks))
		}
		wantCode(t, f.Users.RevokeToken(other, tok.ID), caunoi.ENOTFOUND)

		must(t, f.Users.RevokeToken(ctx, tok.ID))
		_, err = f.Users.ActorByToken(bg, secret)
		wantCode(t, err, caunoi.EUNAUTHORIZED)
		wantCode(t, f.Users.RevokeToken(ctx, tok.ID), caunoi.ENOTFOUND)

		// Expiry.
		short, _, err := f.Users.CreateToken(ctx, "một giờ", time.Now().Add(time.Hour))
		must(t, err)
		_, err = f.Users.ActorByToken(bg, short)
		must(t, err)
		db.Now = func() time.Time { return time.Now().Add(time.Hour + time.Minute) }
		_, err = f.Users.ActorByToken(bg, short)
		db.Now = time.Now
		wantCode(t, err, caunoi.EUNAUTHORIZED)

		for _, exp := range []time.Time{time.Now().Add(caunoi.MaxTokenLifetime + time.Hour), time.Now().Add(-time.Minute)} {
			_, _, err = f.Users.CreateToken(ctx, "sai hạn", exp)
			wantInvalid(t, err, "expires_at")
		}
		_, _, err = f.Users.CreateToken(ctx, " ", time.Now().Add(time.Hour))
		wantInvalid(t, err, "name")

		// Disabling the user ends its tokens.
		live, _, err := f.Users.CreateToken(ctx, "máy tính", time.Now().Add(24*time.Hour))
		must(t, err)
		_, err = f.Users.UpdateUser(f.sys, pe.ID, caunoi.UserUpdate{Version: 1, Disabled: ptr(true)})
		must(t, err)
		_, err = f.Users.ActorByToken(bg, live)
		wantCode(t, err, caunoi.EUNAUTHORIZED)
	})
}
