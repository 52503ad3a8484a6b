package data

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"

	"kurultai/sessions/msg"
)

// Facet is one value of a facet with how many results have it.
type Facet struct {
	Field string `json:"field"` // kind, year, language, session or speaker
	Value string `json:"value"` // "" for results without one (an undated speaker's name)
	Label string `json:"label"`
	Count int    `json:"count"`
	// Query is what adds this value to a query, such as session:nk-5;
	// "" where no filter selects it.
	Query string `json:"query"`
}

// FacetFields are the facets, in the order they are shown.
var FacetFields = []string{"kind", "year", "language", "session", "speaker", "party", "role"}

// Facets counts a query's results by kind, year, language, session and
// speaker. The counts are exact and cover every result: the counts of
// kind, and of year, add up to Total. Values are grouped by field in the
// order of FacetFields, largest first within a field.
type Facets struct {
	Values []Facet
	Total  int
	// Documents is how many sessions, speeches and proposals the results
	// belong to (a speaker's name belongs to none).
	Documents int
	Notes     []msg.Text
}

// Field gives the values of one facet.
func (f *Facets) Field(name string) []Facet {
	var out []Facet
	for _, v := range f.Values {
		if v.Field == name {
			out = append(out, v)
		}
	}
	return out
}

// labelled is how many values of the session and speaker facets get a
// label read from the archive; the rest are named by their id.
const labelled = 20

// Facets counts the results of q by facet. The answer is shared with
// later callers that ask the same of the same archive: it is not to be
// changed.
func (d *DB) Facets(ctx context.Context, q Query) (*Facets, error) {
	res := &SearchResult{}
	c, err := d.prepare(ctx, q, res)
	if c == nil || err != nil {
		return &Facets{Notes: res.Notes}, err
	}
	gen, err := d.generation(ctx)
	if err != nil {
		return nil, err
	}
	key := "facets\x00" + gen + "\x00" + c.key()
	if v, ok := d.answers.get(key); ok {
		f := *v.(*Facets)
		f.Notes = res.Notes
		return &f, nil
	}
	// Facets read every result: a few at a time, so that many readers
	// of a served archive share the machine instead of filling it.
	select {
	case d.heavy <- struct{}{}:
		defer func() { <-d.heavy }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Someone may have counted them while this waited.
	if v, ok := d.answers.get(key); ok {
		f := *v.(*Facets)
		f.Notes = res.Notes
		return &f, nil
	}
	out, err := d.facets(ctx, c)
	if err != nil {
		return nil, err
	}
	d.answers.put(key, out, out.size()+len(key))
	f := *out
	f.Notes = res.Notes
	return &f, nil
}

func (d *DB) facets(ctx context.Context, c *compiled) (*Facets, error) {
	out := &Facets{}
	var err error
	// The runs are read when the first result comes: a query that finds
	// nothing does not wait for them.
	var t *tally
	var runsErr error
	err = d.matchIDs(ctx, c, func(id int64) {
		if t == nil && runsErr == nil {
			var ri *runIndex
			if ri, runsErr = d.runs.get(ctx, d); runsErr == nil {
				t = newTally(ri)
			}
		}
		if t != nil {
			t.add(id)
		}
	})
	if err = cmp.Or(err, runsErr); err != nil {
		return nil, err
	}
	if t == nil {
		return out, nil
	}
	out.Total, out.Documents = t.total, t.documents()
	out.Values = t.facets(t.ri)
	if err := d.label(ctx, out.Values); err != nil {
		return nil, err
	}
	return out, nil
}

// idChunk is how many rowids one statement hands over, as text: up to
// about 20 MB, however many results there are in all. Each statement
// finds its matches anew (a prefix merges its words again), so chunks
// are large.
const idChunk = 1 << 20

// matchIDs hands fn every rowid that matches, in ascending order, in
// chunks. SQLite joins a chunk's rowids into one text, which costs far
// less than a row for each.
func (d *DB) matchIDs(ctx context.Context, c *compiled, fn func(int64)) error {
	lo := c.lo
	for {
		var list []byte
		err := d.queryRow(ctx, `SELECT coalesce(group_concat(id), '') FROM (SELECT rowid AS id FROM search_fts
			WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ? ORDER BY rowid LIMIT ?)`, c.match, lo, c.hi, idChunk).Scan(&list)
		if err != nil {
			return searchError(err)
		}
		n, last := 0, int64(0)
		for len(list) > 0 {
			i := 0
			var v int64
			for i < len(list) && list[i] != ',' {
				v = v*10 + int64(list[i]-'0')
				i++
			}
			fn(v)
			n, last = n+1, v
			if i < len(list) {
				i++
			}
			list = list[i:]
		}
		if n < idChunk {
			return nil
		}
		lo = last + 1
	}
}

// runIndex is every run of the index, in memory, for counting results by
// what they belong to. It is read once and read again when an import
// changes the index.
type runIndex struct {
	generation string
	start      []int64
	stop       []int64
	kind       []runKind
	doc        []int32 // a dense number for each document; -1 for none
	session    []int32 // search_keys ids
	speaker    []int32
	lang       []int32
	party      []int32 // the party's short name, for a speech's runs
	role       []int32
	docs       int
	keys       map[int32]string // search_keys id -> value
}

type runsCache struct {
	mu sync.Mutex
	ri *runIndex
}

// generation names the state of the search index: an import changes it.
func (d *DB) generation(ctx context.Context) (string, error) {
	var gen string
	err := d.queryRow(ctx, "SELECT coalesce((SELECT value FROM meta WHERE key = 'search_generation'), '')").Scan(&gen)
	return gen, searchError(err)
}

// key names the compiled query, for answers kept.
func (c *compiled) key() string {
	return fmt.Sprintf("%d\x00%d\x00%s", c.lo, c.hi, c.match)
}

// answerCache keeps the last answers to the queries that read every
// result (counts and facets), by query and state of the index: people
// who search a served archive often ask the same.
type answerCache struct {
	mu    sync.Mutex
	m     map[string]answer
	order []string
	bytes int
}

type answer struct {
	v    any
	size int
}

// The answers an archive keeps: the last 128, in 16 MB at most (the
// facets of a common word name every session and speaker).
const (
	answersKept  = 128
	answersBytes = 16 << 20
)

func (a *answerCache) get(key string) (any, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	v, ok := a.m[key]
	return v.v, ok
}

// put keeps an answer of about size bytes.
func (a *answerCache) put(key string, v any, size int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.m == nil {
		a.m = map[string]answer{}
	}
	if _, ok := a.m[key]; ok || size > answersBytes/4 {
		return
	}
	for len(a.order) > 0 && (len(a.order) >= answersKept || a.bytes+size > answersBytes) {
		a.bytes -= a.m[a.order[0]].size
		delete(a.m, a.order[0])
		a.order = a.order[1:]
	}
	a.m[key] = answer{v, size}
	a.bytes += size
	a.order = append(a.order, key)
}

// size is about how much memory facets take.
func (f *Facets) size() int {
	n := 64
	for _, v := range f.Values {
		n += 64 + len(v.Field) + len(v.Value) + len(v.Label) + len(v.Query)
	}
	return n
}

// get gives the runs, reading them again if the index changed.
func (c *runsCache) get(ctx context.Context, d *DB) (*runIndex, error) {
	gen, err := d.generation(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ri != nil && c.ri.generation == gen {
		return c.ri, nil
	}
	ri, err := d.readRuns(ctx)
	if err != nil {
		return nil, err
	}
	ri.generation = gen
	c.ri = ri
	return ri, nil
}

func (d *DB) readRuns(ctx context.Context) (*runIndex, error) {
	ri := &runIndex{keys: map[int32]string{}}
	// The runs come as one text a chunk, nine numbers a run, which costs
	// SQLite and the driver far less than a row a run.
	docs := map[int64]int32{}
	after := int64(-1)
	for {
		var list []byte
		err := d.queryRow(ctx, `SELECT coalesce(group_concat(start || ',' || stop || ',' || kind || ',' || doc || ',' || session || ',' || speaker || ',' || lang
				|| ',' || party || ',' || role), '')
			FROM (SELECT * FROM search_runs WHERE start > ? ORDER BY start LIMIT ?)`, after, idChunk/8).Scan(&list)
		if err != nil {
			return nil, searchError(err)
		}
		n := 0
		var v [9]int64
		for len(list) > 0 {
			for k := range v {
				v[k] = 0
				i := 0
				for i < len(list) && list[i] != ',' {
					v[k] = v[k]*10 + int64(list[i]-'0')
					i++
				}
				list = list[min(i+1, len(list)):]
			}
			start, stop, kind, doc := v[0], v[1], runKind(v[2]), v[3]
			di := int32(-1)
			if doc != 0 {
				var ok bool
				if di, ok = docs[doc]; !ok {
					di = int32(len(docs))
					docs[doc] = di
				}
			}
			ri.start = append(ri.start, start)
			ri.stop = append(ri.stop, stop)
			ri.kind = append(ri.kind, kind)
			ri.doc = append(ri.doc, di)
			ri.session = append(ri.session, int32(v[4]))
			ri.speaker = append(ri.speaker, int32(v[5]))
			ri.lang = append(ri.lang, int32(v[6]))
			ri.party = append(ri.party, int32(v[7]))
			ri.role = append(ri.role, int32(v[8]))
			n, after = n+1, start
		}
		if n < idChunk/8 {
			break
		}
	}
	ri.docs = len(docs)
	rows, err := d.query(ctx, "SELECT id, value FROM search_keys")
	if err != nil {
		return nil, searchError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int32
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			return nil, searchError(err)
		}
		ri.keys[id] = v
	}
	return ri, searchError(rows.Err())
}

// tally counts rowids, given in ascending order, by the run each is in;
// the facets then add up the runs.
type tally struct {
	ri    *runIndex
	at    int     // the run of the last rowid
	runs  []int32 // results in each run
	total int
	// stray counts rowids in no run (the index and its runs disagree,
	// which a damaged file could make), by year.
	stray map[int64]int
}

func newTally(ri *runIndex) *tally {
	return &tally{ri: ri, runs: make([]int32, len(ri.start)), stray: map[int64]int{}}
}

func (t *tally) add(id int64) {
	ri := t.ri
	for t.at < len(ri.start) && ri.stop[t.at] < id {
		t.at++
	}
	t.total++
	if t.at >= len(ri.start) || ri.start[t.at] > id {
		t.stray[(id>>dateShift)/10000]++
		return
	}
	t.runs[t.at]++
}

func (t *tally) documents() int {
	seen := make([]uint64, t.ri.docs/64+1)
	n := 0
	for r, c := range t.runs {
		if d := t.ri.doc[r]; c > 0 && d >= 0 && seen[d/64]&(1<<(d%64)) == 0 {
			seen[d/64] |= 1 << (d % 64)
			n++
		}
	}
	return n
}

// facets lists the counts, field by field, largest first.
func (t *tally) facets(ri *runIndex) []Facet {
	kind := map[string]int{}
	year := map[int64]int{}
	lang := map[int32]int{}
	session := map[int32]int{}
	speaker := map[int32]int{}
	party := map[int32]int{}
	role := map[int32]int{}
	for r, c32 := range t.runs {
		if c32 == 0 {
			continue
		}
		c := int(c32)
		kind[ri.kind[r].kind()] += c
		year[(ri.start[r]>>dateShift)/10000] += c
		lang[ri.lang[r]] += c
		if s := ri.session[r]; s != 0 {
			session[s] += c
		}
		if s := ri.speaker[r]; s != 0 {
			speaker[s] += c
		}
		if p := ri.party[r]; p != 0 {
			party[p] += c
		}
		if p := ri.role[r]; p != 0 {
			role[p] += c
		}
	}
	for y, c := range t.stray {
		year[y] += c
	}
	var out []Facet
	add := func(values []Facet) {
		slices.SortStableFunc(values, func(a, b Facet) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		out = append(out, values...)
	}
	var v []Facet
	for k, n := range kind {
		v = append(v, Facet{Field: "kind", Value: k, Label: k, Count: n, Query: "kind:" + k})
	}
	add(v)
	v = nil
	for y, n := range year {
		f := Facet{Field: "year", Label: "undated", Count: n}
		if y > 0 {
			f.Value = fmt.Sprintf("%04d", y)
			f.Label, f.Query = f.Value, fmt.Sprintf("from:%s to:%s", f.Value, f.Value)
		}
		v = append(v, f)
	}
	add(v)
	v = nil
	for k, n := range lang {
		f := Facet{Field: "language", Value: ri.keys[k], Count: n, Label: "none"}
		if f.Value != "" {
			f.Label, f.Query = f.Value, "lang:"+f.Value
		}
		v = append(v, f)
	}
	add(v)
	v = nil
	for k, n := range session {
		id := ri.keys[k]
		v = append(v, Facet{Field: "session", Value: id, Label: id, Count: n, Query: "session:" + id})
	}
	add(v)
	v = nil
	for k, n := range speaker {
		id := ri.keys[k]
		// The id: one speaker, not every name like it.
		v = append(v, Facet{Field: "speaker", Value: id, Label: id, Count: n, Query: "speaker:" + id})
	}
	add(v)
	for _, f := range []struct {
		field  string
		counts map[int32]int
	}{{"party", party}, {"role", role}} {
		v = nil
		for k, n := range f.counts {
			val := ri.keys[k]
			v = append(v, Facet{Field: f.field, Value: val, Label: val, Count: n, Query: f.field + ":" + QuoteValue(val)})
		}
		add(v)
	}
	return out
}

// QuoteValue writes a filter's value as the search language reads it:
// quoted when it has a space or a quote (which the value cannot hold).
func QuoteValue(v string) string {
	if strings.ContainsFunc(v, unicode.IsSpace) || strings.Contains(v, `"`) {
		return `"` + strings.ReplaceAll(v, `"`, "") + `"`
	}
	return v
}

// label names the largest values of the session and speaker facets as
// people know them.
func (d *DB) label(ctx context.Context, values []Facet) error {
	done := map[string]int{}
	for i := range values {
		v := &values[i]
		if v.Field != "session" && v.Field != "speaker" {
			continue
		}
		if done[v.Field] >= labelled {
			continue
		}
		done[v.Field]++
		var err error
		if v.Field == "session" {
			err = d.queryRow(ctx, "SELECT date || ' ' || title FROM sessions WHERE id = ?", v.Value).Scan(&v.Label)
		} else {
			err = d.queryRow(ctx, "SELECT name FROM speakers WHERE id = ?", v.Value).Scan(&v.Label)
		}
		if err != nil {
			return searchError(err)
		}
	}
	return nil
}
