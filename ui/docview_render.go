package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"
)

// Rendering a docView: the commands that render the blocks near the screen
// with glamour, and what the view keeps of their output.
//
// The plain layout of a document is mostly slices of its text (see
// wrapPlain), and is never narrower than minWrapWidth. A view keeps
// glamour's output only for the blocks around the screen and for those the
// render cache still holds (the cache and the view share the lines); the
// rest go back to plain text, and come back from the cache or from glamour
// when they are scrolled to again. The glamour output a session holds is so
// bounded by its render cache plus the blocks about three screens around
// the top of each open document.

// renderedMsg brings glamour's output for some blocks of a document.
type renderedMsg struct {
	id     string
	gen    int
	blocks map[int][]string
}

// ensureRendered starts rendering the blocks around the screen that glamour
// has not done yet, one batch at a time.
func (v *docView) ensureRendered() tea.Cmd {
	if v.rendering || v.height == 0 || len(v.lines) == 0 {
		return nil
	}
	lo := max(0, v.y-v.height)
	hi := min(len(v.lines), v.y+2*v.height)
	todo := v.pending(lo, hi)
	if len(todo) == 0 {
		return nil
	}
	v.rendering = true
	ctx, id, gen, width, theme, cache := v.c.ctx, v.id, v.gen, v.contentW, v.theme, v.c.cache
	return func() tea.Msg {
		return renderedMsg{id: id, gen: gen, blocks: renderBlocks(ctx, cache, id, theme, width, todo)}
	}
}

// renderJob is one block for glamour: its index and a copy of its text, so
// that the command never reads the view.
type renderJob struct {
	block int
	md    string
	hash  uint64
}

// pending lists the blocks on lines lo to hi that glamour has not rendered.
func (v *docView) pending(lo, hi int) []renderJob {
	var todo []renderJob
	seen := map[int32]bool{}
	for i := lo; i < hi; i++ {
		b := v.owner[i]
		if seen[b] || v.blocks[b].final {
			continue
		}
		seen[b] = true
		todo = append(todo, renderJob{int(b), v.blocks[b].md, v.blocks[b].hash})
	}
	return todo
}

// renderBlocks renders Markdown blocks with glamour, or takes them from the
// cache, and stores them in the cache. It runs in a command, away from
// Update. It stops between blocks once ctx ends (the session, the command
// or the process), and returns the blocks done by then; the limits in
// render_limits.go keep each block short, so it stops promptly.
func renderBlocks(ctx context.Context, cache *renderCache, id string, theme Theme, width int, jobs []renderJob) map[int][]string {
	out := make(map[int][]string, len(jobs))
	var r *markdownRenderer
	var err error
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		key := renderKey{id, j.block, j.hash, width, theme.Name}
		if lines, ok := cache.get(key); ok {
			out[j.block] = lines
			continue
		}
		if r == nil && err == nil {
			r, err = newMarkdownRenderer(theme, width)
		}
		var lines []string
		if err != nil {
			lines = wrapPlain(j.md, width)
		} else {
			lines = r.render(j.md)
		}
		cache.put(key, lines)
		out[j.block] = lines
	}
	return out
}

// minWrapWidth is the narrowest width text is wrapped to. At 20 cells a
// document takes about 2 bytes of line index for every byte of text.
const minWrapWidth = 20

// setRendered gives block i lines from glamour (or the cache).
func (v *docView) setRendered(i int, lines []string) {
	v.dropHeld(i)
	b := &v.blocks[i]
	b.lines, b.final, b.note = lines, true, 0
	if b.shape.plainNote(v.contentW) != "" {
		return // plain text under a note, not glamour's output
	}
	if v.held == nil {
		v.held = map[int]bool{}
	}
	v.held[i] = true
}

// dropHeld forgets that block i holds glamour's lines.
func (v *docView) dropHeld(i int) { delete(v.held, i) }

// plainBlock lays block i out as plain text under a note, and reports
// true, when it is past the limits for glamour at the current width. With
// restyle, a block already laid out so at this width only has its note
// drawn again (in a new theme), rather than its text wrapped again.
func (v *docView) plainBlock(i int, restyle bool) bool {
	b := &v.blocks[i]
	note := b.shape.plainNoteIn(v.c.tr, v.contentW)
	if note == "" {
		return false
	}
	style := noteStyle(v.theme)
	if restyle && b.note > 0 {
		for j, l := range wrapPlain(note, v.contentW) {
			b.lines[j] = style.Render(l)
		}
		return true
	}
	v.dropHeld(i)
	b.lines, b.final = plainLines(b.md, note, v.contentW, style), true
	b.note = len(wrapPlain(note, v.contentW))
	return true
}

// trimHeld puts back to plain text the blocks that hold glamour's lines
// but are neither in the render cache nor near the screen; with all, it
// keeps only what the cache holds, for a view that is not on screen. It
// reports whether it changed any block; the caller lays the view out
// again.
func (v *docView) trimHeld(all bool) bool {
	if len(v.held) == 0 {
		return false
	}
	// The blocks near the screen are those ensureRendered renders.
	loB, hiB := 0, -1
	if lo, hi := max(0, v.y-v.height), min(len(v.owner), v.y+2*v.height); !all && lo < hi {
		loB, hiB = int(v.owner[lo]), int(v.owner[hi-1])
	}
	changed := false
	for i := range v.held {
		b := &v.blocks[i]
		if i >= loB && i <= hiB || v.c.cache.has(renderKey{v.id, i, b.hash, v.contentW, v.theme.Name}) {
			continue
		}
		v.dropHeld(i)
		b.lines, b.final = wrapPlain(b.md, v.contentW), false
		changed = true
	}
	return changed
}
