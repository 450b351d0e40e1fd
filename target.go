package caunoi

import (
	"context"
	"math"
	"slices"
	"time"
)

// Target is what an organisation plans to reach for an indicator in a
// period, for all its models or for one.
type Target struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	OrgPath   string    `json:"-"`
	Indicator string    `json:"indicator"`
	Model     Model     `json:"model,omitempty"` // "" for every model
	Period    Period    `json:"period"`
	Value     float64   `json:"value"`
	Version   int       `json:"version"`
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Voiding
}

// Validate checks the target's own fields.
func (t *Target) Validate() error {
	var v Validator
	checkID(&t.ID, &v)
	v.Check(t.OrgID != "", "org_id", "err.field.required", nil)
	v.Check(t.Indicator != "", "indicator", "err.field.required", nil)
	v.Check(t.Model == "" || slices.Contains(Models, t.Model), "model", "err.field.choice", nil)
	v.Check(t.Value >= 0 && t.Value <= 1e12 && !math.IsNaN(t.Value), "value", "err.target.value", nil)
	v.Check(t.Period.Kind != PeriodCustom, "period", "err.target.period_kind", nil)
	if err := t.Period.Validate(); err != nil {
		for _, f := range AsError(err).Fields {
			v.Add(f.Field, f.Key, f.Args)
		}
	}
	return v.Err()
}

// Achievement returns value / target as a percentage, and false when there
// is no target to reach (zero).
func Achievement(value, target float64) (float64, bool) {
	if target <= 0 {
		return 0, false
	}
	return 100 * value / target, true
}

// TargetFilter selects targets.
type TargetFilter struct {
	OrgID     string // the organisation's subtree
	Indicator string
	Period    *Period // targets of exactly this period
	Page
}

// TargetService keeps targets per organisation, model and period.
type TargetService interface {
	// FindTargets lists live targets in the actor's report.read scope.
	FindTargets(ctx context.Context, f TargetFilter) ([]*Target, int, error)
	// SetTarget creates the target of (organisation, indicator, model,
	// period), or changes its value when it exists: Version must then be
	// the one the user saw (ECONFLICT when stale). Needs monitoring.write
	// on the organisation; the indicator must exist.
	SetTarget(ctx context.Context, t *Target) error
	// VoidTarget voids a target with a reason.
	VoidTarget(ctx context.Context, id string, version int, reason string) (*Target, error)
}
