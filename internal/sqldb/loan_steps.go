package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"caunoi"
	"caunoi/internal/money"
)

// The steps of a loan. Each opens one transaction: it finds the loan in
// the actor's scope for the step's permission (so a loan elsewhere is
// ENOTFOUND whatever was sent), checks the input, checks the loan is at
// the step, and writes the change, its ledger entries and its audit entry
// together. Steps that touch money lock the fund's row first and read the
// balance and the loan's repayments after the lock.

// Apply records a member's application.
func (s *LoanService) Apply(ctx context.Context, l *caunoi.Loan) error {
	if _, err := caunoi.Require(ctx, caunoi.PermLoanWrite); err != nil {
		return err
	}
	if err := l.Validate(s.db.Now()); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		if existing, err := tx.findLoan(ctx, l.ID, caunoi.PermClientRead); err == nil {
			*l = *existing
			return nil
		}
		c, err := tx.findClient(ctx, l.ClientID, caunoi.PermLoanWrite)
		if err != nil || c.Voided() {
			if err != nil && caunoi.ErrorCode(err) != caunoi.ENOTFOUND {
				return err
			}
			return caunoi.Invalid(caunoi.FieldError{Field: "client_id", Key: "err.loan.client_unknown"})
		}
		o, err := tx.findOrg(ctx, c.OrgID, caunoi.PermLoanWrite)
		if err != nil {
			return err
		}
		if o.Voided() {
			return caunoi.Invalid(caunoi.FieldError{Field: "client_id", Key: "err.org.parent_voided"})
		}
		f, err := tx.findFund(ctx, l.FundID, caunoi.PermFundRead, true)
		if err != nil && caunoi.ErrorCode(err) != caunoi.ENOTFOUND {
			return err
		}
		// The fund must be the group's own or one above it: a club lends
		// from its network's fund, never from a neighbour's.
		if err != nil || !orgPathIn(o.Path, f.OrgPath) {
			return caunoi.Invalid(caunoi.FieldError{Field: "fund_id", Key: "err.loan.fund_unavailable"})
		}
		proposed, err := json.Marshal(l.Proposed)
		if err != nil {
			return fmt.Errorf("loan schedule proposed: %w", err)
		}
		if l.Proposed == nil {
			proposed = []byte("[]")
		}
		l.OrgID, l.OrgPath, l.OrgName, l.FundName, l.ClientNickname = o.ID, o.Path, o.Name, f.Name, c.Nickname
		l.Status, l.AppliedBy, l.AppliedByName, l.Version, l.CreatedAt, l.UpdatedAt = caunoi.LoanApplied, tx.actor.UserID, tx.actor.DisplayName, 1, tx.now, tx.now
		l.Appraisal, l.Decision, l.DisbursedOn, l.ClosedOn, l.Schedule, l.Repayments = nil, nil, nil, nil, nil, nil
		res, err := tx.ExecContext(ctx, `INSERT INTO loans (id, fund_id, org_id, org_path, client_id, amount, purpose, term_months, method, frequency, rate_bp,
			proposed, applied_on, applied_by, status, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) ON CONFLICT (id) DO NOTHING`,
			l.ID, l.FundID, l.OrgID, l.OrgPath, l.ClientID, l.Amount, l.Purpose, l.TermMonths, l.Method, l.Frequency, l.RateBP,
			string(proposed), time.Time(l.AppliedOn), l.AppliedBy, l.Status, l.Version, tx.now)
		if err != nil {
			return fmt.Errorf("insert loan: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.id.taken", nil)
		}
		return tx.audit(caunoi.ActionCreate, "loan", l.ID, l.OrgPath, nil, auditLoan(l), "")
	})
}

// atStatus refuses a step on a loan that is not at it, or seen at an older
// version.
func atStatus(l *caunoi.Loan, version int, want string) error {
	if l.Status != want {
		return caunoi.Errorf(caunoi.ECONFLICT, "err.loan.status", map[string]any{"Status": l.Status, "Want": want})
	}
	if l.Version != version {
		return caunoi.Stale()
	}
	return nil
}

// notBefore refuses a step dated before an earlier one.
func notBefore(field string, on, earlier time.Time) error {
	if on.Before(earlier) {
		return caunoi.Invalid(caunoi.FieldError{Field: field, Key: "err.loan.day_before", Args: map[string]any{"Day": earlier.Format("02/01/2006")}})
	}
	return nil
}

// appraiserOK reports whether a user may appraise a loan of the
// organisation at path: someone holding a role on it, above it or below it.
func (tx *Tx) appraiserOK(ctx context.Context, userID, path string) (bool, error) {
	grants, err := grantsOf(ctx, tx, userID)
	if err != nil {
		return false, err
	}
	for _, g := range grants {
		if relatedPaths(g.OrgPath, path) {
			return true, nil
		}
	}
	return false, nil
}

// Appraise records the club's appraisal of an application.
func (s *LoanService) Appraise(ctx context.Context, id string, in caunoi.AppraisalInput) (*caunoi.Loan, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermLoanAppraise); err != nil {
		return nil, err
	}
	var out *caunoi.Loan
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		l, err := tx.findLoan(ctx, id, caunoi.PermLoanAppraise)
		if err != nil {
			return err
		}
		if err := in.Validate(s.db.Now()); err != nil {
			return err
		}
		if err := atStatus(l, in.Version, caunoi.LoanApplied); err != nil {
			return err
		}
		if err := notBefore("on", time.Time(in.On), time.Time(l.AppliedOn)); err != nil {
			return err
		}
		appraisers := slices.Clone(in.Appraisers)
		if !tx.actor.System {
			appraisers = append(appraisers, tx.actor.UserID)
		}
		slices.Sort(appraisers)
		appraisers = slices.Compact(appraisers)
		if len(appraisers) == 0 {
			return caunoi.Invalid(caunoi.FieldError{Field: "appraisers", Key: "err.loan.appraisers"})
		}
		for _, u := range appraisers {
			ok, err := tx.appraiserOK(ctx, u, l.OrgPath)
			if err != nil {
				return err
			}
			if !ok {
				return caunoi.Invalid(caunoi.FieldError{Field: "appraisers", Key: "err.loan.appraiser_unknown"})
			}
		}
		if err := tx.execVersioned(ctx, "appraise loan", `UPDATE loans SET status = $1, appraised_on = $2, appraised_by = $3, appraisal_notes = $4,
			recommendation = $5, version = $6, updated_at = $7 WHERE id = $8 AND version = $9`,
			caunoi.LoanAppraised, time.Time(in.On), tx.actor.UserID, in.Notes, in.Recommendation, l.Version+1, tx.now, l.ID, l.Version); err != nil {
			return err
		}
		for _, u := range appraisers {
			if _, err := tx.ExecContext(ctx, "INSERT INTO loan_appraisers (loan_id, user_id) VALUES ($1, $2)", l.ID, u); err != nil {
				return fmt.Errorf("appraisers: %w", err)
			}
		}
		if out, err = tx.reloadLoan(ctx, l.ID); err != nil {
			return err
		}
		return tx.audit(caunoi.ActionAppraise, "loan", l.ID, l.OrgPath, nil, out.Appraisal, "")
	})
	return out, err
}

// reloadLoan reads a loan again, with its details, as the system sees it.
func (tx *Tx) reloadLoan(ctx context.Context, id string) (*caunoi.Loan, error) {
	actor := tx.actor
	tx.actor = caunoi.SystemActor()
	l, err := tx.findLoan(ctx, id, caunoi.PermClientRead)
	tx.actor = actor
	if err != nil {
		return nil, err
	}
	if err := tx.loadLoanDetails(ctx, l); err != nil {
		return nil, err
	}
	return l, nil
}

// Decide approves or rejects an appraised application. Segregation of
// duties: the one who decides may be neither the one who recorded the
// application nor one of its appraisers.
func (s *LoanService) Decide(ctx context.Context, id string, in caunoi.DecisionInput) (*caunoi.Loan, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermLoanApprove); err != nil {
		return nil, err
	}
	var out *caunoi.Loan
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		l, err := tx.findLoan(ctx, id, caunoi.PermLoanApprove)
		if err != nil {
			return err
		}
		if err := in.Validate(s.db.Now()); err != nil {
			return err
		}
		if err := atStatus(l, in.Version, caunoi.LoanAppraised); err != nil {
			return err
		}
		if !tx.actor.System {
			if l.AppliedBy == tx.actor.UserID {
				return caunoi.Errorf(caunoi.EFORBIDDEN, "err.loan.decide_own_application", nil)
			}
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM loan_appraisers WHERE loan_id = $1 AND user_id = $2", l.ID, tx.actor.UserID).Scan(&n); err != nil {
				return fmt.Errorf("appraisers: %w", err)
			}
			if n > 0 {
				return caunoi.Errorf(caunoi.EFORBIDDEN, "err.loan.decide_own_appraisal", nil)
			}
		}
		if err := notBefore("on", time.Time(in.On), time.Time(l.Appraisal.On)); err != nil {
			return err
		}
		status, action := caunoi.LoanApproved, caunoi.ActionApprove
		var closed any
		if in.Decision == "reject" {
			status, action, closed = caunoi.LoanRejected, caunoi.ActionReject, time.Time(in.On)
		}
		if err := tx.execVersioned(ctx, "decide loan", `UPDATE loans SET status = $1, decided_on = $2, decided_by = $3, decision = $4, decision_note = $5,
			closed_on = $6, version = $7, updated_at = $8 WHERE id = $9 AND version = $10`,
			status, time.Time(in.On), tx.actor.UserID, in.Decision, in.Note, closed, l.Version+1, tx.now, l.ID, l.Version); err != nil {
			return err
		}
		if out, err = tx.reloadLoan(ctx, l.ID); err != nil {
			return err
		}
		return tx.audit(action, "loan", l.ID, l.OrgPath, nil, out.Decision, in.Note)
	})
	return out, err
}

// Disburse pays out an approved loan and fixes its schedule.
func (s *LoanService) Disburse(ctx context.Context, id string, in caunoi.DisbursementInput) (*caunoi.Loan, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermLoanDisburse); err != nil {
		return nil, err
	}
	var out *caunoi.Loan
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		l, err := tx.findLoan(ctx, id, caunoi.PermLoanDisburse)
		if err != nil {
			return err
		}
		var v caunoi.Validator
		in.Note = strings.TrimSpace(in.Note)
		checkDayOf(&v, "on", time.Time(in.On), s.db.Now())
		v.Check(len([]rune(in.Note)) <= 500, "note", "err.field.too_long", map[string]any{"Max": 500})
		if err := v.Err(); err != nil {
			return err
		}
		if err := tx.lockFunds(ctx, l.FundID); err != nil {
			return err
		}
		if l, err = tx.findLoan(ctx, id, caunoi.PermLoanDisburse); err != nil {
			return err
		}
		if err := atStatus(l, in.Version, caunoi.LoanApproved); err != nil {
			return err
		}
		on := time.Time(in.On)
		if err := notBefore("on", on, time.Time(l.Decision.On)); err != nil {
			return err
		}
		sched, err := money.Schedule(money.Terms{Principal: l.Amount, RateBP: l.RateBP, Method: l.Method, Frequency: l.Frequency,
			Months: l.TermMonths, Start: on, Proposed: l.Proposed})
		if err != nil {
			return err
		}
		if err := tx.checkOutflow(ctx, l.FundID, on, l.Amount, "amount"); err != nil {
			return err
		}
		fundPath, err := tx.fundPath(ctx, l.FundID)
		if err != nil {
			return err
		}
		if err := tx.appendEntry(ctx, &caunoi.LedgerEntry{FundID: l.FundID, Kind: caunoi.EntryDisbursement, Amount: l.Amount, On: in.On,
			LoanID: l.ID, Note: in.Note}, fundPath); err != nil {
			return err
		}
		for _, i := range sched {
			if _, err := tx.ExecContext(ctx, "INSERT INTO loan_installments (loan_id, no, due_on, principal, interest) VALUES ($1, $2, $3, $4, $5)",
				l.ID, i.No, time.Time(i.Due), i.Principal, i.Interest); err != nil {
				return fmt.Errorf("schedule: %w", err)
			}
		}
		if err := tx.execVersioned(ctx, "disburse loan", `UPDATE loans SET status = $1, disbursed_on = $2, disbursed_by = $3, version = $4, updated_at = $5
			WHERE id = $6 AND version = $7`, caunoi.LoanActive, on, tx.actor.UserID, l.Version+1, tx.now, l.ID, l.Version); err != nil {
			return err
		}
		if out, err = tx.reloadLoan(ctx, l.ID); err != nil {
			return err
		}
		return tx.audit(caunoi.ActionDisburse, "loan", l.ID, l.OrgPath, nil, map[string]any{"on": in.On, "amount": l.Amount, "schedule": sched}, "")
	})
	return out, err
}

// checkDayOf is checkDay for storage: a day, from 1900, not in the future.
func checkDayOf(v *caunoi.Validator, field string, d, now time.Time) {
	if d.IsZero() {
		v.Add(field, "err.date.required", nil)
		return
	}
	v.Check(d.Year() >= 1900 && !d.After(dayOf(now.In(caunoi.Zone))), field, "err.date.range", nil)
}

// fundPath returns the organisation path of a fund.
func (tx *Tx) fundPath(ctx context.Context, id string) (string, error) {
	var p string
	if err := tx.QueryRowContext(ctx, "SELECT org_path FROM funds WHERE id = $1", id).Scan(&p); err != nil {
		return "", notFound(err, "fund")
	}
	return p, nil
}

// Repay records a repayment, split by the schedule into interest and
// principal; the loan matures with the payment that settles it.
func (s *LoanService) Repay(ctx context.Context, id string, in caunoi.RepaymentInput) (*caunoi.Repayment, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermLoanWrite); err != nil {
		return nil, err
	}
	var out *caunoi.Repayment
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		l, err := tx.findLoan(ctx, id, caunoi.PermLoanWrite)
		if err != nil {
			return err
		}
		if caunoi.ValidID(in.ID) {
			r, err := scanRepayment(tx.QueryRowContext(ctx, `SELECT id, loan_id, paid_on, amount, principal, interest, note, recorded_by, recorded_at
				FROM loan_repayments WHERE id = $1 AND loan_id = $2`, in.ID, l.ID))
			if err == nil {
				out = r
				return nil
			}
		}
		if err := in.Validate(s.db.Now()); err != nil {
			return err
		}
		if err := tx.lockFunds(ctx, l.FundID); err != nil {
			return err
		}
		// Read again under the lock: another repayment may have come first.
		if l, err = tx.findLoan(ctx, id, caunoi.PermLoanWrite); err != nil {
			return err
		}
		if l.Status != caunoi.LoanActive {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.loan.not_active", map[string]any{"Status": l.Status})
		}
		paid := time.Time(in.PaidOn)
		if err := notBefore("paid_on", paid, time.Time(*l.DisbursedOn)); err != nil {
			return err
		}
		var last time.Time
		if err := tx.QueryRowContext(ctx, "SELECT r.paid_on FROM loan_repayments r WHERE r.loan_id = $1 AND "+standing+" ORDER BY r.paid_on DESC LIMIT 1",
			l.ID).Scan(&last); err == nil {
			if err := notBefore("paid_on", paid, last.UTC()); err != nil {
				return err
			}
		}
		sched, err := tx.schedule(ctx, l.ID)
		if err != nil {
			return err
		}
		principal, interest, err := money.Allocate(sched, l.Repaid, in.Amount)
		if err != nil {
			return err
		}
		r := &caunoi.Repayment{ID: in.ID, LoanID: l.ID, PaidOn: in.PaidOn, Amount: in.Amount, Principal: principal, Interest: interest,
			Note: in.Note, RecordedBy: tx.actor.UserID, RecordedAt: tx.now}
		fundPath, err := tx.fundPath(ctx, l.FundID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO loan_repayments (id, loan_id, fund_id, org_path, paid_on, amount, principal, interest, note, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, r.ID, r.LoanID, l.FundID, l.OrgPath, paid, r.Amount, r.Principal, r.Interest,
			r.Note, r.RecordedBy, r.RecordedAt); err != nil {
			return fmt.Errorf("insert repayment: %w", err)
		}
		for _, e := range []caunoi.LedgerEntry{
			{FundID: l.FundID, Kind: caunoi.EntryRepaymentInterest, Amount: interest, On: in.PaidOn, LoanID: l.ID, RepaymentID: r.ID},
			{FundID: l.FundID, Kind: caunoi.EntryRepaymentPrincipal, Amount: principal, On: in.PaidOn, LoanID: l.ID, RepaymentID: r.ID},
		} {
			if e.Amount == 0 {
				continue
			}
			if err := tx.appendEntry(ctx, &e, fundPath); err != nil {
				return err
			}
		}
		_, _, total := money.Sums(sched)
		status, closed := l.Status, any(nil)
		if l.Repaid+in.Amount == total {
			status, closed = caunoi.LoanMatured, paid
		}
		if err := tx.execVersioned(ctx, "repay loan", `UPDATE loans SET status = $1, closed_on = $2, version = $3, updated_at = $4 WHERE id = $5 AND version = $6`,
			status, closed, l.Version+1, tx.now, l.ID, l.Version); err != nil {
			return err
		}
		out = r
		return tx.audit(caunoi.ActionRepay, "loan", l.ID, l.OrgPath, nil, r, "")
	})
	return out, err
}

// WriteOff gives up what is still owed on an active loan: the principal
// outstanding leaves the fund's book as a loss.
func (s *LoanService) WriteOff(ctx context.Context, id string, in caunoi.WriteOffInput) (*caunoi.Loan, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermLoanApprove); err != nil {
		return nil, err
	}
	var out *caunoi.Loan
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		l, err := tx.findLoan(ctx, id, caunoi.PermLoanApprove)
		if err != nil {
			return err
		}
		var v caunoi.Validator
		checkDayOf(&v, "on", time.Time(in.On), s.db.Now())
		if err := v.Err(); err != nil {
			return err
		}
		if err := caunoi.ValidateVoidReason(in.Reason); err != nil {
			return err
		}
		if err := tx.lockFunds(ctx, l.FundID); err != nil {
			return err
		}
		if l, err = tx.findLoan(ctx, id, caunoi.PermLoanApprove); err != nil {
			return err
		}
		if err := atStatus(l, in.Version, caunoi.LoanActive); err != nil {
			return err
		}
		on := time.Time(in.On)
		if err := notBefore("on", on, time.Time(*l.DisbursedOn)); err != nil {
			return err
		}
		fundPath, err := tx.fundPath(ctx, l.FundID)
		if err != nil {
			return err
		}
		outstanding := l.Amount - l.PrincipalRepaid - l.WrittenOff
		if outstanding > 0 {
			if err := tx.appendEntry(ctx, &caunoi.LedgerEntry{FundID: l.FundID, Kind: caunoi.EntryWriteOff, Amount: outstanding, On: in.On,
				LoanID: l.ID, Note: strings.TrimSpace(in.Reason)}, fundPath); err != nil {
				return err
			}
		}
		if err := tx.execVersioned(ctx, "write off loan", `UPDATE loans SET status = $1, closed_on = $2, write_off_reason = $3, version = $4, updated_at = $5
			WHERE id = $6 AND version = $7`, caunoi.LoanWrittenOff, on, strings.TrimSpace(in.Reason), l.Version+1, tx.now, l.ID, l.Version); err != nil {
			return err
		}
		if out, err = tx.reloadLoan(ctx, l.ID); err != nil {
			return err
		}
		return tx.audit(caunoi.ActionWriteOff, "loan", l.ID, l.OrgPath, nil, map[string]any{"on": in.On, "principal": outstanding}, in.Reason)
	})
	return out, err
}

// ReverseRepayment undoes the latest standing repayment of a loan, entered
// by mistake: the row stays, a reversal says why, and the ledger gets
// entries that undo its interest and principal on its day.
func (s *LoanService) ReverseRepayment(ctx context.Context, repaymentID, reason string) (*caunoi.Loan, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermLoanWrite); err != nil {
		return nil, err
	}
	var out *caunoi.Loan
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		var loanID string
		if err := tx.QueryRowContext(ctx, "SELECT loan_id FROM loan_repayments WHERE id = $1", repaymentID).Scan(&loanID); err != nil {
			return notFound(err, "repayment")
		}
		l, err := tx.findLoan(ctx, loanID, caunoi.PermLoanWrite)
		if err != nil {
			if caunoi.ErrorCode(err) == caunoi.ENOTFOUND {
				return caunoi.NotFound("repayment")
			}
			return err
		}
		if err := caunoi.ValidateVoidReason(reason); err != nil {
			return err
		}
		if err := tx.lockFunds(ctx, l.FundID); err != nil {
			return err
		}
		if l, err = tx.findLoan(ctx, loanID, caunoi.PermLoanWrite); err != nil {
			return err
		}
		if err := tx.loadLoanDetails(ctx, l); err != nil {
			return err
		}
		var r *caunoi.Repayment
		for i := len(l.Repayments) - 1; i >= 0; i-- {
			if l.Repayments[i].Reversal == nil {
				r = &l.Repayments[i]
				break
			}
		}
		if r == nil || r.ID != repaymentID {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.loan.reverse_latest", nil)
		}
		if l.Status != caunoi.LoanActive && l.Status != caunoi.LoanMatured {
			return caunoi.Errorf(caunoi.ECONFLICT, "err.loan.not_active", map[string]any{"Status": l.Status})
		}
		if err := tx.checkOutflow(ctx, l.FundID, time.Time(r.PaidOn), r.Amount, "repayment"); err != nil {
			if e := caunoi.AsError(err); e.Code == caunoi.EINVALID && len(e.Fields) == 1 {
				return caunoi.Invalid(caunoi.FieldError{Field: "repayment", Key: "err.loan.reverse_spent", Args: e.Fields[0].Args})
			}
			return err
		}
		fundPath, err := tx.fundPath(ctx, l.FundID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO loan_repayment_reversals (repayment_id, loan_id, reason, reversed_by, reversed_at)
			VALUES ($1, $2, $3, $4, $5)`, r.ID, l.ID, strings.TrimSpace(reason), tx.actor.UserID, tx.now); err != nil {
			return fmt.Errorf("reverse repayment: %w", err)
		}
		for _, e := range []caunoi.LedgerEntry{
			{FundID: l.FundID, Kind: caunoi.EntryPrincipalReversed, Amount: r.Principal, On: r.PaidOn, LoanID: l.ID, RepaymentID: r.ID, Note: reason},
			{FundID: l.FundID, Kind: caunoi.EntryInterestReversed, Amount: r.Interest, On: r.PaidOn, LoanID: l.ID, RepaymentID: r.ID, Note: reason},
		} {
			if e.Amount == 0 {
				continue
			}
			if err := tx.appendEntry(ctx, &e, fundPath); err != nil {
				return err
			}
		}
		if err := tx.execVersioned(ctx, "reverse repayment", `UPDATE loans SET status = $1, closed_on = NULL, version = $2, updated_at = $3
			WHERE id = $4 AND version = $5`, caunoi.LoanActive, l.Version+1, tx.now, l.ID, l.Version); err != nil {
			return err
		}
		if out, err = tx.reloadLoan(ctx, l.ID); err != nil {
			return err
		}
		return tx.audit(caunoi.ActionReverse, "loan", l.ID, l.OrgPath, r, nil, reason)
	})
	return out, err
}
