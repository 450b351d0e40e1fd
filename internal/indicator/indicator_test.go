package indicator

import (
	"strings"
	"testing"

	"caunoi"
)

func base(code string) *caunoi.Indicator {
	return &caunoi.Indicator{Code: code, NameVI: code, NameEN: code, Unit: "contact", Count: caunoi.CountEvents, Source: "contacts",
		Disaggregations: []string{"org", "sex"}}
}

func sum(code string, terms ...string) *caunoi.Indicator {
	return &caunoi.Indicator{Code: code, NameVI: code, NameEN: code, Unit: "contact", Count: caunoi.CountSum, Terms: terms,
		Disaggregations: []string{"org"}}
}

func fieldKeys(err error) string {
	var ks []string
	for _, f := range caunoi.AsError(err).Fields {
		ks = append(ks, f.Field+":"+f.Key)
	}
	return strings.Join(ks, " ")
}

func TestCheckFindsCyclesAndRatiosOfRatios(t *testing.T) {
	set := map[string]*caunoi.Indicator{"C": base("C"), "A": sum("A", "B", "C"), "B": sum("B", "A", "C")}
	if err := Check(set["A"], set); !strings.Contains(fieldKeys(err), "err.indicator.cycle") {
		t.Errorf("a cycle through B: %v", err)
	}
	if _, err := Closure([]string{"A"}, set); caunoi.ErrorCode(err) != caunoi.EINVALID {
		t.Errorf("closure of a cycle: %v", err)
	}
	set = map[string]*caunoi.Indicator{"C": base("C"), "D": base("D"), "S": sum("S", "C", "D")}
	if err := Check(set["S"], set); err != nil {
		t.Errorf("a good sum: %v", err)
	}
	r := &caunoi.Indicator{Code: "R", NameVI: "R", NameEN: "R", Unit: "percent", Count: caunoi.CountRatio, Numerator: "C", Denominator: "S", Scale: 100}
	set["R"] = r
	if err := Check(r, set); err != nil {
		t.Errorf("a good ratio: %v", err)
	}
	rr := &caunoi.Indicator{Code: "RR", NameVI: "RR", NameEN: "RR", Unit: "percent", Count: caunoi.CountRatio, Numerator: "R", Denominator: "C"}
	if err := Check(rr, set); !strings.Contains(fieldKeys(err), "numerator:err.indicator.ratio_of_ratio") {
		t.Errorf("ratio of a ratio: %v", err)
	}
	ss := sum("SS", "R", "C")
	if err := Check(ss, set); !strings.Contains(fieldKeys(err), "terms:err.indicator.ratio_of_ratio") {
		t.Errorf("sum of a ratio: %v", err)
	}
	wide := sum("W", "C", "D")
	wide.Disaggregations = []string{"population"}
	if err := Check(wide, set); !strings.Contains(fieldKeys(err), "disaggregations:err.indicator.dimension_unsupported") {
		t.Errorf("a sum broken down where its terms are not: %v", err)
	}
}

func TestTheCatalogueChecksAndCoversTheReport(t *testing.T) {
	defs, err := parseCatalogue(catalogueJSON)
	if err != nil {
		t.Fatal(err)
	}
	report := 0
	for _, d := range defs {
		if d.Report {
			report++
		}
		if d.Section == "" || !contains(Sections, d.Section) {
			t.Errorf("%s: section %q", d.Code, d.Section)
		}
	}
	if report < 15 {
		t.Errorf("only %d report indicators", report)
	}
	bad := []byte(`[{"code":"X","name_vi":"x","name_en":"x","unit":"person","count":"events","source":"contacts","colour":"red"}]`)
	if _, err := parseCatalogue(bad); err == nil {
		t.Error("a catalogue with an unknown field was read")
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// cells makes a series of one indicator by dims from values keyed
// "k1/k2".
func series(code string, g []string, vals map[string]float64) caunoi.Series {
	s := caunoi.Series{Indicator: code, Grouping: g}
	for k, v := range vals {
		c := caunoi.Cell{Keys: map[string]string{}, Value: v}
		if len(g) > 0 {
			for i, part := range strings.Split(k, "/") {
				c.Keys[g[i]] = part
			}
		}
		s.Cells = append(s.Cells, c)
	}
	return s
}

func TestComplementarySuppressionInTwoDimensions(t *testing.T) {
	set := map[string]*caunoi.Indicator{"C": base("C")}
	// Two groups by sex: g1 has 3 men, so 3 is hidden; its row (g1: 20 =
	// 17 + 3) and its column (male: 10 = 3 + 7) each need a second hidden
	// cell, and so on until no line has a lone hidden cell.
	all := []caunoi.Series{
		series("C", nil, map[string]float64{"": 40}),
		series("C", []string{"org"}, map[string]float64{"g1": 20, "g2": 20}),
		series("C", []string{"sex"}, map[string]float64{"female": 30, "male": 10}),
		series("C", []string{"org", "sex"}, map[string]float64{"g1/female": 17, "g1/male": 3, "g2/female": 13, "g2/male": 7}),
	}
	suppress(all, set)
	hidden := map[string]bool{}
	for _, c := range all[3].Cells {
		hidden[keyString(&c, all[3].Grouping)] = c.Suppressed
	}
	for _, k := range []string{"org=g1=sex=male", "org=g1=sex=female", "org=g2=sex=male", "org=g2=sex=female"} {
		if !hidden[k] {
			t.Errorf("%s shown: %v", k, hidden)
		}
	}
	// The margins stay: none is small, and each line now has two hidden cells.
	for _, s := range all[:3] {
		for _, c := range s.Cells {
			if c.Suppressed {
				t.Errorf("margin %v hidden", c.Keys)
			}
		}
	}
	if all[3].Cells[0].Value != 0 {
		t.Error("a hidden cell keeps its value")
	}
}

// Definitions over the sources of cases, reintegration and loans are
// refused, naming the field, when they ask for what the source lacks.
func TestCheckRefusesWhatNewSourcesLack(t *testing.T) {
	def := func(source, count string, f func(*caunoi.Indicator)) *caunoi.Indicator {
		d := &caunoi.Indicator{Code: "X", NameVI: "X", NameEN: "X", Unit: "loan", Count: count, Source: source, Disaggregations: []string{"org"}}
		if f != nil {
			f(d)
		}
		return d
	}
	for _, c := range []struct {
		ind  *caunoi.Indicator
		want string
	}{
		{def("loan_positions", caunoi.CountEvents, func(d *caunoi.Indicator) { d.Kinds = []string{"overdue"} }), "kinds:err.indicator.kind_unknown"},
		{def("loan_positions", caunoi.CountPlaces, nil), "count:err.indicator.no_places"},
		{def("loan_positions", caunoi.CountQuantity, func(d *caunoi.Indicator) { d.Measure = "interest_vnd" }), "measure:err.indicator.measure_unknown"},
		{def("reintegration_events", caunoi.CountEvents, func(d *caunoi.Indicator) { d.Details = []string{"gift"} }), "details:err.indicator.detail_unknown"},
		{def("case_follow_ups", caunoi.CountEvents, func(d *caunoi.Indicator) { d.Kinds = []string{"walk_in"} }), "kinds:err.indicator.kind_unknown"},
		{def("loan_closures", caunoi.CountEvents, func(d *caunoi.Indicator) { d.Outcomes = []string{"active"} }), "outcomes:err.indicator.outcome_unknown"},
		{def("influence_maps", caunoi.CountEvents, func(d *caunoi.Indicator) { d.Disaggregations = []string{"residence", "sex"} }), ""},
	} {
		err := Check(c.ind, map[string]*caunoi.Indicator{})
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", c.ind.Source, err)
			}
			continue
		}
		if caunoi.ErrorCode(err) != caunoi.EINVALID || !strings.Contains(fieldKeys(err), c.want) {
			t.Errorf("%s: %v, want %s", c.ind.Source, err, c.want)
		}
	}
}
