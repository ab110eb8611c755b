-- History without copies (#13). Until 006 record_history held the whole normalized content of
-- every record at every import: the same file imported twice doubled it. Now:
-- - record_keys: one row per record key (entity reference, link or marker key) with a hash of the
--   content it last stated, so the writer tells an unchanged record by one indexed lookup;
-- - record_statements: one row per record an import stated (or deleted, or no longer contained):
--   a few integers, pointing at the content stated;
-- - record_contents: each distinct content of a key, stored once, packed and deflated in blocks
--   of consecutive content ids (a re-stated record points at the content already stored).
-- record_history stays as a view with the columns its readers used (id, object, object_key,
-- source_id, record_ref, action), plus content_id. The step in code (store/history.ts,
-- migrateHistory) moves the rows of the old table into the new ones and drops it.

CREATE TABLE record_keys (
  id INTEGER PRIMARY KEY,
  object TEXT NOT NULL CHECK (object IN ('entity','link','undisclosed')),
  key TEXT NOT NULL,
  -- 48-bit hash of the content the key last stated; NULL after a deletion
  hash INTEGER,
  -- the content last stated (record_contents), NULL after a deletion
  content INTEGER,
  UNIQUE (key, object)
) STRICT;

CREATE TABLE record_statements (
  id INTEGER PRIMARY KEY,
  key_id INTEGER NOT NULL REFERENCES record_keys(id),
  source_id INTEGER NOT NULL REFERENCES sources(id),
  -- the record in the source: an integer N stands for "line N", other references are text
  record_ref ANY NOT NULL,
  -- 0 insert, 1 update, 2 unchanged, 3 delete, 4 dropped (a full file of the kind no longer contains it)
  action INTEGER NOT NULL CHECK (action BETWEEN 0 AND 4),
  -- the content stated; NULL for delete and dropped
  content INTEGER
) STRICT;

CREATE INDEX record_statements_key ON record_statements(key_id);
-- Deletions, found without reading the history (a link or marker key with no row that was never
-- deleted is inserted without a history lookup, as with 005).
CREATE INDEX record_statements_deletions ON record_statements(action) WHERE action = 3;

-- Contents first … first + count - 1, one JSON document per line (the fact without its record
-- reference, which the statement carries), deflated (raw deflate).
CREATE TABLE record_contents (
  first INTEGER PRIMARY KEY,
  count INTEGER NOT NULL CHECK (count > 0),
  data BLOB NOT NULL
) STRICT;

ALTER TABLE record_history RENAME TO record_history_006;

CREATE VIEW record_history AS
  SELECT st.id AS id, k.object AS object, k.key AS object_key, st.source_id AS source_id,
    CASE WHEN typeof(st.record_ref) = 'integer' THEN 'line ' || st.record_ref ELSE st.record_ref END AS record_ref,
    CASE st.action WHEN 0 THEN 'insert' WHEN 1 THEN 'update' WHEN 2 THEN 'unchanged' WHEN 3 THEN 'delete' ELSE 'dropped' END AS action,
    st.content AS content_id
  FROM record_statements st JOIN record_keys k ON k.id = st.key_id;
