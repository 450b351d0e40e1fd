package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"caunoi"
)

// Pages of referrals: the lists (with the overdue ones), the form, a
// referral's page with its outcome forms, and the printable slip.

// referralListData is what the list of referrals shows.
type referralListData struct {
	Referrals []*caunoi.Referral
	Kinds     []string
	Statuses  []string
	Orgs      []*caunoi.Organisation
	OrgNames  map[string]string
	Total     int
	Overdue   int // open referrals past their due day, in the list's scope
	Today     time.Time
	Pager     pager
	// The export links, with the list's filter.
	ExportXLSX, ExportCSV string
}

// referralFilter reads the filters of the list and the export: service
// kind, status, organisation, client, period, overdue only (overdue=1)
// and the user's own referrals (mine=1).
func referralFilter(r *http.Request) (caunoi.ReferralFilter, error) {
	q := r.URL.Query()
	f := caunoi.ReferralFilter{ServiceKind: fwChoice(q.Get("kind"), caunoi.ServiceKinds), Status: fwChoice(q.Get("status"), caunoi.ReferralStatuses),
		OrgID: q.Get("org"), ClientID: q.Get("client"), ProviderID: q.Get("provider"), Overdue: q.Get("overdue") == "1"}
	if q.Get("mine") == "1" {
		f.ReferredBy = caunoi.ActorFromContext(r.Context()).UserID
	}
	var err error
	f.From, f.To, err = fwPeriod(q)
	return f, err
}

// referralList lists the referrals of the user's subtree: newest first,
// or the overdue ones, the longest overdue first.
func (s *Server) referralList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pg, n := pageOf(r)
	q := r.URL.Query()
	d := &referralListData{Kinds: caunoi.ServiceKinds, Statuses: caunoi.ReferralStatuses, Today: caunoi.Today()}
	d.ExportXLSX, d.ExportCSV = fwExportLinks("/referrals/export", q, "kind", "status", "org", "client", "provider", "from", "to", "overdue", "mine")
	title := "page.referrals"
	if q.Get("overdue") == "1" {
		title = "page.referrals_overdue"
	}
	p := s.newPage(r, title, d)
	p.Form = q
	orgs, err := s.fwOrgs(ctx, caunoi.PermClientRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Orgs, d.OrgNames = orgs, fwOrgNames(orgs)
	f, ferr := referralFilter(r)
	if ferr != nil {
		p.Error, p.Fields = p.L.Error(ferr)
	}
	f.Page = pg
	if d.Referrals, d.Total, err = s.Referrals.FindReferrals(ctx, f); err != nil {
		s.fail(w, r, err)
		return
	}
	// How many are overdue, whatever the list shows, for the link to them.
	of := caunoi.ReferralFilter{Overdue: true, OrgID: f.OrgID, ReferredBy: f.ReferredBy, Page: caunoi.Page{Limit: 1}}
	if _, d.Overdue, err = s.Referrals.FindReferrals(ctx, of); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Pager = newPager(r, n, d.Total)
	s.render(w, r, http.StatusOK, "referrals", p)
}

// referralFormData is what the referral form needs.
type referralFormData struct {
	V         url.Values
	Client    *caunoi.Client
	Kinds     []string
	Orgs      []*caunoi.Organisation
	Kind      string             // the service referred for, once chosen
	Providers []*caunoi.Provider // those offering it
}

// referralForm fills the referral form for the client of v's client_id
// (an audited read of the client), with the providers offering the
// chosen service.
func (s *Server) referralForm(r *http.Request, v url.Values) (*page, error) {
	ctx := r.Context()
	c, err := s.Clients.FindClientByID(ctx, v.Get("client_id"))
	if err != nil {
		return nil, err
	}
	d := &referralFormData{V: v, Client: c, Kinds: caunoi.ServiceKinds, Kind: fwChoice(v.Get("service_kind"), caunoi.ServiceKinds)}
	if d.Orgs, err = s.serviceOrgs(ctx, c); err != nil {
		return nil, err
	}
	if v.Get("org_id") == "" {
		v.Set("org_id", c.OrgID)
	}
	if d.Kind != "" {
		if d.Providers, err = s.offering(ctx, c, d.Kind); err != nil {
			return nil, err
		}
	}
	return s.newPage(r, "page.referral_new", d), nil
}

// referralNew shows the referral form: the service, then a provider
// offering it.
func (s *Server) referralNew(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	if v.Get("client_id") == "" {
		s.fail(w, r, caunoi.Invalid(caunoi.FieldError{Field: "client_id", Key: "err.service.from_client"}))
		return
	}
	if !caunoi.ValidID(v.Get("id")) {
		v.Set("id", caunoi.NewID())
	}
	if v.Get("referred_on") == "" {
		v.Set("referred_on", fwToday())
	}
	if v.Get("due_on") == "" {
		v.Set("due_on", caunoi.Today().AddDate(0, 0, caunoi.DefaultReferralDays).Format(dayLayout))
	}
	p, err := s.referralForm(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "referral_form", p)
}

// referralCreate refers a client from the form and shows the referral,
// whose slip can then be printed.
func (s *Server) referralCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var fields []caunoi.FieldError
	ref := &caunoi.Referral{ID: f.Get("id"), OrgID: f.Get("org_id"), ClientID: f.Get("client_id"), ProviderID: f.Get("provider_id"),
		ServiceKind: f.Get("service_kind"), Reason: f.Get("reason")}
	ref.ReferredOn = fwDay(f, "referred_on", &fields)
	if strings.TrimSpace(f.Get("due_on")) != "" {
		ref.DueOn = fwDay(f, "due_on", &fields)
	}
	err := fwFieldErrors(fields)
	if err == nil {
		err = s.Referrals.CreateReferral(r.Context(), ref)
	}
	if err != nil {
		p, perr := s.referralForm(r, fwClone(f))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "referral_form", p, err)
		return
	}
	s.redirect(w, r, "/referrals/"+ref.ID, "msg.referral_recorded")
}

// referralShowData is what a referral's page shows.
type referralShowData struct {
	Referral *caunoi.Referral
	OrgName  string
	Overdue  bool
	CanWrite bool
	// The states it may move to, and the fields of the service received.
	Next    []string
	Service *serviceFields
	Today   string
}

// referralShowPage makes a referral's page with the outcome forms' values.
func (s *Server) referralShowPage(r *http.Request, id string, v url.Values) (*page, error) {
	ctx := r.Context()
	ref, err := s.Referrals.FindReferralByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &referralShowData{Referral: ref, Overdue: ref.Overdue(caunoi.Today()), Today: fwToday(),
		CanWrite: !ref.Voided() && caunoi.ActorFromContext(ctx).CanAt(caunoi.PermServiceWrite, ref.OrgPath)}
	if o, err := s.Orgs.FindOrgByID(ctx, ref.OrgID); err == nil {
		d.OrgName = o.Name
	}
	for _, to := range caunoi.ReferralStatuses {
		if caunoi.CanTransition(ref.Status, to) {
			d.Next = append(d.Next, to)
		}
	}
	if v.Get("closed_on") == "" {
		v.Set("closed_on", d.Today)
	}
	if !caunoi.ValidID(v.Get("service_new_id")) {
		v.Set("service_new_id", caunoi.NewID())
	}
	d.Service = &serviceFields{L: s.localizer(r), Kind: ref.ServiceKind, Rule: caunoi.ServiceRules[ref.ServiceKind], V: v}
	return s.newPage(r, "page.referral", d), nil
}

// referralShow shows a referral.
func (s *Server) referralShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.referralShowPage(r, r.PathValue("id"), url.Values{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "referral", p)
}

// referralStatus moves a referral to the state posted: reached (with the
// service received, recorded in the same transaction), declined or lost.
func (s *Server) referralStatus(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	f := r.PostForm
	var fields []caunoi.FieldError
	version, _ := strconv.Atoi(f.Get("version"))
	t := caunoi.ReferralTransition{Version: version, Status: f.Get("status"), Outcome: f.Get("outcome")}
	t.ClosedOn = fwDay(f, "closed_on", &fields)
	if t.Status == caunoi.ReferralReached {
		sv := &caunoi.Service{ID: f.Get("service_new_id")}
		serviceFromForm(f, sv, &fields)
		sv.GivenOn = t.ClosedOn
		t.Service = sv
	}
	err := fwFieldErrors(fields)
	if err == nil {
		_, err = s.Referrals.TransitionReferral(r.Context(), id, t)
	}
	if err != nil {
		p, perr := s.referralShowPage(r, id, fwClone(f))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "referral", p, err)
		return
	}
	s.redirect(w, r, "/referrals/"+id, referralFlash[t.Status])
}

// referralFlash is the message shown after each move.
var referralFlash = map[string]string{caunoi.ReferralReached: "msg.referral_reached", caunoi.ReferralDeclined: "msg.referral_declined",
	caunoi.ReferralLost: "msg.referral_lost"}

// referralVoid voids a referral with the reason given.
func (s *Server) referralVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	if _, err := s.Referrals.VoidReferral(r.Context(), r.PathValue("id"), version, r.PostForm.Get("reason")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/referrals", "msg.voided")
}

// referralSlip shows the printable slip. Storage limits it to what the
// client consented to share and audits it as a read of the client.
func (s *Server) referralSlip(w http.ResponseWriter, r *http.Request) {
	slip, err := s.Referrals.ReferralSlip(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "referral_slip", s.newPage(r, "page.referral_slip", slip))
}
