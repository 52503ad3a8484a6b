package command

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The research commands on the sample: their JSON, CSV and text, and the
// mistakes they refuse.
func TestResearchCommands(t *testing.T) {
	home := t.TempDir()
	run := func(args ...string) (int, string, string) {
		t.Helper()
		return runCommand(t, home, args...)
	}
	// trend: every session, the matches of running text in each.
	code, out, stderr := run("trend", "--json", "--by", "session", "referendum")
	if code != 0 {
		t.Fatalf("trend: %d %s", code, stderr)
	}
	var points []struct {
		Query, Period string
		Matches       int
		Words         int64
		PerMillion    float64 `json:"per_million"`
	}
	if err := json.Unmarshal([]byte(out), &points); err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, p := range points {
		sum += p.Matches
		if p.Query != "referendum" || p.Words <= 0 {
			t.Errorf("point %+v", p)
		}
	}
	if len(points) != 5 || sum != 33 || !strings.Contains(stderr, "1 result in titles or speakers' names is not counted") {
		t.Errorf("%d sessions, %d matches; %q", len(points), sum, stderr)
	}
	// Counted again by search: every result but the one in a title.
	if _, n, _ := run("search", "--count", "referendum"); strings.TrimSpace(n) != "34" {
		t.Errorf("search counts %s", n)
	}
	// who: JSON fields; CSV header.
	code, out, _ = run("who", "--json", "--min-words", "0", "kurultai")
	var who []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &who) != nil || len(who) != 1 || who[0]["speaker"] != "tokayev" {
		t.Errorf("who: %d %s", code, out)
	}
	for _, f := range []string{"speaker", "name", "matches", "words", "per_10k"} {
		if len(who) > 0 {
			if _, ok := who[0][f]; !ok {
				t.Errorf("who JSON lacks %s", f)
			}
		}
	}
	// kwic: a line an occurrence, JSON and CSV the same lines; text stops
	// at --limit and says so.
	_, out, _ = run("kwic", "--json", "referendum")
	var lines []map[string]any
	if err := json.Unmarshal([]byte(out), &lines); err != nil || len(lines) != 34 {
		t.Fatalf("kwic --json: %d lines, %v", len(lines), err)
	}
	_, out, _ = run("kwic", "--csv", "referendum")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 35 || strings.Join(rows[0], ",") != "session,speech,paragraph,left,match,right,date,speaker" {
		t.Errorf("kwic --csv: %d rows, %v", len(rows), err)
	}
	_, out, _ = run("kwic", "--limit", "2", "referendum")
	if !strings.HasSuffix(out, "the first 2 lines; --limit N for more, --json or --csv for every one\n") || strings.Count(out, "\n") != 3 {
		t.Errorf("kwic --limit 2:\n%s", out)
	}
	_, a, _ := run("kwic", "--json", "--sample", "5", "--seed", "9", "referendum")
	_, b, _ := run("kwic", "--json", "--sample", "5", "--seed", "9", "referendum")
	if a != b || strings.Count(a, `"match"`) != 5 {
		t.Errorf("the same seed drew other lines")
	}
	// keywords: the fifth meeting against the rest, as JSON and CSV; the
	// focus as a flag or the argument.
	code, out, stderr = run("keywords", "--json", "--focus", "session:nk-5")
	var kws []map[string]any
	if err := json.Unmarshal([]byte(out), &kws); code != 0 || err != nil || len(kws) < 30 || kws[0]["word"] != "constitution" {
		t.Fatalf("keywords: %d %v %s", code, err, stderr)
	}
	for _, f := range []string{"word", "focus", "reference", "ll", "ratio"} {
		if _, ok := kws[0][f]; !ok {
			t.Errorf("keywords JSON lacks %s", f)
		}
	}
	_, out, _ = run("keywords", "--csv", "--limit", "3", "session:nk-5")
	if rows, err := csv.NewReader(strings.NewReader(out)).ReadAll(); err != nil || len(rows) != 4 || strings.Join(rows[0], ",") != "word,focus,reference,ll,ratio" {
		t.Errorf("keywords --csv: %q, %v", out, err)
	}
	_, out, _ = run("keywords", "--focus", "session:nk-5", "--reference", "session:nk-1")
	if !strings.Contains(out, "against «session:nk-1»") || !strings.Contains(out, "1. constitution") {
		t.Errorf("keywords against a part:\n%s", out)
	}
	// collocates: JSON fields; the text names the window.
	code, out, stderr = run("collocates", "--json", "referendum")
	var cols []map[string]any
	if err := json.Unmarshal([]byte(out), &cols); code != 0 || err != nil || len(cols) == 0 || cols[0]["word"] != "decree" {
		t.Fatalf("collocates: %d %v %s %s", code, err, out, stderr)
	}
	for _, f := range []string{"word", "freq", "logdice", "mi"} {
		if _, ok := cols[0][f]; !ok {
			t.Errorf("collocates JSON lacks %s", f)
		}
	}
	_, out, _ = run("collocates", "--window", "2", "--measure", "freq", "referendum")
	if !strings.Contains(out, "2 words either side") || !strings.Contains(out, "1. the") {
		t.Errorf("collocates by frequency:\n%s", out)
	}
	// --svg writes a file, and never over one without --force.
	svg := filepath.Join(home, "chart.svg")
	if code, _, stderr := run("trend", "--svg", svg, "referendum", "constitution"); code != 0 {
		t.Fatalf("--svg: %s", stderr)
	}
	b1, _ := os.ReadFile(svg)
	if !strings.HasPrefix(string(b1), "<svg") || !strings.Contains(string(b1), "constitution") {
		t.Errorf("svg: %.200s", b1)
	}
	if code, _, _ := run("trend", "--svg", svg, "reform"); code != 2 {
		t.Errorf("--svg over a file: exit %d", code)
	}
	if b2, _ := os.ReadFile(svg); string(b2) != string(b1) {
		t.Error("the chart was overwritten without --force")
	}
	// Mistakes exit 2 with one line.
	for _, args := range [][]string{
		{"trend", "a", "b", "c", "d", "e", "f"}, {"trend", "--by", "week", "a"}, {"trend", "--svg", svg, "--json", "a"},
		{"who", "--by", "gender", "a"}, {"who", "--sort", "name", "a"}, {"kwic", "--sort", "left4", "a"}, {"kwic", "--context", "99", "a"},
		{"trend"}, {"who"}, {"kwic"}, {"keywords"}, {"keywords", "--focus", "a", "b"}, {"keywords", "--sort", "x", "a"},
		{"keywords", "--min-freq", "0", "a"}, {"collocates"}, {"collocates", "--window", "0", "a"}, {"collocates", "--window", "51", "a"},
		{"collocates", "--measure", "t", "a"}, {"collocates", "--json", "--csv", "a"},
	} {
		code, _, stderr := run(args...)
		if code != 2 || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
}
