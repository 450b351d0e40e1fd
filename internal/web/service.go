package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"caunoi"
	"caunoi/internal/i18n"
)

// Pages of the services given to clients.

// serviceListData is what the list of services shows.
type serviceListData struct {
	Services []*caunoi.Service
	Kinds    []string
	Orgs     []*caunoi.Organisation
	OrgNames map[string]string
	Total    int
	Pager    pager
	// The export links, with the list's filter.
	ExportXLSX, ExportCSV string
}

// serviceFilter reads the filters of the list and the export: kind,
// organisation, client, provider and period.
func serviceFilter(q url.Values) (caunoi.ServiceFilter, error) {
	f := caunoi.ServiceFilter{Kind: fwChoice(q.Get("kind"), caunoi.ServiceKinds), OrgID: q.Get("org"), ClientID: q.Get("client"),
		ProviderID: q.Get("provider")}
	var err error
	f.From, f.To, err = fwPeriod(q)
	return f, err
}

// serviceList lists the services given to clients of the user's subtree,
// newest first.
func (s *Server) serviceList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pg, n := pageOf(r)
	q := r.URL.Query()
	d := &serviceListData{Kinds: caunoi.ServiceKinds}
	d.ExportXLSX, d.ExportCSV = fwExportLinks("/services/export", q, "kind", "org", "client", "provider", "from", "to")
	p := s.newPage(r, "page.services", d)
	p.Form = q
	orgs, err := s.fwOrgs(ctx, caunoi.PermClientRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Orgs, d.OrgNames = orgs, fwOrgNames(orgs)
	f, ferr := serviceFilter(q)
	if ferr != nil {
		p.Error, p.Fields = p.L.Error(ferr)
	}
	f.Page = pg
	if d.Services, d.Total, err = s.Services.FindServices(ctx, f); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Pager = newPager(r, n, d.Total)
	s.render(w, r, http.StatusOK, "services", p)
}

// serviceFields are the inputs of a service's own fields for one kind,
// shared by the service form and the form that marks a referral reached.
type serviceFields struct {
	L         *i18n.Localizer // for the partial template "service_fields"
	Kind      string
	Rule      caunoi.ServiceRule
	Providers []*caunoi.Provider // offering the kind, shared with the client's organisation
	V         url.Values
}

// serviceFormData is what the service form needs. V holds the values shown.
type serviceFormData struct {
	V      url.Values
	Client *caunoi.Client
	Kinds  []string
	Orgs   []*caunoi.Organisation
	Fields *serviceFields // nil until a kind is chosen
}

// serviceOrgs returns the organisations where the actor records services
// for a client: those related to the client's organisation.
func (s *Server) serviceOrgs(ctx context.Context, c *caunoi.Client) ([]*caunoi.Organisation, error) {
	orgs, err := s.fwOrgs(ctx, caunoi.PermServiceWrite)
	if err != nil {
		return nil, err
	}
	var out []*caunoi.Organisation
	for _, o := range orgs {
		if !o.Voided() && (strings.HasPrefix(c.OrgPath, o.Path) || strings.HasPrefix(o.Path, c.OrgPath)) {
			out = append(out, o)
		}
	}
	return out, nil
}

// offering returns the live providers shared with the client's
// organisation that offer the kind, by name.
func (s *Server) offering(ctx context.Context, c *caunoi.Client, kind string) ([]*caunoi.Provider, error) {
	list, _, err := s.Providers.FindProviders(ctx, caunoi.ProviderFilter{OrgID: c.OrgID, Service: kind, Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
	return list, err
}

// serviceForm fills the service form for the client of v's client_id.
// Reading the client (its nickname, its organisation) is an audited read.
func (s *Server) serviceForm(r *http.Request, v url.Values) (*page, error) {
	ctx := r.Context()
	c, err := s.Clients.FindClientByID(ctx, v.Get("client_id"))
	if err != nil {
		return nil, err
	}
	d := &serviceFormData{V: v, Client: c, Kinds: caunoi.ServiceKinds}
	if d.Orgs, err = s.serviceOrgs(ctx, c); err != nil {
		return nil, err
	}
	if v.Get("org_id") == "" {
		v.Set("org_id", c.OrgID)
	}
	if kind := fwChoice(v.Get("kind"), caunoi.ServiceKinds); kind != "" {
		d.Fields = &serviceFields{L: s.localizer(r), Kind: kind, Rule: caunoi.ServiceRules[kind], V: v}
		if d.Fields.Providers, err = s.offering(ctx, c, kind); err != nil {
			return nil, err
		}
	}
	return s.newPage(r, "page.service_new", d), nil
}

// serviceNew shows the form for a service given to a client: first the
// kind, then the kind's own fields.
func (s *Server) serviceNew(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	if v.Get("client_id") == "" {
		s.fail(w, r, caunoi.Invalid(caunoi.FieldError{Field: "client_id", Key: "err.service.from_client"}))
		return
	}
	if !caunoi.ValidID(v.Get("id")) {
		v.Set("id", caunoi.NewID())
	}
	if v.Get("given_on") == "" {
		v.Set("given_on", fwToday())
	}
	p, err := s.serviceForm(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "service_form", p)
}

// serviceFromForm reads a service's own fields (prefix "" for the service
// form; the referral's reached form uses the same names).
func serviceFromForm(f url.Values, sv *caunoi.Service, fields *[]caunoi.FieldError) {
	sv.Detail, sv.Result, sv.Trade = f.Get("detail"), f.Get("result"), f.Get("trade")
	sv.ProviderID, sv.Notes = strings.TrimSpace(f.Get("provider_id")), strings.TrimSpace(f.Get("notes"))
	sv.Quantity = fwQuantity(f, "quantity", "quantity", fields)
	n, ok := fwNumber(f.Get("amount_vnd"))
	if !ok || n < 0 {
		*fields = append(*fields, caunoi.FieldError{Field: "amount_vnd", Key: "err.service.amount"})
	}
	sv.AmountVND = int64(n)
}

// serviceCreate records a service from the form, then goes back to the
// client's page. The form's UUIDv7 makes a repeated submission harmless.
func (s *Server) serviceCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var fields []caunoi.FieldError
	sv := &caunoi.Service{ID: f.Get("id"), OrgID: f.Get("org_id"), ClientID: f.Get("client_id"), Kind: f.Get("kind")}
	sv.GivenOn = fwDay(f, "given_on", &fields)
	serviceFromForm(f, sv, &fields)
	err := fwFieldErrors(fields)
	if err == nil {
		err = s.Services.CreateService(r.Context(), sv)
	}
	if err != nil {
		p, perr := s.serviceForm(r, fwClone(f))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "service_form", p, err)
		return
	}
	s.redirect(w, r, "/clients/"+sv.ClientID, "msg.service_recorded")
}

// serviceShowData is what a service's page shows.
type serviceShowData struct {
	Service  *caunoi.Service
	OrgName  string
	Rule     caunoi.ServiceRule
	CanWrite bool
	V        url.Values // the form of the result
}

// serviceShowPage makes a service's page.
func (s *Server) serviceShowPage(r *http.Request, id string, v url.Values) (*page, error) {
	ctx := r.Context()
	sv, err := s.Services.FindServiceByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &serviceShowData{Service: sv, Rule: caunoi.ServiceRules[sv.Kind], V: v,
		CanWrite: !sv.Voided() && caunoi.ActorFromContext(ctx).CanAt(caunoi.PermServiceWrite, sv.OrgPath)}
	if o, err := s.Orgs.FindOrgByID(ctx, sv.OrgID); err == nil {
		d.OrgName = o.Name
	}
	if v.Get("result") == "" {
		v.Set("result", sv.Result)
	}
	return s.newPage(r, "page.service", d), nil
}

// serviceShow shows a service.
func (s *Server) serviceShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.serviceShowPage(r, r.PathValue("id"), url.Values{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "service", p)
}

// serviceUpdate records a service's result or outcome (an HIV test's
// result; whether a job is stable after the follow-up) and its notes.
func (s *Server) serviceUpdate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	f := r.PostForm
	version, _ := strconv.Atoi(f.Get("version"))
	result, notes := f.Get("result"), strings.TrimSpace(f.Get("notes"))
	u := caunoi.ServiceUpdate{Version: version, Result: &result}
	if _, ok := f["notes"]; ok {
		u.Notes = &notes
	}
	if _, err := s.Services.UpdateService(r.Context(), id, u); err != nil {
		p, perr := s.serviceShowPage(r, id, fwClone(f))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "service", p, err)
		return
	}
	s.redirect(w, r, "/services/"+id, "msg.saved")
}

// serviceVoid voids a service with the reason given.
func (s *Server) serviceVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	sv, err := s.Services.VoidService(r.Context(), r.PathValue("id"), version, r.PostForm.Get("reason"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/clients/"+sv.ClientID, "msg.voided")
}
