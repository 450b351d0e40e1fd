package caunoi

import (
	"errors"
	"regexp"
	"slices"
	"testing"
)

func mustFormula(t testing.TB, spec string) UICFormula {
	t.Helper()
	f, err := ParseUICFormula(spec)
	if err != nil {
		t.Fatalf("ParseUICFormula(%q): %v", spec, err)
	}
	return f
}

func TestUICMake(t *testing.T) {
	def := UICFormula{}
	for _, c := range []struct {
		name    string
		formula UICFormula
		facts   UICFacts
		want    string
	}{
		{"example", def, UICFacts{MotherName: "Hoa", FatherName: "Tuấn", BirthYear: 1998, Sex: "female"}, "HOTU1998F"},
		{"full names", def, UICFacts{MotherName: "Nguyễn Thị Hoa", FatherName: "Trần Văn Tuấn", BirthYear: 1998, Sex: "female"}, "HOTU1998F"},
		{"Đ", def, UICFacts{MotherName: "Đào", FatherName: "Lê Văn Đức", BirthYear: 1985, Sex: "male"}, "DADU1985M"},
		{"đ lower case", def, UICFacts{MotherName: "đào", FatherName: "ánh", BirthYear: 1985, Sex: "male"}, "DAAN1985M"},
		{"Ð typed for Đ", def, UICFacts{MotherName: "Ðào", FatherName: "Ánh", BirthYear: 1985, Sex: "other"}, "DAAN1985O"},
		{"Ánh", def, UICFacts{MotherName: "Phạm Thị Ánh", FatherName: "Ơn", BirthYear: 2001, Sex: "other"}, "ANON2001O"},
		{"decomposed", def, UICFacts{MotherName: "A\u0301nh", FatherName: "Tua\u0302\u0301n", BirthYear: 2001, Sex: "female"}, "ANTU2001F"},
		{"one letter padded", def, UICFacts{MotherName: "Y", FatherName: "Nguyễn Văn Ý", BirthYear: 1990, Sex: "male"}, "YXYX1990M"},
		{"other characters skipped", def, UICFacts{MotherName: "H'Hen", FatherName: "Y-Bih 2", BirthYear: 1990, Sex: "male"}, "HHYB1990M"},
		{"spaces around", def, UICFacts{MotherName: "  Hoa ", FatherName: "\tTuấn\n", BirthYear: 1998, Sex: " female "}, "HOTU1998F"},
		{"Y2", mustFormula(t, "M2F2Y2S1"), UICFacts{MotherName: "Hoa", FatherName: "Tuấn", BirthYear: 1998, Sex: "female"}, "HOTU98F"},
		{"Y2 of 2005", mustFormula(t, "M2F2Y2S1"), UICFacts{MotherName: "Hoa", FatherName: "Tuấn", BirthYear: 2005, Sex: "female"}, "HOTU05F"},
		{"own name, other order", mustFormula(t, "s1 n3 y4 m1"), UICFacts{OwnName: "Lê Thị Mai", MotherName: "Hoa", BirthYear: 2000, Sex: "female"}, "FMAI2000H"},
		{"own name not asked", def, UICFacts{MotherName: "Hoa", FatherName: "Tuấn", BirthYear: 1998, Sex: "female", OwnName: ""}, "HOTU1998F"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.formula.Make(c.facts)
			if err != nil || got != c.want {
				t.Fatalf("Make = %q, %v; want %q", got, err, c.want)
			}
			if !c.formula.Valid(got) {
				t.Errorf("Valid(%q) = false", got)
			}
			if !uicRE.MatchString(got) {
				t.Errorf("%q does not pass Client.Validate's check", got)
			}
		})
	}
}

func TestUICMakeMissingFacts(t *testing.T) {
	all := mustFormula(t, "M2F2N2Y4S1")
	for _, c := range []struct {
		name   string
		facts  UICFacts
		fields map[string]string // field → key
	}{
		{"nothing", UICFacts{}, map[string]string{
			"mother_name": "err.field.required", "father_name": "err.field.required", "own_name": "err.field.required",
			"birth_year": "err.field.required", "sex": "err.field.required"}},
		{"no letters", UICFacts{MotherName: "123", FatherName: "-", OwnName: "Mai", BirthYear: 1998, Sex: "male"}, map[string]string{
			"mother_name": "err.uic.name_letters", "father_name": "err.uic.name_letters"}},
		{"bad year and sex", UICFacts{MotherName: "Hoa", FatherName: "Tuấn", OwnName: "Mai", BirthYear: 98, Sex: "f"}, map[string]string{
			"birth_year": "err.uic.birth_year", "sex": "err.field.choice"}},
		{"year too large", UICFacts{MotherName: "Hoa", FatherName: "Tuấn", OwnName: "Mai", BirthYear: 10000, Sex: "female"}, map[string]string{
			"birth_year": "err.uic.birth_year"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := all.Make(c.facts)
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || e.Key != "err.uic.facts" {
				t.Fatalf("Make = %q, %v; want an EINVALID err.uic.facts", got, err)
			}
			if got != "" {
				t.Errorf("Make returned %q with an error", got)
			}
			fields := map[string]string{}
			for _, f := range e.Fields {
				fields[f.Field] = f.Key
			}
			if len(fields) != len(c.fields) {
				t.Errorf("fields %v, want %v", fields, c.fields)
			}
			for f, k := range c.fields {
				if fields[f] != k {
					t.Errorf("field %s: key %q, want %q", f, fields[f], k)
				}
			}
		})
	}
	// A fact the formula does not use is not asked for.
	if _, err := (UICFormula{}).Make(UICFacts{MotherName: "Hoa", FatherName: "Tuấn", BirthYear: 1998, Sex: "female"}); err != nil {
		t.Errorf("the default formula asks for the own name: %v", err)
	}
}

func TestParseUICFormula(t *testing.T) {
	for spec, want := range map[string]string{
		"M2F2Y4S1":      "M2F2Y4S1",
		"m2f2y4s1":      "M2F2Y4S1",
		" M2 F2 Y4 S1 ": "M2F2Y4S1",
		"M2F2Y2S1":      "M2F2Y2S1",
		"N3M1Y4":        "N3M1Y4",
		"M9F9Y2":        "M9F9Y2",
		"S1Y4M1":        "S1Y4M1",
	} {
		f := mustFormula(t, spec)
		if f.String() != want {
			t.Errorf("ParseUICFormula(%q).String() = %q, want %q", spec, f.String(), want)
		}
		if g := mustFormula(t, f.String()); g != f {
			t.Errorf("%q does not parse back to itself", f)
		}
	}
	if d := mustFormula(t, DefaultUICFormula); d != (UICFormula{}) {
		t.Error("the parsed default differs from the zero formula")
	}
	if s := (UICFormula{}).String(); s != DefaultUICFormula {
		t.Errorf("zero formula String() = %q", s)
	}
	for spec, key := range map[string]string{
		"":           "err.field.required",
		"   ":        "err.field.required",
		"M2F2Y4S":    "err.uic.formula_part", // no count
		"M2F2Y4S2":   "err.uic.formula_part", // sex is one letter
		"M2F2Y3S1":   "err.uic.formula_part", // Y2 or Y4 only
		"M0F2Y4S1":   "err.uic.formula_part", // no letters
		"MAF2Y4S1":   "err.uic.formula_part",
		"X2F2Y4S1":   "err.uic.formula_part", // unknown part
		"M2F2Y4S1Đ1": "err.uic.formula_part",
		"M10F2Y4S1":  "err.uic.formula_part", // one digit only
		"M2M2Y4S1":   "err.uic.formula_repeat",
		"M2F2Y4S1Y2": "err.uic.formula_repeat",
		"M1Y4":       "err.uic.formula_length", // 5 characters
		"M9F9N9Y4S1": "err.uic.formula_length", // 32 characters
		"M9F9Y2S1":   "err.uic.formula_length", // 21 characters
	} {
		f, err := ParseUICFormula(spec)
		var e *Error
		if !errors.As(err, &e) || e.Code != EINVALID || e.Key != "err.uic.formula" || len(e.Fields) != 1 {
			t.Errorf("ParseUICFormula(%q) = %v, %v; want an EINVALID err.uic.formula", spec, f, err)
			continue
		}
		if e.Fields[0].Field != "uic_formula" || e.Fields[0].Key != key {
			t.Errorf("ParseUICFormula(%q): field %s %s, want uic_formula %s", spec, e.Fields[0].Field, e.Fields[0].Key, key)
		}
	}
}

func TestUICValid(t *testing.T) {
	def := UICFormula{}
	for _, s := range []string{"HOTU1998F", "XXXX0000M", "DADU1985O"} {
		if !def.Valid(s) {
			t.Errorf("Valid(%q) = false", s)
		}
	}
	for _, s := range []string{
		"",
		"hotu1998f",     // lower case
		"HOTu1998F",     // one lower-case letter
		"HOTU1998",      // too short
		"HOTU1998FF",    // too long
		"HOTU98F",       // Y2 shape under Y4
		"H0TU1998F",     // digit where a letter goes
		"HOTU19A8F",     // letter where a digit goes
		"HOTU1998X",     // sex letter X
		"HOTU1998f",     // sex in lower case
		"ĐOTU1998F",     // not A–Z (and a byte too long)
		"HOTU1998F\n",   // trailing space
		"HO TU1998F",    // space
		"HOTÚ1998",      // multi-byte letter, right byte length
		"HOTU-998F",     // punctuation
		"HOTU1998F\x00", // NUL
	} {
		if def.Valid(s) {
			t.Errorf("Valid(%q) = true", s)
		}
	}
	y2 := mustFormula(t, "M2F2Y2S1")
	if !y2.Valid("HOTU98F") || y2.Valid("HOTU1998F") {
		t.Error("Y2 formula: wrong shape accepted or right shape refused")
	}
}

func TestUICFormulaHelpers(t *testing.T) {
	def := UICFormula{}
	if def.Len() != 9 {
		t.Errorf("Len = %d, want 9", def.Len())
	}
	if p := def.Pattern(); p != "[A-Z]{2}[A-Z]{2}[0-9]{4}[FMO]" {
		t.Errorf("Pattern = %q", p)
	}
	re := regexp.MustCompile("^" + def.Pattern() + "$")
	for _, s := range []string{"HOTU1998F", "hotu1998f", "HOTU1998X", "H0TU1998F"} {
		if re.MatchString(s) != def.Valid(s) {
			t.Errorf("Pattern and Valid disagree on %q", s)
		}
	}
	if n := mustFormula(t, "N3Y2S1M1").Needs(); !slices.Equal(n, []string{"own_name", "birth_year", "sex", "mother_name"}) {
		t.Errorf("Needs = %v", n)
	}
}

func TestGivenName(t *testing.T) {
	for in, want := range map[string]string{
		"Nguyễn Thị Hoa":    "Hoa",
		"Hoa":               "Hoa",
		"  Trần  Văn Tuấn ": "Tuấn",
		"Lê Văn Đức 2":      "Đức",
		"":                  "",
		"123 -":             "",
	} {
		if got := GivenName(in); got != want {
			t.Errorf("GivenName(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzUIC(f *testing.F) {
	f.Add("M2F2Y4S1", "Nguyễn Thị Hoa", "Tuấn", "", 1998, "female")
	f.Add("M2F2Y2S1", "Đào", "Ánh", "", 2005, "male")
	f.Add("N3M1Y4S1", "Y", "", "Mai", 1900, "other")
	f.Add("M9F9Y2", "", "x", "", 0, "")
	f.Add("S1Y4M1", "\xff\xfe", "Ð", "ß", 9999, "female")
	f.Add("M2", "123", "-", "İı", -1, "FEMALE")
	f.Fuzz(func(t *testing.T, spec, mother, father, own string, year int, sex string) {
		formula, err := ParseUICFormula(spec)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Key != "err.uic.formula" {
				t.Fatalf("ParseUICFormula(%q): %v", spec, err)
			}
			formula = UICFormula{}
		} else if g, err := ParseUICFormula(formula.String()); err != nil || g != formula {
			t.Fatalf("%q does not parse back: %v, %v", formula, g, err)
		}
		uic, err := formula.Make(UICFacts{MotherName: mother, FatherName: father, OwnName: own, BirthYear: year, Sex: sex})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || e.Key != "err.uic.facts" || len(e.Fields) == 0 {
				t.Fatalf("Make: %v", err)
			}
			for _, fe := range e.Fields {
				if !slices.Contains(formula.Needs(), fe.Field) {
					t.Fatalf("Make names field %q, which %s does not use", fe.Field, formula)
				}
			}
			return
		}
		if !formula.Valid(uic) {
			t.Fatalf("Make under %s gave %q, which is not Valid", formula, uic)
		}
		if len(uic) != formula.Len() || !uicRE.MatchString(uic) {
			t.Fatalf("Make under %s gave %q: length %d, want %d, or fails Client.Validate", formula, uic, len(uic), formula.Len())
		}
	})
}
