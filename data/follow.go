package data

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"kurultai/sessions/msg"
)

// What can be followed.
const (
	FollowSearch   = "search"   // a query, with its filters
	FollowSpeaker  = "speaker"  // everything a speaker says
	FollowBody     = "body"     // the sittings of a body (a session series)
	FollowProposal = "proposal" // a proposal's timeline and text
)

// FollowKinds are the kinds of follow, in the order lists give them.
var FollowKinds = []string{FollowSearch, FollowSpeaker, FollowBody, FollowProposal}

// Follow is something a reader follows, and what is new in it since they
// last marked it seen.
type Follow struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Target string `json:"target"`
	// New counts what batches after SeenBatch added or changed: search
	// results (paragraphs, titles, session records, timeline events) for
	// a search, a speaker or a body; timeline events, and the proposal
	// itself when its own text or status changed, for a proposal.
	New       int    `json:"new"`
	SeenAt    string `json:"seen_at"`
	SeenBatch int64  `json:"seen_batch"`
	Created   string `json:"created"`
	// Problem says why the follow cannot be counted now: a query this
	// kurultai no longer reads, a speaker or proposal the archive no
	// longer has. Such a follow is kept, never dropped, with New 0.
	Problem msg.Text `json:"problem,omitzero"`
	// Status is a followed proposal's status now, and StatusMoved says
	// whether it changed since the follow was seen.
	Status      string `json:"status,omitempty"`
	StatusMoved bool   `json:"status_moved,omitempty"`
	seenStatus  string
}

// AlreadyFollowed is the error of following what is followed already.
type AlreadyFollowed struct{ ID int64 }

func (e *AlreadyFollowed) Error() string { return e.Say(nil) }

// Say says which follow in the interface's language.
func (e *AlreadyFollowed) Say(tr msg.Translate) string {
	return msg.T("this is followed already, as follow %d", e.ID).Say(tr)
}

// CheckFollow checks that the archive has what a follow names, and gives
// it a name when it has none: the query, the speaker's name, the body,
// the proposal's title.
func (d *DB) CheckFollow(ctx context.Context, f *Follow) error {
	f.Target = strings.TrimSpace(f.Target)
	if f.Target == "" {
		return msg.Errorf("a %v follow needs something to follow", FollowKindWord(f.Kind))
	}
	var name string
	var err error
	switch f.Kind {
	case FollowSearch:
		q := ParseQuery(f.Target)
		if !q.Refused.IsZero() {
			return &msg.Error{Text: q.Refused}
		}
		name = f.Target
	case FollowSpeaker:
		err = d.queryRow(ctx, "SELECT name FROM speakers WHERE id = ?", f.Target).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return msg.Errorf("no speaker has the id %s", f.Target)
		}
	case FollowBody:
		err = d.queryRow(ctx, "SELECT body FROM sessions WHERE body = ? LIMIT 1", f.Target).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return msg.Errorf("no session is of the body %q", f.Target)
		}
	case FollowProposal:
		err = d.queryRow(ctx, "SELECT title, status FROM proposals WHERE id = ?", f.Target).Scan(&name, &f.Status)
		if errors.Is(err, sql.ErrNoRows) {
			return msg.Errorf("no proposal has the id %s", f.Target)
		}
	default:
		return msg.Errorf("cannot follow a %q: expected one of %s", f.Kind, strings.Join(FollowKinds, ", "))
	}
	if err != nil {
		return Friendly(err)
	}
	if f.Name == "" {
		f.Name = name
	}
	return nil
}

// AddFollow keeps a follow for an owner, seen up to batch (what the
// archive holds now is not new). A follow of the same kind and target
// is an *AlreadyFollowed.
func (b *Bookmarks) AddFollow(ctx context.Context, owner, archive string, f *Follow, batch int64) (int64, error) {
	if err := keepable(f.Name, f.Target, f.Status); err != nil {
		return 0, err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	res, err := b.db.db.ExecContext(ctx, `INSERT INTO follows (owner, archive, name, kind, target, seen_batch, seen_at, created, seen_status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, owner, archive, f.Name, f.Kind, f.Target, batch, now, now, f.Status)
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
		var id int64
		b.db.db.QueryRowContext(ctx, "SELECT id FROM follows WHERE owner = ? AND archive = ? AND kind = ? AND target = ?",
			owner, archive, f.Kind, f.Target).Scan(&id)
		return 0, &AlreadyFollowed{ID: id}
	}
	if err != nil {
		return 0, Friendly(err)
	}
	f.ID, _ = res.LastInsertId()
	f.SeenBatch, f.SeenAt, f.Created = batch, now, now
	return f.ID, nil
}

// Follows lists an owner's follows of an archive, oldest first, without
// their counts (CountNew).
func (b *Bookmarks) Follows(ctx context.Context, owner, archive string) ([]Follow, error) {
	rows, err := b.db.db.QueryContext(ctx, `SELECT id, name, kind, target, seen_batch, seen_at, created, seen_status FROM follows
		WHERE owner = ? AND archive = ? ORDER BY id`, owner, archive)
	if err != nil {
		return nil, Friendly(err)
	}
	defer rows.Close()
	var out []Follow
	for rows.Next() {
		var f Follow
		if err := rows.Scan(&f.ID, &f.Name, &f.Kind, &f.Target, &f.SeenBatch, &f.SeenAt, &f.Created, &f.seenStatus); err != nil {
			return nil, Friendly(err)
		}
		out = append(out, f)
	}
	return out, Friendly(rows.Err())
}

// FollowKindWord names a kind of follow in words the catalogues translate.
func FollowKindWord(kind string) msg.Text {
	switch kind {
	case FollowSearch:
		return msg.T("search")
	case FollowSpeaker:
		return msg.T("speaker")
	case FollowBody:
		return msg.T("body")
	case FollowProposal:
		return msg.T("proposal")
	}
	return msg.T("%s", kind)
}

// ErrNoFollow is a follow number the owner does not have.
var ErrNoFollow = msg.New("no such follow")

// SeeFollows marks an owner's follow seen up to the archive's newest
// batch, with a followed proposal's status as it is now; id 0 marks every
// follow of the owner's on the archive. It gives how many it marked.
func (d *DB) SeeFollows(ctx context.Context, s Store, owner string, id int64) (int, error) {
	archive, err := d.ArchiveID(ctx)
	if err != nil {
		return 0, err
	}
	batch, err := d.LastBatch(ctx)
	if err != nil {
		return 0, err
	}
	fs, err := s.Follows(ctx, owner, archive)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range fs {
		if id != 0 && f.ID != id {
			continue
		}
		status := ""
		if f.Kind == FollowProposal {
			d.queryRow(ctx, "SELECT status FROM proposals WHERE id = ?", f.Target).Scan(&status)
		}
		if err := s.SetSeen(ctx, owner, f.ID, batch, status); err != nil {
			return n, err
		}
		n++
	}
	if n == 0 && id != 0 {
		return 0, msg.Errorf("%v: %d", ErrNoFollow, id)
	}
	return n, nil
}

// SetSeen marks one of an owner's follows seen up to batch, with a
// followed proposal's status then.
func (b *Bookmarks) SetSeen(ctx context.Context, owner string, id, batch int64, status string) error {
	now := time.Now().UTC().Format(time.RFC3339)
	res, err := b.db.db.ExecContext(ctx, "UPDATE follows SET seen_batch = ?, seen_at = ?, seen_status = ? WHERE owner = ? AND id = ?",
		batch, now, status, owner, id)
	if err != nil {
		return Friendly(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return msg.Errorf("%v: %d", ErrNoFollow, id)
	}
	return nil
}

// RemoveFollow stops following.
func (b *Bookmarks) RemoveFollow(ctx context.Context, owner string, id int64) error {
	res, err := b.db.db.ExecContext(ctx, "DELETE FROM follows WHERE owner = ? AND id = ?", owner, id)
	if err != nil {
		return Friendly(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return msg.Errorf("%v: %d", ErrNoFollow, id)
	}
	return nil
}

// newRows are the rows of the search index that batches after a given
// one added or changed, as sorted, disjoint rowid ranges.
type newRows struct {
	ranges [][2]int64
}

func (n *newRows) add(lo, hi int64) { n.ranges = append(n.ranges, [2]int64{lo, hi}) }

// settle sorts the ranges and joins those that touch.
func (n *newRows) settle() {
	sort.Slice(n.ranges, func(i, j int) bool { return n.ranges[i][0] < n.ranges[j][0] })
	out := n.ranges[:0]
	for _, r := range n.ranges {
		if k := len(out); k > 0 && r[0] <= out[k-1][1]+1 {
			out[k-1][1] = max(out[k-1][1], r[1])
			continue
		}
		out = append(out, r)
	}
	n.ranges = out
}

// rows is how many rows the ranges hold.
func (n *newRows) rows() int {
	total := 0
	for _, r := range n.ranges {
		total += int(r[1] - r[0] + 1)
	}
	return total
}

// has reports whether a rowid is in the ranges.
func (n *newRows) has(id int64) bool {
	i := sort.Search(len(n.ranges), func(i int) bool { return n.ranges[i][1] >= id })
	return i < len(n.ranges) && n.ranges[i][0] <= id
}

// newRowsSince finds the rows that batches after since added or changed,
// in the sessions of a body when body is not empty. A session added after
// since is new whole; in one changed since, a paragraph is new by its own
// batch, a title by its document's, a timeline event by its own, and the
// session's record by the record's.
func (d *DB) newRowsSince(ctx context.Context, since int64, body string) (*newRows, error) {
	q := `SELECT s.id, s.record_batch, s.created_batch, k.id FROM sessions s
		JOIN search_keys k ON k.kind = 'session' AND k.value = s.id WHERE s.batch > ?`
	args := []any{since}
	if body != "" {
		q += " AND s.body = ?"
		args = append(args, body)
	}
	type touched struct {
		id              string
		record, created int64
		key             int64
	}
	rows, err := d.query(ctx, q, args...)
	if err != nil {
		return nil, Friendly(err)
	}
	var ts []touched
	for rows.Next() {
		var t touched
		if err := rows.Scan(&t.id, &t.record, &t.created, &t.key); err != nil {
			rows.Close()
			return nil, Friendly(err)
		}
		ts = append(ts, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, Friendly(err)
	}
	n := &newRows{}
	for _, t := range ts {
		if err := d.newRowsOf(ctx, n, t.id, t.key, t.record, t.created, since); err != nil {
			return nil, err
		}
	}
	n.settle()
	return n, nil
}

// newRowsOf adds the new rows of one session.
func (d *DB) newRowsOf(ctx context.Context, n *newRows, id string, key, record, created, since int64) error {
	type run struct {
		start, stop int64
		kind        runKind
		ref         string
		first       int
	}
	rows, err := d.query(ctx, "SELECT start, stop, kind, ref, first FROM search_runs WHERE session = ?", key)
	if err != nil {
		return Friendly(err)
	}
	var runs []run
	for rows.Next() {
		var r run
		if err := rows.Scan(&r.start, &r.stop, &r.kind, &r.ref, &r.first); err != nil {
			rows.Close()
			return Friendly(err)
		}
		runs = append(runs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Friendly(err)
	}
	if created > since {
		for _, r := range runs {
			n.add(r.start, r.stop)
		}
		return nil
	}
	// A session that was there before: each row by its own batch.
	docs := map[string]int64{}
	for _, q := range []string{"SELECT id, batch FROM speeches WHERE session_id = ?", "SELECT id, batch FROM proposals WHERE session_id = ?"} {
		if err := d.eachPair(ctx, q, id, func(k string, b int64) { docs[k] = b }); err != nil {
			return err
		}
	}
	events := map[string]int64{}
	err = d.eachPair(ctx, `SELECT e.proposal_id || ' ' || e.seq, e.batch FROM proposal_events e
		JOIN proposals p ON p.id = e.proposal_id WHERE p.session_id = ?`, id, func(k string, b int64) { events[k] = b })
	if err != nil {
		return err
	}
	for _, r := range runs {
		switch r.kind {
		case runSession:
			if record > since {
				n.add(r.start, r.stop)
			}
		case runSpeechTitle, runProposalTitle, runProposal:
			if docs[r.ref] > since {
				n.add(r.start, r.stop)
			}
		case runTimeline:
			if events[r.ref+" "+strconv.Itoa(r.first)] > since {
				n.add(r.start, r.stop)
			}
		case runSpeech:
			ids, err := d.int64s(ctx, "SELECT id FROM paragraphs WHERE id BETWEEN ? AND ? AND batch > ? ORDER BY id", r.start, r.stop, since)
			if err != nil {
				return err
			}
			for i := 0; i < len(ids); {
				j := i
				for j+1 < len(ids) && ids[j+1] == ids[j]+1 {
					j++
				}
				n.add(ids[i], ids[j])
				i = j + 1
			}
		}
	}
	return nil
}

// eachPair reads rows of a text and an integer.
func (d *DB) eachPair(ctx context.Context, q string, arg any, fn func(string, int64)) error {
	rows, err := d.query(ctx, q, arg)
	if err != nil {
		return Friendly(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			return Friendly(err)
		}
		fn(k, v)
	}
	return Friendly(rows.Err())
}

// rangeScanFrom is how many ranges are counted one query each; beyond
// it, one query over their whole span is cheaper.
const rangeScanFrom = 256

// countIn counts the rows of an FTS5 expression within the new rows,
// and within the dates lo..hi.
func (d *DB) countIn(ctx context.Context, match string, lo, hi int64, n *newRows) (int, error) {
	if len(n.ranges) == 0 {
		return 0, nil
	}
	total := 0
	if len(n.ranges) <= rangeScanFrom {
		for _, r := range n.ranges {
			a, b := max(r[0], lo), min(r[1], hi)
			if a > b {
				continue
			}
			var c int
			err := d.queryRow(ctx, "SELECT count(*) FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?", match, a, b).Scan(&c)
			if err != nil {
				return 0, searchError(err)
			}
			total += c
		}
		return total, nil
	}
	a, b := max(n.ranges[0][0], lo), min(n.ranges[len(n.ranges)-1][1], hi)
	ids, err := d.int64s(ctx, "SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?", match, a, b)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if n.has(id) {
			total++
		}
	}
	return total, nil
}

// NewCounter counts what is new for follows, keeping the new rows of each
// batch it was asked about, so that many follows seen at the same batch
// cost one walk of what changed.
type NewCounter struct {
	d    *DB
	rows map[string]*newRows // by since and body
}

// NewCounter starts counting.
func (d *DB) NewCounter() *NewCounter { return &NewCounter{d: d, rows: map[string]*newRows{}} }

func (nc *NewCounter) since(ctx context.Context, since int64, body string) (*newRows, error) {
	k := strconv.FormatInt(since, 10) + "\x00" + body
	if n, ok := nc.rows[k]; ok {
		return n, nil
	}
	n, err := nc.d.newRowsSince(ctx, since, body)
	if err != nil {
		return nil, err
	}
	nc.rows[k] = n
	return n, nil
}

// Count sets f.New (or f.Problem) to what is new in it since it was seen,
// and for a proposal its status now.
func (nc *NewCounter) Count(ctx context.Context, f *Follow) error {
	d := nc.d
	f.New, f.Problem = 0, msg.Text{}
	switch f.Kind {
	case FollowSearch:
		q := ParseQuery(f.Target)
		if !q.Refused.IsZero() {
			f.Problem = msg.T("this kurultai does not read the query: %v", q.Refused)
			return nil
		}
		c, err := d.compile(ctx, q)
		if err != nil {
			return err
		}
		if c.none {
			return nil
		}
		n, err := nc.since(ctx, f.SeenBatch, "")
		if err != nil {
			return err
		}
		f.New, err = d.countIn(ctx, c.match, c.lo, c.hi, n)
		return err
	case FollowSpeaker:
		var key int64
		err := d.queryRow(ctx, "SELECT id FROM search_keys WHERE kind = 'speaker' AND value = ?", f.Target).Scan(&key)
		if errors.Is(err, sql.ErrNoRows) {
			f.Problem = msg.T("the archive no longer has this speaker")
			return nil
		}
		if err != nil {
			return Friendly(err)
		}
		n, err := nc.since(ctx, f.SeenBatch, "")
		if err != nil {
			return err
		}
		lo, hi := dateRange("", "")
		f.New, err = d.countIn(ctx, `{tags} : "p`+strconv.FormatInt(key, 10)+`"`, lo, hi, n)
		return err
	case FollowBody:
		n, err := nc.since(ctx, f.SeenBatch, f.Target)
		if err != nil {
			return err
		}
		f.New = n.rows()
		return nil
	case FollowProposal:
		var batch int64
		err := d.queryRow(ctx, "SELECT status, batch FROM proposals WHERE id = ?", f.Target).Scan(&f.Status, &batch)
		if errors.Is(err, sql.ErrNoRows) {
			f.Problem = msg.T("the archive no longer has this proposal")
			return nil
		}
		if err != nil {
			return Friendly(err)
		}
		var events int
		err = d.queryRow(ctx, "SELECT count(*) FROM proposal_events WHERE proposal_id = ? AND batch > ?", f.Target, f.SeenBatch).Scan(&events)
		if err != nil {
			return Friendly(err)
		}
		f.New = events
		if batch > f.SeenBatch {
			f.New++ // its own text changed
		}
		f.StatusMoved = f.Status != f.seenStatus
		return nil
	}
	f.Problem = msg.T("this kurultai does not know follows of the kind %q", f.Kind)
	return nil
}

// Hits lists what is new for a follow of a search, a speaker or a body:
// the results that batches after it was seen added or changed, newest
// first, at most limit of them (0: all).
func (nc *NewCounter) Hits(ctx context.Context, f Follow, limit int) ([]Hit, error) {
	d := nc.d
	var q Query
	var c *compiled
	body := ""
	switch f.Kind {
	case FollowSearch:
		q = ParseQuery(f.Target)
		if !q.Refused.IsZero() {
			return nil, &msg.Error{Text: q.Refused}
		}
		var err error
		if c, err = d.compile(ctx, q); err != nil {
			return nil, err
		}
		if c.none {
			return nil, nil
		}
	case FollowSpeaker:
		var key int64
		if err := d.queryRow(ctx, "SELECT id FROM search_keys WHERE kind = 'speaker' AND value = ?", f.Target).Scan(&key); err != nil {
			return nil, Friendly(err)
		}
		c = &compiled{match: `{tags} : "p` + strconv.FormatInt(key, 10) + `"`}
		c.lo, c.hi = dateRange("", "")
	case FollowBody:
		body = f.Target
		var err error
		if c, err = d.compile(ctx, Query{}); err != nil {
			return nil, err
		}
	default:
		return nil, msg.Errorf("a %v follow has no results to list", FollowKindWord(f.Kind))
	}
	n, err := nc.since(ctx, f.SeenBatch, body)
	if err != nil {
		return nil, err
	}
	var out []Hit
	for i := len(n.ranges) - 1; i >= 0; i-- {
		r := n.ranges[i]
		cr := *c
		cr.lo, cr.hi = max(r[0], c.lo), min(r[1], c.hi)
		if cr.lo > cr.hi {
			continue
		}
		want := -1
		if limit > 0 {
			want = limit - len(out)
			if want <= 0 {
				break
			}
		}
		if err := d.each(ctx, q, &cr, true, want, 0, func(h Hit) error {
			out = append(out, h)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}
