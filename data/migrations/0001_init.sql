-- The congress record. Ids are the stable ids of the sessions package;
-- paragraphs carry an integer key so that a full-text index can point at them.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    number     INTEGER NOT NULL DEFAULT 0,
    date       TEXT NOT NULL,
    place      TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL DEFAULT '',
    language   TEXT NOT NULL DEFAULT '',
    provenance TEXT NOT NULL DEFAULT '',
    sources    TEXT NOT NULL DEFAULT '[]',
    origin     TEXT NOT NULL DEFAULT ''
);
-- The sessions list: newest first, and keyset pages on (date, id).
CREATE INDEX sessions_by_date ON sessions (date, id);
CREATE INDEX sessions_by_origin ON sessions (origin);

CREATE TABLE speakers (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT ''
);

CREATE TABLE speeches (
    id         TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    speaker_id TEXT REFERENCES speakers (id),
    ord        INTEGER NOT NULL,
    title      TEXT NOT NULL DEFAULT '',
    language   TEXT NOT NULL DEFAULT '',
    source_url TEXT NOT NULL DEFAULT '',
    provenance TEXT NOT NULL DEFAULT '',
    role       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX speeches_by_session ON speeches (session_id, ord, id);
CREATE INDEX speeches_by_speaker ON speeches (speaker_id);

CREATE TABLE paragraphs (
    id        INTEGER PRIMARY KEY,
    speech_id TEXT NOT NULL REFERENCES speeches (id) ON DELETE CASCADE,
    number    INTEGER NOT NULL,
    heading   TEXT NOT NULL DEFAULT '',
    text      TEXT NOT NULL,
    words     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (speech_id, number)
);

CREATE TABLE proposals (
    id         TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    ord        INTEGER NOT NULL,
    title      TEXT NOT NULL,
    text       TEXT NOT NULL DEFAULT '',
    category   TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT '',
    provenance TEXT NOT NULL DEFAULT ''
);
CREATE INDEX proposals_by_session ON proposals (session_id, ord, id);

CREATE TABLE proposal_events (
    proposal_id TEXT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    date        TEXT NOT NULL,
    status      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    confidence  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (proposal_id, seq)
) WITHOUT ROWID;

CREATE TABLE proposal_refs (
    proposal_id TEXT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    speech_id   TEXT NOT NULL REFERENCES speeches (id) ON DELETE CASCADE,
    paragraph   INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, speech_id, paragraph)
) WITHOUT ROWID;
-- "Proposals made in this paragraph", for the reader.
CREATE INDEX proposal_refs_by_speech ON proposal_refs (speech_id, paragraph);
