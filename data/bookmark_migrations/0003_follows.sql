-- Follows and what each reader has seen live beside the bookmarks, never in
-- the archive, which stays read-only and shared. What is new is decided by
-- the archive's batches: a follow has seen everything up to seen_batch.

CREATE TABLE follows (
    id         INTEGER PRIMARY KEY AUTOINCREMENT, -- never used twice
    owner      TEXT NOT NULL,
    archive    TEXT NOT NULL,   -- the archive's identity
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,   -- search, speaker, body or proposal
    target     TEXT NOT NULL,   -- the query, the speaker's id, the body, the proposal's id
    seen_batch INTEGER NOT NULL,
    seen_at    TEXT NOT NULL,
    seen_status TEXT NOT NULL DEFAULT '', -- a proposal's status when seen
    created    TEXT NOT NULL,
    UNIQUE (owner, archive, kind, target)
);

-- The batch of the archive when each reader first used it: nothing older
-- is new to them.
CREATE TABLE baselines (
    owner   TEXT NOT NULL,
    archive TEXT NOT NULL,
    batch   INTEGER NOT NULL,
    PRIMARY KEY (owner, archive)
) WITHOUT ROWID;

-- Documents a reader opened, and the archive's batch then: what changed
-- in them after it is new again.
CREATE TABLE opened (
    owner   TEXT NOT NULL,
    archive TEXT NOT NULL,
    doc     TEXT NOT NULL,   -- a session, speech or proposal id
    batch   INTEGER NOT NULL,
    PRIMARY KEY (owner, archive, doc)
) WITHOUT ROWID;
