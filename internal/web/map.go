package web

import (
	"net/http"
	"net/url"
	"strings"

	"caunoi"
)

// mapData is what the map page needs: the period, where the layers come
// from, and the tiles when they are configured.
type mapData struct {
	Org                 *caunoi.Organisation
	Orgs                []*caunoi.Organisation
	Periods             []periodOption
	Period              caunoi.Period
	PlacesURL           string // "" when the actor may not see places
	ProvincesURL        string
	Tiles, Attribution  string
	Outlines            string
	ShowProvinces       bool
	CanSeePlacesAndList bool
}

// tileOrigin returns the scheme and host of a tile URL template, or "".
func tileOrigin(tmpl string) string {
	u, err := url.Parse(strings.NewReplacer("{s}", "a", "{z}", "0", "{x}", "0", "{y}", "0", "{r}", "").Replace(tmpl))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	host := u.Host
	if strings.Contains(tmpl, "{s}") {
		// Tile servers spread over subdomains a, b, c.
		if i := strings.Index(host, "."); i > 0 {
			host = "*" + host[i:]
		}
	}
	return u.Scheme + "://" + host
}

// mapPage shows the map: hotspots, establishments and service providers
// with popups and the contacts made at each in the period, and each
// province's numbers. Without configured tiles it draws Vietnam's outline
// and places the provinces on it, so it works offline.
func (s *Server) mapPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := caunoi.ActorFromContext(ctx)
	d := &mapData{Tiles: s.MapTiles, Attribution: s.MapAttribution, Outlines: "/static/map/vietnam.json"}
	p := s.newPage(r, "page.map", d)
	p.Form = r.URL.Query()
	d.Periods = periodOptions(p.L)
	params, err := s.readReportParams(ctx, r.URL.Query())
	if err != nil {
		p.Error, p.Fields = p.L.Error(err)
		params.Period = caunoi.CurrentPeriod(caunoi.PeriodHalf, caunoi.Today())
	}
	d.Period = params.Period
	if d.Orgs, err = s.reportOrgs(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, o := range d.Orgs {
		if o.ID == params.OrgID {
			d.Org = o
		}
	}
	if d.Org == nil {
		s.fail(w, r, caunoi.NotFound("org"))
		return
	}
	q := url.Values{"org_id": {d.Org.ID}, "period": {d.Period.Code()}}.Encode()
	if a.CanAt(caunoi.PermClientRead, d.Org.Path) {
		d.PlacesURL = "/api/v1/map/places?" + q
		d.CanSeePlacesAndList = true
	}
	if d.Org.Kind != caunoi.OrgGroup {
		d.ProvincesURL, d.ShowProvinces = "/api/v1/map/provinces?"+q, true
	}
	if origin := tileOrigin(s.MapTiles); origin != "" {
		w.Header().Set("Content-Security-Policy", strings.Replace(csp, "img-src 'self' data:", "img-src 'self' data: "+origin, 1))
	} else {
		d.Tiles = ""
	}
	s.render(w, r, http.StatusOK, "map", p)
}
