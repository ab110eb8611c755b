// Long work off the main thread: imports (and batch screening) run here with their own
// connection to the case database, report progress by message, and stop on a 'cancel' message.
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { ImportCancelled, ImportError, type FormatId } from '../import/types';
import { checkpointWal, importBatch } from '../import/runner';
import { openCaseDb } from '../store/db';
import { runScreen, type ScreenJobData } from './screen';

interface ImportJobData {
  dbPath: string;
  paths: string[];
  format?: string;
  again?: boolean;
}

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const controller = new AbortController();
port.on('message', (m: { type?: string }) => {
  if (m?.type === 'cancel') controller.abort();
});

const job = workerData as { kind: 'import' | 'screen'; data: unknown };

function queuedProgress(paths: string[], waitingFor: string) {
  return {
    file: path.basename(paths[0] ?? ''), fileIndex: 0, fileCount: paths.length, bytes: 0, totalBytes: 0, records: 0, expectedRecords: null,
    elapsedMs: 0, recordsPerSecond: 0, bytesPerSecond: 0, etaMs: null, phase: 'queued', waitingFor,
  };
}

async function runImport(data: ImportJobData): Promise<void> {
  const db = openCaseDb(data.dbPath, { create: false });
  try {
    const { imported: files, skipped } = await importBatch(db, data.paths, {
      format: data.format as FormatId | undefined,
      again: data.again,
      signal: controller.signal,
      onProgress: (p) => port!.postMessage({ type: 'progress', progress: p }),
      // another process (a CLI import) holds the write lock: the UI shows the job as queued
      onWait: (waitingFor) => port!.postMessage({ type: 'progress', progress: queuedProgress(data.paths, waitingFor) }),
      checkpoint: false,
    });
    port!.postMessage({ type: 'done', files, skipped });
    // the import is committed and reported; folding the write-ahead log back can follow (a
    // failure here loses nothing: the next checkpoint does it)
    try {
      checkpointWal(db);
    } catch {
      /* the log stays until the next checkpoint */
    }
  } catch (e) {
    if (e instanceof ImportError) {
      port!.postMessage({ type: 'failed', error: { file: e.file, location: e.location, problem: e.problem, message: e.message, isCancelled: false } });
    } else if (e instanceof ImportCancelled) {
      port!.postMessage({ type: 'failed', error: { file: e.file, location: null, problem: 'cancelled', message: e.message, isCancelled: true } });
    } else {
      const message = e instanceof Error ? e.message : String(e);
      port!.postMessage({ type: 'failed', error: { file: null, location: null, problem: message, message, isCancelled: false } });
    }
  } finally {
    db.close();
  }
}

if (job.kind === 'import') await runImport(job.data as ImportJobData);
else await runScreen(job.data as ScreenJobData, port, controller.signal);
// The job is over: the thread ends instead of waiting for messages that will not come.
port.unref();
