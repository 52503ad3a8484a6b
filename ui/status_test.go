package ui

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestStatusConfidence: wherever a proposal's current status is listed,
// the confidence of the timeline step it comes from stands beside it.
func TestStatusConfidence(t *testing.T) {
	db := sampleDB(t)
	ctx := context.Background()
	const want = "constitution in force · medium confidence"
	for _, id := range []string{"nk-5", "nk-5/p7-digital-data"} {
		var b bytes.Buffer
		if err := PrintDocument(ctx, &b, db, id, PrintOptions{Width: 200, Plain: true}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), want) {
			t.Errorf("show %s lacks %q:\n%s", id, want, b.String())
		}
	}
	d := newDriver(t, db, 160, 30)
	d.press("enter", "tab", "tab")
	d.expect("[" + want + "]")
	if got := statusLabelIn(nil, "proposed", ""); got != "proposed" {
		t.Errorf("without a confidence: %q", got)
	}
}

// TestTimelineSourcePlain: a timeline's source reads "Source: …" with no
// stray emphasis around the addresses in it.
func TestTimelineSourcePlain(t *testing.T) {
	db := sampleDB(t)
	var b bytes.Buffer
	if err := PrintDocument(context.Background(), &b, db, "nk-5/p7-digital-data", PrintOptions{Width: 200, Plain: true}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "*Source") || strings.Contains(out, "*https") || strings.Contains(out, "Source: *") {
		t.Errorf("stray asterisks around a source:\n%s", out)
	}
	// An address longer than a line stands whole on a line of its own.
	if !strings.Contains(strings.Join(strings.Fields(out), " "), "Source: https://qazinform.com/news/first-draft-of-kazakhstans-new-constitution-presented-4457c5 (2026-01-30)") ||
		!slices.ContainsFunc(strings.Split(out, "\n"), func(l string) bool {
			return strings.TrimSpace(l) == "https://qazinform.com/news/first-draft-of-kazakhstans-new-constitution-presented-4457c5"
		}) {
		t.Errorf("the source does not read cleanly:\n%s", out)
	}
}

// Every screen's footer ends in ? help, at any width a person uses, and
// leaves out keys whole rather than cutting one in the middle; the search
// screen, where ? is typed, names f1 first.
func TestFooterKeepsHelp(t *testing.T) {
	db := sampleDB(t)
	for _, w := range []int{120, 80, 60, 40} {
		d := newDriver(t, db, w, 24)
		footer := func() string {
			lines := strings.Split(d.screen(), "\n")
			return strings.TrimRight(lines[len(lines)-1], " ")
		}
		check := func(where string) {
			t.Helper()
			f := footer()
			if !strings.HasSuffix(f, "? help") {
				t.Errorf("%d, %s: footer %q", w, where, f)
			}
			for _, part := range strings.Split(f, " • ") {
				if strings.HasSuffix(part, " ") || part == "" {
					t.Errorf("%d, %s: a key cut short in %q", w, where, f)
				}
			}
		}
		check("sessions")
		d.press("enter")
		check("session")
		d.press("tab", "enter")
		check("reader")
		d.press("b")
		d.press("esc")
		d.press("B")
		check("bookmarks")
		d.press("esc", "esc", "esc")
		d.send(tea.KeyPressMsg{Code: 'g', Mod: tea.ModCtrl})
		if f := footer(); !strings.HasPrefix(f, "f1 ") {
			t.Errorf("%d, search: footer %q", w, f)
		}
	}
}

// Enter typed straight after a query, before its results came, opens the
// first of them when they come.
func TestSearchEnterBeforeResults(t *testing.T) {
	d := newDriver(t, sampleDB(t), 100, 30)
	d.send(tea.KeyPressMsg{Code: 'g', Mod: tea.ModCtrl})
	var last tea.Cmd
	for _, r := range "Azimova" {
		_, last = d.m.Update(keyMsg(string(r)))
	}
	if _, cmd := d.m.Update(keyMsg("enter")); cmd != nil {
		d.run(cmd)
	}
	if _, ok := d.m.top().(*searchPage); !ok {
		t.Fatal("enter before the results left search")
	}
	d.run(last) // the pause after typing ends: the search runs, its results come
	if r, ok := d.m.top().(*readerPage); !ok || !strings.HasPrefix(r.id, "nk-5/") {
		t.Fatalf("the first result did not open: %T\n%s", d.m.top(), d.screen())
	}
}
