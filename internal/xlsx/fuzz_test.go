package xlsx_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/xlsx"
)

// FuzzRead checks that Read neither panics nor fails other than with a
// user's error on any upload, and that what it returns is well-formed.
func FuzzRead(f *testing.F) {
	for _, seed := range []string{
		"",
		"\ufeff",
		"Tên gọi;Năm sinh\nLan;1990\n\n;;\nHoa;1985",
		"Tên gọi,Năm sinh,Ghi chú\n\"Lan, \"\"bé\"\"\",1990,\"hai\ndòng\"\n",
		"title\n\nten goi,birth_year\r\nx,1\r\n",
		"a\"b,c\n",
		"PK\x03\x04garbage",
		"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
	} {
		f.Add([]byte(seed))
	}
	var buf bytes.Buffer
	if err := xlsx.WriteTemplate(&buf, members); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := xlsx.Read(bytes.NewReader(data), 1<<20, members)
		if err != nil {
			var e *caunoi.Error
			if !errors.As(err, &e) || (e.Code != caunoi.EINVALID && e.Code != caunoi.ETOOLARGE) || e.Key == "" {
				t.Fatalf("err = %#v, want a user's error with a key", err)
			}
			return
		}
		last := 1
		for _, r := range rows {
			if r.Num <= last {
				t.Fatalf("row %d after row %d", r.Num, last)
			}
			last = r.Num
			empty := true
			for k, v := range r.Values {
				if v != "" {
					empty = false
				}
				if !hasKey(k) {
					t.Fatalf("unknown key %q", k)
				}
			}
			if empty {
				t.Fatalf("empty row %d returned", r.Num)
			}
		}
	})
}

func hasKey(k string) bool {
	for _, c := range members.Columns {
		if c.Key == k {
			return true
		}
	}
	return false
}

// FuzzReadSheetXML puts arbitrary XML in the worksheet of a valid
// workbook, where excelize, not the zip's checksums, has to cope with it.
func FuzzReadSheetXML(f *testing.F) {
	base := fillTemplateFor(f)
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		f.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name == "xl/worksheets/sheet1.xml" || zf.Name == "xl/styles.xml" {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			f.Add(zf.Name == "xl/styles.xml", b)
		}
	}
	f.Fuzz(func(t *testing.T, styles bool, part []byte) {
		name := "xl/worksheets/sheet1.xml"
		if styles {
			name = "xl/styles.xml"
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, zf := range zr.File {
			w, err := zw.Create(zf.Name)
			if err != nil {
				t.Fatal(err)
			}
			if zf.Name == name {
				w.Write(part)
				continue
			}
			rc, _ := zf.Open()
			io.Copy(w, rc)
			rc.Close()
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		_, err := xlsx.Read(&buf, 1<<20, members)
		var e *caunoi.Error
		if err != nil && (!errors.As(err, &e) || e.Code != caunoi.EINVALID) {
			t.Fatalf("err = %#v", err)
		}
	})
}

// fillTemplateFor is a filled template with a date, like fillTemplate.
func fillTemplateFor(tb testing.TB) []byte {
	var buf bytes.Buffer
	if err := xlsx.WriteTemplate(&buf, members); err != nil {
		tb.Fatal(err)
	}
	f := openXLSX(tb, buf.Bytes())
	row := []any{"Lan", 1990, "Nữ", time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC), "0912345678"}
	if err := f.SetSheetRow("Thành viên", "A2", &row); err != nil {
		tb.Fatal(err)
	}
	return saveXLSX(tb, f)
}
