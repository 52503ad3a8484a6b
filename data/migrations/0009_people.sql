-- What a list of persons says of each speaker, languages of paragraphs of
-- their own, and lemmas (issue 16).
--
-- speakers.person is the record a ParlaMint list of persons (listPerson)
-- gives of the speaker, as JSON (sessions.PersonInfo): their names with
-- the dates they were used, sex, birth, links to pages about them, and
-- their dated affiliations with each organisation named from the list of
-- organisations (listOrg). Empty where no list gives one. It is the
-- person's, not a speech's: every import that gives it writes it again.
ALTER TABLE speakers ADD COLUMN person TEXT NOT NULL DEFAULT '';

-- paragraphs.lang is a paragraph's language where it is not its speech's
-- (a speech that mixes languages); the search index files the paragraph
-- under its own language (a run of its own, search_runs.lang).
ALTER TABLE paragraphs ADD COLUMN lang TEXT NOT NULL DEFAULT '';

-- paragraphs.lemmas are the lemmas of a paragraph's words where an
-- annotated (.ana) source gives them: a line a word, the word as written
-- and its lemma separated by a tab. The search index holds the lemmas in
-- the klat column, each word of a lemma as a token that begins with the
-- character U+E010 (of private use), which no Kazakh key holds (data/lemma.go).
ALTER TABLE paragraphs ADD COLUMN lemmas TEXT NOT NULL DEFAULT '';
