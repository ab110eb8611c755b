// Pure mapping of Beneficial Ownership Data Standard statements (0.2, 0.3, 0.4) to normalized facts.
// See docs/FORMATS-OTHER.md §2 for the decisions taken here.
import { FULL_SHARE, UNITS_PER_PERCENT, type ControlBasis, type EntityKind, type LinkKind, type ShareInterval, type UndisclosedCategory } from '../../domain/model';
import { countryFact, splitCountries } from '../countries';
import type { CountryFact, DeletionFact, EntityFact, Fact, IdentifierFact, LinkFact, NameFact, UndisclosedFact } from '../facts';
import { ukCompanyNumber } from '../psc/company-number';

export class BodsDataError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'BodsDataError';
  }
}

export type BodsVersion = '0.2' | '0.3' | '0.4';
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(o: Obj, key: string, path = ''): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new BodsDataError(`${path}${key} must be a string, got ${JSON.stringify(v)}`);
  return v;
}
function arr(o: Obj, key: string, path = ''): unknown[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new BodsDataError(`${path}${key} must be a list, got ${JSON.stringify(v)}`);
  return v;
}
function obj(o: Obj, key: string, path = ''): Obj | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw new BodsDataError(`${path}${key} must be an object, got ${JSON.stringify(v)}`);
  return v;
}

/** The version a statement declares (publicationDetails.bodsVersion), or infers from its shape. */
export function statementVersion(st: Obj): BodsVersion {
  const pd = isObj(st['publicationDetails']) ? st['publicationDetails'] : undefined;
  const v = pd?.['bodsVersion'];
  if (v !== undefined) {
    if (typeof v !== 'string') throw new BodsDataError(`publicationDetails.bodsVersion must be a string, got ${JSON.stringify(v)}`);
    const m = /^0\.([234])(?:\.\d+)?$/.exec(v.trim());
    if (!m) throw new BodsDataError(`unsupported BODS version "${v}" (this version reads 0.2, 0.3 and 0.4)`);
    return `0.${m[1]}` as BodsVersion;
  }
  if ('recordId' in st || 'recordType' in st) return '0.4';
  if ('statementID' in st) return '0.3';
  throw new BodsDataError('not a BODS statement: no statementID (0.2/0.3) or recordId (0.4)');
}

/** Identifier schemes: org-id.guide GB-COH → gb-coh, XI-LEI → lei, others lower-cased. */
export function mapIdentifier(idObj: unknown, path: string): IdentifierFact | null {
  if (!isObj(idObj)) throw new BodsDataError(`${path} must be an object`);
  const id = str(idObj, 'id', path + '.');
  const scheme = str(idObj, 'scheme', path + '.');
  if (!id || !scheme) return null;
  const s = scheme.trim().toUpperCase();
  if (s === 'GB-COH') {
    const n = ukCompanyNumber(id);
    return n ? { scheme: 'gb-coh', value: n } : { scheme: 'gb-coh', value: id.trim().toUpperCase() };
  }
  if (s === 'XI-LEI') return { scheme: 'lei', value: id.trim().toUpperCase() };
  return { scheme: scheme.trim().toLowerCase(), value: id.trim() };
}

const ENTITY_KINDS: Record<string, EntityKind> = {
  registeredEntity: 'company', legalEntity: 'company', arrangement: 'fund', anonymousEntity: 'unknown',
  unknownEntity: 'unknown', state: 'state-body', stateBody: 'state-body',
};

function pct(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BodsDataError(`share.${field} must be a number, got ${JSON.stringify(v)}`);
  if (v < 0 || v > 100) throw new BodsDataError(`share.${field} ${v} is outside 0..100`);
  return Math.round(v * UNITS_PER_PERCENT);
}

/**
 * A BODS share object as an interval. 0.2/0.3: minimum/maximum with BOOLEAN exclusive flags,
 * defaults exclusiveMinimum=false, exclusiveMaximum=true. 0.4: minimum/maximum inclusive numbers,
 * exclusiveMinimum/exclusiveMaximum exclusive NUMBERS.
 */
export function mapShare(share: Obj, version: BodsVersion): ShareInterval | null {
  if (share['exact'] !== undefined && share['exact'] !== null) {
    const x = pct(share['exact'], 'exact');
    return { lo: x, loOpen: false, hi: x, hiOpen: false };
  }
  const has = (k: string) => share[k] !== undefined && share[k] !== null;
  if (version === '0.4') {
    for (const k of ['exclusiveMinimum', 'exclusiveMaximum']) {
      if (has(k) && typeof share[k] === 'boolean') {
        throw new BodsDataError(`share.${k} is a boolean, but BODS 0.4 uses numbers for exclusive bounds (a 0.2/0.3 statement labelled 0.4?)`);
      }
    }
    if (!has('minimum') && !has('maximum') && !has('exclusiveMinimum') && !has('exclusiveMaximum')) return null;
    let lo = 0;
    let loOpen = false;
    if (has('minimum')) lo = pct(share['minimum'], 'minimum');
    if (has('exclusiveMinimum')) {
      const x = pct(share['exclusiveMinimum'], 'exclusiveMinimum');
      if (x >= lo) {
        lo = x;
        loOpen = true;
      }
    }
    let hi = FULL_SHARE;
    let hiOpen = false;
    if (has('maximum')) hi = pct(share['maximum'], 'maximum');
    if (has('exclusiveMaximum')) {
      const x = pct(share['exclusiveMaximum'], 'exclusiveMaximum');
      if (x <= hi) {
        hi = x;
        hiOpen = true;
      }
    }
    if (lo > hi) throw new BodsDataError('share minimum is above its maximum');
    return { lo, loOpen, hi, hiOpen };
  }
  for (const k of ['exclusiveMinimum', 'exclusiveMaximum']) {
    if (has(k) && typeof share[k] !== 'boolean') {
      throw new BodsDataError(`share.${k} must be true or false in BODS ${version}, got ${JSON.stringify(share[k])} (a 0.4 statement labelled ${version}?)`);
    }
  }
  if (!has('minimum') && !has('maximum')) return null;
  const lo = has('minimum') ? pct(share['minimum'], 'minimum') : 0;
  const hi = has('maximum') ? pct(share['maximum'], 'maximum') : FULL_SHARE;
  const loOpen = has('minimum') ? share['exclusiveMinimum'] === true : false;
  // default: the maximum is exclusive; with no maximum stated, 100% itself is possible
  const hiOpen = has('maximum') ? share['exclusiveMaximum'] !== false : false;
  if (lo > hi) throw new BodsDataError('share minimum is above its maximum');
  return { lo, loOpen, hi, hiOpen };
}

/** Link slots: at most one link per relationship and slot (re-imports and replacements update by it). */
export const SLOTS = ['shares', 'votes', 'board', 'influence', 'consolidation', 'control', 'other'] as const;
type Slot = (typeof SLOTS)[number];

function interestSlot(type: string | undefined, details: string | undefined, hasShare: boolean): { slot: Slot; kind: LinkKind; basis?: ControlBasis } {
  const t = (type ?? '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  switch (t) {
    case 'shareholding':
    case 'rightsToSurplusAssets':
    case 'rightsToSurplusAssetsOnDissolution':
      return { slot: 'shares', kind: 'shares' };
    case 'votingRights':
      return { slot: 'votes', kind: 'votes' };
    case 'appointmentOfBoard':
      return { slot: 'board', kind: 'control', basis: 'board' };
    case 'otherInfluenceOrControl':
    case 'significantInfluenceOrControl':
      if (details && /consolidat/i.test(details)) return { slot: 'consolidation', kind: 'control', basis: 'consolidation' };
      return { slot: 'influence', kind: 'control', basis: 'influence' };
    case 'controlViaCompanyRulesOrArticles':
    case 'controlByLegalFramework':
    case 'rightsGrantedByContract':
    case 'conditionalRightsGrantedByContract':
      return { slot: 'control', kind: 'control', basis: 'other' };
    case '':
    case 'unknownInterest':
      return hasShare ? { slot: 'shares', kind: 'shares' } : { slot: 'other', kind: 'other' };
    default:
      return { slot: 'other', kind: 'other' };
  }
}

const UNSPECIFIED: Record<string, UndisclosedCategory> = {
  noBeneficialOwners: 'no-parent',
  'no-beneficial-owners': 'no-parent',
  subjectUnableToConfirmOrIdentifyBeneficialOwner: 'unknown',
  'subject-unable-to-confirm-or-identify-beneficial-owner': 'unknown',
  interestedPartyHasNotProvidedInformation: 'withheld',
  'interested-party-has-not-provided-information': 'withheld',
  subjectExemptFromDisclosure: 'withheld',
  'subject-exempt-from-disclosure': 'withheld',
  interestedPartyExemptFromDisclosure: 'withheld',
  'interested-party-exempt-from-disclosure': 'withheld',
  unknown: 'unknown',
  informationUnknownToPublisher: 'unknown',
};

export interface MapOptions {
  recordRef: string;
  warn: (problem: string) => void;
}

export interface Mapped {
  facts: Fact[];
  /** 0.2/0.3: statement ids this statement replaces. */
  replaces: string[];
  /** 0.4 record id and statement date (latest wins). */
  recordId?: string;
  statementDate?: string;
  version: BodsVersion;
  isRecord: boolean;
}

function pushCountry(list: CountryFact[], role: CountryFact['role'], text: string | undefined, warn: (p: string) => void): void {
  if (!text) return;
  for (const part of role === 'nationality' ? splitCountries(text) : [text]) {
    const f = countryFact(role, part);
    if (f.code === null) warn(`country "${part}" is not a country this version can normalize; kept as text`);
    list.push(f);
  }
}

/** A {name, code} country (0.3/0.4) or a plain code string (0.2/0.3 addresses). */
function countryOf(v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v || undefined;
  if (isObj(v)) return str(v, 'code', path + '.') ?? str(v, 'name', path + '.');
  throw new BodsDataError(`${path} must be a country code or {name, code}`);
}

function addresses(d: Obj, person: boolean, countries: CountryFact[], attributes: Record<string, string>, warn: (p: string) => void): void {
  arr(d, 'addresses').forEach((a, i) => {
    if (!isObj(a)) throw new BodsDataError(`addresses[${i}] must be an object`);
    const type = str(a, 'type', `addresses[${i}].`) ?? '';
    const country = countryOf(a['country'], `addresses[${i}].country`);
    const text = str(a, 'address', `addresses[${i}].`);
    if (text && !attributes[`address.${type || 'other'}`]) attributes[`address.${type || 'other'}`] = text;
    const role: CountryFact['role'] | null = person
      ? type === 'residence' || type === 'home' ? 'residence' : null
      : type === 'registered' ? 'legal-address' : type === 'business' ? 'headquarters' : null;
    if (role && country) pushCountry(countries, role, country, warn);
  });
}

function jurisdiction(d: Obj, countries: CountryFact[], warn: (p: string) => void): void {
  const j = obj(d, 'jurisdiction') ?? obj(d, 'incorporatedInJurisdiction');
  if (!j) return;
  const code = str(j, 'code', 'jurisdiction.');
  const name = str(j, 'name', 'jurisdiction.');
  const f = code ? countryFact('jurisdiction', code) : null;
  if (f?.code) countries.push({ ...f, text: name && name !== code ? `${name} (${code})` : code! });
  else if (name || code) pushCountry(countries, 'jurisdiction', name ?? code, warn);
}

function entityFact(ref: IdentifierFact, d: Obj, version: BodsVersion, o: MapOptions, extraIds: IdentifierFact[], closed: boolean, statementDate?: string): EntityFact {
  const identifiers: IdentifierFact[] = [...extraIds];
  arr(d, 'identifiers').forEach((x, i) => {
    const id = mapIdentifier(x, `identifiers[${i}]`);
    if (id) identifiers.push(id);
  });
  const et = d['entityType'];
  const typeName = typeof et === 'string' ? et : isObj(et) ? str(et, 'type', 'entityType.') : undefined;
  const subtype = isObj(et) ? str(et, 'subtype', 'entityType.') : str(d, 'entitySubtype');
  const kind: EntityKind = typeName ? (ENTITY_KINDS[typeName] ?? 'unknown') : 'unknown';
  if (typeName && !(typeName in ENTITY_KINDS)) o.warn(`unknown entityType "${typeName}"`);
  const countries: CountryFact[] = [];
  const attributes: Record<string, string> = { bodsVersion: version };
  if (statementDate) attributes['statementDate'] = statementDate;
  if (typeName) attributes['entityType'] = typeName;
  if (subtype) attributes['entitySubtype'] = subtype;
  for (const k of ['foundingDate', 'dissolutionDate']) {
    const v = str(d, k);
    if (v) attributes[k] = v;
  }
  jurisdiction(d, countries, o.warn);
  addresses(d, false, countries, attributes, o.warn);
  const names: NameFact[] = arr(d, 'alternateNames')
    .filter((n): n is string => typeof n === 'string')
    .map((n) => ({ name: n, type: 'other' }));
  const dissolved = attributes['dissolutionDate'] !== undefined;
  return {
    type: 'entity', ref, recordRef: o.recordRef, kind, name: str(d, 'name') ?? `(unnamed ${typeName ?? 'entity'})`, names,
    identifiers, countries, status: closed || dissolved ? 'INACTIVE' : 'ACTIVE', attributes,
  };
}

function personFact(ref: IdentifierFact, d: Obj, version: BodsVersion, o: MapOptions, extraIds: IdentifierFact[], closed: boolean, statementDate?: string): EntityFact {
  const names: NameFact[] = [];
  let name: string | undefined;
  arr(d, 'names').forEach((n, i) => {
    if (!isObj(n)) throw new BodsDataError(`names[${i}] must be an object`);
    const full =
      str(n, 'fullName', `names[${i}].`) ??
      [str(n, 'givenName', `names[${i}].`), str(n, 'patronymicName', `names[${i}].`), str(n, 'familyName', `names[${i}].`)].filter(Boolean).join(' ');
    if (!full) return;
    if (name === undefined) name = full;
    else names.push({ name: full, type: str(n, 'type', `names[${i}].`) === 'birth' ? 'previous' : 'other' });
  });
  const countries: CountryFact[] = [];
  arr(d, 'nationalities').forEach((n, i) => pushCountry(countries, 'nationality', countryOf(n, `nationalities[${i}]`), o.warn));
  arr(d, 'taxResidencies').forEach((n, i) => pushCountry(countries, 'residence', countryOf(n, `taxResidencies[${i}]`), o.warn));
  const attributes: Record<string, string> = { bodsVersion: version };
  if (statementDate) attributes['statementDate'] = statementDate;
  const personType = str(d, 'personType');
  if (personType) attributes['personType'] = personType;
  const birth = str(d, 'birthDate');
  if (birth) attributes['birthDate'] = birth;
  addresses(d, true, countries, attributes, o.warn);
  const identifiers: IdentifierFact[] = [...extraIds];
  arr(d, 'identifiers').forEach((x, i) => {
    const id = mapIdentifier(x, `identifiers[${i}]`);
    if (id) identifiers.push(id);
  });
  return {
    type: 'entity', ref, recordRef: o.recordRef, kind: 'person', name: name ?? `(${personType ?? 'person'})`, names, identifiers, countries,
    status: closed || str(d, 'deathDate') ? 'INACTIVE' : 'ACTIVE', attributes,
  };
}

interface Party {
  ref?: IdentifierFact;
  unspecified?: { reason: string; description?: string };
}

function relationshipFacts(
  keyBase: string, subject: IdentifierFact, party: Party, d: Obj, version: BodsVersion, o: MapOptions, closed: boolean, statementDate?: string,
): { facts: Fact[]; slots: Set<string> } {
  const facts: Fact[] = [];
  const slots = new Set<string>();
  const interests = arr(d, 'interests');
  const components = arr(d, version === '0.4' ? 'componentRecords' : 'componentStatementIDs');
  const isComponent = d['isComponent'] === true;
  if (party.unspecified) {
    const category = UNSPECIFIED[party.unspecified.reason] ?? 'unknown';
    if (!(party.unspecified.reason in UNSPECIFIED)) o.warn(`unknown unspecified-party reason "${party.unspecified.reason}"; counted as unknown`);
    const first = interests.find(isObj);
    const share = first && isObj(first['share']) ? mapShare(first['share'], version) : null;
    const endDate = first ? str(first, 'endDate', 'interests[0].') : undefined;
    const m: UndisclosedFact = {
      type: 'undisclosed', key: `${keyBase}|undisclosed`, recordRef: o.recordRef, subject, category, scope: 'any',
      reason: party.unspecified.reason, share, status: closed || endDate ? 'inactive' : 'active',
    };
    if (party.unspecified.description) m.detail = party.unspecified.description;
    const start = first ? str(first, 'startDate', 'interests[0].') : undefined;
    if (start) m.startDate = start.slice(0, 10);
    if (endDate) m.endDate = endDate.slice(0, 10);
    else if (closed && statementDate) m.endDate = statementDate.slice(0, 10);
    facts.push(m);
    slots.add('undisclosed');
    return { facts, slots };
  }
  const bySlot = new Map<Slot, LinkFact>();
  (interests.length ? interests : [{}]).forEach((it, i) => {
    if (!isObj(it)) throw new BodsDataError(`interests[${i}] must be an object`);
    const p = `interests[${i}].`;
    const type = str(it, 'type', p);
    const details = str(it, 'details', p);
    const shareObj = obj(it, 'share', p);
    const share = shareObj ? mapShare(shareObj, version) : null;
    const s = interestSlot(type, details, share !== null);
    const level = str(it, version === '0.2' ? 'interestLevel' : 'directOrIndirect', p) ?? str(it, 'interestLevel', p) ?? str(it, 'directOrIndirect', p);
    const startDate = str(it, 'startDate', p)?.slice(0, 10);
    let endDate = str(it, 'endDate', p)?.slice(0, 10);
    if (!endDate && closed && statementDate) endDate = statementDate.slice(0, 10);
    const stated = [type ?? 'interest of unstated type', details, shareObj ? `share ${JSON.stringify(shareObj)}` : undefined, level]
      .filter(Boolean)
      .join('; ');
    const l: LinkFact = {
      type: 'link', key: `${keyBase}|${s.slot}`, recordRef: o.recordRef, owner: party.ref!, owned: subject, kind: s.kind,
      share, stated, isSummary: !isComponent && level === 'indirect' && components.length > 0,
      status: closed || endDate ? 'inactive' : 'active', attributes: {},
    };
    if (s.basis) l.controlBasis = s.basis;
    if (startDate) l.startDate = startDate;
    if (endDate) l.endDate = endDate;
    if (level) l.attributes!['directOrIndirect'] = level;
    if (isComponent) l.attributes!['isComponent'] = 'true';
    if (it['beneficialOwnershipOrControl'] === true) l.attributes!['beneficialOwnershipOrControl'] = 'true';
    const prev = bySlot.get(s.slot);
    // several interests of one kind (e.g. an ended and a current one): the current one stands
    if (!prev || (prev.status === 'inactive' && l.status === 'active')) bySlot.set(s.slot, l);
    else prev.stated += ` | ${stated}`;
  });
  for (const [slot, l] of bySlot) {
    facts.push(l);
    slots.add(slot);
  }
  return { facts, slots };
}

/** Deletions for the link/marker slots of `keyBase` that a new version of the record no longer has. */
export function staleSlots(keyBase: string, keep: Set<string>, recordRef: string): DeletionFact[] {
  const out: DeletionFact[] = [];
  for (const s of SLOTS) if (!keep.has(s)) out.push({ type: 'delete', recordRef, object: 'link', key: `${keyBase}|${s}` });
  if (!keep.has('undisclosed')) out.push({ type: 'delete', recordRef, object: 'undisclosed', key: `${keyBase}|undisclosed` });
  return out;
}

function partyOf(ip: unknown, version: BodsVersion): Party {
  if (version === '0.4') {
    if (typeof ip === 'string' && ip) return { ref: { scheme: 'bods', value: ip } };
    if (isObj(ip)) {
      const reason = str(ip, 'reason', 'interestedParty.') ?? 'unknown';
      const description = str(ip, 'description', 'interestedParty.');
      return { unspecified: { reason, ...(description ? { description } : {}) } };
    }
    throw new BodsDataError('interestedParty must be a record id or an unspecified-party object');
  }
  if (!isObj(ip)) throw new BodsDataError('interestedParty must be an object');
  const e = str(ip, 'describedByEntityStatement', 'interestedParty.') ?? str(ip, 'describedByPersonStatement', 'interestedParty.');
  if (e) return { ref: { scheme: 'bods', value: e } };
  const u = obj(ip, 'unspecified', 'interestedParty.');
  if (u) {
    const description = str(u, 'description', 'interestedParty.unspecified.');
    return { unspecified: { reason: str(u, 'reason', 'interestedParty.unspecified.') ?? 'unknown', ...(description ? { description } : {}) } };
  }
  throw new BodsDataError('interestedParty names no statement and is not unspecified');
}

/** Maps one statement. */
export function mapStatement(st: unknown, o: MapOptions): Mapped {
  if (!isObj(st)) throw new BodsDataError('a BODS statement must be a JSON object');
  const version = statementVersion(st);
  const statementDate = str(st, 'statementDate');
  if (version !== '0.4') {
    const id = str(st, 'statementID');
    if (!id) throw new BodsDataError(`statementID is missing (BODS ${version})`);
    const replaces = arr(st, 'replacesStatements').map((r) => {
      if (typeof r !== 'string') throw new BodsDataError('replacesStatements must list statement ids');
      return r;
    });
    const type = str(st, 'statementType');
    const ref: IdentifierFact = { scheme: 'bods', value: id };
    const previous = replaces.map((r) => ({ scheme: 'bods', value: r }));
    const facts: Fact[] = [];
    if (type === 'entityStatement') facts.push(entityFact(ref, st, version, o, previous, false, statementDate));
    else if (type === 'personStatement') facts.push(personFact(ref, st, version, o, previous, false, statementDate));
    else if (type === 'ownershipOrControlStatement') {
      const subj = obj(st, 'subject');
      const sid = subj ? str(subj, 'describedByEntityStatement', 'subject.') : undefined;
      if (!sid) throw new BodsDataError('subject.describedByEntityStatement is missing');
      const rel = relationshipFacts(`bods:${id}`, { scheme: 'bods', value: sid }, partyOf(st['interestedParty'], version), st, version, o, false, statementDate);
      // a replaced ownership statement is gone: its links and marker are removed
      for (const r of replaces) facts.push(...staleSlots(`bods:${r}`, new Set(), o.recordRef));
      facts.push(...rel.facts);
    } else throw new BodsDataError(`unknown statementType ${JSON.stringify(type)}`);
    return { facts, replaces, version, isRecord: true, ...(statementDate ? { statementDate } : {}) };
  }
  const recordId = str(st, 'recordId');
  if (!recordId) throw new BodsDataError('recordId is missing (BODS 0.4)');
  const recordType = str(st, 'recordType');
  const status = str(st, 'recordStatus') ?? 'new';
  if (!['new', 'updated', 'closed'].includes(status)) throw new BodsDataError(`unknown recordStatus "${status}"`);
  const closed = status === 'closed';
  const details = obj(st, 'recordDetails');
  if (!details) throw new BodsDataError('recordDetails is missing');
  const ref: IdentifierFact = { scheme: 'bods', value: recordId };
  const facts: Fact[] = [];
  if (recordType === 'entity') facts.push(entityFact(ref, details, version, o, [], closed, statementDate));
  else if (recordType === 'person') facts.push(personFact(ref, details, version, o, [], closed, statementDate));
  else if (recordType === 'relationship') {
    const subj = details['subject'];
    if (typeof subj !== 'string' || !subj) {
      o.warn('a relationship whose subject is unspecified was skipped (nothing to attach it to)');
      return { facts, replaces: [], recordId, version, isRecord: true, ...(statementDate ? { statementDate } : {}) };
    }
    const rel = relationshipFacts(`bods:${recordId}`, { scheme: 'bods', value: subj }, partyOf(details['interestedParty'], version), details, version, o, closed, statementDate);
    if (status !== 'new') facts.push(...staleSlots(`bods:${recordId}`, rel.slots, o.recordRef));
    facts.push(...rel.facts);
  } else throw new BodsDataError(`unknown recordType ${JSON.stringify(recordType)}`);
  return { facts, replaces: [], recordId, version, isRecord: true, ...(statementDate ? { statementDate } : {}) };
}
