package indicator

import (
	"strings"
	"testing"
	"time"
)

// A stock source's queries read a relation made of one JSON parameter and
// the day, put before the query (or beside its own relations), on both
// dialects; other sources are refused.
func TestSupplyStock(t *testing.T) {
	on := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	for _, d := range []Dialect{SQLite, Postgres} {
		q := &Query{SQL: "SELECT SUM(1) FROM loan_positions r WHERE r.org_path >= $1", Args: []any{"/a/"}, Source: "loan_positions"}
		if err := q.SupplyStock(d, nil, on); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(q.SQL, "WITH loan_positions AS (SELECT ") || !strings.Contains(q.SQL, "$2") || !strings.Contains(q.SQL, "$3") ||
			!strings.HasSuffix(q.SQL, ") SELECT SUM(1) FROM loan_positions r WHERE r.org_path >= $1") {
			t.Errorf("%s: %s", d, q.SQL)
		}
		if len(q.Args) != 3 || q.Args[1] != "[]" || q.Args[2] != on {
			t.Errorf("%s: args %v", d, q.Args)
		}
		for _, c := range SourceByName("loan_positions").Stock {
			if !strings.Contains(q.SQL, " AS "+c.Name) {
				t.Errorf("%s: no column %s", d, c.Name)
			}
		}
		w := &Query{SQL: "WITH c AS (SELECT 1) SELECT 1", Source: "loan_positions"}
		if err := w.SupplyStock(d, []byte("[]"), on); err != nil || !strings.HasPrefix(w.SQL, "WITH loan_positions AS (") ||
			!strings.Contains(w.SQL, "), c AS (SELECT 1) SELECT 1") {
			t.Errorf("%s: beside a WITH: %s (%v)", d, w.SQL, err)
		}
		if err := (&Query{SQL: "SELECT 1", Source: "loans"}).SupplyStock(d, nil, on); err == nil {
			t.Errorf("%s: a source of records was given a stock", d)
		}
	}
	// Every measure and filter column of a stock source is a column of its
	// relation.
	for _, s := range Sources {
		if !s.IsStock() {
			continue
		}
		cols := map[string]bool{StockDayColumn: true}
		for _, c := range s.Stock {
			cols[c.Name] = true
		}
		exprs := []string{s.Date, s.Org, s.OrgPath, s.Client, s.Kind, s.Detail, s.Outcome}
		for _, m := range s.Measures {
			exprs = append(exprs, m.SQL(SQLite))
		}
		for _, e := range exprs {
			if c, ok := strings.CutPrefix(e, "r."); ok && !cols[c] {
				t.Errorf("%s: %s is not a column of its relation", s.Name, e)
			}
		}
		if s.Rollup {
			t.Errorf("%s: a stock source has no rollup", s.Name)
		}
	}
}
