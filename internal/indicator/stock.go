package indicator

import (
	"fmt"
	"strings"
	"time"
)

// Stock sources count what stands at the end of a period rather than what
// happened in it: the members of groups on that day, the loans out, those
// in arrears, the principal at risk. Their records are worked out by
// package sqldb (for loans it reads the schedules and repayments and asks
// package money where each loan stands) and handed to the source's
// queries as one JSON parameter, which SupplyStock turns into the
// relation the source reads.
// The plan counts them like any other source: the scope by organisation
// path, the filters, every breakdown, sums and ratios.

// StockColumn is a column of a stock source's relation: a member of each
// JSON record, text or a whole number.
type StockColumn struct {
	Name string
	Int  bool
}

// Standings of a loan at the end of a period, the kinds of the
// loan_positions source.
const (
	StandingCurrent = "current" // nothing overdue
	StandingLate    = "late"    // overdue, up to 30 days
	StandingAtRisk  = "at_risk" // more than 30 days overdue: in the PAR30
)

// LoanStandings lists the standings.
var LoanStandings = []string{StandingCurrent, StandingLate, StandingAtRisk}

// StockDayColumn is the column of a stock relation holding the day its
// records stand on (the period's last day, or today while the period
// runs): the source's Date.
const StockDayColumn = "as_of"

// IsStock reports whether the source's records are supplied as they stand
// at the end of the period.
func (s *Source) IsStock() bool { return len(s.Stock) > 0 }

// SupplyStock gives a query of a stock source its relation: rows is a
// JSON array of objects keyed by the source's stock columns, on the day
// they stand on. The relation is a common table expression named after
// the source, read through two more parameters.
func (q *Query) SupplyStock(d Dialect, rows []byte, on time.Time) error {
	src := SourceByName(q.Source)
	if src == nil || !src.IsStock() {
		return fmt.Errorf("indicator: %s is not a stock source", q.Source)
	}
	if len(rows) == 0 {
		rows = []byte("[]")
	}
	q.Args = append(q.Args, string(rows), on)
	rowsArg, dayArg := fmt.Sprintf("$%d", len(q.Args)-1), fmt.Sprintf("$%d", len(q.Args))
	var cols []string
	var from string
	if d == Postgres {
		var defs []string
		for _, c := range src.Stock {
			typ := "text"
			if c.Int {
				typ = "bigint"
			}
			defs = append(defs, c.Name+" "+typ)
			col := "j." + c.Name
			if c.Name == "org_path" {
				// Paths compare byte by byte, as the scope expects.
				col += ` COLLATE "C"`
			}
			cols = append(cols, col+" AS "+c.Name)
		}
		cols = append(cols, "CAST("+dayArg+" AS DATE) AS "+StockDayColumn)
		from = "jsonb_to_recordset(CAST(" + rowsArg + " AS jsonb)) AS j(" + strings.Join(defs, ", ") + ")"
	} else {
		for _, c := range src.Stock {
			col := "json_extract(j.value, '$." + c.Name + "')"
			if c.Int {
				col = "CAST(" + col + " AS INTEGER)"
			}
			cols = append(cols, col+" AS "+c.Name)
		}
		cols = append(cols, dayArg+" AS "+StockDayColumn)
		from = "json_each(" + rowsArg + ") j"
	}
	cte := src.Name + " AS (SELECT " + strings.Join(cols, ", ") + " FROM " + from + ")"
	if rest, ok := strings.CutPrefix(q.SQL, "WITH "); ok {
		q.SQL = "WITH " + cte + ", " + rest
	} else {
		q.SQL = "WITH " + cte + " " + q.SQL
	}
	return nil
}
