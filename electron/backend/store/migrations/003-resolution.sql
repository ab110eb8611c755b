-- Entity resolution across sources (docs/RESOLUTION.md), and the archive hash of sources read
-- from a zip. Resolution never rewrites facts: links, markers, names and countries keep their
-- entity and source; entity_canonical maps each merged entity to the entity that stands for the
-- group, and the view resolved_entities gives every entity its canonical id.

-- SHA-256 of the zip archive a source was read from (the entry's own SHA-256 is sources.sha256).
ALTER TABLE sources ADD COLUMN archive_sha256 TEXT;

-- An identifier that a source record named for an entity while it already belonged to another
-- entity (the identifiers table keeps one owner per identifier). Written by the fact writer.
CREATE TABLE identifier_claims (
  id INTEGER PRIMARY KEY,
  scheme TEXT NOT NULL,
  value TEXT NOT NULL,
  entity_id INTEGER NOT NULL REFERENCES entities(id),
  holder_id INTEGER NOT NULL REFERENCES entities(id),
  source_id INTEGER REFERENCES sources(id),
  record_ref TEXT,
  UNIQUE (scheme, value, entity_id)
) STRICT;

-- The investigator's decisions, append-only. The latest decision on a pair of references wins,
-- so a decision is reversed by deciding again. References are identifiers (scheme:value), which
-- stay valid across re-imports; the entity ids at decision time are kept for the record.
CREATE TABLE resolution_decisions (
  id INTEGER PRIMARY KEY,
  ref_a TEXT NOT NULL,
  ref_b TEXT NOT NULL,
  entity_a INTEGER,
  entity_b INTEGER,
  decision TEXT NOT NULL CHECK (decision IN ('same', 'not-same')),
  decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  why TEXT
) STRICT;

-- Computed by the resolver: the evidence that put two entities in one group.
CREATE TABLE resolution_links (
  a INTEGER NOT NULL REFERENCES entities(id),
  b INTEGER NOT NULL REFERENCES entities(id),
  method TEXT NOT NULL CHECK (method IN ('identifier', 'decision')),
  reason TEXT NOT NULL,
  PRIMARY KEY (a, b)
) STRICT;

-- Computed: pairs whose names and countries agree but no identifier proves them the same.
CREATE TABLE resolution_candidates (
  a INTEGER NOT NULL REFERENCES entities(id),
  b INTEGER NOT NULL REFERENCES entities(id),
  score REAL NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (a, b)
) STRICT;

-- Computed: one row per merged entity that is not its group's canonical entity.
CREATE TABLE entity_canonical (
  entity_id INTEGER PRIMARY KEY REFERENCES entities(id),
  canonical_id INTEGER NOT NULL REFERENCES entities(id)
) STRICT;

-- What the last resolution saw, to know when it is out of date.
CREATE TABLE resolution_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  computed_at TEXT NOT NULL,
  fingerprint TEXT NOT NULL
) STRICT;

CREATE VIEW resolved_entities AS
  SELECT e.id AS entity_id, COALESCE(c.canonical_id, e.id) AS canonical_id
  FROM entities e LEFT JOIN entity_canonical c ON c.entity_id = e.id;

CREATE INDEX entity_canonical_canonical ON entity_canonical(canonical_id);
CREATE INDEX identifier_claims_entity ON identifier_claims(entity_id);
