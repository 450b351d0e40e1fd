package indicator

import (
	"fmt"
	"slices"
	"strings"

	"caunoi"
)

// Dialect names the SQL dialect a query is written for.
type Dialect string

// The dialects, named as package sqldb names them.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Source is a kind of record the engine counts, declared as data: the
// relation it reads (alias r), the day the work happened, the
// organisation, the client, and the kinds, outcomes and measures
// indicators may filter on and sum. Adding a source is adding one value
// to Sources (and, for a large one, Rollup with its Triggers).
type Source struct {
	Name string
	// From is the relation read, aliased r: a table or a subquery.
	From string
	// Date is the column of the day (Timestamp false: a DATE stored at
	// midnight UTC) or moment (Timestamp true) the work happened.
	Date      string
	Timestamp bool
	// Org and OrgPath are the columns of the organisation the record
	// belongs to and its materialised path (the scope).
	Org, OrgPath string
	// Live is the predicate of records that count (not voided).
	Live string
	// Client is the column of the client, "" when records name none.
	Client string
	// AnonSex and AnonPopulation describe unnamed people (contacts).
	AnonSex, AnonPopulation string
	// Sex is the column of the sex of the people a record counts when
	// the record itself says it (head counts); it wins over the client's.
	Sex string
	// Place is the column of the place of a record, "" for none.
	Place string
	// Kind, Detail and Outcome are the columns indicators filter on by
	// Kinds, Details and Outcomes, with the values they may take.
	Kind, Detail, Outcome    string
	Kinds, Details, Outcomes []string
	// Measures are what quantity indicators sum, in order.
	Measures []Measure
	// Rollup keeps the source's counts pre-aggregated by organisation,
	// client and month (see rollup.go); Triggers mark an organisation's
	// rollup stale when a table behind the source changes.
	Rollup   bool
	Triggers []Trigger
	// Stock, when set, makes a stock source (see stock.go): its records
	// stand on the period's last day and are supplied to its queries with
	// these columns, not read from a table; From names the relation, Date
	// is its StockDayColumn.
	Stock []StockColumn
}

// Measure is a quantity of a source: an SQL expression per record.
type Measure struct {
	Name string
	// SQL gives the expression for a dialect.
	SQL func(d Dialect) string
}

// Trigger says which organisations' rollups a write to Table makes stale:
// Org is an expression over the row (NEW or OLD, written as ROW) giving
// the organisation id, or a SELECT of them.
type Trigger struct {
	Table string
	// OrgSelect selects the organisation ids the row touches, from ROW.
	OrgSelect string
	// Columns limits UPDATE triggers to changes of these columns; none
	// means every update.
	Columns []string
}

// jsonInt returns the expression of an integer member of a JSON object
// held in a text column, 0 when absent.
func jsonInt(col, key string) func(Dialect) string {
	return func(d Dialect) string {
		if d == Postgres {
			return fmt.Sprintf("COALESCE((%s::jsonb ->> '%s')::bigint, 0)", col, key)
		}
		return fmt.Sprintf("COALESCE(CAST(json_extract(%s, '$.%s') AS INTEGER), 0)", col, key)
	}
}

func plain(expr string) func(Dialect) string { return func(Dialect) string { return expr } }

// commodityMeasures are the commodities handed out, from a JSON column.
func commodityMeasures(col string) []Measure {
	var ms []Measure
	for _, c := range caunoi.Commodities {
		ms = append(ms, Measure{Name: c, SQL: jsonInt(col, c)})
	}
	return ms
}

// Sources are the records the engine counts. The services, referrals,
// hotline, shelter, reintegration and money areas add theirs here.
var Sources = []*Source{
	{
		// Outreach contacts: a contact is one "lượt người"; its client, or
		// the anonymous person's sex and population; commodities handed out.
		Name: "contacts", From: "contacts r", Date: "r.at", Timestamp: true,
		Org: "r.org_id", OrgPath: "r.org_path", Live: "r.voided_at IS NULL",
		Client: "r.client_id", AnonSex: "r.anon_sex", AnonPopulation: "r.anon_population", Place: "r.place_id",
		Kind: "r.channel", Kinds: caunoi.Channels,
		Measures: commodityMeasures("r.commodities"),
		Rollup:   true,
		Triggers: []Trigger{
			{Table: "contacts", OrgSelect: "SELECT ROW.org_id AS org_id"},
			{Table: "clients", OrgSelect: "SELECT DISTINCT k.org_id AS org_id FROM contacts k WHERE k.client_id = ROW.id",
				Columns: []string{"sex", "birth_year", "populations", "residence", "voided_at"}},
		},
	},
	{
		// Group activities: each is a session; head counts of people
		// not named.
		Name: "activities", From: "activities r", Date: "r.held_on",
		Org: "r.org_id", OrgPath: "r.org_path", Live: "r.voided_at IS NULL",
		Kind: "r.kind", Kinds: caunoi.ActivityKinds,
		Measures: []Measure{
			{Name: "heads", SQL: plain("(r.anon_female + r.anon_male + r.anon_other)")},
			{Name: "named", SQL: plain("(SELECT COUNT(*) FROM activity_attendance x WHERE x.activity_id = r.id)")},
		},
	},
	{
		// The anonymous heads of activities by sex, one record per
		// activity and sex.
		Name: "activity_heads",
		From: `(SELECT a.id, a.org_id, a.org_path, a.held_on, a.kind, a.voided_at, s.sex,
			CASE s.sex WHEN 'female' THEN a.anon_female WHEN 'male' THEN a.anon_male ELSE a.anon_other END AS heads
			FROM activities a CROSS JOIN (SELECT 'female' AS sex UNION ALL SELECT 'male' UNION ALL SELECT 'other') s) r`,
		Date: "r.held_on", Org: "r.org_id", OrgPath: "r.org_path", Live: "r.voided_at IS NULL AND r.heads > 0",
		Sex: "r.sex", Kind: "r.kind", Kinds: caunoi.ActivityKinds,
		Measures: []Measure{{Name: "heads", SQL: plain("r.heads")}},
	},
	{
		// Named attendance of activities: one record per client and
		// activity.
		Name: "attendance",
		From: `(SELECT aa.activity_id, aa.client_id, a.org_id, a.org_path, a.held_on, a.kind, a.voided_at
			FROM activity_attendance aa JOIN activities a ON a.id = aa.activity_id) r`,
		Date: "r.held_on", Org: "r.org_id", OrgPath: "r.org_path", Live: "r.voided_at IS NULL",
		Client: "r.client_id", Kind: "r.kind", Kinds: caunoi.ActivityKinds,
	},
	{
		// Memberships of groups, counted on the day the member joined.
		Name: "memberships", From: "memberships r", Date: "r.joined_on",
		Org: "r.org_id", OrgPath: "r.org_path", Live: "1 = 1",
		Client: "r.client_id", Kind: "r.role", Kinds: caunoi.MembershipRoles,
	},
	{
		// Members of groups on the period's last day (or today, while the
		// period runs): joined by then and not left (a stock source).
		Name: "members", From: "members r", Date: "r." + StockDayColumn,
		Org: "r.org_id", OrgPath: "r.org_path", Live: "1 = 1",
		Client: "r.client_id", Kind: "r.role", Kinds: caunoi.MembershipRoles,
		Stock: []StockColumn{{Name: "id"}, {Name: "org_id"}, {Name: "org_path"}, {Name: "client_id"}, {Name: "role"}},
	},
	{
		// Visits to hotspots and establishments, with the commodities left.
		Name: "visits",
		From: `(SELECT v.id, v.place_id, v.visited_on, v.commodities, v.purposes, v.voided_at, p.org_id, p.org_path, p.kind AS place_kind,
			p.voided_at AS place_voided FROM place_visits v JOIN places p ON p.id = v.place_id) r`,
		Date: "r.visited_on", Org: "r.org_id", OrgPath: "r.org_path", Live: "r.voided_at IS NULL AND r.place_voided IS NULL",
		Place: "r.place_id", Kind: "r.place_kind", Kinds: caunoi.PlaceKinds,
		// Visits that informed the workers about labour law (seed 002).
		Detail: "CASE WHEN r.purposes LIKE '%,labour_law,%' THEN 'labour_law' ELSE '' END", Details: []string{"labour_law"},
		Measures: commodityMeasures("r.commodities"),
	},
	{
		// Services given to clients: the kind, its detail (sub-kind) and
		// result or outcome, the units and đồng given, on the day given.
		Name: "services", From: "services r", Date: "r.given_on",
		Org: "r.org_id", OrgPath: "r.org_path", Live: "r.voided_at IS NULL", Client: "r.client_id",
		Kind: "r.kind", Kinds: caunoi.ServiceKinds, Detail: "r.detail", Details: serviceDetails(), Outcome: "r.result", Outcomes: serviceResults(),
		Measures: []Measure{{Name: "quantity", SQL: plain("r.quantity")}, {Name: "amount_vnd", SQL: plain("r.amount_vnd")}},
		Rollup:   true,
		Triggers: []Trigger{
			{Table: "services", OrgSelect: "SELECT ROW.org_id AS org_id"},
			{Table: "clients", OrgSelect: "SELECT DISTINCT sv.org_id AS org_id FROM services sv WHERE sv.client_id = ROW.id",
				Columns: []string{"sex", "birth_year", "populations", "residence", "voided_at"}},
		},
	},
	{
		// Referrals, counted on the day of the referral, by what the
		// client was referred for and the referral's state.
		Name: "referrals", From: "referrals r", Date: "r.referred_on",
		Org: "r.org_id", OrgPath: "r.org_path", Live: "r.voided_at IS NULL", Client: "r.client_id",
		Kind: "r.service_kind", Kinds: caunoi.ServiceKinds, Outcome: "r.status", Outcomes: caunoi.ReferralStatuses,
	},
	{
		// Hotline cases, counted on the day received: kind "gbv" when a
		// gender-based violence type is recorded, the caller's client or
		// the unnamed caller's sex and population, the risk as outcome.
		Name: "hotline_cases", From: "hotline_cases r", Date: "r.received_on",
		Org: "r.org_id", OrgPath: "r.org_path", Live: "r.voided_at IS NULL", Client: "r.client_id",
		AnonSex: "r.anon_sex", AnonPopulation: "r.anon_population",
		Kind: "CASE WHEN r.gbv_type <> '' THEN 'gbv' ELSE 'other' END", Kinds: []string{"gbv", "other"},
		// Violence at home: by a partner or by the family (bạo lực gia đình).
		Detail:  "CASE WHEN r.violence_contexts LIKE '%,domestic_violence,%' OR r.violence_contexts LIKE '%,intimate_partner,%' THEN 'domestic_violence' ELSE '' END",
		Details: []string{"domestic_violence"},
		Outcome: "r.risk", Outcomes: caunoi.RiskLevels,
	},
	{
		// Follow-ups of hotline cases, counted on the day done, by the
		// channel that reached the person; the case's person.
		Name: "case_follow_ups",
		From: `(SELECT f.id, f.done_on, f.channel, f.status, h.org_id, h.org_path, h.client_id, h.anon_sex, h.anon_population, h.voided_at
			FROM case_follow_ups f JOIN hotline_cases h ON h.id = f.case_id) r`,
		Date: "r.done_on", Org: "r.org_id", OrgPath: "r.org_path", Live: "r.status = 'done' AND r.voided_at IS NULL", Client: "r.client_id",
		AnonSex: "r.anon_sex", AnonPopulation: "r.anon_population",
		Kind: "r.channel", Kinds: caunoi.FollowUpChannels,
	},
	{
		// Shelter stays, counted on the day of admission.
		Name: "shelter_stays", From: "shelter_stays r", Date: "r.admitted_on",
		Org: "r.org_id", OrgPath: "r.org_path", Live: "r.voided_at IS NULL", Client: "r.client_id",
	},
	{
		// Residents of rehabilitation centres received back home, on the
		// day they returned.
		Name: "reintegrations", From: "reintegrations r", Date: "r.returned_on",
		Org: "r.org_id", OrgPath: "r.org_path", Live: "r.voided_at IS NULL AND r.returned_on IS NOT NULL", Client: "r.client_id",
	},
	{
		// Residents whose influence map was drawn ("mapped", seed 003): a
		// reintegration with a live person on its map, counted at the
		// moment the first of them was recorded.
		Name: "influence_maps",
		From: `(SELECT g.id, g.org_id, g.org_path, g.client_id, g.voided_at,
			(SELECT MIN(p.created_at) FROM influence_people p WHERE p.reintegration_id = g.id AND p.voided_at IS NULL) AS mapped_at
			FROM reintegrations g) r`,
		Date: "r.mapped_at", Timestamp: true, Org: "r.org_id", OrgPath: "r.org_path", Live: "r.voided_at IS NULL AND r.mapped_at IS NOT NULL",
		Client: "r.client_id",
	},
	{
		// Follow-ups and relapses of returnees, on the day they happened,
		// with the wellbeing a follow-up found.
		Name: "reintegration_events",
		From: `(SELECT e.id, e.kind, e.happened_on, e.wellbeing, g.org_id, g.org_path, g.client_id, g.voided_at
			FROM reintegration_events e JOIN reintegrations g ON g.id = e.reintegration_id) r`,
		Date: "r.happened_on", Org: "r.org_id", OrgPath: "r.org_path", Live: "r.voided_at IS NULL", Client: "r.client_id",
		Kind: "r.kind", Kinds: []string{caunoi.EventFollowUp, caunoi.EventRelapse}, Outcome: "r.wellbeing", Outcomes: caunoi.FollowUpWellbeing,
	},
	{
		// Loans of the revolving funds, counted on the day paid out, with
		// the amount lent.
		Name: "loans", From: "loans r", Date: "r.disbursed_on",
		Org: "r.org_id", OrgPath: "r.org_path", Live: "r.disbursed_on IS NOT NULL", Client: "r.client_id",
		Kind: "r.method", Kinds: caunoi.LoanMethods, Outcome: "r.status", Outcomes: caunoi.LoanStatuses,
		Measures: []Measure{{Name: "amount_vnd", SQL: plain("r.amount")}},
	},
	{
		// Loans closed, on the day: repaid in full (matured) or written
		// off, with the amount that was lent.
		Name: "loan_closures", From: "loans r", Date: "r.closed_on",
		Org: "r.org_id", OrgPath: "r.org_path", Live: "r.closed_on IS NOT NULL", Client: "r.client_id",
		Kind: "r.method", Kinds: caunoi.LoanMethods, Outcome: "r.status", Outcomes: []string{caunoi.LoanMatured, caunoi.LoanWrittenOff},
		Measures: []Measure{{Name: "amount_vnd", SQL: plain("r.amount")}},
	},
	{
		// Loans out on the period's last day (or today, while the period
		// runs), as they stand: worked out in Go from the schedules and the
		// repayments by then (a stock source). The standing is current,
		// late or at risk (more than 30 days overdue); the measures are the
		// amount lent, the principal outstanding, the amount overdue and the
		// principal outstanding of loans at risk (the PAR30's numerator).
		Name: "loan_positions", From: "loan_positions r", Date: "r." + StockDayColumn,
		Org: "r.org_id", OrgPath: "r.org_path", Live: "1 = 1", Client: "r.client_id",
		Kind: "r.standing", Kinds: LoanStandings, Outcome: "r.method", Outcomes: caunoi.LoanMethods,
		Measures: []Measure{
			{Name: "amount_vnd", SQL: plain("r.amount_vnd")},
			{Name: "outstanding_vnd", SQL: plain("r.outstanding_vnd")},
			{Name: "overdue_vnd", SQL: plain("r.overdue_vnd")},
			{Name: "at_risk_vnd", SQL: plain("r.at_risk_vnd")},
		},
		Stock: []StockColumn{{Name: "id"}, {Name: "org_id"}, {Name: "org_path"}, {Name: "client_id"}, {Name: "standing"}, {Name: "method"},
			{Name: "amount_vnd", Int: true}, {Name: "outstanding_vnd", Int: true}, {Name: "overdue_vnd", Int: true}, {Name: "at_risk_vnd", Int: true}},
	},
	{
		// Expenditure against the budget plans, on the day spent, in đồng.
		Name: "expenditures",
		From: `(SELECT e.id, e.org_path, e.spent_on, e.amount, e.voided_at, o.id AS org_id FROM expenditures e JOIN orgs o ON o.path = e.org_path) r`,
		Date: "r.spent_on", Org: "r.org_id", OrgPath: "r.org_path", Live: "r.voided_at IS NULL",
		Measures: []Measure{{Name: "amount_vnd", SQL: plain("r.amount")}},
	},
}

// serviceDetails and serviceResults are every detail and result a service
// may carry, by the rules of caunoi.ServiceRules.
func serviceDetails() []string {
	var out []string
	for _, k := range caunoi.ServiceKinds {
		out = append(out, caunoi.ServiceRules[k].Details...)
	}
	return sortedSet(out)
}

func serviceResults() []string {
	var out []string
	for _, k := range caunoi.ServiceKinds {
		out = append(out, caunoi.ServiceRules[k].Results...)
	}
	return sortedSet(out)
}

func sortedSet(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}

// SourceByName returns the declared source, or nil.
func SourceByName(name string) *Source {
	for _, s := range Sources {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// measure returns the source's measure, or nil.
func (s *Source) measure(name string) *Measure {
	for i := range s.Measures {
		if s.Measures[i].Name == name {
			return &s.Measures[i]
		}
	}
	return nil
}

// supports reports whether the source can break its records down by dim.
func (s *Source) supports(dim string) bool {
	switch dim {
	case caunoi.DimOrg, caunoi.DimProvince, caunoi.DimModel:
		return true
	case caunoi.DimSex:
		return s.Client != "" || s.Sex != "" || s.AnonSex != ""
	case caunoi.DimPopulation:
		return s.Client != "" || s.AnonPopulation != ""
	case caunoi.DimAgeBand, caunoi.DimResidence:
		return s.Client != ""
	}
	return false
}

// MeasureNames lists the measures of a source.
func (s *Source) MeasureNames() []string {
	var out []string
	for _, m := range s.Measures {
		out = append(out, m.Name)
	}
	return out
}

// supportedDims lists the dimensions a source can break its records
// down by.
func (s *Source) supportedDims() []string {
	var out []string
	for _, d := range caunoi.Disaggregations {
		if s.supports(d) {
			out = append(out, d)
		}
	}
	return out
}

// listSQL renders strings as an SQL list of literals. The values come
// from declarations and checked definitions (known kinds), and are quoted
// anyway.
func listSQL(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = literalSQL(x)
	}
	return strings.Join(q, ", ")
}

// literalSQL renders a string as an SQL literal.
func literalSQL(x string) string { return "'" + strings.ReplaceAll(x, "'", "''") + "'" }

// allowed reports whether every x is among the allowed values.
func allowed(xs, in []string) bool {
	for _, x := range xs {
		if !slices.Contains(in, x) {
			return false
		}
	}
	return true
}
