// What a query, a request or a crafted case database can do to search, saved policies and
// screening rows: FTS5 query syntax in a search is text, never an expression; a saved policy row
// that is not a policy object is left out, and one with hostile fields is refused where it is
// used; screening requests outside a job's rows are refused by field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../electron/backend/api/backend';
import { callBackend } from '../../electron/backend/api/dispatch';
import { browserHost } from '../../electron/backend/http/host';
import { importFiles } from '../../electron/backend/import/runner';
import { openCaseDb } from '../../electron/backend/store/db';
import { searchEntities } from '../../electron/backend/store/queries';

const demo = path.resolve(__dirname, '../../demo');
let dir: string;
let file: string;
let backend: Backend;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'os-search-policy-'));
  file = path.join(dir, 'case.db');
  const db = openCaseDb(file);
  await importFiles(db, [path.join(demo, 'cases-l1.xml')]);
  db.close();
  backend = new Backend({ dataDir: path.join(dir, 'home'), host: browserHost() });
});
afterAll(async () => {
  await backend.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('search input', () => {
  it('FTS5 syntax in a query is searched as text, in every index, without an error', () => {
    const db = openCaseDb(file, { readonly: true, create: false });
    try {
      for (const q of ['"', '""', 'Atlas" OR "Pearl', 'NEAR(Atlas Fund)', 'Atlas*', '-Atlas', 'name:Atlas', '^Atlas', 'Atlas AND', '(((', 'ООО "Газпром', "'; DROP TABLE entities; --"]) {
        expect(() => searchEntities(db, q, 10), q).not.toThrow();
      }
      // an OR between quotes is not an OR: it finds nothing rather than both names
      expect(searchEntities(db, 'Atlas" OR "Pearl', 10).map((h) => h.matched)).not.toContain('Pearl Harbour Trading Limited');
      expect((db.prepare('SELECT count(*) AS n FROM entities').get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});

describe('saved policies from a crafted case database', () => {
  it('a row that is not a policy object is left out; one with a hostile field is refused where it is used', async () => {
    const raw = new Database(file);
    // a table without the CHECK, as another tool could write it
    raw.exec(`DROP TABLE saved_policies; CREATE TABLE saved_policies (name TEXT PRIMARY KEY, policy TEXT NOT NULL, sha256 TEXT NOT NULL, saved_at TEXT NOT NULL, saved_by TEXT) STRICT;`);
    const ins = raw.prepare('INSERT INTO saved_policies VALUES (?, ?, ?, ?, ?)');
    ins.run('not json', '{oops', 'x', '2026-01-01', null);
    ins.run('an array', '[1,2]', 'x', '2026-01-01', null);
    ins.run('hostile', JSON.stringify({ preset: 'ofac-50', threshold: 1e308, __proto__x: 1, restrictedCountries: ['<script>'] }), 'x', '2026-01-01', 'mallory');
    raw.close();
    expect((await callBackend(backend, 'case.open', { path: file })).ok).toBe(true);
    const saved = await callBackend(backend, 'policy.saved', {});
    expect(saved.ok && saved.value.map((p) => p.name)).toEqual(['hostile']);
    const policy = saved.ok ? saved.value[0]!.policy : {};
    const r = await callBackend(backend, 'verdict.compute', { ref: 'lei:HKSUB000000000000283', policy });
    expect(r.ok ? null : r.error.code).toBe('policy-error');
    const s = await callBackend(backend, 'screen.start', { isAll: true, policy });
    expect(s.ok ? null : s.error.code).toBe('policy-error');
  });

  it('policy.save validates before it writes, and names the field', async () => {
    const r = await callBackend(backend, 'policy.save', { name: 'bad', policy: { preset: 'eu-50', threshold: 'fifty' } });
    expect(r.ok ? null : [r.error.code, r.error.field]).toEqual(['policy-error', 'threshold']);
    const list = await callBackend(backend, 'policy.saved', {});
    expect(list.ok && list.value.map((p) => p.name)).not.toContain('bad');
  });
});

describe('screening requests', () => {
  it('a page larger than 1000 rows, a negative offset, an index outside the job and an unknown outcome are refused by field', async () => {
    const list = path.join(dir, 'list.csv');
    writeFileSync(list, 'ref\nlei:HKSUB000000000000283\n');
    const cases: [string, Record<string, unknown>, string][] = [
      ['screen.rows', { jobId: 'abc', limit: 100_000 }, 'limit'],
      ['screen.rows', { jobId: 'abc', offset: -1 }, 'offset'],
      ['screen.rows', { jobId: 'abc', verdict: 'everything' }, 'verdict'],
      ['screen.resolve', { jobId: 'abc', index: -5, ref: '1' }, 'index'],
      ['screen.export', { jobId: 'abc', bom: 'yes' }, 'bom'],
    ];
    for (const [method, input, field] of cases) {
      const r = await callBackend(backend, method as 'screen.rows', input as never);
      expect(r.ok ? null : [r.error.code, r.error.field], `${method} ${JSON.stringify(input)}`).toEqual(['invalid-input', field]);
    }
  });
});
