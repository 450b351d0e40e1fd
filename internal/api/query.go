package api

import (
	"net/url"
	"slices"
	"time"

	"caunoi"
)

// queryDay reads the query parameter name as a calendar day (yyyy-mm-dd,
// or dd/mm/yyyy) in Vietnam's time zone and returns the first instant of
// that day, or of the day after it when next is true (so that a "to" day
// is included whole). It returns nil when the parameter is absent and
// records a field error when it cannot be read.
func queryDay(v *caunoi.Validator, q url.Values, name string, next bool) *time.Time {
	s := q.Get(name)
	if s == "" {
		return nil
	}
	d, ok := caunoi.ParseDate(s)
	if !ok {
		v.Add(name, "err.query.date", nil)
		return nil
	}
	day := 0
	if next {
		day = 1
	}
	t := time.Date(d.Year(), d.Month(), d.Day()+day, 0, 0, 0, 0, caunoi.Zone)
	return &t
}

// queryDate reads the query parameter name as a calendar day and returns
// it at midnight UTC, the way dates are stored; nil when absent.
func queryDate(v *caunoi.Validator, q url.Values, name string) *time.Time {
	s := q.Get(name)
	if s == "" {
		return nil
	}
	d, ok := caunoi.ParseDate(s)
	if !ok {
		v.Add(name, "err.query.date", nil)
		return nil
	}
	return &d
}

// queryRange checks that a from–to range does not end before it starts.
// to is the first instant after the range, as queryDay returns it.
func queryRange(v *caunoi.Validator, from, to *time.Time) {
	if from != nil && to != nil {
		v.Check(to.After(*from), "to", "err.date.end_before_start", nil)
	}
}

// queryChoice reads the query parameter name, which must be empty or one
// of choices.
func queryChoice[T ~string](v *caunoi.Validator, q url.Values, name string, choices []T) T {
	s := T(q.Get(name))
	if s != "" && !slices.Contains(choices, s) {
		v.Add(name, "err.query.choice", nil)
	}
	return s
}
