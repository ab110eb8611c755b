// Binding the case tables to the audit log. Every entry that creates or changes a case, note,
// evidence file or report row carries, in its payload, `rows: [{table, key, sha256}]`: the SHA-256
// of the row's canonical serialization right after the change. `verifyAuditChain` recomputes the
// hash of every row today and compares it with the newest entry that bound it, so a row edited,
// inserted or deleted with SQL (which the chain alone never sees) is named.
//
// Canonical row serialization (version 1, docs/CASES.md):
//   sha256( canonicalJson({ table, row: { column: value, … } }) )
// with the columns listed below by their SQL names, values as SQLite stores them (TEXT → string,
// INTEGER → number, NULL → null), keys sorted, no whitespace. Left out, because they are bound
// another way: `case_evidence_files.content` (its `sha256` column is bound, and checked against
// the bytes), `case_reports.pdf`, `pdf_sha256`, `evidence_sha256`, `audit_head` (they are known
// only once the PDF is signed, which happens after its report.sign entry is computed; the stored
// PDF authenticates them by its signature and by the audit head it embeds).
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.js';
import { canonicalJson } from '../report/evidence.js';
import { appendAudit } from './audit.js';

export const BOUND_TABLES = {
  cases: [
    'id', 'subject_ref', 'subject_name', 'policy_name', 'policy_sha256', 'policy_json', 'verdict_json', 'computed_verdict', 'computed_at',
    'decision', 'decided_verdict', 'justification', 'decided_by', 'decided_at', 'status', 'created_at', 'created_by',
  ],
  case_notes: ['id', 'case_id', 'text', 'author', 'created_at'],
  case_evidence_files: ['id', 'case_id', 'file_name', 'media_type', 'size', 'sha256', 'added_at', 'added_by'],
  case_reports: ['id', 'case_id', 'verdict', 'signer_name', 'signer_cert_sha256', 'created_at'],
  // investigator assertions (migration 010): the whole row, the fact included; a document's bytes
  // are bound through its sha256 column, checked against them like an evidence file's
  assertions: [
    'id', 'fact', 'content', 'entity_id', 'owner_id', 'document_id', 'cite', 'reason', 'actor', 'created_at', 'source_id', 'status',
    'retracted_at', 'retracted_by', 'retraction_reason',
  ],
  assertion_documents: ['id', 'file_name', 'media_type', 'size', 'sha256', 'reference', 'added_at', 'added_by'],
} as const satisfies Record<string, readonly string[]>;

export type BoundTable = keyof typeof BOUND_TABLES;
export const BOUND_TABLE_NAMES = Object.keys(BOUND_TABLES) as BoundTable[];

export interface RowBinding {
  table: BoundTable;
  /** The row's primary key: the case id, or the note, file or report id. */
  key: string | number;
  sha256: string;
}

export type RowValues = Record<string, unknown>;

/** The SHA-256 of the canonical serialization of `row` (extra columns are ignored). */
export function rowSha256(table: BoundTable, row: RowValues): string {
  const picked: RowValues = {};
  for (const c of BOUND_TABLES[table]) picked[c] = row[c] ?? null;
  return createHash('sha256').update(canonicalJson({ table, row: picked }, 0)).digest('hex');
}

const selectSql = (table: BoundTable) => `SELECT ${BOUND_TABLES[table].join(', ')} FROM ${table}`;

export function readRow(db: Db, table: BoundTable, key: string | number): RowValues | undefined {
  return db.prepare(`${selectSql(table)} WHERE id = ?`).get(key) as RowValues | undefined;
}

/** Every row of a bound table, in key order (for verification). */
export function readRows(db: Db, table: BoundTable): RowValues[] {
  return db.prepare(`${selectSql(table)} ORDER BY id`).all() as RowValues[];
}

/** The binding of a row as it is now: call after the change, in its transaction. */
export function bindRow(db: Db, table: BoundTable, key: string | number): RowBinding {
  const row = readRow(db, table, key);
  if (!row) throw new Error(`internal: no ${table} row ${key} to bind`);
  return { table, key, sha256: rowSha256(table, row) };
}

/** Reads a payload's bindings, ignoring anything that is not one (old entries have none). */
export function bindingsOf(payload: unknown): RowBinding[] {
  const rows = payload && typeof payload === 'object' ? (payload as { rows?: unknown }).rows : undefined;
  if (!Array.isArray(rows)) return [];
  return rows.filter(
    (r): r is RowBinding =>
      !!r && typeof r === 'object' && (BOUND_TABLE_NAMES as string[]).includes((r as RowBinding).table) &&
      (typeof (r as RowBinding).key === 'string' || typeof (r as RowBinding).key === 'number') && typeof (r as RowBinding).sha256 === 'string',
  );
}

export const BASELINE_ACTION = 'audit.baseline';

/**
 * Schema 6 upgrade step (runs inside the migration transaction): rows written before rows were
 * bound get one `audit.baseline` entry binding their content as found at the upgrade. Their
 * earlier history is attested only by the entries of that time (which carry no row hashes).
 * A database with no case rows (a new one) gets no entry.
 */
export function bindExistingRows(db: Db): void {
  const rows: RowBinding[] = [];
  // tables of later migrations do not exist yet at this step (and have no rows to bind)
  const present = new Set(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all() as string[]);
  for (const table of BOUND_TABLE_NAMES.filter((t) => present.has(t))) for (const r of readRows(db, table)) rows.push({ table, key: r.id as string | number, sha256: rowSha256(table, r) });
  if (rows.length === 0) return;
  appendAudit(db, {
    action: BASELINE_ACTION,
    payload: { schema: 6, reason: 'Case rows written before schema 6 are bound to the log from this entry on.', rows },
  });
}
