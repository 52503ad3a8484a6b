-- One search index for everything the reader shows (issue 12).
--
-- search_fts holds a row for each result there can be: a speech paragraph,
-- a proposal paragraph, a session's record, a speech's or a proposal's
-- title, a speaker's name and a proposal's timeline event. Its rowid is
-- the row's date and place: the date as YYYYMMDD in the bits above 32
-- (0 for the undated speaker rows), then a number given out in order
-- within that date. Date order is rowid order, and from:/to: are rowid
-- ranges that FTS5 seeks to.
--
-- The tags column holds the values a query filters by, as tokens FTS5
-- intersects with the words: k<kind>, s<session key>, p<speaker key>,
-- l<language key> (keys in search_keys). Words are never matched against
-- it. A speech paragraph's row shares its rowid with paragraphs.id.
--
-- search_runs names the rows: each run is a block of consecutive rowids
-- of one kind that belong to one document (a speech, a proposal or a
-- session), with the keys of its filters. Facets and document counts read
-- the runs once into memory and walk them beside the matching rowids.
--
-- The rows are written by the importer (data/search_index.go), which also
-- rebuilds them from the records when this migration is applied.

DROP TRIGGER IF EXISTS paragraphs_fts_insert;
DROP TRIGGER IF EXISTS paragraphs_fts_delete;
DROP TRIGGER IF EXISTS sessions_fts_insert;
DROP TRIGGER IF EXISTS sessions_fts_delete;
DROP TRIGGER IF EXISTS proposals_fts_insert;
DROP TRIGGER IF EXISTS proposals_fts_delete;
DROP TABLE IF EXISTS para_fts;
DROP TABLE IF EXISTS meta_fts;
DROP TABLE IF EXISTS meta_rows;

CREATE VIRTUAL TABLE search_fts USING fts5(
    body, heading, title, name, place, source, tags,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE search_keys (
    id    INTEGER PRIMARY KEY,
    kind  TEXT NOT NULL, -- session, speaker or lang
    value TEXT NOT NULL,
    UNIQUE (kind, value)
);

CREATE TABLE search_runs (
    start   INTEGER PRIMARY KEY,
    stop    INTEGER NOT NULL,  -- the last rowid of the run
    kind    INTEGER NOT NULL,  -- see runKind in data/search_index.go
    doc     INTEGER NOT NULL,  -- the first rowid of its document; 0 for speakers
    session INTEGER NOT NULL,  -- search_keys ids; 0 for none
    speaker INTEGER NOT NULL,
    lang    INTEGER NOT NULL,
    ref     TEXT NOT NULL,     -- the speech, proposal, session or speaker id
    first   INTEGER NOT NULL   -- the number of the run's first paragraph or event
);
CREATE INDEX search_runs_by_session ON search_runs (session);
CREATE INDEX search_runs_by_ref ON search_runs (ref, kind);

INSERT INTO meta (key, value) VALUES ('search_generation', '1')
    ON CONFLICT (key) DO UPDATE SET value = '1';
