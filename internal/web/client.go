package web

import (
	"net/http"
	"strings"

	"caunoi"
)

// clientListData is what the client list shows.
type clientListData struct {
	Clients     []*caunoi.Client
	Populations []caunoi.Population
	Statuses    []string
	Pager       pager
	// Lookup is set when the list answers an exact lookup by phone or
	// identity number rather than the filters.
	Lookup  bool
	IDKinds []string
}

// clientList lists the clients of the user's subtree; national officers
// never reach it (no client.read).
func (s *Server) clientList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := &clientListData{Populations: caunoi.Populations, Statuses: caunoi.ClientStatuses, IDKinds: []string{"phone", "id_number"}}
	pg, n := pageOf(r)
	clients, total, err := s.Clients.FindClients(r.Context(), caunoi.ClientFilter{Query: q.Get("q"), Population: caunoi.Population(q.Get("population")),
		Status: q.Get("status"), OrgID: q.Get("org"), Page: pg})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Clients, d.Pager = clients, newPager(r, n, total)
	p := s.newPage(r, "page.clients", d)
	p.Form = q
	s.render(w, r, http.StatusOK, "clients", p)
}

// clientLookup finds clients by the exact phone or identity number
// (id_kind=phone|id_number, id_value), through the blind index. It is a
// POST so that the number stays out of URLs, browser history and logs.
func (s *Server) clientLookup(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	d := &clientListData{Populations: caunoi.Populations, Statuses: caunoi.ClientStatuses, IDKinds: []string{"phone", "id_number"}, Lookup: true}
	p := s.newPage(r, "page.clients", d)
	p.Form = f
	clients, err := s.Clients.FindClientsByIdentifier(r.Context(), f.Get("id_kind"), strings.TrimSpace(f.Get("id_value")))
	if err != nil {
		if caunoi.ErrorCode(err) != caunoi.EINVALID {
			s.fail(w, r, err)
			return
		}
		p.Error, p.Fields = p.L.Error(err)
		s.render(w, r, http.StatusUnprocessableEntity, "clients", p)
		return
	}
	d.Clients = clients
	d.Pager = pager{Page: 1, Pages: 1, Total: len(clients)}
	s.render(w, r, http.StatusOK, "clients", p)
}

// clientShow shows one client with its identifying fields, status history,
// consents, memberships and the forms to change them; the read is audited
// by storage.
func (s *Server) clientShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.clientPage(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "client", p)
}

// contactListData is what the contact list shows.
type contactListData struct {
	Contacts    []*caunoi.Contact
	Populations []caunoi.Population
	Pager       pager
}

// contactListPage prepares the list of outreach contacts of the user's
// subtree, newest first.
func (s *Server) contactListPage(r *http.Request) (*page, error) {
	pg, n := pageOf(r)
	q := r.URL.Query()
	d := &contactListData{Populations: caunoi.Populations}
	f, err := contactFilter(r)
	if err != nil {
		if caunoi.ErrorCode(err) != caunoi.EINVALID {
			return nil, err
		}
		p := s.newPage(r, "page.contacts", d)
		p.Form = q
		p.Error, p.Fields = p.L.Error(err)
		return p, nil
	}
	f.Page = pg
	contacts, total, err := s.Contacts.FindContacts(r.Context(), f)
	if err != nil {
		return nil, err
	}
	d.Contacts, d.Pager = contacts, newPager(r, n, total)
	p := s.newPage(r, "page.contacts", d)
	p.Form = q
	return p, nil
}

// contactFilter reads the filters of the contacts list and its export:
// ?org=, ?client=, ?place=, ?population=, ?mine=, and the period ?from=
// ?to= (days, both included; contacts are moments, so days run from
// midnight in Vietnam).
func contactFilter(r *http.Request) (caunoi.ContactFilter, error) {
	q := r.URL.Query()
	f := caunoi.ContactFilter{OrgID: q.Get("org"), ClientID: q.Get("client"), PlaceID: q.Get("place"), Population: caunoi.Population(q.Get("population"))}
	if q.Get("mine") != "" {
		f.WorkerID = caunoi.ActorFromContext(r.Context()).UserID
	}
	var err error
	f.From, f.To, err = fwMoments(q)
	return f, err
}

// contactList lists outreach contacts of the user's subtree, newest first.
func (s *Server) contactList(w http.ResponseWriter, r *http.Request) {
	p, err := s.contactListPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "contacts", p)
}
