// "As of date D": whether a link, an undisclosed marker or an entity counts on D is decided by
// its own dates, not by its status today (docs/VERDICT.md §3, "Dates"). A status that says only
// "no longer current" (GLEIF INACTIVE without a period end, a PSC `ceased` flag without
// `ceased_on`) is known from the data date of the source that says so: before that date the
// link may still have been held (it counts as undecided), from that date on it does not count.
import { E_SOLE_PROPRIETOR, E_STATE, F_VOID, LSTATUS, parseDateInt, type OwnershipGraph } from './graph';

/** Does not count on D. */
export const ON_NO = 0;
/** Counts on D. */
export const ON_YES = 1;
/** Known to have ended by the source's data date, end unknown: may or may not have been held on D. */
export const ON_MAYBE = 2;
export type OnDate = typeof ON_NO | typeof ON_YES | typeof ON_MAYBE;

/**
 * The rule itself, on yyyymmdd integers (0 = none). `inactive` = the source calls it no longer
 * current; `dataDate` = the date of the source's data.
 */
export function onDate(inactive: boolean, start: number, end: number, dataDate: number, asOf: number): OnDate {
  if (start !== 0 && start > asOf) return ON_NO;
  if (end !== 0) return end >= asOf ? ON_YES : ON_NO;
  if (!inactive) return ON_YES;
  return dataDate !== 0 && asOf < dataDate ? ON_MAYBE : ON_NO;
}

/** Did graph entity i exist on D (founded on or before it, not dissolved before it)? */
export function existsOn(g: OwnershipGraph, i: number, asOf: number): boolean {
  const s = g.entityStart[i]!;
  if (s !== 0 && s > asOf) return false;
  const e = g.entityEnd[i]!;
  return e === 0 || e >= asOf;
}

/** Graph link k on D: its own dates and status, its source's data date, and both ends existing. */
export function linkOnDate(g: OwnershipGraph, k: number, asOf: number): OnDate {
  const L = g.links;
  if (L.flags[k]! & F_VOID) return ON_NO;
  if (!existsOn(g, L.owner[k]!, asOf) || !existsOn(g, L.owned[k]!, asOf)) return ON_NO;
  return onDate(L.status[k] === LSTATUS.inactive, L.start[k]!, L.end[k]!, g.sources.dataDateInt[L.source[k]!]!, asOf);
}

/**
 * A marker on D. A marker that may have ended (status-only, before the data date) still counts:
 * counting it can only widen what is undisclosed, which is the undecided reading.
 */
export function markerOnDate(
  m: { status: string; startDate?: string | null; endDate?: string | null; source?: { dataDate?: string | null } },
  asOf: number,
): OnDate {
  return onDate(
    m.status === 'inactive',
    parseDateInt(m.startDate, 'start'),
    parseDateInt(m.endDate, 'end'),
    parseDateInt(m.source?.dataDate, 'start'),
    asOf,
  );
}

export function isState(g: OwnershipGraph, i: number): boolean {
  return (g.entityFlags[i]! & E_STATE) !== 0;
}

export function isSoleProprietor(g: OwnershipGraph, i: number): boolean {
  return (g.entityFlags[i]! & E_SOLE_PROPRIETOR) !== 0;
}

/** yyyymmdd → YYYY-MM-DD */
export function dateText(d: number): string {
  const s = String(d).padStart(8, '0');
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** What "as of D" means, in the words the CLI, the UI and the signed report all print. */
export function asOfMeaning(asOf: string): string {
  return `As of ${asOf}: a link, an undisclosed-ownership marker or an entity counts when its own dates cover ${asOf}, whatever its status today; one known to have ended without an end date counts as undecided before the data date of the source that says so, and not from then on.`;
}
