-- Core model: sources, entities and their names/countries/identifiers, links, undisclosed
-- markers, and the history of which source said what. Shares are integer units (1% = 10,000).

CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  file_path TEXT,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  format TEXT NOT NULL,
  data_date TEXT,
  imported_at TEXT NOT NULL,
  records INTEGER NOT NULL DEFAULT 0,
  entities INTEGER NOT NULL DEFAULT 0,
  links INTEGER NOT NULL DEFAULT 0,
  markers INTEGER NOT NULL DEFAULT 0,
  deletions INTEGER NOT NULL DEFAULT 0,
  warnings TEXT NOT NULL DEFAULT '[]'
) STRICT;

CREATE TABLE entities (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('company','person','branch','fund','state-body','unknown')),
  name TEXT NOT NULL,
  status TEXT,
  registration_status TEXT,
  category TEXT,
  topics TEXT NOT NULL DEFAULT '[]',
  attributes TEXT NOT NULL DEFAULT '{}',
  -- 1 when only referenced by a link or marker, never described by a record of its own
  is_placeholder INTEGER NOT NULL DEFAULT 0 CHECK (is_placeholder IN (0,1)),
  source_id INTEGER REFERENCES sources(id),
  record_ref TEXT,
  -- the key of the entity record that last described it (scheme:value)
  record_key TEXT
) STRICT;

CREATE TABLE identifiers (
  scheme TEXT NOT NULL,
  value TEXT NOT NULL,
  entity_id INTEGER NOT NULL REFERENCES entities(id),
  source_id INTEGER REFERENCES sources(id),
  record_ref TEXT,
  PRIMARY KEY (scheme, value)
) STRICT, WITHOUT ROWID;

CREATE TABLE entity_names (
  id INTEGER PRIMARY KEY,
  entity_id INTEGER NOT NULL REFERENCES entities(id),
  record_key TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  lang TEXT,
  source_id INTEGER REFERENCES sources(id),
  record_ref TEXT
) STRICT;

CREATE TABLE entity_countries (
  id INTEGER PRIMARY KEY,
  entity_id INTEGER NOT NULL REFERENCES entities(id),
  record_key TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('headquarters','jurisdiction','legal-address','residence','nationality')),
  code TEXT,
  subdivision TEXT,
  text TEXT NOT NULL,
  source_id INTEGER REFERENCES sources(id),
  record_ref TEXT
) STRICT;

CREATE TABLE links (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  owner_id INTEGER NOT NULL REFERENCES entities(id),
  owned_id INTEGER NOT NULL REFERENCES entities(id),
  kind TEXT NOT NULL CHECK (kind IN ('shares','votes','control','branch','fund-management','other')),
  control_basis TEXT CHECK (control_basis IN ('consolidation','board','influence','other')),
  -- share interval in units; all NULL when the source states no share
  share_lo INTEGER,
  share_lo_open INTEGER,
  share_hi INTEGER,
  share_hi_open INTEGER,
  stated TEXT NOT NULL,
  is_summary INTEGER NOT NULL CHECK (is_summary IN (0,1)),
  start_date TEXT,
  end_date TEXT,
  status TEXT NOT NULL CHECK (status IN ('active','inactive','unknown')),
  registration_status TEXT,
  attributes TEXT NOT NULL DEFAULT '{}',
  source_id INTEGER NOT NULL REFERENCES sources(id),
  record_ref TEXT NOT NULL
) STRICT;

CREATE TABLE undisclosed (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  entity_id INTEGER NOT NULL REFERENCES entities(id),
  category TEXT NOT NULL CHECK (category IN ('no-parent','withheld','unknown')),
  scope TEXT NOT NULL CHECK (scope IN ('direct','ultimate','any')),
  reason TEXT NOT NULL,
  detail TEXT,
  share_lo INTEGER,
  share_lo_open INTEGER,
  share_hi INTEGER,
  share_hi_open INTEGER,
  start_date TEXT,
  end_date TEXT,
  status TEXT NOT NULL CHECK (status IN ('active','inactive','unknown')),
  source_id INTEGER NOT NULL REFERENCES sources(id),
  record_ref TEXT NOT NULL
) STRICT;

-- Which source said what: one row per record an import touched, with the normalized content.
CREATE TABLE record_history (
  id INTEGER PRIMARY KEY,
  object TEXT NOT NULL CHECK (object IN ('entity','link','undisclosed')),
  object_key TEXT NOT NULL,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  record_ref TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('insert','update','unchanged','delete')),
  content TEXT NOT NULL
) STRICT;

-- Substring search in any script (trigram), names of every type incl. previous/transliterated.
CREATE VIRTUAL TABLE name_search USING fts5(name, content='entity_names', content_rowid='id', tokenize='trigram remove_diacritics 1');
CREATE TRIGGER entity_names_ai AFTER INSERT ON entity_names BEGIN
  INSERT INTO name_search(rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER entity_names_ad AFTER DELETE ON entity_names BEGIN
  INSERT INTO name_search(name_search, rowid, name) VALUES ('delete', old.id, old.name);
END;

CREATE INDEX identifiers_entity ON identifiers(entity_id);
CREATE INDEX entity_names_entity ON entity_names(entity_id, record_key);
CREATE INDEX entity_countries_entity ON entity_countries(entity_id, record_key);
CREATE INDEX links_owned ON links(owned_id);
CREATE INDEX links_owner ON links(owner_id);
CREATE INDEX undisclosed_entity ON undisclosed(entity_id);
CREATE INDEX record_history_key ON record_history(object, object_key);
CREATE INDEX record_history_source ON record_history(source_id);
