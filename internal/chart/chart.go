// Package chart draws charts as SVG on the server: bars, lines over time
// and achievement against targets. They need no JavaScript, scale to the
// width of a phone, print cleanly and carry their numbers as text, so a
// screen reader and a printout both say what they show. Colours are
// presentation attributes (no inline styles: the pages' CSP forbids them);
// series i takes Palette[i].
package chart

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// Palette is the colours of the series, in order (matching the .swN
// legend classes of the pages' style sheet).
var Palette = []string{"#0f5c4d", "#e0a030", "#5b8fd6", "#b5485d", "#7c9a3a", "#8a6fb3"}

// Series is a named row of values, one per label.
type Series struct {
	Name   string
	Values []float64
	// Hidden marks values not shown (suppressed): drawn as nothing, with
	// Mark written instead.
	Hidden []bool
}

// Format writes a number for a chart.
type Format func(float64) string

func plainFormat(v float64) string { return fmt.Sprintf("%.0f", v) }

const width = 400.0

// svg opens an SVG element of the height with an accessible title.
func svg(sb *strings.Builder, height float64, title string) {
	fmt.Fprintf(sb, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" preserveAspectRatio="xMinYMin meet">`,
		width, height, html.EscapeString(title))
	fmt.Fprintf(sb, "<title>%s</title>", html.EscapeString(title))
}

func text(sb *strings.Builder, x, y float64, anchor, fill string, size float64, s string) {
	fmt.Fprintf(sb, `<text x="%.1f" y="%.1f" text-anchor="%s" fill="%s" font-size="%.0f" font-family="system-ui, sans-serif">%s</text>`,
		x, y, anchor, fill, size, html.EscapeString(s))
}

// Bars is a horizontal bar chart: for each label a line of text, then one
// bar per series, with the value at its end. Long labels (group names)
// stay readable on a narrow screen.
type Bars struct {
	Title  string
	Labels []string
	Series []Series
	Format Format
	// Mark is written for a hidden value ("*").
	Mark string
}

// SVG draws the chart.
func (b Bars) SVG() template.HTML {
	f := b.Format
	if f == nil {
		f = plainFormat
	}
	maxV := 0.0
	for _, s := range b.Series {
		for _, v := range s.Values {
			maxV = math.Max(maxV, v)
		}
	}
	if maxV <= 0 {
		maxV = 1
	}
	const labelH, barH, gap = 18.0, 16.0, 10.0
	rowH := labelH + float64(len(b.Series))*(barH+2) + gap
	height := math.Max(rowH*float64(len(b.Labels)), 30)
	var sb strings.Builder
	svg(&sb, height, b.Title)
	plot := width - 70
	for i, label := range b.Labels {
		y := float64(i) * rowH
		text(&sb, 0, y+13, "start", "#1b1f23", 13, label)
		for j, s := range b.Series {
			v := 0.0
			if i < len(s.Values) {
				v = s.Values[i]
			}
			by := y + labelH + float64(j)*(barH+2)
			hidden := i < len(s.Hidden) && s.Hidden[i]
			w := 0.0
			if !hidden {
				w = plot * v / maxV
			}
			fmt.Fprintf(&sb, `<rect x="0" y="%.1f" width="%.1f" height="%.0f" rx="2" fill="%s"><title>%s: %s</title></rect>`,
				by, math.Max(w, 1), barH, Palette[j%len(Palette)], html.EscapeString(s.Name), html.EscapeString(valueText(f, v, hidden, b.Mark)))
			text(&sb, math.Max(w, 1)+4, by+12, "start", "#5a6470", 12, valueText(f, v, hidden, b.Mark))
		}
	}
	sb.WriteString("</svg>")
	return template.HTML(sb.String())
}

func valueText(f Format, v float64, hidden bool, mark string) string {
	if hidden {
		if mark == "" {
			return "*"
		}
		return mark
	}
	return f(v)
}

// Lines is a chart of values over time: one line (with dots) per series,
// the labels (months) along the bottom, the largest value on the axis.
type Lines struct {
	Title  string
	Labels []string
	Series []Series
	Format Format
}

// SVG draws the chart.
func (l Lines) SVG() template.HTML {
	f := l.Format
	if f == nil {
		f = plainFormat
	}
	maxV := 0.0
	for _, s := range l.Series {
		for _, v := range s.Values {
			maxV = math.Max(maxV, v)
		}
	}
	top := niceCeil(maxV)
	const height, left, right, topPad, bottom = 260.0, 44.0, 12.0, 14.0, 34.0
	plotW, plotH := width-left-right, height-topPad-bottom
	var sb strings.Builder
	svg(&sb, height, l.Title)
	// Grid: zero, half and top.
	for _, frac := range []float64{0, 0.5, 1} {
		y := topPad + plotH*(1-frac)
		fmt.Fprintf(&sb, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="#d9dcd6" stroke-width="1"/>`, left, y, width-right, y)
		text(&sb, left-6, y+4, "end", "#5a6470", 11, f(top*frac))
	}
	n := len(l.Labels)
	x := func(i int) float64 {
		if n <= 1 {
			return left + plotW/2
		}
		return left + plotW*float64(i)/float64(n-1)
	}
	step := max(1, (n+5)/6) // at most about six labels on a phone
	for i, label := range l.Labels {
		if i%step == 0 {
			text(&sb, x(i), height-bottom+18, "middle", "#5a6470", 11, label)
		}
	}
	for j, s := range l.Series {
		colour := Palette[j%len(Palette)]
		var pts []string
		for i := range n {
			v := 0.0
			if i < len(s.Values) {
				v = s.Values[i]
			}
			y := topPad + plotH*(1-v/top)
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y))
		}
		fmt.Fprintf(&sb, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5" stroke-linejoin="round"/>`, strings.Join(pts, " "), colour)
		for i, p := range pts {
			xy := strings.Split(p, ",")
			v := 0.0
			if i < len(s.Values) {
				v = s.Values[i]
			}
			fmt.Fprintf(&sb, `<circle cx="%s" cy="%s" r="3.5" fill="%s"><title>%s %s: %s</title></circle>`, xy[0], xy[1], colour,
				html.EscapeString(s.Name), html.EscapeString(l.Labels[i]), html.EscapeString(f(v)))
		}
	}
	sb.WriteString("</svg>")
	return template.HTML(sb.String())
}

// niceCeil rounds a maximum up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// Progress is the achievement of targets: for each item a label, a bar of
// value / target (to 150%, clipped beyond) and a line at 100%.
type Progress struct {
	Title string
	Items []ProgressItem
	// Percent writes a percentage.
	Percent Format
}

// ProgressItem is one indicator's result and target.
type ProgressItem struct {
	Label         string
	Value, Target float64
	// Text is written beside the bar ("812 / 1.000").
	Text string
}

// SVG draws the chart.
func (p Progress) SVG() template.HTML {
	f := p.Percent
	if f == nil {
		f = func(v float64) string { return fmt.Sprintf("%.0f%%", v) }
	}
	const labelH, barH, gap, full = 18.0, 14.0, 12.0, 150.0
	rowH := labelH + barH + gap
	height := math.Max(rowH*float64(len(p.Items)), 30)
	var sb strings.Builder
	svg(&sb, height, p.Title)
	plot := width - 10
	hundred := plot * 100 / full
	for i, it := range p.Items {
		y := float64(i) * rowH
		text(&sb, 0, y+13, "start", "#1b1f23", 13, it.Label)
		pct := 0.0
		if it.Target > 0 {
			pct = 100 * it.Value / it.Target
		}
		w := plot * math.Min(pct, full) / full
		colour := Palette[0]
		if pct < 50 {
			colour = Palette[3]
		} else if pct < 100 {
			colour = Palette[1]
		}
		fmt.Fprintf(&sb, `<rect x="0" y="%.1f" width="%.1f" height="%.0f" rx="2" fill="#eef0ec"/>`, y+labelH, plot, barH)
		fmt.Fprintf(&sb, `<rect x="0" y="%.1f" width="%.1f" height="%.0f" rx="2" fill="%s"><title>%s</title></rect>`, y+labelH, math.Max(w, 1), barH, colour,
			html.EscapeString(it.Label+": "+f(pct)))
		fmt.Fprintf(&sb, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#1b1f23" stroke-width="1.5"/>`, hundred, y+labelH-3, hundred, y+labelH+barH+3)
		label := f(pct)
		if it.Text != "" {
			label += " · " + it.Text
		}
		text(&sb, width-2, y+13, "end", "#5a6470", 12, label)
	}
	sb.WriteString("</svg>")
	return template.HTML(sb.String())
}
