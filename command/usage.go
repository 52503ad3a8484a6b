package command

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"kurultai/ui/i18n"
)

// synopsis is a command's one-line form: name, flags and arguments, each
// part kept whole when the line is wrapped.
func (p *place) synopsis(c *Command) []string {
	parts := []string{p.prog}
	if c.Name != "" {
		parts = append(parts, c.Name)
	}
	for _, f := range c.Flags {
		if p.remote && f.HostPath {
			continue
		}
		if f.Value == "" {
			parts = append(parts, "["+dashed(f.Name)+"]")
		} else {
			parts = append(parts, "["+dashed(f.Name)+" "+f.Value+"]")
		}
	}
	if c.Args != "" {
		parts = append(parts, c.Args)
	}
	return parts
}

// printUsage lists every command of this place with its summary.
func printUsage(p *place, w io.Writer, tr *i18n.Printer) error {
	var b strings.Builder
	if p.remote {
		b.WriteString(tr.T("kurultai over SSH: the archive, read-only, with your own bookmarks") + "\n\n")
		b.WriteString(tr.T("Connect with ssh -t HOST to browse. Commands:") + "\n")
	} else {
		b.WriteString(tr.T("kurultai: a terminal archive of the National Kurultai of Kazakhstan") + "\n\n" + tr.T("Usage:") + "\n")
	}
	for _, c := range commands {
		if p.remote && (!c.Remote || c.Name == "") || c.Hidden {
			continue
		}
		fmt.Fprintf(&b, "  %s\n", wrapWords(p.synopsis(c), 76, "      "))
		fmt.Fprintf(&b, "      %s\n", tr.S(c.Summary))
	}
	b.WriteString("\n" + tr.T("Flags for every command:") + "\n")
	writeFlags(&b, p, globalFlags, tr)
	if p.remote {
		b.WriteString("\n" + tr.T("Output goes to your terminal; redirect it to keep it: ssh HOST export > passages.md") + "\n")
		b.WriteString(tr.T("Run ssh HOST COMMAND --help for a command's flags.") + "\n")
	} else {
		b.WriteString("\n" + tr.T("Run kurultai COMMAND --help for a command's flags.") + "\n")
		b.WriteString(tr.T("Without --archive, the archive is $XDG_DATA_HOME/kurultai/archive.db\n(~/.local/share/kurultai/archive.db), built from the built-in sample on first run.") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// printHelp explains one command and each of its flags.
func printHelp(p *place, c *Command, w io.Writer, tr *i18n.Printer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n\n%s\n", tr.T("Usage:"), wrapWords(p.synopsis(c), 76, "         "), upperFirst(tr.S(c.Summary)))
	var own []Flag
	for _, f := range c.Flags {
		if !p.remote || !f.HostPath {
			own = append(own, f)
		}
	}
	if len(own) > 0 {
		b.WriteString("\n" + tr.T("Flags:") + "\n")
		writeFlags(&b, p, own, tr)
	}
	b.WriteString("\n" + tr.T("Flags for every command:") + "\n")
	writeFlags(&b, p, globalFlags, tr)
	if c.Long != "" {
		b.WriteString("\n" + tr.S(c.Long) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeFlags(b *strings.Builder, p *place, flags []Flag, tr *i18n.Printer) {
	for _, f := range flags {
		if p.remote && f.HostPath {
			continue
		}
		name := dashed(f.Name)
		if f.Value != "" {
			name += " " + f.Value
		}
		// The words stay within 80 columns, beside the flag, or under
		// it when the flag is too long to leave them room.
		const indent = "                             " // 29: two, the flag's 26, one
		usage := strings.ReplaceAll(wrapWords(strings.Fields(tr.S(f.Usage)), 80-len(indent), ""), "\n", "\n"+indent)
		if len(name) > 26 {
			fmt.Fprintf(b, "  %s\n%s%s\n", name, indent, usage)
			continue
		}
		fmt.Fprintf(b, "  %-26s %s\n", name, usage)
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:]) + "."
}

// wrapWords joins parts into lines of at most width columns, indenting
// the lines after the first.
func wrapWords(parts []string, width int, indent string) string {
	var b strings.Builder
	n := 0
	for i, word := range parts {
		w := utf8.RuneCountInString(word) // Cyrillic is two bytes a letter
		if i > 0 && n+1+w > width {
			b.WriteString("\n" + indent)
			n = len(indent)
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += w
	}
	return b.String()
}

// dashed writes a flag as people type it: -o, --json.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
