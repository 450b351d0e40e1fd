package caunoi

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// Kinds of DHIS2 mapping.
const (
	DHIS2Indicator = "indicator" // an indicator code → a data element
	DHIS2Org       = "org"       // an organisation id → an org unit
)

// DHIS2Mapping names the DHIS2 object an indicator or an organisation is
// sent as: a data element (with its category option combo, if not the
// default) or an org unit.
type DHIS2Mapping struct {
	Kind     string `json:"kind"`
	Key      string `json:"key"`
	DHIS2ID  string `json:"dhis2_id"`
	Category string `json:"category,omitempty"`
}

// dhis2UID is the shape of a DHIS2 uid: a letter, then ten letters or
// digits.
var dhis2UID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{10}$`)

// Validate checks the mapping's own fields; an empty DHIS2ID removes a
// mapping.
func (m *DHIS2Mapping) Validate() error {
	var v Validator
	m.Key, m.DHIS2ID, m.Category = strings.TrimSpace(m.Key), strings.TrimSpace(m.DHIS2ID), strings.TrimSpace(m.Category)
	if m.Kind == DHIS2Indicator {
		m.Key = strings.ToUpper(m.Key)
	}
	v.Check(m.Kind == DHIS2Indicator || m.Kind == DHIS2Org, "kind", "err.field.choice", nil)
	v.Check(m.Key != "", "key", "err.field.required", nil)
	v.Check(m.DHIS2ID == "" || dhis2UID.MatchString(m.DHIS2ID), "dhis2_id", "err.dhis2.uid", nil)
	v.Check(m.Category == "" || (m.Kind == DHIS2Indicator && dhis2UID.MatchString(m.Category)), "category", "err.dhis2.uid", nil)
	return v.Err()
}

// DataValue is one value of a DHIS2 dataValueSets document.
type DataValue struct {
	DataElement         string `json:"dataElement"`
	Period              string `json:"period"`
	OrgUnit             string `json:"orgUnit"`
	CategoryOptionCombo string `json:"categoryOptionCombo,omitempty"`
	Value               string `json:"value"`
	Comment             string `json:"comment,omitempty"`
}

// DataValueSet is a DHIS2 dataValueSets document, as POST
// /api/dataValueSets takes it.
type DataValueSet struct {
	Period       string      `json:"period"`
	OrgUnit      string      `json:"orgUnit"`
	CompleteDate string      `json:"completeDate"`
	DataValues   []DataValue `json:"dataValues"`
}

// DHIS2Period returns DHIS2's code of a period: 202507, 2025Q3, 2025S1
// or 2025. A custom range has none (EINVALID on "period").
func DHIS2Period(p Period) (string, error) {
	y := p.Start.Year()
	switch p.Kind {
	case PeriodMonth:
		return p.Start.Format("200601"), nil
	case PeriodQuarter:
		return fmt.Sprintf("%dQ%d", y, (int(p.Start.Month())+2)/3), nil
	case PeriodHalf:
		return fmt.Sprintf("%dS%d", y, (int(p.Start.Month())+5)/6), nil
	case PeriodYear:
		return fmt.Sprint(y), nil
	}
	return "", Invalid(FieldError{Field: "period", Key: "err.dhis2.period"})
}

// DHIS2Service keeps the DHIS2 mapping and makes the export.
type DHIS2Service interface {
	// FindDHIS2Mappings lists the mapping. Needs report.read.
	FindDHIS2Mappings(ctx context.Context) ([]DHIS2Mapping, error)
	// SetDHIS2Mapping sets a mapping, or removes it when DHIS2ID is
	// empty. An indicator's needs monitoring.write on the national
	// department; an organisation's, on the organisation. The indicator or
	// organisation must exist.
	SetDHIS2Mapping(ctx context.Context, m *DHIS2Mapping) error
	// ExportDHIS2 returns the values of the indicators (every mapped one
	// when codes is empty) for an organisation and period as a
	// dataValueSets document. Nothing is exported when anything is
	// missing: EINVALID names an unmapped organisation or indicator, a
	// custom period, a ratio dividing by zero, or a value suppressed for
	// the actor.
	ExportDHIS2(ctx context.Context, orgID string, p Period, codes []string) (*DataValueSet, error)
}
