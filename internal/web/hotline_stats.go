package web

import (
	"net/http"
	"time"

	"caunoi"
	"caunoi/internal/i18n"
)

// caseStatsTable is one table of the incident statistics: a title and its
// rows.
type caseStatsTable struct {
	Title string
	Rows  []caseStatsRow
}

// caseStatsRow is a cell with its label translated.
type caseStatsRow struct {
	Label string
	caunoi.StatCell
}

// statsTable labels cells by the catalogue prefix and their key; without
// a prefix the key is a month, yyyy-mm, shown mm/yyyy.
func statsTable(l *i18n.Localizer, title, prefix string, cells []caunoi.StatCell) caseStatsTable {
	t := caseStatsTable{Title: title}
	for _, c := range cells {
		label := c.Key
		if prefix != "" {
			label = l.T(prefix + c.Key)
		} else if m, err := time.Parse("2006-01", c.Key); err == nil {
			label = m.Format("01/2006")
		}
		t.Rows = append(t.Rows, caseStatsRow{Label: label, StatCell: c})
	}
	return t
}

// caseStatsData is what the statistics page shows.
type caseStatsData struct {
	Stats  *caunoi.IncidentStats
	Tables []caseStatsTable
	Orgs   []*caunoi.Organisation
}

// caseStats shows the incident statistics of the actor's report.read
// scope: counts only, small cells suppressed where the reader may not see
// the cases behind them.
func (s *Server) caseStats(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	d := &caseStatsData{}
	p := s.newPage(r, "page.case_stats", d)
	p.Form = q
	orgs, err := s.fwOrgs(ctx, caunoi.PermReportRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Orgs = orgs
	f := caunoi.IncidentFilter{OrgID: q.Get("org")}
	var ferr error
	if f.From, f.To, ferr = fwMoments(q); ferr != nil {
		p.Error, p.Fields = p.L.Error(ferr)
	}
	if d.Stats, err = s.Hotline.IncidentStats(ctx, f); err != nil {
		s.fail(w, r, err)
		return
	}
	st := d.Stats
	d.Tables = []caseStatsTable{
		statsTable(p.L, "case_stats.by_issue", "case_issue.", st.ByIssue),
		statsTable(p.L, "case_stats.by_violator", "rights_violator.", st.ByViolator),
		statsTable(p.L, "case_stats.by_gbv_type", "gbv_type.", st.ByGBVType),
		statsTable(p.L, "case_stats.by_context", "violence_context.", st.ByContext),
		statsTable(p.L, "case_stats.by_channel", "case_channel.", st.ByChannel),
		statsTable(p.L, "case_stats.by_risk", "risk.", st.ByRisk),
		statsTable(p.L, "case_stats.by_month", "", st.ByMonth),
	}
	s.render(w, r, http.StatusOK, "case_stats", p)
}
