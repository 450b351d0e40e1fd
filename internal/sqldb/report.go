package sqldb

import (
	"context"

	"caunoi"
	"caunoi/internal/indicator"
)

// ReportService implements caunoi.ReportService over the indicator and
// target services.
type ReportService struct {
	Indicators *IndicatorService
	Targets    *TargetService
	db         *DB
}

// NewReportService returns the report service.
func NewReportService(db *DB) *ReportService {
	return &ReportService{Indicators: NewIndicatorService(db), Targets: NewTargetService(db), db: db}
}

var _ caunoi.ReportService = (*ReportService)(nil)

// Report makes the report of an organisation: its report indicators
// evaluated by the columns and breakdowns of its level, with the targets
// of the period.
func (s *ReportService) Report(ctx context.Context, q caunoi.ReportQuery) (*caunoi.Report, error) {
	a, err := caunoi.Require(ctx, caunoi.PermReportRead)
	if err != nil {
		return nil, err
	}
	if err := q.Period.Validate(); err != nil {
		return nil, err
	}
	root, err := NewOrgService(s.db).findForReport(ctx, q.OrgID)
	if err != nil {
		return nil, err
	}
	level, columns, breakdowns := indicator.ReportShape(root, a.CanAt(caunoi.PermClientRead, root.Path))
	v, err := s.Indicators.Evaluate(ctx, caunoi.ValueQuery{OrgID: root.ID, Period: q.Period, Shared: q.Shared,
		Groupings: indicator.ReportGroupings(columns, breakdowns)})
	if err != nil {
		return nil, err
	}
	ts, err := s.Targets.targetsFor(ctx, root.ID, q.Period)
	if err != nil {
		return nil, err
	}
	return indicator.BuildReport(v, root, level, columns, breakdowns, ts), nil
}

// findForReport returns an organisation in the actor's report.read scope.
func (s *OrgService) findForReport(ctx context.Context, id string) (*caunoi.Organisation, error) {
	if id == "" {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.field.required"})
	}
	var o *caunoi.Organisation
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		var err error
		o, err = tx.findOrg(ctx, id, caunoi.PermReportRead)
		return err
	})
	return o, err
}
