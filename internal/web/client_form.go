package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"caunoi"
)

// clientFormData is what the client form needs.
type clientFormData struct {
	Client      *caunoi.Client
	Org         *caunoi.Organisation   // when editing: the client's organisation
	Orgs        []*caunoi.Organisation // when creating: the groups where the actor holds client.write
	Populations []caunoi.Population
	Sexes       []string
	Residences  []string
	Edit        bool

	// The UIC maker: the names the formula asks for (mother_name,
	// father_name, own_name), the facts typed (kept only to correct a
	// mistake, never stored), how a code looks and how it is made.
	UICNames      []string
	UICFacts      caunoi.UICFacts
	UICFormula    string
	UICParts      []uicPart
	UICExampleKey string
	UICExample    string
	UICMade       bool

	// Match lists the other clients with the same UIC; nil without a UIC.
	Match *caunoi.UICMatch
	// Duplicate is set when creating a client whose UIC matches clients
	// in scope: saving needs the confirmation checkbox.
	Duplicate bool
}

// uicPart is one part of the UIC formula, explained: a catalogue key and
// the number of characters it takes.
type uicPart struct {
	Key string
	N   int
}

// uicParts explains a formula part by part.
func uicParts(f caunoi.UICFormula) []uicPart {
	s := f.String()
	var parts []uicPart
	for i := 0; i+1 < len(s); i += 2 {
		n := int(s[i+1] - '0')
		switch s[i] {
		case 'M':
			parts = append(parts, uicPart{"uic.part_m", n})
		case 'F':
			parts = append(parts, uicPart{"uic.part_f", n})
		case 'N':
			parts = append(parts, uicPart{"uic.part_n", n})
		case 'Y':
			if n == 2 {
				parts = append(parts, uicPart{"uic.part_y2", n})
			} else {
				parts = append(parts, uicPart{"uic.part_y4", n})
			}
		case 'S':
			parts = append(parts, uicPart{"uic.part_s", n})
		}
	}
	return parts
}

// writableGroups returns the groups on which the actor holds p, in tree
// order; when it holds p on no group, the other organisations where it does.
func (s *Server) writableGroups(r *http.Request, p caunoi.Permission) ([]*caunoi.Organisation, error) {
	a := caunoi.ActorFromContext(r.Context())
	all, _, err := s.Orgs.FindOrgs(r.Context(), caunoi.OrgFilter{Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
	if err != nil {
		return nil, err
	}
	var groups, others []*caunoi.Organisation
	for _, o := range all {
		if o.Voided() || !a.CanAt(p, o.Path) {
			continue
		}
		if o.Kind == caunoi.OrgGroup {
			groups = append(groups, o)
		} else {
			others = append(others, o)
		}
	}
	if len(groups) > 0 {
		return groups, nil
	}
	return others, nil
}

// clientForm prepares the client form for c: the organisations, the UIC
// maker and, when c has a UIC, the other clients with the same code.
func (s *Server) clientForm(r *http.Request, c *caunoi.Client, edit bool) (*page, *clientFormData, error) {
	ctx := r.Context()
	d := &clientFormData{Client: c, Populations: caunoi.Populations, Sexes: caunoi.Sexes, Residences: caunoi.Residences, Edit: edit,
		UICFormula: s.UIC.String(), UICParts: uicParts(s.UIC)}
	for _, n := range s.UIC.Needs() {
		if strings.HasSuffix(n, "_name") {
			d.UICNames = append(d.UICNames, n)
		}
	}
	d.UICExampleKey = "uic.example"
	if slices.Contains(d.UICNames, "own_name") {
		d.UICExampleKey = "uic.example_own"
	}
	d.UICExample, _ = s.UIC.Make(caunoi.UICFacts{MotherName: "Nguyễn Thị Hoa", FatherName: "Trần Văn Tuấn", OwnName: "Lê Thị Lan", BirthYear: 1998, Sex: "female"})
	if edit {
		if c.OrgID != "" {
			d.Org, _ = s.Orgs.FindOrgByID(ctx, c.OrgID) // only for its name
		}
	} else {
		orgs, err := s.writableGroups(r, caunoi.PermClientWrite)
		if err != nil {
			return nil, nil, err
		}
		d.Orgs = orgs
		if c.OrgID == "" && len(orgs) > 0 {
			c.OrgID = orgs[0].ID
		}
	}
	if c.UIC != "" {
		m, err := s.Clients.MatchUIC(ctx, c.UIC)
		if err != nil {
			return nil, nil, err
		}
		// The client itself is no duplicate (an edit, or a create sent twice).
		m.InScope = slices.DeleteFunc(m.InScope, func(o *caunoi.Client) bool { return o.ID == c.ID })
		d.Match = m
		d.Duplicate = !edit && len(m.InScope) > 0
	}
	title := "page.client_new"
	if edit {
		title = "page.client_edit"
	}
	return s.newPage(r, title, d), d, nil
}

// clientFromForm reads the client's fields from the form. A birth year
// that is not a number becomes -1, which Validate refuses with the other
// mistakes.
func clientFromForm(f url.Values, c *caunoi.Client) {
	c.Nickname = strings.TrimSpace(f.Get("nickname"))
	c.BirthYear = 0
	if v := strings.TrimSpace(f.Get("birth_year")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1
		}
		c.BirthYear = n
	}
	c.Sex = f.Get("sex")
	c.Populations = nil
	for _, p := range f["populations"] {
		c.Populations = append(c.Populations, caunoi.Population(p))
	}
	c.Residence = f.Get("residence")
	c.UIC = strings.ToUpper(strings.TrimSpace(f.Get("uic")))
	c.LegalName = strings.TrimSpace(f.Get("legal_name"))
	c.Phone = strings.TrimSpace(f.Get("phone"))
	c.IDNumber = strings.TrimSpace(f.Get("id_number"))
}

// uicFacts returns the facts of the UIC maker: the names typed in the
// form, the birth year and sex of the client.
func uicFacts(f url.Values, c *caunoi.Client) caunoi.UICFacts {
	return caunoi.UICFacts{MotherName: f.Get("mother_name"), FatherName: f.Get("father_name"), OwnName: f.Get("own_name"),
		BirthYear: c.BirthYear, Sex: c.Sex}
}

// hasUICNames reports whether any name of the UIC maker was typed.
func hasUICNames(f url.Values) bool {
	return strings.TrimSpace(f.Get("mother_name")+f.Get("father_name")+f.Get("own_name")) != ""
}

// makeUIC answers the form's "make UIC" button: it makes the code from
// the facts and shows the form again with it, or with what is missing.
// Nothing is stored, and the names are not shown again once the code is
// made.
func (s *Server) makeUIC(w http.ResponseWriter, r *http.Request, c *caunoi.Client, edit bool) {
	facts := uicFacts(r.PostForm, c)
	uic, err := s.UIC.Make(facts)
	if err == nil {
		c.UIC = uic
	}
	p, d, perr := s.clientForm(r, c, edit)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	if err != nil {
		d.UICFacts = facts
		s.formError(w, r, "client_form", p, err)
		return
	}
	d.UICMade = true
	d.Duplicate = false // a warning only when saving
	s.render(w, r, http.StatusOK, "client_form", p)
}

// autoUIC makes the UIC when the form is saved with names typed in the
// maker but no code: the worker need not press the maker's button first.
func (s *Server) autoUIC(f url.Values, c *caunoi.Client) error {
	if c.UIC != "" || !hasUICNames(f) {
		return nil
	}
	uic, err := s.UIC.Make(uicFacts(f, c))
	if err != nil {
		return err
	}
	c.UIC = uic
	return nil
}

// clientNew shows the form for a new client.
func (s *Server) clientNew(w http.ResponseWriter, r *http.Request) {
	c := &caunoi.Client{ID: caunoi.NewID(), Residence: "local"}
	p, _, err := s.clientForm(r, c, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "client_form", p)
}

// clientCreate registers a client from the form, or makes its UIC. A UIC
// already given to clients in scope needs the worker's confirmation. The
// form's id makes a repeated submission store one client.
func (s *Server) clientCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	c := &caunoi.Client{ID: f.Get("id"), OrgID: f.Get("org_id")}
	clientFromForm(f, c)
	if f.Get("action") == "make_uic" {
		s.makeUIC(w, r, c, false)
		return
	}
	uicErr := s.autoUIC(f, c)
	p, d, err := s.clientForm(r, c, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if uicErr != nil {
		d.UICFacts = uicFacts(f, c)
		s.formError(w, r, "client_form", p, uicErr)
		return
	}
	if d.Duplicate && f.Get("confirm_duplicate") == "" {
		p.Error = p.L.T("client.duplicate_warning")
		p.Form = f
		s.render(w, r, http.StatusConflict, "client_form", p)
		return
	}
	if err := s.Clients.CreateClient(r.Context(), c); err != nil {
		s.formError(w, r, "client_form", p, err)
		return
	}
	s.redirect(w, r, "/clients/"+c.ID, "msg.saved")
}

// clientEdit shows the form to change a client, with its identifying
// fields: the read is audited.
func (s *Server) clientEdit(w http.ResponseWriter, r *http.Request) {
	c, err := s.Clients.FindClientByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !caunoi.ActorFromContext(r.Context()).CanAt(caunoi.PermClientWrite, c.OrgPath) {
		s.fail(w, r, caunoi.Forbidden())
		return
	}
	if c.Voided() {
		s.fail(w, r, caunoi.Errorf(caunoi.ECONFLICT, "err.voided", nil))
		return
	}
	p, _, err := s.clientForm(r, c, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "client_form", p)
}

// clientUpdate saves the client form; a stale version is refused and the
// form shown again with the version the user saw, so that a second click
// does not overwrite the other change.
func (s *Server) clientUpdate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	id := r.PathValue("id")
	version, _ := strconv.Atoi(f.Get("version"))
	c := &caunoi.Client{ID: id, OrgID: f.Get("org_id"), Version: version}
	clientFromForm(f, c)
	if f.Get("action") == "make_uic" {
		s.makeUIC(w, r, c, true)
		return
	}
	err := s.autoUIC(f, c)
	if err == nil {
		_, err = s.Clients.UpdateClient(r.Context(), id, caunoi.ClientUpdate{Version: version, Nickname: &c.Nickname, BirthYear: &c.BirthYear,
			Sex: &c.Sex, Populations: &c.Populations, UIC: &c.UIC, Residence: &c.Residence,
			LegalName: &c.LegalName, Phone: &c.Phone, IDNumber: &c.IDNumber})
	}
	if err != nil {
		p, d, perr := s.clientForm(r, c, true)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		d.UICFacts = uicFacts(f, c)
		s.formError(w, r, "client_form", p, err)
		return
	}
	s.redirect(w, r, "/clients/"+id, "msg.saved")
}

// clientVoid voids a client registered by mistake, with the reason given.
func (s *Server) clientVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	if _, err := s.Clients.VoidClient(r.Context(), id, version, r.PostForm.Get("reason")); err != nil {
		s.clientPageError(w, r, id, err)
		return
	}
	s.redirect(w, r, "/clients", "msg.voided")
}
