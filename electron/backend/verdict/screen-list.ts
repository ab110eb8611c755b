// Portfolio lists for batch screening: a CSV with a column of references or names. Names are
// matched through search; a name that matches several entities is reported as ambiguous, never
// guessed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { Db } from '../store/db';
import { RefError, resolveRef, searchEntities } from '../store/queries';

export interface ListRow {
  input: string;
  id: number | null;
  match: 'ref' | 'name' | 'ambiguous' | 'not-found';
  note: string;
}

const REF_COLUMNS = ['ref', 'lei', 'id', 'identifier', 'reference', 'name', 'company', 'entity', 'subject'];

/** Reads the portfolio list: the column named ref/lei/name/... (or the first), one subject per row. */
export function readList(db: Db, file: string): ListRow[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' });
  // a one-column list has no delimiter to detect: that is not an error
  const errors = parsed.errors.filter((e) => e.code !== 'UndetectableDelimiter');
  if (errors.length) {
    const e = errors[0]!;
    throw new Error(`${path.basename(file)}: line ${(e.row ?? 0) + 1}: ${e.message}`);
  }
  const rows = parsed.data;
  if (rows.length === 0) throw new Error(`${path.basename(file)}: the list is empty`);
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  let col = header.findIndex((h) => REF_COLUMNS.includes(h));
  const hasHeader = col >= 0;
  if (!hasHeader) col = 0;
  const out: ListRow[] = [];
  for (const r of rows.slice(hasHeader ? 1 : 0)) {
    const input = (r[col] ?? '').trim();
    if (!input) continue;
    try {
      out.push({ input, id: resolveRef(db, input), match: 'ref', note: '' });
      continue;
    } catch (e) {
      if (!(e instanceof RefError)) throw e;
      if (/^(lei:|gb-coh:|id:)/i.test(input)) {
        out.push({ input, id: null, match: 'not-found', note: e.message });
        continue;
      }
    }
    const hits = searchEntities(db, input, 20);
    const exact = hits.filter((h) => h.matched.toLowerCase() === input.toLowerCase() || h.name.toLowerCase() === input.toLowerCase());
    const chosen = exact.length === 1 ? exact : exact.length === 0 && hits.length === 1 ? hits : null;
    if (chosen) out.push({ input, id: chosen[0]!.id, match: 'name', note: `matched "${chosen[0]!.matched}"` });
    else if (hits.length === 0) out.push({ input, id: null, match: 'not-found', note: 'no entity matches this name' });
    else
      out.push({
        input, id: null, match: 'ambiguous',
        note: `ambiguous name: ${(exact.length ? exact : hits).length} candidates (${(exact.length ? exact : hits).slice(0, 5).map((h) => `#${h.id} ${h.name}`).join('; ')})`,
      });
  }
  return out;
}
