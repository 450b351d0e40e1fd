package sqldb

import (
	"context"
	"fmt"
	"slices"
	"time"

	"caunoi"
)

// IncidentStats counts the live cases of the actor's report.read scope
// (or of one organisation of it) by issue, violator, GBVIMS type, context,
// channel, risk and month. It reads only those columns: no id, name, text
// or day leaves the database. Cells below caunoi.MinIncidentCell are
// suppressed unless the actor holds case.read wherever it counts.
func (s *HotlineService) IncidentStats(ctx context.Context, f caunoi.IncidentFilter) (*caunoi.IncidentStats, error) {
	a, err := caunoi.Require(ctx, caunoi.PermReportRead)
	if err != nil {
		return nil, err
	}
	var st *caunoi.IncidentStats
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add("SELECT h.issues, h.rights_violators, h.gbv_type, h.violence_contexts, h.channel, h.risk, h.received_on, h.client_id IS NULL",
			" FROM hotline_cases h WHERE ")
		if err := w.scope(a, caunoi.PermReportRead, "h.org_path"); err != nil {
			return err
		}
		w.add(" AND h.voided_at IS NULL")
		paths := a.ScopePaths(caunoi.PermReportRead)
		if f.OrgID != "" {
			o, err := tx.findOrg(ctx, f.OrgID, caunoi.PermReportRead)
			if err != nil {
				return err
			}
			w.add(" AND h.org_path >= ", w.arg(o.Path), " AND h.org_path < ", w.arg(pathEnd(o.Path)))
			paths = []string{o.Path}
		}
		if f.From != nil {
			w.add(" AND h.received_at >= ", w.arg(f.From.UTC()))
		}
		if f.To != nil {
			w.add(" AND h.received_at < ", w.arg(f.To.UTC()))
		}
		exact := true
		if !a.System {
			for _, p := range paths {
				exact = exact && a.CanAt(caunoi.PermCaseRead, p)
			}
		}
		t := newTally()
		rows, err := tx.QueryContext(ctx, w.String(), w.args...)
		if err != nil {
			return fmt.Errorf("incident statistics: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var issues, violators, gbv, contexts, channel, risk string
			var day time.Time
			var anon bool
			if err := rows.Scan(&issues, &violators, &gbv, &contexts, &channel, &risk, &day, &anon); err != nil {
				return fmt.Errorf("incident statistics: %w", err)
			}
			t.add("total", "")
			if anon {
				t.add("anonymous", "")
			}
			for _, x := range splitList[string](issues) {
				t.add("issue", x)
			}
			for _, x := range splitList[string](violators) {
				t.add("violator", x)
			}
			if gbv != "" {
				t.add("gbv", gbv)
			}
			for _, x := range splitList[string](contexts) {
				t.add("context", x)
			}
			t.add("channel", channel)
			t.add("risk", risk)
			t.add("month", day.UTC().Format("2006-01"))
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("incident statistics: %w", err)
		}
		st = t.stats(exact)
		return nil
	})
	return st, err
}

// tally counts values by dimension.
type tally map[string]map[string]int

func newTally() tally { return tally{} }

func (t tally) add(dim, key string) {
	if t[dim] == nil {
		t[dim] = map[string]int{}
	}
	t[dim][key]++
}

// cell returns a count as published: small counts suppressed unless
// exact.
func cell(key string, n int, exact bool) caunoi.StatCell {
	if !exact && n > 0 && n < caunoi.MinIncidentCell {
		return caunoi.StatCell{Key: key, Suppressed: true}
	}
	return caunoi.StatCell{Key: key, Count: n}
}

// cells lists every key of a closed list, zeros included, so that the
// shape of a table tells nothing.
func (t tally) cells(dim string, keys []string, exact bool) []caunoi.StatCell {
	out := make([]caunoi.StatCell, 0, len(keys))
	for _, k := range keys {
		out = append(out, cell(k, t[dim][k], exact))
	}
	return out
}

func (t tally) stats(exact bool) *caunoi.IncidentStats {
	st := &caunoi.IncidentStats{
		Total:      cell("total", t["total"][""], exact),
		Exact:      exact,
		Anonymous:  cell("anonymous", t["anonymous"][""], exact),
		ByIssue:    t.cells("issue", caunoi.CaseIssues, exact),
		ByViolator: t.cells("violator", caunoi.RightsViolators, exact),
		ByGBVType:  t.cells("gbv", caunoi.GBVTypes, exact),
		ByContext:  t.cells("context", caunoi.ViolenceContexts, exact),
		ByChannel:  t.cells("channel", caunoi.CaseChannels, exact),
		ByRisk:     t.cells("risk", caunoi.RiskLevels, exact),
		ByMonth:    []caunoi.StatCell{},
	}
	months := make([]string, 0, len(t["month"]))
	for m := range t["month"] {
		months = append(months, m)
	}
	slices.Sort(months)
	for _, m := range months {
		st.ByMonth = append(st.ByMonth, cell(m, t["month"][m], exact))
	}
	return st
}
