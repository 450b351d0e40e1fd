package web

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/demo"
	"caunoi/internal/sqldb/sqldbtest"
	"caunoi/internal/xlsx"
)

// BenchmarkImportContactsXLSX times the whole import of a contacts
// register from an xlsx file, as the upload's confirmation runs it:
// reading the sheet, parsing every row, and storing the rows in one
// transaction. Rows: CAUNOI_BENCH_IMPORT_ROWS (default 1,000; the issue
// asks for 100,000).
func BenchmarkImportContactsXLSX(b *testing.B) {
	rows := 1000
	if s := os.Getenv("CAUNOI_BENCH_IMPORT_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		rows = n
	}
	for _, d := range sqldbtest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			db := sqldbtest.MustOpen(b, d)
			ctx := context.Background()
			if _, err := demo.Load(ctx, db); err != nil {
				b.Fatal(err)
			}
			srv, err := New(Config{DB: db})
			if err != nil {
				b.Fatal(err)
			}
			actor, _, err := srv.Users.Authenticate(ctx, "songbien.dongdang", demo.Password)
			if err != nil {
				b.Fatal(err)
			}
			ctx = caunoi.NewContextWithActor(ctx, actor)
			spec, err := srv.importSpecOf("contacts")
			if err != nil {
				b.Fatal(err)
			}
			orgID := actor.Grants[0].OrgID
			vi := srv.Cat.For("vi")
			day := time.Now().In(caunoi.Zone).AddDate(0, 0, -1).Format("02/01/2006")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				// A new file each round, so that every row is new.
				var buf bytes.Buffer
				n := 0
				err := xlsx.ExportXLSX(&buf, spec.Sheet, func() ([]any, bool, error) {
					if n == rows {
						return nil, false, nil
					}
					n++
					vals := make([]any, len(spec.Sheet.Columns))
					for j, c := range spec.Sheet.Columns {
						switch c.Key {
						case "date":
							vals[j] = day
						case "time":
							vals[j] = fmt.Sprintf("%02d:%02d", 19+n%4, n%60)
						case "anon_sex":
							vals[j] = vi.T("sex.female")
						case "anon_population":
							vals[j] = "sex_work"
						case "channel":
							vals[j] = vi.T("channel.in_person")
						case "condom":
							vals[j] = 10
						case "notes":
							vals[j] = fmt.Sprintf("vòng %d, dòng %d", i, n)
						default:
							vals[j] = ""
						}
					}
					return vals, true, nil
				})
				if err != nil {
					b.Fatal(err)
				}
				data := buf.Bytes()
				b.SetBytes(int64(len(data)))
				b.StartTimer()
				res, err := srv.runImport(ctx, spec, orgID, data, vi, caunoi.ImportOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if res.Imported != rows || len(res.Errors) > 0 {
					b.Fatalf("imported %d of %d rows, errors %+v", res.Imported, rows, res.Errors[:min(3, len(res.Errors))])
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
