package web

import (
	"net/http"
	"net/url"
	"strconv"

	"caunoi"
)

// pageOf reads ?page= (from 1) into a page of the default size.
func pageOf(r *http.Request) (caunoi.Page, int) {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		n = 1
	}
	return caunoi.Page{Offset: (n - 1) * caunoi.DefaultPageSize, Limit: caunoi.DefaultPageSize}, n
}

// pager is the paging part of a list page.
type pager struct {
	Page, Pages, Total int
	Prev, Next         string
}

func newPager(r *http.Request, n, total int) pager {
	pages := (total + caunoi.DefaultPageSize - 1) / caunoi.DefaultPageSize
	p := pager{Page: n, Pages: max(pages, 1), Total: total}
	link := func(to int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(to))
		return r.URL.Path + "?" + q.Encode()
	}
	if n > 1 {
		p.Prev = link(n - 1)
	}
	if n < pages {
		p.Next = link(n + 1)
	}
	return p
}

// orgListData is what the organisation list shows.
type orgListData struct {
	Orgs  []*caunoi.Organisation
	Kinds []caunoi.OrgKind
	Pager pager
}

// orgList lists the organisations of the user's subtree.
func (s *Server) orgList(w http.ResponseWriter, r *http.Request) {
	pg, n := pageOf(r)
	q := r.URL.Query()
	orgs, total, err := s.Orgs.FindOrgs(r.Context(), caunoi.OrgFilter{Query: q.Get("q"), Kind: caunoi.OrgKind(q.Get("kind")), Page: pg})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "page.orgs", &orgListData{Orgs: orgs, Kinds: caunoi.OrgKinds, Pager: newPager(r, n, total)})
	p.Form = q
	s.render(w, r, http.StatusOK, "orgs", p)
}

// orgShowData is what an organisation's page shows.
type orgShowData struct {
	Org      *caunoi.Organisation
	Parent   *caunoi.Organisation
	Children []*caunoi.Organisation
	Unit     *caunoi.AdminUnit
	Users    []*caunoi.User
}

// orgShow shows one organisation with its children.
func (s *Server) orgShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o, err := s.Orgs.FindOrgByID(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &orgShowData{Org: o}
	if o.ParentID != "" {
		d.Parent, _ = s.Orgs.FindOrgByID(ctx, o.ParentID) // may lie outside the user's scope
	}
	if d.Children, _, err = s.Orgs.FindOrgs(ctx, caunoi.OrgFilter{ParentID: o.ID, Page: caunoi.Page{Limit: caunoi.MaxPageSize}}); err != nil {
		s.fail(w, r, err)
		return
	}
	if o.AdminUnitCode != "" {
		d.Unit, _ = s.Units.FindAdminUnitByCode(ctx, o.AdminUnitCode)
	}
	if a := caunoi.ActorFromContext(ctx); a.Can(caunoi.PermUserRead) {
		if d.Users, _, err = s.Users.FindUsers(ctx, caunoi.UserFilter{OrgID: o.ID, Page: caunoi.Page{Limit: caunoi.MaxPageSize}}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "org", s.newPage(r, "page.org", d))
}

// orgFormData is what the organisation form needs.
type orgFormData struct {
	Org       *caunoi.Organisation
	Parent    *caunoi.Organisation
	Kinds     []caunoi.OrgKind
	Groups    []caunoi.GroupKind
	Models    []caunoi.Model
	Provinces []*caunoi.AdminUnit
	Edit      bool
}

func (s *Server) orgForm(r *http.Request, o *caunoi.Organisation, parent *caunoi.Organisation, edit bool) (*page, error) {
	on := caunoi.Today()
	units, _, err := s.Units.FindAdminUnits(r.Context(), caunoi.AdminUnitFilter{Level: caunoi.LevelProvince, On: &on, Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
	if err != nil {
		return nil, err
	}
	title := "page.org_new"
	if edit {
		title = "page.org_edit"
	}
	return s.newPage(r, title, &orgFormData{Org: o, Parent: parent, Kinds: caunoi.OrgKinds, Groups: caunoi.GroupKinds, Models: caunoi.Models, Provinces: units, Edit: edit}), nil
}

// orgNew shows the form for a new organisation under ?parent=.
func (s *Server) orgNew(w http.ResponseWriter, r *http.Request) {
	parent, err := s.Orgs.FindOrgByID(r.Context(), r.URL.Query().Get("parent"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	o := &caunoi.Organisation{ID: caunoi.NewID(), ParentID: parent.ID, Kind: caunoi.OrgGroup}
	p, err := s.orgForm(r, o, parent, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "org_form", p)
}

// orgFromForm reads the fields of the organisation form.
func orgFromForm(f url.Values, o *caunoi.Organisation) error {
	o.Name = f.Get("name")
	o.AdminUnitCode = f.Get("admin_unit_code")
	if o.Kind == caunoi.OrgGroup {
		o.GroupKind = caunoi.GroupKind(f.Get("group_kind"))
		o.Models = nil
		for _, m := range f["models"] {
			o.Models = append(o.Models, caunoi.Model(m))
		}
	}
	o.Founded = nil
	if v := f.Get("founded"); v != "" {
		d, ok := caunoi.ParseDate(v)
		if !ok {
			return caunoi.Invalid(caunoi.FieldError{Field: "founded", Key: "err.date.format"})
		}
		o.Founded = &d
	}
	return nil
}

// orgCreate creates an organisation from the form.
func (s *Server) orgCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	o := &caunoi.Organisation{ID: f.Get("id"), ParentID: f.Get("parent_id"), Kind: caunoi.OrgKind(f.Get("kind"))}
	err := orgFromForm(f, o)
	if err == nil {
		err = s.Orgs.CreateOrg(r.Context(), o)
	}
	if err != nil {
		parent, perr := s.Orgs.FindOrgByID(r.Context(), o.ParentID)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		p, perr := s.orgForm(r, o, parent, false)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "org_form", p, err)
		return
	}
	s.redirect(w, r, "/orgs/"+o.ID, "msg.saved")
}

// orgEdit shows the form to change an organisation.
func (s *Server) orgEdit(w http.ResponseWriter, r *http.Request) {
	o, err := s.Orgs.FindOrgByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !caunoi.ActorFromContext(r.Context()).CanAt(caunoi.PermOrgWrite, o.Path) {
		s.fail(w, r, caunoi.Forbidden())
		return
	}
	p, err := s.orgForm(r, o, nil, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "org_form", p)
}

// orgUpdate saves the organisation form; a stale version is refused.
func (s *Server) orgUpdate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	o, err := s.Orgs.FindOrgByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	next := *o
	err = orgFromForm(r.PostForm, &next)
	if err == nil {
		_, err = s.Orgs.UpdateOrg(r.Context(), id, caunoi.OrgUpdate{Version: version, Name: &next.Name, GroupKind: &next.GroupKind,
			AdminUnitCode: &next.AdminUnitCode, Models: &next.Models, Founded: next.Founded})
	}
	if err != nil {
		p, perr := s.orgForm(r, &next, nil, true)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "org_form", p, err)
		return
	}
	s.redirect(w, r, "/orgs/"+id, "msg.saved")
}

// orgVoid voids an organisation with the reason given.
func (s *Server) orgVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	o, err := s.Orgs.VoidOrg(r.Context(), id, version, r.PostForm.Get("reason"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	to := "/orgs"
	if o.ParentID != "" {
		to = "/orgs/" + o.ParentID
	}
	s.redirect(w, r, to, "msg.voided")
}
