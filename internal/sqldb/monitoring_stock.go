package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"caunoi"
	"caunoi/internal/indicator"
	"caunoi/internal/money"
)

// stockSuppliers work out the records of the stock sources (see
// indicator/stock.go) of an organisation's subtree as they stand on a
// day, as the JSON the source's queries read.
var stockSuppliers = map[string]func(tx *Tx, ctx context.Context, path string, on time.Time) ([]byte, error){
	"loan_positions": (*Tx).loanPositions,
	"members":        (*Tx).members,
}

// supplyStocks gives every query of the plan that counts a stock source
// its records: those of the request's subtree as they stand on the
// period's last day, or today while the period runs.
func (tx *Tx) supplyStocks(ctx context.Context, req *indicator.Request, plan *indicator.Plan) error {
	on := time.Time(req.Period.End)
	if today := dayOf(tx.now); today.Before(on) {
		on = today
	}
	supplied := map[string][]byte{}
	for _, q := range plan.Queries() {
		src := indicator.SourceByName(q.Source)
		if src == nil || !src.IsStock() {
			continue
		}
		rows, ok := supplied[src.Name]
		if !ok {
			supply := stockSuppliers[src.Name]
			if supply == nil {
				return fmt.Errorf("evaluate %s: no supplier of the stock source", src.Name)
			}
			var err error
			if rows, err = supply(tx, ctx, req.Root.Path, on); err != nil {
				return err
			}
			supplied[src.Name] = rows
		}
		if err := q.SupplyStock(req.Dialect, rows, on); err != nil {
			return err
		}
	}
	return nil
}

// loanPosition is a record of the loan_positions source: a loan out on the
// day and where it stands (the columns of its Stock declaration).
type loanPosition struct {
	ID          string `json:"id"`
	OrgID       string `json:"org_id"`
	OrgPath     string `json:"org_path"`
	ClientID    string `json:"client_id"`
	Standing    string `json:"standing"`
	Method      string `json:"method"`
	Amount      int64  `json:"amount_vnd"`
	Outstanding int64  `json:"outstanding_vnd"`
	Overdue     int64  `json:"overdue_vnd"`
	AtRisk      int64  `json:"at_risk_vnd"`
}

// loanPositions returns the loans of the subtree out at the end of the day,
// each with its position (money.Position, through the fund's book) and
// its standing: at risk as money.PortfolioAtRisk counts it (more than
// caunoi.ArrearsDays overdue), late when anything else is overdue.
func (tx *Tx) loanPositions(ctx context.Context, path string, on time.Time) ([]byte, error) {
	loans, err := tx.bookOf(ctx, loanSet{path: path}, on, false)
	if err != nil {
		return nil, err
	}
	out := []loanPosition{}
	for _, b := range loans {
		if !b.activeOn(on) {
			continue
		}
		pos := b.position(on)
		lp := loanPosition{ID: b.id, OrgID: b.orgID, OrgPath: b.orgPath, ClientID: b.clientID, Method: b.method, Amount: b.amount,
			Standing: indicator.StandingCurrent, Outstanding: pos.Outstanding, Overdue: pos.Overdue}
		switch {
		case money.AtRisk(pos, caunoi.ArrearsDays):
			lp.Standing, lp.AtRisk = indicator.StandingAtRisk, pos.Outstanding
		case pos.Overdue > 0:
			lp.Standing = indicator.StandingLate
		}
		out = append(out, lp)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("loan positions: %w", err)
	}
	return b, nil
}

// member is a record of the members source: a membership standing on the
// day (the columns of its Stock declaration).
type member struct {
	ID       string `json:"id"`
	OrgID    string `json:"org_id"`
	OrgPath  string `json:"org_path"`
	ClientID string `json:"client_id"`
	Role     string `json:"role"`
}

// members returns the memberships of the subtree standing at the end of
// the day: joined by then, not left by then, of a live client.
func (tx *Tx) members(ctx context.Context, path string, on time.Time) ([]byte, error) {
	rows, err := tx.QueryContext(ctx, `SELECT m.id, m.org_id, m.org_path, m.client_id, m.role FROM memberships m JOIN clients c ON c.id = m.client_id
		WHERE m.org_path >= $1 AND m.org_path < $2 AND m.joined_on <= $3 AND (m.left_on IS NULL OR m.left_on > $3) AND c.voided_at IS NULL
		ORDER BY m.id`, path, pathEnd(path), on)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	defer rows.Close()
	out := []member{}
	for rows.Next() {
		var x member
		if err := rows.Scan(&x.ID, &x.OrgID, &x.OrgPath, &x.ClientID, &x.Role); err != nil {
			return nil, fmt.Errorf("members: %w", err)
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	return b, nil
}
