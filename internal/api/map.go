package api

import (
	"net/http"

	"caunoi"
)

// provinceCentres are the approximate centres (latitude, longitude) of the
// 34 provinces in force since 1 July 2025, where the map puts each
// province's numbers.
var provinceCentres = map[string][2]float64{
	"01": {21.03, 105.80}, "04": {22.67, 106.15}, "08": {22.25, 105.10}, "11": {21.55, 103.05}, "12": {22.35, 103.30},
	"14": {21.25, 104.00}, "15": {22.10, 104.30}, "19": {21.90, 105.80}, "20": {21.85, 106.65}, "22": {21.10, 107.30},
	"24": {21.30, 106.25}, "25": {21.10, 105.25}, "31": {20.90, 106.45}, "33": {20.60, 106.20}, "37": {20.30, 106.00},
	"38": {20.00, 105.45}, "40": {19.20, 104.90}, "42": {18.30, 105.75}, "44": {17.15, 106.55}, "46": {16.35, 107.45},
	"48": {15.75, 107.95}, "51": {14.90, 108.30}, "52": {14.00, 108.45}, "56": {12.00, 108.95}, "66": {12.85, 108.45},
	"68": {11.60, 107.90}, "75": {11.35, 106.95}, "79": {10.75, 106.75}, "80": {10.95, 106.15}, "82": {10.45, 105.95},
	"86": {9.95, 106.25}, "91": {10.20, 105.05}, "92": {9.80, 105.75}, "96": {9.15, 105.15},
}

// Feature is a GeoJSON point feature.
type Feature struct {
	Type       string         `json:"type"`
	Geometry   Point          `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

// Point is a GeoJSON point: [longitude, latitude].
type Point struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

// FeatureCollection is a GeoJSON feature collection.
type FeatureCollection struct {
	Type     string    `json:"type"`
	Features []Feature `json:"features"`
}

func point(lat, lng float64, props map[string]any) Feature {
	return Feature{Type: "Feature", Geometry: Point{Type: "Point", Coordinates: [2]float64{lng, lat}}, Properties: props}
}

// MapPlaces answers GET /api/v1/map/places?org_id=&period=: the hotspots
// and establishments with coordinates, each with the contacts made there
// in the period, and the service providers with coordinates.
func (a *API) MapPlaces(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var v caunoi.Validator
	p := queryPeriod(&v, q)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	ctx := r.Context()
	orgID := q.Get("org_id")
	counts, err := a.Map.ContactsByPlace(ctx, orgID, p)
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	fc := FeatureCollection{Type: "FeatureCollection", Features: []Feature{}}
	for off := 0; ; off += caunoi.MaxPageSize {
		places, total, err := a.Places.FindPlaces(ctx, caunoi.PlaceFilter{OrgID: orgID, Page: caunoi.Page{Offset: off, Limit: caunoi.MaxPageSize}})
		if err != nil {
			a.WriteError(w, r, err)
			return
		}
		for _, pl := range places {
			if pl.Lat == nil || pl.Lng == nil {
				continue
			}
			fc.Features = append(fc.Features, point(*pl.Lat, *pl.Lng, map[string]any{"id": pl.ID, "layer": pl.Kind, "name": pl.Name, "type": pl.Type,
				"address": pl.Address, "estimated_workers": pl.EstimatedWorkers, "contacts": counts[pl.ID]}))
		}
		if len(places) == 0 || off+len(places) >= total {
			break
		}
	}
	if a.Providers != nil && caunoi.ActorFromContext(ctx).Can(caunoi.PermProviderRead) {
		for off := 0; ; off += caunoi.MaxPageSize {
			ps, total, err := a.Providers.FindProviders(ctx, caunoi.ProviderFilter{OrgID: orgID, Page: caunoi.Page{Offset: off, Limit: caunoi.MaxPageSize}})
			if err != nil {
				a.WriteError(w, r, err)
				return
			}
			for _, pr := range ps {
				if pr.Lat == nil || pr.Lng == nil {
					continue
				}
				fc.Features = append(fc.Features, point(*pr.Lat, *pr.Lng, map[string]any{"id": pr.ID, "layer": "provider", "name": pr.Name, "type": pr.Kind,
					"address": pr.Address, "services": pr.Services, "contact": pr.Contact, "opening_hours": pr.OpeningHours}))
			}
			if len(ps) == 0 || off+len(ps) >= total {
				break
			}
		}
	}
	WriteJSON(w, http.StatusOK, fc)
}

// MapProvinces answers GET /api/v1/map/provinces?org_id=&period=: each
// province of the organisation's subtree at its centre, with its contacts
// and people reached in the period, suppressed as shared output.
func (a *API) MapProvinces(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var v caunoi.Validator
	p := queryPeriod(&v, q)
	orgID := q.Get("org_id")
	v.Check(orgID != "", "org_id", "err.field.required", nil)
	if err := v.Err(); err != nil {
		a.WriteError(w, r, err)
		return
	}
	vals, err := a.Indicators.Evaluate(r.Context(), caunoi.ValueQuery{OrgID: orgID, Period: p, Shared: true,
		Indicators: []string{"CONTACTS", "PERSONS_REACHED"}, Groupings: [][]string{{caunoi.DimProvince}}})
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	fc := FeatureCollection{Type: "FeatureCollection", Features: []Feature{}}
	contacts, persons := vals.Find("CONTACTS", caunoi.DimProvince), vals.Find("PERSONS_REACHED", caunoi.DimProvince)
	for _, c := range contacts.Cells {
		code := c.Keys[caunoi.DimProvince]
		at, ok := provinceCentres[code]
		if !ok {
			continue
		}
		pc := persons.Cell(caunoi.DimProvince, code)
		fc.Features = append(fc.Features, point(at[0], at[1], map[string]any{"layer": "province", "code": code, "name": vals.Labels[caunoi.DimProvince][code],
			"contacts": c.Value, "contacts_suppressed": c.Suppressed, "people": pc.Value, "people_suppressed": pc.Suppressed}))
	}
	WriteJSON(w, http.StatusOK, fc)
}
