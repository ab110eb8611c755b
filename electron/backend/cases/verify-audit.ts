// Verification of a case database's audit trail, in three parts (docs/CASES.md, "audit"):
//  1. the chain: every entry's hash recomputed from genesis, in sequence;
//  2. the case tables: every case, note, evidence file and report row hashed today and compared
//     with the newest entry that bound it (rows.ts), evidence bytes with their SHA-256;
//  3. anchors: signed reports (stored in the database, or given as files) name an entry by seq and
//     hash. A chain alone can be rewritten from any point with recomputed hashes, and its newest
//     entries deleted, without a trace; an entry a signature covers cannot. So entries up to the
//     newest anchor that holds are protected; newer ones are said to be not protected.
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.js';
import { evidenceBodySha256, type Evidence } from '../report/evidence.js';
import { verifyReport } from '../report/verify.js';
import { GENESIS_HASH, auditHead, entryHash, toEntry, type AuditHeadInfo, type AuditRow } from './audit.js';
import { listStoredReports } from './cases.js';
import { assertionProblems } from '../assertions/check.js';
import { BOUND_TABLE_NAMES, bindingsOf, readRows, rowSha256, type BoundTable } from './rows.js';

export type AuditProblem = 'edited' | 'deleted' | 'inserted' | 'truncated';

export type AuditProblemCode =
  | AuditProblem
  | 'row-edited'
  | 'row-deleted'
  | 'row-unbound'
  | 'file-mismatch'
  | 'report-missing'
  | 'report-invalid'
  | 'anchor-missing'
  | 'anchor-mismatch';

export interface AuditProblemInfo {
  code: AuditProblemCode;
  message: string;
  /** The entry concerned, when there is one. */
  seq?: number | null;
  table?: BoundTable;
  key?: string | number;
}

/** A signed report to check the chain against. */
export interface ReportAnchorInput {
  source: 'database' | 'file';
  pdf: Buffer;
  /** The file given (source "file"). */
  file?: string;
  /** The case_reports row (source "database"). */
  reportId?: number;
}

/** 'untrusted': the report is intact and matches the chain, but its signer is not in the trust list,
 * so it protects nothing (anyone can make a self-signed look-alike identity and re-sign a rewritten chain). */
export type AnchorStatus = 'ok' | 'untrusted' | 'missing' | 'changed' | 'broken' | 'invalid';

export interface AuditAnchor {
  /** The entry the report signed (its audit head), null when the report does not verify. */
  seq: number | null;
  hash: string | null;
  status: AnchorStatus;
  message: string;
  report: {
    source: 'database' | 'file';
    file: string | null;
    reportId: number | null;
    caseId: string | null;
    pdfSha256: string;
    evidenceSha256: string | null;
    signer: { name: string; certSha256: string } | null;
    signedAt: string | null;
    /** Whether the signer's certificate is in the trust list given (null: no readable signer). */
    signerTrusted: boolean | null;
    /** True when the report's audit head is its own report.sign entry (reports from schema 6 on). */
    headIsSigningEntry: boolean;
  };
}

export type AuditStatus = 'intact' | 'not-protected' | 'broken';

export interface AuditVerification {
  /** No problem found (chain, rows, anchors). */
  isValid: boolean;
  /** "intact": valid and every entry protected by a signed report; "not-protected": valid, but entries from unprotectedFrom on are covered by no signature; "broken": a problem was found. */
  status: AuditStatus;
  count: number;
  head: AuditHeadInfo;
  /** The first entry where the chain itself breaks, and how (null when the chain is whole). */
  firstBad: { seq: number; problem: AuditProblem; message: string } | null;
  anchors: AuditAnchor[];
  /** Entries 1..protectedThrough are covered by a signed report that still matches (0: none). */
  protectedThrough: number;
  /** The first entry no signature covers, or null when all are. */
  unprotectedFrom: number | null;
  /** Every problem found: the chain's first break, then rows, files and anchors. */
  problems: AuditProblemInfo[];
}

export interface VerifyAuditOptions {
  /** A head hash held elsewhere: its absence means the newest entries were deleted. */
  expectedHead?: string;
  /** Reports given as files, in addition to the ones the database stores. */
  reports?: ReportAnchorInput[];
  /** The user's trusted signer fingerprints, to say whether each anchor's signer is trusted. */
  trustList?: string[];
  /** Whether to use the reports the database stores (default true). */
  storedReports?: boolean;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const short = (h: string) => h.slice(0, 12);

function walkChain(rows: AuditRow[]): AuditVerification['firstBad'] {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const r of rows) {
    if (r.seq !== expectedSeq) {
      return {
        seq: expectedSeq,
        problem: r.seq > expectedSeq ? 'deleted' : 'inserted',
        message: r.seq > expectedSeq ? `Entry ${expectedSeq}${r.seq - expectedSeq > 1 ? `–${r.seq - 1}` : ''} was deleted.` : `Entry ${r.seq} is out of sequence.`,
      };
    }
    const recomputed = entryHash(r.prev_hash, { seq: r.seq, at: r.at, actor: r.actor, action: r.action, caseId: r.case_id, payload: r.payload });
    if (recomputed !== r.hash) return { seq: r.seq, problem: 'edited', message: `Entry ${r.seq} (${r.action}, ${r.at}) was edited: its content no longer matches its hash.` };
    if (r.prev_hash !== prev) {
      // This entry is intact but its predecessor's hash changed: the predecessor was rewritten
      // with a recomputed hash (or replaced together with its sequence number).
      return { seq: r.seq - 1, problem: 'edited', message: `Entry ${r.seq - 1} was edited or replaced: entry ${r.seq} no longer links to it.` };
    }
    prev = r.hash;
    expectedSeq++;
  }
  return null;
}

const tableLabel: Record<BoundTable, string> = {
  cases: 'case', case_notes: 'note', case_evidence_files: 'evidence file', case_reports: 'report', assertions: 'assertion', assertion_documents: 'assertion document',
};

/** Part 2: the case tables against the newest binding of each row. */
function checkRows(db: Db, rows: AuditRow[], problems: AuditProblemInfo[]): void {
  const latest = new Map<string, { table: BoundTable; key: string | number; sha256: string; seq: number; hash: string; action: string }>();
  for (const r of rows) {
    for (const b of bindingsOf(toEntry(r).payload)) latest.set(`${b.table}\u0000${b.key}`, { ...b, seq: r.seq, hash: r.hash, action: r.action });
  }
  const legacySigns = rows.filter((r) => r.action === 'report.sign').map((r) => toEntry(r));
  for (const table of BOUND_TABLE_NAMES) {
    for (const row of readRows(db, table)) {
      const key = row.id as string | number;
      const id = `${table}\u0000${key}`;
      const b = latest.get(id);
      latest.delete(id);
      const name = `${tableLabel[table]} ${key}${table !== 'cases' && row.case_id ? ` of case ${String(row.case_id)}` : ''}`;
      if (!b) {
        problems.push({ code: 'row-unbound', table, key, message: `The ${name} (${table} row ${key}) is recorded by no audit entry: it was written outside Ownerscope, or the entries recording it were deleted.` });
        continue;
      }
      if (rowSha256(table, row) !== b.sha256) {
        problems.push({ code: 'row-edited', table, key, seq: b.seq, message: `The ${name} (${table} row ${key}) was changed after audit entry ${b.seq} (${b.action}) recorded it.` });
      }
      if (table === 'case_evidence_files') {
        const f = db.prepare('SELECT content FROM case_evidence_files WHERE id = ?').get(key) as { content: Buffer };
        if (sha256(f.content) !== row.sha256 || f.content.length !== row.size) {
          problems.push({ code: 'file-mismatch', table, key, message: `The bytes of ${name} (${String(row.file_name)}) do not match the SHA-256 and size recorded for it.` });
        }
      }
      if (table === 'case_reports') checkReportRow(db, row, b, legacySigns, problems);
    }
  }
  // the documents' bytes and the ordinary rows each assertion stands for (store/assertions.ts)
  for (const p of assertionProblems(db)) problems.push(p);
  for (const b of latest.values()) {
    problems.push({ code: 'row-deleted', table: b.table, key: b.key, seq: b.seq, message: `The ${tableLabel[b.table]} ${b.key} (${b.table}) recorded by audit entry ${b.seq} (${b.action}) was deleted.` });
  }
}

/**
 * The report columns the row hash leaves out: from schema 6 on they must match the stored PDF
 * (checked with the anchors); before it, the report.sign entry of the time, which recorded them.
 */
function checkReportRow(
  db: Db,
  row: Record<string, unknown>,
  binding: { seq: number; hash: string; action: string },
  legacySigns: ReturnType<typeof toEntry>[],
  problems: AuditProblemInfo[],
): void {
  const key = row.id as number;
  const extra = db.prepare('SELECT pdf_sha256, evidence_sha256, audit_head, pdf IS NOT NULL AS stored FROM case_reports WHERE id = ?').get(key) as {
    pdf_sha256: string;
    evidence_sha256: string;
    audit_head: string;
    stored: number;
  };
  if (binding.action === 'report.sign') {
    if (!extra.stored) problems.push({ code: 'report-missing', table: 'case_reports', key, seq: binding.seq, message: `The signed PDF of report ${key} (case ${String(row.case_id)}) was removed from the database.` });
    // The PDF stored in the row must be the one that names this row's signing entry.
    else if (extra.audit_head !== binding.hash) {
      problems.push({ code: 'row-edited', table: 'case_reports', key, seq: binding.seq, message: `Report ${key} of case ${String(row.case_id)} holds another report than the one its report.sign entry ${binding.seq} recorded.` });
    }
    return;
  }
  if (extra.stored) return; // checked as an anchor
  const sign = legacySigns.find((e) => {
    const p = e.payload as { pdfSha256?: unknown; evidenceSha256?: unknown; auditHead?: unknown };
    return e.caseId === row.case_id && p.pdfSha256 === extra.pdf_sha256 && p.evidenceSha256 === extra.evidence_sha256 && p.auditHead === extra.audit_head;
  });
  if (!sign) {
    problems.push({ code: 'row-edited', table: 'case_reports', key, message: `Report ${key} of case ${String(row.case_id)}: its PDF SHA-256, evidence SHA-256 or audit head is not the one its report.sign entry recorded.` });
  }
}

/** Part 3: one signed report against the chain. */
function checkAnchor(input: ReportAnchorInput, bySeq: Map<number, AuditRow>, firstBad: AuditVerification['firstBad'], trustList: string[]): AuditAnchor {
  let v: Pick<ReturnType<typeof verifyReport>, 'isValid' | 'reasons' | 'signer' | 'signerTrusted' | 'signedAt' | 'caseId' | 'evidence' | 'evidenceSha256'>;
  try {
    v = verifyReport(input.pdf, { trustList });
  } catch (err) {
    // A crafted blob in a crafted database must not stop the check: it is an invalid report.
    v = { isValid: false, reasons: [{ code: 'not-a-report', message: `It cannot be read: ${err instanceof Error ? err.message : String(err)}.` }], signer: null, signerTrusted: null, signedAt: null, caseId: null, evidence: null, evidenceSha256: null };
  }
  const ev = v.evidence as Evidence | null;
  const head = ev?.auditHead;
  const headIsSigningEntry = head?.action === 'report.sign';
  const anchor = (status: AnchorStatus, message: string): AuditAnchor => ({
    seq: v.isValid && typeof head?.seq === 'number' ? head.seq : null,
    hash: v.isValid && head ? head.hash : null,
    status,
    message,
    report: {
      source: input.source,
      file: input.file ?? null,
      reportId: input.reportId ?? null,
      caseId: v.caseId,
      pdfSha256: sha256(input.pdf),
      evidenceSha256: v.evidenceSha256,
      signer: v.signer ? { name: v.signer.name, certSha256: v.signer.certSha256 } : null,
      signedAt: v.signedAt,
      signerTrusted: v.signerTrusted,
      headIsSigningEntry,
    },
  });
  const what = input.source === 'file' ? `The report ${input.file}` : `The stored report ${input.reportId} (case ${v.caseId ?? '?'})`;
  if (!v.isValid || !ev || !head) return anchor('invalid', `${what} does not verify: ${v.reasons.map((r) => r.message).join(' ')}`);
  if (typeof head.seq !== 'number' || !Number.isInteger(head.seq) || head.seq < 1) return anchor('invalid', `${what} names no audit entry by number.`);
  const e = bySeq.get(head.seq);
  if (!e) return anchor('missing', `${what} signed audit entry ${head.seq} (${short(head.hash)}…), which is no longer in the log: entries from ${head.seq} on were deleted.`);
  if (e.hash !== head.hash) {
    return anchor('changed', `${what} signed audit entry ${head.seq} as ${short(head.hash)}…, but the log's entry ${head.seq} is ${short(e.hash)}…: entries up to ${head.seq} were rewritten (or the report is not from this database).`);
  }
  if (headIsSigningEntry) {
    const p = toEntry(e).payload as { evidenceBodySha256?: unknown };
    if (e.action !== 'report.sign' || e.case_id !== ev.case.id || p.evidenceBodySha256 !== evidenceBodySha256(ev)) {
      return anchor('changed', `${what} names audit entry ${head.seq} as its signing entry, but that entry does not record this report.`);
    }
  }
  if (firstBad && firstBad.seq <= head.seq) return anchor('broken', `${what} covers entries 1–${head.seq}, but the chain breaks at entry ${firstBad.seq}.`);
  if (v.signerTrusted !== true) {
    // fail closed: a signature protects the chain only when the user trusts who made it
    return anchor('untrusted', `${what} covers entries 1–${head.seq}, but its signer ${v.signer!.name} (certificate sha256 ${v.signer!.certSha256}) is not in your trust list, so it protects nothing (\`ownerscope trust add ${v.signer!.certSha256} --name NAME\` once you have checked the fingerprint with its owner).`);
  }
  return anchor('ok', `${what} signed by ${v.signer!.name} covers entries 1–${head.seq}.`);
}

export function verifyAuditChain(db: Db, options: VerifyAuditOptions = {}): AuditVerification {
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[];
  const head = auditHead(db);
  const problems: AuditProblemInfo[] = [];
  let firstBad = walkChain(rows);
  if (!firstBad && options.expectedHead && !rows.some((r) => r.hash === options.expectedHead)) {
    firstBad = { seq: rows.length + 1, problem: 'truncated', message: `The audit head ${options.expectedHead} is not in the log: entries after ${rows.length} were deleted.` };
  }
  if (firstBad) problems.push({ code: firstBad.problem, seq: firstBad.seq, message: firstBad.message });

  checkRows(db, rows, problems);

  const inputs: ReportAnchorInput[] = [];
  const storedRows = listStoredReports(db);
  if (options.storedReports !== false) {
    for (const r of storedRows) {
      if (!r.pdf) continue;
      if (sha256(r.pdf) !== r.pdfSha256) {
        problems.push({ code: 'file-mismatch', table: 'case_reports', key: r.id, message: `The stored PDF of report ${r.id} (case ${r.caseId}) does not match its recorded SHA-256.` });
      }
      inputs.push({ source: 'database', pdf: r.pdf, reportId: r.id });
    }
  }
  inputs.push(...(options.reports ?? []));
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  const anchors = inputs.map((i) => checkAnchor(i, bySeq, firstBad, options.trustList ?? []));
  const stored = new Map(storedRows.map((r) => [r.id, r]));
  for (const a of anchors) {
    const code = a.status === 'missing' ? 'anchor-missing' : a.status === 'changed' ? 'anchor-mismatch' : a.status === 'invalid' ? 'report-invalid' : null;
    if (code) problems.push({ code, seq: a.seq, message: a.message });
    // The report row's unbound columns are those of the PDF it stores.
    const r = a.report.reportId ? stored.get(a.report.reportId) : undefined;
    if (r && a.status !== 'invalid' && (r.evidenceSha256 !== a.report.evidenceSha256 || (a.report.headIsSigningEntry && r.auditHead !== a.hash) || r.caseId !== a.report.caseId)) {
      problems.push({ code: 'row-edited', table: 'case_reports', key: r.id, message: `Report ${r.id}: its evidence SHA-256, audit head or case is not that of the signed PDF it stores.` });
    }
  }
  const protectedThrough = Math.max(0, ...anchors.filter((a) => a.status === 'ok').map((a) => a.seq!));
  const unprotectedFrom = head.seq > protectedThrough ? protectedThrough + 1 : null;
  const isValid = problems.length === 0;
  return {
    isValid,
    status: !isValid ? 'broken' : unprotectedFrom === null ? 'intact' : 'not-protected',
    count: rows.length,
    head,
    firstBad,
    anchors,
    protectedThrough,
    unprotectedFrom,
    problems,
  };
}
