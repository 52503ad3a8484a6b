package server

import (
	"context"
	"os"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"

	"kurultai/data"
	"kurultai/sessions/msg"
	"kurultai/ui"
)

// archiveWatchEvery is how often the server looks whether its archive
// file was replaced or written.
const archiveWatchEvery = 2 * time.Second

// retireAfter is how long an archive the server has moved away from stays
// open, for the queries that were running on it to finish.
const retireAfter = 2 * time.Minute

// fileState is what tells a file that was replaced or written from the
// one that was there: its inode, size and time of change.
type fileState struct {
	ino   uint64
	size  int64
	mtime time.Time
}

func stateOf(path string) (fileState, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileState{}, err
	}
	st := fileState{size: fi.Size(), mtime: fi.ModTime()}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.ino = uint64(sys.Ino)
	}
	return st, nil
}

// watchArchive reloads the archive when its file is replaced (a new file
// renamed into place) or written, once it has stayed the same for one
// look, so that a file being copied in place is not read half way.
func (s *Server) watchArchive(ctx context.Context, every time.Duration) {
	last, err := stateOf(s.cfg.Archive)
	if err != nil {
		return
	}
	var seen fileState
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now, err := stateOf(s.cfg.Archive)
		if err != nil || now == last {
			seen = fileState{}
			continue
		}
		if now != seen {
			seen = now // changed: wait one more look for it to settle
			continue
		}
		last, seen = now, fileState{}
		s.Reload(ctx)
	}
}

// Reload moves the server to its archive file as it is now: new sessions
// open on it, every running UI moves to it and says in its status line
// what changed, and commands read it from their next run. The archive it
// leaves stays open a while for the queries still running on it. An
// archive that does not open (a half-copied file, an older schema) is
// logged and the server stays where it was.
func (s *Server) Reload(ctx context.Context) error {
	db, err := data.Open(ctx, s.cfg.Archive, data.ReadOnly)
	if err != nil {
		s.log.Warn("archive not reloaded", "err", err)
		return err
	}
	old := s.db.Load()
	note := updateNote(ctx, old, db)
	// Follows and what readers have seen belong to an archive's identity
	// and its batches; a file built anew has others.
	if a, b := identity(ctx, old), identity(ctx, db); a != "" && b != "" && a != b {
		s.log.Warn("the new archive file is another archive, not a new edition of this one: readers' follows and what they have seen stay with the old one; publish by importing into a copy of the served file",
			"old", a, "new", b)
	}
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		db.Close()
		return nil
	}
	s.db.Store(db)
	programs := make([]*tea.Program, 0, len(s.programs))
	for p := range s.programs {
		programs = append(programs, p)
	}
	s.retired = append(s.retired, retired{db: old, at: time.Now()})
	s.mu.Unlock()
	for _, p := range programs {
		// Send waits for a program that is busy; none holds up another.
		go p.Send(ui.ArchiveUpdated{DB: db, Note: note})
	}
	s.log.Info("archive reloaded", "change", note, "sessions", len(programs))
	time.AfterFunc(retireAfter, s.closeRetired)
	return nil
}

// retired is an archive the server moved away from.
type retired struct {
	db *data.DB
	at time.Time
}

// closeRetired closes the archives left longer than retireAfter ago, or
// every one once the server stops.
func (s *Server) closeRetired() {
	s.mu.Lock()
	var keep []retired
	var done []*data.DB
	for _, r := range s.retired {
		if s.stopping || time.Since(r.at) >= retireAfter {
			done = append(done, r.db)
		} else {
			keep = append(keep, r)
		}
	}
	s.retired = keep
	s.mu.Unlock()
	for _, db := range done {
		db.Close()
	}
}

// updateNote says what changed between two archives, by their sessions'
// digests: "archive updated: 2 new sessions, 1 changed".
func updateNote(ctx context.Context, old, now *data.DB) msg.Text {
	none := msg.T("archive updated")
	if old == nil {
		return none
	}
	a, err := old.Manifest(ctx)
	if err != nil {
		return none
	}
	b, err := now.Manifest(ctx)
	if err != nil {
		return none
	}
	before := make(map[string]string, len(a.Sessions))
	for _, e := range a.Sessions {
		before[e.ID] = e.Hash
	}
	var added, changed int
	for _, e := range b.Sessions {
		h, ok := before[e.ID]
		switch {
		case !ok:
			added++
		case h != e.Hash:
			changed++
		}
		delete(before, e.ID)
	}
	var parts []msg.Text
	if added > 0 {
		parts = append(parts, msg.Pick(int64(added), msg.T("%d new session", added), msg.T("%d new sessions", added)))
	}
	if changed > 0 {
		parts = append(parts, msg.T("%d changed", changed))
	}
	if len(before) > 0 {
		parts = append(parts, msg.T("%d removed", len(before)))
	}
	if len(parts) == 0 {
		return none
	}
	said := parts[0]
	for _, p := range parts[1:] {
		said = msg.T("%v, %v", said, p)
	}
	return msg.T("archive updated: %v", said)
}

// identity is an archive's id, "" when it cannot be read.
func identity(ctx context.Context, db *data.DB) string {
	if db == nil {
		return ""
	}
	id, err := db.ArchiveID(ctx)
	if err != nil {
		return ""
	}
	return id
}
