package ui

import (
	"reflect"

	"charm.land/bubbles/v2/key"

	"kurultai/ui/i18n"
)

// KeyMap is every key binding of the app, with its help text.
type KeyMap struct {
	Quit      key.Binding
	ForceQuit key.Binding
	Help      key.Binding
	Back      key.Binding
	Up        key.Binding
	Down      key.Binding
	VimUp     key.Binding
	VimDown   key.Binding
	PageUp    key.Binding
	PageDown  key.Binding
	Space     key.Binding
	HalfUp    key.Binding
	HalfDown  key.Binding
	Home      key.Binding
	End       key.Binding
	VimTop    key.Binding
	VimBottom key.Binding
	Open      key.Binding
	Order     key.Binding
	Filter    key.Binding
	// FilterStart opens a list's filter.
	FilterStart key.Binding
	NextTab     key.Binding
	PrevTab     key.Binding
	NextPara    key.Binding
	PrevPara    key.Binding
	Find        key.Binding
	NextMatch   key.Binding
	PrevMatch   key.Binding
	NextLink    key.Binding
	PrevLink    key.Binding
	Search      key.Binding
	SearchAll   key.Binding
	SortOrder   key.Binding
	FacetFocus  key.Binding
	SearchHelp  key.Binding
	Bookmark    key.Binding
	Range       key.Binding
	Copy        key.Binding
	Language    key.Binding
	Bookmarks   key.Binding
	// NextNew moves to the next item that is new to the reader.
	NextNew key.Binding
	// Follow follows what is on the screen (FollowSearch on the search
	// screen, where f is typed); Following lists the follows.
	Follow, FollowSearch, Following key.Binding
	// Speakers lists everyone who spoke; SpeakerSort orders that list.
	Speakers, SpeakerSort key.Binding
	// SeenOne and SeenAll mark follows seen.
	SeenOne, SeenAll key.Binding
	// Trend, Who and Concordance open the research views of a search
	// (t, w and c where letters are not typed: the facet panel);
	// Keywords lists the words characteristic of a search's results or
	// a speaker (K where letters are not typed), Collocates the words
	// near a concordance's matches.
	Trend, Who, Concordance, Keywords, Collocates key.Binding
	// TrendLetter, WhoLetter, ConcordanceLetter and KeywordsLetter open
	// the same views where letters are not typed: the facet panel, and
	// the speakers list for keywords.
	TrendLetter, WhoLetter, ConcordanceLetter, KeywordsLetter key.Binding
	// The bookmarks screen's own.
	BookmarkFilter, BookmarkNote, BookmarkTags, BookmarkDelete, BookmarkUndo, BookmarkExport key.Binding
	// The chart of a query over time.
	TrendOpen, TrendBy, TrendRaw, TrendAdd, TrendDrop key.Binding
	// Who says it most.
	WhoOpen, WhoBy, WhoSort, WhoMin key.Binding
	// The concordance.
	KwicOpen, KwicSort, KwicMark key.Binding
	// Keywords and collocates.
	WordsOpen, KeywordsSort, CollocatesSort, WordsMin, CollocatesWider, CollocatesNarrower key.Binding
}

// DefaultKeyMap is the standard set of bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Quit:         key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:         key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Back:         key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Up:           key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "up")),
		Down:         key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "down")),
		VimUp:        key.NewBinding(key.WithKeys("k"), key.WithHelp("k", "up")),
		VimDown:      key.NewBinding(key.WithKeys("j"), key.WithHelp("j", "down")),
		PageUp:       key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Space:        key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "page down")),
		HalfUp:       key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "half page up")),
		HalfDown:     key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "half page down")),
		Home:         key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "top")),
		End:          key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "bottom")),
		VimTop:       key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "top")),
		VimBottom:    key.NewBinding(key.WithKeys("G"), key.WithHelp("G", "bottom")),
		Open:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Order:        key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "newest/oldest first")),
		Filter:       key.NewBinding(key.WithKeys("type"), key.WithHelp("a letter", "filter")),
		FilterStart:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		NextTab:      key.NewBinding(key.WithKeys("tab", "right", "l"), key.WithHelp("tab/→", "next tab")),
		PrevTab:      key.NewBinding(key.WithKeys("shift+tab", "left", "h"), key.WithHelp("shift+tab/←", "previous tab")),
		NextPara:     key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next ¶")),
		PrevPara:     key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous ¶")),
		Find:         key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "find")),
		NextMatch:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		PrevMatch:    key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
		NextLink:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next link")),
		PrevLink:     key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous link")),
		Search:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search everything")),
		SearchAll:    key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "search everything")),
		SortOrder:    key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "relevance/date")),
		FacetFocus:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "results/facets (enter adds one)")),
		SearchHelp:   key.NewBinding(key.WithKeys("f1"), key.WithHelp("f1", "help and the search language")),
		Bookmark:     key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "bookmark ¶ (or the range)")),
		Range:        key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "start/stop a range of ¶")),
		Copy:         key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy ¶ with its citation")),
		Language:     key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "the same ¶ in the next language")),
		Bookmarks:    key.NewBinding(key.WithKeys("B"), key.WithHelp("B", "bookmarks")),
		NextNew:      key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "next new")),
		Follow:       key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "follow")),
		FollowSearch: key.NewBinding(key.WithKeys("f2"), key.WithHelp("f2", "follow this search")),
		Trend:        key.NewBinding(key.WithKeys("f3"), key.WithHelp("f3", "chart over time")),
		Who:          key.NewBinding(key.WithKeys("f4"), key.WithHelp("f4", "who says it most")),
		Concordance:  key.NewBinding(key.WithKeys("f5"), key.WithHelp("f5", "concordance")),
		Keywords:     key.NewBinding(key.WithKeys("f6"), key.WithHelp("f6", "keywords against the rest")),
		Collocates:   key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "collocates")),
		Following:    key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "following")),
		Speakers:     key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "speakers")),
		SpeakerSort:  key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "order")),
		SeenOne:      key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "mark seen")),
		SeenAll:      key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "mark all seen")),

		TrendLetter:       key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "chart over time (in the facets)")),
		WhoLetter:         key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "who says it most (in the facets)")),
		ConcordanceLetter: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "concordance (in the facets)")),
		KeywordsLetter:    key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "keywords")),

		BookmarkFilter: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter (#tag)")),
		BookmarkNote:   key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "note")),
		BookmarkTags:   key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "tags")),
		BookmarkDelete: key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete")),
		BookmarkUndo:   key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo delete")),
		BookmarkExport: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export")),

		TrendOpen: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter/1-5", "search the period")),
		TrendBy:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "by year, month or session")),
		TrendRaw:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "per million words or raw")),
		TrendAdd:  key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add a query (up to 5)")),
		TrendDrop: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "drop the last query")),

		WhoOpen: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "their matches")),
		WhoBy:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "by speaker or party")),
		WhoSort: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "by matches or per 10,000 words")),
		WhoMin:  key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "minimum words: 0, 1,000, 10,000")),

		KwicOpen: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open at the paragraph")),
		KwicSort: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort: date, left 1-3, right 1-3, speaker")),
		KwicMark: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "bookmark the paragraph")),

		WordsOpen:          key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "search the word here")),
		KeywordsSort:       key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "by log-likelihood or ratio")),
		CollocatesSort:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "by logDice, MI or frequency")),
		WordsMin:           key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "minimum frequency: 3, 10, 1")),
		CollocatesWider:    key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+", "window wider")),
		CollocatesNarrower: key.NewBinding(key.WithKeys("-"), key.WithHelp("-", "window narrower")),
	}
}

// ascii is the key map with its help in ASCII (ASCIIOnly): the help is
// laid out in columns by the width of its text, which must not change
// once it is drawn.
func (k KeyMap) ascii() KeyMap {
	v := reflect.ValueOf(&k).Elem()
	for i := 0; i < v.NumField(); i++ {
		if b, ok := v.Field(i).Addr().Interface().(*key.Binding); ok {
			h := b.Help()
			b.SetHelp(ASCIIOnly(h.Key), ASCIIOnly(h.Desc))
		}
	}
	return k
}

// translated is the key map with what each key does in the printer's
// language. The keys' names stay as Bubble Tea names them, but for the
// letters that filter.
func (k KeyMap) translated(tr *i18n.Printer) KeyMap {
	if tr.Lang() == i18n.English {
		return k
	}
	v := reflect.ValueOf(&k).Elem()
	for i := 0; i < v.NumField(); i++ {
		if b, ok := v.Field(i).Addr().Interface().(*key.Binding); ok {
			h := b.Help()
			keyName := h.Key
			if keyName == "a letter" {
				keyName = tr.S(keyName)
			}
			b.SetHelp(keyName, tr.S(h.Desc))
		}
	}
	return k
}
