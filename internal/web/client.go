package web

import (
	"net/http"

	"caunoi"
)

// clientListData is what the client list shows.
type clientListData struct {
	Clients     []*caunoi.Client
	Populations []caunoi.Population
	Statuses    []string
	Pager       pager
}

// clientList lists the clients of the user's subtree; national officers
// never reach it (no client.read).
func (s *Server) clientList(w http.ResponseWriter, r *http.Request) {
	pg, n := pageOf(r)
	q := r.URL.Query()
	clients, total, err := s.Clients.FindClients(r.Context(), caunoi.ClientFilter{Query: q.Get("q"), Population: caunoi.Population(q.Get("population")),
		Status: q.Get("status"), OrgID: q.Get("org"), Page: pg})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "page.clients", &clientListData{Clients: clients, Populations: caunoi.Populations, Statuses: caunoi.ClientStatuses, Pager: newPager(r, n, total)})
	p.Form = q
	s.render(w, r, http.StatusOK, "clients", p)
}

// clientShowData is what a client's page shows.
type clientShowData struct {
	Client   *caunoi.Client
	Org      *caunoi.Organisation
	Contacts []*caunoi.Contact
}

// clientShow shows one client; the read is audited by storage.
func (s *Server) clientShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := s.Clients.FindClientByID(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &clientShowData{Client: c}
	d.Org, _ = s.Orgs.FindOrgByID(ctx, c.OrgID)
	if d.Contacts, _, err = s.Contacts.FindContacts(ctx, caunoi.ContactFilter{ClientID: c.ID, Page: caunoi.Page{Limit: 20}}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "client", s.newPage(r, "page.client", d))
}

// contactListData is what the contact list shows.
type contactListData struct {
	Contacts []*caunoi.Contact
	Pager    pager
}

// contactList lists outreach contacts of the user's subtree, newest first.
func (s *Server) contactList(w http.ResponseWriter, r *http.Request) {
	pg, n := pageOf(r)
	q := r.URL.Query()
	f := caunoi.ContactFilter{OrgID: q.Get("org"), Page: pg}
	if q.Get("mine") != "" {
		f.WorkerID = caunoi.ActorFromContext(r.Context()).UserID
	}
	contacts, total, err := s.Contacts.FindContacts(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "page.contacts", &contactListData{Contacts: contacts, Pager: newPager(r, n, total)})
	p.Form = q
	s.render(w, r, http.StatusOK, "contacts", p)
}
