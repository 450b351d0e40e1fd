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

// The shelter pages: the shelters of the directory with their beds free
// now, and a shelter's page with its beds, occupancy over time, the stays
// the reader may see, and the forms to admit, discharge and keep beds.

// shelterListData is what the list of shelters shows.
type shelterListData struct {
	Shelters []*caunoi.Shelter
	Pager    pager
	CaseID   string // a case to admit from, carried to the shelter's page
}

// shelterList lists the shelters the actor sees.
func (s *Server) shelterList(w http.ResponseWriter, r *http.Request) {
	pg, n := pageOf(r)
	d := &shelterListData{CaseID: fwIDParam(r.URL.Query().Get("case_id"))}
	list, total, err := s.Shelters.FindShelters(r.Context(), caunoi.ShelterFilter{Page: pg})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Shelters, d.Pager = list, newPager(r, n, total)
	s.render(w, r, http.StatusOK, "shelters", s.newPage(r, "page.shelters", d))
}

// fwIDParam keeps a UUID given in a query, or "".
func fwIDParam(s string) string {
	if caunoi.ValidID(s) {
		return s
	}
	return ""
}

// shelterStayRow is a stay as a shelter's page lists it.
type shelterStayRow struct {
	*caunoi.ShelterStay
	Client     string // the client's nickname, if listed
	Nights     int
	Overstayed bool
}

// shelterShowData is what a shelter's page shows.
type shelterShowData struct {
	Shelter *caunoi.Shelter
	Chart   occupancyChart
	Days    int
	Planned int // the days a stay is planned for by default
	// The stays, for case.read holders.
	CanRead bool
	Open    []shelterStayRow
	Past    []shelterStayRow
	// The forms.
	CanKeep    bool // add and retire beds
	CanAdmit   bool
	AdmitOrgs  []*caunoi.Organisation
	FreeBeds   []caunoi.ShelterBed
	Query      string
	Clients    []*caunoi.Client
	Case       *caunoi.HotlineCase
	Reasons    []string
	Discharges []string
	TodayText  string
	StayID     string
	BedID      string
}

// shelterChartDays are the periods the occupancy chart offers.
var shelterChartDays = []int{30, 90, 365}

// shelterPage prepares a shelter's page with the values v of its forms.
func (s *Server) shelterPage(r *http.Request, id string, v url.Values) (*page, error) {
	ctx := r.Context()
	a := caunoi.ActorFromContext(ctx)
	sh, err := s.Shelters.FindShelterByID(ctx, id)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	d := &shelterShowData{Shelter: sh, Days: 30, Planned: caunoi.DefaultShelterStayDays, Reasons: caunoi.AdmissionReasons, Discharges: caunoi.DischargeReasons,
		TodayText: caunoi.Today().Format(dayLayout), StayID: caunoi.NewID(), BedID: caunoi.NewID()}
	if n, err := strconv.Atoi(q.Get("days")); err == nil && slices.Contains(shelterChartDays, n) {
		d.Days = n
	}
	today := caunoi.Today()
	days, err := s.Shelters.Occupancy(ctx, id, today.AddDate(0, 0, 1-d.Days), today)
	if err != nil {
		return nil, err
	}
	d.Chart = newOccupancyChart(days)
	d.CanKeep = a.CanAt(caunoi.PermShelterWrite, sh.Provider.OrgPath)
	d.CanRead = a.Can(caunoi.PermCaseRead)
	if d.CanRead {
		if err := s.shelterStays(ctx, d, id, today); err != nil {
			return nil, err
		}
	}
	if a.Can(caunoi.PermShelterWrite) && d.CanRead {
		orgs, err := s.writableGroups(r, caunoi.PermShelterWrite)
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			if strings.HasPrefix(o.Path, sh.Provider.OrgPath) || strings.HasPrefix(sh.Provider.OrgPath, o.Path) {
				d.AdmitOrgs = append(d.AdmitOrgs, o)
			}
		}
		for _, b := range sh.Beds {
			if !b.Occupied {
				d.FreeBeds = append(d.FreeBeds, b)
			}
		}
		d.CanAdmit = len(d.AdmitOrgs) > 0
	}
	if d.CanAdmit {
		d.Query = strings.TrimSpace(q.Get("q"))
		if d.Query != "" {
			if d.Clients, _, err = s.Clients.FindClients(ctx, caunoi.ClientFilter{Query: d.Query, Page: caunoi.Page{Limit: 20}}); err != nil {
				return nil, err
			}
		}
		if cid := fwIDParam(v.Get("case_id")); cid != "" {
			list, _, err := s.Hotline.FindCases(ctx, caunoi.CaseFilter{Status: caunoi.CaseOpen, Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
			if err != nil {
				return nil, err
			}
			for _, c := range list {
				if c.ID == cid {
					d.Case = c
				}
			}
		}
	}
	p := s.newPage(r, "page.shelter", d)
	p.Form = v
	return p, nil
}

// shelterStays lists the stays of the shelter that the actor may see: the
// people there now, and the last ones to leave.
func (s *Server) shelterStays(ctx context.Context, d *shelterShowData, id string, today time.Time) error {
	stays, _, err := s.Shelters.FindStays(ctx, caunoi.StayFilter{ProviderID: id, Page: caunoi.Page{Limit: 100}})
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, st := range stays {
		if st.ClientID != "" && names[st.ClientID] == "" {
			if c, ok, err := s.listedClient(ctx, st.ClientID); err != nil {
				return err
			} else if ok {
				names[st.ClientID] = c.Nickname
			}
		}
		row := shelterStayRow{ShelterStay: st, Client: names[st.ClientID], Nights: st.Nights(today), Overstayed: st.Overstayed(today)}
		if st.Open() {
			d.Open = append(d.Open, row)
		} else {
			d.Past = append(d.Past, row)
		}
	}
	return nil
}

// shelterShow shows a shelter.
func (s *Server) shelterShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.shelterPage(r, r.PathValue("id"), r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "shelter", p)
}

// shelterAction runs a form of a shelter's page and goes back to it, or
// shows it again with the error.
func (s *Server) shelterAction(w http.ResponseWriter, r *http.Request, providerID, flash string, err error) {
	if err != nil {
		switch caunoi.ErrorCode(err) {
		case caunoi.EINVALID, caunoi.ECONFLICT:
			p, perr := s.shelterPage(r, providerID, r.PostForm)
			if perr != nil {
				s.fail(w, r, perr)
				return
			}
			s.formError(w, r, "shelter", p, err)
		default:
			s.fail(w, r, err)
		}
		return
	}
	s.redirect(w, r, "/shelters/"+providerID, flash)
}

// shelterAddBed adds a bed.
func (s *Server) shelterAddBed(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var fields []caunoi.FieldError
	b := &caunoi.ShelterBed{ID: f.Get("id"), ProviderID: r.PathValue("id"), Label: f.Get("label"), Notes: f.Get("notes")}
	if d := optionalDay(f, "in_use_from", &fields); d != nil {
		b.InUseFrom = *d
	}
	err := fwFieldErrors(fields)
	if err == nil {
		err = s.Shelters.AddBed(r.Context(), b)
	}
	s.shelterAction(w, r, b.ProviderID, "msg.bed_added", err)
}

// bedVoid retires a bed.
func (s *Server) bedVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.Shelters.VoidBed(r.Context(), r.PathValue("id"), versionOf(r.PostForm), r.PostForm.Get("reason"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/shelters/"+b.ProviderID, "msg.voided")
}

// shelterAdmit admits a person to a bed of the shelter.
func (s *Server) shelterAdmit(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var fields []caunoi.FieldError
	st := &caunoi.ShelterStay{ID: f.Get("id"), OrgID: f.Get("org_id"), ProviderID: r.PathValue("id"), BedID: f.Get("bed_id"),
		ClientID: strings.TrimSpace(f.Get("client_id")), CaseID: strings.TrimSpace(f.Get("case_id")), Reason: f.Get("reason")}
	st.AdmittedOn = fwDay(f, "admitted_on", &fields)
	if d := optionalDay(f, "expected_on", &fields); d != nil {
		st.ExpectedOn = *d
	}
	err := fwFieldErrors(fields)
	if err == nil {
		err = s.Shelters.Admit(r.Context(), st)
	}
	s.shelterAction(w, r, st.ProviderID, "msg.admitted", err)
}

// stayProvider returns the shelter of a stay the actor sees, for the
// page a stay's form goes back to; ENOTFOUND when it sees none.
func (s *Server) stayProvider(ctx context.Context, id string) (string, error) {
	list, _, err := s.Shelters.FindStays(ctx, caunoi.StayFilter{ID: id, Page: caunoi.Page{Limit: 1}})
	if err != nil {
		return "", err
	}
	if len(list) == 0 {
		return "", caunoi.NotFound("shelter_stay")
	}
	return list[0].ProviderID, nil
}

// stayDischarge ends a stay.
func (s *Server) stayDischarge(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	id := r.PathValue("id")
	provider, err := s.stayProvider(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var fields []caunoi.FieldError
	d := caunoi.StayDischarge{Version: versionOf(f), Reason: f.Get("reason")}
	d.DischargedOn = fwDay(f, "discharged_on", &fields)
	err = fwFieldErrors(fields)
	if err == nil {
		_, err = s.Shelters.Discharge(ctx, id, d)
	}
	s.shelterAction(w, r, provider, "msg.discharged", err)
}

// stayVoid voids a stay.
func (s *Server) stayVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.Shelters.VoidStay(r.Context(), r.PathValue("id"), versionOf(r.PostForm), r.PostForm.Get("reason"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/shelters/"+st.ProviderID, "msg.voided")
}
