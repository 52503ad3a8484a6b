-- Bookmark numbers are never used twice: with AUTOINCREMENT SQLite never
-- gives a row the id of one deleted before, so "bookmarks rm 5" can never
-- leave a later bookmark 5 for a script or a note to mistake for it.
--
-- SQLite cannot add AUTOINCREMENT to a table, so both tables are made
-- again and their rows copied, numbers and tags as they were. The new tag
-- table refers to the new bookmarks table from the start, so that dropping
-- the old one (with foreign keys on, a delete) cascades to nothing; the
-- renames then carry the reference over.

CREATE TABLE bookmarks_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    uid        TEXT NOT NULL UNIQUE,      -- stable across export and import
    owner      TEXT NOT NULL,             -- the local user, or an SSH key
    archive    TEXT NOT NULL,             -- the archive's identity
    doc        TEXT NOT NULL,             -- speech or proposal id
    session    TEXT NOT NULL DEFAULT '',  -- its session and date when bookmarked,
    date       TEXT NOT NULL DEFAULT '',  -- for listing by session a page at a time
    para_from  INTEGER NOT NULL,
    para_to    INTEGER NOT NULL,
    quote      TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created    TEXT NOT NULL,
    updated    TEXT NOT NULL
);
INSERT INTO bookmarks_new (id, uid, owner, archive, doc, session, date, para_from, para_to, quote, note, created, updated)
    SELECT id, uid, owner, archive, doc, session, date, para_from, para_to, quote, note, created, updated FROM bookmarks;

CREATE TABLE bookmark_tags_new (
    bookmark INTEGER NOT NULL REFERENCES bookmarks_new (id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    PRIMARY KEY (bookmark, tag)
) WITHOUT ROWID;
INSERT INTO bookmark_tags_new (bookmark, tag) SELECT bookmark, tag FROM bookmark_tags;

DROP TABLE bookmark_tags;
DROP TABLE bookmarks;
ALTER TABLE bookmarks_new RENAME TO bookmarks;
ALTER TABLE bookmark_tags_new RENAME TO bookmark_tags;

CREATE INDEX bookmarks_by_owner ON bookmarks (owner, created, id);
CREATE INDEX bookmarks_by_session ON bookmarks (owner, date DESC, session, doc, para_from, id);
CREATE INDEX bookmarks_by_doc ON bookmarks (owner, doc, para_from, para_to);
CREATE INDEX bookmark_tags_by_tag ON bookmark_tags (tag);
