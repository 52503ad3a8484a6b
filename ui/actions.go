package ui

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"

	"kurultai/sessions/msg"
)

// Action is a thing a key does, by the name the config file's [keys]
// gives it: quit = ["q", "ctrl+c"].
type Action struct {
	Name string
	// Screens are where the action acts; none means on every screen.
	Screens []string
	binding func(*KeyMap) *key.Binding
}

// Binding gives the action's binding in k.
func (a Action) Binding(k *KeyMap) key.Binding { return *a.binding(k) }

// The screens, as actions and key conflicts are judged by them.
const (
	screenSessions   = "sessions"
	screenSession    = "session"
	screenReader     = "reader"
	screenSearch     = "search"
	screenBookmarks  = "bookmarks"
	screenFollowing  = "following"
	screenNew        = "new"
	screenOrphan     = "orphan"
	screenSpeakers   = "speakers"
	screenSpeaker    = "speaker"
	screenTrend      = "trend"
	screenWho        = "who"
	screenKwic       = "concordance"
	screenKeywords   = "keywords"
	screenCollocates = "collocates"
)

// moves are the screens that move through rows or lines with every moving
// key: the lists, the reader and the research views.
var moves = []string{screenSessions, screenSession, screenReader, screenBookmarks, screenFollowing, screenNew,
	screenOrphan, screenSpeakers, screenSpeaker, screenTrend, screenWho, screenKwic, screenKeywords, screenCollocates}

// pagedMoves are the screens that move by rows and pages but type
// letters: search.
var pagedMoves = append([]string{screenSearch}, moves...)

func act(name string, b func(*KeyMap) *key.Binding, screens ...string) Action {
	return Action{Name: name, Screens: screens, binding: b}
}

// Actions are every action that a key can be bound to, in the order
// docs/config.md lists them. The screens of an action are where its
// screen gives it a key before the keys of every screen (quit, help,
// back, ...) are looked at: a key bound to a screen's own action does
// that on the screen, whatever else it is bound to.
var Actions = []Action{
	act("quit", func(k *KeyMap) *key.Binding { return &k.Quit }),
	act("force_quit", func(k *KeyMap) *key.Binding { return &k.ForceQuit }),
	act("help", func(k *KeyMap) *key.Binding { return &k.Help }),
	act("back", func(k *KeyMap) *key.Binding { return &k.Back }),
	act("search", func(k *KeyMap) *key.Binding { return &k.Search }),
	act("search_all", func(k *KeyMap) *key.Binding { return &k.SearchAll }),
	act("bookmarks", func(k *KeyMap) *key.Binding { return &k.Bookmarks }),
	act("following", func(k *KeyMap) *key.Binding { return &k.Following }),
	act("speakers", func(k *KeyMap) *key.Binding { return &k.Speakers }),
	act("follow", func(k *KeyMap) *key.Binding { return &k.Follow }),

	act("up", func(k *KeyMap) *key.Binding { return &k.Up }, pagedMoves...),
	act("down", func(k *KeyMap) *key.Binding { return &k.Down }, pagedMoves...),
	act("vim_up", func(k *KeyMap) *key.Binding { return &k.VimUp }, moves...),
	act("vim_down", func(k *KeyMap) *key.Binding { return &k.VimDown }, moves...),
	act("page_up", func(k *KeyMap) *key.Binding { return &k.PageUp }, pagedMoves...),
	act("page_down", func(k *KeyMap) *key.Binding { return &k.PageDown }, pagedMoves...),
	act("space_page_down", func(k *KeyMap) *key.Binding { return &k.Space }, moves...),
	act("half_page_up", func(k *KeyMap) *key.Binding { return &k.HalfUp }, screenReader),
	act("half_page_down", func(k *KeyMap) *key.Binding { return &k.HalfDown }, screenReader),
	act("top", func(k *KeyMap) *key.Binding { return &k.Home }, pagedMoves...),
	act("bottom", func(k *KeyMap) *key.Binding { return &k.End }, pagedMoves...),
	act("vim_top", func(k *KeyMap) *key.Binding { return &k.VimTop }, moves...),
	act("vim_bottom", func(k *KeyMap) *key.Binding { return &k.VimBottom }, moves...),
	act("open", func(k *KeyMap) *key.Binding { return &k.Open },
		screenSessions, screenSession, screenReader, screenSearch, screenBookmarks, screenFollowing, screenNew, screenSpeakers, screenSpeaker),

	act("filter", func(k *KeyMap) *key.Binding { return &k.FilterStart }, screenSessions, screenSpeakers),
	act("order", func(k *KeyMap) *key.Binding { return &k.Order }, screenSessions),
	act("next_new", func(k *KeyMap) *key.Binding { return &k.NextNew }, screenSessions, screenSession),
	act("next_tab", func(k *KeyMap) *key.Binding { return &k.NextTab }, screenSession),
	act("previous_tab", func(k *KeyMap) *key.Binding { return &k.PrevTab }, screenSession),

	act("next_paragraph", func(k *KeyMap) *key.Binding { return &k.NextPara }, screenReader),
	act("previous_paragraph", func(k *KeyMap) *key.Binding { return &k.PrevPara }, screenReader),
	act("find", func(k *KeyMap) *key.Binding { return &k.Find }, screenReader),
	act("next_match", func(k *KeyMap) *key.Binding { return &k.NextMatch }, screenReader),
	act("previous_match", func(k *KeyMap) *key.Binding { return &k.PrevMatch }, screenReader),
	act("next_link", func(k *KeyMap) *key.Binding { return &k.NextLink }, screenReader),
	act("previous_link", func(k *KeyMap) *key.Binding { return &k.PrevLink }, screenReader),
	act("bookmark", func(k *KeyMap) *key.Binding { return &k.Bookmark }, screenReader),
	act("range", func(k *KeyMap) *key.Binding { return &k.Range }, screenReader),
	act("copy", func(k *KeyMap) *key.Binding { return &k.Copy }, screenReader),
	act("language", func(k *KeyMap) *key.Binding { return &k.Language }, screenReader),

	act("facets", func(k *KeyMap) *key.Binding { return &k.FacetFocus }, screenSearch),
	act("sort", func(k *KeyMap) *key.Binding { return &k.SortOrder }, screenSearch),
	act("search_help", func(k *KeyMap) *key.Binding { return &k.SearchHelp }, screenSearch),
	act("follow_search", func(k *KeyMap) *key.Binding { return &k.FollowSearch }, screenSearch),
	act("trend", func(k *KeyMap) *key.Binding { return &k.Trend }, screenSearch),
	act("who", func(k *KeyMap) *key.Binding { return &k.Who }, screenSearch),
	act("concordance", func(k *KeyMap) *key.Binding { return &k.Concordance }, screenSearch),
	act("keywords", func(k *KeyMap) *key.Binding { return &k.Keywords }, screenSearch, screenSpeakers),
	act("trend_letter", func(k *KeyMap) *key.Binding { return &k.TrendLetter }, screenSearch),
	act("who_letter", func(k *KeyMap) *key.Binding { return &k.WhoLetter }, screenSearch),
	act("concordance_letter", func(k *KeyMap) *key.Binding { return &k.ConcordanceLetter }, screenSearch),
	act("keywords_letter", func(k *KeyMap) *key.Binding { return &k.KeywordsLetter }, screenSearch, screenSpeakers),

	act("bookmarks_filter", func(k *KeyMap) *key.Binding { return &k.BookmarkFilter }, screenBookmarks),
	act("bookmarks_note", func(k *KeyMap) *key.Binding { return &k.BookmarkNote }, screenBookmarks),
	act("bookmarks_tags", func(k *KeyMap) *key.Binding { return &k.BookmarkTags }, screenBookmarks),
	act("bookmarks_delete", func(k *KeyMap) *key.Binding { return &k.BookmarkDelete }, screenBookmarks),
	act("bookmarks_undo", func(k *KeyMap) *key.Binding { return &k.BookmarkUndo }, screenBookmarks),
	act("bookmarks_export", func(k *KeyMap) *key.Binding { return &k.BookmarkExport }, screenBookmarks),

	act("seen", func(k *KeyMap) *key.Binding { return &k.SeenOne }, screenFollowing),
	act("all_seen", func(k *KeyMap) *key.Binding { return &k.SeenAll }, screenFollowing),
	act("speakers_order", func(k *KeyMap) *key.Binding { return &k.SpeakerSort }, screenSpeakers),

	act("trend_open", func(k *KeyMap) *key.Binding { return &k.TrendOpen }, screenTrend),
	act("trend_by", func(k *KeyMap) *key.Binding { return &k.TrendBy }, screenTrend),
	act("trend_raw", func(k *KeyMap) *key.Binding { return &k.TrendRaw }, screenTrend),
	act("trend_add", func(k *KeyMap) *key.Binding { return &k.TrendAdd }, screenTrend),
	act("trend_drop", func(k *KeyMap) *key.Binding { return &k.TrendDrop }, screenTrend),
	act("who_open", func(k *KeyMap) *key.Binding { return &k.WhoOpen }, screenWho),
	act("who_by", func(k *KeyMap) *key.Binding { return &k.WhoBy }, screenWho),
	act("who_order", func(k *KeyMap) *key.Binding { return &k.WhoSort }, screenWho),
	act("who_minimum", func(k *KeyMap) *key.Binding { return &k.WhoMin }, screenWho),
	act("concordance_open", func(k *KeyMap) *key.Binding { return &k.KwicOpen }, screenKwic),
	act("concordance_sort", func(k *KeyMap) *key.Binding { return &k.KwicSort }, screenKwic),
	act("concordance_bookmark", func(k *KeyMap) *key.Binding { return &k.KwicMark }, screenKwic),
	act("collocates", func(k *KeyMap) *key.Binding { return &k.Collocates }, screenKwic),
	act("words_open", func(k *KeyMap) *key.Binding { return &k.WordsOpen }, screenKeywords, screenCollocates),
	act("keywords_order", func(k *KeyMap) *key.Binding { return &k.KeywordsSort }, screenKeywords),
	act("collocates_order", func(k *KeyMap) *key.Binding { return &k.CollocatesSort }, screenCollocates),
	act("words_minimum", func(k *KeyMap) *key.Binding { return &k.WordsMin }, screenKeywords, screenCollocates),
	act("collocates_wider", func(k *KeyMap) *key.Binding { return &k.CollocatesWider }, screenCollocates),
	act("collocates_narrower", func(k *KeyMap) *key.Binding { return &k.CollocatesNarrower }, screenCollocates),
}

// ActionNamed finds an action by its name.
func ActionNamed(name string) (Action, bool) {
	for _, a := range Actions {
		if a.Name == name {
			return a, true
		}
	}
	return Action{}, false
}

// KeyError is a binding of the config file that cannot be used: an
// action that does not exist, a key name Bubble Tea never sends, or a key
// bound to two actions of one screen. Action is the action of the file
// that is at fault.
type KeyError struct {
	Action string
	Msg    msg.Text
}

func (e KeyError) Error() string { return e.Say(nil) }

// Say says what is wrong in the interface's language.
func (e KeyError) Say(tr msg.Translate) string { return "keys." + e.Action + ": " + e.Msg.Say(tr) }

// BindKeys returns the default key map with the actions of bind given the
// keys listed; an empty list leaves an action without a key. The help and
// the footers show the keys in use. A key bound to two actions of one
// screen, or to two actions of every screen, is an error: one of them
// could never be reached.
func BindKeys(bind map[string][]string) (KeyMap, error) {
	k := DefaultKeyMap()
	names := make([]string, 0, len(bind))
	for name := range bind {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		a, ok := ActionNamed(name)
		if !ok {
			return k, KeyError{name, msg.T("is not an action (docs/config.md lists them)")}
		}
		keys := bind[name]
		for _, s := range keys {
			if err := checkKeyName(s); err != nil {
				return k, KeyError{name, msg.T("%v", err)}
			}
		}
		b := a.binding(&k)
		help := b.Help()
		*b = key.NewBinding(key.WithKeys(keys...), key.WithHelp(keysHelp(keys), help.Desc))
		if len(keys) == 0 {
			b.SetEnabled(false)
		}
	}
	if err := conflicts(&k, bind); err != nil {
		return k, err
	}
	return k, nil
}

// conflicts finds a key bound to two actions that act in one place, at
// least one of them bound by the file.
func conflicts(k *KeyMap, bind map[string][]string) error {
	places := map[string][]Action{"": nil}
	for _, a := range Actions {
		if len(a.Screens) == 0 {
			places[""] = append(places[""], a)
		}
		for _, s := range a.Screens {
			places[s] = append(places[s], a)
		}
	}
	var found *KeyError
	for place, acts := range places {
		seen := map[string]Action{}
		for _, a := range acts {
			for _, pressed := range a.binding(k).Keys() {
				other, dup := seen[pressed]
				if !dup {
					seen[pressed] = a
					continue
				}
				_, mine := bind[a.Name]
				_, theirs := bind[other.Name]
				if !mine && !theirs {
					continue // the defaults are checked apart (TestDefaultKeysDoNotClash)
				}
				blame, with := a, other
				if !mine {
					blame, with = other, a
				}
				e := KeyError{blame.Name, msg.T("%q is bound to %s too, on every screen; a key does one thing on a screen", pressed, with.Name)}
				if place != "" {
					e.Msg = msg.T("%q is bound to %s too, on the %s screen; a key does one thing on a screen", pressed, with.Name, place)
				}
				// The same conflict is found from either side: report the
				// one the file names first in order, whatever map order.
				if found == nil || e.Action < found.Action || e.Action == found.Action && e.Msg.String() < found.Msg.String() {
					found = &e
				}
			}
		}
	}
	if found != nil {
		return *found
	}
	return nil
}

// screenOwns says whether a key pressed on screen is one of that screen's
// own actions.
func screenOwns(k *KeyMap, screen, pressed string) bool {
	if screen == "" {
		return false
	}
	for _, a := range Actions {
		if !slices.Contains(a.Screens, screen) {
			continue
		}
		b := a.binding(k)
		if b.Enabled() && slices.Contains(b.Keys(), pressed) {
			return true
		}
	}
	return false
}

// keyNames are the names of keys that Bubble Tea gives, besides single
// characters and function keys.
var keyNames = []string{"up", "down", "left", "right", "home", "end", "pgup", "pgdown", "insert", "delete",
	"backspace", "tab", "enter", "esc", "space", "begin", "find", "select"}

var keyModifiers = []string{"ctrl", "alt", "shift", "meta", "hyper", "super"}

// checkKeyName refuses what Bubble Tea never sends as a key: a mistyped
// name would otherwise be a binding that silently does nothing.
func checkKeyName(s string) error {
	if s == "" {
		return msg.Errorf("an empty key name")
	}
	base := s
	if utf8.RuneCountInString(s) > 1 {
		parts := strings.Split(s, "+")
		if strings.HasSuffix(s, "++") || s == "+" {
			// "ctrl++" is ctrl and the plus key.
			parts = append(strings.Split(strings.TrimSuffix(s, "++"), "+"), "+")
		}
		base = parts[len(parts)-1]
		for _, m := range parts[:len(parts)-1] {
			if !slices.Contains(keyModifiers, m) {
				return msg.Errorf("%q is not a key: %q is not one of %s", s, m, strings.Join(keyModifiers, ", "))
			}
		}
	}
	if utf8.RuneCountInString(base) == 1 {
		r, _ := utf8.DecodeRuneInString(base)
		if unicode.IsPrint(r) && !unicode.IsSpace(r) {
			return nil
		}
		return msg.Errorf("%q is not a key name", s)
	}
	if slices.Contains(keyNames, base) {
		return nil
	}
	if n, ok := strings.CutPrefix(base, "f"); ok {
		if i, err := strconv.Atoi(n); err == nil && i >= 1 && i <= 63 {
			return nil
		}
	}
	return msg.Errorf("%q is not a key name: a key is a character, f1 to f63, or one of %s, after ctrl+, alt+ or shift+ if need be", s, strings.Join(keyNames, ", "))
}

// keysHelp names keys as the help shows them.
func keysHelp(keys []string) string {
	shown := make([]string, len(keys))
	for i, k := range keys {
		switch k {
		case "up":
			k = "↑"
		case "down":
			k = "↓"
		case "left":
			k = "←"
		case "right":
			k = "→"
		case "pgdown":
			k = "pgdn"
		}
		shown[i] = k
	}
	return strings.Join(shown, "/")
}

// firstKey names the first key of a binding, for a hint in words.
func firstKey(b key.Binding) string {
	if keys := b.Keys(); len(keys) > 0 {
		return keys[0]
	}
	return "—"
}
