// Long work off the main thread: imports (and batch screening) run here with their own
// connection to the case database, report progress by message, and stop on a 'cancel' message.
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { ImportCancelled, ImportError, type FormatId } from '../import/types';
import { checkpointWal, importBatch } from '../import/runner';
import { openCaseDb } from '../store/db';
import { beginCommit, endCommit, type CommitGate } from './commit-gate';
import { runScreen, type ScreenJobData } from './screen';

interface ImportJobData {
  dbPath: string;
  paths: string[];
  format?: string;
  /** per path: the format the user chose (null or absent: `format`, else detected) */
  formats?: (string | null)[];
  again?: boolean;
}

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const controller = new AbortController();
port.on('message', (m: { type?: string }) => {
  if (m?.type === 'cancel') controller.abort();
});

const job = workerData as { kind: 'import' | 'screen'; data: unknown; gate?: CommitGate };

function queuedProgress(paths: string[], waitingFor: string) {
  return {
    file: path.basename(paths[0] ?? ''), fileIndex: 0, fileCount: paths.length, bytes: 0, totalBytes: 0, records: 0, expectedRecords: null,
    elapsedMs: 0, recordsPerSecond: 0, bytesPerSecond: 0, etaMs: null, phase: 'queued', waitingFor,
  };
}

/** Why one file of a batch was not imported (the others are). */
function failureOf(e: unknown, file: string): { file: string | null; location: string | null; problem: string; message: string; isCancelled: boolean } {
  if (e instanceof ImportError) return { file: e.file, location: e.location, problem: e.problem, message: e.message, isCancelled: false };
  if (e instanceof ImportCancelled) return { file: e.file ?? path.basename(file), location: null, problem: 'cancelled', message: e.message, isCancelled: true };
  const message = e instanceof Error ? e.message : String(e);
  return { file: path.basename(file), location: null, problem: message, message: `${path.basename(file)}: ${message}`, isCancelled: false };
}

/**
 * Imports the files of a batch one by one, each in its own transaction: a bad file is rolled back
 * alone and listed with its reason, the good ones before and after it are imported. A batch where
 * no file could be imported fails as a whole, naming the first problem.
 */
async function runImport(data: ImportJobData): Promise<void> {
  const db = openCaseDb(data.dbPath, { create: false });
  try {
    const files: Awaited<ReturnType<typeof importBatch>>['imported'] = [];
    const skipped: Awaited<ReturnType<typeof importBatch>>['skipped'] = [];
    const failed: ReturnType<typeof failureOf>[] = [];
    for (let i = 0; i < data.paths.length; i++) {
      const file = data.paths[i]!;
      if (controller.signal.aborted) {
        failed.push({ file: path.basename(file), location: null, problem: 'cancelled', message: `${path.basename(file)}: not imported (the import was cancelled)`, isCancelled: true });
        continue;
      }
      try {
        const r = await importBatch(db, [file], {
            // the format chosen in the picker is for what detection did not recognise: in a zip,
            // the entries that were recognised keep their own
            format: data.format as FormatId | undefined,
            fallbackFormat: (data.formats?.[i] ?? undefined) as FormatId | undefined,
            again: data.again,
            signal: controller.signal,
            // the batch's position, so the progress bar counts files of the whole batch
            onProgress: (p) => port!.postMessage({ type: 'progress', progress: data.paths.length > 1 ? { ...p, fileIndex: i, fileCount: data.paths.length } : p }),
            // another process (a CLI import) holds the write lock: the UI shows the job as queued
            onWait: (waitingFor) => port!.postMessage({ type: 'progress', progress: queuedProgress(data.paths, waitingFor) }),
            checkpoint: false,
            // a cancel the backend has already answered must not be followed by a commit
            commitTurn: job.gate ? { begin: () => beginCommit(job.gate!), end: (ok) => endCommit(job.gate!, ok ? i : null) } : undefined,
          });
        files.push(...r.imported);
        skipped.push(...r.skipped);
      } catch (e) {
        failed.push(failureOf(e, file));
      }
    }
    if (files.length === 0 && skipped.length === 0) {
      const first = failed[0]!;
      const others = failed.slice(1).filter((f) => !f.isCancelled);
      const message = others.length ? `${first.message} (and ${others.length} other file(s) failed: ${others.map((f) => f.message).join('; ')})` : first.message;
      port!.postMessage({ type: 'failed', error: { ...first, message } });
      return;
    }
    port!.postMessage({ type: 'done', files, skipped, failed: failed.map(({ isCancelled: _c, ...f }) => f) });
    // the import is committed and reported; folding the write-ahead log back can follow (a
    // failure here loses nothing: the next checkpoint does it)
    try {
      checkpointWal(db);
    } catch {
      /* the log stays until the next checkpoint */
    }
  } catch (e) {
    port!.postMessage({ type: 'failed', error: failureOf(e, data.paths[0] ?? '') });
  } finally {
    db.close();
  }
}

if (job.kind === 'import') await runImport(job.data as ImportJobData);
else await runScreen(job.data as ScreenJobData, port, controller.signal);
// The job is over: the thread ends instead of waiting for messages that will not come.
port.unref();
