// Where the import runner's facts come from: parsed in this thread, or in a parse worker
// (parse-worker.ts) so that parsing and writing overlap. Both give the same facts in the same
// order; the worker also gives each fact's JSON, which the writer keeps as history content.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Fact } from '../../../shared/formats/facts';
import { openInput, type ImportInput, type OpenedInput } from './input';
import type { KnownRecords } from './known';
import { decodeFacts, type EncodedRecords, type ParseJob, type ParseWorkerMessage } from './parse-protocol';
import { ImportError, type FormatModule, type ParseContext } from './types';

export interface FactBatch {
  /** null: a record the parser confirmed by its digest (FormatModule.parseRecords; see `records`). */
  facts: (Fact | null)[];
  /** `JSON.stringify` of each fact, when the parser produced it. */
  contents?: string[];
  /** With a format's parseRecords: per item, its flag, line and digest (types.ts RecordBatch). */
  records?: EncodedRecords;
  /** The history hash of each content (parse-protocol.ts EncodedFacts.hashes), with contents. */
  hashes?: Float64Array;
}

export interface FactSource {
  batches: AsyncIterable<FactBatch>;
  /** SHA-256 of the bytes read (complete once the batches are exhausted). */
  hash(): string;
  /** Bytes read so far. */
  bytes(): number;
  /** Stops parsing (a worker is terminated); safe to call more than once. */
  close(): Promise<void>;
}

/** Inputs from this size on are parsed in a worker thread (below, starting one costs more than it saves). */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;

/**
 * Heap of the parse worker of a format that holds one record at a time. Left to itself V8 lets the
 * worker's old generation fill with the parser's garbage (each batch of facts lives through a few
 * scavenges, so it is promoted) until it is well over 100 MiB before it collects: on a 200,000-entity
 * GLEIF import that was a third of the process's peak memory. The records themselves need a few
 * MiB; with this ceiling V8 collects early instead (measured: peak RSS 448 → 299 MiB, time within
 * the noise). A file whose single record does not fit is refused with a clear error (below).
 */
export const RECORD_AT_A_TIME_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 } as const;

/** The parse worker's heap ceiling for a format, or none (a format that keeps state over the file). */
export function parseLimits(format: FormatModule): { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number } | null {
  if (!format.recordAtATime) return null;
  if (format.parseHeapMiB === undefined) return RECORD_AT_A_TIME_LIMITS;
  return { maxOldGenerationSizeMb: format.parseHeapMiB, maxYoungGenerationSizeMb: Math.min(RECORD_AT_A_TIME_LIMITS.maxYoungGenerationSizeMb, Math.max(2, format.parseHeapMiB / 8)) };
}

export function shouldParseInWorker(input: ImportInput, parallel: boolean | undefined): boolean {
  return parallel ?? (input.size >= PARALLEL_MIN_BYTES && availableParallelism() > 1);
}

export async function parseInThread(input: ImportInput, format: FormatModule, ctx: ParseContext, opened?: OpenedInput, known: KnownRecords | null = null): Promise<FactSource> {
  return parseOpened(opened ?? (await openInput(input)), format, ctx, known);
}

/** Parses an input already opened (standard input is opened once, when its head is read for detection). */
function parseOpened(opened: OpenedInput, format: FormatModule, ctx: ParseContext, known: KnownRecords | null): FactSource {
  async function* batches(): AsyncGenerator<FactBatch> {
    if (format.parseRecords) {
      for await (const b of format.parseRecords(opened.chunks, ctx, known)) yield { facts: b.facts, records: { flags: b.flags, lines: b.lines, digests: b.digests } };
    } else for await (const facts of format.parse(opened.chunks, ctx)) yield { facts };
  }
  return { batches: batches(), hash: opened.hash, bytes: opened.bytes, close: async () => {} };
}

function workerUrl(): URL {
  // development and tests run the TypeScript through a boot file; the packaged app ships the
  // bundled worker next to its own bundle
  return import.meta.url.endsWith('.ts') ? new URL('./parse-worker-boot.mjs', import.meta.url) : new URL('./parse-worker.mjs', import.meta.url);
}

export function parseInWorker(input: ImportInput, format: FormatModule, ctx: ParseContext, known: KnownRecords | null = null): FactSource {
  const job: ParseJob = { input, format: format.id, ...(ctx.requestUrl !== undefined ? { requestUrl: ctx.requestUrl } : {}), ...(known ? { known } : {}) };
  const limits = parseLimits(format);
  const worker = new Worker(workerUrl(), { workerData: job, ...(limits ? { resourceLimits: limits } : {}) });
  const queue: (ParseWorkerMessage | { type: 'crash'; error: Error })[] = [];
  let wake: (() => void) | null = null;
  const push = (m: (typeof queue)[number]) => {
    queue.push(m);
    wake?.();
    wake = null;
  };
  worker.on('message', (m: ParseWorkerMessage) => push(m));
  worker.on('error', (error) => {
    // only a format that holds one record at a time runs with a heap ceiling: one record (with the
    // batch of facts before it) needed more than that, which no registry record comes near
    if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
      const mib = limits?.maxOldGenerationSizeMb ?? RECORD_AT_A_TIME_LIMITS.maxOldGenerationSizeMb;
      push({ type: 'crash', error: new ImportError(input.name, bytes > 0 ? `after byte ${bytes}` : 'first records', `a record near here needs more than the parser's ${mib} MiB: far larger than any record of this format, so the file is refused`) });
    } else push({ type: 'crash', error });
  });
  worker.on('exit', (code) => push({ type: 'crash', error: new Error(`the parse worker stopped (exit code ${code})`) }));
  let bytes = 0;
  let sha256: string | null = null;
  let records = 0;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await worker.terminate();
  };

  async function* batches(): AsyncGenerator<FactBatch> {
    try {
      for (;;) {
        while (queue.length === 0) await new Promise<void>((r) => (wake = r));
        const m = queue.shift()!;
        if (m.type === 'crash') throw m.error;
        bytes = m.bytes;
        if (m.type === 'fail') ctx.fail(m.location, m.problem);
        if (m.type === 'error') throw new Error(m.message);
        if (m.records > records) ctx.countRecords(m.records - records);
        records = m.records;
        if (m.dataDate !== null) ctx.setDataDate(m.dataDate);
        if (m.expectedRecords !== null) ctx.setExpectedRecords(m.expectedRecords);
        for (const w of m.warnings) ctx.warn?.(w.location, w.problem);
        if (m.type === 'end') {
          sha256 = m.sha256;
          return;
        }
        worker.postMessage('more');
        const contents = decodeFacts(m.facts);
        const facts = new Array<Fact | null>(contents.length);
        const flags = m.items?.flags;
        for (let i = 0; i < facts.length; i++) facts[i] = flags && flags[i]! >= 0 ? null : (JSON.parse(contents[i]!) as Fact);
        yield { facts, contents, ...(m.items ? { records: m.items } : {}), ...(m.facts.hashes ? { hashes: m.facts.hashes } : {}) };
      }
    } finally {
      await close();
    }
  }

  return {
    batches: batches(),
    hash: () => {
      if (sha256 === null) throw new Error('the parse worker has not finished');
      return sha256;
    },
    bytes: () => bytes,
    close,
  };
}
