// The app queues imports: a second import of the same case waits for the running one (and an
// import of the app waits for one of another process) and says so as a `queued` progress event,
// instead of failing. Real worker threads, a real CLI process, real SQLite files.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../../shared/api/contract';
import { Backend, memorySecrets } from '../../../electron/backend/api/backend';
import { handlers } from '../../../electron/backend/api/handlers';
import { markerFile } from '../../../electron/backend/store/concurrency';
import { generateGleif, GENERATED_FILES } from '../../bench/gleif-generate';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/gleif');

let dir: string;
let big: string;
/** What the other process imports: long enough that the app's worker thread has started meanwhile. */
let bigPair: string[];
let backend: Backend;
const events: EventMessage[] = [];

async function ended(jobId: string): Promise<EventMessage> {
  for (let i = 0; i < 6000; i++) {
    const m = events.find((e) => (e.event === 'import.done' || e.event === 'import.failed') && e.data.jobId === jobId);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${jobId} never ended`);
}

const progressOf = (jobId: string) =>
  events.flatMap((e) => (e.event === 'import.progress' && e.data.jobId === jobId ? [e.data] : []));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'os-app-queue-'));
  await generateGleif(3000, path.join(dir, 'gen'));
  big = path.join(dir, 'gen', GENERATED_FILES.l1Csv);
  bigPair = [big, path.join(dir, 'gen', GENERATED_FILES.rrCsv)];
  backend = new Backend({ dataDir: path.join(dir, 'home'), host: { mode: 'test', openFile: async () => ({ url: null }), secrets: memorySecrets() } as never });
  backend.onEvent((m) => events.push(m));
}, 120_000);
afterAll(async () => {
  await backend?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const start = async (paths: string[]) => (await handlers['import.start']({ paths }, backend)).jobId;
const sources = async () => (await handlers['sources.list']({}, backend)).map((s) => s.fileName);

describe('the app queues imports', () => {
  it('a second and third import queue behind the running one; a queued one can be cancelled', async () => {
    await handlers['case.create']({ path: path.join(dir, 'queue.db') }, backend);
    const a = await start([big]);
    const b = await start([path.join(FIXTURES, 'cases-l1.xml')]);
    const c = await start([path.join(FIXTURES, 'cases-rr.xml')]);
    expect(progressOf(b)[0]).toMatchObject({ phase: 'queued', waitingFor: expect.stringMatching(/waiting for the import of gleif-l1\.csv to finish/) });
    expect(progressOf(c)[0]).toMatchObject({ phase: 'queued', waitingFor: expect.stringMatching(/waiting for the import of cases-l1\.xml to finish/) });
    expect((await handlers['import.cancel']({ jobId: c }, backend)).isCancelling).toBe(true);
    expect(await ended(c)).toMatchObject({ event: 'import.failed', data: { isCancelled: true } });
    expect((await ended(a)).event).toBe('import.done');
    expect((await ended(b)).event).toBe('import.done');
    // b started only once a had ended
    const order = events.flatMap((e) => (e.event === 'import.done' ? [e.data.jobId] : e.event === 'import.progress' && e.data.jobId === b && e.data.phase === 'starting' ? [`start ${b}`] : []));
    expect(order).toEqual([a, `start ${b}`, b]);
    expect(await sources()).toEqual(['gleif-l1.csv', 'cases-l1.xml']);
  }, 300_000);

  it('an import of the app waits for an import of another process, shown as queued', async () => {
    const db = path.join(dir, 'cli.db');
    await handlers['case.create']({ path: db }, backend);
    const cli = spawn(process.execPath, [path.join(ROOT, 'bin/ownerscope.mjs'), 'import', '--db', db, ...bigPair], { cwd: ROOT });
    const cliDone = new Promise<number>((r) => cli.on('close', (code) => r(code ?? -1)));
    let exited = false;
    void cliDone.then(() => (exited = true));
    for (let i = 0; i < 3000 && !exited && !existsSync(markerFile(db)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(markerFile(db))).toBe(true);
    const job = await start([path.join(FIXTURES, 'cases-l1.xml')]);
    expect((await ended(job)).event).toBe('import.done');
    expect(await cliDone).toBe(0);
    expect(progressOf(job).some((p) => p.phase === 'queued' && /waiting for the import of gleif-l1\.csv, gleif-rr\.csv to finish/.test(p.waitingFor ?? ''))).toBe(true);
    expect(await sources()).toEqual(['gleif-l1.csv', 'gleif-rr.csv', 'cases-l1.xml']);
  }, 300_000);

  it('a case and a decision in the app during an import of another process wait their turn and succeed', async () => {
    const db = path.join(dir, 'decide.db');
    await handlers['case.create']({ path: db }, backend);
    await handlers['investigator.set']({ name: 'Queue Tester' }, backend);
    expect((await ended(await start([path.join(FIXTURES, 'cases-l1.xml')]))).event).toBe('import.done');
    const cli = spawn(process.execPath, [path.join(ROOT, 'bin/ownerscope.mjs'), 'import', '--db', db, ...bigPair], { cwd: ROOT });
    let stderr = '';
    cli.stderr.on('data', (d) => (stderr += d));
    const cliDone = new Promise<number>((r) => cli.on('close', (code) => r(code ?? -1)));
    let exited = false;
    void cliDone.then(() => (exited = true));
    for (let i = 0; i < 3000 && !exited && !existsSync(markerFile(db)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(markerFile(db))).toBe(true);
    const opened = await handlers['case.start']({ ref: 'lei:ZJPARENT000000000187' }, backend);
    const decided = await handlers['case.decide']({ caseId: opened.id, decision: 'confirm', justification: 'Checked while the import ran.' }, backend);
    expect(decided.status).toBe('decided');
    expect(await cliDone, stderr).toBe(0);
    expect(await sources()).toEqual(['cases-l1.xml', 'gleif-l1.csv', 'gleif-rr.csv']);
    expect((await handlers['case.audit']({}, backend)).isIntact).toBe(true);
  }, 300_000);
});
