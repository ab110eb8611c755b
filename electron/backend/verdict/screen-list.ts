// Portfolio lists for batch screening: a CSV with a column of references or names. Names are
// matched through search; a name that matches several entities is reported as ambiguous, never
// guessed.
import path from 'node:path';
import { MAX_BYTES, readRegularFile } from '../files/safe-path';
import Papa from 'papaparse';
import type { Db } from '../store/db';
import { RefError, resolveRef, searchEntities } from '../store/queries';
import { queryKey } from '../store/search-index';

export interface ListRow {
  /** the row number in the file (the header is row 1) */
  row: number;
  input: string;
  id: number | null;
  /** invalid: the row names no subject (the reason is in `note`); it still gets an output row */
  match: 'ref' | 'name' | 'ambiguous' | 'not-found' | 'invalid';
  note: string;
  /** For an ambiguous row: the entities it may name, for the investigator to choose from. */
  candidates?: { id: number; name: string; identifiers: string[] }[];
}

const REF_COLUMNS = ['ref', 'lei', 'id', 'identifier', 'reference'];
const NAME_COLUMNS = ['name', 'company', 'entity', 'subject'];

/**
 * Reads the portfolio list, one output row per input row, in input order (a row is never
 * dropped: one that names nothing is `invalid`). With both a reference column (ref/lei/id/…)
 * and a name column (name/company/…), the reference is used where present and the name
 * otherwise; without a known header the first column is read.
 */
export function readList(db: Db, file: string): ListRow[] {
  const text = readRegularFile(file, MAX_BYTES.list, 'list').toString('utf8').replace(/^\uFEFF/, '');
  // only truly empty lines are not rows (a trailing newline); a row of empty cells is one
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  // a one-column list has no delimiter to detect: that is not an error
  const errors = parsed.errors.filter((e) => e.code !== 'UndetectableDelimiter');
  if (errors.length) {
    const e = errors[0]!;
    throw new Error(`${path.basename(file)}: line ${(e.row ?? 0) + 1}: ${e.message}`);
  }
  const rows = parsed.data;
  if (rows.length === 0) throw new Error(`${path.basename(file)}: the list is empty`);
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const refCol = header.findIndex((h) => REF_COLUMNS.includes(h));
  const nameCol = header.findIndex((h) => NAME_COLUMNS.includes(h));
  const hasHeader = refCol >= 0 || nameCol >= 0;
  const out: ListRow[] = [];
  rows.slice(hasHeader ? 1 : 0).forEach((r, i) => {
    const row = i + (hasHeader ? 2 : 1);
    const ref = hasHeader ? (refCol >= 0 ? (r[refCol] ?? '').trim() : '') : (r[0] ?? '').trim();
    const name = nameCol >= 0 ? (r[nameCol] ?? '').trim() : '';
    if (ref) out.push({ row, ...byRef(db, ref) });
    // a lone name column may hold references too (a list of LEIs headed "name")
    else if (name) out.push({ row, ...(refCol >= 0 ? byName(db, name) : byRef(db, name)) });
    else out.push({ row, input: '', id: null, match: 'invalid', note: `row ${row} names neither a reference nor a name` });
  });
  return out;
}

function byRef(db: Db, input: string): Omit<ListRow, 'row'> {
  try {
    return { input, id: resolveRef(db, input), match: 'ref', note: '' };
  } catch (e) {
    if (!(e instanceof RefError)) throw e;
    // an identifier that is not in the case is not searched as a name
    if (/^[a-z][a-z0-9_.-]*:/i.test(input)) return { input, id: null, match: 'not-found', note: e.message };
  }
  return byName(db, input);
}

function byName(db: Db, input: string): Omit<ListRow, 'row'> {
  const hits = searchEntities(db, input, 20);
  const key = queryKey(input);
  // the name as written, or its transliteration ("OOO Gazprom" for "ООО Газпром")
  const exact = hits.filter((h) => h.how !== 'similar' && (queryKey(h.matched) === key || queryKey(h.name) === key));
  // one entity containing the name is taken; a similar spelling (a typo?) never is: it is offered
  const plain = hits.filter((h) => h.how !== 'similar');
  const chosen = exact.length === 1 ? exact : exact.length === 0 && plain.length === 1 && hits.length === 1 ? plain : null;
  if (chosen) return { input, id: chosen[0]!.id, match: 'name', note: `matched "${chosen[0]!.matched}"` };
  if (hits.length === 0) return { input, id: null, match: 'not-found', note: 'no entity matches this name' };
  const c = exact.length ? exact : hits;
  return {
    input, id: null, match: 'ambiguous',
    note: `ambiguous name: ${c.length} candidates (${c.slice(0, 5).map((h) => `#${h.id} ${h.name}`).join('; ')})`,
    candidates: c.map((h) => ({ id: h.id, name: h.name, identifiers: h.identifiers })),
  };
}
