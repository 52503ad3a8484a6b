-- Search across scripts and accents (issue 15), and speakers as of the day
-- they spoke (issue 16).
--
-- The text columns hold text folded before FTS5 reads it (Greek accents
-- and final sigma, Russian ё; see data/fold.go), and two columns are
-- added, which no word of a query matches unless it asks for them:
--
--   klat   the Kazakh cross-script keys (data/kazakh.go) of the Latin
--          words of a row in Kazakh; empty in other rows
--   exact  for a row with words the fold changes, those words as written,
--          for the =word operator (data/fold.go, appendExact)
--
-- kazakh_words lists the Cyrillic words of the rows in Kazakh, as the
-- index holds them, under their keys: a word typed in Latin is looked up
-- here, and its Cyrillic spellings are matched in the Kazakh rows (the
-- tags column says which rows are in Kazakh). A word stays listed when
-- its rows go; it then matches nothing, which costs nothing.
--
-- FTS5 cannot add a column, so the index is made anew; the rows are
-- written again from the records, under the rowids search_runs gives
-- them, by the Go step of this migration (reindexSearch).

DROP TABLE search_fts;

CREATE VIRTUAL TABLE search_fts USING fts5(
    body, heading, title, name, place, source, tags, klat, exact,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE kazakh_words (
    key  TEXT NOT NULL,
    word TEXT NOT NULL,
    PRIMARY KEY (key, word)
) WITHOUT ROWID;

-- A speech keeps its speaker's party or group on the day, short and full,
-- and its side (coalition or opposition); a speaker keeps their gender.
-- ParlaMint gives them in its lists of persons and organisations and in
-- each sitting's -meta.tsv; they are empty where the source says nothing.
ALTER TABLE speeches ADD COLUMN party TEXT NOT NULL DEFAULT '';
ALTER TABLE speeches ADD COLUMN party_name TEXT NOT NULL DEFAULT '';
ALTER TABLE speeches ADD COLUMN side TEXT NOT NULL DEFAULT '';
ALTER TABLE speakers ADD COLUMN gender TEXT NOT NULL DEFAULT '';

-- The runs of a speech's rows carry the keys (search_keys) of its party
-- (its short and its full name), its speaker's role and gender, and its
-- side, for the party:, role:, gender: and side: filters (tags g, r, x
-- and o) and their facets.
ALTER TABLE search_runs ADD COLUMN party INTEGER NOT NULL DEFAULT 0;
ALTER TABLE search_runs ADD COLUMN party_name INTEGER NOT NULL DEFAULT 0;
ALTER TABLE search_runs ADD COLUMN role INTEGER NOT NULL DEFAULT 0;
ALTER TABLE search_runs ADD COLUMN gender INTEGER NOT NULL DEFAULT 0;
ALTER TABLE search_runs ADD COLUMN side INTEGER NOT NULL DEFAULT 0;

-- What each speaker said, counted: their speeches and words, the dates of
-- their first and last speech, and the parties they spoke for, latest
-- first (separated by the character U+001F). The speakers list reads it;
-- every import counts again the speakers of the sessions it writes or
-- removes.
CREATE TABLE speaker_stats (
    speaker_id TEXT PRIMARY KEY REFERENCES speakers (id) ON DELETE CASCADE,
    speeches   INTEGER NOT NULL,
    words      INTEGER NOT NULL,
    first      TEXT NOT NULL,
    last       TEXT NOT NULL,
    parties    TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
