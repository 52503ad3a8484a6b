-- What is new is decided by batches, never by clock times. Every import
-- (and every sync) that changes the archive is a batch: when, what kind,
-- from where, and how many sessions it added, changed and removed. Each
-- paragraph and timeline event carries the batch that last added or
-- changed it; each speech and proposal the batch that last added it or
-- changed its own fields (a speech whose paragraph changed has that
-- paragraph's batch there, not its own; a proposal's status is its
-- timeline's last step, whose event has the batch); each session the batch that last
-- touched anything in it (batch), the one that last changed its own
-- record (record_batch) and the one that first added it (created_batch). What was there before batches were kept carries 0. AUTOINCREMENT: the number of a batch that was kept is
-- never given again, even once its row is gone, so a reader's "seen up to
-- batch N" keeps its meaning. (A batch whose import failed was never seen,
-- and its number may be given again.)
CREATE TABLE batches (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    kind    TEXT NOT NULL,             -- import, sync or sample
    source  TEXT NOT NULL DEFAULT '',  -- the files or the server it came from
    added   INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0
);
ALTER TABLE sessions ADD COLUMN batch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN record_batch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN created_batch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE speeches ADD COLUMN batch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE paragraphs ADD COLUMN batch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE proposals ADD COLUMN batch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE proposal_events ADD COLUMN batch INTEGER NOT NULL DEFAULT 0;
-- "What changed since batch N" starts from the sessions it touched.
CREATE INDEX sessions_by_batch ON sessions (batch);
-- What a batch removed: sessions, and the speeches and proposals that a
-- changed session no longer has.
CREATE TABLE removed (
    batch   INTEGER NOT NULL,
    kind    TEXT NOT NULL,   -- session, speech or proposal
    id      TEXT NOT NULL,
    session TEXT NOT NULL,
    title   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (batch, kind, id)
) WITHOUT ROWID;
