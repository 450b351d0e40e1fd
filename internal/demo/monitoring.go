package demo

import (
	"fmt"
	"maps"
	"slices"

	"caunoi"
	"caunoi/internal/sqldb"
)

// placeCentres are where each group works (latitude, longitude), from the
// seeds: Đồ Sơn and Cát Bà (Hải Phòng), Lê Chân (Hải Phòng), Nha Trang,
// Bãi Cháy and Hạ Long, Uông Bí, Cẩm Phả, Hồng Gai, and the wards of Long
// Xuyên. The demo's places are spread a little around them.
var placeCentres = map[string][2]float64{
	"hoaphuong": {20.715, 106.785}, "catba": {20.727, 107.048}, "vongtay": {20.851, 106.683}, "songbien": {12.245, 109.192},
	"halong": {20.955, 107.045}, "uongbi": {21.036, 106.772}, "campha": {21.012, 107.292}, "honggai": {20.952, 107.081},
	"mybinh": {10.386, 105.436}, "mylong": {10.378, 105.441}, "myxuyen": {10.372, 105.428}, "binhduc": {10.402, 105.412},
}

// provinceTargets are the demo's targets for the current year, per
// province department, drawn from the seeds' figures (Quảng Ninh's
// half-year of seed 002 doubled, An Giang's network of seed 003…).
var provinceTargets = map[string]map[string]float64{
	"haiphong":  {"CONTACTS": 300, "PERSONS_REACHED": 200, "GROUP_MEETINGS": 16, "HEALTH_CHECK_PARTICIPANTS": 50, "CONDOMS": 20000},
	"khanhhoa":  {"CONTACTS": 200, "PERSONS_REACHED": 150, "NEW_MEMBERS": 30, "GROUP_MEETINGS": 12, "LEGAL_AID_CASES": 30},
	"quangninh": {"CONTACTS": 460, "KP_PREV": 150, "CONDOMS": 20000, "NEW_MEMBERS": 100, "REFERRED_HIV_TEST": 160, "ESTABLISHMENTS_REACHED": 150},
	"angiang":   {"CONTACTS": 317, "COMMUNICATION_SESSIONS": 42, "COMMUNICATION_PARTICIPANTS": 1056, "STABLE_JOB_SHARE": 60, "VOCATIONAL_TRAINING": 126},
}

// makeMonitoring gives the demo's places coordinates, so the map shows
// them, and sets the provinces' targets for the current year.
func (l *loader) makeMonitoring(db *sqldb.DB) error {
	places := sqldb.NewPlaceService(db)
	for _, g := range groups {
		c, ok := placeCentres[g.org]
		if !ok {
			continue
		}
		list, _, err := places.FindPlaces(l.ctx, caunoi.PlaceFilter{OrgID: l.orgs[g.org].ID, Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
		if err != nil {
			return fmt.Errorf("demo: places of %s: %w", g.org, err)
		}
		for _, p := range list {
			lat := c[0] + float64(l.between(-60, 60))/10000
			lng := c[1] + float64(l.between(-60, 60))/10000
			if _, err := places.UpdatePlace(l.ctx, p.ID, caunoi.PlaceUpdate{Version: p.Version, Lat: &lat, Lng: &lng}); err != nil {
				return fmt.Errorf("demo: coordinates of %q: %w", p.Name, err)
			}
		}
	}
	if err := l.makeDHIS2(db); err != nil {
		return err
	}
	targets := sqldb.NewTargetService(db)
	year := caunoi.CurrentPeriod(caunoi.PeriodYear, l.now.In(caunoi.Zone))
	for _, key := range []string{"haiphong", "khanhhoa", "quangninh", "angiang"} {
		for _, code := range slices.Sorted(maps.Keys(provinceTargets[key])) {
			t := &caunoi.Target{OrgID: l.orgs[key].ID, Indicator: code, Period: year, Value: provinceTargets[key][code]}
			if err := targets.SetTarget(l.ctx, t); err != nil {
				return fmt.Errorf("demo: target %s of %s: %w", code, key, err)
			}
		}
	}
	return nil
}

// demoDHIS2 are the demo's DHIS2 data elements (made-up uids of the right
// shape) for the indicators a province sends upward.
var demoDHIS2 = []string{"CONTACTS", "PERSONS_REACHED", "KP_PREV", "CONDOMS", "NEW_MEMBERS", "GROUP_MEETINGS", "HIV_TESTED_WITH_RESULT", "REFERRED_HIV_TEST"}

// makeDHIS2 maps the demo's indicators to data elements and its
// provinces to org units, so the DHIS2 export works out of the box.
func (l *loader) makeDHIS2(db *sqldb.DB) error {
	svc := sqldb.NewDHIS2Service(db)
	for i, code := range demoDHIS2 {
		m := &caunoi.DHIS2Mapping{Kind: caunoi.DHIS2Indicator, Key: code, DHIS2ID: fmt.Sprintf("CnDemo%05d", i+1)}
		if err := svc.SetDHIS2Mapping(l.ctx, m); err != nil {
			return fmt.Errorf("demo: DHIS2 %s: %w", code, err)
		}
	}
	for i, key := range []string{"haiphong", "khanhhoa", "quangninh", "angiang", "hanoi"} {
		m := &caunoi.DHIS2Mapping{Kind: caunoi.DHIS2Org, Key: l.orgs[key].ID, DHIS2ID: fmt.Sprintf("OuDemo%05d", i+1)}
		if err := svc.SetDHIS2Mapping(l.ctx, m); err != nil {
			return fmt.Errorf("demo: DHIS2 %s: %w", key, err)
		}
	}
	return nil
}
