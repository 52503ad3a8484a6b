-- A speaker's name in parts, as citation tools take it: the family and
-- the given names, and the same parts in other languages and scripts, a
-- JSON object by language code ({"kk": {"family": "…", "given": "…"}}),
-- or '' when there are none. Names without parts are cited as written.
ALTER TABLE speakers ADD COLUMN family TEXT NOT NULL DEFAULT '';
ALTER TABLE speakers ADD COLUMN given TEXT NOT NULL DEFAULT '';
ALTER TABLE speakers ADD COLUMN forms TEXT NOT NULL DEFAULT '';
