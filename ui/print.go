package ui

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
	"kurultai/ui/i18n"
)

// PrintSessions writes the sessions list as a plain table.
func PrintSessions(w io.Writer, rows []data.SessionRow, width int, tr *i18n.Printer) error {
	// The id first, as show takes it; the title last, whole when the
	// output is not a terminal (width 0), cut to the width when it is.
	head := []string{"ID", tr.T("Date"), tr.T("Place"), tr.T("Speeches"), tr.T("Proposals"), tr.T("Title")}
	idW, placeW := len("ID"), ansi.StringWidth(head[2])
	spW, prW := max(8, ansi.StringWidth(head[3])), max(9, ansi.StringWidth(head[4]))
	for _, r := range rows {
		idW = max(idW, ansi.StringWidth(SanitizeLine(r.ID)))
		placeW = max(placeW, ansi.StringWidth(SanitizeLine(r.Place)))
	}
	if width > 0 {
		placeW = min(placeW, 28)
	}
	line := func(id, date, place, sp, pr, title string) string {
		l := pad(id, idW) + "  " + pad(date, 10) + "  " + pad(place, placeW) + "  " + PadLeft(sp, spW) + "  " + PadLeft(pr, prW) + "  " + title
		if width > 0 {
			l = ansi.Truncate(l, width, "…")
		}
		return strings.TrimRight(l, " ")
	}
	lines := []string{line(head[0], head[1], head[2], head[3], head[4], head[5])}
	for _, r := range rows {
		place := SanitizeLine(r.Place)
		if width > 0 {
			place = ansi.Truncate(place, placeW, "…")
		}
		lines = append(lines, line(SanitizeLine(r.ID), SanitizeLine(r.Date), place,
			fmt.Sprint(r.Speeches), fmt.Sprint(r.Proposals), SanitizeLine(r.Title)))
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
	return err
}

// PrintOptions shape the output of PrintDocument.
type PrintOptions struct {
	Width int
	Theme string
	// Plain writes text without escape sequences, for pipes and files.
	Plain bool
	// ASCII draws every sign in ASCII (--style ascii).
	ASCII bool
	// Colours replace the theme's, by role (see ColourRoles).
	Colours map[string]string
	// Tr says the document's own words (its headings, notes, status) in
	// the interface's language; nil is English.
	Tr *i18n.Printer
}

// PrintDocument renders a session, speech or proposal whole, as the reader
// shows it, and writes it to w block by block, so that what it holds is one
// block's rendering rather than the whole document's. Between blocks it
// stops when ctx ends (an interrupt, or an SSH client that left) and
// returns ctx.Err().
func PrintDocument(ctx context.Context, w io.Writer, db *data.DB, id string, opts PrintOptions) error {
	if opts.ASCII {
		w = asciiWriter{w}
	}
	theme := NewTheme(opts.Theme)
	if opts.Plain {
		theme = NewTheme(ThemeASCII)
	}
	c := &common{ctx: ctx, styles: NewStyles(theme.WithColours(opts.Colours)), keys: DefaultKeyMap(), readWidth: DefaultReadWidth, tr: opts.Tr}
	c.db.Store(db)
	kind, err := db.Kind(ctx, id)
	if err != nil {
		return err
	}
	width := max(opts.Width, 20)
	var head []string
	var v *docView
	if kind == "session" {
		s, err := db.Session(ctx, id)
		if err != nil {
			return err
		}
		for _, l := range []string{c.styles.Title.Render(SanitizeLine(s.Title)), SanitizeLine(s.ID) + " · " + sessionLineIn(c.tr, s.SessionRow)} {
			head = append(head, strings.Split(ansi.Wrap(l, width, ""), "\n")...)
		}
		blocks := summaryBlocks(c.tr, s)
		blocks, err = appendItems(ctx, c.tr, db, id, blocks)
		if err != nil {
			return err
		}
		v = newDocView(c, theme, "session:"+id, blocks, false)
	} else {
		d, err := db.Document(ctx, id)
		if err != nil {
			return err
		}
		// The header is laid out unbounded, then wrapped to the width, so
		// that nothing is cut off on paper.
		p := &readerPage{c: c, doc: d, width: 1 << 20}
		for _, l := range p.header(4) {
			head = append(head, strings.Split(ansi.Wrap(l, width, ""), "\n")...)
		}
		blocks := speechBlocks(c.tr, d)
		if d.Kind == data.KindProposal {
			blocks = proposalBlocks(c.tr, d)
		}
		v = newDocView(c, theme, id, blocks, true)
	}
	// No minWrapWidth here: nothing is cut off on paper, and only one
	// block's lines are held at a time.
	v.width = width
	v.gutterW, v.contentW = measure(width, v.numbered, v.maxPara(), DefaultReadWidth)
	r, err := newMarkdownRenderer(theme, v.contentW)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(w)
	write := func(lines []string) error {
		text := strings.Join(lines, "\n") + "\n"
		if opts.Plain {
			text = ansi.Strip(text)
		}
		_, err := out.WriteString(text)
		return err
	}
	if err := write(append(head, "")); err != nil {
		return err
	}
	for i := range v.blocks {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := write(v.printBlock(i, r)); err != nil {
			return err
		}
	}
	return out.Flush()
}

// printBlock renders block i whole, with its gutter and the blank line
// before it, as View draws it without a cursor.
func (v *docView) printBlock(i int, r *markdownRenderer) []string {
	b := &v.blocks[i]
	var lines []string
	if b.kind == blockLink {
		lines = []string{v.c.styles.Link.Render(ansi.Truncate(b.md, v.contentW, "…"))}
	} else {
		lines = r.render(b.md)
	}
	out := make([]string, 0, len(lines)+1)
	blank := v.gutterText(b, false, false, false)
	if i > 0 && b.kind != blockLink {
		out = append(out, strings.TrimRight(blank, " "))
	}
	for j, l := range lines {
		g := blank
		if j == 0 {
			g = v.gutterText(b, true, false, false)
		}
		if w := v.width - v.gutterW; (strings.IndexByte(l, 0x1b) >= 0 || textWidth(l) > w) && !strings.Contains(l, "://") {
			// Only a styled line may be wider than wrapping made it, or
			// one with a web address longer than a line (keepWhole),
			// which is printed whole: cut, it would lead nowhere.
			l = ansi.Truncate(l, w, "")
		}
		out = append(out, strings.TrimRight(g+l, " "))
	}
	return out
}

// appendItems adds a session's speeches and proposals to its printed form.
func appendItems(ctx context.Context, tr *i18n.Printer, db *data.DB, id string, blocks []docBlock) ([]docBlock, error) {
	for _, kind := range []string{data.KindSpeech, data.KindProposal} {
		var all []data.ItemRow
		page := data.Page{Limit: 500}
		for {
			var rows []data.ItemRow
			var err error
			if kind == data.KindSpeech {
				rows, err = db.Speeches(ctx, id, page)
			} else {
				rows, err = db.Proposals(ctx, id, page)
			}
			if err != nil {
				return nil, err
			}
			all = append(all, rows...)
			if len(rows) < page.Limit {
				break
			}
			page.AfterOrder, page.AfterID = rows[len(rows)-1].Order, rows[len(rows)-1].ID
		}
		if len(all) == 0 {
			continue
		}
		var conf map[string]string
		if kind == data.KindProposal {
			var err error
			if conf, err = currentConfidences(ctx, db, all); err != nil {
				return nil, err
			}
		}
		title := "## " + tr.T("Speeches")
		if kind == data.KindProposal {
			title = "## " + tr.T("Proposals")
		}
		blocks = append(blocks, docBlock{kind: blockText, md: title})
		var list []string
		for _, r := range all {
			line := fmt.Sprintf("%s (`%s`)", SanitizeLine(r.Title), SanitizeLine(r.ID))
			if kind == data.KindSpeech && r.Speaker != "" {
				line += " — " + SanitizeLine(r.Speaker)
			}
			if kind == data.KindProposal {
				line += " — " + statusLabelIn(tr, r.Status, conf[r.ID])
			}
			list = append(list, "- "+line)
		}
		blocks = append(blocks, docBlock{kind: blockText, md: strings.Join(list, "\n")})
	}
	return blocks, nil
}
