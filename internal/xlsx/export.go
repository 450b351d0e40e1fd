package xlsx

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"caunoi"
)

// ExportXLSX writes a register as an .xlsx workbook with one worksheet
// named s.Name: the headers in bold in the first row, frozen, then one row
// for each call of next, which returns the next row's values in column
// order, false after the last row, or an error, which ExportXLSX returns as
// it is. A row may have fewer values than columns, not more.
//
// The rows stream through excelize's StreamWriter, which keeps at most
// 16 MB of worksheet XML in memory and the rest in a temporary file, so
// the rows are never all held as values. excelize then assembles the
// compressed workbook in memory (about 36 bytes a row of 8 columns: 3.6 MB
// for 100,000 rows) and only then writes it to w, so nothing reaches w
// before next has given its last row.
//
// Values are written as text (see ExportCSV for how each type is spelt),
// except in Number columns, where numbers — and text that reads as one —
// are numbers, and in Date columns, where a time.Time (or text that
// caunoi.ParseDate reads) is an Excel date shown as dd/mm/yyyy; its day is
// the calendar day in its own location. nil, "" and a zero time are empty
// cells. Text is never a formula.
func ExportXLSX(w io.Writer, s Sheet, next func() ([]any, bool, error)) error {
	if len(s.Columns) == 0 {
		return fmt.Errorf("xlsx: sheet %q has no columns", s.Name)
	}
	f := excelize.NewFile()
	defer f.Close()
	name := sheetName(s.Name)
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	cells := make([]any, len(s.Columns))
	for i, c := range s.Columns {
		if err := sw.SetColWidth(i+1, i+1, width(c)); err != nil {
			return err
		}
		cells[i] = excelize.Cell{StyleID: st.header, Value: c.Header}
	}
	if err := sw.SetPanes(frozenHeader()); err != nil {
		return err
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	for row := 2; ; row++ {
		values, ok, err := next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if len(values) > len(s.Columns) {
			return fmt.Errorf("xlsx: row %d has %d values for %d columns", row, len(values), len(s.Columns))
		}
		for i, c := range s.Columns {
			var v any
			if i < len(values) {
				v = values[i]
			}
			cells[i] = xlsxValue(c, v, st.date)
		}
		ref, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// xlsxValue returns what the StreamWriter is to write for v in column c.
func xlsxValue(c Column, v any, dateStyle int) any {
	v = deref(v)
	switch {
	case c.Date:
		t, ok := v.(time.Time)
		if s, isText := v.(string); isText {
			t, ok = caunoi.ParseDate(s)
		}
		if ok {
			if serial, ok := excelDate(t); ok {
				return excelize.Cell{StyleID: dateStyle, Value: serial}
			}
		}
	case c.Number:
		if n, ok := number(v); ok {
			return n
		}
	}
	if s := text(v); s != "" {
		return s
	}
	return nil
}

// number returns v as a number the StreamWriter writes as one.
func number(v any) (any, bool) {
	switch n := v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return n, true
	case float32:
		return n, !math.IsNaN(float64(n)) && !math.IsInf(float64(n), 0)
	case float64:
		return n, !math.IsNaN(n) && !math.IsInf(n, 0)
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
		return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	return nil, false
}

// excelEpoch is day 0 of Excel's 1900 date system, as it counts from
// 1 March 1900 (it believes 1900 was a leap year).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// excelDate returns the serial number of t's calendar day; false before
// 1 March 1900 or after 9999, which Excel does not count.
func excelDate(t time.Time) (float64, bool) {
	if t.IsZero() {
		return 0, false
	}
	y, m, d := t.Date()
	if y > 9999 || y < 1900 || (y == 1900 && m < time.March) {
		return 0, false
	}
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return float64((day.Unix() - excelEpoch.Unix()) / 86400), true
}

// ExportCSV writes the same register as ExportXLSX as CSV: UTF-8 with a
// byte order mark, so that Excel reads Vietnamese letters correctly, ','
// between fields and CRLF between records, the header record first.
//
// Values are spelt: text as it is; whole numbers in digits, other numbers
// with '.' before the decimals and no grouping; a time.Time as dd/mm/yyyy
// (its calendar day in its own location; the zero time as ""); a
// fmt.Stringer by its String; a nil pointer as "". A value that starts with
// = + - @ or a tab or CR and is not a number gets a leading apostrophe, so
// that Excel does not run it as a formula (CSV injection).
//
// Excel set to Vietnamese, where the list separator is ';', splits a
// double-clicked .csv on ';' and shows all of a record in one column; the
// .xlsx export is the one for people, this one for programs.
func ExportCSV(w io.Writer, s Sheet, next func() ([]any, bool, error)) error {
	if len(s.Columns) == 0 {
		return fmt.Errorf("xlsx: sheet %q has no columns", s.Name)
	}
	if _, err := w.Write(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	rec := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		rec[i] = c.Header
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for row := 2; ; row++ {
		values, ok, err := next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if len(values) > len(s.Columns) {
			return fmt.Errorf("xlsx: row %d has %d values for %d columns", row, len(values), len(s.Columns))
		}
		for i := range rec {
			rec[i] = ""
			if i < len(values) {
				rec[i] = defuse(text(deref(values[i])))
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// defuse puts an apostrophe before text Excel would take for a formula.
func defuse(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}

// deref returns what a pointer of a common type points to, or nil.
func deref(v any) any {
	switch p := v.(type) {
	case *string:
		if p != nil {
			return *p
		}
	case *int:
		if p != nil {
			return *p
		}
	case *int64:
		if p != nil {
			return *p
		}
	case *float64:
		if p != nil {
			return *p
		}
	case *time.Time:
		if p != nil {
			return *p
		}
	case *caunoi.Date:
		if p != nil {
			return time.Time(*p)
		}
	case caunoi.Date:
		return time.Time(p)
	default:
		return v
	}
	return nil
}

// text spells a value as ExportCSV does.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.Format(DateFormat)
	case fmt.Stringer:
		return x.String()
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	}
	return fmt.Sprint(v)
}
