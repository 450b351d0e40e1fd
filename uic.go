package caunoi

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// DefaultUICFormula is the UIC formula used unless a deployment chooses
// another: two letters of the mother's given name, two of the father's,
// the four digits of the birth year and the sex letter.
const DefaultUICFormula = "M2F2Y4S1"

// The bounds of a UIC's length, the same as Client.Validate checks.
const (
	uicMinLen = 6
	uicMaxLen = 20
)

// UICFormula says how a unique identifier code (UIC, "mã định danh") is
// made from facts a client knows and can repeat the same way every time,
// so that two groups, or one group years apart, give the same person the
// same code without ever writing down a name.
//
// A formula is a row of parts. Each part is a letter saying what it takes
// and a digit saying how many characters:
//
//   - M: letters of the mother's given name (M2: the first two)
//   - F: letters of the father's given name
//   - N: letters of the client's own given name
//   - Y: the birth year, Y4 for all four digits (1998) or Y2 for the last
//     two (98)
//   - S1: the sex, one letter: F female, M male, O other
//
// The default is M2F2Y4S1. A mother named Nguyễn Thị Hoa, a father named
// Trần Văn Tuấn, born in 1998, female, gives HOTU1998F.
//
// The given name is the last word of a Vietnamese full name ("Nguyễn Thị
// Hoa" → "Hoa"), so the form may ask for the full name or the given name
// alone. Letters are taken without their diacritics, Đ counting as D
// ("Đào" → DA, "Ánh" → AN), in capitals A–Z; spaces and other characters
// are skipped. A name with fewer letters than the part asks for is padded
// with X ("Y" → YX).
//
// M, F and N take 1 to 9 letters, and each part appears at most once. A
// code has 6 to 20 characters in all. The zero UICFormula is the default.
// Changing the formula of a running system does not change codes already
// given: people would get two codes, so choose the formula once.
type UICFormula struct {
	spec string // canonical, checked by ParseUICFormula; "" is the default
}

// ParseUICFormula reads a formula such as "M2F2Y4S1" (letters in either
// case; spaces between parts are allowed). A wrong formula gives an
// EINVALID *Error with key "err.uic.formula" and one FieldError for the
// field "uic_formula".
func ParseUICFormula(spec string) (UICFormula, error) {
	s := strings.ToUpper(strings.Join(strings.Fields(spec), ""))
	bad := func(key string, args map[string]any) (UICFormula, error) {
		return UICFormula{}, &Error{Code: EINVALID, Key: "err.uic.formula",
			Fields: []FieldError{{Field: "uic_formula", Key: key, Args: args}}}
	}
	if s == "" {
		return bad("err.field.required", nil)
	}
	seen := map[byte]bool{}
	length := 0
	for i := 0; i < len(s); i += 2 {
		kind := s[i]
		if i+1 >= len(s) || !strings.ContainsRune("MFNYS", rune(kind)) {
			return bad("err.uic.formula_part", map[string]any{"Part": firstRunes(s[i:], 2)})
		}
		n := s[i+1]
		ok := false
		switch kind {
		case 'M', 'F', 'N':
			ok = n >= '1' && n <= '9'
		case 'Y':
			ok = n == '2' || n == '4'
		case 'S':
			ok = n == '1'
		}
		if !ok {
			return bad("err.uic.formula_part", map[string]any{"Part": firstRunes(s[i:], 2)})
		}
		if seen[kind] {
			return bad("err.uic.formula_repeat", map[string]any{"Part": string(kind)})
		}
		seen[kind] = true
		length += int(n - '0')
	}
	if length < uicMinLen || length > uicMaxLen {
		return bad("err.uic.formula_length", map[string]any{"Length": length, "Min": uicMinLen, "Max": uicMaxLen})
	}
	if s == DefaultUICFormula {
		s = "" // one value for the default, so formulas compare with ==
	}
	return UICFormula{spec: s}, nil
}

// firstRunes returns at most n runes of s, so an error never cuts a
// character in half.
func firstRunes(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

// String returns the formula in its canonical form, such as "M2F2Y4S1".
func (f UICFormula) String() string {
	if f.spec == "" {
		return DefaultUICFormula
	}
	return f.spec
}

// each calls fn for every part of the formula with its letter and count.
func (f UICFormula) each(fn func(kind byte, n int)) {
	s := f.String()
	for i := 0; i+1 < len(s); i += 2 {
		fn(s[i], int(s[i+1]-'0'))
	}
}

// Len returns the number of characters of a code made by the formula, for
// the size of an input.
func (f UICFormula) Len() int {
	n := 0
	f.each(func(_ byte, c int) { n += c })
	return n
}

// Pattern returns a regular expression, without anchors, that a code of the
// formula matches, for an input's pattern attribute: M2F2Y4S1 gives
// "[A-Z]{2}[A-Z]{2}[0-9]{4}[FMO]".
func (f UICFormula) Pattern() string {
	var b strings.Builder
	f.each(func(kind byte, n int) {
		switch kind {
		case 'M', 'F', 'N':
			fmt.Fprintf(&b, "[A-Z]{%d}", n)
		case 'Y':
			fmt.Fprintf(&b, "[0-9]{%d}", n)
		case 'S':
			b.WriteString("[FMO]")
		}
	})
	return b.String()
}

// Needs returns the fields of UICFacts the formula uses, by their form
// names (mother_name, father_name, own_name, birth_year, sex), in the order
// of the formula, so a form asks only for those.
func (f UICFormula) Needs() []string {
	var fields []string
	f.each(func(kind byte, _ int) { fields = append(fields, uicFactField[kind]) })
	return fields
}

var uicFactField = map[byte]string{'M': "mother_name", 'F': "father_name", 'N': "own_name", 'Y': "birth_year", 'S': "sex"}

// UICFacts are the facts a UIC is made from. The names may be full names
// or given names alone; only the given name (the last word) is used. Sex
// is one of Sexes: "female", "male" or "other".
type UICFacts struct {
	MotherName string `json:"mother_name"`
	FatherName string `json:"father_name"`
	OwnName    string `json:"own_name"`
	BirthYear  int    `json:"birth_year"`
	Sex        string `json:"sex"`
}

// Make returns the UIC of the facts under the formula. Only the facts the
// formula uses are needed. When one is missing or wrong, Make returns an
// EINVALID *Error with key "err.uic.facts" and a FieldError for each,
// named mother_name, father_name, own_name, birth_year or sex: a name
// that is empty ("err.field.required") or has no letter
// ("err.uic.name_letters"), a birth year that is 0 ("err.field.required")
// or not from 1900 to 9999 ("err.uic.birth_year"), a sex that is empty
// ("err.field.required") or not one of Sexes ("err.field.choice").
func (f UICFormula) Make(facts UICFacts) (string, error) {
	var b strings.Builder
	var v Validator
	f.each(func(kind byte, n int) {
		switch kind {
		case 'M', 'F', 'N':
			name := facts.OwnName
			switch kind {
			case 'M':
				name = facts.MotherName
			case 'F':
				name = facts.FatherName
			}
			field := uicFactField[kind]
			letters := nameLetters(name)
			switch {
			case strings.TrimSpace(name) == "":
				v.Add(field, "err.field.required", nil)
			case letters == "":
				v.Add(field, "err.uic.name_letters", nil)
			default:
				if len(letters) > n {
					letters = letters[:n]
				}
				b.WriteString(letters)
				b.WriteString(strings.Repeat("X", n-len(letters)))
			}
		case 'Y':
			switch y := facts.BirthYear; {
			case y == 0:
				v.Add("birth_year", "err.field.required", nil)
			case y < 1900 || y > 9999:
				v.Add("birth_year", "err.uic.birth_year", map[string]any{"Min": 1900})
			case n == 2:
				fmt.Fprintf(&b, "%02d", y%100)
			default:
				fmt.Fprintf(&b, "%04d", y)
			}
		case 'S':
			switch sex := strings.TrimSpace(facts.Sex); {
			case sex == "":
				v.Add("sex", "err.field.required", nil)
			case !slices.Contains(Sexes, sex):
				v.Add("sex", "err.field.choice", nil)
			default:
				b.WriteByte(strings.ToUpper(sex)[0]) // female F, male M, other O
			}
		}
	})
	if len(v.fields) > 0 {
		return "", &Error{Code: EINVALID, Key: "err.uic.facts", Fields: v.fields}
	}
	return b.String(), nil
}

// Valid reports whether uic has exactly the shape of a code of the
// formula: its length, capital letters A–Z where the formula puts letters,
// digits where it puts the year, and F, M or O where it puts the sex. It
// does not upper-case or trim: Client.Validate does that before.
func (f UICFormula) Valid(uic string) bool {
	if len(uic) != f.Len() {
		return false
	}
	i, ok := 0, true
	f.each(func(kind byte, n int) {
		for _, c := range []byte(uic[i : i+n]) {
			switch kind {
			case 'M', 'F', 'N':
				ok = ok && c >= 'A' && c <= 'Z'
			case 'Y':
				ok = ok && c >= '0' && c <= '9'
			case 'S':
				ok = ok && (c == 'F' || c == 'M' || c == 'O')
			}
		}
		i += n
	})
	return ok
}

// GivenName returns the given name of a Vietnamese full name: its last
// word ("Nguyễn Thị Hoa" → "Hoa"). Words without a letter, such as a
// stray number, are passed over; a name without any letter gives "".
func GivenName(full string) string {
	words := strings.Fields(full)
	for i := len(words) - 1; i >= 0; i-- {
		if strings.IndexFunc(words[i], unicode.IsLetter) >= 0 {
			return words[i]
		}
	}
	return ""
}

// nameLetters returns the letters A–Z of a name's given name, in capitals,
// without diacritics and with Đ as D.
func nameLetters(full string) string {
	var b strings.Builder
	for _, r := range Fold(GivenName(full)) {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r == 'ð': // Ð (U+00D0), typed for Đ by some keyboards
			b.WriteByte('D')
		}
	}
	return b.String()
}
