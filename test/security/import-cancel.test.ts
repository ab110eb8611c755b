// An import whose thread is blocked in a read never leaves the import slot busy: cancelling it
// frees the slot (the job reports itself cancelled) and the import queued behind it starts.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../electron/backend/api/backend';
import { callBackend } from '../../electron/backend/api/dispatch';
import { browserHost } from '../../electron/backend/http/host';
import type { EventMessage } from '../../shared/api/contract';
import { untilEvent } from './helpers/events';

describe('cancel frees the import slot even when the import is blocked', () => {
  let dir: string;
  let backend: Backend;
  let file: string;
  const events: EventMessage[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ownerscope-cancel-'));
    file = path.join(dir, 'entities.csv');
    writeFileSync(file, 'id,scheme,name\n1,csv,A\n');
    execFileSync('mkfifo', [`${file}.fifo`]);
    backend = new Backend({ dataDir: path.join(dir, 'home'), host: browserHost(), workerUrl: new URL('./blocking-worker.mjs', import.meta.url) });
    backend.onEvent((m) => events.push(m));
    expect((await callBackend(backend, 'case.create', { path: path.join(dir, 'case.db') })).ok).toBe(true);
  });
  afterAll(async () => {
    // let the blocked thread's read return so that the thread can end
    closeSync(openSync(`${file}.fifo`, 'w'));
    await backend.dispose();
  });

  it('the blocked import is cancelled and the import queued behind it starts', async () => {
    const first = await callBackend(backend, 'import.start', { paths: [file] });
    expect(first.ok).toBe(true);
    const jobId = first.ok ? first.value.jobId : '';
    const next = await callBackend(backend, 'import.start', { paths: [file] });
    expect(next.ok).toBe(true);
    const nextId = next.ok ? next.value.jobId : '';
    expect(events.some((e) => e.event === 'import.progress' && e.data.jobId === nextId && e.data.phase === 'queued')).toBe(true);
    expect((await callBackend(backend, 'import.cancel', { jobId })).ok).toBe(true);
    const failed = await untilEvent(events, (e) => e.event === 'import.failed' && e.data.jobId === jobId);
    expect(failed.event === 'import.failed' && failed.data.isCancelled).toBe(true);
    // the slot is free: the queued import has started
    await untilEvent(events, (e) => e.event === 'import.progress' && e.data.jobId === nextId && e.data.phase === 'starting');
    expect((await callBackend(backend, 'import.cancel', { jobId: nextId })).ok).toBe(true);
    await untilEvent(events, (e) => e.event === 'import.failed' && e.data.jobId === nextId);
  }, 30_000);
});
