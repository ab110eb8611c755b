// Issue 11 point 8: an impossible calendar date (2023-02-31) is refused everywhere — the CLI's
// --as-of (exit 2), the API (invalid-input), an imported CSV (file, line, field) and a policy file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validators } from '../../../shared/api/contract';
import { runCli } from '../../helpers/cli';

const samples = path.resolve(__dirname, '../../../../shared/samples');
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rules-b-dates-'));
  db = path.join(dir, 'case.db');
  const r = await runCli(['import', '--db', db, path.join(samples, 'gleif-level1/lei-cdf31_goldencopy_2023-06-05_excerpt.xml')]);
  expect(r.code, r.stderr).toBe(0);
});

describe('impossible dates', () => {
  it.each([
    ['verdict', ['verdict', '--db', () => db, 'lei:001GPB6A9XPE8XJICC14']],
    ['policy show', ['policy', 'show', 'ofac-50']],
    ['screen', ['screen', '--db', () => db, '--all', '--out', () => path.join(dir, 'o.csv')]],
  ] as const)('%s --as-of 2023-02-31 exits 2 naming the flag', async (_n, args) => {
    const argv = [...args.map((a) => (typeof a === 'function' ? a() : a)), '--as-of', '2023-02-31'];
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--as-of');
    expect(r.stderr).toContain('2023-02-31');
  });

  it('the API refuses asOf 2023-02-31 as invalid input on every method that takes a date', () => {
    for (const [method, input] of [
      ['verdict.compute', { ref: 'lei:X', asOf: '2023-02-31' }],
      ['entity.get', { ref: 'lei:X', asOf: '2023-02-31' }],
      ['trace.get', { ref: 'lei:X', direction: 'up', asOf: '2023-02-31' }],
      ['screen.start', { isAll: true, asOf: '2023-02-30' }],
    ] as const) {
      const check = (v: unknown) => (validators as unknown as Record<string, (v: unknown, f: string) => unknown>)[method]!(v, '');
      expect(() => check(input), method).toThrow(/asOf.*(not a date in the calendar|date)/);
      try { check(input); } catch (e) { expect((e as { name: string }).name).toBe('ValidationError'); }
    }
  });

  it('a CSV link with start_date 2023-02-31 is refused naming file, line and field, and imports nothing', async () => {
    const f = path.join(dir, 'links-bad-date.csv');
    writeFileSync(f, 'owner_ref,owned_ref,kind,share_exact,start_date\ncsv:A,csv:B,shares,30,2021-01-01\ncsv:A,csv:C,shares,30,2023-02-31\n');
    const r = await runCli(['import', '--db', path.join(dir, 'bad.db'), f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('links-bad-date.csv');
    expect(r.stderr).toContain("row 3");
    expect(r.stderr).toContain('start_date');
    expect(r.stderr).toContain('2023-02-31');
  });

  it('a policy file with asOf 2023-02-31 is refused naming the file and the field', async () => {
    const f = path.join(dir, 'policy-bad.json');
    writeFileSync(f, JSON.stringify({ preset: 'ofac-50', asOf: '2023-02-31' }));
    const r = await runCli(['policy', 'show', f]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('asOf');
    expect(r.stderr).toContain('policy-bad.json');
  });
});
