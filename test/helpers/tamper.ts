// What an attacker with write access to a case database does: drop the append-only triggers that
// guard the audit log, then run any SQL. Used by the tests that check tampering is detected.
import Database from 'better-sqlite3';

export function tamperSql(db: string, statements: string): void {
  const h = new Database(db);
  try {
    h.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    h.exec(statements);
  } finally {
    h.close();
  }
}
