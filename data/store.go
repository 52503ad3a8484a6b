package data

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// Store keeps what belongs to each reader rather than to the archive:
// bookmarks, follows, and what they have seen. A laptop and a single
// server keep it in a file beside the archive (Bookmarks); several servers
// share one in PostgreSQL. Every method is scoped to an owner (the local
// user, or an SSH key's fingerprint), and no owner sees another's rows.
type Store interface {
	// Add keeps a new passage; one its owner already keeps is an
	// *AlreadyKept, with that bookmark's number.
	Add(ctx context.Context, p *sessions.Passage) (int64, error)
	// List gives an owner's bookmarks that a filter keeps.
	List(ctx context.Context, owner string, f BookmarkFilter) ([]Bookmark, error)
	// Count counts them.
	Count(ctx context.Context, owner string, f BookmarkFilter) (int, error)
	// Get reads one bookmark whole.
	Get(ctx context.Context, owner string, id int64) (*Bookmark, error)
	// Edit changes a bookmark's note and tags.
	Edit(ctx context.Context, owner string, id int64, note string, tags []string) error
	// Remove deletes a bookmark.
	Remove(ctx context.Context, owner string, id int64) error
	// Import adds the passages of an export that the store does not hold.
	Import(ctx context.Context, owner string, ps []sessions.Passage) (added, skipped int, err error)
	// Forget deletes everything of the owners whose names start with
	// prefix: a guest's.
	Forget(ctx context.Context, prefix string) (int64, error)

	// AddFollow keeps a follow, seen up to batch; a follow of the same
	// kind and target is an *AlreadyFollowed.
	AddFollow(ctx context.Context, owner, archive string, f *Follow, batch int64) (int64, error)
	// Follows lists an owner's follows of an archive, oldest first.
	Follows(ctx context.Context, owner, archive string) ([]Follow, error)
	// SetSeen marks a follow seen up to batch.
	SetSeen(ctx context.Context, owner string, id, batch int64, status string) error
	// RemoveFollow stops following.
	RemoveFollow(ctx context.Context, owner string, id int64) error

	// Baseline is the archive's batch when an owner first used it.
	Baseline(ctx context.Context, owner, archive string, last int64) (int64, error)
	// MarkOpened records that an owner opened a document at batch.
	MarkOpened(ctx context.Context, owner, archive, doc string, batch int64) error
	// Opened gives the batch at which an owner last opened each document.
	Opened(ctx context.Context, owner, archive string, docs []string) (map[string]int64, error)

	Close() error
}

var _ Store = (*Bookmarks)(nil)

// StateStore is a Store whose whole state can be read out and added to
// another, for kurultai state export and import.
type StateStore interface {
	Store
	// DumpState reads everything the store holds for its readers, but its
	// guests'.
	DumpState(ctx context.Context) (*State, error)
	// LoadState adds a state, in one transaction; what the store holds
	// already stays.
	LoadState(ctx context.Context, st *State) (StateLoaded, error)
}

var (
	_ StateStore = (*Bookmarks)(nil)
	_ StateStore = (*PGStore)(nil)
)

// ErrNotKeepable is text a store cannot keep the same in both stores: a
// NUL byte, which PostgreSQL refuses, or bytes that are not UTF-8.
var ErrNotKeepable = msg.New("a note, a tag or what is followed must be UTF-8 text without NUL bytes")

// keepable checks text before either store keeps it, so that both keep the
// same and a state moves whole from one to the other.
func keepable(texts ...string) error {
	for _, t := range texts {
		if !utf8.ValidString(t) || strings.IndexByte(t, 0) >= 0 {
			return ErrNotKeepable
		}
	}
	return nil
}

// passageKeepable checks a passage's text.
func passageKeepable(p *sessions.Passage) error {
	return keepable(append([]string{p.Owner, p.Archive, p.Doc, p.Quote, p.Note, p.Citation.Session, p.Citation.Date}, p.Tags...)...)
}

// scanBookmark reads a row of List: the columns the screen lists, or the
// whole bookmark.
func scanBookmark(scan func(...any) error, screen bool, owner string) (Bookmark, error) {
	var bm Bookmark
	if screen {
		bm.Owner = owner
		return bm, scan(&bm.ID, &bm.Doc, &bm.From, &bm.To, &bm.Quote, &bm.Note, &bm.Citation.Session, &bm.Citation.Date)
	}
	return bm, scan(&bm.ID, &bm.UID, &bm.Owner, &bm.Archive, &bm.Doc, &bm.From, &bm.To, &bm.Quote, &bm.Note,
		&bm.Created, &bm.Updated, &bm.Citation.Session, &bm.Citation.Date)
}

// getBookmark reads one of an owner's bookmarks whole, from either store.
func getBookmark(ctx context.Context, s Store, owner string, id int64) (*Bookmark, error) {
	list, err := s.List(ctx, owner, BookmarkFilter{})
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].ID == id {
			return &list[i], nil
		}
	}
	return nil, msg.Errorf("bookmark %d: %v", id, ErrNotFound)
}

// importPassages adds the passages of an export a store does not hold yet,
// by uid (kept says whether one is), for owner; one the owner keeps already
// under another uid (the same document and paragraphs) is skipped too.
func importPassages(ctx context.Context, s Store, owner string, ps []sessions.Passage, kept func(uid string) (bool, error)) (added, skipped int, err error) {
	for _, p := range ps {
		if p.UID != "" {
			have, err := kept(p.UID)
			if err != nil {
				return added, skipped, err
			}
			if have {
				skipped++
				continue
			}
		}
		p.Owner = owner
		var already *AlreadyKept
		if _, err := s.Add(ctx, &p); errors.As(err, &already) {
			skipped++
			continue
		} else if err != nil {
			return added, skipped, err
		}
		added++
	}
	return added, skipped, nil
}
