// Investigator-asserted facts (issue 14): what the CLI, the API and the app's form accept, pure
// (no node, no SQL) so the renderer validates the form with the same rules as the backend.
import { percentToUnits, type ShareInterval } from './model';

export const ASSERTED_ENTITY_KINDS = ['company', 'person', 'state', 'state-body', 'fund'] as const;
export const ASSERTED_LINK_KINDS = ['shares', 'votes', 'control'] as const;
export const ASSERTED_ROLES = ['headquarters', 'jurisdiction', 'legal-address', 'residence', 'nationality'] as const;

/** The source kind asserted facts carry everywhere they are shown ("investigator assertion"). */
export const ASSERTION_SOURCE_LABEL = 'investigator assertion';

/**
 * Reads a share as an investigator writes it: `60`, `60%`, `25-50` (closed at both ends) or
 * interval notation `(25,50]`, `[25%, 50%)`. Returns the interval in share units, or an error
 * message saying what is wrong.
 */
export function parseShare(text: string): { share: ShareInterval } | { error: string } {
  const t = text.trim();
  const pct = (s: string): number | null => percentToUnits(s.trim().replace(/%$/, ''));
  const bad = (why: string) => ({ error: `"${text}" is not a share: ${why} (write 60, 60%, 25-50 or (25,50])` });
  if (t === '') return bad('it is empty');
  const interval = /^([[(])\s*([^,]+?)\s*,\s*([^\])]+?)\s*([\])])$/.exec(t);
  let lo: number | null, hi: number | null, loOpen = false, hiOpen = false;
  if (interval) {
    lo = pct(interval[2]!);
    hi = pct(interval[3]!);
    loOpen = interval[1] === '(';
    hiOpen = interval[4] === ')';
  } else if (/^[^-]+-[^-]+$/.test(t)) {
    const [a, b] = t.split('-');
    lo = pct(a!);
    hi = pct(b!);
  } else {
    lo = hi = pct(t);
  }
  if (lo === null || hi === null) return bad('each bound must be a percent from 0 to 100 with at most 4 decimals');
  if (lo > hi) return bad('the lower bound is above the upper bound');
  if (lo === hi && (loOpen || hiOpen)) return bad('an interval with equal bounds must be closed');
  return { share: { lo, loOpen, hi, hiOpen } };
}

/** A country code as the assertion forms take it: ISO 3166-1 alpha-2, optionally a subdivision. */
export function normalizeCountry(text: string): string | null {
  const up = text.trim().toUpperCase();
  return /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(up) ? up : null;
}

/** "data alone: INDETERMINATE; with 2 assertions: RESTRICTED" */
export function assertionSummary(withoutAssertions: string, withAssertions: string, count: number): string {
  return `data alone: ${withoutAssertions.toUpperCase()}; with ${count} assertion${count === 1 ? '' : 's'}: ${withAssertions.toUpperCase()}`;
}
