// Pure mapping of OpenSanctions / FollowTheMoney entities (entity files and delta files) to facts.
// See docs/FORMATS-OTHER.md §3.
import { FULL_SHARE, UNITS_PER_PERCENT, percentToUnits, type EntityKind, type ShareInterval } from '../../domain/model';
import { countryFact } from '../countries';
import type { CountryFact, DeletionFact, EntityFact, Fact, IdentifierFact, LinkFact, NameFact } from '../facts';
import { ukCompanyNumber } from '../psc/company-number';

export class FtmDataError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'FtmDataError';
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const ENTITY_SCHEMAS: Record<string, EntityKind> = {
  Person: 'person', Company: 'company', Organization: 'company', LegalEntity: 'company', PublicBody: 'state-body',
};

const LEI = /^[0-9A-Z]{18}[0-9]{2}$/;

/**
 * Parses FtM's free-text `percentage`: "51", "50%", "50,5 %", "25-50", "25 – 50%", ">50", "<25",
 * "1.00", "100.00". Returns null when the text is not a percentage.
 */
export function parsePercentage(text: string): ShareInterval | null {
  const t = text.trim().replace(/\s+/g, '').replace(/%/g, '').replace(/(\d),(\d)/g, '$1.$2');
  const num = (s: string) => percentToUnits(s);
  let m = /^(\d{1,3}(?:\.\d+)?)$/.exec(t);
  if (m) {
    const u = num(m[1]!);
    return u === null ? null : { lo: u, loOpen: false, hi: u, hiOpen: false };
  }
  m = /^(\d{1,3}(?:\.\d+)?)[-–—](\d{1,3}(?:\.\d+)?)$/.exec(t);
  if (m) {
    const a = num(m[1]!);
    const b = num(m[2]!);
    if (a === null || b === null || a > b) return null;
    return { lo: a, loOpen: false, hi: b, hiOpen: false };
  }
  m = /^(>=?|<=?|≥|≤)(\d{1,3}(?:\.\d+)?)$/.exec(t);
  if (m) {
    const u = num(m[2]!);
    if (u === null) return null;
    const op = m[1]!;
    if (op.startsWith('>') || op === '≥') return { lo: u, loOpen: op === '>', hi: FULL_SHARE, hiOpen: false };
    return { lo: 0, loOpen: false, hi: u, hiOpen: op === '<' };
  }
  return null;
}

function values(props: Obj, key: string, id: string): string[] {
  const v = props[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
    throw new FtmDataError(`entity ${id}: properties.${key} must be a list of strings, got ${JSON.stringify(v)}`);
  }
  return (v as string[]).map((x) => x.trim()).filter(Boolean);
}

export interface FtmOptions {
  recordRef: string;
  warn: (problem: string) => void;
  /** ISO date "today" for deciding whether an endDate is in the past. */
  today: string;
}

export interface FtmMapped {
  facts: Fact[];
  /** Sanction details for another entity, to be merged into it by the parser. */
  sanction?: { entityId: string; text: string; topics: string[] };
  /** schema not used (Address, Vessel, ...) */
  skippedSchema?: string;
  entityId: string;
}

function pushCountries(list: CountryFact[], role: CountryFact['role'], codes: string[], warn: (p: string) => void): void {
  for (const c of codes) {
    const f = countryFact(role, c);
    if (f.code === null) warn(`country "${c}" is not a country this version can normalize; kept as text`);
    list.push(f);
  }
}

export function ftmRef(id: string): IdentifierFact {
  return { scheme: 'ftm', value: id };
}

/** Maps one line: a plain entity, or a delta `{op, entity}`. */
export function mapFtmLine(line: unknown, o: FtmOptions): FtmMapped {
  if (!isObj(line)) throw new FtmDataError('a FollowTheMoney line must be a JSON object');
  let op = 'ADD';
  let e: unknown = line;
  if ('op' in line) {
    if (typeof line['op'] !== 'string' || !['ADD', 'MOD', 'DEL'].includes(line['op'])) {
      throw new FtmDataError(`unknown delta op ${JSON.stringify(line['op'])} (expected ADD, MOD or DEL)`);
    }
    op = line['op'];
    e = line['entity'];
  }
  if (!isObj(e)) throw new FtmDataError('"entity" must be an object');
  const id = e['id'];
  if (typeof id !== 'string' || !id) throw new FtmDataError('entity id is missing or not a string');
  const ref = ftmRef(id);
  if (op === 'DEL') {
    // A DEL names only the id: the entity, or the Ownership link, with that id is removed.
    const del = (object: DeletionFact['object']): DeletionFact => ({ type: 'delete', recordRef: o.recordRef, object, key: object === 'entity' ? `ftm:${id}` : `ftm:${id}` });
    return { facts: [del('link'), del('entity')], entityId: id };
  }
  const schema = e['schema'];
  if (typeof schema !== 'string' || !schema) throw new FtmDataError(`entity ${id}: schema is missing or not a string`);
  const props = e['properties'] === undefined ? {} : e['properties'];
  if (!isObj(props)) throw new FtmDataError(`entity ${id}: properties must be an object`);
  const v = (k: string) => values(props, k, id);

  if (schema === 'Ownership') {
    const owner = v('owner')[0];
    const asset = v('asset')[0];
    if (!owner || !asset) throw new FtmDataError(`Ownership ${id}: owner and asset are required`);
    const pctTexts = v('percentage');
    let share: ShareInterval | null = null;
    if (pctTexts.length) {
      share = parsePercentage(pctTexts[0]!);
      if (!share) o.warn(`Ownership percentage "${pctTexts[0]}" is not a percentage; kept as stated text with an unknown share`);
    }
    const roles = [...v('role'), ...v('ownershipType')].join(' ').toLowerCase();
    const attributes: Record<string, string> = {};
    for (const k of ['role', 'ownershipType', 'sharesCount', 'sharesValue', 'sharesCurrency', 'sharesType', 'legalBasis', 'status', 'recordId', 'sourceUrl']) {
      const x = v(k);
      if (x.length) attributes[k] = x.join('; ');
    }
    if (pctTexts[0] && /^\s*[01](\.0+)?\s*%?\s*$/.test(pctTexts[0]) && share && share.hi <= UNITS_PER_PERCENT) {
      attributes['percentageNote'] = 'a percentage of 1 or less may be a fraction written as a percentage (GLEIF-derived data); taken as stated';
    }
    const startDate = v('startDate')[0] ?? v('date')[0];
    const endDate = v('endDate')[0];
    const branch = /branch/.test(roles);
    const consolidation = /consolidat/.test(roles);
    const l: LinkFact = {
      type: 'link', key: `ftm:${id}`, recordRef: o.recordRef, owner: ftmRef(owner), owned: ftmRef(asset),
      kind: branch ? 'branch' : consolidation ? 'control' : /vot/.test(roles) ? 'votes' : 'shares',
      share: branch ? null : share,
      stated: [pctTexts.length ? `percentage ${pctTexts.join(' / ')}` : 'no percentage stated', roles || undefined].filter(Boolean).join('; '),
      isSummary: /ultimate|indirect/.test(roles),
      status: endDate && endDate.slice(0, 10) <= o.today ? 'inactive' : 'active', attributes,
    };
    if (consolidation) l.controlBasis = 'consolidation';
    if (startDate) l.startDate = startDate.slice(0, 10);
    if (endDate) l.endDate = endDate.slice(0, 10);
    return { facts: [l], entityId: id };
  }

  if (schema === 'Sanction') {
    const target = v('entity')[0];
    if (!target) throw new FtmDataError(`Sanction ${id}: entity is required`);
    const text = [v('authority').join(', '), v('program').join(', '), v('programId').join(', '),
      v('startDate')[0] || v('listingDate')[0] ? `from ${v('startDate')[0] ?? v('listingDate')[0]}` : '',
      v('endDate')[0] ? `to ${v('endDate')[0]}` : '', v('country').length ? `country ${v('country').join(', ')}` : '']
      .filter(Boolean)
      .join('; ');
    const ended = v('endDate')[0] !== undefined && v('endDate')[0]!.slice(0, 10) <= o.today;
    return { facts: [], entityId: id, sanction: { entityId: target, text: text || `sanction ${id}`, topics: ended ? [] : ['sanction'] } };
  }

  const kind = ENTITY_SCHEMAS[schema];
  if (!kind) return { facts: [], entityId: id, skippedSchema: schema };

  const names = v('name');
  const caption = typeof e['caption'] === 'string' ? e['caption'] : undefined;
  const name = caption ?? names[0] ?? id;
  const nameFacts: NameFact[] = [];
  for (const n of names) if (n !== name) nameFacts.push({ name: n, type: 'other' });
  for (const n of v('alias')) nameFacts.push({ name: n, type: 'alias' });
  for (const n of v('previousName')) nameFacts.push({ name: n, type: 'previous' });
  for (const n of v('weakAlias')) nameFacts.push({ name: n, type: 'alias' });

  const countries: CountryFact[] = [];
  if (kind === 'person') {
    pushCountries(countries, 'nationality', [...new Set([...v('nationality'), ...v('citizenship')])], o.warn);
    pushCountries(countries, 'residence', v('country'), o.warn);
  } else {
    pushCountries(countries, 'jurisdiction', v('jurisdiction'), o.warn);
    pushCountries(countries, 'headquarters', v('mainCountry'), o.warn);
    pushCountries(countries, 'legal-address', v('country'), o.warn);
  }

  const identifiers: IdentifierFact[] = [];
  const attributes: Record<string, string> = { ftmSchema: schema };
  for (const lei of v('leiCode')) {
    const up = lei.toUpperCase();
    if (LEI.test(up)) identifiers.push({ scheme: 'lei', value: up });
    else o.warn(`leiCode "${lei}" is not an LEI; kept as an attribute`);
  }
  const regCountries = [...new Set([...v('jurisdiction'), ...v('country')].map((c) => countryFact('jurisdiction', c).code).filter((c): c is string => !!c))];
  for (const reg of v('registrationNumber')) {
    if (regCountries.length === 1) {
      const cc = regCountries[0]!;
      const coh = cc === 'GB' ? ukCompanyNumber(reg) : null;
      identifiers.push(coh ? { scheme: 'gb-coh', value: coh } : { scheme: 'reg', value: `${cc.toLowerCase()}:${reg.replace(/\s+/g, '')}` });
    }
  }
  for (const x of v('ogrnCode')) identifiers.push({ scheme: 'ru-ogrn', value: x });
  for (const x of v('innCode')) identifiers.push({ scheme: 'ru-inn', value: x });
  // referents (source ids merged into this canonical id) are kept as an attribute, not as identifiers:
  // test and delta data reuse them across entities, and the store merges records sharing an identifier.
  const referents = e['referents'];
  if (Array.isArray(referents) && referents.length) attributes['referents'] = referents.filter((r) => typeof r === 'string').join(', ');
  for (const k of ['registrationNumber', 'taxNumber', 'legalForm', 'incorporationDate', 'dissolutionDate', 'status', 'birthDate', 'position', 'notes', 'program', 'dunsCode', 'swiftBic', 'leiCode']) {
    const x = v(k);
    if (x.length) attributes[k] = x.join('; ');
  }
  const datasets = e['datasets'];
  if (Array.isArray(datasets) && datasets.length) attributes['datasets'] = datasets.filter((d) => typeof d === 'string').join(', ');
  for (const k of ['first_seen', 'last_seen', 'last_change']) if (typeof e[k] === 'string') attributes[k] = e[k] as string;
  const topics = v('topics');
  const dissolved = v('dissolutionDate').length > 0;
  const f: EntityFact = {
    type: 'entity', ref, recordRef: o.recordRef, kind, name, names: nameFacts, identifiers, countries,
    status: dissolved ? 'INACTIVE' : 'ACTIVE', topics, attributes,
  };
  return { facts: [f], entityId: id };
}
