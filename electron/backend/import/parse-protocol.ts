// Messages between the import runner and its parse worker (parse-worker.ts).
import type { ImportInput } from './input';
import type { FormatId } from './types';

/** Batches sent ahead of the writer (about a thousand facts each). */
export const IN_FLIGHT = 8;

export interface ParseJob {
  input: ImportInput;
  format: FormatId;
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

export type ParseWorkerMessage =
  | ({ type: 'batch'; facts: string[] } & Progress)
  | ({ type: 'end'; sha256: string } & Progress)
  /** Bad input: becomes the runner's ImportError. */
  | { type: 'fail'; location: string; problem: string; bytes: number }
  /** Anything else (a read or decompression error). */
  | { type: 'error'; message: string; bytes: number };
