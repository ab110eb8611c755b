-- Source removals as steps of the data state (docs/DATABASE.md, "Source removals"): the change
-- tracking (009) numbers data states by source id, and a removal deletes its source's row and
-- statements, so it would leave no trace of what it changed. Each removal takes the next number
-- of the sources' sequence (a source imported later gets a higher id: store/sources.ts
-- nextSourceId), and keeps the objects whose facts it changed as they were before it.

CREATE TABLE source_removals (
  -- the data state the removal made: above every source id and removal before it
  state INTEGER PRIMARY KEY,
  -- the removed source, as it was (its row in sources is gone)
  source_id INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  format TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  removed_at TEXT NOT NULL,
  removed_by TEXT
) STRICT;

-- One row per object whose stated content the removal changed: it had no other source (removed)
-- or another source's earlier statement of it speaks again (fell back). Objects the removed
-- source stated as another source still does are not kept: their facts did not change.
CREATE TABLE source_removal_objects (
  id INTEGER PRIMARY KEY,
  state INTEGER NOT NULL REFERENCES source_removals (state),
  object TEXT NOT NULL CHECK (object IN ('entity', 'link', 'undisclosed')),
  key TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('removed', 'fell back')),
  -- the entity whose verdict the object bears on (a link's owned entity, a marker's subject, the
  -- entity itself), a link's owner and kind, and the object's text, as they were before
  entity_id INTEGER NOT NULL,
  owner_id INTEGER,
  link_kind TEXT,
  text TEXT NOT NULL,
  record_ref TEXT,
  -- fell back: the source that states the object now
  fell_back_to INTEGER
) STRICT;

CREATE INDEX source_removal_objects_state ON source_removal_objects (state);
