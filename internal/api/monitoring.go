package api

import (
	"net/http"
	"net/url"
	"strings"

	"caunoi"
)

// queryPeriod reads ?period= as a period code (2025, 2025-H1, 2025-Q3,
// 2025-07, 2025-01-15..2025-03-20); required.
func queryPeriod(v *caunoi.Validator, q url.Values) caunoi.Period {
	s := q.Get("period")
	if s == "" {
		v.Add("period", "err.field.required", nil)
		return caunoi.Period{}
	}
	p, err := caunoi.ParsePeriod(s)
	if err != nil {
		for _, f := range caunoi.AsError(err).Fields {
			v.Add(f.Field, f.Key, f.Args)
		}
	}
	return p
}

// queryList reads a comma-separated parameter.
func queryList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// queryBool reads a flag: 1, true, yes or on.
func queryBool(q url.Values, name string) bool {
	switch strings.ToLower(q.Get(name)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// ListIndicators answers GET /api/v1/indicators: the shipped catalogue,
// then the user-defined indicators the caller sees.
func (a *API) ListIndicators(w http.ResponseWriter, r *http.Request) {
	inds, err := a.Indicators.FindIndicators(r.Context())
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(inds, len(inds), caunoi.Page{Limit: len(inds)}))
}

// GetIndicator answers GET /api/v1/indicators/{indicator}.
func (a *API) GetIndicator(w http.ResponseWriter, r *http.Request) {
	ind, err := a.Indicators.FindIndicator(r.Context(), r.PathValue("indicator"))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, ind)
}

// CreateIndicatorRequest is the body of POST /api/v1/indicators: a
// definition (see caunoi.Indicator) and the organisation it belongs to.
type CreateIndicatorRequest struct {
	Code            string   `json:"code"`
	NameVI          string   `json:"name_vi"`
	NameEN          string   `json:"name_en"`
	Section         string   `json:"section,omitempty"`
	Unit            string   `json:"unit"`
	Count           string   `json:"count"`
	Source          string   `json:"source,omitempty"`
	Kinds           []string `json:"kinds,omitempty"`
	Outcomes        []string `json:"outcomes,omitempty"`
	Populations     []string `json:"populations,omitempty"`
	Named           string   `json:"named,omitempty"`
	Measure         string   `json:"measure,omitempty"`
	Terms           []string `json:"terms,omitempty"`
	Numerator       string   `json:"numerator,omitempty"`
	Denominator     string   `json:"denominator,omitempty"`
	Scale           int      `json:"scale,omitempty"`
	Disaggregations []string `json:"disaggregations,omitempty"`
	Report          bool     `json:"report,omitempty"`
	OrgID           string   `json:"org_id"`
}

// CreateIndicator answers POST /api/v1/indicators with 201 and the
// definition stored.
func (a *API) CreateIndicator(w http.ResponseWriter, r *http.Request) {
	var req CreateIndicatorRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	ind := &caunoi.Indicator{Code: req.Code, NameVI: req.NameVI, NameEN: req.NameEN, Section: req.Section, Unit: req.Unit, Count: req.Count,
		Source: req.Source, Kinds: req.Kinds, Outcomes: req.Outcomes, Named: req.Named, Measure: req.Measure, Terms: req.Terms,
		Numerator: req.Numerator, Denominator: req.Denominator, Scale: req.Scale, Disaggregations: req.Disaggregations, Report: req.Report, OrgID: req.OrgID}
	for _, p := range req.Populations {
		ind.Populations = append(ind.Populations, caunoi.Population(p))
	}
	if ind.Disaggregations == nil {
		ind.Disaggregations = []string{}
	}
	if err := a.Indicators.CreateIndicator(r.Context(), ind); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, ind)
}

// VoidIndicator answers POST /api/v1/indicators/{indicator}/void with
// {version, reason}.
func (a *API) VoidIndicator(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	ind, err := a.Indicators.VoidIndicator(r.Context(), r.PathValue("indicator"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, ind)
}

// IndicatorValues answers GET
// /api/v1/indicator-values?org_id=&period=&indicators=&by=&shared=: the
// values of the indicators (comma-separated codes; the report's when
// none) for org_id's subtree, the total and one series per by (each a
// comma-separated list of dimensions crossed, repeatable).
func (a *API) IndicatorValues(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var v caunoi.Validator
	vq := caunoi.ValueQuery{OrgID: q.Get("org_id"), Period: queryPeriod(&v, q), Indicators: queryList(q.Get("indicators")), Shared: queryBool(q, "shared")}
	v.Check(vq.OrgID != "", "org_id", "err.field.required", nil)
	for _, by := range q["by"] {
		if g := queryList(by); len(g) > 0 {
			vq.Groupings = append(vq.Groupings, g)
		}
	}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	vals, err := a.Indicators.Evaluate(r.Context(), vq)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	if vals.Series == nil {
		vals.Series = []caunoi.Series{}
	}
	WriteJSON(w, http.StatusOK, vals)
}

// GetReport answers GET /api/v1/reports?org_id=&period=&shared=: the
// report of an organisation as the report page shows it.
func (a *API) GetReport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var v caunoi.Validator
	rq := caunoi.ReportQuery{OrgID: q.Get("org_id"), Period: queryPeriod(&v, q), Shared: queryBool(q, "shared")}
	v.Check(rq.OrgID != "", "org_id", "err.field.required", nil)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	rep, err := a.Reports.Report(r.Context(), rq)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, rep)
}

// ListTargets answers GET
// /api/v1/targets?org_id=&indicator=&period=&offset=&limit=.
func (a *API) ListTargets(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.TargetFilter{OrgID: q.Get("org_id"), Indicator: strings.ToUpper(q.Get("indicator")), Page: p}
	if q.Get("period") != "" {
		per := queryPeriod(&v, q)
		f.Period = &per
	}
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	ts, total, err := a.Targets.FindTargets(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(ts, total, p))
}

// SetTargetRequest is the body of POST /api/v1/targets. Version is the
// version read when changing a target; omit it to create one.
type SetTargetRequest struct {
	ID        string  `json:"id,omitempty"`
	OrgID     string  `json:"org_id"`
	Indicator string  `json:"indicator"`
	Model     string  `json:"model,omitempty"`
	Period    string  `json:"period"`
	Value     float64 `json:"value"`
	Version   int     `json:"version,omitempty"`
}

// SetTarget answers POST /api/v1/targets with 200 and the target.
func (a *API) SetTarget(w http.ResponseWriter, r *http.Request) {
	var req SetTargetRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	var v caunoi.Validator
	per := queryPeriod(&v, url.Values{"period": {req.Period}})
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	t := &caunoi.Target{ID: req.ID, OrgID: req.OrgID, Indicator: strings.ToUpper(strings.TrimSpace(req.Indicator)), Model: caunoi.Model(req.Model),
		Period: per, Value: req.Value, Version: req.Version}
	if err := a.Targets.SetTarget(r.Context(), t); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, t)
}

// VoidTarget answers POST /api/v1/targets/{id}/void with {version, reason}.
func (a *API) VoidTarget(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	t, err := a.Targets.VoidTarget(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, t)
}
