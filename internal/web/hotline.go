package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"caunoi"
	"caunoi/internal/i18n"
)

// The hotline pages: the duty view with the list of cases, the intake of
// a call, and a case's page. Hotline cases are the most sensitive records:
// storage lets only case.read holders of the case's organisation see them.

// caseRowView is a case as a list shows it, with the page's localizer for
// the partial template that draws it.
type caseRowView struct {
	L       *i18n.Localizer
	Case    *caunoi.HotlineCase
	Overdue bool
}

// caseRows prepares cases for a list; today is the day overdue is judged by.
func caseRows(l *i18n.Localizer, cases []*caunoi.HotlineCase, today time.Time) []caseRowView {
	out := make([]caseRowView, len(cases))
	for i, c := range cases {
		out[i] = caseRowView{L: l, Case: c, Overdue: c.FollowUpOverdue(today)}
	}
	return out
}

// caseListData is what the duty view and the list of cases show.
type caseListData struct {
	Duty     *caunoi.DutyView
	Overdue  []caseRowView
	DueToday []caseRowView
	Open     []caseRowView
	Cases    []caseRowView
	Pager    pager
	Orgs     []*caunoi.Organisation
	OrgNames map[string]string
	Statuses []string
	Risks    []string
	Issues   []string
	Today    time.Time
}

// caseFilter reads the filters of the list: status, risk, issue,
// organisation and period.
func caseFilter(q url.Values) (caunoi.CaseFilter, error) {
	f := caunoi.CaseFilter{
		OrgID:  q.Get("org"),
		Status: fwChoice(q.Get("status"), []string{caunoi.CaseOpen, caunoi.CaseClosed}),
		Risk:   fwChoice(q.Get("risk"), caunoi.RiskLevels),
		Issue:  fwChoice(q.Get("issue"), caunoi.CaseIssues),
	}
	var err error
	f.From, f.To, err = fwMoments(q)
	return f, err
}

// caseList shows the duty view: open cases by risk, the follow-ups overdue
// and due today, then every case of the filter.
func (s *Server) caseList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pg, n := pageOf(r)
	q := r.URL.Query()
	d := &caseListData{Statuses: []string{caunoi.CaseOpen, caunoi.CaseClosed}, Risks: caunoi.RiskLevels, Issues: caunoi.CaseIssues}
	p := s.newPage(r, "page.cases", d)
	p.Form = q
	orgs, err := s.fwOrgs(ctx, caunoi.PermCaseRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Orgs, d.OrgNames = orgs, fwOrgNames(orgs)
	f, ferr := caseFilter(q)
	if ferr != nil {
		p.Error, p.Fields = p.L.Error(ferr)
	}
	if d.Duty, err = s.Hotline.DutyView(ctx, f.OrgID); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Today = time.Time(d.Duty.Today)
	d.Overdue, d.DueToday, d.Open = caseRows(p.L, d.Duty.Overdue, d.Today), caseRows(p.L, d.Duty.DueToday, d.Today), caseRows(p.L, d.Duty.Open, d.Today)
	f.Page = pg
	cases, total, err := s.Hotline.FindCases(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Cases, d.Pager = caseRows(p.L, cases, d.Today), newPager(r, n, total)
	s.render(w, r, http.StatusOK, "cases", p)
}

// caseFormData is what the intake form needs. V holds the values shown.
type caseFormData struct {
	V           url.Values
	Orgs        []*caunoi.Organisation
	Query       string
	Clients     []*caunoi.Client // the search's results
	Client      *caunoi.Client   // the client chosen, if not among them
	Channels    []string
	CallerTypes []string
	Sexes       []string
	Populations []caunoi.Population
	Issues      []string
	Violators   []string
	GBVTypes    []string
	Contexts    []string
	Risks       []string
	Actions     []string
	Checked     map[string]bool // "field=value" of the boxes ticked
	Now         string          // yyyy-mm-dd, the latest day the date input offers
}

// casePicks are the multiple-choice fields of the intake and edit forms.
var casePicks = []string{"issues", "rights_violators", "violence_types", "violence_contexts", "actions"}

// caseChecked marks the boxes ticked in v.
func caseChecked(v url.Values) map[string]bool {
	m := map[string]bool{}
	for _, name := range casePicks {
		for _, x := range v[name] {
			m[name+"="+x] = true
		}
	}
	return m
}

// caseForm fills the intake form: the organisations where the actor takes
// calls and the clients found by ?q= in them.
func (s *Server) caseForm(r *http.Request, v url.Values, title string) (*page, *caseFormData, error) {
	ctx := r.Context()
	orgs, err := s.writableGroups(r, caunoi.PermCaseWrite)
	if err != nil {
		return nil, nil, err
	}
	if v.Get("org_id") == "" {
		v.Set("org_id", fwDefaultOrg(orgs))
	}
	d := &caseFormData{V: v, Orgs: orgs, Query: strings.TrimSpace(v.Get("q")), Channels: caunoi.CaseChannels, CallerTypes: caunoi.CallerTypes,
		Sexes: caunoi.Sexes, Populations: caunoi.Populations, Issues: caunoi.CaseIssues, Violators: caunoi.RightsViolators,
		GBVTypes: caunoi.GBVTypes, Contexts: caunoi.ViolenceContexts, Risks: caunoi.RiskLevels, Actions: caunoi.CaseActions,
		Checked: caseChecked(v), Now: time.Now().In(caunoi.Zone).Format(caunoi.DateLayout)}
	if err := s.caseClients(ctx, d, v.Get("client_id")); err != nil {
		return nil, nil, err
	}
	return s.newPage(r, title, d), d, nil
}

// caseClients finds the clients of the search, and the one chosen.
func (s *Server) caseClients(ctx context.Context, d *caseFormData, chosen string) error {
	if d.Query != "" {
		list, _, err := s.Clients.FindClients(ctx, caunoi.ClientFilter{Query: d.Query, Page: caunoi.Page{Limit: 20}})
		if err != nil {
			return err
		}
		d.Clients = list
	}
	if chosen != "" && !slices.ContainsFunc(d.Clients, func(c *caunoi.Client) bool { return c.ID == chosen }) {
		c, _, err := s.listedClient(ctx, chosen)
		if err != nil {
			return err
		}
		d.Client = c
	}
	return nil
}

// listedClientPages bounds the pages of clients listedClient looks through.
const listedClientPages = 4

// listedClient finds a client in the list of the actor's clients, as a
// list shows it (nickname, UIC), without reading the client's record,
// which would be an audited read of identifying fields the page does not
// show. It reports false when the client is not among the first pages.
func (s *Server) listedClient(ctx context.Context, id string) (*caunoi.Client, bool, error) {
	for i := range listedClientPages {
		list, total, err := s.Clients.FindClients(ctx, caunoi.ClientFilter{Page: caunoi.Page{Offset: i * caunoi.MaxPageSize, Limit: caunoi.MaxPageSize}})
		if err != nil {
			return nil, false, err
		}
		for _, c := range list {
			if c.ID == id {
				return c, true, nil
			}
		}
		if (i+1)*caunoi.MaxPageSize >= total {
			break
		}
	}
	return nil, false, nil
}

// caseNew shows the intake form. The search of a client comes back here
// with ?q= only: nothing typed about the call goes into an address.
func (s *Server) caseNew(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	v.Set("id", caunoi.NewID())
	now := time.Now().In(caunoi.Zone)
	v.Set("received_on", now.Format(dayLayout))
	v.Set("received_time", now.Format("15:04"))
	v.Set("channel", caunoi.CaseChannels[0])
	v.Set("caller_type", caunoi.CallerTypes[0])
	v.Set("risk", caunoi.RiskMedium)
	p, _, err := s.caseForm(r, v, "page.case_new")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "case_form", p)
}

// caseMoment reads the day and the time of a call, in Vietnam.
func caseMoment(f url.Values, fields *[]caunoi.FieldError) time.Time {
	d := fwDay(f, "received_on", fields)
	if time.Time(d).IsZero() {
		return time.Time{}
	}
	hm := strings.TrimSpace(f.Get("received_time"))
	if hm == "" {
		hm = "00:00"
	}
	t, err := time.Parse("15:04", hm)
	if err != nil {
		*fields = append(*fields, caunoi.FieldError{Field: "received_time", Key: "err.case.time"})
		return time.Time{}
	}
	day := time.Time(d)
	return time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, caunoi.Zone)
}

// optionalDay reads a day that may be left empty.
func optionalDay(f url.Values, name string, fields *[]caunoi.FieldError) *caunoi.Date {
	if strings.TrimSpace(f.Get(name)) == "" {
		return nil
	}
	d := fwDay(f, name, fields)
	if time.Time(d).IsZero() {
		return nil
	}
	return &d
}

// caseFromForm reads the intake form.
func caseFromForm(f url.Values) (*caunoi.HotlineCase, error) {
	var fields []caunoi.FieldError
	c := &caunoi.HotlineCase{
		ID: f.Get("id"), OrgID: f.Get("org_id"), Channel: f.Get("channel"), CallerType: f.Get("caller_type"),
		ClientID: strings.TrimSpace(f.Get("client_id")), AnonSex: f.Get("anon_sex"), AnonPopulation: caunoi.Population(f.Get("anon_population")),
		Issues: f["issues"], RightsViolators: f["rights_violators"], ViolenceTypes: f["violence_types"],
		ViolenceContexts: f["violence_contexts"], Risk: f.Get("risk"), Actions: f["actions"],
		Summary: f.Get("summary"), SafetyPlan: f.Get("safety_plan"),
	}
	c.ReceivedAt = caseMoment(f, &fields)
	if y := strings.TrimSpace(f.Get("anon_birth_year")); y != "" && c.ClientID == "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			fields = append(fields, caunoi.FieldError{Field: "anon_birth_year", Key: "err.client.birth_year", Args: map[string]any{"Max": time.Now().Year()}})
		}
		c.AnonBirthYear = n
	}
	c.NextFollowUpOn = optionalDay(f, "next_follow_up_on", &fields)
	return c, fwFieldErrors(fields)
}

// caseCreate records a call from the intake form. The form carries a
// UUIDv7 made when it was shown, so sending it twice records it once.
func (s *Server) caseCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := caseFromForm(r.PostForm)
	if err == nil {
		err = s.Hotline.CreateCase(r.Context(), c)
	}
	if err != nil {
		p, _, perr := s.caseForm(r, fwClone(r.PostForm), "page.case_new")
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "case_form", p, err)
		return
	}
	s.redirect(w, r, "/cases/"+c.ID, "msg.case_saved")
}

// caseTarget is a provider and a service it offers, one choice of the
// referral form.
type caseTarget struct {
	Value, Service string
}

// caseProviderChoice groups the services a provider offers.
type caseProviderChoice struct {
	Name    string
	Targets []caseTarget
}

// caseShowData is what a case's page shows.
type caseShowData struct {
	Case      *caunoi.HotlineCase
	Org       *caunoi.Organisation
	Client    *caunoi.Client
	Referrals []*caunoi.Referral
	Stays     []*caunoi.ShelterStay
	Today     time.Time
	Overdue   bool
	// The forms, for those who hold case.write on the case's organisation.
	CanWrite   bool
	CanVoid    bool
	CanRefer   bool
	Providers  []caseProviderChoice
	Channels   []string
	Risks      []string
	Outcomes   []string
	TodayText  string
	ReferralID string
}

// casePage prepares a case's page. Reading the case writes the read to the
// audit trail.
func (s *Server) casePage(r *http.Request, id string) (*page, error) {
	ctx := r.Context()
	c, err := s.Hotline.FindCaseByID(ctx, id)
	if err != nil {
		return nil, err
	}
	a := caunoi.ActorFromContext(ctx)
	today := caunoi.Today()
	d := &caseShowData{Case: c, Today: today, Overdue: c.FollowUpOverdue(today), TodayText: today.Format(dayLayout)}
	d.Org, _ = s.Orgs.FindOrgByID(ctx, c.OrgID)
	if c.ClientID != "" {
		if d.Client, _, err = s.listedClient(ctx, c.ClientID); err != nil {
			return nil, err
		}
	}
	for _, rid := range c.ReferralIDs {
		ref, err := s.Referrals.FindReferralByID(ctx, rid)
		if err != nil {
			return nil, err
		}
		d.Referrals = append(d.Referrals, ref)
	}
	if d.Stays, _, err = s.Shelters.FindStays(ctx, caunoi.StayFilter{CaseID: c.ID}); err != nil {
		return nil, err
	}
	d.CanVoid = !c.Voided() && a.CanAt(caunoi.PermCaseWrite, c.OrgPath)
	d.CanWrite = d.CanVoid && c.Open()
	if d.CanWrite {
		d.Channels, d.Risks, d.Outcomes = caunoi.FollowUpChannels, caunoi.RiskLevels, caunoi.CaseOutcomes
		d.CanRefer = c.ClientID != "" && a.CanAt(caunoi.PermServiceWrite, c.OrgPath) && a.Can(caunoi.PermProviderRead)
		if d.CanRefer {
			list, _, err := s.Providers.FindProviders(ctx, caunoi.ProviderFilter{OrgID: c.OrgID, Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
			if err != nil {
				return nil, err
			}
			for _, p := range list {
				ch := caseProviderChoice{Name: p.Name}
				for _, sv := range p.Services {
					ch.Targets = append(ch.Targets, caseTarget{Value: p.ID + "|" + sv, Service: sv})
				}
				d.Providers = append(d.Providers, ch)
			}
			d.ReferralID = caunoi.NewID()
		}
	}
	return s.newPage(r, "page.case", d), nil
}

// caseShow shows a case.
func (s *Server) caseShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.casePage(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "case", p)
}
