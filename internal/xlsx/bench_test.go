package xlsx_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/xlsx"
)

// contacts is a register of 8 columns for the benchmark.
var contacts = xlsx.Sheet{
	Name: "Tiếp cận",
	Columns: []xlsx.Column{
		{Key: "uic", Header: "Mã UIC", Required: true},
		{Key: "nickname", Header: "Tên gọi", Required: true},
		{Key: "birth_year", Header: "Năm sinh", Number: true},
		{Key: "sex", Header: "Giới"},
		{Key: "date", Header: "Ngày tiếp cận", Date: true},
		{Key: "place", Header: "Địa bàn"},
		{Key: "condoms", Header: "Bao cao su", Number: true},
		{Key: "note", Header: "Ghi chú"},
	},
}

// BenchmarkRead100k reads an .xlsx of caunoi.MaxImportRows rows of 8
// columns, written once by ExportXLSX to a temporary directory.
func BenchmarkRead100k(b *testing.B) {
	const n = caunoi.MaxImportRows
	path := filepath.Join(b.TempDir(), "contacts.xlsx")
	out, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	sexes := []string{"Nữ", "Nam", "Khác"}
	i := 0
	next := func() ([]any, bool, error) {
		if i == n {
			return nil, false, nil
		}
		i++
		return []any{
			"NTLA" + strconv.Itoa(100000+i),
			"Bạn số " + strconv.Itoa(i),
			1970 + i%40,
			sexes[i%3],
			day.AddDate(0, 0, i%365),
			"Phường Lê Chân, Hải Phòng",
			i % 50,
			"Tư vấn PrEP, giới thiệu xét nghiệm HIV",
		}, true, nil
	}
	if err := xlsx.ExportXLSX(out, contacts, next); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rows := 0
		err := xlsx.ReadFunc(bytes.NewReader(data), 64<<20, contacts, func(r xlsx.Row) error {
			rows++
			if rows == n && r.Values["date"] != day.AddDate(0, 0, n%365).Format(xlsx.DateFormat) {
				return errors.New("wrong date " + r.Values["date"])
			}
			return nil
		})
		if err != nil || rows != n {
			b.Fatalf("%d rows, %v", rows, err)
		}
	}
	b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
}

// BenchmarkRead100kSlice is BenchmarkRead100k through Read, which keeps
// every row.
func BenchmarkRead100kSlice(b *testing.B) {
	var buf bytes.Buffer
	i := 0
	next := func() ([]any, bool, error) {
		if i == caunoi.MaxImportRows {
			return nil, false, nil
		}
		i++
		return []any{"NTLA" + strconv.Itoa(i), "Bạn", 1990, "Nữ", time.Now(), "Hải Phòng", 3, "Ghi chú"}, true, nil
	}
	if err := xlsx.ExportXLSX(&buf, contacts, next); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		rows, err := xlsx.Read(bytes.NewReader(buf.Bytes()), 64<<20, contacts)
		if err != nil || len(rows) != caunoi.MaxImportRows {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
}
