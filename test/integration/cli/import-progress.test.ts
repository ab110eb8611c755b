// The import command draws a progress line on a terminal and stays quiet otherwise.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importFiles, type ImportProgress } from '../../../electron/backend/import/runner';
import { openCaseDb } from '../../../electron/backend/store/db';
import { runCli } from '../../helpers/cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-progress-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIX = path.resolve('test/fixtures/gleif');

it('draws progress lines with records, rates and percent on a TTY, none otherwise', async () => {
  const tty = await runCli(['import', '--db', path.join(dir, 'a.db'), path.join(FIX, 'cases-l1.xml'), path.join(FIX, 'cases-rr.xml')], { isTTY: true });
  expect(tty.code).toBe(0);
  const lines = tty.progress.filter(Boolean);
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.some((l) => /^\[\d\/2\] cases-(l1|rr)\.xml: 100% \d+ records \(\d[\d,]*\/s, [\d.]+ MiB\/s\)/.test(l))).toBe(true);
  expect(tty.progress[tty.progress.length - 1]).toBe(''); // the line is cleared before the summary
  const quiet = await runCli(['import', '--db', path.join(dir, 'b.db'), path.join(FIX, 'cases-l1.xml')]);
  expect(quiet.code).toBe(0);
  expect(quiet.progress).toEqual([]);
  expect(quiet.stdout).toMatch(/cases-l1\.xml: gleif-l1-xml, 14 records/);
});

it('reports progress events with bytes, records, rates and time left to API callers', async () => {
  const db = openCaseDb(path.join(dir, 'c.db'));
  const events: ImportProgress[] = [];
  try {
    await importFiles(db, [path.join(FIX, '20240505-0000-gleif-goldencopy-lei2-intra-day.json')], {
      onProgress: (p) => events.push(p),
      progressIntervalMs: 0,
    });
  } finally {
    db.close();
  }
  const importing = events.filter((e) => e.phase === 'importing');
  expect(importing.length).toBeGreaterThan(0);
  for (let i = 1; i < importing.length; i++) expect(importing[i]!.records).toBeGreaterThanOrEqual(importing[i - 1]!.records);
  const last = events[events.length - 1]!;
  expect(last.phase).toBe('committing');
  const done = events.find((e) => e.phase === 'done')!;
  expect(done).toMatchObject({ records: 577, bytes: done.totalBytes });
  expect(importing[0]!.recordsPerSecond).toBeGreaterThan(0);
  expect(importing[0]!.etaMs).not.toBeNull();
});
