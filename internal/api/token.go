package api

import (
	"net/http"
	"time"

	"caunoi"
)

// ListTokens answers GET /api/v1/tokens with the actor's own API tokens,
// newest first, all in one list. Secrets are never answered again.
func (a *API) ListTokens(w http.ResponseWriter, r *http.Request) {
	tokens, err := a.Users.FindTokens(r.Context())
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(tokens, len(tokens), caunoi.Page{Limit: len(tokens)}))
}

// CreateTokenRequest is the body of POST /api/v1/tokens. ExpiresAt is the
// last day (yyyy-mm-dd, Vietnam's time zone) on which the token works.
type CreateTokenRequest struct {
	Name      string `json:"name"`
	ExpiresAt string `json:"expires_at"`
}

// CreateTokenResponse is the answer of POST /api/v1/tokens. Secret is
// shown this once: only its hash is stored.
type CreateTokenResponse struct {
	Token  *caunoi.APIToken `json:"token"`
	Secret string           `json:"secret"`
}

// CreateToken answers POST /api/v1/tokens with 201, the token and its
// secret ("cn_…").
func (a *API) CreateToken(w http.ResponseWriter, r *http.Request) {
	var req CreateTokenRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	if req.ExpiresAt == "" {
		a.WriteError(w, r, caunoi.Invalid(caunoi.FieldError{Field: "expires_at", Key: "err.date.required"}))
		return
	}
	d, ok := caunoi.ParseDate(req.ExpiresAt)
	if !ok {
		a.WriteError(w, r, caunoi.Invalid(caunoi.FieldError{Field: "expires_at", Key: "err.date.format"}))
		return
	}
	// The token works through the whole of its last day.
	expires := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, caunoi.Zone)
	secret, t, err := a.Users.CreateToken(r.Context(), req.Name, expires)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, CreateTokenResponse{Token: t, Secret: secret})
}

// RevokeToken answers POST /api/v1/tokens/{id}/revoke with 204; the token
// stops working at once. 404 for a token that is not the actor's or is
// already revoked.
func (a *API) RevokeToken(w http.ResponseWriter, r *http.Request) {
	if err := a.Users.RevokeToken(r.Context(), r.PathValue("id")); err != nil {
		a.WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
