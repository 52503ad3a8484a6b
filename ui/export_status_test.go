package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
	"kurultai/ui/i18n"
)

// TestExportSaysWhereAt80Columns: after e, the status line names the file
// written, its name whole, even when the home folder is too long for the
// line at 80 columns.
func TestExportSaysWhereAt80Columns(t *testing.T) {
	home := filepath.Join(t.TempDir(), "a-home-folder-with-a-rather-long-name", "and-another-level-beneath-it")
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	db := sampleDB(t)
	ctx := context.Background()
	marks, err := data.OpenBookmarks(ctx, filepath.Join(t.TempDir(), "bookmarks.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer marks.Close()
	p, err := db.NewPassage(ctx, "tester", "nk-5/address", 3, 4)
	if err != nil {
		t.Fatal(err)
	}
	marks.Add(ctx, p)
	d := &driver{t: t, m: New(ctx, db, Options{Theme: ThemeASCII, Bookmarks: marks, Owner: "tester"})}
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.run(d.m.Init())
	d.press("B", "e")
	// The prompt names the file, whole or with the middle of its folder
	// left out, within the width.
	lines := strings.Split(d.screen(), "\n")
	prompt := lines[len(lines)-2]
	if ansi.StringWidth(prompt) > 80 || !strings.Contains(prompt, string(filepath.Separator)+"kurultai-bookmarks.md") {
		t.Fatalf("the export prompt: %q", prompt)
	}
	d.press("shift+tab")
	if lines := strings.Split(d.screen(), "\n"); !strings.Contains(lines[len(lines)-2], "kurultai-bookmarks.ris") {
		t.Fatalf("shift+tab should go back to the last format: %q", lines[len(lines)-2])
	}
	d.press("tab", "enter")
	want := filepath.Join(home, "kurultai-bookmarks.md")
	if _, err := os.Stat(want); err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(d.screen(), "\n")
	status := lines[len(lines)-2]
	if ansi.StringWidth(status) > 80 {
		t.Fatalf("status line wider than 80 columns: %q", status)
	}
	// The start of the folder, the end of it, and the name whole.
	if !strings.Contains(status, string(filepath.Separator)+"kurultai-bookmarks.md") ||
		!strings.Contains(status, want[:8]) || !strings.Contains(status, "beneath-it") {
		t.Fatalf("the status line does not say where the export went (%s):\n%s", want, d.screen())
	}
}

// TestExportedText: the words give way before the path, and the path
// loses the middle of its folder, never its file name.
func TestExportedText(t *testing.T) {
	path := "/home/someone/documents/research/kurultai/kurultai-bookmarks-2.csl.json"
	for _, tc := range []struct {
		room int
		want string
	}{
		{200, "Exported 3 passages to " + path},
		{len("Exported to ") + len(path), "Exported to " + path},
		{len(path), path},
		{60, "Exported to /home/som…kurultai/kurultai-bookmarks-2.csl.json"},
		{40, "/home…ltai/kurultai-bookmarks-2.csl.json"},
		{31, "…/kurultai-bookmarks-2.csl.json"},
		{20, "kurultai-bookmarks-2.csl.json"},
	} {
		got := exportedTextIn(i18n.New(i18n.English), 3, path, tc.room)
		if got != tc.want {
			t.Errorf("room %d: %q, want %q", tc.room, got, tc.want)
		}
		if tc.room >= ansi.StringWidth("…/kurultai-bookmarks-2.csl.json") && ansi.StringWidth(got) > tc.room {
			t.Errorf("room %d: %q is wider", tc.room, got)
		}
	}
}
