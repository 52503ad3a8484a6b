-- Speakers as of the day they spoke (issue 16): a speech keeps its
-- speaker's party or group on that day, short and full, and its side
-- (coalition or opposition); a speaker keeps their gender. ParlaMint gives
-- them in its list of persons and organisations and in each sitting's
-- -meta.tsv. Empty where the source says nothing.
ALTER TABLE speeches ADD COLUMN party TEXT NOT NULL DEFAULT '';
ALTER TABLE speeches ADD COLUMN party_name TEXT NOT NULL DEFAULT '';
ALTER TABLE speeches ADD COLUMN side TEXT NOT NULL DEFAULT '';
ALTER TABLE speakers ADD COLUMN gender TEXT NOT NULL DEFAULT '';
