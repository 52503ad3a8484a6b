package ui

import (
	"cmp"
	"context"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
	"kurultai/sessions"
)

// sampleDB opens the built-in sample archive, read-only, in a temporary
// folder.
func sampleDB(t testing.TB) *data.DB {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "archive.db")
	if _, err := data.EnsureSample(ctx, path); err != nil {
		t.Fatal(err)
	}
	db, err := data.Open(ctx, path, data.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// archiveWith builds an archive holding the given sessions.
func archiveWith(t testing.TB, all ...sessions.Session) *data.DB {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "archive.db")
	w, err := data.Open(ctx, path, data.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Replace(ctx, "", all); err != nil {
		t.Fatal(err)
	}
	w.Close()
	db, err := data.Open(ctx, path, data.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// driver runs the model synchronously: it carries out commands and feeds
// their messages back, as the Bubble Tea runtime would. Commands that do
// not answer promptly (timers) are dropped.
type driver struct {
	t    testing.TB
	m    *Model
	quit bool
	wait time.Duration // how long a command may take; 0 means 500 ms
	// update, if set, takes the messages instead of m (the accessible
	// mode around it).
	update func(tea.Msg) tea.Cmd
}

func newDriver(t testing.TB, db *data.DB, w, h int) *driver {
	d := &driver{t: t, m: New(context.Background(), db, Options{Theme: ThemeASCII})}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.run(d.m.Init())
	return d
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(cmp.Or(d.wait, 500*time.Millisecond)):
		return
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	case tea.QuitMsg:
		d.quit = true
	default:
		d.send(msg)
	}
}

func (d *driver) send(msg tea.Msg) {
	if d.update != nil {
		d.run(d.update(msg))
		return
	}
	_, cmd := d.m.Update(msg)
	d.m.View() // as Bubble Tea does after every update
	d.run(cmd)
}

// press sends keys: single characters, or names such as "enter", "esc",
// "tab", "down".
func (d *driver) press(keys ...string) {
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	case "ctrl+g":
		return tea.KeyPressMsg{Code: 'g', Mod: tea.ModCtrl}
	case "ctrl+q":
		return tea.KeyPressMsg{Code: 'q', Mod: tea.ModCtrl}
	case "f3", "f4", "f5":
		return tea.KeyPressMsg{Code: map[string]rune{"f3": tea.KeyF3, "f4": tea.KeyF4, "f5": tea.KeyF5}[k]}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

func (d *driver) screen() string { return ansi.Strip(d.m.render()) }

func (d *driver) expect(s string) {
	d.t.Helper()
	if !strings.Contains(d.screen(), s) {
		d.t.Fatalf("screen lacks %q:\n%s", s, d.screen())
	}
}

func TestWalkSessionsSessionReader(t *testing.T) {
	d := newDriver(t, sampleDB(t), 80, 24)
	d.expect("5 sessions · newest first")
	d.expect("Fifth meeting")
	d.press("enter")
	d.expect("Speeches (3)")
	d.expect("Proposals (8)")
	d.expect("Summary written for this archive")
	d.press("tab", "enter")
	d.expect("Address at the fifth meeting (summary)")
	d.expect("Kassym-Jomart Tokayev")
	d.expect("¶ 1/13")
	d.press("esc")
	d.expect("Speeches (3)")
	d.press("tab", "down", "enter")
	d.expect("Parliament elects the Supreme Court")
	d.expect("Timeline")
	d.press("tab", "enter") // the link to the paragraph it was made in
	d.expect("¶ 5/13")
	d.press("esc", "esc", "esc")
	d.expect("5 sessions")
	d.press("q")
	if !d.quit {
		t.Fatal("q did not quit")
	}
}

// Esc and a key run together arrive as alt and the key; they act as the
// two presses, except alt with a letter.
func TestEscRunTogether(t *testing.T) {
	d := newDriver(t, sampleDB(t), 80, 24)
	d.press("enter", "tab", "enter")
	d.expect("¶ 1/13")
	d.send(tea.KeyPressMsg{Code: tea.KeyEscape, Mod: tea.ModAlt}) // esc esc
	d.expect("5 sessions")
	d.press("enter")
	d.expect("Speeches (3)")
	d.send(tea.KeyPressMsg{Code: tea.KeyDown, Mod: tea.ModAlt}) // esc down
	d.expect("5 sessions")
	d.send(tea.KeyPressMsg{Code: tea.KeyEnter, Mod: tea.ModAlt}) // esc enter: the list stays, enter opens
	d.expect("Fourth meeting")
	d.expect("Speeches (")
	d.press("esc")
	d.expect("5 sessions")
	d.send(tea.KeyPressMsg{Code: 'q', Mod: tea.ModAlt}) // esc q: quits from the list
	if !d.quit {
		t.Fatal("esc q run together did not quit")
	}
	d = newDriver(t, sampleDB(t), 80, 24)
	d.send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModAlt | tea.ModCtrl}) // esc ctrl+c
	if !d.quit {
		t.Fatal("esc ctrl+c run together did not quit")
	}
	// Where text is typed, alt with a letter stays as it is.
	d = newDriver(t, sampleDB(t), 80, 24)
	d.send(tea.KeyPressMsg{Code: 'g', Mod: tea.ModCtrl})
	d.press("r", "e")
	d.send(tea.KeyPressMsg{Code: 'f', Mod: tea.ModAlt})
	d.expect("search: re█")
	// Elsewhere esc and a letter: the sessions list filters by it.
	d = newDriver(t, sampleDB(t), 80, 24)
	d.press("enter")
	d.send(tea.KeyPressMsg{Code: 'w', Mod: tea.ModAlt})
	d.expect("filter: w█")
}

// The trace times each key to its frame and to the end of its work, and
// the start likewise; tracing changes nothing on screen.
func TestTrace(t *testing.T) {
	var buf strings.Builder
	start := time.Now()
	d := &driver{t: t, m: New(context.Background(), sampleDB(t), Options{Theme: ThemeASCII, Trace: &buf, Started: start})}
	started := 0
	d.m.trace.started = func() { started++ } // what QuitWhenStarted sets
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.run(d.m.Init())
	d.expect("5 sessions · newest first")
	if started != 1 {
		t.Errorf("the start settled %d times", started)
	}
	d.press("enter", "tab", "enter")
	d.expect("¶ 1/13")
	d.press("b") // no bookmarks here: a status line, cleared seconds later
	d.expect("Bookmarks are not available")
	d.press("esc", "esc", "q")
	if !d.quit {
		t.Fatal("q did not quit through the trace")
	}
	got := map[string]float64{}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var what, key string
		var ms float64
		if _, err := fmt.Sscanf(line, "%s %s %f", &what, &key, &ms); err != nil || ms < 0 {
			t.Fatalf("trace line %q", line)
		}
		got[what+" "+key] = max(got[what+" "+key], ms)
	}
	for _, want := range []string{"frame start", "settled start", "frame enter", "settled enter", "frame tab", "frame esc", "settled esc", "frame q", "settled b"} {
		if _, ok := got[want]; !ok {
			t.Errorf("no %q in the trace:\n%s", want, buf.String())
		}
	}
	if got["settled enter"] < got["frame enter"] || got["settled start"] < got["frame start"] {
		t.Errorf("settled before its frame:\n%s", buf.String())
	}
}

func TestSessionsFilterAndOrder(t *testing.T) {
	d := newDriver(t, sampleDB(t), 100, 24)
	d.press("ctrl+s")
	d.expect("oldest first")
	first := strings.Split(d.screen(), "\n")[2]
	if !strings.Contains(first, "2022-06-16") {
		t.Fatalf("oldest first should start with 2022: %q", first)
	}
	for _, k := range []string{"Қ", "ы", "з"} {
		d.press(k)
	}
	d.expect("filter: Қыз")
	d.expect("1 session ")
	d.expect("Kyzylorda")
	// q goes into a filter once one has begun, and does not quit.
	d.press("q")
	if d.quit {
		t.Fatal("q in a filter quit the app")
	}
	d.expect("0 sessions")
	d.press("esc")
	d.expect("5 sessions")
	d.press("q")
	if !d.quit {
		t.Fatal("q with no filter should quit")
	}
}

func paragraphsSession(n int, text func(i int) string) sessions.Session {
	var body []string
	for i := 1; i <= n; i++ {
		body = append(body, text(i))
	}
	return sessions.Session{ID: "t-1", Body: "Test", Number: 1, Date: "2024-01-01", Title: "Test session", Language: "en",
		Speeches: []sessions.Speech{{ID: "t-1/s", SessionID: "t-1", Order: 1, Title: "Long speech", Language: "kk",
			Speaker: sessions.Speaker{ID: "x", Name: "Speaker"}, Paragraphs: sessions.SplitParagraphs(strings.Join(body, "\n\n"))}}}
}

func openReader(t *testing.T, db *data.DB, w, h int) *driver {
	t.Helper()
	d := newDriver(t, db, w, h)
	d.send(openDocMsg{id: "t-1/s"})
	return d
}

func (d *driver) reader() *docView {
	return d.m.top().(*readerPage).view
}

func TestReaderParagraphJumps(t *testing.T) {
	db := archiveWith(t, paragraphsSession(30, func(i int) string {
		return fmt.Sprintf("Paragraph %d says something long enough to wrap onto a second line at this width.", i)
	}))
	d := openReader(t, db, 60, 20)
	v := d.reader()
	if got := v.Position(); got != "¶ 1/30 · 0%" {
		t.Fatalf("position %q", got)
	}
	d.press("]", "]")
	if v.cursor != 2 || v.y != v.first[v.paras[2]] {
		t.Fatalf("after ]] cursor=%d y=%d, want ¶ 3 at the top (line %d)", v.cursor, v.y, v.first[v.paras[2]])
	}
	d.expect("¶ 3/30")
	d.press("[")
	if v.cursor != 1 {
		t.Fatalf("after [ cursor=%d", v.cursor)
	}
	d.press("G")
	if v.y != v.maxY() || !strings.HasSuffix(v.Position(), "100%") {
		t.Fatalf("G: y=%d of %d, %s", v.y, v.maxY(), v.Position())
	}
	d.press("g")
	if v.y != 0 || v.cursor != 0 {
		t.Fatalf("g: y=%d cursor=%d", v.y, v.cursor)
	}
	for i := 0; i < 40; i++ {
		d.press("]")
	}
	if v.cursor != 29 {
		t.Fatalf("] stops at the last paragraph, cursor=%d", v.cursor)
	}
	d.press("g", "pgdown")
	top := v.blocks[v.owner[v.y]]
	if cur := v.blocks[v.paras[v.cursor]]; v.first[v.paras[v.cursor]] < v.y || cur.para < top.para-1 {
		t.Fatalf("after a page down the cursor (¶ %d) should follow the screen (top ¶ %d)", cur.para, top.para)
	}
}

func TestReaderFind(t *testing.T) {
	db := archiveWith(t, paragraphsSession(40, func(i int) string {
		switch i {
		case 5:
			return "Here is a needle."
		case 20:
			return "Two needles: needle and NEEDLE."
		case 33:
			return "Ұлттық ҚҰРЫЛТАЙ отырысы."
		}
		return fmt.Sprintf("Filler paragraph %d.", i)
	}))
	d := openReader(t, db, 70, 12)
	v := d.reader()
	d.press("/", "n", "e", "e", "d", "l", "e")
	if !v.Capturing() {
		t.Fatal("find prompt should be open")
	}
	if len(v.matches) != 4 {
		t.Fatalf("found %d matches, want 4 (case-insensitive)", len(v.matches))
	}
	d.press("enter")
	if v.Capturing() || v.current != 0 || v.blocks[v.paras[v.cursor]].para != 5 {
		t.Fatalf("enter should keep matches and show the first: current=%d cursor ¶ %d", v.current, v.blocks[v.paras[v.cursor]].para)
	}
	d.expect("match 1/4")
	d.press("n")
	if v.current != 1 || v.blocks[v.paras[v.cursor]].para != 20 {
		t.Fatalf("n: current=%d, cursor ¶ %d", v.current, v.blocks[v.paras[v.cursor]].para)
	}
	line := v.matches[1].line
	if line < v.y || line >= v.y+v.height {
		t.Fatal("the current match is off screen")
	}
	d.press("N", "N")
	if v.current != 3 {
		t.Fatalf("N should wrap to the last match, current=%d", v.current)
	}
	// The current match is highlighted on screen.
	if !strings.Contains(d.m.render(), NewStyles(NewTheme(ThemeASCII)).MatchCurrent.Render("NEEDLE")) {
		t.Error("current match is not highlighted")
	}
	d.press("/")
	for _, r := range "құрылтай" {
		d.press(string(r))
	}
	d.press("enter")
	if len(v.matches) != 1 || v.blocks[v.paras[v.cursor]].para != 33 {
		t.Fatalf("Kazakh find ignoring case: %d matches, cursor ¶ %d", len(v.matches), v.blocks[v.paras[v.cursor]].para)
	}
	d.press("/", "z", "z", "z", "enter")
	d.expect("“zzz” not found")
	d.press("esc")
	if v.query != "" || len(v.matches) != 0 {
		t.Fatal("esc should clear the find")
	}
	if _, ok := d.m.top().(*readerPage); !ok {
		t.Fatal("esc that clears a find should not leave the reader")
	}
}

func TestTinyTerminals(t *testing.T) {
	db := sampleDB(t)
	sizes := [][2]int{{0, 0}, {1, 1}, {2, 2}, {5, 3}, {10, 4}, {20, 5}, {30, 8}, {80, 24}}
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			d := newDriver(t, db, sz[0], sz[1])
			check := func() {
				out := d.m.render()
				lines := strings.Split(out, "\n")
				if sz[1] > 0 && len(lines) > sz[1] {
					t.Fatalf("%d lines on a %d-line terminal", len(lines), sz[1])
				}
				for _, l := range lines {
					if w := ansi.StringWidth(l); w > sz[0] {
						t.Fatalf("line %q is %d wide on a %d-column terminal", ansi.Strip(l), w, sz[0])
					}
				}
			}
			for _, k := range []string{"enter", "tab", "enter", "]", "pgdown", "/", "a", "enter", "n", "tab", "G", "esc", "esc", "tab", "tab", "down", "enter", "tab", "enter", "?", "x"} {
				d.press(k)
				check()
			}
			// Resizing back and forth re-wraps without trouble.
			d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
			d.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			check()
		})
	}
}

func TestResizeRewraps(t *testing.T) {
	db := archiveWith(t, paragraphsSession(3, func(i int) string {
		return strings.Repeat("word ", 60)
	}))
	d := openReader(t, db, 100, 30)
	wide := len(d.reader().lines)
	d.send(tea.WindowSizeMsg{Width: 40, Height: 30})
	if narrow := len(d.reader().lines); narrow <= wide {
		t.Fatalf("narrower terminal should give more lines: %d at 100, %d at 40", wide, narrow)
	}
	for _, l := range strings.Split(d.m.render(), "\n") {
		if ansi.StringWidth(l) > 40 {
			t.Fatalf("line wider than 40: %q", ansi.Strip(l))
		}
	}
}

// TestResizeLaysOutOnlyTheTop: a resize lays out the screen on top only,
// so that a client sending resize after resize pays for one layout each;
// a screen under it is laid out when it comes back on top.
func TestResizeLaysOutOnlyTheTop(t *testing.T) {
	db := archiveWith(t, paragraphsSession(3, func(i int) string {
		return strings.Repeat("word ", 60)
	}))
	d := openReader(t, db, 100, 30)
	under := d.reader()
	d.send(openDocMsg{id: "t-1/s"})
	if d.reader() == under {
		t.Fatal("the second reader did not open")
	}
	before := len(under.lines)
	d.send(tea.WindowSizeMsg{Width: 40, Height: 30})
	if len(under.lines) != before {
		t.Fatalf("the reader under the top was laid out again: %d lines, then %d", before, len(under.lines))
	}
	d.press("esc")
	if d.reader() != under || len(under.lines) <= before {
		t.Fatalf("back on top, the reader should be laid out at 40 columns: %d lines at 100, %d now", before, len(under.lines))
	}
	for _, l := range strings.Split(d.m.render(), "\n") {
		if ansi.StringWidth(l) > 40 {
			t.Fatalf("line wider than 40: %q", ansi.Strip(l))
		}
	}
}

// Text from an archive must never reach the terminal with its own escape
// sequences: an OSC 52 clipboard write, a CSI clear-screen, a bare ESC.
func TestHostileTextIsNeutralised(t *testing.T) {
	evil := "Click \x1b]52;c;ZXZpbA==\x07here \x1b[2J\x1b[Hnow \x1bZ and \u009b31m done" +
		" Entities: &#27;]52;c;ZXZpbA==&#7; &#x1b;[2J &#13;&#8; tab\there"
	s := paragraphsSession(2, func(i int) string { return evil })
	s.Title = "Title \x1b]0;pwned\x07 ok"
	s.Place = "Place\x1b[31m"
	s.Speeches[0].Title = "Speech \x1b[2J"
	db := archiveWith(t, s)
	check := func(where, out string) {
		t.Helper()
		for _, bad := range []string{"\x1b]52;", "\x1b[2J", "\x1b]0;", "\x1bZ", "\u009b", "\x07", "\r", "\x08", "\t"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s: %q reached the output", where, bad)
			}
		}
		// Whatever escape sequences remain are the UI's own styling:
		// stripping them must leave no ESC behind.
		if strings.Contains(ansi.Strip(out), "\x1b") {
			t.Errorf("%s: a stray ESC reached the output", where)
		}
	}
	d := newDriver(t, db, 80, 24)
	check("sessions list", d.m.render())
	d.press("enter")
	check("session", d.m.render())
	d.send(openDocMsg{id: "t-1/s"})
	check("reader", d.m.render())
	var b strings.Builder
	if err := PrintDocument(context.Background(), &b, db, "t-1/s", PrintOptions{Width: 80, Theme: ThemeDark}); err != nil {
		t.Fatal(err)
	}
	check("show", b.String())
	b.Reset()
	PrintDocument(context.Background(), &b, db, "t-1", PrintOptions{Width: 80, Plain: true})
	if strings.Contains(b.String(), "\x1b") {
		t.Error("plain show output has escape sequences")
	}
	rows, _ := db.Sessions(context.Background(), data.SessionQuery{})
	b.Reset()
	PrintSessions(&b, rows, 80, nil)
	check("sessions", b.String())
}

func TestRenderCacheBounded(t *testing.T) {
	c := newRenderCache(10_000)
	line := strings.Repeat("x", 100)
	for i := 0; i < 1000; i++ {
		c.put(renderKey{doc: "d", block: i, width: 80, theme: "dark"}, []string{line, line})
	}
	if c.Bytes() > 10_000 {
		t.Fatalf("cache holds %d bytes, bound is 10000", c.Bytes())
	}
	if _, ok := c.get(renderKey{doc: "d", block: 999, width: 80, theme: "dark"}); !ok {
		t.Fatal("the newest entry should be kept")
	}
	if _, ok := c.get(renderKey{doc: "d", block: 0, width: 80, theme: "dark"}); ok {
		t.Fatal("the oldest entry should be gone")
	}
}

func TestWrapPlain(t *testing.T) {
	cases := []struct {
		text  string
		width int
		want  []string
	}{
		{"one two three", 7, []string{"one two", "three"}},
		{"reflowed\nsoft break", 80, []string{"reflowed soft break"}},
		{"Ұлттық құрылтай отырысы", 15, []string{"Ұлттық құрылтай", "отырысы"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"a abcdefghij", 4, []string{"a", "abcd", "efgh", "ij"}},
		{"", 10, []string{""}},
		{"x", 0, []string{"x"}},
	}
	for _, c := range cases {
		got := wrapPlain(c.text, c.width)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrapPlain(%q, %d) = %q, want %q", c.text, c.width, got, c.want)
		}
		for _, l := range got {
			if ansi.StringWidth(l) > max(c.width, 1) {
				t.Errorf("line %q wider than %d", l, c.width)
			}
		}
	}
}

// Empty things are shown as empty, not as errors or panics: a session
// with nothing in it, a speech without paragraphs, a proposal without
// timeline or references.
func TestEmptyRecords(t *testing.T) {
	s := sessions.Session{ID: "e-1", Body: "Test", Date: "2024-01-01", Title: "Empty session",
		Speeches:  []sessions.Speech{{ID: "e-1/s", SessionID: "e-1", Title: "Silent"}},
		Proposals: []sessions.Proposal{{ID: "e-1/p", SessionID: "e-1", Title: "Bare proposal"}}}
	bare := sessions.Session{ID: "e-2", Body: "Test", Date: "2024-01-02", Title: "Nothing at all"}
	db := archiveWith(t, s, bare)
	d := newDriver(t, db, 80, 24)
	d.press("enter")
	d.expect("Speeches (0)")
	d.press("tab")
	d.expect("This session has no speeches.")
	d.press("enter", "tab")
	d.expect("No proposals are recorded")
	d.press("esc", "down", "enter", "tab", "enter")
	d.expect("Silent")
	d.press("]", "[", "G", "/", "x", "enter", "n", "tab", "enter")
	d.press("esc")
	d.send(openDocMsg{id: "e-1/p"})
	d.expect("Bare proposal")
	d.expect("Status:")
	d.press("]", "enter")
	d.expect("no links")
	d.send(openDocMsg{id: "e-9/missing"})
	d.expect("no session, speech or proposal has the id")
}

func TestThemeAnswerDuringLoad(t *testing.T) {
	db := sampleDB(t)
	m := New(context.Background(), db, Options{})
	d := &driver{t: t, m: m}
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	// Open a document, but hold its load until the terminal has answered
	// that its background is light.
	_, cmd := m.Update(openDocMsg{id: "nk-5/address"})
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	d.run(cmd)
	v := m.top().(*readerPage).view
	if v.theme.Name != ThemeLight {
		t.Fatalf("the reader kept the %s theme after a light background answer", v.theme.Name)
	}
}

func TestFindSurvivesResize(t *testing.T) {
	db := archiveWith(t, paragraphsSession(60, func(i int) string {
		return fmt.Sprintf("Paragraph %d has a needle in a long enough sentence to wrap at narrow widths.", i)
	}))
	d := openReader(t, db, 80, 20)
	v := d.reader()
	d.press("/", "n", "e", "e", "d", "l", "e", "enter")
	for i := 0; i < 30; i++ {
		d.press("n")
	}
	before := v.blocks[v.owner[v.matches[v.current].line]].para
	d.send(tea.WindowSizeMsg{Width: 50, Height: 20})
	if after := v.blocks[v.owner[v.matches[v.current].line]].para; after != before {
		t.Fatalf("the current match moved from ¶ %d to ¶ %d on resize", before, after)
	}
	d.expect("match 31/60")
}

func TestLinksFollowTheScreen(t *testing.T) {
	d := newDriver(t, sampleDB(t), 80, 24)
	d.send(openDocMsg{id: "nk-5/address"})
	v := d.reader()
	d.press("tab")
	link, ok := v.SelectedLink()
	if !ok || link.Target != "nk-5/p1-unicameral-parliament" {
		t.Fatalf("tab selected %+v", link)
	}
	if got := v.blocks[v.paras[v.cursor]].para; got != 3 {
		t.Errorf("the paragraph cursor should move to the link's paragraph (¶ 3), is on ¶ %d", got)
	}
	d.press("G")
	if _, ok := v.SelectedLink(); ok {
		t.Fatal("a link scrolled off screen must not stay selected")
	}
	d.press("enter")
	if _, ok := d.m.top().(*readerPage); !ok || d.m.top().(*readerPage).id != "nk-5/address" {
		t.Fatal("enter with no visible selection should select, not open")
	}
	if _, ok := v.SelectedLink(); !ok {
		t.Fatal("enter should select a visible link")
	}
	// Find searches what is on screen, including link lines.
	d.press("g", "/")
	for _, r := range "↳ proposal" {
		d.press(string(r))
	}
	d.press("enter")
	if len(v.matches) != 9 { // eight proposals, the first made in two paragraphs
		t.Errorf("found %d link lines, want 9", len(v.matches))
	}
}

func TestSessionsFilterAfterResize(t *testing.T) {
	d := newDriver(t, sampleDB(t), 100, 24)
	p := d.m.top().(*sessionsPage)
	// Type a filter and resize before its answer arrives, then ask for
	// more: the filtered page must not be mixed with stale rows.
	d.press("Т", "ү")
	_, cmd := d.m.Update(keyMsg("р"))
	d.send(tea.WindowSizeMsg{Width: 90, Height: 24})
	d.m.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
	d.run(cmd)
	if len(p.rows) != 1 || p.rows[0].ID != "nk-2" || p.total != 1 {
		t.Fatalf("after filtering for Түр: %d rows, total %d", len(p.rows), p.total)
	}
}

func TestSearchScreen(t *testing.T) {
	d := newDriver(t, sampleDB(t), 120, 30)
	d.send(tea.KeyPressMsg{Code: 'g', Mod: tea.ModCtrl})
	if _, ok := d.m.top().(*searchPage); !ok {
		t.Fatal("ctrl+g should open search from the sessions list")
	}
	// While a word is typed it matches as a prefix: ref finds referendum.
	for _, r := range "ref" {
		d.press(string(r))
	}
	d.expect("referendum")
	for _, r := range "erendum " {
		d.press(string(r))
	}
	// The driver runs the debounce timer, so results are in: every one
	// of the 34, exactly counted, with the facets grouped by field.
	d.expect("of 34")
	d.expect("title: A Constitution")
	d.expect("2026-02-11  step of A Constitutio") // a timeline step names its proposal
	d.expect(" kind")
	d.expect(" year")
	p := d.m.top().(*searchPage)
	if len(p.hits) != 34 || p.facets == nil || p.facets.Total != 34 {
		t.Fatalf("hits %d, facets %v", len(p.hits), p.facets)
	}
	// A stale answer (an older query) is dropped.
	d.send(searchResultMsg{token: p.token, seq: p.seq - 1, res: &data.SearchResult{}})
	d.send(searchResultMsg{token: p.token + 100, seq: p.seq, res: &data.SearchResult{}})
	if len(p.hits) != 34 {
		t.Fatal("an answer to an older query replaced the results")
	}
	// Enter opens the reader at the paragraph with the words highlighted.
	d.press("enter")
	r, ok := d.m.top().(*readerPage)
	if !ok {
		t.Fatal("enter should open the reader")
	}
	if len(r.view.matches) == 0 || !strings.Contains(d.screen(), " · match ") {
		t.Fatalf("the search words should be highlighted in the reader:\n%s", d.screen())
	}
	d.press("esc", "esc") // the first clears the highlights, the second goes back
	// Facets: tab, pick one (below the field's line), and the query narrows.
	d.press("tab", "down", "enter")
	if !strings.Contains(p.query, "kind:") {
		t.Fatalf("enter on a facet should add it to the query, got %q", p.query)
	}
	// Nothing found is said plainly, whatever is typed.
	d.press("ctrl+u")
	for _, r := range `"unbalanced -` {
		d.press(string(r))
	}
	d.expect("nothing found")
	d.press("esc")
	if _, ok := d.m.top().(*sessionsPage); !ok {
		t.Fatal("esc should leave search")
	}
	// ctrl+g searches from the reader, where / finds in the document.
	d.send(openDocMsg{id: "nk-5/address"})
	d.press("/")
	if _, ok := d.m.top().(*readerPage); !ok {
		t.Fatal("/ in the reader should stay the document's find")
	}
	d.press("esc")
	d.send(tea.KeyPressMsg{Code: 'g', Mod: tea.ModCtrl})
	if _, ok := d.m.top().(*searchPage); !ok {
		t.Fatal("ctrl+g should open search from the reader")
	}
}

func TestReaderBookmarks(t *testing.T) {
	db := sampleDB(t)
	ctx := context.Background()
	marks, err := data.OpenBookmarks(ctx, filepath.Join(t.TempDir(), "bookmarks.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer marks.Close()
	d := &driver{t: t, m: New(ctx, db, Options{Theme: ThemeASCII, Bookmarks: marks, Owner: "tester"})}
	d.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	d.run(d.m.Init())
	d.send(openDocMsg{id: "nk-5/address"})
	// b on ¶ 3: a note, tags, saved.
	d.press("]", "]", "b")
	d.expect("bookmark ¶ 3 · note:")
	for _, r := range "core" {
		d.press(string(r))
	}
	d.press("enter")
	for _, r := range "parliament, reform" {
		d.press(string(r))
	}
	d.press("enter")
	list, _ := marks.List(ctx, "tester", data.BookmarkFilter{})
	if len(list) != 1 || list[0].From != 3 || list[0].Note != "core" || len(list[0].Tags) != 2 {
		t.Fatalf("bookmarks: %+v", list)
	}
	if !strings.Contains(d.screen(), "•¶ 3") {
		t.Fatalf("the bookmarked paragraph should be marked in the margin:\n%s", d.screen())
	}
	// v, two ] and b: a range, the form skipped with enter twice.
	d.press("v", "]", "]")
	d.expect("range ¶ 3–5")
	d.press("b", "enter", "enter")
	list, _ = marks.List(ctx, "tester", data.BookmarkFilter{})
	if len(list) != 2 || list[1].From != 3 || list[1].To != 5 {
		t.Fatalf("range bookmark: %+v", list)
	}
	// y copies the passage with its citation.
	d.press("y")
	d.expect("Copied ¶ 5 with its citation.")
	// esc in the form cancels it.
	d.press("b", "x", "esc")
	if list, _ := marks.List(ctx, "tester", data.BookmarkFilter{}); len(list) != 2 {
		t.Fatal("esc should cancel the bookmark")
	}
}

func TestBookmarksScreen(t *testing.T) {
	db := sampleDB(t)
	ctx := context.Background()
	marks, _ := data.OpenBookmarks(ctx, filepath.Join(t.TempDir(), "bookmarks.db"))
	defer marks.Close()
	for _, b := range []struct {
		doc      string
		from, to int
		tag      string
	}{{"nk-5/address", 3, 4, "parliament"}, {"nk-5/address", 11, 11, "referendum"}, {"nk-1/address", 1, 1, "origins"}} {
		p, err := db.NewPassage(ctx, "tester", b.doc, b.from, b.to)
		if err != nil {
			t.Fatal(err)
		}
		p.Tags = []string{b.tag}
		marks.Add(ctx, p)
	}
	d := &driver{t: t, m: New(ctx, db, Options{Theme: ThemeASCII, Bookmarks: marks, Owner: "tester"})}
	d.send(tea.WindowSizeMsg{Width: 120, Height: 30})
	d.run(d.m.Init())
	d.press("B")
	d.expect("3 of 3 bookmarks")
	// Newest session first: nk-5's passages lead.
	lines := strings.Split(d.screen(), "\n")
	if !strings.Contains(lines[1], "nk-5") {
		t.Fatalf("grouping by session, newest first:\n%s", d.screen())
	}
	// Filter by #tag.
	d.press("/", "#", "o", "r", "i", "g", "i", "n", "s", "enter")
	d.expect("1 of 3 bookmarks")
	d.press("esc")
	d.expect("3 of 3 bookmarks")
	// Edit the note, delete, undo.
	d.press("n", "n", "e", "w", "enter")
	if list, _ := marks.List(ctx, "tester", data.BookmarkFilter{}); list[0].Note == "" && list[1].Note == "" && list[2].Note == "" {
		t.Fatal("the note was not saved")
	}
	d.press("d")
	d.expect("2 of 2 bookmarks")
	d.press("u")
	d.expect("3 of 3 bookmarks")
	// Enter opens the reader at the passage.
	d.press("enter")
	r, ok := d.m.top().(*readerPage)
	if !ok || r.para == 0 {
		t.Fatalf("enter should open the reader at the passage")
	}
}

// TestExportNeverReplaces: the bookmarks screen's export picks a name
// that is free, so an earlier export or any other file is never replaced.
func TestExportNeverReplaces(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	if got := exportPath("md"); got != filepath.Join(home, "kurultai-bookmarks.md") {
		t.Fatalf("first export goes to %s", got)
	}
	for _, name := range []string{"kurultai-bookmarks.md", "kurultai-bookmarks-2.md"} {
		if err := os.WriteFile(filepath.Join(home, name), []byte("keep"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := exportPath("md"); got != filepath.Join(home, "kurultai-bookmarks-3.md") {
		t.Fatalf("with two taken, the export goes to %s", got)
	}
}

// TestInputIsCapped: a paste of megabytes into a prompt keeps only the
// first maxInput characters, whole, sanitised.
func TestInputIsCapped(t *testing.T) {
	d := newDriver(t, sampleDB(t), 100, 24)
	d.send(tea.PasteMsg{Content: strings.Repeat("қ", 5_000_000)})
	p := d.m.top().(*sessionsPage)
	if n := len([]rune(p.filter)); n != maxInput {
		t.Fatalf("the filter holds %d characters after a 5,000,000-character paste", n)
	}
	if got := appendInput("ab", "\x1b]52;c;eA==\x07"+strings.Repeat("x", 2000)); len(got) != maxInput || strings.ContainsRune(got, '\x1b') {
		t.Fatalf("appendInput gave %d bytes: %q…", len(got), got[:20])
	}
	if got := appendInput(strings.Repeat("a", maxInput), "b"); len(got) != maxInput {
		t.Fatal("a full line took more")
	}
}

// On the sessions list / opens the filter, as in other lists: then q, ?, j
// and every other letter are typed into it; esc closes it. ctrl+g searches
// everything for what the filter holds. A letter the screen does not bind
// starts a filter too.
func TestSessionsSlashFilters(t *testing.T) {
	d := newDriver(t, sampleDB(t), 80, 24)
	p := d.m.top().(*sessionsPage)
	d.expect("/ filter")
	d.expect("ctrl+g search everything")
	d.expect("? help")
	d.press("/")
	if _, ok := d.m.top().(*sessionsPage); !ok || !p.Capturing() {
		t.Fatal("/ should open the sessions' filter")
	}
	d.expect("filter: █")
	d.press("q", "?", "j")
	if p.filter != "q?j" || d.quit || d.m.full {
		t.Fatalf("in the filter q ? j are typed: filter %q, quit %v, help %v", p.filter, d.quit, d.m.full)
	}
	d.press("esc")
	if p.Capturing() || p.filter != "" {
		t.Fatal("esc should close the filter")
	}
	d.press("/", "esc")
	if p.Capturing() {
		t.Fatal("esc should close an empty filter")
	}
	if _, ok := d.m.top().(*sessionsPage); !ok {
		t.Fatal("esc on an open, empty filter should not leave the list")
	}
	d.press("/")
	for _, r := range "Kyzylorda" {
		d.press(string(r))
	}
	d.expect("1 session")
	d.send(tea.KeyPressMsg{Code: 'g', Mod: tea.ModCtrl})
	sp, ok := d.m.top().(*searchPage)
	if !ok || sp.query != "Kyzylorda" {
		t.Fatalf("ctrl+g should search everything for the filter, got %T", d.m.top())
	}
	d.expect("Kyzylorda")
	d.press("esc")
	d.press("esc")
	d.press("x")
	if p.filter != "x" {
		t.Errorf("an unbound letter should start a filter: %q", p.filter)
	}
}
