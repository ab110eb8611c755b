// A deliberately small PDF object reader for the files this program writes: a classic
// cross-reference table (pdfkit writes no xref or object streams), optionally earlier revisions
// reached through /Prev. Every object is read at the offset its xref entry gives, never found by
// scanning the text, so the reader sees the same objects a viewer does; `layoutProblems` names
// every byte that no xref entry, xref section or file header accounts for. Anything it cannot
// read is an error for the verifier to report, never guessed at.
import { inflateSync } from 'node:zlib';

export type PdfValue =
  | null
  | boolean
  | number
  | string // names are returned with their leading slash
  | PdfString
  | PdfRef
  | PdfValue[]
  | PdfDict;

export class PdfString {
  constructor(
    readonly bytes: Buffer,
    /** Where the string was written, from its opening delimiter to just after its closing one. */
    readonly span: Span | null = null,
    readonly isHex = false,
  ) {}
  text(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return b.subarray(2).swap16().toString('utf16le');
    return b.toString('latin1');
  }
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

export type Span = [start: number, end: number];

export interface PdfDict {
  kind: 'dict';
  entries: Map<string, PdfValue>;
}

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set('()<>[]{}/%'.split('').map((c) => c.charCodeAt(0)));

export class PdfStructureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfStructureError';
  }
}

/** One cross-reference section with its trailer: the original file, or one incremental update. */
export interface PdfRevision {
  /** Offset of the `xref` keyword. */
  xrefOffset: number;
  /** Just after the `%%EOF` that ends this revision's trailer. */
  end: number;
  trailer: PdfDict;
  /** In-use entries: object number → offset. */
  objects: Map<number, { gen: number; offset: number }>;
}

interface ParsedObject {
  value: PdfValue;
  /** From "N G obj" to just after "endobj". */
  span: Span;
  /** The raw (still encoded) bytes of a stream object. */
  streamData: Buffer | null;
}

const MAX_REVISIONS = 64;
const MAX_DEPTH = 64;
/** Tree walks (pages, names, fields) visit at most this many nodes in one file: a tree whose nodes share kids cannot make a walk exponential. */
const MAX_TREE_NODES = 100_000;
/** A decoded stream larger than this is refused (a small Flate bomb would otherwise fill memory). */
export const MAX_STREAM_BYTES = 128 * 1024 * 1024;

export class PdfReader {
  readonly buf: Buffer;
  /** Newest first. */
  readonly revisions: PdfRevision[] = [];
  /** Object numbers defined in more than one revision (an incremental update redefined them). */
  readonly redefined = new Set<number>();
  private readonly current = new Map<number, { gen: number; offset: number }>();
  private readonly cache = new Map<number, ParsedObject>();
  private treeNodes = 0;

  constructor(buf: Buffer) {
    this.buf = buf;
    const tail = buf.toString('latin1', Math.max(0, buf.length - 64));
    const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
    if (!m) throw new PdfStructureError('the file does not end with startxref and %%EOF (truncated, or not a PDF)');
    let at: number | null = Number(m[1]);
    const seen = new Set<number>();
    while (at !== null) {
      if (seen.has(at) || this.revisions.length >= MAX_REVISIONS) throw new PdfStructureError('the chain of cross-reference sections (/Prev) loops or is too long');
      seen.add(at);
      const rev = this.readXref(at);
      for (const [num, e] of rev.objects) {
        if (this.current.has(num)) this.redefined.add(num);
        else this.current.set(num, e);
      }
      this.revisions.push(rev);
      const prev = rev.trailer.entries.get('Prev');
      if (prev !== undefined && (typeof prev !== 'number' || !Number.isInteger(prev) || prev < 0)) throw new PdfStructureError('a trailer /Prev is not an offset');
      at = prev === undefined ? null : prev;
    }
  }

  /** Counts one node of a tree walk; throws when a file's trees hold more than any report has. */
  visitTreeNode(): void {
    if (++this.treeNodes > MAX_TREE_NODES) throw new PdfStructureError(`the document's trees have more than ${MAX_TREE_NODES} nodes`);
  }

  /** The newest trailer dictionary: the one a viewer uses. */
  trailer(): PdfDict {
    return this.revisions[0]!.trailer;
  }

  resolve(v: PdfValue | undefined): PdfValue | undefined {
    return v instanceof PdfRef ? this.object(v).value : v;
  }

  dict(v: PdfValue | undefined, what: string): PdfDict {
    const r = this.resolve(v);
    if (!isDict(r)) throw new PdfStructureError(`${what} is not a dictionary`);
    return r;
  }

  /** Where an indirect object is written, from "N G obj" to after "endobj". */
  span(ref: PdfValue | undefined): Span {
    if (!(ref instanceof PdfRef)) throw new PdfStructureError('expected an indirect object');
    return this.object(ref).span;
  }

  /** The decoded data of a stream object. */
  stream(ref: PdfValue | undefined): Buffer {
    if (!(ref instanceof PdfRef)) throw new PdfStructureError('stream is not an indirect object');
    const obj = this.object(ref);
    if (!isDict(obj.value) || !obj.streamData) throw new PdfStructureError(`object ${ref.num} is not a stream`);
    const filter = this.resolve(obj.value.entries.get('Filter'));
    if (filter === undefined || filter === null) return Buffer.from(obj.streamData);
    if (filter === '/FlateDecode' || (Array.isArray(filter) && filter.length === 1 && filter[0] === '/FlateDecode')) {
      try {
        return inflateSync(obj.streamData, { maxOutputLength: MAX_STREAM_BYTES });
      } catch (err) {
        const tooLarge = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
        throw new PdfStructureError(`stream ${ref.num} cannot be decompressed: ${tooLarge ? `it decodes to more than ${MAX_STREAM_BYTES} bytes` : (err as Error).message}`);
      }
    }
    throw new PdfStructureError(`unsupported stream filter ${String(filter)}`);
  }

  /**
   * Bytes that nothing in the cross-reference data accounts for, and objects that overlap:
   * data a viewer and this reader could read differently. Empty for a file as pdfkit writes it.
   */
  layoutProblems(): string[] {
    const spans: { span: Span; what: string }[] = [];
    const b = this.buf;
    // The header: "%PDF-x.y" and the binary-marker comment line(s).
    if (b.toString('latin1', 0, 5) !== '%PDF-') return ['the file does not start with %PDF-'];
    let p = 0;
    while (b[p] === 0x25) {
      while (p < b.length && b[p] !== 0x0a && b[p] !== 0x0d) p++;
      while (b[p] === 0x0a || b[p] === 0x0d) p++;
    }
    spans.push({ span: [0, p], what: 'the header' });
    const problems: string[] = [];
    for (const rev of this.revisions) {
      spans.push({ span: [rev.xrefOffset, rev.end], what: `the cross-reference section at ${rev.xrefOffset}` });
      for (const [num, e] of rev.objects) {
        try {
          spans.push({ span: this.parseObjectAt(num, e.gen, e.offset).span, what: `object ${num}` });
        } catch (err) {
          problems.push((err as Error).message);
        }
      }
    }
    spans.sort((x, y) => x.span[0] - y.span[0]);
    let end = 0;
    let prev = 'the start of the file';
    for (const { span, what } of spans) {
      if (span[0] < end) problems.push(`${what} (at ${span[0]}) overlaps ${prev}`);
      else if (!isBlank(b, end, span[0])) problems.push(`${span[0] - end} bytes at offset ${end}, between ${prev} and ${what}, belong to no object in the cross-reference table`);
      if (span[1] > end) {
        end = span[1];
        prev = what;
      }
    }
    if (!isBlank(b, end, b.length)) problems.push(`${b.length - end} bytes at offset ${end}, after ${prev}, belong to no object in the cross-reference table`);
    return problems;
  }

  private object(ref: PdfRef): ParsedObject {
    const cached = this.cache.get(ref.num);
    if (cached) return cached;
    const e = this.current.get(ref.num);
    if (!e) throw new PdfStructureError(`object ${ref.num} is not in the cross-reference table`);
    if (e.gen !== ref.gen) throw new PdfStructureError(`object ${ref.num} ${ref.gen} R: the cross-reference table has generation ${e.gen}`);
    if (this.cache.size > 100_000) this.cache.clear();
    const obj = this.parseObjectAt(ref.num, e.gen, e.offset);
    this.cache.set(ref.num, obj);
    return obj;
  }

  private parseObjectAt(num: number, gen: number, offset: number): ParsedObject {
    const b = this.buf;
    if (offset >= b.length) throw new PdfStructureError(`object ${num}: its offset ${offset} is past the end of the file`);
    const head = /^(\d+)\s+(\d+)\s+obj\b/.exec(b.toString('latin1', offset, offset + 32));
    if (!head || Number(head[1]) !== num || Number(head[2]) !== gen) {
      throw new PdfStructureError(`object ${num}: the cross-reference table points to offset ${offset}, where no "${num} ${gen} obj" begins`);
    }
    const [value, afterValue] = this.parseValue(offset + head[0].length);
    let p = this.skipWs(afterValue);
    let streamData: Buffer | null = null;
    if (b.toString('latin1', p, p + 6) === 'stream') {
      if (!isDict(value)) throw new PdfStructureError(`object ${num}: a stream without a dictionary`);
      p += 6;
      if (b[p] === 0x0d) p++;
      if (b[p] !== 0x0a) throw new PdfStructureError(`object ${num}: "stream" is not followed by an end of line`);
      p++;
      const length = value.entries.get('Length');
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || p + length > b.length) throw new PdfStructureError(`object ${num}: bad stream /Length`);
      streamData = b.subarray(p, p + length);
      p += length;
      if (b[p] === 0x0d) p++;
      if (b[p] === 0x0a) p++;
      if (b.toString('latin1', p, p + 9) !== 'endstream') throw new PdfStructureError(`object ${num}: the stream does not end where its /Length says`);
      p = this.skipWs(p + 9);
    }
    if (b.toString('latin1', p, p + 6) !== 'endobj') throw new PdfStructureError(`object ${num} does not end with endobj`);
    return { value, span: [offset, p + 6], streamData };
  }

  private readXref(at: number): PdfRevision {
    const b = this.buf;
    if (at >= b.length) throw new PdfStructureError(`startxref points past the end of the file (${at})`);
    const text = b.toString('latin1', at, at + 4);
    if (text !== 'xref') {
      if (/^\d+\s+\d+\s+obj\b/.test(b.toString('latin1', at, at + 32))) {
        throw new PdfStructureError('the file uses a cross-reference stream; Ownerscope reports use a cross-reference table');
      }
      throw new PdfStructureError(`no cross-reference table at offset ${at}`);
    }
    let p = at + 4;
    const objects = new Map<number, { gen: number; offset: number }>();
    for (;;) {
      p = this.skipWs(p);
      if (b.toString('latin1', p, p + 7) === 'trailer') break;
      const sub = /^(\d+) (\d+)\r?\n/.exec(b.toString('latin1', p, p + 32));
      if (!sub) throw new PdfStructureError(`malformed cross-reference table at offset ${p}`);
      p += sub[0].length;
      const first = Number(sub[1]);
      const count = Number(sub[2]);
      if (count > 8_388_608 || p + count * 20 > b.length) throw new PdfStructureError(`cross-reference subsection at ${p} is longer than the file`);
      for (let i = 0; i < count; i++, p += 20) {
        const e = /^(\d{10}) (\d{5}) ([nf])(?: \r| \n|\r\n)$/.exec(b.toString('latin1', p, p + 20));
        if (!e) throw new PdfStructureError(`malformed cross-reference entry at offset ${p}`);
        if (e[3] !== 'n') continue;
        const num = first + i;
        if (objects.has(num)) throw new PdfStructureError(`object ${num} is listed twice in the cross-reference table at ${at}`);
        objects.set(num, { gen: Number(e[2]), offset: Number(e[1]) });
      }
    }
    const [trailer, afterTrailer] = this.parseValue(p + 7);
    if (!isDict(trailer)) throw new PdfStructureError('trailer is not a dictionary');
    const tail = /^\s*startxref\s+(\d+)\s+%%EOF/.exec(b.toString('latin1', afterTrailer, afterTrailer + 48));
    if (!tail || Number(tail[1]) !== at) throw new PdfStructureError(`the trailer at ${p} is not followed by "startxref ${at} %%EOF"`);
    return { xrefOffset: at, end: afterTrailer + tail[0].length, trailer, objects };
  }

  private skipWs(p: number): number {
    const b = this.buf;
    for (;;) {
      while (p < b.length && WS.has(b[p]!)) p++;
      if (b[p] === 0x25) {
        while (p < b.length && b[p] !== 0x0a && b[p] !== 0x0d) p++;
        continue;
      }
      return p;
    }
  }

  private token(p: number): [string, number] {
    const b = this.buf;
    const s = p;
    while (p < b.length && !WS.has(b[p]!) && !DELIM.has(b[p]!)) p++;
    return [b.toString('latin1', s, p), p];
  }

  parseValue(p: number, depth = 0): [PdfValue, number] {
    const b = this.buf;
    if (depth > MAX_DEPTH) throw new PdfStructureError(`objects nested too deeply at ${p}`);
    p = this.skipWs(p);
    if (p >= b.length) throw new PdfStructureError('unexpected end of file');
    const c = b[p]!;
    if (c === 0x3c && b[p + 1] === 0x3c) {
      const entries = new Map<string, PdfValue>();
      p += 2;
      for (;;) {
        p = this.skipWs(p);
        if (b[p] === 0x3e && b[p + 1] === 0x3e) return [{ kind: 'dict', entries }, p + 2];
        const [key, afterKey] = this.parseValue(p, depth + 1);
        if (typeof key !== 'string' || !key.startsWith('/')) throw new PdfStructureError(`dictionary key is not a name at ${p}`);
        const [value, afterValue] = this.parseValue(afterKey, depth + 1);
        // A key given twice is read differently by different readers.
        if (entries.has(key.slice(1))) throw new PdfStructureError(`dictionary key ${key} appears twice at ${p}`);
        entries.set(key.slice(1), value);
        p = afterValue;
      }
    }
    if (c === 0x3c) {
      const end = b.indexOf(0x3e, p);
      if (end < 0) throw new PdfStructureError('unterminated hex string');
      const raw = b.toString('latin1', p + 1, end);
      if (!/^[0-9a-fA-F\s]*$/.test(raw)) throw new PdfStructureError(`hex string at ${p} holds characters that are not hex digits`);
      const hex = raw.replace(/\s+/g, '');
      return [new PdfString(Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex'), [p, end + 1], true), end + 1];
    }
    if (c === 0x28) return this.literal(p);
    if (c === 0x5b) {
      const items: PdfValue[] = [];
      p++;
      for (;;) {
        p = this.skipWs(p);
        if (b[p] === 0x5d) return [items, p + 1];
        const [v, next] = this.parseValue(p, depth + 1);
        items.push(v);
        p = next;
      }
    }
    if (c === 0x2f) {
      const [name, next] = this.token(p + 1);
      return ['/' + name, next];
    }
    const [tok, next] = this.token(p);
    if (tok === 'true' || tok === 'false') return [tok === 'true', next];
    if (tok === 'null') return [null, next];
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(tok)) {
      // "n g R" is a reference.
      const m = /^\s*(\d+)\s+R\b/.exec(this.buf.toString('latin1', next, next + 24));
      if (/^\d+$/.test(tok) && m) return [new PdfRef(Number(tok), Number(m[1])), next + m[0].length];
      return [Number(tok), next];
    }
    throw new PdfStructureError(`unexpected token "${tok.slice(0, 20)}" at ${p}`);
  }

  private literal(p: number): [PdfString, number] {
    const b = this.buf;
    const out: number[] = [];
    const start = p;
    let depth = 1;
    p++;
    while (p < b.length) {
      const c = b[p]!;
      if (c === 0x5c) {
        const n = b[p + 1]!;
        const map: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (map[n] !== undefined) {
          out.push(map[n]!);
          p += 2;
        } else if (n >= 0x30 && n <= 0x37) {
          let oct = '';
          p++;
          while (oct.length < 3 && b[p]! >= 0x30 && b[p]! <= 0x37) oct += String.fromCharCode(b[p++]!);
          out.push(parseInt(oct, 8) & 0xff);
        } else if (n === 0x0d || n === 0x0a) {
          p += n === 0x0d && b[p + 2] === 0x0a ? 3 : 2;
        } else {
          out.push(n);
          p += 2;
        }
        continue;
      }
      if (c === 0x28) depth++;
      if (c === 0x29 && --depth === 0) return [new PdfString(Buffer.from(out), [start, p + 1]), p + 1];
      out.push(c);
      p++;
    }
    throw new PdfStructureError('unterminated string');
  }
}

function isBlank(b: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!WS.has(b[i]!)) return false;
  return true;
}

export function isDict(v: PdfValue | undefined): v is PdfDict {
  return !!v && typeof v === 'object' && !Array.isArray(v) && (v as PdfDict).kind === 'dict';
}
