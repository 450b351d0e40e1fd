package indicator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"caunoi"
)

// The count rollup (monitoring_counts) holds, for each organisation,
// year, kept period (see CountPeriods) and the filter of each indicator
// counting events or clients of a rollup source, the events and the
// distinct clients — in total and, but for months, by each value of one
// client dimension. Distinct clients cannot be added up over months or
// over filters, so they are kept per period and per filter; but over
// organisations they add up wherever no
// client has records in two of them (see Source.SpansSQL), and over the
// values of a client dimension because a client has one sex, one age and
// one residence (and counts in each of its populations, as a breakdown
// by population does). So the nation's year is read from a few hundred
// thousand small rows instead of a rollup row per client. It is built in
// Go from an organisation's rollup rows whenever those are rebuilt, for
// the filters monitoring_count_filters lists, which RefreshRollups keeps
// in step with the definitions.

// CountPeriods are the periods of a year the count rollup keeps, by the
// months they span: the year, its halves and quarters with every
// breakdown, and its months in total only (the dashboards' trends).
var CountPeriods = countPeriods()

func countPeriods() []CountPeriod {
	out := []CountPeriod{{Key: "Y", From: 1, To: 12}, {Key: "H1", From: 1, To: 6}, {Key: "H2", From: 7, To: 12},
		{Key: "Q1", From: 1, To: 3}, {Key: "Q2", From: 4, To: 6}, {Key: "Q3", From: 7, To: 9}, {Key: "Q4", From: 10, To: 12}}
	for m := 1; m <= 12; m++ {
		out = append(out, CountPeriod{Key: fmt.Sprintf("M%02d", m), From: m, To: m, TotalOnly: true})
	}
	return out
}

// countLayout names the layout of the count rollup's rows. It is part of
// every filter's key, so that a release that changes the layout (the
// periods kept, the breakdowns) has every filter built again.
const countLayout = "2"

// CountPeriod is a run of months of a year kept in the count rollup;
// TotalOnly ones are kept without client dimensions.
type CountPeriod struct {
	Key       string
	From, To  int
	TotalOnly bool
}

func (cp CountPeriod) mask() int64 {
	var m int64
	for i := cp.From; i <= cp.To; i++ {
		m |= 1 << (i - 1)
	}
	return m
}

// countPeriod returns the kept period a request's period is, if any.
func countPeriod(p caunoi.Period) (CountPeriod, bool) {
	if !p.MonthAligned() || p.Start.Year() != p.End.Year() {
		return CountPeriod{}, false
	}
	from, to := int(p.Start.Month()), int(p.End.Month())
	for _, cp := range CountPeriods {
		if cp.From == from && cp.To == to {
			return cp, true
		}
	}
	return CountPeriod{}, false
}

// Filter is what an indicator asks of a rollup row: its kinds, details,
// outcomes, populations and whether it names a client. Indicators with
// the same filter share their counts.
type Filter struct {
	Kinds, Details, Outcomes []string
	Populations              []string
	Named                    string
}

// FilterOf returns an indicator's filter.
func FilterOf(ind *caunoi.Indicator) Filter {
	f := Filter{Kinds: sortedSet(ind.Kinds), Details: sortedSet(ind.Details), Outcomes: sortedSet(ind.Outcomes), Named: ind.Named}
	for _, p := range ind.Populations {
		f.Populations = append(f.Populations, string(p))
	}
	f.Populations = sortedSet(f.Populations)
	return f
}

// Key names a filter in the count rollup: a digest of its parts.
func (f Filter) Key() string {
	parts := []string{countLayout, strings.Join(f.Kinds, ","), strings.Join(f.Details, ","), strings.Join(f.Outcomes, ","), strings.Join(f.Populations, ","), f.Named}
	sum := sha256.Sum256([]byte(strings.Join(parts, "|")))
	return hex.EncodeToString(sum[:8])
}

// Match reports whether a rollup row meets the filter, as Plan.filters
// says in SQL.
func (f Filter) Match(r *RollupRow) bool {
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, r.Kind) {
		return false
	}
	if len(f.Details) > 0 && !slices.Contains(f.Details, r.Detail) {
		return false
	}
	if len(f.Outcomes) > 0 && !slices.Contains(f.Outcomes, r.Outcome) {
		return false
	}
	if len(f.Populations) > 0 && !slices.ContainsFunc(f.Populations, func(p string) bool { return strings.Contains(r.Populations, ","+p+",") }) {
		return false
	}
	switch f.Named {
	case caunoi.NamedOnly:
		return r.ClientID != ""
	case caunoi.NamedAnonymous:
		return r.ClientID == ""
	}
	return true
}

// countable reports whether an indicator may be counted from the count
// rollup (for a kept period and a grouping of at most one client
// dimension).
func countable(ind *caunoi.Indicator) bool {
	src := SourceByName(ind.Source)
	return src != nil && src.Rollup && (ind.Count == caunoi.CountEvents || ind.Count == caunoi.CountClients)
}

// CountFilters returns the filters of the indicators of a set that the
// count rollup can serve, by source, each once, ordered by key.
func CountFilters(set map[string]*caunoi.Indicator) map[string][]Filter {
	out := map[string][]Filter{}
	seen := map[string]bool{}
	for _, ind := range set {
		if !countable(ind) {
			continue
		}
		f := FilterOf(ind)
		if k := ind.Source + "|" + f.Key(); !seen[k] {
			seen[k] = true
			out[ind.Source] = append(out[ind.Source], f)
		}
	}
	for _, fs := range out {
		slices.SortFunc(fs, func(a, b Filter) int { return strings.Compare(a.Key(), b.Key()) })
	}
	return out
}

// RollupRow is a row of monitoring_rollup: one client's (or one kind of
// unnamed person's) records of a year, kind, detail and outcome.
type RollupRow struct {
	Year                   int
	Kind, Detail, Outcome  string
	ClientID, Sex          string
	BirthYear              int
	Populations, Residence string
	Months                 int64
	Events                 [12]int64
}

// RollupRowColumns are the columns of monitoring_rollup a RollupRow is
// read from, in order.
const RollupRowColumns = "year, kind, detail, outcome, client_id, sex, birth_year, populations, residence, months, " +
	"e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12"

// CountRow is a row of the count rollup.
type CountRow struct {
	Year            int
	Period          string
	Dim, Value      string
	Filter          string
	Events, Clients int64
}

// countDims are the dimensions the count rollup breaks counts down by:
// none (the total) and each client dimension.
var countDims = append([]string{""}, clientDims...)

// dims returns the dimensions the period is kept by.
func (cp CountPeriod) dims() []string {
	if cp.TotalOnly {
		return countDims[:1]
	}
	return countDims
}

// dimValues returns the values of a row's client dimension d in a year.
func dimValues(d string, sex string, birthYear int, pops, residence string, year int) []string {
	switch d {
	case "":
		return []string{""}
	case caunoi.DimSex:
		return []string{sex}
	case caunoi.DimAgeBand:
		return []string{caunoi.AgeBand(birthYear, year)}
	case caunoi.DimPopulation:
		return strings.FieldsFunc(pops, func(r rune) bool { return r == ',' })
	case caunoi.DimResidence:
		return []string{residence}
	}
	return nil
}

// Counts works out an organisation's count rollup from its rollup rows of
// a source: for each filter, year, kept period and value of each count
// dimension, the events of the matching rows and the distinct clients
// with a matching record in the period. Rows without events or clients
// are left out.
func Counts(rows []RollupRow, filters []Filter) []CountRow {
	type cell struct {
		year          int
		period, dim   string
		value, filter string
	}
	type client struct {
		filter string
		year   int
		id     string
		sex    string
		born   int
		pops   string
		res    string
	}
	acc := map[cell]*CountRow{}
	get := func(c cell) *CountRow {
		r := acc[c]
		if r == nil {
			r = &CountRow{Year: c.year, Period: c.period, Dim: c.dim, Value: c.value, Filter: c.filter}
			acc[c] = r
		}
		return r
	}
	keys := make([]string, len(filters))
	for i, f := range filters {
		keys[i] = f.Key()
	}
	masks := map[client]int64{}
	for i := range rows {
		r := &rows[i]
		for fi, f := range filters {
			if !f.Match(r) {
				continue
			}
			for _, cp := range CountPeriods {
				var ev int64
				for m := cp.From; m <= cp.To; m++ {
					ev += r.Events[m-1]
				}
				if ev == 0 {
					continue
				}
				for _, d := range cp.dims() {
					for _, v := range dimValues(d, r.Sex, r.BirthYear, r.Populations, r.Residence, r.Year) {
						get(cell{r.Year, cp.Key, d, v, keys[fi]}).Events += ev
					}
				}
			}
			if r.ClientID != "" {
				masks[client{keys[fi], r.Year, r.ClientID, r.Sex, r.BirthYear, r.Populations, r.Residence}] |= r.Months
			}
		}
	}
	for c, mask := range masks {
		for _, cp := range CountPeriods {
			if mask&cp.mask() == 0 {
				continue
			}
			for _, d := range cp.dims() {
				for _, v := range dimValues(d, c.sex, c.born, c.pops, c.res, c.year) {
					get(cell{c.year, cp.Key, d, v, c.filter}).Clients++
				}
			}
		}
	}
	out := make([]CountRow, 0, len(acc))
	for _, r := range acc {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b CountRow) int {
		return strings.Compare(countRowKey(a), countRowKey(b))
	})
	return out
}

func countRowKey(r CountRow) string {
	return strconv.Itoa(r.Year) + "\x00" + r.Period + "\x00" + r.Dim + "\x00" + r.Value + "\x00" + r.Filter
}

// counted reports whether a base indicator is counted from the count
// rollup for a grouping: its filter is kept, the period is a kept one,
// the grouping has at most one client dimension, and distinct clients add
// up over the organisations of the scope.
func (p *Plan) counted(ind *caunoi.Indicator, g []string) bool {
	if !countable(ind) || !p.req.Counted[ind.Source+"|"+FilterOf(ind).Key()] {
		return false
	}
	cp, ok := countPeriod(p.req.Period)
	if !ok || len(clientDimsOf(g)) > 1 || (cp.TotalOnly && len(clientDimsOf(g)) > 0) {
		return false
	}
	return ind.Count == caunoi.CountEvents || !p.req.Spanning[ind.Source]
}

// buildCounts writes the one query that reads the count rollup for every
// grouping its bases serve: per organisation, the total and the values
// of each client dimension some grouping needs, in the shape of a fine
// query, so that Add spreads them into the groupings.
func (p *Plan) buildCounts(src *Source, codes []string, serves map[string][][]string, lo, hi string) *Query {
	var b sqlBuilder
	cp, _ := countPeriod(p.req.Period)
	branches := branchesOf(serves)
	var sums, keys []string
	for _, code := range codes {
		ind := p.req.Set[code]
		k := FilterOf(ind).Key()
		col := "r.events"
		if ind.Count == caunoi.CountClients {
			col = "r.clients"
		}
		sums = append(sums, "SUM(CASE WHEN r.filter = '"+k+"' THEN "+col+" ELSE 0 END)")
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	source, year, period := b.arg(src.Name), b.arg(p.req.Period.Start.Year()), b.arg(cp.Key)
	from, to := b.arg(lo), b.arg(hi)
	for i, br := range branches {
		if i > 0 {
			b.add(" UNION ALL ")
		}
		dim, sel, grp := "", []string{"'" + strconv.Itoa(i) + "'", "r.org_path"}, "r.org_path"
		if len(br) == 1 {
			dim, sel, grp = br[0], append(sel, "r.value"), "r.org_path, r.value"
		}
		for len(sel) < 2+fineWidth {
			sel = append(sel, "''")
		}
		b.add("SELECT ", strings.Join(sel, ", "), ", ", strings.Join(sums, ", "),
			" FROM monitoring_counts r WHERE r.source = ", source, " AND r.year = ", year, " AND r.period = ", period,
			" AND r.dim = '", dim, "' AND r.org_path >= ", from, " AND r.org_path < ", to,
			" AND r.filter IN (", listSQL(keys), ") GROUP BY ", grp)
	}
	return &Query{SQL: b.sb.String(), Args: b.args, Dims: make([]string, 2+fineWidth), Bases: codes, Source: src.Name, Rollup: true, Fine: true,
		Serves: serves, Branches: branches}
}
