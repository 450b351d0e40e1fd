package api

import (
	"net/http"

	"caunoi"
)

// ListUsers answers GET /api/v1/users?org_id=&q=&offset=&limit=: users
// holding a role on org_id or below it, whose username or display name
// contains q.
func (a *API) ListUsers(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	users, total, err := a.Users.FindUsers(r.Context(), caunoi.UserFilter{OrgID: q.Get("org_id"), Query: q.Get("q"), Page: p})
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(users, total, p))
}

// GetUser answers GET /api/v1/users/{id}.
func (a *API) GetUser(w http.ResponseWriter, r *http.Request) {
	u, err := a.Users.FindUserByID(r.Context(), r.PathValue("id"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, u)
}

// GrantRequest is a role on an organisation: an item of CreateUserRequest
// and the body of POST /api/v1/users/{id}/grants and
// POST /api/v1/users/{id}/grants/remove.
type GrantRequest struct {
	Role  caunoi.Role `json:"role"`
	OrgID string      `json:"org_id"`
}

func (g GrantRequest) grant() caunoi.Grant { return caunoi.Grant{Role: g.Role, OrgID: g.OrgID} }

// CreateUserRequest is the body of POST /api/v1/users. ID is optional: a
// client may send its own UUIDv7 so that a retry is applied once. The
// password is never answered, logged or audited.
type CreateUserRequest struct {
	ID          string         `json:"id,omitempty"`
	Username    string         `json:"username"`
	DisplayName string         `json:"display_name"`
	Lang        string         `json:"lang,omitempty"`
	Password    string         `json:"password"`
	Grants      []GrantRequest `json:"grants"`
}

// CreateUser answers POST /api/v1/users with 201 and the user.
func (a *API) CreateUser(w http.ResponseWriter, r *http.Request) {
	var req CreateUserRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	u := &caunoi.User{ID: req.ID, Username: req.Username, DisplayName: req.DisplayName, Lang: req.Lang}
	for _, g := range req.Grants {
		u.Grants = append(u.Grants, g.grant())
	}
	if err := a.Users.CreateUser(r.Context(), u, req.Password); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, u)
}

// UpdateUserRequest is the body of PATCH /api/v1/users/{id}: the version
// read, and the fields to change.
type UpdateUserRequest struct {
	Version     int     `json:"version"`
	DisplayName *string `json:"display_name,omitempty"`
	Lang        *string `json:"lang,omitempty"`
	Disabled    *bool   `json:"disabled,omitempty"`
}

// UpdateUser answers PATCH /api/v1/users/{id}; 409 on a stale version.
// Disabling a user ends all of their sessions and tokens.
func (a *API) UpdateUser(w http.ResponseWriter, r *http.Request) {
	var req UpdateUserRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	u, err := a.Users.UpdateUser(r.Context(), r.PathValue("id"), caunoi.UserUpdate{Version: req.Version, DisplayName: req.DisplayName,
		Lang: req.Lang, Disabled: req.Disabled})
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, u)
}

// AddGrant answers POST /api/v1/users/{id}/grants with {role, org_id} and
// the user with the role added.
func (a *API) AddGrant(w http.ResponseWriter, r *http.Request) {
	var req GrantRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	u, err := a.Users.AddGrant(r.Context(), r.PathValue("id"), req.grant())
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, u)
}

// RemoveGrant answers POST /api/v1/users/{id}/grants/remove with
// {role, org_id} and the user without the role; a user keeps at least one
// role (409).
func (a *API) RemoveGrant(w http.ResponseWriter, r *http.Request) {
	var req GrantRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	u, err := a.Users.RemoveGrant(r.Context(), r.PathValue("id"), req.grant())
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, u)
}
