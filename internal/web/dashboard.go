package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"caunoi"
	"caunoi/internal/chart"
	"caunoi/internal/i18n"
)

// dashboardKPIs are the numbers at the top of the dashboard.
var dashboardKPIs = []string{"CONTACTS", "PERSONS_REACHED", "KP_PREV", "CONDOMS", "GROUP_MEETINGS", "NEW_MEMBERS", "HEALTH_CHECK_PARTICIPANTS", "ESTABLISHMENTS_REACHED"}

// dashboardTrend are the indicators drawn month by month.
var dashboardTrend = []string{"CONTACTS", "PERSONS_REACHED"}

// kpi is one number of the dashboard.
type kpi struct {
	Name, Value string
}

// figure is a chart with its caption and legend.
type figure struct {
	Caption string
	SVG     template.HTML
	Legend  []string
}

// dashboardData is what the dashboard shows.
type dashboardData struct {
	Org     *caunoi.Organisation
	Orgs    []*caunoi.Organisation
	Period  caunoi.Period
	Shared  bool
	KPIs    []kpi
	Figures []figure
}

// dashboard shows the actor's organisation this year: the main numbers,
// the months' trend, the split by group (by province for the nation) and
// by population, and achievement against the year's targets. The charts
// are SVG drawn here: no JavaScript.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := caunoi.ActorFromContext(ctx)
	d := &dashboardData{Period: caunoi.CurrentPeriod(caunoi.PeriodYear, caunoi.Today())}
	p := s.newPage(r, "page.dashboard", d)
	l := p.L
	var err error
	if d.Orgs, err = s.reportOrgs(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	orgID := r.URL.Query().Get("org")
	if orgID == "" {
		orgID = defaultReportOrg(a)
	}
	for _, o := range d.Orgs {
		if o.ID == orgID {
			d.Org = o
		}
	}
	if d.Org == nil {
		s.fail(w, r, caunoi.NotFound("org"))
		return
	}
	split := caunoi.DimOrg
	if d.Org.Kind == caunoi.OrgNational || !a.CanAt(caunoi.PermClientRead, d.Org.Path) {
		split = caunoi.DimProvince
	}
	if d.Org.Kind == caunoi.OrgGroup {
		split = caunoi.DimSex
	}
	v, err := s.Indicators.Evaluate(ctx, caunoi.ValueQuery{OrgID: d.Org.ID, Period: d.Period, Indicators: dashboardKPIs,
		Groupings: [][]string{{split}, {caunoi.DimPopulation}}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Shared = v.Shared
	num := func(f float64) string { return l.Value(f, false) }
	for _, code := range dashboardKPIs {
		d.KPIs = append(d.KPIs, kpi{Name: v.Indicators[code].Name(l.Lang), Value: l.CellText(v.Total(code), false)})
	}
	trend, err := s.trendFigure(r, d.Org, l)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Figures = append(d.Figures, trend)
	d.Figures = append(d.Figures, barsFigure(l, v, split, []string{"CONTACTS", "PERSONS_REACHED"},
		l.T("dashboard.by", "By", strings.ToLower(l.T("dim."+split))), num))
	d.Figures = append(d.Figures, barsFigure(l, v, caunoi.DimPopulation, []string{"CONTACTS"},
		l.T("dashboard.contacts_by", "By", strings.ToLower(l.T("dim.population"))), num))
	ach, err := s.achievementFigure(r, d.Org, d.Period, l)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ach != nil {
		d.Figures = append(d.Figures, *ach)
	}
	s.render(w, r, http.StatusOK, "dashboard", p)
}

// trendFigure draws the last twelve months of the trend indicators.
func (s *Server) trendFigure(r *http.Request, org *caunoi.Organisation, l *i18n.Localizer) (figure, error) {
	month := caunoi.CurrentPeriod(caunoi.PeriodMonth, caunoi.Today())
	var months []caunoi.Period
	for i := 0; i < 12; i++ {
		months = append([]caunoi.Period{month}, months...)
		month = month.Previous()
	}
	series := make([]chart.Series, len(dashboardTrend))
	var labels []string
	for _, m := range months {
		v, err := s.Indicators.Evaluate(r.Context(), caunoi.ValueQuery{OrgID: org.ID, Period: m, Indicators: dashboardTrend})
		if err != nil {
			return figure{}, err
		}
		labels = append(labels, m.Start.Format("01/06"))
		for i, code := range dashboardTrend {
			c := v.Total(code)
			series[i].Name = v.Indicators[code].Name(l.Lang)
			series[i].Values = append(series[i].Values, c.Value)
			series[i].Hidden = append(series[i].Hidden, c.Suppressed)
		}
	}
	f := figure{Caption: l.T("dashboard.trend")}
	for _, s := range series {
		f.Legend = append(f.Legend, s.Name)
	}
	f.SVG = chart.Lines{Title: f.Caption, Labels: labels, Series: series, Format: func(v float64) string { return l.Value(v, false) }}.SVG()
	return f, nil
}

// barsFigure draws indicators broken down by a dimension.
func barsFigure(l *i18n.Localizer, v *caunoi.Values, dim string, codes []string, caption string, num chart.Format) figure {
	f := figure{Caption: caption}
	var labels []string
	var series []chart.Series
	for i, code := range codes {
		s := v.Find(code, dim)
		if s == nil {
			continue
		}
		cs := chart.Series{Name: v.Indicators[code].Name(l.Lang)}
		for _, c := range s.Cells {
			if i == 0 {
				labels = append(labels, l.DimValue(dim, c.Keys[dim], v.Labels))
			}
			cs.Values = append(cs.Values, c.Value)
			cs.Hidden = append(cs.Hidden, c.Suppressed)
		}
		series = append(series, cs)
		f.Legend = append(f.Legend, cs.Name)
	}
	f.SVG = chart.Bars{Title: caption, Labels: labels, Series: series, Format: num}.SVG()
	return f
}

// achievementFigure draws the year's results against the targets set
// for the organisation (or below it), or nil without targets.
func (s *Server) achievementFigure(r *http.Request, org *caunoi.Organisation, p caunoi.Period, l *i18n.Localizer) (*figure, error) {
	ts, _, err := s.Targets.FindTargets(r.Context(), caunoi.TargetFilter{OrgID: org.ID, Period: &p, Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
	if err != nil {
		return nil, err
	}
	sum := map[string]float64{}
	own := map[string]bool{}
	var order []string
	for _, t := range ts {
		if t.Model != "" {
			continue
		}
		if _, ok := sum[t.Indicator]; !ok {
			order = append(order, t.Indicator)
		}
		switch {
		case t.OrgID == org.ID:
			sum[t.Indicator], own[t.Indicator] = t.Value, true
		case !own[t.Indicator]:
			sum[t.Indicator] += t.Value
		}
	}
	if len(order) == 0 {
		return nil, nil
	}
	vals, err := s.Indicators.Evaluate(r.Context(), caunoi.ValueQuery{OrgID: org.ID, Period: p, Indicators: order})
	if err != nil {
		return nil, err
	}
	f := &figure{Caption: l.T("dashboard.achievement")}
	var items []chart.ProgressItem
	for _, code := range order {
		c := vals.Total(code)
		items = append(items, chart.ProgressItem{Label: vals.Indicators[code].Name(l.Lang), Value: c.Value, Target: sum[code],
			Text: l.CellText(c, false) + " / " + l.Value(sum[code], false)})
	}
	f.SVG = chart.Progress{Title: f.Caption, Items: items, Percent: func(x float64) string { return fmt.Sprintf("%s%%", l.Value(x, false)) }}.SVG()
	return f, nil
}
