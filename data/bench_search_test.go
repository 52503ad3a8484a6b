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

// benchQueries is the query set for search speed, 53 queries: common,
// mid-frequency and rare words, phrases, prefixes, scripts, combinations;
// each filter with a rare word, a word of middling frequency and a word
// in more than half the paragraphs; filters alone; and names, places,
// titles and timelines.
func benchQueries() []string {
	w := sessions.GenWord
	rare, mid, common := w(27000), w(400), "parliament"
	q := []string{
		// words: common, mid-frequency, rare
		"the", "parliament", "және", w(400), w(2000), w(20000), w(29500),
		// phrases
		`"reform law"`, `"халық мемлекет"`, `"the people"`,
		// prefixes
		"parl*", "рефер*", "қаз*", string([]rune(w(12000))[:3]) + "*",
		// scripts and case; Kazakh typed in Latin
		"ҚАЗАҚСТАН", "Парламент реформа", "qurultai", "parlament", "qazaq*",
		// combinations
		"parliament -reform", "law OR закон", "constitution referendum deputies", `"the people" -state`,
	}
	for _, f := range []string{"speaker:gen-speaker-096", "session:gen-05000", "from:2020 to:2020", "lang:kk", "kind:proposal", "party:AMN"} {
		for _, word := range []string{rare, mid, common} {
			q = append(q, word+" "+f)
		}
	}
	return append(q,
		// filters alone
		"speaker:gen-speaker-096", "session:gen-05000", "from:2024 to:2024", "from:2024-01-01 to:2025-12", "kind:timeline lang:ru",
		"party:amanat", "side:opposition gender:f",
		// names, places, titles, timelines
		"name:Петрова", "place:Almaty", "title:reform", "adopted kind:timeline", "Смирнов kind:speaker")
}

// BenchmarkSearchQueries runs the query set on the archive named by
// KURULTAI_BENCH_ARCHIVE (bench/search.sh builds a 1,000,000-paragraph
// one) and reports, over the queries, the p50 and p95 of the first page
// of 50 with snippets, of the exact count and of the exact facets, each
// query's time being its best of three.
func BenchmarkSearchQueries(b *testing.B) {
	path := os.Getenv("KURULTAI_BENCH_ARCHIVE")
	if path == "" {
		b.Skip("set KURULTAI_BENCH_ARCHIVE to an archive, or run bench/search.sh")
	}
	ctx := context.Background()
	d, err := Open(ctx, path, ReadOnly)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	// The runs that facets count by are read once per process.
	if _, err := d.Facets(ctx, ParseQuery("kind:session")); err != nil {
		b.Fatal(err)
	}
	queries := benchQueries()
	best := func(fn func() error) time.Duration {
		var min time.Duration
		for i := 0; i < 3; i++ {
			// Counts and facets kept from the last call would be timed,
			// not worked out.
			d.answers = answerCache{}
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
	verbose := os.Getenv("KURULTAI_BENCH_VERBOSE") != ""
	for b.Loop() {
		var page, count, facets []time.Duration
		if verbose {
			fmt.Printf("%-44s %9s %9s %9s %10s  %s\n", "query", "page ms", "count ms", "facets ms", "results", "order")
		}
		for _, text := range queries {
			q := ParseQuery(text)
			var res *SearchResult
			var n int
			page = append(page, best(func() error {
				var err error
				res, err = d.Search(ctx, q, SearchOptions{Limit: 50})
				return err
			}))
			count = append(count, best(func() error { var err error; n, err = d.Count(ctx, q); return err }))
			facets = append(facets, best(func() error { _, err := d.Facets(ctx, q); return err }))
			if verbose {
				order := "relevance"
				if !res.Ranked {
					order = "date"
				}
				fmt.Printf("%-44q %9.1f %9.1f %9.1f %10d  %s\n", text, ms(page[len(page)-1]), ms(count[len(count)-1]), ms(facets[len(facets)-1]), n, order)
			}
		}
		b.ReportMetric(float64(len(queries)), "queries")
		b.ReportMetric(ms(percentile(page, 50)), "page-p50-ms")
		b.ReportMetric(ms(percentile(page, 95)), "page-p95-ms")
		b.ReportMetric(ms(percentile(count, 95)), "count-p95-ms")
		b.ReportMetric(ms(percentile(facets, 50)), "facets-p50-ms")
		b.ReportMetric(ms(percentile(facets, 95)), "facets-p95-ms")
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func percentile(ds []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	return s[max(0, min(i, len(s))-1)]
}
