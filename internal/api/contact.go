package api

import (
	"net/http"
	"time"

	"caunoi"
)

// ListContacts answers GET
// /api/v1/contacts?org_id=&worker_id=&client_id=&place_id=&population=&from=&to=&offset=&limit=,
// newest first. population is the client's, or the anonymous person's.
// from and to are days (yyyy-mm-dd) in Vietnam's time zone; both are
// included.
func (a *API) ListContacts(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	var v caunoi.Validator
	f := caunoi.ContactFilter{
		OrgID:      q.Get("org_id"),
		WorkerID:   q.Get("worker_id"),
		ClientID:   q.Get("client_id"),
		PlaceID:    q.Get("place_id"),
		Population: queryChoice(&v, q, "population", caunoi.Populations),
		From:       queryDay(&v, q, "from", false),
		To:         queryDay(&v, q, "to", true),
		Page:       p,
	}
	queryRange(&v, f.From, f.To)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	contacts, total, err := a.Contacts.FindContacts(r.Context(), f)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, list(contacts, total, p))
}

// CreateContactRequest is the body of POST /api/v1/contacts. ID is
// optional: a phone may send its own UUIDv7 so that a contact recorded
// offline and sent twice is applied once. Either ClientID, or AnonSex and
// AnonPopulation for an anonymous person. At is an RFC 3339 time, e.g.
// "2025-07-01T19:30:00+07:00". PlaceID is a mapped place (a hotspot or an
// establishment), Place a place in words; Topics are what was talked
// about. The worker is the actor.
type CreateContactRequest struct {
	ID             string            `json:"id,omitempty"`
	OrgID          string            `json:"org_id"`
	ClientID       string            `json:"client_id,omitempty"`
	AnonSex        string            `json:"anon_sex,omitempty"`
	AnonPopulation caunoi.Population `json:"anon_population,omitempty"`
	At             string            `json:"at"`
	Channel        string            `json:"channel,omitempty"`
	PlaceID        string            `json:"place_id,omitempty"`
	Place          string            `json:"place,omitempty"`
	Topics         []string          `json:"topics,omitempty"`
	Commodities    map[string]int    `json:"commodities,omitempty"`
	Notes          string            `json:"notes,omitempty"`
}

// CreateContact answers POST /api/v1/contacts with 201 and the contact.
func (a *API) CreateContact(w http.ResponseWriter, r *http.Request) {
	var req CreateContactRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	c, err := req.contact()
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	if err := a.Contacts.CreateContact(r.Context(), c); err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, c)
}

// contact returns the contact the request describes; the time must be
// RFC 3339.
func (req CreateContactRequest) contact() (*caunoi.Contact, error) {
	c := &caunoi.Contact{ID: req.ID, OrgID: req.OrgID, ClientID: req.ClientID, AnonSex: req.AnonSex, AnonPopulation: req.AnonPopulation,
		Channel: req.Channel, PlaceID: req.PlaceID, Place: req.Place, Topics: req.Topics, Commodities: req.Commodities, Notes: req.Notes}
	if req.At != "" {
		at, err := time.Parse(time.RFC3339, req.At)
		if err != nil {
			return nil, caunoi.Invalid(caunoi.FieldError{Field: "at", Key: "err.datetime.format"})
		}
		c.At = at
	}
	return c, nil
}

// VoidContact answers POST /api/v1/contacts/{id}/void with
// {version, reason}.
func (a *API) VoidContact(w http.ResponseWriter, r *http.Request) {
	var req VoidRequest
	if err := decode(w, r, &req); err != nil {
		a.WriteError(w, r, err)
		return
	}
	c, err := a.Contacts.VoidContact(r.Context(), r.PathValue("id"), req.Version, req.Reason)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, c)
}
