package caunoi

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// User is a person who signs in. A user holds roles on organisations.
type User struct {
	ID          string     `json:"id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Lang        string     `json:"lang"`
	Disabled    bool       `json:"disabled"`
	Grants      []Grant    `json:"grants"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	LastLoginAt *time.Time `json:"last_login_at,omitempty"`
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,39}$`)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// Languages are the languages of the interface, the default first.
var Languages = []string{"vi", "en"}

// Validate checks the user's own fields.
func (u *User) Validate() error {
	var v Validator
	checkID(&u.ID, &v)
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	v.Check(usernameRE.MatchString(u.Username), "username", "err.user.username", nil)
	v.Check(u.DisplayName != "", "display_name", "err.field.required", nil)
	v.Check(len([]rune(u.DisplayName)) <= 100, "display_name", "err.field.too_long", map[string]any{"Max": 100})
	if u.Lang == "" {
		u.Lang = Languages[0]
	}
	v.Check(u.Lang == "vi" || u.Lang == "en", "lang", "err.user.lang", nil)
	for _, g := range u.Grants {
		v.Check(g.Role.Valid(), "role", "err.user.role", nil)
		v.Check(g.OrgID != "", "org_id", "err.field.required", nil)
	}
	return v.Err()
}

// ValidatePassword checks a new password.
func ValidatePassword(pw string) error {
	if len([]rune(pw)) < MinPasswordLength {
		return Invalid(FieldError{Field: "password", Key: "err.user.password_short", Args: map[string]any{"Min": MinPasswordLength}})
	}
	if len(pw) > 256 {
		return Invalid(FieldError{Field: "password", Key: "err.field.too_long", Args: map[string]any{"Max": 256}})
	}
	return nil
}

// UserFilter selects users.
type UserFilter struct {
	OrgID string // users holding a role on this organisation or below it
	Query string
	Page
}

// UserUpdate changes a user. Version must be the one the user saw.
type UserUpdate struct {
	Version     int     `json:"version"`
	DisplayName *string `json:"display_name,omitempty"`
	Lang        *string `json:"lang,omitempty"`
	Disabled    *bool   `json:"disabled,omitempty"`
}

// APIToken is a personal token for the JSON API. Only a hash of the secret
// is stored; the secret is shown once, when the token is made.
type APIToken struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// MaxTokenLifetime is the longest an API token may live.
const MaxTokenLifetime = 366 * 24 * time.Hour

// UserService manages users, their roles, sign-in and API tokens.
type UserService interface {
	// FindUserByID returns a user holding a role in the actor's user.read
	// scope, or the actor itself.
	FindUserByID(ctx context.Context, id string) (*User, error)
	// FindUsers lists users holding a role in the actor's user.read scope.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)
	// CreateUser creates a user with a password and at least one grant, each
	// on an organisation in the actor's user.write scope. Only an actor who
	// holds admin on the organisation may grant admin.
	CreateUser(ctx context.Context, u *User, password string) error
	// UpdateUser changes a user in the actor's user.write scope. Disabling a
	// user ends all of their sessions and tokens at once.
	UpdateUser(ctx context.Context, id string, upd UserUpdate) (*User, error)
	// AddGrant gives a user a role on an organisation in the actor's
	// user.write scope.
	AddGrant(ctx context.Context, userID string, g Grant) (*User, error)
	// RemoveGrant takes a role away; a user keeps at least one.
	RemoveGrant(ctx context.Context, userID string, g Grant) (*User, error)
	// SetPassword sets a user's password: one's own (with the current one)
	// or, with user.write, another's. It ends the user's other sessions.
	SetPassword(ctx context.Context, userID, current, password string) error
	// RevokeSessions ends every session of a user (user.write or oneself).
	RevokeSessions(ctx context.Context, userID string) error

	// Authenticate checks a username and password and returns the actor.
	// EUNAUTHORIZED for any wrong pair, without saying which part was wrong.
	Authenticate(ctx context.Context, username, password string) (*Actor, int, error)
	// ActorByUserID loads the actor of a session; epoch must match the
	// user's session epoch, else the session was revoked (EUNAUTHORIZED).
	ActorByUserID(ctx context.Context, userID string, epoch int) (*Actor, error)

	// CreateToken makes an API token for the actor and returns its secret,
	// which is never shown again.
	CreateToken(ctx context.Context, name string, expires time.Time) (string, *APIToken, error)
	// FindTokens lists the actor's own tokens.
	FindTokens(ctx context.Context) ([]*APIToken, error)
	// RevokeToken revokes one of the actor's own tokens.
	RevokeToken(ctx context.Context, id string) error
	// ActorByToken returns the actor of a valid, unexpired, unrevoked token.
	ActorByToken(ctx context.Context, secret string) (*Actor, error)
}
