package ui

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
)

// PrintSessions writes the sessions list as a plain table.
func PrintSessions(w io.Writer, rows []data.SessionRow, width int) error {
	c := &common{styles: NewStyles(NewTheme(ThemeASCII)), keys: DefaultKeyMap()}
	p := &sessionsPage{c: c, width: width}
	lines := []string{strings.TrimRight(p.headerRow(), " ")}
	for _, r := range rows {
		lines = append(lines, strings.TrimRight(p.formatRow(r), " "))
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
}

// PrintDocument renders a session, speech or proposal whole, as the reader
// shows it, and writes it to w.
func PrintDocument(ctx context.Context, w io.Writer, db *data.DB, id string, opts PrintOptions) error {
	theme := NewTheme(opts.Theme)
	if opts.Plain {
		theme = NewTheme(ThemeASCII)
	}
	c := &common{db: db, ctx: ctx, styles: NewStyles(theme), keys: DefaultKeyMap(), cache: newRenderCache(1 << 20)}
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
		for _, l := range []string{c.styles.Title.Render(SanitizeLine(s.Title)), SanitizeLine(s.ID) + " · " + sessionLine(s.SessionRow)} {
			head = append(head, strings.Split(ansi.Wrap(l, width, ""), "\n")...)
		}
		blocks := summaryBlocks(s)
		blocks, err = appendItems(ctx, db, id, blocks)
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
		blocks := speechBlocks(d)
		if d.Kind == data.KindProposal {
			blocks = proposalBlocks(d)
		}
		v = newDocView(c, theme, id, blocks, true)
	}
	v.layout(width, 1)
	for b, lines := range renderBlocks(c.cache, v.id, theme, v.contentW, v.pending(0, len(v.lines))) {
		v.blocks[b].lines, v.blocks[b].final = lines, true
	}
	v.relayout(0)
	v.cursor, v.height = -1, len(v.lines)
	body := strings.Split(v.View(), "\n")
	out := append(head, "")
	for _, l := range body {
		out = append(out, strings.TrimRight(l, " "))
	}
	text := strings.Join(out, "\n") + "\n"
	if opts.Plain {
		text = ansi.Strip(text)
	}
	_, err = io.WriteString(w, text)
	return err
}

// appendItems adds a session's speeches and proposals to its printed form.
func appendItems(ctx context.Context, db *data.DB, id string, blocks []docBlock) ([]docBlock, error) {
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
		title := "## Speeches"
		if kind == data.KindProposal {
			title = "## Proposals"
		}
		blocks = append(blocks, docBlock{kind: blockText, md: title})
		var list []string
		for _, r := range all {
			line := fmt.Sprintf("%s (`%s`)", SanitizeLine(r.Title), SanitizeLine(r.ID))
			if kind == data.KindSpeech && r.Speaker != "" {
				line += " — " + SanitizeLine(r.Speaker)
			}
			if kind == data.KindProposal {
				line += " — " + SanitizeLine(orDash(r.Status))
			}
			list = append(list, "- "+line)
		}
		blocks = append(blocks, docBlock{kind: blockText, md: strings.Join(list, "\n")})
	}
	return blocks, nil
}
