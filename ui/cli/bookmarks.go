package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/sessions/msg"
	"kurultai/ui"
)

// Bookmarks adds, lists, removes and imports this person's bookmarks.
func Bookmarks(ctx context.Context, pos []string, o Options, e Env) error {
	if len(pos) == 0 {
		return UsageError{Msg: msg.T("bookmarks needs add, list, rm or import")}
	}
	path, err := bookmarksPath(e.Getenv)
	if err != nil {
		return err
	}
	owner := localOwner(e.Getenv)
	tr := o.Printer(e)
	switch pos[0] {
	case "add":
		if len(pos) != 2 || o.Para == "" {
			return UsageError{Msg: msg.T("bookmarks add takes an id and --para, for example: kurultai bookmarks add nk-5/address --para 3-4")}
		}
		from, to, err := data.ParseRange(o.Para)
		if err != nil {
			return UsageError{Msg: msg.T("%v", err)}
		}
		db, err := OpenArchive(ctx, o, e)
		if err != nil {
			return err
		}
		defer db.Close()
		p, err := db.NewPassage(ctx, owner, pos[1], from, to)
		var re *data.RangeError
		if errors.As(err, &re) {
			return UsageError{Msg: msg.T("%v", err)}
		}
		if err != nil {
			return err
		}
		p.Note, p.Tags = o.Note, o.Tags
		bm, err := data.OpenBookmarks(ctx, path)
		if err != nil {
			return err
		}
		defer bm.Close()
		id, err := bm.Add(ctx, p)
		var kept *data.AlreadyKept
		if errors.As(err, &kept) {
			// Adding again is no failure: the passage is kept, as asked.
			_, err := fmt.Fprintln(e.Stdout, ui.SanitizeLine(tr.Err(kept)))
			return err
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(e.Stdout, tr.T("bookmark %d: %s, %s", msg.Plain(id), ui.SanitizeLine(p.Doc), p.Citation.Paras()))
		return nil
	case "list":
		bm, err := data.OpenBookmarks(ctx, path)
		if err != nil {
			return err
		}
		defer bm.Close()
		list, err := bm.List(ctx, owner, data.BookmarkFilter{})
		if err != nil {
			return err
		}
		// Each bookmark is cited as it stands in the archive now.
		cited := map[string]sessions.Passage{}
		db, err := OpenArchive(ctx, o, e)
		if err == nil {
			var ps []sessions.Passage
			ps, err = db.Cite(ctx, list, "")
			db.Close()
			for _, p := range ps {
				cited[p.UID] = p
			}
		}
		if o.JSON {
			if err != nil {
				return msg.Errorf("cannot cite the bookmarks: %v", err)
			}
			out := make([]any, 0, len(list))
			for _, b := range list {
				out = append(out, struct {
					ID int64 `json:"id"`
					sessions.Passage
				}{b.ID, cited[b.UID]})
			}
			return sessions.WriteJSON(e.Stdout, out)
		}
		for _, b := range list {
			// Where the archive does not open, the paragraphs are those the
			// bookmark recorded.
			where := "¶ " + sessions.Citation{From: b.From, To: b.To}.Locator()
			if p, ok := cited[b.UID]; ok {
				switch p.State {
				case "moved":
					where = p.Citation.Paras() + " [" + tr.T("moved") + "]"
				case "orphaned":
					// Its paragraphs no longer hold its text, and may not
					// exist: it names none.
					where = "[" + tr.T("orphaned: its text is no longer in the archive") + "]"
				default:
					where = p.Citation.Paras()
				}
			}
			fmt.Fprintf(e.Stdout, "%4d  %s %s  %s  %s\n", b.ID, ui.SanitizeLine(b.Doc), where,
				ui.SanitizeLine(strings.Join(b.Tags, ", ")), ui.SanitizeLine(b.Note))
		}
		return nil
	case "rm":
		if len(pos) != 2 {
			return UsageError{Msg: msg.T("bookmarks rm takes a bookmark number, as bookmarks list shows it")}
		}
		id, err := strconv.ParseInt(pos[1], 10, 64)
		if err != nil {
			return UsageError{Msg: msg.T("%q is not a bookmark number", pos[1])}
		}
		bm, err := data.OpenBookmarks(ctx, path)
		if err != nil {
			return err
		}
		defer bm.Close()
		return bm.Remove(ctx, owner, id)
	case "import":
		if len(pos) != 2 {
			return UsageError{Msg: msg.T("bookmarks import takes a file written by kurultai export --format json")}
		}
		raw, err := os.ReadFile(pos[1])
		if err != nil {
			return err
		}
		var doc struct {
			Version  int                `json:"kurultai_bookmarks"`
			Passages []sessions.Passage `json:"passages"`
		}
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&doc); err != nil || doc.Version != 1 {
			return msg.Errorf("%s is not a kurultai bookmarks export (kurultai export --format json): %v", pos[1], err)
		}
		bm, err := data.OpenBookmarks(ctx, path)
		if err != nil {
			return err
		}
		defer bm.Close()
		added, skipped, err := bm.Import(ctx, owner, doc.Passages)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.Stdout, tr.T("%d bookmarks added, %d already here", added, skipped))
		return nil
	}
	return UsageError{Msg: msg.T("bookmarks %s: expected add, list, rm or import", pos[0])}
}

// Export prints or writes bookmarked passages with their citations.
func Export(ctx context.Context, o Options, e Env) error {
	bm, done, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer done()
	list, err := bm.List(ctx, e.owner(), data.BookmarkFilter{Tag: o.Tag})
	if err != nil {
		return err
	}
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if o.Session != "" {
		// A session the archive does not have is a mistake in the
		// command, not an empty result.
		kind, err := db.Kind(ctx, o.Session)
		if errors.Is(err, data.ErrNotFound) {
			return UsageError{Msg: msg.T("--session %q: the archive has no session with that id (kurultai sessions lists them)", OneLine(o.Session))}
		}
		if err != nil {
			return err
		}
		if kind != data.KindSession {
			return UsageError{Msg: msg.T("--session %q: that is a %v, not a session", OneLine(o.Session), sessions.KindWord(kind))}
		}
	}
	passages, err := db.Cite(ctx, list, o.Session)
	if err != nil {
		return err
	}
	if len(passages) == 0 && (o.Tag != "" || o.Session != "") {
		switch {
		case o.Tag != "" && o.Session != "":
			return msg.Errorf("nothing matched: no bookmarked passage with the tag %q in session %s", OneLine(o.Tag), OneLine(o.Session))
		case o.Tag != "":
			return msg.Errorf("nothing matched: no bookmarked passage with the tag %q", OneLine(o.Tag))
		}
		return msg.Errorf("nothing matched: no bookmarked passage in session %s", OneLine(o.Session))
	}
	opt := sessions.ExportOptions{Group: o.Group, Notes: o.Notes}
	if o.Out == "" {
		if tty, _ := e.terminal(); tty {
			var b strings.Builder
			if err := sessions.WriteExport(&b, o.Format, opt, passages); err != nil {
				return err
			}
			_, err := io.WriteString(e.Stdout, ui.Sanitize(b.String()))
			return err
		}
		return sessions.WriteExport(e.Stdout, o.Format, opt, passages)
	}
	// A folder that does not exist yet is made, as dump and gen make theirs.
	if dir := filepath.Dir(o.Out); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return msg.Errorf("cannot create %s: %v (nothing was written)", dir, err)
		}
	}
	if err := sessions.WriteFileAtomic(o.Out, func(w io.Writer) error {
		return sessions.WriteExport(w, o.Format, opt, passages)
	}); err != nil {
		return msg.Errorf("cannot write %s: %v (nothing was written there)", o.Out, err)
	}
	fmt.Fprintln(e.Stderr, o.Printer(e).T("wrote %d passages to %s", len(passages), o.Out))
	return nil
}
