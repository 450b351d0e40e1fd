package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"caunoi"
	"caunoi/internal/httperr"
)

// Helpers shared by the pages of field work: activities, places, imports
// and exports.

// fwOrgs returns the organisations of the actor's org.read scope on which
// it holds perm (contact.write for the forms, client.read for filters),
// by path.
func (s *Server) fwOrgs(ctx context.Context, perm caunoi.Permission) ([]*caunoi.Organisation, error) {
	a := caunoi.ActorFromContext(ctx)
	var out []*caunoi.Organisation
	for off := 0; ; off += caunoi.MaxPageSize {
		orgs, total, err := s.Orgs.FindOrgs(ctx, caunoi.OrgFilter{Page: caunoi.Page{Offset: off, Limit: caunoi.MaxPageSize}})
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			if a.CanAt(perm, o.Path) {
				out = append(out, o)
			}
		}
		if len(orgs) == 0 || off+len(orgs) >= total {
			return out, nil
		}
	}
}

// fwOrgNames maps the ids of organisations to their names.
func fwOrgNames(orgs []*caunoi.Organisation) map[string]string {
	m := make(map[string]string, len(orgs))
	for _, o := range orgs {
		m[o.ID] = o.Name
	}
	return m
}

// fwDefaultOrg returns the only organisation of a list, or "".
func fwDefaultOrg(orgs []*caunoi.Organisation) string {
	if len(orgs) == 1 {
		return orgs[0].ID
	}
	return ""
}

// fwThousands matches a whole number written with thousands separators,
// "1.000" as Vietnamese write it or "1,000" as English do.
var fwThousands = regexp.MustCompile(`^[0-9]{1,3}([.,][0-9]{3})+$`)

// fwNumber reads a whole number typed by a user: empty is 0, thousands
// separators are allowed, anything else that is not a whole number is
// false.
func fwNumber(s string) (int, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if s == "" {
		return 0, true
	}
	if fwThousands.MatchString(s) {
		s = strings.NewReplacer(".", "", ",", "").Replace(s)
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	// A spreadsheet may give a whole number as "12.0".
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) && f > -1e9 && f < 1e9 {
		return int(f), true
	}
	return 0, false
}

// fwQuantity reads a whole, non-negative number of a form field; a bad one
// is added to fields as field.
func fwQuantity(f url.Values, name, field string, fields *[]caunoi.FieldError) int {
	n, ok := fwNumber(f.Get(name))
	if !ok || n < 0 {
		*fields = append(*fields, caunoi.FieldError{Field: field, Key: "err.field.quantity"})
		return 0
	}
	return n
}

// fwCoordinate reads a latitude or longitude with '.' or ',' before the
// decimals; empty is nil.
func fwCoordinate(s string) (*float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil {
		return nil, false
	}
	return &f, true
}

// fwDay reads a day of a form field (dd/mm/yyyy or yyyy-mm-dd); a bad one
// is added to fields.
func fwDay(f url.Values, name string, fields *[]caunoi.FieldError) caunoi.Date {
	v := strings.TrimSpace(f.Get(name))
	if v == "" {
		*fields = append(*fields, caunoi.FieldError{Field: name, Key: "err.date.required"})
		return caunoi.Date{}
	}
	d, ok := caunoi.ParseDate(v)
	if !ok {
		*fields = append(*fields, caunoi.FieldError{Field: name, Key: "err.date.format"})
		return caunoi.Date{}
	}
	return caunoi.Date(d)
}

// fwPeriod reads the filters ?from= and ?to= (days, both included) as the
// bounds storage takes: from the first day, before the day after the last.
func fwPeriod(q url.Values) (from, to *time.Time, err error) {
	var fields []caunoi.FieldError
	if v := strings.TrimSpace(q.Get("from")); v != "" {
		if d, ok := caunoi.ParseDate(v); ok {
			from = &d
		} else {
			fields = append(fields, caunoi.FieldError{Field: "from", Key: "err.date.format"})
		}
	}
	if v := strings.TrimSpace(q.Get("to")); v != "" {
		if d, ok := caunoi.ParseDate(v); ok {
			next := d.AddDate(0, 0, 1)
			to = &next
		} else {
			fields = append(fields, caunoi.FieldError{Field: "to", Key: "err.date.format"})
		}
	}
	if len(fields) > 0 {
		return nil, nil, caunoi.Invalid(fields...)
	}
	return from, to, nil
}

// fwMoments reads ?from= and ?to= like fwPeriod, for records that are
// moments rather than days (contacts, audit entries): the bounds are
// midnights in Vietnam.
func fwMoments(q url.Values) (from, to *time.Time, err error) {
	from, to, err = fwPeriod(q)
	inVietnam := func(d *time.Time) *time.Time {
		if d == nil {
			return nil
		}
		t := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, caunoi.Zone)
		return &t
	}
	return inVietnam(from), inVietnam(to), err
}

// fwFieldErrors returns nil, or the EINVALID error of fields.
func fwFieldErrors(fields []caunoi.FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	return caunoi.Invalid(fields...)
}

// fwSet makes a set of strings, for checkboxes.
func fwSet(values []string) map[string]bool {
	m := make(map[string]bool, len(values))
	for _, v := range values {
		m[v] = true
	}
	return m
}

// fwChoice keeps v if it is one of choices, else "".
func fwChoice(v string, choices []string) string {
	if slices.Contains(choices, v) {
		return v
	}
	return ""
}

// fwToday is today in Vietnam as a form shows it.
func fwToday() string { return caunoi.Today().Format("02/01/2006") }

// fwShowError renders a page with an error's message at the error's status
// (the form kept as posted), for errors that formError would not show on
// the form itself (a file too large, say).
func (s *Server) fwShowError(w http.ResponseWriter, r *http.Request, name string, p *page, err error) {
	if caunoi.ErrorCode(err) == caunoi.EINTERNAL {
		s.fail(w, r, err)
		return
	}
	p.Error, p.Fields = p.L.Error(err)
	s.render(w, r, httperr.Status(err), name, p)
}

// fwWrite reports whether the actor may record field work for the
// organisation with the path.
func fwWrite(ctx context.Context, path string) bool {
	return caunoi.ActorFromContext(ctx).CanAt(caunoi.PermContactWrite, path)
}
