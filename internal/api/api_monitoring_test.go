package api_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/api"
	"caunoi/internal/i18n"
	"caunoi/internal/indicator"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

func TestMonitoringAPI(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a := f.api
		a.Indicators, a.Targets, a.Reports = sqldb.NewIndicatorService(db), sqldb.NewTargetService(db), sqldb.NewReportService(db)
		wctx := caunoi.NewContextWithActor(t.Context(), f.worker)
		// Three contacts last month with one client, one unnamed.
		c := &caunoi.Client{OrgID: f.group.ID, Nickname: "Hoa", Sex: "female", BirthYear: 1995, Populations: []caunoi.Population{caunoi.PopSexWork}}
		if err := a.Clients.CreateClient(wctx, c); err != nil {
			t.Fatal(err)
		}
		month := caunoi.CurrentPeriod(caunoi.PeriodMonth, caunoi.Today()).Previous()
		at := month.StartInstant().Add(36 * time.Hour)
		for i, k := range []*caunoi.Contact{
			{OrgID: f.group.ID, ClientID: c.ID, At: at, Channel: "zalo"},
			{OrgID: f.group.ID, ClientID: c.ID, At: at.Add(time.Hour), Commodities: map[string]int{"condom": 10}},
			{OrgID: f.group.ID, AnonSex: "female", AnonPopulation: caunoi.PopSexWork, At: at.Add(2 * time.Hour)},
		} {
			if err := a.Contacts.CreateContact(wctx, k); err != nil {
				t.Fatalf("contact %d: %v", i, err)
			}
		}
		per := month.Code()
		values := "/api/v1/indicator-values?org_id=" + f.prov.ID + "&period=" + per
		series := func(res map[string]any, code string, grouping ...string) []any {
			for _, s := range res["series"].([]any) {
				sm := s.(map[string]any)
				var g []string
				for _, d := range sm["grouping"].([]any) {
					g = append(g, d.(string))
				}
				if sm["indicator"] == code && slices.Equal(g, grouping) {
					return sm["cells"].([]any)
				}
			}
			t.Fatalf("no series %s %v", code, grouping)
			return nil
		}
		value := func(cell any) any { return cell.(map[string]any)["value"] }
		var targetID string
		for _, sc := range []scenario{
			{name: "catalogue", as: f.nat, h: a.ListIndicators, method: "GET", target: "/api/v1/indicators", status: 200, check: func(t *testing.T, res map[string]any) {
				its := items(t, res)
				if len(its) < 20 || its[0]["code"] != "CONTACTS" || its[0]["built_in"] != true {
					t.Fatalf("indicators %v", its[:1])
				}
			}},
			{name: "one indicator", as: f.officer, h: a.GetIndicator, method: "GET", target: "/api/v1/indicators/kp_prev", path: map[string]string{"indicator": "kp_prev"}, status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "count", res["count"], "clients") }},
			{name: "values: contacts and persons differ", as: f.officer, h: a.IndicatorValues, method: "GET",
				target: values + "&indicators=CONTACTS,CONTACTS_NAMED_PERSONS,PERSONS_REACHED,CONDOMS&by=org&by=sex", status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "contacts", value(series(res, "CONTACTS")[0]), 3.0)
					wantEq(t, "named persons", value(series(res, "CONTACTS_NAMED_PERSONS")[0]), 1.0)
					wantEq(t, "persons", value(series(res, "PERSONS_REACHED")[0]), 2.0)
					wantEq(t, "condoms", value(series(res, "CONDOMS")[0]), 10.0)
					wantEq(t, "by group", value(series(res, "CONTACTS", "org")[0]), 3.0)
					wantEq(t, "shared", res["shared"], false)
					p := res["period"].(map[string]any)
					wantEq(t, "period code", p["code"], per)
					if _, err := time.Parse(caunoi.DateLayout, p["start"].(string)); err != nil {
						t.Fatalf("period start %v", p["start"])
					}
				}},
			{name: "values shared: small cells hidden", as: f.officer, h: a.IndicatorValues, method: "GET", target: values + "&indicators=CONTACTS&shared=1", status: 200,
				check: func(t *testing.T, res map[string]any) {
					cell := series(res, "CONTACTS")[0].(map[string]any)
					wantEq(t, "suppressed", cell["suppressed"], true)
					wantEq(t, "value", cell["value"], 0.0)
				}},
			{name: "national officer: shared, by province", as: f.nat, h: a.IndicatorValues, method: "GET",
				target: "/api/v1/indicator-values?org_id=" + f.national.ID + "&period=" + per + "&indicators=CONTACTS&by=province", status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "shared", res["shared"], true)
					labels := res["labels"].(map[string]any)["province"].(map[string]any)
					wantEq(t, "Hà Nội", labels["01"], "Hà Nội")
				}},
			{name: "national officer by group is 403", as: f.nat, h: a.IndicatorValues, method: "GET",
				target: "/api/v1/indicator-values?org_id=" + f.national.ID + "&period=" + per + "&by=org", status: 403, code: caunoi.EFORBIDDEN},
			{name: "a period that ends before it starts", as: f.officer, h: a.IndicatorValues, method: "GET",
				target: "/api/v1/indicator-values?org_id=" + f.prov.ID + "&period=2025-06-30..2025-01-01", status: 422, code: caunoi.EINVALID, fields: []string{"period"}},
			{name: "no period", as: f.officer, h: a.IndicatorValues, method: "GET", target: "/api/v1/indicator-values?org_id=" + f.prov.ID, status: 422,
				code: caunoi.EINVALID, fields: []string{"period"}},
			{name: "unknown dimension", as: f.officer, h: a.IndicatorValues, method: "GET", target: values + "&by=colour", status: 422, code: caunoi.EINVALID, fields: []string{"by"}},
			{name: "unknown indicator", as: f.officer, h: a.IndicatorValues, method: "GET", target: values + "&indicators=NO_SUCH", status: 404, code: caunoi.ENOTFOUND},
			{name: "another province is 404", as: f.officer, h: a.IndicatorValues, method: "GET",
				target: "/api/v1/indicator-values?org_id=" + f.prov2.ID + "&period=" + per, status: 404, code: caunoi.ENOTFOUND},
			{name: "workers hold no report.read", as: f.worker, h: a.IndicatorValues, method: "GET", target: values, status: 403, code: caunoi.EFORBIDDEN},
			{name: "report", as: f.officer, h: a.GetReport, method: "GET", target: "/api/v1/reports?org_id=" + f.prov.ID + "&period=" + per, status: 200,
				check: func(t *testing.T, res map[string]any) {
					wantEq(t, "level", res["level"], "province")
					cols := res["columns"].([]any)
					if len(cols) == 0 || cols[len(cols)-1].(map[string]any)["key"] != f.group.ID {
						t.Fatalf("columns %v", cols)
					}
					row := res["sections"].([]any)[0].(map[string]any)["rows"].([]any)[0].(map[string]any)
					wantEq(t, "first row", row["indicator"].(map[string]any)["code"], "CONTACTS")
					wantEq(t, "total", row["total"].(map[string]any)["value"], 3.0)
				}},
			{name: "set a target", as: f.officer, h: a.SetTarget, method: "POST", target: "/api/v1/targets",
				body: `{"org_id":"` + f.prov.ID + `","indicator":"contacts","period":"` + per + `","value":6}`, status: 200,
				check: func(t *testing.T, res map[string]any) {
					targetID, _ = res["id"].(string)
					wantEq(t, "version", res["version"], 1.0)
				}},
			{name: "the same target again without a version", as: f.officer, h: a.SetTarget, method: "POST", target: "/api/v1/targets",
				body: `{"org_id":"` + f.prov.ID + `","indicator":"CONTACTS","period":"` + per + `","value":7}`, status: 409, code: caunoi.ECONFLICT},
			{name: "a target for a custom range", as: f.officer, h: a.SetTarget, method: "POST", target: "/api/v1/targets",
				body: `{"org_id":"` + f.prov.ID + `","indicator":"CONTACTS","period":"2025-01-01..2025-01-31","value":7}`, status: 422, code: caunoi.EINVALID, fields: []string{"period"}},
			{name: "the report shows achievement", as: f.officer, h: a.GetReport, method: "GET", target: "/api/v1/reports?org_id=" + f.prov.ID + "&period=" + per, status: 200,
				check: func(t *testing.T, res map[string]any) {
					row := res["sections"].([]any)[0].(map[string]any)["rows"].([]any)[0].(map[string]any)
					wantEq(t, "target", row["target"], 6.0)
					wantEq(t, "achievement", row["achievement"], 50.0)
				}},
			{name: "list targets", as: f.nat, h: a.ListTargets, method: "GET", target: "/api/v1/targets?period=" + per, status: 200,
				check: func(t *testing.T, res map[string]any) { wantEq(t, "total", total(res), 1) }},
			{name: "define a ratio that refers to itself", as: f.officer, h: a.CreateIndicator, method: "POST", target: "/api/v1/indicators",
				body:   `{"code":"SELF","name_vi":"x","name_en":"x","unit":"percent","count":"ratio","numerator":"SELF","denominator":"CONTACTS","org_id":"` + f.prov.ID + `"}`,
				status: 422, code: caunoi.EINVALID, fields: []string{"numerator"}},
			{name: "define a share", as: f.officer, h: a.CreateIndicator, method: "POST", target: "/api/v1/indicators",
				body:   `{"code":"ZALO_SHARE","name_vi":"Tỷ lệ tiếp cận qua Zalo","name_en":"Share via Zalo","unit":"percent","count":"ratio","numerator":"CONTACTS_ZALO","denominator":"CONTACTS","scale":100,"org_id":"` + f.prov.ID + `"}`,
				status: 201, check: func(t *testing.T, res map[string]any) { wantEq(t, "built_in", res["built_in"], false) }},
			{name: "the share", as: f.officer, h: a.IndicatorValues, method: "GET", target: values + "&indicators=ZALO_SHARE", status: 200,
				check: func(t *testing.T, res map[string]any) {
					cell := series(res, "ZALO_SHARE")[0].(map[string]any)
					if v := cell["value"].(float64); v < 33.3 || v > 33.4 {
						t.Fatalf("share %v", v)
					}
				}},
			{name: "the national department sees the province's indicator", as: f.nat, h: a.GetIndicator, method: "GET", target: "/api/v1/indicators/ZALO_SHARE",
				path: map[string]string{"indicator": "ZALO_SHARE"}, status: 200},
		} {
			sc.run(t)
		}
		scenario{name: "void the target", as: f.officer, h: a.VoidTarget, method: "POST", target: "/api/v1/targets/" + targetID + "/void",
			path: map[string]string{"id": targetID}, body: `{"version":1,"reason":"đổi kế hoạch"}`, status: 200}.run(t)
	})
}

// TestMonitoringOpenAPI keeps the monitoring part of the document true:
// every reference resolves, and its enumerations follow the domain's lists.
func TestMonitoringOpenAPI(t *testing.T) {
	rec := call(t, (&api.API{Cat: i18n.MustLoad()}).OpenAPI, nil, "GET", "/api/v1/openapi.json", "", nil, nil)
	var doc map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
				var cur any = doc
				for _, p := range parts {
					m, _ := cur.(map[string]any)
					cur = m[p]
				}
				if cur == nil {
					t.Errorf("unresolved reference %s", ref)
				}
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(doc)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for name, want := range map[string][]string{
		"IndicatorCount":  caunoi.IndicatorCounts,
		"IndicatorUnit":   caunoi.IndicatorUnits,
		"IndicatorSource": sourceNames(),
		"Dimension":       caunoi.Disaggregations,
		"AgeBand":         caunoi.AgeBands,
		"PeriodKind":      caunoi.PeriodKinds,
	} {
		var got []string
		for _, e := range schemas[name].(map[string]any)["enum"].([]any) {
			got = append(got, e.(string))
		}
		if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
			t.Errorf("%s: enum %v, want %v", name, got, want)
		}
	}
}

// sourceNames lists the engine's sources.
func sourceNames() []string {
	var out []string
	for _, s := range indicator.Sources {
		out = append(out, s.Name)
	}
	return out
}
