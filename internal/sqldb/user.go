package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"caunoi"
	"caunoi/internal/secure"
)

// UserService implements caunoi.UserService.
type UserService struct{ db *DB }

// NewUserService returns the user service.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

var _ caunoi.UserService = (*UserService)(nil)

const userCols = `u.id, u.username, u.display_name, u.lang, u.disabled, u.version, u.created_at, u.updated_at, u.last_login_at`

type scanner interface{ Scan(...any) error }

func scanUser(sc scanner) (*caunoi.User, error) {
	var u caunoi.User
	var last sql.NullTime
	if err := sc.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Lang, &u.Disabled, &u.Version, &u.CreatedAt, &u.UpdatedAt, &last); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt, u.LastLoginAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC(), timePtr(last)
	return &u, nil
}

// grantsOf loads the grants of a user on organisations that are not voided.
func grantsOf(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, userID string) ([]caunoi.Grant, error) {
	rows, err := q.QueryContext(ctx, `SELECT g.role, g.org_id, o.path, o.name FROM grants g JOIN orgs o ON o.id = g.org_id
		WHERE g.user_id = $1 AND o.voided_at IS NULL ORDER BY o.path, g.role`, userID)
	if err != nil {
		return nil, fmt.Errorf("load grants: %w", err)
	}
	defer rows.Close()
	grants := []caunoi.Grant{}
	for rows.Next() {
		var g caunoi.Grant
		if err := rows.Scan(&g.Role, &g.OrgID, &g.OrgPath, &g.OrgName); err != nil {
			return nil, fmt.Errorf("scan grant: %w", err)
		}
		grants = append(grants, g)
	}
	return grants, rows.Err()
}

// userScope appends a predicate keeping users who hold a role on an
// organisation in the actor's scope for p (or who are the actor).
func userScope(q *query, a *caunoi.Actor, p caunoi.Permission) error {
	if a.System {
		q.add("1=1")
		return nil
	}
	q.add("(u.id = ", q.arg(a.UserID), " OR EXISTS (SELECT 1 FROM grants sg JOIN orgs so ON so.id = sg.org_id WHERE sg.user_id = u.id AND ")
	if err := q.scope(a, p, "so.path"); err != nil {
		if caunoi.ErrorCode(err) != caunoi.EFORBIDDEN {
			return err
		}
		q.add("1=0")
	}
	q.add("))")
	return nil
}

func (tx *Tx) findUser(ctx context.Context, id string, p caunoi.Permission) (*caunoi.User, error) {
	var q query
	q.add("SELECT ", userCols, " FROM users u WHERE u.id = ", q.arg(id), " AND ")
	if err := userScope(&q, tx.actor, p); err != nil {
		return nil, err
	}
	u, err := scanUser(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "user")
	}
	if u.Grants, err = grantsOf(ctx, tx, u.ID); err != nil {
		return nil, err
	}
	return u, nil
}

// FindUserByID returns a user in the actor's user.read scope, or the actor.
func (s *UserService) FindUserByID(ctx context.Context, id string) (*caunoi.User, error) {
	var u *caunoi.User
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		var err error
		u, err = tx.findUser(ctx, id, caunoi.PermUserRead)
		return err
	})
	return u, err
}

// FindUsers lists users in the actor's user.read scope by username.
func (s *UserService) FindUsers(ctx context.Context, f caunoi.UserFilter) ([]*caunoi.User, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermUserRead)
	if err != nil {
		return nil, 0, err
	}
	var users []*caunoi.User
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(" FROM users u WHERE ")
		if err := userScope(&w, a, caunoi.PermUserRead); err != nil {
			return err
		}
		if f.OrgID != "" {
			w.add(" AND EXISTS (SELECT 1 FROM grants fg JOIN orgs fo ON fo.id = fg.org_id JOIN orgs fp ON fp.id = ", w.arg(f.OrgID),
				" WHERE fg.user_id = u.id AND fo.path >= fp.path AND fo.path < ", pathEndSQL("fp.path"), ")")
		}
		if q := strings.TrimSpace(f.Query); q != "" {
			w.add(" AND (u.username LIKE ", w.arg(likeArg(strings.ToLower(q))), ` ESCAPE '\' OR LOWER(u.display_name) LIKE `, w.arg(likeArg(strings.ToLower(q))), ` ESCAPE '\')`)
		}
		items, n, err := listPage(ctx, tx, "users", userCols, w, "u.username", f.Page, scanUser)
		if err != nil {
			return err
		}
		users, total = items, n
		for _, u := range users {
			if u.Grants, err = grantsOf(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return users, total, err
}

// pathEndSQL is the SQL form of pathEnd for a path column.
func pathEndSQL(col string) string {
	return "SUBSTR(" + col + ", 1, LENGTH(" + col + ") - 1) || '0'"
}

// roleFitsOrg says on which kinds of organisation each role may be held.
var roleFitsOrg = map[caunoi.Role][]caunoi.OrgKind{
	caunoi.RoleOutreachWorker:  {caunoi.OrgGroup, caunoi.OrgNGO},
	caunoi.RolePeerEducator:    {caunoi.OrgGroup, caunoi.OrgNGO},
	caunoi.RoleGroupLeader:     {caunoi.OrgGroup, caunoi.OrgNGO},
	caunoi.RoleProvinceOfficer: {caunoi.OrgProvince},
	caunoi.RoleNationalOfficer: {caunoi.OrgNational},
	caunoi.RoleAdmin:           {caunoi.OrgNational, caunoi.OrgProvince, caunoi.OrgNGO},
}

// checkGrant checks that the actor may give the role on the organisation:
// the organisation is in its user.write scope, the role fits the kind of
// organisation, and admin and national_officer are granted by admins only.
func (tx *Tx) checkGrant(ctx context.Context, g *caunoi.Grant) error {
	if !g.Role.Valid() {
		return caunoi.Invalid(caunoi.FieldError{Field: "role", Key: "err.user.role"})
	}
	o, err := tx.findOrg(ctx, g.OrgID, caunoi.PermUserWrite)
	if err != nil {
		if caunoi.ErrorCode(err) == caunoi.ENOTFOUND {
			return caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.not_in_scope"})
		}
		return err
	}
	if o.Voided() {
		return caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.parent_voided"})
	}
	fits := false
	for _, k := range roleFitsOrg[g.Role] {
		fits = fits || k == o.Kind
	}
	if !fits {
		return caunoi.Invalid(caunoi.FieldError{Field: "role", Key: "err.user.role_org_kind"})
	}
	if (g.Role == caunoi.RoleAdmin || g.Role == caunoi.RoleNationalOfficer) && !tx.actor.System {
		isAdmin := false
		for _, ag := range tx.actor.Grants {
			isAdmin = isAdmin || (ag.Role == caunoi.RoleAdmin && strings.HasPrefix(o.Path, ag.OrgPath))
		}
		if !isAdmin {
			return caunoi.Forbidden()
		}
	}
	g.OrgPath, g.OrgName = o.Path, o.Name
	return nil
}

// CreateUser creates a user with a password and grants (see the interface).
func (s *UserService) CreateUser(ctx context.Context, u *caunoi.User, password string) error {
	if _, err := caunoi.Require(ctx, caunoi.PermUserWrite); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if len(u.Grants) == 0 {
		return caunoi.Invalid(caunoi.FieldError{Field: "role", Key: "err.user.grant_required"})
	}
	if err := caunoi.ValidatePassword(password); err != nil {
		return err
	}
	hash, err := secure.HashPassword(password)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if existing, err := tx.findUser(ctx, u.ID, caunoi.PermUserRead); err == nil {
			*u = *existing // a repeated create: applied once
			return nil
		}
		var taken int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE username = $1 OR id = $2", u.Username, u.ID).Scan(&taken); err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		if taken > 0 {
			return caunoi.Invalid(caunoi.FieldError{Field: "username", Key: "err.user.username_taken"})
		}
		for i := range u.Grants {
			if err := tx.checkGrant(ctx, &u.Grants[i]); err != nil {
				return err
			}
		}
		u.Version, u.CreatedAt, u.UpdatedAt = 1, tx.now, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, username, display_name, lang, password_hash, disabled, session_epoch, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, FALSE, 1, 1, $6, $7)`, u.ID, u.Username, u.DisplayName, u.Lang, hash, u.CreatedAt, u.UpdatedAt); err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		for _, g := range u.Grants {
			if _, err := tx.ExecContext(ctx, "INSERT INTO grants (user_id, role, org_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
				u.ID, g.Role, g.OrgID, tx.now); err != nil {
				return fmt.Errorf("insert grant: %w", err)
			}
		}
		return tx.audit(caunoi.ActionCreate, "user", u.ID, u.Grants[0].OrgPath, nil, u, "")
	})
}

// UpdateUser changes a user in the actor's user.write scope.
func (s *UserService) UpdateUser(ctx context.Context, id string, upd caunoi.UserUpdate) (*caunoi.User, error) {
	a, err := caunoi.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	self := a.UserID == id
	if !self && !a.Can(caunoi.PermUserWrite) {
		return nil, caunoi.Forbidden()
	}
	if self && upd.Disabled != nil {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: "disabled", Key: "err.user.disable_self"})
	}
	var out *caunoi.User
	err = s.db.inTx(ctx, true, func(tx *Tx) error {
		p := caunoi.PermUserWrite
		old, err := tx.findUser(ctx, id, p)
		if err != nil {
			return err
		}
		if !self && !tx.canManage(old) {
			return caunoi.Forbidden()
		}
		if old.Version != upd.Version {
			return caunoi.Stale()
		}
		next := *old
		if upd.DisplayName != nil {
			next.DisplayName = *upd.DisplayName
		}
		if upd.Lang != nil {
			next.Lang = *upd.Lang
		}
		if upd.Disabled != nil {
			next.Disabled = *upd.Disabled
		}
		if err := next.Validate(); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = old.Version+1, tx.now
		epochBump := 0
		if next.Disabled && !old.Disabled {
			epochBump = 1
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET display_name = $1, lang = $2, disabled = $3, version = $4, updated_at = $5,
			session_epoch = session_epoch + $6 WHERE id = $7 AND version = $8`,
			next.DisplayName, next.Lang, next.Disabled, next.Version, next.UpdatedAt, epochBump, id, old.Version)
		if err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return caunoi.Stale()
		}
		out = &next
		return tx.audit(caunoi.ActionUpdate, "user", id, firstPath(old), old, next, "")
	})
	return out, err
}

// canManage reports whether every grant of the user lies in the actor's
// user.write scope, so an officer cannot lock out someone above them.
func (tx *Tx) canManage(u *caunoi.User) bool {
	if tx.actor.System {
		return true
	}
	for _, g := range u.Grants {
		if !tx.actor.CanAt(caunoi.PermUserWrite, g.OrgPath) {
			return false
		}
		if g.Role == caunoi.RoleAdmin || g.Role == caunoi.RoleNationalOfficer {
			ok := false
			for _, ag := range tx.actor.Grants {
				ok = ok || (ag.Role == caunoi.RoleAdmin && strings.HasPrefix(g.OrgPath, ag.OrgPath))
			}
			if !ok {
				return false
			}
		}
	}
	return true
}

func firstPath(u *caunoi.User) string {
	if len(u.Grants) == 0 {
		return ""
	}
	return u.Grants[0].OrgPath
}

// AddGrant gives a user a role on an organisation.
func (s *UserService) AddGrant(ctx context.Context, userID string, g caunoi.Grant) (*caunoi.User, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermUserWrite); err != nil {
		return nil, err
	}
	var out *caunoi.User
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		u, err := tx.findUser(ctx, userID, caunoi.PermUserRead)
		if err != nil {
			return err
		}
		if err := tx.checkGrant(ctx, &g); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO grants (user_id, role, org_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
			userID, g.Role, g.OrgID, tx.now)
		if err != nil {
			return fmt.Errorf("add grant: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			if _, err := tx.ExecContext(ctx, "UPDATE users SET version = version + 1, updated_at = $1 WHERE id = $2", tx.now, userID); err != nil {
				return fmt.Errorf("add grant: %w", err)
			}
			if err := tx.audit(caunoi.ActionGrant, "user", userID, g.OrgPath, nil, g, ""); err != nil {
				return err
			}
		}
		out, err = tx.findUser(ctx, u.ID, caunoi.PermUserRead)
		return err
	})
	return out, err
}

// RemoveGrant takes a role away from a user; the last one stays.
func (s *UserService) RemoveGrant(ctx context.Context, userID string, g caunoi.Grant) (*caunoi.User, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermUserWrite); err != nil {
		return nil, err
	}
	var out *caunoi.User
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		u, err := tx.findUser(ctx, userID, caunoi.PermUserRead)
		if err != nil {
			return err
		}
		if err := tx.checkGrant(ctx, &g); err != nil {
			return err
		}
		if len(u.Grants) <= 1 {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.user.last_grant", nil)
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM grants WHERE user_id = $1 AND role = $2 AND org_id = $3", userID, g.Role, g.OrgID)
		if err != nil {
			return fmt.Errorf("remove grant: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return caunoi.NotFound("grant")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET version = version + 1, updated_at = $1, session_epoch = session_epoch + 1 WHERE id = $2", tx.now, userID); err != nil {
			return fmt.Errorf("remove grant: %w", err)
		}
		if err := tx.audit(caunoi.ActionRevoke, "user", userID, g.OrgPath, g, nil, ""); err != nil {
			return err
		}
		out, err = tx.findUser(ctx, u.ID, caunoi.PermUserRead)
		return err
	})
	return out, err
}

// SetPassword sets a password and ends the user's sessions.
func (s *UserService) SetPassword(ctx context.Context, userID, current, password string) error {
	a, err := caunoi.RequireActor(ctx)
	if err != nil {
		return err
	}
	if err := caunoi.ValidatePassword(password); err != nil {
		return err
	}
	hash, err := secure.HashPassword(password)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if a.UserID == userID {
			var old string
			if err := tx.QueryRowContext(ctx, "SELECT password_hash FROM users WHERE id = $1", userID).Scan(&old); err != nil {
				return notFound(err, "user")
			}
			if ok, _ := secure.CheckPassword(old, current); !ok {
				return caunoi.Invalid(caunoi.FieldError{Field: "current", Key: "err.user.current_password"})
			}
		} else {
			u, err := tx.findUser(ctx, userID, caunoi.PermUserWrite)
			if err != nil {
				return err
			}
			if !tx.canManage(u) {
				return caunoi.Forbidden()
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = $1, session_epoch = session_epoch + 1, updated_at = $2 WHERE id = $3",
			hash, tx.now, userID); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		return tx.audit(caunoi.ActionUpdate, "user", userID, "", nil, map[string]string{"password": "changed"}, "")
	})
}

// RevokeSessions ends every session of a user.
func (s *UserService) RevokeSessions(ctx context.Context, userID string) error {
	a, err := caunoi.RequireActor(ctx)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if a.UserID != userID {
			u, err := tx.findUser(ctx, userID, caunoi.PermUserWrite)
			if err != nil {
				return err
			}
			if !tx.canManage(u) {
				return caunoi.Forbidden()
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1", userID); err != nil {
			return fmt.Errorf("revoke sessions: %w", err)
		}
		return tx.audit(caunoi.ActionRevoke, "session", userID, "", nil, nil, "")
	})
}

// Authenticate checks a username and password.
func (s *UserService) Authenticate(ctx context.Context, username, password string) (*caunoi.Actor, int, error) {
	bad := caunoi.Errorf(caunoi.EUNAUTHORIZED, "err.login.failed", nil)
	username = strings.ToLower(strings.TrimSpace(username))
	var id, hash string
	var disabled bool
	var epoch int
	err := s.db.read.QueryRowContext(ctx, "SELECT id, password_hash, disabled, session_epoch FROM users WHERE username = $1", username).
		Scan(&id, &hash, &disabled, &epoch)
	if errors.Is(err, sql.ErrNoRows) {
		secure.CheckNoUser(password)
		return nil, 0, bad
	}
	if err != nil {
		return nil, 0, fmt.Errorf("authenticate: %w", err)
	}
	ok, err := secure.CheckPassword(hash, password)
	if err != nil {
		return nil, 0, fmt.Errorf("authenticate: %w", err)
	}
	if !ok || disabled {
		return nil, 0, bad
	}
	a, err := s.actor(ctx, id, epoch)
	if caunoi.ErrorCode(err) == caunoi.EUNAUTHORIZED {
		return nil, 0, bad // no live role left: say no more than for a wrong password
	}
	if err != nil {
		return nil, 0, err
	}
	err = s.db.inTx(caunoi.NewContextWithActor(ctx, a), true, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET last_login_at = $1 WHERE id = $2", tx.now, id); err != nil {
			return fmt.Errorf("authenticate: %w", err)
		}
		path := ""
		if len(a.Grants) > 0 {
			path = a.Grants[0].OrgPath
		}
		return tx.audit(caunoi.ActionLogin, "user", id, path, nil, nil, "")
	})
	return a, epoch, err
}

// actor loads the actor of a user whose session epoch is epoch.
func (s *UserService) actor(ctx context.Context, userID string, epoch int) (*caunoi.Actor, error) {
	gone := caunoi.Errorf(caunoi.EUNAUTHORIZED, "err.session.expired", nil)
	var a caunoi.Actor
	var disabled bool
	var current int
	err := s.db.read.QueryRowContext(ctx, "SELECT id, username, display_name, lang, disabled, session_epoch FROM users WHERE id = $1", userID).
		Scan(&a.UserID, &a.Username, &a.DisplayName, &a.Lang, &disabled, &current)
	if errors.Is(err, sql.ErrNoRows) || disabled || (epoch != 0 && epoch != current) {
		return nil, gone
	}
	if err != nil {
		return nil, fmt.Errorf("load actor: %w", err)
	}
	if a.Grants, err = grantsOf(ctx, s.db.read, userID); err != nil {
		return nil, err
	}
	if len(a.Grants) == 0 {
		return nil, gone
	}
	return &a, nil
}

// ActorByUserID loads the actor of a session.
func (s *UserService) ActorByUserID(ctx context.Context, userID string, epoch int) (*caunoi.Actor, error) {
	if epoch == 0 {
		return nil, caunoi.Errorf(caunoi.EUNAUTHORIZED, "err.session.expired", nil)
	}
	return s.actor(ctx, userID, epoch)
}

// tokenPrefix starts every API token so that a leaked one is recognisable.
const tokenPrefix = "cn_"

// CreateToken makes an API token for the actor.
func (s *UserService) CreateToken(ctx context.Context, name string, expires time.Time) (string, *caunoi.APIToken, error) {
	a, err := caunoi.Require(ctx, caunoi.PermTokenOwn)
	if err != nil {
		return "", nil, err
	}
	name = strings.TrimSpace(name)
	var v caunoi.Validator
	v.Check(name != "" && len([]rune(name)) <= 100, "name", "err.field.required_short", map[string]any{"Max": 100})
	now := s.db.Now()
	v.Check(expires.After(now) && expires.Before(now.Add(caunoi.MaxTokenLifetime)), "expires_at", "err.token.expiry", map[string]any{"Days": int(caunoi.MaxTokenLifetime.Hours() / 24)})
	if err := v.Err(); err != nil {
		return "", nil, err
	}
	secret := tokenPrefix + secure.RandomToken(32)
	t := &caunoi.APIToken{ID: caunoi.NewID(), UserID: a.UserID, Name: name, Prefix: secret[:10], ExpiresAt: expires.UTC().Truncate(time.Second)}
	err = s.db.inTx(ctx, true, func(tx *Tx) error {
		t.CreatedAt = tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (id, user_id, name, prefix, secret_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			t.ID, t.UserID, t.Name, t.Prefix, secure.HashToken(secret), t.CreatedAt, t.ExpiresAt); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return tx.audit(caunoi.ActionCreate, "api_token", t.ID, "", nil, t, "")
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

const tokenCols = "id, user_id, name, prefix, created_at, expires_at, last_used_at, revoked_at"

func scanToken(sc scanner) (*caunoi.APIToken, error) {
	var t caunoi.APIToken
	var used, revoked sql.NullTime
	if err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &t.ExpiresAt, &used, &revoked); err != nil {
		return nil, err
	}
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = t.CreatedAt.UTC(), t.ExpiresAt.UTC(), timePtr(used), timePtr(revoked)
	return &t, nil
}

// FindTokens lists the actor's own tokens, newest first.
func (s *UserService) FindTokens(ctx context.Context) ([]*caunoi.APIToken, error) {
	a, err := caunoi.Require(ctx, caunoi.PermTokenOwn)
	if err != nil {
		return nil, err
	}
	var out []*caunoi.APIToken
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+tokenCols+" FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC", a.UserID)
		if err != nil {
			return fmt.Errorf("find tokens: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanToken(rows)
			if err != nil {
				return fmt.Errorf("scan token: %w", err)
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

// RevokeToken revokes one of the actor's own tokens.
func (s *UserService) RevokeToken(ctx context.Context, id string) error {
	a, err := caunoi.Require(ctx, caunoi.PermTokenOwn)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL", tx.now, id, a.UserID)
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return caunoi.NotFound("api_token")
		}
		return tx.audit(caunoi.ActionRevoke, "api_token", id, "", nil, nil, "")
	})
}

// ActorByToken returns the actor of a valid token.
func (s *UserService) ActorByToken(ctx context.Context, secret string) (*caunoi.Actor, error) {
	bad := caunoi.Errorf(caunoi.EUNAUTHORIZED, "err.token.invalid", nil)
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 100 {
		return nil, bad
	}
	t, err := scanToken(s.db.read.QueryRowContext(ctx, "SELECT "+tokenCols+" FROM api_tokens WHERE secret_hash = $1", secure.HashToken(secret)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bad
	}
	if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	now := s.db.Now()
	if t.RevokedAt != nil || !now.Before(t.ExpiresAt) {
		return nil, bad
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if _, err := s.db.write.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", now.UTC(), t.ID); err != nil {
			return nil, fmt.Errorf("token: %w", err)
		}
	}
	a, err := s.actor(ctx, t.UserID, 0)
	if err != nil {
		return nil, bad
	}
	return a, nil
}
