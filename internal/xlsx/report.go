package xlsx

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"caunoi"
	"caunoi/internal/i18n"
)

// romans number the sections of a report as official reports do.
var romans = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}

// reportStyles are the styles of a report workbook.
type reportStyles struct {
	bold, title, center, header, section, text, count, ratio, note int
}

func newReportStyles(f *excelize.File) (reportStyles, error) {
	var st reportStyles
	border := []excelize.Border{{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1}}
	countFmt, ratioFmt := "#,##0", "#,##0.0"
	defs := []struct {
		dst *int
		s   *excelize.Style
	}{
		{&st.bold, &excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}, Alignment: &excelize.Alignment{Horizontal: "center", WrapText: true}}},
		{&st.center, &excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&st.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{headerFill}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.section, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: border}},
		{&st.text, &excelize.Style{Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.count, &excelize.Style{Border: border, CustomNumFmt: &countFmt, Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&st.ratio, &excelize.Style{Border: border, CustomNumFmt: &ratioFmt, Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&st.note, &excelize.Style{Font: &excelize.Font{Italic: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(d.s)
		if err != nil {
			return st, err
		}
		*d.dst = id
	}
	return st, nil
}

// reportSheet writes cells of one worksheet by row and column, from 1.
type reportSheet struct {
	f    *excelize.File
	name string
	err  error
}

func (s *reportSheet) set(row, col int, v any, style int) {
	if s.err != nil {
		return
	}
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err == nil {
		if str, ok := v.(string); ok {
			err = s.f.SetCellStr(s.name, cell, str) // never a formula
		} else {
			err = s.f.SetCellValue(s.name, cell, v)
		}
	}
	if err == nil && style != 0 {
		err = s.f.SetCellStyle(s.name, cell, cell, style)
	}
	s.err = err
}

func (s *reportSheet) merge(row, fromCol, toCol int) {
	if s.err != nil || toCol <= fromCol {
		return
	}
	a, _ := excelize.CoordinatesToCellName(fromCol, row)
	b, _ := excelize.CoordinatesToCellName(toCol, row)
	s.err = s.f.MergeCell(s.name, a, b)
}

// cellValue returns what a report cell holds: a number, "*" when
// suppressed, "—" for a ratio over zero, "" where there is no such cell.
func cellValue(c *caunoi.Cell) (any, bool) {
	switch {
	case c == nil:
		return "", false
	case c.Suppressed:
		return "*", false
	case c.Undefined:
		return "—", false
	}
	return c.Value, true
}

// WriteReport writes a report as the workbook a provincial department
// sends upward: a heading with the organisation and the national motto,
// the title and period, one table of every indicator by section (target,
// result, achievement, then a column per model and per group or
// province), the notes and the signature block; a second sheet holds the
// tables by sex, age band and population. Nothing reaches w unless the
// whole workbook was made.
func WriteReport(w io.Writer, r *caunoi.Report, l *i18n.Localizer) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newReportStyles(f)
	if err != nil {
		return err
	}
	main := sheetName(l.T("report.sheet_main"))
	if err := f.SetSheetName("Sheet1", main); err != nil {
		return err
	}
	s := &reportSheet{f: f, name: main}
	fixed := 7 // STT, indicator, code, unit, target, result, achievement
	last := fixed + len(r.Columns)
	half := max(last/2, 3)
	s.set(1, 1, r.Org.Name, st.bold)
	s.merge(1, 1, half)
	s.set(1, half+1, l.T("report.motto1"), st.center)
	s.merge(1, half+1, last)
	s.set(2, half+1, l.T("report.motto2"), st.center)
	s.merge(2, half+1, last)
	s.set(4, 1, l.T("report.title", "Period", l.PeriodName(r.Period)), st.title)
	s.merge(4, 1, last)
	s.set(5, 1, l.T("report.period_days", "From", l.DateUTC(r.Period.Start), "To", l.DateUTC(r.Period.End)), st.center)
	s.merge(5, 1, last)
	// Headers: two rows, the columns per model and per group under a
	// spanning heading.
	heads := []string{l.T("report.col.no"), l.T("report.col.indicator"), l.T("report.col.code"), l.T("report.col.unit"),
		l.T("report.col.target"), l.T("report.col.result"), l.T("report.col.achievement")}
	for i, h := range heads {
		s.set(7, i+1, h, st.header)
		s.set(8, i+1, "", st.header)
		if s.err == nil {
			a, _ := excelize.CoordinatesToCellName(i+1, 7)
			b, _ := excelize.CoordinatesToCellName(i+1, 8)
			s.err = f.MergeCell(main, a, b)
		}
	}
	for i := 0; i < len(r.Columns); {
		j := i
		for j < len(r.Columns) && r.Columns[j].Dim == r.Columns[i].Dim {
			j++
		}
		s.set(7, fixed+i+1, l.T("report.by."+r.Columns[i].Dim), st.header)
		for k := i + 1; k < j; k++ {
			s.set(7, fixed+k+1, "", st.header)
		}
		s.merge(7, fixed+i+1, fixed+j)
		for k := i; k < j; k++ {
			c := r.Columns[k]
			s.set(8, fixed+k+1, l.DimValue(c.Dim, c.Key, map[string]map[string]string{c.Dim: {c.Key: c.Label}}), st.header)
		}
		i = j
	}
	row, n := 9, 0
	for si, sec := range r.Sections {
		s.set(row, 1, romans[si%len(romans)], st.section)
		s.set(row, 2, l.T("report.section."+sec.Key), st.section)
		for c := 3; c <= last; c++ {
			s.set(row, c, "", st.section)
		}
		row++
		for _, rr := range sec.Rows {
			n++
			ratio := rr.Indicator.Count == caunoi.CountRatio
			num := st.count
			if ratio {
				num = st.ratio
			}
			s.set(row, 1, n, st.text)
			s.set(row, 2, rr.Indicator.Name(l.Lang), st.text)
			s.set(row, 3, rr.Indicator.Code, st.text)
			s.set(row, 4, l.T("unit."+rr.Indicator.Unit), st.text)
			if rr.Target != nil {
				s.set(row, 5, *rr.Target, num)
			} else {
				s.set(row, 5, "", st.text)
			}
			v, isNum := cellValue(rr.Total)
			s.set(row, 6, v, numStyle(isNum, num, st))
			if rr.Achievement != nil {
				s.set(row, 7, *rr.Achievement, st.ratio)
			} else {
				s.set(row, 7, "", st.text)
			}
			for i, c := range rr.Cells {
				v, isNum := cellValue(c)
				s.set(row, fixed+i+1, v, numStyle(isNum, num, st))
			}
			row++
		}
	}
	row++
	notes := []string{l.T("report.note.contacts")}
	if r.Shared {
		notes = append(notes, l.T("report.note.suppressed", "Min", caunoi.SuppressBelow))
	}
	notes = append(notes, l.T("report.note.undefined"), l.T("report.note.merged"))
	for _, note := range notes {
		s.set(row, 1, note, st.note)
		s.merge(row, 1, last)
		row++
	}
	row++
	s.set(row, 1, l.T("report.sign.maker"), st.center)
	s.merge(row, 1, half)
	s.set(row, half+1, l.T("report.sign.date"), st.note)
	s.merge(row, half+1, last)
	s.set(row+1, half+1, l.T("report.sign.head"), st.center)
	s.merge(row+1, half+1, last)
	s.set(row+2, 1, l.T("report.sign.name"), st.note)
	s.merge(row+2, 1, half)
	s.set(row+2, half+1, l.T("report.sign.stamp"), st.note)
	s.merge(row+2, half+1, last)
	if s.err != nil {
		return fmt.Errorf("xlsx report: %w", s.err)
	}
	for col, wd := range map[int]float64{1: 6, 2: 48, 3: 22, 4: 12, 5: 12, 6: 12, 7: 12} {
		name, _ := excelize.ColumnNumberToName(col)
		if err := f.SetColWidth(main, name, name, wd); err != nil {
			return err
		}
	}
	if len(r.Columns) > 0 {
		a, _ := excelize.ColumnNumberToName(fixed + 1)
		b, _ := excelize.ColumnNumberToName(last)
		if err := f.SetColWidth(main, a, b, 14); err != nil {
			return err
		}
	}
	if err := f.SetPanes(main, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 8, TopLeftCell: "C9", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := writeBreakdowns(f, r, l, st); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// writeBreakdowns writes the tables by sex, age band and population on
// their own sheet.
func writeBreakdowns(f *excelize.File, r *caunoi.Report, l *i18n.Localizer, st reportStyles) error {
	if len(r.Breakdowns) == 0 {
		return nil
	}
	name := sheetName(l.T("report.sheet_breakdowns"))
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	s := &reportSheet{f: f, name: name}
	row := 1
	for _, b := range r.Breakdowns {
		last := 3 + len(b.Keys)
		s.set(row, 1, l.T("report.breakdown_title", "By", l.T("dim."+b.Dim)), st.bold)
		s.merge(row, 1, last)
		row++
		s.set(row, 1, l.T("report.col.no"), st.header)
		s.set(row, 2, l.T("report.col.indicator"), st.header)
		s.set(row, 3, l.T("report.col.result"), st.header)
		for i, k := range b.Keys {
			s.set(row, 4+i, l.DimValue(b.Dim, k, nil), st.header)
		}
		row++
		for i, br := range b.Rows {
			s.set(row, 1, i+1, st.text)
			s.set(row, 2, br.Indicator.Name(l.Lang), st.text)
			v, _ := cellValue(br.Total)
			s.set(row, 3, v, st.count)
			for j, c := range br.Cells {
				v, _ := cellValue(c)
				s.set(row, 4+j, v, st.count)
			}
			row++
		}
		row++
	}
	if s.err != nil {
		return fmt.Errorf("xlsx report: %w", s.err)
	}
	if err := f.SetColWidth(name, "B", "B", 48); err != nil {
		return err
	}
	return f.SetColWidth(name, "C", "Z", 12)
}

// ReportFileName names the file of a report: "Bao cao 2025-H1 Quang Ninh.xlsx".
func ReportFileName(r *caunoi.Report, l *i18n.Localizer) string {
	return l.T("report.file", "Period", r.Period.Code(), "Org", r.Org.Name) + ".xlsx"
}

// numStyle is the style of a value: num for numbers, else the count style.
func numStyle(isNum bool, num int, st reportStyles) int {
	if isNum {
		return num
	}
	return st.count
}
