package sessions

import "testing"

func TestGenerate(t *testing.T) {
	run := func() (sessions, speeches, paragraphs, proposals int, first string) {
		err := Generate(GenOptions{Paragraphs: 20000, Sessions: 50, Seed: 3}, func(s *Session) error {
			if err := s.Validate(); err != nil {
				t.Fatal(err)
			}
			sessions++
			speeches += len(s.Speeches)
			proposals += len(s.Proposals)
			for _, sp := range s.Speeches {
				paragraphs += len(sp.Paragraphs)
			}
			if first == "" {
				first = s.Speeches[0].Paragraphs[0].Text
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	s1, sp1, p1, pr1, f1 := run()
	if s1 != 50 || p1 != 20000 || sp1 < 200 || pr1 == 0 {
		t.Fatalf("generated %d sessions, %d speeches, %d paragraphs, %d proposals", s1, sp1, p1, pr1)
	}
	s2, sp2, p2, pr2, f2 := run()
	if s1 != s2 || sp1 != sp2 || p1 != p2 || pr1 != pr2 || f1 != f2 {
		t.Fatal("the same seed gave a different archive")
	}
	if err := Generate(GenOptions{Paragraphs: 3, Sessions: 5}, func(*Session) error { return nil }); err == nil {
		t.Fatal("more sessions than paragraphs should be refused")
	}
}
