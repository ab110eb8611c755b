// Streaming GLEIF XML reader (saxes): one record at a time, flattened to golden-copy CSV column names.
// Before saxes, each record element is cut out of the text (its closing tag found by indexOf) and
// digested: a record a newer golden copy restates byte for byte is confirmed without being parsed
// (import/known.ts); saxes still reads everything else, and a newline for each line of a record it
// does not read, so its line numbers stay those of the file.
import { SaxesParser } from 'saxes';
import { StringDecoder } from 'node:string_decoder';
import type { Fact } from '../../../../shared/formats/facts';
import { GleifDataError } from '../../../../shared/formats/gleif/enums';
import { GLEIF_MAPPER_VERSION } from '../../../../shared/formats/gleif/map';
import { factKey, findKnown, keyHash, KeysSeen, NEW_DIGEST, NO_DIGEST, rawDigest, DIGEST_BYTES, type KnownRecords } from '../known';
import type { ParseContext, RecordBatch } from '../types';
import { BATCH, type Family } from './families';

import { ExpectedRecords } from './expected';

export async function* parseXml(input: AsyncIterable<Buffer>, ctx: ParseContext, fam: Family): AsyncGenerator<Fact[], void, void> {
  for await (const b of parseXmlRecords(input, ctx, fam, null, false)) yield b.facts as Fact[];
}

/** A record element longer than this is handed to saxes as it comes (no GLEIF record is near it). */
const MAX_RECORD_CHARS = 1 << 20;

/**
 * The records of a GLEIF XML file in order: facts, with each record's raw digest (`digests`), and
 * null for a record whose digest is `known` (not parsed: the writer confirms it). A record is
 * digested only where its cut is certain to be one whole record element: it follows a record
 * saxes closed (or one confirmed) with only whitespace between, and holds no comment, CDATA
 * section, processing instruction or carriage return. Any other record is parsed, undigested.
 */
export async function* parseXmlRecords(
  input: AsyncIterable<Buffer>,
  ctx: ParseContext,
  fam: Family,
  known: KnownRecords | null,
  digest = true,
): AsyncGenerator<RecordBatch, void, void> {
  const parser = new SaxesParser<{ position: true; xmlns: false }>({ position: true, xmlns: false });
  const decoder = new StringDecoder('utf8');
  const localNames = new Map<string, string>();
  const local = (q: string): string => {
    let l = localNames.get(q);
    if (l === undefined) {
      const i = q.indexOf(':');
      l = i < 0 ? q : q.slice(i + 1);
      localNames.set(q, l);
    }
    return l;
  };

  let batch: (Fact | null)[] = [];
  let flags: number[] = [];
  let lines: number[] = [];
  let digests: (Buffer | null)[] = [];
  const salt = `ownerscope/gleif-xml/${fam.name}/${GLEIF_MAPPER_VERSION}\n`;
  const seen = known && known.keyHashes.length > 0 ? new KeysSeen() : null;
  /** Records saxes has closed. */
  let completed = 0;
  let depth = 0;
  const names: string[] = [];
  let sawRoot = false;
  // record state
  let recDepth = -1;
  let recLine = 0;
  let obj: Record<string, string> = Object.create(null);
  const keys: string[] = [];
  const counts = new Map<string, number>();
  let skipDepth = -1;
  let text = '';
  let leaf = false;
  const get = (k: string): string | undefined => obj[k];
  let records = 0;
  const expected = new ExpectedRecords(ctx);

  parser.on('opentag', (tag) => {
    const name = local(tag.name);
    depth++;
    names[depth] = name;
    leaf = true;
    text = '';
    if (!sawRoot) {
      sawRoot = true;
      let nsOk = false;
      for (const a in tag.attributes) if (tag.attributes[a] === fam.namespace) nsOk = true;
      if (name !== fam.root || !nsOk) {
        ctx.fail(`line ${parser.line}`, `not a GLEIF ${fam.label} XML file: root element <${tag.name}> (expected <${fam.root}> in namespace ${fam.namespace})`);
      }
      return;
    }
    if (skipDepth >= 0) return;
    if (recDepth < 0) {
      if (name === fam.record) {
        recDepth = depth;
        recLine = markLine;
        obj = Object.create(null);
        counts.clear();
        keys[depth] = '';
      }
      return;
    }
    if (fam.skip.has(name)) {
      skipDepth = depth;
      return;
    }
    const parentKey = keys[depth - 1]!;
    const seg = fam.segment(name, names[depth - 1]!);
    let key = seg === '' ? parentKey : parentKey === '' ? seg : `${parentKey}.${seg}`;
    if (seg !== '' && fam.repeatable.has(key)) {
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      key = `${key}.${n}`;
    }
    keys[depth] = key;
    const attrs = tag.attributes;
    for (const a in attrs) {
      if (a === 'xml:lang') obj[`${key}.xmllang`] = attrs[a]!;
      else if (a === 'type') obj[`${key}.type`] = attrs[a]!;
      else if (!a.startsWith('xmlns') && !a.startsWith('xsi:')) obj[`${key}.${a}`] = attrs[a]!;
    }
  });

  // Line where the markup before the current tag ended = the line a start tag begins on
  // (saxes reports the line where a tag ends; GLEIF records span several lines of attributes).
  let markLine = 1;
  parser.on('text', (t: string) => {
    markLine = parser.line;
    if (leaf) text += t;
  });
  parser.on('cdata', (t: string) => {
    if (leaf) text += t;
  });

  parser.on('closetag', () => {
    markLine = parser.line;
    const wasLeaf = leaf;
    leaf = false;
    const d = depth--;
    if (skipDepth >= 0) {
      if (d === skipDepth) skipDepth = -1;
      return;
    }
    if (recDepth < 0) {
      if (wasLeaf && d >= 2 && names[d - 1] === fam.header) {
        const name = names[d];
        const v = text.trim();
        if (name === 'ContentDate') ctx.setDataDate(v);
        else if (name === 'RecordCount') {
          const n = Number(v);
          if (Number.isInteger(n) && n > 0) expected.announce(n);
        }
      }
      return;
    }
    if (d > recDepth) {
      if (wasLeaf) {
        const v = text.trim();
        if (v !== '') obj[keys[d]!] = v;
      }
      return;
    }
    // d === recDepth: the record is complete.
    recDepth = -1;
    records++;
    completed++;
    const ref = `line ${recLine}`;
    try {
      const fact = fam.map(get, ref);
      batch.push(fact);
      flags.push(NO_DIGEST);
      lines.push(0);
      digests.push(null);
      seen?.add(keyHash(factKey(fact)));
    } catch (e) {
      if (e instanceof GleifDataError) ctx.fail(ref, `record ${records}: ${e.problem}`);
      throw e;
    }
  });

  parser.on('error', (e: Error) => {
    throw e;
  });

  const malformed = (e: unknown): never => {
    if (!sawRoot) ctx.fail('line 1', `empty file: no <${fam.root}> element`);
    const msg = e instanceof Error ? e.message : String(e);
    // saxes messages look like "undefined:12:5: unclosed tag: lei:LEIRecord"
    const m = /^[^:]*:\d+:\d+: (.*)$/s.exec(msg);
    const problem = m ? m[1]! : msg;
    const truncated = /unclosed|unexpected end|text data outside of root node|document must contain a root element/i.test(problem);
    ctx.fail(`line ${parser.line}`, truncated ? `truncated XML (the file ends inside an element): ${problem}` : `malformed XML: ${problem}`);
  };

  const flush = () => {
    if (records > 0) {
      ctx.countRecords(records);
      expected.count(records);
      records = 0;
    }
  };

  // The cutter: `buf` is decoded text not yet given to saxes; `line` is the line of buf[0].
  let buf = '';
  let line = 1;
  let open: string | null = null;
  let close = '';
  const recordStart = new RegExp(`<((?:[A-Za-z_][\\w.-]*:)?${fam.record})[\\s>/]`);
  /** saxes is between records: the last thing it read was a record it closed, or one confirmed. */
  let atLevel = false;
  /** Only whitespace was given to saxes since the last record. */
  let gapClean = true;
  const newlines = (s: string): number => {
    let n = 0;
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
    return n;
  };
  const give = (from: number, to: number) => {
    if (to <= from) return;
    const s = buf.slice(from, to);
    if (gapClean && /[^ \t\n]/.test(s)) gapClean = false;
    line += newlines(s);
    parser.write(s);
  };
  const isNameEnd = (c: number) => c === 0x3e || c === 0x2f || c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
  const record = (rec: string) => {
    const nl = newlines(rec);
    const eligible = digest && atLevel && gapClean && !rec.includes('<!') && !rec.includes('<?') && !rec.includes('\r');
    gapClean = true;
    let d: Buffer | null = null;
    if (eligible) {
      d = rawDigest(salt, rec);
      const k = known ? findKnown(known, d) : -1;
      if (k >= 0 && !seen!.has(known!.keyHashes[k]!)) {
        batch.push(null);
        flags.push(k);
        lines.push(line);
        digests.push(null);
        records++;
        // its lines, then an empty comment: saxes keeps the text between two tags in one string
        // until the next '<', and with every record of a family confirmed that text (the lines
        // of 380,000 records) outgrew the parse worker's heap; the comment ends it
        parser.write(nl > 0 ? `${'\n'.repeat(nl)}<!---->` : '<!---->');
        line += nl;
        return;
      }
    }
    const before = completed;
    const at = depth;
    parser.write(rec);
    line += nl;
    atLevel = completed === before + 1 && depth === at && recDepth < 0;
    if (atLevel && d) {
      flags[flags.length - 1] = NEW_DIGEST;
      digests[digests.length - 1] = d;
    }
  };
  const cut = (final: boolean) => {
    let pos = 0;
    if (open === null) {
      const m = recordStart.exec(buf);
      if (!m) {
        const to = final ? buf.length : Math.max(0, buf.length - 256);
        give(0, to);
        buf = buf.slice(to);
        return;
      }
      open = `<${m[1]}`;
      close = `</${m[1]}>`;
    }
    for (;;) {
      let start = buf.indexOf(open, pos);
      while (start >= 0 && start + open.length < buf.length && !isNameEnd(buf.charCodeAt(start + open.length))) start = buf.indexOf(open, start + 1);
      if (start < 0 || start + open.length >= buf.length) {
        const to = final ? buf.length : start >= 0 ? start : Math.max(pos, buf.length - open.length);
        give(pos, to);
        pos = to;
        break;
      }
      const end = buf.indexOf(close, start);
      if (end < 0) {
        give(pos, start);
        pos = start;
        if (final || buf.length - start > MAX_RECORD_CHARS) {
          // unclosed or huge: saxes reads it as it is (and says what is wrong)
          gapClean = false;
          atLevel = false;
          give(pos, buf.length);
          pos = buf.length;
        }
        break;
      }
      give(pos, start);
      const stop = end + close.length;
      record(buf.slice(start, stop));
      pos = stop;
    }
    buf = pos === 0 ? buf : buf.slice(pos);
  };
  const take = (): RecordBatch => {
    const n = batch.length;
    const out: RecordBatch = { facts: batch, flags: Int32Array.from(flags), lines: Uint32Array.from(lines), digests: new Uint8Array(n * DIGEST_BYTES) };
    for (let i = 0; i < n; i++) if (digests[i]) out.digests.set(digests[i]!, i * DIGEST_BYTES);
    batch = [];
    flags = [];
    lines = [];
    digests = [];
    return out;
  };

  for await (const chunk of input) {
    expected.bytes(chunk.length);
    try {
      buf += decoder.write(chunk);
      cut(false);
    } catch (e) {
      if (e instanceof Error && e.name === 'ImportError') throw e;
      malformed(e);
    }
    flush();
    if (batch.length >= BATCH) yield take();
  }
  try {
    buf += decoder.end();
    cut(true);
    parser.close();
  } catch (e) {
    if (e instanceof Error && e.name === 'ImportError') throw e;
    malformed(e);
  }
  if (!sawRoot) ctx.fail('line 1', `empty file: no <${fam.root}> element`);
  flush();
  expected.end();
  if (batch.length > 0) yield take();
}
