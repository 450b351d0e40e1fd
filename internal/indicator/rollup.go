package indicator

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The rollups keep large sources pre-aggregated so that a province's
// half-year and the nation's year are counted from thousands of rows, not
// millions (see the migration 00006_monitoring.sql for the tables):
//
//   - monitoring_rollup: one row per source, organisation, year, kind,
//     outcome and client (or per anonymous sex and population), with the
//     client's sex, birth year, populations and residence, the events of
//     each month (e1…e12) and a bit per month with any (months). Events
//     add up over months; distinct clients over any months of a year are
//     COUNT(DISTINCT client_id) of the rows whose bits meet the period's.
//   - monitoring_measures: the sum of each measure per source,
//     organisation, month, kind and outcome.
//
// Both carry the organisation's path (the scope), province and models. An
// organisation's rows of a source are rebuilt from its records whenever a
// trigger has marked them stale in monitoring_stale, in the same
// transaction as the write that changed them.

// RollupSources returns the sources that keep rollups.
func RollupSources() []*Source {
	var out []*Source
	for _, s := range Sources {
		if s.Rollup {
			out = append(out, s)
		}
	}
	return out
}

// yearExpr and monthExpr are the Vietnamese calendar year and month of the
// source's date.
func (s *Source) yearExpr(d Dialect) string  { return s.datePart(d, "%Y", "YEAR") }
func (s *Source) monthExpr(d Dialect) string { return s.datePart(d, "%m", "MONTH") }

func (s *Source) datePart(d Dialect, sqliteFmt, pgField string) string {
	if d == Postgres {
		col := s.Date
		if s.Timestamp {
			col = "(" + s.Date + " AT TIME ZONE 'Asia/Ho_Chi_Minh')"
		}
		return "CAST(EXTRACT(" + pgField + " FROM " + col + ") AS INTEGER)"
	}
	if s.Timestamp {
		return "CAST(strftime('" + sqliteFmt + "', " + s.Date + ", '+7 hours') AS INTEGER)"
	}
	return "CAST(strftime('" + sqliteFmt + "', " + s.Date + ") AS INTEGER)"
}

// RebuildStmt is a statement of a rollup rebuild and the values of its
// parameters $1…, by name: "org" the organisation id, "path" its path,
// "province" its province, "models" its models (",a,b,").
type RebuildStmt struct {
	SQL    string
	Params []string
}

// RebuildSQL returns the statements that rebuild one organisation's rows
// of a source in both rollups.
func (s *Source) RebuildSQL(d Dialect) []RebuildStmt {
	kind, detail, outcome := "''", "''", "''"
	if s.Kind != "" {
		kind = "COALESCE(" + s.Kind + ", '')"
	}
	if s.Detail != "" {
		detail = "COALESCE(" + s.Detail + ", '')"
	}
	if s.Outcome != "" {
		outcome = "COALESCE(" + s.Outcome + ", '')"
	}
	anonSex, anonPops := "''", "''"
	if s.AnonSex != "" {
		anonSex = s.AnonSex
	}
	if s.AnonPopulation != "" {
		anonPops = "CASE WHEN " + s.AnonPopulation + " <> '' THEN ',' || " + s.AnonPopulation + " || ',' ELSE '' END"
	}
	clientJoin, clientID, sex, born, pops, res := "", "''", anonSex, "0", anonPops, "''"
	if s.Client != "" {
		clientJoin = " LEFT JOIN clients c ON c.id = " + s.Client + " AND c.voided_at IS NULL"
		clientID, sex, born = "COALESCE(c.id, '')", "COALESCE(c.sex, "+anonSex+")", "COALESCE(c.birth_year, 0)"
		pops, res = "COALESCE(c.populations, "+anonPops+")", "COALESCE(c.residence, '')"
	}
	if s.Sex != "" {
		sex = s.Sex
	}
	var measures []string
	for i, m := range s.Measures {
		measures = append(measures, m.SQL(d)+" AS m"+strconv.Itoa(i))
	}
	inner := "SELECT r.org_path AS org_path, " + s.yearExpr(d) + " AS yr, " + s.monthExpr(d) + " AS mo, " + kind + " AS kind, " + detail + " AS detail, " + outcome + " AS outcome, " +
		clientID + " AS client_id, " + sex + " AS sex, " + born + " AS birth_year, " + pops + " AS populations, " + res + " AS residence"
	if len(measures) > 0 {
		inner += ", " + strings.Join(measures, ", ")
	}
	// By the organisation's path, which the sources' indexes lead with.
	inner += " FROM " + s.From + clientJoin + " WHERE " + s.OrgPath + " = $4 AND " + s.Live
	var ecols, esums []string
	for m := 1; m <= 12; m++ {
		ecols = append(ecols, "e"+strconv.Itoa(m))
		esums = append(esums, "SUM(CASE WHEN x.mo = "+strconv.Itoa(m)+" THEN 1 ELSE 0 END)")
	}
	name := "'" + s.Name + "'"
	full := []string{"org", "province", "models", "path"}
	stmts := []RebuildStmt{
		{"DELETE FROM monitoring_rollup WHERE source = " + name + " AND org_path = $1", []string{"path"}},
		{"DELETE FROM monitoring_measures WHERE source = " + name + " AND org_path = $1", []string{"path"}},
		{"INSERT INTO monitoring_rollup (source, org_id, org_path, province, models, year, kind, detail, outcome, client_id, sex, birth_year, populations, residence, months, " +
			strings.Join(ecols, ", ") + ") SELECT " + name + ", $1, x.org_path, $2, $3, x.yr, x.kind, x.detail, x.outcome, x.client_id, x.sex, x.birth_year, x.populations, x.residence, " +
			"SUM(DISTINCT CAST(1 AS BIGINT) << (x.mo - 1)), " + strings.Join(esums, ", ") +
			" FROM (" + inner + ") x GROUP BY x.org_path, x.yr, x.kind, x.detail, x.outcome, x.client_id, x.sex, x.birth_year, x.populations, x.residence", full},
	}
	if len(s.Measures) > 0 {
		var parts []string
		for i, m := range s.Measures {
			col := "x.m" + strconv.Itoa(i)
			parts = append(parts, "SELECT "+name+", $1, x.org_path, $2, $3, x.yr, x.mo, x.kind, x.detail, x.outcome, '"+m.Name+"', SUM("+col+") FROM x"+
				" GROUP BY x.org_path, x.yr, x.mo, x.kind, x.detail, x.outcome HAVING SUM("+col+") <> 0")
		}
		// The records are read once for all the measures (MATERIALIZED),
		// not once per measure.
		stmts = append(stmts, RebuildStmt{"INSERT INTO monitoring_measures (source, org_id, org_path, province, models, year, month, kind, detail, outcome, measure, value) WITH x AS MATERIALIZED (" +
			inner + ") " + strings.Join(parts, " UNION ALL "), full})
	}
	if d == SQLite {
		// SQLite writes 1 << n as is; CAST(1 AS BIGINT) is an INTEGER there.
		for i := range stmts {
			stmts[i].SQL = strings.ReplaceAll(stmts[i].SQL, "CAST(1 AS BIGINT)", "1")
		}
	}
	return stmts
}

// SpansSQL returns the statement that tells whether organisation $1
// (whose path is $2) has records of the source for a client registered in
// another organisation. A client with records in two organisations has
// them in at least one organisation that is not its own, so where no
// organisation of a subtree is marked, every client's records lie in one
// organisation and distinct clients add up across them.
func (s *Source) SpansSQL() string {
	if s.Client == "" {
		return ""
	}
	return "SELECT 1 FROM " + s.From + " JOIN clients c ON c.id = " + s.Client + " WHERE " + s.OrgPath + " = $2 AND " + s.Live +
		" AND c.org_id <> $1 LIMIT 1"
}

// TriggerDDL returns the statements that (re)create the triggers marking
// rollups stale, from the declarations of the sources. They are run after
// the migrations, so a new source needs no migration of its own.
func TriggerDDL(d Dialect) []string {
	var out []string
	for _, s := range RollupSources() {
		for _, t := range s.Triggers {
			out = append(out, triggerDDL(d, s.Name, t)...)
		}
	}
	return out
}

// triggerName is the name of the trigger of a source on a table.
func triggerName(source, table string) string { return "monitoring_" + source + "_" + table }

func triggerDDL(d Dialect, source string, t Trigger) []string {
	name := triggerName(source, t.Table)
	insertFor := func(row string) string {
		sel := strings.ReplaceAll(t.OrgSelect, "ROW.", row+".")
		return "INSERT INTO monitoring_stale (source, org_id) SELECT '" + source + "', x.org_id FROM (" + sel + ") x WHERE x.org_id IS NOT NULL ON CONFLICT DO NOTHING;"
	}
	event := "UPDATE"
	if len(t.Columns) > 0 {
		event = "UPDATE OF " + strings.Join(t.Columns, ", ")
	}
	if d == Postgres {
		events := "INSERT OR " + event + " OR DELETE"
		if len(t.Columns) > 0 {
			events = event
		}
		fn := name + "_fn"
		return []string{
			"CREATE OR REPLACE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
				"IF TG_OP <> 'DELETE' THEN " + insertFor("NEW") + " END IF; " +
				"IF TG_OP <> 'INSERT' THEN " + insertFor("OLD") + " END IF; RETURN NULL; END $$",
			"DROP TRIGGER IF EXISTS " + name + " ON " + t.Table,
			"CREATE TRIGGER " + name + " AFTER " + events + " ON " + t.Table + " FOR EACH ROW EXECUTE FUNCTION " + fn + "()",
		}
	}
	var out []string
	kinds := []struct{ suffix, event, rows string }{{"_ins", "INSERT", "NEW"}, {"_upd", event, "NEW OLD"}, {"_del", "DELETE", "OLD"}}
	for _, k := range kinds {
		if len(t.Columns) > 0 && k.suffix != "_upd" {
			continue
		}
		body := ""
		for _, row := range strings.Fields(k.rows) {
			body += " " + insertFor(row)
		}
		out = append(out, "DROP TRIGGER IF EXISTS "+name+k.suffix,
			fmt.Sprintf("CREATE TRIGGER %s%s AFTER %s ON %s BEGIN%s END", name, k.suffix, k.event, t.Table, body))
	}
	return out
}

// DropTriggerDDL returns the statements that drop the triggers TriggerDDL
// makes.
func DropTriggerDDL(d Dialect) []string {
	var out []string
	for _, s := range RollupSources() {
		for _, t := range s.Triggers {
			name := triggerName(s.Name, t.Table)
			if d == Postgres {
				out = append(out, "DROP TRIGGER IF EXISTS "+name+" ON "+t.Table)
				continue
			}
			for _, suffix := range []string{"_ins", "_upd", "_del"} {
				out = append(out, "DROP TRIGGER IF EXISTS "+name+suffix)
			}
		}
	}
	return out
}

// TriggerNames returns the names of the triggers TriggerDDL makes, for
// tests.
func TriggerNames() []string {
	var out []string
	for _, s := range RollupSources() {
		for _, t := range s.Triggers {
			out = append(out, triggerName(s.Name, t.Table))
		}
	}
	slices.Sort(out)
	return out
}
