package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"time"

	"caunoi"
)

// unitListData is what the administrative-unit list shows.
type unitListData struct {
	Units []*caunoi.AdminUnit
	Pager pager
}

// unitList lists administrative units: by default those in force today.
func (s *Server) unitList(w http.ResponseWriter, r *http.Request) {
	pg, n := pageOf(r)
	q := r.URL.Query()
	f := caunoi.AdminUnitFilter{Level: q.Get("level"), ParentCode: q.Get("parent"), Query: q.Get("q"), Page: pg}
	if q.Get("all") == "" {
		today := caunoi.Today()
		f.On = &today
	}
	units, total, err := s.Units.FindAdminUnits(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "page.admin_units", &unitListData{Units: units, Pager: newPager(r, n, total)})
	p.Form = q
	s.render(w, r, http.StatusOK, "admin_units", p)
}

// unitImportData is what the import page shows: the preview of a file.
type unitImportData struct {
	Header   string
	Result   *caunoi.ImportResult
	Errors   []rowError
	Preview  bool
	Done     bool
	FileName string
}

// rowError is a row error with its message translated.
type rowError struct {
	Row          int
	Field, Error string
}

// importSessionKey holds an uploaded file between preview and confirm.
const importSessionKey = "admin_unit_import"

// unitImportForm shows the upload form.
func (s *Server) unitImportForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "admin_units_import", s.newPage(r, "page.admin_units_import", &unitImportData{Header: csvHeader()}))
}

func csvHeader() string {
	var b bytes.Buffer
	for i, h := range caunoi.AdminUnitCSVHeader {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(h)
	}
	return b.String()
}

// maxImportFile bounds an uploaded CSV file.
const maxImportFile = 5 << 20

// unitImport previews an uploaded CSV (step=preview) or imports the file
// kept from the preview (step=confirm), keeping good rows only if asked.
func (s *Server) unitImport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := &unitImportData{Header: csvHeader()}
	p := s.newPage(r, "page.admin_units_import", d)
	var data []byte
	var opts caunoi.ImportOptions
	if err := r.ParseMultipartForm(maxImportFile); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.formError(w, r, "admin_units_import", p, caunoi.Invalid(caunoi.FieldError{Field: "file", Key: "err.file.too_large", Args: map[string]any{"Max": "5 MB"}}))
			return
		}
		if err := parseForm(r); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	switch r.PostForm.Get("step") {
	case "confirm":
		data = s.Sessions.GetBytes(ctx, importSessionKey)
		if data == nil {
			s.formError(w, r, "admin_units_import", p, caunoi.Invalid(caunoi.FieldError{Field: "file", Key: "err.file.expired"}))
			return
		}
		opts.KeepGood = r.PostForm.Get("keep_good") == "on"
	default:
		file, hdr, err := r.FormFile("file")
		if err != nil {
			s.formError(w, r, "admin_units_import", p, caunoi.Invalid(caunoi.FieldError{Field: "file", Key: "err.file.required"}))
			return
		}
		defer file.Close()
		data, err = io.ReadAll(io.LimitReader(file, maxImportFile+1))
		if err != nil || len(data) > maxImportFile {
			s.formError(w, r, "admin_units_import", p, caunoi.Invalid(caunoi.FieldError{Field: "file", Key: "err.file.too_large", Args: map[string]any{"Max": "5 MB"}}))
			return
		}
		d.FileName = hdr.Filename
		opts.DryRun = true
	}
	rows, rowErrs, err := caunoi.ParseAdminUnitCSV(bytes.NewReader(data))
	if err != nil {
		s.formError(w, r, "admin_units_import", p, err)
		return
	}
	opts.Errors = rowErrs
	res, err := s.Units.ImportAdminUnits(ctx, rows, opts)
	if err != nil {
		s.formError(w, r, "admin_units_import", p, err)
		return
	}
	d.Result = res
	for _, e := range res.Errors {
		d.Errors = append(d.Errors, rowError{Row: e.Row, Field: e.Field, Error: p.L.T(e.Key, e.Args)})
	}
	if opts.DryRun {
		s.Sessions.Put(ctx, importSessionKey, data)
		s.Sessions.Put(ctx, importSessionKey+"_at", time.Now().Unix())
		d.Preview = true
	} else {
		s.Sessions.Remove(ctx, importSessionKey)
		d.Done = true
	}
	s.render(w, r, http.StatusOK, "admin_units_import", p)
}
