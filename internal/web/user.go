package web

import (
	"net/http"
	"strconv"

	"caunoi"
)

// userListData is what the user list shows.
type userListData struct {
	Users []*caunoi.User
	Pager pager
}

// userList lists users holding roles in the user's subtree.
func (s *Server) userList(w http.ResponseWriter, r *http.Request) {
	pg, n := pageOf(r)
	q := r.URL.Query()
	users, total, err := s.Users.FindUsers(r.Context(), caunoi.UserFilter{Query: q.Get("q"), OrgID: q.Get("org"), Page: pg})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "page.users", &userListData{Users: users, Pager: newPager(r, n, total)})
	p.Form = q
	s.render(w, r, http.StatusOK, "users", p)
}

// userFormData is what the user pages need: the organisations on which
// the actor may grant roles, and the roles.
type userFormData struct {
	User  *caunoi.User
	Orgs  []*caunoi.Organisation
	Roles []caunoi.Role
}

func (s *Server) userForm(r *http.Request, title string, u *caunoi.User) (*page, error) {
	a := caunoi.ActorFromContext(r.Context())
	var orgs []*caunoi.Organisation
	if a.Can(caunoi.PermUserWrite) {
		all, _, err := s.Orgs.FindOrgs(r.Context(), caunoi.OrgFilter{Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
		if err != nil {
			return nil, err
		}
		for _, o := range all {
			if a.CanAt(caunoi.PermUserWrite, o.Path) {
				orgs = append(orgs, o)
			}
		}
	}
	return s.newPage(r, title, &userFormData{User: u, Orgs: orgs, Roles: caunoi.Roles}), nil
}

// userNew shows the form for a new user.
func (s *Server) userNew(w http.ResponseWriter, r *http.Request) {
	p, err := s.userForm(r, "page.user_new", &caunoi.User{ID: caunoi.NewID(), Lang: "vi"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "user_new", p)
}

// userCreate creates a user with one role.
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	u := &caunoi.User{ID: f.Get("id"), Username: f.Get("username"), DisplayName: f.Get("display_name"), Lang: f.Get("lang"),
		Grants: []caunoi.Grant{{Role: caunoi.Role(f.Get("role")), OrgID: f.Get("org_id")}}}
	var err error
	if f.Get("password") != f.Get("confirm") {
		err = caunoi.Invalid(caunoi.FieldError{Field: "confirm", Key: "err.user.password_mismatch"})
	} else {
		err = s.Users.CreateUser(r.Context(), u, f.Get("password"))
	}
	if err != nil {
		p, perr := s.userForm(r, "page.user_new", u)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "user_new", p, err)
		return
	}
	s.redirect(w, r, "/users/"+u.ID, "msg.saved")
}

// userShow shows a user with their roles and the forms to manage them.
func (s *Server) userShow(w http.ResponseWriter, r *http.Request) {
	u, err := s.Users.FindUserByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.userForm(r, "page.user", u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "user", p)
}

// userAction runs a change on a user and shows the user again: with the
// error's message when it fails.
func (s *Server) userAction(w http.ResponseWriter, r *http.Request, do func(id string) error) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	if err := do(id); err != nil {
		u, ferr := s.Users.FindUserByID(r.Context(), id)
		if ferr != nil {
			s.fail(w, r, ferr)
			return
		}
		p, perr := s.userForm(r, "page.user", u)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "user", p, err)
		return
	}
	s.redirect(w, r, "/users/"+id, "msg.saved")
}

// userUpdate changes a user's name, language or whether they are disabled.
func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) {
	s.userAction(w, r, func(id string) error {
		f := r.PostForm
		version, _ := strconv.Atoi(f.Get("version"))
		name, lang, disabled := f.Get("display_name"), f.Get("lang"), f.Get("disabled") == "on"
		upd := caunoi.UserUpdate{Version: version, DisplayName: &name, Lang: &lang}
		if caunoi.ActorFromContext(r.Context()).UserID != id {
			upd.Disabled = &disabled
		}
		_, err := s.Users.UpdateUser(r.Context(), id, upd)
		return err
	})
}

// userGrant gives a user a role.
func (s *Server) userGrant(w http.ResponseWriter, r *http.Request) {
	s.userAction(w, r, func(id string) error {
		_, err := s.Users.AddGrant(r.Context(), id, caunoi.Grant{Role: caunoi.Role(r.PostForm.Get("role")), OrgID: r.PostForm.Get("org_id")})
		return err
	})
}

// userUngrant takes a role away.
func (s *Server) userUngrant(w http.ResponseWriter, r *http.Request) {
	s.userAction(w, r, func(id string) error {
		_, err := s.Users.RemoveGrant(r.Context(), id, caunoi.Grant{Role: caunoi.Role(r.PostForm.Get("role")), OrgID: r.PostForm.Get("org_id")})
		return err
	})
}

// userPassword sets another user's password.
func (s *Server) userPassword(w http.ResponseWriter, r *http.Request) {
	s.userAction(w, r, func(id string) error {
		if r.PostForm.Get("password") != r.PostForm.Get("confirm") {
			return caunoi.Invalid(caunoi.FieldError{Field: "confirm", Key: "err.user.password_mismatch"})
		}
		return s.Users.SetPassword(r.Context(), id, "", r.PostForm.Get("password"))
	})
}

// userRevokeSessions signs a user out everywhere.
func (s *Server) userRevokeSessions(w http.ResponseWriter, r *http.Request) {
	s.userAction(w, r, func(id string) error { return s.Users.RevokeSessions(r.Context(), id) })
}
