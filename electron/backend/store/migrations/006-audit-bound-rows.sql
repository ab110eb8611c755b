-- Signed reports are stored in the case database, so that `audit --verify` can check the chain
-- against them (a signed report names its own report.sign entry). The same step binds the case
-- rows written before this version to the audit log (store/db.ts: an audit.baseline entry,
-- electron/backend/cases/rows.ts).
ALTER TABLE case_reports ADD COLUMN pdf BLOB;
