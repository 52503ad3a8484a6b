-- An archive's identity, for bookmarks: it travels with the file.
INSERT OR IGNORE INTO meta (key, value) VALUES ('archive_id', lower(hex(randomblob(16))));
