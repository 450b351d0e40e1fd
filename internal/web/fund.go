package web

import (
	"net/http"
	"net/url"
	"strings"

	"caunoi"
)

// fundRow is a fund in the list with its portfolio today.
type fundRow struct {
	Fund      *caunoi.Fund
	Portfolio *caunoi.Portfolio
}

// fundListData is what the list of funds shows.
type fundListData struct {
	Funds []fundRow
	Pager pager
}

// fundList lists the funds the user may read, with their cash, principal
// outstanding and portfolio at risk today.
func (s *Server) fundList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pg, n := pageOf(r)
	funds, total, err := s.Funds.FindFunds(ctx, caunoi.FundFilter{Page: pg})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &fundListData{Pager: newPager(r, n, total)}
	for _, f := range funds {
		p, err := s.Loans.Portfolio(ctx, f.ID, caunoi.Today())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Funds = append(d.Funds, fundRow{Fund: f, Portfolio: p})
	}
	s.render(w, r, http.StatusOK, "funds", s.newPage(r, "page.funds", d))
}

// fundFormData is what the form of a new fund needs.
type fundFormData struct {
	V    url.Values
	Orgs []*caunoi.Organisation
}

func (s *Server) fundForm(r *http.Request, v url.Values) (*page, error) {
	orgs, err := s.fwOrgs(r.Context(), caunoi.PermFundWrite)
	if err != nil {
		return nil, err
	}
	if v.Get("org_id") == "" {
		v.Set("org_id", fwDefaultOrg(orgs))
	}
	return s.newPage(r, "page.fund_new", &fundFormData{V: v, Orgs: orgs}), nil
}

// fundNew shows the form of a new fund.
func (s *Server) fundNew(w http.ResponseWriter, r *http.Request) {
	v := url.Values{"id": {caunoi.NewID()}, "opened_on": {fwToday()}}
	p, err := s.fundForm(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "fund_form", p)
}

// fundCreate opens a fund from the form; the form's UUIDv7 makes a second
// submission harmless.
func (s *Server) fundCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var fields []caunoi.FieldError
	f := &caunoi.Fund{ID: r.PostForm.Get("id"), OrgID: r.PostForm.Get("org_id"), Name: r.PostForm.Get("name"),
		Description: r.PostForm.Get("description"), OpenedOn: fwDay(r.PostForm, "opened_on", &fields)}
	err := fwFieldErrors(fields)
	if err == nil {
		err = s.Funds.CreateFund(r.Context(), f)
	}
	if err != nil {
		p, perr := s.fundForm(r, fwClone(r.PostForm))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "fund_form", p, err)
		return
	}
	s.redirect(w, r, "/funds/"+f.ID, "msg.saved")
}

// fundShowData is what a fund's page shows.
type fundShowData struct {
	Fund       *caunoi.Fund
	Portfolio  *caunoi.Portfolio
	On         string // the day of the portfolio, dd/mm/yyyy
	Entries    []*caunoi.LedgerEntry
	EntryTotal int
	Loans      []*caunoi.Loan // with client.read only
	LoanTotal  int
	Sources    []string
	Kinds      []string
	Targets    []*caunoi.Fund // funds a transfer may go to
	CanWrite   bool           // fund.write on the fund
	CanLoans   bool           // client.read: the loans and the arrears
	CanApply   bool           // loan.write somewhere below the fund
	V          url.Values
}

// fundEntriesShown is how many ledger entries a fund's page lists.
const fundEntriesShown = 15

// fundPage fills a fund's page; v holds the entry form's values.
func (s *Server) fundPage(r *http.Request, id string, v url.Values) (*page, error) {
	ctx := r.Context()
	a := caunoi.ActorFromContext(ctx)
	f, err := s.Funds.FindFundByID(ctx, id)
	if err != nil {
		return nil, err
	}
	on, onErr := moneyDayParam(r.URL.Query())
	d := &fundShowData{Fund: f, On: on.Format("02/01/2006"), Sources: caunoi.FundingSources, Kinds: caunoi.ManualEntryKinds, V: v,
		CanWrite: a.CanAt(caunoi.PermFundWrite, f.OrgPath), CanLoans: a.Can(caunoi.PermClientRead), CanApply: a.Can(caunoi.PermLoanWrite)}
	if d.Portfolio, err = s.Loans.Portfolio(ctx, f.ID, on); err != nil {
		return nil, err
	}
	if d.Entries, d.EntryTotal, err = s.Funds.FindEntries(ctx, f.ID, caunoi.EntryFilter{Page: caunoi.Page{Limit: fundEntriesShown}}); err != nil {
		return nil, err
	}
	if d.CanLoans {
		if d.Loans, d.LoanTotal, err = s.Loans.FindLoans(ctx, caunoi.LoanFilter{FundID: f.ID, Page: caunoi.Page{Limit: caunoi.DefaultPageSize}}); err != nil {
			return nil, err
		}
	}
	if d.CanWrite {
		all, _, err := s.Funds.FindFunds(ctx, caunoi.FundFilter{Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
		if err != nil {
			return nil, err
		}
		for _, t := range all {
			if t.ID != f.ID && a.CanAt(caunoi.PermFundWrite, t.OrgPath) {
				d.Targets = append(d.Targets, t)
			}
		}
	}
	p := s.newPage(r, "page.fund", d)
	if onErr != nil {
		p.Error, p.Fields = p.L.Error(onErr)
	}
	return p, nil
}

// fundShow shows a fund: its balance from the ledger, its portfolio on a
// day (?on=, today by default), its last entries and, for those who may
// read clients, its loans.
func (s *Server) fundShow(w http.ResponseWriter, r *http.Request) {
	v := url.Values{"id": {caunoi.NewID()}, "on": {fwToday()}, "kind": {caunoi.EntryCapitalIn}}
	p, err := s.fundPage(r, r.PathValue("id"), v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "fund", p)
}

// fundEntry records capital paid in, or a transfer to another fund.
func (s *Server) fundEntry(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	f := r.PostForm
	var fields []caunoi.FieldError
	in := &caunoi.FundEntry{ID: f.Get("id"), FundID: id, Kind: f.Get("kind"), Amount: moneyField(f, "amount", &fields),
		On: moneyOptDay(f, "on", &fields), Source: f.Get("source"), ToFundID: f.Get("to_fund_id"), Note: strings.TrimSpace(f.Get("note"))}
	err := fwFieldErrors(fields)
	if err == nil {
		_, err = s.Funds.RecordEntry(r.Context(), in)
	}
	if err != nil {
		p, perr := s.fundPage(r, id, fwClone(f))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "fund", p, err)
		return
	}
	s.redirect(w, r, "/funds/"+id, "msg.fund.entry_recorded")
}

// fundStatementData is what a printable fund statement shows.
type fundStatementData struct {
	St       *caunoi.FundStatement
	From, To string
	Printed  string
}

// fundStatement shows a fund's ledger over a period (?from= ?to=, days,
// both included; the whole book when left out), ready to print.
func (s *Server) fundStatement(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to, perr := fwPeriod(q)
	if to != nil {
		last := to.AddDate(0, 0, -1)
		to = &last
	}
	st, err := s.Funds.Statement(r.Context(), r.PathValue("id"), from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &fundStatementData{St: st, From: q.Get("from"), To: q.Get("to"), Printed: fwToday()}
	p := s.newPage(r, "page.fund_statement", d)
	p.Form = q
	if perr != nil {
		p.Error, p.Fields = p.L.Error(perr)
	}
	s.render(w, r, http.StatusOK, "fund_statement", p)
}

// fundArrearsData is the club's list of loans in arrears on a day.
type fundArrearsData struct {
	Fund      *caunoi.Fund
	Portfolio *caunoi.Portfolio
	Lines     []caunoi.ArrearsLine
	On        string
	Days      int
}

// fundArrears lists the fund's loans in arrears on a day (?on=, today by
// default) that the user may read, the longest overdue first.
func (s *Server) fundArrears(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	on, onErr := moneyDayParam(r.URL.Query())
	f, err := s.Funds.FindFundByID(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &fundArrearsData{Fund: f, On: on.Format("02/01/2006"), Days: caunoi.ArrearsDays}
	if d.Lines, err = s.Loans.Arrears(ctx, f.ID, on); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Portfolio, err = s.Loans.Portfolio(ctx, f.ID, on); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "page.fund_arrears", d)
	p.Form = r.URL.Query()
	if onErr != nil {
		p.Error, p.Fields = p.L.Error(onErr)
	}
	s.render(w, r, http.StatusOK, "fund_arrears", p)
}
