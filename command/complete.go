package command

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"kurultai/ui/cli"
)

// Shell completion. The scripts that `kurultai completion bash|zsh|fish`
// prints are small: on each tab they run `kurultai __complete WORDS...`
// with the words typed so far, the last being the one completed, and
// offer what it prints, a candidate a line with what it is after a tab.
// So commands, flags, the values a flag takes and the arguments of each
// command come from the table, and ids from the archive, and they cannot
// go stale as kurultai changes. A first line "!files" asks the shell to
// complete file names instead.

// maxCompletions bounds the ids offered for one tab.
const maxCompletions = 200

// filesDirective asks the shell for file names.
const filesDirective = "!files"

// candidate is one completion and what it is.
type candidate struct{ word, about string }

// complete gives the candidates for the last of words, the words typed
// after kurultai.
func complete(ctx context.Context, words []string, o cli.Options, e cli.Env) []candidate {
	if len(words) == 0 {
		words = []string{""}
	}
	cur := words[len(words)-1]
	before := words[:len(words)-1]
	// bash splits --flag=value at the =: join it back.
	if n := len(before); n >= 2 && before[n-1] == "=" {
		before, cur = before[:n-2], before[n-2]+"="+cur
	} else if n >= 1 && before[n-1] == "=" {
		before = before[:n-1]
	}
	c, pos := browse(), []string(nil)
	expectValue := ""
	for i := 0; i < len(before); i++ {
		w := before[i]
		if w == "--" {
			pos = append(pos, before[i+1:]...)
			break
		}
		if strings.HasPrefix(w, "-") && len(w) > 1 {
			name, value, hasValue := strings.Cut(strings.TrimLeft(w, "-"), "=")
			if f, ok := local.flagOf(c, name); ok && f.Value != "" && !hasValue {
				if i == len(before)-1 {
					expectValue = name
				} else {
					value = before[i+1]
				}
				i++
			}
			if name == "archive" && value != "" {
				o.Archive = value // the ids are those of the archive named
			}
			continue
		}
		if c.Name == "" && len(pos) == 0 {
			if cmd := local.lookup(w); cmd != nil {
				c = cmd
				continue
			}
		}
		pos = append(pos, w)
	}
	if expectValue != "" {
		f, _ := local.flagOf(c, expectValue)
		return flagValues(ctx, f, "", cur, o, e)
	}
	if strings.HasPrefix(cur, "-") {
		name, value, hasValue := strings.Cut(strings.TrimLeft(cur, "-"), "=")
		if hasValue {
			if f, ok := local.flagOf(c, name); ok {
				return flagValues(ctx, f, cur[:len(cur)-len(value)], value, o, e)
			}
			return nil
		}
		var out []candidate
		for _, f := range local.flags(c) {
			if strings.HasPrefix("--"+f.Name, cur) {
				out = append(out, candidate{"--" + f.Name, o.Printer(e).S(f.Usage)})
			}
		}
		return out
	}
	var out []candidate
	if c.Name == "" && len(pos) == 0 {
		for _, cmd := range commands {
			if cmd.Name != "" && !cmd.Hidden && strings.HasPrefix(cmd.Name, cur) {
				out = append(out, candidate{cmd.Name, o.Printer(e).S(cmd.Summary)})
			}
		}
	}
	return append(out, arguments(ctx, c, pos, cur, o, e)...)
}

// flagOf finds a flag of c in this place by name.
func (p *place) flagOf(c *Command, name string) (Flag, bool) {
	for _, f := range p.flags(c) {
		if f.Name == name {
			return f, true
		}
	}
	return Flag{}, false
}

// flagValues completes the value of f: its choices (a|b|c), file names
// for a flag that names a file, ids for one that takes an id. keep is
// what stands before the value in the word (--style=).
func flagValues(ctx context.Context, f Flag, keep, cur string, o cli.Options, e cli.Env) []candidate {
	var out []candidate
	switch {
	case strings.Contains(f.Value, "|"):
		for _, v := range strings.Split(f.Value, "|") {
			if strings.HasPrefix(v, cur) {
				out = append(out, candidate{keep + v, ""})
			}
		}
	case f.HostPath:
		return []candidate{{filesDirective, ""}}
	case f.Value == "ID":
		for _, id := range ids(ctx, cur, f.Name == "speaker", o, e) {
			out = append(out, candidate{keep + id, ""})
		}
	}
	return out
}

// arguments completes a command's positional argument: ids, subcommands,
// command names or files, as its Args say.
func arguments(ctx context.Context, c *Command, pos []string, cur string, o cli.Options, e cli.Env) []candidate {
	args := c.Args
	// Subcommands: "add ID | list | rm N | import FILE", "upgrade|optimize".
	if strings.Contains(args, "|") && !strings.Contains(args, "://") {
		var subs [][]string
		for _, alt := range strings.Split(args, "|") {
			subs = append(subs, strings.Fields(alt))
		}
		if len(pos) == 0 {
			var out []candidate
			for _, s := range subs {
				if len(s) > 0 && strings.HasPrefix(s[0], cur) {
					out = append(out, candidate{s[0], ""})
				}
			}
			return out
		}
		for _, s := range subs {
			if len(s) > len(pos) && s[0] == pos[0] {
				args = s[len(pos)]
				pos = nil
				break
			}
		}
		if pos != nil {
			return nil
		}
	}
	switch {
	case c.Name == "help":
		var out []candidate
		if len(pos) == 0 {
			for _, cmd := range commands {
				if cmd.Name != "" && !cmd.Hidden && strings.HasPrefix(cmd.Name, cur) {
					out = append(out, candidate{cmd.Name, o.Printer(e).S(cmd.Summary)})
				}
			}
		}
		return out
	case strings.Contains(args, "ID") && (len(pos) == 0 || strings.HasSuffix(args, "...")):
		var out []candidate
		for _, id := range ids(ctx, cur, c.Name == "speaker", o, e) {
			out = append(out, candidate{id, ""})
		}
		return out
	case strings.Contains(args, "FILE") || strings.Contains(args, "SOURCE"):
		return []candidate{{filesDirective, ""}}
	}
	return nil
}

// ids lists ids of the archive that start with prefix: of sessions,
// speeches and proposals, or of speakers. The archive is the one the
// command line would open; none is built for a tab, and an archive that
// cannot be opened gives none. An id that a shell would read as more than
// a word is left out.
func ids(ctx context.Context, prefix string, speakers bool, o cli.Options, e cli.Env) []string {
	db, err := cli.OpenExisting(ctx, o, e)
	if err != nil {
		return nil
	}
	defer db.Close()
	found, err := db.IDsFrom(ctx, prefix, speakers, maxCompletions)
	if err != nil {
		return nil
	}
	return slices.DeleteFunc(found, func(id string) bool { return !shellWord(id) })
}

// shellWord says whether s can be offered to a shell as it is: letters,
// digits and a few signs that no shell reads specially (not the : at
// which bash splits words).
func shellWord(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-_./+@,%", r) {
			return false
		}
	}
	return true
}

// completeCommand is the hidden command the completion scripts call. Its
// words are not parsed as flags: they are the command line being typed.
const completeCommand = "__complete"

func writeCandidates(w io.Writer, cands []candidate) error {
	for _, c := range cands {
		line := c.word
		if c.about != "" {
			line += "\t" + cli.OneLine(c.about)
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}
