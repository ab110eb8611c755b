// The golden-copy CSV reader as it was before the byte splitter of gleif/csv.ts (commit 8c5cdf2):
// papaparse's row parser fed chunk by chunk. Kept, for the tests only, as the reference the new
// reader must give the same facts as (csv-reader.test.ts).
import Papa from 'papaparse';
import { StringDecoder } from 'node:string_decoder';
import type { Fact } from '../../../shared/formats/facts';
import { mapRow } from '../../../electron/backend/import/gleif/csv';
import type { ParseContext } from '../../../electron/backend/import/types';
import { BATCH, dataDateFromFileName, type Family } from '../../../electron/backend/import/gleif/families';

/** Characters of CSV handed to papaparse at a time (about 150 Level 1 rows). */
const SLICE_CHARS = 64 * 1024;

export async function* parseCsvWithPapaparse(input: AsyncIterable<Buffer>, ctx: ParseContext, fam: Family): AsyncGenerator<Fact[], void, void> {
  const fromName = dataDateFromFileName(ctx.fileName);
  if (fromName) ctx.setDataDate(fromName);
  const decoder = new StringDecoder('utf8');
  let parser: Papa.Parser | null = null;
  let partial = '';
  let line = 0;
  let index: Map<string, number> | null = null;
  let width = 0;
  let row: string[] = [];
  const get = (k: string): string | undefined => {
    const i = index!.get(k);
    if (i === undefined) return undefined;
    const v = row[i];
    return v === '' ? undefined : v;
  };
  let batch: Fact[] = [];

  const header = (cols: string[]) => {
    index = new Map();
    cols.forEach((c, i) => {
      const name = fam.column(c.replace(/^\uFEFF/, '').trim());
      if (index!.has(name)) ctx.fail('line 1', `duplicate column "${name}"`);
      index!.set(name, i);
    });
    width = cols.length;
    const missing = fam.required.filter((r) => !index!.has(r));
    if (missing.length > 0) {
      ctx.fail('line 1', `not a GLEIF ${fam.label} CSV file: missing column(s) ${missing.join(', ')}`);
    }
  };

  const rows = (data: string[][]) => {
    let n = 0;
    for (const r of data) {
      line++;
      if (index === null) {
        header(r);
        continue;
      }
      if (r.length === 1 && r[0] === '') continue; // blank line
      if (r.length !== width) ctx.fail(`line ${line}`, `expected ${width} fields as in the header, found ${r.length}`);
      row = r;
      batch.push(mapRow(fam, get, `line ${line}`, ctx));
      n++;
    }
    if (n > 0) ctx.countRecords(n);
  };

  const parse = (text: string, last: boolean) => {
    const aggregate = partial + text;
    if (parser === null) {
      // Line ending from the header line: GLEIF files use \r\n or \n.
      const nl = aggregate.indexOf('\n');
      if (nl < 0 && !last) {
        partial = aggregate;
        return;
      }
      parser = new Papa.Parser({ delimiter: ',', newline: nl > 0 && aggregate[nl - 1] === '\r' ? '\r\n' : '\n' });
    }
    // Feed whole lines only: a chunk boundary between the \r and \n of a line ending (or right after a
    // closing quote) would otherwise look like a malformed quoted field. A quoted field that spans the
    // cut is left unfinished by papaparse (ignoreLastRow) and carried over.
    let feed = aggregate;
    let rest = '';
    if (!last) {
      const cut = aggregate.lastIndexOf('\n');
      if (cut < 0) {
        partial = aggregate;
        return;
      }
      feed = aggregate.slice(0, cut + 1);
      rest = aggregate.slice(cut + 1);
    }
    const res = parser.parse(feed, 0, !last) as { data: string[][]; errors: { message: string; row?: number }[]; meta: { cursor: number } };
    if (res.errors.length > 0) {
      const e = res.errors[0]!;
      ctx.fail(`line ${line + (e.row ?? 0) + 1}`, `malformed CSV: ${e.message}`);
    }
    partial = last ? '' : feed.substring(res.meta.cursor) + rest;
    rows(res.data);
  };

  for await (const chunk of input) {
    // A Level 1 row has about 200 fields: a whole 1 MiB chunk parsed at once is half a million
    // strings alive together in the parse worker's small heap. Slices of whole lines keep that to
    // a batch's worth (the cut logic above carries a line or quoted field that spans a slice).
    const text = decoder.write(chunk);
    for (let at = 0; at < text.length; at += SLICE_CHARS) {
      parse(text.slice(at, at + SLICE_CHARS), false);
      if (batch.length >= BATCH) {
        const out = batch;
        batch = [];
        yield out;
      }
    }
  }
  parse(decoder.end(), true);
  if (index === null) ctx.fail('line 1', `empty file: no CSV header (expected columns ${fam.required.join(', ')})`);
  if (batch.length > 0) yield batch;
}
