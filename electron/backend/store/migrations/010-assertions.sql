-- Investigator-asserted facts (issue 14): a fact found in a document that the registries do not
-- have (an ownership link, the holder of an undisclosed part, a location, a kind, a listing, a new
-- entity). Each assertion is also written as ordinary rows (links, entity_countries, entities …)
-- under a `sources` row of its own with format 'assertion', so that show, trace, the graph and both
-- verdict methods read it like a registry fact of the same shape; the loader leaves those rows out
-- under a policy with useAssertions false. These tables are the record: what was asserted, on which
-- document, why, by whom, and its retraction (kept, never deleted).

-- A document cited by assertions: a file (bytes stored here, so the case file is self-contained)
-- or a reference (a URL, a registry extract number) that is not a file.
CREATE TABLE assertion_documents (
  id INTEGER PRIMARY KEY,
  file_name TEXT,
  media_type TEXT,
  size INTEGER,
  -- of the bytes; of the reference text (UTF-8) for a reference
  sha256 TEXT NOT NULL,
  reference TEXT,
  content BLOB,
  added_at TEXT NOT NULL,
  added_by TEXT,
  CHECK ((content IS NULL) <> (reference IS NULL)),
  CHECK (content IS NULL OR (file_name IS NOT NULL AND size IS NOT NULL))
) STRICT;

CREATE UNIQUE INDEX assertion_documents_sha256 ON assertion_documents (sha256, reference IS NULL);

CREATE TABLE assertions (
  id INTEGER PRIMARY KEY,
  fact TEXT NOT NULL CHECK (fact IN ('link', 'location', 'entity', 'kind', 'listed')),
  -- the fact as canonical JSON (ids, share interval, role, kind …; docs/DATABASE.md)
  content TEXT NOT NULL,
  -- the entity the fact is about: the owned entity of a link, the located, the new entity
  entity_id INTEGER NOT NULL REFERENCES entities (id),
  owner_id INTEGER REFERENCES entities (id),
  document_id INTEGER NOT NULL REFERENCES assertion_documents (id),
  cite TEXT,
  reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  actor TEXT,
  created_at TEXT NOT NULL,
  -- the sources row its ordinary rows carry
  source_id INTEGER NOT NULL UNIQUE REFERENCES sources (id),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retracted')),
  retracted_at TEXT,
  retracted_by TEXT,
  retraction_reason TEXT,
  CHECK (status = 'active' OR (retracted_at IS NOT NULL AND length(trim(coalesce(retraction_reason, ''))) > 0))
) STRICT;

CREATE INDEX assertions_entity ON assertions (entity_id);
CREATE INDEX assertions_owner ON assertions (owner_id);
