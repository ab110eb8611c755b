-- Cases (subject, policy, verdict snapshot, decision, notes, evidence files, reports) and the
-- append-only, hash-chained audit log. Timestamps are ISO-8601 UTC text.

CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  subject_ref TEXT NOT NULL,
  subject_name TEXT,
  policy_name TEXT NOT NULL,
  policy_sha256 TEXT NOT NULL,
  policy_json TEXT NOT NULL,
  -- The verdict JSON as computed, frozen: a report must show what was decided on, not today's data.
  verdict_json TEXT,
  computed_verdict TEXT CHECK (computed_verdict IN ('restricted', 'clear', 'indeterminate')),
  computed_at TEXT,
  decision TEXT CHECK (decision IN ('confirm', 'override')),
  decided_verdict TEXT CHECK (decided_verdict IN ('restricted', 'clear', 'indeterminate')),
  justification TEXT,
  decided_by TEXT,
  decided_at TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'decided', 'reported')),
  created_at TEXT NOT NULL,
  created_by TEXT,
  CHECK (decision IS NULL OR (decided_verdict IS NOT NULL AND decided_at IS NOT NULL)),
  CHECK (decision IS NOT 'override' OR length(trim(coalesce(justification, ''))) > 0),
  CHECK (status = 'open' OR decision IS NOT NULL)
) STRICT;

CREATE INDEX cases_subject ON cases (subject_ref);

CREATE TABLE case_notes (
  id INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases (id),
  text TEXT NOT NULL CHECK (length(trim(text)) > 0),
  author TEXT,
  created_at TEXT NOT NULL
) STRICT;

CREATE INDEX case_notes_case ON case_notes (case_id);

-- Evidence files live inside the case database so that the case file is self-contained.
CREATE TABLE case_evidence_files (
  id INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases (id),
  file_name TEXT NOT NULL,
  media_type TEXT,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,
  added_at TEXT NOT NULL,
  added_by TEXT,
  UNIQUE (case_id, sha256)
) STRICT;

CREATE TABLE case_reports (
  id INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases (id),
  pdf_sha256 TEXT NOT NULL,
  evidence_sha256 TEXT NOT NULL,
  verdict TEXT NOT NULL,
  signer_name TEXT,
  signer_cert_sha256 TEXT,
  audit_head TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE INDEX case_reports_case ON case_reports (case_id);

-- Each entry's hash covers the previous entry's hash and the entry's canonical content, so an
-- edited, inserted or deleted entry breaks the chain at that point. The triggers stop accidental
-- changes through SQL; the chain is what detects deliberate ones (a trigger can be dropped).
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT,
  action TEXT NOT NULL,
  case_id TEXT,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
) STRICT;

CREATE INDEX audit_log_case ON audit_log (case_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
