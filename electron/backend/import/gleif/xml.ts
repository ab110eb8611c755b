// Streaming GLEIF XML reader (saxes): one record at a time, flattened to golden-copy CSV column names.
import { SaxesParser } from 'saxes';
import { StringDecoder } from 'node:string_decoder';
import type { Fact } from '../../../../shared/formats/facts';
import { GleifDataError } from '../../../../shared/formats/gleif/enums';
import type { ParseContext } from '../types';
import { BATCH, type Family } from './families';

import { ExpectedRecords } from './expected';

export async function* parseXml(
  input: AsyncIterable<Buffer>,
  ctx: ParseContext,
  fam: Family,
): AsyncGenerator<Fact[], void, void> {
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

  let batch: Fact[] = [];
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
    const ref = `line ${recLine}`;
    try {
      batch.push(fam.map(get, ref));
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

  for await (const chunk of input) {
    expected.bytes(chunk.length);
    try {
      parser.write(decoder.write(chunk));
    } catch (e) {
      if (e instanceof Error && e.name === 'ImportError') throw e;
      malformed(e);
    }
    flush();
    if (batch.length >= BATCH) {
      const out = batch;
      batch = [];
      yield out;
    }
  }
  try {
    const rest = decoder.end();
    if (rest) parser.write(rest);
    parser.close();
  } catch (e) {
    if (e instanceof Error && e.name === 'ImportError') throw e;
    malformed(e);
  }
  if (!sawRoot) ctx.fail('line 1', `empty file: no <${fam.root}> element`);
  flush();
  expected.end();
  if (batch.length > 0) yield batch;
}
