// The append-only, hash-chained audit log of a case database.
//   hash(n) = SHA-256( hash(n-1) + "\n" + canonicalJson({seq, at, actor, action, caseId, payload}) )
// with hash(0) = 64 zeros. Verification (verify-audit.ts) walks the chain and names the first entry
// that breaks it.
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.js';
import { canonicalJson } from '../report/evidence.js';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditAction =
  | 'import'
  | 'resolution'
  | 'verdict'
  | 'case.create'
  | 'case.verdict'
  | 'case.decide'
  | 'case.note'
  | 'case.evidence'
  | 'report.sign'
  | (string & {});

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string | null;
  action: AuditAction;
  caseId: string | null;
  payload: unknown;
  prevHash: string;
  hash: string;
}

export interface AppendAuditInput {
  action: AuditAction;
  payload?: unknown;
  caseId?: string | null;
  actor?: string | null;
  at?: string;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  case_id: string | null;
  payload: string;
  prev_hash: string;
  hash: string;
}

export function entryHash(prevHash: string, e: { seq: number; at: string; actor: string | null; action: string; caseId: string | null; payload: string }): string {
  const content = canonicalJson({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, caseId: e.caseId, payload: e.payload }, 0);
  return createHash('sha256').update(`${prevHash}\n${content}`).digest('hex');
}

export function toEntry(r: AuditRow): AuditEntry {
  let payload: unknown = r.payload;
  try {
    payload = JSON.parse(r.payload);
  } catch {
    // Kept as text: a tampered payload must still be listable.
  }
  return { seq: r.seq, at: r.at, actor: r.actor, action: r.action, caseId: r.case_id, payload, prevHash: r.prev_hash, hash: r.hash };
}

/** An entry computed but not yet written: its hash can go into a report before it is appended. */
export interface PreparedAuditEntry {
  entry: AuditEntry;
  /** The canonical payload text that was hashed. */
  payloadText: string;
}

/** Computes the next entry on the current head without writing it. */
export function prepareAudit(db: Db, input: AppendAuditInput): PreparedAuditEntry {
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const at = input.at ?? new Date().toISOString();
  const payloadText = canonicalJson(input.payload ?? {}, 0);
  const row = { seq, at, actor: input.actor ?? null, action: input.action, caseId: input.caseId ?? null, payload: payloadText };
  const hash = entryHash(prevHash, row);
  return { entry: toEntry({ seq, at, actor: row.actor, action: row.action, case_id: row.caseId, payload: payloadText, prev_hash: prevHash, hash }), payloadText };
}

export class AuditHeadMovedError extends Error {
  constructor(seq: number) {
    super(`The audit log changed while entry ${seq} was being prepared (another change was recorded first).`);
    this.name = 'AuditHeadMovedError';
  }
}

/** Writes a prepared entry; refuses if another entry was appended since it was computed. */
export function insertPreparedAudit(db: Db, prepared: PreparedAuditEntry): AuditEntry {
  const e = prepared.entry;
  const head = auditHead(db);
  if (head.seq !== e.seq - 1 || head.hash !== e.prevHash) throw new AuditHeadMovedError(e.seq);
  db.prepare('INSERT INTO audit_log (seq, at, actor, action, case_id, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    e.seq,
    e.at,
    e.actor,
    e.action,
    e.caseId,
    prepared.payloadText,
    e.prevHash,
    e.hash,
  );
  return e;
}

/** Appends one entry. Call inside the transaction of the change it records. */
export function appendAudit(db: Db, input: AppendAuditInput): AuditEntry {
  return db.transaction((): AuditEntry => insertPreparedAudit(db, prepareAudit(db, input)))();
}

export function listAudit(db: Db, filter: { caseId?: string; limit?: number } = {}): AuditEntry[] {
  const rows = (
    filter.caseId
      ? db.prepare('SELECT * FROM audit_log WHERE case_id = ? ORDER BY seq').all(filter.caseId)
      : db.prepare('SELECT * FROM audit_log ORDER BY seq').all()
  ) as AuditRow[];
  return (filter.limit ? rows.slice(-filter.limit) : rows).map(toEntry);
}

export interface AuditHeadInfo {
  seq: number;
  hash: string;
  at: string | null;
}

export function auditHead(db: Db): AuditHeadInfo {
  const r = db.prepare('SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1').get() as AuditHeadInfo | undefined;
  return r ?? { seq: 0, hash: GENESIS_HASH, at: null };
}


// Verification lives in verify-audit.ts (it reads the case tables and signed reports too, and
// loads the PDF verifier: kept out of this module, which store/db.ts loads for every command).
