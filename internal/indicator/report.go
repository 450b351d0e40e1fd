package indicator

import (
	"slices"

	"caunoi"
)

// ReportShape says how a report of an organisation is laid out: its
// level, the dimensions of its columns and those of its breakdown tables.
// clientLevel is whether the reader may see the organisation's clients;
// without it there are no columns per group.
func ReportShape(root *caunoi.Organisation, clientLevel bool) (level string, columns, breakdowns []string) {
	switch root.Kind {
	case caunoi.OrgNational:
		return caunoi.ReportNational, []string{caunoi.DimProvince, caunoi.DimModel}, []string{caunoi.DimSex, caunoi.DimAgeBand, caunoi.DimPopulation}
	case caunoi.OrgGroup:
		return caunoi.ReportGroup, nil, []string{caunoi.DimSex, caunoi.DimAgeBand, caunoi.DimPopulation, caunoi.DimResidence}
	default:
		cols := []string{caunoi.DimModel}
		if clientLevel {
			cols = append(cols, caunoi.DimOrg)
		}
		return caunoi.ReportProvince, cols, []string{caunoi.DimSex, caunoi.DimAgeBand, caunoi.DimPopulation, caunoi.DimResidence}
	}
}

// ReportGroupings returns the groupings a report's values need.
func ReportGroupings(columns, breakdowns []string) [][]string {
	var out [][]string
	for _, d := range append(slices.Clone(columns), breakdowns...) {
		out = append(out, []string{d})
	}
	return out
}

// BuildReport lays values out as a report, with the targets of the period
// set on the organisation and its subtree.
func BuildReport(v *caunoi.Values, root *caunoi.Organisation, level string, columns, breakdowns []string, targets []*caunoi.Target) *caunoi.Report {
	r := &caunoi.Report{Org: root, Period: v.Period, Level: level, Shared: v.Shared}
	for _, d := range columns {
		for _, k := range keysOf(v, d) {
			r.Columns = append(r.Columns, caunoi.ReportColumn{Dim: d, Key: k, Label: v.Labels[d][k]})
		}
	}
	tg := targetIndex(targets)
	var codes []string
	for _, s := range v.Series {
		if len(s.Grouping) == 0 {
			codes = append(codes, s.Indicator)
		}
	}
	for _, sec := range Sections {
		section := caunoi.ReportSection{Key: sec}
		for _, code := range codes {
			ind := v.Indicators[code]
			if ind.Section != sec && !(sec == Sections[0] && !slices.Contains(Sections, ind.Section)) {
				continue
			}
			row := caunoi.ReportRow{Indicator: ind, Total: v.Total(code)}
			row.Target = tg.sum(code, root, "", func(t *caunoi.Target) bool { return t.OrgID != root.ID && t.Model == "" })
			if row.Target != nil {
				if a, ok := caunoi.Achievement(row.Total.Value, *row.Target); ok && !row.Total.Suppressed {
					row.Achievement = &a
				}
			}
			for _, c := range r.Columns {
				row.Cells = append(row.Cells, v.Find(code, c.Dim).Cell(c.Dim, c.Key))
				var t *float64
				switch c.Dim {
				case caunoi.DimModel:
					t = tg.sum(code, root, caunoi.Model(c.Key), func(t *caunoi.Target) bool { return t.OrgID != root.ID && string(t.Model) == c.Key })
				case caunoi.DimOrg:
					t = tg.get(code, c.Key, "")
				}
				row.Targets = append(row.Targets, t)
			}
			section.Rows = append(section.Rows, row)
		}
		if len(section.Rows) > 0 {
			r.Sections = append(r.Sections, section)
		}
	}
	for _, d := range breakdowns {
		b := caunoi.ReportBreakdown{Dim: d, Keys: keysOf(v, d)}
		for _, code := range codes {
			s := v.Find(code, d)
			if s == nil {
				continue
			}
			row := caunoi.BreakdownRow{Indicator: v.Indicators[code], Total: v.Total(code)}
			for _, k := range b.Keys {
				row.Cells = append(row.Cells, s.Cell(d, k))
			}
			b.Rows = append(b.Rows, row)
		}
		if len(b.Rows) > 0 {
			r.Breakdowns = append(r.Breakdowns, b)
		}
	}
	return r
}

// keysOf returns the keys of a dimension, in the engine's order.
func keysOf(v *caunoi.Values, dim string) []string {
	for _, s := range v.Series {
		if len(s.Grouping) == 1 && s.Grouping[0] == dim {
			keys := make([]string, len(s.Cells))
			for i, c := range s.Cells {
				keys[i] = c.Keys[dim]
			}
			return keys
		}
	}
	return nil
}

// targets indexes targets by indicator, organisation and model.
type targets map[[3]string]*caunoi.Target

func targetIndex(ts []*caunoi.Target) targets {
	out := targets{}
	for _, t := range ts {
		out[[3]string{t.Indicator, t.OrgID, string(t.Model)}] = t
	}
	return out
}

func (ts targets) get(code, orgID string, model caunoi.Model) *float64 {
	if t := ts[[3]string{code, orgID, string(model)}]; t != nil {
		v := t.Value
		return &v
	}
	return nil
}

// sum returns the organisation's own target for the model, or else the
// sum of the targets below it that match.
func (ts targets) sum(code string, root *caunoi.Organisation, model caunoi.Model, below func(*caunoi.Target) bool) *float64 {
	if v := ts.get(code, root.ID, model); v != nil {
		return v
	}
	var total float64
	found := false
	for k, t := range ts {
		if k[0] == code && below(t) {
			total += t.Value
			found = true
		}
	}
	if !found {
		return nil
	}
	return &total
}
