// The case page's new surfaces (issue 15) against hostile input: a crafted case database whose
// audit payloads carry markup, another case's report asked for by id, an investigator name that is
// a placeholder or too long, an attachment that is not a regular file. Real backend, real SQLite.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend, memorySecrets } from '../../electron/backend/api/backend';
import { dispatch as rawDispatch } from '../../electron/backend/api/dispatch';
import type { Input, Method, Output, Result } from '../../shared/api/contract';

// the real dispatcher (validation included), typed by the contract for reading the answers
const dispatch = <K extends Method>(b: Backend, method: K, input: Input<K> | Record<string, unknown>) => rawDispatch(b, method, input) as Promise<Result<Output<K>>>;
import { runCli } from '../helpers/cli';
import { appendAudit } from '../../electron/backend/cases';
import { openCaseDb } from '../../electron/backend/store/db';

const FIX = path.resolve('test/fixtures/gleif');
const MARKUP = '<img src=x onerror="alert(1)"><script>alert(2)</script>';

describe('case page inputs', () => {
  let dir: string;
  let db: string;
  let backend: Backend;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-case-page-'));
    db = path.join(dir, 'case.db');
    expect((await runCli(['import', '--db', db, ...['cases-l1.xml', 'cases-rr.xml'].map((f) => path.join(FIX, f))])).code).toBe(0);
    expect((await runCli(['case', 'new', '--db', db, 'lei:HKSUB000000000000283', '--actor', 'A'])).code).toBe(0);
    expect((await runCli(['case', 'new', '--db', db, 'lei:ZJPARENT000000000187', '--actor', 'A'])).code).toBe(0);
    // what a crafted file can hold: payloads with markup, an action nobody knows, a report row of C-0002
    const raw = openCaseDb(db);
    appendAudit(raw, { action: 'case.note', caseId: 'C-0001', actor: MARKUP, payload: { text: MARKUP } });
    appendAudit(raw, { action: 'x.' + MARKUP, caseId: 'C-0001', actor: null, payload: 'not an object' });
    raw.close();
    const sql = new Database(db);
    sql.prepare("INSERT INTO case_reports (id, case_id, pdf_sha256, evidence_sha256, verdict, signer_name, signer_cert_sha256, audit_head, created_at, pdf) VALUES (7, 'C-0002', ?, ?, 'clear', 'X', ?, ?, '2026-01-01T00:00:00Z', ?)")
      .run('a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64), 'd'.repeat(64), Buffer.from('not a pdf'));
    sql.close();
    backend = new Backend({ dataDir: path.join(dir, 'home'), host: { mode: 'test', secrets: memorySecrets(), openFile: async () => ({ url: null }) } });
    expect((await dispatch(backend, 'case.open', { path: db })).ok).toBe(true);
  });
  afterAll(async () => {
    await backend.dispose();
  });

  it('the timeline carries crafted payloads as plain text, and an unknown action by its name', async () => {
    const r = await dispatch(backend, 'case.get', { caseId: 'C-0001' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const tail = r.value.timeline.slice(-2);
    expect(tail[0]).toMatchObject({ kind: 'note', text: `Note: ${MARKUP}`, actor: MARKUP });
    expect(tail[1]).toMatchObject({ kind: 'other', text: `x.${MARKUP}` });
  });

  it("a report is given out only for its own case", async () => {
    const other = await dispatch(backend, 'case.reportFile', { caseId: 'C-0001', reportId: 7 });
    expect(other).toMatchObject({ ok: false, error: { code: 'not-found', field: 'reportId' } });
    const own = await dispatch(backend, 'case.reportFile', { caseId: 'C-0002', reportId: 7 });
    expect(own.ok).toBe(true);
    // written under a name the app makes, inside the reports folder; a non-PDF verifies as invalid
    if (own.ok) {
      expect(own.value.path).toBe(path.join(dir, 'home', 'reports', 'ownerscope-report-C-0002-7.pdf'));
      const v = await dispatch(backend, 'report.verify', { path: own.value.path });
      expect(v.ok && v.value.isValid).toBe(false);
    }
    expect((await dispatch(backend, 'case.reportFile', { caseId: '../C-0002', reportId: 7 })).ok).toBe(false);
    expect((await dispatch(backend, 'case.reportFile', { caseId: 'C-0002', reportId: -1 })).ok).toBe(false);
  });

  it('decisions and notes wait for a name; a placeholder or an oversized name is refused', async () => {
    const note = await dispatch(backend, 'case.note', { caseId: 'C-0001', text: 'who am I?' });
    expect(note).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'investigator' } });
    const confirm = await dispatch(backend, 'case.decide', { caseId: 'C-0001', decision: 'confirm' });
    expect(confirm).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'justification' } });
    expect((await dispatch(backend, 'investigator.set', { name: '-' })).ok).toBe(false);
    expect((await dispatch(backend, 'investigator.set', { name: '   ' })).ok).toBe(false);
    expect((await dispatch(backend, 'investigator.set', { name: 'x'.repeat(201) })).ok).toBe(false);
    expect((await dispatch(backend, 'investigator.set', { name: 'Ada\u0000' })).ok).toBe(false);
    expect(await dispatch(backend, 'investigator.get', {})).toEqual({ ok: true, value: { name: null, source: null } });
    expect(await dispatch(backend, 'investigator.set', { name: 'Ada Lovelace' })).toEqual({ ok: true, value: { name: 'Ada Lovelace', source: 'database' } });
    const noted = await dispatch(backend, 'case.note', { caseId: 'C-0001', text: 'now with a name' });
    expect(noted.ok && noted.value.notes.at(-1)).toMatchObject({ text: 'now with a name', author: 'Ada Lovelace' });
  });

  it('an attachment must be a regular file', async () => {
    const folder = path.join(dir, 'a-folder');
    mkdirSync(folder);
    expect((await dispatch(backend, 'case.attach', { caseId: 'C-0001', path: folder })).ok).toBe(false);
    expect((await dispatch(backend, 'case.attach', { caseId: 'C-0001', path: path.join(dir, 'missing.pdf') })).ok).toBe(false);
    const file = path.join(dir, 'register.txt');
    writeFileSync(file, 'register extract');
    const ok = await dispatch(backend, 'case.attach', { caseId: 'C-0001', path: file });
    expect(ok.ok && ok.value.evidenceFiles.map((f) => [f.fileName, f.addedBy])).toEqual([['register.txt', 'Ada Lovelace']]);
  });
});
