-- A transliterated search key beside the exact name: "OOO Gazprom" finds "ООО Газпром", "Elliniki"
-- finds "Ελληνική". Only names whose key differs from the name with its accents removed are here
-- (names in Cyrillic, Greek, Arabic, Hebrew, CJK, ...): Latin names are found by name_search,
-- which already removes diacritics. The key is computed in JavaScript (store/search-index.ts,
-- any-ascii), so the rows are written by indexPendingNames in the import's transaction, and this
-- migration's upgrade step (store/db.ts) fills them for the names already there.
CREATE VIRTUAL TABLE name_search_latin USING fts5(key, tokenize='trigram');

CREATE TRIGGER entity_names_ad_latin AFTER DELETE ON entity_names BEGIN
  DELETE FROM name_search_latin WHERE rowid = old.id;
END;

-- Named policies saved in the case database (the app's policy editor): the user policy object as
-- entered (a preset plus the fields that override it) and its effective policy's SHA-256 on save.
CREATE TABLE saved_policies (
  name TEXT PRIMARY KEY,
  policy TEXT NOT NULL CHECK (json_valid(policy)),
  sha256 TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  saved_by TEXT
) STRICT;
