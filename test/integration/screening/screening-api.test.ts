// The app's screening, end to end through the backend API on the demo case files: summary counts,
// rows read by pages (no event carries the rows), an ambiguous row resolved in place, and the
// export: the same bytes as `ownerscope screen` (one column definition), with a BOM for Excel.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/api/backend';
import { callBackend } from '../../../electron/backend/api/dispatch';
import { browserHost } from '../../../electron/backend/http/host';
import type { EventMessage, Method, Input, Output } from '../../../shared/api/contract';
import type { ScreenResult } from '../../../shared/api/types';
import { runCli } from '../../helpers/cli';

const demo = path.resolve(__dirname, '../../../demo');
const FILES = ['cases-l1.xml', 'cases-rr.xml', 'cases-repex.xml'].map((f) => path.join(demo, f));

let dir: string;
let db: string;
let list: string;
let backend: Backend;
const events: EventMessage[] = [];

async function ok<K extends Method>(method: K, input: Input<K>): Promise<Output<K>> {
  const r = await callBackend(backend, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value;
}

async function screened(jobId: string): Promise<ScreenResult> {
  for (;;) {
    const e = events.find((m) => (m.event === 'screen.done' || m.event === 'screen.failed') && m.data.jobId === jobId);
    if (e?.event === 'screen.done') return e.data;
    if (e?.event === 'screen.failed') throw new Error(e.data.message);
    await new Promise((r) => setTimeout(r, 30));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'os-screening-'));
  db = path.join(dir, 'case.db');
  const r = await runCli(['import', '--db', db, ...FILES]);
  expect(r.code, r.stderr).toBe(0);
  list = path.join(dir, 'portfolio.csv');
  writeFileSync(
    list,
    [
      'ref,name',
      'lei:HKSUB000000000000283,',
      ',Pearl Harbour Trading Limited',
      ',Atlas', // three Atlas entities: ambiguous
      ',Pearl Harbor Trading', // a typo: offered, never taken
      ',Qwxyz Nonexistent Zzz',
      ',',
      ',浙江测试控股集团有限公司',
      'lei:RUHEAD00000000000414,',
    ].join('\n') + '\n',
  );
  const host = browserHost();
  host.bind({ add: () => 'http://127.0.0.1/download' } as never);
  backend = new Backend({ dataDir: path.join(dir, 'home'), host });
  backend.onEvent((m) => events.push(m));
  await ok('case.open', { path: db });
});
afterAll(async () => {
  await backend.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('screening in the app', () => {
  let jobId = '';
  let result: ScreenResult;

  it('reports summary counts per outcome; the done event carries no rows', async () => {
    jobId = (await ok('screen.start', { path: list, policy: 'restricted-regions' })).jobId;
    result = await screened(jobId);
    expect(result.total).toBe(8);
    expect('rows' in result).toBe(false);
    const c = result.counts;
    expect(c.ambiguous).toBe(2);
    expect(c['not-found']).toBe(1);
    expect(c.invalid).toBe(1);
    expect(c.restricted + c.indeterminate + c.clear).toBe(4);
    expect(result.policySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.dataDate).toMatch(/^\d{4}-\d{2}-\d{2}/);
  });

  it('pages rows and filters them by outcome and text', async () => {
    const first = await ok('screen.rows', { jobId, offset: 0, limit: 3 });
    expect(first.total).toBe(8);
    expect(first.rows.map((r) => r.line)).toEqual([2, 3, 4]);
    const next = await ok('screen.rows', { jobId, offset: 3, limit: 3 });
    expect(next.rows.map((r) => r.line)).toEqual([5, 6, 7]);
    const amb = await ok('screen.rows', { jobId, verdict: 'ambiguous' });
    expect(amb.total).toBe(2);
    expect(amb.rows.map((r) => r.input)).toEqual(['Atlas', 'Pearl Harbor Trading']);
    // the typo's candidate is the real name, offered to choose
    expect(amb.rows[1]!.candidates?.map((c) => c.name)).toContain('Pearl Harbour Trading Limited');
    expect((await ok('screen.rows', { jobId, filter: '浙江' })).rows.map((r) => r.name)).toEqual(['浙江测试控股集团有限公司']);
  });

  it('exports the same file as ownerscope screen, with policy, hash, as-of and data date columns', async () => {
    const out = path.join(dir, 'cli.csv');
    const r = await runCli(['screen', '--db', db, '--input', list, '--policy', 'restricted-regions', '--as-of', result.asOf, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const x = await ok('screen.export', { jobId });
    const app = readFileSync(x.path, 'utf8');
    expect(app).toBe(readFileSync(out, 'utf8'));
    const rows = Papa.parse<string[]>(app, { skipEmptyLines: true }).data;
    const h = rows[0]!;
    for (const col of ['identifiers', 'policy', 'policy_sha256', 'as_of', 'data_date']) expect(h).toContain(col);
    const lei = rows.find((row) => row[h.indexOf('input')] === 'lei:HKSUB000000000000283')!;
    expect(lei[h.indexOf('identifiers')]).toContain('lei:HKSUB000000000000283');
    expect(lei[h.indexOf('policy_sha256')]).toBe(result.policySha256);
    expect(lei[h.indexOf('as_of')]).toBe(result.asOf);
    expect(lei[h.indexOf('data_date')]).toBe(result.dataDate);
    // the BOM is opt-in: Excel needs it to read UTF-8, other tools would see it as a character
    expect(readFileSync(x.path).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const bom = readFileSync((await ok('screen.export', { jobId, bom: true })).path);
    expect(bom.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    expect(bom.subarray(3).toString('utf8')).toBe(app);
    const cliBom = path.join(dir, 'cli-bom.csv');
    expect((await runCli(['screen', '--db', db, '--input', list, '--as-of', result.asOf, '--out', cliBom, '--bom'])).code).toBe(0);
    expect(readFileSync(cliBom).equals(bom)).toBe(true);
  });

  it('resolves an ambiguous row in place by the chosen candidate, and the counts follow', async () => {
    const [atlas] = (await ok('screen.rows', { jobId, verdict: 'ambiguous' })).rows;
    const chosen = atlas!.candidates!.find((c) => c.name === 'Atlas Master Fund')!;
    const row = await ok('screen.resolve', { jobId, index: atlas!.index, ref: String(chosen.id) });
    expect(row).toMatchObject({ index: atlas!.index, line: atlas!.line, input: 'Atlas', match: 'chosen', entityId: chosen.id, name: 'Atlas Master Fund' });
    expect(['restricted', 'clear', 'indeterminate']).toContain(row.verdict);
    // the same verdict as the single-subject computation under the job's policy and date
    const v = await ok('verdict.compute', { ref: String(chosen.id), policy: 'restricted-regions', asOf: result.asOf });
    expect(row.verdict).toBe(v.verdict);
    const page = await ok('screen.rows', { jobId });
    expect(page.counts.ambiguous).toBe(1);
    expect(page.counts[row.verdict]).toBe(result.counts[row.verdict] + 1);
    expect(page.rows[atlas!.index]!.match).toBe('chosen');
    const csv = Papa.parse<string[]>(readFileSync((await ok('screen.export', { jobId })).path, 'utf8'), { skipEmptyLines: true }).data;
    const line = csv.find((r) => r[1] === 'Atlas')!;
    expect(line[csv[0]!.indexOf('match')]).toBe('chosen');
    expect(line[csv[0]!.indexOf('name')]).toBe('Atlas Master Fund');
  });

  it('refuses a row that is not in the job, and an unknown job', async () => {
    const r = await callBackend(backend, 'screen.resolve', { jobId, index: 99, ref: '1' });
    expect(r.ok ? null : r.error.code).toBe('invalid-input');
    const u = await callBackend(backend, 'screen.rows', { jobId: 'nope' });
    expect(u.ok ? null : u.error.code).toBe('not-found');
  });

  it('streams a long screening in chunks: rows can be paged while it runs, every row arrives once', async () => {
    // every entity, many times over: a list of 12,000 references
    const big = path.join(dir, 'big.csv');
    const refs = ['lei:HKSUB000000000000283', 'lei:RUHEAD00000000000414', 'lei:ZJPARENT000000000187'];
    writeFileSync(big, 'ref\n' + Array.from({ length: 12_000 }, (_, i) => refs[i % 3]).join('\n') + '\n');
    const id = (await ok('screen.start', { path: big })).jobId;
    const done = await screened(id);
    expect(done.total).toBe(12_000);
    const last = await ok('screen.rows', { jobId: id, offset: 11_990, limit: 50 });
    expect(last.rows.map((r) => r.index)).toEqual(Array.from({ length: 10 }, (_, i) => 11_990 + i));
    expect(Object.values(last.counts).reduce((a, b) => a + b, 0)).toBe(12_000);
    // progress events carry counts, never rows
    const progress = events.filter((e) => e.event === 'screen.progress' && e.data.jobId === id);
    for (const p of progress) expect(Object.keys(p.data)).not.toContain('rows');
  });
});
