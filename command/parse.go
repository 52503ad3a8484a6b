package command

import (
	"cmp"
	"flag"
	"io"
	"strings"

	"kurultai/sessions/msg"
	"kurultai/ui/cli"
)

// parse reads a command's flags and positional arguments, in any order.
// A flag takes its value from "=" or from the next argument, whatever that
// argument looks like: in "--tag -- -o x" the tag is "--" and -o is read
// as the flag it is. A bare "--" ends the flags once: everything after it is
// positional and is never parsed again. Only the flags of the command's
// variant for this place (the command line or SSH) are defined; any other
// is an unknown flag.
func parse(p *place, c *Command, args []string, v *values) ([]string, error) {
	fs := p.flagSet(c, v)
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(a[1:], "-"), "=")
		if name == "h" || name == "help" {
			return nil, flag.ErrHelp
		}
		f := fs.Lookup(name)
		if f == nil || name == "" || strings.HasPrefix(name, "-") {
			return nil, p.unknownFlag(c, a)
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			if !hasValue {
				value = "true"
			}
		} else if !hasValue {
			if i+1 >= len(args) {
				return nil, cli.UsageError{Msg: msg.T("%s needs a value (see %s)", dashed(name), p.helpHint(c))}
			}
			i++
			value = args[i]
		}
		if err := fs.Set(name, value); err != nil {
			return nil, cli.UsageError{Msg: msg.T("%s %q: %v (see %s)", dashed(name), truncate(cli.OneLine(value), 60), unwrapFlagErr(err), p.helpHint(c))}
		}
		if v.set == nil {
			v.set = map[string]bool{}
		}
		v.set[name] = true
	}
	return pos, nil
}

// unwrapFlagErr turns the flag package's wording ("parse error") into
// plain words.
func unwrapFlagErr(err error) msg.Text {
	switch s := err.Error(); s {
	case "parse error":
		return msg.T("not a valid value")
	case "value out of range":
		return msg.T("out of range")
	default:
		return msg.T("%v", err)
	}
}

// flagSet defines the flags of c for this place and binds them to v.
func (p *place) flagSet(c *Command, v *values) *flag.FlagSet {
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	for _, f := range p.flags(c) {
		f.define(fs, v)
	}
	return fs
}

// flags lists the flags c has in this place: the flags every command
// takes, then its own, without those that name something on this host
// when the place is SSH.
func (p *place) flags(c *Command) []Flag {
	var out []Flag
	for _, list := range [][]Flag{globalFlags, c.Flags} {
		for _, f := range list {
			if p.remote && f.HostPath {
				continue
			}
			out = append(out, f)
		}
	}
	return out
}

// unknownFlag explains a flag the command does not have here. Over SSH a
// flag that exists only on the command line is named as such, so that a
// reader knows to redirect the output instead.
func (p *place) unknownFlag(c *Command, arg string) error {
	name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	shown := cli.OneLine(arg)
	if len(shown) > 60 {
		shown = shown[:60] + "…"
	}
	if p.remote {
		for _, f := range append(append([]Flag{}, globalFlags...), c.Flags...) {
			if f.Name == name && f.HostPath {
				return cli.UsageError{Msg: msg.T("%s is not offered over SSH: it names a file on the server; to keep the output, redirect it: ssh HOST %s > FILE",
					strings.TrimSpace(c.Name+" "+shown), cmp.Or(c.Name, "export"))}
			}
		}
	}
	if c.Name == "" {
		return cli.UsageError{Msg: msg.T("no flag %s before the command (see %s)", shown, p.helpHint(c))}
	}
	return cli.UsageError{Msg: msg.T("%s has no flag %s (see %s)", c.Name, shown, p.helpHint(c))}
}
