package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"kurultai/sessions"
)

// batchSession is a session of two speeches and a proposal, for the batch
// tests to change piece by piece.
func batchSession() sessions.Session {
	return sessions.Session{ID: "b-1", Body: "Council", Date: "2025-03-01", Title: "First sitting",
		Speeches: []sessions.Speech{
			{ID: "b-1/a", SessionID: "b-1", Order: 1, Title: "A", Speaker: sessions.Speaker{ID: "ann", Name: "Ann"},
				Paragraphs: sessions.SplitParagraphs("One.\n\nTwo.\n\nThree.")},
			{ID: "b-1/b", SessionID: "b-1", Order: 2, Title: "B", Speaker: sessions.Speaker{ID: "bob", Name: "Bob"},
				Paragraphs: sessions.SplitParagraphs("Bee one.\n\nBee two.")},
			{ID: "b-1/c", SessionID: "b-1", Order: 3, Title: "C", Paragraphs: sessions.SplitParagraphs("Sea.")},
		},
		Proposals: []sessions.Proposal{{ID: "b-1/p", SessionID: "b-1", Order: 1, Title: "P", Text: "Do it.", Status: "debated",
			Timeline: []sessions.Event{{Date: "2025-03-01", Status: "proposed"}, {Date: "2025-03-02", Status: "debated"}},
			MadeIn:   []sessions.ParagraphRef{{Speech: "b-1/a", Paragraphs: []int{2}}}}},
	}
}

// importJSONFile writes sessions as an interchange file and imports it, as
// a user does.
func importJSONFile(t *testing.T, d *DB, name string, ss ...sessions.Session) *ImportReport {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	b, err := json.Marshal(map[string]any{"kurultai": 1, "sessions": ss})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := d.ImportFiles(context.Background(), []string{path}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func batchOf(t *testing.T, d *DB, query string, args ...any) int64 {
	t.Helper()
	var b int64
	if err := d.SQL().QueryRow(query, args...).Scan(&b); err != nil {
		t.Fatalf("%s %v: %v", query, args, err)
	}
	return b
}

// Every import that changes the archive is one batch; each row carries
// the batch that last added or changed it, and what a new version keeps
// as it was keeps its batch.
func TestBatches(t *testing.T) {
	ctx := context.Background()
	d := MustOpen(t)
	importJSONFile(t, d, "first.json", batchSession())
	bs, err := d.Batches(ctx, 0)
	if err != nil || len(bs) != 1 || bs[0].Kind != BatchImport || bs[0].Added != 1 || !strings.HasSuffix(bs[0].Source, "first.json") {
		t.Fatalf("after the first import: %+v %v", bs, err)
	}
	first := bs[0].ID

	// The same again: no batch.
	importJSONFile(t, d, "first.json", batchSession())
	if last, _ := d.LastBatch(ctx); last != first {
		t.Fatalf("an import that changed nothing made batch %d", last)
	}

	// Change a paragraph of A, add one to B, drop C, add a timeline event.
	s := batchSession()
	s.Speeches[0].Paragraphs = sessions.SplitParagraphs("One.\n\nTwo, amended.\n\nThree.")
	s.Speeches[1].Paragraphs = sessions.SplitParagraphs("Bee one.\n\nBee two.\n\nBee three.")
	s.Speeches = s.Speeches[:2]
	s.Proposals[0].Timeline = append(s.Proposals[0].Timeline, sessions.Event{Date: "2025-04-01", Status: "adopted"})
	s.Proposals[0].Status = "adopted"
	importJSONFile(t, d, "second.json", s)
	second, _ := d.LastBatch(ctx)
	if second <= first {
		t.Fatalf("the second import's batch is %d, after %d", second, first)
	}
	bs, _ = d.Batches(ctx, 1)
	if bs[0].Changed != 1 || bs[0].Added != 0 {
		t.Errorf("second batch: %+v", bs[0])
	}
	for _, c := range []struct {
		what  string
		query string
		args  []any
		want  int64
	}{
		{"the session", "SELECT batch FROM sessions WHERE id = ?", []any{"b-1"}, second},
		{"the session's record, unchanged", "SELECT record_batch FROM sessions WHERE id = ?", []any{"b-1"}, first},
		{"the session, first added", "SELECT created_batch FROM sessions WHERE id = ?", []any{"b-1"}, first},
		{"A, its own fields unchanged", "SELECT batch FROM speeches WHERE id = ?", []any{"b-1/a"}, first},
		{"A ¶ 1, unchanged", "SELECT batch FROM paragraphs WHERE speech_id = ? AND number = 1", []any{"b-1/a"}, first},
		{"A ¶ 2, amended", "SELECT batch FROM paragraphs WHERE speech_id = ? AND number = 2", []any{"b-1/a"}, second},
		{"A ¶ 3, unchanged", "SELECT batch FROM paragraphs WHERE speech_id = ? AND number = 3", []any{"b-1/a"}, first},
		{"B, a paragraph more", "SELECT batch FROM speeches WHERE id = ?", []any{"b-1/b"}, first},
		{"B ¶ 2, unchanged", "SELECT batch FROM paragraphs WHERE speech_id = ? AND number = 2", []any{"b-1/b"}, first},
		{"B ¶ 3, new", "SELECT batch FROM paragraphs WHERE speech_id = ? AND number = 3", []any{"b-1/b"}, second},
		{"the proposal, whose timeline alone moved", "SELECT batch FROM proposals WHERE id = ?", []any{"b-1/p"}, first},
		{"its first event", "SELECT batch FROM proposal_events WHERE proposal_id = ? AND seq = 1", []any{"b-1/p"}, first},
		{"its new event", "SELECT batch FROM proposal_events WHERE proposal_id = ? AND seq = 3", []any{"b-1/p"}, second},
		{"C, removed", "SELECT batch FROM removed WHERE kind = 'speech' AND id = ?", []any{"b-1/c"}, second},
	} {
		if got := batchOf(t, d, c.query, c.args...); got != c.want {
			t.Errorf("%s: batch %d, want %d", c.what, got, c.want)
		}
	}

	// A speech that only moved its paragraphs about keeps their batches,
	// and an unchanged proposal keeps its own.
	s2 := s
	s2.Speeches = append([]sessions.Speech(nil), s.Speeches...)
	s2.Speeches[1].Paragraphs = sessions.SplitParagraphs("Bee three.\n\nBee one.\n\nBee two.")
	importJSONFile(t, d, "third.json", s2)
	third, _ := d.LastBatch(ctx)
	if got := batchOf(t, d, "SELECT batch FROM paragraphs WHERE speech_id = 'b-1/b' AND number = 1"); got != second {
		t.Errorf("a paragraph that moved: batch %d, want %d", got, second)
	}
	if got := batchOf(t, d, "SELECT batch FROM proposals WHERE id = 'b-1/p'"); got != first {
		t.Errorf("the unchanged proposal: batch %d, want %d (this batch is %d)", got, first, third)
	}
	if got := batchOf(t, d, "SELECT batch FROM speeches WHERE id = 'b-1/a'"); got != first {
		t.Errorf("the speech A, never changed in its own fields: batch %d, want %d", got, first)
	}
	// A new title is the speech's own change, and a new summary the
	// session's.
	s3 := s2
	s3.Speeches = append([]sessions.Speech(nil), s2.Speeches...)
	s3.Speeches[0].Title = "A, retitled"
	s3.Summary = "Now with a summary."
	importJSONFile(t, d, "fourth.json", s3)
	fourth, _ := d.LastBatch(ctx)
	if got := batchOf(t, d, "SELECT batch FROM speeches WHERE id = 'b-1/a'"); got != fourth {
		t.Errorf("the retitled speech: batch %d, want %d", got, fourth)
	}
	if got := batchOf(t, d, "SELECT record_batch FROM sessions WHERE id = 'b-1'"); got != fourth {
		t.Errorf("the session with a new summary: record batch %d, want %d", got, fourth)
	}
}

// An import that fails leaves no batch behind; sessions that an origin no
// longer has are removed in a batch of their own kind.
func TestBatchRollbackAndRemoval(t *testing.T) {
	ctx := context.Background()
	d := MustOpen(t)
	good := batchSession()
	bad := batchSession()
	bad.ID, bad.Speeches[0].SessionID = "b-2", "wrong"
	if err := d.Replace(ctx, "", []sessions.Session{good, bad}); err == nil {
		t.Fatal("a session with a speech of another session was written")
	}
	if last, _ := d.LastBatch(ctx); last != 0 {
		t.Fatalf("a failed import left batch %d", last)
	}
	other := batchSession()
	other.ID = "b-3"
	for i := range other.Speeches {
		other.Speeches[i].ID = strings.Replace(other.Speeches[i].ID, "b-1", "b-3", 1)
		other.Speeches[i].SessionID = "b-3"
	}
	other.Proposals[0].ID, other.Proposals[0].SessionID = "b-3/p", "b-3"
	other.Proposals[0].MadeIn[0].Speech = "b-3/a"
	if err := d.Replace(ctx, "src", []sessions.Session{good, other}); err != nil {
		t.Fatal(err)
	}
	if err := d.Replace(ctx, "src", []sessions.Session{good}); err != nil {
		t.Fatal(err)
	}
	bs, _ := d.Batches(ctx, 0)
	if len(bs) != 2 || bs[0].Removed != 1 || bs[0].Added != 0 || bs[0].Changed != 0 {
		t.Fatalf("batches: %+v", bs)
	}
	var title string
	if err := d.SQL().QueryRow("SELECT title FROM removed WHERE batch = ? AND kind = 'session' AND id = 'b-3'", bs[0].ID).Scan(&title); err != nil || title != "First sitting" {
		t.Errorf("the removed session: %q %v", title, err)
	}
	if err := d.SQL().QueryRow("SELECT id FROM sessions WHERE id = 'b-3'").Scan(&title); err != sql.ErrNoRows {
		t.Errorf("b-3 is still there: %v", err)
	}
	// The sample is a batch of its own kind.
	all, _ := sessions.Sample()
	if err := d.Replace(ctx, sessions.SampleOrigin, all); err != nil {
		t.Fatal(err)
	}
	bs, _ = d.Batches(ctx, 1)
	if bs[0].Kind != BatchSample || bs[0].Added != len(all) {
		t.Errorf("the sample's batch: %+v", bs[0])
	}
}

// A batch's sources, cut to a length a list shows, are cut between letters.
func TestSourceLineCutsBetweenLetters(t *testing.T) {
	long := strings.Repeat("Қызылорда/", 60)
	got := sourceLine([]string{long})
	if !utf8.ValidString(got) || !strings.HasSuffix(got, "…") || len(got) > 500+len("…") {
		t.Errorf("%d bytes, valid %v: %q", len(got), utf8.ValidString(got), got[len(got)-12:])
	}
}
