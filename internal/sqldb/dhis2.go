package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"caunoi"
)

// DHIS2Service implements caunoi.DHIS2Service.
type DHIS2Service struct {
	db         *DB
	indicators *IndicatorService
}

// NewDHIS2Service returns the DHIS2 service.
func NewDHIS2Service(db *DB) *DHIS2Service {
	return &DHIS2Service{db: db, indicators: NewIndicatorService(db)}
}

var _ caunoi.DHIS2Service = (*DHIS2Service)(nil)

func (tx *Tx) dhis2Mappings(ctx context.Context) ([]caunoi.DHIS2Mapping, error) {
	rows, err := tx.QueryContext(ctx, "SELECT kind, key, dhis2_id, category FROM dhis2_mappings ORDER BY kind, key")
	if err != nil {
		return nil, fmt.Errorf("dhis2 mappings: %w", err)
	}
	defer rows.Close()
	out := []caunoi.DHIS2Mapping{}
	for rows.Next() {
		var m caunoi.DHIS2Mapping
		if err := rows.Scan(&m.Kind, &m.Key, &m.DHIS2ID, &m.Category); err != nil {
			return nil, fmt.Errorf("dhis2 mappings: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// FindDHIS2Mappings lists the mapping: indicators, then organisations.
func (s *DHIS2Service) FindDHIS2Mappings(ctx context.Context) ([]caunoi.DHIS2Mapping, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermReportRead); err != nil {
		return nil, err
	}
	var out []caunoi.DHIS2Mapping
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		var err error
		out, err = tx.dhis2Mappings(ctx)
		return err
	})
	return out, err
}

// SetDHIS2Mapping sets or removes a mapping, audited.
func (s *DHIS2Service) SetDHIS2Mapping(ctx context.Context, m *caunoi.DHIS2Mapping) error {
	a, err := caunoi.Require(ctx, caunoi.PermMonitorWrite)
	if err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		path := ""
		switch m.Kind {
		case caunoi.DHIS2Indicator:
			// Data elements are the nation's: set on the national level.
			national := a.System
			for _, g := range a.Grants {
				national = national || (g.Role.Has(caunoi.PermMonitorWrite) && strings.Count(g.OrgPath, "/") == 2)
			}
			if !national {
				return caunoi.Errorf(caunoi.EFORBIDDEN, "err.dhis2.national_only", nil)
			}
			set, err := tx.visibleSet(ctx)
			if err != nil {
				return err
			}
			if ind := set[m.Key]; ind == nil || ind.Voided() {
				return caunoi.Invalid(caunoi.FieldError{Field: "key", Key: "err.indicator.unknown", Args: map[string]any{"Code": m.Key}})
			}
		case caunoi.DHIS2Org:
			o, err := tx.findOrg(ctx, m.Key, caunoi.PermMonitorWrite)
			if err != nil {
				if caunoi.ErrorCode(err) == caunoi.ENOTFOUND {
					return caunoi.Invalid(caunoi.FieldError{Field: "key", Key: "err.org.not_in_scope"})
				}
				return err
			}
			path = o.Path
		}
		if m.DHIS2ID == "" {
			if _, err := tx.ExecContext(ctx, "DELETE FROM dhis2_mappings WHERE kind = $1 AND key = $2", m.Kind, m.Key); err != nil {
				return fmt.Errorf("dhis2 mapping: %w", err)
			}
			return tx.audit(caunoi.ActionVoid, "dhis2_mapping", m.Kind+":"+m.Key, path, nil, m, "")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO dhis2_mappings (kind, key, dhis2_id, category, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (kind, key) DO UPDATE SET dhis2_id = excluded.dhis2_id, category = excluded.category, updated_by = excluded.updated_by,
			updated_at = excluded.updated_at`, m.Kind, m.Key, m.DHIS2ID, m.Category, tx.actor.UserID, tx.now); err != nil {
			return fmt.Errorf("dhis2 mapping: %w", err)
		}
		return tx.audit(caunoi.ActionUpdate, "dhis2_mapping", m.Kind+":"+m.Key, path, nil, m, "")
	})
}

// ExportDHIS2 makes the dataValueSets document of an organisation and
// period, all of it or nothing.
func (s *DHIS2Service) ExportDHIS2(ctx context.Context, orgID string, p caunoi.Period, codes []string) (*caunoi.DataValueSet, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermReportRead); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	period, err := caunoi.DHIS2Period(p)
	if err != nil {
		return nil, err
	}
	maps, err := s.FindDHIS2Mappings(ctx)
	if err != nil {
		return nil, err
	}
	elements, units := map[string]caunoi.DHIS2Mapping{}, map[string]string{}
	var mapped []string
	for _, m := range maps {
		if m.Kind == caunoi.DHIS2Indicator {
			elements[m.Key] = m
			mapped = append(mapped, m.Key)
		} else {
			units[m.Key] = m.DHIS2ID
		}
	}
	var v caunoi.Validator
	unit := units[orgID]
	v.Check(unit != "", "org_id", "err.dhis2.org_unmapped", nil)
	if len(codes) == 0 {
		codes = mapped
		v.Check(len(codes) > 0, "indicators", "err.dhis2.nothing_mapped", nil)
	}
	var missing []string
	for i, c := range codes {
		codes[i] = strings.ToUpper(strings.TrimSpace(c))
		if _, ok := elements[codes[i]]; !ok {
			missing = append(missing, codes[i])
		}
	}
	if len(missing) > 0 {
		v.Add("indicators", "err.dhis2.indicator_unmapped", map[string]any{"Codes": strings.Join(missing, ", ")})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	vals, err := s.indicators.Evaluate(ctx, caunoi.ValueQuery{OrgID: orgID, Period: p, Indicators: codes})
	if err != nil {
		return nil, err
	}
	out := &caunoi.DataValueSet{Period: period, OrgUnit: unit, CompleteDate: caunoi.Today().Format(caunoi.DateLayout), DataValues: []caunoi.DataValue{}}
	var undefined, hidden []string
	for _, code := range codes {
		c := vals.Total(code)
		switch {
		case c.Undefined:
			undefined = append(undefined, code)
			continue
		case c.Suppressed:
			hidden = append(hidden, code)
			continue
		}
		e := elements[code]
		out.DataValues = append(out.DataValues, caunoi.DataValue{DataElement: e.DHIS2ID, Period: period, OrgUnit: unit, CategoryOptionCombo: e.Category,
			Value: dhis2Value(c.Value, vals.Indicators[code].Count == caunoi.CountRatio), Comment: code})
	}
	if len(undefined) > 0 {
		v.Add("indicators", "err.dhis2.ratio_undefined", map[string]any{"Codes": strings.Join(undefined, ", ")})
	}
	if len(hidden) > 0 {
		v.Add("indicators", "err.dhis2.suppressed", map[string]any{"Codes": strings.Join(hidden, ", ")})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out.DataValues, func(a, b caunoi.DataValue) int { return strings.Compare(a.Comment, b.Comment) })
	return out, nil
}

// dhis2Value writes a value as DHIS2 reads it: whole numbers plainly, a
// ratio with two decimals.
func dhis2Value(v float64, ratio bool) string {
	if ratio {
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}
