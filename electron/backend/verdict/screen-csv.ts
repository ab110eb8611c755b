// The columns of a screening CSV, the same for `ownerscope screen` and the app's export.
import type { ScreeningEntry, ScreeningResult } from '../../../shared/domain/engine';
import type { CsvCell } from '../files/csv';

export const SCREEN_COLUMNS = [
  'row', 'input', 'match', 'id', 'name', 'identifiers', 'verdict',
  'control_verdict', 'control_min', 'control_min_inclusive', 'control_max', 'control_max_inclusive',
  'lookthrough_verdict', 'lookthrough_min', 'lookthrough_min_inclusive', 'lookthrough_max', 'lookthrough_max_inclusive',
  'reason',
] as const;

/** The cells of a screened subject (graph index `gi` of the result); `row` is its line in the list ('' for --all). */
export function screenedCells(result: ScreeningResult, row: number | '', input: string, match: string, gi: number): CsvCell[] {
  const g = result.graph;
  const e: ScreeningEntry = result.entry(gi);
  const c = e.control.restrictedShare;
  const l = e.lookThrough.restrictedShare;
  return [
    row, input, match, e.id, e.name, g.idents.slice(g.identStart[gi]!, g.identStart[gi + 1]!).slice(0, 3).join(' '), e.verdict,
    e.control.verdict, c.min, c.minInclusive, c.max, c.maxInclusive,
    e.lookThrough.verdict, l.min, l.minInclusive, l.max, l.maxInclusive,
    e.reason,
  ];
}

/** The cells of a list row that did not resolve to one entity (ambiguous, not found, invalid). */
export function unresolvedCells(row: number | '', input: string, match: string, note: string): CsvCell[] {
  return [row, input, match, ...SCREEN_COLUMNS.slice(3, -1).map(() => ''), note];
}
