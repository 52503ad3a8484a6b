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
		{"trend"}, {"who"}, {"kwic"},
	} {
		code, _, stderr := run(args...)
		if code != 2 || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
}
