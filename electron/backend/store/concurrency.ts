// Several processes and threads share one case database (the app's import worker, a CLI import in
// a terminal, a screening run, a decision): SQLite in WAL mode lets readers run beside one writer.
// This module owns the two rules that make that safe and friendly:
// - a read that spans several statements runs in one read transaction, so it sees one snapshot
//   (an import committing in between can neither be half seen nor crash the reader);
// - a write waits its turn instead of failing with "database is locked" after busy_timeout: it
//   polls for the write lock (the event loop stays free: Ctrl-C, progress, the app's other
//   requests), and says once whom it waits for. An import records itself in a sidecar file next
//   to the database (`CASE.db-import.json`: pid, host, files) so the waiter can name it. The sidecar
//   is only a label: the lock is SQLite's, released by the operating system when a process dies
//   (kill -9 included); a sidecar whose process is gone is stale and ignored (and removed).
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Db } from './db';

/** Connections inside readSnapshot: their transaction holds no uncommitted writes. */
const reading = new WeakSet<Db>();

/** Runs `fn` in one read transaction (its own snapshot), unless the connection is already in one. */
export function readSnapshot<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return fn();
  db.exec('BEGIN');
  reading.add(db);
  try {
    return fn();
  } finally {
    reading.delete(db);
    if (db.inTransaction) db.exec('COMMIT');
  }
}

/** readSnapshot for a read that awaits (the link reader worker). */
export async function readSnapshotAsync<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  if (db.inTransaction) return fn();
  db.exec('BEGIN');
  reading.add(db);
  try {
    return await fn();
  } finally {
    reading.delete(db);
    if (db.inTransaction) db.exec('COMMIT');
  }
}

/**
 * Whether what this connection sees is committed data, which another connection can read too
 * (no transaction, or a read snapshot) — not a write transaction's uncommitted rows.
 */
export function seesCommittedData(db: Db): boolean {
  return !db.inTransaction || reading.has(db);
}

/** What the sidecar says about the import holding the write lock. */
export interface ImportMarker {
  pid: number;
  host: string;
  files: string[];
  startedAt: string;
  token: string;
}

export const markerFile = (dbFile: string): string => `${dbFile}-import.json`;

const isFileDb = (db: Db) => db.name !== '' && db.name !== ':memory:';

function isAlive(m: ImportMarker): boolean {
  // another machine's process cannot be checked; SQLite's lock stays the authority either way
  if (m.host !== hostname()) return true;
  try {
    process.kill(m.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live import recorded next to the database, if any (a stale sidecar is removed). */
export function currentImport(dbFile: string): ImportMarker | null {
  const file = markerFile(dbFile);
  let m: ImportMarker;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as ImportMarker;
  } catch {
    return null; // none, or half-written by a process that died: no label
  }
  if (typeof m?.pid !== 'number' || !Array.isArray(m.files)) return null;
  if (isAlive(m)) return m;
  rmSync(file, { force: true });
  return null;
}

/**
 * Records that this process's import holds the write lock (call once BEGIN IMMEDIATE succeeded);
 * returns the function that removes the record (only if it is still this import's).
 */
export function markImport(db: Db, files: string[]): () => void {
  if (!isFileDb(db)) return () => {};
  const file = markerFile(db.name);
  const marker: ImportMarker = { pid: process.pid, host: hostname(), files: files.map((f) => path.basename(f)), startedAt: new Date().toISOString(), token: randomUUID() };
  const tmp = `${file}.${process.pid}.${marker.token.slice(0, 8)}`;
  try {
    writeFileSync(tmp, JSON.stringify(marker));
    renameSync(tmp, file);
  } catch {
    // a read-only folder: waiters then say "another process" instead of the file name
    rmSync(tmp, { force: true });
    return () => {};
  }
  return () => {
    try {
      const now = JSON.parse(readFileSync(file, 'utf8')) as ImportMarker;
      if (now.token === marker.token) rmSync(file, { force: true });
    } catch {
      /* gone already */
    }
  };
}

/** The message a waiting writer shows. */
export function waitingMessage(dbFile: string, holder: ImportMarker | null): string {
  if (holder) return `waiting for the import of ${holder.files.join(', ')} to finish (process ${holder.pid})…`;
  return `waiting for another process to finish writing to ${path.basename(dbFile)}…`;
}

export function isBusy(e: unknown): boolean {
  return e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('SQLITE_BUSY');
}

export interface WriteTurnOptions {
  /** Called when the wait starts, and again when the holder changes. */
  onWait?: (message: string, holder: ImportMarker | null) => void;
  signal?: AbortSignal;
  /** Milliseconds between attempts (default 100). */
  pollMs?: number;
}

/**
 * Begins a write transaction (BEGIN IMMEDIATE), waiting for the write lock as long as another
 * connection holds it. Never fails with SQLITE_BUSY; stops only when `signal` aborts (its reason
 * is thrown).
 */
export async function beginWrite(db: Db, options: WriteTurnOptions = {}): Promise<void> {
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  let told: string | null = null;
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      // a short busy wait inside SQLite, then back to the event loop
      db.pragma('busy_timeout = 0');
      try {
        db.exec('BEGIN IMMEDIATE');
        return;
      } catch (e) {
        if (!isBusy(e)) throw e;
      }
      const holder = isFileDb(db) ? currentImport(db.name) : null;
      const message = waitingMessage(db.name, holder);
      if (message !== told) {
        told = message;
        options.onWait?.(message, holder);
      }
      await new Promise((r) => setTimeout(r, options.pollMs ?? 100));
    }
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}

/** Runs `fn` in one write transaction once it is this connection's turn; ROLLBACK when it throws. */
export async function writeTurn<T>(db: Db, fn: () => T | Promise<T>, options: WriteTurnOptions = {}): Promise<T> {
  if (db.inTransaction) return fn();
  await beginWrite(db, options);
  try {
    const out = await fn();
    db.exec('COMMIT');
    return out;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}
