// Two real processes on one case database: an `ownerscope import` of a generated GLEIF file in
// one, and in the other a screening, a second import, `case new`, a decision or a verdict. The
// second one never fails with "database is locked": a read runs on its snapshot, a write waits its
// turn and says for which import. Loops are bounded; nothing depends on how fast the machine is.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerFile } from '../../../electron/backend/store/concurrency';
import { generateGleif, GENERATED_FILES } from '../../bench/gleif-generate';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/ownerscope.mjs');
const FIXTURES = path.join(ROOT, 'test/fixtures/gleif');
const LEI = readFileSync(path.join(FIXTURES, 'cases-l1.xml'), 'utf8').match(/<lei:LEI>([A-Z0-9]{20})</)![1]!;

interface Done {
  code: number;
  stdout: string;
  stderr: string;
}

function start(args: string[]): { child: ChildProcess; done: Promise<Done> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, OWNERSCOPE_USER: 'tester' } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Done>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
  return { child, done };
}

const run = (args: string[]) => start(args).done;

let dir: string;
let big: string[];
let n = 0;

/** A fresh case with the small fixture imported; the entity count before the big import. */
async function freshCase(): Promise<string> {
  const db = path.join(dir, `case-${++n}.db`);
  const r = await run(['import', '--db', db, path.join(FIXTURES, 'cases-l1.xml'), path.join(FIXTURES, 'cases-rr.xml')]);
  expect(r.code, r.stderr).toBe(0);
  return db;
}

/** Starts the big import and returns once it holds the write lock (its sidecar is there). */
async function importHoldingLock(db: string): Promise<{ isRunning: () => boolean; done: Promise<Done> }> {
  const p = start(['import', '--db', db, ...big]);
  let exited = false;
  void p.done.then(() => (exited = true));
  for (let i = 0; i < 3000 && !exited && !existsSync(markerFile(db)); i++) await new Promise((r) => setTimeout(r, 20));
  expect(existsSync(markerFile(db)), 'the import holds the write lock and says so next to the database').toBe(true);
  return { isRunning: () => !exited && existsSync(markerFile(db)), done: p.done };
}

const noLockError = (r: Done) => expect(r.stderr).not.toMatch(/locked|SQLITE_BUSY/i);
const WAITING = /waiting for the import of gleif-l1\.csv, gleif-rr\.csv to finish/;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-two-proc-'));
  await generateGleif(4000, path.join(dir, 'gen'));
  big = [GENERATED_FILES.l1Csv, GENERATED_FILES.rrCsv].map((f) => path.join(dir, 'gen', f));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('two processes on one case database', () => {
  it('screen --all during an import: no crash, the state before or after the import, whole', async () => {
    const db = await freshCase();
    const screenOnce = async (out: string) => {
      const r = await run(['screen', '--db', db, '--all', '--out', path.join(dir, out), '--json']);
      noLockError(r);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { subjects: number };
    };
    const before = (await screenOnce('before.csv')).subjects;
    const imp = await importHoldingLock(db);
    const seen: number[] = [];
    let overlapped = 0;
    for (let i = 0; i < 20 && imp.isRunning(); i++) {
      const r = await run(['screen', '--db', db, '--all', '--out', path.join(dir, `during-${i}.csv`), '--json']);
      noLockError(r);
      expect(r.code, r.stderr).toBe(0);
      overlapped++;
      seen.push((JSON.parse(r.stdout) as { subjects: number }).subjects);
      // the screening's audit entry is a write: it waited for the import, and said so
      if (i === 0) expect(r.stderr).toMatch(WAITING);
      const csv = readFileSync(path.join(dir, `during-${i}.csv`), 'utf8').trim().split('\n');
      expect(csv.length - 1).toBe(seen[seen.length - 1]);
    }
    expect((await imp.done).code).toBe(0);
    const after = (await screenOnce('after.csv')).subjects;
    expect(after).toBeGreaterThan(before);
    expect(overlapped).toBeGreaterThan(0);
    for (const s of seen) expect([before, after]).toContain(s);
  }, 300_000);

  it('an import during an import waits its turn with a message; both land', async () => {
    const db = await freshCase();
    const imp = await importHoldingLock(db);
    const second = await run(['import', '--db', db, path.join(FIXTURES, 'cases-repex.xml'), '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(WAITING);
    noLockError(second);
    const first = await imp.done;
    expect(first.code, first.stderr).toBe(0);
    const sources = JSON.parse((await run(['sources', '--db', db, '--json'])).stdout) as { sources: { fileName: string }[] };
    expect(sources.sources.map((s) => s.fileName)).toEqual(['cases-l1.xml', 'cases-rr.xml', 'gleif-l1.csv', 'gleif-rr.csv', 'cases-repex.xml']);
    expect((await run(['audit', '--db', db, '--verify'])).code).toBe(0);
  }, 300_000);

  it('case new and a decision during an import wait their turn and succeed', async () => {
    const db = await freshCase();
    const opened = await run(['case', 'new', '--db', db, LEI, '--json']);
    expect(opened.code, opened.stderr).toBe(0);
    const first = (JSON.parse(opened.stdout) as { case: { id: string } }).case.id;
    const imp = await importHoldingLock(db);
    const [created, decided] = await Promise.all([
      run(['case', 'new', '--db', db, LEI, '--json']),
      run(['case', 'decide', '--db', db, first, '--confirm', '--why', 'Checked.', '--json']),
    ]);
    for (const r of [created, decided]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(WAITING);
      noLockError(r);
    }
    expect((await imp.done).code).toBe(0);
    expect((JSON.parse(decided.stdout) as { case: { status: string } }).case.status).toBe('decided');
    const list = JSON.parse((await run(['case', 'list', '--db', db, '--json'])).stdout) as { cases: unknown[] };
    expect(list.cases).toHaveLength(2);
    expect((await run(['audit', '--db', db, '--verify'])).code).toBe(0);
  }, 300_000);

  it('a verdict during an import is computed on the snapshot without writing; only its audit entry waits', async () => {
    const db = await freshCase();
    // a stored resolution older than the data: a read used to store it, which needs the write lock
    const sqlite = (await import('better-sqlite3')).default;
    const raw = new sqlite(db);
    raw.exec('DELETE FROM resolution_state');
    raw.close();
    const imp = await importHoldingLock(db);
    const p = start(['verdict', '--db', db, LEI, '--json']);
    // the result is on stdout while the import still holds the lock
    let stdout = '';
    p.child.stdout!.on('data', (d) => (stdout += d));
    for (let i = 0; i < 3000 && !isJson(stdout); i++) await new Promise((r) => setTimeout(r, 20));
    expect(isJson(stdout)).toBe(true);
    const stillImporting = imp.isRunning();
    const r = await p.done;
    expect(r.code, r.stderr).toBe(0);
    noLockError(r);
    if (stillImporting) expect(r.stderr).toMatch(WAITING);
    expect((JSON.parse(r.stdout) as { subject: { identifiers: string[] } }).subject.identifiers).toContain(`lei:${LEI}`);
    expect((await imp.done).code).toBe(0);
    const audit = JSON.parse((await run(['audit', '--db', db, '--json'])).stdout) as { entries: { action: string }[] };
    expect(audit.entries.map((e) => e.action).slice(-3)).toEqual(['import', 'import', 'verdict']);
  }, 300_000);

  it('an import killed with SIGKILL leaves no lock behind: the next write goes ahead', async () => {
    const db = await freshCase();
    const imp = start(['import', '--db', db, ...big]);
    for (let i = 0; i < 3000 && !existsSync(markerFile(db)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(markerFile(db))).toBe(true);
    imp.child.kill('SIGKILL');
    await imp.done;
    expect(existsSync(markerFile(db))).toBe(true); // the stale label is still there…
    const next = await run(['import', '--db', db, path.join(FIXTURES, 'cases-repex.xml')]);
    expect(next.code, next.stderr).toBe(0); // …but names no live process: nothing waits for it
    expect(next.stderr).not.toMatch(/waiting/);
    const sources = JSON.parse((await run(['sources', '--db', db, '--json'])).stdout) as { sources: { fileName: string }[] };
    expect(sources.sources.map((s) => s.fileName)).toEqual(['cases-l1.xml', 'cases-rr.xml', 'cases-repex.xml']);
  }, 300_000);
});

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}
