package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/sessions/msg"
	"kurultai/ui"
	"kurultai/ui/i18n"
)

// Sessions lists the sessions, as a table or JSON.
func Sessions(ctx context.Context, o Options, e Env) error {
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	rows := []data.SessionRow{}
	q := data.SessionQuery{Limit: 1000}
	for {
		page, err := db.Sessions(ctx, q)
		if err != nil {
			return err
		}
		rows = append(rows, page...)
		if len(page) < q.Limit {
			break
		}
		q.After = &page[len(page)-1]
	}
	if o.JSON {
		return sessions.WriteJSON(e.Stdout, rows)
	}
	// Piped, every title is whole; on a terminal, cut to its width.
	width := 0
	if tty, w := e.terminal(); tty {
		width = w
	}
	return ui.PrintSessions(e.Stdout, rows, width, o.Printer(e))
}

// Show prints a session, speech or proposal: styled on a terminal,
// plain otherwise.
func Show(ctx context.Context, id string, o Options, e Env) error {
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	width := 80
	tty, w := e.terminal()
	if tty {
		width = min(w, 120)
	}
	if o.Width > 0 {
		width = o.Width
	}
	theme := o.Style
	if theme == "" && e.Getenv("NO_COLOR") != "" {
		theme = ui.ThemeASCII
	}
	return ui.PrintDocument(ctx, e.Stdout, db, id, ui.PrintOptions{Width: width, Theme: theme, Plain: !tty, ASCII: o.Style == ui.ThemeASCII, Colours: o.Colours, Tr: o.Printer(e)})
}

// Browse opens the terminal UI, on the document open names if any.
func Browse(ctx context.Context, open string, o Options, e Env) error {
	in, inOK := e.Stdin.(*os.File)
	out, outOK := e.Stdout.(*os.File)
	if !inOK || !outOK || !term.IsTerminal(in.Fd()) || !term.IsTerminal(out.Fd()) {
		return UsageError{Msg: msg.T("the browser needs a terminal; in scripts use kurultai sessions or kurultai show ID")}
	}
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	// A link from a feed: kurultai:nk-5/address?para=3.
	para := 0
	if doc, p, ok := ParseLink(open); ok {
		open, para = doc, p
	}
	if open != "" {
		if _, err := db.Kind(ctx, open); err != nil {
			return err
		}
	}
	opts := ui.Options{Theme: o.Style, NoColor: e.Getenv("NO_COLOR") != "", Open: open, OpenPara: para, Owner: localOwner(e.Getenv),
		Copy: tmuxCopy(e), Term: e.Getenv("TERM"), ReadWidth: o.ReadWidth, NoMouse: o.NoMouse, Keys: o.Keys, Colours: o.Colours, Notice: o.ConfigProblem, Lang: o.Lang}
	// Bookmarks are kept beside the default archive; if they cannot be,
	// the browser still works and says so when asked to bookmark.
	if path, err := bookmarksPath(e.Getenv); err == nil {
		if bm, err := data.OpenBookmarks(ctx, path); err == nil {
			defer bm.Close()
			opts.Bookmarks = bm
		}
	}
	if path := e.Getenv("KURULTAI_TRACE"); path != "" {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return msg.Errorf("KURULTAI_TRACE: %v", err)
		}
		defer f.Close()
		opts.Trace, opts.Started = f, e.Started
		opts.QuitWhenStarted = e.Getenv("KURULTAI_TRACE_EXIT") == "start"
	}
	if o.Accessible {
		restore, err := keysAsTyped(int(in.Fd()))
		if err != nil {
			return msg.Errorf("the accessible mode cannot read keys as they are typed: %v", err)
		}
		defer restore()
		// Bubble Tea draws nothing here, and is given nowhere to write:
		// what reaches the terminal is the mode's lines alone.
		safe := ui.NewSafeWriter(out)
		defer safe.Flush()
		return ui.RunAccessible(ctx, db, opts, safe, tea.WithInput(in), tea.WithOutput(io.Discard))
	}
	return ui.Run(ctx, db, opts)
}

// Stats counts what the archive holds.
func Stats(ctx context.Context, o Options, e Env) error {
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := db.Stats(ctx)
	if err != nil {
		return err
	}
	if o.JSON {
		return sessions.WriteJSON(e.Stdout, st)
	}
	tr := o.Printer(e)
	rows := []struct {
		name string
		n    int64
	}{{tr.T("sessions"), st.Sessions}, {tr.T("speeches"), st.Speeches}, {tr.T("speakers"), st.Speakers},
		{tr.T("paragraphs"), st.Paragraphs}, {tr.T("proposals"), st.Proposals}, {tr.T("words"), st.Words}}
	nameW := 11
	for _, row := range rows {
		nameW = max(nameW, ansi.StringWidth(row.name))
	}
	for _, row := range rows {
		fmt.Fprintf(e.Stdout, "%s %12s\n", ui.PadRight(row.name, nameW), tr.N(row.n))
	}
	return nil
}

// Printer says a command's words for people in the language chosen: by
// --lang or the config file, else by the locale (over SSH, the one the
// client sent).
func (o Options) Printer(e Env) *i18n.Printer {
	lang := o.Lang
	if lang == "" {
		lang = i18n.FromEnv(e.Getenv)
	}
	return i18n.New(lang)
}
