package i18n

import (
	"math"
	"strconv"
	"strings"

	"caunoi"
)

// PeriodName names a reporting period: "6 tháng đầu năm 2025", "Quý 3
// năm 2025", "Năm 2025", "Từ 15/01/2025 đến 20/03/2025".
func (l *Localizer) PeriodName(p caunoi.Period) string {
	y := strconv.Itoa(p.Start.Year())
	switch p.Kind {
	case caunoi.PeriodYear:
		return l.T("period.year", "Year", y)
	case caunoi.PeriodHalf:
		if p.Start.Month() == 1 {
			return l.T("period.half1", "Year", y)
		}
		return l.T("period.half2", "Year", y)
	case caunoi.PeriodQuarter:
		return l.T("period.quarter", "Quarter", strconv.Itoa((int(p.Start.Month())+2)/3), "Year", y)
	case caunoi.PeriodMonth:
		return l.T("period.month", "Month", strconv.Itoa(int(p.Start.Month())), "Year", y)
	}
	return l.T("period.custom", "From", l.DateUTC(p.Start), "To", l.DateUTC(p.End))
}

// DimValue names a value of a dimension: a group's or province's name
// from labels, else the catalogue's word for it.
func (l *Localizer) DimValue(dim, key string, labels map[string]map[string]string) string {
	if key == "unknown" || key == "" {
		return l.T("dim.unknown")
	}
	if dim == caunoi.DimOrg || dim == caunoi.DimProvince {
		if n := labels[dim][key]; n != "" {
			return n
		}
		return key
	}
	return l.T(dim + "." + key)
}

// Value formats an indicator's value: a count with thousands separators, a
// ratio with one decimal.
func (l *Localizer) Value(v float64, ratio bool) string {
	if !ratio || v == math.Trunc(v) {
		return l.Number(int64(math.Round(v)))
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	sep := ","
	if l.Lang == "en" {
		sep = "."
	}
	return l.Number(n) + sep + frac
}

// CellText writes a cell of a report: its value, "*" when suppressed,
// "—" for a ratio over zero, "" where the indicator has no such cell.
func (l *Localizer) CellText(c *caunoi.Cell, ratio bool) string {
	switch {
	case c == nil:
		return ""
	case c.Suppressed:
		return "*"
	case c.Undefined:
		return "—"
	}
	return l.Value(c.Value, ratio)
}
