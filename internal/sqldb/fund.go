package sqldb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"caunoi"
)

// FundService implements caunoi.FundService.
type FundService struct{ db *DB }

// NewFundService returns the fund service.
func NewFundService(db *DB) *FundService { return &FundService{db: db} }

var _ caunoi.FundService = (*FundService)(nil)

const fundCols = `f.id, f.org_id, f.org_path, o.name, f.name, f.description, f.opened_on, f.version, f.created_by, f.created_at, f.updated_at`

const fundFrom = ` FROM funds f JOIN orgs o ON o.id = f.org_id`

func scanFund(sc scanner) (*caunoi.Fund, error) {
	var f caunoi.Fund
	var opened time.Time
	err := sc.Scan(&f.ID, &f.OrgID, &f.OrgPath, &f.OrgName, &f.Name, &f.Description, &opened, &f.Version, &f.CreatedBy, &f.CreatedAt, &f.UpdatedAt)
	if err != nil {
		return nil, err
	}
	f.OpenedOn = caunoi.Date(opened.UTC())
	f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
	return &f, nil
}

// findFund loads a fund the actor may see for p: with up, also a fund of
// an organisation above the actor's.
func (tx *Tx) findFund(ctx context.Context, id string, p caunoi.Permission, up bool) (*caunoi.Fund, error) {
	var q query
	q.add("SELECT ", fundCols, fundFrom, " WHERE f.id = ", q.arg(id), " AND ")
	var err error
	if up {
		err = q.scopeShared(tx.actor, p, "f.org_path")
	} else {
		err = q.scope(tx.actor, p, "f.org_path")
	}
	if err != nil {
		return nil, err
	}
	f, err := scanFund(tx.QueryRowContext(ctx, q.String(), q.args...))
	if err != nil {
		return nil, notFound(err, "fund")
	}
	return f, nil
}

// fundBalances sums the ledgers of the funds, by fund.
func (tx *Tx) fundBalances(ctx context.Context, ids ...string) (map[string]*caunoi.FundBalance, error) {
	out := make(map[string]*caunoi.FundBalance, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var q query
	q.add("SELECT fund_id, kind, source, COALESCE(SUM(amount), 0), COUNT(*) FROM fund_entries WHERE fund_id IN (")
	for i, id := range ids {
		if i > 0 {
			q.add(", ")
		}
		q.add(q.arg(id))
		out[id] = &caunoi.FundBalance{CapitalBySource: map[string]int64{}}
	}
	q.add(") GROUP BY fund_id, kind, source")
	rows, err := tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("fund balance: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, kind, source string
		var sum int64
		var n int
		if err := rows.Scan(&id, &kind, &source, &sum, &n); err != nil {
			return nil, fmt.Errorf("fund balance: %w", err)
		}
		b := out[id]
		b.Add(kind, sum, source)
		b.Entries += n - 1
	}
	return out, rows.Err()
}

// fundBalance sums one fund's ledger.
func (tx *Tx) fundBalance(ctx context.Context, id string) (*caunoi.FundBalance, error) {
	m, err := tx.fundBalances(ctx, id)
	if err != nil {
		return nil, err
	}
	return m[id], nil
}

// FindFunds lists the funds the actor may read, by name, with balances.
func (s *FundService) FindFunds(ctx context.Context, f caunoi.FundFilter) ([]*caunoi.Fund, int, error) {
	a, err := caunoi.Require(ctx, caunoi.PermFundRead)
	if err != nil {
		return nil, 0, err
	}
	var out []*caunoi.Fund
	var total int
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		var w query
		w.add(fundFrom, " WHERE ")
		if err := w.scopeShared(a, caunoi.PermFundRead, "f.org_path"); err != nil {
			return err
		}
		if f.OrgID != "" {
			o, err := tx.findOrg(ctx, f.OrgID, caunoi.PermFundRead)
			if err != nil {
				return err
			}
			w.add(" AND f.org_path >= ", w.arg(o.Path), " AND f.org_path < ", w.arg(pathEnd(o.Path)))
		}
		items, n, err := listPage(ctx, tx, "funds", fundCols, w, "f.name, f.id", f.Page, scanFund)
		if err != nil {
			return err
		}
		out, total = items, n
		ids := make([]string, len(items))
		for i, it := range items {
			ids[i] = it.ID
		}
		bal, err := tx.fundBalances(ctx, ids...)
		if err != nil {
			return err
		}
		for _, it := range items {
			it.Balance = bal[it.ID]
		}
		return nil
	})
	return out, total, err
}

// FindFundByID returns a fund with its balance.
func (s *FundService) FindFundByID(ctx context.Context, id string) (*caunoi.Fund, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermFundRead); err != nil {
		return nil, err
	}
	var f *caunoi.Fund
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		var err error
		if f, err = tx.findFund(ctx, id, caunoi.PermFundRead, true); err != nil {
			return err
		}
		f.Balance, err = tx.fundBalance(ctx, id)
		return err
	})
	return f, err
}

// CreateFund opens a fund; a repeated id is applied once.
func (s *FundService) CreateFund(ctx context.Context, f *caunoi.Fund) error {
	if _, err := caunoi.Require(ctx, caunoi.PermFundWrite); err != nil {
		return err
	}
	if err := f.Validate(s.db.Now()); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if existing, err := tx.findFund(ctx, f.ID, caunoi.PermFundRead, true); err == nil {
			*f = *existing
			f.Balance, err = tx.fundBalance(ctx, f.ID)
			return err
		}
		o, err := tx.findOrg(ctx, f.OrgID, caunoi.PermFundWrite)
		if err != nil {
			if caunoi.ErrorCode(err) == caunoi.ENOTFOUND {
				return caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.not_in_scope"})
			}
			return err
		}
		if o.Voided() {
			return caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.parent_voided"})
		}
		f.OrgPath, f.OrgName, f.Version, f.CreatedBy, f.CreatedAt, f.UpdatedAt = o.Path, o.Name, 1, tx.actor.UserID, tx.now, tx.now
		res, err := tx.ExecContext(ctx, `INSERT INTO funds (id, org_id, org_path, name, description, opened_on, version, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (id) DO NOTHING`,
			f.ID, f.OrgID, f.OrgPath, f.Name, f.Description, time.Time(f.OpenedOn), f.Version, f.CreatedBy, f.CreatedAt)
		if err != nil {
			return fmt.Errorf("insert fund: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
		}
		f.Balance = &caunoi.FundBalance{CapitalBySource: map[string]int64{}}
		return tx.audit(caunoi.ActionCreate, "fund", f.ID, f.OrgPath, nil, f, "")
	})
}

// lockFunds takes the write lock of each fund's row, in the order of their
// ids so that two transfers never wait for each other. The UPDATE is the
// lock on PostgreSQL (held to the commit; a writer that waited re-reads
// the row); SQLite has one writer at a time anyway. Balances must be read
// after it.
func (tx *Tx) lockFunds(ctx context.Context, ids ...string) error {
	sorted := append([]string(nil), ids...)
	for i := 1; i < len(sorted); i++ {
		for j := i; j > 0 && sorted[j] < sorted[j-1]; j-- {
			sorted[j], sorted[j-1] = sorted[j-1], sorted[j]
		}
	}
	for i, id := range sorted {
		if i > 0 && id == sorted[i-1] {
			continue
		}
		res, err := tx.ExecContext(ctx, "UPDATE funds SET entry_seq = entry_seq WHERE id = $1", id)
		if err != nil {
			return fmt.Errorf("lock fund: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return caunoi.NotFound("fund")
		}
	}
	return nil
}

// appendEntry writes one line of a fund's ledger, numbered after the last.
// The fund must be locked (lockFunds).
func (tx *Tx) appendEntry(ctx context.Context, e *caunoi.LedgerEntry, orgPath string) error {
	if e.Amount <= 0 {
		return fmt.Errorf("ledger: %s of %d đồng", e.Kind, e.Amount)
	}
	if err := tx.QueryRowContext(ctx, "UPDATE funds SET entry_seq = entry_seq + 1, updated_at = $2 WHERE id = $1 RETURNING entry_seq",
		e.FundID, tx.now).Scan(&e.Seq); err != nil {
		return fmt.Errorf("ledger: number the entry: %w", err)
	}
	if e.ID == "" {
		e.ID = caunoi.NewID()
	}
	e.RecordedBy, e.RecordedAt = tx.actor.UserID, tx.now
	_, err := tx.ExecContext(ctx, `INSERT INTO fund_entries (id, fund_id, org_path, seq, kind, amount, entry_on, source, loan_id, repayment_id,
		counterpart_fund_id, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		e.ID, e.FundID, orgPath, e.Seq, e.Kind, e.Amount, time.Time(e.On), e.Source, nullStr(e.LoanID), nullStr(e.RepaymentID),
		nullStr(e.CounterpartFundID), e.Note, e.RecordedBy, e.RecordedAt)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return nil
}

// cashCase is the SQL of an entry's effect on the cash in hand.
const cashCase = `CASE WHEN kind IN ('capital_in', 'transfer_in', 'repayment_principal', 'repayment_interest') THEN amount
	WHEN kind IN ('disbursement', 'transfer_out', 'principal_reversed', 'interest_reversed') THEN -amount ELSE 0 END`

// checkOutflow checks money going out of a fund on a day: the fund's book
// must never show less than nothing in hand, neither at the end of that
// day nor after any entry dated later (a disbursement entered a day late
// must not overdraw what was paid out since). The fund must be locked.
func (tx *Tx) checkOutflow(ctx context.Context, fundID string, on time.Time, amount int64, amountField string) error {
	var cash int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(SUM("+cashCase+"), 0) FROM fund_entries WHERE fund_id = $1 AND entry_on <= $2",
		fundID, on).Scan(&cash); err != nil {
		return fmt.Errorf("cash on the day: %w", err)
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+cashCase+" FROM fund_entries WHERE fund_id = $1 AND entry_on > $2 ORDER BY entry_on, seq", fundID, on)
	if err != nil {
		return fmt.Errorf("cash after the day: %w", err)
	}
	defer rows.Close()
	least := cash
	for rows.Next() {
		var effect int64
		if err := rows.Scan(&effect); err != nil {
			return fmt.Errorf("cash after the day: %w", err)
		}
		cash += effect
		least = min(least, cash)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cash after the day: %w", err)
	}
	if amount > least {
		return caunoi.Invalid(caunoi.FieldError{Field: amountField, Key: "err.fund.insufficient", Args: map[string]any{"Cash": max(least, 0)}})
	}
	return nil
}

const entryCols = `e.id, e.fund_id, e.seq, e.kind, e.amount, e.entry_on, e.source, COALESCE(e.loan_id, ''), COALESCE(e.repayment_id, ''),
	COALESCE(e.counterpart_fund_id, ''), e.note, e.recorded_by, e.recorded_at, COALESCE(l.org_path, ''), COALESCE(c.nickname, '')`

const entryFrom = ` FROM fund_entries e LEFT JOIN loans l ON l.id = e.loan_id LEFT JOIN clients c ON c.id = l.client_id`

// entryScanner reads ledger entries, naming the borrower only to an actor
// who may read the loan's client.
func (tx *Tx) entryScanner() func(scanner) (*caunoi.LedgerEntry, error) {
	return func(sc scanner) (*caunoi.LedgerEntry, error) {
		var e caunoi.LedgerEntry
		var on time.Time
		var loanPath, nickname string
		if err := sc.Scan(&e.ID, &e.FundID, &e.Seq, &e.Kind, &e.Amount, &on, &e.Source, &e.LoanID, &e.RepaymentID,
			&e.CounterpartFundID, &e.Note, &e.RecordedBy, &e.RecordedAt, &loanPath, &nickname); err != nil {
			return nil, err
		}
		e.On, e.RecordedAt = caunoi.Date(on.UTC()), e.RecordedAt.UTC()
		if loanPath != "" && tx.actor.CanAt(caunoi.PermClientRead, loanPath) {
			e.Borrower = nickname
		}
		return &e, nil
	}
}

// RecordEntry records capital paid in or a transfer to another fund.
func (s *FundService) RecordEntry(ctx context.Context, in *caunoi.FundEntry) (*caunoi.LedgerEntry, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermFundWrite); err != nil {
		return nil, err
	}
	var out *caunoi.LedgerEntry
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		f, err := tx.findFund(ctx, in.FundID, caunoi.PermFundWrite, false)
		if err != nil {
			return err
		}
		if caunoi.ValidID(in.ID) {
			var q query
			q.add("SELECT ", entryCols, entryFrom, " WHERE e.id = ", q.arg(in.ID), " AND e.fund_id = ", q.arg(f.ID))
			if e, err := tx.entryScanner()(tx.QueryRowContext(ctx, q.String(), q.args...)); err == nil {
				out = e
				return nil
			}
		}
		if err := in.Validate(s.db.Now()); err != nil {
			return err
		}
		on := time.Time(in.On)
		if on.Before(time.Time(f.OpenedOn)) {
			return caunoi.Invalid(caunoi.FieldError{Field: "on", Key: "err.fund.before_opening", Args: map[string]any{"Day": time.Time(f.OpenedOn).Format("02/01/2006")}})
		}
		e := &caunoi.LedgerEntry{ID: in.ID, FundID: f.ID, Kind: in.Kind, Amount: in.Amount, On: in.On, Source: in.Source, Note: in.Note}
		if in.Kind == caunoi.EntryCapitalIn {
			if err := tx.lockFunds(ctx, f.ID); err != nil {
				return err
			}
			if err := tx.appendEntry(ctx, e, f.OrgPath); err != nil {
				return err
			}
			out = e
			return tx.audit(caunoi.ActionCreate, "fund_entry", e.ID, f.OrgPath, nil, e, "")
		}
		to, err := tx.findFund(ctx, in.ToFundID, caunoi.PermFundWrite, false)
		if err != nil {
			if caunoi.ErrorCode(err) == caunoi.ENOTFOUND {
				return caunoi.Invalid(caunoi.FieldError{Field: "to_fund_id", Key: "err.fund.unknown"})
			}
			return err
		}
		if err := tx.lockFunds(ctx, f.ID, to.ID); err != nil {
			return err
		}
		if err := tx.checkOutflow(ctx, f.ID, on, in.Amount, "amount"); err != nil {
			return err
		}
		e.CounterpartFundID = to.ID
		if err := tx.appendEntry(ctx, e, f.OrgPath); err != nil {
			return err
		}
		recv := &caunoi.LedgerEntry{FundID: to.ID, Kind: caunoi.EntryTransferIn, Amount: in.Amount, On: in.On, CounterpartFundID: f.ID, Note: in.Note}
		if err := tx.appendEntry(ctx, recv, to.OrgPath); err != nil {
			return err
		}
		out = e
		if err := tx.audit(caunoi.ActionCreate, "fund_entry", e.ID, f.OrgPath, nil, e, ""); err != nil {
			return err
		}
		return tx.audit(caunoi.ActionCreate, "fund_entry", recv.ID, to.OrgPath, nil, recv, "")
	})
	return out, err
}

// FindEntries lists a fund's ledger, newest first.
func (s *FundService) FindEntries(ctx context.Context, fundID string, f caunoi.EntryFilter) ([]*caunoi.LedgerEntry, int, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermFundRead); err != nil {
		return nil, 0, err
	}
	var out []*caunoi.LedgerEntry
	var total int
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		if _, err := tx.findFund(ctx, fundID, caunoi.PermFundRead, true); err != nil {
			return err
		}
		var w query
		w.add(entryFrom, " WHERE e.fund_id = ", w.arg(fundID))
		if f.From != nil {
			w.add(" AND e.entry_on >= ", w.arg(dayOf(*f.From)))
		}
		if f.To != nil {
			w.add(" AND e.entry_on < ", w.arg(dayOf(*f.To)))
		}
		items, n, err := listPage(ctx, tx, "ledger entries", entryCols, w, "e.entry_on DESC, e.seq DESC", f.Page, tx.entryScanner())
		out, total = items, n
		return err
	})
	return out, total, err
}

// Statement returns the fund's ledger over a period with the cash in hand
// before and after it; each entry carries the cash after it (CashAfter).
func (s *FundService) Statement(ctx context.Context, fundID string, from, to *time.Time) (*caunoi.FundStatement, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermFundRead); err != nil {
		return nil, err
	}
	st := &caunoi.FundStatement{Totals: map[string]int64{}, Entries: []caunoi.LedgerEntry{}}
	if from != nil {
		d := caunoi.Date(dayOf(*from))
		st.From = &d
	}
	if to != nil {
		d := caunoi.Date(dayOf(*to))
		st.To = &d
	}
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		f, err := tx.findFund(ctx, fundID, caunoi.PermFundRead, true)
		if err != nil {
			return err
		}
		if f.Balance, err = tx.fundBalance(ctx, f.ID); err != nil {
			return err
		}
		st.Fund = f
		if from != nil {
			if err := tx.QueryRowContext(ctx, "SELECT COALESCE(SUM("+cashCase+"), 0) FROM fund_entries WHERE fund_id = $1 AND entry_on < $2",
				f.ID, dayOf(*from)).Scan(&st.Opening); err != nil {
				return fmt.Errorf("statement opening: %w", err)
			}
		}
		var q query
		q.add("SELECT ", entryCols, entryFrom, " WHERE e.fund_id = ", q.arg(f.ID))
		if from != nil {
			q.add(" AND e.entry_on >= ", q.arg(dayOf(*from)))
		}
		if to != nil {
			q.add(" AND e.entry_on <= ", q.arg(dayOf(*to)))
		}
		q.add(" ORDER BY e.entry_on, e.seq")
		rows, err := tx.QueryContext(ctx, q.String(), q.args...)
		if err != nil {
			return fmt.Errorf("statement: %w", err)
		}
		defer rows.Close()
		scan := tx.entryScanner()
		cash := st.Opening
		for rows.Next() {
			e, err := scan(rows)
			if err != nil {
				return fmt.Errorf("statement: %w", err)
			}
			cash += e.CashEffect()
			e.CashAfter = cash
			st.Totals[e.Kind] += e.Amount
			if len(st.Entries) < caunoi.MaxStatementEntries {
				st.Entries = append(st.Entries, *e)
			} else {
				st.Truncated = true
			}
		}
		st.Closing = cash
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// orgPathIn reports whether path lies in the subtree at root.
func orgPathIn(path, root string) bool { return strings.HasPrefix(path, root) }
