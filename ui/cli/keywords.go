package cli

import (
	"bufio"
	"context"
	"fmt"
	"strconv"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/ui"
)

// Keywords prints the words most characteristic of a part of the
// archive, against the rest of it or another part: their occurrences in
// each, log-likelihood and the simple-maths ratio.
func Keywords(ctx context.Context, o Options, e Env) error {
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	var ref *data.Query
	if o.Research.Reference != "" {
		q := data.ParseQuery(o.Research.Reference)
		ref = &q
	}
	k, err := db.Keywords(ctx, data.ParseQuery(o.Research.Focus), ref, int64(o.Research.MinFreq), o.Research.Sort)
	if err != nil {
		return err
	}
	for _, n := range k.Notes {
		fmt.Fprintln(e.Stderr, "kurultai: note: "+OneLine(n))
	}
	rows := k.Rows
	out := bufio.NewWriter(e.Stdout)
	switch {
	case o.JSON:
		if err := sessions.WriteJSON(out, limited(rows, o)); err != nil {
			return err
		}
	case o.CSV:
		table := [][]string{{"word", "focus", "reference", "ll", "ratio"}}
		for _, r := range limited(rows, o) {
			table = append(table, []string{r.Word, strconv.FormatInt(r.Focus, 10), strconv.FormatInt(r.Reference, 10),
				decimal(r.LL), decimal(r.Ratio)})
		}
		if err := writeCSV(out, table); err != nil {
			return err
		}
	default:
		text := asciiIf(out, o)
		fmt.Fprintln(text, ui.SanitizeLine(ui.KeywordsHeading(k, o.Research.Focus, o.Research.Reference)))
		shown := textRows(rows, o)
		if len(shown) > 0 {
			fmt.Fprintln(text, "      "+ui.KeywordHeader())
		}
		for i, r := range shown {
			fmt.Fprintf(text, "%4d. %s\n", i+1, ui.KeywordRow(r))
		}
		more(out, len(rows), len(shown))
	}
	return out.Flush()
}

// Collocates prints the words found near a query's words, ranked.
func Collocates(ctx context.Context, query string, o Options, e Env) error {
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	co, err := db.Collocates(ctx, data.ParseQuery(query), o.Research.Window, o.Research.Measure, int64(o.Research.MinFreq))
	if err != nil {
		return err
	}
	for _, n := range co.Notes {
		fmt.Fprintln(e.Stderr, "kurultai: note: "+OneLine(n))
	}
	rows := co.Rows
	out := bufio.NewWriter(e.Stdout)
	switch {
	case o.JSON:
		if err := sessions.WriteJSON(out, limited(rows, o)); err != nil {
			return err
		}
	case o.CSV:
		table := [][]string{{"word", "freq", "total", "logdice", "mi"}}
		for _, r := range limited(rows, o) {
			table = append(table, []string{r.Word, strconv.FormatInt(r.Freq, 10), strconv.FormatInt(r.Total, 10),
				decimal(r.LogDice), decimal(r.MI)})
		}
		if err := writeCSV(out, table); err != nil {
			return err
		}
	default:
		text := asciiIf(out, o)
		fmt.Fprintln(text, ui.SanitizeLine(ui.CollocatesHeading(co, query)))
		shown := textRows(rows, o)
		if len(shown) > 0 {
			fmt.Fprintln(text, "      "+ui.CollocateHeader())
		}
		for i, r := range shown {
			fmt.Fprintf(text, "%4d. %s\n", i+1, ui.CollocateRow(r))
		}
		more(out, len(rows), len(shown))
	}
	return out.Flush()
}

// textRows are the rows printed as text: --limit of them, or 30.
func textRows[T any](rows []T, o Options) []T {
	if o.Limit == 0 {
		return rows[:min(len(rows), 30)]
	}
	return limited(rows, o)
}

// more says how many rows were not printed.
func more(w *bufio.Writer, all, shown int) {
	if all > shown {
		fmt.Fprintf(w, "… and %s more (--limit N, or --json or --csv for all)\n", ui.Thousands(int64(all-shown)))
	}
}

func decimal(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
