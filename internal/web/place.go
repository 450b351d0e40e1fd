package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"caunoi"
)

// placeListData is what the list of hotspots and establishments shows.
type placeListData struct {
	Places   []*caunoi.Place
	Kinds    []string
	Types    []string
	Orgs     []*caunoi.Organisation
	OrgNames map[string]string
	Pager    pager
	// The export links, with the list's filter.
	ExportXLSX, ExportCSV string
}

// placeFilter reads the filters of the list and the export.
func placeFilter(q url.Values) caunoi.PlaceFilter {
	return caunoi.PlaceFilter{Kind: fwChoice(q.Get("kind"), caunoi.PlaceKinds), Type: fwChoice(q.Get("type"), caunoi.PlaceTypes),
		Query: strings.TrimSpace(q.Get("q")), OrgID: q.Get("org")}
}

// placeList lists the hotspots and establishments of the user's subtree
// by name.
func (s *Server) placeList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pg, n := pageOf(r)
	q := r.URL.Query()
	d := &placeListData{Kinds: caunoi.PlaceKinds, Types: caunoi.PlaceTypes}
	d.ExportXLSX, d.ExportCSV = fwExportLinks("/places/export", q, "kind", "type", "q", "org")
	orgs, err := s.fwOrgs(ctx, caunoi.PermClientRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Orgs, d.OrgNames = orgs, fwOrgNames(orgs)
	f := placeFilter(q)
	f.Page = pg
	var total int
	if d.Places, total, err = s.Places.FindPlaces(ctx, f); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Pager = newPager(r, n, total)
	p := s.newPage(r, "page.places", d)
	p.Form = q
	s.render(w, r, http.StatusOK, "places", p)
}

// placeFormData is what the place form needs. V holds the values shown.
type placeFormData struct {
	V         url.Values
	Place     *caunoi.Place // the place being changed; nil for a new one
	Kinds     []string
	Types     []string
	Orgs      []*caunoi.Organisation
	Provinces []*caunoi.AdminUnit
}

// placeForm fills the form: the organisations where the actor records
// field work (for a new place) and the provinces in force today, with the
// place's own unit if it is not one of them.
func (s *Server) placeForm(r *http.Request, v url.Values, place *caunoi.Place) (*page, error) {
	ctx := r.Context()
	d := &placeFormData{V: v, Place: place, Kinds: caunoi.PlaceKinds, Types: caunoi.PlaceTypes}
	title := "page.place_edit"
	if place == nil {
		title = "page.place_new"
		orgs, err := s.fwOrgs(ctx, caunoi.PermContactWrite)
		if err != nil {
			return nil, err
		}
		d.Orgs = orgs
		if v.Get("org_id") == "" {
			v.Set("org_id", fwDefaultOrg(orgs))
		}
		// A new place is most likely in the group's own province.
		if v.Get("admin_unit_code") == "" && v.Get("name") == "" {
			for _, o := range orgs {
				if o.ID == v.Get("org_id") {
					v.Set("admin_unit_code", o.AdminUnitCode)
				}
			}
		}
	}
	today := caunoi.Today()
	units, _, err := s.Units.FindAdminUnits(ctx, caunoi.AdminUnitFilter{Level: caunoi.LevelProvince, On: &today, Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
	if err != nil {
		return nil, err
	}
	d.Provinces = units
	if code := v.Get("admin_unit_code"); code != "" && !slices.ContainsFunc(units, func(u *caunoi.AdminUnit) bool { return u.Code == code }) {
		if u, err := s.Units.FindAdminUnitByCode(ctx, code); err == nil {
			d.Provinces = append([]*caunoi.AdminUnit{u}, units...)
		}
	}
	return s.newPage(r, title, d), nil
}

// placeValues returns a place as the form's values.
func placeValues(p *caunoi.Place) url.Values {
	v := url.Values{}
	v.Set("id", p.ID)
	v.Set("org_id", p.OrgID)
	v.Set("version", strconv.Itoa(p.Version))
	v.Set("kind", p.Kind)
	v.Set("type", p.Type)
	v.Set("name", p.Name)
	v.Set("address", p.Address)
	v.Set("admin_unit_code", p.AdminUnitCode)
	if p.Lat != nil && p.Lng != nil {
		v.Set("lat", strconv.FormatFloat(*p.Lat, 'f', -1, 64))
		v.Set("lng", strconv.FormatFloat(*p.Lng, 'f', -1, 64))
	}
	v.Set("estimated_workers", strconv.Itoa(p.EstimatedWorkers))
	v.Set("notes", p.Notes)
	return v
}

// placeFromForm reads the fields of the place form that may change.
func placeFromForm(f url.Values, p *caunoi.Place) error {
	var fields []caunoi.FieldError
	p.Type, p.Name, p.Address = f.Get("type"), f.Get("name"), f.Get("address")
	p.AdminUnitCode, p.Notes = strings.TrimSpace(f.Get("admin_unit_code")), strings.TrimSpace(f.Get("notes"))
	lat, okLat := fwCoordinate(f.Get("lat"))
	lng, okLng := fwCoordinate(f.Get("lng"))
	if !okLat || !okLng {
		fields = append(fields, caunoi.FieldError{Field: "lat", Key: "err.place.coordinates"})
	}
	p.Lat, p.Lng = lat, lng
	p.EstimatedWorkers = fwQuantity(f, "estimated_workers", "estimated_workers", &fields)
	return fwFieldErrors(fields)
}

// placeNew shows the form for a new place.
func (s *Server) placeNew(w http.ResponseWriter, r *http.Request) {
	v := url.Values{}
	v.Set("id", caunoi.NewID())
	v.Set("kind", fwChoice(r.URL.Query().Get("kind"), caunoi.PlaceKinds))
	if v.Get("kind") == "" {
		v.Set("kind", caunoi.PlaceEstablishment)
	}
	p, err := s.placeForm(r, v, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "place_form", p)
}

// placeCreate maps a place from the form; the form's UUIDv7 makes a
// repeated submission harmless.
func (s *Server) placeCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	pl := &caunoi.Place{ID: f.Get("id"), OrgID: f.Get("org_id"), Kind: f.Get("kind")}
	err := placeFromForm(f, pl)
	if err == nil {
		err = s.Places.CreatePlace(r.Context(), pl)
	}
	if err != nil {
		p, perr := s.placeForm(r, fwClone(f), nil)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "place_form", p, err)
		return
	}
	s.redirect(w, r, "/places/"+pl.ID, "msg.saved")
}

// placeEdit shows the form to change a place.
func (s *Server) placeEdit(w http.ResponseWriter, r *http.Request) {
	pl, err := s.Places.FindPlaceByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !fwWrite(r.Context(), pl.OrgPath) {
		s.fail(w, r, caunoi.Forbidden())
		return
	}
	p, err := s.placeForm(r, placeValues(pl), pl)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "place_form", p)
}

// placeUpdate saves the place form; a stale version is refused.
func (s *Server) placeUpdate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	id := r.PathValue("id")
	pl, err := s.Places.FindPlaceByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	version, _ := strconv.Atoi(f.Get("version"))
	next := *pl
	err = placeFromForm(f, &next)
	if err == nil {
		_, err = s.Places.UpdatePlace(ctx, id, caunoi.PlaceUpdate{Version: version, Type: &next.Type, Name: &next.Name, Address: &next.Address,
			AdminUnitCode: &next.AdminUnitCode, Lat: next.Lat, Lng: next.Lng, EstimatedWorkers: &next.EstimatedWorkers, Notes: &next.Notes})
	}
	if err != nil {
		v := fwClone(f)
		v.Set("kind", pl.Kind)
		p, perr := s.placeForm(r, v, pl)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "place_form", p, err)
		return
	}
	s.redirect(w, r, "/places/"+id, "msg.saved")
}

// placeShowData is what a place's page shows: the place, its visits and
// the form to record one.
type placeShowData struct {
	Place       *caunoi.Place
	Org         *caunoi.Organisation
	Unit        *caunoi.AdminUnit
	Visits      []*caunoi.Visit
	VisitTotal  int
	V           url.Values // the visit form
	Purposes    []string
	Commodities []string
	PurposeSet  map[string]bool
	CanWrite    bool
	// The place's location as text, and a link to it on OpenStreetMap.
	Coordinates, MapLink string
}

// placeVisitsShown bounds the visits the page lists, newest first.
const placeVisitsShown = 50

// placeShowPage makes a place's page with the visit form's values.
func (s *Server) placeShowPage(r *http.Request, id string, v url.Values) (*page, error) {
	ctx := r.Context()
	pl, err := s.Places.FindPlaceByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &placeShowData{Place: pl, V: v, Purposes: caunoi.VisitPurposes, Commodities: caunoi.Commodities,
		PurposeSet: fwSet(v["purposes"]), CanWrite: fwWrite(ctx, pl.OrgPath)}
	d.Org, _ = s.Orgs.FindOrgByID(ctx, pl.OrgID)
	if pl.Lat != nil && pl.Lng != nil {
		lat, lng := strconv.FormatFloat(*pl.Lat, 'f', -1, 64), strconv.FormatFloat(*pl.Lng, 'f', -1, 64)
		d.Coordinates = lat + ", " + lng
		d.MapLink = "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lng + "#map=17/" + lat + "/" + lng
	}
	if pl.AdminUnitCode != "" {
		d.Unit, _ = s.Units.FindAdminUnitByCode(ctx, pl.AdminUnitCode)
	}
	if d.Visits, d.VisitTotal, err = s.Places.FindVisits(ctx, caunoi.VisitFilter{PlaceID: pl.ID, Page: caunoi.Page{Limit: placeVisitsShown}}); err != nil {
		return nil, err
	}
	return s.newPage(r, "page.place", d), nil
}

// placeShow shows a place with its visits.
func (s *Server) placeShow(w http.ResponseWriter, r *http.Request) {
	v := url.Values{}
	v.Set("id", caunoi.NewID())
	v.Set("visited_on", fwToday())
	p, err := s.placeShowPage(r, r.PathValue("id"), v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "place", p)
}

// visitFromForm reads the visit form: the day, the purposes, the
// commodities left (fields commodity_condom…) and notes.
func visitFromForm(f url.Values, placeID string) (*caunoi.Visit, error) {
	var fields []caunoi.FieldError
	v := &caunoi.Visit{ID: f.Get("id"), PlaceID: placeID, Purposes: f["purposes"], Notes: strings.TrimSpace(f.Get("notes"))}
	v.VisitedOn = fwDay(f, "visited_on", &fields)
	for _, c := range caunoi.Commodities {
		if n := fwQuantity(f, "commodity_"+c, "commodities", &fields); n > 0 {
			if v.Commodities == nil {
				v.Commodities = map[string]int{}
			}
			v.Commodities[c] = n
		}
	}
	return v, fwFieldErrors(fields)
}

// visitCreate records the actor's visit to a place.
func (s *Server) visitCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	v, err := visitFromForm(r.PostForm, id)
	if err == nil {
		err = s.Places.RecordVisit(r.Context(), v)
	}
	if err != nil {
		p, perr := s.placeShowPage(r, id, fwClone(r.PostForm))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "place", p, err)
		return
	}
	s.redirect(w, r, "/places/"+id, "msg.visit_recorded")
}

// placeVoid voids a place with the reason given.
func (s *Server) placeVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	if _, err := s.Places.VoidPlace(r.Context(), r.PathValue("id"), version, r.PostForm.Get("reason")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/places", "msg.voided")
}
