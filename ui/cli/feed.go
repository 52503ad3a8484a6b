package cli

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/sessions/msg"
	"kurultai/ui"
)

// feedPerFollow bounds the entries of one follow in a feed: the newest
// this many, and an entry that says how many more there are.
const feedPerFollow = 200

// Atom (RFC 4287) as a feed reader takes it.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID       string       `xml:"id"`
	Title    string       `xml:"title"`
	Updated  string       `xml:"updated"`
	Link     atomLink     `xml:"link"`
	Category atomCategory `xml:"category"`
	Summary  string       `xml:"summary"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// Link is the address of a document (and a paragraph of it) that
// kurultai opens: kurultai kurultai:nk-5/address?para=3.
func Link(doc string, para int) string {
	if para > 0 {
		return fmt.Sprintf("kurultai:%s?para=%d", doc, para)
	}
	return "kurultai:" + doc
}

// ParseLink reads a Link; ok is false for anything else.
func ParseLink(s string) (doc string, para int, ok bool) {
	rest, found := strings.CutPrefix(s, "kurultai:")
	if !found || rest == "" {
		return "", 0, false
	}
	doc, q, _ := strings.Cut(rest, "?")
	if n, err := fmt.Sscanf(q, "para=%d", &para); q != "" && (err != nil || n != 1 || para < 1) {
		return "", 0, false
	}
	return doc, para, doc != ""
}

// Feed writes an Atom feed of what is new for this person's follows (or
// one of them), as kurultai follow list counts it: for a search, a
// speaker or a body its new results, newest first; for a proposal its new
// timeline steps. Entry ids name the archive, the row and the batch that
// made it new, so that a feed reader sees each once.
func Feed(ctx context.Context, o Options, e Env, only int64) error {
	fl, err := openFollowing(ctx, o, e)
	if err != nil {
		return err
	}
	defer fl.close()
	db, archive := fl.db, fl.archive
	fs, err := fl.bm.Follows(ctx, fl.owner, archive)
	if err != nil {
		return err
	}
	if only != 0 {
		var one []data.Follow
		for _, f := range fs {
			if f.ID == only {
				one = append(one, f)
			}
		}
		if len(one) == 0 {
			return UsageError{Msg: msg.T("there is no follow %d; kurultai follow list shows the numbers", only)}
		}
		fs = one
	}
	feed := atomFeed{ID: "urn:kurultai:" + archive + ":feed", Title: "kurultai: what is new in what you follow",
		Author: atomPerson{Name: "kurultai"}}
	if only != 0 {
		feed.ID += fmt.Sprintf(":%d", only)
	}
	nc := db.NewCounter()
	newest := ""
	add := func(en atomEntry) {
		if en.Updated > newest {
			newest = en.Updated
		}
		feed.Entries = append(feed.Entries, en)
	}
	for i := range fs {
		f := &fs[i]
		if err := nc.Count(ctx, f); err != nil {
			return err
		}
		if !f.Problem.IsZero() || f.New == 0 {
			continue
		}
		follow := fmt.Sprintf("%s: %s", f.Kind, ui.SanitizeLine(f.Name))
		if f.Kind == data.FollowProposal {
			evs, err := db.NewEvents(ctx, f.Target, f.SeenBatch)
			if err != nil {
				return err
			}
			for _, ev := range evs {
				summary := ui.SanitizeLine(ev.Event.Note)
				if ev.Event.Source != "" {
					summary += " Source: " + ui.SanitizeLine(ev.Event.Source)
				}
				if ev.Event.Confidence != "" {
					summary += " (confidence: " + ui.SanitizeLine(ev.Event.Confidence) + ")"
				}
				add(atomEntry{
					ID:       fmt.Sprintf("urn:kurultai:%s:event:%s:%d:%d", archive, ev.Proposal, ev.Seq, ev.Batch),
					Title:    fmt.Sprintf("%s · %s · %s", ui.SanitizeLine(ev.Title), ui.SanitizeLine(ev.Event.Status), ui.SanitizeLine(ev.Event.Date)),
					Updated:  atomTime(ev.At),
					Link:     atomLink{Href: Link(ev.Proposal, 0)},
					Category: atomCategory{Term: follow},
					Summary:  strings.TrimSpace(summary),
				})
			}
			continue
		}
		hits, err := nc.Hits(ctx, *f, feedPerFollow)
		if err != nil {
			return err
		}
		for _, h := range hits {
			batch, at, err := db.HitBatch(ctx, h)
			if err != nil {
				return err
			}
			add(atomEntry{
				ID:       fmt.Sprintf("urn:kurultai:%s:%s:%d", archive, h.Key(), batch),
				Title:    feedTitle(h),
				Updated:  atomTime(at),
				Link:     atomLink{Href: Link(docOf(h), h.Paragraph)},
				Category: atomCategory{Term: follow},
				Summary:  ui.SanitizeLine(unmarked.Replace(h.Snippet)),
			})
		}
		if f.New > len(hits) {
			// Said plainly: the feed holds the newest, not all.
			add(atomEntry{
				ID:       fmt.Sprintf("urn:kurultai:%s:more:%d:%d", archive, f.ID, f.SeenBatch),
				Title:    fmt.Sprintf("%s more new results for %s", data.Thousands(int64(f.New-len(hits))), follow),
				Updated:  atomTime(""),
				Link:     atomLink{Href: "kurultai:"},
				Category: atomCategory{Term: follow},
				Summary:  fmt.Sprintf("The feed lists the newest %d; kurultai follow list counts all %d.", len(hits), f.New),
			})
		}
	}
	feed.Updated = newest
	if feed.Updated == "" {
		feed.Updated = atomTime("")
	}
	return writeFeed(e, o, feed)
}

// unmarked drops a snippet's match marks: a feed's summary is plain text,
// and « » are ordinary quotation marks in Kazakh and Russian.
var unmarked = strings.NewReplacer(data.MarkStart, "", data.MarkEnd, "")

// docOf is the document a hit opens: its session for a session's record.
func docOf(h data.Hit) string {
	if h.Kind == data.KindSession {
		return h.Session
	}
	return h.Speech
}

func feedTitle(h data.Hit) string {
	where := ui.SanitizeLine(h.Session) + " · " + ui.SanitizeLine(h.Date)
	what := ui.SanitizeLine(h.Title)
	if h.Speaker != "" {
		what = ui.SanitizeLine(h.Speaker) + ": " + what
	}
	if h.Paragraph > 0 {
		what += fmt.Sprintf(", ¶ %d", h.Paragraph)
	}
	if what == "" {
		what = ui.SanitizeLine(h.FieldLabel())
	}
	return where + " · " + what
}

// atomTime is an RFC 3339 time as Atom wants it; a batch written before
// batches kept their time, and an entry that is not a row, take now.
func atomTime(at string) string {
	if t, err := time.Parse(time.RFC3339, at); err == nil {
		return t.UTC().Format(time.RFC3339)
	}
	return time.Now().UTC().Format(time.RFC3339)
}

// writeFeed writes the feed to -o, atomically, or to standard output.
func writeFeed(e Env, o Options, feed atomFeed) error {
	write := func(w io.Writer) error {
		if _, err := io.WriteString(w, xml.Header); err != nil {
			return err
		}
		enc := xml.NewEncoder(w)
		enc.Indent("", "  ")
		if err := enc.Encode(feed); err != nil {
			return err
		}
		_, err := io.WriteString(w, "\n")
		return err
	}
	if o.Out == "" {
		return write(e.Stdout)
	}
	if err := os.MkdirAll(filepath.Dir(o.Out), 0o755); err != nil {
		return msg.Errorf("cannot make the folder for %s: %v", o.Out, err)
	}
	if err := sessions.WriteFileAtomic(o.Out, write); err != nil {
		return err
	}
	fmt.Fprintln(e.Stderr, o.Printer(e).T("wrote a feed of %d entries to %s", len(feed.Entries), o.Out))
	return nil
}
