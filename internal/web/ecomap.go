package web

import (
	"math"

	"caunoi"
)

// ecomap is a returnee's influence map drawn as a server-side SVG (no
// JavaScript): the returnee in the middle, the people around, a line to
// each, solid green for a positive influence and dashed red for a
// negative one, thicker the stronger; a filled circle for a person the
// club can reach.
type ecomap struct {
	W, H   int
	CX, CY int
	Centre string // the returnee's nickname
	Nodes  []ecoNode
}

// ecoNode is one person of the map, in the viewBox's units: the circle
// (with + or − for the influence) and, outside it, away from the line,
// the name and the relation.
type ecoNode struct {
	X, Y        int
	NameY, RelY int
	Sign        string
	Name        string
	Relation    string
	Positive    bool
	Contactable bool
	Width       string // of the line, by strength
}

// The ecomap's geometry.
const (
	ecoW, ecoH   = 400, 390
	ecoRadius    = 125
	ecoNodeR     = 22
	ecoNameRunes = 16
)

// newEcomap lays the people out around the returnee, the first at the
// top, clockwise.
func newEcomap(centre string, people []caunoi.InfluencePerson) ecomap {
	m := ecomap{W: ecoW, H: ecoH, CX: ecoW / 2, CY: ecoH / 2, Centre: shorten(centre, 12)}
	n := len(people)
	for i, p := range people {
		angle := 2*math.Pi*float64(i)/float64(max(n, 1)) - math.Pi/2
		x := m.CX + int(math.Round(ecoRadius*math.Cos(angle)))
		y := m.CY + int(math.Round(ecoRadius*0.95*math.Sin(angle)))
		node := ecoNode{X: x, Y: y, Name: shorten(p.Name, ecoNameRunes), Relation: p.Relation, Sign: "−",
			Positive: p.Influence == caunoi.InfluencePositive, Contactable: p.Contactable,
			Width: []string{"1.5", "3", "5"}[min(max(p.Strength, 1), 3)-1]}
		if node.Positive {
			node.Sign = "+"
		}
		if y < m.CY-10 {
			// Above the returnee: the labels above the circle.
			node.NameY, node.RelY = y-ecoNodeR-20, y-ecoNodeR-6
		} else {
			node.NameY, node.RelY = y+ecoNodeR+16, y+ecoNodeR+30
		}
		m.Nodes = append(m.Nodes, node)
	}
	return m
}

// shorten cuts a name to n runes, with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
