package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"caunoi"
	"caunoi/internal/money"
)

// LoanService implements caunoi.LoanService.
type LoanService struct{ db *DB }

// NewLoanService returns the loan service.
func NewLoanService(db *DB) *LoanService { return &LoanService{db: db} }

var _ caunoi.LoanService = (*LoanService)(nil)

const loanCols = `l.id, l.fund_id, f.name, l.org_id, l.org_path, o.name, l.client_id, c.nickname, l.amount, l.purpose, l.term_months,
	l.method, l.frequency, l.rate_bp, l.proposed, l.applied_on, l.applied_by, COALESCE(ua.display_name, ''), l.status,
	l.appraised_on, l.appraised_by, l.appraisal_notes, l.recommendation, l.decided_on, l.decided_by, COALESCE(ud.display_name, ''),
	l.decision, l.decision_note, l.disbursed_on, l.disbursed_by, l.closed_on, l.write_off_reason, l.version, l.created_at, l.updated_at,
	(SELECT COALESCE(SUM(r.principal), 0) FROM loan_repayments r WHERE r.loan_id = l.id AND ` + standing + `),
	(SELECT COALESCE(SUM(r.interest), 0) FROM loan_repayments r WHERE r.loan_id = l.id AND ` + standing + `),
	(SELECT COALESCE(SUM(w.amount), 0) FROM fund_entries w WHERE w.loan_id = l.id AND w.kind = 'write_off')`

// standing keeps the repayments r that were not undone.
const standing = `NOT EXISTS (SELECT 1 FROM loan_repayment_reversals v WHERE v.repayment_id = r.id)`

const loanFrom = ` FROM loans l JOIN funds f ON f.id = l.fund_id JOIN orgs o ON o.id = l.org_id JOIN clients c ON c.id = l.client_id
	LEFT JOIN users ua ON ua.id = l.applied_by LEFT JOIN users ud ON ud.id = l.decided_by`

func scanLoan(sc scanner) (*caunoi.Loan, error) {
	var l caunoi.Loan
	var proposed, appraisedBy, notes, recommendation, decision, decisionNote string
	var applied time.Time
	var appraised, decided, disbursed, closed sql.NullTime
	var decidedBy, decidedByName string
	err := sc.Scan(&l.ID, &l.FundID, &l.FundName, &l.OrgID, &l.OrgPath, &l.OrgName, &l.ClientID, &l.ClientNickname, &l.Amount, &l.Purpose, &l.TermMonths,
		&l.Method, &l.Frequency, &l.RateBP, &proposed, &applied, &l.AppliedBy, &l.AppliedByName, &l.Status,
		&appraised, &appraisedBy, &notes, &recommendation, &decided, &decidedBy, &decidedByName,
		&decision, &decisionNote, &disbursed, &l.DisbursedBy, &closed, &l.WriteOff, &l.Version, &l.CreatedAt, &l.UpdatedAt,
		&l.PrincipalRepaid, &l.InterestRepaid, &l.WrittenOff)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(proposed), &l.Proposed); err != nil {
		return nil, fmt.Errorf("loan schedule proposed: %w", err)
	}
	l.AppliedOn = caunoi.Date(applied.UTC())
	l.Repaid = l.PrincipalRepaid + l.InterestRepaid
	if appraised.Valid {
		l.Appraisal = &caunoi.Appraisal{On: caunoi.Date(appraised.Time.UTC()), Notes: notes, Recommendation: recommendation, RecordedBy: appraisedBy,
			Appraisers: []string{}}
	}
	if decided.Valid {
		l.Decision = &caunoi.Decision{On: caunoi.Date(decided.Time.UTC()), Approved: decision == "approve", Note: decisionNote, By: decidedBy, ByName: decidedByName}
	}
	l.DisbursedOn, l.ClosedOn = datePtr(disbursed), datePtr(closed)
	l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	return &l, nil
}

// datePtr turns a scanned day into a *caunoi.Date.
func datePtr(nt sql.NullTime) *caunoi.Date {
	if !nt.Valid {
		return nil
	}
	d := caunoi.Date(nt.Time.UTC())
	return &d
}

// findLoan loads a loan whose borrower's organisation lies in the actor's
// scope for p.
func (tx *Tx) findLoan(ctx context.Context, id string, p caunoi.Permission) (*caunoi.Loan, error) {
	var q query
	q.add("SELECT ", loanCols, loanFrom, " WHERE l.id = ", q.arg(id), " AND ")
	if err := q.scope(tx.actor, p, "l.org_path"); err != nil {
		return nil, err
	}
	l, err := scanLoan(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "loan")
	}
	return l, nil
}

// loadLoanDetails fills a loan's appraisers, schedule and repayments.
func (tx *Tx) loadLoanDetails(ctx context.Context, l *caunoi.Loan) error {
	if l.Appraisal != nil {
		rows, err := tx.QueryContext(ctx, `SELECT a.user_id, COALESCE(u.display_name, '') FROM loan_appraisers a LEFT JOIN users u ON u.id = a.user_id
			WHERE a.loan_id = $1 ORDER BY u.display_name, a.user_id`, l.ID)
		if err != nil {
			return fmt.Errorf("appraisers: %w", err)
		}
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return fmt.Errorf("appraisers: %w", err)
			}
			l.Appraisal.Appraisers = append(l.Appraisal.Appraisers, id)
			l.Appraisal.AppraiserNames = append(l.Appraisal.AppraiserNames, name)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("appraisers: %w", err)
		}
	}
	var err error
	if l.Schedule, err = tx.schedule(ctx, l.ID); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.loan_id, r.paid_on, r.amount, r.principal, r.interest, r.note, r.recorded_by, r.recorded_at,
		v.reason, v.reversed_by, v.reversed_at FROM loan_repayments r LEFT JOIN loan_repayment_reversals v ON v.repayment_id = r.id
		WHERE r.loan_id = $1 ORDER BY r.paid_on, r.recorded_at, r.id`, l.ID)
	if err != nil {
		return fmt.Errorf("repayments: %w", err)
	}
	defer rows.Close()
	l.Repayments = []caunoi.Repayment{}
	for rows.Next() {
		var r caunoi.Repayment
		var paid time.Time
		var reason, by sql.NullString
		var at sql.NullTime
		if err := rows.Scan(&r.ID, &r.LoanID, &paid, &r.Amount, &r.Principal, &r.Interest, &r.Note, &r.RecordedBy, &r.RecordedAt,
			&reason, &by, &at); err != nil {
			return fmt.Errorf("repayments: %w", err)
		}
		r.PaidOn, r.RecordedAt = caunoi.Date(paid.UTC()), r.RecordedAt.UTC()
		if reason.Valid {
			r.Reversal = &caunoi.Reversal{Reason: reason.String, By: by.String, At: at.Time.UTC()}
		}
		l.Repayments = append(l.Repayments, r)
	}
	return rows.Err()
}

func scanRepayment(sc scanner) (*caunoi.Repayment, error) {
	var r caunoi.Repayment
	var paid time.Time
	if err := sc.Scan(&r.ID, &r.LoanID, &paid, &r.Amount, &r.Principal, &r.Interest, &r.Note, &r.RecordedBy, &r.RecordedAt); err != nil {
		return nil, err
	}
	r.PaidOn, r.RecordedAt = caunoi.Date(paid.UTC()), r.RecordedAt.UTC()
	return &r, nil
}

// schedule reads a loan's installments.
func (tx *Tx) schedule(ctx context.Context, loanID string) ([]caunoi.Installment, error) {
	rows, err := tx.QueryContext(ctx, "SELECT no, due_on, principal, interest FROM loan_installments WHERE loan_id = $1 ORDER BY no", loanID)
	if err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	defer rows.Close()
	out := []caunoi.Installment{}
	for rows.Next() {
		var in caunoi.Installment
		var due time.Time
		if err := rows.Scan(&in.No, &due, &in.Principal, &in.Interest); err != nil {
			return nil, fmt.Errorf("schedule: %w", err)
		}
		in.Due = caunoi.Date(due.UTC())
		out = append(out, in)
	}
	return out, rows.Err()
}

// position returns where a disbursed loan stands at the end of the day on:
// a loan closed by then owes nothing more, and one written off has
// nothing outstanding.
func position(l *caunoi.Loan, on time.Time) *caunoi.LoanPosition {
	if l.DisbursedOn == nil || on.Before(time.Time(*l.DisbursedOn)) {
		return nil
	}
	var pays []money.Payment
	for _, r := range l.Repayments {
		if r.Reversal == nil {
			pays = append(pays, money.Payment{On: time.Time(r.PaidOn), Amount: r.Amount})
		}
	}
	pos := money.Position(l.Schedule, pays, on)
	if l.Status == caunoi.LoanWrittenOff && l.ClosedOn != nil && !on.Before(time.Time(*l.ClosedOn)) {
		pos.Overdue, pos.DaysOverdue, pos.Outstanding, pos.Owed, pos.NextDue, pos.NextAmount = 0, 0, 0, 0, nil, 0
	}
	return &pos
}

// FindLoanByID returns a loan with its schedule, repayments and position,
// and audits the read.
func (s *LoanService) FindLoanByID(ctx context.Context, id string, on *time.Time) (*caunoi.Loan, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermClientRead); err != nil {
		return nil, err
	}
	day := caunoi.Today()
	if on != nil {
		day = dayOf(*on)
	}
	var l *caunoi.Loan
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		var err error
		if l, err = tx.findLoan(ctx, id, caunoi.PermClientRead); err != nil {
			return err
		}
		if err := tx.loadLoanDetails(ctx, l); err != nil {
			return err
		}
		l.Position = position(l, day)
		return tx.audit(caunoi.ActionRead, "loan", id, l.OrgPath, nil, nil, "")
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// FindLoans lists loans in the actor's client.read scope, newest
// application first.
func (s *LoanService) FindLoans(ctx context.Context, f caunoi.LoanFilter) ([]*caunoi.Loan, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermClientRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.Loan
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(loanFrom, " WHERE ")
		if err := w.scope(a, caunoi.PermClientRead, "l.org_path"); err != nil {
			return err
		}
		if err := tx.orgFilter(ctx, &w, f.OrgID, "l.org_path"); err != nil {
			return err
		}
		if f.FundID != "" {
			w.add(" AND l.fund_id = ", w.arg(f.FundID))
		}
		if f.ClientID != "" {
			w.add(" AND l.client_id = ", w.arg(f.ClientID))
		}
		if f.Status != "" {
			w.add(" AND l.status = ", w.arg(f.Status))
		}
		items, n, err := listPage(ctx, tx, "loans", loanCols, w, "l.applied_on DESC, l.id DESC", f.Page, scanLoan)
		out, total = items, n
		return err
	})
	return out, total, err
}

// auditLoan is what the audit trail keeps of a loan: no nickname.
func auditLoan(l *caunoi.Loan) *caunoi.Loan {
	c := *l
	c.ClientNickname, c.Position, c.Repayments = "", nil, nil
	return &c
}
