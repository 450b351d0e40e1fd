package indicator

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"caunoi"
)

// MaxGroupingDims bounds the dimensions crossed in one grouping.
const MaxGroupingDims = 2

// Request is what to evaluate: indicators (Codes, from Set) over a period
// for the subtree of Root, broken down by each grouping.
type Request struct {
	Dialect Dialect
	Root    *caunoi.Organisation
	// Orgs holds the root's subtree and its ancestors.
	Orgs      []*caunoi.Organisation
	Keys      OrgKeys
	Period    caunoi.Period
	Set       map[string]*caunoi.Indicator
	Codes     []string
	Groupings [][]string
	Shared    bool
	// Raw counts from the records only, never from the rollups.
	Raw bool
	// Spanning names the rollup sources some of whose clients in the
	// subtree have records in more than one organisation: their distinct
	// clients are counted one grouping at a time, not added up.
	Spanning map[string]bool
	// Counted names the filters ("source|key", see Filter.Key) whose
	// counts the count rollup holds for every organisation.
	Counted map[string]bool
}

// Query is one SQL statement of a plan. Its result rows hold one string
// per dimension of Dims, then one number per base indicator of Bases.
type Query struct {
	SQL    string
	Args   []any
	Dims   []string
	Bases  []string
	Source string
	Rollup bool // reads the rollups, not the records
	// Fine queries read a rollup by organisation (org_path) and the
	// client's attributes (Dims names the columns); their rows are added
	// up into every grouping of Serves.
	Fine   bool
	Serves map[string][][]string
	// Branches are the client dimensions of each part of a fine query's
	// answer: a row's first column names its branch, the second its
	// organisation's path, then up to four dimension values.
	Branches [][]string
}

// Plan evaluates a request: run its Queries, feed each result row to Add,
// then take Values.
type Plan struct {
	req       Request
	groupings [][]string // the total first
	order     []string   // every indicator needed, references first
	queries   []*Query
	// base holds the base indicators' numbers: code → grouping → cell key → value.
	base map[string]map[string]map[string]float64
	seen map[string]map[string]bool // dim → keys seen in results
	// orgOfPath maps organisation paths to ids, for fine queries.
	orgOfPath map[string]string
}

// NewPlan checks a request and builds its queries. Unknown indicators are
// ENOTFOUND; bad groupings EINVALID.
func NewPlan(req Request) (*Plan, error) {
	if err := req.Period.Validate(); err != nil {
		return nil, err
	}
	order, err := Closure(req.Codes, req.Set)
	if err != nil {
		return nil, err
	}
	p := &Plan{req: req, order: order, base: map[string]map[string]map[string]float64{}, seen: map[string]map[string]bool{}, orgOfPath: map[string]string{}}
	for _, o := range req.Orgs {
		p.orgOfPath[o.Path] = o.ID
	}
	p.groupings = [][]string{{}}
	for _, g := range req.Groupings {
		if err := checkGrouping(g); err != nil {
			return nil, err
		}
		g = slices.Clone(g)
		if len(g) > 0 && !slices.ContainsFunc(p.groupings, func(x []string) bool { return slices.Equal(x, g) }) {
			p.groupings = append(p.groupings, g)
		}
	}
	// Bucket the base indicators by source, path and grouping: one query
	// each.
	type bucket struct {
		source   string
		rollup   int // 0 records, 1 rollup, 2 measure rollup
		grouping string
	}
	const fine = "*"
	buckets := map[bucket][]string{}
	serves := map[bucket]map[string][][]string{}
	var keys []bucket
	for _, code := range order {
		ind := req.Set[code]
		if ind.Derived() {
			continue
		}
		for _, g := range p.groupings {
			if !p.supports(code, g) {
				continue
			}
			b := bucket{source: ind.Source, rollup: p.path(ind, g), grouping: strings.Join(g, ",")}
			if b.rollup >= 2 || (b.rollup == 1 && !req.Spanning[ind.Source]) {
				// One read of the rollup serves every grouping.
				b.grouping = fine
				if serves[b] == nil {
					serves[b] = map[string][][]string{}
				}
				serves[b][code] = append(serves[b][code], g)
			}
			if _, ok := buckets[b]; !ok {
				keys = append(keys, b)
			}
			if !slices.Contains(buckets[b], code) {
				buckets[b] = append(buckets[b], code)
			}
		}
	}
	for _, b := range keys {
		var q *Query
		var err error
		if b.grouping == fine {
			// A large scope is read in chunks of its children, side by
			// side: organisations are added up anyway.
			for _, r := range p.chunks(b.rollup) {
				p.queries = append(p.queries, p.buildFine(SourceByName(b.source), b.rollup, buckets[b], serves[b], r[0], r[1]))
			}
			continue
		} else {
			var g []string
			if b.grouping != "" {
				g = strings.Split(b.grouping, ",")
			}
			q, err = p.build(SourceByName(b.source), b.rollup, g, buckets[b])
		}
		if err != nil {
			return nil, err
		}
		p.queries = append(p.queries, q)
	}
	return p, nil
}

// MaxChunks bounds the pieces a large scope's rollup is read in.
const MaxChunks = 4

// chunks splits the root's subtree into ranges of paths for fine reads:
// the whole subtree, or, for a root with many children (the nation), up
// to MaxChunks runs of its children of about equal size (the root's own
// rows go with the first).
func (p *Plan) chunks(path int) [][2]string {
	root := p.req.Root.Path
	whole := [][2]string{{root, PathEnd(root)}}
	if path != 1 {
		return whole
	}
	var children []*caunoi.Organisation
	for _, o := range p.req.Orgs {
		if o.ParentID == p.req.Root.ID {
			children = append(children, o)
		}
	}
	if len(children) < 2*MaxChunks {
		return whole
	}
	slices.SortFunc(children, func(a, b *caunoi.Organisation) int { return strings.Compare(a.Path, b.Path) })
	var out [][2]string
	per := (len(children) + MaxChunks - 1) / MaxChunks
	for i := 0; i < len(children); i += per {
		last := children[min(i+per, len(children))-1]
		lo := children[i].Path
		if i == 0 {
			lo = root
		}
		out = append(out, [2]string{lo, PathEnd(last.Path)})
	}
	return out
}

// clientDims are the dimensions a rollup row carries of its client.
var clientDims = []string{caunoi.DimSex, caunoi.DimAgeBand, caunoi.DimPopulation, caunoi.DimResidence}

// fineWidth is the number of dimension columns of a fine query's rows.
const fineWidth = 4

// clientDimsOf returns a grouping's client dimensions, in clientDims
// order.
func clientDimsOf(g []string) []string {
	var out []string
	for _, d := range clientDims {
		if slices.Contains(g, d) {
			out = append(out, d)
		}
	}
	return out
}

// buildFine writes the one query that reads a rollup for every grouping
// its bases serve. On the rollup of events and clients it reads the scope
// once in the rollup's key order, collapsing each client's rows into one
// (events summed, "counted or not" for each distinct-client indicator),
// then adds those up by organisation and by each set of client
// attributes some grouping needs: a few thousand rows for the nation,
// which Add spreads into every grouping. The measure rollup is read by
// organisation.
func (p *Plan) buildFine(src *Source, path int, codes []string, serves map[string][][]string, lo, hi string) *Query {
	if path == 3 {
		return p.buildCounts(src, codes, serves, lo, hi)
	}
	var b sqlBuilder
	oneYear := p.req.Period.Start.Year() == p.req.Period.End.Year()
	if path == 2 {
		var vals []string
		for _, code := range codes {
			vals = append(vals, p.valueExpr(src, path, p.req.Set[code], "r.populations"))
		}
		b.add("SELECT '0', r.org_path, '', '', '', '', ", strings.Join(vals, ", "))
		b.add(" FROM monitoring_measures r WHERE r.source = ", b.arg(src.Name), " AND r.org_path >= ", b.arg(lo), " AND r.org_path < ", b.arg(hi))
		b.add(" AND (", monthRanges(p.req.Period), ") GROUP BY r.org_path")
		return &Query{SQL: b.sb.String(), Args: b.args, Dims: make([]string, 2+fineWidth), Bases: codes, Source: src.Name, Rollup: true, Fine: true,
			Serves: serves, Branches: [][]string{nil}}
	}
	branches := branchesOf(serves)
	e, m := rollupSums(p.req.Period)
	var inner, sums []string
	for i, code := range codes {
		ind := p.req.Set[code]
		conds := p.filters(src, 1, ind, "r.populations")
		v := "v" + strconv.Itoa(i)
		if ind.Count == caunoi.CountClients {
			conds = append(conds, "r.client_id <> ''", "("+m+") <> 0")
			inner = append(inner, "MAX(CASE WHEN "+strings.Join(conds, " AND ")+" THEN 1 ELSE 0 END) AS "+v)
		} else {
			inner = append(inner, "SUM(CASE WHEN "+and(conds)+" THEN "+e+" ELSE 0 END) AS "+v)
		}
		sums = append(sums, "SUM(c."+v+")")
	}
	group := "r.org_path, r.year, r.sex, r.birth_year, r.populations, r.residence, r.client_id"
	years := " AND r.year >= " + strconv.Itoa(p.req.Period.Start.Year()) + " AND r.year <= " + strconv.Itoa(p.req.Period.End.Year())
	if !oneYear {
		// A client's rows of two years meet in one group.
		group = "r.org_path, r.sex, r.birth_year, r.populations, r.residence, r.client_id"
	}
	// The years as a range, not "=": SQLite drops a column fixed by "="
	// from the grouping and then no longer sees that it follows the key.
	b.add("WITH c AS MATERIALIZED (SELECT r.org_path AS o, r.sex AS sx, r.birth_year AS by, r.populations AS po, r.residence AS re, ", strings.Join(inner, ", "),
		" FROM monitoring_rollup r WHERE r.source = ", b.arg(src.Name), " AND r.org_path >= ", b.arg(lo), " AND r.org_path < ", b.arg(hi), years,
		" GROUP BY ", group, ") ")
	year := p.req.Period.End.Year()
	cols := map[string]string{caunoi.DimSex: "c.sx", caunoi.DimAgeBand: ageCase("c.by", year), caunoi.DimPopulation: "c.po", caunoi.DimResidence: "c.re"}
	for i, br := range branches {
		if i > 0 {
			b.add(" UNION ALL ")
		}
		sel := []string{"'" + strconv.Itoa(i) + "'", "c.o"}
		grp := []string{"c.o"}
		for _, d := range br {
			sel, grp = append(sel, cols[d]), append(grp, cols[d])
		}
		for len(sel) < 2+fineWidth {
			sel = append(sel, "''")
		}
		b.add("SELECT ", strings.Join(sel, ", "), ", ", strings.Join(sums, ", "), " FROM c GROUP BY ", strings.Join(grp, ", "))
	}
	return &Query{SQL: b.sb.String(), Args: b.args, Dims: make([]string, 2+fineWidth), Bases: codes, Source: src.Name, Rollup: true, Fine: true,
		Serves: serves, Branches: branches}
}

// branchesOf returns the sets of client dimensions the groupings a fine
// query serves need, each once, in a fixed order.
func branchesOf(serves map[string][][]string) [][]string {
	var branches [][]string
	for _, gs := range serves {
		for _, g := range gs {
			cd := clientDimsOf(g)
			if !slices.ContainsFunc(branches, func(x []string) bool { return slices.Equal(x, cd) }) {
				branches = append(branches, cd)
			}
		}
	}
	slices.SortFunc(branches, func(a, b []string) int { return strings.Compare(strings.Join(a, ","), strings.Join(b, ",")) })
	return branches
}

// checkGrouping refuses unknown or repeated dimensions and too many.
func checkGrouping(g []string) error {
	if len(g) > MaxGroupingDims {
		return caunoi.Invalid(caunoi.FieldError{Field: "by", Key: "err.indicator.grouping_too_deep", Args: map[string]any{"Max": MaxGroupingDims}})
	}
	for i, d := range g {
		if !slices.Contains(caunoi.Disaggregations, d) {
			return caunoi.Invalid(caunoi.FieldError{Field: "by", Key: "err.indicator.dimension_unknown", Args: map[string]any{"Dimension": d}})
		}
		if slices.Contains(g[:i], d) {
			return caunoi.Invalid(caunoi.FieldError{Field: "by", Key: "err.indicator.dimension_twice", Args: map[string]any{"Dimension": d}})
		}
	}
	return nil
}

// Queries returns the statements to run.
func (p *Plan) Queries() []*Query { return p.queries }

// supports reports whether an indicator can be broken down by every
// dimension of a grouping.
func (p *Plan) supports(code string, g []string) bool {
	ind := p.req.Set[code]
	for _, d := range g {
		if !slices.Contains(ind.Disaggregations, d) {
			return false
		}
	}
	return true
}

// path chooses where a base indicator is counted from: 1 the rollup of
// events and clients, 2 the rollup of measures, 3 the count rollup, 0
// the records.
func (p *Plan) path(ind *caunoi.Indicator, g []string) int {
	src := SourceByName(ind.Source)
	if p.req.Raw || !src.Rollup || !p.req.Period.MonthAligned() {
		return 0
	}
	switch ind.Count {
	case caunoi.CountEvents, caunoi.CountClients:
		if p.counted(ind, g) {
			return 3
		}
		return 1
	case caunoi.CountQuantity:
		if len(ind.Populations) > 0 || ind.Named != caunoi.NamedAny {
			return 0
		}
		for _, d := range g {
			if d != caunoi.DimOrg && d != caunoi.DimProvince && d != caunoi.DimModel {
				return 0
			}
		}
		return 2
	}
	return 0
}

// sqlBuilder collects an SQL text with numbered parameters.
type sqlBuilder struct {
	sb   strings.Builder
	args []any
}

func (b *sqlBuilder) arg(v any) string {
	b.args = append(b.args, v)
	return "$" + strconv.Itoa(len(b.args))
}

func (b *sqlBuilder) add(s ...string) {
	for _, x := range s {
		b.sb.WriteString(x)
	}
}

// PathEnd returns the least string greater than every path starting with
// path (which ends in "/").
func PathEnd(path string) string {
	return path[:len(path)-1] + string(rune(path[len(path)-1]+1))
}

// build writes the query of one bucket.
func (p *Plan) build(src *Source, path int, g []string, codes []string) (*Query, error) {
	var b sqlBuilder
	rollup := path > 0
	year := p.req.Period.End.Year()
	var dims, joins []string
	popsExpr := src.popsExpr()
	if rollup {
		popsExpr = "r.populations"
	}
	for i, d := range g {
		alias := "d" + strconv.Itoa(i)
		switch d {
		case caunoi.DimOrg:
			dims = append(dims, orIf(rollup, "r.org_id", src.Org))
		case caunoi.DimSex:
			dims = append(dims, orIf(rollup, "r.sex", src.sexExpr()))
		case caunoi.DimAgeBand:
			dims = append(dims, ageCase(orIf(rollup, "r.birth_year", "c.birth_year"), year))
		case caunoi.DimResidence:
			dims = append(dims, orIf(rollup, "r.residence", "COALESCE(c.residence, '')"))
		case caunoi.DimPopulation:
			joins = append(joins, " JOIN ("+literalRows(popStrings())+") "+alias+" ON "+popsExpr+" LIKE '%,' || "+alias+".k || ',%'")
			dims = append(dims, alias+".k")
		case caunoi.DimModel:
			if rollup {
				joins = append(joins, " JOIN ("+literalRows(modelStrings())+") "+alias+" ON r.models LIKE '%,' || "+alias+".k || ',%'")
			} else {
				joins = append(joins, " JOIN ("+p.orgMapping(func(o string) []string { return p.req.Keys.Models[o] })+") "+alias+" ON "+alias+".org_id = "+src.Org)
			}
			dims = append(dims, alias+".k")
		case caunoi.DimProvince:
			if rollup {
				dims = append(dims, "r.province")
			} else {
				joins = append(joins, " JOIN ("+p.orgMapping(func(o string) []string { return []string{p.req.Keys.Province[o]} })+") "+alias+" ON "+alias+".org_id = "+src.Org)
				dims = append(dims, alias+".k")
			}
		}
	}
	var vals []string
	for _, code := range codes {
		vals = append(vals, p.valueExpr(src, path, p.req.Set[code], popsExpr))
	}
	b.add("SELECT ")
	for _, d := range dims {
		b.add(d, ", ")
	}
	b.add(strings.Join(vals, ", "))
	root := p.req.Root.Path
	switch path {
	case 0:
		b.add(" FROM ", src.From)
		if src.Client != "" {
			b.add(" LEFT JOIN clients c ON c.id = ", src.Client, " AND c.voided_at IS NULL")
		}
		b.add(strings.Join(joins, ""))
		b.add(" WHERE ", src.Live, " AND ", src.OrgPath, " >= ", b.arg(root), " AND ", src.OrgPath, " < ", b.arg(PathEnd(root)))
		if src.Timestamp {
			b.add(" AND ", src.Date, " >= ", b.arg(p.req.Period.StartInstant().UTC()), " AND ", src.Date, " < ", b.arg(p.req.Period.EndInstant().UTC()))
		} else {
			b.add(" AND ", src.Date, " >= ", b.arg(p.req.Period.Start), " AND ", src.Date, " <= ", b.arg(p.req.Period.End))
		}
	case 1:
		b.add(" FROM monitoring_rollup r", strings.Join(joins, ""))
		b.add(" WHERE r.source = ", b.arg(src.Name), " AND r.org_path >= ", b.arg(root), " AND r.org_path < ", b.arg(PathEnd(root)))
		b.add(" AND r.year IN (", yearList(p.req.Period), ")")
	case 2:
		b.add(" FROM monitoring_measures r", strings.Join(joins, ""))
		b.add(" WHERE r.source = ", b.arg(src.Name), " AND r.org_path >= ", b.arg(root), " AND r.org_path < ", b.arg(PathEnd(root)))
		b.add(" AND (", monthRanges(p.req.Period), ")")
	}
	if len(dims) > 0 {
		b.add(" GROUP BY ", strings.Join(dims, ", "))
	}
	return &Query{SQL: b.sb.String(), Args: b.args, Dims: g, Bases: codes, Source: src.Name, Rollup: rollup}, nil
}

func orIf(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}

// valueExpr is the aggregate of one base indicator.
func (p *Plan) valueExpr(src *Source, path int, ind *caunoi.Indicator, popsExpr string) string {
	conds := p.filters(src, path, ind, popsExpr)
	named := orIf(path > 0, "r.client_id <> ''", "c.id IS NOT NULL")
	switch path {
	case 1:
		e, m := rollupSums(p.req.Period)
		if ind.Count == caunoi.CountClients {
			conds = append(conds, named, "("+m+") <> 0")
			return "COUNT(DISTINCT CASE WHEN " + strings.Join(conds, " AND ") + " THEN r.client_id END)"
		}
		return "SUM(CASE WHEN " + and(conds) + " THEN " + e + " ELSE 0 END)"
	case 2:
		conds = append(conds, "r.measure = '"+ind.Measure+"'")
		return "SUM(CASE WHEN " + strings.Join(conds, " AND ") + " THEN r.value ELSE 0 END)"
	}
	switch ind.Count {
	case caunoi.CountClients:
		conds = append(conds, "c.id IS NOT NULL")
		return "COUNT(DISTINCT CASE WHEN " + strings.Join(conds, " AND ") + " THEN c.id END)"
	case caunoi.CountPlaces:
		return "COUNT(DISTINCT CASE WHEN " + and(conds) + " THEN " + src.Place + " END)"
	case caunoi.CountQuantity:
		return "SUM(CASE WHEN " + and(conds) + " THEN " + src.measure(ind.Measure).SQL(p.req.Dialect) + " ELSE 0 END)"
	default:
		return "SUM(CASE WHEN " + and(conds) + " THEN 1 ELSE 0 END)"
	}
}

// filters are the conditions of an indicator's records: kinds, details,
// outcomes, populations, named or not.
func (p *Plan) filters(src *Source, path int, ind *caunoi.Indicator, popsExpr string) []string {
	var conds []string
	kindCol, detailCol, outcomeCol := src.Kind, src.Detail, src.Outcome
	if path > 0 {
		kindCol, detailCol, outcomeCol = "r.kind", "r.detail", "r.outcome"
	}
	if len(ind.Kinds) > 0 {
		conds = append(conds, kindCol+" IN ("+listSQL(ind.Kinds)+")")
	}
	if len(ind.Details) > 0 {
		conds = append(conds, detailCol+" IN ("+listSQL(ind.Details)+")")
	}
	if len(ind.Outcomes) > 0 {
		conds = append(conds, outcomeCol+" IN ("+listSQL(ind.Outcomes)+")")
	}
	if len(ind.Populations) > 0 {
		var ors []string
		for _, pop := range ind.Populations {
			ors = append(ors, popsExpr+" LIKE '%,"+string(pop)+",%'")
		}
		conds = append(conds, "("+strings.Join(ors, " OR ")+")")
	}
	named := orIf(path > 0, "r.client_id <> ''", "c.id IS NOT NULL")
	switch ind.Named {
	case caunoi.NamedOnly:
		conds = append(conds, named)
	case caunoi.NamedAnonymous:
		conds = append(conds, orIf(path > 0, "r.client_id = ''", "c.id IS NULL"))
	}
	return conds
}

func and(conds []string) string {
	if len(conds) == 0 {
		return "1 = 1"
	}
	return strings.Join(conds, " AND ")
}

// sexExpr is the sex of the people a record counts.
func (s *Source) sexExpr() string {
	switch {
	case s.Sex != "":
		return s.Sex
	case s.Client != "" && s.AnonSex != "":
		return "COALESCE(c.sex, " + s.AnonSex + ")"
	case s.Client != "":
		return "COALESCE(c.sex, '')"
	default:
		return s.AnonSex
	}
}

// popsExpr is the populations of the person of a record, as ",a,b,".
func (s *Source) popsExpr() string {
	anon := "''"
	if s.AnonPopulation != "" {
		anon = "CASE WHEN " + s.AnonPopulation + " <> '' THEN ',' || " + s.AnonPopulation + " || ',' ELSE '' END"
	}
	if s.Client == "" {
		return anon
	}
	return "COALESCE(c.populations, " + anon + ")"
}

// ageCase is the age band of a birth-year column in a year.
func ageCase(col string, year int) string {
	y := strconv.Itoa(year)
	return "CASE WHEN " + col + " IS NULL OR " + col + " <= 0 THEN 'unknown' WHEN " + y + " - " + col + " < 18 THEN 'under_18' WHEN " +
		y + " - " + col + " < 25 THEN '18_24' WHEN " + y + " - " + col + " < 35 THEN '25_34' WHEN " + y + " - " + col + " < 50 THEN '35_49' ELSE '50_plus' END"
}

// literalRows is a relation of one column k holding the strings.
func literalRows(xs []string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = "SELECT '" + strings.ReplaceAll(x, "'", "''") + "' AS k"
	}
	return strings.Join(parts, " UNION ALL ")
}

// orgMapping is a relation (org_id, k) of the keys of every organisation
// of the request. The ids and keys come from the database and are quoted
// as literals: as a thousand parameters (the nation's organisations)
// they would cost SQLite more to parse, looking each up by name, than the
// query takes to run.
func (p *Plan) orgMapping(keys func(orgID string) []string) string {
	var rows []string
	for _, o := range p.req.Orgs {
		for _, k := range keys(o.ID) {
			rows = append(rows, "("+literalSQL(o.ID)+", "+literalSQL(k)+")")
		}
	}
	if len(rows) == 0 {
		rows = append(rows, "('', '')")
	}
	if p.req.Dialect == Postgres {
		return "SELECT v.org_id, v.k FROM (VALUES " + strings.Join(rows, ", ") + ") AS v(org_id, k)"
	}
	return "SELECT column1 AS org_id, column2 AS k FROM (VALUES " + strings.Join(rows, ", ") + ")"
}

func popStrings() []string {
	out := make([]string, len(caunoi.Populations))
	for i, p := range caunoi.Populations {
		out[i] = string(p)
	}
	return out
}

func modelStrings() []string {
	out := make([]string, len(caunoi.Models))
	for i, m := range caunoi.Models {
		out[i] = string(m)
	}
	return out
}

// yearList lists the years a period touches.
func yearList(p caunoi.Period) string {
	var ys []string
	for y := p.Start.Year(); y <= p.End.Year(); y++ {
		ys = append(ys, strconv.Itoa(y))
	}
	return strings.Join(ys, ", ")
}

// rollupSums returns, for a month-aligned period, the expression of a
// rollup row's events in the period and of its month bits in the period.
func rollupSums(p caunoi.Period) (events, mask string) {
	var ecases, mcases, es, ms []string
	for y := p.Start.Year(); y <= p.End.Year(); y++ {
		from, to := 1, 12
		if y == p.Start.Year() {
			from = int(p.Start.Month())
		}
		if y == p.End.Year() {
			to = int(p.End.Month())
		}
		var cols []string
		bits := 0
		for m := from; m <= to; m++ {
			cols = append(cols, "r.e"+strconv.Itoa(m))
			bits |= 1 << (m - 1)
		}
		e, m := "("+strings.Join(cols, " + ")+")", fmt.Sprintf("(r.months & %d)", bits)
		es, ms = append(es, e), append(ms, m)
		ecases = append(ecases, fmt.Sprintf("WHEN %d THEN %s", y, e))
		mcases = append(mcases, fmt.Sprintf("WHEN %d THEN %s", y, m))
	}
	if len(es) == 1 {
		return es[0], ms[0]
	}
	return "CASE r.year " + strings.Join(ecases, " ") + " ELSE 0 END", "CASE r.year " + strings.Join(mcases, " ") + " ELSE 0 END"
}

// monthRanges is the predicate of the measure rollup's rows in a
// month-aligned period.
func monthRanges(p caunoi.Period) string {
	var ors []string
	for y := p.Start.Year(); y <= p.End.Year(); y++ {
		from, to := 1, 12
		if y == p.Start.Year() {
			from = int(p.Start.Month())
		}
		if y == p.End.Year() {
			to = int(p.End.Month())
		}
		ors = append(ors, fmt.Sprintf("(r.year = %d AND r.month BETWEEN %d AND %d)", y, from, to))
	}
	return strings.Join(ors, " OR ")
}
