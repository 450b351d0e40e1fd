package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"caunoi"
	"caunoi/internal/httperr"
	"caunoi/internal/xlsx"
)

// reportParams are what a report page asks for: ?org=&period= (a period
// code, or "custom" with from= and to= as dd/mm/yyyy) and &shared=1.
type reportParams struct {
	OrgID  string
	Period caunoi.Period
	Shared bool
}

// periodOption is a choice of the period list.
type periodOption struct {
	Code, Label string
}

// periodOptions lists the halves, years and quarters of the last three
// years, newest first, then the last twelve months.
func periodOptions(l interface{ PeriodName(caunoi.Period) string }) []periodOption {
	y := caunoi.Today().Year()
	var out []periodOption
	for year := y; year >= y-2; year-- {
		for _, code := range []string{"-H1", "-H2", "", "-Q1", "-Q2", "-Q3", "-Q4"} {
			p, err := caunoi.ParsePeriod(strconv.Itoa(year) + code)
			if err == nil && !p.Start.After(caunoi.Today()) {
				out = append(out, periodOption{Code: p.Code(), Label: l.PeriodName(p)})
			}
		}
	}
	m := caunoi.CurrentPeriod(caunoi.PeriodMonth, caunoi.Today())
	for range 12 {
		out = append(out, periodOption{Code: m.Code(), Label: l.PeriodName(m)})
		m = m.Previous()
	}
	return out
}

// readReportParams reads the parameters of a report, with defaults: the
// actor's own organisation and the current half-year.
func (s *Server) readReportParams(ctx context.Context, q url.Values) (reportParams, error) {
	p := reportParams{OrgID: strings.TrimSpace(q.Get("org")), Shared: q.Get("shared") != ""}
	if p.OrgID == "" {
		p.OrgID = defaultReportOrg(caunoi.ActorFromContext(ctx))
	}
	code := strings.TrimSpace(q.Get("period"))
	var err error
	switch code {
	case "":
		p.Period = caunoi.CurrentPeriod(caunoi.PeriodHalf, caunoi.Today())
	case caunoi.PeriodCustom:
		from, okf := caunoi.ParseDate(q.Get("from"))
		to, okt := caunoi.ParseDate(q.Get("to"))
		if !okf || !okt {
			var v caunoi.Validator
			v.Check(okf, "from", "err.date.format", nil)
			v.Check(okt, "to", "err.date.format", nil)
			return p, v.Err()
		}
		p.Period, err = caunoi.CustomPeriod(from, to)
	default:
		p.Period, err = caunoi.ParsePeriod(code)
	}
	return p, err
}

// defaultReportOrg is the top organisation on which the actor holds
// report.read.
func defaultReportOrg(a *caunoi.Actor) string {
	best := ""
	depth := 1 << 30
	for _, g := range a.Grants {
		if g.Role.Has(caunoi.PermReportRead) {
			if d := strings.Count(g.OrgPath, "/"); d < depth {
				best, depth = g.OrgID, d
			}
		}
	}
	return best
}

// reportOrgs lists the organisations the actor may see a report of: in
// its report.read scope, and not a single group unless it may see the
// group's clients.
func (s *Server) reportOrgs(ctx context.Context) ([]*caunoi.Organisation, error) {
	a := caunoi.ActorFromContext(ctx)
	orgs, err := s.fwOrgs(ctx, caunoi.PermReportRead)
	if err != nil {
		return nil, err
	}
	out := orgs[:0]
	for _, o := range orgs {
		if o.Kind != caunoi.OrgGroup || a.CanAt(caunoi.PermClientRead, o.Path) {
			out = append(out, o)
		}
	}
	return out, nil
}

// reportPageData is what the report page shows.
type reportPageData struct {
	Report  *caunoi.Report
	Orgs    []*caunoi.Organisation
	Periods []periodOption
	Params  reportParams
	Custom  bool
	View    *reportView
	// Links with the report's parameters.
	ExportXLSX, TargetsLink, DHIS2Link string
	CanTarget                          bool
}

// reportView numbers a report's sections and rows and groups its columns
// under their headings, as the page shows them.
type reportView struct {
	Groups   []colGroup
	Sections []sectionView
	Span     int // the columns after the number
}

type colGroup struct {
	Dim  string
	Span int
}

type sectionView struct {
	No, Key string
	Rows    []rowView
}

type rowView struct {
	No int
	caunoi.ReportRow
}

var romans = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}

func newReportView(r *caunoi.Report) *reportView {
	v := &reportView{Span: 5 + len(r.Columns)}
	for _, c := range r.Columns {
		if n := len(v.Groups); n > 0 && v.Groups[n-1].Dim == c.Dim {
			v.Groups[n-1].Span++
		} else {
			v.Groups = append(v.Groups, colGroup{Dim: c.Dim, Span: 1})
		}
	}
	n := 0
	for i, sec := range r.Sections {
		sv := sectionView{No: romans[i%len(romans)], Key: sec.Key}
		for _, row := range sec.Rows {
			n++
			sv.Rows = append(sv.Rows, rowView{No: n, ReportRow: row})
		}
		v.Sections = append(v.Sections, sv)
	}
	return v
}

// reportQuery encodes report parameters as a query.
func reportQuery(p reportParams) url.Values {
	v := url.Values{"org": {p.OrgID}}
	if p.Period.Kind == caunoi.PeriodCustom {
		v.Set("period", caunoi.PeriodCustom)
		v.Set("from", p.Period.Start.Format("02/01/2006"))
		v.Set("to", p.Period.End.Format("02/01/2006"))
	} else {
		v.Set("period", p.Period.Code())
	}
	if p.Shared {
		v.Set("shared", "1")
	}
	return v
}

// reports shows the report of an organisation for a period, with the
// form to choose them; it prints as the report itself.
func (s *Server) reports(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	d := &reportPageData{}
	p := s.newPage(r, "page.reports", d)
	p.Form = q
	d.Periods = periodOptions(p.L)
	orgs, err := s.reportOrgs(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Orgs = orgs
	params, perr := s.readReportParams(ctx, q)
	d.Params = params
	d.Custom = q.Get("period") == caunoi.PeriodCustom
	if perr != nil {
		p.Error, p.Fields = p.L.Error(perr)
		s.render(w, r, http.StatusUnprocessableEntity, "reports", p)
		return
	}
	rep, err := s.Reports.Report(ctx, caunoi.ReportQuery{OrgID: params.OrgID, Period: params.Period, Shared: params.Shared})
	if err != nil {
		if code := caunoi.ErrorCode(err); code == caunoi.EINVALID || code == caunoi.EFORBIDDEN {
			p.Error, p.Fields = p.L.Error(err)
			s.render(w, r, httperr.Status(err), "reports", p)
			return
		}
		s.fail(w, r, err)
		return
	}
	d.Report, d.View = rep, newReportView(rep)
	rq := reportQuery(params).Encode()
	d.ExportXLSX = "/reports/export?" + rq
	d.TargetsLink = "/targets?" + rq
	d.DHIS2Link = "/dhis2?" + rq
	a := caunoi.ActorFromContext(ctx)
	d.CanTarget = a.CanAt(caunoi.PermMonitorWrite, rep.Org.Path)
	s.render(w, r, http.StatusOK, "reports", p)
}

// reportExport offers the report as the workbook sent upward.
func (s *Server) reportExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	params, err := s.readReportParams(ctx, r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := s.Reports.Report(ctx, caunoi.ReportQuery{OrgID: params.OrgID, Period: params.Period, Shared: params.Shared})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := s.localizer(r)
	var buf bytes.Buffer
	if err := xlsx.WriteReport(&buf, rep, l); err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", xlsx.XLSXContentType)
	h.Set("Content-Disposition", xlsx.ContentDisposition(xlsx.ReportFileName(rep, l)))
	_, _ = buf.WriteTo(w)
}
