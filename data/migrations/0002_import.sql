-- Imports: a digest of each session's content, so that importing the same
-- source twice changes nothing and a changed source is updated in place;
-- and the topic of an utterance (ParlaMint's ana="topic:…").
ALTER TABLE sessions ADD COLUMN hash TEXT NOT NULL DEFAULT '';
ALTER TABLE speeches ADD COLUMN topic TEXT NOT NULL DEFAULT '';
