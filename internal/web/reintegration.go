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
)

// The reintegration pages: residents of rehabilitation centres preparing
// to return, their influence maps, the handover to a club, follow-ups and
// relapses.

// reintListData is what the list shows.
type reintListData struct {
	Items    []*caunoi.Reintegration
	Stats    *caunoi.ReintegrationStats
	Pager    pager
	Orgs     []*caunoi.Organisation
	OrgNames map[string]string
	Statuses []string
}

// reintList lists the reintegrations of the actor's scope, with the
// report's numbers for those who read reports.
func (s *Server) reintList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pg, n := pageOf(r)
	q := r.URL.Query()
	d := &reintListData{Statuses: caunoi.ReintegrationStatuses}
	p := s.newPage(r, "page.reintegrations", d)
	p.Form = q
	orgs, err := s.fwOrgs(ctx, caunoi.PermClientRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Orgs, d.OrgNames = orgs, fwOrgNames(orgs)
	f := caunoi.ReintegrationFilter{OrgID: q.Get("org"), Status: fwChoice(q.Get("status"), caunoi.ReintegrationStatuses), Page: pg}
	var total int
	if d.Items, total, err = s.Reintegrations.FindReintegrations(ctx, f); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Pager = newPager(r, n, total)
	if caunoi.ActorFromContext(ctx).Can(caunoi.PermReportRead) {
		if d.Stats, err = s.Reintegrations.ReintegrationStats(ctx, f.OrgID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "reintegrations", p)
}

// reintFormData is what the form of a new reintegration needs.
type reintFormData struct {
	Orgs    []*caunoi.Organisation
	Centres []*caunoi.Provider
	Query   string
	Clients []*caunoi.Client
	Chosen  *caunoi.Client
}

// reintForm fills the form: the organisations that prepare returns, the
// rehabilitation centres they share, and the clients of the search ?q=.
func (s *Server) reintForm(r *http.Request, v url.Values) (*page, error) {
	ctx := r.Context()
	orgs, err := s.writableGroups(r, caunoi.PermReintegrationWrite)
	if err != nil {
		return nil, err
	}
	if v.Get("org_id") == "" {
		v.Set("org_id", fwDefaultOrg(orgs))
	}
	d := &reintFormData{Orgs: orgs, Query: strings.TrimSpace(v.Get("q"))}
	if d.Centres, _, err = s.Providers.FindProviders(ctx, caunoi.ProviderFilter{Kind: caunoi.ProviderRehabCentre, Page: caunoi.Page{Limit: caunoi.MaxPageSize}}); err != nil {
		return nil, err
	}
	if d.Query != "" {
		if d.Clients, _, err = s.Clients.FindClients(ctx, caunoi.ClientFilter{Query: d.Query, Page: caunoi.Page{Limit: 20}}); err != nil {
			return nil, err
		}
	}
	if id := v.Get("client_id"); id != "" && !slices.ContainsFunc(d.Clients, func(c *caunoi.Client) bool { return c.ID == id }) {
		if d.Chosen, _, err = s.listedClient(ctx, id); err != nil {
			return nil, err
		}
	}
	p := s.newPage(r, "page.reintegration_new", d)
	p.Form = v
	return p, nil
}

// reintNew shows the form of a new reintegration.
func (s *Server) reintNew(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	v.Set("id", caunoi.NewID())
	p, err := s.reintForm(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "reintegration_form", p)
}

// reintCreate starts preparing a resident's return.
func (s *Server) reintCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var fields []caunoi.FieldError
	ri := &caunoi.Reintegration{ID: f.Get("id"), OrgID: f.Get("org_id"), ClientID: strings.TrimSpace(f.Get("client_id")),
		CentreID: f.Get("centre_id"), Notes: f.Get("notes")}
	ri.ExpectedOn = fwDay(f, "expected_on", &fields)
	err := fwFieldErrors(fields)
	if err == nil {
		err = s.Reintegrations.CreateReintegration(r.Context(), ri)
	}
	if err != nil {
		p, perr := s.reintForm(r, fwClone(f))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "reintegration_form", p, err)
		return
	}
	s.redirect(w, r, "/reintegration/"+ri.ID, "msg.saved")
}

// reintEvent is an event as the page lists it.
type reintEvent struct {
	caunoi.ReintegrationEvent
	On string
}

// reintShowData is what a reintegration's page shows.
type reintShowData struct {
	R        *caunoi.Reintegration
	Map      ecomap
	Org      *caunoi.Organisation
	Centre   string
	Club     string
	Events   []reintEvent
	CanWrite bool
	// The forms.
	Clubs     []*caunoi.Organisation
	Relations []string
	Wellbeing []string
	TodayText string
	PersonID  string
}

// reintPage prepares a reintegration's page: reading it, with its
// influence map, writes the read to the audit trail.
func (s *Server) reintPage(r *http.Request, id string) (*page, error) {
	ctx := r.Context()
	ri, err := s.Reintegrations.FindReintegrationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &reintShowData{R: ri, Map: newEcomap(ri.Nickname, ri.People), Relations: caunoi.Relations, Wellbeing: caunoi.FollowUpWellbeing,
		TodayText: caunoi.Today().Format(dayLayout), PersonID: caunoi.NewID()}
	d.Org, _ = s.Orgs.FindOrgByID(ctx, ri.OrgID)
	if p, err := s.Providers.FindProviderByID(ctx, ri.CentreID); err == nil {
		d.Centre = p.Name
	}
	if ri.ClubID != "" {
		if o, err := s.Orgs.FindOrgByID(ctx, ri.ClubID); err == nil {
			d.Club = o.Name
		}
	}
	for i := len(ri.Events) - 1; i >= 0; i-- {
		e := ri.Events[i]
		d.Events = append(d.Events, reintEvent{ReintegrationEvent: e, On: day(time.Time(e.On))})
	}
	d.CanWrite = !ri.Voided() && caunoi.ActorFromContext(ctx).CanAt(caunoi.PermReintegrationWrite, ri.OrgPath)
	if d.CanWrite && ri.Status == caunoi.ReintegrationPreparing {
		if d.Clubs, err = s.reintClubs(ctx, ri.OrgPath); err != nil {
			return nil, err
		}
	}
	return s.newPage(r, "page.reintegration", d), nil
}

// reintClubs lists the groups that may receive a returnee of the
// organisation at path: itself, those above it and those below it.
func (s *Server) reintClubs(ctx context.Context, path string) ([]*caunoi.Organisation, error) {
	orgs, err := s.fwOrgs(ctx, caunoi.PermOrgRead)
	if err != nil {
		return nil, err
	}
	var out []*caunoi.Organisation
	for _, o := range orgs {
		if o.Kind == caunoi.OrgGroup && !o.Voided() && (strings.HasPrefix(o.Path, path) || strings.HasPrefix(path, o.Path)) {
			out = append(out, o)
		}
	}
	return out, nil
}

// reintShow shows a reintegration.
func (s *Server) reintShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.reintPage(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "reintegration", p)
}

// reintAction runs one of the forms of a reintegration's page: do returns
// the reintegration's id and the error. The page shown again with the
// error reads the record first: one the actor does not see is ENOTFOUND.
func (s *Server) reintAction(w http.ResponseWriter, r *http.Request, flash string, do func(f url.Values) (string, error)) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := do(r.PostForm)
	if err != nil {
		switch caunoi.ErrorCode(err) {
		case caunoi.EINVALID, caunoi.ECONFLICT:
			if id == "" {
				s.fail(w, r, err)
				return
			}
			p, perr := s.reintPage(r, id)
			if perr != nil {
				s.fail(w, r, perr)
				return
			}
			s.formError(w, r, "reintegration", p, err)
		default:
			s.fail(w, r, err)
		}
		return
	}
	s.redirect(w, r, "/reintegration/"+id, flash)
}

// reintUpdate changes the expected day or the notes.
func (s *Server) reintUpdate(w http.ResponseWriter, r *http.Request) {
	s.reintAction(w, r, "msg.saved", func(f url.Values) (string, error) {
		id := r.PathValue("id")
		var fields []caunoi.FieldError
		u := caunoi.ReintegrationUpdate{Version: versionOf(f)}
		d := fwDay(f, "expected_on", &fields)
		u.ExpectedOn = &d
		notes := f.Get("notes")
		u.Notes = &notes
		if err := fwFieldErrors(fields); err != nil {
			return id, err
		}
		_, err := s.Reintegrations.UpdateReintegration(r.Context(), id, u)
		return id, err
	})
}

// reintAddPerson adds a person to the influence map.
func (s *Server) reintAddPerson(w http.ResponseWriter, r *http.Request) {
	s.reintAction(w, r, "msg.person_added", func(f url.Values) (string, error) {
		id := r.PathValue("id")
		strength, _ := strconv.Atoi(f.Get("strength"))
		p := &caunoi.InfluencePerson{ID: f.Get("person_id"), Name: f.Get("name"), Relation: f.Get("relation"), Influence: f.Get("influence"),
			Strength: strength, Contactable: f.Get("contactable") != "", Notes: f.Get("notes")}
		return id, s.Reintegrations.AddInfluencePerson(r.Context(), id, p)
	})
}

// influenceVoid takes a person off a map.
func (s *Server) influenceVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.Reintegrations.VoidInfluencePerson(r.Context(), r.PathValue("id"), versionOf(r.PostForm), r.PostForm.Get("reason"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/reintegration/"+p.ReintegrationID, "msg.voided")
}

// reintReturn records the handover to a club.
func (s *Server) reintReturn(w http.ResponseWriter, r *http.Request) {
	s.reintAction(w, r, "msg.returned", func(f url.Values) (string, error) {
		id := r.PathValue("id")
		var fields []caunoi.FieldError
		h := caunoi.ReturnHandover{Version: versionOf(f), ClubID: f.Get("club_id"), Note: f.Get("note")}
		h.ReturnedOn = fwDay(f, "returned_on", &fields)
		if err := fwFieldErrors(fields); err != nil {
			return id, err
		}
		_, err := s.Reintegrations.RecordReturn(r.Context(), id, h)
		return id, err
	})
}

// reintEventForm records a follow-up or a relapse.
func (s *Server) reintEventForm(kind, flash string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.reintAction(w, r, flash, func(f url.Values) (string, error) {
			id := r.PathValue("id")
			var fields []caunoi.FieldError
			e := caunoi.EventRecord{Version: versionOf(f), Wellbeing: f.Get("wellbeing"), Note: f.Get("note")}
			e.On = fwDay(f, "on", &fields)
			if err := fwFieldErrors(fields); err != nil {
				return id, err
			}
			_, err := s.Reintegrations.RecordEvent(r.Context(), id, kind, e)
			return id, err
		})
	}
}

// reintVoid voids a reintegration.
func (s *Server) reintVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.Reintegrations.VoidReintegration(r.Context(), r.PathValue("id"), versionOf(r.PostForm), r.PostForm.Get("reason")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/reintegration", "msg.voided")
}
