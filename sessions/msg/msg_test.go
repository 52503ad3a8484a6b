package msg

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

// upper is a translation that can be seen: it puts what it says in
// brackets.
func upper(format string, args ...any) string {
	return "[" + fmt.Sprintf(format, args...) + "]"
}

func TestTextIsEnglishAndSaid(t *testing.T) {
	inner := T("%v results", Count(12408))
	outer := T("note: %v (in %s)", inner, "nk-5")
	if got, want := outer.String(), "note: 12,408 results (in nk-5)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	// The argument that is a Text is said in the same language; a Count
	// reaches the translation as a number, for it to group and to choose
	// the plural by.
	var seen []any
	say := func(format string, args ...any) string {
		seen = append(seen, args...)
		return upper(format, args...)
	}
	if got, want := outer.Say(say), "[note: [12408 results] (in nk-5)]"; got != want {
		t.Errorf("Say() = %q, want %q", got, want)
	}
	if _, ok := seen[0].(int64); !ok {
		t.Errorf("a Count reached the translation as %T, want int64", seen[0])
	}
	if got := outer.Say(nil); got != outer.String() {
		t.Errorf("Say(nil) = %q, want the English %q", got, outer.String())
	}
}

func TestCountGroupsInThrees(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 12408: "12,408",
		1234567: "1,234,567", -1234: "-1,234"} {
		if got := Count(n).String(); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPickIsEnglishsTwoForms(t *testing.T) {
	for n, want := range map[int64]string{0: "0 files", 1: "1 file", 2: "2 files", 21: "21 files"} {
		got := Pick(n, T("%d file", n), T("%d files", n)).String()
		if got != want {
			t.Errorf("Pick(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestErrorWrapsItsErrors(t *testing.T) {
	sentinel := New("not found")
	err := Errorf("session %s: %v", "nk-9", Errorf("%v: %v", sentinel, fs.ErrNotExist))
	if !errors.Is(err, sentinel) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%v does not wrap the errors it says", err)
	}
	if got, want := err.Error(), "session nk-9: not found: file does not exist"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	// What kurultai words is translated; what the system says is not.
	if got, want := Say(err, upper), "[session nk-9: [[not found]: file does not exist]]"; got != want {
		t.Errorf("Say() = %q, want %q", got, want)
	}
	if got := Say(fs.ErrNotExist, upper); got != "file does not exist" {
		t.Errorf("Say of a system error = %q, want it as it is", got)
	}
	if Say(nil, upper) != "" {
		t.Error("Say(nil) says something")
	}
}

// sayer puts its own words around a message, as sessions.Error does.
type sayer struct{ m Text }

func (s sayer) Error() string           { return s.Say(nil) }
func (s sayer) Say(tr Translate) string { return "file.md:3: " + s.m.Say(tr) }
func (s sayer) Unwrap() []error         { return (&Error{s.m}).Unwrap() }
func TestASayerIsSaidInItsOwnWords(t *testing.T) {
	err := Errorf("cannot import: %v", sayer{T("no title")})
	if got, want := Say(err, upper), "[cannot import: file.md:3: [no title]]"; got != want {
		t.Errorf("Say() = %q, want %q", got, want)
	}
}

func TestJSONIsEnglish(t *testing.T) {
	b, err := json.Marshal(struct {
		Notes []Text `json:"notes"`
		Note  Text   `json:"note,omitzero"`
	}{Notes: []Text{T("%v results", Count(1500))}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"notes":["1,500 results"]}`; got != want {
		t.Errorf("JSON = %s, want %s", got, want)
	}
}
