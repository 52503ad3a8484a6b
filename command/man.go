package command

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// manPage is kurultai(1) in roff, made from the table of commands as
// --help is: every command, its arguments and flags, the flags of every
// command, and the files and variables kurultai reads.
func manPage() string {
	var b strings.Builder
	b.WriteString(`.TH KURULTAI 1 "" "kurultai ` + roff(version) + `" "User Commands"
.SH NAME
kurultai \- a terminal archive of the National Kurultai of Kazakhstan and of parliaments in ParlaMint TEI
.SH SYNOPSIS
.B kurultai
[\fIFLAGS\fR] [\fIID\fR]
.br
.B kurultai
\fICOMMAND\fR [\fIFLAGS\fR] [\fIARGUMENTS\fR]
.SH DESCRIPTION
Without a command, kurultai opens the archive in the terminal: sessions, speeches and
proposals, read with numbered paragraphs; search in Kazakh, Russian and English; bookmarks
with citations; the research views. The commands print the same for scripts and people.
Flags may stand before or after the command and its arguments;
.B \-\-
ends them.
.SH COMMANDS
`)
	for _, c := range commands {
		if c.Hidden {
			continue
		}
		b.WriteString(".TP\n")
		parts := local.synopsis(c)
		b.WriteString(".B " + roff(strings.Join(parts, " ")) + "\n")
		b.WriteString(roff(upperFirst(c.Summary)) + "\n")
		for _, f := range c.Flags {
			b.WriteString(".RS\n.TP\n" + manFlag(f) + "\n" + roff(f.Usage) + "\n.RE\n")
		}
	}
	b.WriteString(".SH FLAGS FOR EVERY COMMAND\n")
	for _, f := range globalFlags {
		b.WriteString(".TP\n" + manFlag(f) + "\n" + roff(f.Usage) + "\n")
	}
	b.WriteString(`.SH FILES
.TP
.I ~/.config/kurultai/config.toml
The config file ($XDG_CONFIG_HOME/kurultai/config.toml if that is set, or the file
.B \-\-config
names): the default archive, the style and its colours, the reader's width, the mouse,
key bindings and the flags of serve.
.B kurultai config \-\-init
writes one with every setting commented out.
.TP
.I ~/.local/share/kurultai/archive.db
The archive opened without
.BR \-\-archive
($XDG_DATA_HOME/kurultai/archive.db if that is set), built from the built-in sample on
first run; bookmarks and follows are kept beside it.
.SH ENVIRONMENT
`)
	for _, s := range settings {
		if s.env != "" {
			fmt.Fprintf(&b, ".TP\n.B %s\nThe setting %s of the config file; a flag beats it, and it beats the file.\n", s.env, roff(s.name))
		}
	}
	b.WriteString(`.TP
.B NO_COLOR
Draw without colour unless a style is set.
.TP
.BR XDG_CONFIG_HOME ", " XDG_DATA_HOME
Where the config file and the archive are looked for.
.SH EXIT STATUS
0 done; 1 failed (for
.BR search ,
nothing found); 2 the command line or an id was wrong (for
.BR search ,
an error); 130 interrupted.
.SH SEE ALSO
.BR ssh (1)
for reaching a served archive;
the documents in docs/ of the source: guide.md, search.md, research.md, config.md,
shell.md, serving.md, archive-format.md.
`)
	return b.String()
}

// manFlag is a flag as the page names it: bold, with its value in italics.
func manFlag(f Flag) string {
	s := `\fB` + roff(dashed(f.Name)) + `\fR`
	if f.Value != "" {
		s += ` \fI` + roff(f.Value) + `\fR`
	}
	return s
}

// roff escapes text for a roff line: backslashes, hyphens that are minus
// signs in flags, and a dot or quote at the start of a line.
func roff(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// runMan prints the manual page.
func runMan(_ context.Context, inv *Invocation) error {
	if err := noArgs(inv, "man"); err != nil {
		return err
	}
	_, err := io.WriteString(inv.Env.Stdout, manPage())
	return err
}
