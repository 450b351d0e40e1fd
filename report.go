package caunoi

import "context"

// Levels of a report, by the organisation it is made for.
const (
	ReportNational = "national" // columns per province
	ReportProvince = "province" // columns per model and per group
	ReportGroup    = "group"    // one group: totals and breakdowns
)

// ReportQuery asks for the report of an organisation for a period.
type ReportQuery struct {
	OrgID  string
	Period Period
	// Shared marks a report that leaves the organisation: small cells
	// are suppressed (see ValueQuery.Shared).
	Shared bool
}

// Report is the half-year or annual report of an organisation, in the
// layout a provincial department sends upward: every report indicator
// by section, with its total, target and achievement, one column per
// model and per group (per province for the national department), and
// tables broken down by sex, age band and population.
type Report struct {
	Org      *Organisation   `json:"org"`
	Period   Period          `json:"period"`
	Level    string          `json:"level"`
	Shared   bool            `json:"shared"`
	Columns  []ReportColumn  `json:"columns"`
	Sections []ReportSection `json:"sections"`
	// Breakdowns are the tables by sex, age band and population.
	Breakdowns []ReportBreakdown `json:"breakdowns"`
}

// ReportColumn is a column of a report: a model, a group or a province.
type ReportColumn struct {
	Dim   string `json:"dim"`
	Key   string `json:"key"`
	Label string `json:"label,omitempty"` // the name of a group or province
}

// ReportSection is a section of a report (outreach, group activities…).
type ReportSection struct {
	Key  string      `json:"key"`
	Rows []ReportRow `json:"rows"`
}

// ReportRow is one indicator of a report.
type ReportRow struct {
	Indicator *Indicator `json:"indicator"`
	Total     *Cell      `json:"total"`
	// Target for the organisation and period, and the achievement in
	// percent; nil without a target.
	Target      *float64 `json:"target,omitempty"`
	Achievement *float64 `json:"achievement,omitempty"`
	// Cells follow Columns; nil where the indicator cannot be broken
	// down by the column's dimension.
	Cells []*Cell `json:"cells"`
	// Targets per column, where one is set.
	Targets []*float64 `json:"targets,omitempty"`
}

// ReportBreakdown is a table of indicators broken down by one dimension.
type ReportBreakdown struct {
	Dim  string         `json:"dim"`
	Keys []string       `json:"keys"`
	Rows []BreakdownRow `json:"rows"`
}

// BreakdownRow is an indicator's cells in a breakdown, following Keys.
type BreakdownRow struct {
	Indicator *Indicator `json:"indicator"`
	Total     *Cell      `json:"total"`
	Cells     []*Cell    `json:"cells"`
}

// ReportService makes reports from the indicators and targets.
type ReportService interface {
	// Report makes the report of an organisation in the actor's
	// report.read scope. Actors without client.read there get a shared
	// report without columns per group.
	Report(ctx context.Context, q ReportQuery) (*Report, error)
}
