-- How often each word occurs in the archive's running text (issue 17):
-- the paragraphs of speeches and proposals, sessions' summaries and the
-- notes of proposals' timelines, the rows whose text the body column of
-- the search index holds. Words are the index's own, folded as it folds
-- them (data/words.go). The word '' (which no word is) holds the total.
--
-- Keywords compare a part of the archive with the rest, and
-- collocations a word's neighbours with how common each is: both need
-- these counts, which reading them from the index would take seconds.
-- Every import keeps them in step: it adds the words of the rows it
-- writes and takes away those of the rows it removes. The Go step of
-- this migration (fillWordCounts) counts them once.
CREATE TABLE word_counts (
    word TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;
