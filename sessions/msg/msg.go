// Package msg holds what kurultai says to a person in words that can be
// said in another language: a Text is a format (in English, and the key of
// the interface's catalogues) with its arguments, and an Error is a Text
// that is an error. The layers below the interface (sessions, data) speak
// through it without knowing which language the interface speaks; the
// interface says a Text or an error with Say and its own translation.
//
// A Text's English is what fmt.Sprintf makes of it, so err.Error() and a
// Text's String are the English words. An argument that is itself an error
// or a Text is said in the same language as the message around it. An
// argument that is an error is also wrapped, for errors.Is and errors.As.
// A whole number is said as it is (an id, a line), unless it is a Count,
// which is grouped as the language groups digits.
package msg

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Text is a message and its arguments.
type Text struct {
	Format string
	Args   []any
	en     string
}

// T makes a Text. The format is a catalogue's key: a literal, so that the
// tests can find every message the code asks for. The English is made at
// once, which also lets go vet check the format against the arguments.
func T(format string, args ...any) Text {
	return Text{Format: format, Args: args, en: fmt.Sprintf(format, args...)}
}

// String is the Text in English.
func (t Text) String() string {
	if t.en != "" || t.Format == "" {
		return t.en
	}
	return fmt.Sprintf(t.Format, t.Args...)
}

// MarshalJSON writes the English, as output for programs always is.
func (t Text) MarshalJSON() ([]byte, error) { return json.Marshal(t.String()) }

// IsZero says whether the Text says nothing.
func (t Text) IsZero() bool { return t.Format == "" }

// Translate says a format with its arguments in a language: a printer's T.
type Translate func(format string, args ...any) string

// Say says the Text with tr; a nil tr says it in English.
func (t Text) Say(tr Translate) string {
	if tr == nil {
		return t.String()
	}
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		switch a := a.(type) {
		case Text:
			args[i] = a.Say(tr)
		case Count:
			args[i] = int64(a)
		case int:
			args[i] = Plain(a)
		case int64:
			args[i] = Plain(a)
		case int32:
			args[i] = Plain(a)
		case uint64:
			args[i] = Plain(a)
		case error:
			args[i] = Say(a, tr)
		default:
			args[i] = a
		}
	}
	return tr(t.Format, args...)
}

// Pick is one when n is 1 and other otherwise: English's two forms. A
// catalogue gives other's key as many forms as its language has (Russian
// says 21 результат, 22 результата, 25 результатов).
func Pick(n int64, one, other Text) Text {
	if n == 1 {
		return one
	}
	return other
}

// Count is a number for a person to read: 12,408 in English, and as the
// language of the interface groups digits in another (12 408). Give it
// with %v.
type Count int64

// String groups the digits in threes with commas.
func (c Count) String() string {
	s := strconv.FormatInt(int64(c), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Plain is a number that names something (an id, a line, a paragraph, a
// seed), written as it is in every language and never grouped, so that it
// can be typed back. Say gives every whole number of a Text that is not a
// Count as a Plain; a printer's caller gives one for an id it says.
type Plain int64

// Format writes the number as fmt does, whatever formats the rest.
func (p Plain) Format(f fmt.State, verb rune) { fmt.Fprintf(f, fmt.FormatString(f, verb), int64(p)) }

// Error is an error in words a catalogue can translate.
type Error struct{ Text }

// Errorf makes an Error. Use %v for an error argument: every argument that
// is an error is wrapped.
func Errorf(format string, args ...any) error { return &Error{T(format, args...)} }

// New makes an Error with no arguments, such as a sentinel.
func New(text string) error { return &Error{Text{Format: text, en: text}} }

func (e *Error) Error() string { return e.String() }

// Unwrap gives the arguments that are errors.
func (e *Error) Unwrap() []error {
	var out []error
	for _, a := range e.Args {
		if err, ok := a.(error); ok {
			out = append(out, err)
		}
	}
	return out
}

// Sayer is an error that puts its own words together (a file and a line
// before a message, say) and can say them in another language.
type Sayer interface {
	error
	Say(tr Translate) string
}

// Say says an error with tr: an Error or a Sayer in tr's language, and
// any other error (what the system or a library says) as it is.
func Say(err error, tr Translate) string {
	if err == nil {
		return ""
	}
	if tr == nil {
		return err.Error()
	}
	switch e := err.(type) {
	case *Error:
		return e.Text.Say(tr)
	case Sayer:
		return e.Say(tr)
	}
	return err.Error()
}
