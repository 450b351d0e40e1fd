package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"caunoi"
	"caunoi/internal/httperr"
	"caunoi/internal/indicator"
)

// indicatorsData is what the indicators page shows.
type indicatorsData struct {
	Indicators      []*caunoi.Indicator
	Orgs            []*caunoi.Organisation // where the actor may define indicators
	Counts, Units   []string
	Sources         []*indicator.Source
	Sections        []string
	Populations     []caunoi.Population
	Disaggregations []string
	V               url.Values
	Pops, Dims      map[string]bool
}

// indicators lists every indicator definition, with the form that defines
// a new one.
func (s *Server) indicators(w http.ResponseWriter, r *http.Request) {
	s.renderIndicators(w, r, http.StatusOK, url.Values{}, nil)
}

func (s *Server) renderIndicators(w http.ResponseWriter, r *http.Request, status int, v url.Values, formErr error) {
	ctx := r.Context()
	d := &indicatorsData{Counts: caunoi.IndicatorCounts, Units: caunoi.IndicatorUnits, Sources: indicator.Sources, Sections: indicator.Sections,
		Populations: caunoi.Populations, Disaggregations: caunoi.Disaggregations, V: v, Pops: fwSet(v["populations"]), Dims: fwSet(v["disaggregations"])}
	p := s.newPage(r, "page.indicators", d)
	var err error
	if d.Indicators, err = s.Indicators.FindIndicators(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	if caunoi.ActorFromContext(ctx).Can(caunoi.PermMonitorWrite) {
		if d.Orgs, err = s.fwOrgs(ctx, caunoi.PermMonitorWrite); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if formErr != nil {
		p.Error, p.Fields = p.L.Error(formErr)
	}
	s.render(w, r, status, "indicators", p)
}

// splitCodes reads a list typed as "A, B C".
func splitCodes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
}

// indicatorCreate defines an indicator from the form.
func (s *Server) indicatorCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	scale, _ := strconv.Atoi(strings.TrimSpace(f.Get("scale")))
	ind := &caunoi.Indicator{Code: f.Get("code"), NameVI: f.Get("name_vi"), NameEN: f.Get("name_en"), Section: f.Get("section"),
		Unit: f.Get("unit"), Count: f.Get("count"), Source: f.Get("source"), Kinds: splitCodes(f.Get("kinds")), Outcomes: splitCodes(f.Get("outcomes")),
		Named: f.Get("named"), Measure: strings.TrimSpace(f.Get("measure")), Terms: splitCodes(strings.ToUpper(f.Get("terms"))),
		Numerator: strings.ToUpper(strings.TrimSpace(f.Get("numerator"))), Denominator: strings.ToUpper(strings.TrimSpace(f.Get("denominator"))),
		Scale: scale, Disaggregations: f["disaggregations"], OrgID: f.Get("org_id"), Report: f.Get("report") != ""}
	for _, p := range f["populations"] {
		ind.Populations = append(ind.Populations, caunoi.Population(p))
	}
	if ind.Derived() {
		ind.Source = ""
	}
	if err := s.Indicators.CreateIndicator(r.Context(), ind); err != nil {
		switch caunoi.ErrorCode(err) {
		case caunoi.EINVALID, caunoi.ECONFLICT:
			s.renderIndicators(w, r, httperr.Status(err), fwClone(f), err)
		default:
			s.fail(w, r, err)
		}
		return
	}
	s.redirect(w, r, "/indicators#"+ind.Code, "msg.saved")
}
