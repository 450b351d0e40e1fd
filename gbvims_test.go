package caunoi_test

import (
	"slices"
	"testing"
	"time"

	"caunoi"
)

// gbvimsOrder is the GBVIMS classification order, written out here apart
// from the code under test.
var gbvimsOrder = []string{"rape", "sexual_assault", "physical_assault", "forced_marriage", "denial_of_resources", "psychological_abuse"}

// permutations calls fn with every ordering of xs.
func permutations(xs []string, fn func([]string)) {
	var rec func(k int)
	rec = func(k int) {
		if k == len(xs) {
			fn(slices.Clone(xs))
			return
		}
		for i := k; i < len(xs); i++ {
			xs[k], xs[i] = xs[i], xs[k]
			rec(k + 1)
			xs[k], xs[i] = xs[i], xs[k]
		}
	}
	rec(0)
}

// Every non-empty set of types, listed in every order, is classified as
// its first type in the GBVIMS order: 63 sets, 1,956 orderings.
func TestClassifyGBVExhaustive(t *testing.T) {
	if !slices.Equal(caunoi.GBVTypes, gbvimsOrder) {
		t.Fatalf("GBVTypes = %v, want the GBVIMS order %v", caunoi.GBVTypes, gbvimsOrder)
	}
	calls := 0
	for mask := 1; mask < 1<<len(gbvimsOrder); mask++ {
		var set []string
		want := ""
		for i, typ := range gbvimsOrder {
			if mask&(1<<i) != 0 {
				set = append(set, typ)
				if want == "" {
					want = typ
				}
			}
		}
		permutations(set, func(order []string) {
			calls++
			got, err := caunoi.ClassifyGBV(order)
			if err != nil || got != want {
				t.Errorf("ClassifyGBV(%v) = %q, %v; want %q", order, got, err, want)
			}
			// A type listed twice changes nothing.
			if got, err := caunoi.ClassifyGBV(append(order, order[len(order)-1])); err != nil || got != want {
				t.Errorf("ClassifyGBV(%v + repeat) = %q, %v; want %q", order, got, err, want)
			}
		})
	}
	if calls != 1956 {
		t.Fatalf("checked %d orderings, want 1956", calls)
	}
}

// The cases the field meets most, by name.
func TestClassifyGBVExamples(t *testing.T) {
	for _, tc := range []struct {
		types []string
		want  string
	}{
		{[]string{"psychological_abuse", "physical_assault"}, "physical_assault"},       // beaten and threatened by a husband
		{[]string{"physical_assault", "rape"}, "rape"},                                  // raped and beaten by a client
		{[]string{"denial_of_resources", "psychological_abuse"}, "denial_of_resources"}, // wages kept, insulted
		{[]string{"sexual_assault", "forced_marriage"}, "sexual_assault"},
		{[]string{"forced_marriage", "denial_of_resources", "psychological_abuse"}, "forced_marriage"},
		{[]string{"psychological_abuse"}, "psychological_abuse"},
	} {
		if got, err := caunoi.ClassifyGBV(tc.types); err != nil || got != tc.want {
			t.Errorf("ClassifyGBV(%v) = %q, %v; want %q", tc.types, got, err, tc.want)
		}
	}
}

// An unknown type, or none, is a clear error naming the field; nothing is
// classified from a list with an unknown type in it, wherever it stands.
func TestClassifyGBVRefusesUnknownTypes(t *testing.T) {
	for _, types := range [][]string{nil, {}, {"beating"}, {"rape", "beating"}, {"beating", "rape"}, {"Rape"}, {""}} {
		got, err := caunoi.ClassifyGBV(types)
		if caunoi.ErrorCode(err) != caunoi.EINVALID || got != "" {
			t.Fatalf("ClassifyGBV(%q) = %q, %v; want EINVALID", types, got, err)
		}
		e := caunoi.AsError(err)
		if len(e.Fields) != 1 || e.Fields[0].Field != "violence_types" {
			t.Fatalf("ClassifyGBV(%q): fields %+v", types, e.Fields)
		}
		want := "err.case.gbv_type_unknown"
		if len(types) == 0 {
			want = "err.case.gbv_type_required"
		}
		if e.Fields[0].Key != want {
			t.Errorf("ClassifyGBV(%q): key %s, want %s", types, e.Fields[0].Key, want)
		}
	}
}

func validCase(now time.Time) *caunoi.HotlineCase {
	return &caunoi.HotlineCase{OrgID: "org", ReceivedAt: now.Add(-time.Hour), Channel: "phone", CallerType: "self",
		AnonSex: "female", AnonPopulation: caunoi.PopSexWork, Issues: []string{caunoi.IssueGBV},
		ViolenceTypes: []string{"psychological_abuse", "physical_assault"}, ViolenceContexts: []string{"intimate_partner"}, Risk: caunoi.RiskHigh}
}

func fieldsOf(err error) []string {
	var out []string
	for _, f := range caunoi.AsError(err).Fields {
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestHotlineCaseValidate(t *testing.T) {
	now := time.Date(2025, 7, 1, 3, 0, 0, 0, time.UTC)
	c := validCase(now)
	if err := c.Validate(now); err != nil {
		t.Fatal(err)
	}
	if c.GBVType != "physical_assault" || !c.Anonymous() || c.AnonSex != "female" {
		t.Fatalf("classified %q, anonymous %v, sex %q", c.GBVType, c.Anonymous(), c.AnonSex)
	}
	// The context is kept apart from the type.
	if !slices.Equal(c.ViolenceContexts, []string{"intimate_partner"}) {
		t.Fatalf("contexts %v", c.ViolenceContexts)
	}

	// A named case keeps nothing of an anonymous one.
	c = validCase(now)
	c.ClientID, c.AnonBirthYear = "client", 1990
	if err := c.Validate(now); err != nil || c.AnonSex != "" || c.AnonPopulation != "" || c.AnonBirthYear != 0 {
		t.Fatalf("named case: %v %+v", err, c)
	}

	for _, tc := range []struct {
		name   string
		change func(c *caunoi.HotlineCase)
		fields []string
	}{
		{"no issue", func(c *caunoi.HotlineCase) { c.Issues, c.ViolenceTypes, c.ViolenceContexts = nil, nil, nil }, []string{"issues"}},
		{"unknown GBVIMS type", func(c *caunoi.HotlineCase) { c.ViolenceTypes = []string{"beating"} }, []string{"violence_types"}},
		{"violence without its type", func(c *caunoi.HotlineCase) { c.ViolenceTypes = nil }, []string{"violence_types"}},
		{"violence types on a health call", func(c *caunoi.HotlineCase) { c.Issues = []string{caunoi.IssueHealth} }, []string{"violence_contexts", "violence_types"}},
		{"rights violation without who", func(c *caunoi.HotlineCase) { c.Issues = append(c.Issues, caunoi.IssueRightsViolation) }, []string{"rights_violators"}},
		{"a violator without the issue", func(c *caunoi.HotlineCase) { c.RightsViolators = []string{"police"} }, []string{"rights_violators"}},
		{"unknown risk", func(c *caunoi.HotlineCase) { c.Risk = "extreme" }, []string{"risk"}},
		{"unknown channel", func(c *caunoi.HotlineCase) { c.Channel = "fax" }, []string{"channel"}},
		{"call in the future", func(c *caunoi.HotlineCase) { c.ReceivedAt = now.Add(time.Hour) }, []string{"received_at"}},
		{"follow-up before the call", func(c *caunoi.HotlineCase) { d := caunoi.Date(now.AddDate(0, 0, -3)); c.NextFollowUpOn = &d }, []string{"next_follow_up_on"}},
		{"follow-up too far ahead", func(c *caunoi.HotlineCase) { d := caunoi.Date(now.AddDate(1, 0, 0)); c.NextFollowUpOn = &d }, []string{"next_follow_up_on"}},
		{"unknown anonymous population", func(c *caunoi.HotlineCase) { c.AnonPopulation = "tourist" }, []string{"anon_population"}},
	} {
		c := validCase(now)
		tc.change(c)
		err := c.Validate(now)
		if caunoi.ErrorCode(err) != caunoi.EINVALID || !slices.Equal(fieldsOf(err), tc.fields) {
			t.Errorf("%s: %v, want fields %v", tc.name, err, tc.fields)
		}
	}
}

func TestShelterStayValidate(t *testing.T) {
	now := time.Date(2025, 7, 10, 3, 0, 0, 0, time.UTC)
	day := func(d int) caunoi.Date { return caunoi.Date(time.Date(2025, 7, d, 0, 0, 0, 0, time.UTC)) }
	s := &caunoi.ShelterStay{OrgID: "o", ProviderID: "p", BedID: "b", ClientID: "c", AdmittedOn: day(8), Reason: "violence"}
	if err := s.Validate(now); err != nil {
		t.Fatal(err)
	}
	if s.ExpectedOn != day(13) || s.Nights(time.Time(day(10))) != 2 || s.Overstayed(time.Time(day(13))) || !s.Overstayed(time.Time(day(14))) {
		t.Fatalf("expected %v, nights %d", time.Time(s.ExpectedOn), s.Nights(time.Time(day(10))))
	}
	d := caunoi.StayDischarge{DischargedOn: day(7), Reason: "returned_home"}
	if err := d.Validate(s, now); !slices.Equal(fieldsOf(err), []string{"discharged_on"}) {
		t.Fatalf("discharge before admission: %v", err)
	}
	d = caunoi.StayDischarge{DischargedOn: day(11), Reason: "returned_home"}
	if err := d.Validate(s, now); !slices.Equal(fieldsOf(err), []string{"discharged_on"}) {
		t.Fatalf("discharge in the future: %v", err)
	}
	d.DischargedOn = day(8) // the same day is a stay of no night
	if err := d.Validate(s, now); err != nil {
		t.Fatal(err)
	}
	nobody := &caunoi.ShelterStay{OrgID: "o", ProviderID: "p", BedID: "b", AdmittedOn: day(8), ExpectedOn: day(8), Reason: "holiday"}
	if err := nobody.Validate(now); !slices.Equal(fieldsOf(err), []string{"client_id", "expected_on", "reason"}) {
		t.Fatalf("stay of nobody: %v", err)
	}
}

func TestRiskRank(t *testing.T) {
	for i, r := range []string{"low", "medium", "high", "critical"} {
		if caunoi.RiskRank(r) != i+1 {
			t.Errorf("RiskRank(%s) = %d", r, caunoi.RiskRank(r))
		}
	}
	if caunoi.RiskRank("extreme") != 0 {
		t.Error("unknown risk ranked")
	}
}
