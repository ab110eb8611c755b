// `ownerscope sources remove` (#13): facts only the source stated disappear, facts other sources
// also stated fall back to the latest other statement, cases whose verdict used it are flagged,
// the audit log records it and still verifies.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { json, runCli, runOk } from '../../helpers/cli';

function copy(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ownerscope-rm-')), 'case.db');
  copyFileSync(path.resolve('test/fixtures/cases/schema6.db'), file);
  return file;
}
const FEEDER = 'gleif-rr|FUND0000000000000597|MASTERFUND0000001444|IS_FEEDER_TO';
const HKSUB = 'gleif-rr|HKSUB000000000000283|ZJPARENT000000000187|IS_DIRECTLY_CONSOLIDATED_BY';

describe('sources remove', () => {
  it('removing a delta brings back what it deleted and what it changed, removes what only it stated, flags the cases', async () => {
    const file = copy();
    const before = (db: Database.Database, key: string) => db.prepare('SELECT share_lo, source_id FROM links WHERE key = ?').get(key);
    const r = json<{ removed: { removed: number; fellBack: number; flaggedCases: string[] } }>(await runOk(['sources', 'remove', '--db', file, '4', '--json']));
    expect(r.removed).toMatchObject({ removed: 1, fellBack: 2, flaggedCases: ['C-0001'] });
    const db = new Database(file, { readonly: true });
    try {
      // the link the delta deleted is back, stated by the first RR file; the updated one is the first file's again
      expect(before(db, FEEDER)).toMatchObject({ source_id: 2 });
      expect(before(db, HKSUB)).toMatchObject({ source_id: 2 });
      expect(db.prepare('SELECT count(*) n FROM links WHERE source_id = 4').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) n FROM sources WHERE id = 4').get()).toEqual({ n: 0 });
      expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
      expect(db.prepare(`SELECT action, payload FROM audit_log ORDER BY seq DESC LIMIT 1`).get()).toMatchObject({ action: 'source.remove' });
    } finally {
      db.close();
    }
    expect((await runOk(['case', 'list', '--db', file])).stdout).toMatch(/C-0001\s+reported FLAGGED/);
    expect((await runOk(['case', 'show', '--db', file, 'C-0001'])).stdout).toContain('FLAGGED (source-removed');
    const listed = json<{ cases: { id: string; flags?: { flag: string }[] }[] }>(await runOk(['case', 'list', '--db', file, '--json'])).cases;
    expect(listed.map((c) => [c.id, c.flags?.map((f) => f.flag) ?? []])).toEqual([['C-0001', ['source-removed']], ['C-0002', []], ['C-0003', []], ['C-0004', []]]);
    const v = json<{ verification: { isValid: boolean } }>(await runCli(['audit', '--db', file, '--verify', '--json']));
    expect(v.verification.isValid).toBe(true);
  });

  it('bad arguments exit 2, an unknown source exits 1, and the file is unchanged', async () => {
    const file = copy();
    expect((await runCli(['sources', 'remove', '--db', file, 'x'])).code).toBe(2);
    expect((await runCli(['sources', 'remove', '--db', file])).code).toBe(2);
    const r = await runCli(['sources', 'remove', '--db', file, '99']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no source with id 99');
    expect(json<{ sources: unknown[] }>(await runOk(['sources', '--db', file, '--json'])).sources).toHaveLength(13);
  });
});
