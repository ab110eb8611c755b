import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CaseError,
  addNote,
  attachEvidenceFile,
  auditHead,
  createCase,
  decideCase,
  entryHash,
  getCase,
  listAudit,
  listCases,
  listEvidenceFiles,
  produceCaseReport,
  readEvidenceFile,
  verifyAuditChain,
} from '../../../electron/backend/cases/index.js';
import { createIdentity } from '../../../electron/backend/identity/index.js';
import { verifyReport } from '../../../electron/backend/report/index.js';
import { openCaseDb, type Db } from '../../../electron/backend/store/db.js';
import { loadReportInput, requireTools, run } from './helpers.js';

let dir: string;
let db: Db;
const input = loadReportInput();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ownerscope-cases-'));
  db = openCaseDb(join(dir, 'case.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function openedCase() {
  return createCase(db, { subjectRef: String(input.verdict.subject.id), policy: input.verdict.policy, verdict: input.verdict, actor: 'A. Li', at: '2026-03-02T08:15:00.000Z' });
}

describe('cases', () => {
  it('opens, notes, attaches evidence, and decides with the rules on overrides', () => {
    const c = openedCase();
    expect(c).toMatchObject({ id: 'C-0001', status: 'open', computedVerdict: 'restricted', subjectName: '深圳市腾讯计算机系统有限公司' });
    expect(c.verdict).toEqual(input.verdict);
    addNote(db, c.id, 'Asked the counterparty for its register.', 'A. Li');
    const f = attachEvidenceFile(db, c.id, { fileName: 'register.pdf', content: Buffer.from('%PDF-1.4 register'), mediaType: 'application/pdf' }, 'A. Li');
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readEvidenceFile(db, c.id, f.id).toString()).toBe('%PDF-1.4 register');
    expect(listEvidenceFiles(db, c.id)).toHaveLength(1);
    expect(() => decideCase(db, c.id, { kind: 'override', verdict: 'clear', justification: '  ' })).toThrow(CaseError);
    const decided = decideCase(db, c.id, { kind: 'override', verdict: 'indeterminate', justification: 'Iranian holder data is stale.' }, 'A. Li');
    expect(decided.status).toBe('decided');
    expect(decided.decision).toMatchObject({ kind: 'override', verdict: 'indeterminate', justification: 'Iranian holder data is stale.' });
    expect(listCases(db, { status: 'decided' }).map((x) => x.id)).toEqual([c.id]);
    expect(() => getCase(db, 'C-9999')).toThrow(/No case/);
    // STRICT tables and CHECKs hold even for direct SQL.
    expect(() => db.prepare("UPDATE cases SET status = 'closed' WHERE id = ?").run(c.id)).toThrow();
    expect(() => db.prepare('UPDATE cases SET decision = ?, justification = NULL WHERE id = ?').run('override', c.id)).toThrow();
  });

  it('case → decision → signed report → verify, recorded in the audit log', async () => {
    requireTools('pdfsig');
    const c = openedCase();
    db.prepare("INSERT INTO sources (file_name, sha256, size, format, data_date, imported_at) VALUES (?, ?, ?, ?, ?, ?)").run(
      'gleif-rr-2026-03-01.xml',
      input.sources[0]!.sha256,
      1000,
      'gleif-rr',
      '2026-03-01',
      '2026-03-02T08:20:00.000Z',
    );
    decideCase(db, c.id, { kind: 'confirm', justification: 'Checked the chain.' }, 'A. Li');
    const headBefore = auditHead(db);
    const p12 = createIdentity({ name: 'A. Li', passphrase: 'report passphrase', keyBits: 2048 });
    const { pdf, evidenceSha256 } = await produceCaseReport(db, c.id, { p12, passphrase: 'report passphrase' }, { generatedAt: '2026-03-03T14:05:00.000Z' });
    const path = join(dir, 'report.pdf');
    writeFileSync(path, pdf);
    expect(run('pdfsig', [path]).stdout).toContain('Signature is Valid.');
    const v = verifyReport(pdf);
    expect(v.isValid).toBe(true);
    expect(v.evidenceSha256).toBe(evidenceSha256);
    // The report names the head including its own report.sign entry (issue 12).
    expect(v.evidence?.auditHead).toMatchObject({ seq: headBefore.seq + 1, hash: auditHead(db).hash, action: 'report.sign' });
    expect(v.evidence?.sources.map((s) => s.fileName)).toEqual(['gleif-rr-2026-03-01.xml']);
    expect(getCase(db, c.id).status).toBe('reported');
    expect(listAudit(db).map((e) => e.action)).toEqual(['case.create', 'case.verdict', 'case.decide', 'report.sign']);
    const trustList = [v.signer!.certSha256];
    expect(verifyAuditChain(db, { expectedHead: headBefore.hash, trustList })).toMatchObject({ isValid: true, status: 'intact', protectedThrough: headBefore.seq + 1 });
    // a signer outside the trust list protects nothing (fail closed)
    const untrusted = verifyAuditChain(db, { expectedHead: headBefore.hash });
    expect(untrusted).toMatchObject({ isValid: true, status: 'not-protected', protectedThrough: 0, unprotectedFrom: 1 });
    expect(untrusted.anchors).toEqual([expect.objectContaining({ status: 'untrusted', seq: headBefore.seq + 1 })]);
  });
});

describe('signing while the log moves', () => {
  it('a change recorded while the report is being signed: the report is made again on the new head', async () => {
    const c = openedCase();
    decideCase(db, c.id, { kind: 'confirm', justification: 'Checked the chain.' }, 'A. Li');
    const p12 = createIdentity({ name: 'A. Li', passphrase: 'report passphrase', keyBits: 2048 });
    const pending = produceCaseReport(db, c.id, { p12, passphrase: 'report passphrase' }, { generatedAt: '2026-03-03T14:05:00.000Z' });
    // Runs while the first attempt renders: its report.sign entry is no longer the next one.
    addNote(db, c.id, 'recorded while signing', 'A. Li');
    const { pdf, auditHead: head } = await pending;
    const v = verifyReport(pdf);
    expect(v.isValid).toBe(true);
    expect(v.evidence!.notes.map((n) => n.text)).toEqual(['recorded while signing']);
    expect(listAudit(db).map((e) => e.action)).toEqual(['case.create', 'case.verdict', 'case.decide', 'case.note', 'report.sign']);
    expect(v.evidence!.auditHead).toMatchObject({ seq: 5, hash: head.hash, action: 'report.sign' });
    expect(verifyAuditChain(db, { trustList: [v.signer!.certSha256] })).toMatchObject({ isValid: true, status: 'intact', protectedThrough: 5, unprotectedFrom: null });
  });
});

describe('audit chain', () => {
  function seeded() {
    const c = openedCase();
    addNote(db, c.id, 'first note', 'A');
    addNote(db, c.id, 'second note', 'A');
    decideCase(db, c.id, { kind: 'confirm', justification: 'Checked.' }, 'A');
    expect(verifyAuditChain(db)).toMatchObject({ isValid: true, count: 5, firstBad: null });
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    return c;
  }

  it('refuses updates and deletes through SQL', () => {
    openedCase();
    expect(() => db.prepare("UPDATE audit_log SET actor = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/append-only/);
  });

  it('names an edited entry', () => {
    seeded();
    db.prepare(`UPDATE audit_log SET payload = replace(payload, 'first note', 'a different note') WHERE seq = 3`).run();
    expect(verifyAuditChain(db).firstBad).toMatchObject({ seq: 3, problem: 'edited' });
  });

  it('names an entry edited with its hash recomputed', () => {
    seeded();
    const row = db.prepare('SELECT * FROM audit_log WHERE seq = 3').get() as { seq: number; at: string; actor: string; action: string; case_id: string; payload: string; prev_hash: string };
    const payload = row.payload.replace('first note', 'forged');
    const hash = entryHash(row.prev_hash, { seq: 3, at: row.at, actor: row.actor, action: row.action, caseId: row.case_id, payload });
    db.prepare('UPDATE audit_log SET payload = ?, hash = ? WHERE seq = 3').run(payload, hash);
    expect(verifyAuditChain(db).firstBad).toMatchObject({ seq: 3, problem: 'edited' });
  });

  it('names a deleted entry, and a deleted tail given the expected head', () => {
    seeded();
    const head = auditHead(db).hash;
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(verifyAuditChain(db).firstBad).toMatchObject({ seq: 2, problem: 'deleted' });
    db.prepare('DELETE FROM audit_log WHERE seq >= 2').run();
    // The chain alone is whole again; the case and notes it recorded are now bound to nothing.
    const v = verifyAuditChain(db);
    expect(v.firstBad).toBeNull();
    expect(v.problems.map((p) => p.code)).toEqual(['row-edited', 'row-unbound', 'row-unbound']);
    expect(verifyAuditChain(db, { expectedHead: head }).firstBad).toMatchObject({ problem: 'truncated' });
  });
});
