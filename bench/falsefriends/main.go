// Command falsefriends measures how often an English query also finds
// Kazakh text through the cross-script key: "bar" finding бар ("there
// is"), "men" finding мен. It builds a throwaway archive holding a
// ParlaMint TEI corpus and one Kazakh session, searches the English
// corpus's own frequent words, and counts the hits that matched Cyrillic
// words through the key.
//
//	go run -tags fts5 ./bench/falsefriends -kk KAZAKH.txt -tei PARLAMINT_DIR [-top 500]
//
// KAZAKH.txt holds Kazakh Cyrillic sentences, one a line.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"kurultai/data"
	"kurultai/sessions"
)

func main() {
	kk := flag.String("kk", "", "Kazakh text, one sentence a line")
	tei := flag.String("tei", "", "ParlaMint TEI folder (or corpus root file)")
	top := flag.Int("top", 500, "how many of the English corpus's most frequent words to query")
	flag.Parse()
	if *kk == "" || *tei == "" || *top < 1 {
		fmt.Fprintln(os.Stderr, "usage: falsefriends -kk KAZAKH.txt -tei PARLAMINT_DIR [-top 500]")
		os.Exit(2)
	}
	if err := run(context.Background(), *kk, *tei, *top); err != nil {
		fmt.Fprintln(os.Stderr, "falsefriends:", err)
		os.Exit(1)
	}
}

// sentencesPerParagraph is about what a speech paragraph holds, so that a
// hit's snippet has neighbours around the matched word as in real rows.
const sentencesPerParagraph = 5

func run(ctx context.Context, kkPath, teiPath string, top int) error {
	dir, err := os.MkdirTemp("", "falsefriends-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	d, err := data.Open(ctx, filepath.Join(dir, "archive.db"), data.ReadWrite)
	if err != nil {
		return err
	}
	defer d.Close()

	rep, err := d.ImportFiles(ctx, []string{teiPath}, data.ImportOptions{Origin: "import"})
	if err != nil {
		return fmt.Errorf("importing %s: %w", teiPath, err)
	}
	// The English words are counted before the Kazakh session goes in,
	// from the stored paragraphs rather than the search index, so that
	// the query list does not depend on what is being measured.
	freq, tokens, err := englishWords(ctx, d)
	if err != nil {
		return err
	}
	kkSession, sentences, err := kazakhSession(kkPath)
	if err != nil {
		return err
	}
	if err := d.Replace(ctx, "", []sessions.Session{kkSession}); err != nil {
		return fmt.Errorf("adding the Kazakh session: %w", err)
	}
	fmt.Printf("archive: %d ParlaMint files, %d sessions added; English text: %d tokens, %d word types\n",
		rep.Files, rep.Added, tokens, len(freq))
	fmt.Printf("Kazakh session: %d sentences in %d paragraphs\n\n",
		sentences, len(kkSession.Speeches[0].Paragraphs))

	words := queryWords(freq, top)
	plain, err := measure(ctx, d, words, "")
	if err != nil {
		return err
	}
	exact, err := measure(ctx, d, words, "=")
	if err != nil {
		return err
	}
	report("queries as typed (bar)", plain, freq)
	report("exact queries (=bar)", exact, freq)
	table(plain, 30)
	total := 0
	for _, r := range exact {
		total += r.script
	}
	if total != 0 {
		fmt.Printf("\ncheck FAILED: exact queries gave %d cross-script hits, want 0\n", total)
		return errors.New("exact queries matched through the Kazakh key")
	}
	fmt.Println("\ncheck ok: exact queries gave 0 cross-script hits")
	return nil
}

// englishWords counts the words of every paragraph in the archive: runs
// of letters, lower-cased.
func englishWords(ctx context.Context, d *data.DB) (map[string]int, int, error) {
	freq := map[string]int{}
	tokens := 0
	err := d.EachSession(ctx, func(s *sessions.Session) error {
		for _, sp := range s.Speeches {
			for _, p := range sp.Paragraphs {
				for _, w := range strings.FieldsFunc(p.Text, func(r rune) bool { return !unicode.IsLetter(r) }) {
					freq[strings.ToLower(w)]++
					tokens++
				}
			}
		}
		return nil
	})
	return freq, tokens, err
}

// kazakhSession makes one Kazakh session whose single speech holds the
// file's lines, a few sentences to a paragraph.
func kazakhSession(path string) (sessions.Session, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return sessions.Session{}, 0, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	if err := sc.Err(); err != nil {
		return sessions.Session{}, 0, err
	}
	if len(lines) == 0 {
		return sessions.Session{}, 0, fmt.Errorf("%s has no sentences", path)
	}
	var paras []sessions.Paragraph
	for i := 0; i < len(lines); i += sentencesPerParagraph {
		j := min(i+sentencesPerParagraph, len(lines))
		paras = append(paras, sessions.Paragraph{Number: len(paras) + 1, Text: strings.Join(lines[i:j], " ")})
	}
	s := sessions.Session{ID: "kk-text-1", Body: "Kazakh text", Number: 1, Date: "2020-01-01",
		Title: "Kazakh text", Language: "kk",
		Speeches: []sessions.Speech{{ID: "kk-text-1/a", SessionID: "kk-text-1", Order: 1, Language: "kk",
			Speaker: sessions.Speaker{ID: "kk-speaker", Name: "Kazakh speaker"}, Paragraphs: paras}}}
	return s, len(lines), nil
}

// queryWords is the top most frequent words, and every word of one to
// three letters among the 2000 most frequent: short words are the likely
// false friends (bar, men, on), so they are all tried even past top.
func queryWords(freq map[string]int, top int) []string {
	all := make([]string, 0, len(freq))
	for w := range freq {
		all = append(all, w)
	}
	sort.Slice(all, func(i, j int) bool {
		if freq[all[i]] != freq[all[j]] {
			return freq[all[i]] > freq[all[j]]
		}
		return all[i] < all[j]
	})
	var out []string
	for i, w := range all {
		if i < top || (i < 2000 && len([]rune(w)) <= 3) {
			out = append(out, w)
		}
	}
	return out
}

// result is what one query word found.
type result struct {
	word   string
	hits   int
	script int            // hits matched through the key in another script
	kazakh map[string]int // Cyrillic words marked in those hits, and how often
}

func measure(ctx context.Context, d *data.DB, words []string, prefix string) ([]result, error) {
	out := make([]result, 0, len(words))
	for _, w := range words {
		r := result{word: w, kazakh: map[string]int{}}
		_, err := d.Each(ctx, data.ParseQuery(prefix+w), false, func(h data.Hit) error {
			r.hits++
			if h.Through == "script" {
				r.script++
				for _, m := range marked(h.Snippet) {
					if hasCyrillic(m) {
						r.kazakh[strings.ToLower(m)]++
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("searching %q: %w", prefix+w, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// marked gives the words between the snippet's marks.
func marked(snippet string) []string {
	var out []string
	for {
		i := strings.Index(snippet, data.MarkStart)
		if i < 0 {
			return out
		}
		snippet = snippet[i+len(data.MarkStart):]
		j := strings.Index(snippet, data.MarkEnd)
		if j < 0 {
			return out
		}
		out = append(out, snippet[:j])
		snippet = snippet[j+len(data.MarkEnd):]
	}
}

func hasCyrillic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}

// report prints the totals. The weighted share counts each word's hits
// as many times as the word occurs in the English text: it is the share
// a user would see if they searched words as often as Parliament says them.
func report(title string, rs []result, freq map[string]int) {
	var any, hits, script int
	var wHits, wScript float64
	for _, r := range rs {
		if r.script > 0 {
			any++
		}
		hits += r.hits
		script += r.script
		f := float64(freq[r.word])
		wHits += f * float64(r.hits)
		wScript += f * float64(r.script)
	}
	fmt.Printf("%s\n", title)
	fmt.Printf("  query words:                      %d\n", len(rs))
	fmt.Printf("  words with a cross-script hit:    %d (%s)\n", any, pct(float64(any), float64(len(rs))))
	fmt.Printf("  hits:                             %d\n", hits)
	fmt.Printf("  cross-script hits:                %d (%s of hits)\n", script, pct(float64(script), float64(hits)))
	fmt.Printf("  share weighted by word frequency: %s\n\n", pct(wScript, wHits))
}

func pct(a, b float64) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f%%", 100*a/b)
}

// table lists the n words with the most cross-script hits and the Kazakh
// words they found, most frequent first.
func table(rs []result, n int) {
	rs = append([]result(nil), rs...)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].script > rs[j].script })
	fmt.Printf("%-12s %6s %8s  %s\n", "query", "hits", "script", "Kazakh words matched (times)")
	for i, r := range rs {
		if i == n || r.script == 0 {
			break
		}
		kz := make([]string, 0, len(r.kazakh))
		for w := range r.kazakh {
			kz = append(kz, w)
		}
		sort.Slice(kz, func(a, b int) bool {
			if r.kazakh[kz[a]] != r.kazakh[kz[b]] {
				return r.kazakh[kz[a]] > r.kazakh[kz[b]]
			}
			return kz[a] < kz[b]
		})
		parts := make([]string, len(kz))
		for k, w := range kz {
			parts[k] = fmt.Sprintf("%s (%d)", w, r.kazakh[w])
		}
		fmt.Printf("%-12s %6d %8d  %s\n", r.word, r.hits, r.script, strings.Join(parts, ", "))
	}
}
