package xlsx

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"caunoi"
)

// headerSearchRows is how many non-empty rows Read looks through for the
// header row, so that a title or two above it ("DANH SÁCH THÀNH VIÊN…")
// does no harm.
const headerSearchRows = 10

// unzipRatio bounds what an .xlsx may unpack to, as a multiple of its size
// (and at least minUnzip): worksheets compress 10 to 20 times, a zip bomb
// far more.
const (
	unzipRatio = 100
	minUnzip   = 64 << 20
)

var (
	zipMagic = []byte("PK\x03\x04")
	// oleMagic starts a Compound File: an Excel 97–2003 .xls, or an .xlsx
	// protected with a password.
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	utf8BOM  = []byte("\ufeff")
)

// Read reads the data rows of an uploaded file of at most maxBytes bytes,
// an .xlsx workbook or a CSV text, described by s. It is ReadFunc
// collecting the rows; see there.
func Read(r io.Reader, maxBytes int64, s Sheet) ([]Row, error) {
	var rows []Row
	err := ReadFunc(r, maxBytes, s, func(row Row) error {
		rows = append(rows, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// ReadFunc reads an uploaded file of at most maxBytes bytes and calls fn
// with each data row, in order; an error from fn stops it and is returned
// as it is.
//
// The content decides the format, not the file name: an .xlsx (a zip,
// "PK\x03\x04") is read with excelize, from the worksheet named s.Name if
// there is one and the first worksheet otherwise; valid UTF-8 text without
// NUL bytes is CSV, with or without a byte order mark, its delimiter ',' or
// ';', whichever the first line with either has more of. Anything else is
// EINVALID "err.file.not_spreadsheet" ("err.file.old_excel" for an Excel
// 97–2003 or password-protected workbook). A workbook excelize cannot open
// is EINVALID "err.file.unreadable", CSV with bad quotes EINVALID
// "err.csv.unreadable_at" with the Row, a file without a non-empty row
// EINVALID "err.file.empty".
//
// The header is the first of the first 10 non-empty rows that has every
// required column (rows above it are titles and are skipped). A header cell
// names a column by its Header or its Key, in any order, without regard to
// case, diacritics, spacing or a trailing "*" ("ten goi" is "Tên gọi").
// Unknown columns are ignored; a required column that is missing is
// EINVALID "err.file.missing_columns" naming it, a column given twice
// EINVALID "err.file.duplicate_column". Rows with nothing in any known
// column are skipped but counted in Row.Num. See the package comment for
// the text of cells, dates in particular.
//
// A file over maxBytes is ETOOLARGE "err.file.too_large", found before it
// is parsed and without reading more than maxBytes+1 bytes; more than
// caunoi.MaxImportRows data rows is ETOOLARGE "err.csv.too_many_rows",
// found after fn has seen the rows before — so fn should only stage rows,
// as an import in one transaction does.
func ReadFunc(r io.Reader, maxBytes int64, s Sheet, fn func(Row) error) error {
	maxBytes = min(max(maxBytes, 0), math.MaxInt64-1)
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return fmt.Errorf("xlsx: read upload: %w", err)
	}
	if int64(len(data)) > maxBytes {
		return TooLarge(maxBytes)
	}
	switch {
	case bytes.HasPrefix(data, zipMagic):
		return readXLSX(data, maxBytes, s, fn)
	case bytes.HasPrefix(data, oleMagic):
		return caunoi.Errorf(caunoi.EINVALID, "err.file.old_excel", nil)
	case isText(data):
		return readCSV(bytes.TrimPrefix(data, utf8BOM), s, fn)
	default:
		return caunoi.Errorf(caunoi.EINVALID, "err.file.not_spreadsheet", nil)
	}
}

// TooLarge returns the ETOOLARGE error "err.file.too_large" for a file over
// maxBytes, with Max the limit as text ("5 MB").
func TooLarge(maxBytes int64) *caunoi.Error {
	return caunoi.Errorf(caunoi.ETOOLARGE, "err.file.too_large", map[string]any{"Max": sizeText(maxBytes)})
}

// sizeText writes a size in MB, or in KB under 1 MB.
func sizeText(n int64) string {
	const kb, mb = 1 << 10, 1 << 20
	switch {
	case n < kb:
		return strconv.FormatInt(n, 10) + " B"
	case n >= mb && n%mb == 0:
		return strconv.FormatInt(n/mb, 10) + " MB"
	case n >= mb:
		return strconv.FormatFloat(float64(n)/mb, 'f', 1, 64) + " MB"
	default:
		return strconv.FormatInt(n/kb, 10) + " KB"
	}
}

// isText reports whether data is UTF-8 text: valid, and without NUL bytes,
// which text never has and binary files nearly always do.
func isText(data []byte) bool {
	return utf8.Valid(data) && bytes.IndexByte(data, 0) < 0
}

// reader turns the rows of a file into data rows: it finds the header,
// maps columns and skips empty rows.
type reader struct {
	s       Sheet
	fn      func(Row) error
	cols    []int  // file column index → index in s.Columns, or -1
	seen    int    // non-empty rows looked at while no header was found
	best    []bool // the present columns of the best header candidate
	header  bool
	present int // columns in the header
	count   int // data rows
}

// row handles the cells of row num; it returns an error to stop.
func (rd *reader) row(num int, cells []string) error {
	if !rd.header {
		return rd.findHeader(cells)
	}
	empty := true
	for i, c := range cells {
		if i < len(rd.cols) && rd.cols[i] >= 0 && strings.TrimSpace(c) != "" {
			empty = false
			break
		}
	}
	if empty {
		return nil // nothing in any known column
	}
	rd.count++
	if rd.count > caunoi.MaxImportRows {
		return caunoi.Errorf(caunoi.ETOOLARGE, "err.csv.too_many_rows", map[string]any{"Max": caunoi.MaxImportRows})
	}
	values := make(map[string]string, rd.present)
	for i, ci := range rd.cols {
		if ci < 0 {
			continue
		}
		v := ""
		if i < len(cells) {
			v = clean(cells[i])
		}
		values[rd.s.Columns[ci].Key] = v
	}
	return rd.fn(Row{Num: num, Values: values})
}

// clean trims a cell and puts it in NFC, the form Vietnamese text is
// stored and compared in (some keyboards and Macs type decomposed letters).
func clean(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	return norm.NFC.String(s)
}

// findHeader looks at one row before the header: it becomes the header
// when it has every required column.
func (rd *reader) findHeader(cells []string) error {
	empty := true
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			empty = false
			break
		}
	}
	if empty {
		return nil
	}
	rd.seen++
	cols := make([]int, len(cells))
	present := make([]bool, len(rd.s.Columns))
	matched := 0
	var dup *caunoi.Error
	for i, c := range cells {
		cols[i] = rd.match(c)
		if cols[i] < 0 {
			continue
		}
		if present[cols[i]] && dup == nil {
			dup = caunoi.Errorf(caunoi.EINVALID, "err.file.duplicate_column", map[string]any{"Column": quote(rd.s.Columns[cols[i]].Header)})
		}
		present[cols[i]] = true
		matched++
	}
	ok := matched > 0
	for i, c := range rd.s.Columns {
		if c.Required && !present[i] {
			ok = false
		}
	}
	if ok {
		if dup != nil {
			return dup
		}
		rd.cols, rd.header, rd.present = cols, true, matched
		return nil
	}
	if rd.best == nil || count(present) > count(rd.best) {
		rd.best = present
	}
	if rd.seen >= headerSearchRows {
		return rd.missing()
	}
	return nil
}

// missing returns the error for a file without a header: the required
// columns the best candidate lacks, or every column when none is required.
func (rd *reader) missing() error {
	if rd.seen == 0 {
		return caunoi.Errorf(caunoi.EINVALID, "err.file.empty", nil)
	}
	var names []string
	for i, c := range rd.s.Columns {
		if c.Required && !rd.best[i] {
			names = append(names, quote(c.Header))
		}
	}
	if len(names) == 0 {
		for _, c := range rd.s.Columns {
			names = append(names, quote(c.Header))
		}
	}
	return caunoi.Errorf(caunoi.EINVALID, "err.file.missing_columns", map[string]any{"Columns": strings.Join(names, ", ")})
}

// end is called after the last row.
func (rd *reader) end() error {
	if !rd.header {
		return rd.missing()
	}
	return nil
}

// match returns the index of the column a header cell names, or -1.
func (rd *reader) match(cell string) int {
	h := headerKey(cell)
	if h == "" {
		return -1
	}
	for i, c := range rd.s.Columns {
		if headerKey(c.Header) == h || headerKey(c.Key) == h || headerKey(strings.ReplaceAll(c.Key, "_", " ")) == h {
			return i
		}
	}
	return -1
}

// headerKey folds a header for comparison: no case, no diacritics, single
// spaces, no trailing "*" (a mark of a required column).
func headerKey(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimRight(s, "* ")
	return strings.Join(strings.Fields(caunoi.Fold(s)), " ")
}

func count(b []bool) int {
	n := 0
	for _, v := range b {
		if v {
			n++
		}
	}
	return n
}

func quote(s string) string { return "“" + s + "”" }

// readCSV reads CSV text (without its BOM).
func readCSV(data []byte, s Sheet, fn func(Row) error) error {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = delimiter(data)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	rd := &reader{s: s, fn: fn}
	// encoding/csv skips blank lines without a word, but a spreadsheet
	// shows them as rows; count them from line numbers. A record ends on
	// the line before the one the next record starts on, less the blank
	// lines between them, which only the newlines in the bytes consumed
	// tell.
	num, endLine, off := 0, 0, int64(0)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			row := num + 1
			if errors.As(err, &pe) {
				row = num + 1 + max(0, pe.StartLine-endLine-1)
			}
			return caunoi.Errorf(caunoi.EINVALID, "err.csv.unreadable_at", map[string]any{"Row": row})
		}
		start, _ := cr.FieldPos(0)
		num += 1 + max(0, start-endLine-1)
		next := cr.InputOffset()
		endLine += bytes.Count(data[off:next], []byte{'\n'})
		if next == int64(len(data)) && (next == 0 || data[next-1] != '\n') {
			endLine++ // the last line has no newline
		}
		off = next
		if err := rd.row(num, rec); err != nil {
			return err
		}
	}
	return rd.end()
}

// delimiter picks ';' or ',' from the first line that has either, outside
// quotes, among the first lines of data; ',' when none has.
func delimiter(data []byte) rune {
	commas, semis, lines := 0, 0, 0
	quoted := false
	for _, b := range data {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == ',':
			commas++
		case b == ';':
			semis++
		case b == '\n':
			if commas+semis > 0 {
				goto done
			}
			if lines++; lines >= headerSearchRows {
				goto done
			}
		}
	}
done:
	if semis > commas {
		return ';'
	}
	return ','
}
