package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"caunoi"
	"caunoi/internal/indicator"
)

// IndicatorService implements caunoi.IndicatorService.
type IndicatorService struct {
	db *DB
	// Raw makes Evaluate count from the records only, never from the
	// rollups (tests compare both).
	Raw bool
	// NoCounts makes Evaluate read the rollup by client where it would
	// read the count rollup (tests and benchmarks compare both).
	NoCounts bool
}

// NewIndicatorService returns the indicator service.
func NewIndicatorService(db *DB) *IndicatorService { return &IndicatorService{db: db} }

var _ caunoi.IndicatorService = (*IndicatorService)(nil)

// indicatorDef is what the definition column holds: the definition without
// its bookkeeping.
type indicatorDef struct {
	caunoi.Indicator
	BuiltIn   bool       `json:"built_in,omitempty"`
	OrgID     string     `json:"org_id,omitempty"`
	Version   int        `json:"version,omitempty"`
	CreatedBy string     `json:"created_by,omitempty"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
	VoidedAt  *time.Time `json:"voided_at,omitempty"`
}

const indicatorCols = `i.id, i.code, i.org_id, i.org_path, i.definition, i.version, i.created_by, i.created_at, i.voided_at, i.voided_by, i.void_reason`

func scanIndicator(sc scanner) (*caunoi.Indicator, string, error) {
	var id, code, orgID, path, def, by, vby, vreason string
	var version int
	var created time.Time
	var voided sql.NullTime
	if err := sc.Scan(&id, &code, &orgID, &path, &def, &version, &by, &created, &voided, &vby, &vreason); err != nil {
		return nil, "", err
	}
	var d indicatorDef
	if err := json.Unmarshal([]byte(def), &d); err != nil {
		return nil, "", fmt.Errorf("indicator %s: %w", code, err)
	}
	ind := d.Indicator
	created = created.UTC()
	ind.Code, ind.OrgID, ind.OrgPath, ind.Version, ind.CreatedBy, ind.CreatedAt = code, orgID, path, version, by, &created
	ind.VoidedAt, ind.VoidedBy, ind.VoidReason = timePtr(voided), vby, vreason
	ind.BuiltIn = false
	return &ind, id, nil
}

// visibleTo reports whether the actor sees a definition: the catalogue's,
// and user-defined ones of organisations in or above its report.read
// scope.
func visibleTo(a *caunoi.Actor, ind *caunoi.Indicator) bool {
	if ind.BuiltIn || a.System {
		return true
	}
	for _, p := range a.ScopePaths(caunoi.PermReportRead) {
		if strings.HasPrefix(p, ind.OrgPath) || strings.HasPrefix(ind.OrgPath, p) {
			return true
		}
	}
	return false
}

// visibleSet returns the definitions the transaction's actor sees.
func (tx *Tx) visibleSet(ctx context.Context) (map[string]*caunoi.Indicator, error) {
	set, err := tx.indicatorSet(ctx)
	if err != nil {
		return nil, err
	}
	for code, ind := range set {
		if !visibleTo(tx.actor, ind) {
			delete(set, code)
		}
	}
	return set, nil
}

// indicatorSet returns the catalogue and every user-defined indicator
// (voided ones too, which Closure refuses), by code.
func (tx *Tx) indicatorSet(ctx context.Context) (map[string]*caunoi.Indicator, error) {
	return indicatorSet(ctx, tx.Tx)
}

// indicatorSet reads the catalogue and every user-defined indicator.
func indicatorSet(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[string]*caunoi.Indicator, error) {
	set := map[string]*caunoi.Indicator{}
	for _, d := range indicator.Catalogue() {
		set[d.Code] = d
	}
	rows, err := q.QueryContext(ctx, "SELECT "+indicatorCols+" FROM indicators i ORDER BY i.code")
	if err != nil {
		return nil, fmt.Errorf("indicators: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		ind, _, err := scanIndicator(rows)
		if err != nil {
			return nil, fmt.Errorf("indicators: %w", err)
		}
		set[ind.Code] = ind
	}
	return set, rows.Err()
}

// FindIndicators lists the catalogue, then the live user-defined
// indicators by code.
func (s *IndicatorService) FindIndicators(ctx context.Context) ([]*caunoi.Indicator, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermReportRead); err != nil {
		return nil, err
	}
	out := indicator.Catalogue()
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		set, err := tx.visibleSet(ctx)
		if err != nil {
			return err
		}
		var user []*caunoi.Indicator
		for _, ind := range set {
			if !ind.BuiltIn && !ind.Voided() {
				user = append(user, ind)
			}
		}
		slices.SortFunc(user, func(a, b *caunoi.Indicator) int { return strings.Compare(a.Code, b.Code) })
		out = append(out, user...)
		return nil
	})
	return out, err
}

// FindIndicator returns one indicator by code.
func (s *IndicatorService) FindIndicator(ctx context.Context, code string) (*caunoi.Indicator, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermReportRead); err != nil {
		return nil, err
	}
	var out *caunoi.Indicator
	err := s.db.inTx(ctx, false, func(tx *Tx) error {
		set, err := tx.visibleSet(ctx)
		if err != nil {
			return err
		}
		if out = set[strings.ToUpper(strings.TrimSpace(code))]; out == nil {
			return caunoi.NotFound("indicator")
		}
		return nil
	})
	return out, err
}

// CreateIndicator stores a user-defined indicator after checking it
// against the whole set; a repeated id returns the stored one.
func (s *IndicatorService) CreateIndicator(ctx context.Context, ind *caunoi.Indicator) error {
	if _, err := caunoi.Require(ctx, caunoi.PermMonitorWrite); err != nil {
		return err
	}
	if err := ind.Validate(); err != nil {
		return err
	}
	return s.db.inTx(ctx, true, func(tx *Tx) error {
		o, err := tx.findOrg(ctx, ind.OrgID, caunoi.PermMonitorWrite)
		if err != nil {
			if caunoi.ErrorCode(err) == caunoi.ENOTFOUND {
				return caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.org.not_in_scope"})
			}
			return err
		}
		set, err := tx.indicatorSet(ctx)
		if err != nil {
			return err
		}
		if old := set[ind.Code]; old != nil {
			if !old.BuiltIn && old.OrgID == ind.OrgID && sameDefinition(old, ind) {
				*ind = *old // a repeated create
				return nil
			}
			return caunoi.Invalid(caunoi.FieldError{Field: "code", Key: "err.indicator.code_taken", Args: map[string]any{"Code": ind.Code}})
		}
		ind.BuiltIn, ind.OrgID, ind.OrgPath = false, o.ID, o.Path
		set[ind.Code] = ind
		if err := indicator.Check(ind, set); err != nil {
			return err
		}
		def, err := json.Marshal(indicatorDef{Indicator: *ind})
		if err != nil {
			return fmt.Errorf("indicator: %w", err)
		}
		now := tx.now
		ind.Version, ind.CreatedBy, ind.CreatedAt = 1, tx.actor.UserID, &now
		if _, err := tx.ExecContext(ctx, `INSERT INTO indicators (id, code, org_id, org_path, definition, version, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7)`, caunoi.NewID(), ind.Code, o.ID, o.Path, string(def), tx.actor.UserID, now); err != nil {
			return fmt.Errorf("insert indicator: %w", err)
		}
		return tx.audit(caunoi.ActionCreate, "indicator", ind.Code, o.Path, nil, ind, "")
	})
}

// sameDefinition reports whether two definitions count the same thing.
func sameDefinition(a, b *caunoi.Indicator) bool {
	x, _ := json.Marshal(indicatorDef{Indicator: stripMeta(*a)})
	y, _ := json.Marshal(indicatorDef{Indicator: stripMeta(*b)})
	return string(x) == string(y)
}

func stripMeta(i caunoi.Indicator) caunoi.Indicator {
	i.BuiltIn, i.OrgID, i.OrgPath, i.Version, i.CreatedBy, i.CreatedAt, i.Voiding = false, "", "", 0, "", nil, caunoi.Voiding{}
	return i
}

// VoidIndicator voids a user-defined indicator that no live one refers to.
func (s *IndicatorService) VoidIndicator(ctx context.Context, code string, version int, reason string) (*caunoi.Indicator, error) {
	if _, err := caunoi.Require(ctx, caunoi.PermMonitorWrite); err != nil {
		return nil, err
	}
	if err := caunoi.ValidateVoidReason(reason); err != nil {
		return nil, err
	}
	var out *caunoi.Indicator
	err := s.db.inTx(ctx, true, func(tx *Tx) error {
		var q query
		q.add("SELECT ", indicatorCols, " FROM indicators i WHERE i.code = ", q.arg(strings.ToUpper(strings.TrimSpace(code))), " AND ")
		if err := q.scope(tx.actor, caunoi.PermMonitorWrite, "i.org_path"); err != nil {
			return err
		}
		old, id, err := scanIndicator(tx.QueryRowContext(ctx, q.String(), q.args...))
		if err != nil {
			return notFound(err, "indicator")
		}
		if err := checkChangeable(old.Voiding, old.Version, version); err != nil {
			return err
		}
		set, err := tx.indicatorSet(ctx)
		if err != nil {
			return err
		}
		for _, other := range set {
			if !other.Voided() && slices.Contains(other.Refs(), old.Code) {
				return caunoi.Errorf(caunoi.ECONFLICT, "err.indicator.in_use", map[string]any{"Code": other.Code})
			}
		}
		next := *old
		if next.Voiding, err = tx.voidRow(ctx, "indicators", id, version, reason); err != nil {
			return err
		}
		next.Version = old.Version + 1
		out = &next
		return tx.audit(caunoi.ActionVoid, "indicator", old.Code, old.OrgPath, old, next, reason)
	})
	return out, err
}

// Evaluate computes indicator values for an organisation's subtree.
func (s *IndicatorService) Evaluate(ctx context.Context, q caunoi.ValueQuery) (*caunoi.Values, error) {
	a, err := caunoi.Require(ctx, caunoi.PermReportRead)
	if err != nil {
		return nil, err
	}
	if err := q.Period.Validate(); err != nil {
		return nil, err
	}
	if q.OrgID == "" {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: "org_id", Key: "err.field.required"})
	}
	if !s.Raw {
		if _, err := s.db.RefreshRollups(ctx); err != nil {
			return nil, err
		}
	}
	var plan *indicator.Plan
	err = s.db.inTx(ctx, false, func(tx *Tx) error {
		req, err := tx.valueRequest(ctx, a, q)
		if err != nil {
			return err
		}
		req.Raw = s.Raw
		if s.NoCounts {
			req.Counted = nil
		}
		if plan, err = indicator.NewPlan(*req); err != nil {
			return err
		}
		return tx.supplyStocks(ctx, req, plan)
	})
	if err != nil {
		return nil, err
	}
	if err := s.db.runPlan(ctx, plan); err != nil {
		return nil, err
	}
	return plan.Values(), nil
}

// queryWorkers bounds the queries of a plan run at once, each on its own
// connection of the read pool: the rollups of contacts and services are
// read side by side.
var queryWorkers = max(2, runtime.GOMAXPROCS(0))

// result is the rows one query of a plan answered.
type result struct {
	q    *indicator.Query
	keys [][]string
	vals [][]float64
	err  error
}

// runPlan runs a plan's queries, checked for the actor's scope when the
// plan was made (every query is limited to the organisation's subtree),
// a few at a time on the read pool, and feeds their rows to the plan.
func (db *DB) runPlan(ctx context.Context, plan *indicator.Plan) error {
	queries := plan.Queries()
	jobs := make(chan *indicator.Query)
	results := make(chan result)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range min(queryWorkers, len(queries)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := range jobs {
				results <- db.runQuery(ctx, q)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, q := range queries {
			select {
			case jobs <- q:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	var first error
	for r := range results {
		if r.err != nil {
			if first == nil {
				first = r.err
				cancel()
			}
			continue
		}
		for i := range r.keys {
			plan.Add(r.q, r.keys[i], r.vals[i])
		}
	}
	return first
}

// valueRequest checks a query against the actor's scope and fills the
// engine's request: the organisation, its subtree and ancestors, their
// provinces and models, and the set of indicators.
func (tx *Tx) valueRequest(ctx context.Context, a *caunoi.Actor, q caunoi.ValueQuery) (*indicator.Request, error) {
	root, err := tx.findOrg(ctx, q.OrgID, caunoi.PermReportRead)
	if err != nil {
		return nil, err
	}
	shared := q.Shared
	if !a.CanAt(caunoi.PermClientRead, root.Path) {
		// Aggregates only above the groups, always as shared.
		shared = true
		if root.Kind == caunoi.OrgGroup {
			return nil, caunoi.Errorf(caunoi.EFORBIDDEN, "err.indicator.group_needs_client_read", nil)
		}
		for _, g := range q.Groupings {
			if slices.Contains(g, caunoi.DimOrg) {
				return nil, caunoi.Errorf(caunoi.EFORBIDDEN, "err.indicator.group_needs_client_read", nil)
			}
		}
	}
	var w query
	w.add("SELECT ", orgCols, " FROM orgs o WHERE (o.path >= ", w.arg(root.Path), " AND o.path < ", w.arg(pathEnd(root.Path)), ")")
	if ids := strings.Split(strings.Trim(root.Path, "/"), "/"); len(ids) > 1 {
		w.add(" OR o.id IN (")
		for i, id := range ids[:len(ids)-1] {
			if i > 0 {
				w.add(", ")
			}
			w.add(w.arg(id))
		}
		w.add(")")
	}
	w.add(" ORDER BY o.path")
	rows, err := tx.QueryContext(ctx, w.String(), w.args...)
	if err != nil {
		return nil, fmt.Errorf("orgs: %w", err)
	}
	var orgs []*caunoi.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("orgs: %w", err)
		}
		orgs = append(orgs, o)
	}
	rows.Close()
	units, err := reportUnits(ctx, tx)
	if err != nil {
		return nil, err
	}
	set, err := tx.visibleSet(ctx)
	if err != nil {
		return nil, err
	}
	codes := q.Indicators
	if len(codes) == 0 {
		codes = ReportIndicators(set, root)
	}
	for i, c := range codes {
		codes[i] = strings.ToUpper(strings.TrimSpace(c))
	}
	spanning := map[string]bool{}
	rows, err = tx.QueryContext(ctx, "SELECT DISTINCT source FROM monitoring_spans WHERE org_path >= $1 AND org_path < $2", root.Path, pathEnd(root.Path))
	if err != nil {
		return nil, fmt.Errorf("spans: %w", err)
	}
	for rows.Next() {
		var src string
		if err := rows.Scan(&src); err != nil {
			rows.Close()
			return nil, fmt.Errorf("spans: %w", err)
		}
		spanning[src] = true
	}
	rows.Close()
	counted, err := readyCountFilters(ctx, tx.Tx)
	if err != nil {
		return nil, err
	}
	return &indicator.Request{Dialect: tx.db.dialect(), Root: root, Orgs: orgs, Keys: indicator.NewOrgKeys(orgs, units),
		Period: q.Period, Set: set, Codes: codes, Groupings: q.Groupings, Shared: shared, Spanning: spanning, Counted: counted}, nil
}

// ReportIndicators returns the codes a report of the organisation lists:
// the catalogue's report indicators, then the live user-defined ones of
// the organisation and of those above it.
func ReportIndicators(set map[string]*caunoi.Indicator, root *caunoi.Organisation) []string {
	var out, user []string
	for _, d := range indicator.Catalogue() {
		if d.Report {
			out = append(out, d.Code)
		}
	}
	for _, d := range set {
		if !d.BuiltIn && !d.Voided() && d.Report && (strings.HasPrefix(root.Path, d.OrgPath) || strings.HasPrefix(d.OrgPath, root.Path)) {
			user = append(user, d.Code)
		}
	}
	slices.Sort(user)
	return append(out, user...)
}

// runQuery runs one query of a plan and returns its rows.
func (db *DB) runQuery(ctx context.Context, q *indicator.Query) result {
	r := result{q: q}
	rows, err := db.read.QueryContext(ctx, q.SQL, q.Args...)
	if err != nil {
		r.err = fmt.Errorf("evaluate %s: %w", q.Source, err)
		return r
	}
	defer rows.Close()
	nd, nv := len(q.Dims), len(q.Bases)
	keys := make([]sql.NullString, nd)
	vals := make([]sql.NullFloat64, nv)
	dest := make([]any, 0, nd+nv)
	for i := range keys {
		dest = append(dest, &keys[i])
	}
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			r.err = fmt.Errorf("evaluate %s: %w", q.Source, err)
			return r
		}
		ks := make([]string, nd)
		vs := make([]float64, nv)
		for i := range keys {
			ks[i] = keys[i].String
		}
		for i := range vals {
			vs[i] = vals[i].Float64
		}
		r.keys, r.vals = append(r.keys, ks), append(r.vals, vs)
	}
	if err := rows.Err(); err != nil {
		r.err = fmt.Errorf("evaluate %s: %w", q.Source, err)
	}
	return r
}
