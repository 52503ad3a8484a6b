package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"kurultai/data"
)

// What is new to the reader, as the lists and the reader mark it: kept
// beside their bookmarks, decided by the archive's batches.

// newsLoadedMsg brings what is new on a screen: by session (how many of
// its speeches and proposals), or by document.
type newsLoadedMsg struct {
	token    int
	sessions map[string]int
	docs     map[string]bool
}

// sessionNews counts, for each session, its speeches and proposals that
// are new to the reader. It gives nothing when there is no bookmarks file
// to keep what they have seen.
func (c *common) sessionNews(ctx context.Context, ids []string) map[string]int {
	if c.marks == nil || len(ids) == 0 {
		return nil
	}
	news, err := c.ensureNews()
	if err != nil {
		return nil
	}
	docs, err := news.Docs(ctx, ids)
	if err != nil || len(docs) == 0 {
		return nil
	}
	out := map[string]int{}
	for _, d := range docs {
		out[d.Session]++
	}
	return out
}

// docNews gives the speeches and proposals of a session that are new to
// the reader.
func (c *common) docNews(ctx context.Context, session string) map[string]bool {
	if c.newsNow() == nil {
		return nil
	}
	docs, err := c.newsNow().Docs(ctx, []string{session})
	if err != nil || len(docs) == 0 {
		return nil
	}
	out := map[string]bool{}
	for _, d := range docs {
		out[d.Doc] = true
	}
	return out
}

// changedMsg brings the paragraphs of a document that changed since the
// reader last opened it.
type changedMsg struct {
	token int
	paras []int
}

// loadChanged reads what changed in a document since it was last opened,
// and records that it is open now.
func (c *common) loadChanged(token int, doc string) tea.Cmd {
	if c.newsNow() == nil {
		return nil
	}
	ctx, news := c.ctx, c.newsNow()
	return func() tea.Msg {
		paras, err := news.Paragraphs(ctx, doc)
		if err != nil {
			return nil
		}
		return changedMsg{token: token, paras: paras}
	}
}

// ensureNews is the reader's news, read again when it could not be when
// the interface started (the store out of reach then): what is new, and
// following, work once the store is back.
func (c *common) ensureNews() (*data.News, error) {
	if n := c.newsNow(); n != nil {
		return n, nil
	}
	n, err := c.archive().NewNews(c.ctx, c.marks, c.owner)
	if err != nil {
		return nil, err
	}
	c.news.CompareAndSwap(nil, n)
	return c.newsNow(), nil
}

// newNews reads the reader's baseline, or sets it at the first start:
// what the archive holds then is not new to them.
func newNews(ctx context.Context, db *data.DB, marks data.Store, owner string) *data.News {
	if marks == nil {
		return nil
	}
	n, err := db.NewNews(ctx, marks, owner)
	if err != nil {
		return nil
	}
	return n
}
