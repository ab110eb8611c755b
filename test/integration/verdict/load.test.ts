// The screening loader gives the same graph whether links are read here or in a worker thread,
// and the same verdicts as single-subject verdicts read from the ancestor closure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { screenAll } from '../../../shared/domain/engine';
import { importFiles } from '../../../electron/backend/import/runner';
import { openCaseDb, type Db } from '../../../electron/backend/store/db';
import { loadAll } from '../../../electron/backend/verdict/load';
import { policyFromArgs } from '../../../electron/backend/verdict/policy-input';
import { computeVerdict } from '../../../electron/backend/verdict/verdict';

let dir: string;
let db: Db;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-load-'));
  db = openCaseDb(path.join(dir, 'case.db'));
  const fix = path.resolve('test/fixtures');
  await importFiles(db, [
    ...['cases-l1.xml', 'cases-rr.xml', 'cases-repex.xml', 'lei-cdf31_goldencopy_2023-06-05_excerpt.xml', 'rr-cdf21_goldencopy_2023-06-05_excerpt.xml'].map((f) => path.join(fix, 'gleif', f)),
    path.join(fix, 'psc', 'psc-snapshot-sample_2024-12.jsonl'),
  ]);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

it('reads links in a worker thread into the same graph as in this thread', async () => {
  const here = await loadAll(db, { parallel: false, evidence: true });
  const there = await loadAll(db, { parallel: true, evidence: true });
  expect(there.links.count).toBe(here.links.count);
  expect(there.links.count).toBeGreaterThan(40);
  for (const k of ['id', 'owner', 'owned', 'kind', 'basis', 'lo', 'hi', 'flags', 'start', 'end', 'status', 'source', 'stated', 'recordRef'] as const) {
    expect([...there.links[k]], k).toEqual([...here.links[k]]);
  }
});

it('screening verdicts equal single-subject verdicts for every entity', async () => {
  const policy = policyFromArgs(undefined, '2026-01-01');
  const graph = await loadAll(db, { parallel: true });
  const result = screenAll(graph, policy);
  const seen = new Set<string>();
  for (let i = 0; i < graph.count; i++) {
    const e = result.entry(i);
    const single = computeVerdict(db, e.id, policy);
    expect(single.verdict, e.name).toBe(e.verdict);
    expect(single.methods.control.restrictedShare, e.name).toEqual(e.control.restrictedShare);
    expect(single.methods.lookThrough.restrictedShare, e.name).toEqual(e.lookThrough.restrictedShare);
    seen.add(e.verdict);
  }
  expect([...seen].sort()).toEqual(['clear', 'indeterminate', 'restricted']);
});
