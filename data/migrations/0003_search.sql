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

CREATE TRIGGER sessions_fts_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO meta_fts (title, text, kind, ref) VALUES (new.title, new.summary, 'session', new.id);
END;
CREATE TRIGGER sessions_fts_delete AFTER DELETE ON sessions BEGIN
    DELETE FROM meta_fts WHERE kind = 'session' AND ref = old.id;
END;

CREATE TRIGGER proposals_fts_insert AFTER INSERT ON proposals BEGIN
    INSERT INTO meta_fts (title, text, kind, ref) VALUES (new.title, new.text, 'proposal', new.id);
END;
CREATE TRIGGER proposals_fts_delete AFTER DELETE ON proposals BEGIN
    DELETE FROM meta_fts WHERE kind = 'proposal' AND ref = old.id;
END;

INSERT INTO para_fts (rowid, heading, text) SELECT id, heading, text FROM paragraphs;
INSERT INTO meta_fts (title, text, kind, ref) SELECT title, summary, 'session', id FROM sessions;
INSERT INTO meta_fts (title, text, kind, ref) SELECT title, text, 'proposal', id FROM proposals;
