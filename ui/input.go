package ui

import "unicode/utf8"

// maxInput is the most a line of typed text may hold, in characters: a
// search query, a filter, a find, a note or tags. The search command cuts
// its query at the same length. Without a cap, pasting megabytes into a
// prompt over SSH cost the server a gigabyte and a core for a minute, and
// every key typed into a long note copied it again.
const maxInput = 1000

// appendInput adds typed or pasted text to a line of input, sanitised, up
// to maxInput characters; the rest is dropped.
func appendInput(line, add string) string {
	room := maxInput - utf8.RuneCountInString(line)
	if room <= 0 {
		return line
	}
	// Look at no more of a paste than can be kept before sanitising it.
	if len(add) > 4*room {
		add = add[:4*room]
	}
	add = SanitizeLine(add)
	if utf8.RuneCountInString(add) > room {
		n := 0
		for i := range add {
			if n == room {
				add = add[:i]
				break
			}
			n++
		}
	}
	return line + add
}
