// The contract between the import runner (streaming, transactions, progress) and one format's
// parser. A parser reads bytes and yields normalized facts; it never touches the database.
import type { Fact } from '../../../shared/formats/facts';
import type { KnownRecords } from './known';

export const FORMAT_IDS = [
  'gleif-l1-xml',
  'gleif-l1-json',
  'gleif-l1-csv',
  'gleif-rr-xml',
  'gleif-rr-csv',
  'gleif-repex-xml',
  'gleif-repex-csv',
  'gleif-api-json',
  'uk-psc-jsonl',
  'bods-json',
  'ftm-jsonl',
  'csv-entities',
  'csv-links',
  'csv-undisclosed',
] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/** Raised for bad input; `location` names the line or record ("line 12", "record 3 (LEI 5493...)"). */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly location: string,
    readonly problem: string,
  ) {
    super(`${file}: ${location}: ${problem}`);
    this.name = 'ImportError';
  }
}

/**
 * No format recognised the file's content. The message names no way to choose one: the command
 * line adds "name it with --format", the app offers a format picker (a GUI never asks for a flag).
 */
export class FormatNotRecognised extends ImportError {
  constructor(file: string, known: string[]) {
    super(file, 'start of file', `format not recognised (known: ${known.join(', ')})`);
    this.name = 'FormatNotRecognised';
  }
}

export class ImportCancelled extends Error {
  constructor(readonly file: string) {
    super(`${file}: import cancelled; the database is unchanged`);
    this.name = 'ImportCancelled';
  }
}

export interface ParseContext {
  /** Display name of the file (for error messages). */
  fileName: string;
  /** Throws an ImportError naming the file. */
  fail(location: string, problem: string): never;
  /** The data date of the file (header ContentDate, snapshot date, ...), ISO 8601. */
  setDataDate(date: string): void;
  /** Counts source records as they are parsed (progress shows records and records/s). */
  countRecords(n: number): void;
  /** Record count announced in a header (for progress "of N"), when known. */
  setExpectedRecords(n: number): void;
  /**
   * Reports a problem that does not stop the import (a country that cannot be normalized, an
   * unknown code kept as text, ...). The runner stores warnings in the source's `warnings` column.
   */
  warn?(location: string, problem: string): void;
  /**
   * The URL the file was saved from, when the user names it (`import --from-url`): a GLEIF API
   * `direct-parent` response names only the parent, the URL says whose parent it is.
   */
  requestUrl?: string;
}

export interface FormatModule {
  id: FormatId;
  label: string;
  /**
   * Decides from the first bytes of the (decompressed) file whether it is this format.
   * `head` is up to 64 KiB decoded as UTF-8.
   */
  sniff(head: string, fileName: string): boolean;
  /**
   * Streams facts from the file's bytes. Yields arrays (batches) to keep per-fact overhead low.
   * Must count records itself via the returned facts' recordRef; must not buffer the whole file.
   */
  parse(input: AsyncIterable<Buffer>, ctx: ParseContext): AsyncGenerator<Fact[], void, void>;
  /**
   * The parser holds one record (and the batch it fills) at a time, nothing across the file: its
   * parse worker runs with a small heap ceiling (parse-source.ts RECORD_AT_A_TIME_LIMITS). Not for
   * formats that keep state over the whole file (BODS statement ids, FollowTheMoney entities).
   */
  recordAtATime?: boolean;
  /**
   * With recordAtATime: a lower ceiling for the parse worker's old generation, in MiB, for a
   * parser whose working set is smaller still (the golden-copy CSV reader, which keeps one row's
   * field offsets and makes strings of the fields read only). Measured per format: the XML reader
   * needs more than 32 MiB.
   */
  parseHeapMiB?: number;
  /**
   * The re-import fast path (import/known.ts): parse, but give each record's raw digest, and confirm
   * the records whose digest is `known` instead of parsing them. `parse` is this with nothing known.
   */
  parseRecords?(input: AsyncIterable<Buffer>, ctx: ParseContext, known: KnownRecords | null): AsyncGenerator<RecordBatch, void, void>;
  /** With parseRecords: the history object its records are (the digests the writer looks up). */
  recordObject?: 'entity' | 'link' | 'undisclosed';
}

/**
 * Records in file order. Item i is `facts[i]`, or null when the record restated known record
 * `flags[i]` (an index into KnownRecords; its line is `lines[i]`). Otherwise `flags[i]` is
 * NEW_DIGEST (the record's digest is bytes 16i..16i+16 of `digests`) or NO_DIGEST (a record the
 * fast path does not cover: the writer clears its key's digest).
 */
export interface RecordBatch {
  facts: (Fact | null)[];
  flags: Int32Array<ArrayBuffer>;
  lines: Uint32Array<ArrayBuffer>;
  digests: Uint8Array<ArrayBuffer>;
}

/** What a parser reported through its context. */
export interface ParseState {
  records: number;
  dataDate: string | null;
  expectedRecords: number | null;
  warnings: { location: string; problem: string }[];
}

/**
 * A context that records what the parser reports into `state` (warnings up to `maxWarnings`).
 * `onDataDate` learns the data date as soon as the parser reports it (the import's writer ranks
 * records by it), before the records that follow are written.
 */
export function recordingContext(
  fileName: string,
  maxWarnings = Infinity,
  onDataDate?: (d: string) => void,
): { ctx: ParseContext; state: ParseState } {
  const state: ParseState = { records: 0, dataDate: null, expectedRecords: null, warnings: [] };
  const ctx: ParseContext = {
    fileName,
    fail(location, problem) {
      throw new ImportError(fileName, location, problem);
    },
    setDataDate(d) {
      state.dataDate = d;
      onDataDate?.(d);
    },
    countRecords(n) {
      state.records += n;
    },
    setExpectedRecords(n) {
      state.expectedRecords = n;
    },
    warn(location, problem) {
      if (state.warnings.length < maxWarnings) state.warnings.push({ location, problem });
    },
  };
  return { ctx, state };
}
