package indicator

import (
	"slices"
	"strconv"
	"strings"

	"caunoi"
)

const keySep = "\x1f"

// normalKey maps the empty value of a dimension to "unknown".
func normalKey(dim, k string) string {
	if k == "" && dim != caunoi.DimOrg {
		return "unknown"
	}
	return k
}

// Add records one result row of a query: a string per dimension, then a
// number per base indicator.
func (p *Plan) Add(q *Query, keys []string, vals []float64) {
	if q.Fine {
		p.addFine(q, keys, vals)
		return
	}
	nk := make([]string, len(keys))
	for i, k := range keys {
		nk[i] = normalKey(q.Dims[i], k)
		if p.seen[q.Dims[i]] == nil {
			p.seen[q.Dims[i]] = map[string]bool{}
		}
		p.seen[q.Dims[i]][nk[i]] = true
	}
	g := strings.Join(q.Dims, ",")
	ck := strings.Join(nk, keySep)
	for i, code := range q.Bases {
		if p.base[code] == nil {
			p.base[code] = map[string]map[string]float64{}
		}
		if p.base[code][g] == nil {
			p.base[code][g] = map[string]float64{}
		}
		p.base[code][g][ck] += vals[i]
	}
}

// addFine adds a row of a fine query — its branch, an organisation's path
// and the values of the branch's client dimensions — into every grouping
// the branch serves: a row counts under the organisation, its province,
// each of its models, and the client dimensions' values (each of a
// client's populations).
func (p *Plan) addFine(q *Query, keys []string, vals []float64) {
	bi, _ := strconv.Atoi(keys[0])
	if bi < 0 || bi >= len(q.Branches) {
		return
	}
	branch := q.Branches[bi]
	row := map[string]string{}
	for i, d := range branch {
		row[d] = keys[2+i]
	}
	orgID := p.orgOfPath[keys[1]]
	values := func(d string) []string {
		switch d {
		case caunoi.DimOrg:
			return []string{orgID}
		case caunoi.DimProvince:
			return []string{normalKey(d, p.req.Keys.Province[orgID])}
		case caunoi.DimModel:
			return p.req.Keys.Models[orgID]
		case caunoi.DimPopulation:
			return strings.FieldsFunc(row[d], func(r rune) bool { return r == ',' })
		}
		return []string{normalKey(d, row[d])}
	}
	for i, code := range q.Bases {
		if vals[i] == 0 {
			continue
		}
		for _, g := range q.Serves[code] {
			if !slices.Equal(clientDimsOf(g), branch) {
				continue
			}
			cells := [][]string{{}}
			for _, d := range g {
				var next [][]string
				for _, prefix := range cells {
					for _, k := range values(d) {
						next = append(next, append(slices.Clone(prefix), k))
						if p.seen[d] == nil {
							p.seen[d] = map[string]bool{}
						}
						p.seen[d][k] = true
					}
				}
				cells = next
			}
			gk := strings.Join(g, ",")
			if p.base[code] == nil {
				p.base[code] = map[string]map[string]float64{}
			}
			if p.base[code][gk] == nil {
				p.base[code][gk] = map[string]float64{}
			}
			for _, c := range cells {
				p.base[code][gk][strings.Join(c, keySep)] += vals[i]
			}
		}
	}
}

// cellData is a computed value before suppression.
type cellData struct {
	value, num, den float64
	ratio           bool
}

// domain lists the values a dimension takes, in display order: the known
// ones (with zeros) and any other found in the results.
func (p *Plan) domain(dim string) []string {
	var out []string
	subtree := p.subtree()
	switch dim {
	case caunoi.DimSex:
		out = slices.Clone(caunoi.Sexes)
	case caunoi.DimAgeBand:
		out = slices.Clone(caunoi.AgeBands[:len(caunoi.AgeBands)-1])
	case caunoi.DimPopulation:
		out = popStrings()
	case caunoi.DimResidence:
		out = slices.Clone(caunoi.Residences)
	case caunoi.DimModel:
		for _, m := range caunoi.Models {
			for _, o := range subtree {
				if o.Kind == caunoi.OrgGroup && !o.Voided() && slices.Contains(o.Models, m) {
					out = append(out, string(m))
					break
				}
			}
		}
	case caunoi.DimOrg:
		var groups []*caunoi.Organisation
		for _, o := range subtree {
			if o.Kind == caunoi.OrgGroup && !o.Voided() {
				groups = append(groups, o)
			}
		}
		slices.SortFunc(groups, func(a, b *caunoi.Organisation) int { return strings.Compare(caunoi.Fold(a.Name), caunoi.Fold(b.Name)) })
		for _, o := range groups {
			out = append(out, o.ID)
		}
	case caunoi.DimProvince:
		out = p.req.Keys.provinces(subtree)
	}
	var extra []string
	for k := range p.seen[dim] {
		if !slices.Contains(out, k) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// subtree returns the organisations of the root's subtree.
func (p *Plan) subtree() []*caunoi.Organisation {
	var out []*caunoi.Organisation
	for _, o := range p.req.Orgs {
		if strings.HasPrefix(o.Path, p.req.Root.Path) {
			out = append(out, o)
		}
	}
	return out
}

// grid returns the cell keys of a grouping: every combination of the
// dimensions' values.
func (p *Plan) grid(g []string) [][]string {
	out := [][]string{{}}
	for _, d := range g {
		var next [][]string
		for _, prefix := range out {
			for _, k := range p.domain(d) {
				next = append(next, append(slices.Clone(prefix), k))
			}
		}
		out = next
	}
	return out
}

// Values assembles the answer: the base numbers, the sums and ratios
// computed from them, every cell of every grouping (zeros included), and,
// for shared output, the small cells suppressed with their complements.
func (p *Plan) Values() *caunoi.Values {
	// Computed cells: code → grouping → cell key.
	comp := map[string]map[string]map[string]cellData{}
	grids := map[string][][]string{}
	for _, g := range p.groupings {
		grids[strings.Join(g, ",")] = p.grid(g)
	}
	for _, code := range p.order {
		ind := p.req.Set[code]
		comp[code] = map[string]map[string]cellData{}
		for _, g := range p.groupings {
			if !p.supports(code, g) {
				continue
			}
			gk := strings.Join(g, ",")
			cells := map[string]cellData{}
			for _, keys := range grids[gk] {
				ck := strings.Join(keys, keySep)
				switch ind.Count {
				case caunoi.CountSum:
					var sum float64
					for _, t := range ind.Terms {
						sum += comp[t][gk][ck].value
					}
					cells[ck] = cellData{value: sum}
				case caunoi.CountRatio:
					num, den := comp[ind.Numerator][gk][ck].value, comp[ind.Denominator][gk][ck].value
					cells[ck] = cellData{num: num, den: den, ratio: true}
				default:
					cells[ck] = cellData{value: p.base[code][gk][ck]}
				}
			}
			comp[code][gk] = cells
		}
	}
	v := &caunoi.Values{OrgID: p.req.Root.ID, OrgName: p.req.Root.Name, Period: p.req.Period, Shared: p.req.Shared,
		Labels: map[string]map[string]string{}, Indicators: map[string]*caunoi.Indicator{}}
	for _, code := range p.order {
		v.Indicators[code] = p.req.Set[code]
	}
	want := map[string]bool{}
	for _, c := range p.req.Codes {
		want[c] = true
	}
	// Suppression needs the series of references too; only the asked
	// ones are returned.
	var all []caunoi.Series
	for _, code := range p.order {
		ind := p.req.Set[code]
		for _, g := range p.groupings {
			gk := strings.Join(g, ",")
			cells, ok := comp[code][gk]
			if !ok {
				continue
			}
			s := caunoi.Series{Indicator: code, Grouping: slices.Clone(g)}
			for _, keys := range grids[gk] {
				cd := cells[strings.Join(keys, keySep)]
				c := caunoi.Cell{Keys: map[string]string{}}
				for i, d := range g {
					c.Keys[d] = keys[i]
				}
				if cd.ratio {
					scale := float64(max(ind.Scale, 1))
					num, den := cd.num, cd.den
					c.Numerator, c.Denominator = &num, &den
					if den == 0 {
						c.Undefined = true
					} else {
						c.Value = scale * num / den
					}
				} else {
					c.Value = cd.value
				}
				s.Cells = append(s.Cells, c)
			}
			all = append(all, s)
		}
	}
	if p.req.Shared {
		suppress(all, p.req.Set)
	}
	for _, code := range p.req.Codes {
		for _, s := range all {
			if s.Indicator == code && want[code] {
				v.Series = append(v.Series, s)
			}
		}
		delete(want, code)
	}
	orgNames := map[string]string{}
	for _, o := range p.req.Orgs {
		orgNames[o.ID] = o.Name
	}
	for _, g := range p.groupings {
		for _, d := range g {
			if d != caunoi.DimOrg && d != caunoi.DimProvince {
				continue
			}
			if v.Labels[d] == nil {
				v.Labels[d] = map[string]string{}
			}
			for _, k := range p.domain(d) {
				if d == caunoi.DimOrg {
					v.Labels[d][k] = orgNames[k]
				} else {
					v.Labels[d][k] = p.req.Keys.ProvinceNames[k]
				}
			}
		}
	}
	return v
}
