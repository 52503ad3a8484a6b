package cli

import "testing"

func TestParseLink(t *testing.T) {
	for s, want := range map[string]struct {
		doc  string
		para int
		ok   bool
	}{
		"kurultai:nk-5/address?para=3": {"nk-5/address", 3, true},
		"kurultai:nk-6":                {"nk-6", 0, true},
		Link("nk-1/address", 12):       {"nk-1/address", 12, true},
		"kurultai:nk-5/address?para=0": {"", 0, false},
		"kurultai:nk-5/address?p=3":    {"", 0, false},
		"kurultai:":                    {"", 0, false},
		"nk-5/address":                 {"", 0, false},
	} {
		doc, para, ok := ParseLink(s)
		if doc != want.doc || para != want.para || ok != want.ok {
			t.Errorf("%q: %q %d %v, want %+v", s, doc, para, ok, want)
		}
	}
}
