package data

import (
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// peakRSS is the most memory the process has held since resetPeak, in
// bytes (Linux only).
func peakRSS(b *testing.B) int64 {
	b.Helper()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skipf("cannot read the process's memory: %v", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	b.Skip("no VmHWM in /proc/self/status")
	return 0
}

// resetPeak starts peakRSS again from what the process holds now.
func resetPeak(b *testing.B) {
	b.Helper()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak of memory: %v", err)
	}
}

// largeParagraphSources writes one session with a paragraph of n bytes in
// each format that kurultai imports.
func largeParagraphSources(b *testing.B, n int) map[string]string {
	b.Helper()
	dir := b.TempDir()
	const unit = "парламент word "
	text := strings.Repeat(unit, n/len(unit))
	files := map[string]string{
		"markdown/session.md": "---\nkind: session\nid: big\ndate: 2024-01-01\ntitle: Big\n---\nA summary.\n",
		"markdown/speech.md":  "---\nkind: speech\nid: big/s\ntitle: S\n---\n" + text + "\n",
		"big.json": `{"kurultai": 1, "sessions": [{"id": "big", "date": "2024-01-01", "title": "Big",
  "speeches": [{"id": "big/s", "title": "S", "paragraphs": [{"number": 1, "text": "` + text + `"}]}]}]}`,
		"ParlaMint-XX_2024-01-01.xml": `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="ParlaMint-XX_2024-01-01" xml:lang="en">
 <teiHeader><profileDesc><settingDesc><setting><date when="2024-01-01"/></setting></settingDesc></profileDesc></teiHeader>
 <text><body><u xml:id="u1" who="#SmithJohn"><seg>` + text + `</seg></u></body></text>
</TEI>`,
	}
	for name, body := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return map[string]string{
		"markdown": filepath.Join(dir, "markdown"),
		"json":     filepath.Join(dir, "big.json"),
		"tei":      filepath.Join(dir, "ParlaMint-XX_2024-01-01.xml"),
	}
}

// BenchmarkImportLargeParagraph imports one paragraph of 60 MB in each
// format, with the collector held back as `kurultai import` runs it, and
// reports the peak of the process's memory over what it held before, in
// MiB. `kurultai import` of such a paragraph is to stay under 200 MB in
// all, which leaves it about 170 over its own start.
func BenchmarkImportLargeParagraph(b *testing.B) {
	sources := largeParagraphSources(b, 60_000_000)
	ctx := context.Background()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(110 << 20))
	for _, format := range []string{"markdown", "json", "tei"} {
		b.Run(format, func(b *testing.B) {
			var peak int64
			for b.Loop() {
				b.StopTimer()
				d, err := Open(ctx, filepath.Join(b.TempDir(), "a.db"), ReadWrite)
				if err != nil {
					b.Fatal(err)
				}
				resetPeak(b)
				before := peakRSS(b)
				b.StartTimer()
				if _, err := d.ImportFiles(ctx, []string{sources[format]}, ImportOptions{}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				peak = max(peak, peakRSS(b)-before)
				d.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(peak)/(1<<20), "MiB-peak")
		})
	}
}
