package web

import (
	"strconv"
	"time"

	"caunoi"
)

// occupancyChart is a shelter's occupancy over time drawn as a server-side
// SVG bar chart (no JavaScript): a bar a night, the beds there were behind
// the beds in use.
type occupancyChart struct {
	W, H       int // the viewBox
	Bars       []chartBar
	MaxBeds    int
	From, To   time.Time
	NightsUsed int // bed-nights in use
	NightsAll  int // bed-nights there were
	Percent    int // NightsUsed of NightsAll, rounded
	Peak       int // the most beds in use on one night
}

// chartBar is one night: the beds there were (BedsY, BedsH) and those in
// use (Y, H), in the viewBox's units.
type chartBar struct {
	X, W         int
	Y, H         int
	BedsY, BedsH int
	Title        string
}

// chartBarWidth and chartHeight are the units of the chart's viewBox.
const (
	chartBarWidth = 6
	chartHeight   = 100
)

// newOccupancyChart lays the nights out.
func newOccupancyChart(days []caunoi.OccupancyDay) occupancyChart {
	c := occupancyChart{W: max(1, len(days)) * chartBarWidth, H: chartHeight}
	for _, d := range days {
		c.MaxBeds = max(c.MaxBeds, d.Beds, d.Occupied)
		c.NightsUsed += d.Occupied
		c.NightsAll += d.Beds
		c.Peak = max(c.Peak, d.Occupied)
	}
	if len(days) > 0 {
		c.From, c.To = time.Time(days[0].Day), time.Time(days[len(days)-1].Day)
	}
	if c.NightsAll > 0 {
		c.Percent = (200*c.NightsUsed + c.NightsAll) / (2 * c.NightsAll)
	}
	scale := func(n int) int {
		if c.MaxBeds == 0 {
			return 0
		}
		return n * chartHeight / c.MaxBeds
	}
	for i, d := range days {
		h, bh := scale(d.Occupied), scale(d.Beds)
		c.Bars = append(c.Bars, chartBar{X: i * chartBarWidth, W: chartBarWidth - 1, Y: chartHeight - h, H: h,
			BedsY: chartHeight - bh, BedsH: bh,
			Title: time.Time(d.Day).Format(dayLayout) + ": " + strconv.Itoa(d.Occupied) + "/" + strconv.Itoa(d.Beds)})
	}
	return c
}
