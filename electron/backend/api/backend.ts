// The backend state behind the API: the open case database, running jobs, uploads, and the
// host services a transport provides (file dialogs, opening files, secret storage).
// No `electron` import here: Electron main passes its own Host in.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkPathString, requireRegularFile } from '../files/safe-path';
import { Worker } from 'node:worker_threads';
import type { EventMessage, EventName, Events } from '../../../shared/api/contract';
import type { OpenedFile, RecentCase } from '../../../shared/api/types';
import { openCaseDb, type Db } from '../store/db';
import { ApiFailure } from './errors';
import { cancelCommits, committedFiles, isCommitting, newCommitGate, type CommitGate } from '../worker/commit-gate';

export interface SecretStore {
  /** 'os': encrypted by the OS keychain (Electron safeStorage); 'session': in memory, gone at exit. */
  kind: 'os' | 'session';
  get(): string | null;
  /** Keeps the passphrase; false when this store refuses to (no real keychain): it is then asked at each signing. */
  set(value: string): boolean;
  clear(): void;
}

export interface Host {
  mode: 'electron' | 'browser' | 'test';
  /** Native file dialog (Electron only). */
  pickFiles?(purpose: 'import' | 'report' | 'list' | 'case-open' | 'case-create' | 'document'): Promise<string[]>;
  /** Opens a file for the user: Electron hands it to the OS; browser mode returns a URL. */
  openFile(file: string): Promise<OpenedFile>;
  secrets: SecretStore;
}

export interface BackendOptions {
  /** Per-user folder: recent cases, the signing identity, uploads, reports, the demo case. */
  dataDir: string;
  host: Host;
  /** Script run in worker threads; defaults to the TypeScript boot file (dev, tests). */
  workerUrl?: URL;
  /** Folder with the demo sample files (default: <repo>/demo). */
  demoDir?: string;
}

export function memorySecrets(): SecretStore {
  let value: string | null = null;
  return { kind: 'session', get: () => value, set: (v) => ((value = v), true), clear: () => void (value = null) };
}

export interface Job {
  id: string;
  kind: 'import' | 'screen';
  worker: Worker;
  /** Ends the job now: its slot is freed and it reports itself cancelled, whatever its thread does. */
  abandon: () => void;
  /** Imports only: shared with the thread, says whether it may still commit (worker/commit-gate.ts). */
  gate: CommitGate | null;
}

/**
 * How long a cancelled job may take to stop by itself. A thread blocked in a read (a file on a
 * hung network share, a device) never sees the cancel message; after this it is terminated and
 * its slot freed, so a blocked import never leaves the case "busy".
 */
export const CANCEL_GRACE_MS = 2000;

/** What an ended import did to the database: nothing, or the files of its batch committed first. */
function abandonedMessage(files: string[], gate: CommitGate | null): string {
  const kept = gate ? committedFiles(gate).map((i) => path.basename(files[i] ?? `file ${i + 1}`)) : [];
  if (kept.length === 0) return 'cancelled: the job did not stop by itself and was ended; the database is unchanged';
  return `cancelled: the job did not stop by itself and was ended; ${kept.join(', ')} had been imported before the cancel and stay imported, the other files were not imported`;
}

type Listener = (m: EventMessage) => void;

const RECENT_MAX = 12;

export class Backend {
  readonly dataDir: string;
  readonly host: Host;
  readonly workerUrl: URL;
  readonly demoDir: string;
  db: Db | null = null;
  caseFile: string | null = null;
  readonly jobs = new Map<string, Job>();
  /** Worker threads still alive (a job is over when it reports; its thread ends just after). */
  readonly threads = new Set<Worker>();
  readonly uploads = new Map<string, string>();
  /** Screening jobs' rows, streamed in by their workers and read by pages (screen.rows). */
  readonly screenResults = new Map<string, import('./screen-store').ScreenStore>();
  /**
   * Imports waiting for the running one (a case database has one writer): started in order as
   * each one ends. `files` names the import for the message of those behind it.
   */
  private readonly importQueue: { id: string; files: string[]; start: () => void; cancel: () => void }[] = [];
  private readonly importFiles = new Map<string, string[]>();
  private readonly listeners = new Set<Listener>();
  /**
   * Files this backend wrote for the user in this run (signed reports, CSV exports): the only
   * files `file.open` hands to the operating system or offers for download. A path the page
   * sends is never opened on its own say-so: a compromised page could otherwise have the OS
   * run any file on the disk.
   */
  private readonly producedFiles = new Set<string>();
  /**
   * Files the user gave the backend in this run: uploads it received whole (file.upload) and
   * files picked in the native dialog (file.pick). A document an assertion cites must be one: a
   * page cannot have any file of the disk copied into the case database (and from there into a
   * signed report) by naming its path.
   */
  private readonly offeredFiles = new Set<string>();

  constructor(options: BackendOptions) {
    this.dataDir = path.resolve(options.dataDir);
    this.host = options.host;
    this.workerUrl = options.workerUrl ?? new URL('../worker/boot.mjs', import.meta.url);
    this.demoDir = options.demoDir ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../demo');
    mkdirSync(this.dataDir, { recursive: true });
  }

  get demoFile(): string {
    return path.join(this.dataDir, 'demo-case.db');
  }

  get isDemo(): boolean {
    return this.caseFile !== null && path.resolve(this.caseFile) === path.resolve(this.demoFile);
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<K extends EventName>(event: K, data: Events[K]): void {
    const message = { event, data } as EventMessage;
    for (const l of this.listeners) l(message);
  }

  markProduced(file: string): void {
    this.producedFiles.add(path.resolve(file));
  }

  isProduced(file: string): boolean {
    return this.producedFiles.has(path.resolve(file));
  }

  markOffered(file: string): void {
    this.offeredFiles.add(path.resolve(file));
  }

  isOffered(file: string): boolean {
    return this.offeredFiles.has(path.resolve(file));
  }

  requireDb(): Db {
    if (!this.db) throw new ApiFailure('no-case-open', 'No case database is open: create or open one first.');
    return this.db;
  }

  openCase(file: string, options: { create: boolean }): void {
    const resolved = path.resolve(checkPathString(file));
    // a new case database is a new file: an existing one (even empty) is never overwritten or
    // converted; opening needs an existing regular file (store/db.ts then checks it is a case database)
    if (options.create && existsSync(resolved))
      throw new ApiFailure('invalid-input', `${resolved} already exists: open it instead, or choose another name`, 'path');
    if (!options.create) {
      if (!existsSync(resolved)) throw new ApiFailure('not-found', `${resolved}: no such case database (create a new case database there with case.create)`, 'path');
      requireRegularFile(resolved);
    }
    mkdirSync(path.dirname(resolved), { recursive: true });
    const db = openCaseDb(resolved, { create: options.create });
    this.closeCase();
    this.db = db;
    this.caseFile = resolved;
    this.remember(resolved);
    this.emit('case.changed', { caseFile: resolved });
  }

  closeCase(): void {
    for (const job of this.jobs.values()) void job.worker.terminate();
    this.jobs.clear();
    for (const q of this.importQueue.splice(0)) q.cancel();
    this.db?.close();
    this.db = null;
    this.caseFile = null;
  }

  recent(): RecentCase[] {
    const file = path.join(this.dataDir, 'recent.json');
    if (!existsSync(file)) return [];
    try {
      const list = JSON.parse(readFileSync(file, 'utf8')) as { path: string; openedAt: string }[];
      return list
        .filter((r) => typeof r.path === 'string')
        .map((r) => ({ path: r.path, name: path.basename(r.path), openedAt: r.openedAt, exists: existsSync(r.path) }));
    } catch {
      return [];
    }
  }

  private remember(file: string): void {
    const list = this.recent().filter((r) => r.path !== file);
    list.unshift({ path: file, name: path.basename(file), openedAt: new Date().toISOString(), exists: true });
    writeFileSync(
      path.join(this.dataDir, 'recent.json'),
      JSON.stringify(list.slice(0, RECENT_MAX).map((r) => ({ path: r.path, openedAt: r.openedAt })), null, 2),
    );
  }

  newJobId(): string {
    return randomUUID().slice(0, 8);
  }

  /**
   * Queues an import: it starts now when no import runs, else when those before it have ended.
   * Returns the message to show while it waits, or null when it started.
   */
  queueImport(id: string, files: string[], start: () => void, cancel: () => void): string | null {
    const ahead = this.runningImport();
    this.importFiles.set(id, files);
    if (!ahead && this.importQueue.length === 0) {
      start();
      return null;
    }
    this.importQueue.push({ id, files, start, cancel });
    const before = this.importQueue.length > 1 ? this.importQueue[this.importQueue.length - 2]!.files : ahead!;
    return `waiting for the import of ${before.map((f) => path.basename(f)).join(', ')} to finish…`;
  }

  /** The files of the import job running now, if any. */
  private runningImport(): string[] | null {
    const job = [...this.jobs.values()].find((j) => j.kind === 'import');
    return job ? (this.importFiles.get(job.id) ?? []) : null;
  }

  private importEnded(id: string): void {
    this.importFiles.delete(id);
    if (this.runningImport()) return;
    this.importQueue.shift()?.start();
  }

  /** Runs a job in a worker thread so the server (and the UI) stay responsive. */
  startWorker(kind: Job['kind'], data: unknown, onMessage: (m: unknown) => void, jobId?: string): string {
    const id = jobId ?? this.newJobId();
    const ended = () => {
      if (kind === 'import') this.importEnded(id);
    };
    const files = kind === 'import' ? ((data as { paths?: string[] }).paths ?? []) : [];
    const gate = kind === 'import' ? newCommitGate(files.length) : null;
    const worker = new Worker(this.workerUrl, { workerData: { kind, data, gate } });
    let isFinished = false;
    const abandon = () => {
      if (isFinished) return;
      // A COMMIT under way runs to its end whatever is done to the thread: ending the thread now
      // and saying "unchanged" could be false. The thread reports when the commit returns.
      if (gate && isCommitting(gate)) {
        setTimeout(abandon, 250).unref();
        return;
      }
      isFinished = true;
      this.jobs.delete(id);
      // a thread blocked in a system call ends when the call returns; the slot is free already.
      // The gate says CANCELLED and not COMMITTING: the thread can no longer commit, so what is
      // committed now is all that ever will be.
      void worker.terminate();
      onMessage({ type: 'failed', error: { file: null, location: null, problem: 'cancelled', message: abandonedMessage(files, gate), isCancelled: true } });
      ended();
    };
    this.jobs.set(id, { id, kind, worker, abandon, gate });
    this.threads.add(worker);
    worker.on('message', (m: unknown) => {
      const type = (m as { type?: string }).type;
      if (type === 'done' || type === 'failed') {
        isFinished = true;
        // the job is over when it says so; the thread may take a moment longer to exit
        this.jobs.delete(id);
        onMessage(m);
        ended();
        return;
      }
      onMessage(m);
    });
    worker.on('error', (e) => {
      if (isFinished) return;
      isFinished = true;
      this.jobs.delete(id);
      onMessage({ type: 'failed', error: { file: null, location: null, problem: e.message, message: e.message, isCancelled: false } });
      ended();
    });
    worker.on('exit', () => {
      this.threads.delete(worker);
      this.jobs.delete(id);
      if (!isFinished) {
        isFinished = true;
        onMessage({ type: 'failed', error: { file: null, location: null, problem: 'the job stopped', message: 'the job stopped', isCancelled: true } });
        ended();
      }
    });
    return id;
  }

  cancelJob(id: string, kind: Job['kind']): boolean {
    const queued = kind === 'import' ? this.importQueue.findIndex((q) => q.id === id) : -1;
    if (queued >= 0) {
      const [q] = this.importQueue.splice(queued, 1);
      this.importFiles.delete(id);
      q!.cancel();
      return true;
    }
    const job = this.jobs.get(id);
    if (!job || job.kind !== kind) return false;
    // first the shared word (read by the thread even mid-work), then the message (which stops
    // its reading at the next chunk)
    if (job.gate) cancelCommits(job.gate);
    job.worker.postMessage({ type: 'cancel' });
    setTimeout(() => job.abandon(), CANCEL_GRACE_MS).unref();
    return true;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.threads].map((w) => w.terminate()));
    this.closeCase();
  }
}
