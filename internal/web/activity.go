package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"caunoi"
)

// activityListData is what the activity list shows.
type activityListData struct {
	Activities []*caunoi.Activity
	Kinds      []string
	Orgs       []*caunoi.Organisation
	OrgNames   map[string]string
	Total      int // activities matching the filter
	People     int // their participants, named and anonymous
	Pager      pager
	// The export links, with the list's filter.
	ExportXLSX, ExportCSV string
}

// activityFilter reads the filters of the list and the export: kind,
// organisation and period.
func activityFilter(q url.Values) (caunoi.ActivityFilter, error) {
	f := caunoi.ActivityFilter{Kind: fwChoice(q.Get("kind"), caunoi.ActivityKinds), OrgID: q.Get("org")}
	var err error
	f.From, f.To, err = fwPeriod(q)
	return f, err
}

// fwExportLinks returns the links that export a list as .xlsx and as CSV
// with the list's filters (the named parameters of q).
func fwExportLinks(path string, q url.Values, names ...string) (xlsxLink, csvLink string) {
	out := url.Values{}
	for _, n := range names {
		if v := strings.TrimSpace(q.Get(n)); v != "" {
			out.Set(n, v)
		}
	}
	out.Set("format", "xlsx")
	xlsxLink = path + "?" + out.Encode()
	out.Set("format", "csv")
	return xlsxLink, path + "?" + out.Encode()
}

// activityList lists the activities of the user's subtree, newest first,
// with the number of activities and participants over the whole filter.
func (s *Server) activityList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pg, n := pageOf(r)
	q := r.URL.Query()
	d := &activityListData{Kinds: caunoi.ActivityKinds}
	d.ExportXLSX, d.ExportCSV = fwExportLinks("/activities/export", q, "kind", "org", "from", "to")
	p := s.newPage(r, "page.activities", d)
	p.Form = q
	orgs, err := s.fwOrgs(ctx, caunoi.PermClientRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Orgs, d.OrgNames = orgs, fwOrgNames(orgs)
	f, ferr := activityFilter(q)
	if ferr != nil {
		// Show the list unfiltered by period, with what to fix.
		p.Error, p.Fields = p.L.Error(ferr)
	}
	f.Page = pg
	if d.Activities, d.Total, err = s.Acts.FindActivities(ctx, f); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.People, err = s.activityPeople(ctx, f, d.Total); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Pager = newPager(r, n, d.Total)
	s.render(w, r, http.StatusOK, "activities", p)
}

// activityPeople adds up the participants of every activity of the
// filter, a page of 500 at a time.
func (s *Server) activityPeople(ctx context.Context, f caunoi.ActivityFilter, total int) (int, error) {
	people := 0
	for off := 0; off < total; off += caunoi.MaxPageSize {
		f.Page = caunoi.Page{Offset: off, Limit: caunoi.MaxPageSize}
		list, _, err := s.Acts.FindActivities(ctx, f)
		if err != nil {
			return 0, err
		}
		for _, a := range list {
			people += a.Participants()
		}
		if len(list) < caunoi.MaxPageSize {
			break
		}
	}
	return people, nil
}

// activityFormData is what the activity form needs. V holds the values
// shown: the posted form, or the defaults.
type activityFormData struct {
	V        url.Values
	Kinds    []string
	Topics   []string
	Orgs     []*caunoi.Organisation
	Clients  []*caunoi.Client // of the chosen group, by nickname
	More     int              // clients of the group not shown
	Hidden   []string         // attendees chosen before, not in Clients
	Attended map[string]bool
	TopicSet map[string]bool
}

// maxAttendeeChoices bounds the clients the form lists at once; a search
// finds the others.
const maxAttendeeChoices = 200

// activityForm fills the form from values: the groups where the actor
// records field work, and the clients of the chosen one matching ?q=.
func (s *Server) activityForm(r *http.Request, v url.Values) (*page, error) {
	ctx := r.Context()
	orgs, err := s.fwOrgs(ctx, caunoi.PermContactWrite)
	if err != nil {
		return nil, err
	}
	if v.Get("org_id") == "" {
		v.Set("org_id", fwDefaultOrg(orgs))
	}
	d := &activityFormData{V: v, Kinds: caunoi.ActivityKinds, Topics: caunoi.Topics, Orgs: orgs,
		Attended: fwSet(v["attendees"]), TopicSet: fwSet(v["topics"])}
	if org := v.Get("org_id"); org != "" && fwNameOf(orgs, org) != "" {
		clients, total, err := s.Clients.FindClients(ctx, caunoi.ClientFilter{OrgID: org, Query: strings.TrimSpace(v.Get("q")),
			Page: caunoi.Page{Limit: maxAttendeeChoices}})
		if err != nil {
			return nil, err
		}
		d.Clients, d.More = clients, total-len(clients)
	}
	shown := map[string]bool{}
	for _, c := range d.Clients {
		shown[c.ID] = true
	}
	for _, id := range v["attendees"] {
		if !shown[id] && caunoi.ValidID(id) {
			d.Hidden = append(d.Hidden, id)
		}
	}
	return s.newPage(r, "page.activity_new", d), nil
}

// fwNameOf returns the name of the organisation with the id in orgs, or "".
func fwNameOf(orgs []*caunoi.Organisation, id string) string {
	for _, o := range orgs {
		if o.ID == id {
			return o.Name
		}
	}
	return ""
}

// activityNew shows the form for a new activity. The client search of the
// form comes back here with everything typed so far in the query.
func (s *Server) activityNew(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	if !caunoi.ValidID(v.Get("id")) {
		v.Set("id", caunoi.NewID())
	}
	if v.Get("held_on") == "" {
		v.Set("held_on", fwToday())
	}
	if v.Get("kind") == "" {
		v.Set("kind", caunoi.ActivityKinds[0])
	}
	p, err := s.activityForm(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "activity_form", p)
}

// activityFromForm reads the activity form.
func activityFromForm(f url.Values) (*caunoi.Activity, error) {
	var fields []caunoi.FieldError
	a := &caunoi.Activity{
		ID: f.Get("id"), OrgID: f.Get("org_id"), Kind: f.Get("kind"), Title: f.Get("title"),
		Topics: f["topics"], Place: f.Get("place"), Notes: strings.TrimSpace(f.Get("notes")),
	}
	a.HeldOn = fwDay(f, "held_on", &fields)
	a.AnonFemale = fwQuantity(f, "anon_female", "anon_female", &fields)
	a.AnonMale = fwQuantity(f, "anon_male", "anon_male", &fields)
	a.AnonOther = fwQuantity(f, "anon_other", "anon_other", &fields)
	for _, id := range f["attendees"] {
		if id = strings.TrimSpace(id); id != "" {
			a.Attendees = append(a.Attendees, id)
		}
	}
	return a, fwFieldErrors(fields)
}

// activityCreate records an activity from the form. The form carries a
// UUIDv7 made when it was shown, so sending it twice records it once.
func (s *Server) activityCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := activityFromForm(r.PostForm)
	if err == nil {
		err = s.Acts.CreateActivity(r.Context(), a)
	}
	if err != nil {
		p, perr := s.activityForm(r, fwClone(r.PostForm))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "activity_form", p, err)
		return
	}
	s.redirect(w, r, "/activities/"+a.ID, "msg.saved")
}

// fwClone copies form values, so that a page may change its copy.
func fwClone(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// activityAttendee is a named attendee as the activity page shows them.
type activityAttendee struct {
	ID, Nickname, UIC string
}

// activityShowData is what an activity's page shows.
type activityShowData struct {
	Activity  *caunoi.Activity
	Org       *caunoi.Organisation
	Attendees []activityAttendee
	Others    int // named attendees of other groups, not listed
	CanWrite  bool
}

// activityShow shows an activity with its attendees. Their nicknames come
// from the list of the group's clients, not from each client's record:
// reading a client's record is audited, and this page reads none.
func (s *Server) activityShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := s.Acts.FindActivityByID(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &activityShowData{Activity: a, CanWrite: fwWrite(ctx, a.OrgPath)}
	d.Org, _ = s.Orgs.FindOrgByID(ctx, a.OrgID)
	if d.Attendees, d.Others, err = s.activityAttendees(ctx, a); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "activity", s.newPage(r, "page.activity", d))
}

// activityAttendees finds the nicknames of an activity's named attendees among
// the clients of its organisation, a page at a time until all are found;
// it returns them by nickname and how many were not found there.
func (s *Server) activityAttendees(ctx context.Context, a *caunoi.Activity) ([]activityAttendee, int, error) {
	want := fwSet(a.Attendees)
	var out []activityAttendee
	for off := 0; len(out) < len(want); off += caunoi.MaxPageSize {
		list, total, err := s.Clients.FindClients(ctx, caunoi.ClientFilter{OrgID: a.OrgID, Page: caunoi.Page{Offset: off, Limit: caunoi.MaxPageSize}})
		if err != nil {
			return nil, 0, err
		}
		for _, c := range list {
			if want[c.ID] {
				out = append(out, activityAttendee{ID: c.ID, Nickname: c.Nickname, UIC: c.UIC})
			}
		}
		if len(list) == 0 || off+len(list) >= total {
			break
		}
	}
	return out, len(want) - len(out), nil
}

// activityVoid voids an activity with the reason given.
func (s *Server) activityVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	if _, err := s.Acts.VoidActivity(r.Context(), r.PathValue("id"), version, r.PostForm.Get("reason")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/activities", "msg.voided")
}
