package indicator

import (
	"slices"
	"strings"

	"caunoi"
)

// additive are the dimensions whose values split a total exactly: each
// record has one value, so the cells add up to the total and a lone hidden
// cell could be worked out by subtraction. Populations and models are
// not: a person may belong to several.
var additive = []string{caunoi.DimOrg, caunoi.DimProvince, caunoi.DimSex, caunoi.DimAgeBand, caunoi.DimResidence}

// small reports whether a count must be hidden: more than none, fewer
// than caunoi.SuppressBelow.
func small(v float64) bool { return v > 0 && v < caunoi.SuppressBelow }

// suppress hides, in every series of a suppressible indicator, the cells
// under caunoi.SuppressBelow (primary suppression), then, wherever cells
// add up to a total that is shown, as many more cells as keep each hidden
// one from being worked out (complementary suppression: the smallest other
// non-zero cell of the line). Ratios are hidden where their numerator or
// denominator is.
func suppress(all []caunoi.Series, set map[string]*caunoi.Indicator) {
	find := func(code string, g []string) *caunoi.Series {
		for i := range all {
			if all[i].Indicator == code && slices.Equal(all[i].Grouping, g) {
				return &all[i]
			}
		}
		return nil
	}
	for i := range all {
		s := &all[i]
		ind := set[s.Indicator]
		if !ind.Suppressible() || ind.Count == caunoi.CountRatio {
			continue
		}
		for j := range s.Cells {
			if small(s.Cells[j].Value) {
				s.Cells[j].Suppressed = true
			}
		}
	}
	// Complements, until no line has a single hidden member.
	for range 8 {
		changed := false
		for i := range all {
			s := &all[i]
			ind := set[s.Indicator]
			if !ind.Suppressible() || ind.Count == caunoi.CountRatio || len(s.Grouping) == 0 {
				continue
			}
			for _, line := range lines(s, find) {
				if complement(line) {
					changed = true
				}
			}
		}
		if !changed {
			break
		}
	}
	for i := range all {
		s := &all[i]
		ind := set[s.Indicator]
		if ind.Count != caunoi.CountRatio {
			continue
		}
		num, den := find(ind.Numerator, s.Grouping), find(ind.Denominator, s.Grouping)
		for j := range s.Cells {
			c := &s.Cells[j]
			hidden := (c.Numerator != nil && small(*c.Numerator)) || (c.Denominator != nil && small(*c.Denominator))
			if nc := num.Cell(pairs(c.Keys, s.Grouping)...); nc != nil && nc.Suppressed {
				hidden = true
			}
			if dc := den.Cell(pairs(c.Keys, s.Grouping)...); dc != nil && dc.Suppressed {
				hidden = true
			}
			if hidden {
				c.Suppressed = true
			}
		}
	}
	for i := range all {
		for j := range all[i].Cells {
			c := &all[i].Cells[j]
			if c.Suppressed {
				c.Value, c.Numerator, c.Denominator, c.Undefined = 0, nil, nil, false
			}
		}
	}
}

// pairs lists a cell's keys as dimension, value pairs in grouping order.
func pairs(keys map[string]string, g []string) []string {
	var out []string
	for _, d := range g {
		out = append(out, d, keys[d])
	}
	return out
}

// lines returns the groups of cells of a series that add up to a shown
// margin, the margin last: for one dimension the whole series and the
// total; for two, each row and each column with the margin of the other
// dimension's series, when that series exists.
func lines(s *caunoi.Series, find func(string, []string) *caunoi.Series) [][]*caunoi.Cell {
	for _, d := range s.Grouping {
		if !slices.Contains(additive, d) {
			return nil
		}
	}
	var out [][]*caunoi.Cell
	switch len(s.Grouping) {
	case 1:
		total := find(s.Indicator, nil)
		if total == nil || len(total.Cells) == 0 {
			return nil
		}
		var line []*caunoi.Cell
		for j := range s.Cells {
			line = append(line, &s.Cells[j])
		}
		out = append(out, append(line, &total.Cells[0]))
	case 2:
		for fixed := range 2 {
			d := s.Grouping[fixed]
			margin := find(s.Indicator, []string{d})
			if margin == nil {
				continue
			}
			groups := map[string][]*caunoi.Cell{}
			var order []string
			for j := range s.Cells {
				k := s.Cells[j].Keys[d]
				if _, ok := groups[k]; !ok {
					order = append(order, k)
				}
				groups[k] = append(groups[k], &s.Cells[j])
			}
			for _, k := range order {
				if m := margin.Cell(d, k); m != nil {
					out = append(out, append(groups[k], m))
				}
			}
		}
	}
	return out
}

// complement hides one more cell of a line holding exactly one hidden
// member, and reports whether it did. It picks the smallest non-zero cell
// (the margin only when nothing else is left), then a zero cell.
func complement(line []*caunoi.Cell) bool {
	hidden := 0
	for _, c := range line {
		if c.Suppressed {
			hidden++
		}
	}
	if hidden != 1 {
		return false
	}
	var pick *caunoi.Cell
	for _, c := range line[:len(line)-1] {
		if !c.Suppressed && c.Value > 0 && (pick == nil || c.Value < pick.Value) {
			pick = c
		}
	}
	if pick == nil {
		if m := line[len(line)-1]; !m.Suppressed && m.Value > 0 {
			pick = m
		}
	}
	if pick == nil {
		for _, c := range line[:len(line)-1] {
			if !c.Suppressed {
				pick = c
				break
			}
		}
	}
	if pick == nil {
		return false
	}
	pick.Suppressed = true
	return true
}

// keyString joins a cell's keys, for tests and messages.
func keyString(c *caunoi.Cell, g []string) string {
	return strings.Join(pairs(c.Keys, g), "=")
}
