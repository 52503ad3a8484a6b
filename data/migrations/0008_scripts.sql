-- Search across scripts and accents (issue 15).
--
-- The text columns hold text folded before FTS5 reads it (Greek accents
-- and final sigma, Russian ё; see data/fold.go), and three columns are
-- added, which no word of a query matches unless it asks for them:
--
--   kcyr   the Kazakh cross-script keys of the Cyrillic words of a row in
--          Kazakh (data/kazakh.go); empty in other rows
--   klat   the same of its Latin words
--   exact  for a row with words the fold changes, those words as written,
--          for the =word operator (data/fold.go, appendExact)
--
-- FTS5 cannot add a column, so the index is made anew; the rows are
-- written again from the records, under the rowids search_runs gives
-- them, by the Go step of this migration (reindexSearch).

DROP TABLE search_fts;

CREATE VIRTUAL TABLE search_fts USING fts5(
    body, heading, title, name, place, source, tags, kcyr, klat, exact,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
