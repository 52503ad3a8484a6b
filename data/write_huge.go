package data

import (
	"context"
	"runtime/debug"
	"strconv"

	"github.com/mattn/go-sqlite3"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// hugeText is the size of paragraph (text and heading) from which it is
// written by itself, in steps, so that an import holds few copies of it
// at once (see writeHuge).
const hugeText = 4 << 20

// hugeCacheKiB is the page cache, in KiB, while a huge paragraph is
// written: the pages of its row would otherwise fill the whole cache
// (32 MiB) beside the copies of its text.
const hugeCacheKiB = 2048

// flushParagraphs writes the rows gathered in w.args one by one.
func (w *writer) flushParagraphs(ctx context.Context, rows int) error {
	for i := 0; i < rows; i++ {
		if err := w.exec(ctx, "paragraph", w.args[paragraphCols*i:paragraphCols*(i+1)]...); err != nil {
			return err
		}
	}
	return nil
}

// handOver gives SQLite a text as the result of a function call instead of
// a bound value. SQLite copies a bound value before the statement runs,
// while the caller still holds its own; a function's result it copies
// while the statement runs, and a second function, called after it in the
// same statement, can then free the caller's copy before SQLite builds the
// row. The functions are registered on the import's connection alone.
type handOver struct {
	text  string
	taken bool
}

// register adds the functions to an SQLite connection: kurultai_take()
// gives the text waiting and forgets it; kurultai_settle(x) gives x back
// after returning the memory no longer used to the system.
func (h *handOver) register(driverConn any) error {
	c, ok := driverConn.(*sqlite3.SQLiteConn)
	if !ok {
		return msg.New("the archive's connection is not SQLite")
	}
	take := func() string {
		t := h.text
		h.text, h.taken = "", true
		return t
	}
	settle := func(x int64) int64 {
		debug.FreeOSMemory()
		return x
	}
	if err := c.RegisterFunc("kurultai_take", take, false); err != nil {
		return err
	}
	return c.RegisterFunc("kurultai_settle", settle, false)
}

// writeHuge writes a paragraph of hugeText bytes or more.
//
// One INSERT with the text bound had SQLite hold three copies of it at
// once: the bound value, the row built from it, and the full-text
// index's own copy (the driver's bound text is not NUL-terminated, and
// FTS5 needs it so). Beside the import's copy, that is four: a 60 MB
// paragraph took an import past 400 MB. Here the row goes in with empty
// text, and an UPDATE sets the text by handOver; when drop is set the
// session lets go of the text first, so that once SQLite has its copy,
// only that copy and the row are left. The search index later reads the
// stored row back once, terminated (indexer.index).
//
// Garbage is returned to the system before the copies are made: imports
// run with the collector held back, and what decoding left behind would
// otherwise still take up memory.
func (w *writer) writeHuge(ctx context.Context, id int64, speechID string, p *sessions.Paragraph, words int, batch int64, drop bool) error {
	if _, err := w.stmts["paragraph"].ExecContext(ctx, id, speechID, p.Number, "", "", words, batch, p.Language, lemmasText(p.Lemmas)); err != nil {
		return err
	}
	var cache int64
	if err := w.tx.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
		return err
	}
	if _, err := w.tx.ExecContext(ctx, "PRAGMA cache_size = -"+strconv.Itoa(hugeCacheKiB)); err != nil {
		return err
	}
	defer w.tx.ExecContext(context.WithoutCancel(ctx), "PRAGMA cache_size = "+strconv.FormatInt(cache, 10))
	// Its words are counted now, while the text is at hand: read back,
	// it would be copied again.
	if err := w.index.words.text(ctx, p.Text, 1); err != nil {
		return err
	}
	w.hand.text, w.hand.taken = p.Text, false
	if drop {
		p.Text = ""
	}
	debug.FreeOSMemory()
	// SQLite computes a row's new values in the order of its columns:
	// text is taken before words is settled. The statement is run as one
	// of its own, not one the writer keeps prepared, so that nothing of it
	// is kept once it is done.
	_, err := w.tx.ExecContext(ctx, "UPDATE paragraphs SET heading = ?, text = kurultai_take(), words = kurultai_settle(words) WHERE id = ?", p.Heading, id)
	taken := w.hand.taken
	w.hand.text, w.hand.taken = "", false
	if err != nil {
		return err
	}
	if !taken {
		return msg.New("the text of a large paragraph was not written")
	}
	// The search index reads it back from the row (indexer.index).
	return nil
}
