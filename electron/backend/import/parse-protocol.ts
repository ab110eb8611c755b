// Messages between the import runner and its parse worker (parse-worker.ts).
import type { ImportInput } from './input';
import type { KnownRecords } from './known';
import type { FormatId } from './types';

/** Batches sent ahead of the writer (about a thousand facts each). */
export const IN_FLIGHT = 8;

export interface ParseJob {
  input: ImportInput;
  format: FormatId;
  /** ParseContext.requestUrl (`import --from-url`). */
  requestUrl?: string;
  /** The re-import fast path's digests (FormatModule.parseRecords), when the writer knows some. */
  known?: KnownRecords;
}

/** A RecordBatch's per-item arrays (types.ts), transferred with the facts; a confirmed record's text is empty. */
export interface EncodedRecords {
  flags: Int32Array<ArrayBuffer>;
  lines: Uint32Array<ArrayBuffer>;
  digests: Uint8Array<ArrayBuffer>;
}

interface Progress {
  /** Bytes of the input read so far (decompressed size for zip entries). */
  bytes: number;
  records: number;
  dataDate: string | null;
  expectedRecords: number | null;
  /** Warnings raised since the previous message. */
  warnings: { location: string; problem: string }[];
}

/**
 * A batch of facts as UTF-8 JSON texts one after the other in `bytes`; fact i is
 * `bytes[ends[i-1] .. ends[i])` (from 0 for the first). Both buffers are transferred, not copied:
 * cloning a thousand strings costs both threads far more than encoding and decoding them.
 */
export interface EncodedFacts {
  bytes: Uint8Array<ArrayBuffer>;
  ends: Uint32Array<ArrayBuffer>;
  /**
   * The history hash of each fact's content (store/history.ts contentHash of normalizeContent):
   * computed here, in the parse worker, so the writing thread (the import's bottleneck) does not
   * hash every fact again. 48-bit integers, exact in a double.
   */
  hashes?: Float64Array<ArrayBuffer>;
}

export function encodeFacts(texts: string[], hash?: (text: string) => number): EncodedFacts {
  const ends = new Uint32Array(texts.length);
  let total = 0;
  for (let i = 0; i < texts.length; i++) ends[i] = total += Buffer.byteLength(texts[i]!, 'utf8');
  // a buffer of its own (not a slice of Node's shared pool), so it can be transferred
  const bytes = Buffer.from(new ArrayBuffer(total));
  let at = 0;
  for (let i = 0; i < texts.length; i++) at += bytes.write(texts[i]!, at, 'utf8');
  if (!hash) return { bytes, ends };
  const hashes = new Float64Array(texts.length);
  for (let i = 0; i < texts.length; i++) hashes[i] = hash(texts[i]!);
  return { bytes, ends, hashes };
}

export function decodeFacts({ bytes, ends }: EncodedFacts): string[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<string>(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    out[i] = buf.toString('utf8', start, ends[i]);
    start = ends[i]!;
  }
  return out;
}

export type ParseWorkerMessage =
  | ({ type: 'batch'; facts: EncodedFacts; items?: EncodedRecords } & Progress)
  | ({ type: 'end'; sha256: string } & Progress)
  /** Bad input: becomes the runner's ImportError. */
  | { type: 'fail'; location: string; problem: string; bytes: number }
  /** Anything else (a read or decompression error). */
  | { type: 'error'; message: string; bytes: number };
