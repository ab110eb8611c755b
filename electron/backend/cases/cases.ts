// Cases: a subject examined under a policy, the verdict snapshot, the investigator's decision,
// notes, evidence files and the reports signed. Every change is recorded in the audit log in
// the same transaction.
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.js';
import type { ReportInput, ReportSource, VerdictJson, VerdictValue } from '../report/types.js';
import { buildEvidence, canonicalJson, evidenceBodySha256, finalVerdictOf } from '../report/evidence.js';
import { pathViews } from '../report/views.js';
import { AuditHeadMovedError, appendAudit, auditHead, insertPreparedAudit, prepareAudit, type PreparedAuditEntry } from './audit.js';
import { bindRow, readRow, rowSha256, type RowBinding } from './rows.js';
import { documentContent } from '../store/assertions.js';
import type { ReportAssertion, ReportDocument } from '../report/types.js';

/**
 * The assertions a verdict snapshot used, for its report, and the documents they cite (embedded
 * when they stay under EMBED_DOCUMENTS_MAX_BYTES in all). A stored document that no longer
 * matches its SHA-256 is refused: a report must not embed changed bytes under the recorded hash.
 */
function reportAssertions(db: Db, verdict: VerdictJson, embed: boolean): Pick<ReportInput, 'assertions' | 'documents' | 'assertionSummary'> {
  const a = (verdict as unknown as { assertions?: { used?: unknown[]; summary?: string } }).assertions;
  if (!a?.used?.length) return {};
  const assertions: ReportAssertion[] = (a.used as (ReportAssertion & { documentId: number; document: ReportAssertion['document'] & { id: number } })[]).map((u) => ({
    id: u.id, fact: u.fact, text: u.text, status: u.status, cite: u.cite, reason: u.reason, actor: u.actor, createdAt: u.createdAt, content: u.content,
    document: { fileName: u.document.fileName, reference: u.document.reference, sha256: u.document.sha256, size: u.document.size },
  }));
  const documents: ReportDocument[] = [];
  if (embed) {
    const seen = new Set<string>();
    let total = 0;
    for (const u of a.used as { document: { id: number; fileName: string | null; sha256: string; size: number | null; mediaType: string | null } }[]) {
      const d = u.document;
      if (!d.fileName || seen.has(d.sha256)) continue;
      seen.add(d.sha256);
      total += d.size ?? 0;
      if (total > EMBED_DOCUMENTS_MAX_BYTES) return { assertions, documents: [], assertionSummary: a.summary ?? null };
      const content = documentContent(db, d.id);
      if (!content) continue;
      if (createHash('sha256').update(content).digest('hex') !== d.sha256) throw new CaseError('invalid-state', `The stored document ${d.fileName} no longer matches the SHA-256 the verdict recorded (${d.sha256}): the case database was altered after the verdict, so the report is not signed`);
      documents.push({ fileName: d.fileName, sha256: d.sha256, size: content.length, mediaType: d.mediaType, content });
    }
  }
  return { assertions, documents, assertionSummary: a.summary ?? null };
}

export type CaseStatus = 'open' | 'decided' | 'reported';
const VERDICTS: readonly VerdictValue[] = ['restricted', 'clear', 'indeterminate'];

export class CaseError extends Error {
  readonly code: 'not-found' | 'invalid-input' | 'invalid-state';
  constructor(code: CaseError['code'], message: string) {
    super(message);
    this.name = 'CaseError';
    this.code = code;
  }
}

export interface PolicySnapshot {
  name: string;
  sha256: string;
  [field: string]: unknown;
}

export interface CaseRecord {
  id: string;
  subjectRef: string;
  subjectName: string | null;
  policy: PolicySnapshot;
  verdict: VerdictJson | null;
  computedVerdict: VerdictValue | null;
  computedAt: string | null;
  decision: { kind: 'confirm' | 'override'; verdict: VerdictValue; justification: string | null; decidedBy: string | null; decidedAt: string } | null;
  status: CaseStatus;
  createdAt: string;
  createdBy: string | null;
}

export interface CaseNote {
  id: number;
  text: string;
  author: string | null;
  at: string;
}

export interface EvidenceFileInfo {
  id: number;
  fileName: string;
  mediaType: string | null;
  size: number;
  sha256: string;
  addedAt: string;
  addedBy: string | null;
}

interface CaseRow {
  id: string;
  subject_ref: string;
  subject_name: string | null;
  policy_json: string;
  verdict_json: string | null;
  computed_verdict: VerdictValue | null;
  computed_at: string | null;
  decision: 'confirm' | 'override' | null;
  decided_verdict: VerdictValue | null;
  justification: string | null;
  decided_by: string | null;
  decided_at: string | null;
  status: CaseStatus;
  created_at: string;
  created_by: string | null;
}

function toRecord(r: CaseRow): CaseRecord {
  return {
    id: r.id,
    subjectRef: r.subject_ref,
    subjectName: r.subject_name,
    policy: JSON.parse(r.policy_json) as PolicySnapshot,
    verdict: r.verdict_json ? (JSON.parse(r.verdict_json) as VerdictJson) : null,
    computedVerdict: r.computed_verdict,
    computedAt: r.computed_at,
    decision:
      r.decision && r.decided_verdict && r.decided_at
        ? { kind: r.decision, verdict: r.decided_verdict, justification: r.justification, decidedBy: r.decided_by, decidedAt: r.decided_at }
        : null,
    status: r.status,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

const now = () => new Date().toISOString();

/** The named investigator a decision or note is attributed to: never null, never a placeholder. */
function requireActor(actor: string | null | undefined, what: string): string {
  const name = actor?.trim();
  if (!name || name === '-') throw new CaseError('invalid-input', `${what} must be attributed to a named investigator.`);
  return name;
}

/**
 * The case still open (not reported) on this subject under this effective policy, if any: the
 * newest one. `report REF` signs it instead of opening a second case on the same question.
 */
export function findOpenCase(db: Db, subjectRef: string, policySha256: string): CaseRecord | null {
  const r = db
    .prepare("SELECT * FROM cases WHERE subject_ref = ? AND policy_sha256 = ? AND status IN ('open', 'decided') ORDER BY created_at DESC, id DESC LIMIT 1")
    .get(subjectRef, policySha256) as CaseRow | undefined;
  return r ? toRecord(r) : null;
}

export function getCase(db: Db, id: string): CaseRecord {
  const r = db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
  if (!r) throw new CaseError('not-found', `No case ${id} in this database.`);
  return toRecord(r);
}

export function listCases(db: Db, filter: { status?: CaseStatus; subjectRef?: string } = {}): CaseRecord[] {
  const where: string[] = [];
  const args: string[] = [];
  if (filter.status) (where.push('status = ?'), args.push(filter.status));
  if (filter.subjectRef) (where.push('subject_ref = ?'), args.push(filter.subjectRef));
  const sql = `SELECT * FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`;
  return (db.prepare(sql).all(...args) as CaseRow[]).map(toRecord);
}

export interface NewCaseInput {
  subjectRef: string;
  subjectName?: string | null;
  policy: PolicySnapshot;
  /** The verdict computed when the case is opened, if already known. */
  verdict?: VerdictJson | null;
  actor?: string | null;
  at?: string;
}

export function createCase(db: Db, input: NewCaseInput): CaseRecord {
  if (!input.subjectRef?.trim()) throw new CaseError('invalid-input', 'A case needs a subject.');
  if (!input.policy?.name || !/^[0-9a-f]{64}$/.test(input.policy.sha256 ?? '')) {
    throw new CaseError('invalid-input', 'A case needs the effective policy with its SHA-256.');
  }
  return db.transaction(() => {
    const at = input.at ?? now();
    // C-0001, C-0002, …: short enough to read out on the phone, unique within the database.
    const n = (db.prepare("SELECT count(*) AS n FROM cases").get() as { n: number }).n + 1;
    let id = `C-${String(n).padStart(4, '0')}`;
    for (let k = n; db.prepare('SELECT 1 FROM cases WHERE id = ?').get(id); k++) id = `C-${String(k + 1).padStart(4, '0')}`;
    db.prepare(
      'INSERT INTO cases (id, subject_ref, subject_name, policy_name, policy_sha256, policy_json, status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(id, input.subjectRef.trim(), input.subjectName ?? input.verdict?.subject.name ?? null, input.policy.name, input.policy.sha256, canonicalJson(input.policy, 0), 'open', at, input.actor ?? null);
    appendAudit(db, { action: 'case.create', caseId: id, actor: input.actor, at, payload: { subjectRef: input.subjectRef.trim(), policy: input.policy.name, policySha256: input.policy.sha256, rows: [bindRow(db, 'cases', id)] } });
    if (input.verdict) recordVerdictTx(db, id, input.verdict, input.actor ?? null, at);
    return getCase(db, id);
  })();
}

function recordVerdictTx(db: Db, id: string, verdict: VerdictJson, actor: string | null, at: string): void {
  if (!VERDICTS.includes(verdict.verdict)) throw new CaseError('invalid-input', `Unknown verdict ${String(verdict.verdict)}.`);
  const json = canonicalJson(verdict, 0);
  db.prepare('UPDATE cases SET verdict_json = ?, computed_verdict = ?, computed_at = ?, subject_name = coalesce(subject_name, ?) WHERE id = ?').run(
    json,
    verdict.verdict,
    at,
    verdict.subject?.name ?? null,
    id,
  );
  appendAudit(db, {
    action: 'case.verdict',
    caseId: id,
    actor,
    at,
    payload: { verdict: verdict.verdict, asOf: verdict.asOf, policySha256: verdict.policy?.sha256, verdictSha256: createHash('sha256').update(json).digest('hex'), rows: [bindRow(db, 'cases', id)] },
  });
}

/** Stores a (re)computed verdict snapshot. A decided case must be reopened by a new decision. */
export function recordVerdict(db: Db, id: string, verdict: VerdictJson, actor: string | null = null, at = now()): CaseRecord {
  return db.transaction(() => {
    const c = getCase(db, id);
    if (c.status !== 'open') throw new CaseError('invalid-state', `Case ${id} is ${c.status}: its verdict snapshot is frozen.`);
    recordVerdictTx(db, id, verdict, actor, at);
    return getCase(db, id);
  })();
}

export type DecisionInput = { kind: 'confirm' } | { kind: 'override'; verdict: VerdictValue; justification: string };

export function decideCase(db: Db, id: string, decision: DecisionInput & { justification?: string }, actor: string | null = null, at = now()): CaseRecord {
  return db.transaction(() => {
    const c = getCase(db, id);
    if (!c.computedVerdict) throw new CaseError('invalid-state', `Case ${id} has no computed verdict to decide on.`);
    if (c.status === 'reported') throw new CaseError('invalid-state', `Case ${id} is already reported; open a new case to revisit it.`);
    let verdict: VerdictValue = c.computedVerdict;
    const justification = decision.justification?.trim() || null;
    // A decision stands for a named person with a reason, confirming as much as overriding: a
    // signed report and the audit log must say who stood behind the verdict and why.
    const by = requireActor(actor, 'A decision');
    if (decision.kind === 'override') {
      if (!VERDICTS.includes(decision.verdict)) throw new CaseError('invalid-input', `Unknown verdict ${String(decision.verdict)}.`);
      if (!justification) throw new CaseError('invalid-input', 'An override needs a written justification.');
      verdict = decision.verdict;
    } else if (!justification) throw new CaseError('invalid-input', 'Confirming a verdict needs a written justification too.');
    db.prepare("UPDATE cases SET decision = ?, decided_verdict = ?, justification = ?, decided_by = ?, decided_at = ?, status = 'decided' WHERE id = ?").run(
      decision.kind,
      verdict,
      justification,
      by,
      at,
      id,
    );
    appendAudit(db, { action: 'case.decide', caseId: id, actor: by, at, payload: { decision: decision.kind, verdict, computedVerdict: c.computedVerdict, justification, rows: [bindRow(db, 'cases', id)] } });
    return getCase(db, id);
  })();
}

export function addNote(db: Db, id: string, text: string, authorGiven: string | null = null, at = now()): CaseNote {
  if (!text?.trim()) throw new CaseError('invalid-input', 'A note needs text.');
  const author = requireActor(authorGiven, 'A note');
  return db.transaction(() => {
    getCase(db, id);
    const r = db.prepare('INSERT INTO case_notes (case_id, text, author, created_at) VALUES (?, ?, ?, ?)').run(id, text.trim(), author, at);
    const noteId = Number(r.lastInsertRowid);
    appendAudit(db, { action: 'case.note', caseId: id, actor: author, at, payload: { noteId, text: text.trim(), rows: [bindRow(db, 'case_notes', noteId)] } });
    return { id: Number(r.lastInsertRowid), text: text.trim(), author, at };
  })();
}

export function listNotes(db: Db, id: string): CaseNote[] {
  return db.prepare('SELECT id, text, author, created_at AS at FROM case_notes WHERE case_id = ? ORDER BY id').all(id) as CaseNote[];
}

export function attachEvidenceFile(
  db: Db,
  id: string,
  file: { fileName: string; content: Buffer; mediaType?: string | null },
  actor: string | null = null,
  at = now(),
): EvidenceFileInfo {
  return db.transaction(() => {
    getCase(db, id);
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    const existing = db.prepare('SELECT id FROM case_evidence_files WHERE case_id = ? AND sha256 = ?').get(id, sha256) as { id: number } | undefined;
    if (existing) return listEvidenceFiles(db, id).find((f) => f.id === existing.id)!;
    const r = db
      .prepare('INSERT INTO case_evidence_files (case_id, file_name, media_type, size, sha256, content, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, file.fileName, file.mediaType ?? null, file.content.length, sha256, file.content, at, actor);
    const fileId = Number(r.lastInsertRowid);
    appendAudit(db, { action: 'case.evidence', caseId: id, actor, at, payload: { fileName: file.fileName, size: file.content.length, sha256, rows: [bindRow(db, 'case_evidence_files', fileId)] } });
    return { id: fileId, fileName: file.fileName, mediaType: file.mediaType ?? null, size: file.content.length, sha256, addedAt: at, addedBy: actor };
  })();
}

export function listEvidenceFiles(db: Db, id: string): EvidenceFileInfo[] {
  return db
    .prepare('SELECT id, file_name AS fileName, media_type AS mediaType, size, sha256, added_at AS addedAt, added_by AS addedBy FROM case_evidence_files WHERE case_id = ? ORDER BY id')
    .all(id) as EvidenceFileInfo[];
}

/** The stored bytes, re-hashed: a changed file is an error, not silently returned. */
export function readEvidenceFile(db: Db, id: string, fileId: number): Buffer {
  const r = db.prepare('SELECT content, sha256 FROM case_evidence_files WHERE case_id = ? AND id = ?').get(id, fileId) as { content: Buffer; sha256: string } | undefined;
  if (!r) throw new CaseError('not-found', `No evidence file ${fileId} in case ${id}.`);
  if (createHash('sha256').update(r.content).digest('hex') !== r.sha256) throw new CaseError('invalid-state', `Evidence file ${fileId} of case ${id} does not match its SHA-256.`);
  return r.content;
}

/** The sources (imported registry files) the case database holds, for the report. */
export function listSources(db: Db): ReportSource[] {
  return db
    .prepare('SELECT file_name AS fileName, sha256, size, format, data_date AS dataDate, imported_at AS importedAt FROM sources ORDER BY id')
    .all() as ReportSource[];
}

/**
 * Everything a report needs, from the case database. `sources` defaults to the files the
 * verdict's evidence cites, falling back to every imported source.
 */
/** Embedding the cited documents in a report: on by default while they stay under 10 MB in all. */
export const EMBED_DOCUMENTS_MAX_BYTES = 10 * 1024 * 1024;

export interface ReportInputOptions {
  generatedAt?: string;
  generator?: string;
  /** false: list the documents (name, SHA-256) without embedding their bytes */
  embedDocuments?: boolean;
}

export function caseReportInput(db: Db, id: string, options: ReportInputOptions = {}): ReportInput {
  const c = getCase(db, id);
  if (!c.verdict) throw new CaseError('invalid-state', `Case ${id} has no verdict snapshot to report.`);
  const all = listSources(db);
  const cited = new Set<string>();
  for (const p of pathViews(c.verdict)) for (const l of p.links) if (l.source?.sha256) cited.add(l.source.sha256);
  // The engine also lists every source whose links or markers it read (a clear verdict has no paths).
  const read = (c.verdict as unknown as { sources?: unknown }).sources;
  if (Array.isArray(read)) for (const s of read) if (s && typeof (s as { sha256?: unknown }).sha256 === 'string') cited.add((s as { sha256: string }).sha256);
  const sources = cited.size ? all.filter((s) => cited.has(s.sha256)) : all;
  const head = auditHead(db);
  const asserted = reportAssertions(db, c.verdict, options.embedDocuments ?? true);
  return {
    ...asserted,
    verdict: c.verdict,
    case: { id: c.id, status: c.status, reference: c.subjectRef, openedAt: c.createdAt },
    decision: c.decision,
    notes: listNotes(db, id).map((n) => ({ text: n.text, author: n.author, at: n.at })),
    sources: sources.length ? sources : all,
    auditHead: { hash: head.hash, seq: head.seq, at: head.at },
    generatedAt: options.generatedAt ?? now(),
    generator: options.generator,
  };
}

export interface CaseReportRecord {
  id: number;
  pdfSha256: string;
  evidenceSha256: string;
  verdict: VerdictValue;
  signerName: string | null;
  signerCertSha256: string | null;
  auditHead: string;
  createdAt: string;
}

export function listReports(db: Db, id: string): CaseReportRecord[] {
  return db
    .prepare(
      'SELECT id, pdf_sha256 AS pdfSha256, evidence_sha256 AS evidenceSha256, verdict, signer_name AS signerName, signer_cert_sha256 AS signerCertSha256, audit_head AS auditHead, created_at AS createdAt FROM case_reports WHERE case_id = ? ORDER BY id',
    )
    .all(id) as CaseReportRecord[];
}

/** The case report recorded with this evidence SHA-256, if this database signed it. */
export function findReportByEvidence(db: Db, evidenceSha256: string): (CaseReportRecord & { caseId: string }) | null {
  const r = db
    .prepare(
      'SELECT id, case_id AS caseId, pdf_sha256 AS pdfSha256, evidence_sha256 AS evidenceSha256, verdict, signer_name AS signerName, signer_cert_sha256 AS signerCertSha256, audit_head AS auditHead, created_at AS createdAt FROM case_reports WHERE evidence_sha256 = ? ORDER BY id LIMIT 1',
    )
    .get(evidenceSha256) as (CaseReportRecord & { caseId: string }) | undefined;
  return r ?? null;
}

/** The signed PDFs this database stores (schema 6 on), for the audit check. */
export function listStoredReports(db: Db): Array<CaseReportRecord & { caseId: string; pdf: Buffer | null }> {
  return db
    .prepare(
      'SELECT id, case_id AS caseId, pdf_sha256 AS pdfSha256, evidence_sha256 AS evidenceSha256, verdict, signer_name AS signerName, signer_cert_sha256 AS signerCertSha256, audit_head AS auditHead, created_at AS createdAt, pdf FROM case_reports ORDER BY id',
    )
    .all() as Array<CaseReportRecord & { caseId: string; pdf: Buffer | null }>;
}

/**
 * The report.sign entry of a report about to be rendered, computed on the current head but not
 * written: its hash goes into the report (the evidence's audit head), so a signed report names the
 * chain including its own signing entry. The entry binds the case_reports row and the case row as
 * they will be once the report is recorded, and the evidence without its audit head.
 */
export interface PreparedReport {
  caseId: string;
  input: ReportInput;
  sign: PreparedAuditEntry;
  reportId: number;
  reportRow: Record<string, unknown>;
  caseRowBefore: string;
  evidenceBodySha256: string;
}

export function prepareReport(
  db: Db,
  id: string,
  signer: { name: string | null; certSha256: string },
  options: ReportInputOptions & { actor?: string | null; at?: string } = {},
): PreparedReport {
  const c = getCase(db, id);
  if (!c.decision) throw new CaseError('invalid-state', `Case ${id} has no decision: decide before reporting.`);
  const at = options.at ?? now();
  const base = caseReportInput(db, id, options);
  const verdict = finalVerdictOf(base);
  const bodySha = evidenceBodySha256(buildEvidence(base));
  const reportId = (db.prepare('SELECT coalesce(max(id), 0) + 1 AS n FROM case_reports').get() as { n: number }).n;
  const caseRow = readRow(db, 'cases', id)!;
  const reportRow = { id: reportId, case_id: id, verdict, signer_name: signer.name, signer_cert_sha256: signer.certSha256, created_at: at };
  const rows: RowBinding[] = [
    { table: 'case_reports', key: reportId, sha256: rowSha256('case_reports', reportRow) },
    { table: 'cases', key: id, sha256: rowSha256('cases', { ...caseRow, status: 'reported' }) },
  ];
  const sign = prepareAudit(db, {
    action: 'report.sign',
    caseId: id,
    actor: options.actor ?? signer.name,
    at,
    payload: { reportId, verdict, signerName: signer.name, signerCertSha256: signer.certSha256, generatedAt: base.generatedAt, evidenceBodySha256: bodySha, rows },
  });
  const e = sign.entry;
  return {
    caseId: id,
    input: { ...base, auditHead: { hash: e.hash, seq: e.seq, at: e.at, action: 'report.sign' } },
    sign,
    reportId,
    reportRow,
    caseRowBefore: rowSha256('cases', caseRow),
    evidenceBodySha256: bodySha,
  };
}

/**
 * Records the signed report of `prepareReport`: its entry, the case_reports row with the PDF, the
 * case "reported", in one transaction. Throws AuditHeadMovedError when anything was recorded in
 * between (the report names a head that no longer is the next entry: sign again).
 */
export function recordPreparedReport(db: Db, p: PreparedReport, signed: { pdf: Buffer; pdfSha256: string; evidenceSha256: string }): CaseRecord {
  return db.transaction(() => {
    const caseRow = readRow(db, 'cases', p.caseId);
    if (!caseRow || rowSha256('cases', caseRow) !== p.caseRowBefore || readRow(db, 'case_reports', p.reportId)) throw new AuditHeadMovedError(p.sign.entry.seq);
    insertPreparedAudit(db, p.sign);
    const r = p.reportRow;
    db.prepare(
      'INSERT INTO case_reports (id, case_id, pdf_sha256, evidence_sha256, verdict, signer_name, signer_cert_sha256, audit_head, created_at, pdf) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(r.id, r.case_id, signed.pdfSha256, signed.evidenceSha256, r.verdict, r.signer_name, r.signer_cert_sha256, p.sign.entry.hash, r.created_at, signed.pdf);
    db.prepare("UPDATE cases SET status = 'reported' WHERE id = ?").run(p.caseId);
    // What the entry bound is what is now in the tables (else roll back: the entry would lie).
    const bound = (p.sign.entry.payload as { rows: RowBinding[] }).rows;
    for (const b of bound) {
      if (bindRow(db, b.table, b.key).sha256 !== b.sha256) throw new Error(`internal: the ${b.table} row ${b.key} does not match its report.sign binding`);
    }
    return getCase(db, p.caseId);
  })();
}

