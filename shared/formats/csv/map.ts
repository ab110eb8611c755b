// Plain CSV for in-house data: an entities file and a links file with documented columns
// (docs/FORMATS-OTHER.md §4). Rows are objects keyed by lower-cased header names.
import { ENTITY_KINDS, LINK_KINDS, CONTROL_BASES, UNITS_PER_PERCENT, FULL_SHARE, type EntityKind, type LinkKind, type ControlBasis, type ShareInterval, type CountryRole } from '../../domain/model';
import { countryFact, splitCountries } from '../countries';
import { isValidDate } from '../../domain/policy/policy';
import type { CountryFact, EntityFact, IdentifierFact, LinkFact, NameFact, UndisclosedFact } from '../facts';
import { ukCompanyNumber } from '../psc/company-number';

export class CsvDataError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'CsvDataError';
  }
}

export const ENTITY_COLUMNS = [
  'id', 'scheme', 'name', 'kind', 'jurisdiction', 'headquarters', 'legal_address', 'residence', 'nationality',
  'identifiers', 'aliases', 'topics', 'status', 'category', 'notes',
] as const;
export const LINK_COLUMNS = [
  'owner_ref', 'owned_ref', 'kind', 'control_basis', 'share_exact', 'share_min', 'share_min_inclusive', 'share_max',
  'share_max_inclusive', 'stated', 'is_summary', 'start_date', 'end_date', 'status', 'key', 'notes',
] as const;

export const UNDISCLOSED_COLUMNS = [
  'entity_ref', 'category', 'scope', 'reason', 'detail', 'share_exact', 'share_min', 'share_min_inclusive', 'share_max',
  'share_max_inclusive', 'start_date', 'end_date', 'status', 'key',
] as const;

const LEI = /^[0-9A-Z]{18}[0-9]{2}$/;

/** `scheme:value` (or a bare LEI) → identifier, with the scheme's normalization. */
export function parseRef(text: string, column: string): IdentifierFact {
  const t = text.trim();
  if (LEI.test(t.toUpperCase()) && !t.includes(':')) return { scheme: 'lei', value: t.toUpperCase() };
  const i = t.indexOf(':');
  if (i <= 0 || i === t.length - 1) throw new CsvDataError(`${column} "${text}" is not a reference (scheme:value, e.g. lei:…, gb-coh:…, csv:…)`);
  return normalizeId(t.slice(0, i), t.slice(i + 1));
}

export function normalizeId(scheme: string, value: string): IdentifierFact {
  const s = scheme.trim().toLowerCase();
  let v = value.trim();
  if (s === 'lei') v = v.toUpperCase();
  if (s === 'gb-coh') v = ukCompanyNumber(v) ?? v.toUpperCase();
  return { scheme: s, value: v };
}

function bool(text: string | undefined, column: string, dflt: boolean): boolean {
  if (text === undefined || text.trim() === '') return dflt;
  const t = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'y'].includes(t)) return true;
  if (['0', 'false', 'no', 'n'].includes(t)) return false;
  throw new CsvDataError(`${column} must be true/false, got "${text}"`);
}

function percent(text: string, column: string): number {
  const t = text.trim().replace(/%$/, '').replace(',', '.');
  if (!/^\d{1,3}(\.\d+)?$/.test(t)) throw new CsvDataError(`${column} must be a percentage between 0 and 100, got "${text}"`);
  const u = Math.round(Number(t) * UNITS_PER_PERCENT);
  if (u > FULL_SHARE) throw new CsvDataError(`${column} must be a percentage between 0 and 100, got "${text}"`);
  return u;
}

function date(text: string | undefined, column: string): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const t = text.trim();
  // Date.parse would roll 2023-02-31 over to March 3rd: check the calendar itself
  if (!isValidDate(t)) throw new CsvDataError(`${column} must be a date YYYY-MM-DD that exists in the calendar, got "${text}"`);
  return t;
}

const list = (t: string | undefined) => (t ?? '').split(';').map((x) => x.trim()).filter(Boolean);
type Row = Record<string, string | undefined>;

export function mapEntityRow(row: Row, recordRef: string, warn: (p: string) => void): EntityFact {
  const id = row['id']?.trim();
  const name = row['name']?.trim();
  if (!id) throw new CsvDataError('id is empty');
  if (!name) throw new CsvDataError('name is empty');
  const scheme = row['scheme']?.trim() || 'csv';
  const ref = normalizeId(scheme, id);
  const kind = (row['kind']?.trim().toLowerCase() || 'company') as EntityKind;
  if (!(ENTITY_KINDS as readonly string[]).includes(kind)) throw new CsvDataError(`kind must be one of ${ENTITY_KINDS.join(', ')}, got "${row['kind']}"`);
  const countries: CountryFact[] = [];
  const roles: [string, CountryRole][] = [
    ['jurisdiction', 'jurisdiction'], ['headquarters', 'headquarters'], ['legal_address', 'legal-address'],
    ['residence', 'residence'], ['nationality', 'nationality'],
  ];
  for (const [col, role] of roles) {
    for (const text of list(row[col])) {
      for (const part of role === 'nationality' ? splitCountries(text) : [text]) {
        const f = countryFact(role, part);
        if (f.code === null) warn(`${col} "${part}" is not a country this version can normalize; kept as text`);
        countries.push(f);
      }
    }
  }
  const identifiers = list(row['identifiers']).map((x) => parseRef(x, 'identifiers'));
  const names: NameFact[] = list(row['aliases']).map((n) => ({ name: n, type: 'alias' }));
  const attributes: Record<string, string> = {};
  if (row['notes']?.trim()) attributes['notes'] = row['notes'].trim();
  const f: EntityFact = {
    type: 'entity', ref, recordRef, kind, name, names, identifiers, countries, topics: list(row['topics']), attributes,
  };
  if (row['status']?.trim()) f.status = row['status'].trim().toUpperCase();
  if (row['category']?.trim()) f.category = row['category'].trim().toUpperCase();
  return f;
}

export function mapLinkRow(row: Row, recordRef: string): LinkFact {
  if (!row['owner_ref']?.trim()) throw new CsvDataError('owner_ref is empty');
  if (!row['owned_ref']?.trim()) throw new CsvDataError('owned_ref is empty');
  const owner = parseRef(row['owner_ref'], 'owner_ref');
  const owned = parseRef(row['owned_ref'], 'owned_ref');
  const kind = (row['kind']?.trim().toLowerCase() || 'shares') as LinkKind;
  if (!(LINK_KINDS as readonly string[]).includes(kind)) throw new CsvDataError(`kind must be one of ${LINK_KINDS.join(', ')}, got "${row['kind']}"`);
  const basisText = row['control_basis']?.trim().toLowerCase();
  if (basisText && !(CONTROL_BASES as readonly string[]).includes(basisText)) {
    throw new CsvDataError(`control_basis must be one of ${CONTROL_BASES.join(', ')}, got "${row['control_basis']}"`);
  }
  const share = shareOf(row);
  const startDate = date(row['start_date'], 'start_date');
  const endDate = date(row['end_date'], 'end_date');
  const statusText = statusOf(row);
  const l: LinkFact = {
    type: 'link',
    key: row['key']?.trim() ? `csv:${row['key'].trim()}` : `csv:${owner.scheme}:${owner.value}|${owned.scheme}:${owned.value}|${kind}${basisText ? '|' + basisText : ''}`,
    recordRef, owner, owned, kind, share,
    stated: row['stated']?.trim() || (share ? 'as entered' : 'no share entered'),
    isSummary: bool(row['is_summary'], 'is_summary', false),
    status: statusText || (endDate ? 'inactive' : 'active'),
  };
  if (basisText) l.controlBasis = basisText as ControlBasis;
  if (startDate) l.startDate = startDate;
  if (endDate) l.endDate = endDate;
  if (row['notes']?.trim()) l.attributes = { notes: row['notes'].trim() };
  return l;
}

/** The share columns (share_exact, or share_min/max with their inclusive flags); null when empty. */
function shareOf(row: Row): ShareInterval | null {
  if (row['share_exact']?.trim()) {
    const x = percent(row['share_exact'], 'share_exact');
    return { lo: x, loOpen: false, hi: x, hiOpen: false };
  }
  if (!row['share_min']?.trim() && !row['share_max']?.trim()) return null;
  const lo = row['share_min']?.trim() ? percent(row['share_min'], 'share_min') : 0;
  const hi = row['share_max']?.trim() ? percent(row['share_max'], 'share_max') : FULL_SHARE;
  if (lo > hi) throw new CsvDataError('share_min is above share_max');
  return { lo, loOpen: !bool(row['share_min_inclusive'], 'share_min_inclusive', true), hi, hiOpen: !bool(row['share_max_inclusive'], 'share_max_inclusive', true) };
}

function statusOf(row: Row): LinkFact['status'] | undefined {
  const t = row['status']?.trim().toLowerCase();
  if (t && !['active', 'inactive', 'unknown'].includes(t)) throw new CsvDataError(`status must be active, inactive or unknown, got "${row['status']}"`);
  return (t || undefined) as LinkFact['status'] | undefined;
}

const CATEGORIES = ['no-parent', 'withheld', 'unknown'] as const;
const SCOPES = ['direct', 'ultimate', 'any'] as const;

/**
 * An undisclosed-ownership marker ("the owners of X are withheld / not known / X has no parent"),
 * as `ownerscope export --format csv` writes them to undisclosed.csv, so that a verdict that is
 * open because of a marker stays open after export and import.
 */
export function mapUndisclosedRow(row: Row, recordRef: string): UndisclosedFact {
  if (!row['entity_ref']?.trim()) throw new CsvDataError('entity_ref is empty');
  const subject = parseRef(row['entity_ref'], 'entity_ref');
  const category = (row['category']?.trim().toLowerCase() || 'unknown') as UndisclosedFact['category'];
  if (!(CATEGORIES as readonly string[]).includes(category)) throw new CsvDataError(`category must be one of ${CATEGORIES.join(', ')}, got "${row['category']}"`);
  const scope = (row['scope']?.trim().toLowerCase() || 'direct') as UndisclosedFact['scope'];
  if (!(SCOPES as readonly string[]).includes(scope)) throw new CsvDataError(`scope must be one of ${SCOPES.join(', ')}, got "${row['scope']}"`);
  const startDate = date(row['start_date'], 'start_date');
  const endDate = date(row['end_date'], 'end_date');
  const f: UndisclosedFact = {
    type: 'undisclosed',
    key: row['key']?.trim() ? `csv:${row['key'].trim()}` : `csv-undisclosed:${subject.scheme}:${subject.value}|${category}|${scope}`,
    recordRef, subject, category, scope,
    reason: row['reason']?.trim() || 'as entered',
    share: shareOf(row),
    status: statusOf(row) || (endDate ? 'inactive' : 'active'),
  };
  if (row['detail']?.trim()) f.detail = row['detail'].trim();
  if (startDate) f.startDate = startDate;
  if (endDate) f.endDate = endDate;
  return f;
}
