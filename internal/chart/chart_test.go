package chart

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// wellFormed parses an SVG and returns the text of its <text> elements.
func wellFormed(t *testing.T, svg string) []string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var texts []string
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, svg)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			inText = x.Name.Local == "text"
			for _, a := range x.Attr {
				if a.Name.Local == "style" {
					t.Fatal("an inline style: the CSP forbids it")
				}
			}
		case xml.CharData:
			if inText {
				texts = append(texts, string(x))
			}
		case xml.EndElement:
			inText = false
		}
	}
	return texts
}

func TestBarsShowEveryValueAndHideSuppressedOnes(t *testing.T) {
	b := Bars{Title: "Lượt người <theo nhóm>", Labels: []string{"Hạ Long", "Uông Bí & Cẩm Phả"},
		Series: []Series{{Name: "Lượt", Values: []float64{120, 3}, Hidden: []bool{false, true}}}, Format: func(v float64) string { return strings.Repeat("#", 1) + string(rune('0'+int(v)%10)) }}
	svg := string(b.SVG())
	texts := wellFormed(t, svg)
	want := []string{"Hạ Long", "#0", "Uông Bí & Cẩm Phả", "*"}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Fatalf("texts %q, want %q", texts, want)
	}
	if !strings.Contains(svg, `aria-label="Lượt người &lt;theo nhóm&gt;"`) {
		t.Fatal("title not escaped into the label")
	}
}

func TestLinesAndProgress(t *testing.T) {
	l := Lines{Title: "Xu hướng", Labels: []string{"01/25", "02/25", "03/25"}, Series: []Series{{Name: "a", Values: []float64{0, 40, 75}}, {Name: "b", Values: []float64{5, 5, 5}}}}
	texts := wellFormed(t, string(l.SVG()))
	// The axis tops at a round 100 above the largest value, 75.
	if texts[2] != "100" || texts[1] != "50" || texts[0] != "0" {
		t.Fatalf("axis %q", texts[:3])
	}
	if n := strings.Count(string(l.SVG()), "<polyline"); n != 2 {
		t.Fatalf("%d lines", n)
	}
	p := Progress{Title: "Đạt chỉ tiêu", Items: []ProgressItem{{Label: "Lượt", Value: 30, Target: 120, Text: "30 / 120"}, {Label: "Không chỉ tiêu", Value: 5}}}
	texts = wellFormed(t, string(p.SVG()))
	if texts[1] != "25% · 30 / 120" || texts[3] != "0%" {
		t.Fatalf("progress %q", texts)
	}
	if niceCeil(0) != 1 || niceCeil(7) != 10 || niceCeil(130) != 200 || niceCeil(2000) != 2000 {
		t.Fatal("niceCeil")
	}
}
