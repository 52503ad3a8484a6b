-- Bookmarks live in a file of their own, never in the archive, so that an
-- archive can stay read-only and shared. Each bookmark keeps the text it
-- quoted, so that it can find its passage again after a re-import.

CREATE TABLE bookmarks (
    id         INTEGER PRIMARY KEY,
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
CREATE INDEX bookmarks_by_owner ON bookmarks (owner, created, id);
CREATE INDEX bookmarks_by_session ON bookmarks (owner, date DESC, session, doc, para_from, id);
CREATE INDEX bookmarks_by_doc ON bookmarks (owner, doc);

CREATE TABLE bookmark_tags (
    bookmark INTEGER NOT NULL REFERENCES bookmarks (id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    PRIMARY KEY (bookmark, tag)
) WITHOUT ROWID;
CREATE INDEX bookmark_tags_by_tag ON bookmark_tags (tag);
