-- Flags on cases that something changed under them after their verdict was computed (#13: the
-- removal of a source the verdict used). Kept apart from the cases table: its rows are bound to
-- the audit log by their content (006), and a flag is a notice, not a change of the case.
CREATE TABLE case_flags (
  id INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  flag TEXT NOT NULL CHECK (flag IN ('source-removed')),
  detail TEXT NOT NULL,
  at TEXT NOT NULL
) STRICT;

CREATE INDEX case_flags_case ON case_flags(case_id);
