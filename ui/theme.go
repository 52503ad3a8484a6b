package ui

import (
	"fmt"
	"image/color"
	"io"
	"reflect"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
	"charm.land/lipgloss/v2"

	"kurultai/sessions/msg"
)

// Theme names.
const (
	ThemeDark  = "dark"
	ThemeLight = "light"
	ThemeASCII = "ascii"
	// ThemeContrast is high contrast: every text and background pair
	// reads at 7:1 or more, WCAG AAA. It follows the terminal's background
	// as the default does, between itself (for a dark one) and
	// themeContrastLight.
	ThemeContrast      = "contrast"
	themeContrastLight = "contrast-light"
)

// StyleNames are the names --style and the config file take.
var StyleNames = []string{ThemeDark, ThemeLight, ThemeASCII, ThemeContrast}

// Theme is the palette everything on screen is drawn from. Mono themes use
// no colour at all, only bold, faint and reverse video.
//
// Accent, Muted, Faint, Text and Error are drawn straight on the
// terminal's background and read on it at a contrast of at least 4.5:1,
// WCAG AA for normal text. kurultai does not paint the background: the
// dark theme is chosen for a dark terminal and is measured against black,
// the light one against white (see contrast_test.go).
type Theme struct {
	Name string
	Mono bool
	// Contrast is a high-contrast theme, Light its variant for a light
	// background.
	Contrast, Light bool
	Accent          color.Color
	Muted           color.Color
	// Faint is the least text, the help line's descriptions and
	// separators: the grey nearest the background that still reads at
	// 4.5:1.
	Faint  color.Color
	Text   color.Color
	Error  color.Color
	Match  color.Color
	OnHi   color.Color
	Select color.Color
}

// NewTheme returns the theme of that name: dark, light, or ascii
// (monochrome, for NO_COLOR and plain terminals).
func NewTheme(name string) Theme {
	switch name {
	case ThemeLight:
		return Theme{Name: name, Accent: lipgloss.Color("#1B6AC9"), Muted: lipgloss.Color("#6B6B6B"),
			Faint: lipgloss.Color("#767676"), Text: lipgloss.Color("#1A1A1A"), Error: lipgloss.Color("#B3261E"), Match: lipgloss.Color("#7A4F00"),
			OnHi: lipgloss.Color("#FFFFFF"), Select: lipgloss.Color("#DDE7F7")}
	case ThemeASCII:
		return Theme{Name: name, Mono: true}
	case ThemeContrast:
		return Theme{Name: name, Contrast: true, Accent: lipgloss.Color("#8AD7FF"), Muted: lipgloss.Color("#D0D0D0"),
			Faint: lipgloss.Color("#BDBDBD"), Text: lipgloss.Color("#FFFFFF"), Error: lipgloss.Color("#FF9E9E"), Match: lipgloss.Color("#FFE45C"),
			OnHi: lipgloss.Color("#000000"), Select: lipgloss.Color("#1C2E5A")}
	case themeContrastLight:
		return Theme{Name: name, Contrast: true, Light: true, Accent: lipgloss.Color("#0A3D91"), Muted: lipgloss.Color("#333333"),
			Faint: lipgloss.Color("#474747"), Text: lipgloss.Color("#000000"), Error: lipgloss.Color("#8A0000"), Match: lipgloss.Color("#5C3B00"),
			OnHi: lipgloss.Color("#FFFFFF"), Select: lipgloss.Color("#FFF0A0")}
	}
	return Theme{Name: ThemeDark, Accent: lipgloss.Color("#7AB8FF"), Muted: lipgloss.Color("#8A8A8A"),
		Faint: lipgloss.Color("#757575"), Text: lipgloss.Color("#E4E4E4"), Error: lipgloss.Color("#FF6B6B"), Match: lipgloss.Color("#E8C547"),
		OnHi: lipgloss.Color("#000000"), Select: lipgloss.Color("#2E3A4D")}
}

// Styles are the named styles of every screen, made from one Theme.
type Styles struct {
	Theme        Theme
	Title        lipgloss.Style
	Crumb        lipgloss.Style
	Dim          lipgloss.Style
	Header       lipgloss.Style
	Selected     lipgloss.Style
	Tab          lipgloss.Style
	TabActive    lipgloss.Style
	Gutter       lipgloss.Style
	GutterCursor lipgloss.Style
	Match        lipgloss.Style
	MatchCurrent lipgloss.Style
	Link         lipgloss.Style
	LinkSelected lipgloss.Style
	Status       lipgloss.Style
	Error        lipgloss.Style
	Banner       lipgloss.Style
	Input        lipgloss.Style
	// Help styles the help line and the full help.
	Help help.Styles
}

// NewStyles derives the named styles from a theme.
func NewStyles(t Theme) *Styles {
	s := &Styles{Theme: t}
	if t.Mono {
		s.Title = lipgloss.NewStyle().Bold(true)
		s.Crumb = lipgloss.NewStyle()
		s.Dim = lipgloss.NewStyle().Faint(true)
		s.Header = lipgloss.NewStyle().Bold(true).Underline(true)
		s.Selected = lipgloss.NewStyle().Reverse(true)
		s.Tab = lipgloss.NewStyle().Padding(0, 1)
		s.TabActive = lipgloss.NewStyle().Padding(0, 1).Reverse(true)
		s.Gutter = lipgloss.NewStyle().Faint(true)
		s.GutterCursor = lipgloss.NewStyle().Bold(true)
		s.Match = lipgloss.NewStyle().Underline(true)
		s.MatchCurrent = lipgloss.NewStyle().Reverse(true)
		s.Link = lipgloss.NewStyle().Underline(true)
		s.LinkSelected = lipgloss.NewStyle().Reverse(true)
		s.Status = lipgloss.NewStyle()
		s.Error = lipgloss.NewStyle().Bold(true)
		s.Banner = lipgloss.NewStyle().Italic(true)
		s.Input = lipgloss.NewStyle().Bold(true)
		// Plain text: faint would lower the contrast by an amount that
		// depends on the terminal.
		s.Help = help.Styles{}
		return s
	}
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(t.Accent)
	s.Crumb = lipgloss.NewStyle().Foreground(t.Muted)
	s.Dim = lipgloss.NewStyle().Foreground(t.Muted)
	s.Header = lipgloss.NewStyle().Bold(true).Foreground(t.Muted)
	s.Selected = lipgloss.NewStyle().Background(t.Select).Foreground(t.Text).Bold(true)
	s.Tab = lipgloss.NewStyle().Padding(0, 1).Foreground(t.Muted)
	s.TabActive = lipgloss.NewStyle().Padding(0, 1).Bold(true).Foreground(t.OnHi).Background(t.Accent)
	s.Gutter = lipgloss.NewStyle().Foreground(t.Muted)
	s.GutterCursor = lipgloss.NewStyle().Foreground(t.Accent).Bold(true)
	s.Match = lipgloss.NewStyle().Background(t.Select).Foreground(t.Match).Underline(true)
	s.MatchCurrent = lipgloss.NewStyle().Background(t.Match).Foreground(t.OnHi)
	s.Link = lipgloss.NewStyle().Foreground(t.Accent)
	s.LinkSelected = lipgloss.NewStyle().Foreground(t.OnHi).Background(t.Accent)
	s.Status = lipgloss.NewStyle().Foreground(t.Muted)
	s.Error = lipgloss.NewStyle().Foreground(t.Error).Bold(true)
	s.Banner = lipgloss.NewStyle().Italic(true).Foreground(t.Muted)
	s.Input = lipgloss.NewStyle().Foreground(t.Accent).Bold(true)
	// The help bubble's own greys (help.DefaultStyles) read below 4.5:1
	// on black and on white. Keys stay a step stronger than what they do,
	// as they are there.
	key := lipgloss.NewStyle().Foreground(t.Muted)
	faint := lipgloss.NewStyle().Foreground(t.Faint)
	s.Help = help.Styles{Ellipsis: faint, ShortKey: key, ShortDesc: faint, ShortSeparator: faint,
		FullKey: key, FullDesc: faint, FullSeparator: faint}
	return s
}

// GlamourStyle is the Markdown style for the theme. The document margin and
// the blank lines glamour puts around a document are removed, because the
// reader renders paragraph by paragraph and lays them out itself.
func (t Theme) GlamourStyle() ansi.StyleConfig {
	var cfg ansi.StyleConfig
	switch {
	case t.Mono:
		cfg = styles.ASCIIStyleConfig
	case t.Contrast:
		cfg = t.contrastGlamour()
	case t.Name == ThemeLight:
		cfg = styles.LightStyleConfig
	default:
		cfg = styles.DarkStyleConfig
	}
	zero := uint(0)
	cfg.Document.Margin = &zero
	cfg.Document.BlockPrefix = ""
	cfg.Document.BlockSuffix = ""
	return cfg
}

// asciiGlyphs are the signs kurultai draws with, and what --style ascii
// draws instead, for terminals and fonts that have only ASCII. Letters of
// the archive's text stay as they are, and so do the ⟨U+202E⟩ marks that
// stand for invisible characters: in ASCII they could be taken for text.
//
// A sign that stands in a column (the ellipsis of a cut cell, an arrow)
// takes one cell in ASCII too, so that columns stay aligned: … is ~. The
// arrow keys are named up and dn, never a letter that is a key of its own
// (v starts a range).
var asciiGlyphs = strings.NewReplacer(
	"›", ">", "▌", "|", "•", "*", "¶", "#", "—", "-", "–", "-", "·", "-", "…", "~",
	"→", ">", "←", "<", "↑", "up", "↓", "dn", "█", "_", "│", "|", "─", "-", "░", ".",
	"▇", "#", "▓", "=", "▒", "+", "▞", "%",
	"«", "\"", "»", "\"", "“", "\"", "”", "\"", "‘", "'", "’", "'",
)

// ASCIIOnly redraws the signs of text in ASCII (see asciiGlyphs).
func ASCIIOnly(s string) string { return asciiGlyphs.Replace(s) }

// asciiWriter writes through ASCIIOnly. The signs are whole runes, and
// kurultai writes whole lines, so no sign is split between writes.
type asciiWriter struct{ w io.Writer }

func (a asciiWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(a.w, ASCIIOnly(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// ColourRoles are the colours of a theme that the config file's
// [colours] can change, by their names there.
var ColourRoles = []string{"accent", "muted", "faint", "text", "error", "match", "on_highlight", "selection"}

// role gives the field of a theme's colour of that name.
func (t *Theme) role(name string) *color.Color {
	switch name {
	case "accent":
		return &t.Accent
	case "muted":
		return &t.Muted
	case "faint":
		return &t.Faint
	case "text":
		return &t.Text
	case "error":
		return &t.Error
	case "match":
		return &t.Match
	case "on_highlight":
		return &t.OnHi
	case "selection":
		return &t.Select
	}
	return nil
}

// Colour gives the theme's colour of a role (see ColourRoles); nil for a
// mono theme or a role it does not have.
func (t Theme) Colour(role string) color.Color {
	if f := t.role(role); f != nil {
		return *f
	}
	return nil
}

// ParseColour reads a colour as the config file gives it: "#RRGGBB",
// "#RGB", or a colour of the terminal's 256 by its number, "0" to "255".
func ParseColour(s string) (color.Color, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 || n > 255 {
			return nil, msg.Errorf("%q: a colour number is from 0 to 255", s)
		}
		return lipgloss.Color(s), nil
	}
	hex, ok := strings.CutPrefix(s, "#")
	if ok && (len(hex) == 3 || len(hex) == 6) {
		if _, err := strconv.ParseUint(hex, 16, 32); err == nil {
			return lipgloss.Color(s), nil
		}
	}
	return nil, msg.Errorf(`%q is not a colour: write "#RRGGBB", "#RGB" or a number from 0 to 255`, s)
}

// WithColours returns the theme with the colours of the roles given
// replaced. A mono theme stays without colour; a colour that cannot be
// read (the config file checks them first) is left as it was.
func (t Theme) WithColours(colours map[string]string) Theme {
	if t.Mono {
		return t
	}
	for name, s := range colours {
		if c, err := ParseColour(s); err == nil {
			if f := t.role(name); f != nil {
				*f = c
			}
		}
	}
	return t
}

// contrastGlamour is glamour's style in a high-contrast theme's colours:
// text in Text, headings and links in Accent, no background of its own
// (code blocks among them) and no syntax colours, so that every colour of
// a document is one of the theme's, measured (contrast_test.go).
func (t Theme) contrastGlamour() ansi.StyleConfig {
	cfg := styles.DarkStyleConfig
	if t.Light {
		cfg = styles.LightStyleConfig
	}
	text, accent := colourHex(t.Text), colourHex(t.Accent)
	eachPrimitive(reflect.ValueOf(&cfg).Elem(), func(p *ansi.StylePrimitive) {
		if p.Color != nil {
			p.Color = &text
		}
		p.BackgroundColor = nil
	})
	cfg.Document.Color = &text
	for _, p := range []*ansi.StylePrimitive{&cfg.Heading.StylePrimitive, &cfg.H1.StylePrimitive, &cfg.H2.StylePrimitive,
		&cfg.H3.StylePrimitive, &cfg.H4.StylePrimitive, &cfg.H5.StylePrimitive, &cfg.H6.StylePrimitive, &cfg.Link, &cfg.LinkText} {
		p.Color = &accent
	}
	cfg.CodeBlock.Chroma = nil
	return cfg
}

// eachPrimitive calls fn with every StylePrimitive within v.
func eachPrimitive(v reflect.Value, fn func(*ansi.StylePrimitive)) {
	switch v.Kind() {
	case reflect.Struct:
		if p, ok := v.Addr().Interface().(*ansi.StylePrimitive); ok {
			fn(p)
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanAddr() && v.Type().Field(i).IsExported() {
				eachPrimitive(f, fn)
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			eachPrimitive(v.Elem(), fn)
		}
	}
}

// colourHex gives a colour as #RRGGBB.
func colourHex(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
}
