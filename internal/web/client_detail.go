package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"caunoi"
)

// dayLayout is how a day is shown and typed: dd/mm/yyyy.
const dayLayout = "02/01/2006"

// day formats a calendar day stored at midnight UTC.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(dayLayout)
}

// statusRow is a line of a client's status history, with its day written out.
type statusRow struct {
	caunoi.StatusChange
	On string
}

// consentRow is a consent with its days written out.
type consentRow struct {
	caunoi.Consent
	Given, Withdrawn string
}

// membershipRow is a membership with its days written out.
type membershipRow struct {
	caunoi.Membership
	Joined, Left string
}

// clientShowData is what a client's page shows.
type clientShowData struct {
	Client      *caunoi.Client
	Org         *caunoi.Organisation
	Contacts    []*caunoi.Contact
	History     []statusRow
	Consents    []consentRow
	Memberships []membershipRow
	Services    *clientServicesData

	// The forms, for those who hold client.write on the client's
	// organisation: the choices, today as a default, and new ids so that
	// a form sent twice is applied once.
	CanWrite     bool
	Statuses     []string
	Purposes     []string // those without a consent in force
	Roles        []string
	Groups       []*caunoi.Organisation
	Today        string
	ConsentID    string
	MembershipID string
}

// clientPage prepares a client's page. Reading the client writes the read
// to the audit trail: its identifying fields are shown here only.
func (s *Server) clientPage(r *http.Request, id string) (*page, error) {
	ctx := r.Context()
	c, err := s.Clients.FindClientByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &clientShowData{Client: c, Today: caunoi.Today().Format(dayLayout)}
	d.Org, _ = s.Orgs.FindOrgByID(ctx, c.OrgID)
	if d.Contacts, _, err = s.Contacts.FindContacts(ctx, caunoi.ContactFilter{ClientID: c.ID, Page: caunoi.Page{Limit: 20}}); err != nil {
		return nil, err
	}
	if d.Services, err = s.clientServices(ctx, c); err != nil {
		return nil, err
	}
	for i := len(c.StatusHistory) - 1; i >= 0; i-- { // newest first
		h := c.StatusHistory[i]
		d.History = append(d.History, statusRow{StatusChange: h, On: day(time.Time(h.ChangedOn))})
	}
	active := map[string]bool{}
	for _, k := range c.Consents {
		row := consentRow{Consent: k, Given: day(time.Time(k.GivenOn)), Withdrawn: day(derefTime(k.WithdrawnOn))}
		d.Consents = append(d.Consents, row)
		if k.Active() {
			active[k.Purpose] = true
		}
	}
	for _, m := range c.Memberships {
		d.Memberships = append(d.Memberships, membershipRow{Membership: m, Joined: day(time.Time(m.JoinedOn)), Left: day(derefTime(m.LeftOn))})
	}
	d.CanWrite = !c.Voided() && caunoi.ActorFromContext(ctx).CanAt(caunoi.PermClientWrite, c.OrgPath)
	if d.CanWrite {
		d.Statuses, d.Roles = caunoi.ClientStatuses, caunoi.MembershipRoles
		for _, p := range caunoi.ConsentPurposes {
			if !active[p] {
				d.Purposes = append(d.Purposes, p)
			}
		}
		if d.Groups, err = s.writableGroups(r, caunoi.PermClientWrite); err != nil {
			return nil, err
		}
		d.Groups = slices.DeleteFunc(d.Groups, func(o *caunoi.Organisation) bool { return o.Kind != caunoi.OrgGroup })
		d.ConsentID, d.MembershipID = caunoi.NewID(), caunoi.NewID()
	}
	return s.newPage(r, "page.client", d), nil
}

// clientPageError shows a client's page again with the error of one of
// its forms, or fails.
func (s *Server) clientPageError(w http.ResponseWriter, r *http.Request, id string, err error) {
	switch caunoi.ErrorCode(err) {
	case caunoi.EINVALID, caunoi.ECONFLICT:
		p, perr := s.clientPage(r, id)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "client", p, err)
	default:
		s.fail(w, r, err)
	}
}

// clientAction runs one of the forms of a client's page: do returns the
// client's id and the error. It goes back to the client's page with the
// flash, or shows the page again with the error.
func (s *Server) clientAction(w http.ResponseWriter, r *http.Request, flash string, do func(f url.Values) (string, error)) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := do(r.PostForm)
	if err != nil {
		if id == "" {
			s.fail(w, r, err)
			return
		}
		s.clientPageError(w, r, id, err)
		return
	}
	s.redirect(w, r, "/clients/"+id, flash)
}

// formDay reads a day typed as dd/mm/yyyy (or yyyy-mm-dd) from a form field.
func formDay(f url.Values, field string) (time.Time, error) {
	v := strings.TrimSpace(f.Get(field))
	if v == "" {
		return time.Time{}, caunoi.Invalid(caunoi.FieldError{Field: field, Key: "err.date.required"})
	}
	t, ok := caunoi.ParseDate(v)
	if !ok {
		return time.Time{}, caunoi.Invalid(caunoi.FieldError{Field: field, Key: "err.date.format"})
	}
	return t, nil
}

// clientStatus changes a client's status from a day, with a note.
func (s *Server) clientStatus(w http.ResponseWriter, r *http.Request) {
	s.clientAction(w, r, "msg.status_changed", func(f url.Values) (string, error) {
		id := r.PathValue("id")
		version, _ := strconv.Atoi(f.Get("version"))
		on, err := formDay(f, "changed_on")
		if err != nil {
			return id, err
		}
		_, err = s.Clients.ChangeStatus(r.Context(), id, version, caunoi.StatusChange{Status: f.Get("status"), ChangedOn: caunoi.Date(on), Note: f.Get("note")})
		return id, err
	})
}

// consentCreate records a client's consent to a purpose.
func (s *Server) consentCreate(w http.ResponseWriter, r *http.Request) {
	s.clientAction(w, r, "msg.consent_recorded", func(f url.Values) (string, error) {
		id := r.PathValue("id")
		on, err := formDay(f, "given_on")
		if err != nil {
			return id, err
		}
		return id, s.Clients.RecordConsent(r.Context(), &caunoi.Consent{ID: f.Get("id"), ClientID: id, Purpose: f.Get("purpose"), GivenOn: caunoi.Date(on)})
	})
}

// consentWithdraw records that a client withdrew a consent on a day.
func (s *Server) consentWithdraw(w http.ResponseWriter, r *http.Request) {
	s.clientAction(w, r, "msg.consent_withdrawn", func(f url.Values) (string, error) {
		id := f.Get("client_id")
		on, err := formDay(f, "withdrawn_on")
		if err != nil {
			return id, err
		}
		c, err := s.Clients.WithdrawConsent(r.Context(), r.PathValue("id"), on)
		if err != nil {
			return id, err
		}
		return c.ClientID, nil
	})
}

// membershipCreate makes a client a member of a group.
func (s *Server) membershipCreate(w http.ResponseWriter, r *http.Request) {
	s.clientAction(w, r, "msg.membership_added", func(f url.Values) (string, error) {
		id := r.PathValue("id")
		on, err := formDay(f, "joined_on")
		if err != nil {
			return id, err
		}
		return id, s.Clients.AddMembership(r.Context(), &caunoi.Membership{ID: f.Get("id"), ClientID: id, OrgID: f.Get("org_id"),
			Role: f.Get("role"), JoinedOn: caunoi.Date(on)})
	})
}

// membershipEnd records the day a member left a group.
func (s *Server) membershipEnd(w http.ResponseWriter, r *http.Request) {
	s.clientAction(w, r, "msg.membership_ended", func(f url.Values) (string, error) {
		id := f.Get("client_id")
		on, err := formDay(f, "left_on")
		if err != nil {
			return id, err
		}
		m, err := s.Clients.EndMembership(r.Context(), r.PathValue("id"), on)
		if err != nil {
			return id, err
		}
		return m.ClientID, nil
	})
}

// uicCheckData is what the UIC check shows.
type uicCheckData struct {
	UIC   string
	Match *caunoi.UICMatch
}

// uicCheck tells whether a UIC is already given: the clients in scope by
// name, the others only counted.
func (s *Server) uicCheck(w http.ResponseWriter, r *http.Request) {
	uic := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("uic")))
	d := &uicCheckData{UIC: uic}
	p := s.newPage(r, "page.uic", d)
	p.Form = r.URL.Query()
	if uic != "" {
		m, err := s.Clients.MatchUIC(r.Context(), uic)
		if err != nil {
			if caunoi.ErrorCode(err) != caunoi.EINVALID {
				s.fail(w, r, err)
				return
			}
			p.Error, p.Fields = p.L.Error(err)
			s.render(w, r, http.StatusUnprocessableEntity, "uic", p)
			return
		}
		d.Match = m
	}
	s.render(w, r, http.StatusOK, "uic", p)
}
