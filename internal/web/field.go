package web

import (
	"net/http"
	"strings"

	"caunoi"
)

// fieldData is what the offline capture needs: everything a form offers,
// so that the page works without a network once the service worker has
// kept it. It holds no client: the phone's own cache of clients is
// fetched by the page (GET /api/v1/sync/clients) into IndexedDB.
type fieldData struct {
	Orgs          []*caunoi.Organisation // where the actor records field work
	Places        []*caunoi.Place        // their mapped places
	ClientOrgs    []*caunoi.Organisation // where the actor registers clients
	Channels      []string
	Sexes         []string
	Populations   []caunoi.Population
	Residences    []string
	Topics        []string
	Commodities   []string
	ActivityKinds []string
	// The UIC formula, and the names it asks for (mother_name,
	// father_name, own_name), so the phone makes codes as the server does.
	UICFormula string
	UICNames   []string
	UICLen     int
	UICPattern string
	// CacheMax is how many clients the phone keeps.
	CacheMax int
}

// field shows the offline capture of peer educators and outreach workers:
// contacts with commodities, meeting attendance, new clients with a UIC,
// a look-up of the worker's own recent clients, and what waits to be
// sent.
func (s *Server) field(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := caunoi.ActorFromContext(ctx)
	orgs, err := s.writableGroups(r, caunoi.PermContactWrite)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &fieldData{Orgs: orgs, Channels: caunoi.Channels, Sexes: caunoi.Sexes, Populations: caunoi.Populations,
		Residences: caunoi.Residences, Topics: caunoi.Topics, Commodities: caunoi.Commodities, ActivityKinds: caunoi.ActivityKinds,
		UICFormula: s.UIC.String(), UICLen: s.UIC.Len(), UICPattern: s.UIC.Pattern(), CacheMax: caunoi.FieldCacheSize}
	for _, n := range s.UIC.Needs() {
		if strings.HasSuffix(n, "_name") {
			d.UICNames = append(d.UICNames, n)
		}
	}
	if a.Can(caunoi.PermClientWrite) {
		if d.ClientOrgs, err = s.writableGroups(r, caunoi.PermClientWrite); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if a.Can(caunoi.PermClientRead) && len(orgs) > 0 {
		places, _, err := s.Places.FindPlaces(ctx, caunoi.PlaceFilter{Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, p := range places {
			for _, o := range orgs {
				if p.OrgID == o.ID {
					d.Places = append(d.Places, p)
					break
				}
			}
		}
	}
	s.render(w, r, http.StatusOK, "field", s.newPage(r, "page.field", d))
}
