// Streams registry files into the case database: format detection, decompression, hashing,
// progress, cancellation, and one transaction per import (all files of one call land together
// or not at all).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { appendAudit } from '../cases/audit';
import { currentUser, refreshResolution } from '../resolve';
import { beginWrite, markImport } from '../store/concurrency';
import type { ImportProgressEvent } from '../../../shared/api/types';
import type { Db } from '../store/db';
import { hasSourceOfSize, sourcesFromArchive, sourceWithSha256 } from '../store/imported';
import { indexPendingNames } from '../store/search-index';
import { nextSourceId } from '../store/removals';
import { FactWriter, isFullSnapshot, type WriteCounts } from '../store/writer';
import { openRegularFile } from '../files/safe-path';
import { listZipEntries, openZipEntry } from './archive';
import { DIGEST_BYTES, NEW_DIGEST, NO_DIGEST } from './known';
import { HEAD_BYTES, headContent, openStreamInput, probeFile, probeStream, type ImportInput, type ProbedStream } from './input';
import { parseInThread, parseInWorker, shouldParseInWorker } from './parse-source';
import { FORMATS, formatById } from './registry';
import { FormatNotRecognised, ImportCancelled, ImportError, recordingContext, type FormatId, type FormatModule } from './types';
import type { SkippedFile } from '../../../shared/api/types';
import type { Fact } from '../../../shared/formats/facts';

/** What the API reports to the UI as `import.progress`, less the job id. */
export type ImportProgress = Omit<ImportProgressEvent, 'jobId' | 'phase'> & { phase: 'importing' | 'committing' | 'done' };

/** One imported file: the writer's counts plus what identifies the source. */
export interface ImportFileResult extends WriteCounts {
  sourceId: number;
  file: string;
  format: FormatId;
  sha256: string;
  size: number;
  dataDate: string | null;
  records: number;
  elapsedMs: number;
  /** Problems that did not stop the import (also stored in sources.warnings). */
  warnings: ImportWarning[];
  /** SHA-256 of the zip archive the file was read from, when it came from one. */
  archiveSha256?: string;
}

/**
 * A file not imported because the case database already holds a source read from the same bytes
 * (same SHA-256: the file, the zip entry, or the whole archive). `--again` (`again: true`) imports
 * it anyway.
 */
export type SkippedImport = SkippedFile;

/** What one import call did: the files imported (in order), and those skipped as already imported. */
export interface ImportReport {
  imported: ImportFileResult[];
  skipped: SkippedImport[];
}

export interface ImportWarning {
  location: string;
  problem: string;
}

export interface ImportOptions {
  /** Who imports (audit log); default: the operating-system user. */
  actor?: string;
  /** Overrides format detection for every file. */
  format?: FormatId;
  /**
   * The format for inputs no format recognises (the app's format picker): the other entries of the
   * same zip, recognised, keep their own format.
   */
  fallbackFormat?: FormatId;
  signal?: AbortSignal;
  /**
   * Asked just before COMMIT, from inside the thread that commits: `begin` false cancels the
   * import (rolled back); `end` is told whether the COMMIT it allowed went through. The app's job
   * thread answers from a word it shares with the backend (worker/commit-gate.ts), which a
   * cancel sets even while this thread is too busy to read messages.
   */
  commitTurn?: CommitTurn;
  onProgress?: (p: ImportProgress) => void;
  /** Minimum milliseconds between progress events (default 250). */
  progressIntervalMs?: number;
  /**
   * Parse in a worker thread while this thread writes (default: for inputs of 8 MiB or more on a
   * machine with more than one core). The facts and the database are the same either way.
   */
  parallel?: boolean;
  /**
   * Fold the write-ahead log into the database file right after the commit (default true). The
   * committed import is durable and visible either way; the app's import worker passes false,
   * reports the result, then calls checkpointWal() so the user does not wait for it.
   */
  checkpoint?: boolean;
  /**
   * Standard input, read when a FILE is "-" (`ownerscope import -`): streamed and hashed as it
   * arrives, its format detected from its first bytes (or named with `format`).
   */
  stdin?: AsyncIterable<Buffer>;
  /** The URL the (single) file was saved from (`import --from-url`; see ParseContext.requestUrl). */
  requestUrl?: string;
  /**
   * Called when another connection holds the write lock and the import waits for its turn (with
   * the message naming the import it waits for); the import starts as soon as the lock is free.
   */
  onWait?: (message: string) => void;
  /**
   * Import files even when the case database already holds a source read from the same bytes
   * (default false: such a file is skipped and reported in `skipped`, the others are imported).
   */
  again?: boolean;
}

/**
 * Copies what the write-ahead log holds into the database file and truncates the log: after a
 * large import the log is as big as what the import wrote. The copying (seconds on a large case)
 * is a PASSIVE checkpoint, which never blocks other connections' writes — the app runs this after
 * it has reported the import, while the user may already be deciding or importing again; the
 * TRUNCATE that follows has nothing left to copy and only resets the log. Readers still open on
 * an older snapshot keep it (then the log is not truncated and the next checkpoint finishes).
 */
export function checkpointWal(db: Db): void {
  db.pragma('wal_checkpoint(PASSIVE)');
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/** The first bytes of the file's content (decompressed), decoded as UTF-8 for sniffing. */
export function readHead(file: string): string {
  return headText(headContent(probeFile(file)));
}

function headText(head: Buffer): string {
  return head.toString('utf8').replace(/^\uFEFF/, '');
}

export function detectFormat(file: string): FormatModule {
  return detectFormatOf(readHead(file), path.basename(file));
}

/**
 * The format of each input a file holds: the file itself, or each entry of a zip (read once, by
 * the same expansion an import uses). `error`: why none, or null.
 */
export async function detectFormats(file: string): Promise<{ name: string; format: FormatModule | null; error: Error | null }[]> {
  return (await expandInputs([file])).map((x) => {
    try {
      return { name: x.input.name, format: detectFormatOf(x.head, x.input.name), error: null };
    } catch (e) {
      return { name: x.input.name, format: null, error: e as Error };
    }
  });
}

function detectFormatOf(head: string, name: string): FormatModule {
  const found = FORMATS.filter((f) => f.sniff(head, name));
  if (found.length === 0) {
    throw new FormatNotRecognised(name, FORMATS.map((f) => f.id));
  }
  return found[0]!;
}

/**
 * Zip archives become one input per entry; other files are themselves. Each file is opened here
 * once for its type, size and head (and a zip once for its entries and their heads).
 */
async function expandInputs(files: string[], stdin?: AsyncIterable<Buffer>): Promise<{ input: ImportInput; head: string; stream?: ProbedStream }[]> {
  const out: { input: ImportInput; head: string; stream?: ProbedStream }[] = [];
  for (const file of files) {
    if (file === STDIN) {
      out.push(await expandStdin(files, stdin));
      continue;
    }
    const name = path.basename(file);
    const probed = probeFile(file);
    if (!probed.isZip) {
      out.push({ input: { file, name, size: probed.size }, head: headText(headContent(probed)) });
      continue;
    }
    for (const e of await listZipEntries(file, HEAD_BYTES)) {
      out.push({ input: { file, entry: e.name, name: `${name}/${e.name}`, size: e.uncompressedSize }, head: headText(e.head) });
    }
  }
  return out;
}

/** The FILE argument that means standard input. */
export const STDIN = '-';
/** The source name standard input is recorded under (its path is recorded as "-"). */
export const STDIN_NAME = 'stdin';

async function expandStdin(files: string[], stdin: AsyncIterable<Buffer> | undefined): Promise<{ input: ImportInput; head: string; stream: ProbedStream }> {
  if (!stdin) throw new ImportError(STDIN, 'argument', 'standard input ("-") is not available here');
  if (files.filter((f) => f === STDIN).length > 1) throw new ImportError(STDIN, 'argument', 'standard input ("-") can be read only once per import');
  const stream = await probeStream(stdin);
  if (stream.isZip) {
    // a zip's directory is at its end: it cannot be streamed
    throw new ImportError(STDIN_NAME, 'start of file', 'a zip archive cannot be read from standard input: save it to a file and import that file');
  }
  let head = stream.head;
  if (stream.isGzip) head = headContent({ size: head.length, head, isGzip: true, isZip: false });
  return { input: { file: STDIN, name: STDIN_NAME, size: 0, stdin: true }, head: headText(head.subarray(0, HEAD_BYTES)), stream };
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  const { fd } = openRegularFile(file);
  for await (const c of createReadStream('', { fd, highWaterMark: 1 << 20 })) hash.update(c as Buffer);
  return hash.digest('hex');
}

/** SHA-256 of a zip entry's bytes as a source of it records them (inflated, any inner gzip kept). */
async function entrySha256(file: string, entry: string): Promise<string> {
  const hash = createHash('sha256');
  const { stream, close } = await openZipEntry(file, entry, (c) => hash.update(c));
  try {
    for await (const _ of stream as AsyncIterable<Buffer>) void _;
  } finally {
    close();
  }
  return hash.digest('hex');
}

/**
 * Imports files into the case database in one transaction. Throws ImportError (bad input),
 * ImportCancelled, or the underlying error; in every failure the database is unchanged. Files
 * already imported (same SHA-256) are skipped unless `again` is set: importBatch says which.
 */
export async function importFiles(db: Db, files: string[], options: ImportOptions = {}): Promise<ImportFileResult[]> {
  return (await importBatch(db, files, options)).imported;
}

/** importFiles, with the files skipped as already imported. */
export async function importBatch(db: Db, files: string[], options: ImportOptions = {}): Promise<ImportReport> {
  const expanded = await expandInputs(files, options.stdin);
  const inputs = expanded.map((x) => x.input);
  const modules = expanded.map((x) => {
    if (options.format) return formatById(options.format);
    try {
      return detectFormatOf(x.head, x.input.name);
    } catch (e) {
      if (e instanceof FormatNotRecognised && options.fallbackFormat) return formatById(options.fallbackFormat);
      throw e;
    }
  });
  const archiveHashes = new Map<string, string>();
  for (const input of inputs) {
    if (input.entry && !archiveHashes.has(input.file)) archiveHashes.set(input.file, await fileSha256(input.file));
  }
  const report = await inImportTransaction(db, async () => {
    const done: ImportFileResult[] = [];
    const skipped: SkippedImport[] = [];
    // Looked up inside the transaction: a file imported by another process while this one waited
    // for the lock, or earlier in this same batch, counts as imported.
    // An archive is looked up once, at its first entry (its later entries are this import's own
    // sources of it); an archive given twice is caught entry by entry.
    const archiveSkipped = new Map<string, boolean>();
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      if (!options.again) {
        const archiveSha = archiveHashes.get(input.file);
        if (archiveSha && !archiveSkipped.has(input.file)) {
          const fromArchive = sourcesFromArchive(db, archiveSha);
          archiveSkipped.set(input.file, fromArchive.length > 0);
          if (fromArchive.length) {
            skipped.push(skippedOf(path.basename(input.file), input.file, archiveSha, fromArchive.map((s) => s.id), fromArchive[0]!.importedAt));
          }
        }
        if (archiveSkipped.get(input.file)) continue;
        // standard input has no file to hash beforehand: it is imported, and its hash recorded
        const same = expanded[i]!.stream ? null : await alreadyImported(db, input);
        if (same) {
          skipped.push(skippedOf(input.name, input.file, same.sha256, [same.id], same.importedAt));
          continue;
        }
      }
      done.push(await importOne(db, input, modules[i]!, i, inputs.length, options, archiveHashes.get(input.file), expanded[i]!.stream));
    }
    if (done.length === 0) return { imported: done, skipped };
    indexPendingNames(db);
    // The resolution is stored with the data it resolves: readers never need to write it.
    refreshResolution(db);
    // The audit entry lands in the same transaction as the data it describes.
    for (const r of done) {
      appendAudit(db, {
        action: 'import',
        actor: options.actor ?? currentUser(),
        payload: {
          sourceId: r.sourceId, file: r.file, format: r.format, sha256: r.sha256, size: r.size, dataDate: r.dataDate,
          records: r.records, entities: r.entities, links: r.links, markers: r.markers, deletions: r.deletions,
        },
      });
    }
    options.onProgress?.({ ...lastProgress(done, inputs.length), phase: 'committing' });
    return { imported: done, skipped };
  }, { files: inputs.map((i) => i.name), onWait: options.onWait, signal: options.signal, commitTurn: options.commitTurn });
  // the import is committed: what follows is housekeeping
  if (report.imported.length && (options.checkpoint ?? true)) checkpointWal(db);
  return report;
}

function skippedOf(file: string, filePath: string, sha256: string, sourceIds: number[], importedAt: string): SkippedImport {
  const as = sourceIds.length === 1 ? `source #${sourceIds[0]}` : `sources ${sourceIds.map((id) => `#${id}`).join(', ')}`;
  return { file, path: filePath, sha256, sourceId: sourceIds[0]!, sourceIds, importedAt, message: `${file}: already imported on ${importedAt.slice(0, 10)} as ${as}` };
}

/**
 * The source already read from the same bytes as `input`, if any. Its SHA-256 is computed first
 * only when a source of the same size exists: any other file is read once, by the import.
 */
async function alreadyImported(db: Db, input: ImportInput): Promise<{ id: number; importedAt: string; sha256: string } | null> {
  if (!hasSourceOfSize(db, input.size)) return null;
  const sha256 = input.entry ? await entrySha256(input.file, input.entry) : await fileSha256(input.file);
  const s = sourceWithSha256(db, sha256);
  return s ? { ...s, sha256 } : null;
}

/**
 * Runs `fn` in one write transaction (BEGIN IMMEDIATE … COMMIT; ROLLBACK when it throws) with an
 * import's settings, restored afterwards whether it committed, failed or could not begin:
 * - no automatic checkpoint: SQLite would checkpoint inside COMMIT (the log is far over its
 *   threshold after a large import); the caller checkpoints after the commit, when it chooses;
 * - no foreign key checks. They guard every other write to the case; the import's writes bind only
 *   ids read or inserted in this same transaction (this import's source rows; entities found by an
 *   identifier or created for one), so checking them would prove nothing new, and it costs a
 *   parent-row lookup for each of the ~10 references a record writes, a cold page read per record
 *   on a large case (a third of the write time of a reporting-exception file). The import tests run
 *   foreign_key_check on every format's result.
 */
/** May this import commit now; and, once it tried, did it. See ImportOptions.commitTurn. */
export interface CommitTurn {
  begin(): boolean;
  end(isCommitted: boolean): void;
}

export async function inImportTransaction<T>(
  db: Db,
  fn: () => Promise<T>,
  turn: { files?: string[]; onWait?: (message: string) => void; signal?: AbortSignal; commitTurn?: CommitTurn } = {},
): Promise<T> {
  const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('foreign_keys = OFF');
  let unmark = () => {};
  try {
    // another import (another process, or the app's worker) holds the lock: wait for its commit
    await beginWrite(db, { onWait: turn.onWait, signal: turn.signal });
    // waiters name this import: the sidecar is written once the lock is ours
    unmark = markImport(db, turn.files ?? []);
    const out = await fn();
    // the last word on a cancel, after the import's synchronous end (name index, resolution),
    // during which a cancel message could not be read
    if (turn.signal?.aborted) throw new ImportCancelled(turn.files?.[0] ?? 'import');
    if (turn.commitTurn && !turn.commitTurn.begin()) throw new ImportCancelled(turn.files?.[0] ?? 'import');
    let isCommitted = false;
    try {
      db.exec('COMMIT');
      isCommitted = true;
    } finally {
      turn.commitTurn?.end(isCommitted);
    }
    return out;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (e instanceof DOMException && e.name === 'AbortError' && turn.files?.length) throw new ImportCancelled(turn.files[0]!);
    throw e;
  } finally {
    unmark();
    db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
    db.pragma(`foreign_keys = ${foreignKeys}`);
  }
}

function lastProgress(results: ImportFileResult[], fileCount: number): Omit<ImportProgress, 'phase'> {
  const r = results[results.length - 1]!;
  return {
    file: r.file, fileIndex: results.length - 1, fileCount, bytes: r.size, totalBytes: r.size, records: r.records,
    expectedRecords: null, elapsedMs: r.elapsedMs, recordsPerSecond: 0, bytesPerSecond: 0, etaMs: 0,
  };
}

async function importOne(
  db: Db,
  input: ImportInput,
  format: FormatModule,
  fileIndex: number,
  fileCount: number,
  options: ImportOptions,
  archiveSha256?: string,
  stream?: ProbedStream,
): Promise<ImportFileResult> {
  const file = input.file;
  const name = input.name;
  const totalBytes = input.size;
  const started = Date.now();
  // numbered above every removal too: data states only grow (store/removals.ts)
  const sourceId = Number(
    db
      .prepare(`INSERT INTO sources (id, file_name, file_path, sha256, size, format, imported_at) VALUES (?, ?, ?, '', ?, ?, ?)`)
      .run(nextSourceId(db), name, input.stdin ? STDIN : path.resolve(file), totalBytes, format.id, new Date().toISOString()).lastInsertRowid,
  );
  const writer = new FactWriter(db, sourceId);
  const { ctx, state } = recordingContext(name, 1000, (d) => writer.setDataDate(d));
  if (options.requestUrl !== undefined) ctx.requestUrl = options.requestUrl;
  // the digests of the records the writer could confirm unparsed (import/known.ts)
  const known = format.parseRecords && format.recordObject ? writer.knownRecords(format.recordObject) : null;
  // standard input was opened when its head was read; it is parsed here (a worker cannot read it)
  const source = stream
    ? await parseInThread(input, format, ctx, openStreamInput(input, stream), known)
    : shouldParseInWorker(input, options.parallel) ? parseInWorker(input, format, ctx, known) : await parseInThread(input, format, ctx, undefined, known);
  const interval = options.progressIntervalMs ?? 250;
  let lastEmit = 0;
  const emit = (phase: ImportProgress['phase']) => {
    const elapsedMs = Date.now() - started;
    const secs = Math.max(elapsedMs, 1) / 1000;
    const bytes = source.bytes();
    const bytesPerSecond = bytes / secs;
    options.onProgress?.({
      file: name, fileIndex, fileCount, bytes, totalBytes, records: state.records, expectedRecords: state.expectedRecords, elapsedMs,
      recordsPerSecond: state.records / secs, bytesPerSecond,
      etaMs: bytesPerSecond > 0 && totalBytes > 0 ? ((totalBytes - bytes) / bytesPerSecond) * 1000 : null, phase,
    });
  };
  try {
    for await (const { facts, contents, records, hashes } of source.batches) {
      if (options.signal?.aborted) throw new ImportCancelled(name);
      for (let i = 0; i < facts.length; i++) {
        const fact = facts[i] as Fact | null;
        const flag = records ? records.flags[i]! : NO_DIGEST;
        if (fact === null) writer.confirmKnown(flag, records!.lines[i]!);
        else writer.apply(fact, contents?.[i], hashes?.[i], flag === NEW_DIGEST ? records!.digests.subarray(i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES) : null);
      }
      const now = Date.now();
      if (options.onProgress && now - lastEmit >= interval) {
        lastEmit = now;
        emit('importing');
      }
    }
  } catch (e) {
    if (e instanceof ImportError || e instanceof ImportCancelled) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    if (/unexpected end of file|incorrect header check|invalid (stored )?block|invalid distance/i.test(msg)) {
      throw new ImportError(name, `byte ${source.bytes()}`, `broken or truncated compressed file (${msg})`);
    }
    throw e;
  } finally {
    await source.close();
  }
  if (options.signal?.aborted) throw new ImportCancelled(name);
  writer.finish({ fullSnapshot: isFullSnapshot(format.id, name, writer.counts.deletions) });
  const c = writer.counts;
  const sha256 = source.hash();
  // the size of standard input is what was read
  const size = input.stdin ? source.bytes() : totalBytes;
  db.prepare(
    `UPDATE sources SET sha256 = ?, size = ?, data_date = ?, records = ?, entities = ?, links = ?, markers = ?, deletions = ? WHERE id = ?`,
  ).run(sha256, size, state.dataDate, state.records, c.entities, c.links, c.markers, c.deletions, sourceId);
  const { warnings, dataDate, records } = state;
  if (warnings.length) db.prepare('UPDATE sources SET warnings = ? WHERE id = ?').run(JSON.stringify(warnings), sourceId);
  if (archiveSha256 && hasArchiveColumn(db)) {
    db.prepare('UPDATE sources SET archive_sha256 = ? WHERE id = ?').run(archiveSha256, sourceId);
  }
  emit('done');
  return {
    sourceId, file: name, format: format.id, sha256, size, dataDate, records,
    entities: c.entities, links: c.links, markers: c.markers, deletions: c.deletions, inserted: c.inserted, changed: c.changed,
    unchanged: c.unchanged, dropped: c.dropped, placeholders: c.placeholders, elapsedMs: Date.now() - started, warnings,
    ...(archiveSha256 ? { archiveSha256 } : {}),
  };
}

/** sources.archive_sha256 arrives with migration 003. */
function hasArchiveColumn(db: Db): boolean {
  return (db.prepare(`SELECT 1 FROM pragma_table_info('sources') WHERE name = 'archive_sha256'`).get() as unknown) !== undefined;
}
