package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"kurultai/data"
	"kurultai/sessions"
	"kurultai/sessions/msg"
	"kurultai/ui"
	"kurultai/ui/i18n"
)

// Trend prints each query's matches by year, month or session: raw, and
// per million words of the period, with a bar for each period.
func Trend(ctx context.Context, queries []string, o Options, e Env) error {
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	var all []data.TrendPoint
	var trends []*data.Trend
	for _, qs := range queries {
		tr, err := db.Trend(ctx, data.ParseQuery(qs), o.Research.By)
		if err != nil {
			return err
		}
		for _, n := range tr.Notes {
			sayNotes(e, o.Printer(e), msg.T("%s: %v", qs, n))
		}
		trends = append(trends, tr)
		all = append(all, tr.Points...)
	}
	if o.Research.SVG != "" {
		if err := writeSVG(o.Research.SVG, trends, queries, o); err != nil {
			return err
		}
		fmt.Fprintln(e.Stdout, o.Printer(e).T("wrote the chart to %s", o.Research.SVG))
		return nil
	}
	all = limited(all, o)
	out := bufio.NewWriter(e.Stdout)
	switch {
	case o.JSON:
		if err := sessions.WriteJSON(out, all); err != nil {
			return err
		}
	case o.CSV:
		rows := [][]string{{"query", "period", "label", "matches", "words", "per_million"}}
		for _, p := range all {
			rows = append(rows, []string{p.Query, p.Period, p.Label, strconv.Itoa(p.Matches), strconv.FormatInt(p.Words, 10), perMillion(p.PerMillion)})
		}
		if err := writeCSV(out, rows); err != nil {
			return err
		}
	default:
		width := 100
		if tty, w := e.terminal(); tty {
			width = w
		}
		writeTrendText(o.Printer(e), asciiIf(out, o), trends, queries, o.Research.PerMillion, width)
	}
	return out.Flush()
}

// limited keeps the first --limit rows when the flag was given.
// JSON's list is never null: no rows are [].
func limited[T any](rows []T, o Options) []T {
	if o.Limit > 0 && len(rows) > o.Limit {
		return rows[:o.Limit]
	}
	if rows == nil {
		return []T{}
	}
	return rows
}

func perMillion(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// writeTrendText prints a table: a row a period, a column of counts and a
// bar for each query.
func writeTrendText(tr *i18n.Printer, w io.Writer, trends []*data.Trend, queries []string, norm bool, width int) {
	if len(trends) == 0 || len(trends[0].Points) == 0 {
		fmt.Fprintln(w, tr.T("the archive has no sessions"))
		return
	}
	what := tr.T("matches")
	if norm {
		what = tr.T("matches per million words")
	}
	labelW := 0
	for _, p := range trends[0].Points {
		labelW = max(labelW, ui.Width(ui.SanitizeLine(p.Label)))
	}
	labelW = min(labelW, 30)
	top := 0.0
	for _, t := range trends {
		for _, p := range t.Points {
			top = max(top, value(p, norm))
		}
	}
	numW := 10
	bar := max(4, (width-labelW-2-len(trends)*(numW+2))/len(trends))
	for i, q := range queries {
		fmt.Fprintf(w, "%s %c %s\n", ui.SeriesGlyph(i), 'A'+rune(i), ui.SanitizeLine(q))
	}
	fmt.Fprintf(w, "(%s)\n", what)
	for k := range trends[0].Points {
		label := ui.SanitizeLine(trends[0].Points[k].Label)
		line := ui.PadRight(ui.Truncate(label, labelW), labelW)
		for i, t := range trends {
			v := value(t.Points[k], norm)
			n := 0
			if top > 0 {
				n = int(v/top*float64(bar) + 0.5)
			}
			num := strconv.Itoa(t.Points[k].Matches)
			if norm {
				num = strconv.FormatFloat(v, 'f', 1, 64)
			}
			line += fmt.Sprintf("  %*s %s", numW, num, ui.PadRight(strings.Repeat(ui.SeriesGlyph(i), n), bar))
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}

func value(p data.TrendPoint, norm bool) float64 {
	if norm {
		return p.PerMillion
	}
	return float64(p.Matches)
}

// Who prints who says a query's words most: by speaker or party, matches
// and matches per 10,000 words they said.
func Who(ctx context.Context, query string, o Options, e Env) error {
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	who, err := db.Who(ctx, data.ParseQuery(query), o.Research.By, o.Research.Sort, int64(o.Research.MinWords))
	if err != nil {
		return err
	}
	sayNotes(e, o.Printer(e), who.Notes...)
	rows := who.Rows
	out := bufio.NewWriter(e.Stdout)
	switch {
	case o.JSON:
		if err := sessions.WriteJSON(out, limited(rows, o)); err != nil {
			return err
		}
	case o.CSV:
		table := [][]string{{"speaker", "name", "party", "matches", "words", "per_10k"}}
		for _, r := range limited(rows, o) {
			table = append(table, []string{r.Speaker, r.Name, r.Party, strconv.Itoa(r.Matches), strconv.FormatInt(r.Words, 10),
				strconv.FormatFloat(r.Per10k, 'f', 2, 64)})
		}
		if err := writeCSV(out, table); err != nil {
			return err
		}
	default:
		n := len(rows)
		if o.Limit == 0 {
			rows = rows[:min(len(rows), 20)]
		} else {
			rows = limited(rows, o)
		}
		text := asciiIf(out, o)
		tr := o.Printer(e)
		for i, r := range rows {
			name := ui.SanitizeLine(r.Name)
			if r.Party != "" {
				name += " (" + ui.SanitizeLine(r.Party) + ")"
			}
			fmt.Fprintf(text, "%3d. %s  %s  %s  %s\n", i+1, ui.PadRight(ui.Truncate(name, 36), 36),
				ui.PadLeft(tr.T("%d matches", r.Matches), 14), ui.PadLeft(tr.T("%d words", r.Words), 17), tr.T("%.2f per 10,000", r.Per10k))
		}
		if n > len(rows) {
			fmt.Fprintln(out, tr.T("… and %d more (--limit N)", n-len(rows)))
		}
		fmt.Fprintln(out, tr.T("%d matching paragraphs in all", who.Paragraphs))
	}
	return out.Flush()
}

// Kwic prints a concordance: a line for each occurrence of the query's
// words, the match in a column of its own between its context words.
// In date order without a sample, lines are printed as they are read, so
// memory stays flat and the first come at once; a sort or a sample reads
// them all first.
func Kwic(ctx context.Context, query string, o Options, e Env) error {
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	q := data.ParseQuery(query)
	out := bufio.NewWriterSize(e.Stdout, 64<<10)
	sink := newKwicSink(out, o, e)
	var k *data.Kwic
	if o.Research.Sort == "date" && o.Research.Sample == 0 {
		k, err = db.EachKwic(ctx, q, o.Research.Context, sink.line)
	} else {
		if k, err = db.Concordance(ctx, q, o.Research.Context, 0); err == nil {
			if o.Research.Sample > 0 {
				data.SampleKwic(k, o.Research.Sample, uint64(o.Research.Seed))
			}
			if err = data.SortKwic(k.Lines, o.Research.Sort); err != nil {
				return UsageError{Msg: msg.T("%v", err)}
			}
			for i := range k.Lines {
				if err = sink.line(&k.Lines[i]); err != nil {
					break
				}
			}
			if errors.Is(err, data.ErrEnough) {
				err = nil
			}
		}
	}
	if err != nil {
		return err
	}
	sayNotes(e, o.Printer(e), k.Notes...)
	if err := sink.end(); err != nil {
		return err
	}
	return out.Flush()
}

// kwicSink writes concordance lines as text, JSON or CSV, up to a limit
// (--limit; as text, 50 by default).
type kwicSink struct {
	w      *bufio.Writer
	tr     *i18n.Printer
	o      Options
	width  int
	limit  int
	n      int
	more   bool
	csv    *csv.Writer
	buf    []byte
	fields []string
}

func newKwicSink(w *bufio.Writer, o Options, e Env) *kwicSink {
	s := &kwicSink{w: w, o: o, width: 100, limit: o.Limit, tr: o.Printer(e)}
	if tty, width := e.terminal(); tty {
		s.width = width
	}
	switch {
	case o.CSV:
		s.csv = csv.NewWriter(w)
		s.csv.Write([]string{"session", "speech", "paragraph", "left", "match", "right", "date", "speaker"})
	case !o.JSON && s.limit == 0:
		s.limit = 50
	}
	return s
}

func (s *kwicSink) line(l *data.KwicLine) error {
	if s.limit > 0 && s.n >= s.limit {
		s.more = true
		return data.ErrEnough
	}
	s.n++
	switch {
	case s.o.JSON:
		sep := byte(',')
		if s.n == 1 {
			sep = '['
		}
		b, err := json.Marshal(l)
		if err != nil {
			return err
		}
		s.buf = append(append(s.buf[:0], sep, '\n'), sessions.EscapeJSON(b)...)
		_, err = s.w.Write(s.buf)
		return err
	case s.csv != nil:
		s.fields = append(s.fields[:0], l.Session, l.Speech, strconv.Itoa(l.Paragraph), l.Left, l.Match, l.Right, l.Date, l.Speaker)
		for i := range s.fields {
			s.fields[i] = ui.Sanitize(s.fields[i])
		}
		return s.csv.Write(s.fields)
	}
	// Each line begins with its date; kurultai kwic --json names the
	// speech and paragraph of each.
	_, err := fmt.Fprintln(asciiIf(s.w, s.o), ui.PadRight(ui.SanitizeLine(l.Date), 10)+"  "+ui.KwicLine(*l, s.width-12))
	return err
}

func (s *kwicSink) end() error {
	switch {
	case s.o.JSON:
		if s.n == 0 {
			_, err := s.w.WriteString("[]\n")
			return err
		}
		_, err := s.w.WriteString("\n]\n")
		return err
	case s.csv != nil:
		s.csv.Flush()
		return s.csv.Error()
	}
	if s.more {
		fmt.Fprintln(s.w, s.tr.T("the first %d lines; --limit N for more, --json or --csv for every one", s.n))
	} else {
		fmt.Fprintln(s.w, s.tr.T("%d lines", s.n))
	}
	return nil
}

// writeCSV writes rows, each field sanitised: CSV is read on terminals
// too.
func writeCSV(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	for _, r := range rows {
		for i := range r {
			r[i] = ui.Sanitize(r[i])
		}
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// asciiIf writes through ui.ASCIIOnly with --style ascii: the bars and
// the ellipses in ASCII.
func asciiIf(w io.Writer, o Options) io.Writer {
	if o.Style == ui.ThemeASCII {
		return asciiOut{w}
	}
	return w
}

type asciiOut struct{ w io.Writer }

func (a asciiOut) Write(p []byte) (int, error) {
	if _, err := io.WriteString(a.w, ui.ASCIIOnly(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
