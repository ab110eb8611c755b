// Issue 5 through the CLI: case → decision → signed report → external checkers → verify;
// tampering with the report and with the audit chain; verify --db after newer data; scripts.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli, runOk } from '../../helpers/cli';
import { tamperSql } from '../../helpers/tamper';
import { replaceAttachmentIncrementally, requireTools, run } from '../report/helpers';

const FIX = path.resolve('test/fixtures/gleif');
const BASE_FILES = ['cases-l1.xml', 'cases-rr.xml', 'cases-repex.xml'].map((f) => path.join(FIX, f));
const ZJ = 'lei:ZJPARENT000000000187';
const ZJ_NAME = '浙江测试控股集团有限公司';
const HK = 'lei:HKSUB000000000000283';

let dir: string;
let key: string;
let pass: string;
const at = (name: string) => path.join(dir, name);

const ok = runOk;

async function freshDb(name: string): Promise<string> {
  const db = at(name);
  await ok(['import', '--db', db, ...BASE_FILES]);
  return db;
}

// Imports and resolution decisions are logged by their own modules; these tests look at the rest.
const notImport = (action: string) => action !== 'import' && !action.startsWith('resolution');

interface CaseJson {
  id: string;
  status: string;
  subject: { ref: string; name: string };
  policy: { name: string; sha256: string };
  computedVerdict: string;
  decision: { kind: string; verdict: string; justification: string | null } | null;
  verdict: string;
  notes?: { text: string }[];
  evidenceFiles?: { fileName: string; sha256: string; size: number }[];
  reports?: { pdfSha256: string; signerName: string }[];
  audit?: { action: string }[];
}

interface VerifyJson {
  isValid: boolean;
  reasons: { code: string; message: string }[];
  signer: { name: string; org: string; certSha256: string } | null;
  signedAt: string | null;
  verdict: string | null;
  computedVerdict: string | null;
  caseId: string | null;
  subject: { name: string; identifiers: string[] } | null;
  policy: { name: string; sha256: string } | null;
  recheck?: {
    stillHolds: boolean;
    verdict: string;
    reportComputedVerdict: string;
    methods: { method: string; thenShare: string; nowShare: string; changed: boolean }[];
    paths: { added: { key: string }[]; removed: { key: string }[]; shareChanged: { key: string; then: string; now: string }[] };
    sources: { added: { fileName: string }[]; removed: { fileName: string }[]; changed: { fileName: string }[] };
    changes: string[];
  } | null;
  audit?: { reportRecorded: boolean; chain: { isValid: boolean } | null } | null;
}

beforeAll(async () => {
  requireTools('pdfsig', 'qpdf', 'pdfdetach', 'pdftotext', 'pdffonts');
  dir = mkdtempSync(path.join(tmpdir(), 'os-cases-cli-'));
  pass = at('passphrase.txt');
  writeFileSync(pass, 'case report passphrase\n');
  key = at('id.p12');
  const r = json<{ out: string; signer: { name: string; org: string; email: string; certSha256: string } }>(
    await ok(['identity', 'new', '--name', 'Анна Лі', '--org', 'Acme Compliance AG', '--email', 'anna.li@acme.example', '--out', key, '--passphrase-file', pass, '--key-bits', '2048', '--json']),
  );
  expect(r.signer).toMatchObject({ name: 'Анна Лі', org: 'Acme Compliance AG', email: 'anna.li@acme.example' });
  expect(r.signer.certSha256).toMatch(/^[0-9a-f]{64}$/);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('identity', () => {
  it('refuses to overwrite, to use a short passphrase, and shows an identity with its passphrase', async () => {
    const again = await runCli(['identity', 'new', '--name', 'X', '--out', key, '--passphrase-file', pass]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    writeFileSync(at('short.txt'), 'short');
    const short = await runCli(['identity', 'new', '--name', 'X', '--out', at('x.p12'), '--passphrase-file', at('short.txt'), '--key-bits', '2048']);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 8/);
    expect((await runCli(['identity', 'new', '--out', at('x.p12'), '--passphrase-file', pass])).code).toBe(2);
    const shown = json<{ signer: { name: string; isSelfSigned: boolean } }>(await ok(['identity', 'show', key, '--passphrase-file', pass, '--json']));
    expect(shown.signer).toMatchObject({ name: 'Анна Лі', isSelfSigned: true });
    writeFileSync(at('wrong.txt'), 'not the passphrase');
    const wrong = await runCli(['identity', 'show', key, '--passphrase-file', at('wrong.txt')]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/[Ww]rong passphrase/);
  });
});

describe('case → decision → signed report → checkers → verify', () => {
  let db: string;
  let pdfPath: string;
  let caseId: string;

  beforeAll(async () => {
    db = await freshDb('flow.db');
  });

  it('opens a case with the verdict snapshot, notes, evidence files, and a decision', async () => {
    const opened = json<{ case: CaseJson & { verdictSnapshot: { verdict: string; subject: { name: string } } } }>(await ok(['case', 'new', '--db', db, ZJ, '--actor', 'A. Li', '--json']));
    caseId = opened.case.id;
    expect(opened.case).toMatchObject({ id: 'C-0001', status: 'open', computedVerdict: 'restricted', subject: { ref: ZJ, name: ZJ_NAME } });
    expect(opened.case.verdictSnapshot.subject.name).toBe(ZJ_NAME);
    expect(opened.case.policy.sha256).toMatch(/^[0-9a-f]{64}$/);

    await ok(['case', 'note', '--db', db, caseId, 'Asked', 'the', 'counterparty', 'for', 'its', 'share register.', '--actor', 'A. Li']);
    writeFileSync(at('register.txt'), 'Share register extract, 2026-03-01\n');
    const attached = json<{ files: { fileName: string; sha256: string; size: number }[] }>(await ok(['case', 'attach', '--db', db, caseId, at('register.txt'), '--json']));
    expect(attached.files[0]).toMatchObject({ fileName: 'register.txt', size: 35 });
    expect(attached.files[0]!.sha256).toBe(createHash('sha256').update(readFileSync(at('register.txt'))).digest('hex'));
    const missing = await runCli(['case', 'attach', '--db', db, caseId, at('nope.txt')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.txt: no such file/);

    // report before a decision: refused, and the message says what to do
    const early = await runCli(['report', '--db', db, '--case', caseId, '--out', at('early.pdf'), '--key', key, '--passphrase-file', pass]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/no decision yet: run ownerscope case decide/);

    expect((await runCli(['case', 'decide', '--db', db, caseId, '--override', 'clear'])).code).toBe(2); // no --why
    expect((await runCli(['case', 'decide', '--db', db, caseId, '--override', 'maybe', '--why', 'x'])).code).toBe(2);
    expect((await runCli(['case', 'decide', '--db', db, caseId, '--confirm', '--override', 'clear', '--why', 'x'])).code).toBe(2);
    expect((await runCli(['case', 'decide', '--db', db, 'C-9999', '--confirm', '--why', 'x'])).code).toBe(1);
    // confirming stands behind the verdict: it needs its reason too (issue 15)
    const bare = await runCli(['case', 'decide', '--db', db, caseId, '--confirm']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/confirming needs a written justification too: --why TEXT/);
    expect((await runCli(['case', 'decide', '--db', db, caseId, '--confirm', '--why', '   '])).code).toBe(2);
    const decided = json<{ case: CaseJson }>(await ok(['case', 'decide', '--db', db, caseId, '--confirm', '--why', 'Registry extract agrees.', '--actor', 'A. Li', '--json']));
    expect(decided.case).toMatchObject({ status: 'decided', decision: { kind: 'confirm', verdict: 'restricted', justification: 'Registry extract agrees.' }, verdict: 'restricted' });

    const shown = json<{ case: CaseJson }>(await ok(['case', 'show', '--db', db, caseId, '--json']));
    expect(shown.case.notes!.map((n) => n.text)).toEqual(['Asked the counterparty for its share register.']);
    expect(shown.case.evidenceFiles!.map((f) => f.fileName)).toEqual(['register.txt']);
    expect(shown.case.audit!.map((e) => e.action).filter(notImport)).toEqual(['case.create', 'case.verdict', 'case.note', 'case.evidence', 'case.decide']);
    const text = await ok(['case', 'show', '--db', db, caseId]);
    expect(text.stdout).toContain(ZJ_NAME);
    expect(text.stdout).toMatch(/decision: confirmed by A\. Li/);
    const list = json<{ cases: CaseJson[] }>(await ok(['case', 'list', '--db', db, '--json']));
    expect(list.cases.map((c) => [c.id, c.status])).toEqual([[caseId, 'decided']]);
  });

  it('signs the report: pdfsig, qpdf --check, pdfdetach, the Chinese name in text and font', async () => {
    pdfPath = at('report.pdf');
    const r = json<{ caseId: string; caseCreated: boolean; verdict: string; pdfSha256: string; evidenceSha256: string; signer: { name: string } }>(
      await ok(['report', '--db', db, '--case', caseId, '--out', pdfPath, '--key', key, '--passphrase-file', pass, '--json']),
    );
    expect(r).toMatchObject({ caseId, caseCreated: false, verdict: 'restricted', signer: { name: 'Анна Лі' } });

    const sig = run('pdfsig', [pdfPath]).stdout;
    expect(sig).toContain('Signature is Valid.');
    expect(sig).toContain('Total document signed');
    const q = run('qpdf', ['--check', pdfPath]);
    expect(q.status, q.stderr).toBe(0);
    expect(q.stdout).toContain('No syntax or stream encoding errors found');
    expect(run('pdfdetach', ['-list', pdfPath]).stdout).toContain('ownerscope-evidence.json');
    const out = at('evidence.json');
    expect(run('pdfdetach', ['-save', '1', '-o', out, pdfPath]).status).toBe(0);
    const evidence = JSON.parse(readFileSync(out, 'utf8'));
    expect(evidence).toMatchObject({ format: 'ownerscope-evidence/1', finalVerdict: 'restricted', case: { id: caseId }, decision: { kind: 'confirm' } });
    expect(evidence.verdict.subject.name).toBe(ZJ_NAME);
    expect(evidence.verdict.policy.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(evidence.sources.length).toBeGreaterThan(0);
    for (const s of evidence.sources) expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(evidence.notes.map((n: { text: string }) => n.text)).toEqual(['Asked the counterparty for its share register.']);

    const pdfText = run('pdftotext', ['-enc', 'UTF-8', pdfPath, '-']).stdout;
    expect(pdfText).toContain(ZJ_NAME);
    expect(pdfText).toContain(caseId);
    expect(pdfText).toMatch(/RESTRICTED/);
    const fonts = run('pdffonts', [pdfPath]).stdout;
    // the CJK face is embedded as a subset ("emb" and "sub" columns both yes)
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansHans-\S+\s+CID (TrueType|Type 0C)\s+Identity-H\s+yes\s+yes\s+yes/);

    const shown = json<{ case: CaseJson }>(await ok(['case', 'show', '--db', db, caseId, '--json']));
    expect(shown.case.status).toBe('reported');
    expect(shown.case.reports!.map((x) => x.pdfSha256)).toEqual([r.pdfSha256]);
  });

  it('verifies an intact report: signer, time, verdict; with --db, the verdict still holds', async () => {
    const v = json<VerifyJson>(await ok(['verify', pdfPath, '--json']));
    expect(v).toMatchObject({ isValid: true, reasons: [], verdict: 'restricted', computedVerdict: 'restricted', caseId, signer: { name: 'Анна Лі', org: 'Acme Compliance AG' } });
    expect(v.subject).toMatchObject({ name: ZJ_NAME, identifiers: expect.arrayContaining([ZJ]) });
    expect(Date.parse(v.signedAt!)).toBeGreaterThan(Date.now() - 10 * 60_000);
    const text = await ok(['verify', pdfPath]);
    expect(text.stdout).toMatch(/^VALID: /);
    expect(text.stdout).toContain('Анна Лі');
    expect(text.stdout).toMatch(/verdict: +RESTRICTED/);
    const withDb = json<VerifyJson>(await ok(['verify', pdfPath, '--db', db, '--json']));
    expect(withDb.recheck).toMatchObject({ stillHolds: true, verdict: 'restricted', changes: [] });
    expect(withDb.audit).toMatchObject({ reportRecorded: true, chain: { isValid: true } });
    expect((await ok(['verify', pdfPath, '--db', db])).stdout).toContain('the verdict STILL HOLDS: RESTRICTED');
    // a trusted fingerprint list that does not name the signer
    const untrusted = await runCli(['verify', pdfPath, '--trust', 'ab'.repeat(32)]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toContain('untrusted-signer');
  });

  it('audit lists the chain: case, decision, report signing and the recheck', async () => {
    const a = json<{ entries: { seq: number; action: string; actor: string | null; caseId: string | null }[]; verification: { isValid: boolean } }>(await ok(['audit', '--db', db, '--json']));
    expect(a.verification.isValid).toBe(true);
    expect(a.entries.map((e) => e.action).filter(notImport)).toEqual(['case.create', 'case.verdict', 'case.note', 'case.evidence', 'case.decide', 'report.sign', 'verdict', 'verdict']);
    expect(a.entries.find((e) => e.action === 'report.sign')!.actor).toBe('Анна Лі');
    // The report protects the chain through its own report.sign entry; the two rechecks after it
    // are covered by no signature (issue 12: "not protected", not "intact").
    const v = await ok(['audit', '--db', db, '--verify']);
    const sign = a.entries.find((e) => e.action === 'report.sign')!.seq;
    expect(v.stdout).toMatch(new RegExp(`audit chain consistent: ${a.entries.length} entries`));
    expect(v.stdout).toContain(`protected: entries 1–${sign} by the signed report 1 stored in the database`);
    expect(v.stdout).toContain(`NOT PROTECTED: entries ${sign + 1}–${a.entries.length} are newer than the last signed report`);
  });

  describe('tampering is detected and named', () => {
    let pdf: Buffer;
    beforeAll(() => {
      pdf = readFileSync(pdfPath);
    });
    async function verifyTampered(name: string, data: Buffer) {
      const file = at(name);
      writeFileSync(file, data);
      const r = await runCli(['verify', file, '--json']);
      expect(r.code).toBe(1);
      const text = await runCli(['verify', file]);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/^INVALID: /);
      return { codes: json<VerifyJson>(r).reasons.map((x) => x.code), text: text.stdout, stderr: text.stderr, file };
    }

    it('a flipped byte in the signed range', async () => {
      const t = Buffer.from(pdf);
      const i = t.indexOf('stream') + 300;
      t[i] = t[i]! ^ 0x01;
      const r = await verifyTampered('flipped.pdf', t);
      expect(r.codes).toContain('digest-mismatch');
      expect(r.stderr).toMatch(/changed after signing/);
      expect(run('pdfsig', [r.file]).stdout).not.toContain('Signature is Valid.');
    });

    it('a replaced attachment whose verdict does not match the visible report', async () => {
      const forged = JSON.parse(readFileSync(at('evidence.json'), 'utf8'));
      forged.finalVerdict = 'clear';
      forged.verdict.verdict = 'clear';
      const r = await verifyTampered('replaced.pdf', replaceAttachmentIncrementally(pdf, Buffer.from(JSON.stringify(forged))));
      expect(r.codes).toEqual(expect.arrayContaining(['modified-after-signing', 'evidence-hash-mismatch', 'evidence-mismatch']));
      expect(r.text).toMatch(/does not match the report: verdict clear vs restricted/);
    });

    it('a truncated file', async () => {
      const r = await verifyTampered('truncated.pdf', pdf.subarray(0, pdf.length - 500));
      expect(r.codes).toContain('truncated');
      expect(r.text).toMatch(/truncated/);
    });

    it('a removed signature', async () => {
      const br = /\/ByteRange \[0 (\d+) (\d+) \d+\]/.exec(pdf.toString('latin1'))!;
      const t = Buffer.from(pdf);
      t.fill(0x30, Number(br[1]) + 1, Number(br[2]) - 1);
      const r = await verifyTampered('unsigned.pdf', t);
      expect(r.codes).toContain('signature-empty');
      expect(r.text).toMatch(/signature was removed/);
    });

    it('verify --db does not recheck an invalid report', async () => {
      const t = pdf.subarray(0, pdf.length - 500);
      writeFileSync(at('t2.pdf'), t);
      const r = await runCli(['verify', at('t2.pdf'), '--db', db, '--json']);
      expect(r.code).toBe(1);
      expect(json<VerifyJson & { recheckError: string }>(r)).toMatchObject({ recheck: null, recheckError: 'not rechecked: the report is not valid' });
    });
  });
});

describe('audit chain tampering', () => {
  let db: string;
  beforeAll(async () => {
    db = await freshDb('audit.db');
    const c = json<{ case: { id: string } }>(await ok(['case', 'new', '--db', db, HK, '--json']));
    await ok(['case', 'note', '--db', db, c.case.id, 'first note']);
    await ok(['case', 'note', '--db', db, c.case.id, 'second note']);
    await ok(['case', 'decide', '--db', db, c.case.id, '--override', 'indeterminate', '--why', 'The CN headquarters record is stale.']);
    expect((await ok(['audit', '--db', db, '--verify', '--json'])).stdout).toContain('"isValid": true');
  });

  const sql = (statements: string) => tamperSql(db, statements);

  it('an edited entry: exit 1, entry named, in the listing too', async () => {
    const entries = json<{ entries: { seq: number; action: string; payload: { text?: string } }[] }>(await ok(['audit', '--db', db, '--json'])).entries;
    const seq = entries.find((e) => e.action === 'case.note' && e.payload.text === 'first note')!.seq;
    const head = json<{ verification: { head: { hash: string } } }>(await ok(['audit', '--db', db, '--verify', '--json'])).verification.head.hash;
    sql(`UPDATE audit_log SET payload = replace(payload, 'first note', 'a different note') WHERE seq = ${seq}`);
    const r = await runCli(['audit', '--db', db, '--verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`AUDIT CHAIN BROKEN at entry ${seq} (edited)`);
    expect(r.stderr).toContain(`broken at entry ${seq}`);
    const j = json<{ verification: { isValid: boolean; firstBad: { seq: number; problem: string } } }>(await runCli(['audit', '--db', db, '--json']));
    expect(j.verification).toMatchObject({ isValid: false, firstBad: { seq, problem: 'edited' } });
    const listing = await runCli(['audit', '--db', db]);
    expect(listing.code).toBe(1);
    expect(listing.stdout).toContain(`✗ ${seq} `);
    // put it back: the chain is intact again
    sql(`UPDATE audit_log SET payload = replace(payload, 'a different note', 'first note') WHERE seq = ${seq}`);
    await ok(['audit', '--db', db, '--verify', '--head', head]);
  });

  it('a deleted entry, and a deleted tail against the expected head', async () => {
    const head = json<{ verification: { head: { hash: string } } }>(await ok(['audit', '--db', db, '--verify', '--json'])).verification.head.hash;
    sql('DELETE FROM audit_log WHERE seq = 2');
    const r = await runCli(['audit', '--db', db, '--verify', '--json']);
    expect(r.code).toBe(1);
    expect(json<{ verification: { firstBad: { seq: number; problem: string; message: string } } }>(r).verification.firstBad).toMatchObject({ seq: 2, problem: 'deleted', message: 'Entry 2 was deleted.' });
    sql('DELETE FROM audit_log WHERE seq >= 2');
    // a chain alone cannot see a removed tail, but the case rows it recorded are now bound to nothing...
    const rows = await runCli(['audit', '--db', db, '--verify']);
    expect(rows.code).toBe(1);
    expect(rows.stdout).toMatch(/recorded by no audit entry/);
    const t = await runCli(['audit', '--db', db, '--verify', '--head', head]);
    expect(t.code).toBe(1); // ...the head held elsewhere can
    expect(t.stdout).toMatch(/truncated/);
  });
});

describe('verify --db after a newer file changes the verdict', () => {
  it('says the verdict no longer holds and what changed', async () => {
    const db = await freshDb('recheck.db');
    const policy = at('cn-lookthrough.json');
    writeFileSync(policy, JSON.stringify({ name: 'CN look-through', restrictedCountries: ['CN'], locateBy: ['jurisdiction'], method: 'lookThrough' }));
    const pdf = at('hk.pdf');
    // REF and no case: a case is opened and confirmed by signing
    const r = json<{ caseId: string; caseCreated: boolean; verdict: string; decision: string }>(
      await ok(['report', '--db', db, HK, '--policy', policy, '--out', pdf, '--key', key, '--passphrase-file', pass, '--json']),
    );
    expect(r).toMatchObject({ caseId: 'C-0001', caseCreated: true, verdict: 'indeterminate', decision: 'confirm' });
    expect(json<VerifyJson>(await ok(['verify', pdf, '--db', db, '--json'])).recheck!.stillHolds).toBe(true);

    await ok(['import', '--db', db, path.join(FIX, 'cases-rr-delta.xml')]);
    const v = json<VerifyJson>(await ok(['verify', pdf, '--db', db, '--json']));
    expect(v.isValid).toBe(true);
    expect(v.recheck).toMatchObject({ stillHolds: false, verdict: 'restricted', reportComputedVerdict: 'indeterminate' });
    expect(v.recheck!.methods.find((m) => m.method === 'lookThrough')).toMatchObject({ thenShare: '[1%, 100%]', nowShare: '100%', changed: true });
    expect(v.recheck!.paths.shareChanged).toEqual([{ key: `${ZJ_NAME} → Pearl Harbour Trading Limited`, then: '[1%, 100%]', now: '100%' }]);
    expect(v.recheck!.sources.added.map((s) => s.fileName)).toEqual(['cases-rr-delta.xml']);
    expect(v.recheck!.changes[0]).toBe('The computed verdict is now RESTRICTED; the report says INDETERMINATE.');
    const text = await ok(['verify', pdf, '--db', db]);
    expect(text.stdout).toContain('the verdict NO LONGER HOLDS: the engine now computes RESTRICTED');
    expect(text.stdout).toContain('The verdict now also relies on cases-rr-delta.xml');

    // the report is checked the same way against another database holding the same data:
    // the subject is found by its LEI; this database did not sign it
    const other = await freshDb('other.db');
    const o = json<VerifyJson>(await ok(['verify', pdf, '--db', other, '--json']));
    expect(o.recheck).toMatchObject({ stillHolds: true, changes: [] });
    expect(o.audit).toMatchObject({ reportRecorded: false, chain: null });
  });

  it('a wrong passphrase opens no case', async () => {
    const db = await freshDb('wrongpass.db');
    writeFileSync(at('wrong2.txt'), 'not the passphrase');
    const r = await runCli(['report', '--db', db, HK, '--out', at('no.pdf'), '--key', key, '--passphrase-file', at('wrong2.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/[Ww]rong passphrase/);
    expect(json<{ cases: unknown[] }>(await ok(['case', 'list', '--db', db, '--json'])).cases).toEqual([]);
    expect((await runCli(['report', '--db', db, HK, '--case', 'C-0001', '--out', at('no.pdf'), '--key', key, '--passphrase-file', pass])).code).toBe(2);
  });
});

describe('as a real process', () => {
  // Each process pays tsx's start-up (a few seconds): the setup runs in-process, the contract
  // parts (signing, verifying, exit codes, stdout/stderr) in real processes.
  it('bin/ownerscope.mjs: report and verify with exit codes', async () => {
    const db = await freshDb('proc.db');
    const id = json<{ case: { id: string } }>(await ok(['case', 'new', '--db', db, 'lei:RUHEAD00000000000414', '--json'])).case.id;
    await ok(['case', 'decide', '--db', db, id, '--override', 'indeterminate', '--why', 'Ownership of the Russian bank is disputed in court.', '--actor', 'Proc Tester']);
    const bin = path.resolve('bin/ownerscope.mjs');
    const cli = (...args: string[]) => run(process.execPath, [bin, ...args], { env: { ...process.env, OWNERSCOPE_ACTOR: 'Proc Tester' } });
    const pdf = at('proc.pdf');
    const rep = cli('report', '--db', db, '--case', id, '--out', pdf, '--key', key, '--passphrase-file', pass);
    expect(rep.status, rep.stderr).toBe(0);
    expect(rep.stdout).toContain(`signed report for case ${id}: INDETERMINATE`);
    expect(run('pdfsig', [pdf]).stdout).toContain('Signature is Valid.');
    expect(run('pdftotext', ['-enc', 'UTF-8', pdf, '-']).stdout).toContain('ПАО «Волга Банк»');
    const v = cli('verify', pdf, '--json');
    expect(v.status, v.stderr).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ isValid: true, verdict: 'indeterminate', computedVerdict: 'restricted', decision: { kind: 'override' }, signer: { name: 'Анна Лі' } });
    const audit = json<{ entries: { actor: string; action: string }[] }>(await ok(['audit', '--db', db, '--json']));
    expect(audit.entries.find((e) => e.action === 'case.decide')!.actor).toBe('Proc Tester');
    expect(audit.entries.find((e) => e.action === 'report.sign')!.actor).toBe('Анна Лі'); // signing is recorded under the signer
    writeFileSync(at('proc-cut.pdf'), readFileSync(pdf).subarray(0, 5000));
    const bad = cli('verify', at('proc-cut.pdf'));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^INVALID: /);
    expect(bad.stderr).toMatch(/truncated/);
    expect(cli('verify').status).toBe(2);
  }, 120_000);
});
