package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"caunoi"
)

// Pages of the directory of service providers.

// providerListData is what the directory shows.
type providerListData struct {
	Providers []*caunoi.Provider
	Kinds     []string
	Services  []string
	Orgs      []*caunoi.Organisation
	Total     int
	Pager     pager
	CanWrite  bool
	// The export links, with the list's filter.
	ExportXLSX, ExportCSV string
}

// providerFilter reads the filters of the directory and its export.
func providerFilter(q url.Values) caunoi.ProviderFilter {
	return caunoi.ProviderFilter{Kind: fwChoice(q.Get("kind"), caunoi.ProviderKinds), Service: fwChoice(q.Get("service"), caunoi.ServiceKinds),
		Query: strings.TrimSpace(q.Get("q")), OrgID: q.Get("org"), Friendly: q.Get("friendly") == "1"}
}

// providerList lists the providers the user's organisations share, by name.
func (s *Server) providerList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pg, n := pageOf(r)
	q := r.URL.Query()
	d := &providerListData{Kinds: caunoi.ProviderKinds, Services: caunoi.ServiceKinds,
		CanWrite: caunoi.ActorFromContext(ctx).Can(caunoi.PermProviderWrite)}
	d.ExportXLSX, d.ExportCSV = fwExportLinks("/providers/export", q, "kind", "service", "q", "org", "friendly")
	orgs, err := s.fwOrgs(ctx, caunoi.PermProviderRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Orgs = orgs
	f := providerFilter(q)
	f.Page = pg
	if d.Providers, d.Total, err = s.Providers.FindProviders(ctx, f); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Pager = newPager(r, n, d.Total)
	p := s.newPage(r, "page.providers", d)
	p.Form = q
	s.render(w, r, http.StatusOK, "providers", p)
}

// providerFormData is what the provider form needs. V holds the values shown.
type providerFormData struct {
	V         url.Values
	Provider  *caunoi.Provider // the provider being changed; nil for a new one
	Kinds     []string
	Services  []string
	Offered   map[string]bool
	Orgs      []*caunoi.Organisation
	Provinces []*caunoi.AdminUnit
}

// providerForm fills the form: the organisations where the actor keeps
// providers (for a new one) and the provinces in force.
func (s *Server) providerForm(r *http.Request, v url.Values, pr *caunoi.Provider) (*page, error) {
	ctx := r.Context()
	d := &providerFormData{V: v, Provider: pr, Kinds: caunoi.ProviderKinds, Services: caunoi.ServiceKinds, Offered: fwSet(v["services"])}
	title := "page.provider_edit"
	if pr == nil {
		title = "page.provider_new"
		orgs, err := s.fwOrgs(ctx, caunoi.PermProviderWrite)
		if err != nil {
			return nil, err
		}
		d.Orgs = orgs
		if v.Get("org_id") == "" {
			v.Set("org_id", fwDefaultOrg(orgs))
			if len(orgs) > 0 && v.Get("org_id") == "" {
				v.Set("org_id", orgs[0].ID) // the highest: a province keeps its directory
			}
		}
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

// providerValues returns a provider as the form's values.
func providerValues(p *caunoi.Provider) url.Values {
	v := url.Values{}
	v.Set("id", p.ID)
	v.Set("org_id", p.OrgID)
	v.Set("version", strconv.Itoa(p.Version))
	v.Set("kind", p.Kind)
	v.Set("name", p.Name)
	v["services"] = slices.Clone(p.Services)
	v.Set("address", p.Address)
	v.Set("admin_unit_code", p.AdminUnitCode)
	if p.Lat != nil && p.Lng != nil {
		v.Set("lat", strconv.FormatFloat(*p.Lat, 'f', -1, 64))
		v.Set("lng", strconv.FormatFloat(*p.Lng, 'f', -1, 64))
	}
	v.Set("contact", p.Contact)
	v.Set("opening_hours", p.OpeningHours)
	if p.Friendly {
		v.Set("friendly", "1")
	}
	v.Set("notes", p.Notes)
	return v
}

// providerFromForm reads the fields of the provider form that may change.
func providerFromForm(f url.Values, p *caunoi.Provider) error {
	var fields []caunoi.FieldError
	p.Kind, p.Name, p.Address = f.Get("kind"), f.Get("name"), f.Get("address")
	p.Services = nil
	for _, sv := range f["services"] {
		if sv = strings.TrimSpace(sv); sv != "" {
			p.Services = append(p.Services, sv)
		}
	}
	p.AdminUnitCode, p.Notes = strings.TrimSpace(f.Get("admin_unit_code")), strings.TrimSpace(f.Get("notes"))
	p.Contact, p.OpeningHours, p.Friendly = f.Get("contact"), f.Get("opening_hours"), f.Get("friendly") == "1"
	lat, okLat := fwCoordinate(f.Get("lat"))
	lng, okLng := fwCoordinate(f.Get("lng"))
	if !okLat || !okLng {
		fields = append(fields, caunoi.FieldError{Field: "lat", Key: "err.place.coordinates"})
	}
	p.Lat, p.Lng = lat, lng
	return fwFieldErrors(fields)
}

// providerNew shows the form for a new provider.
func (s *Server) providerNew(w http.ResponseWriter, r *http.Request) {
	v := url.Values{}
	v.Set("id", caunoi.NewID())
	v.Set("kind", fwChoice(r.URL.Query().Get("kind"), caunoi.ProviderKinds))
	p, err := s.providerForm(r, v, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "provider_form", p)
}

// providerCreate adds a provider from the form; the form's UUIDv7 makes a
// repeated submission harmless.
func (s *Server) providerCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	pr := &caunoi.Provider{ID: f.Get("id"), OrgID: f.Get("org_id")}
	err := providerFromForm(f, pr)
	if err == nil {
		err = s.Providers.CreateProvider(r.Context(), pr)
	}
	if err != nil {
		p, perr := s.providerForm(r, fwClone(f), nil)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "provider_form", p, err)
		return
	}
	s.redirect(w, r, "/providers/"+pr.ID, "msg.saved")
}

// providerWritable reports whether the actor may change the provider.
func providerWritable(ctx context.Context, p *caunoi.Provider) bool {
	return !p.Voided() && caunoi.ActorFromContext(ctx).CanAt(caunoi.PermProviderWrite, p.OrgPath)
}

// providerEdit shows the form to change a provider.
func (s *Server) providerEdit(w http.ResponseWriter, r *http.Request) {
	pr, err := s.Providers.FindProviderByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !providerWritable(r.Context(), pr) {
		s.fail(w, r, caunoi.Forbidden())
		return
	}
	p, err := s.providerForm(r, providerValues(pr), pr)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "provider_form", p)
}

// providerUpdate saves the provider form; a stale version is refused.
func (s *Server) providerUpdate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	id := r.PathValue("id")
	pr, err := s.Providers.FindProviderByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	version, _ := strconv.Atoi(f.Get("version"))
	next := *pr
	err = providerFromForm(f, &next)
	if err == nil {
		_, err = s.Providers.UpdateProvider(ctx, id, caunoi.ProviderUpdate{Version: version, Kind: &next.Kind, Name: &next.Name,
			Services: &next.Services, Address: &next.Address, AdminUnitCode: &next.AdminUnitCode, Lat: next.Lat, Lng: next.Lng,
			ClearLocation: next.Lat == nil && next.Lng == nil, Contact: &next.Contact, OpeningHours: &next.OpeningHours,
			Friendly: &next.Friendly, Notes: &next.Notes})
	}
	if err != nil {
		p, perr := s.providerForm(r, fwClone(f), pr)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "provider_form", p, err)
		return
	}
	s.redirect(w, r, "/providers/"+id, "msg.saved")
}

// providerShowData is what a provider's page shows.
type providerShowData struct {
	Provider *caunoi.Provider
	Unit     *caunoi.AdminUnit
	CanWrite bool
	// The location as text, and a link to it on OpenStreetMap.
	Coordinates, MapLink string
}

// providerShow shows a provider.
func (s *Server) providerShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pr, err := s.Providers.FindProviderByID(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &providerShowData{Provider: pr, CanWrite: providerWritable(ctx, pr)}
	if pr.Lat != nil && pr.Lng != nil {
		lat, lng := strconv.FormatFloat(*pr.Lat, 'f', -1, 64), strconv.FormatFloat(*pr.Lng, 'f', -1, 64)
		d.Coordinates = lat + ", " + lng
		d.MapLink = "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lng + "#map=17/" + lat + "/" + lng
	}
	if pr.AdminUnitCode != "" {
		d.Unit, _ = s.Units.FindAdminUnitByCode(ctx, pr.AdminUnitCode)
	}
	s.render(w, r, http.StatusOK, "provider", s.newPage(r, "page.provider", d))
}

// providerVoid voids a provider with the reason given.
func (s *Server) providerVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	if _, err := s.Providers.VoidProvider(r.Context(), r.PathValue("id"), version, r.PostForm.Get("reason")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/providers", "msg.voided")
}
