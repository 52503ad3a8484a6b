-- How many words each session and each speech holds (issue 17): the
-- denominators of the research views, which give a word's matches per
-- million words of a period, or per 10,000 words of a speaker or party.
--
--   speeches.words  its paragraphs' words (paragraphs.words)
--   sessions.words  the words of its running text: its speeches, its
--                   summary and its proposals' text (timeline notes are
--                   counted in their events' own dates, from the notes)
--
-- Words are counted as sessions.WordCount counts them; every import
-- writes them with the session. The Go step of this migration
-- (fillWords) counts them once for the sessions already there.
ALTER TABLE speeches ADD COLUMN words INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN words INTEGER NOT NULL DEFAULT 0;

UPDATE speeches SET words = coalesce((SELECT sum(p.words) FROM paragraphs p WHERE p.speech_id = speeches.id), 0);
