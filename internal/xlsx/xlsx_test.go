package xlsx_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"caunoi"
	"caunoi/internal/xlsx"
)

const maxBytes = 5 << 20

// members is a register like the ones groups keep.
var members = xlsx.Sheet{
	Name: "Thành viên",
	Columns: []xlsx.Column{
		{Key: "nickname", Header: "Tên gọi", Required: true, Width: 20},
		{Key: "birth_year", Header: "Năm sinh", Required: true, Number: true},
		{Key: "sex", Header: "Giới", Hint: "Nữ / Nam / Khác"},
		{Key: "joined", Header: "Ngày tham gia", Hint: "dd/mm/yyyy", Date: true},
		{Key: "phone", Header: "Điện thoại"},
	},
}

// wantMembers are the two rows the round-trip tests put in, on rows 2 and 3.
var wantMembers = []xlsx.Row{
	{Num: 2, Values: map[string]string{"nickname": "Lan", "birth_year": "1990", "sex": "Nữ", "joined": "15/03/2024", "phone": "0912345678"}},
	{Num: 3, Values: map[string]string{"nickname": "Hoa Đào", "birth_year": "1985", "sex": "Khác", "joined": "01/12/2023", "phone": ""}},
}

// asError returns err as *caunoi.Error with the code and key, or fails.
func asError(t *testing.T, err error, code caunoi.Code, key string) *caunoi.Error {
	t.Helper()
	var e *caunoi.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want *caunoi.Error %s %s", err, err, code, key)
	}
	if e.Code != code || e.Key != key {
		t.Fatalf("err = %v, want %s: %s", e, code, key)
	}
	return e
}

func openXLSX(t testing.TB, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func saveXLSX(t testing.TB, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mustRead(t *testing.T, b []byte, s xlsx.Sheet) []xlsx.Row {
	t.Helper()
	rows, err := xlsx.Read(bytes.NewReader(b), maxBytes, s)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func equalRows(t *testing.T, got, want []xlsx.Row) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows:\n got %v\nwant %v", got, want)
	}
}

func set(t testing.TB, f *excelize.File, sheet, cell string, v any) {
	t.Helper()
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		t.Fatal(err)
	}
}

func TestWriteTemplate(t *testing.T) {
	var buf bytes.Buffer
	if err := xlsx.WriteTemplate(&buf, members); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	if got, want := f.GetSheetList(), []string{"Thành viên", "Hướng dẫn"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	head, err := f.GetRows("Thành viên")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Tên gọi", "Năm sinh", "Giới", "Ngày tham gia", "Điện thoại"}; len(head) != 1 || !reflect.DeepEqual(head[0], want) {
		t.Fatalf("rows = %q, want only the header %q", head, want)
	}
	for _, cell := range []string{"A1", "E1"} {
		id, err := f.GetCellStyle("Thành viên", cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Font == nil || !st.Font.Bold {
			t.Errorf("%s is not bold", cell)
		}
	}
	panes, err := f.GetPanes("Thành viên")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, want the first row frozen", panes)
	}
	if w, _ := f.GetColWidth("Thành viên", "A"); w != 20 {
		t.Errorf("width of A = %v, want 20", w)
	}
	// The phone column is text, so that Excel keeps the leading zero.
	id, _ := f.GetCellStyle("Thành viên", "E2")
	if st, _ := f.GetStyle(id); st == nil || st.NumFmt != 49 {
		t.Errorf("style of E2 = %+v, want the text format 49", st)
	}
	comments, err := f.GetComments("Thành viên")
	if err != nil {
		t.Fatal(err)
	}
	if len(comments) != 2 || comments[0].Cell != "C1" || !strings.Contains(comments[0].Text+comments[1].Text, "Nữ / Nam / Khác") {
		t.Errorf("comments = %+v, want the hints on C1 and D1", comments)
	}
	guide, err := f.GetRows("Hướng dẫn")
	if err != nil {
		t.Fatal(err)
	}
	if len(guide) != 6 || !reflect.DeepEqual(guide[1], []string{"Tên gọi", "Có"}) || !reflect.DeepEqual(guide[3], []string{"Giới", "", "Nữ / Nam / Khác"}) {
		t.Errorf("guide = %q", guide)
	}
}

// fillTemplate writes the template and fills it as a user might: the first
// and third columns swapped, "Tên gọi" typed without diacritics, a column
// of their own added, and the two rows of wantMembers.
func fillTemplate(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := xlsx.WriteTemplate(&buf, members); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	const sh = "Thành viên"
	set(t, f, sh, "A1", "Giới")
	set(t, f, sh, "C1", "Ten goi")
	set(t, f, sh, "F1", "Ghi chú riêng")
	for i, r := range [][]any{
		{"Nữ", 1990, " Lan ", time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC), "0912345678", "không nhập"},
		{"Khác", "1985", "Hoa Đào", time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if err := f.SetSheetRow(sh, "A"+strconv.Itoa(i+2), &r); err != nil {
			t.Fatal(err)
		}
	}
	return saveXLSX(t, f)
}

func TestTemplateRoundTrip(t *testing.T) {
	equalRows(t, mustRead(t, fillTemplate(t), members), wantMembers)
}

func TestReadCSV(t *testing.T) {
	// The rows of the template test, with ';' and a BOM as Excel writes
	// "CSV UTF-8" in Vietnam, columns moved, an empty row and a blank line.
	const text = "\ufeffGiới;Năm sinh;Ten goi;NGÀY THAM GIA;Điện thoại;Ghi chú riêng\r\n" +
		"Nữ;1990; Lan ;15/03/2024;0912345678;không nhập\r\n" +
		";;;;;\r\n" +
		"\r\n" +
		"Khác;1985;Hoa Đào;01/12/2023\r\n"
	want := []xlsx.Row{wantMembers[0], wantMembers[1]}
	want[1].Num = 5
	equalRows(t, mustRead(t, []byte(text), members), want)

	t.Run("comma", func(t *testing.T) {
		text := strings.ReplaceAll(strings.TrimPrefix(text, "\ufeff"), ";", ",")
		equalRows(t, mustRead(t, []byte(text), members), want)
	})
	t.Run("quoted", func(t *testing.T) {
		// A quoted field over two lines is one row; the count goes on right.
		text := "Tên gọi,Năm sinh,Ghi chú\n" +
			"\"Lan, \"\"bé\"\"\",1990,\"hai\ndòng\"\n" +
			"\n" +
			"Hoa;Mai,1985\n" +
			"Cúc,1970" // no newline at the end
		got := mustRead(t, []byte(text), members)
		if len(got) != 3 || got[0].Values["nickname"] != `Lan, "bé"` || got[1].Num != 4 || got[1].Values["nickname"] != "Hoa;Mai" || got[2].Num != 5 {
			t.Errorf("rows = %v", got)
		}
	})
	t.Run("bad quotes", func(t *testing.T) {
		text := "Tên gọi,Năm sinh\nLan,1990\n\nHoa \"x\" y,1985\n"
		_, err := xlsx.Read(strings.NewReader(text), maxBytes, members)
		e := asError(t, err, caunoi.EINVALID, "err.csv.unreadable_at")
		if e.Args["Row"] != 4 {
			t.Errorf("Row = %v, want 4", e.Args["Row"])
		}
	})
	t.Run("NFC", func(t *testing.T) {
		// "Hoà" typed with combining marks, as some keyboards do.
		text := "Tên gọi,Năm sinh\nHoa\u0300,1990\n"
		if got := mustRead(t, []byte(text), members); got[0].Values["nickname"] != "Hoà" {
			t.Errorf("nickname = %+q, want NFC %+q", got[0].Values["nickname"], "Hoà")
		}
	})
}

func TestReadOptionalColumnAbsent(t *testing.T) {
	got := mustRead(t, []byte("Tên gọi,Năm sinh,Giới\nLan,1990\n"), members)
	want := []xlsx.Row{{Num: 2, Values: map[string]string{"nickname": "Lan", "birth_year": "1990", "sex": ""}}}
	equalRows(t, got, want)
}

func TestReadTitleRowsAboveHeader(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	set(t, f, "Sheet1", "A1", "DANH SÁCH THÀNH VIÊN NHÓM BẠN GIÚP BẠN")
	set(t, f, "Sheet1", "A3", "STT")
	set(t, f, "Sheet1", "B3", "Tên gọi *")
	set(t, f, "Sheet1", "C3", "birth_year")
	set(t, f, "Sheet1", "A4", 1)
	set(t, f, "Sheet1", "B4", "Lan")
	set(t, f, "Sheet1", "C4", 1990)
	set(t, f, "Sheet1", "A5", 2) // numbered, but nothing in it
	set(t, f, "Sheet1", "A7", 3)
	set(t, f, "Sheet1", "B7", "Hoa")
	got := mustRead(t, saveXLSX(t, f), members)
	want := []xlsx.Row{
		{Num: 4, Values: map[string]string{"nickname": "Lan", "birth_year": "1990"}},
		{Num: 7, Values: map[string]string{"nickname": "Hoa", "birth_year": ""}},
	}
	equalRows(t, got, want)
}

func TestReadPrefersTheNamedSheet(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	set(t, f, "Sheet1", "A1", "Tên gọi")
	set(t, f, "Sheet1", "A2", "sai")
	if _, err := f.NewSheet("THANH VIEN"); err != nil {
		t.Fatal(err)
	}
	set(t, f, "THANH VIEN", "A1", "Tên gọi")
	set(t, f, "THANH VIEN", "B1", "Năm sinh")
	set(t, f, "THANH VIEN", "A2", "đúng")
	got := mustRead(t, saveXLSX(t, f), members)
	if len(got) != 1 || got[0].Values["nickname"] != "đúng" {
		t.Errorf("rows = %v, want the row of sheet THANH VIEN", got)
	}
}

func TestReadDates(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	day := time.Date(1990, 3, 15, 8, 30, 0, 0, time.UTC)
	cases := []struct {
		name   string
		value  any
		numFmt int
		custom string
		want   string
	}{
		{"short date, id 14", day, 14, "", "15/03/1990"},
		{"d-mmm-yy, id 15", day, 15, "", "15/03/1990"},
		{"date and time, id 22", day, 22, "", "15/03/1990 08:30"},
		{"American", day, 0, "m/d/yyyy", "15/03/1990"},
		{"ISO", day, 0, "yyyy-mm-dd", "15/03/1990"},
		{"Vietnamese locale", day, 0, "[$-42A]dd/mm/yyyy;@", "15/03/1990"},
		{"long date", day, 0, `[$-F800]dddd\,\ mmmm\ dd\,\ yyyy`, "15/03/1990"},
		{"quoted", day, 0, `"ngày "d" tháng "m" năm "yyyy`, "15/03/1990"},
		{"custom with time", day, 0, "dd/mm/yyyy h:mm", "15/03/1990 08:30"},
		{"text in a date cell", "15/3/1990", 14, "", "15/3/1990"},
		{"time only", 0.5, 0, "h:mm", "12:00"},
		{"general number", 1500000, 0, "", "1500000"},
		{"grouped number", 1500000, 3, "", "1,500,000"},
		{"leading zero", 912345678, 0, "0000000000", "0912345678"},
		{"money", 250000, 0, `#,##0 "₫"`, "250,000 ₫"},
		{"negative in a date cell", -5.5, 14, "", "-5.5"},
		{"float error", 32947.354166666664, 0, "dd/mm/yyyy hh:mm", "15/03/1990 08:30"},
		{"end of the day", 32947.999, 0, "dd/mm/yyyy", "15/03/1990"},
	}
	set(t, f, "Sheet1", "A1", "Ghi chú")
	for i, c := range cases {
		cell := "A" + strconv.Itoa(i+2)
		set(t, f, "Sheet1", cell, c.value)
		st := &excelize.Style{NumFmt: c.numFmt}
		if c.custom != "" {
			st.CustomNumFmt = &c.custom
		}
		if c.numFmt != 0 || c.custom != "" {
			id, err := f.NewStyle(st)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle("Sheet1", cell, cell, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	notes := xlsx.Sheet{Columns: []xlsx.Column{{Key: "note", Header: "Ghi chú", Required: true}}}
	got := mustRead(t, saveXLSX(t, f), notes)
	if len(got) != len(cases) {
		t.Fatalf("%d rows, want %d", len(got), len(cases))
	}
	for i, c := range cases {
		if v := got[i].Values["note"]; v != c.want {
			t.Errorf("%s: %q, want %q", c.name, v, c.want)
		}
	}
}

func TestReadDates1904(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	yes := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
		t.Fatal(err)
	}
	set(t, f, "Sheet1", "A1", "Ghi chú")
	set(t, f, "Sheet1", "A2", 31120) // 15/03/1989 counted from 1904
	id, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "A2", "A2", id); err != nil {
		t.Fatal(err)
	}
	notes := xlsx.Sheet{Columns: []xlsx.Column{{Key: "note", Header: "Ghi chú"}}}
	if got := mustRead(t, saveXLSX(t, f), notes); len(got) != 1 || got[0].Values["note"] != "15/03/1989" {
		t.Errorf("rows = %v, want 15/03/1989", got)
	}
}

func TestReadMissingColumns(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	set(t, f, "Sheet1", "A1", "Tên gọi")
	set(t, f, "Sheet1", "B1", "Giới")
	set(t, f, "Sheet1", "A2", "Lan")
	_, err := xlsx.Read(bytes.NewReader(saveXLSX(t, f)), maxBytes, members)
	e := asError(t, err, caunoi.EINVALID, "err.file.missing_columns")
	if e.Args["Columns"] != "“Năm sinh”" {
		t.Errorf("Columns = %q, want “Năm sinh”", e.Args["Columns"])
	}

	t.Run("CSV, both", func(t *testing.T) {
		_, err := xlsx.Read(strings.NewReader("Giới;Điện thoại\nNữ;09\n"), maxBytes, members)
		e := asError(t, err, caunoi.EINVALID, "err.file.missing_columns")
		if e.Args["Columns"] != "“Tên gọi”, “Năm sinh”" {
			t.Errorf("Columns = %q", e.Args["Columns"])
		}
	})
	t.Run("twice", func(t *testing.T) {
		_, err := xlsx.Read(strings.NewReader("Tên gọi,Năm sinh,ten goi\nLan,1990,Hoa\n"), maxBytes, members)
		e := asError(t, err, caunoi.EINVALID, "err.file.duplicate_column")
		if e.Args["Column"] != "“Tên gọi”" {
			t.Errorf("Column = %q", e.Args["Column"])
		}
	})
	t.Run("empty", func(t *testing.T) {
		for _, text := range []string{"", "\ufeff", "\n\n;;;\n"} {
			_, err := xlsx.Read(strings.NewReader(text), maxBytes, members)
			asError(t, err, caunoi.EINVALID, "err.file.empty")
		}
	})
}

func TestReadNotSpreadsheet(t *testing.T) {
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	for name, b := range map[string][]byte{
		"png":     pngBuf.Bytes(),
		"random":  random,
		"NUL":     []byte("Tên gọi,Năm sinh\x00\n"),
		"latin-1": []byte("T\xean g\xf4i,N\xe4m\n"),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := xlsx.Read(bytes.NewReader(b), maxBytes, members)
			asError(t, err, caunoi.EINVALID, "err.file.not_spreadsheet")
		})
	}
	t.Run("xls", func(t *testing.T) {
		b := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
		_, err := xlsx.Read(bytes.NewReader(b), maxBytes, members)
		asError(t, err, caunoi.EINVALID, "err.file.old_excel")
	})
	t.Run("zip", func(t *testing.T) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("readme.txt")
		io.WriteString(w, "không phải bảng tính")
		zw.Close()
		_, err := xlsx.Read(&buf, maxBytes, members)
		asError(t, err, caunoi.EINVALID, "err.file.unreadable")
	})
	t.Run("truncated xlsx", func(t *testing.T) {
		b := fillTemplate(t)
		_, err := xlsx.Read(bytes.NewReader(b[:len(b)/2]), maxBytes, members)
		asError(t, err, caunoi.EINVALID, "err.file.unreadable")
	})
}

// huge is a 64 MiB body that counts what is read of it.
type huge struct{ n int64 }

func (h *huge) Read(p []byte) (int, error) {
	const size = 64 << 20
	if h.n >= size {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), size-h.n)]
	for i := range p {
		p[i] = 'a'
	}
	h.n += int64(len(p))
	return len(p), nil
}

func TestReadTooLarge(t *testing.T) {
	body := &huge{}
	_, err := xlsx.Read(body, 3<<20, members)
	e := asError(t, err, caunoi.ETOOLARGE, "err.file.too_large")
	if e.Args["Max"] != "3 MB" {
		t.Errorf("Max = %v, want 3 MB", e.Args["Max"])
	}
	if body.n != 3<<20+1 {
		t.Errorf("read %d bytes of a 64 MiB body, want maxBytes+1 = %d", body.n, 3<<20+1)
	}

	t.Run("exactly maxBytes", func(t *testing.T) {
		text := "Tên gọi,Năm sinh\nLan,1990\n"
		if _, err := xlsx.Read(strings.NewReader(text), int64(len(text)), members); err != nil {
			t.Errorf("a file of exactly maxBytes: %v", err)
		}
		_, err := xlsx.Read(strings.NewReader(text), int64(len(text)-1), members)
		asError(t, err, caunoi.ETOOLARGE, "err.file.too_large")
	})
	t.Run("rows", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("Tên gọi,Năm sinh\n")
		for i := 0; i < caunoi.MaxImportRows; i++ {
			b.WriteString("a,1\n\n") // blank lines do not count
		}
		if rows, err := xlsx.Read(strings.NewReader(b.String()), 1<<30, members); err != nil || len(rows) != caunoi.MaxImportRows {
			t.Fatalf("MaxImportRows rows: %d rows, %v", len(rows), err)
		}
		b.WriteString("b,2\n")
		_, err := xlsx.Read(strings.NewReader(b.String()), 1<<30, members)
		asError(t, err, caunoi.ETOOLARGE, "err.csv.too_many_rows")
	})
}

func TestReadFuncStopsOnError(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	err := xlsx.ReadFunc(strings.NewReader("Tên gọi,Năm sinh\na,1\nb,2\nc,3\n"), maxBytes, members, func(r xlsx.Row) error {
		calls++
		if r.Num == 3 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 2 {
		t.Errorf("err = %v after %d calls, want stop after 2", err, calls)
	}
}

// exportRows are three rows for the export tests, as a service might give
// them, and what Read gives back.
func exportRows() (func() ([]any, bool, error), []xlsx.Row) {
	joined := time.Date(2024, 3, 15, 0, 0, 0, 0, caunoi.Zone)
	phone := "0912345678"
	values := [][]any{
		{"Lan", 1990, "Nữ", joined, &phone},
		{"=HYPERLINK(\"http://x\")", int64(1985), nil, "01/12/2023", "+84 912 345 678"},
		{"Hoa <Đào> & \"Mai\"", "1970", "Khác"}, // fewer values than columns
	}
	want := []xlsx.Row{
		{Num: 2, Values: map[string]string{"nickname": "Lan", "birth_year": "1990", "sex": "Nữ", "joined": "15/03/2024", "phone": "0912345678"}},
		{Num: 3, Values: map[string]string{"nickname": "=HYPERLINK(\"http://x\")", "birth_year": "1985", "sex": "", "joined": "01/12/2023", "phone": "+84 912 345 678"}},
		{Num: 4, Values: map[string]string{"nickname": "Hoa <Đào> & \"Mai\"", "birth_year": "1970", "sex": "Khác", "joined": "", "phone": ""}},
	}
	i := 0
	next := func() ([]any, bool, error) {
		if i == len(values) {
			return nil, false, nil
		}
		i++
		return values[i-1], true, nil
	}
	return next, want
}

func TestExportXLSX(t *testing.T) {
	next, want := exportRows()
	var buf bytes.Buffer
	if err := xlsx.ExportXLSX(&buf, members, next); err != nil {
		t.Fatal(err)
	}
	equalRows(t, mustRead(t, buf.Bytes(), members), want)

	f := openXLSX(t, buf.Bytes())
	// Numbers are numbers (no type, or "n"), dates are dates, text is
	// text and never a formula.
	for cell, text := range map[string]bool{"B2": false, "B4": false, "D2": false, "A3": true, "E2": true, "B1": true} {
		got, err := f.GetCellType("Thành viên", cell)
		if err != nil {
			t.Fatal(err)
		}
		if isText := got == excelize.CellTypeInlineString || got == excelize.CellTypeSharedString; isText != text {
			t.Errorf("type of %s = %v, want text %v", cell, got, text)
		}
	}
	if formula, _ := f.GetCellFormula("Thành viên", "A3"); formula != "" {
		t.Errorf("A3 has the formula %q", formula)
	}
	if raw, _ := f.GetCellValue("Thành viên", "D2", excelize.Options{RawCellValue: true}); raw != "45366" {
		t.Errorf("D2 = %s, want the serial number of 15/03/2024, 45366", raw)
	}
	panes, _ := f.GetPanes("Thành viên")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, want the header frozen", panes)
	}
	id, _ := f.GetCellStyle("Thành viên", "A1")
	if st, _ := f.GetStyle(id); st == nil || st.Font == nil || !st.Font.Bold {
		t.Error("the header is not bold")
	}
}

func TestExportCSV(t *testing.T) {
	next, want := exportRows()
	var buf bytes.Buffer
	if err := xlsx.ExportCSV(&buf, members, next); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	if !strings.HasPrefix(text, "\ufeffTên gọi,Năm sinh,Giới,Ngày tham gia,Điện thoại\r\n") {
		t.Fatalf("CSV starts %q, want the BOM and the header", text[:min(len(text), 80)])
	}
	if !strings.Contains(text, "\r\nLan,1990,Nữ,15/03/2024,0912345678\r\n") {
		t.Errorf("CSV = %q", text)
	}
	// Read back equal, but for the formula made harmless and the phone
	// number that starts with "+".
	want[1].Values["nickname"] = "'" + want[1].Values["nickname"]
	want[1].Values["phone"] = "'" + want[1].Values["phone"]
	equalRows(t, mustRead(t, buf.Bytes(), members), want)
}

func TestExportErrors(t *testing.T) {
	boom := errors.New("boom")
	n := 0
	next := func() ([]any, bool, error) {
		if n++; n > 2 {
			return nil, false, boom
		}
		return []any{"a", 1}, true, nil
	}
	if err := xlsx.ExportXLSX(io.Discard, members, next); err != boom {
		t.Errorf("ExportXLSX: %v, want boom", err)
	}
	n = 0
	if err := xlsx.ExportCSV(io.Discard, members, next); err != boom {
		t.Errorf("ExportCSV: %v, want boom", err)
	}
	tooMany := func() ([]any, bool, error) { return make([]any, 6), true, nil }
	if err := xlsx.ExportXLSX(io.Discard, members, tooMany); err == nil {
		t.Error("ExportXLSX took 6 values for 5 columns")
	}
}

func TestRowKey(t *testing.T) {
	row := xlsx.Row{Num: 2, Values: map[string]string{"nickname": "Hoa Đào", "birth_year": "1985", "sex": "Nữ"}}
	key := xlsx.RowKey("members:1", row)
	if len(key) != 64 {
		t.Fatalf("key = %q, want 64 hex digits", key)
	}
	same := []xlsx.Row{
		{Num: 9, Values: map[string]string{"sex": "nữ", "birth_year": " 1985", "nickname": "  HOA   DAO "}},
		{Num: 2, Values: map[string]string{"nickname": "Hoa Đào", "birth_year": "1985", "sex": "Nữ", "phone": ""}},
	}
	for _, r := range same {
		if got := xlsx.RowKey("members:1", r); got != key {
			t.Errorf("RowKey(%v) = %s, want %s", r.Values, got, key)
		}
	}
	differ := map[string]struct {
		scope string
		row   xlsx.Row
	}{
		"a changed cell": {"members:1", xlsx.Row{Values: map[string]string{"nickname": "Hoa Đào", "birth_year": "1986", "sex": "Nữ"}}},
		"another scope":  {"members:2", row},
		"a cell moved":   {"members:1", xlsx.Row{Values: map[string]string{"nickname": "Hoa Đào", "birth_year": "Nữ", "sex": "1985"}}},
		"a new cell":     {"members:1", xlsx.Row{Values: map[string]string{"nickname": "Hoa Đào", "birth_year": "1985", "sex": "Nữ", "phone": "09"}}},
		"glued fields":   {"members:1", xlsx.Row{Values: map[string]string{"nickname": "Hoa Đào1985", "birth_year": "", "sex": "Nữ"}}},
	}
	for name, c := range differ {
		if xlsx.RowKey(c.scope, c.row) == key {
			t.Errorf("%s: same key", name)
		}
	}
}

func TestContentDisposition(t *testing.T) {
	got := xlsx.ContentDisposition("Thành viên 2025.xlsx")
	want := `attachment; filename="Thanh vien 2025.xlsx"; filename*=utf-8''Th%C3%A0nh%20vi%C3%AAn%202025.xlsx`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := xlsx.ContentDisposition("members.csv"); got != `attachment; filename=members.csv` {
		t.Errorf("ASCII: %s", got)
	}
}

func TestSheetName(t *testing.T) {
	s := xlsx.Sheet{Name: "Nhóm [Hải Phòng]: thành viên/khách hàng năm 2025", Columns: members.Columns}
	var buf bytes.Buffer
	if err := xlsx.WriteTemplate(&buf, s); err != nil {
		t.Fatal(err)
	}
	if name := openXLSX(t, buf.Bytes()).GetSheetName(0); name != "Nhóm _Hải Phòng__ thành viên_kh" {
		t.Errorf("sheet name = %q", name)
	}
}

func TestReadZipBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 101 MiB through deflate")
	}
	// A workbook of 1 MiB at most may unpack to 100 MiB; this sheet
	// unpacks to 101 MiB of blanks from about 100 KB.
	base := fillTemplate(t)
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == "xl/worksheets/sheet1.xml" {
			io.WriteString(w, `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
			blank := bytes.Repeat([]byte{' '}, 1<<20)
			for range 101 {
				w.Write(blank)
			}
			io.WriteString(w, `</sheetData></worksheet>`)
			continue
		}
		rc, _ := zf.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	zw.Close()
	if buf.Len() > 1<<20 {
		t.Fatalf("the bomb is %d bytes", buf.Len())
	}
	_, err = xlsx.Read(&buf, 1<<20, members)
	e := asError(t, err, caunoi.EINVALID, "err.file.unreadable")
	t.Log(e.Err)
}
