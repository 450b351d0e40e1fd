package indicator

import (
	"testing"

	"caunoi"
)

// TestCountsOfAnOrganisation works out the counts of three rollup rows by
// hand: client A tested for HIV in January and March and counselled in
// February, client B tested in April; two unnamed contacts in May.
func TestCountsOfAnOrganisation(t *testing.T) {
	rows := []RollupRow{
		{Year: 2025, Kind: "hiv_test", ClientID: "A", Sex: "female", BirthYear: 1990, Populations: ",sex_work,drug_use,", Residence: "local",
			Months: 1<<0 | 1<<2, Events: [12]int64{1, 0, 2}},
		{Year: 2025, Kind: "counselling", ClientID: "A", Sex: "female", BirthYear: 1990, Populations: ",sex_work,drug_use,", Residence: "local",
			Months: 1 << 1, Events: [12]int64{0, 1}},
		{Year: 2025, Kind: "hiv_test", ClientID: "B", Sex: "male", BirthYear: 2010, Residence: "migrant",
			Months: 1 << 3, Events: [12]int64{0, 0, 0, 1}},
		{Year: 2025, Kind: "hiv_test", Sex: "other", Months: 1 << 4, Events: [12]int64{0, 0, 0, 0, 2}},
	}
	tests := FilterOf(&caunoi.Indicator{Kinds: []string{"hiv_test"}})
	named := FilterOf(&caunoi.Indicator{Named: caunoi.NamedOnly})
	got := map[string][2]int64{}
	for _, c := range Counts(rows, []Filter{tests, named}) {
		f := "tests"
		if c.Filter == named.Key() {
			f = "named"
		}
		got[f+" "+c.Period+" "+c.Dim+"="+c.Value] = [2]int64{c.Events, c.Clients}
	}
	want := map[string][2]int64{
		// Events add up; A counts once in the quarter and the year.
		"tests Q1 =": {3, 1}, "tests H1 =": {6, 2}, "tests Y =": {6, 2}, "tests Q2 =": {3, 1},
		"tests M01 =": {1, 1}, "tests M03 =": {2, 1}, "tests M05 =": {2, 0},
		"tests Y sex=female": {3, 1}, "tests Y sex=male": {1, 1}, "tests Y sex=other": {2, 0},
		// Ages in 2025; each of A's populations; unnamed people have none.
		"tests Y age_band=35_49": {3, 1}, "tests Y age_band=under_18": {1, 1}, "tests Y age_band=unknown": {2, 0},
		"tests Y population=sex_work": {3, 1}, "tests Y population=drug_use": {3, 1},
		"tests Y residence=migrant": {1, 1},
		// Any named record: A's counselling joins the tests.
		"named Q1 =": {4, 1}, "named Y =": {5, 2}, "named M02 =": {1, 1},
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %v, want %v", k, got[k], w)
		}
	}
	for k := range got {
		if len(k) > 0 && got[k] == [2]int64{} {
			t.Errorf("%s: a row of nothing", k)
		}
	}
	if _, ok := got["tests M01 sex=female"]; ok {
		t.Error("a month broken down by sex")
	}
	if _, ok := got["tests Q3 ="]; ok {
		t.Error("a quarter without records has a row")
	}
}
