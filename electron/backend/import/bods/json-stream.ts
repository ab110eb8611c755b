// Streaming JSON readers shared by the JSON-based importers (PSC, BODS, FollowTheMoney):
// JSON Lines, and top-level JSON arrays (or a sequence of objects) without loading the file.
import { StringDecoder } from 'node:string_decoder';
import type { ParseContext } from '../types';

export interface JsonRecord {
  value: unknown;
  /** 1-based line where the record starts. */
  line: number;
  /** 1-based record number. */
  index: number;
}

function parseOrFail(text: string, line: number, ctx: ParseContext, truncated: boolean): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const why = truncated ? 'truncated JSON at the end of the file' : `not valid JSON (${(e as Error).message})`;
    ctx.fail(`line ${line}`, why);
  }
}

/**
 * The longest line (JSON Lines) or record (JSON arrays) accepted: 16 MiB. The largest records of
 * the real registries are a few hundred KiB (OpenSanctions entities with many names); a longer
 * one is a broken or hostile file, refused before it fills the memory (docs/FORMATS-JSON.md).
 */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

function tooLong(ctx: ParseContext, line: number): never {
  ctx.fail(`line ${line}`, `record longer than ${MAX_RECORD_BYTES / (1024 * 1024)} MiB (the limit of one JSON record); the file is broken or not JSON Lines`);
}

/**
 * One JSON value per line; blank lines are skipped. Each chunk is scanned once for line breaks
 * (bytes, before decoding: a line break is one byte in UTF-8 and never part of another character);
 * the unfinished last line is kept as a list of pieces, never rescanned.
 */
export async function* jsonLines(input: AsyncIterable<Buffer>, ctx: ParseContext): AsyncGenerator<JsonRecord> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  let index = 0;
  let first = true;
  const text = (tail: Buffer): string => {
    const whole = pending.length === 0 ? tail : Buffer.concat([...pending, tail]);
    pending = [];
    pendingBytes = 0;
    let t = whole.toString('utf8');
    if (first) {
      t = t.replace(/^\uFEFF/, '');
      first = false;
    }
    return t.trim();
  };
  for await (const chunk of input) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      line++;
      if (pendingBytes + nl - start > MAX_RECORD_BYTES) tooLong(ctx, line);
      const l = text(chunk.subarray(start, nl));
      start = nl + 1;
      if (l) yield { value: parseOrFail(l, line, ctx, false), line, index: ++index };
    }
    if (start < chunk.length) {
      pendingBytes += chunk.length - start;
      if (pendingBytes > MAX_RECORD_BYTES) tooLong(ctx, line + 1);
      pending.push(start === 0 ? chunk : chunk.subarray(start));
    }
  }
  const l = text(Buffer.alloc(0));
  if (l) {
    line++;
    yield { value: parseOrFail(l, line, ctx, true), line, index: ++index };
  }
}

/**
 * The elements of a top-level JSON array, or a sequence of top-level objects (JSON Lines, or
 * concatenated pretty-printed objects). Only one element is held in memory at a time.
 */
export async function* jsonValues(input: AsyncIterable<Buffer>, ctx: ParseContext): AsyncGenerator<JsonRecord> {
  const decoder = new StringDecoder('utf8');
  let buf = '';
  let pos = 0; // next character to scan in buf
  let line = 1;
  let mode: 'unknown' | 'array' | 'sequence' | 'closed' = 'unknown';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1; // start of the current element in buf
  let startLine = 0;
  let index = 0;
  let first = true;
  const base = () => (mode === 'array' ? 1 : 0);

  const scan = function* (): Generator<JsonRecord> {
    for (; pos < buf.length; pos++) {
      const c = buf.charCodeAt(pos);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92 /* \ */) escaped = true;
        else if (c === 34 /* " */) inString = false;
        else if (c === 10) ctx.fail(`line ${line}`, 'line break inside a JSON string (truncated or broken file)');
        continue;
      }
      if (c === 10) {
        line++;
        continue;
      }
      if (c === 32 || c === 9 || c === 13) continue;
      if (mode === 'closed') ctx.fail(`line ${line}`, 'data after the end of the top-level JSON array');
      if (mode === 'unknown') {
        if (c === 91 /* [ */) {
          mode = 'array';
          depth = 1;
          continue;
        }
        if (c === 123 /* { */) mode = 'sequence';
        else ctx.fail(`line ${line}`, 'expected a JSON array or JSON objects');
      }
      if (depth === base()) {
        if (start < 0) {
          if (mode === 'array' && c === 44 /* , */ && index > 0) continue;
          if (mode === 'array' && c === 93 /* ] */) {
            mode = 'closed';
            depth = 0;
            continue;
          }
          if (c !== 123) ctx.fail(`line ${line}`, `record ${index + 1} is not a JSON object`);
          start = pos;
          startLine = line;
        }
      }
      if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth < base()) ctx.fail(`line ${line}`, 'unbalanced brackets');
        if (depth === base() && start >= 0) {
          const text = buf.slice(start, pos + 1);
          index++;
          yield { value: parseOrFail(text, startLine, ctx, false), line: startLine, index };
          start = -1;
        }
      }
    }
    // keep only the unfinished element
    if (start >= 0) {
      buf = buf.slice(start);
      pos -= start;
      start = 0;
    } else {
      buf = '';
      pos = 0;
    }
  };

  for await (const chunk of input) {
    let text = decoder.write(chunk);
    if (first) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    buf += text;
    yield* scan();
    // what is left is the unfinished record (UTF-16 units: at least one per byte of it)
    if (buf.length > MAX_RECORD_BYTES) tooLong(ctx, startLine || line);
  }
  buf += decoder.end();
  yield* scan();
  if (start >= 0 || inString) ctx.fail(`line ${startLine || line}`, `truncated: record ${index + 1} is not complete at the end of the file`);
  if ((mode as string) === 'array') ctx.fail(`line ${line}`, 'truncated: the top-level JSON array is not closed');
  if ((mode as string) === 'unknown') ctx.fail('line 1', 'empty file: no JSON records');
}

/** Collects facts and hands them out in batches. */
export class Batch<T> {
  private items: T[] = [];
  constructor(private readonly size = 500) {}
  push(...xs: T[]): void {
    this.items.push(...xs);
  }
  get full(): boolean {
    return this.items.length >= this.size;
  }
  take(): T[] {
    const out = this.items;
    this.items = [];
    return out;
  }
  get length(): number {
    return this.items.length;
  }
}

/**
 * Country and code warnings, de-duplicated by problem so a snapshot with a million
 * "West Yorkshire" lines reports it once with a count and the first place it occurred.
 */
export class Warnings {
  private readonly seen = new Map<string, { location: string; count: number }>();
  constructor(
    private readonly ctx: ParseContext,
    private readonly max = 500,
  ) {}
  add(location: string, problem: string): void {
    const s = this.seen.get(problem);
    if (s) {
      s.count++;
      return;
    }
    if (this.seen.size >= this.max) return;
    this.seen.set(problem, { location, count: 1 });
  }
  /** Sends the collected warnings to the runner (call once, at the end of the file). */
  flush(): void {
    for (const [problem, s] of this.seen) {
      this.ctx.warn?.(s.location, s.count > 1 ? `${problem} (${s.count} times)` : problem);
    }
    this.seen.clear();
  }
}
