package indicator

import (
	"slices"

	"caunoi"
)

// Check checks a definition against a set of definitions (which may hold
// it): its source, kinds, outcomes, measure and dimensions must be ones
// the source has; the indicators it refers to must exist, not lead back to
// it, and not be ratios. Errors are EINVALID naming the field.
func Check(ind *caunoi.Indicator, set map[string]*caunoi.Indicator) error {
	var v caunoi.Validator
	if ind.Derived() {
		checkDerived(&v, ind, set)
	} else {
		checkBase(&v, ind)
	}
	return v.Err()
}

func checkBase(v *caunoi.Validator, ind *caunoi.Indicator) {
	src := SourceByName(ind.Source)
	if src == nil {
		v.Add("source", "err.indicator.source_unknown", map[string]any{"Source": ind.Source})
		return
	}
	if len(ind.Kinds) > 0 && (src.Kind == "" || !allowed(ind.Kinds, src.Kinds)) {
		v.Add("kinds", "err.indicator.kind_unknown", map[string]any{"Source": src.Name})
	}
	if len(ind.Details) > 0 && (src.Detail == "" || !allowed(ind.Details, src.Details)) {
		v.Add("details", "err.indicator.detail_unknown", map[string]any{"Source": src.Name})
	}
	if len(ind.Outcomes) > 0 && (src.Outcome == "" || !allowed(ind.Outcomes, src.Outcomes)) {
		v.Add("outcomes", "err.indicator.outcome_unknown", map[string]any{"Source": src.Name})
	}
	if ind.Count == caunoi.CountQuantity && src.measure(ind.Measure) == nil {
		v.Add("measure", "err.indicator.measure_unknown", map[string]any{"Source": src.Name, "Measure": ind.Measure})
	}
	if ind.Count == caunoi.CountClients && src.Client == "" {
		v.Add("count", "err.indicator.no_clients", map[string]any{"Source": src.Name})
	}
	if ind.Count == caunoi.CountClients && ind.Named == caunoi.NamedAnonymous {
		v.Add("named", "err.indicator.anonymous_clients", nil)
	}
	if ind.Count == caunoi.CountPlaces && src.Place == "" {
		v.Add("count", "err.indicator.no_places", map[string]any{"Source": src.Name})
	}
	if len(ind.Populations) > 0 && !src.supports(caunoi.DimPopulation) {
		v.Add("populations", "err.indicator.no_populations", map[string]any{"Source": src.Name})
	}
	if ind.Named != caunoi.NamedAny && src.Client == "" {
		v.Add("named", "err.indicator.no_clients", map[string]any{"Source": src.Name})
	}
	for _, d := range ind.Disaggregations {
		if !src.supports(d) {
			v.Add("disaggregations", "err.indicator.dimension_unsupported", map[string]any{"Dimension": d})
		}
	}
}

func checkDerived(v *caunoi.Validator, ind *caunoi.Indicator, set map[string]*caunoi.Indicator) {
	field := "terms"
	if ind.Count == caunoi.CountRatio {
		field = "numerator"
	}
	for i, ref := range ind.Refs() {
		if ind.Count == caunoi.CountRatio && i == 1 {
			field = "denominator"
		}
		r := set[ref]
		switch {
		case ref == ind.Code:
			v.Add(field, "err.indicator.self_reference", nil)
		case r == nil || r.Voided():
			v.Add(field, "err.indicator.unknown_ref", map[string]any{"Code": ref})
		case r.Count == caunoi.CountRatio:
			v.Add(field, "err.indicator.ratio_of_ratio", map[string]any{"Code": ref})
		default:
			for _, d := range ind.Disaggregations {
				if !slices.Contains(r.Disaggregations, d) {
					v.Add("disaggregations", "err.indicator.dimension_unsupported", map[string]any{"Dimension": d})
				}
			}
		}
	}
	if cycle := findCycle(ind, set); cycle != "" {
		v.Add(field, "err.indicator.cycle", map[string]any{"Code": cycle})
	}
}

// findCycle returns the code of an indicator through which ind refers
// back to itself, or "".
func findCycle(ind *caunoi.Indicator, set map[string]*caunoi.Indicator) string {
	seen := map[string]bool{}
	var walk func(code string, depth int) bool
	walk = func(code string, depth int) bool {
		if depth > len(set)+1 {
			return true
		}
		d := set[code]
		if code == ind.Code && depth > 0 {
			return true
		}
		if code == ind.Code {
			d = ind
		}
		if d == nil || seen[code] {
			return false
		}
		seen[code] = true
		for _, r := range d.Refs() {
			if walk(r, depth+1) {
				return true
			}
		}
		return false
	}
	for _, r := range ind.Refs() {
		clear(seen)
		if r != ind.Code && walk(r, 1) {
			return r
		}
	}
	return ""
}

// Closure returns the codes of the indicators needed to evaluate codes:
// them and everything they refer to, references first. Unknown codes are
// ENOTFOUND.
func Closure(codes []string, set map[string]*caunoi.Indicator) ([]string, error) {
	var out []string
	done := map[string]bool{}
	var visit func(code string, depth int) error
	visit = func(code string, depth int) error {
		if done[code] {
			return nil
		}
		d := set[code]
		if d == nil || d.Voided() {
			return caunoi.Errorf(caunoi.ENOTFOUND, "err.indicator.unknown", map[string]any{"Code": code})
		}
		if depth > len(set) {
			return caunoi.Invalid(caunoi.FieldError{Field: "indicators", Key: "err.indicator.cycle", Args: map[string]any{"Code": code}})
		}
		for _, r := range d.Refs() {
			if err := visit(r, depth+1); err != nil {
				return err
			}
		}
		done[code] = true
		out = append(out, code)
		return nil
	}
	for _, c := range codes {
		if err := visit(c, 0); err != nil {
			return nil, err
		}
	}
	return out, nil
}
