-- What changed after an update (docs/CHANGES in docs/CLI.md `changes`, docs/DATABASE.md):
-- saved watchlists (a portfolio screening kept under a name), the verdict of every watched
-- subject (case or watchlist row) each time it was computed, and the ranges of sources each
-- re-check covered. Facts are never copied here: which objects an import changed is read from
-- the record history (store/changes.ts).

CREATE TABLE watchlists (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
  -- the effective policy as saved; re-screening moves only its as-of date to the day of the check
  policy_json TEXT NOT NULL,
  policy_sha256 TEXT NOT NULL,
  list_file TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT
) STRICT;

CREATE TABLE watchlist_rows (
  id INTEGER PRIMARY KEY,
  watchlist_id INTEGER NOT NULL REFERENCES watchlists (id) ON DELETE CASCADE,
  -- the row number in the list file (header = row 1)
  row INTEGER NOT NULL,
  input TEXT NOT NULL,
  match TEXT NOT NULL,
  -- the entity the row resolved to when saved (NULL: ambiguous, not found, invalid)
  entity_id INTEGER REFERENCES entities (id),
  note TEXT NOT NULL DEFAULT '',
  UNIQUE (watchlist_id, row)
) STRICT;

-- One row per computation of a watched subject's verdict. source_id is the data state it was
-- computed on (the highest source id then); "before an import" is the latest check below it.
CREATE TABLE verdict_checks (
  id INTEGER PRIMARY KEY,
  target TEXT NOT NULL CHECK (target IN ('case', 'watchlist')),
  -- a case id (C-0001) or a watchlist_rows id
  target_id TEXT NOT NULL,
  source_id INTEGER NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('restricted', 'clear', 'indeterminate')),
  -- {"verdict", "control": {"verdict", "share"}, "lookThrough": {"verdict", "share"}}
  result_json TEXT NOT NULL,
  checked_at TEXT NOT NULL
) STRICT;

CREATE INDEX verdict_checks_target ON verdict_checks (target, target_id, source_id);

-- Each re-check: the sources (from_source < id <= through_source) whose changes it applied.
CREATE TABLE change_checks (
  id INTEGER PRIMARY KEY,
  from_source INTEGER NOT NULL,
  through_source INTEGER NOT NULL,
  affected_entities INTEGER NOT NULL,
  recomputed INTEGER NOT NULL,
  checked_at TEXT NOT NULL
) STRICT;
