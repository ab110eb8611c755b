// A deliberately small PDF object reader: enough to follow trailer → catalog → names tree →
// embedded file, and to read the information dictionary, in files shaped like the ones this
// program writes (classic xref table, no object streams). Anything it cannot read is reported
// as unreadable by the verifier, never guessed at.
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
  constructor(readonly bytes: Buffer) {}
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

export interface PdfDict {
  kind: 'dict';
  entries: Map<string, PdfValue>;
}

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set('()<>[]{}/%'.split('').map((c) => c.charCodeAt(0)));

export class PdfReader {
  readonly buf: Buffer;
  private readonly objects = new Map<number, number>();

  constructor(buf: Buffer) {
    this.buf = buf;
    // The last definition of an object number wins, as with incremental updates.
    const text = buf.toString('latin1');
    const re = /(?:^|[\r\n\s])(\d+)\s+(\d+)\s+obj\b/g;
    for (let m = re.exec(text); m; m = re.exec(text)) this.objects.set(Number(m[1]), m.index + m[0].length);
  }

  /** The last trailer dictionary in the file. */
  trailer(): PdfDict {
    const text = this.buf.toString('latin1');
    const at = text.lastIndexOf('trailer');
    if (at < 0) throw new Error('no trailer (cross-reference streams are not supported)');
    const [value] = this.parseValue(at + 'trailer'.length);
    if (!isDict(value)) throw new Error('trailer is not a dictionary');
    return value;
  }

  resolve(v: PdfValue | undefined): PdfValue | undefined {
    if (v instanceof PdfRef) {
      const at = this.objects.get(v.num);
      if (at === undefined) throw new Error(`object ${v.num} not found`);
      return this.parseValue(at)[0];
    }
    return v;
  }

  dict(v: PdfValue | undefined, what: string): PdfDict {
    const r = this.resolve(v);
    if (!isDict(r)) throw new Error(`${what} is not a dictionary`);
    return r;
  }

  /** The decoded data of a stream object. */
  stream(ref: PdfValue | undefined): Buffer {
    if (!(ref instanceof PdfRef)) throw new Error('stream is not an indirect object');
    const at = this.objects.get(ref.num);
    if (at === undefined) throw new Error(`object ${ref.num} not found`);
    const [dict, end] = this.parseValue(at);
    if (!isDict(dict)) throw new Error('stream without dictionary');
    let p = this.skipWs(end);
    if (this.buf.toString('latin1', p, p + 6) !== 'stream') throw new Error(`object ${ref.num} is not a stream`);
    p += 6;
    if (this.buf[p] === 0x0d) p++;
    if (this.buf[p] === 0x0a) p++;
    const length = this.resolve(dict.entries.get('Length'));
    if (typeof length !== 'number' || length < 0 || p + length > this.buf.length) throw new Error('bad stream length');
    const raw = this.buf.subarray(p, p + length);
    const filter = this.resolve(dict.entries.get('Filter'));
    if (filter === undefined || filter === null) return Buffer.from(raw);
    if (filter === '/FlateDecode' || (Array.isArray(filter) && filter.length === 1 && filter[0] === '/FlateDecode')) return inflateSync(raw);
    throw new Error(`unsupported stream filter ${String(filter)}`);
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

  parseValue(p: number): [PdfValue, number] {
    const b = this.buf;
    p = this.skipWs(p);
    if (p >= b.length) throw new Error('unexpected end of file');
    const c = b[p]!;
    if (c === 0x3c && b[p + 1] === 0x3c) {
      const entries = new Map<string, PdfValue>();
      p += 2;
      for (;;) {
        p = this.skipWs(p);
        if (b[p] === 0x3e && b[p + 1] === 0x3e) return [{ kind: 'dict', entries }, p + 2];
        const [key, afterKey] = this.parseValue(p);
        if (typeof key !== 'string' || !key.startsWith('/')) throw new Error('dictionary key is not a name');
        const [value, afterValue] = this.parseValue(afterKey);
        entries.set(key.slice(1), value);
        p = afterValue;
      }
    }
    if (c === 0x3c) {
      const end = b.indexOf(0x3e, p);
      if (end < 0) throw new Error('unterminated hex string');
      const hex = b.toString('latin1', p + 1, end).replace(/\s+/g, '');
      return [new PdfString(Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex')), end + 1];
    }
    if (c === 0x28) return this.literal(p);
    if (c === 0x5b) {
      const items: PdfValue[] = [];
      p++;
      for (;;) {
        p = this.skipWs(p);
        if (b[p] === 0x5d) return [items, p + 1];
        const [v, next] = this.parseValue(p);
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
    throw new Error(`unexpected token "${tok}" at ${p}`);
  }

  private literal(p: number): [PdfString, number] {
    const b = this.buf;
    const out: number[] = [];
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
      if (c === 0x29 && --depth === 0) return [new PdfString(Buffer.from(out)), p + 1];
      out.push(c);
      p++;
    }
    throw new Error('unterminated string');
  }
}

export function isDict(v: PdfValue | undefined): v is PdfDict {
  return !!v && typeof v === 'object' && !Array.isArray(v) && (v as PdfDict).kind === 'dict';
}
