package caunoi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// CostActivities are what a unit-cost norm prices and a plan line budgets:
// the group activities, the outreach, and the pilot services of the norm
// framework (seed 004: psychosocial counselling, a hotline, shelter from
// violence, material and financial support to change work).
var CostActivities = []string{
	"group_meeting", "communication", "campaign", "training", "workshop", "health_check",
	"outreach", "counselling", "hotline", "shelter", "health_support", "legal_aid",
	"material_support", "livelihood_support", "peer_allowance", "management",
}

// CostUnits are what a norm's unit cost is for.
var CostUnits = []string{"case", "day", "session", "person", "month", "event", "item"}

// CostNorm is a unit-cost norm (định mức kinh tế - kỹ thuật) of a model:
// at most MaxUnitCost đồng per unit of an activity (400.000 đ per
// health-support case), and for some, at most MaxPerCase units per case
// (shelter: 5 days). Norms belong to an organisation — the national
// department's framework, or a province's own — and hold for plans of
// that organisation and below, in the years they are valid.
type CostNorm struct {
	ID          string     `json:"id"`
	OrgID       string     `json:"org_id"`
	OrgPath     string     `json:"-"`
	OrgName     string     `json:"org_name,omitempty"`
	Model       Model      `json:"model"`
	Activity    string     `json:"activity"`
	Unit        string     `json:"unit"`
	MaxUnitCost int64      `json:"max_unit_cost"`
	MaxPerCase  int        `json:"max_per_case,omitempty"`
	ValidFrom   Date       `json:"valid_from"`
	ValidTo     *time.Time `json:"valid_to,omitempty"`
	Notes       string     `json:"notes,omitempty"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	Voiding
}

// Validate checks the norm's own fields.
func (n *CostNorm) Validate() error {
	var v Validator
	checkID(&n.ID, &v)
	n.Notes = strings.TrimSpace(n.Notes)
	v.Check(n.OrgID != "", "org_id", "err.field.required", nil)
	v.Check(slices.Contains(Models, n.Model), "model", "err.field.choice", nil)
	v.Check(slices.Contains(CostActivities, n.Activity), "activity", "err.field.choice", nil)
	v.Check(slices.Contains(CostUnits, n.Unit), "unit", "err.field.choice", nil)
	checkAmount(&v, "max_unit_cost", n.MaxUnitCost)
	v.Check(n.MaxPerCase >= 0 && n.MaxPerCase <= 366, "max_per_case", "err.budget.max_per_case", nil)
	from := time.Time(n.ValidFrom)
	v.Check(!from.IsZero() && from.Year() >= 2000 && from.Year() <= 2100, "valid_from", "err.date.range", nil)
	v.Check(n.ValidTo == nil || n.ValidTo.After(from), "valid_to", "err.date.end_before_start", nil)
	v.Check(len([]rune(n.Notes)) <= 500, "notes", "err.field.too_long", map[string]any{"Max": 500})
	return v.Err()
}

// ValidIn reports whether the norm holds on some day of the year.
func (n *CostNorm) ValidIn(year int) bool {
	start := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(1, 0, 0)
	return time.Time(n.ValidFrom).Before(end) && (n.ValidTo == nil || !n.ValidTo.Before(start))
}

// BudgetPlan is an organisation's annual plan for one model: activities ×
// quantities × unit costs within the norms.
type BudgetPlan struct {
	ID        string       `json:"id"`
	OrgID     string       `json:"org_id"`
	OrgPath   string       `json:"-"`
	OrgName   string       `json:"org_name,omitempty"`
	Model     Model        `json:"model"`
	Year      int          `json:"year"`
	Title     string       `json:"title"`
	Source    string       `json:"source"` // funding_source: donor, central, local, charity
	Lines     []BudgetLine `json:"lines"`
	Planned   int64        `json:"planned"` // the lines' amounts
	Spent     int64        `json:"spent"`   // live expenditures
	Version   int          `json:"version"`
	CreatedBy string       `json:"created_by,omitempty"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
	Voiding
}

// Validate checks the plan's own fields and its lines.
func (p *BudgetPlan) Validate() error {
	var v Validator
	checkID(&p.ID, &v)
	p.Title = strings.TrimSpace(p.Title)
	v.Check(p.OrgID != "", "org_id", "err.field.required", nil)
	v.Check(slices.Contains(Models, p.Model), "model", "err.field.choice", nil)
	v.Check(p.Year >= 2000 && p.Year <= 2100, "year", "err.budget.year", nil)
	v.Check(p.Title != "" && len([]rune(p.Title)) <= 200, "title", "err.field.required_short", map[string]any{"Max": 200})
	v.Check(slices.Contains(FundingSources, p.Source), "source", "err.fund.source", nil)
	v.Check(len(p.Lines) <= 200, "lines", "err.budget.too_many_lines", map[string]any{"Max": 200})
	for i := range p.Lines {
		p.Lines[i].check(&v)
	}
	return v.Err()
}

// BudgetLine is one activity of a plan: Quantity units at UnitCost, within
// the norm NormID. Cases counts the cases when the norm bounds units per
// case (shelter: days per stay).
type BudgetLine struct {
	ID       string `json:"id"`
	PlanID   string `json:"plan_id"`
	Activity string `json:"activity"`
	NormID   string `json:"norm_id"`
	Unit     string `json:"unit"`
	Quantity int    `json:"quantity"`
	Cases    int    `json:"cases,omitempty"`
	UnitCost int64  `json:"unit_cost"`
	Amount   int64  `json:"amount"` // Quantity × UnitCost
	Notes    string `json:"notes,omitempty"`
	// Spent sums the line's live expenditures.
	Spent int64 `json:"spent"`
}

func (l *BudgetLine) check(v *Validator) {
	checkID(&l.ID, v)
	l.Notes = strings.TrimSpace(l.Notes)
	v.Check(slices.Contains(CostActivities, l.Activity), "activity", "err.field.choice", nil)
	v.Check(l.Quantity > 0 && l.Quantity <= 1_000_000, "quantity", "err.budget.quantity", nil)
	v.Check(l.Cases >= 0 && l.Cases <= 1_000_000, "cases", "err.budget.quantity", nil)
	checkAmount(v, "unit_cost", l.UnitCost)
	v.Check(len([]rune(l.Notes)) <= 500, "notes", "err.field.too_long", map[string]any{"Max": 500})
	if l.UnitCost > 0 && l.UnitCost <= MaxAmount && l.Quantity > 0 && l.Quantity <= 1_000_000 {
		l.Amount = l.UnitCost * int64(l.Quantity)
		v.Check(l.Amount <= MaxAmount, "quantity", "err.money.too_large", map[string]any{"Max": MaxAmount})
	}
}

// Validate checks a line on its own (a line added to a plan).
func (l *BudgetLine) Validate() error {
	var v Validator
	l.check(&v)
	return v.Err()
}

// Expenditure is money spent against a plan line. Spending beyond the
// line's amount needs an override reason.
type Expenditure struct {
	ID             string    `json:"id"`
	PlanID         string    `json:"plan_id"`
	LineID         string    `json:"line_id"`
	OrgPath        string    `json:"-"`
	SpentOn        Date      `json:"spent_on"`
	Amount         int64     `json:"amount"`
	Quantity       int       `json:"quantity,omitempty"`
	Description    string    `json:"description"`
	OverrideReason string    `json:"override_reason,omitempty"`
	Version        int       `json:"version"`
	RecordedBy     string    `json:"recorded_by,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	Voiding
}

// Validate checks the expenditure's own fields.
func (e *Expenditure) Validate(now time.Time) error {
	var v Validator
	checkID(&e.ID, &v)
	e.Description, e.OverrideReason = strings.TrimSpace(e.Description), strings.TrimSpace(e.OverrideReason)
	v.Check(e.LineID != "", "line_id", "err.field.required", nil)
	checkDay(&v, "spent_on", time.Time(e.SpentOn), now)
	checkAmount(&v, "amount", e.Amount)
	v.Check(e.Quantity >= 0 && e.Quantity <= 1_000_000, "quantity", "err.budget.quantity", nil)
	v.Check(e.Description != "" && len([]rune(e.Description)) <= 500, "description", "err.field.required_short", map[string]any{"Max": 500})
	v.Check(len([]rune(e.OverrideReason)) <= 500, "override_reason", "err.field.too_long", map[string]any{"Max": 500})
	return v.Err()
}

// PlanActual is a plan against what was spent: per line and in all, with
// the people the organisation reached in the plan's year and what each
// cost.
type PlanActual struct {
	Plan         *BudgetPlan    `json:"plan"`
	Expenditures []*Expenditure `json:"expenditures"`
	// Reached counts distinct clients of the organisation's subtree met in
	// the year (contacts, named attendance and services given).
	Reached int `json:"reached"`
	// CostPerPerson is Spent / Reached, whole đồng (0 when nobody).
	CostPerPerson int64 `json:"cost_per_person"`
	// SpentBP is Spent / Planned, basis points.
	SpentBP int `json:"spent_bp"`
}

// NormFilter selects norms.
type NormFilter struct {
	Model    Model
	Activity string
	Year     int // valid in this year
	Page
}

// PlanFilter selects plans.
type PlanFilter struct {
	OrgID string
	Model Model
	Year  int
	Page
}

// BudgetService keeps unit-cost norms, annual plans and expenditures.
// Budgets are aggregate money: budget.read on an organisation reads its
// plans and those below it, and the norms that hold for it; budget.write
// plans and spends; norm.write sets norms.
type BudgetService interface {
	// FindNorms lists the norms that hold for the actor's organisations.
	FindNorms(ctx context.Context, f NormFilter) ([]*CostNorm, int, error)
	// CreateNorm sets a norm of an organisation on which the actor holds
	// norm.write. A repeated id is applied once.
	CreateNorm(ctx context.Context, n *CostNorm) error
	// VoidNorm voids a norm with a reason; lines already planned keep it.
	VoidNorm(ctx context.Context, id string, version int, reason string) (*CostNorm, error)
	// FindPlans lists the plans of the actor's budget.read scope.
	FindPlans(ctx context.Context, f PlanFilter) ([]*BudgetPlan, int, error)
	// CreatePlan makes a plan with its lines. Each line needs a norm of the
	// model for the activity, valid in the year, on the plan's organisation
	// or above it; a unit cost above the norm, or more units per case than
	// it allows, is EINVALID. A repeated id is applied once.
	CreatePlan(ctx context.Context, p *BudgetPlan) error
	// AddLine adds a line to a plan, checked like CreatePlan's.
	AddLine(ctx context.Context, planID string, version int, l *BudgetLine) (*BudgetPlan, error)
	// VoidPlan voids a plan with a reason.
	VoidPlan(ctx context.Context, id string, version int, reason string) (*BudgetPlan, error)
	// RecordExpenditure records money spent against a line of a plan; over
	// the line's amount it needs an override reason. A repeated id returns
	// the stored expenditure.
	RecordExpenditure(ctx context.Context, planID string, e *Expenditure) (*Expenditure, error)
	// VoidExpenditure voids an expenditure with a reason.
	VoidExpenditure(ctx context.Context, id string, version int, reason string) (*Expenditure, error)
	// PlanActual returns a plan against its expenditures, with the people
	// reached in its year and the cost per person.
	PlanActual(ctx context.Context, planID string) (*PlanActual, error)
}
