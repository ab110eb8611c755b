// Streaming golden-copy CSV reader: an RFC 4180 splitter on the file's bytes, header validated
// against the family's required columns.
//
// Why not a general CSV parser: a Level 1 golden-copy row has about 200 fields and the mapper
// reads a few dozen of them. A parser that makes a string of every field of every row (papaparse
// did) spends most of the import's parse time making strings nobody reads, and filling the parse
// worker's small heap with them (a quarter of its time went to the garbage collector). Here a row
// is only scanned: the start and end of each field are noted in typed arrays, and a field becomes
// a string when the mapper asks for it (`get`), straight from the bytes.
import type { Fact } from '../../../../shared/formats/facts';
import { GleifDataError } from '../../../../shared/formats/gleif/enums';
import type { ParseContext } from '../types';
import { BATCH, dataDateFromFileName, type Family } from './families';

/** Splits a CSV header line (quoted or not) into column names; for sniffing only. */
export function headerColumns(head: string): string[] {
  const nl = head.indexOf('\n');
  const line = (nl < 0 ? head : head.slice(0, nl)).replace(/\r$/, '').replace(/^\uFEFF/, '');
  const cols: string[] = [];
  for (const raw of line.split(',')) cols.push(raw.replace(/^"|"$/g, '').trim());
  return cols;
}

export function sniffCsv(head: string, fam: Family): boolean {
  if (!head.includes(',')) return false;
  const cols = new Set(headerColumns(head).map((c) => fam.column(c)));
  return fam.required.every((r) => cols.has(r));
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** A field's kind in `RowScanner.kind`: as written, quoted, or quoted with "" escapes in it. */
const PLAIN = 0;
const QUOTED = 1;
const ESCAPED = 2;

/** The scan stopped at the end of the bytes it has: the row continues in the next chunk. */
const MORE = -1;

/** What is wrong with a row (the reader adds file and line). */
class CsvSyntaxError extends Error {}

/**
 * Finds the fields of one row at a time in a buffer. The line ending is the header's (GLEIF files
 * use \r\n or \n): with \r\n, a lone \r or \n in an unquoted field is text, as in RFC 4180.
 */
class RowScanner {
  /** Byte offsets of field i: [start[i], end[i]), quotes excluded. */
  start = new Int32Array(256);
  end = new Int32Array(256);
  kind = new Uint8Array(256);
  fields = 0;

  constructor(readonly crlf: boolean) {}

  private add(s: number, e: number, k: number): void {
    if (this.fields === this.start.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start);
      this.end = grow(this.end);
      this.kind = grow(this.kind);
    }
    this.start[this.fields] = s;
    this.end[this.fields] = e;
    this.kind[this.fields] = k;
    this.fields++;
  }

  /**
   * Scans the row that starts at `p`, up to `n`; returns where the next row starts, or MORE when
   * the row does not end before `n` and `last` is false (at the end of the file, it ends there).
   */
  scan(b: Buffer, p: number, n: number, last: boolean): number {
    this.fields = 0;
    const crlf = this.crlf;
    let i = p;
    for (;;) {
      if (i < n && b[i] === QUOTE) {
        // quoted: up to the quote that is not doubled; memchr finds the quotes
        let j = i + 1;
        let k = QUOTED;
        for (;;) {
          j = b.indexOf(QUOTE, j);
          if (j < 0 || j + 1 > n) {
            if (!last) return MORE;
            throw new CsvSyntaxError(`malformed CSV: field ${this.fields + 1} opens a quote that is never closed (the file ends inside it)`);
          }
          if (j + 1 === n) break;
          if (b[j + 1] === QUOTE) {
            k = ESCAPED;
            j += 2;
            continue;
          }
          break;
        }
        this.add(i + 1, j, k);
        i = j + 1;
        if (i >= n) {
          if (!last) return MORE;
          return n;
        }
        const c = b[i];
        if (c === COMMA) {
          i++;
          continue;
        }
        if (!crlf && c === LF) return i + 1;
        if (crlf && c === CR) {
          if (i + 1 >= n) {
            if (!last) return MORE;
            throw new CsvSyntaxError(`malformed CSV: field ${this.fields} is followed by a lone carriage return at the end of the file`);
          }
          if (b[i + 1] === LF) return i + 2;
        }
        throw new CsvSyntaxError(`malformed CSV: field ${this.fields} has text after its closing quote (a quote inside a quoted field must be doubled: "")`);
      }
      // unquoted: up to the next comma or line ending
      let j = i;
      let c = 0;
      while (j < n) {
        c = b[j]!;
        if (c === COMMA || (c === LF && (!crlf || (j > i && b[j - 1] === CR)))) break;
        j++;
      }
      if (j >= n) {
        if (!last) return MORE;
        this.add(i, n, PLAIN);
        return n;
      }
      if (c === COMMA) {
        this.add(i, j, PLAIN);
        i = j + 1;
        continue;
      }
      this.add(i, crlf ? j - 1 : j, PLAIN);
      return j + 1;
    }
  }

  /** Field i as text; undefined when empty (the mapper's convention). */
  text(b: Buffer, i: number): string | undefined {
    const s = this.start[i]!;
    const e = this.end[i]!;
    if (s === e) return undefined;
    const v = e - s > PIECE ? inPieces(b, s, e) : b.toString('utf8', s, e);
    return this.kind[i] === ESCAPED ? v.replaceAll('""', '"') : v;
  }
}

/** Bytes of a field decoded at a time; a field longer than this (no real one is) is decoded in pieces. */
const PIECE = 1 << 20;
/** The largest field decoded (bytes): a hundred times any real one. */
const MAX_FIELD = 8 << 20;

/**
 * Decodes a huge field a piece at a time (cut before a UTF-8 lead byte). The parse worker's heap
 * ceiling stops a worker cleanly only while its heap grows by steps: one 40 MiB string allocated
 * at once overshoots the margin V8 leaves and aborts the whole process instead of refusing the file.
 */
function inPieces(b: Buffer, s: number, e: number): string {
  // Node 24 aborts the process when the pieces' string is flattened in a capped worker: a field
  // this large (no real one comes near) is refused before it is decoded at all
  if (e - s > MAX_FIELD) throw new GleifDataError(`a field of ${Math.round((e - s) / 1048576)} MiB: far larger than any field of this format (the parser holds at most 32 MiB), so the file is refused`);
  let v = '';
  for (let at = s; at < e; ) {
    let cut = Math.min(at + PIECE, e);
    while (cut < e && (b[cut]! & 0xc0) === 0x80) cut--;
    v += b.toString('utf8', at, cut);
    at = cut;
  }
  return v;
}

/** One record's facts; a mapping problem becomes the import's error at the record's line. */
export function mapRow(fam: Family, get: (k: string) => string | undefined, ref: string, ctx: ParseContext): Fact {
  try {
    return fam.map(get, ref);
  } catch (e) {
    if (e instanceof GleifDataError) ctx.fail(ref, e.problem);
    throw e;
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export async function* parseCsv(input: AsyncIterable<Buffer>, ctx: ParseContext, fam: Family): AsyncGenerator<Fact[], void, void> {
  const fromName = dataDateFromFileName(ctx.fileName);
  if (fromName) ctx.setDataDate(fromName);
  let scanner: RowScanner | null = null;
  // column name → field index, once the header is read
  let index: Map<string, number> | null = null;
  let width = 0;
  // the bytes being scanned: the rest of the previous chunk (a row it cut) and the current chunk
  let buf: Buffer = Buffer.alloc(0);
  // rows are numbered from the header, line 1 (a quoted line break does not start a new one)
  let line = 0;
  let atStart = true;
  let batch: Fact[] = [];
  let counted = 0;
  const get = (k: string): string | undefined => {
    const i = index!.get(k);
    return i === undefined ? undefined : scanner!.text(buf, i);
  };

  const header = (s: RowScanner) => {
    index = new Map();
    for (let i = 0; i < s.fields; i++) {
      const name = fam.column((s.text(buf, i) ?? '').replace(/^\uFEFF/, '').trim());
      if (index.has(name)) ctx.fail('line 1', `duplicate column "${name}"`);
      index.set(name, i);
    }
    width = s.fields;
    const missing = fam.required.filter((r) => !index!.has(r));
    if (missing.length > 0) {
      ctx.fail('line 1', `not a GLEIF ${fam.label} CSV file: missing column(s) ${missing.join(', ')}`);
    }
  };

  // Rows of `buf` from `p`; returns where the unfinished row starts (buf.length when none).
  const rows = function* (last: boolean): Generator<Fact[], number, void> {
    let p = 0;
    const n = buf.length;
    for (;;) {
      if (p >= n) return n;
      if (scanner === null) {
        // the line ending is the header line's
        const nl = buf.indexOf(LF, p);
        if (nl < 0 && !last) return p;
        scanner = new RowScanner(nl > 0 && buf[nl - 1] === CR);
      }
      let next: number;
      try {
        next = scanner.scan(buf, p, n, last);
      } catch (e) {
        if (e instanceof CsvSyntaxError) ctx.fail(`line ${line + 1}`, e.message);
        throw e;
      }
      if (next === MORE) return p;
      p = next;
      line++;
      if (index === null) {
        header(scanner);
        continue;
      }
      if (scanner.fields === 1 && scanner.start[0] === scanner.end[0]) continue; // blank line
      if (scanner.fields !== width) ctx.fail(`line ${line}`, `expected ${width} fields as in the header, found ${scanner.fields}`);
      batch.push(mapRow(fam, get, `line ${line}`, ctx));
      if (batch.length >= BATCH) {
        ctx.countRecords(batch.length - counted);
        counted = 0;
        const out = batch;
        batch = [];
        yield out;
      }
    }
  };

  for await (const chunk of input) {
    if (chunk.length === 0) continue;
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    if (atStart) {
      if (buf.length < BOM.length && BOM.subarray(0, buf.length).equals(buf)) continue;
      if (buf.subarray(0, BOM.length).equals(BOM)) buf = buf.subarray(BOM.length);
      atStart = false;
    }
    const rest = yield* rows(false);
    // a row cut by the chunk's end is scanned again, whole, with the next chunk
    buf = rest < buf.length ? Buffer.from(buf.subarray(rest)) : Buffer.alloc(0);
    if (batch.length > counted) {
      ctx.countRecords(batch.length - counted);
      counted = batch.length;
    }
  }
  if (atStart && buf.equals(BOM.subarray(0, buf.length))) buf = Buffer.alloc(0);
  yield* rows(true);
  if (index === null) ctx.fail('line 1', `empty file: no CSV header (expected columns ${fam.required.join(', ')})`);
  if (batch.length > counted) ctx.countRecords(batch.length - counted);
  if (batch.length > 0) yield batch;
}
