// Imports and resolution decisions are recorded in the hash-chained audit log, in the same
// transaction as the data they describe.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listAudit } from '../../../electron/backend/cases/audit';
import { verifyAuditChain } from '../../../electron/backend/cases/verify-audit';
import { openCaseDb } from '../../../electron/backend/store/db';
import { runCli } from '../../helpers/cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-audit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('logs each imported file with its hash and counts, and nothing for a failed import', async () => {
  const db = path.join(dir, 'case.db');
  const fix = path.resolve('test/fixtures/gleif');
  expect((await runCli(['import', '--db', db, path.join(fix, 'cases-l1.xml'), path.join(fix, 'cases-rr.xml')])).code).toBe(0);
  writeFileSync(path.join(dir, 'bad.xml'), '<lei:LEIData xmlns:lei="http://www.gleif.org/data/schema/leidata/2016"><lei:LEIHeader>');
  expect((await runCli(['import', '--db', db, path.join(fix, 'cases-repex.xml'), path.join(dir, 'bad.xml')])).code).toBe(1);
  const same = await runCli(['same', '--db', db, 'lei:MANAGER0000000000616', 'lei:MASTERFUND0000001444', '--why', 'test decision']);
  expect(same.code, same.stderr).toBe(0);
  const c = openCaseDb(db);
  try {
    const entries = listAudit(c);
    expect(entries.map((e) => e.action)).toEqual(['import', 'import', 'resolution.same']);
    expect(entries[0]!.payload).toMatchObject({ file: 'cases-l1.xml', format: 'gleif-l1-xml', records: 14 });
    expect(verifyAuditChain(c).isValid).toBe(true);
  } finally {
    c.close();
  }
});
