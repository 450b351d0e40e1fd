package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"caunoi"
	"caunoi/internal/money"
)

// loanListData is what the list of loans shows.
type loanListData struct {
	Loans    []*caunoi.Loan
	Statuses []string
	Funds    []*caunoi.Fund
	Pager    pager
}

// loanList lists the loans of the user's client.read scope, newest
// application first, by status and fund.
func (s *Server) loanList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pg, n := pageOf(r)
	q := r.URL.Query()
	f := caunoi.LoanFilter{Status: fwChoice(q.Get("status"), caunoi.LoanStatuses), FundID: q.Get("fund"), Page: pg}
	d := &loanListData{Statuses: caunoi.LoanStatuses}
	var err error
	if d.Funds, _, err = s.Funds.FindFunds(ctx, caunoi.FundFilter{Page: caunoi.Page{Limit: caunoi.MaxPageSize}}); err != nil {
		s.fail(w, r, err)
		return
	}
	if !slices.ContainsFunc(d.Funds, func(x *caunoi.Fund) bool { return x.ID == f.FundID }) {
		f.FundID = ""
	}
	var total int
	if d.Loans, total, err = s.Loans.FindLoans(ctx, f); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Pager = newPager(r, n, total)
	p := s.newPage(r, "page.loans", d)
	p.Form = q
	s.render(w, r, http.StatusOK, "loans", p)
}

// loanFormData is what the application form needs. V holds the values
// shown.
type loanFormData struct {
	V           url.Values
	Funds       []*caunoi.Fund
	Orgs        []*caunoi.Organisation
	Clients     []*caunoi.Client
	More        int
	Methods     []string
	Frequencies []string
}

// loanClientChoices bounds the clients the form lists; a search finds
// the others.
const loanClientChoices = 50

// loanForm fills the application form: the funds the user may see, the
// groups where she records loans, and the clients of the chosen group
// matching ?q=.
func (s *Server) loanForm(r *http.Request, v url.Values) (*page, error) {
	ctx := r.Context()
	orgs, err := s.fwOrgs(ctx, caunoi.PermLoanWrite)
	if err != nil {
		return nil, err
	}
	if v.Get("org_id") == "" {
		v.Set("org_id", fwDefaultOrg(orgs))
	}
	d := &loanFormData{V: v, Orgs: orgs, Methods: caunoi.LoanMethods, Frequencies: caunoi.LoanFrequencies}
	if d.Funds, _, err = s.Funds.FindFunds(ctx, caunoi.FundFilter{Page: caunoi.Page{Limit: caunoi.MaxPageSize}}); err != nil {
		return nil, err
	}
	if v.Get("fund_id") == "" && len(d.Funds) == 1 {
		v.Set("fund_id", d.Funds[0].ID)
	}
	if org := v.Get("org_id"); org != "" && fwNameOf(orgs, org) != "" {
		clients, total, err := s.Clients.FindClients(ctx, caunoi.ClientFilter{OrgID: org, Status: "", Query: strings.TrimSpace(v.Get("q")),
			Page: caunoi.Page{Limit: loanClientChoices}})
		if err != nil {
			return nil, err
		}
		d.Clients, d.More = clients, total-len(clients)
	}
	return s.newPage(r, "page.loan_new", d), nil
}

// loanNew shows the application form. Its client search comes back here
// with what was typed so far.
func (s *Server) loanNew(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	if !caunoi.ValidID(v.Get("id")) {
		v.Set("id", caunoi.NewID())
	}
	for k, def := range map[string]string{"applied_on": fwToday(), "method": caunoi.MethodDeclining, "frequency": caunoi.FrequencyMonthly,
		"term_months": "12", "rate": "12"} {
		if v.Get(k) == "" {
			v.Set(k, def)
		}
	}
	p, err := s.loanForm(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "loan_form", p)
}

// loanProposed reads a member's own schedule: one installment a line, a
// day and an amount ("15/08/2025 1.000.000").
func loanProposed(text string, fields *[]caunoi.FieldError) []caunoi.Installment {
	var out []caunoi.Installment
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		parts := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' || r == ';' })
		if len(parts) == 0 {
			continue
		}
		due, ok := caunoi.ParseDate(parts[0])
		amount, aok := moneyAmount(strings.Join(parts[1:], ""))
		if !ok || !aok || len(parts) < 2 {
			*fields = append(*fields, caunoi.FieldError{Field: "proposed", Key: "err.loan.schedule_line", Args: map[string]any{"No": i + 1}})
			return nil
		}
		out = append(out, caunoi.Installment{Due: caunoi.Date(due), Principal: amount})
	}
	return out
}

// loanFromForm reads the application form.
func loanFromForm(f url.Values) (*caunoi.Loan, error) {
	var fields []caunoi.FieldError
	l := &caunoi.Loan{ID: f.Get("id"), FundID: f.Get("fund_id"), ClientID: f.Get("client_id"), Purpose: f.Get("purpose"),
		Method: f.Get("method"), Frequency: f.Get("frequency")}
	l.Amount = moneyField(f, "amount", &fields)
	l.RateBP = moneyRateField(f, "rate", &fields)
	l.AppliedOn = fwDay(f, "applied_on", &fields)
	if l.Frequency == caunoi.FrequencyCustom {
		l.Proposed = loanProposed(f.Get("proposed"), &fields)
	} else {
		l.TermMonths = fwQuantity(f, "term_months", "term_months", &fields)
	}
	return l, fwFieldErrors(fields)
}

// loanCreate records an application from the form.
func (s *Server) loanCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := loanFromForm(r.PostForm)
	if err == nil {
		err = s.Loans.Apply(r.Context(), l)
	}
	if err != nil {
		p, perr := s.loanForm(r, fwClone(r.PostForm))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "loan_form", p, err)
		return
	}
	s.redirect(w, r, "/loans/"+l.ID, "msg.loan.applied")
}

// loanLine is an installment with what has been paid on it.
type loanLine struct {
	caunoi.Installment
	Paid    int64
	Settled bool
	Late    bool // due by the day and not settled
}

// loanShowData is what a loan's page and statement show.
type loanShowData struct {
	Loan        *caunoi.Loan
	Lines       []loanLine
	Total       int64 // principal and interest of the schedule
	Interest    int64
	On          string
	Appraisers  []*caunoi.User // who may be named as appraisers
	CanAppraise bool
	CanDecide   bool
	// Segregation says why the user may not decide, as a catalogue key.
	Segregation string
	CanDisburse bool
	CanRepay    bool
	CanWriteOff bool
	// Reversible is the latest repayment still standing, which the user
	// may undo when it was entered by mistake.
	Reversible *caunoi.Repayment
	V          url.Values
	Printed    string
}

// loanPage fills a loan's page (or its statement); v holds the values of
// its forms.
func (s *Server) loanPage(r *http.Request, id string, v url.Values, title string) (*page, error) {
	ctx := r.Context()
	a := caunoi.ActorFromContext(ctx)
	on, onErr := moneyDayParam(r.URL.Query())
	l, err := s.Loans.FindLoanByID(ctx, id, &on)
	if err != nil {
		return nil, err
	}
	d := &loanShowData{Loan: l, On: on.Format("02/01/2006"), V: v, Printed: fwToday()}
	_, d.Interest, d.Total = money.Sums(l.Schedule)
	for i, c := range money.Covered(l.Schedule, l.Repaid) {
		in := l.Schedule[i]
		d.Lines = append(d.Lines, loanLine{Installment: in, Paid: c, Settled: c == in.Total(), Late: c < in.Total() && !time.Time(in.Due).After(on)})
	}
	at := func(p caunoi.Permission) bool { return a.CanAt(p, l.OrgPath) }
	d.CanAppraise = l.Status == caunoi.LoanApplied && at(caunoi.PermLoanAppraise)
	if l.Status == caunoi.LoanAppraised && at(caunoi.PermLoanApprove) {
		switch {
		case l.AppliedBy == a.UserID:
			d.Segregation = "loan.segregation_applied"
		case l.Appraisal != nil && slices.Contains(l.Appraisal.Appraisers, a.UserID):
			d.Segregation = "loan.segregation_appraised"
		default:
			d.CanDecide = true
		}
	}
	d.CanDisburse = l.Status == caunoi.LoanApproved && at(caunoi.PermLoanDisburse)
	d.CanRepay = l.Status == caunoi.LoanActive && at(caunoi.PermLoanWrite)
	d.CanWriteOff = l.Status == caunoi.LoanActive && at(caunoi.PermLoanApprove)
	if (l.Status == caunoi.LoanActive || l.Status == caunoi.LoanMatured) && at(caunoi.PermLoanWrite) && title == "page.loan" {
		for i := len(l.Repayments) - 1; i >= 0; i-- {
			if l.Repayments[i].Reversal == nil {
				d.Reversible = &l.Repayments[i]
				break
			}
		}
	}
	if d.CanAppraise && a.Can(caunoi.PermUserRead) {
		users, _, err := s.Users.FindUsers(ctx, caunoi.UserFilter{OrgID: l.OrgID, Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if u.ID != a.UserID && !u.Disabled {
				d.Appraisers = append(d.Appraisers, u)
			}
		}
	}
	p := s.newPage(r, title, d)
	if onErr != nil {
		p.Error, p.Fields = p.L.Error(onErr)
	}
	return p, nil
}

// loanDefaults are the values the forms of a loan's page start with.
func loanDefaults() url.Values {
	today := fwToday()
	return url.Values{"id": {caunoi.NewID()}, "on": {today}, "paid_on": {today}, "recommendation": {"approve"}, "decision": {"approve"}}
}

// loanShow shows a loan with its schedule, its repayments, where it stands
// on a day (?on=, today by default), and the form of its next step for
// those who may take it. Reading it is audited.
func (s *Server) loanShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.loanPage(r, r.PathValue("id"), loanDefaults(), "page.loan")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "loan", p)
}

// loanStatement shows a loan's statement, ready to print.
func (s *Server) loanStatement(w http.ResponseWriter, r *http.Request) {
	p, err := s.loanPage(r, r.PathValue("id"), url.Values{}, "page.loan_statement")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "loan_statement", p)
}

// loanStep runs one step of a loan from its form: read reads the form (its
// field errors come back with the page), do takes the step. On an error
// the loan's page comes back with it; else the page, with the message.
func (s *Server) loanStep(w http.ResponseWriter, r *http.Request, msg string, do func(f url.Values, fields *[]caunoi.FieldError) error) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	var fields []caunoi.FieldError
	err := do(r.PostForm, &fields)
	if err != nil {
		p, perr := s.loanPage(r, id, fwClone(r.PostForm), "page.loan")
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "loan", p, err)
		return
	}
	s.redirect(w, r, "/loans/"+id, msg)
}

func formVersion(f url.Values) int {
	v, _ := strconv.Atoi(f.Get("version"))
	return v
}

// loanAppraise records the club's appraisal.
func (s *Server) loanAppraise(w http.ResponseWriter, r *http.Request) {
	s.loanStep(w, r, "msg.loan.appraised", func(f url.Values, fields *[]caunoi.FieldError) error {
		in := caunoi.AppraisalInput{Version: formVersion(f), On: moneyOptDay(f, "on", fields), Appraisers: f["appraisers"],
			Notes: f.Get("notes"), Recommendation: f.Get("recommendation")}
		if err := fwFieldErrors(*fields); err != nil {
			return err
		}
		_, err := s.Loans.Appraise(r.Context(), r.PathValue("id"), in)
		return err
	})
}

// loanDecide approves or rejects an appraised application.
func (s *Server) loanDecide(w http.ResponseWriter, r *http.Request) {
	s.loanStep(w, r, "msg.loan.decided", func(f url.Values, fields *[]caunoi.FieldError) error {
		in := caunoi.DecisionInput{Version: formVersion(f), On: moneyOptDay(f, "on", fields), Decision: f.Get("decision"), Note: f.Get("note")}
		if err := fwFieldErrors(*fields); err != nil {
			return err
		}
		_, err := s.Loans.Decide(r.Context(), r.PathValue("id"), in)
		return err
	})
}

// loanDisburse pays out an approved loan.
func (s *Server) loanDisburse(w http.ResponseWriter, r *http.Request) {
	s.loanStep(w, r, "msg.loan.disbursed", func(f url.Values, fields *[]caunoi.FieldError) error {
		in := caunoi.DisbursementInput{Version: formVersion(f), On: moneyOptDay(f, "on", fields), Note: f.Get("note")}
		if err := fwFieldErrors(*fields); err != nil {
			return err
		}
		_, err := s.Loans.Disburse(r.Context(), r.PathValue("id"), in)
		return err
	})
}

// loanRepay records a repayment; the form's UUIDv7 makes a second
// submission harmless.
func (s *Server) loanRepay(w http.ResponseWriter, r *http.Request) {
	s.loanStep(w, r, "msg.loan.repaid", func(f url.Values, fields *[]caunoi.FieldError) error {
		in := caunoi.RepaymentInput{ID: f.Get("id"), PaidOn: moneyOptDay(f, "paid_on", fields), Amount: moneyField(f, "amount", fields), Note: f.Get("note")}
		if err := fwFieldErrors(*fields); err != nil {
			return err
		}
		_, err := s.Loans.Repay(r.Context(), r.PathValue("id"), in)
		return err
	})
}

// loanWriteOff writes off an active loan with a reason.
func (s *Server) loanWriteOff(w http.ResponseWriter, r *http.Request) {
	s.loanStep(w, r, "msg.loan.written_off", func(f url.Values, fields *[]caunoi.FieldError) error {
		in := caunoi.WriteOffInput{Version: formVersion(f), On: moneyOptDay(f, "on", fields), Reason: f.Get("reason")}
		if err := fwFieldErrors(*fields); err != nil {
			return err
		}
		_, err := s.Loans.WriteOff(r.Context(), r.PathValue("id"), in)
		return err
	})
}

// repaymentReverse undoes a repayment entered by mistake, with the reason
// given, and goes back to its loan.
func (s *Server) repaymentReverse(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.Loans.ReverseRepayment(r.Context(), r.PathValue("id"), r.PostForm.Get("reason"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/loans/"+l.ID, "msg.loan.reversed")
}
