// Investigator-asserted facts (issue 14): what the CLI, the API and the app's form accept, pure
// (no node, no SQL) so the renderer validates the form with the same rules as the backend.
import { percentToUnits, unitsToPercent, type ControlBasis, type CountryRole, type ShareInterval } from './model';
import { DERIVED_TOPICS } from './engine/lists';

export const ASSERTED_ENTITY_KINDS = ['company', 'person', 'state', 'state-body', 'fund'] as const;
export const ASSERTED_LINK_KINDS = ['shares', 'votes', 'control'] as const;
export const ASSERTED_ROLES = ['headquarters', 'jurisdiction', 'legal-address', 'residence', 'nationality'] as const;

/**
 * The topic `assert listed` gives a listing when none is named: the one the listed-party presets
 * ofac-50, eu-50 and uk-ofsi read (restrictTopics). The BIS Entity List's is `export.control`.
 */
export const DEFAULT_LISTED_TOPIC = 'sanction';
/** The topics the shipped presets read, offered first by the app's form (any other may be typed). */
export const PRESET_TOPICS = ['sanction', 'export.control'] as const;
const MAX_TOPIC = 100;
export const MAX_TOPICS = 20;

/**
 * Checks one topic of an asserted listing. Policies match topics exactly (`restrictTopics`), so the
 * text is kept as written, only trimmed; OpenSanctions' derived topics (`sanction.linked`, …) are
 * conclusions, never origins, and asserting one would change nothing: refused with the reason.
 */
export function checkTopic(text: string): { topic: string } | { error: string } {
  const t = text.trim();
  if (t === '') return { error: 'a topic must not be empty (e.g. sanction, export.control)' };
  if (t.length > MAX_TOPIC || !/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(t)) {
    return { error: `"${text.slice(0, MAX_TOPIC)}" is not a topic: letters, digits and . _ : - only, at most ${MAX_TOPIC} characters (e.g. sanction, export.control)` };
  }
  if (t in DERIVED_TOPICS) return { error: `"${t}" (${DERIVED_TOPICS[t]}) is a derived topic, never an origin: assert the listing it derives from (e.g. sanction) or the link` };
  return { topic: t };
}

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

/** An interval in the SHARE syntax parseShare reads back: `60`, `(25,50]`. */
export function shareText(s: ShareInterval): string {
  const p = (u: number) => String(Number(unitsToPercent(u).toFixed(4)));
  if (s.lo === s.hi && !s.loOpen && !s.hiOpen) return p(s.lo);
  return `${s.loOpen ? '(' : '['}${p(s.lo)},${p(s.hi)}${s.hiOpen ? ')' : ']'}`;
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

// The facts as stored (assertions.content) and as the API returns them.
export type AssertionFactKind = 'link' | 'location' | 'entity' | 'kind' | 'listed';
/** The kinds an investigator can give an entity; `state` is a state (no owners, located in itself). */
export type AssertedEntityKind = 'company' | 'person' | 'state' | 'state-body' | 'fund';

export interface LinkFact {
  fact: 'link';
  ownerId: number;
  ownedId: number;
  kind: 'shares' | 'votes' | 'control';
  controlBasis: ControlBasis | null;
  share: ShareInterval | null;
  /** the share as the investigator wrote it ("60%", "(25,50]") */
  stated: string;
  startDate: string | null;
  endDate: string | null;
}
export interface LocationFact {
  fact: 'location';
  entityId: number;
  role: CountryRole;
  code: string;
}
export interface EntityFact {
  fact: 'entity';
  name: string;
  kind: AssertedEntityKind;
  identifiers: { scheme: string; value: string }[];
  country: string | null;
}
export interface KindFact {
  fact: 'kind';
  entityId: number;
  kind: AssertedEntityKind;
}
export interface ListedFact {
  fact: 'listed';
  entityId: number;
  /** the topics the listing adds (e.g. "sanction"), matched by policy restrictTopics */
  topics: string[];
  /** the list the party is on, as the document names it */
  list: string;
}
export type AssertedFact = LinkFact | LocationFact | EntityFact | KindFact | ListedFact;
