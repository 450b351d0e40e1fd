package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"caunoi"
)

// budgetListData is what the list of plans shows.
type budgetListData struct {
	Plans []*caunoi.BudgetPlan
	Years []int
	Pager pager
}

// budgetList lists the plans of the user's budget.read scope by year, with
// what each planned and spent.
func (s *Server) budgetList(w http.ResponseWriter, r *http.Request) {
	pg, n := pageOf(r)
	q := r.URL.Query()
	year, _ := strconv.Atoi(q.Get("year"))
	if year < 2000 || year > 2100 {
		year = 0
	}
	plans, total, err := s.Budgets.FindPlans(r.Context(), caunoi.PlanFilter{Year: year, Page: pg})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	this := caunoi.Today().Year()
	d := &budgetListData{Plans: plans, Pager: newPager(r, n, total)}
	for y := this + 1; y >= this-5; y-- {
		d.Years = append(d.Years, y)
	}
	p := s.newPage(r, "page.budgets", d)
	p.Form = q
	s.render(w, r, http.StatusOK, "budgets", p)
}

// budgetFormData is what the form of a new plan needs.
type budgetFormData struct {
	V       url.Values
	Orgs    []*caunoi.Organisation
	Models  []caunoi.Model
	Sources []string
}

func (s *Server) budgetForm(r *http.Request, v url.Values) (*page, error) {
	orgs, err := s.fwOrgs(r.Context(), caunoi.PermBudgetWrite)
	if err != nil {
		return nil, err
	}
	if v.Get("org_id") == "" {
		v.Set("org_id", fwDefaultOrg(orgs))
	}
	return s.newPage(r, "page.budget_new", &budgetFormData{V: v, Orgs: orgs, Models: caunoi.Models, Sources: caunoi.FundingSources}), nil
}

// budgetNew shows the form of a new plan.
func (s *Server) budgetNew(w http.ResponseWriter, r *http.Request) {
	v := url.Values{"id": {caunoi.NewID()}, "year": {strconv.Itoa(caunoi.Today().Year())}, "source": {"local"}}
	p, err := s.budgetForm(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "budget_form", p)
}

// budgetCreate makes a plan from the form; its lines are added on the
// plan's page.
func (s *Server) budgetCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var fields []caunoi.FieldError
	p := &caunoi.BudgetPlan{ID: f.Get("id"), OrgID: f.Get("org_id"), Model: caunoi.Model(f.Get("model")), Title: f.Get("title"), Source: f.Get("source"),
		Year: fwQuantity(f, "year", "year", &fields)}
	err := fwFieldErrors(fields)
	if err == nil {
		err = s.Budgets.CreatePlan(r.Context(), p)
	}
	if err != nil {
		pg, perr := s.budgetForm(r, fwClone(f))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "budget_form", pg, err)
		return
	}
	s.redirect(w, r, "/budgets/"+p.ID, "msg.saved")
}

// budgetShowData is a plan against what was spent.
type budgetShowData struct {
	PA         *caunoi.PlanActual
	Norms      []*caunoi.CostNorm // that price the plan's model in its year
	Activities []string
	CanWrite   bool
	V          url.Values
}

func (s *Server) budgetPage(r *http.Request, id string, v url.Values) (*page, error) {
	ctx := r.Context()
	pa, err := s.Budgets.PlanActual(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &budgetShowData{PA: pa, V: v, CanWrite: caunoi.ActorFromContext(ctx).CanAt(caunoi.PermBudgetWrite, pa.Plan.OrgPath)}
	if d.Norms, _, err = s.Budgets.FindNorms(ctx, caunoi.NormFilter{Model: pa.Plan.Model, Year: pa.Plan.Year, Page: caunoi.Page{Limit: caunoi.MaxPageSize}}); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, n := range d.Norms {
		if !seen[n.Activity] {
			seen[n.Activity] = true
			d.Activities = append(d.Activities, n.Activity)
		}
	}
	return s.newPage(r, "page.budget", d), nil
}

// budgetShow shows a plan against what was spent: per line and in all,
// with the people reached in its year and the cost per person.
func (s *Server) budgetShow(w http.ResponseWriter, r *http.Request) {
	v := url.Values{"id": {caunoi.NewID()}, "spent_on": {fwToday()}}
	p, err := s.budgetPage(r, r.PathValue("id"), v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "budget", p)
}

// budgetStep runs a write from a form of a plan's page.
func (s *Server) budgetStep(w http.ResponseWriter, r *http.Request, msg string, do func(f url.Values, fields *[]caunoi.FieldError) error) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	var fields []caunoi.FieldError
	if err := do(r.PostForm, &fields); err != nil {
		p, perr := s.budgetPage(r, id, fwClone(r.PostForm))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "budget", p, err)
		return
	}
	s.redirect(w, r, "/budgets/"+id, msg)
}

// budgetLine adds a line to a plan.
func (s *Server) budgetLine(w http.ResponseWriter, r *http.Request) {
	s.budgetStep(w, r, "msg.saved", func(f url.Values, fields *[]caunoi.FieldError) error {
		l := &caunoi.BudgetLine{Activity: f.Get("activity"), Quantity: fwQuantity(f, "quantity", "quantity", fields),
			Cases: fwQuantity(f, "cases", "cases", fields), UnitCost: moneyField(f, "unit_cost", fields), Notes: f.Get("notes")}
		if err := fwFieldErrors(*fields); err != nil {
			return err
		}
		_, err := s.Budgets.AddLine(r.Context(), r.PathValue("id"), formVersion(f), l)
		return err
	})
}

// budgetSpend records an expenditure against a line of a plan.
func (s *Server) budgetSpend(w http.ResponseWriter, r *http.Request) {
	s.budgetStep(w, r, "msg.budget.spent", func(f url.Values, fields *[]caunoi.FieldError) error {
		e := &caunoi.Expenditure{ID: f.Get("id"), LineID: f.Get("line_id"), SpentOn: moneyOptDay(f, "spent_on", fields),
			Amount: moneyField(f, "amount", fields), Quantity: fwQuantity(f, "quantity", "quantity", fields),
			Description: f.Get("description"), OverrideReason: f.Get("override_reason")}
		if err := fwFieldErrors(*fields); err != nil {
			return err
		}
		_, err := s.Budgets.RecordExpenditure(r.Context(), r.PathValue("id"), e)
		return err
	})
}

// budgetVoid voids a plan with the reason given.
func (s *Server) budgetVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.Budgets.VoidPlan(r.Context(), r.PathValue("id"), formVersion(r.PostForm), r.PostForm.Get("reason")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/budgets", "msg.voided")
}

// expenditureVoid voids an expenditure with the reason given and goes
// back to its plan.
func (s *Server) expenditureVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.Budgets.VoidExpenditure(r.Context(), r.PathValue("id"), formVersion(r.PostForm), r.PostForm.Get("reason"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/budgets/"+e.PlanID, "msg.voided")
}

// normListData is the norm framework and the form of a new norm.
type normListData struct {
	Norms      []*caunoi.CostNorm
	Pager      pager
	Orgs       []*caunoi.Organisation // where the user sets norms
	Models     []caunoi.Model
	Activities []string
	Units      []string
	V          url.Values
}

func (s *Server) normPage(r *http.Request, v url.Values) (*page, error) {
	ctx := r.Context()
	pg, n := pageOf(r)
	q := r.URL.Query()
	f := caunoi.NormFilter{Model: caunoi.Model(fwChoice(q.Get("model"), modelStrings())), Page: pg}
	norms, total, err := s.Budgets.FindNorms(ctx, f)
	if err != nil {
		return nil, err
	}
	d := &normListData{Norms: norms, Pager: newPager(r, n, total), Models: caunoi.Models, Activities: caunoi.CostActivities, Units: caunoi.CostUnits, V: v}
	if caunoi.ActorFromContext(ctx).Can(caunoi.PermNormWrite) {
		if d.Orgs, err = s.fwOrgs(ctx, caunoi.PermNormWrite); err != nil {
			return nil, err
		}
		if v.Get("org_id") == "" {
			v.Set("org_id", fwDefaultOrg(d.Orgs))
		}
	}
	p := s.newPage(r, "page.norms", d)
	p.Form = q
	return p, nil
}

func modelStrings() []string {
	out := make([]string, len(caunoi.Models))
	for i, m := range caunoi.Models {
		out[i] = string(m)
	}
	return out
}

// normList shows the unit-cost norms that hold for the user's
// organisations, and to those who set norms, the form of a new one.
func (s *Server) normList(w http.ResponseWriter, r *http.Request) {
	p, err := s.normPage(r, url.Values{"id": {caunoi.NewID()}, "valid_from": {"01/01/" + strconv.Itoa(caunoi.Today().Year())}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "norms", p)
}

// normCreate sets a norm from the form.
func (s *Server) normCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var fields []caunoi.FieldError
	n := &caunoi.CostNorm{ID: f.Get("id"), OrgID: f.Get("org_id"), Model: caunoi.Model(f.Get("model")), Activity: f.Get("activity"), Unit: f.Get("unit"),
		MaxUnitCost: moneyField(f, "max_unit_cost", &fields), MaxPerCase: fwQuantity(f, "max_per_case", "max_per_case", &fields),
		ValidFrom: fwDay(f, "valid_from", &fields), Notes: f.Get("notes")}
	if strings.TrimSpace(f.Get("valid_to")) != "" {
		to := fwDay(f, "valid_to", &fields)
		n.ValidTo = to.Time()
	}
	err := fwFieldErrors(fields)
	if err == nil {
		err = s.Budgets.CreateNorm(r.Context(), n)
	}
	if err != nil {
		p, perr := s.normPage(r, fwClone(f))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "norms", p, err)
		return
	}
	s.redirect(w, r, "/budgets/norms", "msg.saved")
}

// normVoid voids a norm with the reason given.
func (s *Server) normVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.Budgets.VoidNorm(r.Context(), r.PathValue("id"), formVersion(r.PostForm), r.PostForm.Get("reason")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/budgets/norms", "msg.voided")
}
