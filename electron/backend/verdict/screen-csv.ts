// A screening's rows and the columns of its CSV: one definition for `ownerscope screen --out`
// and the app's export (screen.export), so both write the same columns from the same rows.
import type { ScreenBounds, ScreenCounts, ScreenRow, ScreenVerdict } from '../../../shared/api/types';
import { formatBounds, type ScreeningResult, type ShareBounds } from '../../../shared/domain/engine';
import { createWriteStream } from 'node:fs';
import { csvLine, type CsvCell } from '../files/csv';
import type { ListRow } from './screen-list';

/** What every row of one screening shares: the policy and the data it was computed on. */
export interface ScreenContext {
  policyName: string;
  policySha256: string;
  asOf: string;
  /** The sources' data dates (dataDateText). */
  dataDate: string;
}

const bound = (b: ScreenBounds | null, k: keyof ScreenBounds): CsvCell => (b ? b[k] : '');

/** The CSV columns, in order: a name and how a row fills it. */
export const SCREEN_COLUMN_DEFS: readonly { name: string; cell: (r: ScreenRow, c: ScreenContext) => CsvCell }[] = [
  { name: 'row', cell: (r) => r.line ?? '' },
  { name: 'input', cell: (r) => r.input },
  { name: 'match', cell: (r) => r.match },
  { name: 'id', cell: (r) => r.entityId ?? '' },
  { name: 'name', cell: (r) => (r.entityId === null ? '' : r.name) },
  { name: 'identifiers', cell: (r) => r.identifiers.join(' ') },
  { name: 'verdict', cell: (r) => (r.entityId === null ? '' : r.verdict) },
  { name: 'control_verdict', cell: (r) => r.control ?? '' },
  { name: 'control_min', cell: (r) => bound(r.controlBounds, 'min') },
  { name: 'control_min_inclusive', cell: (r) => bound(r.controlBounds, 'minInclusive') },
  { name: 'control_max', cell: (r) => bound(r.controlBounds, 'max') },
  { name: 'control_max_inclusive', cell: (r) => bound(r.controlBounds, 'maxInclusive') },
  { name: 'lookthrough_verdict', cell: (r) => r.lookThrough ?? '' },
  { name: 'lookthrough_min', cell: (r) => bound(r.lookThroughBounds, 'min') },
  { name: 'lookthrough_min_inclusive', cell: (r) => bound(r.lookThroughBounds, 'minInclusive') },
  { name: 'lookthrough_max', cell: (r) => bound(r.lookThroughBounds, 'max') },
  { name: 'lookthrough_max_inclusive', cell: (r) => bound(r.lookThroughBounds, 'maxInclusive') },
  { name: 'reason', cell: (r) => r.reason },
  { name: 'policy', cell: (_r, c) => c.policyName },
  { name: 'policy_sha256', cell: (_r, c) => c.policySha256 },
  { name: 'as_of', cell: (_r, c) => c.asOf },
  { name: 'data_date', cell: (_r, c) => c.dataDate },
];

export const SCREEN_COLUMNS = SCREEN_COLUMN_DEFS.map((c) => c.name);

/** The cells of one row, in SCREEN_COLUMNS order. */
export function screenCells(r: ScreenRow, c: ScreenContext): CsvCell[] {
  return SCREEN_COLUMN_DEFS.map((d) => d.cell(r, c));
}

/** "2023-06-05", or the first and last of several dates as an ISO 8601 interval; '' when none is known. */
export function dataDateText(dates: readonly (string | null)[]): string {
  const known = [...new Set(dates.filter((d): d is string => Boolean(d)).map((d) => d.slice(0, 10)))].sort();
  if (known.length === 0) return '';
  return known.length === 1 ? known[0]! : `${known[0]}/${known[known.length - 1]}`;
}

const bounds = (s: ShareBounds): ScreenBounds => ({ min: s.min, minInclusive: s.minInclusive, max: s.max, maxInclusive: s.maxInclusive });

/** The row of a screened subject (graph index `gi` of the result). */
export function screenedRow(result: ScreeningResult, index: number, line: number | null, input: string, match: ScreenRow['match'], gi: number): ScreenRow {
  const g = result.graph;
  const e = result.entry(gi);
  return {
    index, line, input, match, ref: input || String(e.id), name: e.name, entityId: e.id,
    identifiers: g.idents.slice(g.identStart[gi]!, g.identStart[gi + 1]!).slice(0, 3),
    verdict: e.verdict,
    control: e.control.verdict, controlShare: formatBounds(e.control.restrictedShare), controlBounds: bounds(e.control.restrictedShare),
    lookThrough: e.lookThrough.verdict, lookThroughShare: formatBounds(e.lookThrough.restrictedShare), lookThroughBounds: bounds(e.lookThrough.restrictedShare),
    reason: e.reason,
  };
}

/** The row of a list entry that did not resolve to one entity (ambiguous, not found, invalid). */
export function unresolvedRow(index: number, r: ListRow): ScreenRow {
  const verdict: ScreenVerdict = r.match === 'ambiguous' || r.match === 'invalid' ? r.match : 'not-found';
  return {
    index, line: r.row, input: r.input, match: r.match, ref: r.input, name: null, entityId: null, identifiers: [], verdict,
    control: null, controlShare: null, controlBounds: null, lookThrough: null, lookThroughShare: null, lookThroughBounds: null,
    reason: r.note, ...(r.candidates ? { candidates: r.candidates } : {}),
  };
}

export function emptyCounts(): ScreenCounts {
  return { restricted: 0, indeterminate: 0, clear: 0, 'not-found': 0, ambiguous: 0, invalid: 0, error: 0 };
}

/**
 * Writes rows as the screening CSV, streamed (a million rows are never one string); `bom` starts
 * it with a UTF-8 byte order mark, which Excel needs to read UTF-8 names correctly.
 */
/**
 * Writes the screening CSV to a file, or line by line to `target` when it is a function (the
 * command line's standard output for `--out -`).
 */
export async function writeScreenCsv(target: string | ((text: string) => void), rows: Iterable<ScreenRow>, c: ScreenContext, options: { bom: boolean }): Promise<void> {
  if (typeof target === 'function') {
    if (options.bom) target('\uFEFF');
    target(csvLine(SCREEN_COLUMNS));
    for (const r of rows) target(csvLine(screenCells(r, c)));
    return;
  }
  const out = createWriteStream(target);
  const done = new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.on('finish', () => resolve());
  });
  if (options.bom) out.write('\uFEFF');
  out.write(csvLine(SCREEN_COLUMNS));
  for (const r of rows) {
    if (!out.write(csvLine(screenCells(r, c)))) await Promise.race([new Promise<void>((r2) => out.once('drain', () => r2())), done]);
  }
  out.end();
  await done;
}
