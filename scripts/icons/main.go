// Command icons draws the app icons of Cầu Nối's web manifest (the bridge
// of favicon.svg on the brand green) into internal/web/static/icons:
//
//	go run ./scripts/icons
//
// The PNG files are committed; run this again only to change them.
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"
)

var (
	brand = color.NRGBA{0x0f, 0x5c, 0x4d, 0xff}
	white = color.NRGBA{0xff, 0xff, 0xff, 0xff}
)

func main() {
	dir := filepath.Join("internal", "web", "static", "icons")
	for _, ic := range []struct {
		name     string
		size     int
		maskable bool
	}{{"icon-192.png", 192, false}, {"icon-512.png", 512, false}, {"maskable-512.png", 512, true}} {
		if err := write(filepath.Join(dir, ic.name), draw(ic.size, ic.maskable)); err != nil {
			log.Fatal(err)
		}
	}
}

// curve samples the arc of favicon.svg, M4 22 Q16 6 28 22, in its 32-unit box.
func curve() [][2]float64 {
	var pts [][2]float64
	for i := 0; i <= 400; i++ {
		t := float64(i) / 400
		x := (1-t)*(1-t)*4 + 2*(1-t)*t*16 + t*t*28
		y := (1-t)*(1-t)*22 + 2*(1-t)*t*6 + t*t*22
		pts = append(pts, [2]float64{x, y})
	}
	return pts
}

// draw renders the icon: a rounded square (or, maskable, the whole square
// with the drawing inside the safe zone) with the bridge in white.
func draw(size int, maskable bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	pts := curve()
	scale, off := float64(size)/32, 0.0
	if maskable {
		scale, off = float64(size)*0.7/32, float64(size)*0.15
	}
	const ss = 4 // samples per pixel side
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var bg, fg float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					fx, fy := float64(px)+(float64(sx)+.5)/ss, float64(py)+(float64(sy)+.5)/ss
					if maskable || inRoundRect(fx/scale, fy/scale, 32, 6) {
						bg++
					}
					x, y := (fx-off)/scale, (fy-off)/scale
					if onBridge(x, y, pts) {
						fg++
					}
				}
			}
			n := float64(ss * ss)
			bg, fg = bg/n, math.Min(fg/n, bg/n)
			c := mix(brand, white, fg/math.Max(bg, 1e-9))
			c.A = uint8(math.Round(255 * bg))
			img.SetNRGBA(px, py, c)
		}
	}
	return img
}

func inRoundRect(x, y, side, r float64) bool {
	if x < 0 || y < 0 || x > side || y > side {
		return false
	}
	cx, cy := math.Max(r, math.Min(side-r, x)), math.Max(r, math.Min(side-r, y))
	return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
}

func onBridge(x, y float64, pts [][2]float64) bool {
	if y >= 21 && y <= 23 && x >= 4 && x <= 28 { // the deck, 2 wide
		return true
	}
	if x < 2 || x > 30 || y < 5 || y > 24 {
		return false
	}
	for _, p := range pts { // the arch, 3 wide
		if (x-p[0])*(x-p[0])+(y-p[1])*(y-p[1]) <= 1.5*1.5 {
			return true
		}
	}
	return false
}

func mix(a, b color.NRGBA, t float64) color.NRGBA {
	l := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-t) + float64(y)*t)) }
	return color.NRGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), 0xff}
}

func write(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
