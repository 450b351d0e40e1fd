package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"caunoi"
)

// contactClientLimit is how many of a group's clients the quick capture
// lists by name; the search finds the others.
const contactClientLimit = 200

// contactRadioLimit is how many clients are offered as one-tap choices.
const contactRadioLimit = 8

// checkItem is a checkbox of a list.
type checkItem struct {
	Value   string
	Checked bool
}

// qtyItem is a quantity input.
type qtyItem struct {
	Name, Value string
}

// contactFormData is what the quick capture of a contact needs. The values
// typed are in the page's Form.
type contactFormData struct {
	Orgs        []*caunoi.Organisation
	Org         *caunoi.Organisation
	Query       string
	Searched    bool
	Choices     []*caunoi.Client // one-tap choices: the search's results, else the recent clients
	Others      []*caunoi.Client // every other client of the group, by name
	More        bool             // the group has more clients than listed
	Places      []*caunoi.Place
	Channels    []string
	Sexes       []string
	Populations []caunoi.Population
	Topics      []checkItem
	Commodities []qtyItem
	Today       string // yyyy-mm-dd, the latest day the date input offers
}

// contactForm prepares the quick capture with the values v: the worker's
// groups, their clients (those of the worker's recent contacts first),
// places, topics and commodities.
func (s *Server) contactForm(r *http.Request, v url.Values) (*page, error) {
	ctx := r.Context()
	a := caunoi.ActorFromContext(ctx)
	orgs, err := s.writableGroups(r, caunoi.PermContactWrite)
	if err != nil {
		return nil, err
	}
	d := &contactFormData{Orgs: orgs, Channels: caunoi.Channels, Sexes: caunoi.Sexes, Populations: caunoi.Populations,
		Today: time.Now().In(caunoi.Zone).Format(caunoi.DateLayout)}
	for _, o := range orgs {
		if o.ID == v.Get("org_id") {
			d.Org = o
		}
	}
	if d.Org == nil && len(orgs) > 0 {
		d.Org = orgs[0]
	}
	if d.Org != nil {
		v.Set("org_id", d.Org.ID)
		d.Query = strings.TrimSpace(v.Get("q"))
		if err := s.contactClients(r, a, d, v); err != nil {
			return nil, err
		}
		if d.Places, _, err = s.Places.FindPlaces(ctx, caunoi.PlaceFilter{OrgID: d.Org.ID, Page: caunoi.Page{Limit: caunoi.MaxPageSize}}); err != nil {
			return nil, err
		}
	}
	for _, t := range caunoi.Topics {
		d.Topics = append(d.Topics, checkItem{Value: t, Checked: slices.Contains(v["topics"], t)})
	}
	for _, c := range caunoi.Commodities {
		d.Commodities = append(d.Commodities, qtyItem{Name: c, Value: v.Get("qty_" + c)})
	}
	p := s.newPage(r, "page.contact_new", d)
	p.Form = v
	return p, nil
}

// contactClients fills the clients to choose from. The group's clients are
// listed by name (FindClients, which does not audit: no identifying field
// is read); the clients of the worker's last contacts come first, or the
// results of the search. The chosen client stays among the choices.
func (s *Server) contactClients(r *http.Request, a *caunoi.Actor, d *contactFormData, v url.Values) error {
	ctx := r.Context()
	all, total, err := s.Clients.FindClients(ctx, caunoi.ClientFilter{OrgID: d.Org.ID, Page: caunoi.Page{Limit: contactClientLimit}})
	if err != nil {
		return err
	}
	d.More = total > len(all)
	chosen := map[string]bool{}
	choose := func(c *caunoi.Client) {
		if !chosen[c.ID] {
			chosen[c.ID] = true
			d.Choices = append(d.Choices, c)
		}
	}
	if d.Query != "" {
		d.Searched = true
		found, _, err := s.Clients.FindClients(ctx, caunoi.ClientFilter{OrgID: d.Org.ID, Query: d.Query, Page: caunoi.Page{Limit: 20}})
		if err != nil {
			return err
		}
		for _, c := range found {
			choose(c)
		}
		if len(found) == 1 && v.Get("client_id") == "" && v.Get("client_pick") == "" {
			v.Set("client_id", found[0].ID)
		}
	} else {
		recent, _, err := s.Contacts.FindContacts(ctx, caunoi.ContactFilter{OrgID: d.Org.ID, WorkerID: a.UserID, Page: caunoi.Page{Limit: 50}})
		if err != nil {
			return err
		}
		byID := map[string]*caunoi.Client{}
		for _, c := range all {
			byID[c.ID] = c
		}
		for _, k := range recent {
			if c := byID[k.ClientID]; c != nil && len(d.Choices) < contactRadioLimit {
				choose(c)
			}
		}
	}
	for _, c := range all {
		if c.ID == v.Get("client_id") {
			choose(c)
		}
	}
	for _, c := range all {
		if !chosen[c.ID] {
			d.Others = append(d.Others, c)
		}
	}
	return nil
}

// contactNew shows the quick capture of a contact: now, in person, at the
// last place, for the worker's group. ?q= searches a client by nickname
// or UIC.
func (s *Server) contactNew(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	now := time.Now().In(caunoi.Zone)
	v.Set("id", caunoi.NewID())
	v.Set("date", now.Format(caunoi.DateLayout))
	v.Set("time", now.Format("15:04"))
	if !slices.Contains(caunoi.Channels, v.Get("channel")) {
		v.Set("channel", "in_person")
	}
	p, err := s.contactForm(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "contact_form", p)
}

// contactFromForm reads a contact from the quick capture. The time is
// Vietnam's; empty quantities are none.
func contactFromForm(f url.Values) (*caunoi.Contact, error) {
	var v caunoi.Validator
	k := &caunoi.Contact{ID: f.Get("id"), OrgID: f.Get("org_id"), Channel: f.Get("channel"), PlaceID: f.Get("place_id"),
		Place: strings.TrimSpace(f.Get("place")), Notes: strings.TrimSpace(f.Get("notes")), Topics: f["topics"]}
	k.ClientID = f.Get("client_pick")
	if k.ClientID == "" {
		k.ClientID = f.Get("client_id")
	}
	if k.ClientID == "" {
		k.AnonSex, k.AnonPopulation = f.Get("anon_sex"), caunoi.Population(f.Get("anon_population"))
	}
	date, ok := caunoi.ParseDate(strings.TrimSpace(f.Get("date")))
	switch {
	case strings.TrimSpace(f.Get("date")) == "":
		v.Add("at", "err.date.required", nil)
	case !ok:
		v.Add("at", "err.date.format", nil)
	}
	clock, err := time.Parse("15:04", strings.TrimSpace(f.Get("time")))
	if err != nil {
		v.Add("at", "err.contact.time", nil)
	}
	if ok && err == nil {
		k.At = time.Date(date.Year(), date.Month(), date.Day(), clock.Hour(), clock.Minute(), 0, 0, caunoi.Zone)
	}
	for _, c := range caunoi.Commodities {
		raw := strings.TrimSpace(f.Get("qty_" + c))
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			v.Add("commodities", "err.contact.quantity", nil)
			continue
		}
		if n != 0 {
			if k.Commodities == nil {
				k.Commodities = map[string]int{}
			}
			k.Commodities[c] = n
		}
	}
	return k, v.Err()
}

// contactCreate records a contact from the quick capture and opens the
// next one with the same place, channel and group. The form's id makes a
// repeated submission store one contact.
func (s *Server) contactCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	k, err := contactFromForm(f)
	if err == nil {
		err = s.Contacts.CreateContact(r.Context(), k)
	}
	if err != nil {
		p, perr := s.contactForm(r, f)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "contact_form", p, err)
		return
	}
	next := url.Values{}
	for _, name := range []string{"org_id", "channel", "place_id", "anon_population"} {
		if v := f.Get(name); v != "" {
			next.Set(name, v)
		}
	}
	if f.Get("place_id") == "" && k.Place != "" {
		next.Set("place", k.Place)
	}
	s.redirect(w, r, "/contacts/new?"+next.Encode(), "msg.contact_saved")
}

// contactVoid voids a contact recorded by mistake, with the reason given.
func (s *Server) contactVoid(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	if _, err := s.Contacts.VoidContact(r.Context(), r.PathValue("id"), version, r.PostForm.Get("reason")); err != nil {
		if c := caunoi.ErrorCode(err); c != caunoi.EINVALID && c != caunoi.ECONFLICT {
			s.fail(w, r, err)
			return
		}
		p, perr := s.contactListPage(r)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "contacts", p, err)
		return
	}
	s.redirect(w, r, "/contacts", "msg.voided")
}
