// The append-only, hash-chained audit log of a case database.
//   hash(n) = SHA-256( hash(n-1) + "\n" + canonicalJson({seq, at, actor, action, caseId, payload}) )
// with hash(0) = 64 zeros. Verification walks the chain and names the first entry that breaks it.
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

interface Row {
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

function toEntry(r: Row): AuditEntry {
  let payload: unknown = r.payload;
  try {
    payload = JSON.parse(r.payload);
  } catch {
    // Kept as text: a tampered payload must still be listable.
  }
  return { seq: r.seq, at: r.at, actor: r.actor, action: r.action, caseId: r.case_id, payload, prevHash: r.prev_hash, hash: r.hash };
}

/** Appends one entry. Call inside the transaction of the change it records. */
export function appendAudit(db: Db, input: AppendAuditInput): AuditEntry {
  const append = db.transaction((): AuditEntry => {
    const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const at = input.at ?? new Date().toISOString();
    const payload = canonicalJson(input.payload ?? {}, 0);
    const row = { seq, at, actor: input.actor ?? null, action: input.action, caseId: input.caseId ?? null, payload };
    const hash = entryHash(prevHash, row);
    db.prepare('INSERT INTO audit_log (seq, at, actor, action, case_id, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      seq,
      at,
      row.actor,
      row.action,
      row.caseId,
      payload,
      prevHash,
      hash,
    );
    return toEntry({ seq, at, actor: row.actor, action: row.action, case_id: row.caseId, payload, prev_hash: prevHash, hash });
  });
  return append();
}

export function listAudit(db: Db, filter: { caseId?: string; limit?: number } = {}): AuditEntry[] {
  const rows = (
    filter.caseId
      ? db.prepare('SELECT * FROM audit_log WHERE case_id = ? ORDER BY seq').all(filter.caseId)
      : db.prepare('SELECT * FROM audit_log ORDER BY seq').all()
  ) as Row[];
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

export type AuditProblem = 'edited' | 'deleted' | 'inserted' | 'truncated';

export interface AuditVerification {
  isValid: boolean;
  count: number;
  head: AuditHeadInfo;
  /** The first entry where the chain breaks, and how. */
  firstBad: { seq: number; problem: AuditProblem; message: string } | null;
}

/**
 * Walks the chain from the start. `expectedHead` (a hash held elsewhere, e.g. printed in a
 * signed report) additionally detects deletion of the newest entries, which a chain alone cannot.
 */
export function verifyAuditChain(db: Db, options: { expectedHead?: string } = {}): AuditVerification {
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Row[];
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  const head = auditHead(db);
  const result = (firstBad: AuditVerification['firstBad']): AuditVerification => ({ isValid: !firstBad, count: rows.length, head, firstBad });
  for (const r of rows) {
    if (r.seq !== expectedSeq) {
      return result({
        seq: expectedSeq,
        problem: r.seq > expectedSeq ? 'deleted' : 'inserted',
        message: r.seq > expectedSeq ? `Entry ${expectedSeq}${r.seq - expectedSeq > 1 ? `–${r.seq - 1}` : ''} was deleted.` : `Entry ${r.seq} is out of sequence.`,
      });
    }
    const recomputed = entryHash(r.prev_hash, { seq: r.seq, at: r.at, actor: r.actor, action: r.action, caseId: r.case_id, payload: r.payload });
    if (recomputed !== r.hash) {
      return result({ seq: r.seq, problem: 'edited', message: `Entry ${r.seq} (${r.action}, ${r.at}) was edited: its content no longer matches its hash.` });
    }
    if (r.prev_hash !== prev) {
      // This entry is intact but its predecessor's hash changed: the predecessor was rewritten
      // with a recomputed hash (or replaced together with its sequence number).
      return result({
        seq: r.seq - 1,
        problem: 'edited',
        message: `Entry ${r.seq - 1} was edited or replaced: entry ${r.seq} no longer links to it.`,
      });
    }
    prev = r.hash;
    expectedSeq++;
  }
  if (options.expectedHead && !rows.some((r) => r.hash === options.expectedHead)) {
    return result({ seq: expectedSeq, problem: 'truncated', message: `The audit head ${options.expectedHead} is not in the log: entries after ${rows.length} were deleted.` });
  }
  return result(null);
}
