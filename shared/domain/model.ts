// The normalized, source-agnostic ownership model shared by importers, the store, the engine
// and the UI. Every source format is mapped onto these types (see shared/formats/).

export const ENTITY_KINDS = ['company', 'person', 'branch', 'fund', 'state-body', 'unknown'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export const COUNTRY_ROLES = ['headquarters', 'jurisdiction', 'legal-address', 'residence', 'nationality'] as const;
export type CountryRole = (typeof COUNTRY_ROLES)[number];

export const LINK_KINDS = ['shares', 'votes', 'control', 'branch', 'fund-management', 'other'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** Why a `control` link gives control; `consolidation` matters for consolidationImpliesMajority. */
export const CONTROL_BASES = ['consolidation', 'board', 'influence', 'other'] as const;
export type ControlBasis = (typeof CONTROL_BASES)[number];

export const LINK_STATUSES = ['active', 'inactive', 'unknown'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

/**
 * Shares are integers in "share units": 1 percent = 10,000 units, 100% = 1,000,000 units.
 * Integers keep threshold comparisons exact (no 0.1 + 0.2 surprises) and represent any
 * figure a registry states to 4 decimals of a percent.
 */
export const UNITS_PER_PERCENT = 10_000;
export const FULL_SHARE = 100 * UNITS_PER_PERCENT;

/** An interval of share units with open or closed ends. `(25, 50]` = {lo:250000, loOpen:true, hi:500000, hiOpen:false}. */
export interface ShareInterval {
  lo: number;
  loOpen: boolean;
  hi: number;
  hiOpen: boolean;
}

export const UNKNOWN_SHARE: ShareInterval = { lo: 0, loOpen: false, hi: FULL_SHARE, hiOpen: false };

/** Undisclosed-ownership markers: "no parent by definition" is not a gap, "withheld"/"unknown" are. */
export const UNDISCLOSED_CATEGORIES = ['no-parent', 'withheld', 'unknown'] as const;
export type UndisclosedCategory = (typeof UNDISCLOSED_CATEGORIES)[number];

/** Converts a decimal percent string ("50", "33.3333", "100.00") to share units exactly, or null. */
export function percentToUnits(text: string): number | null {
  const m = /^\s*(\d{1,3})(?:\.(\d+))?\s*$/.exec(text);
  if (!m) return null;
  const whole = Number(m[1]);
  const frac = (m[2] ?? '').padEnd(4, '0');
  // Round half up on the 5th decimal so "33.33335" does not silently truncate.
  let units = whole * UNITS_PER_PERCENT + Number(frac.slice(0, 4));
  if (frac.length > 4 && Number(frac[4]) >= 5) units += 1;
  if (units > FULL_SHARE) return null;
  return units;
}

export function unitsToPercent(units: number): number {
  return units / UNITS_PER_PERCENT;
}

export function exactShare(units: number): ShareInterval {
  return { lo: units, loOpen: false, hi: units, hiOpen: false };
}

/** Formats an interval as a human reads it: "50%", "(25%, 50%]", "unknown". */
export function formatShare(s: ShareInterval | null): string {
  if (!s) return 'unknown';
  const p = (u: number) => `${Number(unitsToPercent(u).toFixed(4))}%`;
  if (s.lo === s.hi && !s.loOpen && !s.hiOpen) return p(s.lo);
  if (s.lo === 0 && s.hi === FULL_SHARE && !s.loOpen && !s.hiOpen) return 'unknown';
  return `${s.loOpen ? '(' : '['}${p(s.lo)}, ${p(s.hi)}${s.hiOpen ? ')' : ']'}`;
}
