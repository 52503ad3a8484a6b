package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// OpenStateStore opens the store a --state names: a postgres:// address,
// a bookmarks file, or, when empty, this machine's bookmarks file. A file
// that is not there is made only when create is set.
func OpenStateStore(ctx context.Context, spec string, create bool, e Env) (data.StateStore, error) {
	if data.IsPGAddress(spec) {
		if !create {
			return data.OpenPGStoreToRead(ctx, spec)
		}
		return data.OpenPGStore(ctx, spec)
	}
	if spec == "" {
		var err error
		if spec, err = bookmarksPath(e.Getenv); err != nil {
			return nil, err
		}
	} else if _, err := os.Stat(spec); os.IsNotExist(err) && !create {
		// A file is made to import into, never to export from.
		return nil, UsageError{Msg: msg.T("--state %s: no such file, and not a postgres:// address", spec)}
	}
	return data.OpenBookmarks(ctx, spec)
}

// StateExport writes everything a store holds for its readers as JSON:
// bookmarks with their numbers, follows, baselines, opened documents.
func StateExport(ctx context.Context, spec string, o Options, e Env, write func(func(io.Writer) error) error) error {
	s, err := OpenStateStore(ctx, spec, false, e)
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := s.DumpState(ctx)
	if err != nil {
		return err
	}
	if err := write(func(w io.Writer) error { return sessions.WriteJSON(w, st) }); err != nil {
		return err
	}
	if o.Out != "" {
		tr := o.Printer(e)
		fmt.Fprintln(e.Stderr, tr.T("wrote %s: %s, %s, of %s", o.Out, tr.T("%d bookmarks", len(st.Bookmarks)),
			tr.T("%d follows", len(st.Follows)), tr.T("%d readers", readers(st))))
	}
	return nil
}

// readers counts the owners a state holds anything of.
func readers(st *data.State) int {
	seen := map[string]bool{}
	for _, b := range st.Bookmarks {
		seen[b.Owner] = true
	}
	for _, f := range st.Follows {
		seen[f.Owner] = true
	}
	for _, b := range st.Baselines {
		seen[b.Owner] = true
	}
	for _, op := range st.Opened {
		seen[op.Owner] = true
	}
	return len(seen)
}

// StateImport adds a state that kurultai state export wrote to a store,
// in one transaction: what the store holds already stays, so importing
// twice adds nothing.
func StateImport(ctx context.Context, file, spec string, o Options, e Env) error {
	var in io.Reader = e.Stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return msg.Errorf("cannot read %s: %v", file, err)
		}
		defer f.Close()
		in = f
	}
	dec := json.NewDecoder(io.LimitReader(in, 1<<30))
	dec.DisallowUnknownFields()
	var st data.State
	if err := dec.Decode(&st); err != nil {
		return msg.Errorf("%s is not a state that kurultai state export wrote: %v", file, err)
	}
	s, err := OpenStateStore(ctx, spec, true, e)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := s.LoadState(ctx, &st)
	if err != nil {
		return msg.Errorf("%v (nothing was imported)", err)
	}
	tr := o.Printer(e)
	fmt.Fprintln(e.Stdout, tr.T("imported %s and %s; already there: %s and %s; given new numbers: %d",
		tr.T("%d bookmarks", r.Bookmarks), tr.T("%d follows", r.Follows), tr.T("%d bookmarks", r.SkippedBookmarks),
		tr.T("%d follows", r.SkippedFollows), r.Renumbered))
	return nil
}
