package caunoi

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kinds of reporting period.
const (
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
	PeriodHalf    = "half"
	PeriodYear    = "year"
	PeriodCustom  = "custom"
)

// PeriodKinds lists the kinds of reporting period.
var PeriodKinds = []string{PeriodMonth, PeriodQuarter, PeriodHalf, PeriodYear, PeriodCustom}

// MaxPeriodDays bounds a custom period.
const MaxPeriodDays = 366 * 5

// Period is a span of calendar days, both ends included, as Vietnam counts
// them: work is counted by the day it happened. Start and End are midnight
// UTC, as days are stored.
type Period struct {
	Kind  string    `json:"kind"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

var (
	periodYear    = regexp.MustCompile(`^(\d{4})$`)
	periodHalf    = regexp.MustCompile(`^(\d{4})-?[HhSs]([12])$`)
	periodQuarter = regexp.MustCompile(`^(\d{4})-?[Qq]([1-4])$`)
	periodMonth   = regexp.MustCompile(`^(\d{4})-?(\d{2})$`)
	periodCustom  = regexp.MustCompile(`^(.+?)\s*(?:\.\.|_)\s*(.+)$`)
)

// ParsePeriod reads a period code: "2025" (a year), "2025-H1" (a half),
// "2025-Q3" (a quarter), "2025-07" (a month) or "2025-01-15..2025-03-20"
// (a custom range, days as yyyy-mm-dd or dd/mm/yyyy). A period that ends
// before it starts is EINVALID on the field "period".
func ParsePeriod(code string) (Period, error) {
	s := strings.TrimSpace(code)
	bad := Invalid(FieldError{Field: "period", Key: "err.period.format"})
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	var p Period
	switch {
	case periodYear.MatchString(s):
		y := atoi(s)
		p = Period{Kind: PeriodYear, Start: day(y, 1, 1), End: day(y, 12, 31)}
	case periodHalf.MatchString(s):
		m := periodHalf.FindStringSubmatch(s)
		y, h := atoi(m[1]), atoi(m[2])
		p = Period{Kind: PeriodHalf, Start: day(y, time.Month(6*h-5), 1), End: lastDay(y, time.Month(6*h))}
	case periodQuarter.MatchString(s):
		m := periodQuarter.FindStringSubmatch(s)
		y, q := atoi(m[1]), atoi(m[2])
		p = Period{Kind: PeriodQuarter, Start: day(y, time.Month(3*q-2), 1), End: lastDay(y, time.Month(3*q))}
	case periodMonth.MatchString(s):
		m := periodMonth.FindStringSubmatch(s)
		y, mo := atoi(m[1]), atoi(m[2])
		if mo < 1 || mo > 12 {
			return Period{}, bad
		}
		p = Period{Kind: PeriodMonth, Start: day(y, time.Month(mo), 1), End: lastDay(y, time.Month(mo))}
	case periodCustom.MatchString(s):
		m := periodCustom.FindStringSubmatch(s)
		from, ok1 := parseDate(m[1])
		to, ok2 := parseDate(m[2])
		if !ok1 || !ok2 {
			return Period{}, bad
		}
		p = Period{Kind: PeriodCustom, Start: from, End: to}
	default:
		return Period{}, bad
	}
	return p, p.Validate()
}

// CustomPeriod returns the custom period of the days from and to, both
// included, checked.
func CustomPeriod(from, to time.Time) (Period, error) {
	p := Period{Kind: PeriodCustom, Start: dayStart(from), End: dayStart(to)}
	return p, p.Validate()
}

// Validate checks the period: a known kind, from 1900 to 2200, ending on
// or after the day it starts, at most MaxPeriodDays long.
func (p Period) Validate() error {
	var v Validator
	v.Check(slices.Contains(PeriodKinds, p.Kind), "period", "err.period.format", nil)
	v.Check(!p.Start.IsZero() && !p.End.IsZero() && p.Start.Year() >= 1900 && p.End.Year() <= 2200, "period", "err.period.range", nil)
	if !p.Start.IsZero() && !p.End.IsZero() {
		if p.End.Before(p.Start) {
			v.Add("period", "err.period.end_before_start", nil)
		} else {
			v.Check(p.End.Sub(p.Start) <= MaxPeriodDays*24*time.Hour, "period", "err.period.too_long", map[string]any{"Max": MaxPeriodDays})
		}
	}
	return v.Err()
}

// Code returns the period's code, which ParsePeriod reads back.
func (p Period) Code() string {
	y := p.Start.Year()
	switch p.Kind {
	case PeriodYear:
		return strconv.Itoa(y)
	case PeriodHalf:
		return fmt.Sprintf("%d-H%d", y, (int(p.Start.Month())+5)/6)
	case PeriodQuarter:
		return fmt.Sprintf("%d-Q%d", y, (int(p.Start.Month())+2)/3)
	case PeriodMonth:
		return p.Start.Format("2006-01")
	default:
		return p.Start.Format(DateLayout) + ".." + p.End.Format(DateLayout)
	}
}

// Contains reports whether the day d (midnight UTC) lies in the period.
func (p Period) Contains(d time.Time) bool {
	return !d.Before(p.Start) && !d.After(p.End)
}

// MonthAligned reports whether the period starts on the first day of a
// month and ends on the last day of one.
func (p Period) MonthAligned() bool {
	return p.Start.Day() == 1 && p.End.AddDate(0, 0, 1).Day() == 1
}

// Months returns the first day of every month the period touches.
func (p Period) Months() []time.Time {
	var out []time.Time
	for m := day(p.Start.Year(), p.Start.Month(), 1); !m.After(p.End); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return out
}

// Previous returns the period of the same kind just before p (a custom
// period: the same number of days before it).
func (p Period) Previous() Period {
	switch p.Kind {
	case PeriodYear:
		return Period{Kind: p.Kind, Start: p.Start.AddDate(-1, 0, 0), End: lastDay(p.Start.Year()-1, 12)}
	case PeriodHalf, PeriodQuarter, PeriodMonth:
		n := map[string]int{PeriodHalf: 6, PeriodQuarter: 3, PeriodMonth: 1}[p.Kind]
		s := p.Start.AddDate(0, -n, 0)
		return Period{Kind: p.Kind, Start: s, End: s.AddDate(0, n, -1)}
	default:
		days := p.End.Sub(p.Start) + 24*time.Hour
		return Period{Kind: p.Kind, Start: p.Start.Add(-days), End: p.Start.Add(-24 * time.Hour)}
	}
}

// StartInstant returns the moment the period starts in Vietnam.
func (p Period) StartInstant() time.Time {
	return time.Date(p.Start.Year(), p.Start.Month(), p.Start.Day(), 0, 0, 0, 0, Zone)
}

// EndInstant returns the moment just after the period ends in Vietnam
// (midnight after its last day).
func (p Period) EndInstant() time.Time {
	return time.Date(p.End.Year(), p.End.Month(), p.End.Day()+1, 0, 0, 0, 0, Zone)
}

// CurrentPeriod returns the period of the kind that contains the day d.
func CurrentPeriod(kind string, d time.Time) Period {
	y, m := d.Year(), int(d.Month())
	switch kind {
	case PeriodYear:
		return Period{Kind: kind, Start: day(y, 1, 1), End: day(y, 12, 31)}
	case PeriodHalf:
		h := (m + 5) / 6
		return Period{Kind: kind, Start: day(y, time.Month(6*h-5), 1), End: lastDay(y, time.Month(6*h))}
	case PeriodQuarter:
		q := (m + 2) / 3
		return Period{Kind: kind, Start: day(y, time.Month(3*q-2), 1), End: lastDay(y, time.Month(3*q))}
	default:
		return Period{Kind: PeriodMonth, Start: day(y, time.Month(m), 1), End: lastDay(y, time.Month(m))}
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func lastDay(y int, m time.Month) time.Time { return day(y, m+1, 1).AddDate(0, 0, -1) }

// dayStart returns the calendar day of t (as written) at midnight UTC.
func dayStart(t time.Time) time.Time { return day(t.Year(), t.Month(), t.Day()) }

// MarshalJSON writes the period with its code and its days as yyyy-mm-dd.
func (p Period) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Kind  string `json:"kind"`
		Code  string `json:"code"`
		Start string `json:"start"`
		End   string `json:"end"`
	}{p.Kind, p.Code(), p.Start.Format(DateLayout), p.End.Format(DateLayout)})
}
