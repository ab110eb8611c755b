// Pure mapping of one GLEIF record to normalized facts. Every GLEIF rendering (XML, golden-copy
// JSON, golden-copy CSV) is first flattened by its parser to golden-copy CSV column names
// (`Entity.LegalAddress.Country`, `Entity.OtherEntityNames.OtherEntityName.1.type`, …), so one
// mapper per family serves all three. See docs/FORMATS-GLEIF.md for every decision taken here.
import { FULL_SHARE, percentToUnits, type EntityKind, type LinkKind, type LinkStatus, type ShareInterval } from '../../domain/model';
import type { CountryFact, DeletionFact, EntityFact, IdentifierFact, LinkFact, NameFact, UndisclosedFact } from '../facts';
import {
  CHECKSUM_EXEMPT_REGISTRATION, DEAD_REGISTRATION, ENTITY_CATEGORIES, ENTITY_STATUSES, ENTITY_SUB_CATEGORIES,
  EXCEPTION_CATEGORIES, EXCEPTION_REASONS, GleifDataError, LEI_REGISTRATION_STATUSES, MEASUREMENT_METHODS,
  NODE_ID_TYPES, PERIOD_TYPES, QUALIFIER_CATEGORIES, QUALIFIER_DIMENSIONS, QUANTIFIER_UNITS, RELATIONSHIP_STATUSES,
  RELATIONSHIP_TYPES, RR_REGISTRATION_STATUSES, UNKNOWN_PARENT_REASONS, WITHHELD_REASONS, checkEnum,
} from './enums';
import { LEI_PATTERN, isValidLei } from './lei';

/**
 * Version of these mappers and of the XML reader's flattening: part of the salt of every raw-record
 * digest (electron/backend/import/known.ts), so a change to what a record maps to makes the next
 * import map every record again. Bump it with any change to the facts a GLEIF record gives.
 */
export const GLEIF_MAPPER_VERSION = 1;

/** Reads one field of the current record by its golden-copy CSV column name; undefined when empty. */
export type Get = (key: string) => string | undefined;

/** Registration authority of Companies House (England & Wales, Scotland, Northern Ireland) in the GLEIF RA list. */
export const RA_COMPANIES_HOUSE = 'RA000585';

const COUNTRY = /^[A-Z]{2}$/;
const SUBDIVISION = /^([A-Z]{2})-[A-Z0-9]{1,3}$/;
const DATE = /^\d{4}-\d{2}-\d{2}/;
const DIGITS = /^\d+$/;
const CH_PREFIXED = /^([A-Z]{2})(\d{1,6})$/;

/** Repeated columns are numbered 1..5 in the CSV; XML/JSON may have more. */
const MIN_REPEAT = 5;

/**
 * The name of a numbered column (`Relationship.Period.3.startDate`), made once per number: a name
 * built for every record is a new string that each lookup by it must hash again, and a
 * relationship record asks for 50 of them (it was a third of a CSV relationship file's parse time).
 */
function numbered(make: (n: number) => string): (n: number) => string {
  const made: string[] = [];
  return (n) => (made[n] ??= make(n));
}
const OTHER_NAME = numbered((n) => `Entity.OtherEntityNames.OtherEntityName.${n}`);
const TRANSLITERATED_NAME = numbered((n) => `Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.${n}`);
const OTHER_NAME_TYPE = numbered((n) => `Entity.OtherEntityNames.OtherEntityName.${n}.type`);
const TRANSLITERATED_NAME_TYPE = numbered((n) => `Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.${n}.type`);
const OTHER_NAME_LANG = numbered((n) => `Entity.OtherEntityNames.OtherEntityName.${n}.xmllang`);
const TRANSLITERATED_NAME_LANG = numbered((n) => `Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.${n}.xmllang`);
const SUCCESSOR_LEI = numbered((n) => `Entity.SuccessorEntity.${n}.SuccessorLEI`);
const SUCCESSOR_NAME = numbered((n) => `Entity.SuccessorEntity.${n}.SuccessorEntityName`);
const PERIOD_START = numbered((n) => `Relationship.Period.${n}.startDate`);
const PERIOD_END = numbered((n) => `Relationship.Period.${n}.endDate`);
const PERIOD_TYPE = numbered((n) => `Relationship.Period.${n}.periodType`);
const QUALIFIER_DIMENSION = numbered((n) => `Relationship.Qualifiers.${n}.QualifierDimension`);
const QUALIFIER_CATEGORY = numbered((n) => `Relationship.Qualifiers.${n}.QualifierCategory`);
const MEASUREMENT_METHOD = numbered((n) => `Relationship.Quantifiers.${n}.MeasurementMethod`);
const QUANTIFIER_AMOUNT = numbered((n) => `Relationship.Quantifiers.${n}.QuantifierAmount`);
const QUANTIFIER_UNITS_KEY = numbered((n) => `Relationship.Quantifiers.${n}.QuantifierUnits`);
const EXCEPTION_REASON = numbered((n) => `ExceptionReason.${n}`);
const EXCEPTION_REFERENCE = numbered((n) => `ExceptionReference.${n}`);

function isDeleted(get: Get): boolean {
  const d = get('Extension.Deletion');
  return d !== undefined && d.toLowerCase() !== 'false' && d !== '0';
}

/** Checks syntax and MOD 97-10; a failing check digit is tolerated only for ANNULLED/DUPLICATE records. */
export function checkLei(field: string, lei: string, registrationStatus: string | undefined): void {
  if (!LEI_PATTERN.test(lei)) throw new GleifDataError(`${field} "${lei}" is not an LEI (20 characters, [0-9A-Z]{18}[0-9]{2})`);
  if (!isValidLei(lei) && !(registrationStatus && CHECKSUM_EXEMPT_REGISTRATION.has(registrationStatus))) {
    throw new GleifDataError(
      `${field} "${lei}" fails the LEI check digits (ISO 7064 MOD 97-10)` +
        (registrationStatus ? ` and its registration status ${registrationStatus} is not ANNULLED or DUPLICATE` : ''),
    );
  }
}

/** `CN-ZJ` → {code CN, subdivision CN-ZJ}; `US` → {code US}; anything else → code null, text kept. */
export function parseCountry(role: CountryFact['role'], text: string, region?: string): CountryFact {
  if (COUNTRY.test(text)) {
    const c: CountryFact = { role, code: text, text };
    if (region !== undefined && region.length > 3 && region.charCodeAt(2) === 45 /* - */ && region.startsWith(text) && SUBDIVISION.test(region)) {
      c.subdivision = region;
    }
    return c;
  }
  const m = SUBDIVISION.exec(text);
  if (m) return { role, code: m[1]!, subdivision: text, text };
  return { role, code: null, text };
}

/** The date part (YYYY-MM-DD, as written, in the time zone the source gave) of an ISO 8601 timestamp. */
export function datePart(field: string, value: string): string {
  if (!DATE.test(value)) throw new GleifDataError(`${field} "${value}" is not an ISO 8601 date`);
  return value.slice(0, 10);
}

/** Companies House numbers are 8 characters: digits zero-padded, or a 2-letter prefix (SC, NI, OC…) + 6 digits. */
export function companiesHouseNumber(raw: string): string | null {
  const v = raw.trim().toUpperCase().replace(/\s+/g, '');
  if (DIGITS.test(v)) return v.length <= 8 ? v.padStart(8, '0') : null;
  const m = CH_PREFIXED.exec(v);
  if (m) return m[1]! + m[2]!.padStart(6, '0');
  return null;
}

export function entityKind(category: string | undefined): EntityKind {
  switch (category) {
    case 'BRANCH':
      return 'branch';
    case 'FUND':
      return 'fund';
    case 'RESIDENT_GOVERNMENT_ENTITY':
    case 'INTERNATIONAL_ORGANIZATION':
      return 'state-body';
    case 'SOLE_PROPRIETOR':
      // A sole proprietor is a natural person trading under an LEI: no separate legal personality,
      // no shareholders. Mapping it to `person` makes it an end of an ownership chain.
      return 'person';
    default:
      return 'company';
  }
}

const OTHER_NAME_TYPES: Record<string, string> = {
  ALTERNATIVE_LANGUAGE_LEGAL_NAME: 'legal',
  PREVIOUS_LEGAL_NAME: 'previous',
  TRADING_OR_OPERATING_NAME: 'trading',
  // LEI-CDF 1.x/2.x legacy values
  OTHER_LEGAL: 'other',
  PREFERRED_ASCII_TRANSLITERATED_LEGAL: 'transliterated',
  AUTO_ASCII_TRANSLITERATED_LEGAL: 'transliterated',
};

function pushNames(get: Get, names: NameFact[], transliterated: boolean): void {
  const [nameKey, typeKey, langKey] = transliterated
    ? [TRANSLITERATED_NAME, TRANSLITERATED_NAME_TYPE, TRANSLITERATED_NAME_LANG]
    : [OTHER_NAME, OTHER_NAME_TYPE, OTHER_NAME_LANG];
  for (let n = 1; ; n++) {
    const name = get(nameKey(n));
    if (name === undefined) {
      if (n >= MIN_REPEAT) break;
      continue;
    }
    const type = transliterated ? 'transliterated' : (OTHER_NAME_TYPES[get(typeKey(n)) ?? ''] ?? 'other');
    const lang = get(langKey(n));
    names.push(lang ? { name, type, lang } : { name, type });
  }
}

function setAttr(a: Record<string, string>, k: string, v: string | undefined): void {
  if (v !== undefined) a[k] = v;
}

/** Maps one Level 1 (LEI-CDF 3.1 / 2.1) record. */
export function mapLevel1(get: Get, recordRef: string): EntityFact | DeletionFact {
  const lei = get('LEI');
  if (lei === undefined) throw new GleifDataError('missing LEI');
  const registrationStatus = get('Registration.RegistrationStatus');
  checkEnum('Registration.RegistrationStatus', registrationStatus, LEI_REGISTRATION_STATUSES);
  checkLei('LEI', lei, registrationStatus);
  if (isDeleted(get)) return { type: 'delete', recordRef, object: 'entity', key: `lei:${lei}` };
  const name = get('Entity.LegalName');
  if (name === undefined) throw new GleifDataError(`LEI ${lei}: missing Entity.LegalName`);
  const category = get('Entity.EntityCategory');
  checkEnum('Entity.EntityCategory', category, ENTITY_CATEGORIES);
  const subCategory = get('Entity.EntitySubCategory');
  checkEnum('Entity.EntitySubCategory', subCategory, ENTITY_SUB_CATEGORIES);
  const status = get('Entity.EntityStatus');
  checkEnum('Entity.EntityStatus', status, ENTITY_STATUSES);

  const names: NameFact[] = [];
  pushNames(get, names, false);
  pushNames(get, names, true);

  const countries: CountryFact[] = [];
  const legalCountry = get('Entity.LegalAddress.Country');
  if (legalCountry !== undefined) countries.push(parseCountry('legal-address', legalCountry, get('Entity.LegalAddress.Region')));
  const hqCountry = get('Entity.HeadquartersAddress.Country');
  if (hqCountry !== undefined) countries.push(parseCountry('headquarters', hqCountry, get('Entity.HeadquartersAddress.Region')));
  const jurisdiction = get('Entity.LegalJurisdiction');
  if (jurisdiction !== undefined) countries.push(parseCountry('jurisdiction', jurisdiction));

  const ref: IdentifierFact = { scheme: 'lei', value: lei };
  const identifiers: IdentifierFact[] = [ref];
  const raId = get('Entity.RegistrationAuthority.RegistrationAuthorityID');
  const raEntityId = get('Entity.RegistrationAuthority.RegistrationAuthorityEntityID');
  // A DUPLICATE/ANNULLED LEI usually carries the same register number as the surviving LEI; giving it
  // that identifier would let the store merge the two records (see docs), so it is kept as an attribute only.
  const dead = registrationStatus === 'DUPLICATE' || registrationStatus === 'ANNULLED';
  if (raId !== undefined && raEntityId !== undefined && !dead) {
    identifiers.push({ scheme: 'ra', value: `${raId}:${raEntityId}` });
    if (raId === RA_COMPANIES_HOUSE) {
      const coh = companiesHouseNumber(raEntityId);
      if (coh) identifiers.push({ scheme: 'gb-coh', value: coh });
    }
  }

  const attributes: Record<string, string> = {};
  setAttr(attributes, 'legalNameLang', get('Entity.LegalName.xmllang'));
  setAttr(attributes, 'entitySubCategory', subCategory);
  setAttr(attributes, 'legalFormCode', get('Entity.LegalForm.EntityLegalFormCode'));
  setAttr(attributes, 'otherLegalForm', get('Entity.LegalForm.OtherLegalForm'));
  setAttr(attributes, 'creationDate', get('Entity.EntityCreationDate'));
  setAttr(attributes, 'registrationAuthorityId', raId);
  setAttr(attributes, 'otherRegistrationAuthorityId', get('Entity.RegistrationAuthority.OtherRegistrationAuthorityID'));
  setAttr(attributes, 'registrationAuthorityEntityId', raEntityId);
  let successors: string | undefined;
  for (let n = 1; n <= MIN_REPEAT || get(SUCCESSOR_LEI(n)) !== undefined; n++) {
    const s = get(SUCCESSOR_LEI(n)) ?? get(SUCCESSOR_NAME(n));
    if (s !== undefined) successors = successors === undefined ? s : `${successors} ${s}`;
  }
  setAttr(attributes, 'successorLei', successors);
  setAttr(attributes, 'initialRegistrationDate', get('Registration.InitialRegistrationDate'));
  setAttr(attributes, 'lastUpdateDate', get('Registration.LastUpdateDate'));
  setAttr(attributes, 'nextRenewalDate', get('Registration.NextRenewalDate'));
  setAttr(attributes, 'managingLou', get('Registration.ManagingLOU'));
  setAttr(attributes, 'validationSources', get('Registration.ValidationSources'));
  setAttr(attributes, 'conformity', get('Extension.conformity.conformityflag') ?? get('ConformityFlag'));

  const fact: EntityFact = {
    type: 'entity', ref, recordRef, kind: entityKind(category), name, names, identifiers, countries, attributes,
  };
  if (status !== undefined) fact.status = status;
  if (registrationStatus !== undefined) fact.registrationStatus = registrationStatus;
  if (category !== undefined) fact.category = category;
  return fact;
}

function linkKind(type: string): { kind: LinkKind; summary: boolean; consolidation: boolean } {
  switch (type) {
    case 'IS_DIRECTLY_CONSOLIDATED_BY':
      return { kind: 'control', summary: false, consolidation: true };
    case 'IS_ULTIMATELY_CONSOLIDATED_BY':
      return { kind: 'control', summary: true, consolidation: true };
    case 'IS_INTERNATIONAL_BRANCH_OF':
      return { kind: 'branch', summary: false, consolidation: false };
    default:
      return { kind: 'fund-management', summary: false, consolidation: false };
  }
}

const PERIOD_ATTR: Record<string, string> = { ACCOUNTING_PERIOD: 'accountingPeriod', DOCUMENT_FILING_PERIOD: 'documentFilingPeriod' };

/**
 * Reads a PERCENTAGE quantifier. Values above 1 are read as stated. A value in (0, 1] is ambiguous
 * (GLEIF data has `1.00` meaning 100% written as a fraction): it is read as the interval spanning both
 * readings, [a%, 100·a%], so "1.00" is "between 1% and 100%" and never a confident "1%".
 */
export function quantifierShare(amount: string): { share: ShareInterval; suspect: boolean } {
  const units = percentToUnits(amount);
  if (units === null) throw new GleifDataError(`QuantifierAmount "${amount}" is not a percentage between 0 and 100`);
  if (units > 0 && units <= 10_000) {
    return { share: { lo: units, loOpen: false, hi: Math.min(units * 100, FULL_SHARE), hiOpen: false }, suspect: true };
  }
  return { share: { lo: units, loOpen: false, hi: units, hiOpen: false }, suspect: false };
}

export function rrKey(start: string, end: string, type: string): string {
  return `gleif-rr|${start}|${end}|${type}`;
}

/** Maps one RR-CDF 2.1 relationship record. StartNode = child (owned), EndNode = parent (owner). */
export function mapRelationship(get: Get, recordRef: string): LinkFact | DeletionFact {
  const start = get('Relationship.StartNode.NodeID');
  const end = get('Relationship.EndNode.NodeID');
  const type = get('Relationship.RelationshipType');
  if (start === undefined) throw new GleifDataError('missing Relationship.StartNode.NodeID');
  if (end === undefined) throw new GleifDataError('missing Relationship.EndNode.NodeID');
  if (type === undefined) throw new GleifDataError('missing Relationship.RelationshipType');
  checkEnum('Relationship.RelationshipType', type, RELATIONSHIP_TYPES);
  const registrationStatus = get('Registration.RegistrationStatus');
  checkEnum('Registration.RegistrationStatus', registrationStatus, RR_REGISTRATION_STATUSES);
  checkEnum('Relationship.StartNode.NodeIDType', get('Relationship.StartNode.NodeIDType'), NODE_ID_TYPES);
  checkEnum('Relationship.EndNode.NodeIDType', get('Relationship.EndNode.NodeIDType'), NODE_ID_TYPES);
  checkLei('Relationship.StartNode.NodeID', start, registrationStatus);
  checkLei('Relationship.EndNode.NodeID', end, registrationStatus);
  const key = rrKey(start, end, type);
  if (isDeleted(get)) return { type: 'delete', recordRef, object: 'link', key };
  const relStatus = get('Relationship.RelationshipStatus');
  checkEnum('Relationship.RelationshipStatus', relStatus, RELATIONSHIP_STATUSES);

  const attributes: Record<string, string> = {};
  let startDate: string | undefined;
  let endDate: string | undefined;
  for (let n = 1; ; n++) {
    const ps = get(PERIOD_START(n));
    const pe = get(PERIOD_END(n));
    const pt = get(PERIOD_TYPE(n));
    if (ps === undefined && pe === undefined && pt === undefined) {
      if (n >= MIN_REPEAT) break;
      continue;
    }
    checkEnum('PeriodType', pt, PERIOD_TYPES);
    if (pt === 'RELATIONSHIP_PERIOD') {
      // Several relationship periods: the latest-starting one describes the current relationship.
      const s = ps !== undefined ? datePart('RelationshipPeriod StartDate', ps) : undefined;
      if (startDate === undefined || (s !== undefined && s > startDate)) {
        startDate = s;
        endDate = pe !== undefined ? datePart('RelationshipPeriod EndDate', pe) : undefined;
      }
    } else {
      attributes[PERIOD_ATTR[pt ?? ''] ?? 'period'] = `${ps ?? ''}/${pe ?? ''}`;
    }
  }

  let qualifiers: string | undefined;
  for (let n = 1; ; n++) {
    const d = get(QUALIFIER_DIMENSION(n));
    const c = get(QUALIFIER_CATEGORY(n));
    if (d === undefined && c === undefined) {
      if (n >= MIN_REPEAT) break;
      continue;
    }
    checkEnum('QualifierDimension', d, QUALIFIER_DIMENSIONS);
    checkEnum('QualifierCategory', c, QUALIFIER_CATEGORIES);
    const q = `${d ?? ''}=${c ?? ''}`;
    qualifiers = qualifiers === undefined ? q : `${qualifiers}; ${q}`;
  }
  if (qualifiers !== undefined) attributes.qualifiers = qualifiers;

  let share: ShareInterval | null = null;
  let stated = type;
  for (let n = 1; ; n++) {
    const m = get(MEASUREMENT_METHOD(n));
    const a = get(QUANTIFIER_AMOUNT(n));
    const u = get(QUANTIFIER_UNITS_KEY(n));
    if (m === undefined && a === undefined && u === undefined) {
      if (n >= MIN_REPEAT) break;
      continue;
    }
    checkEnum('MeasurementMethod', m, MEASUREMENT_METHODS);
    checkEnum('QuantifierUnits', u, QUANTIFIER_UNITS);
    stated += ` ${m ?? ''} ${a ?? ''} ${u ?? ''}`.replace(/ +$/, '');
    if (a === undefined || share !== null) continue;
    const q = quantifierShare(a);
    share = q.share;
    if (q.suspect) attributes.quantifierSuspect = 'value <= 1 may be a fraction';
  }

  let status: LinkStatus = relStatus === 'ACTIVE' ? 'active' : relStatus === 'INACTIVE' ? 'inactive' : 'unknown';
  if (registrationStatus !== undefined && DEAD_REGISTRATION.has(registrationStatus)) status = 'inactive';
  const nodeType = get('Relationship.StartNode.NodeIDType');
  if (nodeType === 'ISO_17442_COMPATIBLE') attributes.startNodeIdType = nodeType;
  const endType = get('Relationship.EndNode.NodeIDType');
  if (endType === 'ISO_17442_COMPATIBLE') attributes.endNodeIdType = endType;
  if (relStatus !== undefined) attributes.relationshipStatus = relStatus;
  setAttr(attributes, 'lastUpdateDate', get('Registration.LastUpdateDate'));
  setAttr(attributes, 'managingLou', get('Registration.ManagingLOU'));
  setAttr(attributes, 'validationSources', get('Registration.ValidationSources'));
  setAttr(attributes, 'validationDocuments', get('Registration.ValidationDocuments'));
  setAttr(attributes, 'validationReference', get('Registration.ValidationReference'));

  const k = linkKind(type);
  const fact: LinkFact = {
    type: 'link', key, recordRef, owner: { scheme: 'lei', value: end }, owned: { scheme: 'lei', value: start },
    kind: k.kind, share, stated, isSummary: k.summary, status, attributes,
  };
  if (k.consolidation) fact.controlBasis = 'consolidation';
  if (startDate !== undefined) fact.startDate = startDate;
  if (endDate !== undefined) fact.endDate = endDate;
  if (registrationStatus !== undefined) fact.registrationStatus = registrationStatus;
  return fact;
}

export function repexKey(lei: string, category: string): string {
  return `gleif-repex|${lei}|${category}`;
}

/** Maps one Reporting Exceptions 2.1 record to an undisclosed-ownership marker. */
export function mapException(get: Get, recordRef: string): UndisclosedFact | DeletionFact {
  const lei = get('LEI');
  if (lei === undefined) throw new GleifDataError('missing LEI');
  const category = get('ExceptionCategory');
  if (category === undefined) throw new GleifDataError(`LEI ${lei}: missing ExceptionCategory`);
  checkEnum('ExceptionCategory', category, EXCEPTION_CATEGORIES);
  checkLei('LEI', lei, undefined);
  const key = repexKey(lei, category);
  if (isDeleted(get)) return { type: 'delete', recordRef, object: 'undisclosed', key };
  const reasons: string[] = [];
  const refs: string[] = [];
  for (let n = 1; ; n++) {
    const r = get(EXCEPTION_REASON(n));
    const f = get(EXCEPTION_REFERENCE(n));
    if (r === undefined && f === undefined) {
      if (n >= MIN_REPEAT) break;
      continue;
    }
    if (r !== undefined) {
      checkEnum('ExceptionReason', r, EXCEPTION_REASONS);
      reasons.push(r);
    }
    if (f !== undefined) refs.push(f);
  }
  if (reasons.length === 0) throw new GleifDataError(`LEI ${lei}: missing ExceptionReason`);
  let withheld = false;
  let noLei = false;
  for (const r of reasons) {
    if (WITHHELD_REASONS.has(r)) withheld = true;
    else if (UNKNOWN_PARENT_REASONS.has(r)) noLei = true;
  }
  const details: string[] = [];
  if (noLei) details.push('parent exists without an LEI');
  for (const f of refs) details.push(f);
  const fact: UndisclosedFact = {
    type: 'undisclosed', key, recordRef, subject: { scheme: 'lei', value: lei },
    // withheld beats unknown beats no-parent: the more serious gap wins when reasons are mixed.
    category: withheld ? 'withheld' : noLei ? 'unknown' : 'no-parent',
    scope: category === 'DIRECT_ACCOUNTING_CONSOLIDATION_PARENT' ? 'direct' : 'ultimate',
    reason: reasons.join(', '), status: 'active',
  };
  if (details.length > 0) fact.detail = details.join('; ');
  return fact;
}
