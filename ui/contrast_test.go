package ui

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2/ansi"
	"charm.land/lipgloss/v2"
)

// WCAG 2 AA asks normal text for a contrast of at least 4.5:1.
const minContrast = 4.5

// luminance is the WCAG 2 relative luminance of c.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG 2 contrast ratio of two colours, from 1 to 21.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func hex(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
}

// backgrounds are what each coloured theme is measured against. kurultai
// never paints the background, so it is the terminal's: the dark theme is
// the one for a dark terminal and is measured against black, the light
// one against white.
var backgrounds = map[string]color.Color{
	ThemeDark:  lipgloss.Color("#000000"),
	ThemeLight: lipgloss.Color("#FFFFFF"),
}

func TestContrastFormula(t *testing.T) {
	// Figures from the WCAG 2 definition: black on white is 21:1, and
	// #767676 is the lightest grey that reaches 4.5:1 on white.
	black, white := lipgloss.Color("#000000"), lipgloss.Color("#FFFFFF")
	if got := contrast(black, white); math.Abs(got-21) > 1e-9 {
		t.Errorf("black on white = %.3f:1, want 21:1", got)
	}
	if got := contrast(lipgloss.Color("#767676"), white); got < minContrast {
		t.Errorf("#767676 on white = %.3f:1, want at least 4.5:1", got)
	}
	if got := contrast(lipgloss.Color("#777777"), white); got >= minContrast {
		t.Errorf("#777777 on white = %.3f:1, want below 4.5:1", got)
	}
}

// sgrSeq finds the graphic-rendition sequences in drawn text.
var sgrSeq = regexp.MustCompile("\x1b\\[([0-9;:]*)m")

// foregrounds returns every foreground colour that s sets.
func foregrounds(t *testing.T, s string) []color.Color {
	t.Helper()
	var out []color.Color
	for _, m := range sgrSeq.FindAllStringSubmatch(s, -1) {
		p := strings.Split(m[1], ";")
		for i := 0; i < len(p); i++ {
			if p[i] != "38" {
				continue
			}
			if i+4 >= len(p) || p[i+1] != "2" {
				t.Fatalf("foreground %q is not given as red, green, blue", m[0])
			}
			var rgb [3]uint8
			for j := range rgb {
				v, err := strconv.Atoi(p[i+2+j])
				if err != nil || v < 0 || v > 255 {
					t.Fatalf("foreground %q: bad component %q", m[0], p[i+2+j])
				}
				rgb[j] = uint8(v)
			}
			out = append(out, color.RGBA{rgb[0], rgb[1], rgb[2], 0xff})
			i += 4
		}
	}
	return out
}

// TestHelpLineContrast checks that every colour of the help line, as the
// UI draws it in the dark and the light theme, reads at AA contrast on
// the theme's background: keys, what they do, the separators and the
// ellipsis that stands for keys left out.
func TestHelpLineContrast(t *testing.T) {
	db := sampleDB(t)
	for name, bg := range backgrounds {
		t.Run(name, func(t *testing.T) {
			d := &driver{t: t, m: New(context.Background(), db, Options{Theme: name})}
			d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
			d.run(d.m.Init())

			hs := d.m.help.Styles
			for field, st := range map[string]lipgloss.Style{
				"ShortKey": hs.ShortKey, "ShortDesc": hs.ShortDesc, "ShortSeparator": hs.ShortSeparator,
				"Ellipsis": hs.Ellipsis, "FullKey": hs.FullKey, "FullDesc": hs.FullDesc,
			} {
				fg := st.GetForeground()
				if _, none := fg.(lipgloss.NoColor); none {
					t.Errorf("help %s has no colour of the theme", field)
					continue
				}
				if c := contrast(fg, bg); c < minContrast {
					t.Errorf("help %s %s on %s: %.2f:1, want at least %.1f:1", field, hex(fg), hex(bg), c, minContrast)
				}
			}

			// What is drawn: the help line at full width, and narrow
			// enough that keys give way to the ellipsis.
			for _, w := range []int{80, 30} {
				d.send(tea.WindowSizeMsg{Width: w, Height: 24})
				lines := strings.Split(d.m.render(), "\n")
				line := lines[len(lines)-1]
				fgs := foregrounds(t, line)
				if len(fgs) == 0 {
					t.Fatalf("at %d columns the help line sets no colour: %q", w, line)
				}
				if w == 30 && !strings.Contains(line, d.m.help.Ellipsis) {
					t.Fatalf("at %d columns the help line leaves no key out: %q", w, line)
				}
				seen := map[string]bool{}
				for _, fg := range fgs {
					if seen[hex(fg)] {
						continue
					}
					seen[hex(fg)] = true
					if c := contrast(fg, bg); c < minContrast {
						t.Errorf("at %d columns the help line draws %s on %s: %.2f:1, want at least %.1f:1", w, hex(fg), hex(bg), c, minContrast)
					}
				}
			}
		})
	}
}

// TestThemeTextContrast checks the other text drawn on the background:
// the theme's text colours, and the styles of the status line, dimmed
// text, the breadcrumb and errors.
func TestThemeTextContrast(t *testing.T) {
	for name, bg := range backgrounds {
		t.Run(name, func(t *testing.T) {
			th := NewTheme(name)
			st := NewStyles(th)
			colours := map[string]color.Color{
				"Accent": th.Accent, "Muted": th.Muted, "Faint": th.Faint, "Text": th.Text, "Error": th.Error,
				"Status": st.Status.GetForeground(), "Dim": st.Dim.GetForeground(), "Title": st.Title.GetForeground(),
				"Crumb": st.Crumb.GetForeground(), "Error style": st.Error.GetForeground(), "Banner": st.Banner.GetForeground(),
			}
			for what, c := range colours {
				if c == nil {
					t.Errorf("%s has no colour", what)
					continue
				}
				if _, none := c.(lipgloss.NoColor); none {
					t.Errorf("%s has no colour", what)
					continue
				}
				if r := contrast(c, bg); r < minContrast {
					t.Errorf("%s %s on %s: %.2f:1, want at least %.1f:1", what, hex(c), hex(bg), r, minContrast)
				}
			}
		})
	}
}

// themeBackgrounds are the terminal backgrounds each coloured theme is
// measured against, and the contrast each must reach: AA for the
// defaults, AAA (7:1) for high contrast.
var themeBackgrounds = []struct {
	name string
	bg   color.Color
	min  float64
}{
	{ThemeDark, lipgloss.Color("#000000"), minContrast},
	{ThemeLight, lipgloss.Color("#FFFFFF"), minContrast},
	{ThemeContrast, lipgloss.Color("#000000"), 7},
	{themeContrastLight, lipgloss.Color("#FFFFFF"), 7},
}

// TestEveryThemePair computes the contrast of every pair of text and
// background that a theme draws: its colours on the terminal's
// background, and text on the backgrounds it paints (the selected row, a
// match, the current match, the active tab and the selected link). For
// the high-contrast theme, every colour of its documents too, as glamour
// draws them.
func TestEveryThemePair(t *testing.T) {
	for _, tb := range themeBackgrounds {
		t.Run(tb.name, func(t *testing.T) {
			th := NewTheme(tb.name)
			st := NewStyles(th)
			pairs := []struct {
				what   string
				fg, bg color.Color
			}{
				{"accent", th.Accent, tb.bg}, {"muted", th.Muted, tb.bg}, {"faint", th.Faint, tb.bg},
				{"text", th.Text, tb.bg}, {"error", th.Error, tb.bg},
			}
			for what, s := range map[string]lipgloss.Style{"selected row": st.Selected, "match": st.Match, "current match": st.MatchCurrent,
				"active tab": st.TabActive, "selected link": st.LinkSelected} {
				pairs = append(pairs, struct {
					what   string
					fg, bg color.Color
				}{what, s.GetForeground(), s.GetBackground()})
			}
			if th.Contrast {
				cfg := th.GlamourStyle()
				n := 0
				eachPrimitive(reflect.ValueOf(&cfg).Elem(), func(p *ansi.StylePrimitive) {
					if p.BackgroundColor != nil {
						t.Errorf("the documents paint a background %s", *p.BackgroundColor)
					}
					if p.Color != nil {
						n++
						pairs = append(pairs, struct {
							what   string
							fg, bg color.Color
						}{"document text", lipgloss.Color(*p.Color), tb.bg})
					}
				})
				if n == 0 || cfg.CodeBlock.Chroma != nil {
					t.Errorf("the documents' style sets %d colours, code colours %v", n, cfg.CodeBlock.Chroma != nil)
				}
			}
			for _, p := range pairs {
				_, noFG := p.fg.(lipgloss.NoColor)
				_, noBG := p.bg.(lipgloss.NoColor)
				if p.fg == nil || p.bg == nil || noFG || noBG {
					t.Errorf("%s has no colour of its own", p.what)
					continue
				}
				r := contrast(p.fg, p.bg)
				t.Logf("%-14s %s on %s: %5.2f:1", p.what, hex(p.fg), hex(p.bg), r)
				if r < tb.min {
					t.Errorf("%s %s on %s: %.2f:1, want at least %.1f:1", p.what, hex(p.fg), hex(p.bg), r, tb.min)
				}
			}
		})
	}
}

// High contrast follows the terminal's background between its two
// variants, and a fixed style does not.
func TestContrastFollowsTheBackground(t *testing.T) {
	db := sampleDB(t)
	m := New(context.Background(), db, Options{Theme: ThemeContrast})
	if got := m.c.styles.Theme.Name; got != ThemeContrast {
		t.Fatalf("starts as %s", got)
	}
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if got := m.c.styles.Theme.Name; got != themeContrastLight {
		t.Errorf("on white: %s", got)
	}
	m.Update(tea.BackgroundColorMsg{Color: color.Black})
	if got := m.c.styles.Theme.Name; got != ThemeContrast {
		t.Errorf("on black: %s", got)
	}
	m = New(context.Background(), db, Options{Theme: ThemeDark})
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if got := m.c.styles.Theme.Name; got != ThemeDark {
		t.Errorf("--style dark on white: %s", got)
	}
}
