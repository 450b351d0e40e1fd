package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"caunoi"
	"caunoi/internal/httperr"
)

// targetsData is what the targets page shows.
type targetsData struct {
	Params     reportParams
	Periods    []periodOption
	Orgs       []*caunoi.Organisation // where the actor may set targets
	OrgNames   map[string]string
	Targets    []*caunoi.Target
	Indicators []*caunoi.Indicator
	Names      map[string]string // indicator code → name
	Models     []caunoi.Model
	Back       string
	Query      string // the page's own parameters, for the forms to come back
}

// targets lists the targets of an organisation's subtree for a period,
// with the forms to set, change and void them.
func (s *Server) targets(w http.ResponseWriter, r *http.Request) {
	s.renderTargets(w, r, http.StatusOK, r.URL.Query(), nil)
}

func (s *Server) renderTargets(w http.ResponseWriter, r *http.Request, status int, q url.Values, formErr error) {
	ctx := r.Context()
	d := &targetsData{Models: caunoi.Models}
	p := s.newPage(r, "page.targets", d)
	p.Form = q
	d.Periods = periodOptions(p.L)
	params, err := s.readReportParams(ctx, q)
	if err != nil || params.Period.Kind == caunoi.PeriodCustom {
		params.Period = caunoi.CurrentPeriod(caunoi.PeriodHalf, caunoi.Today())
	}
	d.Params = params
	rq := reportQuery(params)
	d.Back, d.Query = "/reports?"+rq.Encode(), rq.Encode()
	if d.Orgs, err = s.fwOrgs(ctx, caunoi.PermMonitorWrite); err != nil {
		s.fail(w, r, err)
		return
	}
	d.OrgNames = fwOrgNames(d.Orgs)
	if d.Indicators, err = s.Indicators.FindIndicators(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Names = map[string]string{}
	for _, ind := range d.Indicators {
		d.Names[ind.Code] = ind.Name(p.L.Lang)
	}
	list, _, err := s.Targets.FindTargets(ctx, caunoi.TargetFilter{OrgID: params.OrgID, Period: &params.Period, Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Targets = list
	if formErr != nil {
		p.Error, p.Fields = p.L.Error(formErr)
	}
	s.render(w, r, status, "targets", p)
}

// targetSet sets or changes a target from the form.
func (s *Server) targetSet(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var fields []caunoi.FieldError
	period, perr := caunoi.ParsePeriod(f.Get("period"))
	if perr != nil {
		fields = append(fields, caunoi.AsError(perr).Fields...)
	}
	value, ok := fwNumber(f.Get("value"))
	if !ok || value < 0 {
		fields = append(fields, caunoi.FieldError{Field: "value", Key: "err.target.value"})
	}
	version, _ := strconv.Atoi(f.Get("version"))
	t := &caunoi.Target{ID: strings.TrimSpace(f.Get("id")), OrgID: f.Get("org_id"), Indicator: f.Get("indicator"), Model: caunoi.Model(f.Get("model")),
		Period: period, Value: float64(value), Version: version}
	err := fwFieldErrors(fields)
	if err == nil {
		err = s.Targets.SetTarget(r.Context(), t)
	}
	back := url.Values{"org": {f.Get("back_org")}, "period": {f.Get("period")}}
	if err != nil {
		switch caunoi.ErrorCode(err) {
		case caunoi.EINVALID, caunoi.ECONFLICT:
			shown := fwClone(back)
			for _, k := range []string{"org_id", "indicator", "model", "value"} {
				shown.Set(k, f.Get(k))
			}
			s.renderTargets(w, r, httperr.Status(err), shown, err)
		default:
			s.fail(w, r, err)
		}
		return
	}
	s.redirect(w, r, "/targets?"+back.Encode(), "msg.saved")
}

// targetVoid voids a target with the reason given.
func (s *Server) targetVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	t, err := s.Targets.VoidTarget(r.Context(), r.PathValue("id"), version, r.PostForm.Get("reason"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	back := url.Values{"org": {r.PostForm.Get("back_org")}, "period": {t.Period.Code()}}
	s.redirect(w, r, "/targets?"+back.Encode(), "msg.voided")
}
