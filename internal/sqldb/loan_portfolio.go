package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"caunoi"
	"caunoi/internal/money"
)

// bookLoan is a fund's loan as the portfolio counts it: no client, only
// what the money needs.
type bookLoan struct {
	id, orgID, clientID, orgPath, method, status string
	amount                                       int64
	applied                                      time.Time
	disbursed, closed                            *time.Time
	schedule                                     []caunoi.Installment
	paid                                         int64 // repaid by the day
}

// activeOn reports whether the loan was out on the day: paid out by then,
// and neither repaid in full nor written off by then.
func (b *bookLoan) activeOn(on time.Time) bool {
	return b.disbursed != nil && !on.Before(*b.disbursed) && (b.closed == nil || on.Before(*b.closed))
}

func (b *bookLoan) position(on time.Time) caunoi.LoanPosition {
	return money.Position(b.schedule, []money.Payment{{On: on, Amount: b.paid}}, on)
}

// loanSet selects the loans a book reads: a fund's, or every loan of an
// organisation's subtree.
type loanSet struct {
	fundID string
	path   string // the subtree's path, when fundID is ""
}

// where adds the condition on loans or repayments (alias a, both carry
// fund_id and org_path) to q.
func (s loanSet) where(q *query, a string) {
	if s.fundID != "" {
		q.add(a, ".fund_id = ", q.arg(s.fundID))
		return
	}
	q.add(a, ".org_path >= ", q.arg(s.path), " AND ", a, ".org_path < ", q.arg(pathEnd(s.path)))
}

// book reads a fund's loans with, for those out on the day, their
// schedules and what was repaid by the end of the day. With scope, only
// loans whose borrower the actor may read.
func (tx *Tx) book(ctx context.Context, fundID string, on time.Time, scoped bool) ([]*bookLoan, error) {
	return tx.bookOf(ctx, loanSet{fundID: fundID}, on, scoped)
}

// bookOf reads the loans of a set as book does.
func (tx *Tx) bookOf(ctx context.Context, set loanSet, on time.Time, scoped bool) ([]*bookLoan, error) {
	var q query
	q.add(`SELECT l.id, l.org_id, l.client_id, l.org_path, l.method, l.status, l.amount, l.applied_on, l.disbursed_on, l.closed_on FROM loans l WHERE `)
	set.where(&q, "l")
	if scoped {
		q.add(" AND ")
		if err := q.scope(tx.actor, caunoi.PermClientRead, "l.org_path"); err != nil {
			return nil, err
		}
	}
	q.add(" ORDER BY l.id")
	rows, err := tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("fund loans: %w", err)
	}
	var out []*bookLoan
	byID := map[string]*bookLoan{}
	for rows.Next() {
		var b bookLoan
		var disbursed, closed sql.NullTime
		if err := rows.Scan(&b.id, &b.orgID, &b.clientID, &b.orgPath, &b.method, &b.status, &b.amount, &b.applied, &disbursed, &closed); err != nil {
			rows.Close()
			return nil, fmt.Errorf("fund loans: %w", err)
		}
		b.disbursed, b.closed = timePtr(disbursed), timePtr(closed)
		out = append(out, &b)
		byID[b.id] = &b
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fund loans: %w", err)
	}
	// The schedules of the loans out on the day, in one read.
	q = query{}
	q.add(`SELECT i.loan_id, i.no, i.due_on, i.principal, i.interest FROM loan_installments i JOIN loans l ON l.id = i.loan_id WHERE `)
	set.where(&q, "l")
	day := q.arg(on)
	q.add(" AND l.disbursed_on <= ", day, " AND (l.closed_on IS NULL OR l.closed_on > ", day, ") ORDER BY i.loan_id, i.no")
	rows, err = tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("fund schedules: %w", err)
	}
	for rows.Next() {
		var id string
		var in caunoi.Installment
		var due time.Time
		if err := rows.Scan(&id, &in.No, &due, &in.Principal, &in.Interest); err != nil {
			rows.Close()
			return nil, fmt.Errorf("fund schedules: %w", err)
		}
		in.Due = caunoi.Date(due.UTC())
		if b := byID[id]; b != nil {
			b.schedule = append(b.schedule, in)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fund schedules: %w", err)
	}
	q = query{}
	if set.fundID != "" {
		q.add(`SELECT r.loan_id, COALESCE(SUM(r.amount), 0) FROM loan_repayments r WHERE `)
		set.where(&q, "r")
	} else {
		// A subtree's repayments through its loans (by path, then by loan).
		q.add(`SELECT r.loan_id, COALESCE(SUM(r.amount), 0) FROM loan_repayments r JOIN loans l ON l.id = r.loan_id WHERE `)
		set.where(&q, "l")
	}
	q.add(" AND r.paid_on <= ", q.arg(on), " AND ", standing, " GROUP BY r.loan_id")
	rows, err = tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("fund repayments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var paid int64
		if err := rows.Scan(&id, &paid); err != nil {
			return nil, fmt.Errorf("fund repayments: %w", err)
		}
		if b := byID[id]; b != nil {
			b.paid = paid
		}
	}
	return out, rows.Err()
}

// Portfolio sums a fund's loans on a day.
func (s *LoanService) Portfolio(ctx context.Context, fundID string, on time.Time) (*caunoi.Portfolio, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermFundRead); err != nil {
		return nil, err
	}
	on = dayOf(on)
	p := &caunoi.Portfolio{FundID: fundID, On: caunoi.Date(on)}
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		if _, err := tx.findFund(ctx, fundID, caunoi.PermFundRead, true); err != nil {
			return err
		}
		loans, err := tx.book(ctx, fundID, on, false)
		if err != nil {
			return err
		}
		active, all := map[string]bool{}, map[string]bool{}
		var positions []caunoi.LoanPosition
		for _, b := range loans {
			switch {
			case b.disbursed == nil || on.Before(*b.disbursed):
				pending := b.status == caunoi.LoanApplied || b.status == caunoi.LoanAppraised || b.status == caunoi.LoanApproved
				if pending && !on.Before(b.applied.UTC()) {
					p.Pending++
				}
				continue
			case b.activeOn(on):
				pos := b.position(on)
				positions = append(positions, pos)
				p.ActiveLoans++
				p.ActivePrincipal += b.amount
				active[b.clientID] = true
				if pos.Overdue > 0 {
					p.InArrears++
					p.OverdueAmount += pos.Overdue
				}
			case b.status == caunoi.LoanMatured:
				p.MaturedLoans++
				p.MaturedPrincipal += b.amount
			case b.status == caunoi.LoanWrittenOff:
				p.WrittenOffLoans++
			}
			p.DisbursedLoans++
			p.DisbursedPrincipal += b.amount
			all[b.clientID] = true
			if b.method == caunoi.MethodInterestFree {
				p.InterestFreeLoans++
				p.InterestFreePrincipal += b.amount
			}
		}
		p.ActiveBorrowers, p.Borrowers = len(active), len(all)
		p.AtRisk30, p.Outstanding, p.PAR30BP = money.PortfolioAtRisk(positions, caunoi.ArrearsDays)
		return tx.QueryRowContext(ctx, "SELECT COALESCE(SUM(amount), 0) FROM fund_entries WHERE fund_id = $1 AND kind = 'write_off' AND entry_on <= $2",
			fundID, on).Scan(&p.WrittenOff)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Arrears lists the fund's loans in arrears on a day that the actor may
// read: the longest overdue first.
func (s *LoanService) Arrears(ctx context.Context, fundID string, on time.Time) ([]caunoi.ArrearsLine, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermClientRead); err != nil {
		return nil, err
	}
	on = dayOf(on)
	var out []caunoi.ArrearsLine
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		if _, err := tx.findFund(ctx, fundID, caunoi.PermFundRead, true); err != nil {
			return err
		}
		loans, err := tx.book(ctx, fundID, on, true)
		if err != nil {
			return err
		}
		late := map[string]caunoi.LoanPosition{}
		for _, b := range loans {
			if !b.activeOn(on) {
				continue
			}
			if pos := b.position(on); pos.Overdue > 0 {
				late[b.id] = pos
			}
		}
		if len(late) == 0 {
			return nil
		}
		var q query
		q.add("SELECT ", loanCols, loanFrom, " WHERE l.id IN (")
		first := true
		for id := range late {
			if !first {
				q.add(", ")
			}
			first = false
			q.add(q.arg(id))
		}
		q.add(")")
		rows, err := tx.QueryContext(ctx, q.String(), q.args...)
		if err != nil {
			return fmt.Errorf("arrears: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			l, err := scanLoan(rows)
			if err != nil {
				return fmt.Errorf("arrears: %w", err)
			}
			pos := late[l.ID]
			l.Position = &pos
			out = append(out, caunoi.ArrearsLine{Loan: l, Position: pos})
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b caunoi.ArrearsLine) int {
		if a.Position.DaysOverdue != b.Position.DaysOverdue {
			return b.Position.DaysOverdue - a.Position.DaysOverdue
		}
		if a.Position.Overdue != b.Position.Overdue {
			if a.Position.Overdue > b.Position.Overdue {
				return -1
			}
			return 1
		}
		if a.Loan.ID < b.Loan.ID {
			return -1
		}
		return 1
	})
	return out, nil
}
