package web

import (
	"net/http"
	"time"

	"caunoi"
)

// accountData is what the account page shows.
type accountData struct {
	User      *caunoi.User
	Tokens    []*caunoi.APIToken
	NewSecret string
	Now       time.Time
}

func (s *Server) accountPage(r *http.Request, secret string) (*page, error) {
	a := caunoi.ActorFromContext(r.Context())
	u, err := s.Users.FindUserByID(r.Context(), a.UserID)
	if err != nil {
		return nil, err
	}
	tokens, err := s.Users.FindTokens(r.Context())
	if err != nil {
		return nil, err
	}
	return s.newPage(r, "page.account", &accountData{User: u, Tokens: tokens, NewSecret: secret, Now: time.Now()}), nil
}

// account shows the user's own details, password form and API tokens.
func (s *Server) account(w http.ResponseWriter, r *http.Request) {
	p, err := s.accountPage(r, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "account", p)
}

// changePassword changes one's own password and keeps this session.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := caunoi.ActorFromContext(r.Context())
	var err error
	if r.PostForm.Get("password") != r.PostForm.Get("confirm") {
		err = caunoi.Invalid(caunoi.FieldError{Field: "confirm", Key: "err.user.password_mismatch"})
	} else {
		err = s.Users.SetPassword(r.Context(), a.UserID, r.PostForm.Get("current"), r.PostForm.Get("password"))
	}
	if err != nil {
		p, perr := s.accountPage(r, "")
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "account", p, err)
		return
	}
	// Other sessions ended with the new epoch; this one starts anew.
	ctx := r.Context()
	_, epoch, err := s.Users.Authenticate(ctx, a.Username, r.PostForm.Get("password"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Sessions.RenewToken(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	s.Sessions.Put(ctx, "epoch", epoch)
	s.redirect(w, r, "/account", "msg.password_changed")
}

// createToken makes an API token and shows its secret once.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	days := map[string]int{"30": 30, "90": 90, "365": 365}[r.PostForm.Get("days")]
	var err error
	var secret string
	if days == 0 {
		err = caunoi.Invalid(caunoi.FieldError{Field: "days", Key: "err.field.choice"})
	} else {
		secret, _, err = s.Users.CreateToken(r.Context(), r.PostForm.Get("name"), time.Now().AddDate(0, 0, days))
	}
	p, perr := s.accountPage(r, secret)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	if err != nil {
		s.formError(w, r, "account", p, err)
		return
	}
	p.Flash = p.L.T("msg.token_created")
	s.render(w, r, http.StatusOK, "account", p)
}

// revokeToken revokes one of the user's own tokens.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	if err := s.Users.RevokeToken(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/account", "msg.token_revoked")
}
