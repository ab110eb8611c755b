// Streaming golden-copy JSON reader: a byte-level splitter finds each element of the top-level
// "records" array without parsing the file; each record (a few KiB) is then JSON.parse'd and
// flattened to golden-copy CSV column names.
import type { Fact } from '../../../../shared/formats/facts';
import { GleifDataError } from '../../../../shared/formats/gleif/enums';
import type { ParseContext } from '../types';
import { BATCH, dataDateFromFileName, type Family } from './families';

// JSON's structural bytes (also used by the API reader, api.ts)
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;

function stripPrefix(k: string): string {
  const i = k.indexOf(':');
  return i < 0 ? k : k.slice(i + 1);
}

/** LEI-CDF records nest about 6 levels deep; a hostile record could nest deep enough to overflow the stack. */
export const MAX_JSON_DEPTH = 64;

/** Flattens `{"Entity":{"LegalName":{"@xml:lang":"en","$":"X"}}}` to `Entity.LegalName` / `Entity.LegalName.xmllang`. */
export function flattenJson(fam: Family, value: unknown, prefix: string, parentLocal: string, out: Record<string, string>, depth = 0): void {
  if (depth > MAX_JSON_DEPTH) {
    const under = prefix.split('.').slice(0, 2).join('.');
    throw new GleifDataError(`${under ? `a value under ${under}` : 'the record'} is nested more than ${MAX_JSON_DEPTH} levels deep: not a golden-copy record`);
  }
  if (value === null || typeof value !== 'object') {
    if (value !== null && value !== undefined && prefix !== '') {
      const s = String(value).trim();
      if (s !== '') out[prefix] = s;
    }
    return;
  }
  const o = value as Record<string, unknown>;
  for (const k in o) {
    const v = o[k];
    if (k === '$') {
      flattenJson(fam, v, prefix, parentLocal, out, depth + 1);
      continue;
    }
    if (k.charCodeAt(0) === 64 /* @ */) {
      const a = k === '@xml:lang' ? 'xmllang' : k.slice(1);
      if (v !== null && v !== undefined) out[prefix === '' ? a : `${prefix}.${a}`] = String(v);
      continue;
    }
    const localName = stripPrefix(k);
    if (fam.skip.has(localName)) continue;
    const seg = fam.segment(localName, parentLocal);
    const key = seg === '' ? prefix : prefix === '' ? seg : `${prefix}.${seg}`;
    if (Array.isArray(v)) {
      if (seg === '') {
        for (const item of v) flattenJson(fam, item, key, localName, out, depth + 1);
      } else {
        for (let i = 0; i < v.length; i++) flattenJson(fam, v[i], `${key}.${i + 1}`, localName, out, depth + 1);
      }
    } else if (seg !== '' && fam.repeatable.has(key)) {
      // Older golden-copy JSON wrote a single repeated element as an object, not a one-element array.
      flattenJson(fam, v, `${key}.1`, localName, out, depth + 1);
    } else {
      flattenJson(fam, v, key, localName, out, depth + 1);
    }
  }
}

export async function* parseJson(input: AsyncIterable<Buffer>, ctx: ParseContext, fam: Family): AsyncGenerator<Fact[], void, void> {
  const fromName = dataDateFromFileName(ctx.fileName);
  if (fromName) ctx.setDataDate(fromName);
  let depth = 0;
  let inString = false;
  let escape = false;
  let started = false;
  let recordsDepth = -1; // depth inside the "records" array
  let sawRecords = false;
  let keyParts = '';
  let keyStart = -1;
  let lastKey = '';
  let recParts: Buffer[] = [];
  let recStart = -1;
  let recordNo = 0;
  let line = 1;
  let batch: Fact[] = [];
  let obj: Record<string, string> = Object.create(null);
  const get = (k: string): string | undefined => obj[k];

  const finishRecord = (bytes: Buffer) => {
    recordNo++;
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      ctx.fail(`record ${recordNo} (line ${line})`, `malformed JSON: ${(e as Error).message}`);
    }
    obj = Object.create(null);
    const ref = `record ${recordNo}`;
    try {
      flattenJson(fam, parsed, '', '', obj);
    } catch (e) {
      if (e instanceof GleifDataError) ctx.fail(`${ref} (line ${line})`, e.problem);
      throw e;
    }
    const lei = obj['LEI'];
    try {
      batch.push(fam.map(get, ref));
    } catch (e) {
      if (e instanceof GleifDataError) ctx.fail(`record ${recordNo}${lei ? ` (LEI ${lei})` : ''}`, e.problem);
      throw e;
    }
  };

  for await (const chunk of input) {
    const before = recordNo;
    const len = chunk.length;
    for (let i = 0; i < len; i++) {
      const c = chunk[i]!;
      if (inString) {
        if (escape) escape = false;
        else if (c === BACKSLASH) escape = true;
        else if (c === QUOTE) {
          inString = false;
          if (keyStart >= 0) {
            lastKey = keyParts + chunk.toString('latin1', keyStart, i);
            keyStart = -1;
            keyParts = '';
          }
        }
        continue;
      }
      switch (c) {
        case QUOTE:
          if (depth === recordsDepth) ctx.fail(`record ${recordNo + 1} (line ${line})`, 'an element of "records" is not an object');
          inString = true;
          if (depth === 1) keyStart = i + 1;
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          if (!started) {
            if (c !== OPEN_BRACE) ctx.fail(`line ${line}`, 'not a GLEIF golden-copy JSON file: expected an object {"records": [...]}');
            started = true;
          } else if (depth === recordsDepth) {
            if (c !== OPEN_BRACE) ctx.fail(`record ${recordNo + 1} (line ${line})`, 'an element of "records" is not an object');
            recStart = i;
          } else if (depth === 1 && c === OPEN_BRACKET && lastKey === 'records') {
            recordsDepth = 2;
            sawRecords = true;
          }
          depth++;
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          depth--;
          if (depth < 0) ctx.fail(`line ${line}`, 'malformed JSON: unbalanced brackets');
          if (depth === recordsDepth && recStart >= 0) {
            const piece = chunk.subarray(recStart, i + 1);
            recParts.push(piece);
            finishRecord(recParts.length === 1 ? piece : Buffer.concat(recParts));
            recParts = [];
            recStart = -1;
          } else if (depth === 1 && recordsDepth === 2) {
            recordsDepth = -1;
          }
          break;
        case 0x0a:
          line++;
          break;
        case 0x20:
        case 0x09:
        case 0x0d:
        case 0x2c:
        case 0x3a:
          break;
        default:
          if (!started) ctx.fail(`line ${line}`, 'not a GLEIF golden-copy JSON file: expected an object {"records": [...]}');
          if (depth === recordsDepth) ctx.fail(`record ${recordNo + 1} (line ${line})`, 'an element of "records" is not an object');
      }
    }
    if (recStart >= 0) {
      recParts.push(Buffer.from(chunk.subarray(recStart)));
      recStart = 0;
    }
    if (inString && keyStart >= 0) {
      keyParts += chunk.toString('latin1', keyStart);
      keyStart = 0;
    }
    if (recordNo > before) ctx.countRecords(recordNo - before);
    if (batch.length >= BATCH) {
      const out = batch;
      batch = [];
      yield out;
    }
  }
  if (!started) ctx.fail('line 1', 'empty file: not a GLEIF golden-copy JSON file');
  if (depth !== 0 || inString) ctx.fail(`line ${line}`, `truncated JSON: the file ends inside ${recordsDepth > 0 && depth >= 2 ? `record ${recordNo + 1}` : 'the top-level object'}`);
  if (!sawRecords) ctx.fail(`line ${line}`, 'not a GLEIF golden-copy JSON file: no top-level "records" array');
  if (batch.length > 0) yield batch;
}
