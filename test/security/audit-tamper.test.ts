// Issue 12, point 3: attacks on the audit trail of a real case database (made with the real CLI on
// the GLEIF case fixtures, signed with a real identity), performed with raw SQL after dropping the
// append-only triggers. Each attack is detected (`audit --verify` exit 1, the problem named) or, when
// the log alone cannot tell, reported as "not protected" by any signed report (never "intact").
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash, rowSha256, type AuditRow } from '../../electron/backend/cases/index.js';
import { json, runCli, runOk } from '../helpers/cli';
import { tamperSql } from '../helpers/tamper';
import { requireTools } from '../integration/report/helpers';

const FIX = path.resolve('test/fixtures/gleif');
const BASE_FILES = ['cases-l1.xml', 'cases-rr.xml', 'cases-repex.xml'].map((f) => path.join(FIX, f));
const HK = 'lei:HKSUB000000000000283';
const ZJ = 'lei:ZJPARENT000000000187';

interface Problem {
  code: string;
  message: string;
  seq?: number | null;
  table?: string;
  key?: string | number;
}
interface Verification {
  isValid: boolean;
  status: 'intact' | 'not-protected' | 'broken';
  count: number;
  head: { seq: number; hash: string };
  firstBad: { seq: number; problem: string } | null;
  anchors: { seq: number; hash: string; status: string; report: { source: string; caseId: string | null } }[];
  protectedThrough: number;
  unprotectedFrom: number | null;
  problems: Problem[];
}

let dir: string;
let base: string;
let reportPdf: string;
let signSeq: number;
const at = (name: string) => path.join(dir, name);

const ok = runOk;

let copies = 0;
function copyDb(): string {
  const file = at(`t${++copies}.db`);
  copyFileSync(base, file);
  return file;
}

const sql = tamperSql;

function rows(db: string): AuditRow[] {
  const h = new Database(db, { readonly: true });
  try {
    return h.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[];
  } finally {
    h.close();
  }
}

/** What an attacker who read the source does: recompute every hash from `from` on. */
function rechain(db: string, from: number): void {
  const h = new Database(db);
  try {
    h.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    const all = h.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[];
    let prev = all.find((r) => r.seq === from - 1)?.hash ?? '0'.repeat(64);
    h.transaction(() => {
      // Hashes are UNIQUE: clear the rewritten ones first.
      h.prepare("UPDATE audit_log SET hash = 'x' || seq WHERE seq >= ?").run(from);
      for (const r of all.filter((x) => x.seq >= from)) {
        const hash = entryHash(prev, { seq: r.seq, at: r.at, actor: r.actor, action: r.action, caseId: r.case_id, payload: r.payload });
        h.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, r.seq);
        prev = hash;
      }
    })();
  } finally {
    h.close();
  }
}

async function verification(db: string, ...extra: string[]): Promise<{ code: number; v: Verification; stdout: string; stderr: string }> {
  const r = await runCli(['audit', '--db', db, '--verify', '--json', ...extra]);
  const text = await runCli(['audit', '--db', db, '--verify', ...extra]);
  expect(text.code).toBe(r.code);
  return { code: r.code, v: json<{ verification: Verification }>(r).verification, stdout: text.stdout, stderr: text.stderr };
}

async function expectDetected(db: string, code: string, ...extra: string[]): Promise<Verification> {
  const { code: exit, v, stdout, stderr } = await verification(db, ...extra);
  expect(exit, stdout).toBe(1);
  expect(v.isValid).toBe(false);
  expect(v.status).toBe('broken');
  expect(v.problems.map((p) => p.code)).toContain(code);
  expect(stdout).toMatch(/AUDIT (CHAIN|LOG) BROKEN|TAMPERING DETECTED/);
  expect(stderr).toMatch(/ownerscope audit: /);
  return v;
}

async function expectNotProtected(db: string, fromAtMost: number, ...extra: string[]): Promise<Verification> {
  const { code, v, stdout } = await verification(db, ...extra);
  expect(code, stdout).toBe(0);
  expect(v.status).toBe('not-protected');
  expect(v.unprotectedFrom).not.toBeNull();
  expect(v.unprotectedFrom!).toBeLessThanOrEqual(fromAtMost);
  expect(v.protectedThrough).toBe(v.unprotectedFrom! - 1);
  expect(stdout).toMatch(/NOT PROTECTED/);
  expect(stdout).not.toMatch(/audit chain intact/);
  return v;
}

beforeAll(async () => {
  requireTools('pdfsig');
  dir = mkdtempSync(path.join(tmpdir(), 'os-audit-tamper-'));
  const pass = at('pass.txt');
  writeFileSync(pass, 'audit tamper passphrase\n');
  const key = at('id.p12');
  await ok(['identity', 'new', '--name', 'Anna Li', '--out', key, '--passphrase-file', pass, '--key-bits', '2048']);
  base = at('base.db');
  await ok(['import', '--db', base, ...BASE_FILES]);
  const c = json<{ case: { id: string } }>(await ok(['case', 'new', '--db', base, HK, '--actor', 'A. Li', '--json'])).case.id;
  await ok(['case', 'note', '--db', base, c, 'first note', '--actor', 'A. Li']);
  await ok(['case', 'note', '--db', base, c, 'second note', '--actor', 'A. Li']);
  writeFileSync(at('register.txt'), 'Share register extract, 2026-03-01\n');
  await ok(['case', 'attach', '--db', base, c, at('register.txt'), '--actor', 'A. Li']);
  await ok(['case', 'decide', '--db', base, c, '--override', 'indeterminate', '--why', 'The CN headquarters record is stale.', '--actor', 'A. Li']);
  reportPdf = at('C-0001.pdf');
  const rep = json<{ auditHead: { seq: number; hash: string } }>(await ok(['report', '--db', base, '--case', c, '--out', reportPdf, '--key', key, '--passphrase-file', pass, '--json']));
  signSeq = rep.auditHead.seq;
  // Work after the report: not covered by any signature.
  const c2 = json<{ case: { id: string } }>(await ok(['case', 'new', '--db', base, ZJ, '--actor', 'A. Li', '--json'])).case.id;
  await ok(['case', 'note', '--db', base, c2, 'after the report', '--actor', 'A. Li']);
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a signed report is an anchor', () => {
  it('records the head including its own report.sign entry, and verify --db finds it unchanged', async () => {
    const log = rows(base);
    const sign = log.find((r) => r.action === 'report.sign')!;
    expect(sign.seq).toBe(signSeq);
    const v = json<{ auditHead: { seq: number; hash: string }; audit: { chain: { isValid: boolean }; signingEntry: { seq: number; status: string } } }>(
      await ok(['verify', reportPdf, '--db', base, '--json']),
    );
    expect(v.auditHead).toMatchObject({ seq: sign.seq, hash: sign.hash });
    expect(v.audit.signingEntry).toMatchObject({ seq: sign.seq, status: 'ok' });
    expect(v.audit.chain.isValid).toBe(true);
  });

  it('an untouched database: protected through the signing entry, the newer entries are not protected', async () => {
    const db = copyDb();
    const v = await expectNotProtected(db, signSeq + 1);
    expect(v.isValid).toBe(true);
    expect(v.problems).toEqual([]);
    expect(v.protectedThrough).toBe(signSeq);
    // the signer is your own identity, trusted on creation
    expect(v.anchors).toEqual([expect.objectContaining({ seq: signSeq, status: 'ok', report: expect.objectContaining({ source: 'database', caseId: 'C-0001', signerTrusted: true }) })]);
    // the same report given as a file is the same anchor
    const f = await expectNotProtected(db, signSeq + 1, '--report', reportPdf);
    expect(f.anchors.map((a) => a.report.source).sort()).toEqual(['database', 'file']);
  });
});

describe('attacks on the log', () => {
  it('an edited payload', async () => {
    const db = copyDb();
    const seq = rows(db).find((r) => r.action === 'case.note' && r.payload.includes('first note'))!.seq;
    sql(db, `UPDATE audit_log SET payload = replace(payload, 'first note', 'a different note') WHERE seq = ${seq}`);
    const v = await expectDetected(db, 'edited');
    expect(v.firstBad).toMatchObject({ seq, problem: 'edited' });
  });

  it('an edited payload with the whole chain recomputed after it', async () => {
    const db = copyDb();
    const seq = rows(db).find((r) => r.action === 'case.decide')!.seq;
    sql(db, `UPDATE audit_log SET payload = replace(payload, 'The CN headquarters record is stale.', 'Approved by the board.') WHERE seq = ${seq}`);
    rechain(db, seq);
    await expectDetected(db, 'anchor-mismatch');
    // ...and the report itself, checked against this database, says so
    const r = await runCli(['verify', reportPdf, '--db', db, '--json']);
    expect(r.code).toBe(1);
    expect(json<{ isValid: boolean; audit: { signingEntry: { status: string } } }>(r)).toMatchObject({ isValid: true, audit: { signingEntry: { status: 'changed' } } });
  });

  it('the newest entries deleted', async () => {
    const db = copyDb();
    const head = rows(db).at(-1)!;
    sql(db, `DELETE FROM audit_log WHERE seq > ${signSeq}`);
    // the case opened after the report is still in the tables, bound to nothing
    const v = await expectDetected(db, 'row-unbound');
    expect(v.problems.find((p) => p.code === 'row-unbound')).toMatchObject({ table: 'cases', key: 'C-0002' });
    // deleting the rows too leaves what was never protected: a head held elsewhere still sees it
    sql(db, "DELETE FROM case_notes WHERE case_id = 'C-0002'; DELETE FROM cases WHERE id = 'C-0002';");
    await expectDetected(db, 'truncated', '--head', head.hash);
  });

  it("a report's sign entry and everything after it deleted", async () => {
    const db = copyDb();
    sql(db, `DELETE FROM audit_log WHERE seq >= ${signSeq}`);
    // the report row and the case status still say "reported"
    await expectDetected(db, 'anchor-missing');
  });

  it("a report's sign entry and everything after it deleted, with its row and the case status", async () => {
    const db = copyDb();
    sql(db, `DELETE FROM audit_log WHERE seq >= ${signSeq}; DELETE FROM case_reports; DELETE FROM case_notes WHERE case_id = 'C-0002'; DELETE FROM cases WHERE id = 'C-0002'; UPDATE cases SET status = 'decided';`);
    // nothing left in the database can tell: no entry is protected by a signature
    const v = await expectNotProtected(db, 1);
    expect(v.anchors).toEqual([]);
    // the report itself can: given to audit, or checked with verify --db
    const given = await expectDetected(db, 'anchor-missing', '--report', reportPdf);
    expect(given.problems.find((p) => p.code === 'anchor-missing')!.message).toContain(`entry ${signSeq}`);
    const r = await runCli(['verify', reportPdf, '--db', db, '--json']);
    expect(r.code).toBe(1);
    expect(json<{ audit: { signingEntry: { status: string } } }>(r).audit.signingEntry.status).toBe('missing');
  });

  it('two entries swapped and the chain recomputed: before the anchor detected, after it not protected', async () => {
    const swap = (db: string, a: number, b: number) =>
      sql(
        db,
        `CREATE TEMP TABLE s AS SELECT * FROM audit_log WHERE seq IN (${a}, ${b});
         UPDATE audit_log SET at = (SELECT at FROM s WHERE s.seq = ${a + b} - audit_log.seq), actor = (SELECT actor FROM s WHERE s.seq = ${a + b} - audit_log.seq),
           action = (SELECT action FROM s WHERE s.seq = ${a + b} - audit_log.seq), case_id = (SELECT case_id FROM s WHERE s.seq = ${a + b} - audit_log.seq),
           payload = (SELECT payload FROM s WHERE s.seq = ${a + b} - audit_log.seq) WHERE seq IN (${a}, ${b});`,
      );
    const db = copyDb();
    const notes = rows(db).filter((r) => r.action === 'case.note' && r.case_id === 'C-0001').map((r) => r.seq);
    swap(db, notes[0]!, notes[1]!);
    rechain(db, notes[0]!);
    await expectDetected(db, 'anchor-mismatch');

    const db2 = copyDb();
    const after = rows(db2).filter((r) => r.seq > signSeq).map((r) => r.seq);
    // case.verdict and case.note of the case opened after the report
    swap(db2, after[1]!, after[2]!);
    rechain(db2, after[1]!);
    await expectNotProtected(db2, after[1]!);
  });

  it('a forged entry appended with the chain recomputed (and its row bound)', async () => {
    const db = copyDb();
    const last = rows(db).at(-1)!;
    const h = new Database(db);
    const noteId = Number(h.prepare("INSERT INTO case_notes (case_id, text, author, created_at) VALUES ('C-0001', 'Board approved the deal.', 'A. Li', '2026-03-04T00:00:00.000Z')").run().lastInsertRowid);
    const note = h.prepare('SELECT * FROM case_notes WHERE id = ?').get(noteId) as Record<string, unknown>;
    const payload = JSON.stringify({ noteId, rows: [{ key: noteId, sha256: rowSha256('case_notes', note), table: 'case_notes' }], text: 'Board approved the deal.' });
    const e = { seq: last.seq + 1, at: '2026-03-04T00:00:00.000Z', actor: 'A. Li', action: 'case.note', caseId: 'C-0001', payload };
    h.prepare('INSERT INTO audit_log (seq, at, actor, action, case_id, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(e.seq, e.at, e.actor, e.action, e.caseId, payload, last.hash, entryHash(last.hash, e));
    h.close();
    await expectNotProtected(db, e.seq);
  });
});

describe('attacks on the case tables', () => {
  it('UPDATE cases SET justification', async () => {
    const db = copyDb();
    sql(db, "UPDATE cases SET justification = 'Approved by the board.' WHERE id = 'C-0001'");
    const v = await expectDetected(db, 'row-edited');
    expect(v.problems.find((p) => p.code === 'row-edited')).toMatchObject({ table: 'cases', key: 'C-0001' });
  });

  it('a note edited, deleted, or inserted', async () => {
    const edited = copyDb();
    sql(edited, "UPDATE case_notes SET text = 'nothing to see' WHERE text = 'first note'");
    expect((await expectDetected(edited, 'row-edited')).problems[0]).toMatchObject({ table: 'case_notes' });
    const deleted = copyDb();
    sql(deleted, "DELETE FROM case_notes WHERE text = 'second note'");
    await expectDetected(deleted, 'row-deleted');
    const inserted = copyDb();
    sql(inserted, "INSERT INTO case_notes (case_id, text, author, created_at) VALUES ('C-0001', 'inserted', 'x', '2026-01-01T00:00:00Z')");
    await expectDetected(inserted, 'row-unbound');
  });

  it('an evidence file, a report row or a stored report changed', async () => {
    const file = copyDb();
    sql(file, "UPDATE case_evidence_files SET content = CAST('Share register extract, forged' AS BLOB)");
    await expectDetected(file, 'file-mismatch');
    const report = copyDb();
    sql(report, "UPDATE case_reports SET verdict = 'clear'");
    await expectDetected(report, 'row-edited');
    const pdf = copyDb();
    sql(pdf, 'UPDATE case_reports SET pdf = NULL');
    await expectDetected(pdf, 'report-missing');
  });

  it('two stored reports swapped between their rows', async () => {
    const db = copyDb();
    // a second report of the same case (signing again is allowed)
    await ok(['report', '--db', db, '--case', 'C-0001', '--out', at('C-0001-again.pdf'), '--key', at('id.p12'), '--passphrase-file', at('pass.txt')]);
    const two = await verification(db);
    expect(two.code).toBe(0);
    expect(two.v.status).toBe('intact');
    expect(two.v.anchors.map((a) => [a.report.caseId, a.status])).toEqual([['C-0001', 'ok'], ['C-0001', 'ok']]);
    // every column the row hash leaves out, exchanged: each row now holds the other's PDF
    sql(
      db,
      `CREATE TEMP TABLE r AS SELECT id, pdf, pdf_sha256, evidence_sha256, audit_head FROM case_reports;
       UPDATE case_reports SET pdf = (SELECT pdf FROM r WHERE r.id = 3 - case_reports.id), pdf_sha256 = (SELECT pdf_sha256 FROM r WHERE r.id = 3 - case_reports.id),
         evidence_sha256 = (SELECT evidence_sha256 FROM r WHERE r.id = 3 - case_reports.id), audit_head = (SELECT audit_head FROM r WHERE r.id = 3 - case_reports.id);`,
    );
    await expectDetected(db, 'row-edited');
  });
});

describe('a case database written before these checks', () => {
  it('upgrades in place: its chain verifies, its rows are bound from the upgrade on, its old report is an anchor', async () => {
    const db = at('legacy.db');
    copyFileSync(path.resolve('test/fixtures/cases/legacy.db'), db);
    const legacyPdf = path.resolve('test/fixtures/cases/legacy-report.pdf');
    const { code, v, stdout } = await verification(db, '--report', legacyPdf);
    expect(code, stdout).toBe(0);
    expect(v).toMatchObject({ isValid: true, problems: [], firstBad: null });
    const log = rows(db);
    expect(log.slice(0, 12).map((r) => r.seq)).toEqual([...Array(12).keys()].map((i) => i + 1));
    expect(log[12]).toMatchObject({ seq: 13, action: 'audit.baseline' });
    // the legacy report carries the head before its signing entry (#8)
    // its signer is not in the trust list: the report is intact but protects nothing (fail closed)
    const fp = 'bbaf42fd840e4aefdc4b6231b77b8e3039c37328a06c02709e78c2d2744e84b0';
    expect(v.anchors).toEqual([expect.objectContaining({ seq: 8, status: 'untrusted', report: expect.objectContaining({ signerTrusted: false }) })]);
    expect(stdout).toContain(`not counted: The report ${legacyPdf} covers entries 1–8, but its signer Legacy Signer (certificate sha256 ${fp}) is not in your trust list`);
    expect(v).toMatchObject({ status: 'not-protected', protectedThrough: 0, unprotectedFrom: 1 });
    // once trusted, it is an anchor
    await ok(['trust', 'add', fp, '--name', 'Legacy Signer']);
    try {
      const trusted = await verification(db, '--report', legacyPdf);
      expect(trusted.v.anchors).toEqual([expect.objectContaining({ seq: 8, status: 'ok', report: expect.objectContaining({ signerTrusted: true }) })]);
      expect(trusted.v.protectedThrough).toBe(8);
      expect(trusted.v.unprotectedFrom).toBe(9);
    } finally {
      await ok(['trust', 'remove', fp]);
    }
    const again = await verification(db);
    expect(again.code).toBe(0);
    expect(again.v.status).toBe('not-protected');
    expect(again.stdout).toMatch(/report 1 of case C-0001 \(pdf sha256 [0-9a-f]{64}\) is not stored in the database: give its file with --report/);
    expect(rows(db)).toHaveLength(13); // the baseline is written once
    sql(db, "UPDATE cases SET justification = 'Approved by the board.' WHERE id = 'C-0001'");
    await expectDetected(db, 'row-edited');
    const check = json<{ isValid: boolean }>(await runCli(['verify', legacyPdf, '--json']));
    expect(check.isValid).toBe(true);
    expect(readFileSync(legacyPdf).length).toBeGreaterThan(0);
  });
});

describe('a crafted database', () => {
  it('a stored report that is not a PDF, or a PDF of another report: named, the check goes on', async () => {
    const junk = copyDb();
    const bytes = Buffer.from('%PDF-1.7\n/ByteRange [0 10 20 30] <3082ffff> trailer << /Root 1 0 R >>');
    const h = new Database(junk);
    h.prepare('UPDATE case_reports SET pdf = ?, pdf_sha256 = ?').run(bytes, createHash('sha256').update(bytes).digest('hex'));
    h.close();
    const v = await expectDetected(junk, 'report-invalid');
    expect(v.anchors[0]).toMatchObject({ status: 'invalid', seq: null });
  });
});
