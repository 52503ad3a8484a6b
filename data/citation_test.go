package data

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kurultai/sessions"
)

// citeAll keeps passages of the sample in a bookmarks file and cites them.
func sampleMarks(t *testing.T) (*DB, []Bookmark) {
	t.Helper()
	ctx := context.Background()
	d := MustOpen(t)
	all, _ := sessions.Sample()
	if err := d.Replace(ctx, "sample", all); err != nil {
		t.Fatal(err)
	}
	var bms []Bookmark
	for i, r := range []struct {
		doc      string
		from, to int
	}{
		{"nk-5/address", 3, 4}, {"nk-5/address", 7, 7}, {"nk-5/p8-commission-referendum", 1, 1},
		{"nk-5/p1-unicameral-parliament", 1, 1}, {"nk-1/address", 1, 1},
	} {
		p, err := d.NewPassage(ctx, "alice", r.doc, r.from, r.to)
		if err != nil {
			t.Fatal(err)
		}
		p.UID = fmt.Sprintf("u%d", i)
		bms = append(bms, Bookmark{ID: int64(i + 1), Passage: *p})
	}
	return d, bms
}

// subsets calls f with every ordered selection of bms: every subset in
// every order.
func subsets(bms []Bookmark, f func([]Bookmark)) {
	var rec func(chosen []Bookmark, used []bool)
	rec = func(chosen []Bookmark, used []bool) {
		if len(chosen) > 0 {
			f(chosen)
		}
		for i := range bms {
			if !used[i] {
				used[i] = true
				rec(append(chosen[:len(chosen):len(chosen)], bms[i]), used)
				used[i] = false
			}
		}
	}
	rec(nil, make([]bool, len(bms)))
}

// A document's citation key is the same whatever else is exported with
// it and in whatever order, and after the archive is imported again; the
// bibliographies hold one entry a document, with the paragraphs cited.
func TestCitationKeysAreStable(t *testing.T) {
	ctx := context.Background()
	d, bms := sampleMarks(t)
	want := map[string]string{}
	ps, err := d.Cite(ctx, bms, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		want[p.Doc] = p.Citation.Key
	}
	if want["nk-5/address"] != "tokayev2026nk5" {
		t.Errorf("the address's key is %q", want["nk-5/address"])
	}
	// The proposals made in the address have its speaker as author, so
	// their base key is the same: they take their id's suffix.
	if want["nk-5/p8-commission-referendum"] != "tokayev2026nk5p8commissionreferendum" {
		t.Errorf("the proposal's key is %q", want["nk-5/p8-commission-referendum"])
	}
	seen := map[string]string{}
	for doc, k := range want {
		if other, ok := seen[k]; ok {
			t.Errorf("%s and %s share the key %s", doc, other, k)
		}
		seen[k] = doc
	}
	runs := 0
	subsets(bms, func(sub []Bookmark) {
		runs++
		ps, err := d.Cite(ctx, sub, "")
		if err != nil {
			t.Fatal(err)
		}
		keys := sessions.Keys(ps)
		docs := map[string]bool{}
		for i, p := range ps {
			docs[p.Doc] = true
			if keys[i] != want[p.Doc] {
				t.Fatalf("%d bookmarks: %s has the key %s, want %s", len(sub), p.Doc, keys[i], want[p.Doc])
			}
		}
		var b bytes.Buffer
		if err := sessions.WritePassages(&b, "csl-json", "", ps); err != nil {
			t.Fatal(err)
		}
		var items []struct{ ID, Note string }
		if err := json.Unmarshal(b.Bytes(), &items); err != nil {
			t.Fatal(err)
		}
		if len(items) != len(docs) {
			t.Fatalf("%d CSL items for %d documents", len(items), len(docs))
		}
		for _, it := range items {
			if seen[it.ID] == "" || it.Note == "" {
				t.Fatalf("CSL item %+v", it)
			}
		}
		b.Reset()
		sessions.WritePassages(&b, "bibtex", "", ps)
		if n := strings.Count(b.String(), "@misc{"); n != len(docs) {
			t.Fatalf("%d BibTeX entries for %d documents", n, len(docs))
		}
		b.Reset()
		sessions.WritePassages(&b, "ris", "", ps)
		if n := strings.Count(b.String(), "TY  - GEN"); n != len(docs) {
			t.Fatalf("%d RIS records for %d documents", n, len(docs))
		}
	})
	if runs != 325 {
		t.Errorf("%d selections tried, want 325", runs)
	}
	// The address cited twice: one entry, both ranges, and the Markdown
	// cites each with its locator.
	two := []Bookmark{bms[1], bms[0]}
	ps, _ = d.Cite(ctx, two, "")
	var b bytes.Buffer
	sessions.WritePassages(&b, "md", "", ps)
	for _, c := range []string{"[@tokayev2026nk5, para. 3–4]", "[@tokayev2026nk5, para. 7]"} {
		if !strings.Contains(b.String(), c) {
			t.Errorf("the Markdown lacks %s:\n%s", c, b.String())
		}
	}
	b.Reset()
	sessions.WritePassages(&b, "bibtex", "", ps)
	if !strings.Contains(b.String(), "note = {¶ 3–4, 7}") {
		t.Errorf("BibTeX locators:\n%s", b.String())
	}
	// Imported again, the archive gives the same keys.
	all, _ := sessions.Sample()
	if err := d.Replace(ctx, "sample", all); err != nil {
		t.Fatal(err)
	}
	ps, _ = d.Cite(ctx, bms, "")
	for _, p := range ps {
		if p.Citation.Key != want[p.Doc] {
			t.Errorf("after a re-import %s has the key %s, want %s", p.Doc, p.Citation.Key, want[p.Doc])
		}
	}
}

// A proposal is cited with the speaker and source of the speech it was
// made in; without one, with its body as author and the session's first
// source.
func TestProposalCitation(t *testing.T) {
	ctx := context.Background()
	d, bms := sampleMarks(t)
	ps, err := d.Cite(ctx, bms[2:3], "")
	if err != nil {
		t.Fatal(err)
	}
	c := ps[0].Citation
	address, err := d.Document(ctx, "nk-5/address")
	if err != nil {
		t.Fatal(err)
	}
	if c.Speaker != address.Speaker || c.SourceURL != address.SourceURL || c.SourceURL == "" || c.Kind != "proposal" || c.From != 1 {
		t.Errorf("proposal citation: %+v", c)
	}

	mk := func(refs []sessions.ParagraphRef, events []sessions.Event) sessions.Session {
		return sessions.Session{ID: "q-1", Body: "Council", Date: "2024-05-01", Title: "T",
			Sources:  []sessions.Source{{Title: "minutes"}, {Title: "record", URL: "https://example.org/q-1"}},
			Speeches: []sessions.Speech{{ID: "q-1/s", SessionID: "q-1", Title: "S", Paragraphs: sessions.SplitParagraphs("One.\n\nTwo.")}},
			Proposals: []sessions.Proposal{{ID: "q-1/p", SessionID: "q-1", Title: "P", Text: "Do it.", Status: "proposed",
				MadeIn: refs, Timeline: events}}}
	}
	for _, tc := range []struct {
		name        string
		refs        []sessions.ParagraphRef
		events      []sessions.Event
		author, url string
	}{
		{"no speech, no source", nil, nil, "Council", "https://example.org/q-1"},
		{"a source in its timeline", nil, []sessions.Event{{Date: "2024-05-01", Status: "proposed", Source: "a newspaper"},
			{Date: "2024-05-02", Status: "adopted", Source: "the record, https://example.org/adopted; (2024-05-02)"}}, "Council", "https://example.org/adopted"},
		{"made in a speech without speaker or source", []sessions.ParagraphRef{{Speech: "q-1/s", Paragraphs: []int{2}}}, nil, "Council", "https://example.org/q-1"},
	} {
		w := MustOpen(t)
		if err := w.Replace(ctx, "", []sessions.Session{mk(tc.refs, tc.events)}); err != nil {
			t.Fatal(err)
		}
		p, err := w.NewPassage(ctx, "a", "q-1/p", 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		if p.Citation.Speaker != tc.author || p.Citation.SourceURL != tc.url {
			t.Errorf("%s: author %q url %q, want %q %q", tc.name, p.Citation.Speaker, p.Citation.SourceURL, tc.author, tc.url)
		}
		if p.Citation.Key != "council2024q1" {
			t.Errorf("%s: key %q", tc.name, p.Citation.Key)
		}
	}
}

// Adding what is kept already changes nothing; numbers are never given
// twice, even to the next bookmark after the last was removed.
func TestBookmarkAddTwiceAndNumbers(t *testing.T) {
	ctx := context.Background()
	d, _ := sampleMarks(t)
	bm, err := OpenBookmarks(ctx, filepath.Join(t.TempDir(), "bookmarks.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bm.Close()
	add := func(from, to int) (int64, error) {
		p, err := d.NewPassage(ctx, "alice", "nk-5/address", from, to)
		if err != nil {
			t.Fatal(err)
		}
		return bm.Add(ctx, p)
	}
	first, _ := add(3, 4)
	id, err := add(3, 4)
	var kept *AlreadyKept
	if !errors.As(err, &kept) || id != first || kept.ID != first {
		t.Errorf("adding again: %d %v", id, err)
	}
	if n, _ := bm.Count(ctx, "alice", BookmarkFilter{}); n != 1 {
		t.Errorf("%d bookmarks after adding the same passage twice", n)
	}
	// Another owner keeps the same passage apart.
	p, _ := d.NewPassage(ctx, "bob", "nk-5/address", 3, 4)
	if _, err := bm.Add(ctx, p); err != nil {
		t.Errorf("bob cannot keep what alice keeps: %v", err)
	}
	last, _ := add(5, 5)
	if err := bm.Remove(ctx, "alice", last); err != nil {
		t.Fatal(err)
	}
	if next, _ := add(6, 6); next <= last {
		t.Errorf("after removing bookmark %d the next is %d", last, next)
	}
}

// A bookmarks file made before numbers were kept from reuse is brought up
// to date with its bookmarks, numbers and tags as they were; then its
// numbers are not reused either.
func TestBookmarksFileUpgrade(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bookmarks.db")
	old, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := migrationFS.ReadFile("bookmark_migrations/0001_bookmarks.sql")
	for _, q := range []string{
		fmt.Sprintf("PRAGMA application_id = %d", bookmarksSchema.appID),
		"CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT '')",
		string(first),
		"INSERT INTO schema_migrations (version, name) VALUES (1, '0001_bookmarks.sql')",
		`INSERT INTO bookmarks (id, uid, owner, archive, doc, para_from, para_to, quote, created, updated) VALUES
			(1, 'a', 'alice', 'x', 'nk-5/address', 1, 1, 'q', '2026-01-01', '2026-01-01'),
			(7, 'b', 'alice', 'x', 'nk-5/address', 2, 2, 'q', '2026-01-02', '2026-01-02')`,
		"INSERT INTO bookmark_tags (bookmark, tag) VALUES (1, 'one'), (7, 'seven'), (7, 'more')",
	} {
		if _, err := old.Exec(q); err != nil {
			t.Fatalf("%v: %s", err, q)
		}
	}
	old.Close()
	bm, err := OpenBookmarks(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer bm.Close()
	list, err := bm.List(ctx, "alice", BookmarkFilter{})
	if err != nil || len(list) != 2 || list[0].ID != 1 || list[1].ID != 7 || strings.Join(list[1].Tags, ",") != "more,seven" {
		t.Fatalf("after the upgrade: %v %+v", err, list)
	}
	if err := bm.Remove(ctx, "alice", 7); err != nil {
		t.Fatal(err)
	}
	var tags int
	bm.db.db.QueryRow("SELECT count(*) FROM bookmark_tags").Scan(&tags)
	if tags != 1 {
		t.Errorf("%d tags left, want 1: removing a bookmark removes its tags", tags)
	}
	id, err := bm.Add(ctx, &sessions.Passage{Owner: "alice", Archive: "x", Doc: "nk-5/address", From: 3, To: 3, Quote: "q"})
	if err != nil || id != 8 {
		t.Errorf("the next bookmark is %d (%v), want 8", id, err)
	}
}

// A speaker's name parts travel from the sample's front matter through the
// archive into citations, of speeches and of the proposals made in them,
// and survive a dump and its import, as JSON and as Markdown.
func TestCitationNameParts(t *testing.T) {
	ctx := context.Background()
	d, bms := sampleMarks(t)
	ps, err := d.Cite(ctx, bms, "")
	if err != nil {
		t.Fatal(err)
	}
	kk := sessions.PersonName{Family: "Тоқаев", Given: "Қасым-Жомарт"}
	ru := sessions.PersonName{Family: "Токаев", Given: "Касым-Жомарт"}
	for _, p := range ps {
		c := p.Citation
		if c.Family != "Tokayev" || c.Given != "Kassym-Jomart" || c.Forms["kk"] != kk || c.Forms["ru"] != ru || len(c.Forms) != 2 {
			t.Errorf("%s: author parts %q %q %v", p.Doc, c.Family, c.Given, c.Forms)
		}
		if c.Language != "en" {
			t.Errorf("%s: language %q", p.Doc, c.Language)
		}
	}

	s, err := d.FullSession(ctx, "nk-5")
	if err != nil {
		t.Fatal(err)
	}
	want := s.Speeches[0].Speaker
	if want.Family != "Tokayev" || want.Forms["kk"] != kk {
		t.Fatalf("the archive's speaker: %+v", want)
	}
	var js bytes.Buffer
	jw, err := sessions.NewJSONWriter(&js)
	if err != nil {
		t.Fatal(err)
	}
	if err := jw.Write(s); err != nil {
		t.Fatal(err)
	}
	if err := jw.Close(); err != nil {
		t.Fatal(err)
	}
	var back []sessions.Session
	if err := sessions.DecodeJSON("dump.json", bytes.NewReader(js.Bytes()), func(s *sessions.Session) error {
		back = append(back, *s)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := back[0].Speeches[0].Speaker; got.Family != want.Family || got.Given != want.Given || len(got.Forms) != 2 || got.Forms["ru"] != ru {
		t.Errorf("through JSON: %+v, want %+v", got, want)
	}
	dir := t.TempDir()
	if err := sessions.NewMarkdownWriter(dir).Write(s); err != nil {
		t.Fatal(err)
	}
	md, err := sessions.DecodeMarkdownFS(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	if got := md[0].Speeches[0].Speaker; got.Family != want.Family || got.Given != want.Given || len(got.Forms) != 2 || got.Forms["kk"] != kk {
		t.Errorf("through Markdown: %+v, want %+v", got, want)
	}
}
