package sqldb

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"strings"

	"caunoi"
)

//go:embed data/admin_units.csv
var provincesCSV string

// AdminUnitService implements caunoi.AdminUnitService.
type AdminUnitService struct{ db *DB }

// NewAdminUnitService returns the administrative-unit service.
func NewAdminUnitService(db *DB) *AdminUnitService { return &AdminUnitService{db: db} }

var _ caunoi.AdminUnitService = (*AdminUnitService)(nil)

const unitCols = `code, name, level, COALESCE(parent_code, ''), valid_from, valid_to, COALESCE(successor_code, '')`

func scanUnit(sc scanner) (*caunoi.AdminUnit, error) {
	var u caunoi.AdminUnit
	var to sql.NullTime
	if err := sc.Scan(&u.Code, &u.Name, &u.Level, &u.ParentCode, &u.ValidFrom, &to, &u.SuccessorCode); err != nil {
		return nil, err
	}
	u.ValidFrom = u.ValidFrom.UTC()
	u.ValidTo = timePtr(to)
	return &u, nil
}

// FindAdminUnits lists units by code.
func (s *AdminUnitService) FindAdminUnits(ctx context.Context, f caunoi.AdminUnitFilter) ([]*caunoi.AdminUnit, int, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermUnitRead); err != nil {
		return nil, 0, err
	}
	var units []*caunoi.AdminUnit
	var total int
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		var where query
		where.add(" WHERE 1=1")
		if f.Level != "" {
			where.add(" AND level = ", where.arg(f.Level))
		}
		if f.ParentCode != "" {
			where.add(" AND parent_code = ", where.arg(f.ParentCode))
		}
		if q := caunoi.Fold(f.Query); q != "" {
			where.add(" AND (name_search LIKE ", where.arg(likeArg(q)), ` ESCAPE '\' OR code = `, where.arg(f.Query), ")")
		}
		if f.On != nil {
			d := dateParam(f.On)
			where.add(" AND valid_from <= ", where.arg(d), " AND (valid_to IS NULL OR valid_to >= ", where.arg(d), ")")
		}
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM admin_units"+where.String(), where.args...).Scan(&total); err != nil {
			return fmt.Errorf("count admin units: %w", err)
		}
		q := query{args: where.args}
		q.add("SELECT ", unitCols, " FROM admin_units", where.String(), " ORDER BY level DESC, valid_to IS NOT NULL, code")
		q.page(f.Page)
		rows, err := tx.QueryContext(ctx, q.String(), q.args...)
		if err != nil {
			return fmt.Errorf("find admin units: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUnit(rows)
			if err != nil {
				return fmt.Errorf("scan admin unit: %w", err)
			}
			units = append(units, u)
		}
		return rows.Err()
	})
	return units, total, err
}

// FindAdminUnitByCode returns one unit.
func (s *AdminUnitService) FindAdminUnitByCode(ctx context.Context, code string) (*caunoi.AdminUnit, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermUnitRead); err != nil {
		return nil, err
	}
	var u *caunoi.AdminUnit
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		var err error
		u, err = scanUnit(tx.QueryRowContext(ctx, "SELECT "+unitCols+" FROM admin_units WHERE code = $1", code))
		return notFound(err, "admin_unit")
	})
	return u, err
}

// ImportAdminUnits checks every row against the stored units and the file
// itself, then stores the good rows in one transaction (see the interface).
// A parent must be a province; a successor must exist in the store or the
// file. Rows are stored parents first.
func (s *AdminUnitService) ImportAdminUnits(ctx context.Context, rows []caunoi.AdminUnitRow, opts caunoi.ImportOptions) (*caunoi.ImportResult, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermUnitWrite); err != nil {
		return nil, err
	}
	res := &caunoi.ImportResult{Rows: len(rows) + countRows(opts.Errors), Errors: append([]caunoi.RowError(nil), opts.Errors...)}
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		levels := map[string]string{} // code → level, stored or in the file
		r, err := tx.QueryContext(ctx, "SELECT code, level FROM admin_units")
		if err != nil {
			return fmt.Errorf("import admin units: %w", err)
		}
		for r.Next() {
			var c, l string
			if err := r.Scan(&c, &l); err != nil {
				r.Close()
				return fmt.Errorf("import admin units: %w", err)
			}
			levels[c] = l
		}
		r.Close()
		stored := map[string]bool{}
		for c := range levels {
			stored[c] = true
		}
		seen := map[string]int{}
		for _, row := range rows {
			if prev, dup := seen[row.Unit.Code]; dup {
				res.Errors = append(res.Errors, caunoi.RowError{Row: row.Row, Field: "code", Key: "err.csv.duplicate", Args: map[string]any{"Other": prev}})
				continue
			}
			seen[row.Unit.Code] = row.Row
			levels[row.Unit.Code] = row.Unit.Level
		}
		var good []caunoi.AdminUnitRow
		for _, row := range rows {
			u := row.Unit
			if seen[u.Code] != row.Row {
				continue
			}
			ok := true
			if u.ParentCode != "" && levels[u.ParentCode] != caunoi.LevelProvince {
				res.Errors = append(res.Errors, caunoi.RowError{Row: row.Row, Field: "parent_code", Key: "err.unit.parent_unknown", Args: map[string]any{"Code": u.ParentCode}})
				ok = false
			}
			if u.SuccessorCode != "" && levels[u.SuccessorCode] != u.Level {
				res.Errors = append(res.Errors, caunoi.RowError{Row: row.Row, Field: "successor_code", Key: "err.unit.successor_unknown", Args: map[string]any{"Code": u.SuccessorCode}})
				ok = false
			}
			if ok {
				good = append(good, row)
			}
		}
		sortRowErrors(res.Errors)
		if opts.DryRun || (len(res.Errors) > 0 && !opts.KeepGood) {
			return nil
		}
		// Parents and successors first: a unit is written once the units it
		// refers to are stored.
		pending := good
		for len(pending) > 0 {
			var later []caunoi.AdminUnitRow
			for _, row := range pending {
				u := row.Unit
				if (u.ParentCode != "" && !stored[u.ParentCode]) || (u.SuccessorCode != "" && !stored[u.SuccessorCode]) {
					later = append(later, row)
					continue
				}
				n, err := upsertUnit(ctx, tx, u)
				if err != nil {
					return err
				}
				stored[u.Code] = true
				res.Imported += n
			}
			if len(later) == len(pending) {
				for _, row := range later {
					res.Errors = append(res.Errors, caunoi.RowError{Row: row.Row, Field: "successor_code", Key: "err.unit.successor_cycle"})
				}
				sortRowErrors(res.Errors)
				if !opts.KeepGood {
					res.Imported = 0
					return errRollback
				}
				break
			}
			pending = later
		}
		return tx.audit(caunoi.ActionImport, "admin_unit", "", "", nil, map[string]int{"rows": res.Rows, "imported": res.Imported}, "")
	})
	if err != nil && err != errRollback {
		return nil, err
	}
	return res, nil
}

// errRollback ends a transaction without storing anything and without an
// error for the caller.
var errRollback = errors.New("rollback")

// upsertUnit inserts a unit or updates a changed one; it returns 1 when a
// row was written.
func upsertUnit(ctx context.Context, tx *Tx, u *caunoi.AdminUnit) (int, error) {
	old, err := scanUnit(tx.QueryRowContext(ctx, "SELECT "+unitCols+" FROM admin_units WHERE code = $1", u.Code))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, `INSERT INTO admin_units (code, name, name_search, level, parent_code, valid_from, valid_to, successor_code)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			u.Code, u.Name, caunoi.Fold(u.Name), u.Level, nullStr(u.ParentCode), dateParam(&u.ValidFrom), dateParam(u.ValidTo), nullStr(u.SuccessorCode))
		if err != nil {
			return 0, fmt.Errorf("insert admin unit %s: %w", u.Code, err)
		}
		return 1, nil
	case err != nil:
		return 0, fmt.Errorf("import admin unit %s: %w", u.Code, err)
	}
	if sameUnit(old, u) {
		return 0, nil
	}
	_, err = tx.ExecContext(ctx, `UPDATE admin_units SET name = $2, name_search = $3, level = $4, parent_code = $5, valid_from = $6, valid_to = $7, successor_code = $8 WHERE code = $1`,
		u.Code, u.Name, caunoi.Fold(u.Name), u.Level, nullStr(u.ParentCode), dateParam(&u.ValidFrom), dateParam(u.ValidTo), nullStr(u.SuccessorCode))
	if err != nil {
		return 0, fmt.Errorf("update admin unit %s: %w", u.Code, err)
	}
	if err := tx.audit(caunoi.ActionUpdate, "admin_unit", u.Code, "", old, u, ""); err != nil {
		return 0, err
	}
	return 1, nil
}

func sameUnit(a, b *caunoi.AdminUnit) bool {
	sameTo := (a.ValidTo == nil) == (b.ValidTo == nil) && (a.ValidTo == nil || a.ValidTo.Equal(*b.ValidTo))
	return a.Name == b.Name && a.Level == b.Level && a.ParentCode == b.ParentCode &&
		a.ValidFrom.Equal(b.ValidFrom) && sameTo && a.SuccessorCode == b.SuccessorCode
}

// countRows counts the distinct rows named by row errors.
func countRows(errs []caunoi.RowError) int {
	seen := map[int]bool{}
	for _, e := range errs {
		seen[e.Row] = true
	}
	return len(seen)
}

func sortRowErrors(errs []caunoi.RowError) {
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && errs[j].Row < errs[j-1].Row; j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}

// SeedProvinces loads the shipped provincial units (data/admin_units.csv,
// sources in data/SOURCES.md) if the table is empty. It runs as the
// system actor after migrations.
func SeedProvinces(ctx context.Context, db *DB) error {
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM admin_units").Scan(&n); err != nil {
		return fmt.Errorf("seed provinces: %w", err)
	}
	if n > 0 {
		return nil
	}
	rows, rowErrs, err := caunoi.ParseAdminUnitCSV(strings.NewReader(provincesCSV))
	if err != nil {
		return fmt.Errorf("seed provinces: %w", err)
	}
	if len(rowErrs) > 0 {
		return fmt.Errorf("seed provinces: bad row %d", rowErrs[0].Row)
	}
	ctx = caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
	res, err := NewAdminUnitService(db).ImportAdminUnits(ctx, rows, caunoi.ImportOptions{})
	if err != nil {
		return fmt.Errorf("seed provinces: %w", err)
	}
	if len(res.Errors) > 0 {
		return fmt.Errorf("seed provinces: row %d: %s", res.Errors[0].Row, res.Errors[0].Key)
	}
	return nil
}
