package xlsx

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"caunoi"
)

// readXLSX reads an .xlsx workbook held in data.
func readXLSX(data []byte, maxBytes int64, s Sheet, fn func(Row) error) (err error) {
	// excelize has panicked on malformed files before; a bad upload must
	// be a bad upload, not a crash. A panic in fn (or in this package) is
	// not ours to hide.
	ours := false
	defer func() {
		if p := recover(); p != nil {
			if ours {
				panic(p)
			}
			err = unreadable(fmt.Errorf("excelize panicked: %v", p))
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: unzipLimit(maxBytes),
	})
	if err != nil {
		return unreadable(err)
	}
	defer f.Close() // removes the temporary files of big worksheets
	name := pickSheet(f.GetSheetList(), s.Name)
	if name == "" {
		return unreadable(fmt.Errorf("no worksheet"))
	}
	dates, err := markDates(f)
	if err != nil {
		return unreadable(err)
	}
	rows, err := f.Rows(name)
	if err != nil {
		return unreadable(err)
	}
	defer rows.Close()
	rd := &reader{s: s, fn: fn}
	// Next stops at every row number, also those the file skips (and
	// Columns then returns nothing), so counting gives the row number.
	num := 0
	for rows.Next() {
		num++
		cells, err := rows.Columns()
		if err != nil {
			return unreadable(err)
		}
		if dates.marked {
			dates.fix(cells)
		}
		ours = true
		err = rd.row(num, cells)
		ours = false
		if err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return unreadable(err)
	}
	return rd.end()
}

// unzipLimit bounds what a workbook of at most maxBytes may unpack to.
func unzipLimit(maxBytes int64) int64 {
	if maxBytes > math.MaxInt64/unzipRatio {
		return math.MaxInt64
	}
	return max(maxBytes*unzipRatio, minUnzip)
}

func unreadable(err error) *caunoi.Error {
	e := caunoi.Errorf(caunoi.EINVALID, "err.file.unreadable", nil)
	e.Err = err
	return e
}

// pickSheet returns the worksheet called want (without regard to case or
// diacritics) if there is one, else the first; "" when there is none.
func pickSheet(names []string, want string) string {
	if len(names) == 0 {
		return ""
	}
	if w := headerKey(want); w != "" {
		for _, n := range names {
			if headerKey(n) == w {
				return n
			}
		}
	}
	return names[0]
}

// Kinds of number format.
const (
	fmtOther = iota
	fmtDate
	fmtDateTime
)

// Date cells are read in two steps. markDates gives every cell style with a
// date format a number format that shows the serial number behind a mark,
// a character of Unicode's private use area that no register holds; fix
// then turns each marked number into dd/mm/yyyy (or dd/mm/yyyy hh:mm).
//
// excelize's Rows iterator gives each cell's text but not its style, so
// date cells cannot be told apart while reading; instead the workbook's
// style table, which excelize exposes as File.Styles, is changed in memory
// (the file is never saved), NewStyle adding the two formats. Marking is
// also six times faster than letting excelize format the dates itself
// (4.5 µs a cell against 27 µs, most of it spent looking up the locale).
var dateMarks = [3]string{fmtDate: "\ue000", fmtDateTime: "\ue001"}

// dateCells knows how to fix the marked cells of a workbook.
type dateCells struct {
	marked   bool // some style has a date format
	date1904 bool // the workbook counts days from 1904, as old Macs did
}

// markDates marks the date styles of f; see dateMarks.
func markDates(f *excelize.File) (dateCells, error) {
	var d dateCells
	ss := f.Styles
	if ss == nil || ss.CellXfs == nil {
		return d, nil
	}
	custom := map[int]string{}
	if ss.NumFmts != nil {
		for _, nf := range ss.NumFmts.NumFmt {
			if nf == nil {
				continue
			}
			code := nf.FormatCode
			if nf.FormatCode16 != "" {
				code = nf.FormatCode16
			}
			custom[nf.NumFmtID] = code
		}
	}
	kinds := make([]int, len(ss.CellXfs.Xf))
	for i, xf := range ss.CellXfs.Xf {
		id := 0
		if xf.NumFmtID != nil {
			id = *xf.NumFmtID
		}
		// As excelize does: a custom format with the id first.
		if code, ok := custom[id]; ok {
			kinds[i] = formatKind(code)
		} else {
			kinds[i] = builtinKind(id)
		}
	}
	var ids [3]int
	for _, kind := range []int{fmtDate, fmtDateTime} {
		if !slices.Contains(kinds, kind) {
			continue
		}
		code := `"` + dateMarks[kind] + `"0.##########`
		style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			return d, err
		}
		if style < 0 || style >= len(ss.CellXfs.Xf) || ss.CellXfs.Xf[style].NumFmtID == nil {
			return d, fmt.Errorf("xlsx: no number format for style %d", style)
		}
		ids[kind] = *ss.CellXfs.Xf[style].NumFmtID
		d.marked = true
	}
	if !d.marked {
		return d, nil
	}
	for i, kind := range kinds {
		if kind != fmtOther {
			id := ids[kind]
			ss.CellXfs.Xf[i].NumFmtID = &id
		}
	}
	props, err := f.GetWorkbookProps()
	if err != nil {
		return d, err
	}
	d.date1904 = props.Date1904 != nil && *props.Date1904
	return d, nil
}

// fix turns the marked serial numbers among cells into dates. A negative
// number, which no date is, loses its mark and stays a number.
func (d dateCells) fix(cells []string) {
	for i, c := range cells {
		for kind := fmtDate; kind <= fmtDateTime; kind++ {
			mark := dateMarks[kind]
			j := strings.Index(c, mark)
			if j < 0 {
				continue
			}
			num := c[:j] + c[j+len(mark):]
			serial, err := strconv.ParseFloat(num, 64)
			if err != nil {
				break // not ours: text that happens to hold the mark
			}
			cells[i] = num
			if serial < 0 {
				break
			}
			t, err := excelize.ExcelDateToTime(serial, d.date1904)
			if err != nil {
				break
			}
			if kind == fmtDateTime {
				cells[i] = t.Round(time.Second).Format(DateFormat + " 15:04")
			} else {
				cells[i] = t.Format(DateFormat) // the day, as Excel shows it
			}
			break
		}
	}
}

// builtinKind tells the kind of a built-in number format: 14–17 and 22 are
// the dates of every locale, 27–31, 36, 50–54, 57 and 58 the dates of East
// Asian ones (which excelize leaves unformatted unless told the culture).
func builtinKind(id int) int {
	switch id {
	case 14, 15, 16, 17, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58:
		return fmtDate
	case 22:
		return fmtDateTime
	}
	return fmtOther
}

// formatKind tells whether a number format code shows a date, by the d and
// y of its first section outside quoted text, escapes and [brackets] (a
// colour, a condition, a locale such as [$-42A]); h or s there mean it
// shows a time too. Month and minute share "m", so "m" alone decides
// nothing; letters are otherwise not allowed unquoted in a number format,
// so "General", "0.00E+00" or "#,##0" are never taken for dates.
func formatKind(code string) int {
	date, clock := false, false
scan:
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				break scan
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // an escaped character, a space the width of one, a fill
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				break scan
			}
			switch strings.ToLower(code[i+1 : i+j]) {
			case "h", "hh", "m", "mm", "s", "ss":
				clock = true // elapsed time
			}
			i += j
		case ';':
			break scan
		case 'd', 'D', 'y', 'Y':
			date = true
		case 'h', 'H', 's', 'S':
			clock = true
		}
	}
	switch {
	case date && clock:
		return fmtDateTime
	case date:
		return fmtDate
	}
	return fmtOther
}
