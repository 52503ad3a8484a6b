package cli

import (
	"context"
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/sessions/msg"
	"kurultai/ui"
)

// speakerSorts are the orders kurultai speakers --sort takes.
var speakerSorts = []string{"name", "speeches", "words", "first", "last"}

// Speakers lists everyone who spoke: their party now and before, how many
// speeches and words, and the dates of their first and last speech; as a
// table, JSON or CSV.
func Speakers(ctx context.Context, o Options, e Env) error {
	if o.JSON && o.CSV {
		return UsageError{Msg: msg.T("choose --json or --csv, not both")}
	}
	by := o.Order
	if by == "" {
		by = "name"
	}
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Speakers(ctx)
	if err != nil {
		return err
	}
	if !data.SortSpeakers(rows, by) {
		return UsageError{Msg: msg.T("--sort %q: expected one of %s", by, strings.Join(speakerSorts, ", "))}
	}
	switch {
	case o.JSON:
		return sessions.WriteJSON(e.Stdout, rows)
	case o.CSV:
		w := csv.NewWriter(e.Stdout)
		w.Write([]string{"id", "name", "gender", "party", "before", "speeches", "words", "first", "last"})
		for _, r := range rows {
			rec := []string{r.ID, r.Name, r.Gender, r.Party, strings.Join(r.Before, "; "), strconv.Itoa(r.Speeches), strconv.Itoa(r.Words), r.First, r.Last}
			for i := range rec {
				rec[i] = ui.Sanitize(rec[i])
			}
			w.Write(rec)
		}
		w.Flush()
		return w.Error()
	}
	var b strings.Builder
	tr := o.Printer(e)
	table := [][]string{{"ID", tr.T("Name"), tr.T("Party"), tr.T("Before"), tr.T("Speeches"), tr.T("Words"), tr.T("First"), tr.T("Last")}}
	for _, r := range rows {
		table = append(table, []string{ui.SanitizeLine(r.ID), ui.SanitizeLine(r.Name), ui.SanitizeLine(r.Party),
			ui.SanitizeLine(strings.Join(r.Before, ", ")), tr.N(int64(r.Speeches)), tr.N(int64(r.Words)), r.First, r.Last})
	}
	widths := make([]int, len(table[0]))
	for _, row := range table {
		for i, c := range row {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	for _, row := range table {
		for i, c := range row {
			if i > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-ansi.StringWidth(c))
			if i == 4 || i == 5 {
				b.WriteString(pad + c)
			} else if i < len(row)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
		}
		b.WriteString("\n")
	}
	b.WriteString(tr.T("%d speakers", len(rows)) + "\n")
	_, err = e.Stdout.Write([]byte(b.String()))
	return err
}

// Speaker prints one speaker: who they are, their parties, and every
// speech of theirs, newest first; or the same as JSON.
func Speaker(ctx context.Context, id string, o Options, e Env) error {
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	det, err := db.Speaker(ctx, id)
	if err != nil {
		return err
	}
	if o.JSON {
		return sessions.WriteJSON(e.Stdout, det)
	}
	var b strings.Builder
	tr := o.Printer(e)
	for _, line := range ui.PersonLines(tr, det) {
		b.WriteString(line + "\n")
	}
	b.WriteString("\n")
	for _, sp := range det.List {
		line := sp.Date + "  " + ui.SanitizeLine(sp.ID)
		for _, v := range []string{sp.Party, sp.Side, sp.Role} {
			if v != "" {
				line += " · " + ui.SanitizeLine(v)
			}
		}
		if sp.Title != "" {
			line += " · " + ui.SanitizeLine(sp.Title)
		}
		b.WriteString(line + " · " + tr.T("%d words", sp.Words) + "\n")
	}
	_, err = e.Stdout.Write([]byte(b.String()))
	return err
}
