package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/sessions/msg"
	"kurultai/ui"
	"kurultai/ui/i18n"
)

// FollowOptions are follow's own flags.
type FollowOptions struct {
	Speaker, Proposal, Body, Name string
}

// Follow adds, lists, marks seen and removes what this person follows.
func Follow(ctx context.Context, pos []string, o Options, e Env) error {
	if len(pos) == 0 {
		return UsageError{Msg: msg.T("follow needs add, list, seen or rm")}
	}
	fl, err := openFollowing(ctx, o, e)
	if err != nil {
		return err
	}
	defer fl.close()
	db, bm, archive, owner := fl.db, fl.bm, fl.archive, fl.owner
	tr := o.Printer(e)
	// From the first follow on, what arrives is new to this reader.
	if _, err := db.NewNews(ctx, bm, owner); err != nil {
		return err
	}
	number := func(what string) (int64, error) {
		if len(pos) != 2 {
			return 0, UsageError{Msg: msg.T("follow %s takes a follow number, as follow list shows it", what)}
		}
		id, err := strconv.ParseInt(pos[1], 10, 64)
		if err != nil || id < 1 {
			return 0, UsageError{Msg: msg.T("%q is not a follow number", pos[1])}
		}
		return id, nil
	}
	switch pos[0] {
	case "add":
		f, err := followOf(pos[1:], o.Follow)
		if err != nil {
			return err
		}
		if err := db.CheckFollow(ctx, f); err != nil {
			return UsageError{Msg: msg.T("%v", err)}
		}
		last, err := db.LastBatch(ctx)
		if err != nil {
			return err
		}
		id, err := bm.AddFollow(ctx, owner, archive, f, last)
		var already *data.AlreadyFollowed
		if errors.As(err, &already) {
			// Following again is no failure: it is followed, as asked.
			_, err := fmt.Fprintln(e.Stdout, tr.Err(already))
			return err
		}
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(e.Stdout, tr.T("follow %d: %s %s; what arrives from now on counts as new", msg.Plain(id), ui.FollowKind(tr, f.Kind), ui.SanitizeLine(quoted(f))))
		return err
	case "list":
		if len(pos) != 1 {
			return UsageError{Msg: msg.T("follow list takes no more words")}
		}
		fs, err := bm.Follows(ctx, owner, archive)
		if err != nil {
			return err
		}
		nc := db.NewCounter()
		for i := range fs {
			if err := nc.Count(ctx, &fs[i]); err != nil {
				return msg.Errorf("counting what is new for follow %d: %v", fs[i].ID, err)
			}
		}
		if o.JSON {
			if fs == nil {
				fs = []data.Follow{}
			}
			return sessions.WriteJSON(e.Stdout, fs)
		}
		if len(fs) == 0 {
			_, err := fmt.Fprintln(e.Stdout, tr.T("Nothing is followed. Follow a search with: kurultai follow add QUERY"))
			return err
		}
		for _, f := range fs {
			fmt.Fprintln(e.Stdout, ui.SanitizeLine(FollowLine(tr, f)))
		}
		return nil
	case "seen":
		var id int64
		switch {
		case o.All && len(pos) == 1:
		case o.All:
			return UsageError{Msg: msg.T("follow seen takes a follow number or --all, not both")}
		default:
			if id, err = number("seen"); err != nil {
				return err
			}
		}
		n, err := db.SeeFollows(ctx, bm, owner, id)
		if errors.Is(err, data.ErrNoFollow) {
			return UsageError{Msg: msg.T("there is no follow %d; follow list shows the numbers", id)}
		}
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(e.Stdout, tr.T("marked %d follows seen", n))
		return err
	case "rm":
		id, err := number("rm")
		if err != nil {
			return err
		}
		err = bm.RemoveFollow(ctx, owner, id)
		if errors.Is(err, data.ErrNoFollow) {
			return UsageError{Msg: msg.T("there is no follow %d; follow list shows the numbers", id)}
		}
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(e.Stdout, tr.T("stopped following %d", msg.Plain(id)))
		return err
	}
	return UsageError{Msg: msg.T("follow %s: expected add, list, seen or rm", pos[0])}
}

// followOf makes a follow of follow add's words and flags: a query, or
// exactly one of --speaker, --proposal and --body.
func followOf(words []string, fo FollowOptions) (*data.Follow, error) {
	var fs []*data.Follow
	if len(words) > 0 {
		fs = append(fs, &data.Follow{Kind: data.FollowSearch, Target: strings.Join(words, " ")})
	}
	for _, c := range []struct{ kind, target string }{
		{data.FollowSpeaker, fo.Speaker}, {data.FollowProposal, fo.Proposal}, {data.FollowBody, fo.Body},
	} {
		if c.target != "" {
			fs = append(fs, &data.Follow{Kind: c.kind, Target: c.target})
		}
	}
	if len(fs) != 1 {
		return nil, UsageError{Msg: msg.T("follow add takes one of: a query, --speaker ID, --proposal ID or --body NAME; for example: kurultai follow add referendum")}
	}
	fs[0].Name = fo.Name
	return fs[0], nil
}

// quoted is what a follow follows, as a line shows it.
func quoted(f *data.Follow) string {
	if f.Name != "" && f.Name != f.Target {
		return fmt.Sprintf("“%s” (%s)", f.Name, f.Target)
	}
	return "“" + f.Target + "”"
}

// FollowLine is one follow as follow list prints it: its number, kind,
// what it follows, what is new, and when it was last seen.
func FollowLine(tr *i18n.Printer, f data.Follow) string {
	news := tr.T("%d new", f.New)
	switch {
	case !f.Problem.IsZero():
		news = tr.T("kept, not counted: %s", tr.M(f.Problem))
	case f.New == 0:
		news = tr.T("nothing new")
	}
	line := fmt.Sprintf("%4d  ", f.ID) + ui.PadRight(ui.FollowKind(tr, f.Kind), 8) + " " + quoted(&f) + "  " + news
	if f.Kind == data.FollowProposal && f.Status != "" {
		if f.StatusMoved {
			line += " · " + tr.T("status now %s", f.Status)
		} else {
			line += " · " + f.Status
		}
	}
	return line + " · " + tr.T("seen %s", strings.Replace(strings.TrimSuffix(f.SeenAt, "Z"), "T", " ", 1))
}

// following is what a follow command reads: the archive, its identity,
// and this person's bookmarks file, where follows are kept.
type following struct {
	db             *data.DB
	bm             data.Store
	done           func()
	archive, owner string
}

func openFollowing(ctx context.Context, o Options, e Env) (*following, error) {
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return nil, err
	}
	archive, err := db.ArchiveID(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	bm, done, err := e.openStore(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &following{db: db, bm: bm, done: done, archive: archive, owner: e.owner()}, nil
}

func (f *following) close() {
	f.done()
	f.db.Close()
}
