-- Unchanged confirmations without a row each (#13). A re-import that restates a record exactly
-- cost a record_statements row (and its index entry, about 35 bytes) per record: 4.7% of the
-- database for the same file imported again. Now the confirmations of one import whose record
-- reference is a line number are packed: up to 512 of them in a row here, as deflated
-- zigzag-varint deltas of (statement id, key id, line, content id) (store/history.ts,
-- ConfirmationPacker). Statement ids stay one sequence shared with record_statements (the writer
-- numbers both), so "oldest first" is one order over the two tables. Confirmations with a text
-- reference, and those written before this migration, stay rows of record_statements.
-- store/history.ts (statementsOf, historyRows) reads both; record_history (the view) shows the rows only.

CREATE TABLE record_confirmations (
  -- statement ids of the first and last confirmation of the pack
  first_id INTEGER PRIMARY KEY,
  last_id INTEGER NOT NULL,
  count INTEGER NOT NULL CHECK (count > 0),
  source_id INTEGER NOT NULL REFERENCES sources(id),
  -- the smallest and largest key id in the pack: a key's confirmations are in packs that span it
  min_key INTEGER NOT NULL,
  max_key INTEGER NOT NULL,
  data BLOB NOT NULL
) STRICT;

CREATE INDEX record_confirmations_source ON record_confirmations(source_id);
-- A key's packs, found by the key-id span of each pack (an R*Tree: one lookup whatever the number
-- of packs, where an index on min_key would visit half of them for every key).
CREATE VIRTUAL TABLE record_confirmations_span USING rtree_i32(first_id, min_key, max_key);
