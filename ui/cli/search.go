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

// errEnough stops a stream of results once --limit is reached.
var errEnough = msg.New("enough results")

// Search prints a query's results as text, JSON or CSV: the first
// --limit of them, or with --all every one, as they are read. --count
// prints how many there are, --facets how they divide. Finding nothing is
// NoMatches.
func Search(ctx context.Context, query string, o Options, e Env) error {
	db, err := OpenArchive(ctx, o, e)
	if err != nil {
		return err
	}
	defer db.Close()
	q := data.ParseQuery(query)
	switch {
	case o.Count:
		return searchCount(ctx, db, q, o, e)
	case o.Facets:
		return searchFacets(ctx, db, q, o, e)
	}
	limit := o.Limit
	if limit <= 0 {
		limit = 20
	}
	if o.All {
		limit = -1
	}
	if (o.All || limit > 10000) && e.Remote == nil {
		// A long stream's live data is a few batches: the collector
		// rests until the heap nears a bound well under 100 MB.
		streamMemory()
	}
	out := bufio.NewWriterSize(e.Stdout, 64<<10)
	var sink hitSink
	switch {
	case o.JSON:
		sink = &jsonSink{w: out}
	case o.CSV:
		sink = newCSVSink(out)
	default:
		width := 100
		if tty, w := e.terminal(); tty {
			width = w
		}
		sink = &textSink{w: out, width: width, tr: o.Printer(e)}
	}
	n := 0
	res, err := db.Each(ctx, q, o.Order == "date", func(h data.Hit) error {
		if limit >= 0 && n >= limit {
			return errEnough
		}
		n++
		return sink.hit(h)
	})
	if err != nil && !errors.Is(err, errEnough) {
		return err
	}
	sayNotes(e, o.Printer(e), append(res.Notes, res.Note)...)
	if ts, ok := sink.(*textSink); ok && n > 0 {
		// The count line: exact, counted apart from the results shown.
		if !res.Counted {
			if res.Total, err = db.Count(ctx, q); err != nil {
				return err
			}
			res.Counted = true
		}
		ts.footer(res, n)
	}
	if err := sink.end(); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if n == 0 {
		if !o.JSON && !o.CSV {
			fmt.Fprintln(e.Stderr, o.Printer(e).T("nothing found"))
		}
		return NoMatches{}
	}
	return nil
}

// searchCount prints the exact number of results: one integer, or with
// --json {"results": N, "documents": M}.
func searchCount(ctx context.Context, db *data.DB, q data.Query, o Options, e Env) error {
	var results, documents int
	var err error
	var notes []msg.Text
	if o.JSON {
		var f *data.Facets
		if f, err = db.Facets(ctx, q); err == nil {
			results, documents, notes = f.Total, f.Documents, f.Notes
		}
	} else {
		res, cerr := db.Search(ctx, q, data.SearchOptions{Limit: 1, Count: true})
		if err = cerr; err == nil {
			results, notes = res.Total, res.Notes
		}
	}
	if err != nil {
		return err
	}
	sayNotes(e, o.Printer(e), notes...)
	if o.JSON {
		_, err = fmt.Fprintf(e.Stdout, "{\"results\": %d, \"documents\": %d}\n", results, documents)
	} else {
		_, err = fmt.Fprintln(e.Stdout, results)
	}
	if err == nil && results == 0 {
		return NoMatches{}
	}
	return err
}

// searchFacets prints how the results divide by kind, year, language,
// session and speaker: every value with its exact count.
func searchFacets(ctx context.Context, db *data.DB, q data.Query, o Options, e Env) error {
	f, err := db.Facets(ctx, q)
	if err != nil {
		return err
	}
	sayNotes(e, o.Printer(e), f.Notes...)
	if o.JSON {
		_, err = io.WriteString(e.Stdout, facetsJSON(f)+"\n")
	} else {
		var b strings.Builder
		tr := o.Printer(e)
		b.WriteString(tr.T("%d results in %d documents", f.Total, f.Documents) + "\n")
		for _, field := range data.FacetFields {
			values := f.Field(field)
			if len(values) == 0 {
				continue
			}
			fmt.Fprintf(&b, "\n%s\n", field)
			for _, v := range values {
				label := ui.SanitizeLine(v.Label)
				if v.Value != "" && v.Label != v.Value {
					label = ui.SanitizeLine(v.Value) + "  " + label
				}
				fmt.Fprintf(&b, "%12s  %s\n", tr.N(int64(v.Count)), label)
			}
		}
		_, err = io.WriteString(e.Stdout, b.String())
	}
	if err == nil && f.Total == 0 {
		return NoMatches{}
	}
	return err
}

// facetsJSON writes facets as one JSON object of fields, each an object
// of values and their counts, largest first.
func facetsJSON(f *data.Facets) string {
	var b strings.Builder
	b.WriteString("{")
	for i, field := range data.FacetFields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(field) + ": {")
		for j, v := range f.Field(field) {
			if j > 0 {
				b.WriteString(", ")
			}
			key, _ := json.Marshal(v.Value)
			b.Write(sessions.EscapeJSON(key))
			b.WriteString(": " + strconv.Itoa(v.Count))
		}
		b.WriteString("}")
	}
	b.WriteString("}")
	return b.String()
}

// hitSink writes results as they come.
type hitSink interface {
	hit(data.Hit) error
	end() error
}

// jsonSink writes one JSON array, a result at a time.
type jsonSink struct {
	w   *bufio.Writer
	n   int
	buf []byte
}

func (s *jsonSink) hit(h data.Hit) error {
	h.Snippet = ui.Guillemets(h.Snippet)
	// One result a line: the array streams, and a line-oriented tool can
	// still read it.
	sep := byte(',')
	if s.n == 0 {
		sep = '['
	}
	s.n++
	s.buf = append(append(s.buf[:0], sep, '\n'), nil...)
	s.buf = h.AppendJSON(s.buf)
	_, err := s.w.Write(s.buf)
	return err
}

func (s *jsonSink) end() error {
	if s.n == 0 {
		_, err := s.w.WriteString("[]\n")
		return err
	}
	_, err := s.w.WriteString("\n]\n")
	return err
}

// csvSink writes a header and a row a result.
type csvSink struct {
	w   *csv.Writer
	row []string
}

var csvHeader = []string{"kind", "field", "session", "date", "speech", "speaker", "paragraph", "event", "snippet", "text", "through",
	"party", "role", "gender"}

func newCSVSink(w io.Writer) *csvSink {
	s := &csvSink{w: csv.NewWriter(w), row: make([]string, len(csvHeader))}
	s.w.Write(csvHeader)
	return s
}

func (s *csvSink) hit(h data.Hit) error {
	s.row = append(s.row[:0], h.Kind, h.Field, h.Session, h.Date, h.Speech, h.Speaker, strconv.Itoa(h.Paragraph),
		strconv.Itoa(h.Event), ui.Guillemets(h.Snippet), h.Text, h.Through, h.Party, h.Role, h.Gender)
	// CSV is read on terminals too, and has no way to carry control
	// characters: sanitised wherever it goes.
	for i := range s.row {
		s.row[i] = ui.Sanitize(s.row[i])
	}
	return s.w.Write(s.row)
}

func (s *csvSink) end() error {
	s.w.Flush()
	return s.w.Error()
}

// textSink writes numbered results, each with its place and snippet.
type textSink struct {
	w     *bufio.Writer
	width int
	n     int
	tr    *i18n.Printer
}

func (s *textSink) hit(h data.Hit) error {
	s.n++
	_, err := s.w.WriteString(ui.HitText(s.tr, s.n, h, s.width))
	return err
}

func (s *textSink) footer(res *data.SearchResult, n int) {
	s.w.WriteString(ui.CountLine(s.tr, res, 0, n) + "\n")
}

func (s *textSink) end() error { return nil }
