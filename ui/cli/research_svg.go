package cli

import (
	"fmt"
	"html"
	"io"
	"strings"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/sessions/msg"
	"kurultai/ui"
)

// svgColours are the queries' colours, one each, as in the UI's chart;
// they stay apart in print and for the common kinds of colour blindness
// (the Okabe–Ito palette).
var svgColours = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"}

// writeSVG writes the trends as a bar chart a paper can use: a group of
// bars a period, one a query, with the axis, the periods and a legend.
// The file is written under a temporary name and renamed into place.
func writeSVG(path string, trends []*data.Trend, queries []string, o Options) error {
	return sessions.WriteFileAtomic(path, func(w io.Writer) error {
		return svgChart(w, trends, queries, o.Research.PerMillion, o.Research.By)
	})
}

func svgChart(w io.Writer, trends []*data.Trend, queries []string, norm bool, by string) error {
	if len(trends) == 0 || len(trends[0].Points) == 0 {
		return msg.Errorf("the archive has no sessions to chart")
	}
	periods := len(trends[0].Points)
	const (
		left, top, bottom, right = 70, 40, 90, 20
		height                   = 300
	)
	group := max(12, 8*len(trends)+6)
	width := left + right + periods*group
	top2 := 0.0
	for _, tr := range trends {
		for _, p := range tr.Points {
			top2 = max(top2, value(p, norm))
		}
	}
	if top2 == 0 {
		top2 = 1
	}
	legend := 18 * len(queries)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n",
		width, top+height+bottom+legend)
	what := "matches"
	if norm {
		what = "matches per million words"
	}
	fmt.Fprintf(&b, `<text x="%d" y="20" font-size="13">%s by %s</text>`+"\n", left, html.EscapeString(what), html.EscapeString(by))
	// The axis with five ticks.
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#000"/>`+"\n", left, top, left, top+height)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#000"/>`+"\n", left, top+height, width-right, top+height)
	for i := 0; i <= 4; i++ {
		v := top2 * float64(i) / 4
		y := top + height - int(float64(height)*float64(i)/4)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", left-6, y+4, trimFloat(v))
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#ddd"/>`+"\n", left+1, y, width-right, y)
	}
	for k := 0; k < periods; k++ {
		x0 := left + k*group + 3
		for i, tr := range trends {
			v := value(tr.Points[k], norm)
			h := int(float64(height) * v / top2)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="7" height="%d" fill="%s"><title>%s: %s</title></rect>`+"\n",
				x0+i*8, top+height-h, h, svgColours[i%len(svgColours)],
				html.EscapeString(ui.SanitizeLine(queries[i]+" · "+tr.Points[k].Label)), trimFloat(v))
		}
		label := trends[0].Points[k].Label
		cx := x0 + len(trends)*4
		fmt.Fprintf(&b, `<text x="%d" y="%d" transform="rotate(-60 %d %d)" text-anchor="end">%s</text>`+"\n",
			cx, top+height+12, cx, top+height+12, html.EscapeString(ui.SanitizeLine(label)))
	}
	for i, q := range queries {
		y := top + height + bottom + 18*i
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n",
			left, y, svgColours[i%len(svgColours)], left+18, y+10, html.EscapeString(ui.SanitizeLine(q)))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}
