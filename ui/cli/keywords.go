package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/sessions/msg"
	"kurultai/ui"
	"kurultai/ui/i18n"
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
	return wordTable(e, o, k.Notes, k.Rows, wordColumns[data.KeywordRow]{
		csv: []string{"word", "focus", "reference", "ll", "ratio"},
		csvRow: func(r data.KeywordRow) []string {
			return []string{r.Word, strconv.FormatInt(r.Focus, 10), strconv.FormatInt(r.Reference, 10), decimal(r.LL), decimal(r.Ratio)}
		},
		heading: ui.KeywordsHeading(o.Printer(e), k, o.Research.Focus, o.Research.Reference),
		header:  ui.KeywordHeader(o.Printer(e)),
		row:     ui.KeywordRow,
	})
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
	return wordTable(e, o, co.Notes, co.Rows, wordColumns[data.CollocateRow]{
		csv: []string{"word", "freq", "total", "logdice", "mi"},
		csvRow: func(r data.CollocateRow) []string {
			return []string{r.Word, strconv.FormatInt(r.Freq, 10), strconv.FormatInt(r.Total, 10), decimal(r.LogDice), decimal(r.MI)}
		},
		heading: ui.CollocatesHeading(o.Printer(e), co, query),
		header:  ui.CollocateHeader(o.Printer(e)),
		row:     ui.CollocateRow,
	})
}

// wordColumns say how a list of words is printed: its CSV header and
// rows, and as text a heading, the columns' names and a line a row.
type wordColumns[T any] struct {
	csv             []string
	csvRow          func(T) []string
	heading, header string
	row             func(T) string
}

// wordTable prints the notes, then the rows as JSON, CSV or text (the
// first 30, or --limit, and how many more there are).
func wordTable[T any](e Env, o Options, notes []msg.Text, rows []T, c wordColumns[T]) error {
	sayNotes(e, o.Printer(e), notes...)
	out := bufio.NewWriter(e.Stdout)
	switch {
	case o.JSON:
		if err := sessions.WriteJSON(out, limited(rows, o)); err != nil {
			return err
		}
	case o.CSV:
		table := [][]string{c.csv}
		for _, r := range limited(rows, o) {
			table = append(table, c.csvRow(r))
		}
		if err := writeCSV(out, table); err != nil {
			return err
		}
	default:
		shown := rows
		if o.Limit == 0 {
			shown = rows[:min(len(rows), 30)]
		} else {
			shown = limited(rows, o)
		}
		text := asciiIf(out, o)
		fmt.Fprintln(text, ui.SanitizeLine(c.heading))
		if len(shown) > 0 {
			fmt.Fprintln(text, "      "+c.header)
		}
		for i, r := range shown {
			fmt.Fprintf(text, "%4d. %s\n", i+1, c.row(r))
		}
		more(out, o.Printer(e), len(rows), len(shown))
	}
	return out.Flush()
}

// more says how many rows were not printed.
func more(w io.Writer, tr *i18n.Printer, all, shown int) {
	if all > shown {
		fmt.Fprintln(w, tr.T("… and %d more (--limit N, or --json or --csv for all)", all-shown))
	}
}

func decimal(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
