package data

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"kurultai/sessions"
)

var (
	teiOnce   sync.Once
	teiDir    string
	teiUtters int
)

// benchCorpus writes a synthetic ParlaMint-style TEI corpus once per test
// run: 200,000 paragraphs in 500 sittings, in the shape of a ParlaMint
// transcript (about 80,000 utterances of 130 words).
func benchCorpus(b *testing.B) (string, int) {
	teiOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kurultai-tei-bench-")
		if err != nil {
			b.Fatal(err)
		}
		w := sessions.NewTEIWriter(dir, "ParlaMint-XX")
		err = sessions.Generate(sessions.GenOptions{Paragraphs: 200_000, Sessions: 500, Seed: 1, Transcript: true}, func(s *sessions.Session) error {
			teiUtters += len(s.Speeches)
			return w.Write(s)
		})
		if err == nil {
			err = w.Close()
		}
		if err != nil {
			b.Fatal(err)
		}
		teiDir = dir
	})
	return teiDir, teiUtters
}

// BenchmarkImportTEI imports the synthetic corpus into a new archive and
// reports utterances a second.
func BenchmarkImportTEI(b *testing.B) {
	dir, utters := benchCorpus(b)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		d, err := Open(ctx, filepath.Join(b.TempDir(), "a.db"), ReadWrite)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := d.ImportFiles(ctx, []string{filepath.Join(dir, "ParlaMint-XX.xml")}, ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		d.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(utters)*float64(b.N)/b.Elapsed().Seconds(), "utterances/s")
}
