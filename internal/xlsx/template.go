package xlsx

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The words of the guide sheet. The template is a Vietnamese document, as
// its headers are.
const (
	guideSheet    = "Hướng dẫn"
	guideColumn   = "Cột"
	guideRequired = "Bắt buộc"
	guideHint     = "Cách ghi"
	guideYes      = "Có"
	commentAuthor = "Cầu Nối"
)

// Colours of header cells: all are bold on grey, required ones on yellow.
const (
	headerFill   = "D9E1F2"
	requiredFill = "FFF2CC"
)

// WriteTemplate writes an empty register to fill in as an .xlsx workbook:
// one worksheet named s.Name with the headers in its first row (bold, on a
// coloured fill — yellow for required columns —, frozen so they stay in
// view), each column as wide as its Width and formatted for what it holds
// (text, so that Excel keeps leading zeros and does not turn "1/2" into a
// date; General for Number columns; dd/mm/yyyy for Date columns), each
// Hint as a comment on its header; and a second worksheet "Hướng dẫn"
// listing every column with whether it is required and its hint.
func WriteTemplate(w io.Writer, s Sheet) error {
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
	for i, c := range s.Columns {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(name, col, col, width(c)); err != nil {
			return err
		}
		body := st.text
		switch {
		case c.Date:
			body = st.date
		case c.Number:
			body = 0
		}
		if body != 0 {
			if err := f.SetColStyle(name, col, body); err != nil {
				return err
			}
		}
		cell := col + "1"
		if err := f.SetCellStr(name, cell, c.Header); err != nil {
			return err
		}
		head := st.header
		if c.Required {
			head = st.required
		}
		if err := f.SetCellStyle(name, cell, cell, head); err != nil {
			return err
		}
		if c.Hint != "" {
			err := f.AddComment(name, excelize.Comment{Cell: cell, Author: commentAuthor, Text: c.Hint})
			if err != nil {
				return err
			}
		}
	}
	if err := f.SetPanes(name, frozenHeader()); err != nil {
		return err
	}
	if err := writeGuide(f, name, s, st); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

// writeGuide adds the "Hướng dẫn" worksheet.
func writeGuide(f *excelize.File, data string, s Sheet, st styles) error {
	name := guideSheet
	if strings.EqualFold(name, data) {
		name += " (2)"
	}
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	head := []any{guideColumn, guideRequired, guideHint}
	if err := f.SetSheetRow(name, "A1", &head); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, "A1", "C1", st.header); err != nil {
		return err
	}
	for i, c := range s.Columns {
		row := []any{c.Header, nil, nil}
		if c.Required {
			row[1] = guideYes
		}
		if c.Hint != "" {
			row[2] = c.Hint
		}
		if err := f.SetSheetRow(name, fmt.Sprintf("A%d", i+2), &row); err != nil {
			return err
		}
	}
	for col, w := range map[string]float64{"A": 30, "B": 10, "C": 60} {
		if err := f.SetColWidth(name, col, col, w); err != nil {
			return err
		}
	}
	return f.SetPanes(name, frozenHeader())
}

// styles are the cell styles of a workbook this package writes.
type styles struct {
	header, required, text, date int
}

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	var err error
	head := func(fill string) *excelize.Style {
		return &excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
			Border: []excelize.Border{
				{Type: "bottom", Color: "808080", Style: 1},
			},
		}
	}
	if st.header, err = f.NewStyle(head(headerFill)); err != nil {
		return st, err
	}
	if st.required, err = f.NewStyle(head(requiredFill)); err != nil {
		return st, err
	}
	if st.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil { // "@"
		return st, err
	}
	date := "dd/mm/yyyy"
	if st.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &date}); err != nil {
		return st, err
	}
	return st, nil
}

func frozenHeader() *excelize.Panes {
	return &excelize.Panes{
		Freeze:      true,
		YSplit:      1,
		TopLeftCell: "A2",
		ActivePane:  "bottomLeft",
		Selection:   []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}
}

// width returns the width of a column: its Width, or one that fits the
// header (wrapped headers may be longer), within 10 to 40.
func width(c Column) float64 {
	if c.Width > 0 {
		return c.Width
	}
	w := float64(len([]rune(c.Header)))*1.1 + 2
	if c.Date {
		w = max(w, 12)
	}
	return min(max(w, 10), 40)
}
