package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kurultai/data"
	"kurultai/sessions"
)

// Bookmarking in the reader: b keeps the paragraph under the cursor (or the
// range v started) after a short form for a note and tags; v starts and
// stops a range; y copies the passage with its citation to the clipboard
// (OSC 52, which works inside tmux and over SSH), sanitised as it is
// shown.

// markForm is the note-and-tags form shown in the status line.
type markForm struct {
	from, to int
	stage    int // 0 note, 1 tags
	note     string
	tags     string
}

type markedMsg struct {
	token int
	paras []int
	err   error
	text  string
}

// loadMarks reads which paragraphs of the document are bookmarked.
func (p *readerPage) loadMarks() tea.Cmd {
	if p.c.marks == nil {
		return nil
	}
	c, token, id := p.c, p.token, p.id
	return func() tea.Msg {
		list, err := c.marks.List(c.ctx, c.owner, data.BookmarkFilter{Doc: id})
		if err != nil {
			return markedMsg{token: token, err: err}
		}
		// Where the archive changed under a bookmark, the mark follows
		// its text: a moved one marks where the text is now, an orphaned
		// one marks nothing.
		cited, err := c.archive().Cite(c.ctx, list, "")
		if err != nil {
			return markedMsg{token: token, err: err}
		}
		var paras []int
		for _, b := range cited {
			if b.State == "orphaned" {
				continue
			}
			for n := b.From; n <= b.To; n++ {
				paras = append(paras, n)
			}
		}
		return markedMsg{token: token, paras: paras}
	}
}

// markKey handles the bookmark keys and the form; it reports whether it
// used the key.
func (p *readerPage) markKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := p.c.keys
	if f := p.form; f != nil {
		switch msg.String() {
		case "esc":
			p.form = nil
			return nil, true
		case "enter":
			if f.stage == 0 {
				f.stage = 1
				return nil, true
			}
			p.form = nil
			return p.save(f), true
		case "backspace", "ctrl+h":
			field := &f.note
			if f.stage == 1 {
				field = &f.tags
			}
			if r := []rune(*field); len(r) > 0 {
				*field = string(r[:len(r)-1])
			}
			return nil, true
		}
		if t := typed(msg); t != "" {
			if f.stage == 0 {
				f.note = appendInput(f.note, t)
			} else {
				f.tags = appendInput(f.tags, t)
			}
		}
		return nil, true
	}
	if p.view == nil || p.view.Capturing() || len(p.view.paras) == 0 {
		return nil, false
	}
	switch {
	case key.Matches(msg, k.Range):
		if p.view.anchor >= 0 {
			p.view.anchor = -1
		} else {
			p.view.anchor = p.view.cursor
		}
		return nil, true
	case key.Matches(msg, k.Bookmark):
		if p.c.marks == nil {
			text := p.c.tr.T("Bookmarks are not available here.")
			return func() tea.Msg { return statusMsg{text: text, err: true} }, true
		}
		from, to := p.view.Selection()
		p.view.anchor = -1
		p.form = &markForm{from: from, to: to}
		return nil, true
	case key.Matches(msg, k.Copy):
		from, to := p.view.Selection()
		p.view.anchor = -1
		c, id := p.c, p.id
		return func() tea.Msg {
			pass, err := c.archive().NewPassage(c.ctx, c.owner, id, from, to)
			if err != nil {
				return statusMsg{cause: err, err: true}
			}
			// What is pasted is run by shells and editors: a quote
			// holding ESC [ 201 ~ would end bracketed paste and run
			// the rest as a command. The clipboard gets the text as
			// the reader shows it.
			return copyMsg{text: Sanitize(pass.Quote + "\n\n— " + pass.Citation.Line()), paras: pass.Citation.Paras()}
		}, true
	}
	return nil, false
}

type copyMsg struct{ text, paras string }

// copied puts copied text on the clipboard by the second way there is,
// if any, and says what can be promised: "Copied" only where the text
// is known to reach the clipboard or nothing says it may not.
func (c *common) copied(msg copyMsg) tea.Cmd {
	copyText, term, tr := c.copyText, c.term, c.tr
	return func() tea.Msg {
		if copyText != nil {
			if err := copyText(msg.text); err != nil {
				return statusMsg{text: tr.T("Sent %s with its citation as OSC 52; tmux's buffer: %s", msg.paras, OneLineErr(err))}
			}
			return statusMsg{text: tr.T("Copied %s with its citation (tmux's buffer and the clipboard).", msg.paras)}
		}
		if strings.HasPrefix(term, "tmux") || strings.HasPrefix(term, "screen") {
			return statusMsg{text: tr.T("Sent %s with its citation as OSC 52: tmux needs set-clipboard on.", msg.paras)}
		}
		return statusMsg{text: tr.T("Copied %s with its citation.", msg.paras)}
	}
}

// OneLineErr is an error's message on one line.
func OneLineErr(err error) string {
	return SanitizeLine(strings.Join(strings.Fields(err.Error()), " "))
}

// save keeps the passage the form was for.
func (p *readerPage) save(f *markForm) tea.Cmd {
	c, id, token := p.c, p.id, p.token
	var tags []string
	for _, t := range strings.Split(f.tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	note := strings.TrimSpace(f.note)
	return func() tea.Msg {
		pass, err := c.archive().NewPassage(c.ctx, c.owner, id, f.from, f.to)
		if err == nil {
			pass.Note, pass.Tags = note, tags
			_, err = c.marks.Add(c.ctx, pass)
		}
		if err != nil {
			return markedMsg{token: token, err: err}
		}
		var paras []int
		for n := f.from; n <= f.to; n++ {
			paras = append(paras, n)
		}
		return markedMsg{token: token, paras: paras, text: c.tr.T("Bookmarked %s.", sessions.Citation{From: f.from, To: f.to}.Paras())}
	}
}

// formPrompt is the form's line in the status bar.
func (p *readerPage) formPrompt() string {
	st := p.c.styles
	f := p.form
	what := sessions.Citation{From: f.from, To: f.to}.Paras()
	tr := p.c.tr
	if f.stage == 0 {
		return st.Input.Render(tr.T("bookmark %s · note: ", what)) + f.note + "█" + st.Dim.Render(tr.T("  (enter: next, esc: cancel)"))
	}
	return st.Input.Render(tr.T("bookmark %s · tags, with commas: ", what)) + f.tags + "█" + st.Dim.Render(tr.T("  (enter: save)"))
}
