package web

import (
	"encoding/json"
	"net/http"
	"net/url"

	"caunoi"
	"caunoi/internal/httperr"
	"caunoi/internal/xlsx"
)

// dhis2Data is what the DHIS2 page shows: the mapping of the report's
// indicators and of the organisation, and the export link.
type dhis2Data struct {
	Params     reportParams
	Org        *caunoi.Organisation
	Orgs       []*caunoi.Organisation
	Periods    []periodOption
	Indicators []*caunoi.Indicator
	Elements   map[string]caunoi.DHIS2Mapping
	Unit       string
	Export     string
	Back       string
}

// dhis2Page shows the DHIS2 mapping and the export of a period.
func (s *Server) dhis2Page(w http.ResponseWriter, r *http.Request) {
	s.renderDHIS2(w, r, http.StatusOK, r.URL.Query(), nil)
}

func (s *Server) renderDHIS2(w http.ResponseWriter, r *http.Request, status int, q url.Values, formErr error) {
	ctx := r.Context()
	d := &dhis2Data{Elements: map[string]caunoi.DHIS2Mapping{}}
	p := s.newPage(r, "page.dhis2", d)
	p.Form = q
	d.Periods = periodOptions(p.L)
	params, err := s.readReportParams(ctx, q)
	if err != nil || params.Period.Kind == caunoi.PeriodCustom {
		params.Period = caunoi.CurrentPeriod(caunoi.PeriodHalf, caunoi.Today())
	}
	d.Params = params
	if d.Orgs, err = s.reportOrgs(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, o := range d.Orgs {
		if o.ID == params.OrgID {
			d.Org = o
		}
	}
	if d.Org == nil {
		s.fail(w, r, caunoi.NotFound("org"))
		return
	}
	if d.Indicators, err = s.Indicators.FindIndicators(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	maps, err := s.DHIS2.FindDHIS2Mappings(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, m := range maps {
		if m.Kind == caunoi.DHIS2Indicator {
			d.Elements[m.Key] = m
		} else if m.Key == d.Org.ID {
			d.Unit = m.DHIS2ID
		}
	}
	rq := reportQuery(params)
	d.Export, d.Back = "/dhis2/export?"+rq.Encode(), "/reports?"+rq.Encode()
	if formErr != nil {
		p.Error, p.Fields = p.L.Error(formErr)
	}
	s.render(w, r, status, "dhis2", p)
}

// dhis2Map sets one mapping from the page's forms.
func (s *Server) dhis2Map(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	m := &caunoi.DHIS2Mapping{Kind: f.Get("kind"), Key: f.Get("key"), DHIS2ID: f.Get("dhis2_id"), Category: f.Get("category")}
	back := url.Values{"org": {f.Get("org")}, "period": {f.Get("period")}}
	if err := s.DHIS2.SetDHIS2Mapping(r.Context(), m); err != nil {
		switch caunoi.ErrorCode(err) {
		case caunoi.EINVALID, caunoi.EFORBIDDEN:
			s.renderDHIS2(w, r, httperr.Status(err), back, err)
		default:
			s.fail(w, r, err)
		}
		return
	}
	s.redirect(w, r, "/dhis2?"+back.Encode(), "msg.saved")
}

// dhis2Export offers the dataValueSets document for download; when
// anything is missing it shows the page with what to fix, and nothing is
// exported.
func (s *Server) dhis2Export(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	params, err := s.readReportParams(ctx, r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	set, err := s.DHIS2.ExportDHIS2(ctx, params.OrgID, params.Period, nil)
	if err != nil {
		if caunoi.ErrorCode(err) == caunoi.EINVALID {
			s.renderDHIS2(w, r, httperr.Status(err), r.URL.Query(), err)
			return
		}
		s.fail(w, r, err)
		return
	}
	b, err := json.MarshalIndent(set, "", "  ")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", xlsx.ContentDisposition("dataValueSets-"+set.Period+"-"+set.OrgUnit+".json"))
	_, _ = w.Write(b)
}
