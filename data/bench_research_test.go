package data

import (
	"context"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"kurultai/sessions"
)

// BenchmarkResearch times the research views on the archive named by
// KURULTAI_BENCH_ARCHIVE (bench/research.sh uses the 1,000,000-paragraph
// reference archive), each query's best of three:
//   - trend by year of a word in about half the paragraphs, and of a
//     rare one;
//   - who says it most, for every query of the search set;
//   - the first screen of a concordance (200 lines) of the commonest
//     word, and sorting 100,000 of its lines by their right context;
//   - the keywords of the speaker who said most against everyone else;
//   - the collocates (±5 words) of the word whose matches are nearest
//     to a tenth of the speech paragraphs.
func BenchmarkResearch(b *testing.B) {
	path := os.Getenv("KURULTAI_BENCH_ARCHIVE")
	if path == "" {
		b.Skip("set KURULTAI_BENCH_ARCHIVE to an archive, or run bench/research.sh")
	}
	ctx := context.Background()
	d, err := Open(ctx, path, ReadOnly)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Facets(ctx, ParseQuery("kind:session")); err != nil { // the runs, read once
		b.Fatal(err)
	}
	verbose := os.Getenv("KURULTAI_BENCH_VERBOSE") != ""
	best := func(fn func() error) time.Duration {
		var min time.Duration
		for i := 0; i < 3; i++ {
			t := time.Now()
			if err := fn(); err != nil {
				b.Fatal(err)
			}
			if el := time.Since(t); i == 0 || el < min {
				min = el
			}
		}
		return min
	}
	ms := func(t time.Duration) float64 { return float64(t.Microseconds()) / 1000 }
	for b.Loop() {
		rare := sessions.GenWord(27000)
		for _, c := range []struct{ name, query string }{{"trend-common-ms", "parliament"}, {"trend-rare-ms", rare}} {
			var n int
			t := best(func() error {
				tr, err := d.Trend(ctx, ParseQuery(c.query), "year")
				if err == nil {
					n = tr.Total
				}
				return err
			})
			b.ReportMetric(ms(t), c.name)
			if verbose {
				fmt.Printf("trend %-12s %8d results %8.1f ms\n", c.query, n, ms(t))
			}
		}
		var whos []float64
		for _, q := range benchQueries() {
			t := best(func() error {
				_, err := d.Who(ctx, ParseQuery(q), "speaker", "matches", 1000)
				return err
			})
			whos = append(whos, ms(t))
			if verbose {
				fmt.Printf("who %-40q %8.1f ms\n", q, ms(t))
			}
		}
		sort.Float64s(whos)
		b.ReportMetric(whos[len(whos)/2], "who-p50-ms")
		b.ReportMetric(whos[len(whos)*95/100], "who-p95-ms")
		b.ReportMetric(whos[len(whos)-1], "who-max-ms")
		t := best(func() error {
			_, err := d.Concordance(ctx, ParseQuery("parliament"), 8, 200)
			return err
		})
		b.ReportMetric(ms(t), "kwic-first-ms")
		k, err := d.Concordance(ctx, ParseQuery("parliament"), 8, 100000)
		if err != nil || len(k.Lines) < 100000 {
			b.Fatalf("%d lines, %v", len(k.Lines), err)
		}
		t = best(func() error {
			lines := append([]KwicLine(nil), k.Lines...)
			return SortKwic(lines, "right1")
		})
		b.ReportMetric(ms(t), "kwic-sort-100k-ms")

		var speaker string
		var words int64
		err = d.eachRow(ctx, "SELECT speaker_id, words FROM speaker_stats ORDER BY words DESC LIMIT 1", func(scan func(...any) error) error {
			return scan(&speaker, &words)
		})
		if err != nil {
			b.Fatal(err)
		}
		var kw *Keywords
		t = best(func() error {
			kw, err = d.Keywords(ctx, ParseQuery("speaker:"+speaker), nil, 3, "ll")
			return err
		})
		b.ReportMetric(ms(t), "keywords-speaker-ms")
		if verbose {
			fmt.Printf("keywords of speaker:%s (%d words, %d results) %d rows %8.1f ms\n", speaker, kw.FocusWords, kw.FocusResults, len(kw.Rows), ms(t))
		}
		node, paras := tenthWord(b, d)
		var co *Collocates
		t = best(func() error {
			co, err = d.Collocates(ctx, ParseQuery(node), 5, "logdice", 3)
			return err
		})
		b.ReportMetric(ms(t), "collocates-10pc-ms")
		if verbose {
			fmt.Printf("collocates of %s (%d paragraphs, %d matches) %d rows %8.1f ms\n", node, paras, co.Node, len(co.Rows), ms(t))
		}
	}
}

// tenthWord is the generated word whose search finds the number of
// paragraphs nearest a tenth of the speech paragraphs, and that number.
func tenthWord(b *testing.B, d *DB) (string, int) {
	ctx := context.Background()
	all, err := d.Count(ctx, ParseQuery("kind:speech"))
	if err != nil {
		b.Fatal(err)
	}
	best, bestN := "", 0
	for i := 0; i < 300; i++ {
		w := sessions.GenWord(i)
		n, err := d.Count(ctx, ParseQuery(w+" kind:speech"))
		if err != nil {
			b.Fatal(err)
		}
		if best == "" || abs(n-all/10) < abs(bestN-all/10) {
			best, bestN = w, n
		}
	}
	return best, bestN
}

func abs(n int) int { return max(n, -n) }
