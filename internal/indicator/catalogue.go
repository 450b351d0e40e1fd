// Package indicator is the counting engine of Cầu Nối: indicator
// definitions as data (the shipped catalogue and user-defined ones), the
// sources they count, their checks (unknown names, cycles, ratios of
// ratios), the SQL that evaluates them on SQLite and PostgreSQL — from the
// records themselves or from the rollups kept beside them — and the
// assembly of the answer: sums, ratios, zero cells, and the suppression of
// small cells with their complements.
//
// The package builds queries and assembles their results; package sqldb
// runs them inside the actor's scope.
package indicator

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"

	"caunoi"
)

//go:embed catalogue.json
var catalogueJSON []byte

// catalogue is the shipped catalogue, checked once.
var catalogue = mustCatalogue()

func mustCatalogue() []*caunoi.Indicator {
	defs, err := parseCatalogue(catalogueJSON)
	if err != nil {
		panic(err)
	}
	return defs
}

// parseCatalogue reads and checks a catalogue file.
func parseCatalogue(b []byte) ([]*caunoi.Indicator, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var defs []*caunoi.Indicator
	if err := dec.Decode(&defs); err != nil {
		return nil, fmt.Errorf("indicator catalogue: %w", err)
	}
	set := map[string]*caunoi.Indicator{}
	for _, d := range defs {
		d.BuiltIn = true
		if err := d.Validate(); err != nil {
			return nil, fmt.Errorf("indicator catalogue: %s: %w", d.Code, err)
		}
		if set[d.Code] != nil {
			return nil, fmt.Errorf("indicator catalogue: %s is defined twice", d.Code)
		}
		set[d.Code] = d
	}
	for _, d := range defs {
		if err := Check(d, set); err != nil {
			return nil, fmt.Errorf("indicator catalogue: %s: %w", d.Code, err)
		}
	}
	return defs, nil
}

// Catalogue returns copies of the shipped indicators, in catalogue order.
func Catalogue() []*caunoi.Indicator {
	out := make([]*caunoi.Indicator, len(catalogue))
	for i, d := range catalogue {
		c := *d
		c.Kinds, c.Outcomes, c.Terms = slices.Clone(d.Kinds), slices.Clone(d.Outcomes), slices.Clone(d.Terms)
		c.Populations, c.Disaggregations = slices.Clone(d.Populations), slices.Clone(d.Disaggregations)
		out[i] = &c
	}
	return out
}

// Sections lists the sections of a report, in order.
var Sections = []string{"outreach", "groups", "services", "legal", "livelihoods", "protection", "money"}
