package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"caunoi"
	"caunoi/internal/i18n"
	"caunoi/internal/xlsx"
)

// The registers groups keep in Excel and import here: clients, outreach
// contacts and group activities. Each has a Vietnamese template to fill
// in (GET /import/{kind}/template); an uploaded file is previewed first —
// every bad cell reported, nothing stored — and kept in the session until
// the user confirms, as the import of administrative units does. Every
// row gets a key of its content (xlsx.RowKey), so importing the same file
// again stores nothing twice.

// importFileLimit is the most an imported file may weigh. The body of a
// form is limited to MaxFormBody by the route guard, so the smaller of the
// two is what is accepted and what messages announce.
const (
	importFileLimit = 20 << 20
	importMax       = min(importFileLimit, MaxFormBody)
)

// Session keys of the file kept between preview and confirm.
const (
	importFileKey = "fieldwork_import_file"
	importKindKey = "fieldwork_import_kind"
	importOrgKey  = "fieldwork_import_org"
	importNameKey = "fieldwork_import_name"
	importAtKey   = "fieldwork_import_at"
)

// importKeep is how long a previewed file waits for its confirmation.
const importKeep = 2 * time.Hour

// importSpec describes one kind of register.
type importSpec struct {
	Kind  string            // clients, contacts, activities
	Title string            // catalogue key of the page
	Perm  caunoi.Permission // needed on the organisation
	File  string            // the template's file name
	Sheet xlsx.Sheet
	// Fields maps the fields of storage's errors to the sheet's columns.
	Fields map[string]string
}

// importSpecOf returns the register of a kind, or ENOTFOUND.
func (s *Server) importSpecOf(kind string) (*importSpec, error) {
	vi := s.Cat.For("vi") // the template is a Vietnamese document
	switch kind {
	case "clients":
		return &importSpec{Kind: kind, Title: "page.import_clients", Perm: caunoi.PermClientWrite, File: "mau-nhap-khach-hang.xlsx",
			Sheet: importClientSheet(vi), Fields: map[string]string{}}, nil
	case "contacts":
		return &importSpec{Kind: kind, Title: "page.import_contacts", Perm: caunoi.PermContactWrite, File: "mau-nhap-tiep-can.xlsx",
			Sheet: importContactSheet(vi), Fields: map[string]string{"at": "date", "client_id": "client"}}, nil
	case "activities":
		return &importSpec{Kind: kind, Title: "page.import_activities", Perm: caunoi.PermContactWrite, File: "mau-nhap-hoat-dong.xlsx",
			Sheet: importActivitySheet(vi), Fields: map[string]string{}}, nil
	}
	return nil, caunoi.NotFound("import")
}

// fwLabels lists the translations of codes as "a / b / c".
func fwLabels(l *i18n.Localizer, prefix string, codes []string, sep string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = l.T(prefix + c)
	}
	return strings.Join(out, sep)
}

// fwLabelsWithCodes lists the translations of codes with the codes: "Người
// bán dâm (sex_work); …".
func fwLabelsWithCodes(l *i18n.Localizer, prefix string, codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = l.T(prefix+c) + " (" + c + ")"
	}
	return strings.Join(out, "; ")
}

func fwPopulationCodes() []string {
	out := make([]string, len(caunoi.Populations))
	for i, p := range caunoi.Populations {
		out[i] = string(p)
	}
	return out
}

// importClientSheet is the register of clients. It asks nothing identifying but
// a phone and an identity number, both optional and encrypted when
// stored.
func importClientSheet(vi *i18n.Localizer) xlsx.Sheet {
	return xlsx.Sheet{Name: "Khách hàng", Columns: []xlsx.Column{
		{Key: "nickname", Header: "Tên gọi", Required: true, Width: 18, Hint: "Tên thường gọi hoặc biệt danh; không cần tên thật."},
		{Key: "birth_year", Header: "Năm sinh", Number: true, Hint: "Bốn chữ số, ví dụ 1995."},
		{Key: "sex", Header: "Giới tính", Required: true, Hint: fwLabels(vi, "sex.", caunoi.Sexes, " / ")},
		{Key: "populations", Header: "Nhóm đối tượng", Required: true, Width: 30,
			Hint: "Một hoặc nhiều nhóm, cách nhau bằng dấu ; — ghi tên hoặc mã: " + fwLabelsWithCodes(vi, "population.", fwPopulationCodes())},
		{Key: "uic", Header: "Mã UIC", Width: 14, Hint: "6–20 chữ in hoa không dấu và số."},
		{Key: "residence", Header: "Nơi cư trú", Width: 16, Hint: fwLabels(vi, "residence.", caunoi.Residences, " / ") + ". Để trống: " + vi.T("residence.local") + "."},
		{Key: "status", Header: "Tình trạng", Width: 16, Hint: fwLabels(vi, "client_status.", caunoi.ClientStatuses, " / ") + ". Để trống: " + vi.T("client_status.active") + "."},
		{Key: "phone", Header: "Số điện thoại", Width: 14, Hint: "Không bắt buộc; được mã hóa khi lưu và không bao giờ được xuất ra tệp."},
		{Key: "id_number", Header: "Số CCCD", Width: 14, Hint: "Không bắt buộc; được mã hóa khi lưu và không bao giờ được xuất ra tệp."},
	}}
}

// importContactSheet is the register of outreach contacts.
func importContactSheet(vi *i18n.Localizer) xlsx.Sheet {
	cols := []xlsx.Column{
		{Key: "date", Header: "Ngày", Required: true, Date: true, Hint: "dd/mm/yyyy, ví dụ 01/07/2025."},
		{Key: "time", Header: "Giờ", Width: 8, Hint: "HH:MM, ví dụ 20:30."},
		{Key: "client", Header: "Mã UIC hoặc Tên gọi của khách hàng", Width: 24,
			Hint: "Khách hàng đã đăng ký của nhóm. Để trống nếu tiếp cận ẩn danh. Nếu nhiều người trùng tên gọi, hãy ghi mã UIC."},
		{Key: "anon_sex", Header: "Giới tính", Hint: "Chỉ khi ẩn danh: " + fwLabels(vi, "sex.", caunoi.Sexes, " / ") + "."},
		{Key: "anon_population", Header: "Nhóm đối tượng", Width: 24, Hint: "Chỉ khi ẩn danh, một nhóm — tên hoặc mã: " + fwLabelsWithCodes(vi, "population.", fwPopulationCodes())},
		{Key: "channel", Header: "Hình thức", Hint: fwLabels(vi, "channel.", caunoi.Channels, " / ") + ". Để trống: " + vi.T("channel.in_person") + "."},
		{Key: "place", Header: "Địa điểm", Width: 24, Hint: "Nơi tiếp cận."},
		{Key: "topics", Header: "Chủ đề", Width: 24, Hint: "Một hoặc nhiều, cách nhau bằng dấu ; — tên hoặc mã: " + fwLabelsWithCodes(vi, "topic.", caunoi.Topics)},
	}
	for _, c := range caunoi.Commodities {
		cols = append(cols, xlsx.Column{Key: c, Header: vi.T("commodity." + c), Number: true, Hint: "Số lượng đã phát: số nguyên, không âm."})
	}
	cols = append(cols, xlsx.Column{Key: "notes", Header: "Ghi chú", Width: 30})
	return xlsx.Sheet{Name: "Tiếp cận", Columns: cols}
}

// importActivitySheet is the register of group activities with anonymous head
// counts; named attendance is recorded on the activity's form.
func importActivitySheet(vi *i18n.Localizer) xlsx.Sheet {
	return xlsx.Sheet{Name: "Hoạt động nhóm", Columns: []xlsx.Column{
		{Key: "held_on", Header: "Ngày", Required: true, Date: true, Hint: "dd/mm/yyyy, ví dụ 01/07/2025."},
		{Key: "kind", Header: "Loại hoạt động", Required: true, Width: 22, Hint: fwLabels(vi, "activity_kind.", caunoi.ActivityKinds, " / ") + "."},
		{Key: "title", Header: "Tên hoạt động", Required: true, Width: 30, Hint: "Tối đa 200 ký tự."},
		{Key: "topics", Header: "Chủ đề", Width: 24, Hint: "Một hoặc nhiều, cách nhau bằng dấu ; — tên hoặc mã: " + fwLabelsWithCodes(vi, "topic.", caunoi.Topics)},
		{Key: "place", Header: "Địa điểm", Width: 24},
		{Key: "anon_female", Header: "Số nữ", Number: true, Hint: "Số người tham dự là nữ."},
		{Key: "anon_male", Header: "Số nam", Number: true, Hint: "Số người tham dự là nam."},
		{Key: "anon_other", Header: "Số khác", Number: true, Hint: "Số người tham dự giới tính khác."},
		{Key: "notes", Header: "Ghi chú", Width: 30},
	}}
}

// importData is what the import page shows.
type importData struct {
	Kind     string
	Columns  []xlsx.Column
	Orgs     []*caunoi.Organisation
	OrgID    string // the organisation chosen, or of the file kept
	OrgName  string
	FileName string
	MaxBytes int64
	MaxText  string
	Result   *caunoi.ImportResult
	Bad      int // rows with errors
	Errors   []rowError
	Preview  bool // a file was checked, nothing stored
	Refused  bool // a confirm stored nothing: the file has bad rows
	Done     bool
}

// importPage makes the import page of a register.
func (s *Server) importPage(r *http.Request, spec *importSpec) (*page, *importData, error) {
	orgs, err := s.fwOrgs(r.Context(), spec.Perm)
	if err != nil {
		return nil, nil, err
	}
	d := &importData{Kind: spec.Kind, Columns: spec.Sheet.Columns, Orgs: orgs, OrgID: fwDefaultOrg(orgs),
		MaxBytes: importMax, MaxText: xlsx.TooLarge(importMax).Args["Max"].(string)}
	return s.newPage(r, spec.Title, d), d, nil
}

// importForm shows the upload form of a register.
func (s *Server) importForm(w http.ResponseWriter, r *http.Request) {
	spec, err := s.importSpecOf(r.PathValue("kind"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, _, err := s.importPage(r, spec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "import", p)
}

// importTemplate sends the empty register to fill in.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) {
	spec, err := s.importSpecOf(r.PathValue("kind"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := xlsx.WriteTemplate(&buf, spec.Sheet); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsx.XLSXContentType)
	w.Header().Set("Content-Disposition", xlsx.ContentDisposition(spec.File))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = buf.WriteTo(w)
}

// importUpload previews an uploaded file (step=preview: every row checked
// against storage, nothing stored, the file kept in the session) or
// imports the file kept (step=confirm), keeping the good rows only if
// asked.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	spec, err := s.importSpecOf(r.PathValue("kind"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, d, err := s.importPage(r, spec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form, data, name, err := readImportUpload(r)
	if err != nil {
		s.fwShowError(w, r, "import", p, err)
		return
	}
	p.Form = form
	var opts caunoi.ImportOptions
	switch form.Get("step") {
	case "confirm":
		data = s.Sessions.GetBytes(ctx, importFileKey)
		at := time.Unix(s.Sessions.GetInt64(ctx, importAtKey), 0)
		if data == nil || s.Sessions.GetString(ctx, importKindKey) != spec.Kind || time.Since(at) > importKeep {
			s.fwShowError(w, r, "import", p, caunoi.Invalid(caunoi.FieldError{Field: "file", Key: "err.file.expired"}))
			return
		}
		d.OrgID, d.FileName = s.Sessions.GetString(ctx, importOrgKey), s.Sessions.GetString(ctx, importNameKey)
		opts.KeepGood = form.Get("keep_good") != ""
	default:
		d.OrgID, d.FileName = form.Get("org_id"), name
		var fields []caunoi.FieldError
		if fwNameOf(d.Orgs, d.OrgID) == "" {
			fields = append(fields, caunoi.FieldError{Field: "org_id", Key: "err.org.not_in_scope"})
		}
		if data == nil {
			fields = append(fields, caunoi.FieldError{Field: "file", Key: "err.file.required"})
		}
		if len(fields) > 0 {
			s.fwShowError(w, r, "import", p, caunoi.Invalid(fields...))
			return
		}
		opts.DryRun = true
	}
	d.OrgName = fwNameOf(d.Orgs, d.OrgID)
	res, err := s.runImport(ctx, spec, d.OrgID, data, p.L, opts)
	if err != nil {
		s.fwShowError(w, r, "import", p, err)
		return
	}
	d.Result = res
	rows := map[int]bool{}
	for _, e := range res.Errors {
		rows[e.Row] = true
		d.Errors = append(d.Errors, rowError{Row: e.Row, Field: importColumn(spec, p.L, e.Field), Error: p.L.T(e.Key, e.Args)})
	}
	d.Bad = len(rows)
	switch {
	case opts.DryRun:
		s.Sessions.Put(ctx, importFileKey, data)
		s.Sessions.Put(ctx, importKindKey, spec.Kind)
		s.Sessions.Put(ctx, importOrgKey, d.OrgID)
		s.Sessions.Put(ctx, importNameKey, d.FileName)
		s.Sessions.Put(ctx, importAtKey, time.Now().Unix())
		d.Preview = true
	case d.Bad > 0 && !opts.KeepGood:
		// Nothing was stored; keep the file, so that the user may still
		// choose to import the good rows.
		d.Refused = true
	default:
		for _, k := range []string{importFileKey, importKindKey, importOrgKey, importNameKey, importAtKey} {
			s.Sessions.Remove(ctx, k)
		}
		d.Done = true
	}
	s.render(w, r, http.StatusOK, "import", p)
}

// importColumn names the column of a row error: its header in the file,
// or the field's name.
func importColumn(spec *importSpec, l *i18n.Localizer, field string) string {
	if f, ok := spec.Fields[field]; ok {
		field = f
	}
	if field == "" {
		return ""
	}
	for _, c := range spec.Sheet.Columns {
		if c.Key == field {
			return c.Header
		}
	}
	return l.Field(field)
}

// readImportUpload reads the import form: the fields, and the file,
// streamed from the body and never more than importMax bytes of it. A
// confirm without a file may come as an ordinary form.
func readImportUpload(r *http.Request) (form url.Values, data []byte, name string, err error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		if err := parseForm(r); err != nil {
			return nil, nil, "", err
		}
		return r.PostForm, nil, "", nil
	}
	tooLarge := xlsx.TooLarge(importMax)
	if r.ContentLength > MaxFormBody {
		return nil, nil, "", tooLarge // refused before a byte of it is read
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, "", caunoi.Errorf(caunoi.EINVALID, "err.form.unreadable", nil)
	}
	uploadErr := func(err error) error {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge
		}
		return caunoi.Errorf(caunoi.EINVALID, "err.form.unreadable", nil)
	}
	form = url.Values{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, "", uploadErr(err)
		}
		if part.FormName() == "file" {
			if part.FileName() == "" {
				continue // no file chosen
			}
			name = part.FileName()
			data, err = io.ReadAll(io.LimitReader(part, importMax+1))
			if err != nil {
				return nil, nil, "", uploadErr(err)
			}
			if len(data) > importMax {
				return nil, nil, "", tooLarge
			}
			continue
		}
		v, err := io.ReadAll(io.LimitReader(part, 4<<10))
		if err != nil {
			return nil, nil, "", uploadErr(err)
		}
		form.Add(part.FormName(), string(v))
	}
	return form, data, name, nil
}

// runImport reads a file into records of the organisation and hands them
// to storage with opts.
func (s *Server) runImport(ctx context.Context, spec *importSpec, orgID string, data []byte, l *i18n.Localizer, opts caunoi.ImportOptions) (*caunoi.ImportResult, error) {
	ip := &importRowParser{s: s, ctx: ctx, orgID: orgID, l: l, now: time.Now(), choices: importChoiceSets(s, l),
		clients: map[string]importClientMatch{}}
	scope := orgID + ":" + spec.Kind
	var clients []caunoi.ImportRow[*caunoi.Client]
	var contacts []caunoi.ImportRow[*caunoi.Contact]
	var activities []caunoi.ImportRow[*caunoi.Activity]
	err := xlsx.ReadFunc(bytes.NewReader(data), importMax, spec.Sheet, func(row xlsx.Row) error {
		rr := &importRowReader{row: row, ip: ip}
		key := xlsx.RowKey(scope, row)
		switch spec.Kind {
		case "clients":
			if c := ip.client(rr); len(rr.errs) == 0 {
				clients = append(clients, caunoi.ImportRow[*caunoi.Client]{Row: row.Num, Key: key, Record: c})
			}
		case "contacts":
			c, err := ip.contact(rr)
			if err != nil {
				return err
			}
			if len(rr.errs) == 0 {
				contacts = append(contacts, caunoi.ImportRow[*caunoi.Contact]{Row: row.Num, Key: key, Record: c})
			}
		case "activities":
			if a := ip.activity(rr); len(rr.errs) == 0 {
				activities = append(activities, caunoi.ImportRow[*caunoi.Activity]{Row: row.Num, Key: key, Record: a})
			}
		}
		opts.Errors = append(opts.Errors, rr.errs...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch spec.Kind {
	case "clients":
		return s.Imports.ImportClients(ctx, clients, opts)
	case "contacts":
		return s.Imports.ImportContacts(ctx, contacts, opts)
	default:
		return s.Imports.ImportActivities(ctx, activities, opts)
	}
}

// importChoiceSet reads the values of a closed list as people write them in a
// spreadsheet: the code, or its name in Vietnamese or English, without
// regard to case, diacritics or spacing.
type importChoiceSet struct {
	codes  map[string]string // folded text → code
	labels string            // the names, for messages
}

func newImportChoiceSet(s *Server, l *i18n.Localizer, prefix string, codes []string, aliases map[string]string) *importChoiceSet {
	cs := &importChoiceSet{codes: map[string]string{}, labels: fwLabels(l, prefix, codes, ", ")}
	for _, c := range codes {
		for _, v := range []string{c, strings.ReplaceAll(c, "_", " "), s.Cat.For("vi").T(prefix + c), s.Cat.For("en").T(prefix + c)} {
			cs.codes[fwFold(v)] = c
		}
	}
	for a, c := range aliases {
		cs.codes[fwFold(a)] = c
	}
	return cs
}

// fwFold folds a cell for comparison: no case, no diacritics, single
// spaces.
func fwFold(s string) string { return strings.Join(strings.Fields(caunoi.Fold(s)), " ") }

// importChoices are the closed lists of the registers.
type importChoices struct {
	sex, population, residence, status, channel, topic, kind *importChoiceSet
}

func importChoiceSets(s *Server, l *i18n.Localizer) *importChoices {
	return &importChoices{
		sex: newImportChoiceSet(s, l, "sex.", caunoi.Sexes, nil),
		// The abbreviations of the programme's reports.
		population: newImportChoiceSet(s, l, "population.", fwPopulationCodes(), map[string]string{"NBD": "sex_work", "NSDMT": "drug_use"}),
		residence:  newImportChoiceSet(s, l, "residence.", caunoi.Residences, nil),
		status:     newImportChoiceSet(s, l, "client_status.", caunoi.ClientStatuses, nil),
		channel:    newImportChoiceSet(s, l, "channel.", caunoi.Channels, nil),
		topic:      newImportChoiceSet(s, l, "topic.", caunoi.Topics, nil),
		kind:       newImportChoiceSet(s, l, "activity_kind.", caunoi.ActivityKinds, nil),
	}
}

// importClientMatch is what a client's UIC or nickname resolved to.
type importClientMatch struct {
	id    string
	key   string // the error's key when not one client
	count int
}

// importRowParser turns rows into records.
type importRowParser struct {
	s       *Server
	ctx     context.Context
	orgID   string
	l       *i18n.Localizer
	now     time.Time
	choices *importChoices
	clients map[string]importClientMatch // by folded UIC or nickname
}

// importRowReader reads the cells of one row, collecting an error per bad cell.
type importRowReader struct {
	row  xlsx.Row
	ip   *importRowParser
	errs []caunoi.RowError
}

func (rr *importRowReader) add(col, key string, args map[string]any) {
	rr.errs = append(rr.errs, caunoi.RowError{Row: rr.row.Num, Field: col, Key: key, Args: args})
}

func (rr *importRowReader) text(col string) string { return strings.TrimSpace(rr.row.Values[col]) }

// required reads a cell that must not be empty.
func (rr *importRowReader) required(col string) string {
	v := rr.text(col)
	if v == "" {
		rr.add(col, "err.field.required", nil)
	}
	return v
}

// choice reads one value of a closed list; "" for an empty cell.
func (rr *importRowReader) choice(col string, cs *importChoiceSet) string {
	v := rr.text(col)
	if v == "" {
		return ""
	}
	if c, ok := cs.codes[fwFold(v)]; ok {
		return c
	}
	rr.add(col, "err.import.choice", map[string]any{"Value": v, "Choices": cs.labels})
	return ""
}

// choices reads values of a closed list separated by ";" (or new lines).
func (rr *importRowReader) choices(col string, cs *importChoiceSet) []string {
	var out []string
	for _, v := range strings.FieldsFunc(rr.text(col), func(r rune) bool { return r == ';' || r == '\n' }) {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		if c, ok := cs.codes[fwFold(v)]; ok {
			out = append(out, c)
		} else {
			rr.add(col, "err.import.choice", map[string]any{"Value": v, "Choices": cs.labels})
		}
	}
	return out
}

// quantity reads a whole number from 0 to max; 0 for an empty cell.
func (rr *importRowReader) quantity(col string, max int, key string) int {
	n, ok := fwNumber(rr.text(col))
	switch {
	case !ok || n < 0:
		rr.add(col, "err.field.quantity", nil)
	case n > max:
		rr.add(col, key, nil)
	default:
		return n
	}
	return 0
}

// day reads a date (dd/mm/yyyy, as Read gives date cells, or yyyy-mm-dd)
// from 1900 to today; a time after it ("dd/mm/yyyy hh:mm") is returned
// too.
func (rr *importRowReader) day(col string) (d time.Time, clock string, ok bool) {
	v := rr.text(col)
	if v == "" {
		rr.add(col, "err.date.required", nil)
		return d, "", false
	}
	date, clock, _ := strings.Cut(v, " ")
	d, ok = caunoi.ParseDate(date)
	if !ok {
		rr.add(col, "err.date.format", nil)
		return d, "", false
	}
	if d.Year() < 1900 || d.After(caunoi.Today()) {
		rr.add(col, "err.date.range", nil)
		return d, "", false
	}
	return d, strings.TrimSpace(clock), true
}

// fwClock reads a time of day: "20:30", "8:05", "20:30:00", "8:30 PM", or
// the fraction of a day a General cell holds (0.854166…).
func fwClock(v string) (h, m int, ok bool) {
	v = strings.ToUpper(strings.TrimSpace(v))
	if v == "" {
		return 0, 0, true
	}
	pm, am := strings.HasSuffix(v, "PM"), strings.HasSuffix(v, "AM")
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(v, "PM"), "AM"))
	if f, err := strconv.ParseFloat(v, 64); err == nil && !strings.Contains(v, ":") {
		if f < 0 || f >= 1 {
			return 0, 0, false
		}
		mins := int(f*24*60 + 0.5)
		return mins / 60 % 24, mins % 60, true
	}
	parts := strings.Split(strings.NewReplacer("h", ":", "H", ":", ".", ":").Replace(v), ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, false
	}
	switch {
	case pm && h < 12:
		h += 12
	case am && h == 12:
		h = 0
	}
	return h, m, true
}

// fieldsToRow turns a record's field errors into row errors.
func (rr *importRowReader) fieldsToRow(err error, fields map[string]string) {
	for _, f := range caunoi.AsError(err).Fields {
		col := f.Field
		if c, ok := fields[col]; ok {
			col = c
		}
		rr.add(col, f.Key, f.Args)
	}
}

// client reads a row of the client register.
func (ip *importRowParser) client(rr *importRowReader) *caunoi.Client {
	ch := ip.choices
	c := &caunoi.Client{OrgID: ip.orgID, Nickname: rr.required("nickname"), UIC: rr.text("uic"),
		Phone: rr.text("phone"), IDNumber: rr.text("id_number")}
	if v := rr.text("birth_year"); v != "" {
		n, ok := fwNumber(v)
		if !ok || n < 1900 || n > ip.now.Year() {
			rr.add("birth_year", "err.client.birth_year", map[string]any{"Max": ip.now.Year()})
		}
		c.BirthYear = n
	}
	if c.Sex = rr.choice("sex", ch.sex); c.Sex == "" && rr.text("sex") == "" {
		rr.add("sex", "err.field.required", nil)
	}
	for _, p := range rr.choices("populations", ch.population) {
		c.Populations = append(c.Populations, caunoi.Population(p))
	}
	if rr.text("populations") == "" {
		rr.add("populations", "err.client.population_required", nil)
	}
	c.Residence = rr.choice("residence", ch.residence)
	c.Status = rr.choice("status", ch.status)
	if len(rr.errs) == 0 {
		if err := c.Validate(ip.now); err != nil {
			rr.fieldsToRow(err, nil)
		}
	}
	return c
}

// contact reads a row of the contact register; the client is found by
// UIC or nickname among the organisation's clients.
func (ip *importRowParser) contact(rr *importRowReader) (*caunoi.Contact, error) {
	ch := ip.choices
	c := &caunoi.Contact{OrgID: ip.orgID, Channel: rr.choice("channel", ch.channel), Place: rr.text("place"),
		Topics: rr.choices("topics", ch.topic), Notes: rr.text("notes")}
	day, clock, ok := rr.day("date")
	if t := rr.text("time"); t != "" {
		clock = t
	}
	h, m, okClock := fwClock(clock)
	if !okClock {
		col := "time"
		if rr.text("time") == "" {
			col = "date"
		}
		rr.add(col, "err.import.time", nil)
	}
	if ok && okClock {
		c.At = time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, caunoi.Zone)
		if c.At.After(ip.now.Add(5 * time.Minute)) {
			col := "time"
			if rr.text("time") == "" {
				col = "date"
			}
			rr.add(col, "err.date.range", nil)
		}
	}
	if who := rr.text("client"); who != "" {
		match, err := ip.findClient(who)
		if err != nil {
			return nil, err
		}
		if match.id == "" {
			rr.add("client", match.key, map[string]any{"Value": who, "Count": match.count})
		}
		c.ClientID = match.id
	} else {
		if c.AnonSex = rr.choice("anon_sex", ch.sex); rr.text("anon_sex") == "" {
			rr.add("anon_sex", "err.contact.anon_needs_sex", nil)
		}
		if c.AnonPopulation = caunoi.Population(rr.choice("anon_population", ch.population)); rr.text("anon_population") == "" {
			rr.add("anon_population", "err.contact.anon_needs_population", nil)
		}
	}
	for _, k := range caunoi.Commodities {
		if n := rr.quantity(k, 100000, "err.contact.quantity"); n > 0 {
			if c.Commodities == nil {
				c.Commodities = map[string]int{}
			}
			c.Commodities[k] = n
		}
	}
	if len(rr.errs) == 0 {
		if err := c.Validate(ip.now); err != nil {
			rr.fieldsToRow(err, map[string]string{"at": "date", "client_id": "client"})
		}
	}
	return c, nil
}

// findClient finds the one client of the organisation whose UIC or
// nickname is who: by UIC first, then by nickname, which must not be
// shared.
func (ip *importRowParser) findClient(who string) (importClientMatch, error) {
	key := fwFold(who)
	if m, ok := ip.clients[key]; ok {
		return m, nil
	}
	list, _, err := ip.s.Clients.FindClients(ip.ctx, caunoi.ClientFilter{OrgID: ip.orgID, Query: who, Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
	if err != nil {
		return importClientMatch{}, err
	}
	uic := strings.ToUpper(strings.TrimSpace(who))
	var byUIC, byName []string
	for _, c := range list {
		if c.UIC != "" && c.UIC == uic {
			byUIC = append(byUIC, c.ID)
		}
		if fwFold(c.Nickname) == key {
			byName = append(byName, c.ID)
		}
	}
	var m importClientMatch
	switch {
	case len(byUIC) == 1:
		m.id = byUIC[0]
	case len(byUIC) > 1:
		m.key, m.count = "err.import.client_uic_shared", len(byUIC)
	case len(byName) == 1:
		m.id = byName[0]
	case len(byName) > 1:
		m.key, m.count = "err.import.client_ambiguous", len(byName)
	default:
		m.key = "err.import.client_unknown"
	}
	ip.clients[key] = m
	return m, nil
}

// activity reads a row of the activity register.
func (ip *importRowParser) activity(rr *importRowReader) *caunoi.Activity {
	ch := ip.choices
	a := &caunoi.Activity{OrgID: ip.orgID, Title: rr.required("title"), Topics: rr.choices("topics", ch.topic),
		Place: rr.text("place"), Notes: rr.text("notes")}
	if a.Kind = rr.choice("kind", ch.kind); rr.text("kind") == "" {
		rr.add("kind", "err.field.required", nil)
	}
	if d, _, ok := rr.day("held_on"); ok {
		a.HeldOn = caunoi.Date(d)
	}
	a.AnonFemale = rr.quantity("anon_female", 1000000, "err.field.quantity")
	a.AnonMale = rr.quantity("anon_male", 1000000, "err.field.quantity")
	a.AnonOther = rr.quantity("anon_other", 1000000, "err.field.quantity")
	if len(rr.errs) == 0 {
		if err := a.Validate(ip.now); err != nil {
			rr.fieldsToRow(err, map[string]string{"anon": "anon_female", "attendees": "anon_female"})
		}
	}
	return a
}
