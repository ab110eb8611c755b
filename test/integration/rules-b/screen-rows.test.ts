// Issue 11 point 8: screening never drops a row. Every input row gets an output row, in input
// order; with both a reference and a name column the reference is used where present and the
// name otherwise; the summary says rows in = rows out. Real GLEIF Level 1 excerpt.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { json, runCli } from '../../helpers/cli';

const samples = path.resolve(__dirname, '../../../../shared/samples');
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rules-b-screen-'));
  db = path.join(dir, 'case.db');
  const r = await runCli(['import', '--db', db, path.join(samples, 'gleif-level1/lei-cdf31_goldencopy_2023-06-05_excerpt.xml')]);
  expect(r.code, r.stderr).toBe(0);
});

// [reference, name] → expected match and the entity's LEI (if screened)
const ROWS: [string, string, string, string | null][] = [
  ['lei:001GPB6A9XPE8XJICC14', 'Fidelity Advisor Leveraged Company Stock Fund', 'ref', 'lei:001GPB6A9XPE8XJICC14'],
  ['', 'Hutchin Hill Capital, LP', 'name', 'lei:004L5FPTUREIWK9T2N63'],
  ['lei:00EHHQ2ZHDCFXJCPCL46', '', 'ref', 'lei:00EHHQ2ZHDCFXJCPCL46'],
  ['', 'Fund', 'ambiguous', null],
  ['lei:NOTINTHECASE00000000', 'Oakmark International Fund', 'not-found', null],
  ['', '', 'invalid', null],
  ['', 'No Such Company Anywhere', 'not-found', null],
  ['gb-coh:01403668', 'ignored when a reference is given', 'ref', 'lei:213800FERQ5LE3H7WJ58'],
];

describe('screening a portfolio with reference and name columns', () => {
  it('gives one output row per input row, in order, and says rows in = rows out', async () => {
    const input = path.join(dir, 'portfolio.csv');
    writeFileSync(input, 'reference,name\n' + ROWS.map(([r, n]) => `${r},"${n}"`).join('\n') + '\n');
    const out = path.join(dir, 'results.csv');
    const run = await runCli(['screen', '--db', db, '--input', input, '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = json<{ rowsIn: number; rowsOut: number; invalid: number; unresolved: number }>(run);
    expect(summary.rowsIn).toBe(8);
    expect(summary.rowsOut).toBe(8);
    expect(summary.invalid).toBe(1);
    const rows = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows).toHaveLength(8);
    ROWS.forEach(([ref, name, match, lei], i) => {
      const r = rows[i]!;
      expect(r.row, `row ${i}`).toBe(String(i + 2));
      expect(r.input, `row ${i}`).toBe(ref || name);
      expect(r.match, `row ${i}`).toBe(match);
      if (lei) expect(r.identifiers, `row ${i}`).toContain(lei);
      if (match === 'ambiguous') expect(r.reason).toMatch(/candidates .*#\d+/);
      if (match === 'invalid') expect(r.reason).toMatch(/neither a reference nor a name/);
    });
    const text = await runCli(['screen', '--db', db, '--input', input, '--out', out]);
    expect(text.stdout).toContain('8 row(s) in, 8 row(s) out');
  });
});
