// Package xlsx imports and exports the registers that groups keep in Excel:
// lists of members, contacts, loans… It knows nothing of any record type.
// A Sheet describes the columns; WriteTemplate makes an empty workbook to
// fill in, Read and ReadFunc read a filled workbook (or a CSV file) back as
// rows of text, and ExportXLSX and ExportCSV write rows out.
//
// # What Read returns
//
// Every cell comes back as the trimmed text Excel shows (in Unicode NFC),
// with one exception: any cell whose number format is a date comes back as
// dd/mm/yyyy ("dd/mm/yyyy hh:mm" when the format shows a time too),
// whatever date format the file used — "14/03/2012", "3/14/12",
// "14-Mar-12" and "2012-03-14" all read as "14/03/2012". Without this an
// American m/d/yyyy format would silently swap day and month. Numbers in
// other formats come back as displayed, with excelize's en-US separators:
// "#,##0" gives "1,500,000", "0.0%" gives "12.5%", "0#########" keeps a
// phone number's leading zero. A number in the General format comes back
// plain ("1500000", "0.1"). Formulas give their last computed value, as
// saved in the file; nothing is recalculated. (To find the date cells, Read
// marks them with the private-use characters U+E000 and U+E001; a text cell
// of a workbook with dates that is nothing but such a mark and a number
// would be taken for a date, which no register will notice.) A CSV file
// has no formats: its cells are the text as it is.
package xlsx

import (
	"mime"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Content types of the files this package writes, for Content-Type headers.
const (
	XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	CSVContentType  = "text/csv; charset=utf-8"
)

// DateFormat is the layout, for time.Format, of the dates Read returns and
// the export functions write as text.
const DateFormat = "02/01/2006"

// Column describes one column of a register.
type Column struct {
	// Key is the field name in code; Read's Row.Values are keyed by it.
	Key string
	// Header is the Vietnamese header text shown in the sheet (the
	// template's first row).
	Header string
	// Hint is an optional note on what to type ("dd/mm/yyyy",
	// "Nữ / Nam / Khác"): a comment on the template's header cell and a line
	// of the "Hướng dẫn" sheet.
	Hint string
	// Required columns must be in an imported file. Whether their cells may
	// be empty is for the caller to check.
	Required bool
	// Width is the column width in Excel's units (characters); 0 picks one
	// from the header.
	Width float64
	// Number makes the exports write the column's values as numbers, and
	// the template format its cells as General rather than as text.
	Number bool
	// Date makes the exports write time.Time values (and text that
	// caunoi.ParseDate reads) as real Excel dates shown as dd/mm/yyyy, and
	// the template format its cells so.
	Date bool
}

// Sheet describes a register: the name of its worksheet (which Read
// prefers to the first worksheet when a workbook has it) and its columns in
// the order the template and the exports put them.
type Sheet struct {
	Name    string
	Columns []Column
}

// Row is one data row read from a file.
type Row struct {
	// Num is the row number as the spreadsheet shows it: the header of a
	// template is row 1, so its first data row is 2. Empty rows, and title
	// rows above the header, are counted too.
	Num int
	// Values maps Column.Key to the trimmed cell text. A key is present
	// exactly when the file has the column; an empty cell gives "".
	Values map[string]string
}

// ContentDisposition returns a Content-Disposition header value that
// offers the file for download under name, which may hold Vietnamese
// letters: an ASCII fallback for old clients, and the full name in the
// RFC 5987 form that browsers use.
func ContentDisposition(name string) string {
	fallback := asciiName(name)
	full := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if full == "" || fallback == name {
		return mime.FormatMediaType("attachment", map[string]string{"filename": fallback})
	}
	// full is `attachment; filename*=utf-8''…`; put the fallback first.
	return `attachment; filename="` + fallback + `"; ` + strings.TrimPrefix(full, "attachment; ")
}

// asciiName spells name in ASCII: Vietnamese letters lose their diacritics
// ("Thành viên" becomes "Thanh vien"), anything else outside printable
// ASCII, and the characters a quoted header or a file system dislikes,
// become "_".
func asciiName(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteByte('d')
		case r == 'Đ':
			b.WriteByte('D')
		case r < 0x20 || r > 0x7e || strings.ContainsRune(`"\/:*?<>|;%`, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "export"
	}
	return b.String()
}

// sheetName makes name usable as a worksheet name: at most 31 characters,
// none of : \ / ? * [ ], not starting or ending with an apostrophe, and not
// empty.
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) || r < 0x20 {
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	name = strings.Trim(name, "'")
	if name == "" {
		return "Sheet1"
	}
	return name
}
