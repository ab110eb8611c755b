// A cancel that arrives when an import is committing, or after part of a batch is committed,
// must not be answered "the database is unchanged". The backend's grace timer and the thread's
// commit race; they agree through a shared word (worker/commit-gate.ts), tested here on both
// sides: a thread that commits past the grace period, a thread that hangs after committing one
// file of its batch, and a real import whose commit the gate refuses.
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Backend, CANCEL_GRACE_MS } from '../../electron/backend/api/backend';
import { callBackend } from '../../electron/backend/api/dispatch';
import { browserHost } from '../../electron/backend/http/host';
import { importBatch } from '../../electron/backend/import/runner';
import { ImportCancelled } from '../../electron/backend/import/types';
import { openCaseDb } from '../../electron/backend/store/db';
import { beginCommit, cancelCommits, committedFiles, endCommit, isCommitting, newCommitGate } from '../../electron/backend/worker/commit-gate';
import type { EventMessage } from '../../shared/api/contract';
import { untilEvent } from './helpers/events';

const dirs: string[] = [];
const backends: Backend[] = [];
const fifos: string[] = [];
afterAll(async () => {
  for (const f of fifos) closeSync(openSync(f, 'w')); // let a blocked read return so its thread ends
  for (const b of backends) await b.dispose();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-cancel-commit-'));
  dirs.push(dir);
  return dir;
}

async function backendWith(dir: string): Promise<{ backend: Backend; events: EventMessage[] }> {
  const backend = new Backend({ dataDir: path.join(dir, 'home'), host: browserHost(), workerUrl: new URL('./committing-worker.mjs', import.meta.url) });
  backends.push(backend);
  const events: EventMessage[] = [];
  backend.onEvent((m) => events.push(m));
  expect((await callBackend(backend, 'case.create', { path: path.join(dir, 'case.db') })).ok).toBe(true);
  return { backend, events };
}

describe('the commit gate', () => {
  it('a cancel closes it; a commit under way is reported; committed files are listed', () => {
    const gate = newCommitGate(3);
    expect(beginCommit(gate)).toBe(true);
    expect(isCommitting(gate)).toBe(true);
    endCommit(gate, 1);
    expect(isCommitting(gate)).toBe(false);
    expect(committedFiles(gate)).toEqual([1]);
    expect(beginCommit(gate)).toBe(true);
    expect(cancelCommits(gate)).toEqual({ isCommitting: true });
    endCommit(gate, null); // that commit failed
    expect(committedFiles(gate)).toEqual([1]);
    expect(beginCommit(gate)).toBe(false);
    expect(isCommitting(gate)).toBe(false);
  });

  it('an import whose commit the gate refuses is rolled back whole', async () => {
    const dir = tempDir();
    const db = openCaseDb(path.join(dir, 'case.db'), { create: true });
    const file = path.join(dir, 'entities.csv');
    writeFileSync(file, 'id,scheme,name,country\n1,csv,Alpha Ltd,GB\n2,csv,Beta GmbH,DE\n');
    const count = () => (db.prepare('SELECT count(*) AS n FROM sources').get() as { n: number }).n;
    const before = count();
    const ends: boolean[] = [];
    await expect(importBatch(db, [file], { commitTurn: { begin: () => false, end: (ok) => ends.push(ok) } })).rejects.toBeInstanceOf(ImportCancelled);
    expect(count()).toBe(before);
    expect(db.inTransaction).toBe(false);
    expect(ends).toEqual([]); // no commit was begun, so none is ended
    // the same file imports when the gate allows it, and the gate hears that it went through
    await importBatch(db, [file], { commitTurn: { begin: () => true, end: (ok) => ends.push(ok) } });
    expect(count()).toBe(before + 1);
    expect(ends).toEqual([true]);
    db.close();
  });
});

describe('cancel after the point of no return', () => {
  it('a commit that outlasts the grace period is reported as the import it is, not as "unchanged"', async () => {
    const dir = tempDir();
    const { backend, events } = await backendWith(dir);
    const file = path.join(dir, 'a.csv');
    writeFileSync(file, 'id,scheme,name\n1,csv,A\n');
    writeFileSync(`${file}.mode`, 'long-commit');
    const started = await callBackend(backend, 'import.start', { paths: [file] });
    const jobId = started.ok ? started.value.jobId : '';
    await untilEvent(events, (e) => e.event === 'import.progress' && e.data.jobId === jobId && e.data.phase === 'committing');
    expect((await callBackend(backend, 'import.cancel', { jobId })).ok).toBe(true);
    const end = await untilEvent(events, (e) => (e.event === 'import.done' || e.event === 'import.failed') && e.data.jobId === jobId);
    // the commit took longer than the grace period; it was waited for, not abandoned
    expect(CANCEL_GRACE_MS).toBeLessThan(3500);
    expect(end.event).toBe('import.done');
    expect(events.filter((e) => e.event === 'import.failed' && e.data.jobId === jobId)).toEqual([]);
  }, 20_000);

  it('a batch ended after committing its first file says which file stays imported', async () => {
    const dir = tempDir();
    const { backend, events } = await backendWith(dir);
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    writeFileSync(a, 'id,scheme,name\n1,csv,A\n');
    copyFileSync(a, b);
    writeFileSync(`${a}.mode`, 'hang-after-commit');
    execFileSync('mkfifo', [`${b}.fifo`]);
    fifos.push(`${b}.fifo`);
    const started = await callBackend(backend, 'import.start', { paths: [a, b] });
    const jobId = started.ok ? started.value.jobId : '';
    await untilEvent(events, (e) => e.event === 'import.progress' && e.data.jobId === jobId && e.data.phase === 'importing');
    expect((await callBackend(backend, 'import.cancel', { jobId })).ok).toBe(true);
    const end = await untilEvent(events, (e) => e.event === 'import.failed' && e.data.jobId === jobId);
    expect(end.event === 'import.failed' && end.data.isCancelled).toBe(true);
    const message = end.event === 'import.failed' ? end.data.message : '';
    expect(message).not.toMatch(/unchanged/);
    expect(message).toMatch(/a\.csv had been imported before the cancel and stay imported/);
  }, 20_000);
});
