// A crafted case database whose case id is a path ("/../../evil") must not make signing write
// outside the reports folder: case ids are C-NNNN everywhere a path is built from them.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../electron/backend/api/backend';
import { callBackend } from '../../electron/backend/api/dispatch';
import { browserHost } from '../../electron/backend/http/host';
import { runCli } from '../helpers/cli';

const FIXTURES = path.resolve(__dirname, '../fixtures');

describe('signing never writes outside the reports folder', () => {
  let dir: string;
  let backend: Backend;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-report-path-'));
    db = path.join(dir, 'case.db');
    expect((await runCli(['import', '--db', db, path.join(FIXTURES, 'csv/entities.csv')])).code).toBe(0);
    backend = new Backend({ dataDir: path.join(dir, 'home'), host: browserHost() });
    expect((await callBackend(backend, 'case.open', { path: db })).ok).toBe(true);
    const id = await callBackend(backend, 'identity.create', { name: 'Test Investigator', passphrase: 'correct horse battery', remember: true });
    expect(id.ok).toBe(true);
    const c = await callBackend(backend, 'case.start', { ref: 'gb-coh:1234567' });
    expect(c.ok, c.ok ? '' : c.error.message).toBe(true);
    const d = await callBackend(backend, 'case.decide', { caseId: 'C-0001', decision: 'confirm', justification: 'checked' });
    expect(d.ok, d.ok ? '' : d.error.message).toBe(true);
    expect((await callBackend(backend, 'case.close', {})).ok).toBe(true);
    // the attacker edits the database: the case id becomes a path
    const raw = new Database(db);
    raw.pragma('foreign_keys = OFF');
    for (const t of ['cases']) raw.prepare(`UPDATE ${t} SET id = ? WHERE id = 'C-0001'`).run('/../../evil');
    for (const t of ['case_notes', 'case_evidence_files', 'case_reports']) raw.prepare(`UPDATE ${t} SET case_id = ? WHERE case_id = 'C-0001'`).run('/../../evil');
    raw.close();
    expect((await callBackend(backend, 'case.open', { path: db })).ok).toBe(true);
  });
  afterAll(() => backend.dispose());

  it('report.sign refuses a case id that is not C-NNNN and writes nothing', async () => {
    const r = await callBackend(backend, 'report.sign', { caseId: '/../../evil' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/not a case id/);
    expect(readdirSync(path.join(dir, 'home')).filter((f) => f.endsWith('.pdf'))).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.pdf'))).toEqual([]);
    expect(existsSync(path.join(dir, 'home', 'reports')) ? readdirSync(path.join(dir, 'home', 'reports')) : []).toEqual([]);
  });

  it('case.get, case.decide and case.note refuse it too', async () => {
    for (const [m, input] of [
      ['case.get', { caseId: '/../../evil' }],
      ['case.note', { caseId: '/../../evil', text: 'x' }],
    ] as const) {
      const r = await callBackend(backend, m as 'case.get', input as never);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(/not a case id/);
    }
  });
});
