// Policies are data: a preset (a JSON file shipped with the app) plus a user policy object
// that overrides fields of it. resolvePolicy validates everything strictly so a report never
// prints a policy the engine silently read differently.
import { UNITS_PER_PERCENT, percentToUnits } from '../model';
import isoCountries from 'i18n-iso-countries';
import { sha256Hex } from './sha256';
import restrictedRegions from './presets/restricted-regions.json';
import ofac50 from './presets/ofac-50.json';
import eu50 from './presets/eu-50.json';
import ukOfsi from './presets/uk-ofsi.json';
import bisAffiliates from './presets/bis-affiliates.json';

export const PRESET_NAMES = ['restricted-regions', 'ofac-50', 'eu-50', 'uk-ofsi', 'bis-affiliates'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];
export const DEFAULT_PRESET: PresetName = 'restricted-regions';

export const LOCATE_BY = ['headquarters', 'jurisdiction', 'legalAddress'] as const;
export type LocateBy = (typeof LOCATE_BY)[number];
export const LOCATE_PERSONS_BY = ['residence', 'nationality'] as const;
export type LocatePersonsBy = (typeof LOCATE_PERSONS_BY)[number];
export const COMPARISONS = ['gt', 'gte'] as const;
export type Comparison = (typeof COMPARISONS)[number];
export const UNDISCLOSED_READINGS = ['unknown', 'assumeClear'] as const;
export type UndisclosedReading = (typeof UNDISCLOSED_READINGS)[number];
export const METHODS = ['control', 'lookThrough', 'strictest'] as const;
export type Method = (typeof METHODS)[number];

/** The effective policy: every field of RULES.md §2 resolved, plus the preset it was based on. */
export interface EffectivePolicy {
  name: string;
  preset: PresetName;
  restrictedCountries: string[];
  restrictedParties: string[];
  restrictTopics: string[];
  threshold: number;
  comparison: Comparison;
  aggregate: boolean;
  countControl: boolean;
  consolidationImpliesMajority: boolean;
  locateBy: LocateBy[];
  locatePersonsBy: LocatePersonsBy[];
  undisclosed: UndisclosedReading;
  method: Method;
  /** Read investigator-asserted facts (issue 14) besides the registry facts (default true). */
  useAssertions: boolean;
  asOf: string;
}

export type PolicyFields = Omit<EffectivePolicy, 'preset' | 'asOf'>;

/** Thrown for any invalid policy input; `field` names the offending field ("" for the whole object). */
export class PolicyError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(field ? `policy field "${field}": ${message}` : `policy: ${message}`);
    this.name = 'PolicyError';
    this.field = field;
  }
}

const PRESET_DATA: Record<PresetName, unknown> = {
  'restricted-regions': restrictedRegions,
  'ofac-50': ofac50,
  'eu-50': eu50,
  'uk-ofsi': ukOfsi,
  'bis-affiliates': bisAffiliates,
};

const FIELD_NAMES = [
  'name',
  'restrictedCountries',
  'restrictedParties',
  'restrictTopics',
  'threshold',
  'comparison',
  'aggregate',
  'countControl',
  'consolidationImpliesMajority',
  'locateBy',
  'locatePersonsBy',
  'undisclosed',
  'method',
  'useAssertions',
] as const satisfies readonly (keyof PolicyFields)[];

const COUNTRY_RE = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;
/** ISO 3166-1 alpha-2 codes (i18n-iso-countries' list, which includes XK for Kosovo), sorted. */
const ALPHA2 = new Set(Object.keys(isoCountries.getAlpha2Codes()).map((c) => c.toUpperCase()).sort());
const MAX_NAME = 200;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v}"`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function stringList(field: string, v: unknown, check?: (s: string, i: number) => string): string[] {
  if (!Array.isArray(v)) throw new PolicyError(field, `must be an array of strings, got ${describe(v)}`);
  const out = new Set<string>();
  v.forEach((item, i) => {
    if (typeof item !== 'string' || item.trim() === '')
      throw new PolicyError(`${field}[${i}]`, `must be a non-empty string, got ${describe(item)}`);
    out.add(check ? check(item.trim(), i) : item.trim());
  });
  return [...out].sort();
}

function enumList<T extends string>(field: string, v: unknown, allowed: readonly T[]): T[] {
  return stringList(field, v, (s, i) => {
    if (!(allowed as readonly string[]).includes(s))
      throw new PolicyError(`${field}[${i}]`, `"${s}" is not one of ${allowed.join(', ')}`);
    return s;
  }) as T[];
}

function enumValue<T extends string>(field: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw new PolicyError(field, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${describe(v)}`);
  return v as T;
}

function bool(field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new PolicyError(field, `must be true or false, got ${describe(v)}`);
  return v;
}

/** Validates a date "YYYY-MM-DD" that exists in the calendar. */
export function isValidDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[mo - 1]!;
}

function validateField(field: (typeof FIELD_NAMES)[number], v: unknown): PolicyFields[typeof field] {
  switch (field) {
    case 'name':
      if (typeof v !== 'string' || v.trim() === '') throw new PolicyError(field, `must be a non-empty string, got ${describe(v)}`);
      if (v.length > MAX_NAME) throw new PolicyError(field, `must have at most ${MAX_NAME} characters (it is printed on reports), got ${v.length}`);
      return v;
    case 'restrictedCountries':
      return stringList(field, v, (s, i) => {
        const up = s.toUpperCase();
        // the shape alone would accept "XX": the country part must be an assigned ISO code
        if (!COUNTRY_RE.test(up) || !ALPHA2.has(up.slice(0, 2)))
          throw new PolicyError(
            `${field}[${i}]`,
            `"${s}" is not an ISO 3166-1 alpha-2 country code${up.includes('-') ? ' with an ISO 3166-2 subdivision (e.g. "UA-43")' : ''}; valid codes: ${[...ALPHA2].join(', ')}`,
          );
        return up;
      });
    case 'restrictedParties':
      return stringList(field, v, (s, i) => {
        if (!/^\d+$/.test(s) && !/^[A-Za-z][A-Za-z0-9_.-]*:.+$/.test(s))
          throw new PolicyError(`${field}[${i}]`, `"${s}" is neither "scheme:value" (e.g. "lei:5299…") nor an internal id ("id:42" or "42")`);
        return s;
      });
    case 'restrictTopics':
      return stringList(field, v);
    case 'threshold': {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new PolicyError(field, `must be a number of percent, got ${describe(v)}`);
      if (v < 0 || v > 100) throw new PolicyError(field, `must be between 0 and 100 percent, got ${v}`);
      const units = percentToUnits(String(v));
      if (units === null || units / UNITS_PER_PERCENT !== v)
        throw new PolicyError(field, `must have at most 4 decimals (1/10000 of a percent), got ${v}`);
      return v;
    }
    case 'comparison':
      return enumValue(field, v, COMPARISONS);
    case 'aggregate':
    case 'useAssertions':
    case 'countControl':
    case 'consolidationImpliesMajority':
      return bool(field, v);
    case 'locateBy':
      return enumList(field, v, LOCATE_BY);
    case 'locatePersonsBy':
      return enumList(field, v, LOCATE_PERSONS_BY);
    case 'undisclosed':
      return enumValue(field, v, UNDISCLOSED_READINGS);
    case 'method':
      return enumValue(field, v, METHODS);
  }
}

function applyFields(base: PolicyFields, input: Record<string, unknown>, allowed: Set<string>): PolicyFields {
  const out: Record<string, unknown> = { ...base };
  for (const key of Object.keys(input)) {
    if (allowed.has(key)) continue;
    if (!(FIELD_NAMES as readonly string[]).includes(key)) {
      throw new PolicyError(key, `unknown field (known fields: preset, asOf, ${FIELD_NAMES.join(', ')})`);
    }
    out[key] = validateField(key as (typeof FIELD_NAMES)[number], input[key]);
  }
  return out as unknown as PolicyFields;
}

/** Loads and fully validates a preset file (every field must be present). */
export function presetFields(name: PresetName): PolicyFields {
  const raw = PRESET_DATA[name];
  if (!isRecord(raw)) throw new PolicyError('', `preset ${name} is not an object`);
  // the presets predate assertions and read them, as every policy does by default
  const data = { useAssertions: true, ...raw };
  for (const f of FIELD_NAMES) if (!(f in data)) throw new PolicyError(f, `missing in preset ${name}`);
  const empty = {} as PolicyFields;
  return applyFields(empty, data, new Set());
}

export interface ResolveOptions {
  /** Today's date (YYYY-MM-DD), injected by the caller so results are deterministic. */
  today: string;
}

/**
 * Builds the effective policy from a user policy object (or null/undefined for the default
 * preset). The user object may name its base with "preset"; any other field overrides the preset.
 */
export function resolvePolicy(input: unknown, options: ResolveOptions): EffectivePolicy {
  if (input === undefined || input === null) input = {};
  if (!isRecord(input)) throw new PolicyError('', `must be a JSON object, got ${describe(input)}`);
  let preset: PresetName = DEFAULT_PRESET;
  if ('preset' in input) preset = enumValue('preset', input.preset, PRESET_NAMES);
  let asOf = options.today;
  if ('asOf' in input) {
    if (typeof input.asOf !== 'string' || !isValidDate(input.asOf))
      throw new PolicyError('asOf', `must be a date "YYYY-MM-DD", got ${describe(input.asOf)}`);
    asOf = input.asOf;
  } else if (!isValidDate(asOf)) {
    throw new PolicyError('asOf', `the default date (today) "${asOf}" is not a date "YYYY-MM-DD"`);
  }
  const base = presetFields(preset);
  const fields = applyFields(base, input, new Set(['preset', 'asOf']));
  // a policy that changes a preset is not that preset: without a name of its own it is
  // labelled "<preset name> (edited)" so no report prints the preset's name over other rules
  if (!('name' in input) && FIELD_NAMES.some((f) => JSON.stringify(fields[f]) !== JSON.stringify(base[f]))) {
    fields.name = `${base.name} (edited)`;
  }
  return { ...fields, preset, asOf };
}

/** Canonical JSON: keys sorted, lists already sorted and de-duplicated by resolvePolicy. */
export function canonicalPolicyJson(policy: EffectivePolicy): string {
  // useAssertions is hashed only when it is off: a policy that reads assertions (the default)
  // keeps the SHA-256 it had before the field existed, so reports signed then still match
  const keys = (Object.keys(policy).sort() as (keyof EffectivePolicy)[]).filter((k) => k !== 'useAssertions' || policy.useAssertions === false);
  const parts = keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(policy[k])}`);
  return `{${parts.join(',')}}`;
}

export function policySha256(policy: EffectivePolicy): string {
  return sha256Hex(canonicalPolicyJson(policy));
}

/** The threshold in share units (exact: thresholds have at most 4 decimals). */
export function thresholdUnits(policy: EffectivePolicy): number {
  return percentToUnits(String(policy.threshold)) ?? Math.round(policy.threshold * UNITS_PER_PERCENT);
}
