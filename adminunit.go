package caunoi

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"time"
)

// Levels of administrative units. Since 1 July 2025 Vietnam has two levels:
// 34 provinces and 3,321 communes (wards and special zones included).
const (
	LevelProvince = "province"
	LevelCommune  = "commune"
)

// DateLayout is the ISO layout of dates in the database, files and the API.
const DateLayout = "2006-01-02"

// AdminUnit is an administrative unit as data: units change, so each has
// the dates it was valid and, once gone, the unit that succeeded it.
type AdminUnit struct {
	Code          string     `json:"code"`
	Name          string     `json:"name"`
	Level         string     `json:"level"`
	ParentCode    string     `json:"parent_code,omitempty"`
	ValidFrom     time.Time  `json:"valid_from"`
	ValidTo       *time.Time `json:"valid_to,omitempty"`
	SuccessorCode string     `json:"successor_code,omitempty"`
}

// ValidOn reports whether the unit was in force on the day d.
func (u *AdminUnit) ValidOn(d time.Time) bool {
	if d.Before(u.ValidFrom) {
		return false
	}
	return u.ValidTo == nil || !d.After(*u.ValidTo)
}

// Validate checks the unit on its own; references to other units are
// checked by the storage layer.
func (u *AdminUnit) Validate() error {
	var v Validator
	u.Code = strings.TrimSpace(u.Code)
	u.Name = strings.TrimSpace(u.Name)
	v.Check(u.Code != "" && len(u.Code) <= 20, "code", "err.unit.code", nil)
	v.Check(u.Name != "" && len([]rune(u.Name)) <= 200, "name", "err.field.required_short", map[string]any{"Max": 200})
	v.Check(u.Level == LevelProvince || u.Level == LevelCommune, "level", "err.unit.level", nil)
	v.Check(u.Level != LevelCommune || u.ParentCode != "", "parent_code", "err.unit.parent_required", nil)
	v.Check(u.Level != LevelProvince || u.ParentCode == "", "parent_code", "err.unit.province_no_parent", nil)
	v.Check(!u.ValidFrom.IsZero(), "valid_from", "err.date.required", nil)
	v.Check(u.ValidTo == nil || !u.ValidTo.Before(u.ValidFrom), "valid_to", "err.date.end_before_start", nil)
	v.Check(u.SuccessorCode == "" || u.ValidTo != nil, "successor_code", "err.unit.successor_needs_end", nil)
	v.Check(u.SuccessorCode != u.Code, "successor_code", "err.unit.successor_self", nil)
	return v.Err()
}

// AdminUnitFilter selects administrative units.
type AdminUnitFilter struct {
	Level      string
	ParentCode string
	Query      string     // part of the name, without regard to case or diacritics
	On         *time.Time // only units valid on that day; nil for all
	Page
}

// RowError is a problem with one row of an imported file. Row counts from 1
// for the header, as a spreadsheet shows it.
type RowError struct {
	Row   int            `json:"row"`
	Field string         `json:"field"`
	Key   string         `json:"-"`
	Args  map[string]any `json:"-"`
}

// ImportResult tells what an import did.
type ImportResult struct {
	Rows     int        `json:"rows"`     // data rows read
	Imported int        `json:"imported"` // rows stored (new or changed)
	Skipped  int        `json:"skipped"`  // rows stored by an earlier import of the same file
	Errors   []RowError `json:"errors"`   // every bad row
}

// AdminUnitService reads and imports administrative units.
type AdminUnitService interface {
	// FindAdminUnits lists units. Any signed-in actor with admin_unit.read.
	FindAdminUnits(ctx context.Context, f AdminUnitFilter) ([]*AdminUnit, int, error)
	// FindAdminUnitByCode returns one unit or ENOTFOUND.
	FindAdminUnitByCode(ctx context.Context, code string) (*AdminUnit, error)
	// ImportAdminUnits checks the rows against the stored units and, unless
	// opts.DryRun, inserts or updates them in one transaction. Every bad row
	// is reported; unless opts.KeepGood, nothing is stored when any row is
	// bad. Needs admin_unit.write; EFORBIDDEN otherwise.
	ImportAdminUnits(ctx context.Context, rows []AdminUnitRow, opts ImportOptions) (*ImportResult, error)
}

// AdminUnitRow is a unit read from row Row of a file.
type AdminUnitRow struct {
	Row  int
	Unit *AdminUnit
}

// ImportOptions say how an import treats bad rows.
type ImportOptions struct {
	DryRun   bool // check only: the preview
	KeepGood bool // store the good rows even when some are bad
	// Errors found before the rows reached storage (while parsing); they
	// count as bad rows.
	Errors []RowError
}

// AdminUnitCSVHeader is the header an administrative-unit CSV file must have.
var AdminUnitCSVHeader = []string{"code", "name", "level", "parent_code", "valid_from", "valid_to", "successor_code"}

// MaxImportRows bounds the rows of one imported file.
const MaxImportRows = 100000

// ParseAdminUnitCSV reads administrative units from CSV with the header
// AdminUnitCSVHeader. It returns the good rows and an error per bad row;
// the error is for a file that cannot be read at all.
func ParseAdminUnitCSV(r io.Reader) (rows []AdminUnitRow, rowErrs []RowError, err error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, nil, Errorf(EINVALID, "err.csv.unreadable", nil)
	}
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\ufeff")
	}
	if len(head) != len(AdminUnitCSVHeader) {
		return nil, nil, Errorf(EINVALID, "err.csv.header", map[string]any{"Header": strings.Join(AdminUnitCSVHeader, ",")})
	}
	for i, h := range head {
		if strings.TrimSpace(strings.ToLower(h)) != AdminUnitCSVHeader[i] {
			return nil, nil, Errorf(EINVALID, "err.csv.header", map[string]any{"Header": strings.Join(AdminUnitCSVHeader, ",")})
		}
	}
	row := 1
	for {
		rec, rerr := cr.Read()
		if rerr == io.EOF {
			break
		}
		row++
		if row > MaxImportRows+1 {
			return nil, nil, Errorf(ETOOLARGE, "err.csv.too_many_rows", map[string]any{"Max": MaxImportRows})
		}
		if rerr != nil {
			var pe *csv.ParseError
			if errors.As(rerr, &pe) && pe.Err == csv.ErrFieldCount {
				rowErrs = append(rowErrs, RowError{Row: row, Key: "err.csv.field_count", Args: map[string]any{"Want": len(AdminUnitCSVHeader)}})
				continue
			}
			return nil, nil, Errorf(EINVALID, "err.csv.unreadable_at", map[string]any{"Row": row})
		}
		if len(rec) != len(AdminUnitCSVHeader) {
			rowErrs = append(rowErrs, RowError{Row: row, Key: "err.csv.field_count", Args: map[string]any{"Want": len(AdminUnitCSVHeader)}})
			continue
		}
		u := &AdminUnit{Code: rec[0], Name: rec[1], Level: strings.TrimSpace(rec[2]), ParentCode: strings.TrimSpace(rec[3]), SuccessorCode: strings.TrimSpace(rec[6])}
		bad := false
		if d, ok := parseDate(rec[4]); ok {
			u.ValidFrom = d
		} else {
			rowErrs = append(rowErrs, RowError{Row: row, Field: "valid_from", Key: "err.date.format"})
			bad = true
		}
		if s := strings.TrimSpace(rec[5]); s != "" {
			if d, ok := parseDate(s); ok {
				u.ValidTo = &d
			} else {
				rowErrs = append(rowErrs, RowError{Row: row, Field: "valid_to", Key: "err.date.format"})
				bad = true
			}
		}
		if !bad {
			if verr := u.Validate(); verr != nil {
				for _, f := range AsError(verr).Fields {
					rowErrs = append(rowErrs, RowError{Row: row, Field: f.Field, Key: f.Key, Args: f.Args})
				}
				bad = true
			}
		}
		if !bad {
			rows = append(rows, AdminUnitRow{Row: row, Unit: u})
		}
	}
	return rows, rowErrs, nil
}

// parseDate reads a date as yyyy-mm-dd or dd/mm/yyyy.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{DateLayout, "02/01/2006", "2/1/2006"} {
		if d, err := time.Parse(layout, s); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

// ParseDate reads a date typed by a user as dd/mm/yyyy or yyyy-mm-dd.
func ParseDate(s string) (time.Time, bool) { return parseDate(s) }
