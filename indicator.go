package caunoi

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
)

// What an indicator counts.
const (
	CountEvents   = "events"   // records: "lượt người" for contacts
	CountClients  = "clients"  // distinct clients: "người", de-duplicated
	CountPlaces   = "places"   // distinct places (establishments reached)
	CountQuantity = "quantity" // the sum of a measure: condoms, heads, đồng
	CountSum      = "sum"      // the sum of other indicators
	CountRatio    = "ratio"    // one indicator divided by another, times Scale
)

// IndicatorCounts lists what an indicator may count.
var IndicatorCounts = []string{CountEvents, CountClients, CountPlaces, CountQuantity, CountSum, CountRatio}

// Disaggregations: the dimensions a value may be broken down by. "org" is
// the group (or other organisation) where the work was recorded,
// "province" its province after merged units are rolled up to their
// successors.
const (
	DimSex        = "sex"
	DimAgeBand    = "age_band"
	DimPopulation = "population"
	DimResidence  = "residence"
	DimModel      = "model"
	DimOrg        = "org"
	DimProvince   = "province"
)

// Disaggregations lists the dimensions.
var Disaggregations = []string{DimSex, DimAgeBand, DimPopulation, DimResidence, DimModel, DimOrg, DimProvince}

// AgeBands are the age groups of the age_band dimension: a person's age in
// the year of the work (the year the period ends, for distinct persons).
var AgeBands = []string{"under_18", "18_24", "25_34", "35_49", "50_plus", "unknown"}

// AgeBand returns the band of a person born in birthYear, in year; 0 is
// an unknown birth year.
func AgeBand(birthYear, year int) string {
	if birthYear <= 0 {
		return "unknown"
	}
	switch age := year - birthYear; {
	case age < 18:
		return "under_18"
	case age < 25:
		return "18_24"
	case age < 35:
		return "25_34"
	case age < 50:
		return "35_49"
	default:
		return "50_plus"
	}
}

// Which records an indicator takes by whether they name a client.
const (
	NamedAny       = ""          // every record
	NamedOnly      = "named"     // records of a registered client
	NamedAnonymous = "anonymous" // records of an unnamed person (anonymous contacts)
)

// Units say what a value is counted in.
var IndicatorUnits = []string{"contact", "person", "session", "place", "item", "vnd", "percent", "vnd_per_person", "case", "loan"}

// Indicator is the definition of a monitoring and evaluation indicator, as
// data: what it counts, from which records, with which filters, and the
// dimensions it may be broken down by. Shipped indicators come from the
// catalogue of package indicator; users may define more.
type Indicator struct {
	Code    string `json:"code"`
	NameVI  string `json:"name_vi"`
	NameEN  string `json:"name_en"`
	Section string `json:"section,omitempty"`
	Unit    string `json:"unit"`
	Count   string `json:"count"`
	// Source names the records counted (contacts, activities, …); sums
	// and ratios have none.
	Source string `json:"source,omitempty"`
	// Filters: record kinds (activity kinds, service kinds, channels…),
	// details (a service's sub-kind), outcomes, the client's (or anonymous person's) populations, and
	// whether records must name a client.
	Kinds       []string     `json:"kinds,omitempty"`
	Details     []string     `json:"details,omitempty"`
	Outcomes    []string     `json:"outcomes,omitempty"`
	Populations []Population `json:"populations,omitempty"`
	Named       string       `json:"named,omitempty"`
	// Measure is the quantity summed by a quantity indicator.
	Measure string `json:"measure,omitempty"`
	// Terms are the indicators a sum adds up.
	Terms []string `json:"terms,omitempty"`
	// Numerator / Denominator × Scale is a ratio's value (Scale 100 for a
	// percentage; 0 means 1).
	Numerator   string `json:"numerator,omitempty"`
	Denominator string `json:"denominator,omitempty"`
	Scale       int    `json:"scale,omitempty"`
	// Disaggregations the indicator may be broken down by.
	Disaggregations []string `json:"disaggregations"`
	// Report marks the indicators a province's half-year and annual
	// report lists.
	Report bool `json:"report,omitempty"`
	// BuiltIn is true for the shipped catalogue, which cannot be changed.
	BuiltIn bool `json:"built_in"`
	// User-defined indicators belong to an organisation: they show in the
	// reports of its subtree.
	OrgID     string     `json:"org_id,omitempty"`
	OrgPath   string     `json:"-"`
	Version   int        `json:"version,omitempty"`
	CreatedBy string     `json:"created_by,omitempty"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
	Voiding
}

// Name returns the indicator's name in a language.
func (ind *Indicator) Name(lang string) string {
	if lang == "en" && ind.NameEN != "" {
		return ind.NameEN
	}
	return ind.NameVI
}

// Derived reports whether the indicator is computed from others.
func (ind *Indicator) Derived() bool { return ind.Count == CountSum || ind.Count == CountRatio }

// Refs returns the codes of the indicators this one is computed from.
func (ind *Indicator) Refs() []string {
	switch ind.Count {
	case CountSum:
		return ind.Terms
	case CountRatio:
		return []string{ind.Numerator, ind.Denominator}
	}
	return nil
}

// Suppressible reports whether small values of the indicator are hidden
// in shared reports: counts of people, contacts and places are;
// quantities (condoms, đồng) are not; a ratio follows its parts.
func (ind *Indicator) Suppressible() bool { return ind.Count != CountQuantity }

var indicatorCodeRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,39}$`)

// Validate checks the definition's own fields. References to sources and
// to other indicators are checked by package indicator against the whole
// set (unknown names, cycles, ratios of ratios).
func (ind *Indicator) Validate() error {
	var v Validator
	ind.Code = strings.ToUpper(strings.TrimSpace(ind.Code))
	ind.NameVI, ind.NameEN = strings.TrimSpace(ind.NameVI), strings.TrimSpace(ind.NameEN)
	v.Check(indicatorCodeRE.MatchString(ind.Code), "code", "err.indicator.code", nil)
	v.Check(ind.NameVI != "" && len([]rune(ind.NameVI)) <= 200, "name_vi", "err.field.required_short", map[string]any{"Max": 200})
	v.Check(ind.NameEN != "" && len([]rune(ind.NameEN)) <= 200, "name_en", "err.field.required_short", map[string]any{"Max": 200})
	v.Check(slices.Contains(IndicatorUnits, ind.Unit), "unit", "err.field.choice", nil)
	v.Check(slices.Contains(IndicatorCounts, ind.Count), "count", "err.field.choice", nil)
	v.Check(ind.Named == NamedAny || ind.Named == NamedOnly || ind.Named == NamedAnonymous, "named", "err.field.choice", nil)
	for _, p := range ind.Populations {
		v.Check(slices.Contains(Populations, p), "populations", "err.field.choice", nil)
	}
	for _, d := range ind.Disaggregations {
		v.Check(slices.Contains(Disaggregations, d), "disaggregations", "err.field.choice", nil)
	}
	ind.Disaggregations = sortedSet(ind.Disaggregations)
	ind.Kinds, ind.Details, ind.Outcomes = sortedSet(ind.Kinds), sortedSet(ind.Details), sortedSet(ind.Outcomes)
	slices.Sort(ind.Populations)
	ind.Populations = slices.Compact(ind.Populations)
	base := !ind.Derived()
	v.Check(!base || ind.Source != "", "source", "err.indicator.source_required", nil)
	v.Check(base || ind.Source == "", "source", "err.indicator.derived_no_source", nil)
	v.Check(ind.Count != CountQuantity || ind.Measure != "", "measure", "err.indicator.measure_required", nil)
	v.Check(ind.Count == CountQuantity || ind.Measure == "", "measure", "err.indicator.measure_only_quantity", nil)
	v.Check(ind.Count != CountSum || len(ind.Terms) >= 2, "terms", "err.indicator.terms_required", nil)
	v.Check(ind.Count == CountSum || len(ind.Terms) == 0, "terms", "err.indicator.terms_only_sum", nil)
	if ind.Count == CountRatio {
		v.Check(ind.Numerator != "", "numerator", "err.field.required", nil)
		v.Check(ind.Denominator != "", "denominator", "err.field.required", nil)
		v.Check(ind.Scale >= 0 && ind.Scale <= 1000000, "scale", "err.field.quantity", nil)
	} else {
		v.Check(ind.Numerator == "" && ind.Denominator == "", "numerator", "err.indicator.parts_only_ratio", nil)
	}
	if ind.Derived() {
		v.Check(len(ind.Kinds)+len(ind.Details)+len(ind.Outcomes)+len(ind.Populations) == 0 && ind.Named == "", "kinds", "err.indicator.derived_no_filters", nil)
	}
	for i, r := range ind.Refs() {
		field := "terms"
		if ind.Count == CountRatio {
			field = [2]string{"numerator", "denominator"}[i]
		}
		v.Check(strings.ToUpper(strings.TrimSpace(r)) != ind.Code, field, "err.indicator.self_reference", nil)
	}
	return v.Err()
}

func sortedSet(xs []string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ValueQuery asks for the values of indicators over a period for an
// organisation's subtree, broken down by groupings: each grouping is a
// list of dimensions crossed together; an empty grouping is the total.
type ValueQuery struct {
	OrgID      string     `json:"org_id"`
	Period     Period     `json:"period"`
	Indicators []string   `json:"indicators"`
	Groupings  [][]string `json:"groupings"`
	// Shared marks output that leaves the organisation (published,
	// sent upward): cells under SuppressBelow are hidden, with their
	// complements. Actors without client.read on the organisation only
	// ever get shared output.
	Shared bool `json:"shared"`
}

// SuppressBelow is the smallest count a shared report shows: smaller
// counts (but zero) are suppressed.
const SuppressBelow = 5

// Cell is one value of an indicator for one combination of dimension
// values (Keys; none for the total).
type Cell struct {
	Keys  map[string]string `json:"keys"`
	Value float64           `json:"value"`
	// Undefined is true for a ratio whose denominator is zero: it has
	// no value.
	Undefined bool `json:"undefined,omitempty"`
	// Suppressed cells hide their value (and Value is 0): a small count,
	// or the complement that keeps it from being worked out from the
	// total.
	Suppressed bool `json:"suppressed,omitempty"`
	// Numerator and Denominator of a ratio.
	Numerator   *float64 `json:"numerator,omitempty"`
	Denominator *float64 `json:"denominator,omitempty"`
}

// Key returns the value of the cell's dimension.
func (c *Cell) Key(dim string) string { return c.Keys[dim] }

// Series holds the cells of one indicator for one grouping.
type Series struct {
	Indicator string   `json:"indicator"`
	Grouping  []string `json:"grouping"`
	Cells     []Cell   `json:"cells"`
}

// Values is the answer to a ValueQuery.
type Values struct {
	OrgID   string   `json:"org_id"`
	OrgName string   `json:"org_name"`
	Period  Period   `json:"period"`
	Shared  bool     `json:"shared"`
	Series  []Series `json:"series"`
	// Labels name the values of the org and province dimensions:
	// dimension → key → name.
	Labels map[string]map[string]string `json:"labels"`
	// Indicators are the definitions evaluated, by code.
	Indicators map[string]*Indicator `json:"-"`
}

// Find returns the series of an indicator for a grouping, or nil.
func (v *Values) Find(code string, grouping ...string) *Series {
	for i := range v.Series {
		s := &v.Series[i]
		if s.Indicator == code && slices.Equal(s.Grouping, grouping) {
			return s
		}
	}
	return nil
}

// Total returns the total cell of an indicator, or nil.
func (v *Values) Total(code string) *Cell {
	s := v.Find(code)
	if s == nil || len(s.Cells) == 0 {
		return nil
	}
	return &s.Cells[0]
}

// Cell returns the cell of a series with the keys given as dimension,
// value pairs, or nil.
func (s *Series) Cell(pairs ...string) *Cell {
	if s == nil {
		return nil
	}
	for i := range s.Cells {
		c := &s.Cells[i]
		ok := len(c.Keys) == len(pairs)/2
		for j := 0; ok && j+1 < len(pairs); j += 2 {
			ok = c.Keys[pairs[j]] == pairs[j+1]
		}
		if ok {
			return c
		}
	}
	return nil
}

// IndicatorService holds the indicator definitions and evaluates them.
// Every page, export and API call counts through Evaluate.
type IndicatorService interface {
	// FindIndicators lists the catalogue and the live user-defined
	// indicators, by code. Needs report.read.
	FindIndicators(ctx context.Context) ([]*Indicator, error)
	// FindIndicator returns one indicator by code, or ENOTFOUND.
	FindIndicator(ctx context.Context, code string) (*Indicator, error)
	// CreateIndicator stores a user-defined indicator of an organisation
	// where the actor holds monitoring.write, after checking it against
	// the whole set: EINVALID for an unknown source, measure or
	// reference, a cycle, a ratio of ratios; ECONFLICT for a code taken.
	CreateIndicator(ctx context.Context, ind *Indicator) error
	// VoidIndicator voids a user-defined indicator no other live one
	// refers to.
	VoidIndicator(ctx context.Context, code string, version int, reason string) (*Indicator, error)
	// Evaluate computes indicator values for an organisation in the
	// actor's report.read scope. It returns aggregates only; actors
	// without client.read there get shared (suppressed) output and may
	// not break it down by group (org): provinces are their finest
	// rows.
	Evaluate(ctx context.Context, q ValueQuery) (*Values, error)
}
