-- Full-text search. Paragraphs are indexed in a contentless FTS5 table
-- whose rowid is the paragraph's id: the text is not stored twice (the
-- paragraphs table holds it, and snippets are cut from it), and
-- contentless_delete lets a re-import remove the rows it replaces.
-- Session titles and summaries and proposals, far fewer, go in a second
-- table that keeps its content and names its record. Triggers keep both in
-- step with every write, whoever makes it.
--
-- unicode61 with remove_diacritics 2 folds case in Cyrillic and Kazakh
-- (ҚАЗАҚСТАН finds қазақстан) without mapping one letter to another.

CREATE VIRTUAL TABLE para_fts USING fts5(
    heading, text,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE meta_fts USING fts5(
    title, text, kind UNINDEXED, ref UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER paragraphs_fts_insert AFTER INSERT ON paragraphs BEGIN
    INSERT INTO para_fts (rowid, heading, text) VALUES (new.id, new.heading, new.text);
END;
CREATE TRIGGER paragraphs_fts_delete AFTER DELETE ON paragraphs BEGIN
    DELETE FROM para_fts WHERE rowid = old.id;
END;

-- meta_fts rows get their rowid from meta_rows, so that removing one is a
-- lookup, not a scan of the table's unindexed columns.
CREATE TABLE meta_rows (
    id   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ref  TEXT NOT NULL,
    UNIQUE (kind, ref)
);

CREATE TRIGGER sessions_fts_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO meta_rows (kind, ref) VALUES ('session', new.id);
    INSERT INTO meta_fts (rowid, title, text, kind, ref) VALUES (last_insert_rowid(), new.title, new.summary, 'session', new.id);
END;
CREATE TRIGGER sessions_fts_delete AFTER DELETE ON sessions BEGIN
    DELETE FROM meta_fts WHERE rowid = (SELECT id FROM meta_rows WHERE kind = 'session' AND ref = old.id);
    DELETE FROM meta_rows WHERE kind = 'session' AND ref = old.id;
END;

CREATE TRIGGER proposals_fts_insert AFTER INSERT ON proposals BEGIN
    INSERT INTO meta_rows (kind, ref) VALUES ('proposal', new.id);
    INSERT INTO meta_fts (rowid, title, text, kind, ref) VALUES (last_insert_rowid(), new.title, new.text, 'proposal', new.id);
END;
CREATE TRIGGER proposals_fts_delete AFTER DELETE ON proposals BEGIN
    DELETE FROM meta_fts WHERE rowid = (SELECT id FROM meta_rows WHERE kind = 'proposal' AND ref = old.id);
    DELETE FROM meta_rows WHERE kind = 'proposal' AND ref = old.id;
END;

INSERT INTO para_fts (rowid, heading, text) SELECT id, heading, text FROM paragraphs;
INSERT INTO meta_rows (kind, ref) SELECT 'session', id FROM sessions;
INSERT INTO meta_rows (kind, ref) SELECT 'proposal', id FROM proposals;
INSERT INTO meta_fts (rowid, title, text, kind, ref)
    SELECT r.id, s.title, s.summary, 'session', s.id FROM meta_rows r JOIN sessions s ON r.kind = 'session' AND s.id = r.ref;
INSERT INTO meta_fts (rowid, title, text, kind, ref)
    SELECT r.id, p.title, p.text, 'proposal', p.id FROM meta_rows r JOIN proposals p ON r.kind = 'proposal' AND p.id = r.ref;
