-- What belongs to each reader, for several servers that share it: the
-- bookmarks, follows, baselines and opened documents that a single
-- server keeps in its bookmarks file (bookmark_migrations), in one schema
-- of their own. Text compares as bytes (COLLATE "C"), as SQLite compares
-- it, so that both stores list in the same order whatever the database's
-- locale.

CREATE TABLE bookmarks (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- never used twice
    uid        text COLLATE "C" NOT NULL UNIQUE,
    owner      text COLLATE "C" NOT NULL,
    archive    text COLLATE "C" NOT NULL,
    doc        text COLLATE "C" NOT NULL,
    session    text COLLATE "C" NOT NULL DEFAULT '',
    date       text COLLATE "C" NOT NULL DEFAULT '',
    para_from  integer NOT NULL,
    para_to    integer NOT NULL,
    quote      text NOT NULL,
    note       text NOT NULL DEFAULT '',
    created    text COLLATE "C" NOT NULL,
    updated    text COLLATE "C" NOT NULL,
    -- The note, quote and document id folded as the search folds them,
    -- for the bookmarks screen's filter.
    folded     text NOT NULL DEFAULT ''
);
CREATE INDEX bookmarks_by_owner ON bookmarks (owner, created, id);
CREATE INDEX bookmarks_by_session ON bookmarks (owner, date DESC, session, doc, para_from, id);
CREATE INDEX bookmarks_by_doc ON bookmarks (owner, doc, para_from, para_to);

-- A tag may be as long as a note, longer than a btree index row may be
-- (2,704 bytes): tags are indexed by their digest, or by a hash index.
CREATE TABLE bookmark_tags (
    bookmark   bigint NOT NULL REFERENCES bookmarks (id) ON DELETE CASCADE,
    tag        text COLLATE "C" NOT NULL,
    folded     text NOT NULL
);
CREATE UNIQUE INDEX bookmark_tags_once ON bookmark_tags (bookmark, md5(tag));
CREATE INDEX bookmark_tags_by_tag ON bookmark_tags USING hash (tag);

CREATE TABLE follows (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner       text COLLATE "C" NOT NULL,
    archive     text COLLATE "C" NOT NULL,
    name        text NOT NULL,
    kind        text COLLATE "C" NOT NULL,
    target      text COLLATE "C" NOT NULL,
    seen_batch  bigint NOT NULL,
    seen_at     text COLLATE "C" NOT NULL,
    seen_status text NOT NULL DEFAULT '',
    created     text COLLATE "C" NOT NULL
);
-- A search's query may be long: it is indexed by its digest.
CREATE UNIQUE INDEX follows_once ON follows (owner, archive, kind, md5(target));

CREATE TABLE baselines (
    owner   text COLLATE "C" NOT NULL,
    archive text COLLATE "C" NOT NULL,
    batch   bigint NOT NULL,
    PRIMARY KEY (owner, archive)
);

CREATE TABLE opened (
    owner   text COLLATE "C" NOT NULL,
    archive text COLLATE "C" NOT NULL,
    doc     text COLLATE "C" NOT NULL,
    batch   bigint NOT NULL,
    PRIMARY KEY (owner, archive, doc)
);
