package web

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"caunoi"
	"caunoi/internal/i18n"
	"caunoi/internal/xlsx"
)

// Exports of the lists as .xlsx or CSV (?format=xlsx|csv), with the same
// filters as the lists. The rows stream from storage 500 at a time into
// the file. Exports only read: they write nothing, not even to the audit
// trail, since no list method reads a client's identifying fields. The
// headers are Vietnamese and the columns those of the import templates
// (and a few more), so that an exported file can be imported again.

// fwRows pages through a list, MaxPageSize rows at a time.
type fwRows[T any] struct {
	fetch func(caunoi.Page) ([]T, int, error)
	buf   []T
	off   int
	done  bool
}

// fill fetches the next page.
func (p *fwRows[T]) fill() error {
	list, total, err := p.fetch(caunoi.Page{Offset: p.off, Limit: caunoi.MaxPageSize})
	if err != nil {
		return err
	}
	p.off += len(list)
	p.done = len(list) == 0 || p.off >= total
	p.buf = list
	return nil
}

// prime fetches the first page, so that an error (a filter out of scope,
// say) is answered as a page before the file starts.
func (p *fwRows[T]) prime() error {
	if len(p.buf) > 0 || p.done {
		return nil
	}
	return p.fill()
}

// next returns the next row, or false after the last.
func (p *fwRows[T]) next() (T, bool, error) {
	var zero T
	if len(p.buf) == 0 && !p.done {
		if err := p.fill(); err != nil {
			return zero, false, err
		}
	}
	if len(p.buf) == 0 {
		return zero, false, nil
	}
	v := p.buf[0]
	p.buf = p.buf[1:]
	return v, true, nil
}

// fwCountWriter counts what was written, to know whether an error can
// still be answered as a page.
type fwCountWriter struct {
	w io.Writer
	n int64
}

func (c *fwCountWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// sendExport writes a register as ?format=xlsx (the default) or csv,
// offered for download as base-yyyy-mm-dd.xlsx.
func (s *Server) sendExport(w http.ResponseWriter, r *http.Request, base string, sheet xlsx.Sheet, next func() ([]any, bool, error)) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "xlsx"
	}
	if format != "xlsx" && format != "csv" {
		s.fail(w, r, caunoi.Invalid(caunoi.FieldError{Field: "format", Key: "err.query.choice"}))
		return
	}
	h := w.Header()
	h.Set("Content-Disposition", xlsx.ContentDisposition(base+"-"+caunoi.Today().Format("2006-01-02")+"."+format))
	cw := &fwCountWriter{w: w}
	var err error
	if format == "csv" {
		h.Set("Content-Type", xlsx.CSVContentType)
		err = xlsx.ExportCSV(cw, sheet, next)
	} else {
		h.Set("Content-Type", xlsx.XLSXContentType)
		err = xlsx.ExportXLSX(cw, sheet, next)
	}
	if err == nil {
		return
	}
	if cw.n == 0 {
		h.Del("Content-Disposition")
		h.Del("Content-Type")
		s.fail(w, r, err)
		return
	}
	if r.Context().Err() != nil {
		return // the client went away
	}
	// Too late for a page. Cut the connection, so that the browser shows
	// a failed download rather than a file that looks complete.
	s.Log.Error("export", "route", r.Pattern, "err", err)
	if conn, _, herr := http.NewResponseController(w).Hijack(); herr == nil {
		_ = conn.Close()
	}
}

// fwValues holds the Vietnamese names of closed lists for the exports.
type fwValues struct{ vi *i18n.Localizer }

func (v fwValues) one(prefix, code string) string {
	if code == "" {
		return ""
	}
	return v.vi.T(prefix + code)
}

func (v fwValues) list(prefix string, codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = v.vi.T(prefix + c)
	}
	return strings.Join(out, "; ")
}

// orgColumn is the column naming a record's organisation.
var orgColumn = xlsx.Column{Key: "org", Header: "Tổ chức", Width: 30}

// exportColumns returns the columns of a sheet without those named.
func exportColumns(s xlsx.Sheet, without ...string) []xlsx.Column {
	var out []xlsx.Column
	for _, c := range s.Columns {
		skip := false
		for _, w := range without {
			skip = skip || c.Key == w
		}
		if !skip {
			c.Required, c.Hint = false, ""
			out = append(out, c)
		}
	}
	return out
}

// clientExport exports the clients of the list's filter. It never writes
// a legal name, a phone or an identity number: FindClients does not even
// read them (only a client's own, audited page does), and the sheet has no
// column for them.
func (s *Server) clientExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	orgs, err := s.fwOrgs(ctx, caunoi.PermClientRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := fwOrgNames(orgs)
	f := caunoi.ClientFilter{Query: q.Get("q"), Population: caunoi.Population(q.Get("population")), Status: q.Get("status"), OrgID: q.Get("org")}
	rows := &fwRows[*caunoi.Client]{fetch: func(pg caunoi.Page) ([]*caunoi.Client, int, error) {
		f.Page = pg
		return s.Clients.FindClients(ctx, f)
	}}
	if err := rows.prime(); err != nil {
		s.fail(w, r, err)
		return
	}
	vi := fwValues{s.Cat.For("vi")}
	sheet := xlsx.Sheet{Name: "Khách hàng", Columns: append(exportColumns(importClientSheet(vi.vi), "phone", "id_number"),
		orgColumn, xlsx.Column{Key: "created_at", Header: "Ngày đăng ký", Date: true})}
	s.sendExport(w, r, "khach-hang", sheet, func() ([]any, bool, error) {
		c, ok, err := rows.next()
		if !ok || err != nil {
			return nil, ok, err
		}
		pops := make([]string, len(c.Populations))
		for i, p := range c.Populations {
			pops[i] = string(p)
		}
		var birth any
		if c.BirthYear > 0 {
			birth = c.BirthYear
		}
		// nickname, birth_year, sex, populations, uic, residence, status, org, created_at
		return []any{c.Nickname, birth, vi.one("sex.", c.Sex), vi.list("population.", pops), c.UIC,
			vi.one("residence.", c.Residence), vi.one("client_status.", c.Status), names[c.OrgID], c.CreatedAt.In(caunoi.Zone)}, true, nil
	})
}

// contactExport exports the outreach contacts of the list's filter. The
// client is named by UIC, or by nickname when there is none, from the list
// of clients in scope (read only if some contact names a client).
func (s *Server) contactExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	orgs, err := s.fwOrgs(ctx, caunoi.PermClientRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := fwOrgNames(orgs)
	f, err := contactFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := &fwRows[*caunoi.Contact]{fetch: func(pg caunoi.Page) ([]*caunoi.Contact, int, error) {
		f.Page = pg
		return s.Contacts.FindContacts(ctx, f)
	}}
	if err := rows.prime(); err != nil {
		s.fail(w, r, err)
		return
	}
	var who map[string]string // client id → UIC or nickname
	clientName := func(id string) (string, error) {
		if who == nil {
			who = map[string]string{}
			clients := &fwRows[*caunoi.Client]{fetch: func(pg caunoi.Page) ([]*caunoi.Client, int, error) {
				return s.Clients.FindClients(ctx, caunoi.ClientFilter{Page: pg})
			}}
			for {
				c, ok, err := clients.next()
				if err != nil {
					return "", err
				}
				if !ok {
					break
				}
				who[c.ID] = c.UIC
				if c.UIC == "" {
					who[c.ID] = c.Nickname
				}
			}
		}
		return who[id], nil
	}
	vi := fwValues{s.Cat.For("vi")}
	sheet := xlsx.Sheet{Name: "Tiếp cận", Columns: append(exportColumns(importContactSheet(vi.vi)), orgColumn)}
	s.sendExport(w, r, "tiep-can", sheet, func() ([]any, bool, error) {
		c, ok, err := rows.next()
		if !ok || err != nil {
			return nil, ok, err
		}
		at := c.At.In(caunoi.Zone)
		client := ""
		if c.ClientID != "" {
			if client, err = clientName(c.ClientID); err != nil {
				return nil, false, err
			}
		}
		// date, time, client, anon_sex, anon_population, channel, place, topics, commodities…, notes, org
		row := []any{at, at.Format("15:04"), client, vi.one("sex.", c.AnonSex), vi.one("population.", string(c.AnonPopulation)),
			vi.one("channel.", c.Channel), c.Place, vi.list("topic.", c.Topics)}
		for _, k := range caunoi.Commodities {
			var n any
			if c.Commodities[k] > 0 {
				n = c.Commodities[k]
			}
			row = append(row, n)
		}
		return append(row, c.Notes, names[c.OrgID]), true, nil
	})
}

// activityExport exports the activities of the list's filter with their
// head counts.
func (s *Server) activityExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	orgs, err := s.fwOrgs(ctx, caunoi.PermClientRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := fwOrgNames(orgs)
	f, err := activityFilter(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := &fwRows[*caunoi.Activity]{fetch: func(pg caunoi.Page) ([]*caunoi.Activity, int, error) {
		f.Page = pg
		return s.Acts.FindActivities(ctx, f)
	}}
	if err := rows.prime(); err != nil {
		s.fail(w, r, err)
		return
	}
	vi := fwValues{s.Cat.For("vi")}
	sheet := xlsx.Sheet{Name: "Hoạt động nhóm", Columns: append(exportColumns(importActivitySheet(vi.vi)),
		xlsx.Column{Key: "named", Header: "Số người có tên", Number: true},
		xlsx.Column{Key: "participants", Header: "Tổng số người tham dự", Number: true},
		orgColumn)}
	s.sendExport(w, r, "hoat-dong", sheet, func() ([]any, bool, error) {
		a, ok, err := rows.next()
		if !ok || err != nil {
			return nil, ok, err
		}
		// held_on, kind, title, topics, place, anon_female, anon_male, anon_other, notes, named, participants, org
		return []any{time.Time(a.HeldOn), vi.one("activity_kind.", a.Kind), a.Title, vi.list("topic.", a.Topics), a.Place,
			a.AnonFemale, a.AnonMale, a.AnonOther, a.Notes, len(a.Attendees), a.Participants(), names[a.OrgID]}, true, nil
	})
}

// placeExport exports the places of the list's filter.
func (s *Server) placeExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	orgs, err := s.fwOrgs(ctx, caunoi.PermClientRead)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := fwOrgNames(orgs)
	f := placeFilter(r.URL.Query())
	rows := &fwRows[*caunoi.Place]{fetch: func(pg caunoi.Page) ([]*caunoi.Place, int, error) {
		f.Page = pg
		return s.Places.FindPlaces(ctx, f)
	}}
	if err := rows.prime(); err != nil {
		s.fail(w, r, err)
		return
	}
	unitName := s.unitNames(ctx)
	vi := fwValues{s.Cat.For("vi")}
	sheet := xlsx.Sheet{Name: "Địa điểm", Columns: []xlsx.Column{
		{Key: "kind", Header: "Loại", Width: 22},
		{Key: "type", Header: "Loại hình", Width: 16},
		{Key: "name", Header: "Tên", Width: 30},
		{Key: "address", Header: "Địa chỉ", Width: 30},
		{Key: "admin_unit", Header: "Địa bàn", Width: 20},
		{Key: "lat", Header: "Vĩ độ", Number: true},
		{Key: "lng", Header: "Kinh độ", Number: true},
		{Key: "estimated_workers", Header: "Số người lao động ước tính", Number: true},
		{Key: "notes", Header: "Ghi chú", Width: 30},
		orgColumn,
	}}
	s.sendExport(w, r, "dia-diem", sheet, func() ([]any, bool, error) {
		p, ok, err := rows.next()
		if !ok || err != nil {
			return nil, ok, err
		}
		return []any{vi.one("place_kind.", p.Kind), vi.one("place_type.", p.Type), p.Name, p.Address, unitName(p.AdminUnitCode),
			coordCell(p.Lat), coordCell(p.Lng), p.EstimatedWorkers, p.Notes, names[p.OrgID]}, true, nil
	})
}

// unitNames returns a function that names administrative units by code
// for an export, looking each code up once; an unknown code stays a code.
func (s *Server) unitNames(ctx context.Context) func(code string) string {
	units := map[string]string{}
	return func(code string) string {
		if code == "" {
			return ""
		}
		if n, ok := units[code]; ok {
			return n
		}
		units[code] = code
		if u, err := s.Units.FindAdminUnitByCode(ctx, code); err == nil {
			units[code] = u.Name
		}
		return units[code]
	}
}

// coordCell is a latitude or longitude as a spreadsheet cell: empty when
// the place has none.
func coordCell(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}
