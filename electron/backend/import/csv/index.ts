// Plain CSV for in-house data: `csv-entities`, `csv-links` and `csv-undisclosed`, detected by their header.
import Papa from 'papaparse';
import { Readable } from 'node:stream';
import type { Fact } from '../../../../shared/formats/facts';
import { CsvDataError, ENTITY_COLUMNS, LINK_COLUMNS, UNDISCLOSED_COLUMNS, mapEntityRow, mapLinkRow, mapUndisclosedRow } from '../../../../shared/formats/csv/map';
import { Batch, Warnings } from '../bods/json-stream';
import type { FormatId, FormatModule, ParseContext } from '../types';

function headerOf(head: string): string[] {
  const first = head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return first.split(/[,;\t]/).map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase());
}

/**
 * Undoes the formula escape of Ownerscope's own CSV writer (files/csv.ts): a cell it wrote as
 * "'-iBI6…" (a leading ' before =, +, -, @, tab or CR, so that a spreadsheet shows text) is read
 * as "-iBI6…", so that an export imports back to the same references. A real value that starts
 * with an apostrophe followed by one of those characters is not known in registry data.
 */
function unescapeFormula(cell: string | undefined): string | undefined {
  return cell !== undefined && cell.length > 1 && cell[0] === "'" && /[=+\-@\t\r]/.test(cell[1]!) ? cell.slice(1) : cell;
}

async function* rows(input: AsyncIterable<Buffer>, ctx: ParseContext, known: readonly string[], required: string[]) {
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: false, skipEmptyLines: 'greedy' }) as unknown as NodeJS.ReadWriteStream;
  const source = Readable.from(input);
  source.on('error', (e) => (parser as unknown as Readable).destroy(e));
  source.pipe(parser);
  let header: string[] | null = null;
  let n = 0;
  for await (const raw of parser as unknown as AsyncIterable<string[]>) {
    n++;
    if (!header) {
      header = raw.map((h) => h.trim().replace(/^\uFEFF/, '').toLowerCase());
      const missing = required.filter((r) => !header!.includes(r));
      if (missing.length) ctx.fail('row 1 (header)', `missing column(s) ${missing.join(', ')}; expected columns: ${known.join(', ')}`);
      const unknown = header.filter((h) => h && !known.includes(h));
      if (unknown.length) ctx.warn?.('row 1 (header)', `unknown column(s) ignored: ${unknown.join(', ')}`);
      continue;
    }
    if (raw.length !== header.length) {
      ctx.fail(`row ${n}`, `${raw.length} fields but the header has ${header.length} (truncated file or a stray delimiter?)`);
    }
    const row: Record<string, string | undefined> = {};
    header.forEach((h, i) => (row[h] = unescapeFormula(raw[i])));
    yield { row, n };
  }
  if (!header) ctx.fail('row 1', 'empty file: no header');
}

function csvModule(id: FormatId, label: string, test: (h: string[]) => boolean, known: readonly string[], required: string[], map: 'entities' | 'links' | 'undisclosed'): FormatModule {
  return {
    id,
    label,
    sniff: (head) => test(headerOf(head)),
    async *parse(input, ctx) {
      const batch = new Batch<Fact>();
      const warnings = new Warnings(ctx);
      for await (const { row, n } of rows(input, ctx, known, required)) {
        const where = `row ${n}`;
        try {
          batch.push(map === 'entities' ? mapEntityRow(row, where, (p) => warnings.add(where, p)) : map === 'links' ? mapLinkRow(row, where) : mapUndisclosedRow(row, where));
        } catch (e) {
          if (e instanceof CsvDataError) ctx.fail(where, e.problem);
          throw e;
        }
        ctx.countRecords(1);
        if (batch.full) yield batch.take();
      }
      if (batch.length) yield batch.take();
      warnings.flush();
    },
  };
}

export const csvEntitiesFormat = csvModule(
  'csv-entities', 'In-house entities (CSV)', (h) => h.includes('id') && h.includes('name') && !h.includes('owner_ref') && !h.includes('lei'),
  ENTITY_COLUMNS, ['id', 'name'], 'entities',
);
export const csvLinksFormat = csvModule(
  'csv-links', 'In-house ownership links (CSV)', (h) => h.includes('owner_ref') && h.includes('owned_ref'), LINK_COLUMNS, ['owner_ref', 'owned_ref'], 'links',
);
export const csvUndisclosedFormat = csvModule(
  'csv-undisclosed', 'In-house undisclosed-ownership markers (CSV)', (h) => h.includes('entity_ref') && h.includes('category'), UNDISCLOSED_COLUMNS, ['entity_ref', 'category'], 'undisclosed',
);
export const csvFormats = [csvEntitiesFormat, csvLinksFormat, csvUndisclosedFormat];
