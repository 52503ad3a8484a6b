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

// benchQueries is the query set for search speed: rare terms, terms in
// more than half the paragraphs, phrases, prefixes, Cyrillic, field
// filters and combinations.
func benchQueries() []string {
	w := sessions.GenWord
	return []string{
		// common terms
		"the", "parliament", "референдум", "және", "закон",
		// rare terms
		w(20000), w(24000), w(27000), w(29500),
		// phrases
		`"reform law"`, `"халық мемлекет"`, `"национальный совет"`, `"the people"`,
		// prefixes
		"parl*", "рефер*", "қаз*", string([]rune(w(12000))[:3]) + "*",
		// Cyrillic, mixed
		"ҚАЗАҚСТАН", "Парламент реформа",
		// filters
		"parliament lang:kk", "reform from:2020 to:2021", "law speaker:Смирнов", "закон session:gen-05000",
		"kind:proposal referendum", "constitution kind:session",
		// combinations
		"parliament -reform", "law OR закон", "constitution referendum deputies", `"the people" -state`, "education science " + w(15000),
	}
}

// BenchmarkSearchQueries runs the query set on the archive named by
// KURULTAI_BENCH_ARCHIVE (bench/search.sh builds a 1,000,000-paragraph one)
// and reports the first page's p50 and p95 over the queries, each query's
// time being its best of three. Facet counts are measured the same way.
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
	queries := benchQueries()
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
	for b.Loop() {
		var page, facets []time.Duration
		for _, text := range queries {
			q := ParseQuery(text)
			var res *SearchResult
			page = append(page, best(func() error {
				var err error
				res, err = d.Search(ctx, q, SearchOptions{})
				return err
			}))
			facets = append(facets, best(func() error { _, err := d.Facets(ctx, q); return err }))
			if os.Getenv("KURULTAI_BENCH_VERBOSE") != "" {
				fmt.Printf("%-40q %8.1f ms %8.1f ms  %7d matches%s\n", text, ms(page[len(page)-1]), ms(facets[len(facets)-1]), res.Total, capped(res))
			}
		}
		b.ReportMetric(ms(percentile(page, 50)), "page-p50-ms")
		b.ReportMetric(ms(percentile(page, 95)), "page-p95-ms")
		b.ReportMetric(ms(percentile(facets, 50)), "facets-p50-ms")
		b.ReportMetric(ms(percentile(facets, 95)), "facets-p95-ms")
	}
}

func capped(r *SearchResult) string {
	if r.Capped {
		return "+"
	}
	return ""
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func percentile(ds []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	return s[max(0, min(i, len(s))-1)]
}
