package sessions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// parlamintDir is the shared ParlaMint sample data, when it is present.
func parlamintDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "testdata", "parlamint")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("ParlaMint samples not found at %s; skipping", dir)
	}
	return dir
}

// The expected counts of the samples' README: u, speakers, seg, words.
var parlamintCounts = []struct {
	file, date, lang        string
	u, speakers, seg, words int
}{
	{"ParlaMint-BG/2017/ParlaMint-BG_2017-05-11.xml", "2017-05-11", "bg", 4, 2, 46, 567},
	{"ParlaMint-BG/2019/ParlaMint-BG_2019-10-03.xml", "2019-10-03", "bg", 4, 3, 35, 611},
	{"ParlaMint-BG/2022/ParlaMint-BG_2022-07-29.xml", "2022-07-29", "bg", 4, 3, 47, 1965},
	{"ParlaMint-GB/2017/ParlaMint-GB_2017-09-07-commons.xml", "2017-09-07", "en", 4, 4, 6, 250},
	{"ParlaMint-GB/2020/ParlaMint-GB_2020-02-12-lords.xml", "2020-02-12", "en", 4, 4, 22, 2294},
	{"ParlaMint-GB/2022/ParlaMint-GB_2022-07-21-commons.xml", "2022-07-21", "en", 4, 4, 23, 2202},
	{"ParlaMint-TR/2014/ParlaMint-TR_2014-12-11-tbmm-T24.xml", "2014-12-11", "tr", 4, 3, 266, 3049},
	{"ParlaMint-TR/2018/ParlaMint-TR_2018-11-01-tbmm-T27.xml", "2018-11-01", "tr", 4, 3, 14, 666},
	{"ParlaMint-TR/2022/ParlaMint-TR_2022-11-17-tbmm-T27.xml", "2022-11-17", "tr", 1, 1, 3, 40},
}

func TestTEISamplesCounts(t *testing.T) {
	dir := parlamintDir(t)
	for _, c := range parlamintCounts {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			var got []*Session
			var warnings []string
			err := DecodeTEIFile(filepath.Join(dir, c.file), func(s *Session) error { got = append(got, s); return nil },
				func(w string) { warnings = append(warnings, w) })
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("%d sessions", len(got))
			}
			s := got[0]
			speakers := map[string]bool{}
			segs, words := 0, 0
			for _, sp := range s.Speeches {
				if sp.Speaker.ID != "" {
					speakers[sp.Speaker.ID] = true
				}
				for _, p := range sp.Paragraphs {
					segs++
					words += len(strings.Fields(p.Text))
				}
			}
			if s.Date != c.date || s.Language != c.lang || len(s.Speeches) != c.u || len(speakers) != c.speakers || segs != c.seg || words != c.words {
				t.Errorf("got date %s lang %s u %d speakers %d seg %d words %d; want %s %s %d %d %d %d",
					s.Date, s.Language, len(s.Speeches), len(speakers), segs, words, c.date, c.lang, c.u, c.speakers, c.seg, c.words)
			}
			t.Logf("%s | %s | %s | body %s no. %d | %s", s.ID, s.Title, s.Place, s.Body, s.Number, s.Speeches[0].Speaker.Name)
		})
	}
}
