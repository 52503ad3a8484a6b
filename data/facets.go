package data

import (
	"context"
	"fmt"
)

// Facet is one value of a facet with how many matches have it.
type Facet struct {
	Field string `json:"field"` // kind, year, lang, session, speaker
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
	// Query is what adds this value to a query, such as session:nk-5.
	Query string `json:"query"`
}

// Facets counts a query's matches by kind, year, language, session and
// speaker (the eight largest of the last two), over the newest
// CandidateCap matches; Capped says the counts are of those only.
type Facets struct {
	Values []Facet
	Capped bool
}

// Facets counts the matches of q by facet.
func (d *DB) Facets(ctx context.Context, q Query) (*Facets, error) {
	out := &Facets{}
	if q.Empty() {
		return out, nil
	}
	match := q.Match()
	if err := d.resolveSpeakers(ctx, &q); err != nil {
		return nil, err
	}
	if q.Kind == "" || q.Kind == "speech" {
		f := q.paragraphFilter()
		// The matches are counted by speech first: the speeches, sessions
		// and speakers are then read once for each speech, not once for
		// each of up to CandidateCap paragraphs.
		sqlText := `WITH per AS MATERIALIZED (SELECT p.speech_id AS spid, count(*) AS n
				FROM (SELECT rowid AS id FROM para_fts WHERE para_fts MATCH ? ORDER BY rowid DESC LIMIT ?) f
				JOIN paragraphs p ON p.id = f.id
				GROUP BY p.speech_id),
			m AS MATERIALIZED (SELECT s.id AS sid, s.date || ' ' || s.title AS stitle, substr(s.date, 1, 4) AS year,
				sp.language AS lang, coalesce(spk.id, '') AS who, coalesce(spk.name, '') AS name, per.n AS n
			FROM per
			JOIN speeches sp ON sp.id = per.spid
			JOIN sessions s ON s.id = sp.session_id
			LEFT JOIN speakers spk ON spk.id = sp.speaker_id
			WHERE 1` + f.where + `)
			SELECT 'all', '', '', coalesce(sum(n), 0) FROM m
			UNION ALL SELECT 'year', year, year, sum(n) FROM m GROUP BY year
			UNION ALL SELECT 'lang', lang, lang, sum(n) FROM m GROUP BY lang
			UNION ALL SELECT * FROM (SELECT 'session', sid, stitle, sum(n) AS c FROM m GROUP BY sid ORDER BY c DESC LIMIT 8)
			UNION ALL SELECT * FROM (SELECT 'speaker', who, name, sum(n) AS c FROM m WHERE who != '' GROUP BY who ORDER BY c DESC LIMIT 8)`
		rows, err := d.query(ctx, sqlText, append([]any{match, CandidateCap + 1}, f.args...)...)
		if err != nil {
			return nil, searchError(err)
		}
		for rows.Next() {
			var v Facet
			if err := rows.Scan(&v.Field, &v.Value, &v.Label, &v.Count); err != nil {
				rows.Close()
				return nil, searchError(err)
			}
			if v.Field == "all" {
				if v.Count > CandidateCap {
					out.Capped = true
				}
				if v.Count > 0 {
					out.Values = append(out.Values, Facet{Field: "kind", Value: "speech", Label: "speech", Count: min(v.Count, CandidateCap)})
				}
				continue
			}
			out.Values = append(out.Values, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, searchError(err)
		}
	}
	if (q.Kind == "" || q.Kind == "proposal" || q.Kind == "session") && q.Speaker == "" {
		f := q.metaFilter()
		if q.Kind != "" {
			f.where += " AND m.kind = ?"
			f.args = append(f.args, q.Kind)
		}
		sqlText := `SELECT m.kind, substr(s.date, 1, 4), s.language, s.id, s.date || ' ' || s.title FROM meta_fts m
			LEFT JOIN proposals pr ON m.kind = 'proposal' AND pr.id = m.ref
			JOIN sessions s ON s.id = CASE m.kind WHEN 'session' THEN m.ref ELSE pr.session_id END
			WHERE meta_fts MATCH ?` + f.where + " LIMIT ?"
		rows, err := d.query(ctx, sqlText, append(append([]any{match}, f.args...), CandidateCap)...)
		if err != nil {
			return nil, searchError(err)
		}
		add := func(field, value, label string) {
			for i := range out.Values {
				if out.Values[i].Field == field && out.Values[i].Value == value {
					out.Values[i].Count++
					return
				}
			}
			out.Values = append(out.Values, Facet{Field: field, Value: value, Label: label, Count: 1})
		}
		for rows.Next() {
			var kind, year, lang, sid, stitle string
			if err := rows.Scan(&kind, &year, &lang, &sid, &stitle); err != nil {
				rows.Close()
				return nil, searchError(err)
			}
			add("kind", kind, kind)
			add("year", year, year)
			add("lang", lang, lang)
			add("session", sid, stitle)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, searchError(err)
		}
	}
	for i := range out.Values {
		v := &out.Values[i]
		switch v.Field {
		case "kind":
			v.Query = "kind:" + v.Value
		case "year":
			v.Query = fmt.Sprintf("from:%s to:%s", v.Value, v.Value)
		case "lang":
			v.Query = "lang:" + v.Value
		case "session":
			v.Query = "session:" + v.Value
		case "speaker":
			v.Query = "speaker:" + v.Value // the id: one speaker, not every name like it
		}
		if v.Label == "" {
			v.Label = "—"
		}
	}
	return out, nil
}
