package web

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"caunoi"
	"caunoi/internal/i18n"
)

// Helpers shared by the pages of money: funds, loans and budgets.

func init() {
	// bp shows basis points as a percent with two decimals: "35,29 %".
	funcs["bp"] = func(l *i18n.Localizer, bp int) string { return moneyPercent(l.Lang, bp) }
	// day shows a calendar day (a caunoi.Date or *caunoi.Date) as dd/mm/yyyy.
	funcs["day"] = func(d any) string {
		switch d := d.(type) {
		case caunoi.Date:
			if time.Time(d).IsZero() {
				return ""
			}
			return time.Time(d).Format("02/01/2006")
		case *caunoi.Date:
			if d == nil || time.Time(*d).IsZero() {
				return ""
			}
			return time.Time(*d).Format("02/01/2006")
		}
		return ""
	}
	// rate shows an annual rate in basis points as "12" or "7,5" (percent).
	funcs["rate"] = func(l *i18n.Localizer, bp int) string { return moneyRate(l.Lang, bp) }
}

// moneyPercent writes basis points as a percent: "35,29 %" in
// Vietnamese, "35.29%" in English.
func moneyPercent(lang string, bp int) string {
	s := strconv.Itoa(bp/100) + "." + strconv.Itoa(100 + bp%100)[1:]
	if lang == "en" {
		return s + "%"
	}
	return strings.Replace(s, ".", ",", 1) + " %"
}

// moneyRate writes an annual rate in basis points as a number of percent
// without needless decimals: 1200 → "12", 750 → "7,5".
func moneyRate(lang string, bp int) string {
	s := strconv.Itoa(bp / 100)
	if frac := bp % 100; frac != 0 {
		f := strings.TrimRight(strconv.Itoa(100 + frac)[1:], "0")
		sep := ","
		if lang == "en" {
			sep = "."
		}
		s += sep + f
	}
	return s
}

// moneyThousands matches a whole number with thousands separators:
// "1.000.000" as Vietnamese write it, "1,000,000" as English do.
var moneyThousands = regexp.MustCompile(`^-?[0-9]{1,3}([.,][0-9]{3})+$`)

// moneyAmount reads a sum of đồng typed by a user: "1.500.000", "1500000",
// "1 500 000 đ". Empty is 0 (the storage then says it is needed); a
// negative number is kept, so that the domain says it may not be; text
// that is no whole number is false.
func moneyAmount(s string) (int64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "đ", "", "₫", "", "VND", "", "vnd", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, true
	}
	if moneyThousands.MatchString(s) {
		s = strings.NewReplacer(".", "", ",", "").Replace(s)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// moneyField reads the amount of a form field; a bad one is added to
// fields.
func moneyField(f url.Values, name string, fields *[]caunoi.FieldError) int64 {
	n, ok := moneyAmount(f.Get(name))
	if !ok {
		*fields = append(*fields, caunoi.FieldError{Field: name, Key: "err.money.format"})
	}
	return n
}

// moneyRateField reads an annual rate typed in percent ("12", "7,5",
// "0.75") as basis points; empty is 0.
func moneyRateField(f url.Values, name string, fields *[]caunoi.FieldError) int {
	s := strings.TrimSuffix(strings.TrimSpace(f.Get(name)), "%")
	s = strings.Replace(strings.TrimSpace(s), ",", ".", 1)
	if s == "" {
		return 0
	}
	whole, frac, _ := strings.Cut(s, ".")
	w, err := strconv.Atoi(whole)
	if err != nil || w < 0 || len(frac) > 2 {
		*fields = append(*fields, caunoi.FieldError{Field: name, Key: "err.loan.rate_format"})
		return 0
	}
	bp := w * 100
	if frac != "" {
		fr, err := strconv.Atoi((frac + "0")[:2])
		if err != nil || fr < 0 {
			*fields = append(*fields, caunoi.FieldError{Field: name, Key: "err.loan.rate_format"})
			return 0
		}
		bp += fr
	}
	return bp
}

// moneyOptDay reads an optional day of a form: empty is today.
func moneyOptDay(f url.Values, name string, fields *[]caunoi.FieldError) caunoi.Date {
	if strings.TrimSpace(f.Get(name)) == "" {
		return caunoi.Date(caunoi.Today())
	}
	return fwDay(f, name, fields)
}

// moneyDayParam reads ?on= as a day, today when absent or unreadable (the
// error is returned to show).
func moneyDayParam(q url.Values) (time.Time, error) {
	s := strings.TrimSpace(q.Get("on"))
	if s == "" {
		return caunoi.Today(), nil
	}
	d, ok := caunoi.ParseDate(s)
	if !ok {
		return caunoi.Today(), caunoi.Invalid(caunoi.FieldError{Field: "on", Key: "err.date.format"})
	}
	return d, nil
}

func init() {
	// budgetLeft is what is left of a planned amount, never below zero.
	funcs["budgetLeft"] = func(planned, spent int64) int64 { return max(0, planned-spent) }
}

func init() {
	// The audit page filters by the steps and records of money too.
	auditActions = append(auditActions, caunoi.ActionAppraise, caunoi.ActionApprove, caunoi.ActionReject, caunoi.ActionDisburse,
		caunoi.ActionRepay, caunoi.ActionReverse, caunoi.ActionWriteOff)
	auditEntities = append(auditEntities, "fund", "fund_entry", "loan", "cost_norm", "budget_plan", "expenditure")
}
